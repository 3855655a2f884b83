"""RedactingSQLTrackerStore: the SQL tracker store that never writes a code or a NIR in clear.

Why here: every event Rasa persists goes through `TrackerStore.save` (and the event broker
through `stream_events`), whichever channel, action or API endpoint produced it, so
redacting at this point cannot be bypassed. The in-flight tracker is untouched: the action
server still receives the clear text of the current message, which the sandbox needs.

- User text, parse_data text/entities, bot text, slot values: `redaction.redact_event`
  (common/redaction.py),
  with the form context (a message answering a code/NIR question is blanked whole).
- The slots (NIR, security code before the box) the exercises read again in a later turn (`REVERSIBLE_SLOTS`) are
  encrypted (Fernet, key off the database: TRACKER_SECRET_KEY, else SANDBOX_SECRET_KEY,
  else the key file var/tracker.key, mode 0600) and decrypted on retrieve.
- `save` still appends events by count (`_additional_events`): one row per event, only
  the `data` column differs, so the count-based diff is unchanged.
- Each server remembers each conversation's latest session as the rows rebuild it and the highest
  row id it has seen (`_Known`): a message reads only the rows written since and appends with plain
  SQL (Rasa read back the whole session through the ORM and counted it again at every message).
  What it remembers is rebuilt from the rows as written (redacted, then decrypted), so a past
  message's secret is no more in memory than it was in a tracker read back from the table.
- PostgreSQL: a pooled connection idle for more than a second is checked before use (Rasa 3.6's own
  engine does not check; `pool_pre_ping` would check at every use), and a read or write whose
  connection was cut runs once more on a new one (`_reconnecting`), so a restarted PostgreSQL
  costs no failed request once it is back (tests/prod/test_faults.py).

endpoints.yml:
    tracker_store:
      type: server_ext.tracker_store.RedactingSQLTrackerStore
      dialect: postgresql
      url: localhost
      ...  (same keys as `type: SQL`)
"""

from __future__ import annotations

import itertools
import logging
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Text, Tuple, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, is_postgresql_url
from rasa.shared.core.events import Event, SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from common import log_redaction, redaction, settings
from common.crypto import SecretBox, key_from_text, load_or_create_key

from . import fast_json

logger = logging.getLogger(__name__)

TRACKER_KEY_ENV = settings.TRACKER_SECRET_KEY
ENCRYPTED_PREFIX = "enc:v1:"
DEFAULT_KEY_FILE = Path(__file__).resolve().parents[1] / "var" / "tracker.key"
REQUESTED_SLOT = "requested_slot"
IDLE_BEFORE_PING = 1.0  # seconds: a pooled PostgreSQL connection idle longer is checked before use
# the event types that can change the redaction's context (redaction.next_requested_slot)
_CONTEXT_KINDS = frozenset({"slot", "active_loop", "restart", "session_started"})


def tracker_box() -> SecretBox:
    """The cipher of reversible slot values (key never stored in the tracker database)."""
    explicit = settings.tracker_secret_key()
    if explicit:
        return SecretBox(key_from_text(explicit))
    return SecretBox(load_or_create_key(DEFAULT_KEY_FILE))


