"""Latency and throughput through Rasa's REST channel, with the real action server, on loopback.

A bounded asyncio/aiohttp client (a load tool like locust cannot easily drive a multi-turn
conversation with fresh senders and per-turn checks): every loop stops by itself.

- latency: three scenarios, each at 1 user and at N concurrent users, repeated; p50/p95/p99/max;
  errors = non-200, timeouts, empty replies ("unexpected" = an answer without its marker);
- profile: the same messages through /model/parse (NLU only) and the action
  server called directly: what a webhook call is made of;
- throughput: K concurrent conversations looping on a 9-turn conversation for D seconds, per level;
  messages per second, p95, errors; then the production set-up (BENCH_RASA_URLS) when given.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import aiohttp

from bench.servers import bot, cpu_seconds, locator_env, memory_mib
from bench.settings import Settings, log, median_spread, save, summary

TIMEOUT = 30.0

# scenario -> (setup messages, timed messages (rotated), marker expected in the answer)
SCENARIOS: Dict[str, Tuple[Sequence[str], Sequence[str], str]] = {
    "faq": ((), ("je n'ai pas reçu mon code", "comment créer mon compte ameli", "j'ai perdu mon code"), ""),
    # the login exercise first asks « sur ordinateur ou dans l'appli ? » (sheets 09 and 08)
    "sandbox": (("simuler une connexion", "/depuis_ordinateur"), ("1 75 01 69 123 456 79",), "mot de passe"),
    "france_services": (
        (),
        ("une france services à Guise svp", "une France Services à Voiron", "France Services près de 29000"),
        "France",
    ),
}
SCENARIO_LABELS = {
    "faq": "plain FAQ answer (« je n'ai pas reçu mon code »…)",
    "sandbox": "sandbox step hitting the database (social security number in « simuler une connexion »)",
    "france_services": "France Services query (« une France Services à Voiron »…)",
}
CONVERSATION = (
    "bonjour",
    "je n'ai pas reçu mon code",
    "et depuis l'appli ?",
    "une France Services à Voiron",
    "simuler une connexion",
    "1 75 01 69 123 456 79",
    "annuler",
    "merci",
    "au revoir",
)


class Client:
    def __init__(self, session: aiohttp.ClientSession):
        self.session = session

    async def say(self, url: str, sender: str, text: str) -> Tuple[float, Optional[str], str]:
        """(milliseconds, error kind or None, the answer's text)."""
        started = time.perf_counter()
        try:
            async with self.session.post(
                f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
            ) as response:
                body = await response.read()
                ms = (time.perf_counter() - started) * 1000
                if response.status != 200:
                    return ms, f"http {response.status}", ""
                replies = json.loads(body)
                answer = "\n".join(r.get("text") or json.dumps(r, ensure_ascii=False) for r in replies)
                return ms, (None if replies else "empty reply"), answer
        except asyncio.TimeoutError:
            return (time.perf_counter() - started) * 1000, "timeout", ""
        except aiohttp.ClientError as error:
            return (time.perf_counter() - started) * 1000, f"connection: {type(error).__name__}", ""


def _session(users: int, cookies: Optional[aiohttp.abc.AbstractCookieJar] = None) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=TIMEOUT),
        connector=aiohttp.TCPConnector(limit=max(100, users * 2)),
        cookie_jar=cookies,
    )


async def latency_once(url: str, scenario: str, users: int, per_user: int) -> Dict[str, object]:
    setup, messages, marker = SCENARIOS[scenario]
    timings: List[float] = []
    errors: Dict[str, int] = {}
    unexpected = 0

    async def user(index: int, client: Client) -> None:
        nonlocal unexpected
        for i in range(per_user):
            sender = f"bench-{scenario}-{uuid.uuid4().hex[:10]}"
            failed = False
            for step in setup:
                _, error, _ = await client.say(url, sender, step)
                if error:
                    errors[f"setup: {error}"] = errors.get(f"setup: {error}", 0) + 1
                    failed = True
                    break
            if failed:
                continue
            ms, error, answer = await client.say(url, sender, messages[(index + i) % len(messages)])
            timings.append(ms)
            if error:
                errors[error] = errors.get(error, 0) + 1
            elif marker and marker not in answer:
                unexpected += 1

    async with _session(users) as session:
        client = Client(session)
        await asyncio.gather(*(user(u, client) for u in range(users)))
    return {
        **summary(timings),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "unexpected": unexpected,
        "load_average": os.getloadavg()[0],
    }


