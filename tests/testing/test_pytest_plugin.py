"""The pytest plugin as a user meets it: a test file in a fresh project, run by pytest in a
subprocess (so the plugin is found through the installed entry point, as in a user's CI)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Testing your programs"


def readme_examples() -> list[str]:
    """The example test files shown in the README's "Testing your programs" section: the
    program runner's, then the real CLI's (run by tests/cli/test_readme_cli_example.py)."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(SECTION):]
    section = section[: section.index("\n## ", len(SECTION))]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2, "the section shows one example test file for each runner"
    return blocks


def readme_example() -> str:
    return readme_examples()[0]


def run_user_tests(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_user=source)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=240)


def test_the_readme_example_passes_against_the_emulator(pytester):
    result = run_user_tests(pytester, readme_example())
    result.assert_outcomes(passed=1)


def test_the_readme_example_fails_when_its_expectation_is_wrong(pytester):
    wrong = readme_example().replace('assert sim["name"] == "pump-7"', 'assert sim["name"] == "pump-8"')
    assert wrong != readme_example()
    result = run_user_tests(pytester, wrong)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*AssertionError*pump-7*pump-8*"])


def test_drift_made_on_the_emulator_shows_in_the_next_preview(pytester):
    result = run_user_tests(pytester, '''
import pulumi_novaconnect as nc


def test_drift(novaconnect_program, novaconnect_control):
    iccid = novaconnect_control.pick("TD")["iccid"]
    stack = novaconnect_program(lambda: nc.SimConfig("tracker", iccid=iccid, name="tracker-1"))
    stack.up()
    novaconnect_control.change_sim(iccid, name="renamed by hand")
    assert stack.preview().kinds == {"tracker": "update"}
    stack.up()
    assert novaconnect_control.sim(iccid)["name"] == "tracker-1"
    stack.destroy()
    assert stack.load_state()["resources"] == []
''')
    result.assert_outcomes(passed=1)


def test_marker_and_options_fixture_choose_the_fleet_and_each_test_starts_from_it(pytester):
    pytester.makeconftest('''
import pytest


@pytest.fixture(scope="session")
def novaconnect_emulator_options():
    return {"sims": 12, "seed": 5, "queue_delay": 0.05}
''')
    result = run_user_tests(pytester, '''
import pytest


def test_the_session_fleet_comes_from_the_options_fixture(novaconnect_control):
    assert len(novaconnect_control.sims()) == 12
    novaconnect_control.fault("sim/list", status=503, times=None)
    novaconnect_control.change_sim(novaconnect_control.sims()[0]["iccid"], name="changed")


@pytest.mark.novaconnect(sims=3, seed=9)
def test_a_marker_gives_one_test_another_fleet(novaconnect_control):
    assert len(novaconnect_control.sims()) == 3


def test_the_next_test_gets_the_session_fleet_back_unchanged(novaconnect_control):
    sims = novaconnect_control.sims()
    assert len(sims) == 12 and "changed" not in [s["name"] for s in sims]
    assert novaconnect_control.faults() == []
    assert novaconnect_control.requests() == []  # the reset also cleared the request log
''')
    result.assert_outcomes(passed=3)


def test_a_marker_with_an_unknown_option_is_an_error_naming_the_options(pytester):
    result = run_user_tests(pytester, '''
import pytest


@pytest.mark.novaconnect(size=3)
def test_fleet(novaconnect_emulator):
    pass
''')
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*takes sims, seed and queue_delay*size*"])
