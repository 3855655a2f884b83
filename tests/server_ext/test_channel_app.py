"""The guarded channels in a real Sanic server with a fake bot: the hostile corpus, socket.io.

No model needed (the bot is an echo, tests/server_ext/channel_app.py), so this runs in
`make test-py`; the same corpus runs against the real stack in tests/prod/test_hostile.py.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from server_ext.channels import ERR_JSON, ERR_MESSAGE, ERR_SENDER, ERR_TOO_BIG, NOT_PROCESSED_TEXT, RATE_LIMITED_TEXT
from tests.prod.hostile_corpus import ANSWER, CASES, REFUSED, send
from tests.rest_client import free_port

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("channel_app") / "app.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.server_ext.channel_app", str(port)],
        cwd=HERE.parents[1],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if proc.poll() is not None:
                raise RuntimeError(log.read_text()[-3000:])
            try:
                urllib.request.urlopen(f"{url}/ready", timeout=1)
                break
            except OSError:
                time.sleep(0.25)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_the_hostile_corpus_gets_an_answer_or_a_4xx_never_a_5xx(app):
    url, proc = app
    wrong = []
    for case in CASES:
        status, raw, _ = send(url, case)
        if status >= 500 and status != 499:
            wrong.append(f"{case.name}: {status}")
        elif case.expect == REFUSED and not (400 <= status < 500 or status == 499):
            wrong.append(f"{case.name}: {status} instead of a 4xx")
        elif case.expect == ANSWER:
            if status != 200 or not json.loads(raw) or not json.loads(raw)[0].get("text"):
                wrong.append(f"{case.name}: {status} {raw[:100]!r}")
        elif 400 <= status < 500 and status not in (404, 405, 499):
            assert "erreur" in json.loads(raw), case.name  # our French JSON error
    assert not wrong, "\n".join(wrong)
    assert proc.poll() is None


def post(url: str, body: dict) -> list:
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=json.dumps(body).encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_a_bot_failure_still_gets_a_french_answer(app):
    url, _ = app
    assert post(url, {"sender": "fails", "message": "boom"})[0]["text"] == NOT_PROCESSED_TEXT


def test_rate_limit_answers_politely_then_lets_the_sender_back(app):
    url, _ = app  # channel_app: burst 5, 0.5 token a second
    answers = [post(url, {"sender": "flooder", "message": "bonjour"})[0]["text"] for _ in range(8)]
    assert answers[:5] == ["reçu (7): bonjour"] * 5 and answers[5:] == [RATE_LIMITED_TEXT] * 3
    assert post(url, {"sender": "someone-else", "message": "bonjour"})[0]["text"].startswith("reçu")
    time.sleep(2.2)
    assert post(url, {"sender": "flooder", "message": "bonjour"})[0]["text"].startswith("reçu")


def test_socketio_user_uttered_gets_the_same_checks(app):
    import socketio

    url, proc = app

    async def wait_for(got, predicate):
        for _ in range(100):
            if predicate(got):
                return
            await asyncio.sleep(0.05)

    async def scenario(messages):
        client = socketio.AsyncClient()
        got: list = []
        client.on("bot_uttered", lambda data: got.append(("bot", data.get("text"))))
        client.on("erreur", lambda data: got.append(("erreur", data.get("erreur"))))
        client.on("session_confirm", lambda data: got.append(("session", data)))
        await client.connect(url, transports=["polling"])
        await client.emit("session_request", {"session_id": "sio-user-1"})
        await wait_for(got, lambda g: ("session", "sio-user-1") in g)
        for message in messages:
            before = len(got)
            await client.emit("user_uttered", message)
            await wait_for(got, lambda g, before=before: len(g) > before)
        await client.disconnect()
        return got

    got = asyncio.run(
        scenario(
            [
                {"session_id": "sio-user-1", "message": "bonjour\x00là"},
                ["not", "an", "object"],
                {"session_id": "x" * 200, "message": "bonjour"},
                {"session_id": "sio-user-1", "message": 42},
                {"session_id": "sio-user-1", "message": "y" * 40_000},
            ]
        )
    )
    assert got[1:] == [
        ("bot", "reçu (10): bonjour là"),
        ("erreur", ERR_JSON),
        ("erreur", ERR_SENDER),
        ("erreur", ERR_MESSAGE),
        ("bot", ERR_TOO_BIG),
    ]
    # A packet over the size limit is dropped by engine.io (the connection closes), not the server.
    asyncio.run(scenario([{"session_id": "sio-user-1", "message": "z" * 100_000}]))
    assert ("bot", "reçu (7): bonjour") in asyncio.run(scenario([{"session_id": "sio-user-1", "message": "bonjour"}]))
    assert proc.poll() is None
