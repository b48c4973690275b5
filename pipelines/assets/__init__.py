"""Dagster assets: ingest (per LA), dbt models, publication."""
