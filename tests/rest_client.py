"""Talk to a running bot over Rasa's REST channel, as a client would.

The one home of the REST helpers: the REST tests (tests/test_*_rest.py, on the session's shared
bot of tests/conftest.py), the workshop flows (tests/workshop_flows.py), the production-mode
tests (tests/prod) and the servers the tests start (tests/servers.py, `free_port`).
"""

from __future__ import annotations

import json
import socket
import urllib.request
import uuid
from typing import Any, Dict, List, Optional, Sequence

Replies = List[Dict[str, Any]]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_user(prefix: str = "test") -> str:
    """A new conversation id: a new sender practises in a new sandbox world."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def say(base_url: str, sender: str, message: str, metadata: Optional[dict] = None, timeout: float = 120) -> Replies:
    """POST one message to the REST channel of `base_url` (a Rasa server or nginx); the replies."""
    body: Dict[str, Any] = {"sender": sender, "message": message}
    if metadata:
        body["metadata"] = metadata
    request = urllib.request.Request(
        f"{base_url}/webhooks/rest/webhook",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        assert response.status == 200
        return json.loads(response.read())


def texts(replies: Sequence[Dict[str, Any]]) -> str:
    """The bubbles' texts, one a line."""
    return "\n".join(r.get("text", "") or "" for r in replies)


def buttons(replies: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [b for r in replies for b in r.get("buttons", []) or []]


def payloads(replies: Sequence[Dict[str, Any]]) -> List[str]:
    return [b["payload"] for b in buttons(replies)]


def click(replies: Sequence[Dict[str, Any]], starts_with: str) -> str:
    """The payload of the first button whose payload starts with `starts_with`."""
    return next(p for p in payloads(replies) if p.startswith(starts_with))
