"""Generate a council's child's journey (version 2 tables): referrals, assessments, section 47
enquiries, initial conferences, child-protection plans and their reviews, all of the same children.

One month at a time, vectorised. Shares are exact counts within a month (as in tables.py) and the
timings that decide a KPI keep clear of its boundary in calendar days, whatever the weekends and bank
holidays: seen "in time" within 4 calendar days of the referral (at most 4 working days) and late
after 14 or more (at least 8); at risk of significant harm, in time the same or the next day and
late after 7 or more (at least 3 working days); an assessment in time within 63 calendar days (at
most 45 working days) and late after 70 or more (at least 46); a conference in time within 20
calendar days of its enquiry (at most 15 working days) and late after 30 or more (at least 16).
Referrals start 12 months before the window (an ssd extract holds what was open in the 12 months
before its window), so re-referrals in the first window months have their history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .tables import CouncilGenerator

D = np.timedelta64(1, "D")
# The child's participation in a conference; the advocacy codes (PN2, PN5) take the scenario's share.
PARTICIPATION = {"PN0": 0.10, "PN1": 0.20, "PN3": 0.15, "PN4": 0.10, "PN6": 0.20, "PN7": 0.10, None: 0.05}


class JourneyGenerator:
    def __init__(self, g: CouncilGenerator):
        self.g = g
        self.rng = g.rng
        self.as_at_day = g.as_at.astype("datetime64[D]")

    def tables(self) -> dict[str, pd.DataFrame]:
        referrals = self.referrals()
        enquiries = self.enquiries(referrals)
        conferences = self.conferences(enquiries)
        plans = self.plans(conferences)
        return {
            "ssd_cin_episodes": referrals,
            "ssd_cin_assessments": self.assessments(referrals),
            "ssd_s47_enquiry": enquiries,
            "ssd_initial_cp_conference": conferences,
            "ssd_cp_plans": plans,
            "ssd_cp_reviews": self.reviews(plans),
        }

    # -- helpers -----------------------------------------------------------------------------
    def _days(self, low: int, high: int, n: int) -> np.ndarray:
        return self.rng.integers(low, high + 1, n) * D

    def _by_month(self, dates: np.ndarray, share_name: str) -> np.ndarray:
        """Exact flags for a share, month by month of the dates (a scenario may set it per month)."""
        flags = np.zeros(len(dates), dtype=bool)
        months = dates.astype("datetime64[M]")
        for month in np.unique(months):
            at = np.flatnonzero(months == month)
            share = self.g.share(share_name, month.astype("datetime64[D]").astype(object))
            flags[at] = self.g.exact_flags(len(at), share)
        return flags

    def _participation(self, n: int) -> np.ndarray:
        advocate = self.g.s.rate("cp_advocate_share")
        codes = [*PARTICIPATION, "PN2", "PN5"]
        weights = np.array([*PARTICIPATION.values(), advocate / 2, advocate / 2])
        return self.rng.choice(np.array(codes, dtype=object), n, p=weights / weights.sum())

    def _not_after_as_at(self, dates: np.ndarray) -> np.ndarray:
        return np.where(dates <= self.as_at_day, dates.astype(object), None)

    # -- tables ------------------------------------------------------------------------------
    def referrals(self) -> pd.DataFrame:
        g = self.g
        lookback = g.history_months
        pool = np.flatnonzero(g.person_age_days >= 0)  # the born
        last_referred = np.full(len(g.person_ids), np.datetime64("NaT"), "datetime64[D]")
        growth = g.s.rate("referrals_growth")
        frames = []
        for i, month in enumerate(lookback + g.months):
            # referrals grow linearly across the window by the scenario's growth (the look-back as its start)
            position = max(i - len(lookback), 0) / max(len(g.months) - 1, 1)
            n = int(round(g.volume("referrals_per_month", month) * (1 + growth * position)))
            start = np.datetime64(month, "D")
            last = last_referred[pool]
            recent = pool[(last >= start - 330 * D) & (last < start)]  # p within 12 months of any day this month
            fresh = pool[np.isnat(last) | (last < start - 400 * D)]  # no referral in the 12 months before
            k = min(int(round(g.share("re_referral_rate", month) * n)), len(recent))
            n = min(n, k + len(fresh))
            people = self.rng.permutation(np.concatenate([
                self.rng.choice(recent, k, replace=False), self.rng.choice(fresh, n - k, replace=False)]))
            dates = g.times_in_month(month, n).astype("datetime64[D]")
            last_referred[people] = dates
            nfa = g.exact_flags(n, g.share("referral_nfa", month))
            harm = ~nfa & g.exact_flags(n, g.share("sh_share", month))
            in_time = g.exact_flags(n, g.share("seen_within_5wd", month))
            harm_in_time = g.exact_flags(n, g.share("sh_seen_within_1wd", month))
            offset = np.where(harm, np.where(harm_in_time, self._days(0, 1, n), self._days(7, 10, n)),
                              np.where(in_time, self._days(0, 4, n), self._days(14, 30, n)))
            seen = np.where(nfa, None, self._not_after_as_at(dates + offset))
            closed = dates + np.where(nfa, self._days(0, 2, n), self._days(30, 400, n))
            frames.append(pd.DataFrame({
                "cine_person_id": g.person_ids[people],
                "cine_referral_date": dates,
                "cine_referral_source_code": self.rng.choice(["1A", "2A", "3A", "3B", "5A", "5D", "6", "9"], n),
                "cine_cin_primary_need_code": self.rng.choice(["N1", "N2", "N3", "N4", "N5", "N6", "N8", "N9"], n),
                "cine_referral_nfa": np.where(nfa, "Y", "N"),
                "cine_close_date": self._not_after_as_at(closed),
                "cine_close_reason": np.where(closed <= self.as_at_day, np.where(nfa, "RC8", "RC1"), None),
                "cine_child_seen_date": seen,
                "cine_significant_harm": np.where(harm, "Y", "N"),
            }))
        df = pd.concat(frames, ignore_index=True)
        df.insert(0, "cine_referral_id", [f"R{i:08d}" for i in range(1, len(df) + 1)])
        return df

    def assessments(self, referrals: pd.DataFrame) -> pd.DataFrame:
        due = referrals[referrals["cine_referral_nfa"] == "N"]
        dates = due["cine_referral_date"].to_numpy("datetime64[D]")
        assessed = self._by_month(dates, "assessed_share")
        due, dates = due[assessed], dates[assessed]
        n = len(due)
        start = dates + self._days(0, 3, n)
        in_time = self._by_month(start, "assessments_within_45wd")
        # "a much more even spread of completion timescales across the 45-day period" (sources/001)
        auth = start + np.where(in_time, self._days(0, 63, n), self._days(70, 120, n))
        keep = start <= self.as_at_day
        return pd.DataFrame({
            "cina_assessment_id": [f"CA{i:07d}" for i in range(1, n + 1)],
            "cina_person_id": due["cine_person_id"].to_numpy(),
            "cina_referral_id": due["cine_referral_id"].to_numpy(),
            "cina_assessment_start_date": start,
            "cina_assessment_auth_date": self._not_after_as_at(auth),
            "cina_assessment_outcome_nfa": np.where(self.rng.random(n) < 0.2, "Y", "N"),
        })[keep]

    def enquiries(self, referrals: pd.DataFrame) -> pd.DataFrame:
        due = referrals[referrals["cine_referral_nfa"] == "N"]
        dates = due["cine_referral_date"].to_numpy("datetime64[D]")
        chosen = (due["cine_significant_harm"] == "Y").to_numpy() | self._by_month(dates, "s47_share")
        due, dates = due[chosen], dates[chosen]
        n = len(due)
        start = dates + self._days(0, 2, n)
        keep = start <= self.as_at_day
        return pd.DataFrame({
            "s47e_s47_enquiry_id": [f"SE{i:07d}" for i in range(1, n + 1)],
            "s47e_person_id": due["cine_person_id"].to_numpy(),
            "s47e_referral_id": due["cine_referral_id"].to_numpy(),
            "s47e_s47_start_date": start,
            "s47e_s47_end_date": self._not_after_as_at(start + self._days(5, 20, n)),
            "s47e_icpc_not_required": "N",
        })[keep].reset_index(drop=True)

    def conferences(self, enquiries: pd.DataFrame) -> pd.DataFrame:
        start = enquiries["s47e_s47_start_date"].to_numpy("datetime64[D]")
        chosen = self._by_month(start, "icpc_share")
        enquiries.loc[~chosen, "s47e_icpc_not_required"] = "Y"
        held, start = enquiries[chosen], start[chosen]
        n = len(held)
        in_time = self._by_month(start, "icpc_within_15wd")
        date = start + np.where(in_time, self._days(1, 20, n), self._days(30, 45, n))
        keep = date <= self.as_at_day
        return pd.DataFrame({
            "icpc_icpc_id": [f"IC{i:07d}" for i in range(1, n + 1)],
            "icpc_person_id": held["s47e_person_id"].to_numpy(),
            "icpc_s47_enquiry_id": held["s47e_s47_enquiry_id"].to_numpy(),
            "icpc_icpc_date": date,
            "icpc_icpc_outcome_cp_flag": np.where(self.g.exact_flags(n, self.g.s.rate("cp_plan_share")), "Y", "N"),
            "icpc_participation": self._participation(n),
        })[keep].reset_index(drop=True)

    def plans(self, conferences: pd.DataFrame) -> pd.DataFrame:
        made = conferences[conferences["icpc_icpc_outcome_cp_flag"] == "Y"]
        n = len(made)
        start = made["icpc_icpc_date"].to_numpy("datetime64[D]")
        category = self.rng.choice(["NEG", "EMO", "PHY", "SAB", "MUL"], n, p=[0.48, 0.36, 0.08, 0.04, 0.04])
        return pd.DataFrame({
            "cppl_cp_plan_id": [f"CP{i:07d}" for i in range(1, n + 1)],
            "cppl_person_id": made["icpc_person_id"].to_numpy(),
            "cppl_icpc_id": made["icpc_icpc_id"].to_numpy(),
            "cppl_cp_plan_start_date": start,
            "cppl_cp_plan_end_date": self._not_after_as_at(start + self._days(90, 700, n)),
            "cppl_cp_plan_initial_category": category,
            "cppl_cp_plan_latest_category": category,
            "cppl_previous_plans": np.where(self.rng.random(n) < self.g.s.rate("cp_repeat_share"), 1, 0),
        })

    def reviews(self, plans: pd.DataFrame) -> pd.DataFrame:
        """A review conference three months into a plan, then every six months while it is open."""
        start = plans["cppl_cp_plan_start_date"].to_numpy("datetime64[D]")
        end = pd.to_datetime(plans["cppl_cp_plan_end_date"]).to_numpy("datetime64[D]")
        until = np.where(np.isnat(end), self.as_at_day + D, end)
        frames = []
        for k in range(6):
            date = start + (91 + 182 * k) * D
            held = date < until
            frames.append(pd.DataFrame({"cppr_person_id": plans["cppl_person_id"].to_numpy()[held],
                                        "cppr_cp_plan_id": plans["cppl_cp_plan_id"].to_numpy()[held],
                                        "cppr_cp_review_date": date[held]}))
        df = pd.concat(frames, ignore_index=True).sort_values(["cppr_cp_review_date", "cppr_cp_plan_id"])
        df.insert(0, "cppr_cp_review_id", [f"RV{i:07d}" for i in range(1, len(df) + 1)])
        df["cppr_cp_review_participation"] = self._participation(len(df))
        return df.reset_index(drop=True)
