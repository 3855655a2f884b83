"""A conversation's states, built once per event instead of once per policy and per prediction (issue 18).

Before each predicted action, each policy asks for the states of the whole conversation
(`Domain.states_for_tracker_history`): Rasa replays every event on a fresh tracker and builds a state
before each action. MemoizationPolicy and RulePolicy ask with different options, RulePolicy sometimes
twice, and the same message predicts two or three actions: under the bench's load this took about
16 % of the Rasa server's CPU (`make profile`), for states that are the same as a moment before plus
one or two.

`states_for_tracker_history` below computes exactly what Rasa's does (the same steps, in the same
order, copied from Rasa 3.6.21's `Domain.states_for_tracker_history` and
`DialogueStateTracker.generate_all_prior_trackers`), but remembers, for each conversation (sender id)
and options, where it stopped: the events it replayed, the replaying tracker, the states built and
the two variables of the loop. The next call for that conversation (same domain and rule-only data)
starts from there when the events it would replay begin with the same events: the very same
objects within a message, or, for the next message (whose tracker the tracker store has rebuilt),
events of the same type and time stamp (`same_event`); otherwise (a form undid a
turn, the conversation was restarted) it starts from the beginning, as Rasa does. The last
MAX_CONVERSATIONS conversations are remembered (about 50 KB for a conversation of 112 events,
both options: tracemalloc); a server with more conversations under way than that falls back, for
the first prediction of a message, to Rasa's full replay. Every call returns new state dicts (callers edit them in place: Rasa's
featurizer removes the last message's text or intent), never the remembered ones.

Only the Rasa server installs it (server_ext.channels); training keeps Rasa's own function.
tests/server_ext/test_states_cache.py compares both after every event of every story and conversation
test.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Dict, List, Optional, Text, Tuple

_installed = False
MAX_CONVERSATIONS = 500  # about 50 KB each for a 112-event conversation (tracemalloc): ~25 MB
_replays: "OrderedDict[Tuple[Any, ...], Replay]" = OrderedDict()
rasa_states_for_tracker_history: Optional[Any] = None  # Rasa's own, once install() replaced it

State = Dict[Text, Any]


def copy_states(states: List[State]) -> List[State]:
    """Each state and each of its parts as new dicts (their values are tuples and strings)."""
    return [{kind: dict(part) if isinstance(part, dict) else part for kind, part in s.items()} for s in states]


class Replay:
    """Where a replay of a tracker's applied events stopped (before the final state)."""

    __slots__ = ("domain", "rule_only_data", "events", "tracker", "states", "last_ml_action", "turn_was_hidden")

    def __init__(self, domain: Any, rule_only_data: Any, tracker: Any) -> None:
        self.domain, self.rule_only_data = domain, rule_only_data
        self.events: List[Any] = []
        self.tracker = tracker.init_copy()
        self.states: List[State] = []
        self.last_ml_action: Optional[Dict[Text, Any]] = None
        self.turn_was_hidden = False

    def continues(self, domain: Any, rule_only_data: Any, applied: List[Any]) -> bool:
        """True when `applied` is what this replay has done, then (maybe) more events."""
        done = self.events
        return (
            self.domain is domain
            and self.rule_only_data == rule_only_data
            and len(applied) >= len(done)
            and all(a is b or same_event(a, b) for a, b in zip(applied, done))
        )


def same_event(a: Any, b: Any) -> bool:
    """The same event of this conversation read again from the tracker store: same type and time stamp.

    Events are compared position by position along one conversation's history, which the store only
    ever appends to; two events of the same type at the same place with the same time stamp (to the
    microsecond) are the same event. Rasa's own equality (`==`) was not used: for a bot message it
    serialises the message's data to JSON each time, which cost more than the replay it saves."""
    return type(a) is type(b) and a.timestamp == b.timestamp and getattr(a, "text", None) == getattr(b, "text", None)


def _state_before(
    domain: Any,
    tr: Any,
    hide_rule_turn: bool,
    states: List[State],
    last_ml_action: Optional[Dict[Text, Any]],
    turn_was_hidden: bool,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: Optional[Dict[Text, Any]],
) -> tuple:
    """One step of Rasa's loop: appends the state (unless hidden); returns the loop's two variables."""
    import rasa.shared.core.constants

    if ignore_rule_only_turns:
        if not turn_was_hidden:
            last_ml_action = domain._get_prev_action_sub_state(tr)
        if not tr.followup_action and not tr.latest_action_name == tr.active_loop_name:
            turn_was_hidden = hide_rule_turn
        if turn_was_hidden:
            return last_ml_action, turn_was_hidden
    state = domain.get_active_state(tr, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if states:
            domain._substitute_rule_only_user_input(state, states[-1])
        if last_ml_action:
            state[rasa.shared.core.constants.PREVIOUS_ACTION] = last_ml_action
    states.append(domain._clean_state(state))
    return last_ml_action, turn_was_hidden


def states_for_tracker_history(
    domain: Any,
    tracker: Any,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: Optional[Dict[Text, Any]] = None,
) -> List[State]:
    """Rasa's `Domain.states_for_tracker_history`, resumed where the last call on this tracker stopped."""
    from rasa.shared.core.events import ActionExecuted

    applied = tracker.applied_events()
    key = (tracker.sender_id, omit_unset_slots, ignore_rule_only_turns)
    replay = _replays.get(key)
    if replay is None or not replay.continues(domain, rule_only_data, applied):
        replay = _replays[key] = Replay(domain, rule_only_data, tracker)
        while len(_replays) > MAX_CONVERSATIONS:
            _replays.popitem(last=False)
    _replays.move_to_end(key)
    settings = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    tr = replay.tracker
    for event in applied[len(replay.events) :]:
        if isinstance(event, ActionExecuted):  # the state before each action
            replay.last_ml_action, replay.turn_was_hidden = _state_before(
                domain,
                tr,
                event.hide_rule_turn,
                replay.states,
                replay.last_ml_action,
                replay.turn_was_hidden,
                *settings,
            )
        tr.update(event)
    replay.events = applied
    states = copy_states(replay.states)
    # and the state after the last event (not remembered: the next event may come before it)
    _state_before(domain, tr, False, states, replay.last_ml_action, replay.turn_was_hidden, *settings)
    if len(states) > len(replay.states):
        states[-1] = copy_states([states[-1]])[0]
    return states


def install() -> None:
    """Replace Domain.states_for_tracker_history in this process (idempotent)."""
    global _installed, rasa_states_for_tracker_history
    if _installed:
        return
    from rasa.shared.core.domain import Domain

    rasa_states_for_tracker_history = Domain.states_for_tracker_history
    Domain.states_for_tracker_history = states_for_tracker_history  # type: ignore[assignment]
    _installed = True
