"""`make bench` with tiny settings: the report is written with every section, its charts, and the
bot answered every request of the load measures. Figures are not checked (benchmarks write them;
timed tests would be flaky on a shared machine).

The `bench` tier (a few minutes: it trains two NLU pipelines and starts the servers twice):
`make bench-smoke`, or `pytest -m bench`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    out = work / "benchmarks.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", f"--work={work}", f"--out={out}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return work, out.read_text()


def test_the_report_has_every_section_with_figures(smoke):
    _, report = smoke
    for heading in ("## Goals", "## 1. NLU quality", "## 2. Latency", "## 3. Throughput", "## 4. Cost"):
        assert heading in report
    assert "Not measured in this run" not in report
    assert "Profile not measured" not in report  # what a webhook call is made of (latency section)
    assert "Machine:" in report and "Command: `" in report and "--smoke" in report
    for figure in (
        "Rasa default pipeline",
        "TF-IDF",
        "10 worst confusions",
        "p95",
        "msg/s",
        "not measured: production mode not available",
        "`make run` → first REST answer",
        "resident memory",
        "which every pipeline ran",
    ):  # the smoke settings run the default pipeline on 1 fold of 2 (pipeline_folds)
        assert figure in report, figure


def test_the_charts_are_written_beside_the_report(smoke):
    work, report = smoke
    for chart in ("nlu-per-intent", "nlu-confusion", "latency", "throughput"):
        path = work / f"benchmarks-{chart}.png"
        assert path.is_file() and path.stat().st_size > 5000
        assert f"(benchmarks-{chart}.png)" in report


def test_the_bot_answered_every_request_under_load(smoke):
    work, _ = smoke
    latency = json.loads((work / "latency.json").read_text())
    throughput = json.loads((work / "throughput.json").read_text())
    for scenario, entry in latency["scenarios"].items():
        for users, figures in entry.items():
            assert figures["errors"] == 0 and figures["unexpected"] == 0, (scenario, users, figures)
    for users, figures in throughput["levels"].items():
        assert figures["errors"] == 0 and figures["messages"] > 0, (users, figures)
