"""The same synthetic children written as the statutory returns a council sends the DfE: SSDA903 as CSV
tables or one XML file (statutory-returns.md). Columns and elements come from the contract's dataset
mapping (contract.yml, ``datasets``), so the generator and the loader read one definition.

A return covers a collection year (1 April to 31 March), or the year to date, and holds the records active
in its coverage: the episodes open at some time in it, as they stood on its reference date (an episode
ceasing after that date is open in it), and the children of those episodes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from ..core.contract import Contract, SourceTable
from ..core.returns.coverage import coverage_start
from ..core.returns.xml_records import SSDA903

RETURN_DATE_FORMAT = "%d/%m/%Y"  # as councils' systems write the 903
SEX_903 = {"M": "1", "F": "2", "U": "U"}


def reference_dates(first_day: dt.date, extract_date: dt.date, cadence: str) -> list[dt.date]:
    """Annual: every 31 March from the collection year holding ``first_day``, and the extract date itself
    (a year-to-date return) when it is not a 31 March. Monthly: annual returns for the earlier years, then a
    year-to-date return at each month end of the extract date's collection year, and at the extract date."""
    current = coverage_start(extract_date)
    dates = [dt.date(year, 3, 31) for year in range(coverage_start(first_day).year + 1, current.year + 1)]
    if cadence == "monthly":
        month = current
        while (end := (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()) < extract_date:
            dates.append(end)
            month = end + dt.timedelta(days=1)
    if extract_date not in dates:
        dates.append(extract_date)
    return dates


def ssda903_returns(tables: dict[str, pd.DataFrame], first_day: dt.date, extract_date: dt.date,
                    cadence: str = "annual") -> dict[dt.date, dict[str, pd.DataFrame]]:
    """Reference date -> {"header", "episodes"} in the contract's field names (typed), one per return."""
    persons, episodes = tables["ssd_person"], tables["ssd_cla_episodes"]
    start = pd.to_datetime(episodes["clae_cla_episode_start_date"]).dt.date
    ceased = pd.to_datetime(episodes["clae_cla_episode_ceased_date"]).dt.date
    returns = {}
    for ref in reference_dates(first_day, extract_date, cadence):
        active = (start <= ref) & (ceased.isna() | (ceased >= coverage_start(ref)))
        held = episodes[active].copy()
        after = ceased[active] > ref  # still open on the reference date
        held.loc[after, ["clae_cla_episode_ceased_date", "clae_cla_episode_ceased_reason"]] = None
        children = persons[persons["pers_person_id"].isin(held["clae_person_id"]) & persons["pers_dob"].notna()]
        returns[ref] = {"header": children, "episodes": held[held["clae_person_id"].isin(children["pers_person_id"])]}
    return returns


def _as_903(source: SourceTable, df: pd.DataFrame) -> pd.DataFrame:
    """The table as the return's text columns, named by ``column`` (CSV) in the contract's mapping."""
    out = {}
    for f in source.table.fields:
        src = source.source(f.name)
        if src is None or not src.column:
            continue
        values = df[f.name] if f.name in df else pd.Series(None, index=df.index, dtype=object)  # not generated
        if f.is_temporal:
            values = pd.to_datetime(values).dt.strftime(RETURN_DATE_FORMAT)
        elif f.name == "pers_sex":
            values = values.map(SEX_903)
        out[src.column] = values.where(values.notna(), None).to_numpy()
    return pd.DataFrame(out)


def write_ssda903_csv(folder: Path, tables: dict[str, pd.DataFrame], contract: Contract, ref: dt.date) -> None:
    """``SSDA903_<year>_header.csv`` and ``..._episodes.csv`` (the name-suffix rule reads them)."""
    year_label = coverage_start(ref).year
    for name, df in tables.items():
        _as_903(contract.datasets[SSDA903][name], df).to_csv(folder / f"SSDA903_{year_label}_{name}.csv", index=False)


def write_ssda903_xml(folder: Path, tables: dict[str, pd.DataFrame], contract: Contract, ref: dt.date) -> None:
    """One EXPSSDA903 file: a CHILD per child, its HEADER then its EPISODEs (elements from the mapping),
    built column by column rather than row by row."""
    sources = contract.datasets[SSDA903]
    child = sources["header"].source("pers_person_id").column
    header, episodes = _as_903(sources["header"], tables["header"]), _as_903(sources["episodes"], tables["episodes"])
    header_xml = "    <HEADER>" + _elements(header, sources["header"]) + "</HEADER>\n"
    # an EPISODE's child is its CHILD's: not repeated inside it
    episode_xml = "    <EPISODE>" + _elements(episodes.drop(columns=child), sources["episodes"]) + "</EPISODE>\n"
    episodes_of = episode_xml.groupby(episodes[child], sort=False).agg("".join)
    children = "  <CHILD>\n" + header_xml + header[child].map(episodes_of).fillna("") + "  </CHILD>\n"
    with (folder / f"SSDA903_{coverage_start(ref).year}.xml").open("w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='utf-8'?>\n<EXPSSDA903>\n")
        out.write("".join(children))
        out.write("</EXPSSDA903>\n")


def _elements(df: pd.DataFrame, source: SourceTable) -> pd.Series:
    """Each row's cells as XML elements, in column order; an empty value is an empty element."""
    element = {s.column: s.element for s in source.sources.values() if s.column}
    out = pd.Series("", index=df.index, dtype=object)
    for column in df.columns:
        name = element[column]
        text = df[column].astype("string").str.replace("&", "&amp;").str.replace("<", "&lt;").str.replace(">", "&gt;")
        out = out + ("<" + name + ">" + text + "</" + name + ">").fillna(f"<{name} />").astype(object)
    return out
