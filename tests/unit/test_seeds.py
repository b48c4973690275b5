"""Reference seeds: the bank holidays and LA codes the KPI rules depend on."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter

from pipelines.settings import SEEDS_DIR


def _rows(name):
    with (SEEDS_DIR / f"{name}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_bank_holidays_cover_2010_to_2030_with_one_offs_and_substitute_days():
    days = {dt.date.fromisoformat(r["holiday_date"]) for r in _rows("bank_holidays_england_wales")}
    per_year = Counter(d.year for d in days)
    assert sorted(per_year) == list(range(2010, 2031))
    assert {y: n for y, n in per_year.items() if n != 8} == {2011: 9, 2012: 9, 2022: 10, 2023: 9}
    for one_off in ["2011-04-29", "2012-06-05", "2020-05-08", "2022-06-03", "2022-09-19", "2023-05-08"]:
        assert dt.date.fromisoformat(one_off) in days
    for substitute in ["2021-12-27", "2021-12-28", "2022-01-03", "2022-12-27", "2027-12-27", "2027-12-28"]:
        assert dt.date.fromisoformat(substitute) in days
    assert dt.date(2020, 5, 4) not in days  # moved to VE day
    assert dt.date(2022, 5, 30) not in days  # moved to 2 June
    assert all(d.weekday() < 5 for d in days)


def test_la_reference_has_every_english_la_and_the_demo_councils():
    rows = _rows("la_reference")
    codes = {r["la_code"]: r for r in rows}
    assert len(codes) == len(rows) == 153
    assert {c: codes[c]["la_name"] for c in ("885", "860", "926", "825")} == {
        "885": "Worcestershire", "860": "Staffordshire", "926": "Norfolk", "825": "Buckinghamshire"}
    assert all(len(c) == 3 and r["ons_code"].startswith("E") and r["region"] for c, r in codes.items())
