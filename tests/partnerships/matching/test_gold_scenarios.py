"""The gold scenarios (tests/partnerships/matching/gold/*.yaml): designed cities with the pairs a
broker expects and the pairs that must not appear, through the engine and the quality command."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from partnerships.matching.quality import Vocabulary, evaluate, read_scenario, scenario_files

SCENARIOS = scenario_files()


def test_there_are_at_least_four_scenarios():
    assert len(SCENARIOS) >= 4


@pytest.mark.parametrize("path", SCENARIOS, ids=[path.stem for path in SCENARIOS])
def test_each_scenario_meets_the_brokers_expectations(path):
    scenario = read_scenario(path, Vocabulary.read())

    figures = evaluate(scenario)

    assert figures.wrong == []  # no pair that must not appear
    assert figures.precision >= 0.9, figures.wrong
    assert figures.recall >= 0.9, figures.missed
    if figures.invitable_possible:
        assert figures.share_invitable >= 0.6
    assert figures.agreement >= 0.9  # one run over all cities and the cities one after another agree


def test_the_quality_command_prints_the_table():
    out = StringIO()

    call_command("matching_quality", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["scenario", "proposed", "precision", "recall", "invitable", "agreement"]
    assert len([line for line in lines if line.endswith(tuple("0123456789"))]) == len(SCENARIOS) + 1
    assert any(line.startswith("all scenarios") for line in lines)


def test_a_scenario_naming_an_unknown_theme_is_refused_with_the_file_and_the_name(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\ncountries: {PE: {region: americas}}\n"
        "cities:\n  - {slug: cusco, country: PE, interest: {themes_sought: [space-travel]}}\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match=r"bad\.yaml: unknown theme 'space-travel'"):
        call_command("matching_quality", str(bad), stdout=StringIO())
