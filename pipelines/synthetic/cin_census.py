"""The same synthetic children's journey written as the CIN census returns a council sends the DfE: one
XML file per return (statutory-returns.md). Element names come from the contract's dataset mapping
(contract.yml, ``datasets: cin_census``), so the generator and the loader read one definition.

A census covers a collection year (1 April to 31 March), or the year to date, and holds, as they stood on
its reference date: the referrals open at some time in its coverage, the assessments and plans open in it,
the enquiries, conferences and reviews held in it, every referral one of those sits in, and their
children. A record open on a later census's coverage start is therefore always in that census too, so
the stacked censuses give back the SSD tables' rows from the first coverage start on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from ..core.contract import Contract, SourceTable
from ..core.returns.coverage import coverage_start
from .returns import reference_dates

CIN_CENSUS = "cin_census"
# GenderCurrent until the 2024-25 census, Sex from it (statutory-returns.md)
SEX_FROM = dt.date(2025, 3, 31)
GENDER_CURRENT = {"M": "1", "F": "2", "U": "0"}
XML_BOOLEAN = {"Y": "true", "N": "false"}


def cin_census_returns(tables: dict[str, pd.DataFrame], first_day: dt.date, extract_date: dt.date,
                       cadence: str = "annual") -> dict[dt.date, dict[str, pd.DataFrame]]:
    """Reference date -> the census's tables in the contract's field names (typed); ``ssd_s47_enquiry``
    gains ``icpc_icpc_date`` (its conference) and ``ssd_cp_plans`` ``cppl_referral_id`` (the referral it
    sits in, through its conference and enquiry)."""
    referrals = tables["ssd_cin_episodes"]
    enquiries = tables["ssd_s47_enquiry"].merge(
        tables["ssd_initial_cp_conference"][["icpc_s47_enquiry_id", "icpc_icpc_date", "icpc_icpc_id"]],
        how="left", left_on="s47e_s47_enquiry_id", right_on="icpc_s47_enquiry_id")
    plans = tables["ssd_cp_plans"].merge(
        enquiries[["icpc_icpc_id", "s47e_referral_id"]].dropna(subset=["icpc_icpc_id"]),
        how="inner", left_on="cppl_icpc_id", right_on="icpc_icpc_id").rename(
        columns={"s47e_referral_id": "cppl_referral_id"})
    reviews, assessments = tables["ssd_cp_reviews"], tables["ssd_cin_assessments"]
    returns = {}
    for ref in reference_dates(first_day, extract_date, cadence):
        start = coverage_start(ref)
        open_referrals = _open_in(referrals, "cine_referral_date", "cine_close_date", start, ref)
        held_assessments = _open_in(assessments, "cina_assessment_start_date", "cina_assessment_auth_date", start, ref)
        held_plans = _open_in(plans, "cppl_cp_plan_start_date", "cppl_cp_plan_end_date", start, ref)
        held_enquiries = enquiries[_between(enquiries["s47e_s47_start_date"], start, ref)
                                   | _between(enquiries["icpc_icpc_date"], start, ref)]
        held_reviews = reviews[_between(reviews["cppr_cp_review_date"], start, ref)
                               & reviews["cppr_cp_plan_id"].isin(held_plans["cppl_cp_plan_id"])]
        sitting_in = pd.concat([held_assessments["cina_referral_id"], held_enquiries["s47e_referral_id"],
                                held_plans["cppl_referral_id"]])
        held_referrals = referrals[referrals["cine_referral_id"].isin(open_referrals["cine_referral_id"])
                                   | referrals["cine_referral_id"].isin(sitting_in)]
        children = tables["ssd_person"][tables["ssd_person"]["pers_person_id"].isin(held_referrals["cine_person_id"])]
        returns[ref] = {
            "ssd_person": _unborn_on(children, ref),
            "ssd_cin_episodes": _as_on(held_referrals, ref, "cine_close_date", "cine_close_reason"),
            "ssd_cin_assessments": _as_on(held_assessments, ref, "cina_assessment_auth_date"),
            "ssd_s47_enquiry": _as_on(held_enquiries, ref, "icpc_icpc_date"),
            "ssd_cp_plans": _as_on(held_plans, ref, "cppl_cp_plan_end_date"),
            "ssd_cp_reviews": held_reviews,
        }
    return returns


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.date


def _between(values: pd.Series, start: dt.date, end: dt.date) -> pd.Series:
    days = _dates(values)
    return days.notna() & (days >= start) & (days <= end)


def _open_in(df: pd.DataFrame, start_column: str, end_column: str, start: dt.date, ref: dt.date) -> pd.DataFrame:
    """Rows open at some time from ``start`` to ``ref``."""
    began, ended = _dates(df[start_column]), _dates(df[end_column])
    return df[(began <= ref) & (ended.isna() | (ended >= start))]


def _unborn_on(children: pd.DataFrame, ref: dt.date) -> pd.DataFrame:
    """A child born after the reference date was expected then: ExpectedPersonBirthDate, not PersonBirthDate."""
    unborn = _dates(children["pers_dob"]) > ref
    return children.assign(pers_expected_dob=children["pers_dob"].where(unborn, children["pers_expected_dob"]),
                           pers_dob=children["pers_dob"].where(~unborn, None))


def _as_on(df: pd.DataFrame, ref: dt.date, date_column: str, *with_it: str) -> pd.DataFrame:
    """A date after the reference date (and the columns that go with it) not yet known on it."""
    df = df.copy()
    later = _dates(df[date_column]) > ref
    df.loc[later, [date_column, *with_it]] = None
    return df


def write_cin_census_xml(folder: Path, tables: dict[str, pd.DataFrame], contract: Contract, ref: dt.date) -> None:
    """One ``Message`` file: a Child per child, its CINdetails holding their Assessments, Section47 (with
    the conference's DateOfInitialCPC) and ChildProtectionPlans (with Reviews); built column by column."""
    sources = contract.datasets[CIN_CENSUS]
    person, referrals = tables["ssd_person"], tables["ssd_cin_episodes"]
    assessments, enquiries = tables["ssd_cin_assessments"], tables["ssd_s47_enquiry"]
    plans, reviews = tables["ssd_cp_plans"], tables["ssd_cp_reviews"]
    sex = sources["child"].source("pers_sex")
    if ref < SEX_FROM:
        person = person.assign(pers_sex=person["pers_sex"].map(GENDER_CURRENT))
    referrals = referrals.assign(cine_referral_nfa=referrals["cine_referral_nfa"].map(XML_BOOLEAN))
    enquiries = enquiries.assign(s47e_icpc_not_required=enquiries["s47e_icpc_not_required"].map(XML_BOOLEAN))

    reviews_of = "<Reviews>" + _wrap("CPPreviewDate", _iso(reviews["cppr_cp_review_date"])).groupby(
        reviews["cppr_cp_plan_id"]).agg("".join) + "</Reviews>"
    plan_xml = _wrap("ChildProtectionPlans", _elements(plans, sources["cp_plans"])
                     + plans["cppl_cp_plan_id"].map(reviews_of).fillna(""))
    assessment_xml = _wrap("Assessments", _elements(assessments, sources["assessments"]))
    enquiry_xml = _wrap("Section47", _elements(enquiries, sources["section47"])
                        + _wrap("DateOfInitialCPC", _iso(enquiries["icpc_icpc_date"])).fillna(""))
    inside = pd.concat([
        assessment_xml.groupby(assessments["cina_referral_id"]).agg("".join),
        enquiry_xml.groupby(enquiries["s47e_referral_id"]).agg("".join),
        plan_xml.groupby(plans["cppl_referral_id"]).agg("".join),
    ]).groupby(level=0).agg("".join)
    referral_xml = _wrap("CINdetails", _elements(referrals, sources["referrals"])
                         + referrals["cine_referral_id"].map(inside).fillna(""))
    referrals_of = referral_xml.groupby(referrals["cine_person_id"]).agg("".join)
    identifiers = _elements(person, sources["child"], {"pers_sex": sex.element if ref >= SEX_FROM else sex.or_element})
    child_xml = ("<Child>" + _wrap("ChildIdentifiers", identifiers)
                 + person["pers_person_id"].map(referrals_of).fillna("") + "</Child>\n")
    with (folder / f"CIN_census_{coverage_start(ref).year}.xml").open("w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='utf-8'?>\n<Message>\n<Header><CollectionDetails>"
                  f"<Collection>CIN</Collection><Year>{ref.year}</Year><ReferenceDate>{ref.isoformat()}"
                  "</ReferenceDate></CollectionDetails></Header>\n<Children>\n")
        out.write("".join(child_xml))
        out.write("</Children>\n</Message>\n")


def _iso(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.strftime("%Y-%m-%d").astype("string")


def _wrap(element: str, inner: pd.Series) -> pd.Series:
    return "<" + element + ">" + inner + "</" + element + ">"


def _elements(df: pd.DataFrame, source: SourceTable, rename: dict[str, str] | None = None) -> pd.Series:
    """Each row's mapped fields as elements, in the contract's order; a missing value is no element."""
    out = pd.Series("", index=df.index, dtype=object)
    for f in source.table.fields:
        element = (rename or {}).get(f.name) or getattr(source.source(f.name), "element", None)
        if not element or f.name not in df:
            continue
        text = _iso(df[f.name]) if f.is_temporal else df[f.name].astype("string")
        text = text.str.replace("&", "&amp;").str.replace("<", "&lt;").str.replace(">", "&gt;")
        out = out + _wrap(element, text).fillna("").astype(object)
    return out
