"""nginx in front: the widget's page and config, REST balanced over the Rasa servers, and
socket.io kept on one Rasa server per client (long-polling fails otherwise)."""

from __future__ import annotations

import queue
import urllib.request
import uuid

from tests.prod.helpers import ask, events
from tests.rest_client import new_user, say, texts


def test_the_widget_page_and_its_config_are_served_by_nginx(prod_stack):
    with urllib.request.urlopen(f"{prod_stack.nginx_url}/", timeout=10) as response:
        page = response.read().decode()
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "widget.js" in page
    assert ask(f"{prod_stack.nginx_url}/api/config") == {
        "rasa_url": prod_stack.nginx_url,
        "max_message_chars": 1000,
        "idle_minutes": 30,
    }
    with urllib.request.urlopen(f"{prod_stack.nginx_url}/static/widget.js", timeout=10) as response:
        assert response.status == 200
    # the widget's French (actions/web_answers.WIDGET_TEXTS) comes from the web server, not from disk
    with urllib.request.urlopen(f"{prod_stack.nginx_url}/static/texts.js", timeout=10) as response:
        assert response.status == 200 and "Ce mail n'existe pas dans votre boîte." in response.read().decode()
    # The mailbox API (sandbox on PostgreSQL) answers through nginx too.
    assert ask(f"{prod_stack.nginx_url}/api/mailbox?session={uuid.uuid4().hex}")["ok"] is False


def test_rest_through_nginx_reaches_both_rasa_servers(prod_stack):
    user = new_user("nginx-rest")
    for message in ("bonjour", "je n'ai pas reçu mon code", "merci"):
        assert texts(say(prod_stack.nginx_url, user, message))
    assert len([r for r in events(prod_stack.postgres_dsn, user) if r["event"] == "user"]) == 3
    log = (prod_stack.log_dir / "nginx-access.log").read_text()
    assert log.count("POST /webhooks/rest/webhook") >= 3


def test_socketio_long_polling_through_nginx_sticks_to_one_rasa_server(prod_stack):
    """Long-polling: every request of the session must reach the Rasa server that holds it
    (nginx hashes on its cookie; requests keeps the cookie), else engine.io answers 400."""
    import socketio

    replies: "queue.Queue[dict]" = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", lambda data: replies.put(data))
    session = uuid.uuid4().hex
    client.connect(prod_stack.nginx_url, transports=["polling"], socketio_path="socket.io", wait_timeout=20)
    try:
        client.emit("session_request", {"session_id": session})
        for message in ("bonjour", "je n'ai pas reçu mon code", "merci"):
            client.emit("user_uttered", {"message": message, "session_id": session})
            assert replies.get(timeout=90).get("text")
            while True:  # drain the other bubbles of this answer
                try:
                    replies.get(timeout=3)
                except queue.Empty:
                    break
    finally:
        client.disconnect()
    assert len([r for r in events(prod_stack.postgres_dsn, session) if r["event"] == "user"]) == 3


def test_socketio_websocket_through_nginx(prod_stack):
    """The widget's first choice: a WebSocket upgraded through nginx. Spoken with `websockets`
    (engine.io v4 / socket.io v5 frames), since python-engineio's aiohttp client needs a newer
    aiohttp than Rasa 3.6 allows."""
    import asyncio
    import json

    import websockets

    session = uuid.uuid4().hex
    ws_url = prod_stack.nginx_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"

    async def talk() -> list:
        answers = []
        async with websockets.connect(ws_url, open_timeout=20) as ws:
            assert (await ws.recv()).startswith("0")  # engine.io open
            await ws.send("40")  # socket.io connect, namespace /
            assert (await ws.recv()).startswith("40")

            async def emit(event: str, data: dict) -> None:
                await ws.send("42" + json.dumps([event, data]))

            async def next_bot_message(timeout: float) -> dict:
                while True:
                    frame = await asyncio.wait_for(ws.recv(), timeout=timeout)
                    if frame == "2":  # ping
                        await ws.send("3")
                    elif frame.startswith("42"):
                        event, *args = json.loads(frame[2:])
                        if event == "bot_uttered":
                            return args[0]

            await emit("session_request", {"session_id": session})
            for message in ("bonjour", "je n'ai pas reçu mon code"):
                await emit("user_uttered", {"message": message, "session_id": session})
                answers.append(await next_bot_message(90))
                while True:  # the other bubbles of this answer
                    try:
                        await next_bot_message(3)
                    except asyncio.TimeoutError:
                        break
        return answers

    answers = asyncio.run(talk())
    assert all(a.get("text") for a in answers) and len(answers) == 2
    assert len([r for r in events(prod_stack.postgres_dsn, session) if r["event"] == "user"]) == 2


def test_workshop_pages_and_api_through_nginx(prod_stack):
    """A workshop on the production layout: the pages, the API and the QR code of the room's address."""
    import json

    request = urllib.request.Request(
        f"{prod_stack.nginx_url}/api/atelier",
        data=json.dumps({"name": "Salle 2"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        opened = json.loads(response.read())
    for path in ("/atelier", "/atelier/animateur", opened["join_path"]):
        with urllib.request.urlopen(f"{prod_stack.nginx_url}{path}", timeout=10) as response:
            assert response.status == 200 and "<html" in response.read().decode()
    with urllib.request.urlopen(f"{prod_stack.nginx_url}/atelier/{opened['code']}/qr.svg", timeout=10) as response:
        svg = response.read().decode()
    host = prod_stack.nginx_url.split("://", 1)[1]
    assert "<svg" in svg and f"{host}/atelier/{opened['code']}" in svg  # the link names the port too
