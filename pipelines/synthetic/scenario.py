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
    # the child's journey (version 2): shares are of the month's referrals unless said
    "referrals_per_month": 400,
    "referrals_growth": 0.0,  # growth across the window: 0.7 = the last month has 70% more than the first
    "re_referral_rate": 0.20,  # referrals of a child referred in the 12 months before
    "referral_nfa": 0.08,
    "sh_share": 0.12,  # judged at risk of significant harm at the referral
    "seen_within_5wd": 0.85,  # of the referrals not at risk of significant harm
    "sh_seen_within_1wd": 0.80,  # of those at risk
    "assessed_share": 0.85,  # of referrals that are not NFA
    "assessments_within_45wd": 0.80,
    "s47_share": 0.15,  # of referrals not NFA, besides every one at risk of significant harm
    "icpc_share": 0.45,  # of enquiries
    "icpc_within_15wd": 0.80,
    "cp_plan_share": 0.85,  # of initial conferences
    "cp_repeat_share": 0.15,  # plans recording an earlier plan
    "cp_advocate_share": 0.05,  # conferences where the child's views came through an advocate
    # children looked after: the number on each month's snapshot (straight line, through quotas)
    "looked_after_start": 800,
    "looked_after_end": 800,
    "lac_monthly_turnover": 0.025,  # starters (and leavers) per month, as a share of those looked after
    "lac_move_rate": 0.05,  # placement moves per month, as a share of those looked after
    "lac_in_house": 0.40,  # placement mix: in-house and agency fostering, residential care
    "lac_agency": 0.18,
    "lac_residential": 0.10,
    "lac_short_breaks_per_month": 8,
}


@dataclass(frozen=True)
class CouncilScenario:
    la_code: str
    extract_date: dt.date
    months: int = 24
    rates: dict[str, float] = field(default_factory=dict)
    month_quotas: dict[str, dict[str, float]] = field(default_factory=dict)  # "YYYY-MM" -> quotas
    formats: tuple[str, ...] = ("ssd",)  # what the council sends: SSD tables, and/or statutory returns
    returns: str = "annual"  # returns: a file per year to 31 March, or monthly year-to-date files

    def rate(self, name: str) -> float:
        return self.rates.get(name, DEFAULT_RATES[name])

    def quotas(self, month: dt.date) -> dict[str, float]:
        return self.month_quotas.get(month.strftime("%Y-%m"), {})


# Quotas a month may set besides the rates.
QUOTA_ONLY = {
    "rhi_within_72h_of_returns",  # share of all eligible returns interviewed within 72 hours
    "looked_after",  # children looked after on the month's snapshot date (a published figure)
}

# ssd: the SSD tables (CSV); ssda903 / ssda903_xml: SSDA903 returns as CSV tables or one XML file;
# cin_census: CIN census returns (XML). A council may send several (a 903 and a CIN census).
ExtractFormat = Literal["ssd", "ssda903", "ssda903_xml", "cin_census"]
FORMATS = ("ssd", "ssda903", "ssda903_xml", "cin_census")
CADENCES = ("annual", "monthly")  # returns: a file per year to 31 March, or monthly year-to-date files
RateName = Literal[tuple(DEFAULT_RATES)]
QuotaName = Literal[tuple([*DEFAULT_RATES, *sorted(QUOTA_ONLY)])]
Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")]


class CouncilSpec(Strict):
    la_code: Annotated[str, StringConstraints(pattern=r"^\d{3}$")]
    extract_date: dt.date
    months: int = Field(default=24, ge=1)
    rates: dict[RateName, float] = Field(default_factory=dict)
    months_quotas: dict[Month, dict[QuotaName, float]] = Field(default_factory=dict)
    format: ExtractFormat | list[ExtractFormat] = "ssd"
    returns: Literal[CADENCES] = "annual"


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
            formats=tuple([c.format] if isinstance(c.format, str) else c.format),
            returns=c.returns,
        )
        for c in spec.councils
    ]


def generic_scenario(la_codes: list[str], extract_date: dt.date, months: int = 24) -> list[CouncilScenario]:
    """Default behaviour for many councils (benchmarks), each with its own random stream."""
    return [CouncilScenario(la_code=la, extract_date=extract_date, months=months) for la in la_codes]
