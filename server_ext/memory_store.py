"""RememberingTrackerStore: Rasa's in-memory tracker store, without the text round trip.

`make run`'s Rasa server (endpoints.yml) keeps conversations in memory. Rasa's
`InMemoryTrackerStore` keeps each as JSON text: every message it wrote the whole conversation to
text, read it back, replayed every event into a tracker, then split it into sessions and replayed
the latest session once more (`get_trackers_for_conversation_sessions`): about a tenth of the Rasa
server's CPU per message under the bench's load (docs/benchmarks.md). This store keeps a private
copy of each saved tracker instead and hands out copies of it (and of its latest session, worked
out once per save, only when there are several: `latest_session`).

What `retrieve` returns is the tracker Rasa's SQL tracker store (`make run-prod`) rebuilds: every
event applied in order. Rasa's in-memory store replays only the « applied » events, which drops a
form's own turns, so during a form its `latest_message` and `latest_action` stay on the message
that started the form; every other field is the same (tests/server_ext/test_memory_store.py, turn
after turn on every story and conversation test). No answer depends on the two: a turn's first
step puts the new message in `latest_message` (and a new action in `latest_action`) before the
policies or the action server read the tracker.

Like Rasa's, it keeps every conversation for the life of the process, in this process only: with
several Rasa servers, use the SQL tracker store (`make run-prod`, endpoints.prod.yml).

endpoints.yml:
    tracker_store:
      type: server_ext.memory_store.RememberingTrackerStore
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Optional, Text

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, split_events
from rasa.shared.core.trackers import DialogueStateTracker


class RememberingTrackerStore(InMemoryTrackerStore):
    """InMemoryTrackerStore keeping trackers rather than their text (`store` stays empty)."""

    def __init__(self, domain: Any = None, event_broker: Any = None, **kwargs: Any) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self._trackers: Dict[Text, DialogueStateTracker] = {}  # every session, never handed out
        self._latest: Dict[Text, DialogueStateTracker] = {}  # the latest session, once asked for

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        self._trackers[tracker.sender_id] = tracker.copy()
        self._latest.pop(tracker.sender_id, None)

    async def keys(self) -> Iterable[Text]:
        return self._trackers.keys()

    async def _retrieve(self, sender_id: Text, fetch_all_sessions: bool) -> Optional[DialogueStateTracker]:
        full = self._trackers.get(sender_id)
        if full is None:
            return None
        if fetch_all_sessions:
            return full.copy()
        latest = self._latest.get(sender_id)
        if latest is None:
            latest = self._latest[sender_id] = latest_session(full)
        return latest.copy()


def latest_session(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """`get_trackers_for_conversation_sessions(tracker)[-1]`, or the tracker itself when it has one session,
    without building the trackers of the sessions before (nor replaying a conversation of one session)."""
    sessions = split_events(
        tracker.events, ActionExecuted, {"action_name": ACTION_SESSION_START_NAME}, include_splitting_event=True
    )
    if len(sessions) <= 1:
        return tracker
    return DialogueStateTracker.from_events(  # as get_trackers_for_conversation_sessions builds each session
        tracker.sender_id,
        sessions[-1],
        tracker.slots.values(),
        sender_source=tracker.sender_source,
        max_event_history=tracker._max_event_history,
    )
