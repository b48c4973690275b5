"""Data-quality checks: Great Expectations suites and the ingest checks as Dagster asset checks."""
