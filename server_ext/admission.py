"""Turns served in arrival order: at most RASA_TURNS_AT_ONCE messages handled at once per Rasa server.

Rasa 3.6 handles every message it receives at once on its event loop. A turn is a chain of CPU
steps (understanding the message, each policy run, each action) separated by waits (the action
server's reply, the tracker store, the lock store); at each wait the loop takes up whatever is
ready, often a message that has just arrived. Under load a turn with several actions therefore
queues again behind newcomers at each of its waits, and its user waits for them all: at 20 busy
conversations on one server, p95 was 2.4 times the median (docs/benchmarks.md, issue 18).

Here a message waits at the door, in arrival order, until fewer than N turns are in progress,
then runs to its end. The server does the same work in the same time: only who waits changes.
Each turn still overlaps with N - 1 others, so the loop has work while one waits for the action
server. The gate is taken inside Rasa's per-conversation lock (a message waiting for its own
conversation's previous message holds no place), per process (with several Rasa servers, each
has its own).

RASA_TURNS_AT_ONCE (environment, common/settings.py): N, default 3; 0 keeps Rasa's own behaviour.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any, Deque, Optional

from common import settings

_installed = False
rasa_handle_message: Optional[Any] = None  # MessageProcessor.handle_message as Rasa wrote it, once replaced


class ArrivalOrderGate:
    """At most `places` holders at once; the others get in strictly in the order they came."""

    def __init__(self, places: int) -> None:
        if places < 1:
            raise ValueError("a gate needs at least one place")
        self.places = places
        self.inside = 0
        self._waiting: Deque[asyncio.Future] = deque()

    async def __aenter__(self) -> "ArrivalOrderGate":
        if self.inside < self.places and not self._waiting:
            self.inside += 1
            return self
        turn = asyncio.get_running_loop().create_future()
        self._waiting.append(turn)
        try:
            await turn  # the place is handed over by the one leaving (`inside` unchanged)
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # given a place just as it was cancelled
                self._leave()
            else:
                self._waiting.remove(turn)
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._leave()

    def _leave(self) -> None:
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self.inside -= 1

    @property
    def waiting(self) -> int:
        return len(self._waiting)


def install() -> None:
    """Patch MessageProcessor.handle_message (idempotent; nothing when RASA_TURNS_AT_ONCE is 0)."""
    global _installed, rasa_handle_message
    places = settings.turns_at_once()
    if _installed or places == 0:
        return
    from rasa.core.processor import MessageProcessor

    rasa_handle = rasa_handle_message = MessageProcessor.handle_message
    gates: dict = {}  # one per event loop (tests run several loops in one process)

    async def handle_message(self: MessageProcessor, message: Any) -> Any:
        loop = asyncio.get_running_loop()
        gate = gates.get(loop)
        if gate is None:
            gate = gates[loop] = ArrivalOrderGate(places)
        async with gate:
            return await rasa_handle(self, message)

    MessageProcessor.handle_message = handle_message  # type: ignore[assignment]
    _installed = True
