"""`csc bench`: how long each stage takes at a chosen scale, against what DuckDB alone needs.

For --las councils x --months months at --scale, it generates a landing folder, then repeats
(--repeat, default 3) on a fresh warehouse each time: the floor (DuckDB `read_csv` of every file into a
table, no checks), the whole pipeline (`csc run` in process: ingest with its checks, dbt build,
publish), and the refresh after one LA sends a new extract with every LA loaded. Each repetition runs
in its own process so peak memory is measured cleanly. Medians are reported, as a table and as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from ..core.ingest.landing import known_la_codes
from ..settings import Settings

STEP_KEYS = {"ingest": "raw_extracts", "dbt": "csc_dbt_models", "publish": "serving__marts"}
EXTRACT_DATE = dt.date(2024, 7, 31)


class PeakMemory(threading.Thread):
    """Samples the resident memory of this process and, apart, of its child processes (dbt runs as a
    subprocess) every 0.2 s: getrusage cannot tell them apart (a forked child inherits its parent's
    high-water mark)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.pipeline_mb = self.dbt_mb = 0.0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.2):
            self.pipeline_mb = max(self.pipeline_mb, _rss_mb(os.getpid()))
            self.dbt_mb = max(self.dbt_mb, sum(_rss_mb(pid) for pid in _descendants(os.getpid())))

    def stop(self) -> dict[str, float]:
        self._done.set()
        self.join()
        return {"peak_rss_mb": max(self.pipeline_mb, self.dbt_mb), "pipeline_peak_rss_mb": self.pipeline_mb,
                "dbt_peak_rss_mb": self.dbt_mb}


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:  # the process has ended
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    children = []
    for tid_dir in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(c) for c in (tid_dir / "children").read_text().split()]
        except OSError:
            continue
    return children + [d for c in children for d in _descendants(c)]


def _floor(landing: Path, workdir: Path) -> float:
    import duckdb

    con = duckdb.connect(str(workdir / "floor.duckdb"))
    start = time.perf_counter()
    for i, path in enumerate(sorted(landing.rglob("*.csv"))):
        con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv('{path}', all_varchar = true)")
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def _run_once(landing: str, workdir: str, refresh_la: str, queue) -> None:
    """One repetition, in a fresh process: a full run, then a one-LA refresh."""
    from ..synthetic.generate import generate_landing
    from ..synthetic.scenario import generic_scenario
    from .run import run_pipeline

    work = Path(workdir)
    log = open(work / "run.log", "w", buffering=1)  # noqa: SIM115 - lives as long as this worker process
    sys.stdout = sys.stderr = log
    memory = PeakMemory()
    memory.start()
    start = time.perf_counter()
    result = run_pipeline(Settings.load({}, landing_dir=landing, warehouse_path=work / "warehouse.duckdb"))
    run_seconds = time.perf_counter() - start
    assert result.ingest_ok and result.transform_ok, result
    refresh_landing = work / "refresh"
    shutil.copytree(landing, refresh_landing, symlinks=True)
    generate_landing(refresh_landing, generic_scenario([refresh_la], EXTRACT_DATE + dt.timedelta(days=31)), seed=99)
    start = time.perf_counter()
    refreshed = run_pipeline(Settings.load({}, landing_dir=refresh_landing, warehouse_path=work / "warehouse.duckdb"))
    refresh_seconds = time.perf_counter() - start
    assert refreshed.ingest_ok and refreshed.transform_ok, refreshed
    queue.put({"run_seconds": run_seconds, "refresh_one_la_seconds": refresh_seconds,
               **{f"{name}_seconds": result.step_seconds.get(step, 0.0) for name, step in STEP_KEYS.items()},
               "checks_seconds": result.checks_seconds, **memory.stop()})


def run_bench(las: int, months: int, scale: float, repeat: int, workdir: Path | None = None, progress=print) -> dict:
    from ..synthetic.generate import generate_landing
    from ..synthetic.scenario import generic_scenario

    codes = sorted(known_la_codes())[:las]
    if len(codes) < las:
        raise ValueError(f"only {len(codes)} LA codes are known (seeds/la_reference.csv)")
    root = Path(workdir or tempfile.mkdtemp(prefix="csc-bench-"))
    landing = root / "landing"
    shutil.rmtree(landing, ignore_errors=True)
    progress(f"Generating {las} LAs x {months} months at scale {scale} into {landing}")
    start = time.perf_counter()
    generated = generate_landing(landing, generic_scenario(codes, EXTRACT_DATE, months), seed=1, scale=scale)
    generation = time.perf_counter() - start
    rows = sum(sum(g.rows.values()) for g in generated)
    size_mb = sum(p.stat().st_size for p in landing.rglob("*.csv")) / 2**20
    progress(f"  {rows:,} rows, {size_mb:,.0f} MB in {generation:.1f}s")

    runs, floors = [], []
    context = multiprocessing.get_context("spawn")
    for i in range(repeat):
        work = root / f"run{i}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        floors.append(_floor(landing, work))
        queue = context.Queue()
        proc = context.Process(target=_run_once, args=(str(landing), str(work), codes[0], queue))
        proc.start()
        measured = queue.get()
        proc.join()
        runs.append(measured)
        progress(f"  run {i + 1}/{repeat}: floor {floors[-1]:.1f}s, run {measured['run_seconds']:.1f}s "
                 f"(ingest {measured['ingest_seconds']:.1f}s incl. checks {measured['checks_seconds']:.1f}s, "
                 f"dbt {measured['dbt_seconds']:.1f}s, publish {measured['publish_seconds']:.1f}s), "
                 f"refresh one LA {measured['refresh_one_la_seconds']:.1f}s, peak {measured['peak_rss_mb']:.0f} MB "
                 f"(pipeline {measured['pipeline_peak_rss_mb']:.0f}, dbt {measured['dbt_peak_rss_mb']:.0f})")
        shutil.rmtree(work, ignore_errors=True)

    result = {"las": las, "months": months, "scale": scale, "rows": rows, "csv_mb": round(size_mb, 1),
              "repeat": repeat, "generation_seconds": round(generation, 2),
              "floor_seconds": round(statistics.median(floors), 2)}
    for key in runs[0]:
        result[key] = round(statistics.median(r[key] for r in runs), 2)
    result["rows_per_second"] = round(rows / result["run_seconds"])
    result["run_vs_floor"] = round(result["run_seconds"] / result["floor_seconds"], 1)
    return result


def format_table(result: dict) -> str:
    lines = [f"{'measure':<26}{'median':>12}"]
    for key, value in result.items():
        lines.append(f"{key:<26}{value:>12,}" if isinstance(value, int) else f"{key:<26}{value:>12}")
    return "\n".join(lines)


def write_json(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")
