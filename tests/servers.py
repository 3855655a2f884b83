"""Start the real action server and Rasa server for end-to-end tests, on free ports."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, Sequence

import yaml

from tests.rest_client import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The Rasa server as `make run` starts it (scripts/rasa_cli.py: no TensorFlow, the warning filters)
RASA_SERVER = (str(BIN / "python"), str(ROOT / "scripts" / "rasa_cli.py"))


def _wait(url: str, proc: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server stopped while starting:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"server not ready after {timeout}s: {url}\n{log.read_text()[-3000:]}")


@dataclass
class Bot:
    """A running Rasa server and its action server."""

    url: str
    actions_url: str
    pids: Dict[str, int]


def endpoints_for(actions_port: int, extra: str = "") -> str:
    """The project's endpoints.yml (what `make run` uses), with this action server and `extra` sections."""
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    config["action_endpoint"] = {"url": f"http://127.0.0.1:{actions_port}/webhook"}
    config.update(yaml.safe_load(extra) or {})
    return yaml.safe_dump(config)


@contextmanager
def started_bot(
    tmp: Path, env: Dict[str, str] | None = None, extra_args: Sequence[str] = (), endpoints_extra: str = ""
) -> Iterator[Bot]:
    """Start an action server and a Rasa server wired to it, on free ports; yield both URLs and pids.

    extra_args: more `rasa run` options (e.g. "--enable-api" to read trackers in a test).
    endpoints_extra: more endpoints.yml sections (e.g. a `tracker_store:`).
    """
    if not list((ROOT / "models").glob("*.tar.gz")):
        raise RuntimeError("no trained model in models/: run `make train` first")
    actions_port, rasa_port = free_port(), free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(endpoints_for(actions_port, endpoints_extra))
    full_env = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "PYTHONWARNINGS": "ignore",
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "SANIC_KEEP_ALIVE_TIMEOUT": os.environ.get("SANIC_KEEP_ALIVE_TIMEOUT", "75"),
        **(env or {}),
    }
    logs = {name: tmp / f"{name}.log" for name in ("actions", "rasa")}
    procs = []
    try:
        procs.append(
            subprocess.Popen(
                [str(BIN / "rasa"), "run", "actions", "--port", str(actions_port)],
                cwd=ROOT,
                env=full_env,
                stdout=logs["actions"].open("w"),
                stderr=subprocess.STDOUT,
            )
        )
        procs.append(
            subprocess.Popen(
                [
                    *RASA_SERVER,
                    "run",
                    "--model",
                    "models",
                    "--port",
                    str(rasa_port),
                    "--endpoints",
                    str(endpoints),
                    "--credentials",
                    "credentials.yml",
                    "--cors",
                    "*",
                    *extra_args,
                ],
                cwd=ROOT,
                env=full_env,
                stdout=logs["rasa"].open("w"),
                stderr=subprocess.STDOUT,
            )
        )
        _wait(f"http://127.0.0.1:{actions_port}/health", procs[0], logs["actions"])
        _wait(f"http://127.0.0.1:{rasa_port}/", procs[1], logs["rasa"])
        yield Bot(
            f"http://127.0.0.1:{rasa_port}",
            f"http://127.0.0.1:{actions_port}",
            {"action server": procs[0].pid, "Rasa server": procs[1].pid},
        )
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def running_bot(
    tmp: Path, env: Dict[str, str] | None = None, extra_args: Sequence[str] = (), endpoints_extra: str = ""
) -> Iterator[str]:
    """Yield the base URL of a Rasa server wired to its own action server (see `started_bot`)."""
    with started_bot(tmp, env, extra_args, endpoints_extra) as bot:
        yield bot.url


@contextmanager
def running_web(tmp: Path, rasa_url: str, env: Dict[str, str] | None = None) -> Iterator[str]:
    """Yield the base URL of the web widget's server (web/server.py) talking to `rasa_url`.

    Installs the widget's pinned npm packages first when missing (web/install.sh).
    """
    subprocess.run([str(ROOT / "web" / "install.sh")], cwd=ROOT, check=True)
    port = free_port()
    log = tmp / "web.log"
    full_env = {**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "web.server", "--port", str(port), "--rasa-url", rasa_url],
        cwd=ROOT,
        env=full_env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait(f"http://127.0.0.1:{port}/health", proc, log, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
