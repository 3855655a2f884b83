"""Start the real action server + Rasa server for the load measures (free ports, temp sandbox DB).

Same start-up as tests/servers.py `running_bot` (its helpers are reused), but it also yields the
ports and process ids: the bench calls the action server directly and reads each server's memory.
"""
from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List

from bench.settings import BIN, ROOT
from tests.servers import _wait, free_port


@dataclass
class Bot:
    url: str
    actions_url: str
    pids: Dict[str, int]


def locator_env(tmp: Path) -> Dict[str, str]:
    from tests.conftest import locator_env as env  # the shared ANCT list + a writable GeoNames copy

    found = env(tmp)
    if not found and os.environ.get("FRANCE_SERVICES_CSV"):
        found = {"FRANCE_SERVICES_CSV": os.environ["FRANCE_SERVICES_CSV"]}
    return found


@contextmanager
def bot(tmp: Path, enable_api: bool = True) -> Iterator[Bot]:
    if not list((ROOT / "models").glob("*.tar.gz")):
        raise RuntimeError("no trained model in models/: run `make train` first")
    actions_port, rasa_port = free_port(), free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n')
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore", "LOG_LEVEL": "WARNING",
           "SANDBOX_DATABASE_URL": f"sqlite:///{tmp / 'sandbox.sqlite3'}", **locator_env(tmp)}
    logs = {name: tmp / f"{name}.log" for name in ("actions", "rasa")}
    procs: List[subprocess.Popen] = []
    try:
        procs.append(subprocess.Popen(
            [str(BIN / "rasa"), "run", "actions", "--port", str(actions_port)],
            cwd=ROOT, env=env, stdout=logs["actions"].open("w"), stderr=subprocess.STDOUT))
        procs.append(subprocess.Popen(
            [str(BIN / "rasa"), "run", "--model", "models", "--port", str(rasa_port), "--endpoints", str(endpoints),
             "--credentials", "credentials.yml", *(["--enable-api"] if enable_api else [])],
            cwd=ROOT, env=env, stdout=logs["rasa"].open("w"), stderr=subprocess.STDOUT))
        _wait(f"http://127.0.0.1:{actions_port}/health", procs[0], logs["actions"])
        _wait(f"http://127.0.0.1:{rasa_port}/", procs[1], logs["rasa"])
        yield Bot(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{actions_port}",
                  {"action server": procs[0].pid, "Rasa server": procs[1].pid})
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def tree(pid: int) -> List[int]:
    """pid and its descendants (from /proc)."""
    children: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def memory_mib(pid: int) -> Dict[str, float]:
    """Resident memory now (VmRSS) and its peak (VmHWM) of a process tree, MiB."""
    rss = hwm = 0
    for p in tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm += int(line.split()[1])
        except OSError:
            continue
    return {"rss": rss / 1024, "peak": hwm / 1024}
