"""Start the real action server + Rasa server for the load measures (free ports, temp sandbox DB).

tests/servers.py `started_bot` does the start-up; it also yields the action server's URL and the
process ids: the bench calls the action server directly and reads each server's memory.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List

from tests.servers import Bot, started_bot


def locator_env(tmp: Path) -> Dict[str, str]:
    from tests.conftest import locator_env as env  # the ANCT list shipped in actions/locator/data

    found = env(tmp)
    if not found and os.environ.get("FRANCE_SERVICES_CSV"):
        found = {"FRANCE_SERVICES_CSV": os.environ["FRANCE_SERVICES_CSV"]}
    return found


@contextmanager
def bot(tmp: Path, enable_api: bool = True) -> Iterator[Bot]:
    env = {"LOG_LEVEL": "WARNING", "SANDBOX_DATABASE_URL": f"sqlite:///{tmp / 'sandbox.sqlite3'}", **locator_env(tmp)}
    with started_bot(tmp, env, ["--enable-api"] if enable_api else []) as server:
        yield server


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


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process tree, seconds (from /proc/<pid>/stat).

    Far less sensitive than msg/s to other jobs on the machine: a message costs the same CPU whether
    or not it had to wait for a core."""
    total = 0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
        except (OSError, IndexError, ValueError):  # the process ended meanwhile
            continue
    return total / CLOCK_TICKS


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
