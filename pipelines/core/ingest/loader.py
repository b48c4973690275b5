"""Load council extracts into the raw schema, each all or nothing, several councils at a time.

Each table file is staged (typed, rejected or de-duplicated) in TEMP tables, the cross-row checks
run, the block decision is taken, and only then is the warehouse changed: in one transaction the
rows previously loaded from the same extract folder are replaced. A crash or an error anywhere
leaves the warehouse exactly as it was. Loading an unchanged folder again is skipped (content hash).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

import duckdb

from ..contract import SSD, Contract
from ..returns.xml_stage import stage_xml
from ..warehouse import has_table
from .landing import Extract
from .quality import DEFAULT_POLICY, DQ_TABLE, LoadPolicy, block_reasons, excluded_counts, run_checks
from .schema import BOOKKEEPING_DDL, LINE_COLUMN, RAW_SCHEMA, ensure_raw_schema
from .stage import FileResult, count_rows, create_empty_stage, rejects_table_name, stage_file, stage_table_name


@dataclass
class ExtractResult:
    extract: Extract
    skipped: bool = False  # unchanged since the last load
    files: dict[str, FileResult] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)
    block_reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dq_counts: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (table, check, severity) -> rows

    @property
    def blocked(self) -> bool:
        return bool(self.block_reasons)

    @property
    def status(self) -> str:
        return "blocked" if self.blocked else "loaded"

    def summary(self) -> str:
        if self.skipped:
            return f"{self.extract.label}: unchanged since last load, skipped"
        files = [f for f in self.files.values() if f.reconciled]
        read = sum(f.rows_read for f in files)
        loaded = sum(f.rows_loaded for f in files)
        rejected = sum(f.rows_rejected for f in files)
        dup = sum(f.rows_duplicate for f in files)
        excl = sum(self.excluded.values())
        text = (
            f"{self.extract.label}: {self.status}; {len(files)} files, {read} rows read, {loaded} loaded, "
            f"{rejected} rejected, {dup} duplicates, {excl} excluded by checks"
        )
        return text + "".join(f"\n    BLOCKED: {r}" for r in self.block_reasons)


def loaded_hash(con: duckdb.DuckDBPyConnection, extract: Extract) -> str | None:
    row = con.execute(
        f"SELECT content_hash FROM {RAW_SCHEMA}.extract_log WHERE la_code = ? AND extract_date = ? AND dataset = ?",
        [extract.la_code, extract.extract_date, extract.dataset],
    ).fetchone()
    return row[0] if row else None


def las_with_new_extracts(con: duckdb.DuckDBPyConnection | None, extracts: list[Extract]) -> set[str]:
    """The LAs with an extract not loaded yet, or whose files changed since it loaded (``con``: the
    warehouse, None when there is none yet)."""
    if con is None or not has_table(con, RAW_SCHEMA, "extract_log"):
        return {e.la_code for e in extracts}
    loaded = {(la, date, dataset): content_hash for la, date, dataset, content_hash in con.execute(
        f"SELECT la_code, extract_date, dataset, content_hash FROM {RAW_SCHEMA}.extract_log").fetchall()}
    key = attrgetter("la_code", "extract_date", "dataset")
    seen = [e for e in extracts if key(e) in loaded]
    # hashing the files is the time here (1 GB at 152 LAs); hashlib lets go of the GIL, so two threads halve it
    with ThreadPoolExecutor(max_workers=2) as pool:
        hashes = list(pool.map(Extract.content_hash, seen))
    return ({e.la_code for e in extracts if key(e) not in loaded}
            | {e.la_code for e, content_hash in zip(seen, hashes, strict=True) if content_hash != loaded[key(e)]})


def load_extract(
    con: duckdb.DuckDBPyConnection, contract: Contract, extract: Extract, *, policy: LoadPolicy = DEFAULT_POLICY,
    force: bool = False,
) -> ExtractResult:
    """Load one extract folder (skipped when its files are unchanged, unless ``force``: re-check it
    after a rule or threshold change)."""
    ensure_raw_schema(con, contract)
    with _one_thread_per_statement(con):
        return _load(con, contract, extract, policy, force)


def load_extracts(
    con: duckdb.DuckDBPyConnection, contract: Contract, extracts: list[Extract], *,
    policy: LoadPolicy = DEFAULT_POLICY, force: bool = False, workers: int = 2,
    after_load: Callable[[duckdb.DuckDBPyConnection, ExtractResult], None] | None = None,
) -> Iterator[ExtractResult]:
    """Load many councils' extracts, each LA's oldest first, ``workers`` LAs at a time.

    Each statement runs on one thread (``_one_thread_per_statement``), so the cores are used by loading
    LAs side by side, each on its own connection to the one database (its own TEMP tables and
    transactions; DuckDB appends from several connections never conflict). One LA's extracts stay in
    order on one connection: a return is stacked on the older ones already loaded. ``after_load`` runs on
    the loading connection after each extract (the problem report); results are yielded, in the calling
    thread, as each LA finishes. An error stops its LA only; it is raised once every other LA is loaded.
    """
    ensure_raw_schema(con, contract)
    by_la: dict[str, list[Extract]] = {}
    for extract in extracts:
        by_la.setdefault(extract.la_code, []).append(extract)

    def load_la(la_extracts: list[Extract]) -> list[ExtractResult]:
        cursor = con.cursor()
        try:
            results = []
            for extract in la_extracts:
                results.append(_load(cursor, contract, extract, policy, force))
                if after_load and not results[-1].skipped:
                    after_load(cursor, results[-1])
            return results
        finally:
            cursor.close()

    with _one_thread_per_statement(con), ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(load_la, la_extracts) for la_extracts in by_la.values()]
        failures = []
        for future in as_completed(futures):
            try:
                yield from future.result()
            except Exception as exc:  # noqa: BLE001 - the other councils still load; raised below
                failures.append(exc)
    if failures:
        # each extract is its own transaction: the failed one left the warehouse as it was, its LA's later
        # extracts were not tried, and every other LA is loaded
        raise failures[0]


@contextmanager
def _one_thread_per_statement(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB 1.5.6 intermittently crashed (SIGSEGV) in the staging statement on million-row files:
    first multi-threaded (about 1 run in 8), later single-threaded too, always in its window functions,
    so staging groups instead (stage.py) and each statement runs on one thread; the cores are used by
    loading councils side by side (load_extracts). The setting is the database's, so it is restored."""
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        con.execute(f"SET threads = {threads}")