async def conversations(
    urls: Sequence[str], users: int, seconds: float, pids: Optional[Dict[str, int]] = None, browsers: bool = False
) -> Dict[str, object]:
    """`users` concurrent conversations looping for `seconds`; each stops at the first turn after the end.

    pids: servers whose CPU time is read before and after (`cpu_ms_per_msg`: ms of CPU per message,
    the figure least disturbed by other jobs on the machine); the load client's own is added.
    browsers: each user keeps its own cookies, as a browser does (the production layout's nginx
    sends a conversation to the Rasa server named by its route cookie); otherwise the users share
    one client that keeps none (aiohttp's default jar refuses cookies from an IP address)."""
    pids = dict(pids or {})
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    client_before = time.process_time()
    timings: List[float] = []
    errors: Dict[str, int] = {}
    done_at = [0.0]
    deadline = time.monotonic() + seconds
    started = time.monotonic()

    async def user(index: int, client: Client) -> None:
        loop = 0
        while time.monotonic() < deadline:
            url = urls[(index + loop) % len(urls)]
            sender = f"bench-conv-{uuid.uuid4().hex[:10]}"
            loop += 1
            for text in CONVERSATION:
                if time.monotonic() >= deadline:
                    return
                ms, error, _ = await client.say(url, sender, text)
                timings.append(ms)
                done_at[0] = time.monotonic()
                if error:
                    errors[error] = errors.get(error, 0) + 1
                    break

    if browsers:
        sessions = [_session(1, aiohttp.CookieJar(unsafe=True)) for _ in range(users)]
        try:
            await asyncio.gather(*(user(u, Client(session)) for u, session in enumerate(sessions)))
        finally:
            await asyncio.gather(*(session.close() for session in sessions))
    else:
        async with _session(users) as session:
            client = Client(session)
            await asyncio.gather(*(user(u, client) for u in range(users)))
    elapsed = max(done_at[0] - started, 1e-9)
    cpu = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
    cpu["load client"] = time.process_time() - client_before
    count = max(len(timings), 1)
    return {
        **summary(timings),
        "messages": len(timings),
        "seconds": elapsed,
        "msg_per_s": len(timings) / elapsed,
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "cpu_seconds": cpu,
        "cpu_ms_per_msg": {name: s * 1000 / count for name, s in cpu.items()},
        "load_average": os.getloadavg()[0],
    }


# ---- profile: what a webhook call is made of -------------------------------------------------


async def profile(bot_url: str, actions_url: str, rounds: int) -> Dict[str, object]:
    import rasa

    out: Dict[str, object] = {}
    async with _session(1) as session:
        client = Client(session)
        async with session.get(f"{bot_url}/domain", headers={"Accept": "application/json"}) as response:
            domain = await response.json(content_type=None)
        custom = set(domain.get("actions", [])) | set(domain.get("forms", {}))
        for scenario, (setup, messages, _) in SCENARIOS.items():
            text = messages[0]
            row: Dict[str, object] = {}
            parse_ms, webhook_ms, action_ms, policy_ms, actions_called = [], [], [], [], []
            statuses: set = set()
            for _ in range(rounds):
                started = time.perf_counter()
                async with session.post(f"{bot_url}/model/parse", json={"text": text}) as response:
                    await response.read()
                parse_ms.append((time.perf_counter() - started) * 1000)
                sender = f"bench-profile-{uuid.uuid4().hex[:10]}"
                for step in setup:
                    await client.say(bot_url, sender, step)
                ms, _, _ = await client.say(bot_url, sender, text)
                webhook_ms.append(ms)
                # the custom actions of that turn, called again directly on the action server
                async with session.get(f"{bot_url}/conversations/{sender}/tracker") as response:
                    tracker = await response.json(content_type=None)
                events = tracker.get("events", [])
                last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=0)
                names = [
                    e["name"]
                    for e in events[last_user:]
                    if e.get("event") == "action" and e.get("name") in custom and not e["name"].startswith("utter_")
                ]
                started = time.perf_counter()  # one run of the policy ensemble (no action executed)
                async with session.post(f"{bot_url}/conversations/{sender}/predict") as response:
                    await response.read()
                policy_ms.append((time.perf_counter() - started) * 1000)
                total = 0.0
                for name in names:
                    payload = {
                        "next_action": name,
                        "sender_id": sender,
                        "tracker": tracker,
                        "domain": domain,
                        "version": rasa.__version__,
                    }
                    started = time.perf_counter()
                    async with session.post(f"{actions_url}/webhook", json=payload) as response:
                        await response.read()
                        statuses.add(response.status)
                    total += (time.perf_counter() - started) * 1000
                action_ms.append(total)
                actions_called = names
            row = {
                "text": text,
                "parse_ms": statistics.median(parse_ms),
                "webhook_ms": statistics.median(webhook_ms),
                "action_ms": statistics.median(action_ms),
                "actions": actions_called,
                "policy_ms": statistics.median(policy_ms),
                "action_statuses": sorted(statuses),
                "bot_actions": sum(1 for e in events[last_user:] if e.get("event") == "action"),
            }
            row["rest_ms"] = row["webhook_ms"] - row["parse_ms"] - row["action_ms"]
            out[scenario] = row
    return out


