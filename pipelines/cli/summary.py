"""Plain-text summaries printed by the `csc` command: loads, rejects, exclusions and the scorecard."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..core.warehouse import connect_warehouse, has_table


def _table(rows: list[tuple], headers: list[str]) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join([line, "  ".join("-" * w for w in widths), *body])


def load_summary(con: duckdb.DuckDBPyConnection) -> str:
    loads = con.execute(
        """SELECT e.la_code, e.extract_date, e.status,
                  sum(l.rows_read), sum(l.rows_loaded), sum(l.rows_rejected), sum(l.rows_duplicate),
                  sum(l.rows_excluded)
           FROM raw.extract_log e LEFT JOIN raw.load_log l USING (la_code, extract_date, dataset)
           GROUP BY ALL ORDER BY ALL"""
    ).fetchall()
    parts = ["Extracts loaded", _table(loads, ["la", "extract", "status", "read", "loaded", "rejected",
                                                "duplicate", "excluded"])]
    blocked = con.execute(
        "SELECT la_code, extract_date, block_reasons FROM raw.extract_log WHERE status = 'blocked' ORDER BY ALL"
    ).fetchall()
    for la, date, reasons in blocked:
        parts.append(f"BLOCKED {la}/{date}: {reasons}")
    rejects = con.execute(
        "SELECT table_name, rule, count(DISTINCT (la_code, extract_date, line_no)) FROM raw.rejects "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    if rejects:
        parts += ["", "Rows rejected (details in raw.rejects)", _table(rejects, ["table", "rule", "rows"])]
    checks = con.execute(
        "SELECT table_name, check_name, severity, count(*) FROM raw.dq_failures GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    if checks:
        parts += ["", "Data-quality checks that found rows (error: excluded from the marts; warn: reported)",
                  _table(checks, ["table", "check", "severity", "rows"])]
    return "\n".join(parts)


def scorecard(con: duckdb.DuckDBPyConnection) -> str:
    """Each LA's latest complete month (kpi_scorecard.is_latest_complete_month)."""
    rows = con.execute(
        """
        SELECT s.la_code, e.la_name, strftime(s.period_start, '%Y-%m'), s.kpi_id,
               CASE WHEN s.value IS NULL THEN '-' ELSE printf('%.1f', s.value) END,
               printf('%g', s.target), coalesce(s.rag, '-')
        FROM marts.kpi_scorecard s
        -- one current extract per dataset an LA sends: one name per LA
        LEFT JOIN (SELECT DISTINCT la_code, la_name FROM marts.extracts WHERE is_current) e USING (la_code)
        WHERE s.is_latest_complete_month
        ORDER BY s.la_code, s.kpi_id
        """
    ).fetchall()
    return "Scorecard (latest complete month)\n" + _table(
        rows, ["la", "name", "month", "kpi", "value", "target", "rag"]
    )


def print_warehouse_summary(warehouse: Path, with_scorecard: bool = True) -> None:
    con = connect_warehouse(warehouse, read_only=True)
    try:
        print(load_summary(con))
        if with_scorecard and has_table(con, "marts", "kpi_scorecard"):
            print()
            print(scorecard(con))
    finally:
        con.close()