def _load(con: duckdb.DuckDBPyConnection, contract: Contract, extract: Extract, policy: LoadPolicy, force: bool
          ) -> ExtractResult:
    result = ExtractResult(extract)
    content_hash = extract.content_hash()
    previous_hash = loaded_hash(con, extract)
    if not force and previous_hash == content_hash:
        result.skipped = True
        return result

    result.warnings += [f"{name}: not a file of any dataset; ignored" for name in extract.ignored]
    result.warnings += [f"{name}: a table of the {extract.dataset} return this version does not use"
                        for name in extract.not_used]
    _stage_and_check(con, contract, extract, result, policy)
    _write(con, contract, result, content_hash, replacing=previous_hash is not None)
    _drop_stage(con, contract)
    return result


def _stage_and_check(
    con: duckdb.DuckDBPyConnection, contract: Contract, extract: Extract, result: ExtractResult, policy: LoadPolicy
) -> None:
    if extract.rejected:
        _reject_whole(con, contract, extract, result)
        return
    with tempfile.TemporaryDirectory(prefix="csc-load-") as workdir:
        xml_tables: dict[Path, list[str]] = {}
        for name, path in extract.files.items():
            if path.suffix.lower() == ".xml":  # one XML return holds all its tables: read once, below
                xml_tables.setdefault(path, []).append(name)
                continue
            source = contract.source_table(extract.dataset, name)
            result.files[name] = stage_file(con, contract, source, path, Path(workdir))
        for path, names in xml_tables.items():
            result.files |= stage_xml(con, contract, [contract.source_table(extract.dataset, n) for n in names], path,
                                      extract.extract_date)
        if extract.dataset != SSD:
            _warn_of_carried_keys(con, contract, extract, result.files)
        for file_result in result.files.values():
            result.warnings += file_result.warnings
    ok_tables = {name for name, r in result.files.items() if not r.rejected_whole}
    run_checks(con, contract, extract, ok_tables, policy)
    result.excluded = excluded_counts(con)
    result.dq_counts = {
        (t, c, s): n
        for t, c, s, n in con.execute(
            f"SELECT table_name, check_name, severity, count(*) FROM {DQ_TABLE} GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    }
    result.block_reasons = block_reasons(contract.datasets[extract.dataset].values(), result.files, result.excluded,
                                         policy.dq_block_threshold)


def _warn_of_carried_keys(con: duckdb.DuckDBPyConnection, contract: Contract, extract: Extract,
                          files: dict[str, FileResult]) -> None:
    """Stacking (statutory-returns.md): a key this return read but rejected, which an older return loaded,
    is still carried by this return, so the older row is used unchanged. The load report says so."""
    for name, fr in files.items():
        if not fr.rows_rejected:
            continue
        pk = contract.table(name).primary_key
        carried, example = con.execute(
            f"""SELECT count(DISTINCT record_id), min(record_id) FROM {rejects_table_name(name)}
                WHERE record_id IN (SELECT "{pk}" FROM {RAW_SCHEMA}.{name}
                                    WHERE la_code = ? AND dataset = ? AND extract_date < ?)""",
            [extract.la_code, extract.dataset, extract.extract_date],
        ).fetchone()
        if carried:
            fr.warnings.append(f"{fr.file_name}: {carried} rejected row(s) carry a key an older return loaded "
                               f"(e.g. {example}): the older row is used unchanged until this return is corrected")


def _reject_whole(con: duckdb.DuckDBPyConnection, contract: Contract, extract: Extract, result: ExtractResult
                  ) -> None:
    """A dataset rejected whole (two returns of one kind in the folder): every table present gets one
    reconciliation row, all its rows read and rejected, the reason as its file error; blocked."""
    with tempfile.TemporaryDirectory(prefix="csc-load-") as workdir:
        for name, paths in extract.rejected_files.items():
            source = contract.source_table(extract.dataset, name)
            rows = sum(count_rows(con, source, path, Path(workdir)) for path in paths)
            result.files[name] = FileResult(table=name, file_name=", ".join(p.name for p in paths), rows_read=rows,
                                            rows_rejected=rows, file_error=extract.rejected)
            create_empty_stage(con, source.table)
    run_checks(con, contract, extract, set(), DEFAULT_POLICY)  # nothing to check: an empty findings table
    result.block_reasons = block_reasons(contract.datasets[extract.dataset].values(), result.files, {}, 1.0)


def _write(
    con: duckdb.DuckDBPyConnection, contract: Contract, result: ExtractResult, content_hash: str, replacing: bool
) -> None:
    ex = result.extract
    key = [ex.la_code, ex.extract_date]
    now = dt.datetime.now().replace(microsecond=0)
    con.execute("BEGIN TRANSACTION")
    try:
        # A corrected extract replaces what was loaded from the same folder for its dataset. (A new
        # extract has nothing to delete, and skipping the scan of every raw table matters when 150
        # councils load at once.)
        for name in [*contract.table_names, *BOOKKEEPING_DDL] if replacing else []:
            con.execute(f"DELETE FROM {RAW_SCHEMA}.{name} WHERE la_code = ? AND extract_date = ? AND dataset = ?",
                        [*key, ex.dataset])
        for name, fr in result.files.items():
            table = contract.table(name)
            cols = ", ".join(f'"{f}"' for f in table.field_names)
            con.execute(
                f"INSERT INTO {RAW_SCHEMA}.{name} (la_code, extract_date, dataset, {LINE_COLUMN}, {cols}) "
                f"SELECT ?, ?, ?, line_no, {cols} FROM {stage_table_name(name)} WHERE status = 'loaded'",
                [*key, ex.dataset],
            )
            con.execute(
                f"INSERT INTO {RAW_SCHEMA}.rejects (la_code, extract_date, table_name, file_name, line_no,"
                f" column_name, raw_value, rule, reason, dataset, record_id)"
                f" SELECT ?, ?, ?, ?, line_no, column_name, raw_value, rule, reason, ?, record_id"
                f" FROM {rejects_table_name(name)}",
                [*key, name, fr.file_name, ex.dataset],
            )
            if not fr.reconciled:
                continue
            source = contract.source_table(ex.dataset, name)
            con.execute(
                f"INSERT INTO {RAW_SCHEMA}.load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [*key, name, fr.file_name, fr.encoding, fr.rows_read, fr.rows_loaded, fr.rows_rejected,
                 fr.rows_duplicate, result.excluded.get(name, 0), fr.file_error, fr.warnings, now, ex.dataset,
                 source.reconciliation_name],
            )
        con.execute(
            f"INSERT INTO {RAW_SCHEMA}.dq_failures (la_code, extract_date, table_name, record_id, line_no, check_name,"
            f" severity, detail, dataset) SELECT ?, ?, table_name, record_id, line_no, check_name, severity, detail, ?"
            f" FROM {DQ_TABLE}",
            [*key, ex.dataset],
        )
        con.execute(
            f"INSERT INTO {RAW_SCHEMA}.extract_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*key, ex.as_at, content_hash, result.status, "; ".join(result.block_reasons) or None,
             sorted(result.files), result.warnings, now, ex.dataset],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _drop_stage(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    for name in contract.table_names:
        con.execute(f"DROP TABLE IF EXISTS {stage_table_name(name)}")
        con.execute(f"DROP TABLE IF EXISTS {rejects_table_name(name)}")
    con.execute(f"DROP TABLE IF EXISTS {DQ_TABLE}")