# ---- driver ----------------------------------------------------------------------------------


def _levels(settings: Settings) -> List[int]:
    return [int(x) for x in settings.list("levels")]


def _cpu_by_role(run: Dict[str, object]) -> Dict[str, float]:
    """CPU ms per message of all Rasa servers together and of all action servers together."""
    out: Dict[str, float] = {}
    for name, ms in run["cpu_ms_per_msg"].items():
        role = "Rasa server" if name.startswith("rasa") else "action server" if name.startswith("actions") else name
        out[role] = out.get(role, 0.0) + ms
    return out


def _production_levels(
    settings: Settings,
    urls: Sequence[str],
    pids: Optional[Dict[str, int]] = None,
    browsers: bool = True,
    only: Optional[List[int]] = None,
) -> Dict[str, object]:
    """Each level (or `only` these) `repeats` times; browsers: each user keeps nginx's route cookie."""
    levels = {}
    for users in only or _levels(settings):
        runs = [
            asyncio.run(conversations(urls, users, settings.duration, pids, browsers)) for _ in range(settings.repeats)
        ]
        by_role = [_cpu_by_role(r) for r in runs]
        levels[str(users)] = {
            "runs": runs,
            **{k: median_spread([r[k] for r in runs]) for k in ("msg_per_s", "p95", "p99")},
            "cpu_ms_per_msg": {
                role: median_spread([b.get(role, float("nan")) for b in by_role]) for role in by_role[0]
            },
            "errors": sum(r["errors"] for r in runs),
        }
        log(
            f"throughput (production, {', '.join(urls)}{'' if browsers else ', no cookie'}) x{users}: "
            f"{levels[str(users)]['msg_per_s']['median']:.1f} msg/s"
        )
    return levels


def production_throughput(settings: Settings) -> Optional[Dict[str, object]]:
    """Throughput of the production layout: BENCH_RASA_URLS when given, else (BENCH_PROD=auto)
    the project's own stack (scripts/prod/stack.py: 2 Rasa servers behind nginx, PostgreSQL
    tracker store, Redis lock store), started here on free ports once the single server is down."""
    urls = settings.list("rasa_urls")
    if urls:
        return {"urls": urls, "levels": _production_levels(settings, urls)}
    if settings.prod == "0":
        return None
    from scripts.prod import stack as prod

    if not prod.tools_available():
        log("production stack not measured: PostgreSQL, Redis or nginx missing (scripts/prod/install.sh)")
        return None
    state = Path(tempfile.mkdtemp(prefix="bench-prod-", dir="/tmp"))
    os.chmod(state, 0o755)  # the postgres user must reach its data directory
    try:
        with prod.Stack(state, prod.Ports.free(), extra_env=locator_env(state), quiet=True) as the_stack:
            log(f"production stack up: {the_stack.nginx_url} -> {', '.join(the_stack.rasa_urls)}")
            asyncio.run(conversations([the_stack.nginx_url], 1, 0.1))  # warm-up
            pids = {
                name: service.proc.pid
                for name, service in the_stack.services.items()
                if name.startswith(("rasa", "actions")) and service.proc is not None
            }
            levels = _production_levels(settings, [the_stack.nginx_url], pids)
            # the same without the route cookie (every message to either Rasa server): the bench's client
            # before 2026-12-03, when aiohttp's cookie jar refused nginx's cookie for an IP address
            middle = [u for u in _levels(settings) if u == 20] or _levels(settings)[:1]
            no_cookie = _production_levels(settings, [the_stack.nginx_url], pids, browsers=False, only=middle)
            return {
                "urls": [the_stack.nginx_url],
                "via": f"nginx in front of {len(the_stack.rasa_urls)} Rasa servers",
                "levels": levels,
                "without_cookie": no_cookie,
                "memory": the_stack.rss_mib(),
            }
    finally:
        shutil.rmtree(state, ignore_errors=True)


