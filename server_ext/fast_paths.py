"""The same checks for less CPU on every turn of the Rasa server (issue 18, first items).

py-spy on a loaded Rasa server put 13 % of its samples in `jsonschema.validate`, called by
`RemoteAction._validate_action_result` on every reply of the action server: that function checks
the schema itself against the meta-schema and builds a new validator each time. And 3 % went to
`Event.resolve_by_type`, which walks every subclass of `Event` for each event deserialised.

`install()` (called once by server_ext.channels, which only the Rasa server imports) replaces both
with versions that do the same work once:
- the action server's replies are validated against the very same schema, by validators built
  once; each event is checked against the one alternative of Rasa's `oneOf` that carries its name
  (the others fix `event` to other names, so cannot match), by plain Python checks made from the
  schema when it only uses `type`, `const`, `required`, `properties` and `items` (`plain_check`:
  never more permissive than jsonschema, tested by mutating every kind of event); anything else
  goes through the full check, so an invalid reply raises the same `ValidationError`
  (jsonschema's best match) with Rasa's same message appended;
- event classes found by type name are remembered; a name not found yet goes through Rasa's own
  lookup (its default, its « topic » case and its error are unchanged);
- `DialogueStateTracker.copy()`, which the processor calls before running every action (to drop the
  policy's events if the action is rejected), replays every event of the conversation on a new
  tracker (about 5 % of the server's CPU under load). When the tracker keeps all its events (no
  `max_event_history`), replaying them gives back its own current state, so the copy is made from
  that state: the same events, a copy of each slot, of the active loop and of the latest action,
  the same latest messages; and, as Rasa's copy, no sender source, model or assistant id
  (tests/server_ext/test_states_cache.py compares both copies after every event of every story);
- `Domain.is_empty()`, asked for every message (processor's check of unseen intents), built an
  empty domain and turned both domains into dictionaries each time: the answer is kept on the
  domain object (the server's domain never changes once loaded);
- RulePolicy looks for applicable rules by testing every rule it learnt against the last state
  of the conversation, twice per predicted action (by text, then by intent). A rule whose last
  state names a previous action can only apply right after that action: the rules are indexed
  once by that name, and only the rules indexed under the conversation's previous action (and
  the few with no such name) are tested. The later turns are tested exactly as Rasa does, on the
  same sets built in the same order, so even a tie between two rules of equal length is broken
  the same way (tests/server_ext/test_rule_index.py compares both on the trained model). And as
  a rule is only ever tested against the conversation's last `len(rule)` states, the rules found
  depend only on the last states of the longest rule (5 here): they are remembered under those
  states (RULE_MATCHES_KEPT endings per lookup, oldest forgotten first), and any conversation that
  ends the same way, one learner's or another's, gets the same set without testing a rule (the
  states are intents, slot features and action names: no text, no slot value);
- a form's temporary tracker (`FormAction._temporary_tracker`, made before each call to the form's
  validation action) replayed the whole conversation as well: it is that same copy plus the form's
  new events, unless a restart, a rule tracker or a slot set other than the domain's asks for
  Rasa's replay (tests/server_ext/test_states_cache.py compares both at every event of every story);
- the tracker copy above copies each slot as `copy.copy` does for a plain object (a new instance with
  the same attributes) without `copy.copy`'s generic reduce-and-rebuild path;
- `Policy.format_tracker_states`, which RulePolicy calls at every prediction for a debug line
  (formatting every state, then deep-copying the text, logged or not), formats only when that
  debug line is logged.
"""

from __future__ import annotations

import copy
import functools
import logging
from collections import OrderedDict
from typing import Any, Callable, Dict, List, Optional, Text, Tuple, Type

_installed = False
RULE_MATCHES_KEPT = 4096  # per rule lookup: the rules found for that many distinct endings of conversations
rasa_get_possible_keys: Optional[Any] = None  # RulePolicy's own, once install() replaced it