def ping_when_idle(engine: sa.engine.Engine, idle_seconds: float = IDLE_BEFORE_PING) -> None:
    """Check a pooled connection with `SELECT 1` before use when it has been idle `idle_seconds`.

    SQLAlchemy's `pool_pre_ping` pings before every use: two round trips per message under load.
    A connection used less than a second ago is alive; one idle longer (e.g. across a PostgreSQL
    restart) is pinged, and a dead one replaced before the request uses it (the pool retries the
    checkout on `DisconnectionError`: SQLAlchemy's documented pessimistic disconnect handling)."""

    @sa.event.listens_for(engine, "checkin")
    def _checked_in(dbapi_connection: Any, record: Any) -> None:
        record.info["amelibot_used_at"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        used_at = record.info.get("amelibot_used_at")
        if used_at is not None and time.monotonic() - used_at < idle_seconds:
            return
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
        except Exception as error:  # the driver's own error class: any failure means a dead connection
            raise sa.exc.DisconnectionError(str(error)) from error


class RedactingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that redacts every event before it is written or streamed."""

    engine: sa.engine.Engine
    remembered_conversations = 2000  # the conversations whose latest session a server keeps (LRU)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        log_redaction.install()  # an entry point of the Rasa server (endpoints.yml)
        super().__init__(*args, **kwargs)
        self._box = tracker_box()
        self._known: "OrderedDict[Text, _Known]" = OrderedDict()
        if is_postgresql_url(self.engine.url):
            ping_when_idle(self.engine)

    # --- redaction ------------------------------------------------------------------
    def _encrypt(self, value: str) -> str:
        return ENCRYPTED_PREFIX + self._box.seal(value)

    def _decrypt_event(self, data: Dict[str, Any]) -> Dict[str, Any]:
        value = data.get("value")
        if data.get("event") == "slot" and isinstance(value, str) and value.startswith(ENCRYPTED_PREFIX):
            data = dict(data)
            data["value"] = self._box.open(value[len(ENCRYPTED_PREFIX) :])  # None if the key changed
        return data

    def _context_before(self, tracker: DialogueStateTracker, end: int) -> Tuple[Optional[str], frozenset]:
        """(requested_slot, fragments of the latest user message) after the first `end` events.

        The same values as serialising every event and reading it in turn (`redacted_new_events`
        used to), without serialising the events that cannot change them."""
        requested: Optional[str] = None
        latest_user: Optional[Tuple[Event, Optional[str]]] = None
        for event in itertools.islice(tracker.events, end):
            kind = event.type_name
            if kind == "user":
                latest_user = (event, requested)
            elif kind in _CONTEXT_KINDS and (kind != "slot" or getattr(event, "key", None) == REQUESTED_SLOT):
                requested = redaction.next_requested_slot(event.as_dict(), requested)
        if latest_user is None:
            return requested, frozenset()
        event, requested_then = latest_user
        return requested, redaction.secret_fragments(event.as_dict(), requested_then)

    def redacted_new_events(self, tracker: DialogueStateTracker, already_stored: int) -> List[Dict[str, Any]]:
        """Serialised, redacted copies of the events after the first `already_stored`."""
        requested, fragments = self._context_before(tracker, already_stored)  # the secrets of the latest
        fresh: List[Dict[str, Any]] = []  # user message, as typed, and the question being answered
        for event in itertools.islice(tracker.events, already_stored, None):
            data = event.as_dict()
            if data.get("event") == "user":
                fragments = redaction.secret_fragments(data, requested)
            fresh.append(redaction.without_fragments(redaction.redact_event(data, requested, self._encrypt), fragments))
            requested = redaction.next_requested_slot(data, requested)
        return fresh

    # --- persistence ----------------------------------------------------------------
    # Rasa's SQLTrackerStore reads back every event of the session through the ORM at each message
    # and counts the stored rows with another query before appending: on PostgreSQL under load that
    # was 40 % of the Rasa server's CPU (docs/benchmarks.md). Here each server remembers, per
    # conversation, the tracker as the stored rows rebuild it and the highest row id it has seen:
    # a message reads only the rows written since (by the other servers: usually none) and appends
    # with plain SQL. Whatever this server does not know for sure goes through Rasa's own queries.
    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the new events, redacted (Rasa's count-based diff: the events after those stored)."""
        await self.stream_events(tracker)
        sender = tracker.sender_id
        known = self._known.pop(sender, None)  # put back only once it matches the table again
        known, fresh, serialised, last_id = _reconnecting(lambda: self._append(tracker, known))
        if known is not None and (not fresh or last_id is not None):
            rows = [_Row(last_id or 0, d.get("event"), d.get("timestamp"), t) for d, t in zip(fresh, serialised)]
            if known.extend(rows, self._decrypt_row):  # the new rows' ids: the last one is enough
                self._remember(sender, known)
        logger.debug("Tracker with sender_id '%s' stored to database", sender)

    def _append(
        self, tracker: DialogueStateTracker, known: Optional["_Known"]
    ) -> Tuple[Optional["_Known"], List[Dict[str, Any]], List[str], Optional[int]]:
        """One transaction: the events after the stored ones, redacted and appended; (what is known of the
        conversation if it still holds, the new events, as written, the last row id)."""
        sender = tracker.sender_id
        with self.engine.begin() as conn:
            if known is not None and self._last_id(conn, sender) == known.last_id:
                stored = known.stored  # no row written since this server's last read or write
            else:
                known, stored = None, self._session_count(conn, sender)
            fresh = self.redacted_new_events(tracker, stored)
            serialised = [fast_json.dumps(data) for data in fresh]
            last_id: Optional[int] = None
            if fresh:
                conn.execute(self.SQLEvent.__table__.insert(), [_row(sender, d, t) for d, t in zip(fresh, serialised)])
                last_id = self._last_id(conn, sender)
        return known, fresh, serialised, last_id

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        if fetch_events_from_all_sessions:
            return self._read_tracker(sender_id, all_sessions=True)
        known = self._known.pop(sender_id, None)
        if known is not None:
            rows = _reconnecting(lambda: self._rows_after(sender_id, known.last_id))
            if known.extend(rows, self._decrypt_row):
                self._remember(sender_id, known)
                return known.tracker.copy()
        tracker = self._read_tracker(sender_id, all_sessions=False)
        return tracker.copy() if tracker is not None else None

    def _rows_after(self, sender_id: Text, last_id: int) -> List[Any]:
        table = self.SQLEvent.__table__
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(table.c.id, table.c.type_name, table.c.timestamp, table.c.data)
                .where(table.c.sender_id == sender_id, table.c.id > last_id)
                .order_by(table.c.id)
            ).all()

    def _session_rows(self, sender_id: Text, all_sessions: bool) -> List[Any]:
        """Rasa's own query: the latest session's rows (or all), in id order."""
        event = self.SQLEvent
        with self.session_scope() as session:
            return (
                self._event_query(session, sender_id, fetch_events_from_all_sessions=all_sessions)
                .with_entities(event.id, event.type_name, event.timestamp, event.data)
                .all()
            )

    def _read_tracker(self, sender_id: Text, all_sessions: bool) -> Optional[DialogueStateTracker]:
        """The tracker from Rasa's own query (the latest session's rows, or all); remembered when latest."""
        rows = _reconnecting(lambda: self._session_rows(sender_id, all_sessions))
        if not (self.domain and rows):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [self._decrypt_row(r) for r in rows], self.domain.slots)
        if not all_sessions:
            starts = [r.timestamp for r in rows if r.type_name == SessionStarted.type_name]
            self._remember(sender_id, _Known(tracker, max(r.id for r in rows), len(rows), max(starts, default=None)))
        return tracker

    def _decrypt_row(self, row: Any) -> Dict[str, Any]:
        return self._decrypt_event(fast_json.loads(row.data))

    def _last_id(self, conn: Any, sender_id: Text) -> Optional[int]:
        table = self.SQLEvent.__table__
        return conn.execute(sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == sender_id)).scalar()

    def _session_count(self, conn: Any, sender_id: Text) -> int:
        """The rows of the latest session: Rasa's `_additional_events` count (`_event_query`) in plain SQL."""
        table = self.SQLEvent.__table__
        start = (
            sa.select(sa.func.max(table.c.timestamp))
            .where(table.c.sender_id == sender_id, table.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        query = (
            sa.select(sa.func.count())
            .select_from(table)
            .where(table.c.sender_id == sender_id, sa.or_(table.c.timestamp >= start, start.is_(None)))
        )
        return int(conn.execute(query).scalar() or 0)

    def _remember(self, sender_id: Text, known: "_Known") -> None:
        self._known[sender_id] = known
        self._known.move_to_end(sender_id)
        while len(self._known) > self.remembered_conversations:
            self._known.popitem(last=False)

    async def _stream_new_events(self, event_broker: Any, new_events: List[Event], sender_id: Text) -> None:
        """Publish redacted events only (an event broker is storage too)."""
        for data in redaction.redact_events([e.as_dict() for e in new_events], None, None):
            event_broker.publish({"sender_id": sender_id, **data})


T = TypeVar("T")


def _reconnecting(work: Callable[[], T]) -> T:
    """`work()`, run once more when the database connection it used was found dead (e.g. PostgreSQL was
    restarted): SQLAlchemy has then dropped the pool's stale connections and the second run gets a new
    one. A transaction that failed wrote nothing; one whose commit was lost in the cut is caught by
    `save`'s check of the last row id, which falls back to counting the stored rows."""
    try:
        return work()
    except sa.exc.DBAPIError as error:
        if not error.connection_invalidated:
            raise
        logger.warning("Connection to the tracker database lost; trying once more on a new connection.")
        return work()


class _Row(NamedTuple):
    """The columns of an events row that rebuilding a tracker reads."""

    id: int
    type_name: Optional[str]
    timestamp: Optional[float]
    data: str


def _row(sender_id: Text, data: Dict[str, Any], text: str) -> Dict[str, Any]:
    """An events row, as Rasa's SQLTrackerStore.save fills it."""
    return {
        "sender_id": sender_id,
        "type_name": data.get("event"),
        "timestamp": data.get("timestamp"),
        "intent_name": (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": text,
    }


class _Known:
    """One conversation's latest session as this server last saw it in the table.

    `tracker` is what `DialogueStateTracker.from_dict` rebuilds from the rows Rasa's query returns
    (never handed out: `retrieve` returns copies), `stored` the number of those rows (what Rasa's
    `_additional_events` counts), `last_id` the highest row id of the conversation read or written,
    `session_start` the latest `session_started` time stamp (Rasa's query keeps the rows at or after it)."""

    __slots__ = ("tracker", "last_id", "stored", "session_start")

    def __init__(self, tracker: DialogueStateTracker, last_id: int, stored: int, session_start: Optional[float]):
        self.tracker, self.last_id, self.stored, self.session_start = tracker, last_id, stored, session_start

    def extend(self, rows: List[Any], decrypt: Callable[[Any], Dict[str, Any]]) -> bool:
        """Apply rows written after `last_id`; False when Rasa's query would not simply append them (a new
        session, a time stamp before the session's start): the caller then reads the whole session again."""
        for row in rows:
            if row.type_name == SessionStarted.type_name or (
                self.session_start is not None and (row.timestamp is None or row.timestamp < self.session_start)
            ):
                return False
        for event in deserialise_events([decrypt(row) for row in rows]):
            self.tracker.update(event)
        if rows:
            self.stored += len(rows)
            self.last_id = rows[-1].id
        return True
