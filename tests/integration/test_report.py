"""The HTML KPI report, rendered in headless Chromium as a manager would open it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import needs_chromium, render

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(example_build) -> Path:
    assert f"KPI report: {example_build.report}" in example_build.run.stdout  # written by the Dagster asset
    return example_build.report


@needs_chromium
def test_report_renders_scorecard_trends_and_waits(report, tmp_path):
    png = tmp_path / "report.png"
    dom = render(report.as_uri(), screenshot=png)
    assert "Worcestershire (885)" in dom
    assert "Data as at 20 July 2024 23:59" in dom
    assert dom.count('class="trend"') == 11  # one chart per KPI
    assert dom.count('class="target"') == 11  # each with its target line
    assert len(re.findall(r'data-series="all councils"', dom)) >= 11
    scorecard = re.search(r'<table class="scorecard">(.*?)</table>', dom, re.S).group(1)
    assert scorecard.count("<tr>") == 12  # header + 11 KPIs
    assert re.search(r'class="rag"[^>]*>(GREEN|AMBER|RED)<', scorecard)
    assert "Front Door: 25 contact(s) awaiting a decision" in dom  # the example's open contacts
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000


def test_report_is_self_contained(report):
    text = report.read_text()
    assert not re.search(r'(src|href)="https?://', text)  # no network needed to open it
    assert "<script" not in text
    assert 10_000 < len(text) < 2_000_000
