"""The ingest asset: load each LA's new or changed extracts into the raw schema.

Partitioned by LA (dynamic partitions, registered by the landing sensor). A run may cover many LAs
at once (single-run backfill policy): one process, one DuckDB writer, no per-LA start-up cost.
Built by a factory from the contract, so importing this module reads no file.
"""

import time
from pathlib import Path

import dagster as dg
from pydantic import Field

from ...core.contract import Contract
from ...core.expectations import prepare_in_background
from ...core.ingest.landing import scan_landing
from ...core.ingest.loader import ExtractResult, load_extracts
from ...core.ingest.problems import extract_problems, write_problem_report
from ...core.ingest.schema import BOOKKEEPING_DDL, RAW_SCHEMA
from ..resources import LandingFolderResource, LoadPolicyResource, WarehouseResource
from .checks import evaluate_ingest_checks, ingest_check_specs, raw_key
from .jobs import INGEST_GROUP, la_partitions


class IngestConfig(dg.Config):
    force: bool = Field(
        default=False,
        description="Load and check every extract of the run's LAs again, even unchanged ones "
                    "(after a change to a rule, a threshold or the contract).",
    )


def raw_asset_specs(contract: Contract) -> list[dg.AssetSpec]:
    specs = [
        dg.AssetSpec(raw_key(t.name), description=t.description, group_name=INGEST_GROUP, kinds={"duckdb"})
        for t in contract.tables.values()
    ]
    specs += [
        dg.AssetSpec(dg.AssetKey([RAW_SCHEMA, name]), description=f"Load bookkeeping: {name}.",
                     group_name=INGEST_GROUP, kinds={"duckdb"})
        for name in BOOKKEEPING_DDL
    ]
    return specs


def _write_problem_report(con, result: ExtractResult) -> None:
    """The council's copy of what was found, next to the extract (as `csc validate` writes it).
    A read-only landing folder is not an error: the same rows are in raw.rejects and raw.dq_failures."""
    extract = result.extract
    try:
        write_problem_report(extract_problems(con, extract.la_code, extract.extract_date, extract.dataset),
                             extract.path)
    except OSError as exc:
        result.warnings.append(f"could not write the problem report: {exc}")


def build_ingest_assets(contract: Contract) -> dg.AssetsDefinition:
    specs = raw_asset_specs(contract)

    @dg.multi_asset(
        name="raw_extracts",
        specs=specs,
        check_specs=ingest_check_specs(contract),
        partitions_def=la_partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        can_subset=False,
    )
    def raw_extracts(context: dg.AssetExecutionContext, config: IngestConfig, landing: LandingFolderResource,
                     warehouse: WarehouseResource, load_policy: LoadPolicyResource):
        """Load every new or changed extract folder of the LAs in this run, oldest first."""
        scan = scan_landing(Path(landing.path), contract)
        for error in scan.errors:
            context.log.error(error)
        for warning in scan.warnings:
            context.log.warning(warning)
        policy = load_policy.policy()
        extracts = []
        for la_code in context.partition_keys:
            if not scan.for_la(la_code):
                context.log.warning(f"LA {la_code}: no extract folders in {landing.path}")
            extracts += scan.for_la(la_code)
        loaded = []
        gx_ready = prepare_in_background()
        with warehouse.connect() as con:
            for result in load_extracts(con, contract, extracts, policy=policy, force=config.force,
                                        workers=warehouse.load_workers,
                                        after_load=_write_problem_report):
                context.log.info(result.summary())
                for warning in result.warnings:
                    context.log.warning(f"{result.extract.label}: {warning}")
                loaded.append(result)
            # Checks describe what this run loaded: an LA whose extracts were all unchanged was checked
            # when they loaded (re-validating every LA would make a one-LA refresh as slow as a national
            # load). Each LA's newest extract is checked.
            changed = {r.extract.la_code for r in loaded if not r.skipped}
            newest = [(la, e[-1].extract_date, e[-1].dataset) for la in context.partition_keys
                      if la in changed and (e := scan.for_la(la))]
            checks_start = time.perf_counter()
            gx_ready.join()  # what is left of GX's import, if the loads were quicker
            check_results = evaluate_ingest_checks(con, contract, newest)
            checks_seconds = round(time.perf_counter() - checks_start, 3)

        fresh = [r for r in loaded if not r.skipped]
        for spec in specs:
            table = spec.key.path[-1]
            files = [r.files[table] for r in fresh if table in r.files]
            yield dg.MaterializeResult(
                asset_key=spec.key,
                metadata={
                    "extracts_loaded": len(fresh),
                    "extracts_unchanged": len(loaded) - len(fresh),
                    "extracts_blocked": sum(r.blocked for r in fresh),
                    "rows_read": sum(f.rows_read for f in files),
                    "rows_loaded": sum(f.rows_loaded for f in files),
                    "rows_rejected": sum(f.rows_rejected for f in files),
                    "rows_duplicate": sum(f.rows_duplicate for f in files),
                    "checks_seconds": checks_seconds,
                },
            )
        yield from check_results

    return raw_extracts
