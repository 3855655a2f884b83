"""The lock store of production mode (server_ext.lock_store.AtomicRedisLockStore) on the stack's
real Redis: several "servers" (one store object and one thread each) asking for the lock of one
conversation at the same instant must be served one at a time, each with its own ticket.

Rasa 3.6's plain RedisLockStore fails both tests below most runs (GET then SET: two servers take
the same ticket); that race lost a user message in `test_faults.py` on CI."""

from __future__ import annotations

import asyncio
import threading
import uuid
from urllib.parse import urlparse

from server_ext.lock_store import AtomicRedisLockStore

SERVERS, ROUNDS = 6, 15


def stores(prod_stack, count: int):
    url = urlparse(prod_stack.redis_url)
    return [
        AtomicRedisLockStore(host=url.hostname, port=url.port, db=int(url.path.strip("/")), key_prefix="locktest")
        for _ in range(count)
    ]


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


def test_tickets_issued_at_once_by_several_servers_are_all_different(prod_stack):
    conversation = f"tickets-{uuid.uuid4().hex}"
    servers = stores(prod_stack, SERVERS)
    issued: list = []

    def issue(index: int) -> None:
        for _ in range(ROUNDS):
            issued.append(servers[index].issue_ticket(conversation))

    run_together(SERVERS, issue)
    assert len(issued) == SERVERS * ROUNDS
    assert len(set(issued)) == len(issued), "two servers were given the same ticket"
    lock = servers[0].get_lock(conversation)
    assert lock is not None and len(lock.tickets) == SERVERS * ROUNDS  # none overwritten


def test_one_conversation_is_handled_by_one_server_at_a_time(prod_stack):
    """Each turn reads a counter, waits, writes it + 1 under the lock: no increment may be lost,
    and the lock is gone once every turn is done."""
    conversation = f"turns-{uuid.uuid4().hex}"
    servers = stores(prod_stack, SERVERS)
    counter = f"locktest:counter:{conversation}"
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
