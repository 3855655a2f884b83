"""The conversation read back turn by turn, from a tracker's events. Pure Python, no Rasa import.

One reading for both servers: the action server's events are dicts (`{"event": "user", …}`), the
Rasa server's are objects (`UserUttered`, `BotUttered`); `is_user` says which events are the
person's messages. A turn is what came after one of the person's messages, until the next one.

- `turns(events, count, is_user)`: what was said since the latest message, the `count` turns
  before it, and the person's messages (server_ext/nlg.py: never the same answer twice);
- `previous_bot_turn(events)`: the turn that answered the person's previous message
  (actions/path_actions.py: a thanks after a failure; actions/simulation/agenda.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Iterable, List, TypeVar

E = TypeVar("E")


def is_user_event(event: Any) -> bool:
    """A person's message among the action server's events (dicts)."""
    return isinstance(event, dict) and event.get("event") == "user"


@dataclass
class Turns(Generic[E]):
    """The latest turns of a conversation, each in the order it happened.

    current: the events since the person's latest message;
    previous: the turns before, latest first (previous[0] answered the message before the latest);
    users: the person's messages, latest first (one more than `previous` unless the conversation
    is shorter)."""

    current: List[E] = field(default_factory=list)
    previous: List[List[E]] = field(default_factory=list)
    users: List[E] = field(default_factory=list)


def turns(events: Iterable[E], count: int, is_user: Callable[[E], bool] = is_user_event) -> Turns[E]:
    """The events since the person's latest message and the `count` turns before it (raw events:
    a message the fallback took back still counts, its answer was seen)."""
    found: Turns[E] = Turns()
    for event in reversed(list(events)):
        if is_user(event):
            found.users.append(event)
            if len(found.users) > count:
                break
            found.previous.append([])
        elif found.users:
            found.previous[-1].insert(0, event)
        else:
            found.current.insert(0, event)
    return found


def previous_bot_turn(events: Iterable[E], is_user: Callable[[E], bool] = is_user_event) -> List[E]:
    """The events between the person's previous message and the latest one, in order (all the
    events before the latest message when it is the first one)."""
    previous = turns(events, 1, is_user).previous
    return previous[0] if previous else []
