"""Cost: `rasa train` wall time and peak memory (cold, and the no-change `make train`), model size,
time from `make run` to the first REST answer (already installed and trained), resident memory
of each server after warm-up.

Wall time and peak memory come from GNU `/usr/bin/time -v` (Debian package `time`, installed with
apt-get when missing and root); without it, /proc is polled every 0.2 s (the report says so).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

from bench.servers import cpu_seconds, locator_env, memory_mib, tree
from bench.settings import BIN, ROOT, Settings, log, median_spread, save
from tests.rest_client import free_port

GNU_TIME = Path("/usr/bin/time")


def ensure_gnu_time() -> bool:
    def ok() -> bool:
        return GNU_TIME.is_file() and subprocess.run([str(GNU_TIME), "-v", "true"], capture_output=True).returncode == 0

    if not ok() and os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing GNU time (apt-get install -y time)")
        subprocess.run(["apt-get", "install", "-y", "-q", "time"], capture_output=True)
    return ok()


def measure(cmd: List[str], log_path: Path, env: Optional[Dict[str, str]] = None) -> Dict[str, object]:
    """Run cmd in ROOT; wall seconds, peak RSS (MiB) and exit status."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore", **(env or {})}
    if ensure_gnu_time():
        report = log_path.with_suffix(".time")
        with log_path.open("w") as handle:
            status = subprocess.run(
                [str(GNU_TIME), "-v", "-o", str(report), *cmd],
                cwd=ROOT,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
            ).returncode
        text = report.read_text()
        wall = re.search(r"Elapsed \(wall clock\) time.*: (.+)", text).group(1).strip()
        seconds = sum(float(part) * 60**i for i, part in enumerate(reversed(wall.split(":"))))
        peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
        cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", text).group(1)) for kind in ("User", "System"))
        return {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "peak_mib": peak_kb / 1024,
            "status": status,
            "tool": "/usr/bin/time -v",
            "load_average_after": os.getloadavg()[0],
        }
    started, peak = time.monotonic(), 0.0
    with log_path.open("w") as handle:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
        while proc.poll() is None:
            peak = max(peak, memory_mib(proc.pid)["rss"])
            time.sleep(0.2)
    return {
        "seconds": time.monotonic() - started,
        "peak_mib": peak,
        "status": proc.returncode,
        "tool": "/proc polling every 0.2 s (GNU time missing): whole process tree",
    }


def _nice(settings: Settings, cmd: List[str]) -> List[str]:
    return ["nice", "-n", str(settings.nice), *cmd] if settings.nice else cmd


def components(log_path: Path) -> Dict[str, float]:
    """Seconds per trained component, from the INFO lines of `rasa train` (Starting/Finished training)."""
    from datetime import datetime

    stamp = r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)"
    started: Dict[str, datetime] = {}
    out: Dict[str, float] = {}
    for line in log_path.read_text(errors="replace").splitlines():
        found = re.search(stamp + r".*(Starting to train|Finished training) component '([^']+)'", line)
        if not found:
            continue
        when = datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S")
        if found.group(2) == "Starting to train":
            started[found.group(3)] = when
        elif found.group(3) in started:
            name = found.group(3)
            out[name] = out.get(name, 0.0) + (when - started.pop(name)).total_seconds()
    return out


def training(settings: Settings) -> Dict[str, object]:
    out: Dict[str, object] = {}
    logs = settings.work_path
    if settings.cold_train:
        with tempfile.TemporaryDirectory(prefix="bench-train-") as tmp:
            log("cost: cold `rasa train --force` (a few minutes)")
            cold = measure(
                _nice(
                    settings,
                    [  # as `make train` runs it (scripts/rasa_cli.py)
                        str(BIN / "python"),
                        str(ROOT / "scripts" / "rasa_cli.py"),
                        "train",
                        "--force",
                        "--augmentation",
                        "0",
                        "--out",
                        tmp,
                        "--fixed-model-name",
                        "cold",
                    ],
                ),
                logs / "train-cold.log",
            )
            models = list(Path(tmp).glob("*.tar.gz"))
            cold["model_mib"] = models[0].stat().st_size / 2**20 if models else None
            cold["components"] = components(logs / "train-cold.log")
            out["cold"] = cold
            log(f"cost: cold training {cold['seconds']:.0f} s, peak {cold['peak_mib']:.0f} MiB")
    log("cost: no-change `make train`")
    out["no_change"] = measure(["make", "--no-print-directory", "train"], logs / "train-nochange.log")
    model = ROOT / "models" / "amelibot.tar.gz"
    out["model_mib"] = model.stat().st_size / 2**20 if model.is_file() else None
    return out


