"""Scenario files are validated: a typo is an error naming the file, the key and the line."""

from __future__ import annotations

import pytest

from pipelines.core.config import ConfigError
from pipelines.synthetic.scenario import load_scenario


def test_the_demo_scenario_loads_with_its_quotas():
    councils = {c.la_code: c for c in load_scenario()}
    assert sorted(councils) == ["825", "860", "885", "926", "935"]
    assert {la: c.formats for la, c in councils.items()} == {
        "825": ("ssd",), "860": ("ssd",), "885": ("ssd",), "926": ("ssd",),
        "935": ("ssda903", "cin_census")}  # Suffolk sends only its statutory returns
    assert councils["885"].quotas(__import__("datetime").date(2017, 7, 1))["rhi_within_72h_of_returns"] == 0.24


@pytest.mark.parametrize("text,line,key", [
    ("councils:\n  - la_code: '885'\n    extract_date: 2017-10-13\n    rates: {fd_within_24hrs: 0.5}\n", 4,
     "councils.0.rates.fd_within_24hrs"),
    ("councils:\n  - la_code: '885'\n    extract_date: 2017-10-13\n    month_quotas: {}\n", 4,
     "councils.0.month_quotas: unknown key (a typo?)"),
])
def test_a_typo_names_the_file_line_and_key(tmp_path, text, line, key):
    path = tmp_path / "s.yml"
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        load_scenario(path)
    assert str(error.value).startswith(f"{path}:{line}: {key}")
