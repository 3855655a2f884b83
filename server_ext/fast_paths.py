"""The same checks for less CPU on every turn of the Rasa server (issue 18, first items).

py-spy on a loaded Rasa server put 13 % of its samples in `jsonschema.validate`, called by
`RemoteAction._validate_action_result` on every reply of the action server: that function checks
the schema itself against the meta-schema and builds a new validator each time. And 3 % went to
`Event.resolve_by_type`, which walks every subclass of `Event` for each event deserialised.

`install()` (called once by server_ext.channels, which only the Rasa server imports) replaces both
with versions that do the same work once:
- the action server's replies are validated against the very same schema, by validators built
  once; each event is checked against the one alternative of Rasa's `oneOf` that carries its name
  (the others fix `event` to other names, so cannot match); anything else goes through the full
  check, so an invalid reply raises the same `ValidationError` (jsonschema's best match) with
  Rasa's same message appended;
- event classes found by type name are remembered; a name not found yet goes through Rasa's own
  lookup (its default, its « topic » case and its error are unchanged);
- spaCy's named-entity recogniser is switched off in the Rasa server's spaCy model: Rasa's
  SpacyNLP runs every pipe of fr_core_news_sm but the parser, and no component of config.yml reads
  spaCy's entities (only SpacyEntityExtractor would). `ner` has its own tok2vec network: about
  45 % of spaCy's time per message. What the pipeline does read (tokens, offsets, lemmas, tags,
  POS, the tok2vec tensor) is the same with or without it (tests/server_ext/test_spacy_pipes.py,
  on every example of data/nlu and tests/nlu). Training is unchanged: this runs in the server only;
- LinearIntentClassifier's model keeps its coefficients in Fortran order once loaded. sklearn
  scores a message as `X @ coef_.T` (X sparse); scipy wants that dense operand C-contiguous, and
  `coef_.T` of a C-ordered `coef_` is not, so every message copied the whole intents x n-grams
  matrix (55 x ~40,000, 17 MB) before a product over its few hundred non-zero n-grams. Same numbers, same kernel, same
  order of sums: the probabilities are bit-identical (tests/server_ext/test_fast_paths.py);
- RulePolicy looks for applicable rules by testing every rule it learnt against the last state
  of the conversation, twice per predicted action (by text, then by intent). A rule whose last
  state names a previous action can only apply right after that action: the rules are indexed
  once by that name, and only the rules indexed under the conversation's previous action (and
  the few with no such name) are tested. The later turns are tested exactly as Rasa does, on the
  same sets built in the same order, so even a tie between two rules of equal length is broken
  the same way (tests/server_ext/test_rule_index.py compares both on the trained model).
"""

from __future__ import annotations

import functools
from typing import Any, Dict, List, Optional, Text, Tuple, Type

_installed = False
# spaCy pipes the Rasa server runs but nothing in config.yml reads (see the module's docstring)
UNUSED_SPACY_PIPES = ("ner",)
rasa_get_possible_keys: Optional[Any] = None  # RulePolicy's own, once install() replaced it


@functools.lru_cache(maxsize=None)
def _validator(schema_key: str) -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate does on every call
    return cls(schema)


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
    by_name = {alt["properties"]["event"]["const"]: cls(alt) for alt in alternatives}
    assert len(by_name) == len(alternatives)  # the names are distinct: the shortcut holds
    return cls(items), by_name


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
        if alternative is None or not common.is_valid(event) or not alternative.is_valid(event):
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
    _install_spacy_pipes()
    _install_linear_model_layout()
    _install_rule_index()
    _installed = True


class RuleIndex:
    """The keys of a RulePolicy lookup grouped by the previous action named in their last state."""

    def __init__(self, policy: Any, lookup: Dict[Text, Any]) -> None:
        from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET
        from rasa.shared.nlu.constants import ACTION_NAME

        self.lookup, self.size = lookup, len(lookup)
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

    def candidates(self, state: Dict[Text, Any]) -> set:
        """Rule keys that may apply to a conversation's last state (a superset of those that do)."""
        from rasa.shared.core.constants import PREVIOUS_ACTION
        from rasa.shared.nlu.constants import ACTION_NAME

        previous = state.get(PREVIOUS_ACTION)
        name = previous.get(ACTION_NAME) if isinstance(previous, dict) else None
        if not previous or not isinstance(name, str):
            return self.always  # Rasa: a rule naming a previous action fails on a state without one
        return self.always | self.by_action.get(name, set())


def _install_rule_index() -> None:
    global rasa_get_possible_keys
    from rasa.core.policies.rule_policy import RulePolicy

    rasa_get_possible_keys = RulePolicy._get_possible_keys

    indexes: Dict[int, RuleIndex] = {}

    def get_possible_keys(self: RulePolicy, lookup: Dict[Text, Text], states: List[Dict[Text, Any]]) -> set:
        if not states:
            return set(lookup.keys())
        index = indexes.get(id(lookup))
        if index is None or index.lookup is not lookup or index.size != len(lookup):
            index = indexes[id(lookup)] = RuleIndex(self, lookup)
        last = states[-1]
        first = {key for key in index.candidates(last) if self._is_rule_applicable(key, 0, last)}
        # from here on Rasa's own loop, on sets built in Rasa's order (ties in max(..., key=len))
        possible_keys = set(filter(lambda _key: _key in first, set(lookup.keys())))
        for i, state in enumerate(reversed(states)):
            if i == 0:
                continue
            possible_keys = set(filter(lambda _key: self._is_rule_applicable(_key, i, state), possible_keys))
        return possible_keys

    RulePolicy._get_possible_keys = get_possible_keys  # type: ignore[assignment]


def fortran_coefficients(model: Any) -> Any:
    """The last step of a scikit-learn pipeline with its `coef_` in Fortran order (in place)."""
    import numpy as np

    estimator = model.steps[-1][1] if hasattr(model, "steps") else model
    if getattr(estimator, "coef_", None) is not None:
        estimator.coef_ = np.asfortranarray(estimator.coef_)
    return model


def _install_linear_model_layout() -> None:
    from nlu_components.linear_intents import LinearIntentClassifier

    project_load = LinearIntentClassifier.load.__func__  # type: ignore[attr-defined]  # a classmethod

    def load(cls, *args: Any, **kwargs: Any) -> LinearIntentClassifier:
        component = project_load(cls, *args, **kwargs)
        if component.model is not None:
            fortran_coefficients(component.model)
        return component

    LinearIntentClassifier.load = classmethod(load)  # type: ignore[assignment]


def without_unused_pipes(model: Any) -> Any:
    """The same spaCy Language with UNUSED_SPACY_PIPES disabled (in place; returned for chaining)."""
    for name in UNUSED_SPACY_PIPES:
        if name in model.pipe_names:
            model.disable_pipe(name)
    return model


def _install_spacy_pipes() -> None:
    from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP

    rasa_load_model = SpacyNLP.load_model

    def load_model(spacy_model_name: Text) -> SpacyModel:
        loaded = rasa_load_model(spacy_model_name)
        without_unused_pipes(loaded.model)
        return loaded

    SpacyNLP.load_model = staticmethod(load_model)  # type: ignore[assignment]
