"""Generate one council's contract tables as data frames, consistent across tables.

Vectorised with numpy, one month at a time (a loop over months and tables, never over rows).
Shares within a month are exact counts (round(share x n)), not coin flips, so a scenario quota such
as "61% of July's returns had an interview" appears in the marts as written. Timings that decide a
KPI are kept clear of its boundary (at most 22.5 h or at least 25.5 h for 24 hours; 70 h / 75 h for
72 hours) so a clock change inside an interval cannot move a record across it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..core.contract import load_contract
from .journey import JourneyGenerator
from .looked_after import LookedAfterGenerator
from .months import add_months, days_in_month
from .scenario import CouncilScenario

HOUR = np.timedelta64(3600, "s")
DAY = np.timedelta64(86400, "s")
ETHNICITY_WEIGHTS = {"WBRI": 0.70, "WOTH": 0.05, "MWBC": 0.04, "MOTH": 0.03, "AIND": 0.02, "APKN": 0.03,
                     "BAFR": 0.03, "BCRB": 0.02, "CHNE": 0.01, "OOTH": 0.03, "REFU": 0.02, "NOBT": 0.02}
SERVICES = [("Assessment", "Safeguarding"), ("Children in Need", "Safeguarding"),
            ("Child Protection", "Safeguarding"), ("Children in Care", "Children in Care"),
            ("Family Front Door", "Front Door"), ("Care Leavers", "Children in Care")]


class CouncilGenerator:
    def __init__(self, scenario: CouncilScenario, seed: int, scale: float):
        self.s = scenario
        self.scale = scale
        self.rng = np.random.default_rng([seed, int(scenario.la_code)])
        self.as_at = np.datetime64(dt.datetime.combine(scenario.extract_date, dt.time(23, 59, 59)), "s")
        last = scenario.extract_date.replace(day=1)
        self.months = [add_months(last, -i) for i in range(scenario.months - 1, -1, -1)]
        # the 12 months before the window: an ssd extract holds what was open in them, so the version 2
        # tables start there (re-referrals and placement moves need the history)
        self.history_months = [add_months(self.months[0], -i) for i in range(12, 0, -1)]
        self.codes = load_contract().tables

    # -- helpers -----------------------------------------------------------------------------
    def volume(self, name: str, month: dt.date | None = None) -> int:
        """Events in a month: the quota if the scenario sets one, else the rate, pro rata in the
        as-at month (an extract taken on the 13th holds 13 days of that month)."""
        quota = self.s.quotas(month).get(name) if month else None
        if quota is not None:
            return int(round(quota))
        base = self.s.rate(name) * self.scale
        if month is not None and month == self.months[-1]:
            base *= self.s.extract_date.day / days_in_month(month)
        return max(int(round(base)), 1)

    def share(self, name: str, month: dt.date) -> float:
        quotas = self.s.quotas(month)
        return float(quotas[name]) if name in quotas else self.s.rate(name)

    def times_in_month(self, month: dt.date, n: int) -> np.ndarray:
        start = np.datetime64(month, "s")
        end = min(np.datetime64(add_months(month, 1), "s"), self.as_at)
        span = int((end - start) / np.timedelta64(1, "s"))
        return start + np.sort(self.rng.integers(0, span, n)).astype("timedelta64[s]")

    def exact_flags(self, n: int, share: float) -> np.ndarray:
        flags = np.zeros(n, dtype=bool)
        flags[: int(round(share * n))] = True
        return self.rng.permutation(flags)

    def hours(self, low: float, high: float, n: int) -> np.ndarray:
        return (self.rng.uniform(low, high, n) * 3600).astype("int64").astype("timedelta64[s]")

    # -- tables ------------------------------------------------------------------------------
    def persons(self) -> pd.DataFrame:
        per_month = (self.s.rate("contacts_per_month") * 0.45 + self.s.rate("missing_per_month") * 1.5
                     + self.s.rate("referrals_per_month") * (1 + self.s.rate("referrals_growth")))
        n = max(int(per_month * len(self.months) * self.scale), 50)
        width = max(6, len(str(n)))
        as_at_day = self.as_at.astype("datetime64[D]")
        age_days = self.rng.integers(0, int(17.9 * 365.25), n)
        dob = (as_at_day - age_days.astype("timedelta64[D]")).astype(object)
        unborn = self.rng.random(n) < 0.01
        due = as_at_day + self.rng.integers(10, 200, n).astype("timedelta64[D]")
        expected = np.where(unborn, due.astype(object), None)
        ethnic = list(ETHNICITY_WEIGHTS)
        weights = np.array(list(ETHNICITY_WEIGHTS.values()))
        self.person_ids = np.char.zfill(np.arange(1, n + 1).astype(str), width)
        self.person_age_days = np.where(unborn, -1, age_days)
        return pd.DataFrame({
            "pers_person_id": self.person_ids,
            "pers_sex": self.rng.choice(["M", "F", "U"], n, p=[0.49, 0.49, 0.02]),
            "pers_dob": np.where(unborn, None, dob),
            "pers_expected_dob": expected,
            "pers_ethnicity": self.rng.choice(ethnic, n, p=weights / weights.sum()),
            "pers_death_date": None,
        })

    def contacts(self) -> pd.DataFrame:
        frames = []
        sources = self.codes["ssd_contacts"].field("cont_contact_source_code").codes
        for month in self.months:
            n = self.volume("contacts_per_month", month)
            n = max(int(n * self.rng.uniform(0.9, 1.1)), 1) if "contacts_per_month" not in self.s.quotas(month) else n
            received = self.times_in_month(month, n)
            quick = self.exact_flags(n, self.share("fd_within_24h", month))
            max_hours = max(self.share("fd_max_delay_days", month) * 24, 26)
            delay = np.where(quick, self.hours(0.25, 22.5, n), self.hours(25.5, max_hours, n))
            decided = received + delay
            undecided = (decided > self.as_at) | (self.rng.random(n) < self.s.rate("fd_undecided"))
            outcomes = self.rng.choice(self.codes["ssd_contacts"].field("cont_contact_outcome").codes, n)
            frames.append(pd.DataFrame({
                "cont_person_id": self.rng.choice(self.person_ids, n),
                "cont_contact_date": received,
                "cont_contact_source_code": self.rng.choice(sources, n),
                "cont_decision_date": np.where(undecided, None, decided.astype(object)),
                "cont_contact_outcome": np.where(undecided, None, outcomes),
            }))
        df = pd.concat(frames, ignore_index=True)
        df.insert(0, "cont_contact_id", [f"C{i:08d}" for i in range(1, len(df) + 1)])
        return df

    def missing(self) -> pd.DataFrame:
        teens = self.person_ids[(self.person_age_days >= 10 * 365) & (self.person_age_days < int(17.5 * 365))]
        frames = []
        for month in self.months:
            n = self.volume("missing_per_month", month)
            returned = self.times_in_month(month, n)
            started = returned - self.hours(2, 72, n)
            offered = self.exact_flags(n, max(self.share("rhi_offered", month), self.share("rhi_completed", month)))
            completed = np.zeros(n, dtype=bool)
            completed[np.flatnonzero(offered)[: int(round(self.share("rhi_completed", month) * n))]] = True
            completed_idx = np.flatnonzero(completed)
            if "rhi_within_72h_of_returns" in self.s.quotas(month):
                n_quick = int(round(self.share("rhi_within_72h_of_returns", month) * n))
            else:
                n_quick = int(round(self.share("rhi_within_72h_of_completed", month) * len(completed_idx)))
            quick = np.zeros(n, dtype=bool)
            quick[self.rng.permutation(completed_idx)[:n_quick]] = True
            independent = np.zeros(n, dtype=bool)
            n_ind = int(round(self.share("rhi_independent_of_completed", month) * len(completed_idx)))
            independent[self.rng.permutation(completed_idx)[:n_ind]] = True
            interview = returned + np.where(quick, self.hours(2, 70, n), self.hours(75, 480, n))
            completed &= interview <= self.as_at
            frames.append(pd.DataFrame({
                "miss_missing_episode_type": "M",
                "miss_missing_episode_start_date": started,
                "miss_missing_episode_end_date": returned.astype(object),
                "miss_missing_rhi_offered": np.where(offered, "Y", self.rng.choice(["N", "NA"], n)),
                "miss_missing_rhi_accepted": np.where(completed, "Y", np.where(offered, "N", None)),
                "miss_rhi_completed_date": np.where(completed, interview.astype(object), None),
                "miss_rhi_independent": np.where(completed, np.where(independent, "Y", "N"), None),
                "miss_looked_after": np.where(self.rng.random(n) < 0.4, "Y", "N"),
            }))
            away = int(round(n * self.s.rate("away_share")))
            if away:
                back = self.times_in_month(month, away)
                frames.append(pd.DataFrame({
                    "miss_missing_episode_type": "A",
                    "miss_missing_episode_start_date": back - self.hours(1, 24, away),
                    "miss_missing_episode_end_date": back.astype(object),
                    "miss_missing_rhi_offered": "N", "miss_missing_rhi_accepted": None,
                    "miss_rhi_completed_date": None, "miss_rhi_independent": None, "miss_looked_after": "Y",
                }))
        still_missing = min(2, len(teens))
        frames.append(pd.DataFrame({
            "miss_missing_episode_type": "M",
            "miss_missing_episode_start_date": self.as_at - self.hours(5, 60, still_missing),
            "miss_missing_episode_end_date": None, "miss_missing_rhi_offered": None,
            "miss_missing_rhi_accepted": None, "miss_rhi_completed_date": None,
            "miss_rhi_independent": None, "miss_looked_after": "N",
        }))
        df = pd.concat(frames, ignore_index=True)
        # one episode per child, so episodes never overlap (903 rule 574 stays clean)
        df.insert(0, "miss_person_id", self.rng.choice(teens, len(df), replace=len(df) > len(teens)))
        df.insert(0, "miss_table_id", [f"M{i:08d}" for i in range(1, len(df) + 1)])
        return df

    def strategy_discussions(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        discussions, attendees = [], []
        next_id = 1
        for month in self.months:
            n = self.volume("discussions_per_month", month)
            ids = np.array([f"S{i:07d}" for i in range(next_id, next_id + n)])
            next_id += n
            discussions.append(pd.DataFrame({
                "stdi_discussion_id": ids,
                "stdi_person_id": self.rng.choice(self.person_ids, n),
                "stdi_referral_id": [f"R{i[1:]}" for i in ids],
                "stdi_discussion_date": self.times_in_month(month, n),
                "stdi_s47_initiated": np.where(self.rng.random(n) < 0.6, "Y", "N"),
            }))
            attendees.append(pd.DataFrame({"stda_discussion_id": ids, "stda_agency": "LA_CSC", "stda_attended": "Y"}))
            for agency, rate in (("HEALTH", "sd_health"), ("POLICE", "sd_police"), ("EDUCATION", "sd_education")):
                came = self.exact_flags(n, self.share(rate, month))
                invited = came | (self.rng.random(n) < 0.85)
                status = np.where(came, "Y", np.where(self.rng.random(n) < 0.8, "N", "W"))
                attendees.append(pd.DataFrame({"stda_discussion_id": ids[invited], "stda_agency": agency,
                                               "stda_attended": status[invited]}))
        att = pd.concat(attendees, ignore_index=True).sort_values("stda_discussion_id", kind="stable")
        roles = {"LA_CSC": "Social worker", "HEALTH": "Named nurse", "POLICE": "Detective constable",
                 "EDUCATION": "Designated safeguarding lead"}
        att.insert(0, "stda_attendee_id", [f"A{i:08d}" for i in range(1, len(att) + 1)])
        att.insert(3, "stda_role", att["stda_agency"].map(roles))
        return pd.concat(discussions, ignore_index=True), att.reset_index(drop=True)

    def workforce(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        n_teams = max(int(round(self.s.rate("teams") * min(self.scale, 1) ** 0.5)), 2)
        teams = pd.DataFrame({
            "dept_team_id": [f"T{i:03d}" for i in range(1, n_teams + 1)],
            "dept_team_name": [f"{SERVICES[i % len(SERVICES)][0]} {i // len(SERVICES) + 1}" for i in range(n_teams)],
            "dept_team_parent_name": [SERVICES[i % len(SERVICES)][1] for i in range(n_teams)],
        })
        n_workers = max(int(round(self.s.rate("workers") * self.scale)), n_teams)
        fte = self.rng.choice([1.0, 0.8, 0.6, 0.5], n_workers, p=[0.7, 0.12, 0.1, 0.08])
        workers = pd.DataFrame({
            "prof_professional_id": [f"W{i:05d}" for i in range(1, n_workers + 1)],
            "prof_team_id": teams["dept_team_id"].to_numpy()[np.arange(n_workers) % n_teams],
            "prof_professional_job_title": self.rng.choice(["Social Worker", "Senior Social Worker",
                                                            "Advanced Practitioner"], n_workers, p=[0.6, 0.3, 0.1]),
            "prof_full_time_equivalency": fte,
            "prof_agency_worker_flag": np.where(self.exact_flags(n_workers, self.s.rate("agency_share")), "Y", "N"),
        })
        return teams, workers

    def involvements(self, workers: pd.DataFrame) -> pd.DataFrame:
        fte = workers["prof_full_time_equivalency"].to_numpy()
        allocated_share = 0.9  # the rest are OTHER involvements, which are not cases
        open_target = self.s.rate("cases_per_fte") * fte.sum() / allocated_share
        mean_days = self.s.rate("case_months") * 30.4
        first = np.datetime64(self.months[0], "D") - np.timedelta64(int(2 * mean_days), "D")
        as_at_day = self.as_at.astype("datetime64[D]")
        span = int((as_at_day - first) / np.timedelta64(1, "D"))
        n = int(open_target * span / mean_days)
        start = first + np.sort(self.rng.integers(0, span + 1, n)).astype("timedelta64[D]")
        end = start + np.maximum(self.rng.exponential(mean_days, n).astype(int), 1).astype("timedelta64[D]")
        worker_idx = self.rng.choice(len(workers), n, p=fte / fte.sum())
        own_team = workers["prof_team_id"].to_numpy()[worker_idx]
        return pd.DataFrame({
            "invo_involvements_id": [f"I{i:08d}" for i in range(1, n + 1)],
            "invo_professional_id": workers["prof_professional_id"].to_numpy()[worker_idx],
            "invo_person_id": self.rng.choice(self.person_ids, n),
            "invo_professional_role_id": np.where(
                self.rng.random(n) < allocated_share, "ALLOCATED_CASE_WORKER", "OTHER"
            ),
            "invo_professional_team": np.where(self.rng.random(n) < 0.15, own_team, None),
            "invo_involvement_start_date": start.astype(object),
            "invo_involvement_end_date": np.where(end > as_at_day, None, end.astype(object)),
        })

    def all_tables(self) -> dict[str, pd.DataFrame]:
        persons = self.persons()
        discussions, attendees = self.strategy_discussions()
        teams, workers = self.workforce()
        return {
            "ssd_person": persons,
            "ssd_contacts": self.contacts(),
            "ssd_missing": self.missing(),
            "ext_strategy_discussions": discussions,
            "ext_strategy_discussion_attendees": attendees,
            "ssd_department": teams,
            "ssd_professionals": workers,
            "ssd_involvements": self.involvements(workers),
            **JourneyGenerator(self).tables(),
            "ssd_cla_episodes": LookedAfterGenerator(self).episodes(),
        }
