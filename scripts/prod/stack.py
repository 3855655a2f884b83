"""The production-mode stack on one machine, loopback only: PostgreSQL, Redis, N action servers,
2 Rasa servers, the mailbox API and nginx in front.

    .venv/bin/python -m scripts.prod.stack [--state-dir var/prod] [--rasa 2] [--actions 2] [--port 8080]

Layout (every port on 127.0.0.1, each one configurable):

    browser ──> nginx :8080 ──┬─ /webhooks/, /socket.io/ ─> Rasa servers :5005, :5006 (sticky
                              │                             on the `amelibot_route` cookie)
                              ├─ /api/, /atelier ─> mailbox and workshop API and pages (web/server.py) :8081
                              └─ /, /static/, /vendor/ ─> web/static, socket.io-client (files)
    Rasa servers ──> nginx :5054 ──> action servers :5055, :5056 (round robin; when none
                     answers, nginx answers « service momentanément indisponible »)
    Rasa servers ──> PostgreSQL :5433 (tracker store) and Redis :6380 (lock store)
    action servers, mailbox API ──> PostgreSQL (sandbox database)

State (var/prod/ by default): the PostgreSQL cluster (initialised once, kept across runs),
the generated secrets (`secrets.env`, mode 0600), nginx's config (rendered from
deploy/nginx/amelibot.conf.j2) and logs. `make run-prod` (main) prepares PostgreSQL and nginx's
config, then runs the servers under honcho from the generated `Procfile` (honcho shows them start
and stop; one stopping on its own stops all, like Ctrl-C).
`Stack` is also the test fixture's engine (tests/prod/conftest.py): it starts everything on
free ports in a temporary directory and can stop, kill and restart each service.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

PG_USER = "amelibot"
TRACKER_DB = "amelibot_tracker"
SANDBOX_DB = "amelibot_sandbox"
ROUTE_COOKIE = "amelibot_route"
# nginx's configuration, a Jinja2 template rendered at each start (deploy/README.md)
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "amelibot.conf.j2"
# the settings shared with Kubernetes (shared_settings)
CONFIG_MAP = ROOT / "deploy" / "k8s" / "config.yaml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_busy(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def shared_settings() -> Dict[str, str]:
    """The servers' settings that are the same on one machine and on Kubernetes: the data of the
    ConfigMap `amelibot-config` (deploy/k8s/config.yaml), less the addresses and ports."""
    import yaml

    for doc in yaml.safe_load_all(CONFIG_MAP.read_text(encoding="utf-8")):
        if doc.get("kind") == "ConfigMap" and doc["metadata"]["name"] == "amelibot-config":
            data = {key: str(value) for key, value in doc["data"].items()}
            break
    else:
        raise RuntimeError(f"no ConfigMap amelibot-config in {CONFIG_MAP}")
    for key in (
        "AMELIBOT_ACTION_URL",
        "AMELIBOT_PG_HOST",
        "AMELIBOT_PG_PORT",
        "AMELIBOT_REDIS_HOST",
        "AMELIBOT_REDIS_PORT",
    ):
        data.pop(key)
    return data


def pg_bin_dir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin (Debian's layout)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run scripts/prod/install.sh")
    return found[-1].parent


def tools_available() -> bool:
    """PostgreSQL, Redis and nginx are installed (scripts/prod/install.sh installs them)."""
    try:
        pg_bin_dir()
    except RuntimeError:
        return False
    return all(shutil.which(tool) for tool in ("redis-server", "nginx"))


@dataclass
class Ports:
    nginx: int = 8080
    actions_proxy: int = 5054
    rasa: List[int] = field(default_factory=lambda: [5005, 5006])
    actions: List[int] = field(default_factory=lambda: [5055, 5056])
    web_api: int = 8081
    postgres: int = 5433
    redis: int = 6380

    @classmethod
    def free(cls, rasa: int = 2, actions: int = 2) -> "Ports":
        return cls(
            nginx=free_port(),
            actions_proxy=free_port(),
            rasa=[free_port() for _ in range(rasa)],
            actions=[free_port() for _ in range(actions)],
            web_api=free_port(),
            postgres=free_port(),
            redis=free_port(),
        )

    def all(self) -> List[int]:
        return [self.nginx, self.actions_proxy, *self.rasa, *self.actions, self.web_api, self.postgres, self.redis]


def render(template: str, **values: object) -> str:
    """A Jinja2 template of deploy/nginx/ with `values` (every value it names must be given)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(NGINX_TEMPLATE.parent)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    return env.get_template(template).render(**values)


