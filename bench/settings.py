"""Settings of a bench run: environment variables (BENCH_*), overridable by flags of `python -m bench`.

Full run (`make bench`) defaults; the smoke run (`make bench-smoke`) uses tiny ones (SMOKE below).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Sequence

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass
class Settings:
    folds: int = 5  # NLU cross-validation folds
    fold_limit: int = 0  # 0: evaluate every fold; else only the first N folds of the k-fold split
    nlu_per_intent: int = 0  # 0: every example; else at most this many per intent (smoke)
    epochs: int = 0  # 0: the pipelines' own epochs; else override DIET epochs (smoke)
    pipelines: str = "project,default,tfidf"
    # per-pipeline fold limits, "name:N,...", e.g. "default:1" for a quicker run: Rasa's default pipeline
    # (DIET 2 layers x 256, 100 epochs) takes about 15 min per fold on 5,200 examples here, so every fold of
    # it is most of a full run's 2 hours; with a limit, the report compares every pipeline on those folds too
    pipeline_folds: str = ""
    nlu_reuse: bool = False  # resume: reuse the fold files and var/bench/nlu/raw-<pipeline>.json already there
    nlu_train: bool = True  # train the Rasa pipelines without raw results (0: report them as not measured)
    heldout: bool = True  # also score tests/nlu after training on all of data/nlu
    heldout_pipelines: str = "project,tfidf"  # which pipelines get the held-out score (default: one more training)
    repeats: int = 3  # repetitions of each latency / throughput measure (medians + spread)
    latency_requests: int = 40  # timed requests per scenario and repetition at 1 user
    latency_users: int = 20  # concurrent users of the second latency measure
    latency_per_user: int = 5  # timed requests per user at `latency_users`
    levels: str = "10,20,50"  # concurrent conversations of the throughput measure
    duration: float = 20.0  # seconds of load per throughput level and repetition
    rasa_urls: str = ""  # comma-separated Rasa servers (behind nginx...) for the production row
    prod: str = (
        "auto"  # production row without rasa_urls: "auto" starts scripts/prod/stack.py when installed, "0" skips
    )
    cold_train: bool = True  # time a cold `rasa train --force` (minutes)
    ready_runs: int = 3  # `make run` -> first answer, repeated
    nice: int = 10  # niceness of the training runs
    sections: str = "nlu,latency,throughput,cost"
    out: str = "docs/benchmarks.md"
    work: str = "var/bench"  # fold files, raw results (JSON), logs
    smoke: bool = False

    @property
    def out_path(self) -> Path:
        return ROOT / self.out

    @property
    def work_path(self) -> Path:
        return ROOT / self.work

    def list(self, name: str) -> List[str]:
        return [x.strip() for x in str(getattr(self, name)).split(",") if x.strip()]

    def folds_of(self, pipeline: str, evaluated: int) -> int:
        """Folds evaluated for one pipeline: its limit in pipeline_folds, at most `evaluated`."""
        for item in self.list("pipeline_folds"):
            name, _, limit = item.partition(":")
            if name.strip() == pipeline and limit.strip().isdigit() and int(limit) > 0:
                return min(evaluated, int(limit))
        return evaluated


SMOKE = dict(
    folds=2,
    pipeline_folds="default:1",
    nlu_per_intent=4,
    epochs=1,
    repeats=2,
    latency_requests=4,
    latency_users=3,
    latency_per_user=2,
    levels="2,4",
    duration=2.0,
    prod="0",
    cold_train=False,
    heldout=False,
    ready_runs=1,
    out="var/bench-smoke/benchmarks.md",
    work="var/bench-smoke",
)


def _coerce(kind, value: str):
    if kind is bool or kind == "bool":
        return str(value).lower() in ("1", "true", "yes", "on")
    if kind is int or kind == "int":
        return int(value)
    if kind is float or kind == "float":
        return float(value)
    return value


def load(argv: Sequence[str] = ()) -> Settings:
    """Defaults < SMOKE (when BENCH_SMOKE=1 or --smoke) < BENCH_<NAME> env vars < --name=value flags."""
    values: Dict[str, object] = {}
    flags = {}
    for arg in argv:
        if not arg.startswith("--"):
            raise SystemExit(f"bench: unknown argument {arg!r} (use --name=value)")
        name, _, value = arg[2:].partition("=")
        flags[name.replace("-", "_")] = value if _ else "1"
    smoke = _coerce(bool, flags.get("smoke", os.environ.get("BENCH_SMOKE", "0")))
    if smoke:
        values.update(SMOKE)
    kinds = {f.name: f.type for f in fields(Settings)}
    for name, kind in kinds.items():
        env = os.environ.get(f"BENCH_{name.upper()}")
        if env is not None:
            values[name] = _coerce(kind, env)
    for name, value in flags.items():
        if name not in kinds:
            raise SystemExit(f"bench: unknown setting --{name}; known: {', '.join(kinds)}")
        values[name] = _coerce(kinds[name], value)
    values["smoke"] = smoke
    return Settings(**values)


# ---- shared helpers -------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); nan when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def summary(values: Sequence[float]) -> Dict[str, float]:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values) if values else float("nan"),
    }


def median_spread(values: Sequence[float]) -> Dict[str, float]:
    """Median over repetitions and the spread (min, max)."""
    values = [v for v in values if v == v]
    if not values:
        return {"median": float("nan"), "min": float("nan"), "max": float("nan"), "runs": 0}
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> Dict[str, str]:
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    try:
        load_avg = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load_avg = "?"
    import rasa

    return {
        "cpu": cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "rasa": rasa.__version__,
        "load_at_start": load_avg,
        "git": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def save(settings: Settings, name: str, data: object) -> Path:
    path = settings.work_path / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str))
    return path


def load_result(settings: Settings, name: str):
    path = settings.work_path / f"{name}.json"
    return json.loads(path.read_text()) if path.is_file() else None


def log(message: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def as_dict(settings: Settings) -> Dict[str, object]:
    return asdict(settings)
