"""Split a UTF-8 CSV file into records of raw cells, in DuckDB, keeping physical line numbers.

DuckDB's own CSV reader is faster but cannot say which line of the file a row came from, and a
council fixing an error needs the line. So the file is read as lines (``read_text``), lines are
joined into records where a quoted field spans a line break (tracked by the parity of quote
characters), and each record is split into cells with a quote-aware regular expression. Blank
lines are not records. All of it is set-based SQL: no Python loop over rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from .encoding import FileRejected

# A cell is either a quoted string (with "" as an escaped quote) or anything up to the next comma.
# The record is prefixed with a comma so that every cell, the first included, follows one.
_CELL_PATTERN = r''',("(?:[^"]|"")*"|[^,]*)'''
_UNQUOTE = """list_transform({cells}, c -> CASE WHEN length(trim(c)) >= 2 AND trim(c) LIKE '"%"'
        THEN replace(trim(c)[2:-2], '""', '"') ELSE c END)"""


@dataclass(frozen=True)
class Header:
    names: list[str]  # normalised (trimmed, lower case), in file order
    line_no: int

    def index(self, name: str) -> int | None:
        """1-based position of a column, as DuckDB lists are indexed."""
        return self.names.index(name) + 1 if name in self.names else None


def read_records(con: duckdb.DuckDBPyConnection, source: Path, records_table: str) -> None:
    """Create TEMP table ``records_table`` (line_no, unterminated_quote, cells VARCHAR[]), header included.

    A record with an odd number of quote characters has a quoted field that never closes: the file
    was cut short, or a stray quote swallowed the rest of it. The stage step rejects such a record.
    """
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {records_table}__lines AS
        WITH split AS (SELECT string_split(content, chr(10)) AS l FROM read_text(?))
        SELECT unnest(range(1, len(l) + 1)) AS line_no, unnest(l) AS line FROM split
        """,
        [str(source)],
    )
    con.execute(
        f"""
        UPDATE {records_table}__lines SET line = line[1:-2] WHERE suffix(line, chr(13))
        """
    )
    spans_lines = con.execute(
        f"""SELECT bool_or((length(line) - length(replace(line, '"', ''))) % 2 = 1)
            FROM {records_table}__lines"""
    ).fetchone()[0]
    if spans_lines:
        # A line continues the previous record while an odd number of quotes has been seen before it.
        records_sql = f"""
            WITH parity AS (
                SELECT line_no, line,
                       coalesce(sum((length(line) - length(replace(line, '"', ''))) % 2) OVER (
                           ORDER BY line_no ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) % 2 = 1
                           AS continues
                FROM {records_table}__lines
            ),
            numbered AS (
                SELECT *, sum(CASE WHEN continues THEN 0 ELSE 1 END) OVER (ORDER BY line_no) AS record_no
                FROM parity
            )
            SELECT min(line_no) AS line_no, string_agg(line, chr(10) ORDER BY line_no) AS record
            FROM numbered GROUP BY record_no
        """
    else:
        records_sql = f"SELECT line_no, line AS record FROM {records_table}__lines"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {records_table} AS
        SELECT line_no,
               (length(record) - length(replace(record, '"', ''))) % 2 = 1 AS unterminated_quote,
               CASE WHEN contains(record, '"')
                    THEN {_UNQUOTE.format(cells=f"regexp_extract_all(',' || record, '{_CELL_PATTERN}', 1)")}
                    ELSE string_split(record, ',')
               END AS cells
        FROM ({records_sql})
        -- blank lines, and rows of nothing but separators (Excel's empty rows: ",,,,"), are not records
        WHERE NOT regexp_full_match(record, '[\s,]*')
        ORDER BY line_no
        """
    )
    con.execute(f"DROP TABLE {records_table}__lines")


def read_header(con: duckdb.DuckDBPyConnection, records_table: str, file_name: str) -> Header:
    row = con.execute(f"SELECT line_no, cells FROM {records_table} ORDER BY line_no LIMIT 1").fetchone()
    if row is None:
        raise FileRejected(f"{file_name}: the file is empty (no header row)")
    line_no, cells = row
    names = [c.replace("\ufeff", "").strip().lower() for c in cells]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise FileRejected(f"{file_name}: line {line_no}: the column {name!r} appears more than once")
        seen.add(name)
    return Header(names=names, line_no=line_no)


def count_data_records(con: duckdb.DuckDBPyConnection, records_table: str) -> int:
    """Data records: what 'rows read' counts. The first record is the header, even a broken one."""
    total = con.execute(f"SELECT count(*) FROM {records_table}").fetchone()[0]
    return max(total - 1, 0)
