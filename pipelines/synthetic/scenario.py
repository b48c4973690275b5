"""Scenario files: which councils to generate, their extract dates, volumes and behaviour.

A scenario YAML has ``defaults`` (rates and volumes) and ``councils``, each with an ``la_code``, an
``extract_date`` and optional overrides: ``rates`` for the whole window, and ``months`` (keyed
``YYYY-MM``) with exact quotas for one month, used to reproduce figures from inspection reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ..core.config import Strict, load_yaml_model

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


# Quotas a month may set besides the rates.
QUOTA_ONLY = {"rhi_within_72h_of_returns"}  # share of all eligible returns interviewed within 72 hours

RateName = Literal[tuple(DEFAULT_RATES)]
QuotaName = Literal[tuple([*DEFAULT_RATES, *sorted(QUOTA_ONLY)])]
Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")]


class CouncilSpec(Strict):
    la_code: Annotated[str, StringConstraints(pattern=r"^\d{3}$")]
    extract_date: dt.date
    months: int = Field(default=24, ge=1)
    rates: dict[RateName, float] = Field(default_factory=dict)
    months_quotas: dict[Month, dict[QuotaName, float]] = Field(default_factory=dict)


class ScenarioFile(Strict):
    defaults: dict[RateName, float] = Field(default_factory=dict)
    councils: list[CouncilSpec]


def load_scenario(path: Path = DEMO_SCENARIO) -> list[CouncilScenario]:
    """The councils of a scenario file; an unknown key or rate is an error naming the file and line."""
    spec = load_yaml_model(path, ScenarioFile)
    return [
        CouncilScenario(
            la_code=c.la_code,
            extract_date=c.extract_date,
            months=c.months,
            rates={**spec.defaults, **c.rates},
            month_quotas={month: dict(quotas) for month, quotas in c.months_quotas.items()},
        )
        for c in spec.councils
    ]


def generic_scenario(la_codes: list[str], extract_date: dt.date, months: int = 24) -> list[CouncilScenario]:
    """Default behaviour for many councils (benchmarks), each with its own random stream."""
    return [CouncilScenario(la_code=la, extract_date=extract_date, months=months) for la in la_codes]
