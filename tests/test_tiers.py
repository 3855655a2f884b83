"""The test tiers and the skip guard (tests/tiers.py), on small test files run by pytester."""

from __future__ import annotations

import pytest

from tests import tiers

TESTS = """
import pytest

@pytest.fixture
def rest_bot():
    return "http://bot"

def test_in_process():
    pass

def test_over_rest(rest_bot):
    pass

@pytest.mark.prod
def test_needs_the_stack(rest_bot):
    pass
"""


@pytest.mark.parametrize(
    "tier, selected",
    [("unit", "test_in_process"), ("rest", "test_over_rest"), ("prod", "test_needs_the_stack")],
)
def test_each_test_gets_one_tier_and_m_selects_it(pytester, tier, selected):
    pytester.makepyfile(test_mixed=TESTS)
    result = pytester.runpytest("-p", "tests.tiers", "-m", tier, "-v")
    result.assert_outcomes(passed=1, deselected=2)
    result.stdout.fnmatch_lines([f"*::{selected} PASSED*"])


def test_a_folder_gives_its_tier(pytester, monkeypatch):
    pytester.mkpydir("browser").joinpath("test_page.py").write_text("def test_page():\n    pass\n")
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")
    monkeypatch.setitem(tiers.TIER_OF_PATH, pytester.path / "browser", "browser")
    pytester.runpytest("-p", "tests.tiers", "-m", "browser").assert_outcomes(passed=1, deselected=1)
    pytester.runpytest("-p", "tests.tiers", "-m", "unit").assert_outcomes(passed=1, deselected=1)


def test_the_rest_tests_run_last(pytester):
    pytester.makepyfile(
        test_a=TESTS.replace("test_in_process", "test_first_unit"), test_b="def test_second_unit():\n    pass\n"
    )
    result = pytester.runpytest("-p", "tests.tiers", "-m", "unit or rest", "-v")
    result.stdout.fnmatch_lines(["*test_first_unit PASSED*", "*test_second_unit PASSED*", "*test_over_rest PASSED*"])


SKIPS = """
import pytest

def test_data_missing():
    pytest.skip("../shared/seeds not available")

@pytest.mark.skipif(True, reason="no trained model")
def test_model_missing():
    pass

def test_expected():
    pytest.skip("declared here: the reason of this test")

@pytest.mark.xfail(reason="a known defect")
def test_known_defect():
    assert False
"""


def test_a_skip_for_an_undeclared_reason_fails_the_run(pytester, monkeypatch):
    monkeypatch.setattr(tiers, "EXPECTED_SKIPS", {"declared here:": "this test's own"})
    pytester.makepyfile(test_skips=SKIPS)
    result = pytester.runpytest("-p", "tests.tiers")
    # the call-time skip fails, the skipif (at setup) errors; the declared one stays a skip
    result.assert_outcomes(failed=1, errors=1, skipped=1, xfailed=1)
    result.stdout.fnmatch_lines(["*skipped for a reason not declared as expected: '../shared/seeds not available'*"])
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_coverage_counts_only_the_pure_packages_own_tests(pytester, monkeypatch):
    """--cov measures while the modules are imported and while COVERAGE_TESTS run, not elsewhere."""
    monkeypatch.setenv("PYTHONPATH", str(tiers.TESTS.parent))  # a pytest of its own (no nested coverage)
    pytester.makepyfile(
        pure="def by_own_tests():\n    return 1\n\n\ndef by_other_tests():\n    return 2\n",
        conftest="from tests import tiers\n\ntiers.COVERAGE_TESTS = (tiers.Path(__file__).parent / 'own',)\n",
    )
    pytester.mkpydir("own").joinpath("test_own.py").write_text(
        "import pure\n\ndef test_own():\n    pure.by_own_tests()\n"
    )
    pytester.makepyfile(test_other="import pure\n\ndef test_other():\n    assert pure.by_other_tests() == 2\n")
    result = pytester.runpytest_subprocess(
        "-p",
        "tests.tiers",
        "--cov=pure",
        "--cov-report=term-missing",
        "-o",
        "addopts=",
        "--rootdir",
        str(pytester.path),
    )
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["pure.py * 4 * 1 * 75% * 6"])  # line 6 (by_other_tests' body) missed
