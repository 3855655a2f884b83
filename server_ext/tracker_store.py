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
- PostgreSQL: the engine is rebuilt with `pool_pre_ping=True` (Rasa 3.6's own engine does
  not ping), so a restarted PostgreSQL costs no failed request once it is back.

endpoints.yml:
    tracker_store:
      type: server_ext.tracker_store.RedactingSQLTrackerStore
      dialect: postgresql
      url: localhost
      ...  (same keys as `type: SQL`)
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, is_postgresql_url
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from common import log_redaction, redaction, settings
from common.crypto import SecretBox, key_from_text, load_or_create_key

from . import fast_json

logger = logging.getLogger(__name__)

TRACKER_KEY_ENV = settings.TRACKER_SECRET_KEY
ENCRYPTED_PREFIX = "enc:v1:"
DEFAULT_KEY_FILE = Path(__file__).resolve().parents[1] / "var" / "tracker.key"


def tracker_box() -> SecretBox:
    """The cipher of reversible slot values (key never stored in the tracker database)."""
    explicit = settings.tracker_secret_key()
    if explicit:
        return SecretBox(key_from_text(explicit))
    return SecretBox(load_or_create_key(DEFAULT_KEY_FILE))


class RedactingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that redacts every event before it is written or streamed."""

    engine: sa.engine.Engine

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        log_redaction.install()  # an entry point of the Rasa server (endpoints.yml)
        super().__init__(*args, **kwargs)
        self._box = tracker_box()
        if is_postgresql_url(self.engine.url):
            old = self.engine
            self.engine = sa.create_engine(self.engine.url, pool_pre_ping=True, **create_engine_kwargs(self.engine.url))
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
            old.dispose()

    # --- redaction ------------------------------------------------------------------
    def _encrypt(self, value: str) -> str:
        return ENCRYPTED_PREFIX + self._box.seal(value)

    def _decrypt_event(self, data: Dict[str, Any]) -> Dict[str, Any]:
        value = data.get("value")
        if data.get("event") == "slot" and isinstance(value, str) and value.startswith(ENCRYPTED_PREFIX):
            data = dict(data)
            data["value"] = self._box.open(value[len(ENCRYPTED_PREFIX) :])  # None if the key changed
        return data

    def redacted_new_events(self, tracker: DialogueStateTracker, already_stored: int) -> List[Dict[str, Any]]:
        """Serialised, redacted copies of the events after the first `already_stored`."""
        requested: Optional[str] = None
        fragments: frozenset = frozenset()  # the secrets of the latest user message, as typed
        fresh: List[Dict[str, Any]] = []
        for index, event in enumerate(tracker.events):
            data = event.as_dict()
            if data.get("event") == "user":
                fragments = redaction.secret_fragments(data, requested)
            if index >= already_stored:
                fresh.append(
                    redaction.without_fragments(redaction.redact_event(data, requested, self._encrypt), fragments)
                )
            requested = redaction.next_requested_slot(data, requested)
        return fresh

    # --- persistence ----------------------------------------------------------------
    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the new events, redacted (same count-based diff as SQLTrackerStore)."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
            for data in self.redacted_new_events(tracker, stored):
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=data.get("event"),
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=fast_json.dumps(data),
                    )
                )
            session.commit()
        logger.debug("Tracker with sender_id '%s' stored to database", tracker.sender_id)

    async def _stream_new_events(self, event_broker: Any, new_events: List[Event], sender_id: Text) -> None:
        """Publish redacted events only (an event broker is storage too)."""
        for data in redaction.redact_events([e.as_dict() for e in new_events], None, None):
            event_broker.publish({"sender_id": sender_id, **data})

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events = [self._decrypt_event(fast_json.loads(row.data)) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None
