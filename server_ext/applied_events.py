"""A conversation's applied events, worked out once per event instead of at every call (issue 18).

`DialogueStateTracker.applied_events()` (the events minus those a revert, a restart or a form's own
turns undid) walks the whole conversation at each call, with several `isinstance` checks per event;
the Rasa server calls it for every policy's states, for the session check and for the action
server's tracker: about 10 % of its CPU under the bench's load (`make profile`), always on the same
events plus one or two.

`applied_events` below is Rasa 3.6.21's loop, resumed: for each conversation (sender id) it keeps the
events it has walked (the very objects) and the list it built. When a tracker's events begin with
those same objects and the new events name no form (`ActiveLoop`) the walk has not seen (Rasa reads
the forms' names from the whole conversation before the walk), the walk goes on from there;
otherwise it starts again, as Rasa does. Each call returns a new list. The last MAX_CONVERSATIONS
conversations are kept (a list of references per conversation).

Only the Rasa server installs it (server_ext.channels); training keeps Rasa's own method.
tests/server_ext/test_applied_events.py compares both after every event of every story and
conversation test, with trackers of one conversation interleaved.
"""

from __future__ import annotations

import itertools
import operator
from collections import OrderedDict
from typing import Any, List, Optional, Set, Text

_installed = False
MAX_CONVERSATIONS = 1000
rasa_applied_events: Optional[Any] = None  # Rasa's own, once install() replaced it


class Walk:
    """Where a walk of one conversation's events stopped."""

    __slots__ = ("events", "applied", "loop_names")

    def __init__(self) -> None:
        self.events: List[Any] = []  # the events walked, in order (references)
        self.applied: List[Any] = []  # what Rasa's loop built from them
        self.loop_names: Set[Text] = set()  # the forms named by ActiveLoop events among them


_walks: "OrderedDict[Text, Walk]" = OrderedDict()


def _walk(tracker: Any, events: List[Any], walk: Walk) -> None:
    """The body of Rasa's `applied_events` loop over `events`, continuing `walk.applied` in place."""
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionReverted,
        Restarted,
        SessionStarted,
        UserUtteranceReverted,
        UserUttered,
    )

    applied, loop_names = walk.applied, walk.loop_names
    for event in events:
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)
    walk.events.extend(events)


def _loop_names(events: Any) -> Set[Text]:
    from rasa.shared.core.events import ActiveLoop

    return {event.name for event in events if isinstance(event, ActiveLoop) and event.name}


def applied_events(self: Any) -> List[Any]:
    """Rasa's `DialogueStateTracker.applied_events()`, resumed where the last call on this conversation stopped."""
    events = self.events
    walk = _walks.get(self.sender_id)
    done = len(walk.events) if walk is not None else 0
    if (
        walk is None
        or done > len(events)
        or not all(map(operator.is_, walk.events, events))
        or not _loop_names(itertools.islice(events, done, None)) <= walk.loop_names
    ):
        walk = _walks[self.sender_id] = Walk()
        walk.loop_names = _loop_names(events)
        while len(_walks) > MAX_CONVERSATIONS:
            _walks.popitem(last=False)
        done = 0
    _walks.move_to_end(self.sender_id)
    if done < len(events):
        _walk(self, list(itertools.islice(events, done, None)), walk)
    return list(walk.applied)


def install() -> None:
    """Replace DialogueStateTracker.applied_events in this process (idempotent)."""
    global _installed, rasa_applied_events
    if _installed:
        return
    from rasa.shared.core.trackers import DialogueStateTracker

    rasa_applied_events = DialogueStateTracker.applied_events
    DialogueStateTracker.applied_events = applied_events  # type: ignore[assignment]
    _installed = True
