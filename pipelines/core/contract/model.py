"""The extract contract as Python objects, read once from ``contract.yml``.

The file is validated against a schema (``ContractFile``): an unknown key, a wrong type or a code
list that does not exist is an error naming the file, the key and the line. Everything that needs
to know the tables, fields, types or codes asks this module, so the contract has one source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field as SchemaField
from pydantic import model_validator

from ..config import ConfigError, Strict, load_yaml_model
from .rules import Rule, load_rules

CONTRACT_PATH = Path(__file__).with_name("contract.yml")

FieldType = Literal["id", "date", "datetime", "code", "yn", "num", "text"]
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


# ---- the file's schema ---------------------------------------------------------------------------

class FieldSpec(Strict):
    type: FieldType
    required: bool = False
    codes: list[str] | str = SchemaField(default_factory=list, description="codes, or the name of a code list")
    synonyms: dict[str, str] = SchemaField(default_factory=dict)
    references: str | None = SchemaField(default=None, pattern=r"^\w+\.\w+$")
    min: float | None = None
    min_exclusive: float | None = None
    max: float | None = None
    whole: bool = False
    after_as_at_allowed: bool = False
    working_days: bool = False
    description: str = ""


class TableSpec(Strict):
    required: bool = False
    description: str = ""
    primary_key: str
    fields: dict[str, FieldSpec]

    @model_validator(mode="after")
    def _key_is_a_field(self) -> TableSpec:
        if self.primary_key not in self.fields:
            raise ValueError(f"primary_key {self.primary_key!r} is not one of the table's fields")
        return self


class SourceFieldSpec(Strict):
    column: str | None = None
    element: str | None = None
    derived: list[str] = SchemaField(default_factory=list)
    parent: str | None = None  # the field of the record this one sits in (XML)
    required: bool | None = None
    synonyms: dict[str, str] | None = None
    # a second element giving the same field when the first is absent, with its own codes (CIN GenderCurrent)
    or_element: str | None = None
    or_codes: dict[str, str] = SchemaField(default_factory=dict)
    dfe_rule: str | None = None  # the DfE validation rule a bad value breaks ("SSDA903 rule 146")

    @model_validator(mode="after")
    def _one_origin(self) -> SourceFieldSpec:
        if [bool(self.column or self.element), bool(self.derived), bool(self.parent)].count(True) != 1:
            raise ValueError("a field comes from a column/element, is derived, or is its parent's: exactly one")
        return self


class SourceTableSpec(Strict):
    table: str
    record: str | None = None
    parent: str | None = None
    required: bool = False
    fields: dict[str, SourceFieldSpec]


class DatasetSpec(Strict):
    description: str = ""
    tables: dict[str, SourceTableSpec]


class ContractFile(Strict):
    version: int
    yes_no_synonyms: dict[Literal["Y", "N"], list[str]]
    code_lists: dict[str, list[str]] = SchemaField(default_factory=dict)
    tables: dict[str, TableSpec]
    datasets: dict[str, DatasetSpec] = SchemaField(default_factory=dict)


# ---- the objects the product uses ----------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool = False
    codes: tuple[str, ...] = ()
    synonyms: dict[str, str] = field(default_factory=dict)
    references: str | None = None
    min: float | None = None
    min_exclusive: float | None = None
    max: float | None = None
    whole: bool = False
    after_as_at_allowed: bool = False
    working_days: bool = False  # the marts count working days from or to this date
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


SSD = "ssd"  # the dataset of the contract's own tables


@dataclass(frozen=True)
class SourceField:
    """Where a contract field's value comes from in a dataset's file."""
    column: str | None = None  # CSV column, as the DfE names it
    element: str | None = None  # XML element
    derived: tuple[str, ...] = ()  # contract fields whose values, joined by '|', make this one
    dfe_rule: str | None = None  # the DfE validation rule a bad value breaks, named in its rejects
    parent: str | None = None  # the value of this field of the record it sits in (XML)
    or_element: str | None = None  # read when ``element`` is absent, with its own codes
    or_codes: tuple[tuple[str, str], ...] = ()  # its spellings -> the field's codes


@dataclass(frozen=True)
class SourceTable:
    """A table of a dataset's files, and the contract table it fills (for ssd, the table itself)."""
    dataset: str
    name: str
    table: Table  # the contract table, with the dataset's tightened fields
    sources: dict[str, SourceField]  # contract field -> its origin; absent fields are null
    required: bool = False
    record: str | None = None  # the XML element that is one row
    parent: str | None = None  # the dataset's table whose record this one sits in (XML)

    @property
    def reconciliation_name(self) -> str:
        """marts.load_reconciliation.table_name: ssd tables by name, returns as ssda903.header."""
        return self.name if self.dataset == SSD else f"{self.dataset}.{self.name}"

    def source(self, field_name: str) -> SourceField | None:
        return self.sources.get(field_name)

    def label(self, field_name: str) -> str:
        """How the council's file names a field (the rejects' column): CHILD, or CHILD+DECOM."""
        src = self.sources[field_name]
        if src.derived:
            return "+".join(self.label(part) for part in src.derived)
        return src.column or src.element or f"{src.parent} (of the record it sits in)"


# A cross-row check as it applies to one table: the registry's rule, bound to the table.
@dataclass(frozen=True)
class Check:
    rule: Rule
    table: str

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def severity(self) -> str:
        return self.rule.severity

    @property
    def description(self) -> str:
        return self.rule.description


