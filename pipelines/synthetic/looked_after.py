"""Generate a council's episodes of care (ssd_cla_episodes) so that the number of children looked
after on each month's snapshot date is exactly the scenario's: a straight line from
``looked_after_start`` to ``looked_after_end`` across the window, through any month's
``looked_after`` quota (a published figure), all times --scale; steady at the start figure through
the year before the window (an ssd extract holds it), so placement moves have their history.

Month by month, vectorised: the month's starters and leavers are the turnover plus the change the
line asks for; a leaver's episode ends in the month with a reason other than X1, a starter's begins
with reason S. Some children move placement (the episode ends X1 and the next begins, reason P, the
same day), which is what placement stability counts. Short breaks (legal status V3) are generated
beside them and, as in DfE figures, never counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .months import last_day

if TYPE_CHECKING:
    from .tables import CouncilGenerator

D = np.timedelta64(1, "D")
# Placement codes per local group (kpi-definitions.md); the provider decides in-house or agency fostering.
GROUPS = {
    "fostering_kinship": (["U1", "U2", "U3"], ["PR1"]),
    "fostering_in_house": (["U4", "U5", "U6"], ["PR1"]),
    "fostering_agency": (["U4", "U5", "U6"], ["PR4", "PR5"]),
    "fostering_other": (["U4", "U5", "U6"], ["PR2", "PR3"]),
    "residential": (["K2", "K2", "R1", "S1"], ["PR1", "PR4"]),
    "supported_accommodation": (["H5", "P2", "K3"], ["PR1", "PR4"]),
    "placed_with_parents": (["P1"], ["PR0"]),
    "placed_for_adoption": (["A3", "A4", "A5", "A6"], ["PR1"]),
    "other_placement": (["R2", "R3", "Z1", "T4"], ["PR0"]),
}
NO_PROVIDER = ["T0", "T1", "T2", "T3", "T4", "Z1"]
OTHER_SHARES = {"fostering_kinship": 0.12, "fostering_other": 0.02, "supported_accommodation": 0.06,
                "placed_with_parents": 0.06, "placed_for_adoption": 0.03, "other_placement": 0.03}
LEGAL_STATUS = {"C2": 0.62, "C1": 0.15, "V2": 0.15, "E1": 0.04, "J2": 0.02, "L2": 0.02}
LEAVING_REASONS = ["E11", "E12", "E13", "E41", "E45", "E48", "E4A", "E5", "E8"]


class LookedAfterGenerator:
    def __init__(self, g: CouncilGenerator):
        self.g = g
        self.rng = g.rng
        self.as_at_day = g.as_at.astype("datetime64[D]")
        self.snapshots = [min(last_day(m), g.s.extract_date) for m in g.months]
        shares = {"fostering_in_house": g.s.rate("lac_in_house"), "fostering_agency": g.s.rate("lac_agency"),
                  "residential": g.s.rate("lac_residential")}
        rest = (1 - sum(shares.values())) / sum(OTHER_SHARES.values())
        weights = {name: shares.get(name, OTHER_SHARES.get(name, 0) * rest) for name in GROUPS}
        self.group_names = np.array(list(weights))
        self.group_weights = np.array(list(weights.values()))

    def targets(self) -> np.ndarray:
        """The number looked after on each month's snapshot: straight lines through the anchors."""
        g = self.g
        anchors = {0: g.s.rate("looked_after_start"), len(g.months) - 1: g.s.rate("looked_after_end")}
        for i, month in enumerate(g.months):
            if "looked_after" in g.s.quotas(month):
                anchors[i] = g.s.quotas(month)["looked_after"]
        at = sorted(anchors)
        line = np.interp(np.arange(len(g.months)), at, [anchors[i] for i in at])
        return np.round(line * g.scale).astype(int)

    def _placements(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        groups = self.rng.choice(self.group_names, n, p=self.group_weights / self.group_weights.sum())
        types, providers = np.empty(n, dtype=object), np.empty(n, dtype=object)
        for name, (codes, provider_codes) in GROUPS.items():
            at = groups == name
            types[at] = self.rng.choice(codes, at.sum())
            providers[at] = self.rng.choice(provider_codes, at.sum())
        providers[np.isin(types, NO_PROVIDER)] = None  # these placements have no provider (903 rule 178)
        return types, providers

    def _days_in(self, first: np.datetime64, last: np.datetime64, n: int) -> np.ndarray:
        return first + self.rng.integers(0, int((last - first) / D) + 1, n) * D

    def episodes(self) -> pd.DataFrame:
        g = self.g
        # a steady year before the window, so moves and leavers there are in the placement history
        lookback = g.history_months
        targets = np.concatenate([np.full(len(lookback), self.targets()[0]), self.targets()])
        months = lookback + g.months
        snapshots = [last_day(m) for m in lookback] + self.snapshots
        window_start = np.datetime64(months[0], "D")
        # children born before the look-back year, under 17 at the as-at date, never in care twice (no overlaps)
        days_before = int((self.as_at_day - window_start) / D) + 1
        pool = list(self.rng.permutation(np.flatnonzero(
            (g.person_age_days > days_before) & (g.person_age_days < 17 * 365))))
        legal_codes, legal_weights = list(LEGAL_STATUS), np.array(list(LEGAL_STATUS.values()))

        def take(n: int) -> np.ndarray:
            n = min(n, len(pool))
            taken = np.array(pool[:n], dtype=int)
            del pool[:n]
            return taken

        # the children looked after when the look-back year opens, in care for up to four years
        people = take(int(targets[0]))
        alive_before = g.person_age_days[people] - days_before  # days between birth and the window
        in_care = np.minimum(self.rng.integers(1, 4 * 365, len(people)), np.maximum(alive_before - 1, 1))
        start = window_start - in_care * D
        open_ = {"person": people, "start": start, "reason": np.full(len(people), "S", dtype=object),
                 "legal": self.rng.choice(legal_codes, len(people), p=legal_weights / legal_weights.sum())}
        open_["type"], open_["provider"] = self._placements(len(people))
        closed = []
        turnover, move_rate = g.s.rate("lac_monthly_turnover"), g.s.rate("lac_move_rate")
        previous = len(people)
        for month, snapshot, target in zip(months, snapshots, targets, strict=True):
            first, last = np.datetime64(month, "D"), np.datetime64(snapshot, "D")
            delta = int(target) - previous
            base = int(round(turnover * previous))
            settled = np.flatnonzero(open_["start"] < first)  # leave or move only after the month began
            leavers = self.rng.choice(settled, min(base + max(-delta, 0), len(settled)), replace=False)
            ceased = self._days_in(first, last, len(leavers))
            closed.append(_episodes(open_, leavers, ceased, self.rng.choice(LEAVING_REASONS, len(leavers))))
            stay = np.setdiff1d(settled, leavers)
            movers = self.rng.choice(stay, int(round(move_rate * len(stay))), replace=False)
            moved = self._days_in(first, last, len(movers))
            closed.append(_episodes(open_, movers, moved, np.full(len(movers), "X1")))
            open_["start"][movers], open_["reason"][movers] = moved, "P"
            open_["type"][movers], open_["provider"][movers] = self._placements(len(movers))
            remaining = np.setdiff1d(np.arange(len(open_["person"])), leavers)
            open_ = {key: values[remaining] for key, values in open_.items()}
            starters = take(base + max(delta, 0))
            new = {"person": starters, "start": self._days_in(first, last, len(starters)),
                   "reason": np.full(len(starters), "S", dtype=object),
                   "legal": self.rng.choice(legal_codes, len(starters), p=legal_weights / legal_weights.sum())}
            new["type"], new["provider"] = self._placements(len(starters))
            open_ = {key: np.concatenate([open_[key], new[key]]) for key in open_}
            previous = len(open_["person"])
        still_open = _episodes(open_, np.arange(previous), None, None)
        episodes = pd.concat([*closed, still_open, self._short_breaks(take)], ignore_index=True)
        episodes = episodes.sort_values(["clae_cla_episode_start_date", "clae_person_id"], kind="stable")
        episodes.insert(0, "clae_cla_episode_id", [f"E{i:07d}" for i in range(1, len(episodes) + 1)])
        episodes["clae_person_id"] = g.person_ids[episodes.pop("clae_person_id").to_numpy(dtype=int)]
        episodes.insert(1, "clae_person_id", episodes.pop("clae_person_id"))
        return episodes.reset_index(drop=True)

    def _short_breaks(self, take) -> pd.DataFrame:
        """Agreed series of short-term placements (V3): a few days each, never counted as looked after."""
        n = int(round(self.g.s.rate("lac_short_breaks_per_month") * self.g.scale * len(self.g.months)))
        people = take(n)
        start = self._days_in(np.datetime64(self.g.months[0], "D"), self.as_at_day - 7 * D, len(people))
        return pd.DataFrame({
            "clae_person_id": people, "clae_cla_episode_start_date": start,
            "clae_cla_episode_start_reason": "S", "clae_legal_status": "V3",
            "clae_placement_type": "U4", "clae_placement_provider": "PR1",
            "clae_cla_episode_ceased_date": (start + self.rng.integers(1, 4, len(people)) * D).astype(object),
            "clae_cla_episode_ceased_reason": "E8",
        })


def _episodes(open_: dict, at: np.ndarray, ceased: np.ndarray | None, reasons: np.ndarray | None) -> pd.DataFrame:
    return pd.DataFrame({
        "clae_person_id": open_["person"][at],
        "clae_cla_episode_start_date": open_["start"][at],
        "clae_cla_episode_start_reason": open_["reason"][at],
        "clae_legal_status": open_["legal"][at],
        "clae_placement_type": open_["type"][at],
        "clae_placement_provider": open_["provider"][at],
        "clae_cla_episode_ceased_date": None if ceased is None else ceased.astype(object),
        "clae_cla_episode_ceased_reason": None if reasons is None else reasons,
    })
