"""Scenario files: which councils to generate, their extract dates, volumes and behaviour.

A scenario YAML has ``defaults`` (rates and volumes) and ``councils``, each with an ``la_code``, an
``extract_date`` and optional overrides: ``rates`` for the whole window, and ``months`` (keyed
``YYYY-MM``) with exact quotas for one month, used to reproduce figures from inspection reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SCENARIO_DIR = Path(__file__).with_name("scenarios")
DEMO_SCENARIO = SCENARIO_DIR / "demo.yml"

DEFAULT_RATES: dict[str, float] = {
    # volumes per month (before --scale)
    "contacts_per_month": 1000,
    "missing_per_month": 100,
    "discussions_per_month": 150,
    "teams": 25,
    "workers": 250,
    # Front Door
    "fd_within_24h": 0.70,  # share of decisions within 24 hours
    "fd_max_delay_days": 5,  # longest wait for the rest
    "fd_undecided": 0.004,  # share of older contacts never decided (the backlog)
    # return home interviews (shares of eligible returns unless said)
    "rhi_offered": 0.90,
    "rhi_completed": 0.75,
    "rhi_within_72h_of_completed": 0.60,
    "rhi_independent_of_completed": 0.80,
    "away_share": 0.10,  # type A episodes, outside the RHI KPI by default
    # strategy discussions: share of discussions each agency attended
    "sd_health": 0.70,
    "sd_police": 0.85,
    "sd_education": 0.40,
    # workforce
    "cases_per_fte": 16,
    "agency_share": 0.12,
    "case_months": 7,  # mean length of an allocation
}


@dataclass(frozen=True)
class CouncilScenario:
    la_code: str
    extract_date: dt.date
    months: int = 24
    rates: dict[str, float] = field(default_factory=dict)
    month_quotas: dict[str, dict[str, float]] = field(default_factory=dict)  # "YYYY-MM" -> quotas

    def rate(self, name: str) -> float:
        return self.rates.get(name, DEFAULT_RATES[name])

    def quotas(self, month: dt.date) -> dict[str, float]:
        return self.month_quotas.get(month.strftime("%Y-%m"), {})


def load_scenario(path: Path = DEMO_SCENARIO) -> list[CouncilScenario]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    defaults = raw.get("defaults", {})
    unknown = set(defaults) - set(DEFAULT_RATES)
    if unknown:
        raise ValueError(f"{path}: unknown default rate(s): {', '.join(sorted(unknown))}")
    councils = []
    for c in raw["councils"]:
        councils.append(CouncilScenario(
            la_code=str(c["la_code"]),
            extract_date=dt.date.fromisoformat(str(c["extract_date"])),
            months=int(c.get("months", 24)),
            rates={**defaults, **(c.get("rates") or {})},
            month_quotas={str(k): v for k, v in (c.get("months_quotas") or {}).items()},
        ))
    return councils


def generic_scenario(la_codes: list[str], extract_date: dt.date, months: int = 24) -> list[CouncilScenario]:
    """Default behaviour for many councils (benchmarks), each with its own random stream."""
    return [CouncilScenario(la_code=la, extract_date=extract_date, months=months) for la in la_codes]
