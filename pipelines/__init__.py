"""csc-warehouse: children's social care KPI warehouse (Dagster + DuckDB + dbt + Great Expectations)."""
