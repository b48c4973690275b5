"""Stage a statutory-return XML file: its records become rows of the contract tables they fill.

One streaming pass over the file (``xml_records``) hands each record to the table whose ``record``
element it is (contract.yml, ``datasets``); its fields are the elements the contract names (the first of
that name in the record, else in the records it sits in: a 903 EPISODE's CHILDID is its CHILD's first
HEADER/CHILDID), and its last cell is the whole record, parents' cells first, which is what makes two
records exact duplicates. From there the rows take exactly the path of a CSV file's rows
(``stage.stage_records``): the same row rules, rejects with the record's line and element name,
reconciliation. Rows go to DuckDB in batches, so memory stays flat in the size of the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from ..contract import Contract, SourceTable
from ..ingest.stage import FileResult, create_empty_stage, stage_records, stage_table_name
from .cin_conferences import CONFERENCE_DATE, CONFERENCES, derive_conferences
from .coverage import coverage_start
from .xml_records import CIN_CENSUS, XmlRecord, XmlRejected, census_reference_date, iter_records

BATCH = 50_000
_UNIT = "\x1f"  # between cells of the whole-record key


def stage_xml(con: duckdb.DuckDBPyConnection, contract: Contract, sources: list[SourceTable], path: Path,
              extract_date: dt.date) -> dict[str, FileResult]:
    """Stage every table of one XML return; keyed by the contract table filled (a CIN census also the
    conferences it implies). A file that is not well-formed rejects every table whole, its records seen
    before the fault counted as read."""
    by_record = {s.record: s for s in sources if s.record}
    results = {s.table.name: FileResult(table=s.table.name, file_name=path.name, encoding="xml") for s in sources}
    elements = {s.table.name: _elements(s) for s in sources}
    batches: dict[str, list[list]] = {s.table.name: [] for s in sources}
    for s in sources:
        _create_records(con, s.table.name)
    census = sources[0].dataset == CIN_CENSUS
    dates: list[tuple[int, str]] = []  # CIN: record number, DateOfInitialCPC
    try:
        for record in iter_records(path, sources[0].dataset):
            source = by_record.get(record.kind)
            if source is None:
                continue
            name = source.table.name
            fields = {**record.context, **_first_of_each(record)}
            batches[name].append([record.line, record.index, record.parent,
                                  *(fields.get(e) for e in elements[name].values()), _whole(record)])
            if len(batches[name]) >= BATCH:
                _flush(con, name, batches[name])
            if census and fields.get(CONFERENCE_DATE) is not None:
                dates.append((record.index, fields[CONFERENCE_DATE]))
    except XmlRejected as exc:
        for s in sources:
            _flush(con, s.table.name, batches[s.table.name])
            result = results[s.table.name]
            result.file_error = str(exc)
            result.rows_read = result.rows_rejected = con.execute(
                f"SELECT count(*) FROM {_records(s.table.name)}").fetchone()[0]
            con.execute(f"DROP TABLE {_records(s.table.name)}")
            create_empty_stage(con, s.table)
        return results
    by_name = {s.name: s for s in sources}
    for s in _parents_first(sources):
        name = s.table.name
        _flush(con, name, batches[name])
        positions = {key: i for i, key in enumerate(elements[name], start=1)}
        parent = stage_table_name(by_name[s.parent].table.name) if s.parent else None
        stage_records(con, contract, s, _records(name), positions, len(positions) + 1, 0, results[name],
                      xml=True, parent_stage=parent)
    if census:
        results[CONFERENCES] = derive_conferences(con, contract, path.name, coverage_start(extract_date), dates)
        reference = census_reference_date(path)
        if reference and reference != extract_date.isoformat():
            results[sources[0].table.name].warnings.append(
                f"{path.name}: its ReferenceDate {reference} is not its folder's date {extract_date}: a return's "
                "folder is named by its reference date (31 March for the annual census)")
    return results


def _elements(source: SourceTable) -> dict[str, str]:
    """The cells a record of the table gives: field (or field__or) -> the element it is read from."""
    out = {}
    for name, src in source.sources.items():
        if src.element:
            out[name] = src.element
        if src.or_element:
            out[f"{name}__or"] = src.or_element
    return out


def _parents_first(sources: list[SourceTable]) -> list[SourceTable]:
    """Tables in an order where the table a record sits in is staged before it (its rows are joined)."""
    names = {s.name: s for s in sources}
    depth = {}
    for s in sources:
        d, at = 0, s
        while at.parent:
            d, at = d + 1, names[at.parent]
        depth[s.name] = d
    return sorted(sources, key=lambda s: depth[s.name])


def _first_of_each(record: XmlRecord) -> dict[str, str | None]:
    """A field is the first element of its name in the record (an empty one included: null)."""
    first: dict[str, str | None] = {}
    for name, value in record.cells:
        first.setdefault(name, value)
    return first


def _whole(record: XmlRecord) -> str:
    context = _UNIT.join(f"{k}={v or ''}" for k, v in sorted(record.context.items()))
    return context + _UNIT + _UNIT.join(f"{k}={v or ''}" for k, v in record.cells)


def _records(table: str) -> str:
    return f"records_{table}"


def _create_records(con: duckdb.DuckDBPyConnection, table: str) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_records(table)}"
                " (line_no BIGINT, unterminated_quote BOOLEAN, cells VARCHAR[], record_no BIGINT, parent_no BIGINT)")


def _flush(con: duckdb.DuckDBPyConnection, table: str, rows: list[list]) -> None:
    if not rows:
        return
    width = len(rows[0]) - 3
    batch = pd.DataFrame(rows, columns=["line_no", "record_no", "parent_no", *(f"c{i}" for i in range(width))],
                         dtype=object)
    batch[["line_no", "record_no"]] = batch[["line_no", "record_no"]].astype("int64")
    batch["parent_no"] = batch["parent_no"].astype("Int64")
    cells = ", ".join(f"c{i}::VARCHAR" for i in range(width))
    con.register("xml_batch", batch)
    con.execute(f"INSERT INTO {_records(table)} SELECT line_no, false, [{cells}], record_no, parent_no FROM xml_batch")
    con.unregister("xml_batch")
    rows.clear()
