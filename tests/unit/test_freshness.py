"""The freshness check's verdict. (Which LA is late is decided once, in the dbt view
int_extract_freshness, and unit-tested there: dbt_project/models/intermediate/_unit_tests.yml.)"""

from __future__ import annotations

import dagster as dg

from pipelines.defs.freshness import freshness_result


def test_overdue_is_an_error_late_a_warning_and_on_time_passes():
    report = {"825": {"freshness": "overdue"}, "860": {"freshness": "overdue"}, "926": {"freshness": "late"},
              "885": {"freshness": "on_time"}}
    result = freshness_result(report)
    assert not result.passed and result.severity == dg.AssetCheckSeverity.ERROR
    assert result.metadata["overdue_las"].value == ["825", "860"]
    assert result.metadata["late_las"].value == ["926"]
    late = freshness_result({"926": {"freshness": "late"}})
    assert not late.passed and late.severity == dg.AssetCheckSeverity.WARN
    assert freshness_result({"885": {"freshness": "on_time"}}).passed
