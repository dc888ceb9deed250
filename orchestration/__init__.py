"""newsclaims: the nightly news-claims warehouse (Dagster code location and pipeline stages)."""
