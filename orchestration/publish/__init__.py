"""Quality gate and publish stage (pure Python, no Dagster): validate the dbt marts with the Great
Expectations suites in expectations/, then write them to DIR/published/ (a DuckDB file and Parquet
files) with an atomic rename, so readers only ever see validated data. Built in its own issue.
"""
