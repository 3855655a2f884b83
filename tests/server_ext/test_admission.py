"""server_ext.admission: turns enter in arrival order, at most N at once, and none is lost."""

from __future__ import annotations

import asyncio

import pytest

from common import settings
from server_ext.admission import ArrivalOrderGate


def test_at_most_n_inside_and_the_others_enter_in_arrival_order():
    entered, inside, most = [], [0], [0]

    async def turn(gate, name, work):
        async with gate:
            entered.append(name)
            inside[0] += 1
            most[0] = max(most[0], inside[0])
            await asyncio.sleep(work)
            inside[0] -= 1

    async def main():
        gate = ArrivalOrderGate(2)
        tasks = []
        for i in range(8):
            tasks.append(asyncio.create_task(turn(gate, i, 0.02 if i % 2 else 0.005)))
            await asyncio.sleep(0)  # arrival order = creation order
        await asyncio.gather(*tasks)
        return gate

    gate = asyncio.run(main())
    assert entered == list(range(8))
    assert most[0] == 2
    assert gate.inside == 0 and gate.waiting == 0


def test_a_waiting_turn_cancelled_gives_no_place_away_and_keeps_none():
    async def main():
        gate = ArrivalOrderGate(1)
        order = []

        async def turn(name):
            async with gate:
                order.append(name)
                await asyncio.sleep(0.01)

        first = asyncio.create_task(turn("a"))
        await asyncio.sleep(0)
        cancelled = asyncio.create_task(turn("b"))
        last = asyncio.create_task(turn("c"))
        await asyncio.sleep(0)
        cancelled.cancel()
        await asyncio.gather(first, last)
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        return gate, order

    gate, order = asyncio.run(main())
    assert order == ["a", "c"]
    assert gate.inside == 0 and gate.waiting == 0


def test_an_error_inside_frees_the_place():
    async def main():
        gate = ArrivalOrderGate(1)
        with pytest.raises(RuntimeError):
            async with gate:
                raise RuntimeError("boom")
        async with gate:
            pass
        return gate

    assert asyncio.run(main()).inside == 0


def test_the_setting(monkeypatch):
    monkeypatch.delenv(settings.RASA_TURNS_AT_ONCE, raising=False)
    assert settings.turns_at_once() == settings.TURNS_AT_ONCE_DEFAULT
    for raw, expected in (("0", 0), ("3", 3), ("-1", 0), ("deux", settings.TURNS_AT_ONCE_DEFAULT)):
        monkeypatch.setenv(settings.RASA_TURNS_AT_ONCE, raw)
        assert settings.turns_at_once() == expected
    with pytest.raises(ValueError):
        ArrivalOrderGate(0)