@functools.lru_cache(maxsize=None)
def _validator(schema_key: str) -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate does on every call
    return cls(schema)


# what an instance of each JSON type is for jsonschema 4.17 (its TypeChecker): a bool is no number
_JSON_TYPES: Dict[str, Callable[[Any], bool]] = {
    "string": lambda x: isinstance(x, str),
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "null": lambda x: x is None,
    "boolean": lambda x: isinstance(x, bool),
    "number": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
    "integer": lambda x: isinstance(x, int) and not isinstance(x, bool),
}  # never more permissive than jsonschema (which also takes 1.0 as an integer, a Decimal as a number):
# an instance refused here goes through jsonschema's full check


def plain_check(schema: Any) -> Optional[Callable[[Any], bool]]:
    """A function telling whether an instance is valid against `schema`, for schemas made only of
    `type`, a string `const`, `required`, `properties` and `items` (each with jsonschema's meaning:
    `properties`, `required` only look at objects, `items` only at arrays); None for anything else,
    which then goes through jsonschema."""
    if not isinstance(schema, dict) or not set(schema) <= {"type", "const", "required", "properties", "items"}:
        return None
    checks: List[Callable[[Any], bool]] = []
    if "type" in schema:
        names = [schema["type"]] if isinstance(schema["type"], str) else schema["type"]
        if not isinstance(names, list) or not all(name in _JSON_TYPES for name in names):
            return None
        kinds = [_JSON_TYPES[name] for name in names]
        checks.append(kinds[0] if len(kinds) == 1 else lambda x: any(kind(x) for kind in kinds))
    if "const" in schema:
        const = schema["const"]
        if not isinstance(const, str):
            return None
        checks.append(lambda x: isinstance(x, str) and x == const)
    if "required" in schema:
        required = schema["required"]
        if not (isinstance(required, list) and all(isinstance(name, str) for name in required)):
            return None
        checks.append(lambda x: not isinstance(x, dict) or all(name in x for name in required))
    if "properties" in schema:
        if not isinstance(schema["properties"], dict):
            return None
        parts = {name: plain_check(sub) for name, sub in schema["properties"].items()}
        if any(part is None for part in parts.values()):
            return None
        checks.append(lambda x: not isinstance(x, dict) or all(p(x[n]) for n, p in parts.items() if n in x))  # type: ignore[misc]
    if "items" in schema:
        item = plain_check(schema["items"])
        if item is None:
            return None
        checks.append(lambda x: not isinstance(x, list) or all(item(i) for i in x))  # type: ignore[misc]
    if len(checks) == 1:
        return checks[0]
    return lambda x: all(check(x) for check in checks)


@functools.lru_cache(maxsize=None)
def _event_validators() -> Tuple[Any, Dict[str, Any]]:
    """The events schema split in two: what every event must satisfy, and one alternative per name.

    Rasa's schema says `oneOf` 23 alternatives, each fixing `event` to a different constant: an
    event can only ever match the alternative of its own name, so checking that one is the same
    as checking all 23 (which is what made the full check slow)."""
    from jsonschema import validators
    from rasa.shared.utils.schemas.events import EVENTS_SCHEMA

    items = dict(EVENTS_SCHEMA["items"])
    alternatives = items.pop("oneOf")
    cls = validators.validator_for(items)
    by_name = {alt["properties"]["event"]["const"]: plain_check(alt) or cls(alt).is_valid for alt in alternatives}
    assert len(by_name) == len(alternatives)  # the names are distinct: the shortcut holds
    return plain_check(items) or cls(items).is_valid, by_name


