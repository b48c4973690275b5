"""The `csc` command: generate synthetic extracts, run the pipeline, print what it found.

    csc demo                                   generate the demo extracts, run everything, print the scorecard
    csc generate --out DIR [--defects]         write synthetic council extracts
    csc run --landing DIR --warehouse PATH     load, check and build the marts in process
    csc validate DIR                           check one extract folder without loading it
    csc scorecard --warehouse PATH             print the latest scorecard
    csc sync-contract [--check]                regenerate the dbt sources, GX suites and rule seed
    csc report / export / bench                the HTML report, shareable exports, the benchmark

Settings come from the command line, then the CSC_* environment variables (docs/operations.md).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

from ..core.config import ConfigError
from ..settings import DEFAULT_DATA_DIR, PROJECT_ROOT, SEEDS_DIR, Settings, SettingsError
from ..synthetic.scenario import CADENCES, FORMATS


def _settings(args: argparse.Namespace) -> Settings:
    """The environment's settings with the command line's values on top."""
    return Settings.load(
        landing_dir=getattr(args, "landing", None),
        warehouse_path=getattr(args, "warehouse", None),
        serving_path=getattr(args, "serving", None),
        report_path=getattr(args, "report", None),
    )


def _formats(text: str) -> tuple[str, ...]:
    """--format's comma-separated list, each one of FORMATS."""
    formats = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(f"{', '.join(unknown) or text!r}: choose from {', '.join(FORMATS)}")
    return formats


def _generate(args: argparse.Namespace) -> int:
    from ..synthetic.generate import generate_landing
    from ..synthetic.scenario import load_scenario

    councils = load_scenario(Path(args.scenario)) if args.scenario else load_scenario()
    print(f"Generating {len(councils)} council extract(s) into {args.out} (seed {args.seed}, scale {args.scale})")
    start = time.perf_counter()
    generated = generate_landing(Path(args.out), councils, seed=args.seed, scale=args.scale,
                                 defects=args.defects, progress=print, formats=args.format,
                                 returns=args.returns)
    rows = sum(sum(g.rows.values()) for g in generated)
    print(f"Done: {rows:,} rows in {time.perf_counter() - start:.1f}s")
    return 0


def _run(args: argparse.Namespace) -> int:
    from ..defs.transform import dbt_profile_environment, prepared_dbt_project
    from .run import run_pipeline
    from .summary import print_warehouse_summary

    settings = _settings(args)
    print(f"Running the pipeline: landing {settings.landing_dir} -> warehouse {settings.warehouse_path}"
          + (" (forced: every extract re-checked)" if args.force else ""))
    start = time.perf_counter()
    log_path = settings.warehouse_path.parent / "last_run.log"
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    # a fresh install has no dbt manifest yet: parse the project first, for this warehouse's profile
    prepared_dbt_project(dbt_profile_environment(str(settings.warehouse_path), settings.memory_limit))
    # dbt and Dagster write a lot; keep it in a log file and print the summary that matters.
    with open(log_path, "w", buffering=1) as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        result = run_pipeline(settings, force=args.force)
    elapsed = time.perf_counter() - start
    for warning in result.landing_warnings:
        print(f"WARNING {warning}")
    for error in result.landing_errors:
        print(f"ERROR {error}")
    if result.extracts:
        print_warehouse_summary(settings.warehouse_path, with_scorecard=args.scorecard and result.transform_ok)
    for check in result.failed_checks:
        print(f"CHECK FAILED {check}")
    if not result.extracts:
        print("Nothing was loaded: no extract folders found.")
    elif not result.ingest_ok:
        print(f"Ingest failed: see {log_path}")
    elif not result.transform_ok:
        print(f"dbt build failed: see {log_path}")
    if result.transform_ok:
        print(f"\nPublished for BI tools (read-only): {settings.serving_path}")
        print(f"KPI report: {settings.report_path}")
    print(f"\nFinished in {elapsed:.1f}s; log: {log_path}")
    return 0 if result.ok else 1


