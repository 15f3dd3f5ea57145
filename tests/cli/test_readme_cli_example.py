"""The README's example test file for the real Pulumi CLI, as a user meets it: in a fresh
project, run by pytest in a subprocess (so the plugin is found through the installed entry
point), where it drives `pulumi` itself. Its twin for the program runner, and the plugin's
other behaviour, are tested in tests/testing/test_pytest_plugin.py."""
from __future__ import annotations

from tests.testing.test_pytest_plugin import readme_examples, run_user_tests


def test_the_readme_cli_example_passes_through_the_real_pulumi(pytester):
    result = run_user_tests(pytester, readme_examples()[1])
    result.assert_outcomes(passed=1)
