"""AtomicRedisLockStore: Rasa's RedisLockStore with every read-modify-write in a Redis transaction.

Why: Rasa 3.6's `RedisLockStore` issues a ticket by reading the conversation's lock, adding a
ticket in Python and writing the lock back (GET then SET). Two Rasa servers receiving two
messages of one conversation in the same millisecond can both read "no lock", both take
ticket 0 and both handle their message at once. The SQL tracker store then appends events by
count, so one of the two turns is silently lost (seen in `tests/prod/test_faults.py`; upstream:
RasaHQ/rasa#9213, fixed only in the commercial `ConcurrentRedisLockStore`).

This class keeps Rasa's lock store, its data format in Redis (one serialised `TicketLock` per
conversation under the same keys) and its waiting loop. Only the four operations that change
the lock (issue a ticket, drop expired tickets, finish serving, clean up) run as optimistic
Redis transactions: WATCH the key, read, compute, MULTI/SET/EXEC, and start again if another
server changed the key in between (redis-py's `Redis.transaction`).

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
from typing import Any, Callable, Optional, Text

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore

from common import log_redaction

# What a change does to the lock: the new lock to write, or None to delete the key.
Change = Callable[[Optional[TicketLock]], Optional[TicketLock]]


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose lock changes cannot interleave between Rasa servers."""

    def __init__(self, endpoint_config: Any = None, **kwargs: Any) -> None:
        log_redaction.install()  # an entry point of the Rasa server (endpoints.prod.yml)
        if endpoint_config is not None:  # loaded by Rasa from endpoints.yml (`type: module.Class`)
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: Text, change: Change) -> None:
        """Apply `change` to the stored lock atomically (WATCH, read, MULTI, write, EXEC)."""
        key = self.key_prefix + conversation_id

        def transaction(pipe: Any) -> None:
            raw = pipe.get(key)  # immediate mode: the key is WATCHed
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            new = change(lock)
            pipe.multi()
            if new is None:
                pipe.delete(key)
            else:
                pipe.set(key, new.dumps())

        self.red.transaction(transaction, key)  # retries on WatchError

    # --- the four read-modify-write operations of LockStore ---------------------------
    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        issued: dict = {}

        def add_ticket(lock: Optional[TicketLock]) -> TicketLock:
            lock = lock or TicketLock(conversation_id)
            issued["ticket"] = lock.issue_ticket(lock_lifetime)
            return lock

        try:
            self._change(conversation_id, add_ticket)
        except Exception as error:  # same contract as LockStore.issue_ticket
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        return issued["ticket"]

    def update_lock(self, conversation_id: Text) -> None:
        def drop_expired(lock: TicketLock) -> TicketLock:
            lock.remove_expired_tickets()
            return lock

        self._change(conversation_id, _keep_absent(drop_expired))

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def remove(lock: TicketLock) -> TicketLock:
            lock.remove_ticket_for(ticket_number)
            return lock

        self._change(conversation_id, _keep_absent(remove))

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Remove this ticket, and the lock itself when no other ticket waits (one transaction)."""

        def remove_and_maybe_delete(lock: Optional[TicketLock]) -> Optional[TicketLock]:
            if lock is None:
                return None
            lock.remove_ticket_for(ticket_number)
            return lock if lock.is_someone_waiting() else None

        self._change(conversation_id, remove_and_maybe_delete)


def _keep_absent(change: Change) -> Change:
    """A change that leaves a missing lock missing (no empty lock written back)."""

    def wrapped(lock: Optional[TicketLock]) -> Optional[TicketLock]:
        return None if lock is None else change(lock)

    return wrapped