def action_down_body() -> str:
    """The action result nginx returns when no action server answers, for `return 200 '…'`."""
    from actions import answers

    down = json.dumps(answers.service_unavailable_action_response(), ensure_ascii=True)
    return down.replace("'", "\\u0027").replace("$", "\\u0024").replace("\\", "\\\\")


def nginx_conf(ports: Ports, state_dir: Path, log_dir: Path) -> str:
    """nginx.conf of a stack: deploy/nginx/amelibot.conf.j2 with its ports and paths."""
    from web.server import content_security_policy, widget_config

    nginx_url = f"http://127.0.0.1:{ports.nginx}"
    return render(
        NGINX_TEMPLATE.name,
        user_line="user www-data www-data;" if os.geteuid() == 0 and _has_user("www-data") else "",
        nginx_dir=state_dir / "nginx",
        log_dir=log_dir,
        root=ROOT,
        route_cookie=ROUTE_COOKIE,
        nginx_port=ports.nginx,
        web_api_port=ports.web_api,
        rasa_ports=ports.rasa,
        proxy_listen=f"127.0.0.1:{ports.actions_proxy}",
        action_servers=[f"127.0.0.1:{port} max_fails=1 fail_timeout=2s" for port in ports.actions],
        csp=content_security_policy(nginx_url),
        widget_json=json.dumps(widget_config(nginx_url), ensure_ascii=True),  # /api/config
        vendor=ROOT / "web" / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
        down=action_down_body(),
    )


def k8s_actions_proxy_conf() -> str:
    """The same proxy on Kubernetes (deploy/k8s/actions-proxy.conf): port 5054, the actions Service."""
    header = (
        "# Generated by `python -m scripts.build_deploy` from deploy/nginx/actions-proxy.conf.j2: do not edit.\n"
        "# nginx's conf.d/default.conf in the actions-proxy Deployment (actions-proxy.yaml).\n"
    )
    return header + render(
        "actions-proxy.conf.j2", proxy_listen="5054", action_servers=["actions:5055"], down=action_down_body()
    )


@dataclass
class Service:
    name: str
    argv: List[str]
    ready_url: Optional[str]
    log: Path
    proc: Optional[subprocess.Popen] = None
    started_at: float = 0.0
    ready_after: float = 0.0  # seconds from start to ready, last start


