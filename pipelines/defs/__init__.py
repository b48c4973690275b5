"""The Dagster wiring, one package per concern: ingest (landing folder to raw tables, with its checks,
sensor and schedule), transform (the dbt project), serving (the BI copy and the report) and
freshness (are councils sending on time). Each package exposes what the others may use in its
``__init__``; ``pipelines.definitions`` assembles them from one Settings object."""
