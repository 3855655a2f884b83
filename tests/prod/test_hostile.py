"""Hostile input against the running production stack: never a 5xx, never a crash.

Every case of tests/prod/hostile_corpus.py is sent twice: through nginx (the public entry) and
straight to a Rasa server (so the guarded channel itself is tested, not only nginx's limits),
then once more through nginx after restarting a Rasa server and an action server on purpose.
Then: every service is still running with the same process (no restart), a normal
conversation still works, forced `/intent{...}` messages did not log anyone in, and a flood
from one sender gets the polite rate-limit answer, with one limit shared by both Rasa servers.

The figures are written to docs/reliability.md (between the `hostile:` markers) by this test.
"""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from server_ext.channels import RATE_LIMITED_TEXT
from server_ext.ratelimit import DEFAULT_BURST, DEFAULT_PER_SECOND
from tests.prod.hostile_corpus import CASES, EITHER, REFUSED, Case, send
from tests.rest_client import new_user, say, texts

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "reliability.md"
FIGURES: Dict[str, object] = {}


def judge(case: Case, status: int, raw: bytes) -> str:
    """'' when the outcome is what a user must get, else why not."""
    if status >= 500:
        return f"{status} server error"
    if 400 <= status < 500:
        return "" if case.expect in (REFUSED, EITHER) else f"refused with {status}"
    if status != 200:
        return f"unexpected status {status}"
    if case.expect == REFUSED:
        return "answered instead of refused"
    try:
        replies = json.loads(raw)
    except ValueError:
        return "200 without JSON"
    if not isinstance(replies, list) or not replies:
        return "200 without any bot message"
    text = texts(replies)
    if not text.strip() and not any(r.get("buttons") for r in replies):
        return "bot messages without text"
    if re.search(r"Traceback|Exception|Internal Server Error", text):
        return "an error leaked into the answer"
    return ""


def pids(stack) -> Dict[str, int]:
    return {name: service.proc.pid for name, service in stack.services.items() if service.proc is not None}


def write_figures() -> None:
    """Replace the block between the markers of docs/reliability.md with the figures.

    Figures of this run are merged over the last ones (var/results/hostile.json), so running
    one test of the module (`-k flood`) updates its own lines only.
    """
    if not DOC.exists() or "<!-- hostile:begin -->" not in DOC.read_text():
        return
    saved = ROOT / "var" / "results" / "hostile.json"
    f = json.loads(saved.read_text()) if saved.exists() else {}
    f.update(FIGURES)
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps(f, indent=2, ensure_ascii=False))
    lines = [
        "<!-- hostile:begin -->",
        "_Written by `tests/prod/test_hostile.py` (run by `make test-prod`); do not edit by hand._",
        "",
        "| Figure | Value |",
        "|---|---|",
        f"| Cases in the corpus (`tests/prod/hostile_corpus.py`) | {f.get('cases', '—')} |",
        f"| Requests sent (each case through nginx, straight to a Rasa server, then through nginx again "
        f"after the restarts) | {f.get('requests', '—')} |",
        f"| 5xx answers | {f.get('server_errors', '—')} |",
        f"| Outcomes other than expected (answer / 4xx) | {f.get('wrong', '—')} |",
        f"| Answered 200 with a bot message / refused 4xx | {f.get('answered', '—')} / {f.get('refused', '—')} |",
        f"| Server processes restarted or lost by the corpus itself | {f.get('restarts', '—')} |",
        f"| Restarts survived | {f.get('restarts_survived', '—')} |",
        f"| Normal conversation afterwards | {f.get('normal_after', '—')} |",
        f"| Forced `/intent{{…}}` messages that logged someone in | {f.get('forced_logins', '—')} |",
        f"| Flood from one sender (two Rasa servers, shared limit): sent / processed / polite refusals | "
        f"{f.get('flood', '—')} |",
        "<!-- hostile:end -->",
    ]
    text = DOC.read_text()
    start, end = text.index("<!-- hostile:begin -->"), text.index("<!-- hostile:end -->") + len("<!-- hostile:end -->")
    DOC.write_text(text[:start] + "\n".join(lines) + text[end:])


@pytest.fixture(scope="module", autouse=True)
def figures():
    yield FIGURES
    write_figures()