def _plainly_valid(result: Any) -> bool:
    """True only when Rasa's full check would pass; False means « let the full check decide »."""
    if not isinstance(result, dict):
        return False
    responses = result.get("responses", [])
    if "responses" in result and not (isinstance(responses, list) and all(isinstance(r, dict) for r in responses)):
        return False
    events = result.get("events", [])
    if "events" in result and not isinstance(events, list):
        return False
    common, by_name = _event_validators()
    for event in events:
        name = event.get("event") if isinstance(event, dict) else None
        alternative = by_name.get(name) if isinstance(name, str) else None
        if alternative is None or not common(event) or not alternative(event):
            return False
    return True


def validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
    """RemoteAction._validate_action_result with validators built once (same errors)."""
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    if _plainly_valid(result):
        return True
    error = best_match(_validator("action_response").iter_errors(result))
    if error is None:
        return True
    assert isinstance(error, ValidationError)
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Patch Rasa's two hot spots (idempotent)."""
    global _installed
    if _installed:
        return
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[assignment]
    rasa_lookup = Event.resolve_by_type
    found: Dict[Text, Type[Event]] = {}

    def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
        cls = found.get(type_name)
        if cls is not None:
            return cls
        cls = rasa_lookup(type_name, default)
        if cls is not None and cls is not default and getattr(cls, "type_name", None) == type_name:
            found[type_name] = cls
        return cls

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[assignment]
    _install_rule_index()
    _install_domain_is_empty()
    _install_tracker_copy()
    _install_quiet_state_formatting()
    _installed = True


class RuleIndex:
    """The keys of a RulePolicy lookup grouped by the previous action named in their last state."""

    def __init__(self, policy: Any, lookup: Dict[Text, Any]) -> None:
        from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET
        from rasa.shared.nlu.constants import ACTION_NAME

        self.lookup, self.size = lookup, len(lookup)
        self.all_keys = set(lookup.keys())  # Rasa builds this set at every call: the same set, same order
        self.by_action: Dict[Text, set] = {}
        self.always: set = set()  # rules the index cannot rule out: tested every time
        for key in lookup:
            states = policy._rule_key_to_state(key)
            previous = states[-1].get(PREVIOUS_ACTION) if states else None
            name = previous.get(ACTION_NAME) if isinstance(previous, dict) else None
            if isinstance(name, str) and name and name != SHOULD_NOT_BE_SET:
                self.by_action.setdefault(name, set()).add(key)
            else:
                self.always.add(key)
        # a rule is tested against the conversation's last `len(rule)` states only (Rasa: « the rule must be
        # applicable because we got further in the conversation history than the rule's length »), so
        # the keys found depend only on the last `longest` states
        self.longest = max((len(policy._rule_key_to_state(key)) for key in lookup), default=1)
        self.found: "OrderedDict[tuple, set]" = OrderedDict()  # frozen last states -> keys found (LRU)

    def remembered_key(self, states: List[Dict[Text, Any]]) -> Optional[tuple]:
        """The conversation's last `longest` states as a hashable key (None if a value is not hashable)."""
        key = tuple(
            tuple(
                sorted(
                    (kind, tuple(sorted(part.items())) if isinstance(part, dict) else part) for kind, part in s.items()
                )
            )
            for s in states[max(0, len(states) - self.longest) :]
        )
        try:
            hash(key)
        except TypeError:
            return None
        return key

    def recall(self, key: Optional[tuple]) -> Optional[set]:
        """The keys remembered under `key` (now the most recently used), or None."""
        if key is None or key not in self.found:
            return None
        self.found.move_to_end(key)
        return self.found[key]

    def remember(self, key: Optional[tuple], keys: set) -> None:
        if key is None:
            return
        self.found[key] = keys
        while len(self.found) > RULE_MATCHES_KEPT:
            self.found.popitem(last=False)

    def candidates(self, state: Dict[Text, Any]) -> set:
        """Rule keys that may apply to a conversation's last state (a superset of those that do)."""
        from rasa.shared.core.constants import PREVIOUS_ACTION
        from rasa.shared.nlu.constants import ACTION_NAME

        previous = state.get(PREVIOUS_ACTION)
        name = previous.get(ACTION_NAME) if isinstance(previous, dict) else None
        if not previous or not isinstance(name, str):
            return self.always  # Rasa: a rule naming a previous action fails on a state without one
        return self.always | self.by_action.get(name, set())


