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
"""

from __future__ import annotations

import json
import types
from typing import Any

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
            kwargs["data"] = dumps(kwargs.pop("json")).encode("utf-8")
        return await rasa_request(self, *args, **kwargs)

    EndpointConfig.request = request  # type: ignore[assignment]
    _installed = True
