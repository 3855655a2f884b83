"""nginx in front: the widget's page and config, REST balanced over the Rasa servers, and
socket.io kept on one Rasa server per client (long-polling fails otherwise)."""
from __future__ import annotations

import queue
import urllib.request
import uuid

import pytest

from tests.prod.helpers import ask, events, new_sender, say, texts


def test_the_widget_page_and_its_config_are_served_by_nginx(prod_stack):
    with urllib.request.urlopen(f"{prod_stack.nginx_url}/", timeout=10) as response:
        page = response.read().decode()
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "widget.js" in page
    assert ask(f"{prod_stack.nginx_url}/api/config") == {"rasa_url": prod_stack.nginx_url}
    with urllib.request.urlopen(f"{prod_stack.nginx_url}/static/widget.js", timeout=10) as response:
        assert response.status == 200
    # The mailbox API (sandbox on PostgreSQL) answers through nginx too.
    assert ask(f"{prod_stack.nginx_url}/api/mailbox?session={uuid.uuid4().hex}")["ok"] is False


def test_rest_through_nginx_reaches_both_rasa_servers(prod_stack):
    user = new_sender("nginx-rest")
    for message in ("bonjour", "je n'ai pas reçu mon code", "merci"):
        assert texts(say(prod_stack.nginx_url, user, message))
    assert len([r for r in events(prod_stack.postgres_dsn, user) if r["event"] == "user"]) == 3
    log = (prod_stack.log_dir / "nginx-access.log").read_text()
    assert log.count("POST /webhooks/rest/webhook") >= 3


@pytest.mark.parametrize("transport", ["polling", "websocket"])
def test_socketio_through_nginx_sticks_to_one_rasa_server(prod_stack, transport):
    import socketio

    replies: "queue.Queue[dict]" = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", lambda data: replies.put(data))
    session = uuid.uuid4().hex
    client.connect(prod_stack.nginx_url, transports=[transport], socketio_path="socket.io", wait_timeout=20)
    try:
        client.emit("session_request", {"session_id": session})
        # Several round trips: with long-polling, every request must reach the same server.
        for message in ("bonjour", "je n'ai pas reçu mon code", "merci"):
            client.emit("user_uttered", {"message": message, "session_id": session})
            first = replies.get(timeout=90)
            assert first.get("text")
            while True:  # drain the other bubbles of this answer
                try:
                    replies.get(timeout=3)
                except queue.Empty:
                    break
    finally:
        client.disconnect()
    assert len([r for r in events(prod_stack.postgres_dsn, session) if r["event"] == "user"]) == 3