_rule_indexes: Dict[int, RuleIndex] = {}


def rule_index(policy: Any, lookup: Dict[Text, Any]) -> RuleIndex:
    """The index of a RulePolicy lookup (built at its first use)."""
    index = _rule_indexes.get(id(lookup))
    if index is None or index.lookup is not lookup or index.size != len(lookup):
        index = _rule_indexes[id(lookup)] = RuleIndex(policy, lookup)
    return index


def _install_rule_index() -> None:
    global rasa_get_possible_keys
    from rasa.core.policies.rule_policy import RulePolicy

    rasa_get_possible_keys = RulePolicy._get_possible_keys

    def get_possible_keys(self: RulePolicy, lookup: Dict[Text, Text], states: List[Dict[Text, Any]]) -> set:
        if not states:
            return set(lookup.keys())
        index = rule_index(self, lookup)
        window = max(1, min(len(states), index.longest))  # the states a rule can be tested against
        remembered = index.remembered_key(states)
        core = index.recall(remembered)
        if core is None:
            last = states[-1]
            first = {key for key in index.candidates(last) if self._is_rule_applicable(key, 0, last)}
            # from here on Rasa's own loop, on sets built in Rasa's order (ties in max(..., key=len)): each
            # set is filled in the order of the one it filters, as `set(filter(...))` fills it
            core = {key for key in index.all_keys if key in first}
            for i in range(1, window):
                if not core:
                    break
                core = {key for key in core if self._is_rule_applicable(key, i, states[-1 - i])}
            index.remember(remembered, core)
        # Rasa goes on through every earlier state, where every rule passes, refilling the set each time:
        # the keys stay, their order may not (it depends on the conversation's length), so the same refills
        possible_keys = core
        for _ in range(len(states) - window):
            if not possible_keys:
                break
            possible_keys = {key for key in possible_keys}
        return possible_keys  # callers only read it (it may be the remembered set itself)

    RulePolicy._get_possible_keys = get_possible_keys  # type: ignore[assignment]


def _install_quiet_state_formatting() -> None:
    """RulePolicy formats the conversation's states (and deep-copies the text) for a debug line at every
    prediction, logged or not: formatted only when that line is logged (`rasa run --debug`)."""
    from rasa.core.policies.policy import Policy

    rasa_format = Policy.format_tracker_states
    rule_logger = logging.getLogger("rasa.core.policies.rule_policy")  # structlog filters on it

    def format_tracker_states(states: List[Dict[Text, Any]]) -> Text:
        return rasa_format(states) if rule_logger.isEnabledFor(logging.DEBUG) else ""

    Policy.format_tracker_states = staticmethod(format_tracker_states)  # type: ignore[assignment]


def _install_domain_is_empty() -> None:
    from rasa.shared.core.domain import Domain

    own_is_empty = Domain.is_empty

    def is_empty(self: Domain) -> bool:
        known = self.__dict__.get("_amelibot_is_empty")
        if known is None:
            known = self.__dict__["_amelibot_is_empty"] = own_is_empty(self)
        return known

    Domain.is_empty = is_empty  # type: ignore[assignment]


rasa_tracker_copy: Optional[Any] = None  # DialogueStateTracker.copy as Rasa wrote it, once replaced
_plain_classes: Dict[type, bool] = {}


