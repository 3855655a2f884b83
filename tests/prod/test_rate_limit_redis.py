"""The chat rate limit in Redis (server_ext.ratelimit.RedisLimiter, CHAT_RATE_REDIS_URL): two Rasa
servers share one bucket per sender, and losing Redis falls back to memory instead of refusing.

A Redis of its own (redis-server on a free port, stopped in the middle): the `prod` tier, where
scripts/prod/install.sh has installed Redis (`make test-prod`)."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time

from server_ext import ratelimit
from tests.rest_client import free_port


def test_redis_limit_is_shared_by_two_servers_and_survives_redis_loss():
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        url = f"redis://127.0.0.1:{port}/0"

        async def scenario():
            first = ratelimit.RedisLimiter(url, burst=4, per_second=0.01)
            second = ratelimit.RedisLimiter(url, burst=4, per_second=0.01)
            answers = [await (first if i % 2 else second).allow("flood") for i in range(6)]
            assert answers == [True] * 4 + [False] * 2  # one bucket for both servers
            assert await first.allow("someone-else")
            proc.terminate()
            proc.wait(timeout=10)
            assert await first.allow("after-redis-loss")  # falls back to memory, no refusal

        asyncio.run(scenario())
    finally:
        if proc.poll() is None:
            proc.kill()