def _validate(args: argparse.Namespace) -> int:
    from collections import Counter

    from ..core.ingest.problems import write_problem_report
    from ..core.ingest.quality import LoadPolicy
    from ..core.ingest.validate import validate_folder

    settings = _settings(args)
    folder = Path(args.folder)
    validation = validate_folder(folder, LoadPolicy(settings.dq_block_threshold, settings.caseload_ceiling))
    print(f"Validating {folder}")
    for result in validation.results:
        for name, f in result.files.items():
            state = f"REJECTED: {f.file_error}" if f.rejected_whole else (
                f"{f.rows_read} rows: {f.rows_loaded} would load, {f.rows_rejected} rejected, "
                f"{f.rows_duplicate} duplicates, {result.excluded.get(name, 0)} excluded by checks")
            print(f"  {f.file_name}: {state}")
    by_rule = Counter(zip(validation.problems["severity"], validation.problems["rule"], strict=True))
    for (severity, rule), count in sorted(by_rule.items()):
        print(f"  {severity:5}  {rule}: {count}")
    blocked = [r for r in validation.results if r.blocked]
    if not validation.results:
        verdict = "NOT LOADABLE: " + validation.problems["problem"].iloc[0]
    elif blocked:
        verdict = "would be BLOCKED: " + "; ".join(
            ("" if r.extract.dataset == "ssd" else f"{r.extract.dataset}: ") + reason
            for r in blocked for reason in r.block_reasons)
    elif validation.errors:
        verdict = f"would load, but {validation.errors} error-level problem(s) would keep rows out of the KPIs"
    else:
        verdict = "would load with no error-level problem"
    print(f"Verdict: {verdict}")
    report_dir = Path(args.report_dir) if args.report_dir else folder
    try:
        paths = write_problem_report(validation.problems, report_dir)
        print("Report: " + ", ".join(str(p) for p in paths))
    except OSError as exc:
        print(f"Could not write the report to {report_dir}: {exc}")
    return 0 if validation.would_load_cleanly else 1


def _export(args: argparse.Namespace) -> int:
    from ..core.export import write_child_level, write_shareable
    from ..core.privacy import PseudonymKeyMissing
    from ..core.warehouse import connect_warehouse

    if not (args.shareable or args.child_level):
        print("Say what to export: --shareable (suppressed benchmark) and/or --child-level (pseudonymised)")
        return 2
    settings = _settings(args)
    con = connect_warehouse(settings.warehouse_path, read_only=True)
    try:
        written = []
        if args.shareable:
            written += write_shareable(con, Path(args.out))
        if args.child_level:
            try:
                written += write_child_level(con, Path(args.out), settings.pseudonym_key)
            except PseudonymKeyMissing as exc:
                print(f"Refused: {exc}")
                return 2
    finally:
        con.close()
    for path in written:
        print(f"wrote {path}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from ..core.report import write_kpi_report
    from ..core.warehouse import connect_warehouse

    con = connect_warehouse(_settings(args).warehouse_path, read_only=True)
    try:
        path = write_kpi_report(con, Path(args.out))
    finally:
        con.close()
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from .bench import format_table, run_bench, write_json

    result = run_bench(args.las, args.months, args.scale, args.repeat,
                       workdir=Path(args.workdir) if args.workdir else None)
    print(format_table(result))
    if args.json:
        write_json(result, Path(args.json))
        print(f"wrote {args.json}")
    return 0


def _scorecard(args: argparse.Namespace) -> int:
    from .summary import print_warehouse_summary

    print_warehouse_summary(_settings(args).warehouse_path)
    return 0


def _demo(args: argparse.Namespace) -> int:
    data = Path(args.data_dir)
    landing, warehouse = data / "landing", data / "warehouse.duckdb"
    code = _generate(argparse.Namespace(out=landing, scenario=None, seed=42, scale=1.0, defects=False, format=None,
                                        returns=None))
    code = code or _run(argparse.Namespace(landing=landing, warehouse=warehouse, serving=None, report=None,
                                           scorecard=True, force=False))
    print(f"\nWarehouse: {warehouse.resolve()} (schemas marts, intermediate, staging, raw)")
    print("Dagster UI: make dev, then open http://127.0.0.1:3000")
    return code


def _sync_contract(args: argparse.Namespace) -> int:
    from ..core.derived_files import stale_files, write_files

    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"out of date: {path}")
        return 1 if stale else 0
    for path in write_files():
        print(f"wrote {path}")
    return 0


