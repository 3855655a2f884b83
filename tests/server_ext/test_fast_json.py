"""server_ext.fast_json: ujson writes and reads the conversations as Python's json does."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from pathlib import Path
from typing import AsyncIterator

import pytest
from aiohttp import web
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.utils.endpoints import EndpointConfig

from server_ext import fast_json
from tests.rest_client import free_port

ROOT = Path(__file__).resolve().parents[2]


def conversations():
    domain = Domain.load(str(ROOT / "domain.yml"))
    for path in sorted((ROOT / "tests" / "conversations").glob("*.yml")):
        for step in YAMLStoryReader(domain).read_from_file(str(path)):
            tracker = DialogueStateTracker.from_events("json-test", step.events, domain.slots)
            yield tracker.current_state(EventVerbosity.ALL), tracker.as_dialogue().as_dict()


def test_every_conversation_reads_back_the_same_either_way():
    count = 0
    for state, dialogue in conversations():
        for document in (state, dialogue):
            ours = fast_json.dumps(document)
            assert json.loads(ours) == json.loads(json.dumps(document))  # time stamps to the last bit
            assert fast_json.loads(json.dumps(document)) == json.loads(json.dumps(document))
            count += 1
    assert count > 150


@pytest.mark.parametrize(
    "value",
    [
        {"text": "é 😀 « guillemets » </b> \u2028", "n": None, "ok": True},
        [0.1, 1 / 3, 1e-300, 5e-324, 1.7976931348623157e308],
    ],
)
def test_odd_text_and_floats_are_kept(value):
    assert fast_json.loads(fast_json.dumps(value)) == value == json.loads(fast_json.dumps(value))


def test_what_ujson_refuses_gets_python_json_answer():
    assert json.loads(fast_json.dumps({"big": 2**70})) == {"big": 2**70}
    with pytest.raises(TypeError):
        fast_json.dumps({"x": object()})
    with pytest.raises(json.JSONDecodeError):
        fast_json.loads("{not json")
    assert fast_json.dumps({"a": 1}, indent=2) == json.dumps({"a": 1}, indent=2)


def test_an_action_call_with_the_domain_is_the_same_document_and_the_domain_is_written_once(monkeypatch):
    from rasa.core.actions.action import RemoteAction

    domain = Domain.load(str(ROOT / "domain.yml"))
    other = Domain.load(str(ROOT / "domain.yml"))  # equal, another object
    written = []
    monkeypatch.setattr(fast_json, "dumps", lambda obj, **kw: written.append(obj) or json.dumps(obj, **kw))
    fast_json._written_domains.clear()
    for state, _ in itertools.islice(conversations(), 6):
        tracker = DialogueStateTracker.from_dict("json-test", state["events"], domain.slots)
        for d in (domain, other, domain):
            body = RemoteAction("action_x", None)._action_call_format(tracker, d)
            assert list(body)[-1] == "domain"  # control: Rasa sends the whole domain, last
            assert json.loads(fast_json.action_call_body(body)) == json.loads(json.dumps(body))
    assert sum(1 for obj in written if obj is domain.as_dict()) == 1  # written the first time only
    assert sum(1 for obj in written if obj is other.as_dict()) == 1
    for body in ({"domain": domain.as_dict()}, {"a": 1}, {"domain": 5, "a": 2}, {"domain": {}, "a": [1]}, [1]):
        assert json.loads(fast_json.action_call_body(body)) == json.loads(json.dumps(body))


@contextlib.asynccontextmanager
async def action_server(handler) -> AsyncIterator[str]:
    """A stand-in action server answering POST /webhook with `handler`; yields its URL. On the way out the
    shared sessions are closed, as the Rasa server does when it stops."""
    app = web.Application()
    app.router.add_post("/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/webhook"
    finally:
        await fast_json.close_sessions()
        await runner.cleanup()


def test_the_action_server_gets_a_json_body():
    fast_json.install()
    received = {}

    async def handler(request: web.Request) -> web.Response:
        received["type"] = request.content_type
        received["body"] = await request.json()
        return web.json_response({"events": [], "responses": []})

    async def exchange() -> object:
        async with action_server(handler) as url:
            body = {"next_action": "action_x", "tracker": {"text": "é </script>", "t": 1733212345.123456}}
            return await EndpointConfig(url).request(json=body, method="post")

    answer = asyncio.run(exchange())
    assert answer == {"events": [], "responses": []}
    assert received["type"] == "application/json"
    assert received["body"] == {"next_action": "action_x", "tracker": {"text": "é </script>", "t": 1733212345.123456}}


def test_calls_to_the_action_server_reuse_one_connection_and_a_closed_one_is_replaced():
    fast_json.install()
    peers = []

    async def handler(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response({"events": [], "responses": [{"text": str(len(peers))}]})

    async def calls() -> list:
        async with action_server(handler) as url:
            endpoint = EndpointConfig(url)
            answers = [await endpoint.request(json={"n": n}, method="post") for n in range(3)]
            async with endpoint.session() as session:  # Rasa's own use: the session stays open after it
                pass
            assert not session.closed
            await session.close()  # closed by someone else: the next call opens a new one
            answers.append(await endpoint.request(json={"n": 3}, method="post"))
            other = EndpointConfig(url)  # another endpoint: its own session
            answers.append(await other.request(json={"n": 4}, method="post"))
        assert not fast_json._sessions
        return answers

    answers = asyncio.run(calls())
    assert [a["responses"][0]["text"] for a in answers] == ["1", "2", "3", "4", "5"]
    assert len(set(peers[:3])) == 1, "the calls of one endpoint should share one TCP connection"
    assert peers[3] != peers[0] and peers[4] not in peers[:4]
    # a new event loop (the session of a finished loop is not reused)
    peers.clear()
    answers = asyncio.run(calls())
    assert len(answers) == 5 and len(set(peers[:3])) == 1
