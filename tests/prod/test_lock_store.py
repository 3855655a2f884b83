"""The lock store of production mode (server_ext.lock_store.AtomicRedisLockStore: one Lua script
per lock change) on a real Redis.

- Several "servers" (one store object and one thread each) asking for the lock of one
  conversation at the same instant must be served one at a time, each with its own ticket.
  Rasa 3.6's plain RedisLockStore fails both of these tests most runs (GET then SET: two servers
  take the same ticket); that race lost a user message in `test_faults.py` on CI.
- The scripts are Rasa's `TicketLock` methods: on the same stored lock, at the same instant, each
  operation leaves byte for byte what Rasa's plain RedisLockStore leaves (expired tickets
  dropped, numbering, cleanup), so servers of both kinds share locks; time stamps keep their
  full precision; a flushed script cache is reloaded; an uncontended message costs 3 commands.

The lock store needs nothing but Redis: this module starts its own redis-server on a free port
with the stack's settings (scripts/prod/stack.py), not the whole `prod_stack` (which needs a
trained model and starts 2 Rasa and 2 action servers); it stays in the `prod` tier (Redis
installed by scripts/prod/install.sh)."""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
import uuid
from collections import deque
from urllib.parse import urlparse

import pytest
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LockError, RedisLockStore

from scripts.bench_lock_store import counting_requests, throwaway_redis
from scripts.prod.stack import free_port
from server_ext.lock_store import AtomicRedisLockStore

SERVERS, ROUNDS = 6, 15
PREFIX = "locktest"


@pytest.fixture(scope="module")
def redis_url():
    with throwaway_redis() as url:
        yield url


def where(redis_url: str) -> dict:
    url = urlparse(redis_url)
    return {"host": url.hostname, "port": url.port, "db": int(url.path.strip("/"))}


def stores(redis_url: str, count: int):
    return [AtomicRedisLockStore(**where(redis_url), key_prefix=PREFIX) for _ in range(count)]


def plain_store(redis_url: str) -> RedisLockStore:
    """Rasa's own lock store, same keys."""
    return RedisLockStore(**where(redis_url), key_prefix=PREFIX)


def run_together(count: int, work) -> None:
    """Run work(index) in `count` threads released at the same instant; re-raise any error."""
    barrier = threading.Barrier(count)
    errors: list = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            work(index)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def new_conversation(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex}"


def frozen_clock(monkeypatch, now: float) -> None:
    """time.time() returns `now` for Rasa's TicketLock and for the store alike."""
    monkeypatch.setattr(time, "time", lambda: now)


# --- several servers at once ----------------------------------------------------------------
def test_tickets_issued_at_once_by_several_servers_are_all_different(redis_url):
    conversation = new_conversation("tickets")
    servers = stores(redis_url, SERVERS)
    issued: list = []

    def issue(index: int) -> None:
        for _ in range(ROUNDS):
            issued.append(servers[index].issue_ticket(conversation))

    run_together(SERVERS, issue)
    assert len(issued) == SERVERS * ROUNDS
    assert len(set(issued)) == len(issued), "two servers were given the same ticket"
    lock = servers[0].get_lock(conversation)
    assert lock is not None and len(lock.tickets) == SERVERS * ROUNDS  # none overwritten
    assert [ticket.number for ticket in lock.tickets] == list(range(SERVERS * ROUNDS))


def test_one_conversation_is_handled_by_one_server_at_a_time(redis_url):
    """Each turn reads a counter, waits, writes it + 1 under the lock: no increment may be lost,
    and the lock is gone once every turn is done."""
    conversation = new_conversation("turns")
    servers = stores(redis_url, SERVERS)
    counter = f"{PREFIX}:counter:{conversation}"
    red = servers[0].red
    red.set(counter, 0)

    async def turns(store: AtomicRedisLockStore) -> None:
        for _ in range(4):
            async with store.lock(conversation, wait_time_in_seconds=0.005):
                value = int(red.get(counter))
                await asyncio.sleep(0.003)
                red.set(counter, value + 1)

    run_together(SERVERS, lambda index: asyncio.run(turns(servers[index])))
    assert int(red.get(counter)) == SERVERS * 4, "two servers handled the conversation at once"
    assert servers[0].get_lock(conversation) is None
    red.delete(counter)


