#!/usr/bin/env python
"""Redis cost of the lock store per message: round trips, commands, wall time (issue 18).

    nice -n 19 .venv/bin/python -m scripts.bench_lock_store [--cycles 1000] [--redis-url redis://host:port/db]

One "message" is what Rasa's server does around each message: `async with
store.lock(conversation)` (issue_ticket, get_lock in `_acquire_lock`, cleanup when the block
ends), uncontended (a new conversation each time). For each store (Rasa's plain RedisLockStore,
the project's AtomicRedisLockStore) it prints, for one message, the round trips (requests written
by redis-py's connections: a MULTI..EXEC pipeline counts once) and the commands they carry, the
commands Redis ran (INFO commandstats before/after: those a Lua script calls included), then the
wall time of `--cycles` messages and the client's CPU time (what the Rasa server would spend).
Without --redis-url, a throwaway redis-server is started on a free port and stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from typing import Dict, Iterator, Optional, Sequence
from urllib.parse import urlparse

import redis
from rasa.core.lock_store import RedisLockStore

from scripts.prod.stack import free_port
from server_ext.lock_store import AtomicRedisLockStore


@contextmanager
def throwaway_redis() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def command_counts(red: redis.Redis) -> Dict[str, int]:
    """Calls per command since Redis started (INFO commandstats), INFO itself left out."""
    stats = red.info("commandstats")
    return {name[len("cmdstat_") :]: value["calls"] for name, value in stats.items() if name != "cmdstat_info"}


@contextmanager
def counting_requests() -> Iterator[Dict[str, int]]:
    """Count, on every redis-py connection, the requests written (one round trip each: a
    MULTI..EXEC pipeline is one) and the commands they carry."""
    counts = {"round_trips": 0, "commands": 0}
    connection = redis.connection.Connection
    packers = [redis.connection.PythonRespSerializer, redis.connection.HiredisRespSerializer]
    send, packs = connection.send_packed_command, [packer.pack for packer in packers]

    def counted_send(self, command, check_health=True):  # type: ignore[no-untyped-def]
        counts["round_trips"] += 1
        return send(self, command, check_health)

    def counting(pack):  # type: ignore[no-untyped-def]
        def counted_pack(self, *args):  # type: ignore[no-untyped-def]
            counts["commands"] += 1
            return pack(self, *args)

        return counted_pack

    connection.send_packed_command = counted_send  # type: ignore[method-assign]
    for packer, pack in zip(packers, packs):
        packer.pack = counting(pack)  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        connection.send_packed_command = send  # type: ignore[method-assign]
        for packer, pack in zip(packers, packs):
            packer.pack = pack  # type: ignore[method-assign]


async def messages(store: RedisLockStore, count: int) -> None:
    run = uuid.uuid4().hex[:8]
    for index in range(count):
        async with store.lock(f"bench-{run}-{index}"):
            pass


def measure(store: RedisLockStore, observer: redis.Redis, cycles: int) -> Dict[str, object]:
    asyncio.run(messages(store, 20))  # warm-up: connection open, scripts loaded
    before = command_counts(observer)
    with counting_requests() as sent:
        asyncio.run(messages(store, 1))
    after = command_counts(observer)
    commands = {name: after[name] - before.get(name, 0) for name in after if after[name] != before.get(name, 0)}
    started, cpu = time.perf_counter(), time.process_time()
    asyncio.run(messages(store, cycles))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {**sent, "run": commands, "wall": wall, "cpu": cpu}


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--redis-url", default="")
    args = parser.parse_args(argv)

    def run(url_text: str) -> None:
        url = urlparse(url_text)
        where = {"host": url.hostname or "127.0.0.1", "port": url.port or 6379, "db": int(url.path.strip("/") or 0)}
        observer = redis.Redis(**where)
        print(
            f"Redis {observer.info('server')['redis_version']} on {where['host']}:{where['port']}, {args.cycles} cycles"
        )
        for store in (RedisLockStore(**where, key_prefix="bench"), AtomicRedisLockStore(**where, key_prefix="bench")):
            result = measure(store, observer, args.cycles)
            run = result["run"]
            assert isinstance(run, dict)
            listed = ", ".join(f"{name} {calls}" for name, calls in sorted(run.items()))
            wall = float(result["wall"])  # type: ignore[arg-type]
            print(
                f"{type(store).__name__:22} per message: {result['round_trips']} round trips, "
                f"{result['commands']} commands sent, {sum(run.values())} run by Redis ({listed}); "
                f"{args.cycles} messages in {wall:.3f} s ({wall / args.cycles * 1e6:.0f} µs each, "
                f"client CPU {float(result['cpu']) / args.cycles * 1e6:.0f} µs)"  # type: ignore[arg-type]
            )

    if args.redis_url:
        run(args.redis_url)
    else:
        with throwaway_redis() as url:
            run(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
