"""`make profile`'s summaries (bench/profile.py) and the report's hand-written tail (bench/report.py)."""

from __future__ import annotations

import os

from bench import profile, report
from bench.servers import cpu_seconds
from bench.settings import Settings

SAMPLES = """\
process 1:"rasa";handle_message (rasa/core/processor.py:152);parse (rasa/nlu/diet.py:10);matmul (tf/x.py:1) 6
process 1:"rasa";handle_message (rasa/core/processor.py:152);parse (rasa/nlu/diet.py:10) 2
process 1:"rasa";handle_message (rasa/core/processor.py:152);validate (jsonschema/validators.py:5) 2
"""


def test_top_counts_inclusive_and_self_shares(tmp_path):
    path = tmp_path / "rasa.collapsed"
    path.write_text(SAMPLES)
    tops = profile.top(profile.read_collapsed(path))
    inclusive = {name.split(" ")[0]: share for name, _, share in tops["inclusive"]}
    own = {name.split(" ")[0]: share for name, _, share in tops["self"]}
    assert inclusive["handle_message"] == 100.0 and inclusive["parse"] == 80.0
    assert own == {"matmul": 60.0, "parse": 20.0, "validate": 20.0}
    assert "process" not in inclusive  # py-spy's root label is not a function


def test_flamegraph_gives_each_frame_its_share(tmp_path):
    path = tmp_path / "rasa.collapsed"
    path.write_text(SAMPLES)
    svg = tmp_path / "rasa.svg"
    profile.flamegraph(profile.read_collapsed(path), svg, "test")
    text = svg.read_text()
    assert text.startswith("<svg") and text.rstrip().endswith("</svg>")
    assert "parse (rasa/nlu/diet.py:10) — 8 samples, 80.0 %" in text


def test_cpu_seconds_grows_with_work():
    before = cpu_seconds(os.getpid())
    sum(i * i for i in range(3_000_000))
    assert cpu_seconds(os.getpid()) > before


def test_the_report_keeps_what_follows_the_marker(tmp_path):
    settings = Settings(out=str(tmp_path / "benchmarks.md"), work=str(tmp_path / "work"))
    out = tmp_path / "benchmarks.md"
    out.write_text("# old generated part\n\n" + report.KEEP_MARKER + "\n\n## Issue 18\n\nhand-written figures\n")
    report.write(settings)
    text = out.read_text()
    assert "# old generated part" not in text and "## Goals" in text
    assert text.count(report.KEEP_MARKER) == 1
    assert text.endswith(report.KEEP_MARKER + "\n\n## Issue 18\n\nhand-written figures\n")
    report.write(settings)  # twice: still one tail
    assert out.read_text() == text


def test_the_production_layout_sums_cpu_per_message_by_role():
    from bench.load import _cpu_by_role

    run = {"cpu_ms_per_msg": {"rasa-0": 20.0, "rasa-1": 15.0, "actions-0": 1.0, "actions-1": 2.0, "load client": 1.2}}
    assert _cpu_by_role(run) == {"Rasa server": 35.0, "action server": 3.0, "load client": 1.2}
