"""`make bench` / `make bench-smoke`: run the sections, then write the report and charts.

    .venv/bin/python -m bench [--smoke] [--sections=nlu,latency,throughput,cost] [--folds=5] ...

Every setting of bench/settings.py is a flag (--name=value) or an env var (BENCH_NAME).
Raw results go to var/bench/<section>.json; a section left out keeps its last result there,
and the report says when each was measured.
"""

from __future__ import annotations

import sys
import time

from bench import settings as settings_module
from bench.settings import log, machine, save


def main(argv) -> int:
    settings = settings_module.load(argv)
    settings.work_path.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    meta = {
        "machine": machine(),
        "settings": settings_module.as_dict(settings),
        "command": "make bench-smoke" if settings.smoke else "make bench",
        "argv": list(argv),
    }
    log(f"settings: {meta['settings']}")
    sections = settings.list("sections")
    if "nlu" in sections:
        from bench import nlu

        nlu.run(settings)
    if {"latency", "throughput", "cost"} & set(sections):  # a current model in models/ (skips when up to date)
        import subprocess

        from bench.settings import ROOT

        subprocess.run(["make", "--no-print-directory", "train"], cwd=ROOT, check=True)
    if "latency" in sections or "throughput" in sections:
        from bench import load

        load.run(settings, latency="latency" in sections, throughput="throughput" in sections)
    if "cost" in sections:
        from bench import cost, sandbox

        cost.run(settings)
        sandbox.run(settings)
    meta["seconds"] = time.monotonic() - started
    # a run of only some sections (a resumed or partial run) keeps the record of the earlier ones
    from bench.settings import load_result

    previous = load_result(settings, "meta") or {}
    runs = (
        []
        if set(sections) >= {"nlu", "latency", "throughput", "cost"}
        else previous.get("runs")
        or (
            [
                {k: previous[k] for k in ("command", "argv", "seconds", "settings") if k in previous}
                | {
                    "date": previous.get("machine", {}).get("date"),
                    "sections": previous.get("settings", {}).get("sections"),
                }
            ]
            if previous
            else []
        )
    )
    runs.append(
        {
            "command": meta["command"],
            "argv": list(argv),
            "seconds": meta["seconds"],
            "date": meta["machine"]["date"],
            "sections": ",".join(sections),
        }
    )
    meta["runs"] = runs
    save(settings, "meta", meta)
    from bench import report

    path = report.write(settings)
    log(f"report written: {path} ({meta['seconds'] / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
