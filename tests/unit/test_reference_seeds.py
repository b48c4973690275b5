"""The reference seeds are the public ONS and DfE files, reshaped and never retyped: rebuilding them from
../shared/reference gives the committed files byte for byte, and the figures the source reports quote
are where the README of the reference folder says they are."""

from __future__ import annotations

import csv

import pytest

from pipelines.core.reference_seeds import SEEDS, render_seed
from pipelines.settings import PROJECT_ROOT, SEEDS_DIR

REFERENCE = PROJECT_ROOT.parent / "shared" / "reference"


def _rows(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / f"{name}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="../shared/reference is not beside the project")
@pytest.mark.parametrize("name", sorted(SEEDS))
def test_committed_seed_is_what_the_public_files_give(name):
    assert (SEEDS_DIR / f"{name}.csv").read_text(encoding="utf-8") == render_seed(name, REFERENCE)


def test_population_is_the_ons_mid_year_estimate():
    population = {(r["la_code"], r["year"]): int(r["population_0_17"]) for r in _rows("population_0_17")}
    # Norfolk: the denominator of DfE's 31 March 2017 rate is mid-2016 (reference README, section 6)
    assert population[("926", "2016")] == 166800
    assert population[("885", "2024")] == 120119
    # no figure is invented: the pre-2019 Dorset councils have no estimate in the file
    assert not any(la in ("835", "836", "837") for la, _ in population)


def test_neighbours_of_both_models_are_named_and_ranked():
    rows = _rows("statistical_neighbours")
    norfolk_2025 = [r["neighbour_la_code"] for r in rows if r["model"] == "2025" and r["la_code"] == "926"]
    assert norfolk_2025 == ["935", "908", "878", "830", "929", "886", "933", "925", "891", "887"]
    worcs_2021 = [r["neighbour_la_code"] for r in rows if r["model"] == "2021" and r["la_code"] == "885"]
    assert worcs_2021[:3] == ["937", "802", "881"] and len(worcs_2021) == 10
    # the 2021 model's pre-reorganisation councils ("Old SNs") are kept
    assert any(r["model"] == "2021" and r["la_code"] == "928" for r in rows)


def test_published_measures_hold_the_figures_the_reports_quote():
    value = {(r["measure_code"], r["area_code"], r["year"]): float(r["value"]) for r in _rows("dfe_published_measures")}
    assert value[("LAC", "926", "2017")] == 65  # Norfolk's 65.9 in its paper; DfE published 65
    assert value[("LACnum", "926", "2017")] == 1107
    assert value[("LACnum", "860", "2019")] == 1173
    assert value[("ReReferral", "825", "2017")] == 32.9
    assert ("LAC", "970", "2017") in value  # England