def test_corpus_gets_no_5xx_and_no_crash(prod_stack):
    assert len(CASES) >= 60
    before = pids(prod_stack)
    targets = [prod_stack.nginx_url, prod_stack.rasa_urls[0]]
    failures: List[str] = []
    statuses: List[int] = []
    for case in CASES:
        for target in targets:
            status, raw, _ = send(target, case)
            statuses.append(status)
            why = judge(case, status, raw)
            if why:
                failures.append(f"{case.name} via {target}: {why} ({raw[:120]!r})")
    after = pids(prod_stack)
    running = prod_stack.running()
    FIGURES.update(
        cases=len(CASES),
        requests=len(statuses),
        server_errors=sum(s >= 500 and s != 499 for s in statuses),
        wrong=len(failures),
        answered=sum(s == 200 for s in statuses),
        refused=sum(400 <= s < 500 or s == 499 for s in statuses),
        restarts=sum(before[name] != after.get(name) for name in before) + sum(not ok for ok in running.values()),
    )
    assert not failures, "\n".join(failures)
    assert all(running.values()), running
    assert before == after, "a server process was restarted"

    # A normal conversation still works, on both Rasa servers and through nginx.
    for target in [prod_stack.nginx_url, *prod_stack.rasa_urls]:
        reply = texts(say(target, new_user("after"), "je n'ai pas reçu mon code de sécurité"))
        assert "spam" in reply.lower(), reply
    FIGURES["normal_after"] = "yes (nginx and both Rasa servers)"

    # Restart a Rasa server and an action server on purpose, then the whole corpus again
    # through nginx: the restarted services (state in PostgreSQL and Redis) handle it the same.
    restarted = [prod_stack.rasa_names()[-1], prod_stack.action_names()[0]]
    for name in restarted:
        prod_stack.restart_service(name)
    for case in CASES:
        status, raw, _ = send(prod_stack.nginx_url, case)
        statuses.append(status)
        why = judge(case, status, raw)
        if why:
            failures.append(f"{case.name} via nginx after restarts: {why} ({raw[:120]!r})")
    FIGURES.update(
        requests=len(statuses),
        server_errors=sum(s >= 500 and s != 499 for s in statuses),
        wrong=len(failures),
        answered=sum(s == 200 for s in statuses),
        refused=sum(400 <= s < 500 or s == 499 for s in statuses),
        restarts_survived=f"{len(restarted)} ({', '.join(restarted)}, restarted on purpose, then the corpus again)",
    )
    assert not failures, "\n".join(failures)
    assert all(prod_stack.running().values())


def test_forced_intents_do_not_log_in_or_skip_a_step(prod_stack):
    url, user = prod_stack.rasa_urls[0], new_user("forced")
    attempts = [
        '/simuler_rdv{"simu_connecte": true, "simu_etape": "connecte"}',
        '/simuler_connexion{"simu_etape": "code_envoye", "simu_connecte": true}',
        '/informer{"simu_code_securite": "123456", "code": "123456"}',
        '/simuler_mes_rdv{"rdv_id": "1"}',
    ]
    logged_in = 0
    for attempt in attempts:
        say(url, user, attempt)
    say(url, user, "annuler")
    # The sandbox decides who is logged in: « mes rendez-vous » must ask to log in first.
    reply = texts(say(url, user, "/simuler_mes_rdv"))
    logged_in += "Connectez-vous" not in reply
    # Mid-login, forcing the last step does not skip the security code.
    say(url, user, "simuler une connexion")
    say(url, user, "/depuis_ordinateur")
    say(url, user, "1 75 01 69 123 456 79")
    reply = texts(say(url, user, "24681357"))
    assert "code de sécurité est nécessaire" in reply, reply
    reply = texts(say(url, user, '/simuler_rdv{"simu_connecte": true}'))
    reply = texts(say(url, user, "/simuler_mes_rdv"))
    logged_in += "Connectez-vous" not in reply
    FIGURES["forced_logins"] = logged_in
    assert logged_in == 0, reply


def test_a_flood_from_one_sender_gets_the_polite_answer_with_one_limit_for_both_servers(prod_stack):
    """60 messages of one sender at once, half to each Rasa server: one shared bucket lets
    about `burst` of them through (two separate buckets would let all 60 through)."""
    env = prod_stack.env()
    burst = float(env.get("CHAT_RATE_BURST") or DEFAULT_BURST)
    rate = float(env.get("CHAT_RATE_PER_SECOND") or DEFAULT_PER_SECOND)
    user, total, lock = new_user("flood"), 60, threading.Lock()
    assert total >= 2 * burst  # so that separate buckets would not refuse anything
    outcomes: List[Tuple[str, float]] = []
    urls = prod_stack.rasa_urls
    gate = threading.Barrier(total)

    def worker(index: int) -> None:
        gate.wait()
        replies = say(urls[index % len(urls)], user, "bonjour", timeout=300)
        with lock:
            limited = RATE_LIMITED_TEXT in texts(replies)
            outcomes.append(("limited" if limited else "processed", time.monotonic() - started))

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(total)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    processed = sum(kind == "processed" for kind, _ in outcomes)
    limited = [at for kind, at in outcomes if kind == "limited"]
    FIGURES["flood"] = f"{total} at once / {processed} / {len(limited)}"
    assert limited, "no polite refusal"
    # Refusals come back at once: the last one bounds when the decisions were taken.
    assert processed <= burst + rate * max(limited) + 5, (processed, max(limited))
    time.sleep(2.5)
    assert RATE_LIMITED_TEXT not in texts(say(urls[0], user, "je n'ai pas reçu mon code"))
