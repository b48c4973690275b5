"""Stage one table file: raw cells -> typed rows, each marked loaded, rejected or duplicate.

The row-level rules of the contract, in its order:
1. exact duplicate rows (every trimmed raw cell equal, extra columns included): the first is kept;
2. a missing required value, an unparseable value or an unknown code rejects the row;
3. among the rows that passed, rows sharing a primary id are all rejected (duplicate_id_conflict).
So for every file: rows read = loaded + rejected + duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..contract import SSD, Contract, SourceTable, Table
from ..returns.xml_records import XmlRejected, iter_records
from .encoding import FileRejected, utf8_source
from .normalise import problem_sql, value_sql
from .reader import count_data_records, read_header, read_records

# Spaces and tabs around a cell are not part of the value.
_TRIM = "trim({x}, ' ' || chr(9))"


@dataclass
class FileResult:
    table: str
    file_name: str
    encoding: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    file_error: str | None = None
    warnings: list[str] = field(default_factory=list)
    reconciled: bool = True  # False: rows derived from other tables' (CIN conferences): no load_log row

    @property
    def rejected_whole(self) -> bool:
        return self.file_error is not None


def stage_table_name(table: str) -> str:
    return f"stage_{table}"


def rejects_table_name(table: str) -> str:
    return f"stage_rejects_{table}"


def stage_file(
    con: duckdb.DuckDBPyConnection, contract: Contract, source: SourceTable, path: Path, workdir: Path
) -> FileResult:
    """Stage ``path``, a CSV file of ``source`` (a contract table, or a statutory return's table that
    fills one), into TEMP tables stage_<table> and stage_rejects_<table> of the contract table."""
    table = source.table
    result = FileResult(table=table.name, file_name=path.name)
    records = f"records_{table.name}"
    columns = {f.name: src.column.lower() for f in table.fields if (src := source.source(f.name)) and src.column}
    try:
        utf8, result.encoding = utf8_source(path, workdir)
        read_records(con, utf8, records)
        header = read_header(con, records, path.name)
        missing = [source.label(f.name) for f in table.fields
                   if f.required and f.name in columns and header.index(columns[f.name]) is None]
        if missing:
            raise FileRejected(
                f"{path.name}: line {header.line_no}: required column(s) missing: {', '.join(missing)}"
                + _delimiter_hint(header.names)
            )
    except (FileRejected, duckdb.Error) as exc:
        result.file_error = str(exc) if isinstance(exc, FileRejected) else f"{path.name}: unreadable: {exc}"
        if con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [records]
        ).fetchone()[0]:
            result.rows_read = count_data_records(con, records)
        result.rows_rejected = result.rows_read
        create_empty_stage(con, table)
        return result

    if source.dataset == SSD:  # a return carries many columns the warehouse does not use: no warning
        extra = [n for n in header.names if n not in columns.values()]
        if extra:
            result.warnings.append(
                f"{path.name}: extra column(s) ignored: {', '.join(n or '(blank)' for n in extra)}")
    absent = [source.label(f.name) for f in table.fields
              if f.name in columns and header.index(columns[f.name]) is None]
    if absent:
        result.warnings.append(f"{path.name}: optional column(s) absent, loaded as null: {', '.join(absent)}")

    cells = {name: header.index(column) for name, column in columns.items()}
    stage_records(con, contract, source, records, cells, len(header.names), header.line_no, result)
    return result


def stage_records(
    con: duckdb.DuckDBPyConnection, contract: Contract, source: SourceTable, records: str,
    cells: dict[str, int | None], width: int, header_line: int, result: FileResult, *,
    xml: bool = False, parent_stage: str | None = None,
) -> None:
    """Apply the row rules to TEMP table ``records`` (line_no, unterminated_quote, cells VARCHAR[]; the
    rows after line ``header_line``; XML records also record_no and parent_no), whatever file it was
    read from (``xml``: records, in file order by record_no). ``cells``: the 1-based cell of each
    element or column read (None: absent); ``parent_stage``: the stage table of the records these sit
    in (XML), whose fields ``{parent: f}`` take and whose rejection rejects them. Counts the rows into
    ``result`` and drops ``records``."""
    con.execute(_stage_sql(contract, source, cells, width, header_line, records, xml, parent_stage))
    con.execute(_rejects_sql(contract, source, parent_stage is not None))
    counts = con.execute(
        f"SELECT count(*), count(*) FILTER (status = 'loaded'), count(*) FILTER (status = 'rejected'),"
        f" count(*) FILTER (status = 'duplicate') FROM {stage_table_name(source.table.name)}"
    ).fetchone()
    result.rows_read, result.rows_loaded, result.rows_rejected, result.rows_duplicate = counts
    if result.rows_duplicate:
        result.warnings.append(f"{result.file_name}: {result.rows_duplicate} exact duplicate row(s) removed")
    con.execute(f"DROP TABLE {records}")


def count_rows(con: duckdb.DuckDBPyConnection, source: SourceTable, path: Path, workdir: Path) -> int:
    """The rows a file holds, without staging them: CSV data records, or the XML records of the table
    (those seen before a fault; 0 for a file that cannot be read at all)."""
    if path.suffix.lower() == ".xml":
        seen = 0
        try:
            for record in iter_records(path, source.dataset):
                seen += record.kind == source.record
        except XmlRejected:
            pass
        return seen
    try:
        utf8, _ = utf8_source(path, workdir)
        read_records(con, utf8, "records_count")
    except (FileRejected, duckdb.Error):
        return 0
    rows = count_data_records(con, "records_count")
    con.execute("DROP TABLE records_count")
    return rows


def _delimiter_hint(names: list[str]) -> str:
    if len(names) == 1:
        for sep, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if sep in names[0]:
                return f" (the header looks separated by {label}; the contract requires commas)"
    return ""


def _raw_sql(contract: Contract, source: SourceTable, name: str, cells: dict[str, int | None]) -> str:
    """The trimmed raw text of field ``name`` (NULL when empty or absent), however the file holds it."""
    src = source.source(name)
    if src is None:
        return "NULL::VARCHAR"
    if src.parent:  # the value of the record it sits in (XML), as text
        return f'parent."{src.parent}"::VARCHAR'
    if src.derived:
        return derived_key_sql(contract, source, src.derived, cells)

    raw = _cell_sql(cells.get(name))
    if src.or_element:  # the second element, its codes mapped onto the field's, when the first is absent
        alternative = _cell_sql(cells.get(f"{name}__or"))
        whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in src.or_codes)
        raw = f"coalesce({raw}, CASE upper({alternative}) {whens} END)"  # a bad one: its own reject
    return raw


def _or_problem_sql(source: SourceTable, name: str) -> str:
    """A second element is checked against its own codes even when the first one wins (CIN GenderCurrent)."""
    src = source.source(name)
    alternative = f'"r__or__{name}"'
    codes = ", ".join(f"'{k}'" for k, _ in src.or_codes)
    return (f"CASE WHEN {alternative} IS NOT NULL AND upper({alternative}) NOT IN ({codes}) THEN "
            f"{{'rule': 'invalid_code', 'reason': 'expected one of {', '.join(k for k, _ in src.or_codes)}', "
            f"'raw': {alternative}}} END")


def _cell_sql(idx: int | None) -> str:
    return f"nullif({_TRIM.format(x=f'r.cells[{idx}]')}, '')" if idx else "NULL::VARCHAR"


def _stage_sql(contract: Contract, source: SourceTable, cells: dict[str, int | None], width: int, header_line: int,
               records: str, xml: bool, parent_stage: str | None) -> str:
    table = source.table
    raw_cols, typed_cols, problem_cols = [], [], []
    for f in table.fields:
        src = source.source(f.name)
        raw_cols.append(f'{_raw_sql(contract, source, f.name, cells)} AS "r__{f.name}"')
        if src and (src.derived or src.parent):
            # a derived key (903 episode: CHILD|DECOM) or the parent's value: its parts and the parent record
            # are checked themselves, so it has no problem of its own
            problem_cols.append(f'NULL::STRUCT(rule VARCHAR, reason VARCHAR) AS "p__{f.name}"')
        else:
            problem_cols.append(f'{problem_sql(f, f"r__{f.name}", f.name)} AS "p__{f.name}"')
        typed_cols.append(f'({value_sql(f, contract, f"r__{f.name}")})::{f.sql_type} AS "{f.name}"')
    or_problems = [f.name for f in table.fields if (src := source.source(f.name)) and src.or_element]
    raw_cols += [f'{_cell_sql(cells.get(f"{n}__or"))} AS "r__or__{n}"' for n in or_problems]
    problem_cols += [f'{_or_problem_sql(source, n)} AS "p__or__{n}"' for n in or_problems]
    problems = ["p__malformed", *(f'"p__{f.name}"' for f in table.fields), *(f'"p__or__{n}"' for n in or_problems)]
    if parent_stage:
        reason = f"the {_parent_record(contract, source)} record it sits in was rejected"
        problem_cols.append(f"CASE WHEN parent_status = 'rejected' THEN {{'rule': 'parent_rejected', "
                            f"'reason': '{reason}'}} END AS p__parent")
        problems.append("p__parent")
    any_problem = " OR ".join(f"{p} IS NOT NULL" for p in problems)
    # XML records: their order in the file (several may share a line) and their parent; a record's cells
    # for duplicates are prefixed by its parent's (a duplicate's nested records belong to its twin)
    own_key = f"array_to_string(list_transform(r.cells, c -> coalesce({_TRIM.format(x='c')}, '')), chr(31))"
    row_key = f"coalesce(parent.row_key, '') || chr(30) || {own_key}" if parent_stage else own_key
    xml_cols = ", r.record_no, r.parent_no" + (", parent.status AS parent_status" if parent_stage else "")
    join = (f" LEFT JOIN {parent_stage} AS parent ON parent.record_no = r.parent_no" if parent_stage else "")
    pk = table.primary_key
    return f"""
        CREATE OR REPLACE TEMP TABLE {stage_table_name(table.name)} AS
        WITH raw AS (
            SELECT r.line_no, {'r.record_no' if xml else 'r.line_no'} AS seq, r.unterminated_quote,
                   len(r.cells) AS n_cells, {row_key} AS row_key,
                   {', '.join(raw_cols)}{xml_cols if xml else ''}
            FROM {records} AS r{join} WHERE r.line_no > {header_line}
        ),
        typed AS (SELECT *, {', '.join(typed_cols)} FROM raw),
        first_copies AS (
            -- duplicates and shared ids by grouping, not window functions: DuckDB 1.5.6 crashed
            -- (SIGSEGV) now and then on the window version with a million-row file
            SELECT row_key, min(seq) AS first_seq FROM raw GROUP BY row_key
        ),
        judged AS (
            SELECT typed.*, {', '.join(problem_cols)},
                   CASE WHEN unterminated_quote THEN {{'rule': 'malformed_row',
                        'reason': 'a quoted value is never closed (is the file cut short?)'}}
                        WHEN n_cells <> {width} THEN {{'rule': 'malformed_row',
                        'reason': 'expected {width} cells as in the header, found ' || n_cells}} END AS p__malformed,
                   typed.seq <> first_copies.first_seq AS is_duplicate
            FROM typed JOIN first_copies ON typed.row_key = first_copies.row_key
        ),
        passed AS (
            SELECT *, NOT is_duplicate AND NOT ({any_problem}) AS passes FROM judged
        ),
        shared_ids AS (
            SELECT "{pk}" AS shared_id FROM passed WHERE passes GROUP BY "{pk}" HAVING count(*) > 1
        )
        SELECT passed.*,
               passes AND shared_ids.shared_id IS NOT NULL AS id_conflict,
               CASE WHEN is_duplicate THEN 'duplicate'
                    WHEN NOT passes OR shared_ids.shared_id IS NOT NULL THEN 'rejected'
                    ELSE 'loaded' END AS status
        FROM passed LEFT JOIN shared_ids ON passed."{pk}" = shared_ids.shared_id
        ORDER BY seq
    """


def derived_key_sql(contract: Contract, source: SourceTable, parts: tuple[str, ...], cells: dict[str, int | None]
                    ) -> str:
    """The key made of other fields' parsed values joined by '|' (dates as YYYY-MM-DD); NULL while any
    part is missing or unparseable."""
    values = []
    for name in parts:
        f = source.table.field(name)
        value = value_sql(f, contract, _raw_sql(contract, source, name, cells))
        values.append(f"strftime({value}, '%Y-%m-%d')" if f.type == "date" else f"({value})::VARCHAR")
    return " || '|' || ".join(values)


def _parent_record(contract: Contract, source: SourceTable) -> str:
    """The XML element of the record a record sits in (CINdetails for an assessment)."""
    return contract.datasets[source.dataset][source.parent].record


def _rejects_sql(contract: Contract, source: SourceTable, has_parent: bool = False) -> str:
    """One row per problem of a rejected row: its line, the file's column, the raw value, the rule,
    and the row's key where it could be read (a newer return that rejected a key still carries it)."""
    table = source.table
    stage = stage_table_name(table.name)
    pk = table.primary_key
    record_id = f'"{pk}"::VARCHAR AS record_id'

    def label(name: str) -> str:
        return source.label(name).replace("'", "''")

    def reason(name: str) -> str:
        rule = source.source(name).dfe_rule
        return f""""p__{name}".reason || ' ({rule})'""" if rule else f'"p__{name}".reason'

    parts = [
        f"""SELECT line_no, '{label(f.name)}' AS column_name, "r__{f.name}" AS raw_value,
                   "p__{f.name}".rule AS rule, {reason(f.name)} AS reason, {record_id}
            FROM {stage} WHERE status = 'rejected' AND "p__{f.name}" IS NOT NULL"""
        for f in table.fields if source.source(f.name)
    ]
    parts += [
        f"""SELECT line_no, '{src.or_element}', "p__or__{f.name}".raw, "p__or__{f.name}".rule,
                   "p__or__{f.name}".reason, {record_id}
            FROM {stage} WHERE status = 'rejected' AND "p__or__{f.name}" IS NOT NULL"""
        for f in table.fields if (src := source.source(f.name)) and src.or_element
    ]
    parts.append(
        f"""SELECT line_no, NULL, NULL, p__malformed.rule, p__malformed.reason, {record_id}
            FROM {stage} WHERE status = 'rejected' AND p__malformed IS NOT NULL"""
    )
    if has_parent:
        parts.append(f"""SELECT line_no, '{_parent_record(contract, source)}', NULL, p__parent.rule, p__parent.reason,
                                {record_id}
                         FROM {stage} WHERE status = 'rejected' AND p__parent IS NOT NULL""")
    parts.append(
        f"""SELECT line_no, '{label(pk)}', "r__{pk}", 'duplicate_id_conflict',
                   'another row in the file has the same {label(pk)}; all rows with this id are rejected',
                   {record_id}
            FROM {stage} WHERE id_conflict"""
    )
    return f"CREATE OR REPLACE TEMP TABLE {rejects_table_name(table.name)} AS " + " UNION ALL ".join(parts)


def create_empty_stage(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """The stage of a file rejected whole: no rows."""
    cols = ", ".join(f'NULL::{f.sql_type} AS "{f.name}"' for f in table.fields)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {stage_table_name(table.name)} AS "
        f"SELECT NULL::BIGINT AS line_no, 'rejected' AS status, {cols} LIMIT 0"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {rejects_table_name(table.name)} AS SELECT NULL::BIGINT AS line_no,"
        " NULL::VARCHAR AS column_name, NULL::VARCHAR AS raw_value, NULL::VARCHAR AS rule,"
        " NULL::VARCHAR AS reason, NULL::VARCHAR AS record_id LIMIT 0"
    )