def _answer(url: str) -> bool:
    body = json.dumps({"sender": f"bench-ready-{time.monotonic_ns()}", "message": "bonjour"}).encode()
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200 and bool(json.loads(response.read()))
    except (OSError, ValueError):
        return False


def _up(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).read()
        return True
    except OSError:
        return False


def _servers(root_pid: int) -> Dict[str, int]:
    """The three servers under `make run`, by command line."""
    found: Dict[str, int] = {}
    for pid in tree(root_pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "run actions" in cmdline:
            found.setdefault("action server", pid)
        elif "rasa run" in cmdline or "rasa_cli.py run" in cmdline:  # scripts/run.sh starts rasa through rasa_cli.py
            found.setdefault("Rasa server", pid)
        elif "web/server.py" in cmdline:
            found.setdefault("web widget", pid)
    return found


def ready(settings: Settings, runs: int) -> Dict[str, object]:
    """`make run` -> first non-empty REST answer, `runs` times; memory of each server after warm-up."""
    subprocess.run([str(ROOT / "web" / "install.sh")], cwd=ROOT, capture_output=True)  # "already installed"
    seconds: List[float] = []
    phases: List[Dict[str, float]] = []
    memory: Dict[str, Dict[str, float]] = {}
    for i in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
            ports = {"ACTIONS_PORT": free_port(), "RASA_PORT": free_port(), "WEB_PORT": free_port()}
            env = {
                **os.environ,
                **{k: str(v) for k, v in ports.items()},
                **locator_env(Path(tmp)),
                "SANDBOX_DATABASE_URL": f"sqlite:///{Path(tmp) / 'sandbox.sqlite3'}",
            }
            url = f"http://127.0.0.1:{ports['RASA_PORT']}"
            started = time.monotonic()
            proc = subprocess.Popen(
                ["make", "--no-print-directory", "run"],
                cwd=ROOT,
                env=env,
                stdout=(settings.work_path / "make-run.log").open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            phase: Dict[str, float] = {}
            try:
                while not _answer(url):
                    if proc.poll() is not None or time.monotonic() - started > 600:
                        raise RuntimeError(f"`make run` gave no answer; see {settings.work_path / 'make-run.log'}")
                    if "action server up" not in phase and _up(f"http://127.0.0.1:{ports['ACTIONS_PORT']}/health"):
                        phase["action server up"] = time.monotonic() - started
                    time.sleep(0.1)
                seconds.append(time.monotonic() - started)
                phase["first answer"] = seconds[-1]
                phase.update({f"{name} CPU s": cpu_seconds(pid) for name, pid in _servers(proc.pid).items()})
                phase["load average"] = os.getloadavg()[0]
                phases.append(phase)
                log(f"cost: `make run` answered after {seconds[-1]:.1f} s")
                if i == 0:  # warm-up, then resident memory of each server
                    for text in (
                        "je n'ai pas reçu mon code",
                        "une France Services à Voiron",
                        "simuler une connexion",
                        "1 75 01 69 123 456 79",
                        "merci",
                    ):
                        body = json.dumps({"sender": "bench-warm", "message": text}).encode()
                        urllib.request.urlopen(
                            urllib.request.Request(
                                f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
                            ),
                            timeout=30,
                        ).read()
                    memory = {name: memory_mib(pid) for name, pid in _servers(proc.pid).items()}
            finally:
                os.killpg(proc.pid, signal.SIGINT)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
    return {"seconds": median_spread(seconds), "runs": seconds, "phases": phases, "memory": memory}


def run(settings: Settings) -> Dict[str, object]:
    result = {"training": training(settings)}
    result["ready"] = ready(settings, max(1, settings.ready_runs))
    save(settings, "cost", result)
    return result