# --- Rasa's data and Rasa's semantics ---------------------------------------------------------
def test_the_stored_lock_is_what_rasas_ticket_lock_writes(redis_url, monkeypatch):
    now = 1764772345.123456
    frozen_clock(monkeypatch, now)
    conversation = new_conversation('format-é/"x')  # JSON escapes in the conversation id
    store = stores(redis_url, 1)[0]
    assert [store.issue_ticket(conversation, lock_lifetime=60) for _ in range(3)] == [0, 1, 2]

    expected = TicketLock(conversation)
    for _ in range(3):
        expected.issue_ticket(60)
    raw = store.red.get(store.key_prefix + conversation)
    assert raw.decode() == expected.dumps()
    read_back = TicketLock.from_dict(json.loads(raw))  # what Rasa's get_lock does
    assert read_back.conversation_id == conversation
    assert [(t.number, t.expires) for t in read_back.tickets] == [(n, now + 60) for n in range(3)]
    assert store.get_lock(conversation).now_serving == 0
    store.red.delete(store.key_prefix + conversation)


def test_expiry_time_stamps_keep_their_full_precision(redis_url, monkeypatch):
    """cjson would write 14 significant digits (1764772405.1235): the scripts never encode a
    number, so an expiry survives every script to the last bit of its float."""
    conversation = new_conversation("precision")
    store, plain = stores(redis_url, 1)[0], plain_store(redis_url)
    now = 1764772345.123456
    stamps = [now + 60, 1764772405.9876543, 1764772406.000001, 1764772406.1]
    plain.save_lock(TicketLock(conversation, deque(Ticket(n, stamp) for n, stamp in enumerate(stamps))))
    frozen_clock(monkeypatch, now)
    store.update_lock(conversation)
    store.finish_serving(conversation, 2)
    new_number = store.issue_ticket(conversation, lock_lifetime=61.000123)
    lock = store.get_lock(conversation)
    assert [(t.number, t.expires) for t in lock.tickets] == [
        (0, stamps[0]),
        (1, stamps[1]),
        (3, stamps[3]),
        (new_number, now + 61.000123),
    ]
    assert new_number == 4
    assert lock.tickets[-1].expires != round(now + 61.000123, 4)  # more than cjson's 14 digits
    store.red.delete(store.key_prefix + conversation)


def random_lock(rng: random.Random, conversation: str, now: float) -> TicketLock:
    """Up to 5 tickets, increasing numbers with gaps, each expired, just at `now` or not."""
    number, tickets = rng.randint(0, 3), deque()
    for _ in range(rng.randint(0, 5)):
        expires = now + rng.choice([-100.25, -0.000001, 0.0, 0.000001, 12.5, 3600.123456])
        tickets.append(Ticket(number, expires))
        number += rng.randint(1, 3)
    return TicketLock(conversation, tickets)


def test_each_script_leaves_what_rasas_own_store_leaves(redis_url, monkeypatch):
    """Differential test: a lock written by Rasa's plain RedisLockStore (expired tickets, gaps,
    a ticket expiring exactly now, no lock at all) changed by each operation of both stores at
    the same instant leaves the same bytes (or no key) and issues the same ticket."""
    rng = random.Random(18)
    store, plain = stores(redis_url, 1)[0], plain_store(redis_url)
    now = 1764772345.654321
    frozen_clock(monkeypatch, now)
    for case in range(300):
        conversation = new_conversation(f"diff{case}" + ('-é/"x' if case % 2 else ""))
        initial = None if case % 10 == 0 else random_lock(rng, conversation, now)
        numbers = [t.number for t in initial.tickets] if initial else []
        operation = rng.choice(["issue_ticket", "update_lock", "finish_serving", "cleanup"])
        argument = rng.choice([*numbers, 99]) if operation in ("finish_serving", "cleanup") else None
        results = []
        for which in (plain, store):
            which.red.delete(which.key_prefix + conversation)
            if initial is not None:
                plain.save_lock(initial)  # written by Rasa's own store
            if operation == "issue_ticket":
                returned = which.issue_ticket(conversation, lock_lifetime=60)
            elif operation == "update_lock":
                returned = which.update_lock(conversation)
            else:
                returned = getattr(which, operation)(conversation, argument)
            results.append((returned, which.red.get(which.key_prefix + conversation)))
            which.red.delete(which.key_prefix + conversation)
        assert results[0] == results[1], (case, operation, argument, initial and initial.dumps())


def test_rasas_plain_store_and_the_scripts_share_one_lock(redis_url):
    """Servers of both kinds during a rolling update: each takes the next ticket after the
    other's, is served in turn, and the last cleanup removes the key."""
    conversation = new_conversation("mixed")
    store, plain = stores(redis_url, 1)[0], plain_store(redis_url)
    assert plain.issue_ticket(conversation) == 0
    assert store.issue_ticket(conversation) == 1
    assert plain.issue_ticket(conversation) == 2
    assert store.get_lock(conversation).now_serving == 0
    store.cleanup(conversation, 0)  # a ticket Rasa issued, removed by a script
    assert plain.get_lock(conversation).now_serving == 1
    plain.cleanup(conversation, 1)  # a script's ticket, removed by Rasa
    assert [t.number for t in store.get_lock(conversation).tickets] == [2]
    store.cleanup(conversation, 2)
    assert store.red.exists(store.key_prefix + conversation) == 0


