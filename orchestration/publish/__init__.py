"""Quality gate and publish stage (pure Python, no Dagster): validate the dbt marts with the Great
Expectations suites in expectations/ (gate.py), then write them to DIR/published/ (a DuckDB file
and Parquet files) with atomic renames (publish.py), so readers only ever see validated data.
"""