def _copies_its_dict(cls: type) -> bool:
    """True when `copy.copy` of a `cls` instance is a new instance with the same `__dict__` items: no
    `__copy__`, `__reduce__`, `__reduce_ex__`, `__getstate__`, `__setstate__` or non-empty `__slots__`
    (Python 3.10's `copy.copy` then goes through `copyreg.__reduce_ex__` to just that)."""
    known = _plain_classes.get(cls)
    if known is None:
        known = _plain_classes[cls] = (
            cls.__reduce_ex__ is object.__reduce_ex__
            and cls.__reduce__ is object.__reduce__
            and not any(hasattr(cls, name) for name in ("__copy__", "__getstate__", "__setstate__"))
            and not any(vars(klass).get("__slots__") for klass in cls.__mro__)  # abc.ABC's empty one is fine
        )
    return known


def shallow_copy(value: Any) -> Any:
    """`copy.copy(value)`, without its generic machinery for plain objects (a tracker copy copies every slot)."""
    cls = type(value)
    if not _copies_its_dict(cls):
        return copy.copy(value)
    new = cls.__new__(cls)  # type: ignore[call-overload]  # what copyreg.__newobj__ calls
    new.__dict__.update(value.__dict__)
    return new


def tracker_copy(self: Any) -> Any:
    """Rasa's `DialogueStateTracker.copy()` (a replay of every event), from the tracker's current state."""
    from rasa.shared.constants import DEFAULT_SENDER_ID
    from rasa.shared.core.trackers import DialogueStateTracker

    assert rasa_tracker_copy is not None
    if self._max_event_history is not None or type(self.slots) is not dict:
        return rasa_tracker_copy(self)  # dropped events or AnySlotDict: Rasa's replay
    new = DialogueStateTracker.__new__(DialogueStateTracker)
    new._max_event_history = None
    new.events = self._create_events(list(self.events))
    new.sender_id = self.sender_id or DEFAULT_SENDER_ID
    new.slots = {name: shallow_copy(slot) for name, slot in self.slots.items()}
    new.sender_source = None
    new.is_rule_tracker = self.is_rule_tracker
    new._paused = self._paused
    new.followup_action = self.followup_action
    new.latest_action = dict(self.latest_action) if self.latest_action is not None else None
    new.latest_message = self.latest_message
    new.latest_bot_utterance = self.latest_bot_utterance
    new.active_loop = copy.copy(self.active_loop)  # a TrackerActiveLoop (edited in place) or None
    new.model_id = None
    new.assistant_id = None
    return new


rasa_temporary_tracker: Optional[Any] = None  # FormAction._temporary_tracker as Rasa wrote it, once replaced


def form_temporary_tracker(self: Any, current_tracker: Any, additional_events: List[Any], domain: Any) -> Any:
    """Rasa's `FormAction._temporary_tracker` (a replay of the conversation plus the form's new events, made
    before each validation call), from a copy of the conversation's current state."""
    from rasa.shared.core.constants import REQUESTED_SLOT
    from rasa.shared.core.events import ActionExecuted, SlotSet

    assert rasa_temporary_tracker is not None
    if (
        current_tracker.is_rule_tracker
        or current_tracker._max_event_history is not None
        or type(current_tracker.slots) is not dict
        or current_tracker.idx_after_latest_restart() != 0  # Rasa replays only what follows a restart
        or list(current_tracker.slots) != [slot.name for slot in domain.slots]
    ):
        return rasa_temporary_tracker(self, current_tracker, additional_events, domain)
    tracker = tracker_copy(current_tracker)
    for event in [SlotSet(REQUESTED_SLOT, self.get_slot_to_fill(current_tracker)), ActionExecuted(self.name())]:
        tracker.update(event)
    for event in additional_events:
        tracker.update(event)
    return tracker


def _install_tracker_copy() -> None:
    global rasa_tracker_copy, rasa_temporary_tracker
    from rasa.core.actions.forms import FormAction
    from rasa.shared.core.trackers import DialogueStateTracker

    rasa_tracker_copy = DialogueStateTracker.copy
    DialogueStateTracker.copy = tracker_copy  # type: ignore[assignment]
    rasa_temporary_tracker = FormAction._temporary_tracker
    FormAction._temporary_tracker = form_temporary_tracker  # type: ignore[assignment]
