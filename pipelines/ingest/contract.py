"""The extract contract as Python objects, read once from ``contract.yml``.

Everything that needs to know the tables, fields, types or codes asks this module, so the contract
has one source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

CONTRACT_PATH = Path(__file__).with_name("contract.yml")

FIELD_TYPES = {"id", "date", "datetime", "code", "yn", "num", "text"}
# DuckDB column type each contract type is loaded as.
SQL_TYPES = {
    "id": "VARCHAR",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "code": "VARCHAR",
    "yn": "VARCHAR",
    "num": "DOUBLE",
    "text": "VARCHAR",
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool = False
    codes: tuple[str, ...] = ()
    synonyms: dict[str, str] = field(default_factory=dict)
    references: str | None = None
    min_exclusive: float | None = None
    max: float | None = None
    after_as_at_allowed: bool = False
    description: str = ""

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]

    @property
    def is_temporal(self) -> bool:
        return self.type in ("date", "datetime")

    @property
    def reference_table(self) -> str | None:
        return self.references.split(".")[0] if self.references else None

    @property
    def reference_field(self) -> str | None:
        return self.references.split(".")[1] if self.references else None


@dataclass(frozen=True)
class Table:
    name: str
    required: bool
    primary_key: str
    fields: tuple[Field, ...]
    description: str = ""

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")


@dataclass(frozen=True)
class Check:
    name: str
    table: str
    severity: str  # "error" | "warn"
    description: str
    order: tuple[str, str] | None = None  # (earlier, later)

    @property
    def key(self) -> str:
        """Check names repeat across tables (end_before_start); table + name is unique."""
        return f"{self.table}.{self.name}"


@dataclass(frozen=True)
class Contract:
    version: int
    tables: dict[str, Table]
    checks: tuple[Check, ...]
    yes_no_synonyms: dict[str, str]  # spelling -> Y/N

    def table(self, name: str) -> Table:
        return self.tables[name]

    @property
    def table_names(self) -> list[str]:
        return list(self.tables)

    def checks_for(self, table: str) -> list[Check]:
        return [c for c in self.checks if c.table == table]

    def code_map(self, f: Field) -> dict[str, str]:
        """Every accepted spelling (upper case) mapped to its canonical code."""
        mapping = {c: c for c in f.codes}
        if f.type == "yn" or {"Y", "N"} <= set(f.codes):
            mapping.update(self.yes_no_synonyms)
        mapping.update(f.synonyms)
        return mapping


def _parse_field(name: str, spec: dict, code_lists: dict[str, list[str]]) -> Field:
    ftype = spec["type"]
    if ftype not in FIELD_TYPES:
        raise ValueError(f"contract field {name}: unknown type {ftype!r}")
    codes = spec.get("codes", ())
    if isinstance(codes, str):
        codes = code_lists[codes]
    if ftype == "yn":
        codes = ["Y", "N"]
    return Field(
        name=name,
        type=ftype,
        required=bool(spec.get("required", False)),
        codes=tuple(str(c).upper() for c in codes),
        synonyms={str(k).upper(): str(v).upper() for k, v in (spec.get("synonyms") or {}).items()},
        references=spec.get("references"),
        min_exclusive=spec.get("min_exclusive"),
        max=spec.get("max"),
        after_as_at_allowed=bool(spec.get("after_as_at_allowed", False)),
        description=spec.get("description") or "",
    )


@cache
def load_contract(path: Path = CONTRACT_PATH) -> Contract:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    code_lists = raw.get("code_lists", {})
    tables = {}
    for tname, tspec in raw["tables"].items():
        fields = tuple(_parse_field(fname, fspec, code_lists) for fname, fspec in tspec["fields"].items())
        tables[tname] = Table(
            name=tname,
            required=bool(tspec.get("required", False)),
            primary_key=tspec["primary_key"],
            fields=fields,
            description=tspec.get("description", ""),
        )
    checks = tuple(
        Check(
            name=c["name"],
            table=c["table"],
            severity=c["severity"],
            description=c.get("description", ""),
            order=(c["order"]["earlier"], c["order"]["later"]) if "order" in c else None,
        )
        for c in raw.get("checks", [])
    )
    yes_no = {
        spelling.upper(): code for code, spellings in raw["yes_no_synonyms"].items() for spelling in spellings
    }
    return Contract(version=raw["version"], tables=tables, checks=checks, yes_no_synonyms=yes_no)
