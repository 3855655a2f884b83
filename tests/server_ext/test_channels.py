"""Body checks and rate limit of server_ext.channels / server_ext.ratelimit (no server)."""

from __future__ import annotations

import json

import pytest

from server_ext import channels, ratelimit
from server_ext.channels import BadRequest, clean_text, parse_body


def body(obj) -> bytes:
    return json.dumps(obj).encode()


def refused(raw: bytes, limit: int = 32 * 1024) -> int:
    with pytest.raises(BadRequest) as info:
        parse_body(raw, limit)
    assert info.value.reason and info.value.reason[0].isupper()  # a French sentence for the client
    return info.value.status


def test_a_normal_body_passes():
    assert parse_body(body({"sender": "moi", "message": "bonjour"}), 1000) == ("moi", "bonjour", None)
    sender, text, meta = parse_body(body({"sender": "a", "message": "", "metadata": {"device_id": "x"}}), 1000)
    assert text == "" and meta == {"device_id": "x"}


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"[]",
        b"42",
        b'"text"',
        b"null",
        b'{"sender": "a"',
        b"\xff\xfe{}",
        b'{"sender": "\xc3\x28"}',
        b"[" * 100_000,
        b'{"sender": "a", "message": "b", "metadata": {"n": NaN}}',
        b'{"sender": "a", "message": "b", "metadata": {"n": 1e999}}',
    ],
)
def test_malformed_bodies_get_400(raw):
    assert refused(raw, 10**6) == 400


@pytest.mark.parametrize(
    "payload",
    [
        {"message": "hi"},
        {"sender": "", "message": "hi"},
        {"sender": "   ", "message": "hi"},
        {"sender": 12, "message": "hi"},
        {"sender": "x" * 129, "message": "hi"},
        {"sender": "a\x00b", "message": "hi"},
        {"sender": "a\nb", "message": "hi"},
        {"sender": "a"},
        {"sender": "a", "message": None},
        {"sender": "a", "message": ["hi"]},
        {"sender": "a", "message": {"text": "hi"}},
        {"sender": "a", "message": 3},
        {"sender": "a", "message": "hi", "metadata": "x"},
        {"sender": "a", "message": "hi", "metadata": [1]},
    ],
)
def test_wrong_fields_get_400(payload):
    assert refused(body(payload)) == 400


def test_oversize_body_gets_413():
    assert refused(body({"sender": "a", "message": "x" * 40_000}), 32 * 1024) == 413


def test_control_characters_and_surrogates_are_cleaned():
    assert clean_text("a\x00b\x07c\u200bd\ud800e\nf\tg") == "a b c\u200bde\nf\tg"
    assert clean_text("👍🏽👨‍👩‍👧") == "👍🏽👨‍👩‍👧"  # emoji sequences (ZWJ) stay
    assert parse_body(b'{"sender": "a", "message": "x\\u0000y\\ud800"}', 1000)[1] == "x y"


def test_memory_bucket_burst_then_refill():
    now = [0.0]
    limiter = ratelimit.MemoryLimiter(burst=3, per_second=0.5, clock=lambda: now[0])
    assert [limiter.allow_now("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow_now("b")  # another sender is not affected
    now[0] += 2.0  # one token back
    assert limiter.allow_now("a") and not limiter.allow_now("a")


def test_settings_from_credentials_and_environment(monkeypatch):
    monkeypatch.setenv("CHAT_RATE_BURST", "2")
    rest = channels.GuardedRestInput.from_credentials({"chat_max_body_bytes": 100})
    assert rest.max_body_bytes == 100 and rest.limiter.burst == 2
    assert rest.name() == "rest" and channels.GuardedSocketIOInput.name() == "socketio"


def test_the_widget_gets_back_its_message_with_the_secrets_masked():
    echo = channels.masked_echo("mon nir 2 84 05 38 185 123 29\x00", {"message_id": "ab12cd34"})
    assert echo == {"message_id": "ab12cd34", "text": "mon nir 2 84 •• •• ••• ••• 29 ", "masked": True}
    assert channels.masked_echo("bonjour", {"message_id": "x1"}) == {
        "message_id": "x1",
        "text": "bonjour",
        "masked": False,
    }
    # no id, or an id that is not one: nothing sent back
    assert channels.masked_echo("bonjour", {}) is None
    assert channels.masked_echo("bonjour", {"message_id": "<script>"}) is None
    assert channels.masked_echo(42, {"message_id": "x1"}) is None
