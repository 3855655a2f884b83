"""AtomicRedisLockStore: Rasa's RedisLockStore whose lock changes each run as one Redis Lua script.

Why atomic: Rasa 3.6's `RedisLockStore` issues a ticket by reading the conversation's lock,
adding a ticket in Python and writing the lock back (GET then SET). Two Rasa servers receiving
two messages of one conversation in the same millisecond can both read "no lock", both take
ticket 0 and both handle their message at once. The SQL tracker store then appends events by
count, so one of the two turns is silently lost (seen in `tests/prod/test_faults.py`; upstream:
RasaHQ/rasa#9213, fixed only in the commercial `ConcurrentRedisLockStore`).

Why Lua: Rasa's server calls the lock store synchronously on its event loop, three times per
message (issue_ticket, get_lock in `_acquire_lock`, cleanup), so every Redis round trip blocks
the whole server. An optimistic transaction (WATCH, GET, MULTI/SET/EXEC) costs 3 round trips
and 5 commands per change; a script runs on the Redis server, atomically by construction (Redis
runs one script at a time), in one round trip (EVALSHA; redis-py's `Script` loads the script
again and retries when Redis answers NOSCRIPT, e.g. after a restart or SCRIPT FLUSH). An
uncontended message now costs 3 round trips (EVALSHA, GET, EVALSHA) instead of 7.

The data stay Rasa's: one `TicketLock.dumps()` per conversation under the same key
(`key_prefix + conversation_id`), `{"conversation_id": "...", "tickets": ["{\\"number\\": 0,
\\"expires\\": 1764772345.123456}", ...]}` (each ticket is itself a JSON string), byte for byte
what Rasa writes, so Rasa's own `get_lock` (plain GET + `TicketLock.from_dict`) and its waiting
loop are unchanged, and a lock written by plain `type: redis` servers reads back here and vice
versa. The scripts read the JSON with Redis's bundled `cjson` but never encode a number with it
(cjson keeps 14 significant digits, 0.1 ms for a time stamp, and its precision setting is shared
by every script of the Redis server): a kept ticket is written back as the very string it was
read as, and a new ticket's expiry comes from the client already written by `json.dumps`, as in
`Ticket.dumps()`. Time is the client's `time.time()`, passed to each script, as in Rasa (never
Redis's clock). Each script touches only its KEYS[1] (Redis Cluster safe) and runs in
microseconds (a lock holds a few tickets).

The scripts (KEYS[1] the lock's key; ARGV: now, the conversation id as `json.dumps` writes it,
then per script; the id written is the key's, as in every lock Rasa writes):
- issue_ticket (+ expiry): drop expired tickets, append ticket number = last ticket's + 1 (0
  when none is left), save the lock (created when missing), return the number
  (`TicketLock.issue_ticket`);
- update_lock: drop expired tickets and save, when the lock exists
  (`TicketLock.remove_expired_tickets`);
- finish_serving (+ ticket number): drop expired tickets and that ticket, save, when the lock
  exists (`TicketLock.remove_ticket_for`);
- cleanup (+ ticket number): the same, then delete the key when no ticket is left waiting
  instead of saving (`TicketLock.is_someone_waiting`; Rasa does it in three steps).

endpoints.yml:
    lock_store:
      type: server_ext.lock_store.AtomicRedisLockStore
      url: localhost        # same keys as `type: redis`
      port: 6379
      db: 1
      key_prefix: amelibot
"""

from __future__ import annotations

import json
import time
from typing import Any, Text

from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from redis.commands.core import Script

from common import log_redaction

# Shared by the four scripts: read the stored lock, keeping the unexpired tickets as they were
# written; write it back in TicketLock.dumps()'s format.
_LUA_COMMON = """
local key, now, conversation_json = KEYS[1], tonumber(ARGV[1]), ARGV[2]

-- The lock's unexpired tickets ({number, text}, in order), or nil when the key is missing or
-- empty (Rasa's get_lock: `if serialised_lock`).
local function load()
  local raw = redis.call('GET', key)
  if not raw or raw == '' then
    return nil
  end
  local kept = {}
  for _, text in ipairs(cjson.decode(raw).tickets or {}) do
    local ticket = cjson.decode(text)
    if not (now > ticket.expires) then  -- Ticket.has_expired: time.time() > expires
      kept[#kept + 1] = {number = ticket.number, text = text}
    end
  end
  return kept
end

local function save(tickets)
  local parts = {}
  for index, ticket in ipairs(tickets) do
    parts[index] = cjson.encode(ticket.text)
  end
  local tickets_json = '[' .. table.concat(parts, ', ') .. ']'
  redis.call('SET', key, '{"conversation_id": ' .. conversation_json .. ', "tickets": ' .. tickets_json .. '}')
end

local function remove_ticket(tickets, number)
  for index, ticket in ipairs(tickets) do
    if ticket.number == number then
      table.remove(tickets, index)
      return
    end
  end
end
"""

_LUA_ISSUE_TICKET = (
    _LUA_COMMON
    + """
local tickets = load() or {}
local number = 0
if #tickets > 0 then
  number = tickets[#tickets].number + 1
end
tickets[#tickets + 1] = {number = number, text = string.format('{"number": %d, "expires": %s}', number, ARGV[3])}
save(tickets)
return number
"""
)

_LUA_UPDATE_LOCK = (
    _LUA_COMMON
    + """
local tickets = load()
if tickets then
  save(tickets)
end
"""
)

_LUA_FINISH_SERVING = (
    _LUA_COMMON
    + """
local tickets = load()
if tickets then
  remove_ticket(tickets, tonumber(ARGV[3]))
  save(tickets)
end
"""
)

_LUA_CLEANUP = (
    _LUA_COMMON
    + """
local tickets = load()
if tickets then
  remove_ticket(tickets, tonumber(ARGV[3]))
  if #tickets > 0 then
    save(tickets)
  else
    redis.call('DEL', key)
  end
end
"""
)


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose lock changes cannot interleave between Rasa servers."""

    def __init__(self, endpoint_config: Any = None, **kwargs: Any) -> None:
        log_redaction.install()  # an entry point of the Rasa server (endpoints.prod.yml)
        if endpoint_config is not None:  # loaded by Rasa from endpoints.yml (`type: module.Class`)
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        self._issue_ticket = self.red.register_script(_LUA_ISSUE_TICKET)
        self._update_lock = self.red.register_script(_LUA_UPDATE_LOCK)
        self._finish_serving = self.red.register_script(_LUA_FINISH_SERVING)
        self._cleanup = self.red.register_script(_LUA_CLEANUP)

    def _run(self, script: Script, conversation_id: Text, now: float, *extra: Any) -> Any:
        """Run `script` on the conversation's key; ARGV: the client's time, the id as JSON, `extra`."""
        arguments = [repr(now), json.dumps(conversation_id), *extra]
        return script(keys=[self.key_prefix + conversation_id], args=arguments)

    # --- the four read-modify-write operations of LockStore, one script each ------------
    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            now = time.time()
            expires = json.dumps(float(now + lock_lifetime))  # as Ticket.dumps() writes it
            return int(self._run(self._issue_ticket, conversation_id, now, expires))
        except Exception as error:  # same contract as LockStore.issue_ticket
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        self._run(self._update_lock, conversation_id, time.time())

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self._run(self._finish_serving, conversation_id, time.time(), int(ticket_number))

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Remove this ticket, and the lock itself when no other ticket waits (one script)."""
        self._run(self._cleanup, conversation_id, time.time(), int(ticket_number))
