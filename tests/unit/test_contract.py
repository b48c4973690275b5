from pipelines.contract_sync import stale_files
from pipelines.ingest.contract import load_contract
from pipelines.ingest.quality import tables_in_reference_order


def test_contract_has_the_v1_tables():
    contract = load_contract()
    assert contract.table_names == [
        "ssd_person", "ssd_contacts", "ssd_missing", "ext_strategy_discussions",
        "ext_strategy_discussion_attendees", "ssd_department", "ssd_professionals", "ssd_involvements",
    ]
    assert [t.name for t in contract.tables.values() if t.required] == ["ssd_person"]


def test_yes_no_synonyms_apply_to_every_field_whose_codes_include_y_and_n():
    contract = load_contract()
    offered = contract.table("ssd_missing").field("miss_missing_rhi_offered")
    assert contract.code_map(offered)["YES"] == "Y"
    assert contract.code_map(offered)["0"] == "N"
    assert contract.code_map(offered)["NA"] == "NA"
    sex = contract.table("ssd_person").field("pers_sex")
    assert "YES" not in contract.code_map(sex)


def test_agency_accepts_referral_source_codes_as_synonyms():
    contract = load_contract()
    agency = contract.code_map(contract.table("ext_strategy_discussion_attendees").field("stda_agency"))
    assert agency["3C"] == "HEALTH" and agency["6"] == "POLICE" and agency["2B"] == "EDUCATION"
    assert agency["5A"] == "LA_CSC" and agency["7"] == "PROBATION" and agency["9"] == "OTHER"


def test_tables_are_checked_after_the_tables_they_refer_to():
    order = tables_in_reference_order(load_contract())
    assert order.index("ssd_person") < order.index("ssd_contacts")
    assert order.index("ext_strategy_discussions") < order.index("ext_strategy_discussion_attendees")
    assert order.index("ssd_department") < order.index("ssd_professionals") < order.index("ssd_involvements")


def test_generated_dbt_sources_and_gx_suites_match_the_contract():
    assert stale_files() == [], "run `csc sync-contract` and commit the result"
