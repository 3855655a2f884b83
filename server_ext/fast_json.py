"""JSON for the Rasa server's busiest paths, with ujson: the same documents, read and written faster.

Under the bench's load (`make profile`, issue 18) Python's own `json` took about 14 % of the Rasa
server's CPU: writing the whole conversation for the action server on every call (aiohttp's body)
and for the tracker store at every message, and reading it back at the next one. ujson (already
installed: sanic, Rasa's web server, uses it; pinned in requirements.txt) writes and reads the same
JSON several times faster. Its output only differs in spacing; numbers, time stamps included, read
back to the same floats (tests/server_ext/test_fast_json.py). Anything ujson refuses (a number too
large for it, an object it does not know, keyword options) goes through Python's `json`, so an error
is the one Rasa raised before.

`install()` (server_ext.channels, the Rasa server only) makes Rasa's tracker stores use these
functions and sends the action server's request body as JSON written here; the project's redacting
tracker store (server_ext/tracker_store.py) imports them itself.

It also keeps one aiohttp session per endpoint (and event loop) instead of a new one per call:
Rasa's `EndpointConfig.request` opened a session, hence a new TCP connection, for every call to
the action server (several per message). The session is Rasa's own (`EndpointConfig.session`:
same headers, authentication, timeout); `async with endpoint.session()` lends it and leaves it
open; the channels close it when the server stops (`close_sessions`). Its connections stay open 15 s between calls (aiohttp's default), less than the action
server's and nginx's 75 s, so the server never closes one the client is about to reuse.
"""

from __future__ import annotations

import asyncio
import json
import types
from collections import OrderedDict
from typing import Any, Dict, Tuple

import ujson

_installed = False


def dumps(obj: Any, **kwargs: Any) -> str:
    """`json.dumps(obj)`: the same document (compact)."""
    if not kwargs:
        try:
            return ujson.dumps(obj, escape_forward_slashes=False)
        except (TypeError, OverflowError, ValueError):
            pass
    return json.dumps(obj, **kwargs)


def loads(text: Any, **kwargs: Any) -> Any:
    """`json.loads(text)`: the same values."""
    if not kwargs:
        try:
            return ujson.loads(text)
        except (TypeError, ValueError, OverflowError):
            pass
    return json.loads(text, **kwargs)


_written_domains: "OrderedDict[int, Tuple[Any, str]]" = OrderedDict()  # id(domain dict) -> (it, its JSON)


def action_call_body(body: Any) -> str:
    """`dumps(body)`, the domain written once: the same document.

    Rasa sends the whole domain (`domain.as_dict()`, about 47 KB of JSON here) with every call to the
    action server, and writing it took about half of each call's JSON. `as_dict()` hands out the
    domain's own dictionary, the same object at every call (the server's domain is loaded once and
    never edited): its JSON is written the first time it is seen and put back in place of it after."""
    domain = body.get("domain") if isinstance(body, dict) else None
    if not isinstance(domain, dict) or next(reversed(body)) != "domain":  # Rasa adds it last
        return dumps(body)
    known = _written_domains.get(id(domain))
    if known is None or known[0] is not domain:
        known = _written_domains[id(domain)] = (domain, dumps(domain))
        while len(_written_domains) > 4:  # one per model loaded (the server has one)
            _written_domains.popitem(last=False)
    rest = dumps({key: value for key, value in body.items() if key != "domain"})
    return rest[:-1] + ("," if rest != "{}" else "") + '"domain":' + known[1] + "}"


class LentSession:
    """`async with` gives the shared session and leaves it open; anything else is the session's."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def close(self) -> None:  # the session outlives its borrowers
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


_sessions: Dict[Tuple[int, int], Any] = {}  # (id of the endpoint, id of the loop) -> (endpoint, loop, session)


def shared_session(endpoint: Any, new_session: Any) -> LentSession:
    """The endpoint's session on this event loop, opened by `new_session(endpoint)` the first time."""
    loop = asyncio.get_running_loop()
    key = (id(endpoint), id(loop))
    known = _sessions.get(key)
    if known is None or known[0] is not endpoint or known[1] is not loop or known[2].closed:
        for stale in [k for k, (_, old_loop, _s) in _sessions.items() if old_loop.is_closed()]:
            del _sessions[stale]  # sessions of finished loops (tests run several)
        known = _sessions[key] = (endpoint, loop, new_session(endpoint))
    return LentSession(known[2])


async def close_sessions(*_: Any) -> None:
    """Close the sessions of the running event loop (the Rasa server's `after_server_stop`: no
    « Unclosed client session » in its log when it stops)."""
    loop = asyncio.get_running_loop()
    for key, (_, session_loop, session) in list(_sessions.items()):
        if session_loop is loop:
            del _sessions[key]
            await session.close()


def install() -> None:
    """Rasa's tracker stores and the action server's requests write and read JSON here (idempotent)."""
    global _installed
    if _installed:
        return
    import rasa.core.tracker_store
    from rasa.utils.endpoints import EndpointConfig

    rasa.core.tracker_store.json = types.SimpleNamespace(dumps=dumps, loads=loads)  # type: ignore[attr-defined]
    rasa_request = EndpointConfig.request

    async def request(self: EndpointConfig, *args: Any, **kwargs: Any) -> Any:
        if "json" in kwargs and "data" not in kwargs:  # Rasa's request sets Content-Type: application/json
            kwargs["data"] = action_call_body(kwargs.pop("json")).encode("utf-8")
        return await rasa_request(self, *args, **kwargs)

    EndpointConfig.request = request  # type: ignore[assignment]
    rasa_session = EndpointConfig.session
    EndpointConfig.session = lambda self: shared_session(self, rasa_session)  # type: ignore[assignment]
    _installed = True