class Stack:
    """Start, watch and stop the whole production layout. Usable as a context manager."""

    def __init__(
        self,
        state_dir: Path,
        ports: Optional[Ports] = None,
        model: Path = ROOT / "models",
        extra_env: Optional[Dict[str, str]] = None,
        quiet: bool = True,
    ) -> None:
        self.state_dir = Path(state_dir).resolve()
        self.ports = ports or Ports()
        self.model = Path(model)
        self.extra_env = dict(extra_env or {})
        self.quiet = quiet
        self.log_dir = self.state_dir / "log"
        self.pg_data = self.state_dir / "postgres" / "data"
        self.pg_run = self.state_dir / "postgres" / "run"
        self.pg_bin = pg_bin_dir()
        self.pg_os_user = "postgres" if os.geteuid() == 0 else None  # initdb refuses root
        self.services: Dict[str, Service] = {}
        self._secrets: Dict[str, str] = {}

    # ---------------------------------------------------------------- public attributes
    @property
    def nginx_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.nginx}"

    @property
    def rasa_urls(self) -> List[str]:
        return [f"http://127.0.0.1:{p}" for p in self.ports.rasa]

    @property
    def action_urls(self) -> List[str]:
        return [f"http://127.0.0.1:{p}" for p in self.ports.actions]

    @property
    def actions_proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.actions_proxy}/webhook"

    def dsn(self, database: str) -> str:
        return (
            f"postgresql://{PG_USER}:{self._secrets['AMELIBOT_PG_PASSWORD']}@127.0.0.1:{self.ports.postgres}/{database}"
        )

    @property
    def postgres_dsn(self) -> str:
        """The tracker store's database (table `events`)."""
        return self.dsn(TRACKER_DB)

    @property
    def sandbox_dsn(self) -> str:
        return self.dsn(SANDBOX_DB)

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.ports.redis}/1"

    def rasa_names(self) -> List[str]:
        return [f"rasa-{i}" for i in range(len(self.ports.rasa))]

    def action_names(self) -> List[str]:
        return [f"actions-{i}" for i in range(len(self.ports.actions))]

    # ---------------------------------------------------------------- helpers
    def _say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def _as_pg_user(self, argv: List[str]) -> List[str]:
        return ["runuser", "-u", self.pg_os_user, "--", *argv] if self.pg_os_user else argv

    def _chown_pg(self, *paths: Path) -> None:
        if self.pg_os_user:
            entry = pwd.getpwnam(self.pg_os_user)
            for path in paths:
                os.chown(path, entry.pw_uid, entry.pw_gid)

    def _load_secrets(self) -> None:
        """Generated once per state dir, mode 0600: the database password, the shared keys."""
        path = self.state_dir / "secrets.env"
        if path.exists():
            for line in path.read_text().splitlines():
                if "=" in line and not line.startswith("#"):
                    key, value = line.split("=", 1)
                    self._secrets[key] = value
        wanted = ["AMELIBOT_PG_PASSWORD", "SANDBOX_SECRET_KEY", "TRACKER_SECRET_KEY"]
        if all(k in self._secrets for k in wanted):
            return
        for key in wanted:
            self._secrets.setdefault(key, secrets.token_hex(24))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write("# Generated by scripts/prod/stack.py: the same values for every server.\n")
            handle.writelines(f"{k}={v}\n" for k, v in self._secrets.items())

    def env(self) -> Dict[str, str]:
        """The environment of the Rasa and action servers: endpoints.prod.yml reads it."""
        return {
            **os.environ,
            # The settings Kubernetes uses too (deploy/k8s/config.yaml): telemetry off, Rasa's SQL
            # pool per server, database and user names, Redis database, Sanic's keep-alive.
            **shared_settings(),
            "PYTHONWARNINGS": "ignore",
            "SANIC_HOST": "127.0.0.1",  # the action server's interface (rasa_sdk)
            # This machine's addresses, ports and secrets
            "AMELIBOT_ACTION_URL": self.actions_proxy_url,
            "AMELIBOT_PG_HOST": "127.0.0.1",
            "AMELIBOT_PG_PORT": str(self.ports.postgres),
            "AMELIBOT_PG_PASSWORD": self._secrets["AMELIBOT_PG_PASSWORD"],
            "AMELIBOT_REDIS_HOST": "127.0.0.1",
            "AMELIBOT_REDIS_PORT": str(self.ports.redis),
            "SANDBOX_DATABASE_URL": "postgresql+psycopg2://" + self.sandbox_dsn.split("://", 1)[1],
            "SANDBOX_SECRET_KEY": self._secrets["SANDBOX_SECRET_KEY"],
            "TRACKER_SECRET_KEY": self._secrets["TRACKER_SECRET_KEY"],
            # The chat's « remettre à zéro », clock and « changer de navigateur » act on the caller's own
            # sandbox world only, so they stay on here (SANDBOX_TRAINER_COMMANDS=off turns them off).
            **self.extra_env,
        }

    # ---------------------------------------------------------------- PostgreSQL
    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            self._as_pg_user([str(self.pg_bin / "pg_ctl"), "-D", str(self.pg_data), *args]),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=check,
            cwd="/",
        )

    def _init_postgres(self) -> None:
        if (self.pg_data / "PG_VERSION").exists():
            return
        self._say("==> Initialising the PostgreSQL cluster (once)")
        self.pg_data.mkdir(parents=True, exist_ok=True)
        os.chmod(self.pg_data, 0o700)
        pwfile = self.state_dir / "postgres" / "pwfile"
        pwfile.write_text(self._secrets["AMELIBOT_PG_PASSWORD"] + "\n")
        self._chown_pg(self.pg_data, pwfile)
        try:
            subprocess.run(
                self._as_pg_user(
                    [
                        str(self.pg_bin / "initdb"),
                        "-D",
                        str(self.pg_data),
                        "-U",
                        PG_USER,
                        f"--pwfile={pwfile}",
                        "--auth-local=scram-sha-256",
                        "--auth-host=scram-sha-256",
                        "-E",
                        "UTF8",
                        "--locale=C.UTF-8",
                    ]
                ),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                check=True,
                cwd="/",
            )
        except subprocess.CalledProcessError as error:
            raise RuntimeError(f"initdb failed:\n{error.stdout}") from error
        finally:
            pwfile.unlink(missing_ok=True)

    def start_postgres(self) -> None:
        self.pg_run.mkdir(parents=True, exist_ok=True)
        log = self.log_dir / "postgres.log"
        log.touch()
        self._chown_pg(self.pg_run, log)
        started = time.monotonic()
        result = self._pg_ctl(
            "-l",
            str(log),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {self.ports.postgres} -k {self.pg_run} -c listen_addresses=127.0.0.1 -c max_connections=200",
            "start",
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start:\n{result.stdout}\n{log.read_text()[-2000:]}")
        self.services["postgres"] = Service(
            "postgres", [], None, log, started_at=started, ready_after=time.monotonic() - started
        )
        self._create_databases()

    def stop_postgres(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop", check=False)

    def postgres_pid(self) -> Optional[int]:
        pid_file = self.pg_data / "postmaster.pid"
        try:
            return int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def _create_databases(self) -> None:
        import psycopg2

        conn = psycopg2.connect(self.dsn("postgres"))
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                for name in (TRACKER_DB, SANDBOX_DB):
                    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                    if cur.fetchone() is None:
                        cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()

    # ---------------------------------------------------------------- nginx
    def _nginx_conf(self) -> str:
        return nginx_conf(self.ports, self.state_dir, self.log_dir)

    def write_nginx_conf(self) -> Path:
        ngx = self.state_dir / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (ngx / "tmp" / sub).mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0 and _has_user("www-data"):
                entry = pwd.getpwnam("www-data")
                os.chown(ngx / "tmp" / sub, entry.pw_uid, entry.pw_gid)
        conf = ngx / "nginx.conf"
        conf.write_text(self._nginx_conf())
        return conf

    # ---------------------------------------------------------------- processes
    def _define(self) -> None:
        log = self.log_dir
        py = str(BIN / "python")
        rasa = str(BIN / "rasa")
        # The Rasa servers start through scripts/rasa_cli.py, as `make run` does: TensorFlow is not
        # imported for a model without a TensorFlow component (server_ext/no_tensorflow.py).
        rasa_server = [py, str(ROOT / "scripts" / "rasa_cli.py")]
        self.services["redis"] = Service(
            "redis",
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.ports.redis),
                "--dir",
                str(self.state_dir / "redis"),
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
            ],
            None,
            log / "redis.log",
        )
        for name, port in zip(self.action_names(), self.ports.actions):
            self.services[name] = Service(
                name,
                [rasa, "run", "actions", "--port", str(port)],
                f"http://127.0.0.1:{port}/health",
                log / f"{name}.log",
            )
        for name, port in zip(self.rasa_names(), self.ports.rasa):
            self.services[name] = Service(
                name,
                [
                    *rasa_server,
                    "run",
                    "--model",
                    str(self.model),
                    "--interface",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--endpoints",
                    str(ROOT / "endpoints.prod.yml"),
                    "--credentials",
                    str(ROOT / "credentials.yml"),
                    "--cors",
                    "*",
                ],
                f"http://127.0.0.1:{port}/",
                log / f"{name}.log",
            )
        self.services["web-api"] = Service(
            "web-api",
            [
                py,
                "-m",
                "web.server",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.ports.web_api),
                "--rasa-url",
                self.nginx_url,
            ],
            f"http://127.0.0.1:{self.ports.web_api}/health",
            log / "web-api.log",
        )
        self.services["nginx"] = Service(
            "nginx",
            [
                "nginx",
                "-p",
                str(self.state_dir / "nginx"),
                "-c",
                str(self.state_dir / "nginx" / "nginx.conf"),
                "-e",
                str(log / "nginx-error.log"),
                "-g",
                "daemon off;",
            ],
            f"{self.nginx_url}/health",
            log / "nginx.log",
        )

    def _spawn(self, name: str) -> None:
        service = self.services[name]
        handle = service.log.open("a")
        service.proc = subprocess.Popen(
            service.argv,
            cwd=ROOT,
            env=self.env(),
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in the terminal reaches the launcher only
        )
        handle.close()
        service.started_at = time.monotonic()

    def _wait_ready(self, names: List[str], timeout: float = 400) -> None:
        pending = set(names)
        deadline = time.monotonic() + timeout
        while pending:
            for name in sorted(pending):
                service = self.services[name]
                if service.proc is not None and service.proc.poll() is not None:
                    raise RuntimeError(
                        f"{name} stopped while starting; last lines of {service.log}:\n"
                        + service.log.read_text(errors="replace")[-3000:]
                    )
                if _ready(service):
                    service.ready_after = time.monotonic() - service.started_at
                    pending.discard(name)
                    self._say(f"    {name} ready ({service.ready_after:.0f} s)")
            if time.monotonic() > deadline:
                raise RuntimeError(f"not ready after {timeout:.0f} s: {', '.join(sorted(pending))}")
            time.sleep(0.5)

    def prepare(self) -> None:
        """Everything before the servers: checks, directories, secrets, PostgreSQL started with its
        databases, the servers' definitions and nginx's configuration."""
        if not list(self.model.glob("*.tar.gz")):
            raise RuntimeError(f"no trained model in {self.model}: run `make train` first")
        busy = [p for p in self.ports.all() if port_busy(p)]
        if busy:
            raise RuntimeError(f"ports already in use: {busy} (another stack?). Stop it or choose other ports.")
        self.state_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.state_dir, 0o755)  # the postgres user must reach its data directory
        (self.state_dir / "postgres").mkdir(exist_ok=True)
        os.chmod(self.state_dir / "postgres", 0o755)
        (self.state_dir / "redis").mkdir(exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.log_dir, 0o755)
        self._load_secrets()
        try:
            self._init_postgres()
            self._say(f"==> PostgreSQL on 127.0.0.1:{self.ports.postgres}")
            self.start_postgres()
            self._define()
            self.write_nginx_conf()
        except BaseException:
            self.stop()
            raise

    def start(self) -> "Stack":
        """Start every server, in order, each one ready before the next step (tests/prod, bench)."""
        self.prepare()
        try:
            self._say(f"==> Redis on 127.0.0.1:{self.ports.redis}, nginx on {self.nginx_url}")
            self._spawn("redis")
            self._spawn("nginx")
            self._wait_ready(["nginx"], timeout=30)
            # The first action server creates the sandbox schema and demo data alone.
            first, *others = self.action_names()
            self._say(
                f"==> {len(self.ports.actions)} action server(s), {len(self.ports.rasa)} Rasa servers"
                " (loading the model takes a minute or two)"
            )
            self._spawn(first)
            self._wait_ready([first])
            for name in [*others, *self.rasa_names(), "web-api"]:
                self._spawn(name)
            self._wait_ready([*others, *self.rasa_names(), "web-api"])
        except BaseException:
            self.stop()
            raise
        return self

    def process_names(self) -> List[str]:
        return ["redis", "nginx", *self.action_names(), *self.rasa_names(), "web-api"]

    def write_procfile(self) -> Tuple[Path, Path]:
        """<state>/Procfile, the servers for honcho (`make run-prod`), each one's output to its log;
        <state>/honcho.env (mode 0600), the environment this stack adds for them."""
        lines = ["# Generated by scripts/prod/stack.py for honcho (make run-prod): do not edit."]
        for name in self.process_names():
            service = self.services[name]
            lines.append(f"{name}: exec {shlex.join(service.argv)} >>{shlex.quote(str(service.log))} 2>&1")
        procfile = self.state_dir / "Procfile"
        procfile.write_text("\n".join(lines) + "\n")
        env_file = self.state_dir / "honcho.env"
        fd = os.open(env_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write("# Generated by scripts/prod/stack.py: the servers' environment (secrets: mode 0600).\n")
            handle.writelines(f"{key}='{value}'\n" for key, value in self.env().items() if os.environ.get(key) != value)
        return procfile, env_file

    def ready(self) -> bool:
        """Every server answers (Redis: its port is open)."""
        return all(
            _ready(self.services[name]) if self.services[name].ready_url else port_busy(self.ports.redis)
            for name in self.process_names()
        )

    def stop_service(self, name: str, kill: bool = False) -> None:
        """Stop one service (SIGTERM, or SIGKILL with kill=True) and wait for it to exit."""
        if name == "postgres":
            if kill:
                pid = self.postgres_pid()
                if pid:
                    os.kill(pid, signal.SIGKILL)
                    time.sleep(1)
            else:
                self.stop_postgres()
            return
        service = self.services[name]
        proc = service.proc
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    def kill_service(self, name: str) -> None:
        self.stop_service(name, kill=True)

    def start_service(self, name: str, wait: bool = True) -> None:
        if name == "postgres":
            self.start_postgres()
            return
        self._spawn(name)
        if wait:
            self._wait_ready([name])

    def restart_service(self, name: str) -> None:
        self.stop_service(name)
        self.start_service(name)

    def running(self) -> Dict[str, bool]:
        state = {n: s.proc is not None and s.proc.poll() is None for n, s in self.services.items() if n != "postgres"}
        state["postgres"] = self._pg_ctl("status", check=False).returncode == 0
        return state

    def rss_mib(self) -> Dict[str, float]:
        """Resident memory of each service's main process (MiB), and PostgreSQL's postmaster."""
        out: Dict[str, float] = {}
        pids = {n: s.proc.pid for n, s in self.services.items() if s.proc is not None and s.proc.poll() is None}
        pg = self.postgres_pid()
        if pg:
            pids["postgres"] = pg
        for name, pid in pids.items():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        out[name] = int(line.split()[1]) / 1024
            except OSError:
                pass
        return out

    def stop(self) -> None:
        """Stop everything: nginx first (no new traffic), then the servers, Redis, PostgreSQL."""
        order = ["nginx", "web-api", *self.rasa_names(), *self.action_names(), "redis"]
        for name in order:
            service = self.services.get(name)
            if service and service.proc is not None and service.proc.poll() is None:
                service.proc.send_signal(signal.SIGTERM)
        for name in order:
            service = self.services.get(name)
            if service and service.proc is not None:
                try:
                    service.proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    service.proc.kill()
                    service.proc.wait(timeout=10)
        if (self.pg_data / "postmaster.pid").exists():
            self.stop_postgres()

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _ready(service: Service) -> bool:
    if service.ready_url is None:
        return service.proc is not None and service.proc.poll() is None
    try:
        with urllib.request.urlopen(service.ready_url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def main(argv: Optional[List[str]] = None) -> int:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state-dir", default=env("PROD_STATE_DIR", str(ROOT / "var" / "prod")))
    parser.add_argument("--rasa", type=int, default=int(env("PROD_RASA_SERVERS", "2")), help="Rasa servers")
    parser.add_argument("--actions", type=int, default=int(env("PROD_ACTION_SERVERS", "2")), help="action servers")
    parser.add_argument("--port", type=int, default=int(env("PROD_PORT", "8080")), help="nginx, public side")
    parser.add_argument(
        "--rasa-port",
        type=int,
        default=int(env("PROD_RASA_PORT", "5005")),
        help="first Rasa server (the next ones take the following ports)",
    )
    parser.add_argument(
        "--actions-port",
        type=int,
        default=int(env("PROD_ACTIONS_PORT", "5055")),
        help="first action server (the following ones take the next ports)",
    )
    parser.add_argument("--actions-proxy-port", type=int, default=int(env("PROD_ACTIONS_PROXY_PORT", "5054")))
    parser.add_argument("--api-port", type=int, default=int(env("PROD_API_PORT", "8081")), help="mailbox API")
    parser.add_argument("--postgres-port", type=int, default=int(env("PROD_POSTGRES_PORT", "5433")))
    parser.add_argument("--redis-port", type=int, default=int(env("PROD_REDIS_PORT", "6380")))
    args = parser.parse_args(argv)
    if args.rasa < 1 or args.actions < 1:
        parser.error("at least one Rasa server and one action server")
    ports = Ports(
        nginx=args.port,
        actions_proxy=args.actions_proxy_port,
        rasa=[args.rasa_port + i for i in range(args.rasa)],
        actions=[args.actions_port + i for i in range(args.actions)],
        web_api=args.api_port,
        postgres=args.postgres_port,
        redis=args.redis_port,
    )
    stack = Stack(Path(args.state_dir), ports, quiet=False)
    started = time.monotonic()
    try:
        stack.prepare()
    except (RuntimeError, KeyboardInterrupt) as error:
        print(f"\n{error}", file=sys.stderr)
        return 1
    return supervise(stack, started)


# `honcho` with 30 s between SIGTERM and SIGKILL instead of its 5 (honcho.manager.KILL_WAIT): a
# Rasa server finishes its turns and closes its connections before it is killed (as Stack.stop).
HONCHO = "import honcho.manager, honcho.command; honcho.manager.KILL_WAIT = 30; honcho.command.main()"


def supervise(stack: Stack, started: float) -> int:
    """Run the servers under honcho (<state>/Procfile): honcho starts them, prefixes and shows
    what it does, and when one stops on its own, stops the others; Ctrl-C or SIGTERM stops all.
    PostgreSQL (started by prepare()) is stopped last."""
    procfile, env_file = stack.write_procfile()
    print(f"==> Starting the servers with honcho ({procfile}); loading the model takes a minute or two", flush=True)
    honcho = subprocess.Popen(
        [
            sys.executable,
            "-c",
            HONCHO,
            "--no-colour",
            "-f",
            str(procfile),
            "-e",
            str(env_file),
            "-d",
            str(ROOT),
            "start",
        ]
    )
    stopping = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stopping.set()
        if signum == signal.SIGTERM:
            honcho.send_signal(signal.SIGTERM)  # Ctrl-C reaches honcho directly (same process group)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def announce() -> None:
        while honcho.poll() is None and not stopping.is_set():
            if stack.ready():
                print(
                    f"""
  The assistant is running in production mode ({time.monotonic() - started:.0f} s to start):
    - in a browser:   {stack.nginx_url}/  (the blue bubble, bottom right)
    - REST:           curl -s {stack.nginx_url}/webhooks/rest/webhook -d '{{"sender": "moi", "message": "bonjour"}}'
    - Rasa servers:   {", ".join(stack.rasa_urls)}  (behind nginx; sticky socket.io sessions)
    - action servers: {", ".join(stack.action_urls)}  (behind nginx on :{stack.ports.actions_proxy})
    - PostgreSQL:     127.0.0.1:{stack.ports.postgres} (databases {TRACKER_DB}, {SANDBOX_DB}), Redis: 127.0.0.1:{stack.ports.redis}
    - state and logs: {stack.state_dir}  (logs in {stack.log_dir})
  Stop with Ctrl-C.
""",
                    flush=True,
                )
                return
            time.sleep(1)

    threading.Thread(target=announce, daemon=True).start()
    try:
        while True:
            try:
                code = honcho.wait()
                break
            except KeyboardInterrupt:  # a second Ctrl-C while honcho stops the servers
                continue
    finally:
        stack.stop_postgres()
    if stopping.is_set():
        print("==> Stopped.")
        return 0
    print(f"\nA server stopped on its own (honcho's exit {code}): see {stack.log_dir}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
