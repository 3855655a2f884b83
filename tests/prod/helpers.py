"""Helpers of the production-mode tests: read what PostgreSQL holds (talking to a server over REST:
tests/rest_client.py)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, Dict, List, Sequence


def query(dsn: str, sql: str, params: Sequence[Any] = ()) -> List[tuple]:
    """Run one read-only query on PostgreSQL (psycopg2, autocommit) and return the rows."""
    import psycopg2

    conn = psycopg2.connect(dsn)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql, tuple(params))
            return cur.fetchall()
    finally:
        conn.close()


def events(dsn: str, sender: str) -> List[Dict[str, Any]]:
    """The rows of the tracker store's `events` table for one conversation, in write order."""
    rows = query(
        dsn,
        "SELECT id, type_name, timestamp, intent_name, action_name, data FROM events WHERE sender_id = %s ORDER BY id",
        (sender,),
    )
    return [
        {"id": r[0], "event": r[1], "timestamp": r[2], "intent": r[3], "action": r[4], "data": json.loads(r[5])}
        for r in rows
    ]


def assert_events_consistent(rows: List[Dict[str, Any]], messages_sent: int) -> None:
    """No event lost or duplicated: one `user` event per message sent, each turn ended by
    `action_listen`, no row written twice, timestamps in write order."""
    users = [r for r in rows if r["event"] == "user"]
    assert len(users) == messages_sent, f"{len(users)} user events for {messages_sent} messages sent"
    keys = [(r["event"], r["timestamp"], json.dumps(r["data"], sort_keys=True)) for r in rows]
    duplicates = {k for k in keys if keys.count(k) > 1}
    assert not duplicates, f"events written twice: {sorted(duplicates)[:3]}"
    stamps = [r["timestamp"] for r in rows]
    assert stamps == sorted(stamps), "events out of order"
    # Every turn is complete: after each user message, the bot ends with action_listen.
    turn_ends = []
    for index, row in enumerate(rows):
        if row["event"] == "user":
            following = rows[index + 1 :]
            next_user = next((i for i, r in enumerate(following) if r["event"] == "user"), len(following))
            turn = following[:next_user]
            turn_ends.append(any(r["event"] == "action" and r["action"] == "action_listen" for r in turn))
    assert all(turn_ends), f"turns without action_listen: {turn_ends}"


def bot_texts_of_last_turn(rows: List[Dict[str, Any]]) -> List[str]:
    last_user = max(i for i, r in enumerate(rows) if r["event"] == "user")
    return [r["data"].get("text") or "" for r in rows[last_user + 1 :] if r["event"] == "bot"]


def ask(url: str) -> Any:
    """GET a JSON document."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:  # pragma: no cover - shown in the assertion
        return {"status": error.code}
