import pytest

from pipelines.core.contract import load_contract
from pipelines.core.derived_files import stale_files
from pipelines.core.ingest.quality import tables_in_reference_order


def test_contract_has_the_v1_and_v2_tables():
    contract = load_contract()
    assert contract.version == 2
    assert contract.table_names == [
        "ssd_person", "ssd_contacts", "ssd_missing", "ext_strategy_discussions",
        "ext_strategy_discussion_attendees", "ssd_department", "ssd_professionals", "ssd_involvements",
        "ssd_cin_episodes", "ssd_cin_assessments", "ssd_s47_enquiry", "ssd_initial_cp_conference",
        "ssd_cp_plans", "ssd_cp_reviews", "ssd_cla_episodes",
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


def test_the_v2_fields_follow_the_spec():
    contract = load_contract()
    plans = contract.table("ssd_cp_plans").field("cppl_previous_plans")
    assert (plans.type, plans.min, plans.whole, plans.required) == ("num", 0, True, False)
    episode = contract.table("ssd_cla_episodes")
    assert [f.name for f in episode.fields if f.required] == [
        "clae_cla_episode_id", "clae_person_id", "clae_cla_episode_start_date", "clae_cla_episode_start_reason",
        "clae_legal_status", "clae_placement_type"]
    assert len(episode.field("clae_placement_type").codes) == 32 and "Z14" in episode.field("clae_placement_type").codes
    assert contract.table("ssd_cin_episodes").field("cine_referral_nfa").codes == ("Y", "N")
    assert contract.table("ssd_initial_cp_conference").field("icpc_participation").codes == tuple(
        f"PN{i}" for i in range(8))


def test_tables_are_checked_after_the_tables_they_refer_to():
    order = tables_in_reference_order(load_contract())
    assert order.index("ssd_person") < order.index("ssd_contacts")
    assert order.index("ext_strategy_discussions") < order.index("ext_strategy_discussion_attendees")
    assert order.index("ssd_department") < order.index("ssd_professionals") < order.index("ssd_involvements")
    assert (order.index("ssd_cin_episodes") < order.index("ssd_s47_enquiry") < order.index("ssd_initial_cp_conference")
            < order.index("ssd_cp_plans") < order.index("ssd_cp_reviews"))


def test_generated_dbt_sources_and_gx_suites_match_the_contract():
    assert stale_files() == [], "run `csc sync-contract` and commit the result"


def test_a_typo_in_the_contract_names_the_file_key_and_line(tmp_path):
    from pipelines.core.config import ConfigError
    from pipelines.core.contract.model import CONTRACT_PATH

    text = CONTRACT_PATH.read_text().replace("pers_person_id: {type: id, required: true}",
                                             "pers_person_id: {type: id, requird: true}")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "requird" in t)
    bad = tmp_path / "contract.yml"
    bad.write_text(text)
    with pytest.raises(ConfigError) as error:
        load_contract(bad)
    assert str(error.value) == f"{bad}:{line}: tables.ssd_person.fields.pers_person_id.requird: unknown key (a typo?)"


def test_every_check_in_the_registry_has_a_fix_and_runs_somewhere():
    contract = load_contract()
    checks = [r for r in contract.rules if r.kind == "check"]
    assert all(r.fix and r.description for r in contract.rules)
    assert all(any(r.applies_to(t) for t in contract.tables.values()) for r in checks)