def _reference_seeds(args: argparse.Namespace) -> int:
    from ..core.reference_seeds import write_reference_seeds

    reference = Path(args.reference)
    if not reference.is_dir():
        print(f"csc: {reference} is not a folder (expected the layout of ../shared/reference)")
        return 2
    for path in write_reference_seeds(reference, SEEDS_DIR):
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="csc",
        description="Children's social care KPI warehouse: council extracts in, Ofsted-ready KPI marts out.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write synthetic council extracts to a landing folder",
                         description="Write deterministic synthetic extracts (every contract table) for the "
                                     "councils of a scenario file.")
    gen.add_argument("--out", required=True, help="landing folder to write <la>/<date>/<table>.csv into")
    gen.add_argument("--scenario", help="scenario YAML (default: the shipped demo of four councils)")
    gen.add_argument("--seed", type=int, default=42, help="random seed (default 42): same seed, same files")
    gen.add_argument("--scale", type=float, default=1.0, help="volume factor (default 1.0: a mid-sized county)")
    gen.add_argument("--defects", action="store_true",
                     help="inject faults (bad dates, missing ids, duplicates, end-before-start, unknown codes) "
                          "and Excel-style variations; the expected outcome is written to <out>/.defects.json")
    gen.add_argument("--format", type=_formats, metavar="FORMAT[,FORMAT]",
                     help="what every council sends, one or more of: ssd (the SSD tables), ssda903 (SSDA903 CSV "
                          "returns), ssda903_xml (one SSDA903 XML per return), cin_census (one CIN census XML per "
                          "return); e.g. ssda903,cin_census. Default: each council's format in the scenario")
    gen.add_argument("--returns", choices=CADENCES,
                     help="returns as annual files to 31 March (and the year to date), or monthly year-to-date "
                          "files in the latest year; default: the scenario's (annual)")
    gen.set_defaults(func=_generate)

    run = sub.add_parser("run", help="load a landing folder and build every mart, in process",
                         description="Ingest every new or changed extract, run the checks and dbt build. Exits 1 "
                                     "when an extract is blocked, a folder is unreadable or nothing was loaded.")
    run.add_argument("--landing", help="landing folder (default: $CSC_LANDING_DIR, else data/landing)")
    run.add_argument("--warehouse", help="DuckDB warehouse file (default: $CSC_WAREHOUSE_PATH, else "
                                         "data/warehouse.duckdb)")
    run.add_argument("--serving", help="the BI serving file to publish (default: $CSC_SERVING_PATH, else "
                                       "serving.duckdb beside the warehouse)")
    run.add_argument("--report", help="the HTML KPI report (default: $CSC_REPORT_PATH, else kpi_report.html "
                                      "beside the serving file)")
    run.add_argument("--force", action="store_true",
                     help="load and check every extract again, even unchanged ones (after a rule or threshold change)")
    run.add_argument("--no-scorecard", dest="scorecard", action="store_false", help="do not print the scorecard")
    run.set_defaults(func=_run)

    demo = sub.add_parser("demo", help="generate the demo extracts, run everything and print the scorecard")
    demo.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR),
                      help="where to put it (default: %(default)s)")
    demo.set_defaults(func=_demo)

    val = sub.add_parser("validate", help="check one extract folder without loading it; write a problem report",
                         description="Check <landing>/<la_code>/<YYYY-MM-DD> exactly as the loader would, without "
                                     "touching the warehouse. Writes validation_report.csv and .xlsx (one row per "
                                     "problem, with a plain-English fix). Exit 0 when it would load with no "
                                     "error-level problem, 1 otherwise.")
    val.add_argument("folder", help="the extract folder, e.g. landing/885/2024-07-20")
    val.add_argument("--report-dir", help="where to write the report (default: the extract folder itself)")
    val.set_defaults(func=_validate)

    exp = sub.add_parser("export", help="write shareable (suppressed) KPIs or pseudonymised child-level data",
                         description="--shareable: per-LA monthly KPIs with regional and all-LA figures, counts 1-4 "
                                     "and what would reveal them suppressed (CSV and Parquet). --child-level: the "
                                     "Front Door's open contacts with keyed pseudonyms (needs CSC_PSEUDONYM_KEY).")
    exp.add_argument("--warehouse", help="default: $CSC_WAREHOUSE_PATH, else data/warehouse.duckdb")
    exp.add_argument("--out", required=True, help="folder to write into")
    exp.add_argument("--shareable", action="store_true", help="the disclosure-controlled benchmark")
    exp.add_argument("--child-level", action="store_true", help="pseudonymised open contacts (internal sharing)")
    exp.set_defaults(func=_export)

    rep = sub.add_parser("report", help="render the self-contained HTML KPI report",
                         description="Scorecard with RAG status, trend charts with targets and the all-council "
                                     "average, and the Front Door's open contacts by hours waiting, per LA.")
    rep.add_argument("--warehouse", help="warehouse or serving file (default: $CSC_WAREHOUSE_PATH, else "
                                         "data/warehouse.duckdb)")
    rep.add_argument("--out", required=True, help="the HTML file to write")
    rep.set_defaults(func=_report)

    bench = sub.add_parser("bench", help="measure every stage at a chosen scale against DuckDB's own floor",
                           description="Generate --las councils x --months months, then time the floor (plain "
                                       "read_csv), the whole run (ingest, checks, dbt, publish), peak memory, and "
                                       "a one-LA refresh; medians of --repeat runs.")
    bench.add_argument("--las", type=int, default=4, help="number of councils (default 4, at most 153)")
    bench.add_argument("--months", type=int, default=24, help="months of data per council (default 24)")
    bench.add_argument("--scale", type=float, default=1.0, help="volume factor per council (default 1.0)")
    bench.add_argument("--repeat", type=int, default=3, help="repetitions; medians are reported (default 3)")
    bench.add_argument("--json", help="also write the results to this JSON file")
    bench.add_argument("--workdir", help="where to generate and build (default: a temporary folder)")
    bench.set_defaults(func=_bench)

    card = sub.add_parser("scorecard", help="print the load summary and latest scorecard of a warehouse")
    card.add_argument("--warehouse", help="default: $CSC_WAREHOUSE_PATH, else data/warehouse.duckdb")
    card.set_defaults(func=_scorecard)

    sync = sub.add_parser("sync-contract", help="regenerate the dbt sources, GX suites and dq_checks seed from the "
                                                "contract and rule registry")
    sync.add_argument("--check", action="store_true", help="only report files that are out of date (exit 1)")
    sync.set_defaults(func=_sync_contract)

    ref = sub.add_parser("reference-seeds", help="rebuild the ONS and DfE reference seeds from their public files",
                         description="Rewrite seeds/population_0_17.csv, statistical_neighbours.csv and "
                                     "dfe_published_measures.csv from a folder laid out as ../shared/reference "
                                     "(after ONS or DfE publish a new year); commit the result.")
    ref.add_argument("--reference", default=str(PROJECT_ROOT.parent / "shared" / "reference"),
                     help="the reference folder (default: %(default)s)")
    ref.set_defaults(func=_reference_seeds)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (SettingsError, ConfigError) as exc:
        print(f"csc: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