def run(settings: Settings, latency: bool = True, throughput: bool = True) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        with bot(Path(tmp)) as server:
            log(f"servers up: {server.url} (actions {server.actions_url})")
            # warm-up: every scenario and one conversation
            asyncio.run(conversations([server.url], 1, 0.1))
            for scenario in SCENARIOS:
                asyncio.run(latency_once(server.url, scenario, 1, 2))
            memory = {"after warm-up": {k: memory_mib(v) for k, v in server.pids.items()}}
            if latency:
                result: Dict[str, object] = {
                    "scenarios": {},
                    "labels": SCENARIO_LABELS,
                    "users": settings.latency_users,
                }
                for scenario in SCENARIOS:
                    entry = {}
                    for users, per_user in (
                        (1, settings.latency_requests),
                        (settings.latency_users, settings.latency_per_user),
                    ):
                        runs = [
                            asyncio.run(latency_once(server.url, scenario, users, per_user))
                            for _ in range(settings.repeats)
                        ]
                        entry[str(users)] = {
                            "runs": runs,
                            **{k: median_spread([r[k] for r in runs]) for k in ("p50", "p95", "p99", "max")},
                            "errors": sum(r["errors"] for r in runs),
                            "unexpected": sum(r["unexpected"] for r in runs),
                            "requests": sum(r["n"] for r in runs),
                        }
                        log(
                            f"latency {scenario} x{users}: p95 {entry[str(users)]['p95']['median']:.0f} ms, "
                            f"errors {entry[str(users)]['errors']}"
                        )
                    result["scenarios"][scenario] = entry
                log("profile: /model/parse, action server direct")
                try:
                    result["profile"] = asyncio.run(
                        profile(server.url, server.actions_url, max(5, settings.latency_requests // 2))
                    )
                except Exception as error:  # the profile explains; it must not sink the run
                    result["profile_error"] = repr(error)
                save(settings, "latency", result)
            if throughput:
                result = {"levels": {}, "duration": settings.duration, "conversation": CONVERSATION}
                for users in _levels(settings):
                    runs = [
                        asyncio.run(conversations([server.url], users, settings.duration, server.pids))
                        for _ in range(settings.repeats)
                    ]
                    level = result["levels"][str(users)] = {
                        "runs": runs,
                        **{k: median_spread([r[k] for r in runs]) for k in ("msg_per_s", "p50", "p95", "p99")},
                        "cpu_ms_per_msg": {
                            name: median_spread([r["cpu_ms_per_msg"][name] for r in runs])
                            for name in runs[0]["cpu_ms_per_msg"]
                        },
                        "errors": sum(r["errors"] for r in runs),
                        "messages": sum(r["messages"] for r in runs),
                    }
                    log(
                        f"throughput x{users}: {level['msg_per_s']['median']:.1f} msg/s, "
                        f"p95 {level['p95']['median']:.0f} ms, p99 {level['p99']['median']:.0f} ms, CPU per message "
                        + ", ".join(f"{name} {v['median']:.1f} ms" for name, v in level["cpu_ms_per_msg"].items())
                        + f", errors {level['errors']}, load {os.getloadavg()[0]:.2f}"
                    )
                memory["after load"] = {k: memory_mib(v) for k, v in server.pids.items()}
                result["memory"] = memory
            else:
                save(settings, "memory", memory)
    if throughput:
        production = production_throughput(settings)
        if production:
            result["production"] = production
        save(settings, "throughput", result)