def test_expired_tickets_are_dropped(redis_url):
    conversation = new_conversation("expired")
    store, plain = stores(redis_url, 1)[0], plain_store(redis_url)
    now = time.time()
    plain.save_lock(TicketLock(conversation, deque([Ticket(0, now - 5), Ticket(1, now + 60), Ticket(2, now - 1)])))
    store.update_lock(conversation)
    assert [t.number for t in plain.get_lock(conversation).tickets] == [1]
    assert store.issue_ticket(conversation) == 2  # after the last ticket kept
    plain.save_lock(TicketLock(conversation, deque([Ticket(7, now - 5)])))
    assert store.issue_ticket(conversation) == 0  # every ticket expired: numbering starts again
    store.cleanup(conversation, 0)
    assert store.get_lock(conversation) is None


def test_cleanup_deletes_the_lock_only_when_nobody_waits(redis_url):
    conversation = new_conversation("cleanup")
    store = stores(redis_url, 1)[0]
    key = store.key_prefix + conversation
    first, second = store.issue_ticket(conversation), store.issue_ticket(conversation)
    store.cleanup(conversation, first)
    assert [t.number for t in store.get_lock(conversation).tickets] == [second]  # someone waits
    store.cleanup(conversation, 99)  # a ticket that is not there: nothing removed
    assert [t.number for t in store.get_lock(conversation).tickets] == [second]
    store.cleanup(conversation, second)
    assert store.red.exists(key) == 0
    store.cleanup(conversation, second)  # no lock: no error, no key created
    store.update_lock(conversation)
    store.finish_serving(conversation, second)
    assert store.red.exists(key) == 0
    # finish_serving keeps the (empty) lock, as Rasa's does; cleanup is what deletes it
    ticket = store.issue_ticket(conversation)
    store.finish_serving(conversation, ticket)
    assert store.get_lock(conversation).tickets == deque()
    store.red.delete(key)


# --- operations ---------------------------------------------------------------------------
def test_a_flushed_script_cache_is_reloaded(redis_url):
    """After a Redis restart or SCRIPT FLUSH, EVALSHA answers NOSCRIPT: redis-py's Script loads
    the script again and the call goes through."""
    conversation = new_conversation("flush")
    store = stores(redis_url, 1)[0]
    first = store.issue_ticket(conversation)
    second = store.issue_ticket(conversation)
    store.red.script_flush()
    store.update_lock(conversation)
    store.red.script_flush()
    store.finish_serving(conversation, first)
    store.red.script_flush()
    assert store.issue_ticket(conversation) == second + 1
    store.red.script_flush()
    store.cleanup(conversation, second)
    store.cleanup(conversation, second + 1)
    assert store.get_lock(conversation) is None


def test_an_uncontended_message_costs_three_commands(redis_url):
    """Rasa's server around each message: issue_ticket (EVALSHA), get_lock (GET), cleanup
    (EVALSHA). The optimistic transactions cost 7 round trips and 11 commands."""
    store = stores(redis_url, 1)[0]

    async def message(conversation: str) -> None:
        async with store.lock(conversation):
            pass

    asyncio.run(message(new_conversation("warm-up")))  # connection opened, scripts loaded
    before = store.red.info("commandstats")
    with counting_requests() as sent:
        asyncio.run(message(new_conversation("count")))
    after = store.red.info("commandstats")
    assert sent == {"round_trips": 3, "commands": 3}
    ran = {name: after[name]["calls"] - before.get(name, {"calls": 0})["calls"] for name in after}
    assert ran["cmdstat_evalsha"] == 2 and ran["cmdstat_get"] == 3  # Rasa's get_lock, one in each script
    assert not {"cmdstat_watch", "cmdstat_multi", "cmdstat_exec", "cmdstat_eval", "cmdstat_script"} & {
        name for name, calls in ran.items() if calls
    }


def test_issue_ticket_raises_lock_error(redis_url):
    """LockStore.issue_ticket's contract: any failure is a LockError (here a lock Rasa could not
    read either, then a Redis that is not there)."""
    conversation = new_conversation("broken")
    store = stores(redis_url, 1)[0]
    store.red.set(store.key_prefix + conversation, "not json")
    with pytest.raises(LockError):
        store.issue_ticket(conversation)
    store.red.delete(store.key_prefix + conversation)
    nowhere = AtomicRedisLockStore(host="127.0.0.1", port=free_port(), key_prefix=PREFIX, socket_timeout=2)
    with pytest.raises(LockError):
        nowhere.issue_ticket(conversation)
