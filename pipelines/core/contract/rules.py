"""The data-quality rule registry (``rules.yml``): one record per rule, as the DfE validators keep them.

A record says what the rule is called, where it applies, how severe it is, what it means, how a
council fixes it and, for a cross-row check, the SQL that finds the failing rows. From these records
come the ingest checks (``core/ingest/quality.py``), the Dagster asset checks, the problem reports'
"how to fix" column and the ``dq_checks`` seed behind ``marts.data_quality_history``
(``csc sync-contract``). Adding a check is adding a record.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import model_validator

from ..config import Strict, load_yaml_model

if TYPE_CHECKING:
    from .model import Field, Table

RULES_PATH = Path(__file__).with_name("rules.yml")

# Where a rule applies: every table, or each field of a kind (its SQL is run once per such field).
Each = Literal["table", "temporal_field", "datetime_field", "working_day_field", "reference"]


class Rule(Strict):
    name: str
    kind: Literal["file", "row", "extract", "check"]  # check = cross-row SQL on the loaded rows
    severity: Literal["error", "warn"]
    description: str
    fix: str
    table: str | None = None  # the one table a check runs on ...
    each: Each | None = None  # ... or where a generic rule applies
    history: bool = False  # a row per table in marts.data_quality_history (always, for checks)
    needs: tuple[str, ...] = ()  # other tables the SQL reads ({loaded_<table>}); skipped without them
    sql: str | None = None  # a check: SELECT *, <text> AS detail FROM ok WHERE <the row fails>

    @model_validator(mode="before")
    @classmethod
    def _checks_are_in_the_history(cls, data):
        if isinstance(data, dict) and data.get("kind") == "check":
            data = {**data, "history": True}
        return data

    @model_validator(mode="after")
    def _a_check_has_sql_and_a_place(self) -> Rule:
        if self.kind == "check" and not (self.sql and (self.table or self.each)):
            raise ValueError("a check needs `sql` and either `table` or `each`")
        if self.table and self.each:
            raise ValueError("give `table` or `each`, not both")
        return self

    def fields(self, table: Table) -> list[Field]:
        """The fields a per-field rule runs on in ``table``."""
        if self.each == "temporal_field":
            return [f for f in table.fields if f.is_temporal and not f.after_as_at_allowed]
        if self.each == "datetime_field":
            return [f for f in table.fields if f.type == "datetime"]
        if self.each == "working_day_field":
            return [f for f in table.fields if f.working_days]
        if self.each == "reference":
            return [f for f in table.fields if f.references]
        return []

    def applies_to(self, table: Table) -> bool:
        if self.table is not None:
            return self.table == table.name
        if self.each == "table":
            return True
        return bool(self.each) and bool(self.fields(table))

    def render(self, **values) -> str:
        """The check's SQL with its placeholders filled in ({field}, {as_at}, {parent_ids}, ...)."""
        return self.sql.format(**values)


class RulesFile(Strict):
    rules: tuple[Rule, ...]

    @model_validator(mode="after")
    def _one_record_per_rule_and_place(self) -> RulesFile:
        seen = set()
        for rule in self.rules:
            key = (rule.name, rule.table)
            if key in seen:
                raise ValueError(f"rule {rule.name!r} is recorded twice for the same place")
            seen.add(key)
        return self


@cache
def load_rules(path: Path = RULES_PATH) -> tuple[Rule, ...]:
    return load_yaml_model(path, RulesFile).rules
