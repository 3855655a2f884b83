"""Test tiers, and a guard that fails a run on a skip nobody declared as expected (a pytest plugin,
loaded by tests/conftest.py).

Tiers (markers declared in pyproject.toml, given here to every collected test):
- `unit`     in-process tests (actions, answers, sandbox, locator, server_ext...), no bot;
- `rest`     the real servers over Rasa's REST channel: every test that uses the `rest_bot`
             fixture (or `bot`, its URL), one bot started once for the whole session;
- `browser`  tests/browser (the widget in headless Chromium);
- `prod`     tests/prod (PostgreSQL, Redis, nginx, 2+2 servers) and tests marked `prod` elsewhere;
- `bench`    tests/test_bench_smoke.py (`make bench` with tiny settings).
A test marked with a tier keeps it. A plain `pytest` runs `unit or rest` (pyproject's addopts);
the Makefile chooses with `-m`: `make test-py` (unit or rest), `test-browser`, `test-prod`,
`bench-smoke`. A tier is deselected, never skipped.

A skipped test fails unless its reason starts with one of `EXPECTED_SKIPS` (none today): a
missing sheet, model or data file must fail, not skip.

Coverage (`make test-py`'s --cov, pytest-cov): the pure packages are measured while the modules
are imported and while their own tests run (`COVERAGE_TESTS`); it is paused for the other tests,
since tracing the whole run roughly doubled its time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterator, List

import pytest

TESTS = Path(__file__).resolve().parent
TIERS = ("unit", "rest", "browser", "prod", "bench")
# Tiers given by where a test lives (elsewhere: `rest` if it uses the shared bot, else `unit`).
TIER_OF_PATH = {TESTS / "browser": "browser", TESTS / "prod": "prod", TESTS / "test_bench_smoke.py": "bench"}
REST_FIXTURE = "rest_bot"
# The tests whose runs count in the coverage figure of the pure packages (actions/sandbox, actions/locator).
COVERAGE_TESTS = (TESTS / "sandbox", TESTS / "locator")
# Skip reasons a run accepts: {reason prefix: why it is expected}. Anything else fails the test.
EXPECTED_SKIPS: Dict[str, str] = {}


def tier_of(item: pytest.Item) -> str:
    """The tier of a collected test: its own tier marker, else its folder, else rest or unit."""
    marked = [name for name in TIERS if item.get_closest_marker(name)]
    if marked:
        return marked[0]
    path = Path(str(item.fspath)).resolve()
    for where, tier in TIER_OF_PATH.items():
        if path == where or where in path.parents:
            return tier
    return "rest" if REST_FIXTURE in getattr(item, "fixturenames", ()) else "unit"


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    tiers = {}
    for item in items:
        tiers[item.nodeid] = tier = tier_of(item)
        if not item.get_closest_marker(tier):
            item.add_marker(getattr(pytest.mark, tier))
    # The REST tests last (a stable sort): the quick tiers fail first, and the shared bot runs
    # only while the REST tests do.
    items.sort(key=lambda item: tiers[item.nodeid] == "rest")


def skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return reason[len("Skipped: ") :] if reason.startswith("Skipped: ") else reason


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = skip_reason(report)
        if not any(reason.startswith(expected) for expected in EXPECTED_SKIPS):
            report.outcome = "failed"
            report.longrepr = (
                f"skipped for a reason not declared as expected: {reason!r}\n"
                "A missing file, sheet or model must fail, not skip; a tier is chosen with -m "
                "(tests/tiers.py: EXPECTED_SKIPS lists the accepted reasons)."
            )


def _coverage(config: pytest.Config):
    """pytest-cov's controller when --cov is on, else None."""
    plugin = config.pluginmanager.get_plugin("_cov")
    return getattr(plugin, "cov_controller", None)


def measured(item: pytest.Item) -> bool:
    path = Path(str(item.fspath)).resolve()
    return any(where in path.parents for where in COVERAGE_TESTS)


def pytest_collection_finish(session: pytest.Session) -> None:
    controller = _coverage(session.config)
    if controller is not None and controller.started:
        controller.pause()  # the modules are imported: from now on, only COVERAGE_TESTS count


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem) -> Iterator[None]:
    controller = _coverage(item.config)
    if controller is None or not measured(item):
        yield
        return
    controller.resume()
    try:
        yield
    finally:
        controller.pause()