@dataclass(frozen=True)
class Contract:
    version: int
    tables: dict[str, Table]
    rules: tuple[Rule, ...]
    yes_no_synonyms: dict[str, str]  # spelling -> Y/N
    datasets: dict[str, dict[str, SourceTable]] = field(default_factory=dict)  # dataset -> file table -> source

    def table(self, name: str) -> Table:
        return self.tables[name]

    @property
    def table_names(self) -> list[str]:
        return list(self.tables)

    def source_table(self, dataset: str, table: str) -> SourceTable:
        """The dataset's file table that fills contract table ``table``."""
        for source in self.datasets[dataset].values():
            if source.table.name == table:
                return source
        raise KeyError(f"dataset {dataset} has no table filling {table}")

    def code_map(self, f: Field) -> dict[str, str]:
        """Every accepted spelling (upper case) mapped to its canonical code."""
        mapping = {c: c for c in f.codes}
        if f.type == "yn" or {"Y", "N"} <= set(f.codes):
            mapping.update(self.yes_no_synonyms)
        mapping.update(f.synonyms)
        return mapping

    def checks_for(self, table: str) -> list[Check]:
        """The cross-row checks that can fire on a table, in registry order."""
        t = self.tables[table]
        return [Check(rule, table) for rule in self.rules if rule.kind == "check" and rule.applies_to(t)]

    def history_rules_for(self, table: str) -> list[Rule]:
        """What marts.data_quality_history follows for a table: file and row summaries, then checks."""
        t = self.tables[table]
        return [rule for rule in self.rules if rule.history and rule.applies_to(t)]

    def rule(self, name: str, table: str | None = None) -> Rule | None:
        candidates = [r for r in self.rules if r.name == name]
        if table is not None and table in self.tables:
            candidates = [r for r in candidates if r.applies_to(self.tables[table])] or candidates
        return candidates[0] if candidates else None


def _build_field(name: str, spec: FieldSpec, code_lists: dict[str, list[str]]) -> Field:
    codes = spec.codes
    if isinstance(codes, str):
        if codes not in code_lists:
            raise KeyError(codes)
        codes = code_lists[codes]
    if spec.type == "yn":
        codes = ["Y", "N"]
    return Field(
        name=name,
        type=spec.type,
        required=spec.required,
        codes=tuple(str(c).upper() for c in codes),
        synonyms={str(k).upper(): str(v).upper() for k, v in spec.synonyms.items()},
        references=spec.references,
        min=spec.min,
        min_exclusive=spec.min_exclusive,
        max=spec.max,
        whole=spec.whole,
        after_as_at_allowed=spec.after_as_at_allowed,
        working_days=spec.working_days,
        description=spec.description,
    )


@cache
def load_contract(path: Path = CONTRACT_PATH, rules_path: Path | None = None) -> Contract:
    spec = load_yaml_model(path, ContractFile)
    tables = {}
    for tname, tspec in spec.tables.items():
        fields = []
        for fname, fspec in tspec.fields.items():
            try:
                fields.append(_build_field(fname, fspec, spec.code_lists))
            except KeyError as exc:
                raise ConfigError(f"{path}: tables.{tname}.fields.{fname}.codes: no code list named {exc}") from None
        tables[tname] = Table(tname, tspec.required, tspec.primary_key, tuple(fields), tspec.description)
    for table in tables.values():
        for f in table.fields:
            if f.references and (f.reference_table not in tables
                                 or f.reference_field not in tables[f.reference_table].field_names):
                raise ConfigError(f"{path}: tables.{table.name}.fields.{f.name}.references: "
                                  f"{f.references} is not a contract field")
    rules = load_rules(rules_path) if rules_path else load_rules()
    for rule in rules:
        for name in (rule.table, *rule.needs):
            if name and name not in tables:
                raise ConfigError(f"rule {rule.name}: table {name!r} is not in the contract")
    yes_no = {s.upper(): code for code, spellings in spec.yes_no_synonyms.items() for s in spellings}
    datasets = {SSD: {name: SourceTable(SSD, name, t, {f.name: SourceField(column=f.name) for f in t.fields},
                                        t.required) for name, t in tables.items()}}
    for dname, dspec in spec.datasets.items():
        datasets[dname] = {name: _build_source_table(path, dname, name, tspec, tables)
                           for name, tspec in dspec.tables.items()}
    return Contract(version=spec.version, tables=tables, rules=rules, yes_no_synonyms=yes_no, datasets=datasets)


def _build_source_table(path: Path, dataset: str, name: str, spec: SourceTableSpec, tables: dict[str, Table]
                        ) -> SourceTable:
    where = f"{path}: datasets.{dataset}.tables.{name}"
    if spec.table not in tables:
        raise ConfigError(f"{where}.table: {spec.table} is not a contract table")
    table = tables[spec.table]
    fields, sources = [], {}
    for f in table.fields:
        fspec = spec.fields.get(f.name)
        if fspec is None:
            fields.append(f)
            continue
        for part in fspec.derived:
            if part not in spec.fields or spec.fields[part].derived:
                raise ConfigError(f"{where}.fields.{f.name}.derived: {part} is not a field read from the file")
        fields.append(replace(
            f,
            required=f.required if fspec.required is None else fspec.required,
            synonyms=f.synonyms if fspec.synonyms is None
            else {str(k).upper(): str(v).upper() for k, v in fspec.synonyms.items()},
        ))
        sources[f.name] = SourceField(
            fspec.column, fspec.element or fspec.column, tuple(fspec.derived), fspec.dfe_rule, fspec.parent,
            fspec.or_element, tuple((str(k).upper(), str(v).upper()) for k, v in fspec.or_codes.items()))
    unknown = set(spec.fields) - set(table.field_names)
    if unknown:
        raise ConfigError(f"{where}.fields: not fields of {table.name}: {', '.join(sorted(unknown))}")
    return SourceTable(dataset, name, replace(table, fields=tuple(fields)), sources, spec.required, spec.record,
                       spec.parent)
