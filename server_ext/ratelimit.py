"""Rate limit per sender: a token bucket, in memory or shared in Redis.

Each sender has a bucket of `burst` tokens refilled at `per_second` tokens a second; a
message takes one token. With a Redis URL (CHAT_RATE_REDIS_URL, e.g. the lock store's
Redis) the buckets live in Redis, updated atomically by a Lua script, so several Rasa
servers behind nginx share one limit per sender. If Redis cannot be reached, the limiter
falls back to its in-memory buckets (a limit per server) rather than refusing traffic.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from typing import Callable, Optional, Tuple

logger = logging.getLogger(__name__)

DEFAULT_BURST = 30.0  # messages in a row
DEFAULT_PER_SECOND = 1.0  # then one message a second on average
MAX_SENDERS_IN_MEMORY = 100_000
REDIS_PREFIX = "chat:ratelimit:"

_LUA = """
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 60)
return allowed
"""


class MemoryLimiter:
    """Token buckets in this process (bounded: the oldest senders are forgotten first)."""

    def __init__(self, burst: float, per_second: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.burst, self.per_second, self.clock = max(1.0, burst), max(0.001, per_second), clock
        self._buckets: "OrderedDict[str, Tuple[float, float]]" = OrderedDict()

    def allow_now(self, sender: str) -> bool:
        now = self.clock()
        tokens, at = self._buckets.pop(sender, (self.burst, now))
        tokens = min(self.burst, tokens + max(0.0, now - at) * self.per_second)
        allowed = tokens >= 1
        self._buckets[sender] = (tokens - 1 if allowed else tokens, now)
        while len(self._buckets) > MAX_SENDERS_IN_MEMORY:
            self._buckets.popitem(last=False)
        return allowed

    async def allow(self, sender: str) -> bool:
        return self.allow_now(sender)


class RedisLimiter:
    """Token buckets in Redis, shared by every Rasa server using the same Redis."""

    def __init__(self, url: str, burst: float, per_second: float) -> None:
        import redis.asyncio as redis_asyncio  # redis is a dependency of Rasa 3.6

        self.burst, self.per_second = max(1.0, burst), max(0.001, per_second)
        self._redis = redis_asyncio.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._script = self._redis.register_script(_LUA)
        self._fallback = MemoryLimiter(burst, per_second)

    async def allow(self, sender: str) -> bool:
        key = REDIS_PREFIX + hashlib.sha256(sender.encode("utf-8", "surrogatepass")).hexdigest()
        try:
            allowed = await asyncio.wait_for(
                self._script(keys=[key], args=[self.burst, self.per_second, time.time()]), timeout=2
            )
            return bool(int(allowed))
        except Exception as error:  # Redis down: a limit per server, never a refusal
            logger.warning("rate limit: Redis unavailable (%s), using the in-memory limit", type(error).__name__)
            return self._fallback.allow_now(sender)


def make_limiter(burst: float, per_second: float, redis_url: Optional[str] = None):
    if redis_url:
        return RedisLimiter(redis_url, burst, per_second)
    return MemoryLimiter(burst, per_second)
