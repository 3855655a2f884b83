"""Blocking work off the event loop: the one helper every async server uses for it.

The sandbox is synchronous (SQLAlchemy transactions, scrypt hashing of codes, the first opening
of its database); the action server (rasa_sdk, Sanic) and the web widget's server (aiohttp) each
serve many people on one event loop. Every sandbox call they make goes through `offload`, so one
person's login never holds the others' answers (actions/simulation/common.py `call`,
web/server.py, web/workshops.py).
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, Callable, TypeVar

T = TypeVar("T")


async def offload(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` in the loop's default thread pool; its result, or its exception."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(fn, *args, **kwargs))
