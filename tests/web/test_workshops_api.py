"""The workshop pages and API of the widget's server (web/workshops.py), over HTTP, on a real sandbox."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Dict

import pytest
from aiohttp.test_utils import TestClient

from actions.sandbox import FakeClock, Sandbox, policy
from tests.web import run
from web.workshops import TRAINER_HEADER

MARIE = ("2 84 05 38 185 123 29", "Durand", "12/05/1984")
JEAN_NIR, JEAN_CODE = "1 75 01 69 123 456 79", "24681357"
START = datetime(2025, 1, 6, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def sandbox(tmp_path, monkeypatch) -> Sandbox:
    monkeypatch.setattr(policy, "SCRYPT_N", 2**8)
    box = Sandbox(f"sqlite:///{tmp_path / 'web.sqlite3'}", clock=FakeClock(START), spam_share=0.0, secret_key=b"k" * 32)
    yield box
    box.close()


async def _open(client: TestClient, name: str = "Atelier mardi") -> Dict[str, Any]:
    response = await client.post("/api/atelier", json={"name": name})
    assert response.status == 200
    return await response.json()


def _secret(opened: Dict[str, Any]) -> str:
    return opened["trainer_path"].split("#cle=")[1]


def test_open_join_and_follow_the_room(sandbox) -> None:
    async def scenario(client: TestClient) -> None:
        opened = await _open(client)
        code, secret = opened["code"], _secret(opened)
        assert opened["join_path"] == f"/atelier/{code}" and "#cle=" in opened["trainer_path"]
        for session, name in (("a" * 32, "Léa"), ("b" * 32, "Max")):
            joined = await client.post(
                f"/api/atelier/{code.lower()}/rejoindre", json={"session": session, "nickname": name}
            )
            assert (await joined.json())["nickname"] == name
        sandbox.start_creation("a" * 32, *MARIE)
        sandbox.confirm_rib("a" * 32, "0000000")
        room = await client.get("/api/atelier/salle", headers={TRAINER_HEADER: secret})
        data = await room.json()
        rows = {r["nickname"]: r for r in data["learners"]}
        assert rows["Léa"]["step"] == "5/11 RIB (7 derniers caractères)" and rows["Léa"]["mistakes"] == 1
        assert rows["Max"]["exercise"] == "pas encore commencé"
        assert rows["Léa"]["last_activity_label"]
        assert "a" * 32 not in str(data) and "b" * 32 not in str(data)  # learners' conversation ids never shown

    run(sandbox, scenario)


def test_pages_and_qr_code(sandbox) -> None:
    async def scenario(client: TestClient) -> None:
        opened = await _open(client)
        for path in ("/atelier", "/atelier/animateur", opened["join_path"]):
            page = await client.get(path)
            assert page.status == 200 and "script-src 'self'" in page.headers["Content-Security-Policy"]
        join_page = await (await client.get(opened["join_path"])).text()
        assert "rejoindre.js" in join_page and "chat-bubble" in join_page  # the help page with the chat
        qr = await client.get(f"/atelier/{opened['code']}/qr.svg")
        assert qr.status == 200 and qr.content_type == "image/svg+xml"
        assert re.search(r"<svg[^>]*>", await qr.text())
        assert (await client.get("/atelier/ZZZZZZ/qr.svg")).status == 404
        assert (await client.get("/api/atelier/ZZZZZZ")).status == 404

    run(sandbox, scenario)


def test_the_trainer_api_needs_the_trainer_secret(sandbox) -> None:
    async def scenario(client: TestClient) -> None:
        opened = await _open(client)
        code, secret = opened["code"], _secret(opened)
        await client.post(f"/api/atelier/{code}/rejoindre", json={"session": "c" * 32, "nickname": "Léa"})
        learner = sandbox.workshop_room(secret).data["learners"][0].id
        for headers in ({}, {TRAINER_HEADER: ""}, {TRAINER_HEADER: code}, {TRAINER_HEADER: secret + "x"}):
            assert (await client.get("/api/atelier/salle", headers=headers)).status == 403
            moved = await client.post("/api/atelier/horloge", json={"minutes": 16}, headers=headers)
            assert moved.status == 403
            reset = await client.post("/api/atelier/remise-a-zero", json={"learner": learner}, headers=headers)
            assert reset.status == 403
        ok = {TRAINER_HEADER: secret}
        assert (await client.post("/api/atelier/horloge", json={"minutes": 16}, headers=ok)).status == 200
        assert (await client.post("/api/atelier/horloge", json={"minutes": 17}, headers=ok)).status == 400
        assert (await client.post("/api/atelier/horloge", json={"minutes": True}, headers=ok)).status == 400
        bad = await client.post("/api/atelier/remise-a-zero", json={"learner": "1; DROP"}, headers=ok)
        assert bad.status == 400
        assert (await client.post("/api/atelier/remise-a-zero", json={"learner": learner}, headers=ok)).status == 200
        assert (await client.post("/api/atelier/remise-a-zero", json={"learner": 999}, headers=ok)).status == 400

    run(sandbox, scenario)


def test_bad_input_gets_a_french_answer(sandbox) -> None:
    async def scenario(client: TestClient) -> None:
        empty = await client.post("/api/atelier", json={"name": "   "})
        assert empty.status == 400 and "nom" in (await empty.json())["message"]
        not_json = await client.post("/api/atelier", data=b"<html>", headers={"Content-Type": "application/json"})
        assert not_json.status == 400 and "invalide" in await not_json.text()
        huge = await client.post(
            "/api/atelier", data=b"{" + b" " * 10_000 + b"}", headers={"Content-Type": "application/json"}
        )
        assert huge.status == 413
        opened = await _open(client)
        code = opened["code"]
        for body in ({"session": "short", "nickname": "Léa"}, {"session": "c" * 32}, {"nickname": "Léa"}, ["x"]):
            response = await client.post(f"/api/atelier/{code}/rejoindre", json=body)
            assert response.status == 400, body
            assert (await response.json())["message"]
        unknown = await client.post("/api/atelier/ZZZZZZ/rejoindre", json={"session": "c" * 32, "nickname": "Léa"})
        assert unknown.status == 404 and "atelier" in (await unknown.json())["message"]

    run(sandbox, scenario)


def test_restarting_a_conversation_keeps_the_learner_in_the_room_once(sandbox) -> None:
    async def scenario(client: TestClient) -> None:
        opened = await _open(client)
        code, secret = opened["code"], _secret(opened)
        await client.post(f"/api/atelier/{code}/rejoindre", json={"session": "d" * 32, "nickname": "Léa"})
        again = await client.post(
            f"/api/atelier/{code}/rejoindre", json={"session": "e" * 32, "nickname": "Léa", "replaces": "d" * 32}
        )
        assert (await again.json())["nickname"] == "Léa"
        assert [r.nickname for r in sandbox.workshop_room(secret).data["learners"]] == ["Léa"]

    run(sandbox, scenario)
