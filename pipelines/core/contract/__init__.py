"""The extract contract (contract.yml) and the data-quality rule registry (rules.yml): the one
machine-readable source of truth that ingest, the checks, the GX suites, the dbt sources, the
problem reports and the generator all read."""

from .model import SSD, Check, Contract, Field, SourceField, SourceTable, Table, load_contract

__all__ = ["SSD", "Check", "Contract", "Field", "SourceField", "SourceTable", "Table", "load_contract"]
