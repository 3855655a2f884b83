"""server_ext.fast_paths: RulePolicy's rule lookup through an index gives Rasa's answer, on the trained model.

The trained RulePolicy of models/ (`make train`) is loaded as the Rasa server loads it; conversation
states are made from its own rules (each rule's states, and the same with the last state's previous
action, intent or history swapped for another rule's), so every rule is met matching and not
matching. Rasa's lookup and the indexed one must give the same keys, in the same order (the order
breaks a tie between two rules of the same length).
"""

from __future__ import annotations

import copy
import itertools
from pathlib import Path

import pytest
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.graph import ExecutionContext

from server_ext import fast_paths

ROOT = Path(__file__).resolve().parents[2]
# Rasa's own (building a guarded channel, as other tests do, installs the index)
RASA_GET_POSSIBLE_KEYS = fast_paths.rasa_get_possible_keys or RulePolicy._get_possible_keys


@pytest.fixture(scope="module")
def policy(trained_model):
    storage, metadata = trained_model  # unpacked once for the session (tests/conftest.py)
    node = next(n for n in metadata.predict_schema.nodes.values() if n.uses is RulePolicy)
    context = ExecutionContext(metadata.predict_schema, metadata.model_id)
    return RulePolicy.load({**RulePolicy.get_default_config(), **node.config}, storage, node.resource, context)


def conversations(policy: RulePolicy):
    """State sequences made from the policy's rules, matching and not matching them."""
    rules = [
        policy._rule_key_to_state(key)
        for key in itertools.chain(policy.lookup[RULES], policy.lookup[RULES_FOR_LOOP_UNHAPPY_PATH])
    ]
    lasts = [r[-1] for r in rules if r]
    previous = [s.get("prev_action") for s in lasts] + [None, {"action_name": "action_listen"}]
    users = [s.get("user") for s in lasts if s.get("user")] + [None]
    for i, states in enumerate(rules):
        yield [dict(s) for s in states]
        if not states:
            continue
        for swap in (previous[i % len(previous)], previous[(7 * i + 3) % len(previous)], None):
            changed = copy.deepcopy(states)
            if swap is None:
                changed[-1].pop("prev_action", None)
            else:
                changed[-1]["prev_action"] = swap
            yield changed
        changed = copy.deepcopy(states)
        changed[-1]["user"] = users[(5 * i + 1) % len(users)]
        if changed[-1]["user"] is None:
            changed[-1].pop("user")
        yield changed
        yield copy.deepcopy(rules[(i + 1) % len(rules)][:-1]) + [dict(states[-1])]  # another history
        yield [{}] + [dict(s) for s in states]  # a longer conversation


def test_the_index_finds_the_same_rules_in_the_same_order(policy):
    fast_paths.install()
    assert RulePolicy._get_possible_keys is not RASA_GET_POSSIBLE_KEYS
    checked = found = 0
    for states in conversations(policy):
        for lookup in (policy.lookup[RULES], policy.lookup[RULES_FOR_LOOP_UNHAPPY_PATH]):
            expected = RASA_GET_POSSIBLE_KEYS(policy, lookup, states)
            got = RulePolicy._get_possible_keys(policy, lookup, states)
            assert list(got) == list(expected), states
            checked += 1
            found += bool(expected)
    assert checked > 1000 and found > checked // 10  # rules met both matching and not matching
    assert 0 < sum(1 for s in conversations(policy) if not RASA_GET_POSSIBLE_KEYS(policy, policy.lookup[RULES], s))


def test_an_empty_conversation_gets_every_rule(policy):
    fast_paths.install()
    assert RulePolicy._get_possible_keys(policy, policy.lookup[RULES], []) == set(policy.lookup[RULES])


def test_rules_found_are_remembered_by_the_conversations_last_states(policy):
    """The keys found depend only on the last `longest` states: a conversation with another, longer past
    gets the answer remembered for another one ending the same way, and that answer is Rasa's."""
    fast_paths.install()
    lookup = policy.lookup[RULES]
    fast_paths._rule_indexes.clear()  # a fresh index: nothing remembered yet
    index = fast_paths.rule_index(policy, lookup)
    assert index.longest == max(len(policy._rule_key_to_state(key)) for key in lookup) > 1
    pasts = [[{"prev_action": {"action_name": "action_listen"}, "user": {"intent": "saluer"}}] * index.longest, []]
    hits = 0
    for states in conversations(policy):
        for past in pasts:
            whole = copy.deepcopy(past) + copy.deepcopy(states)
            before = len(index.found)
            got = RulePolicy._get_possible_keys(policy, lookup, whole)
            hits += len(index.found) == before and len(whole) >= index.longest
            assert list(got) == list(RASA_GET_POSSIBLE_KEYS(policy, lookup, whole)), whole
    assert hits > 100  # answers were taken from memory, not only computed
    assert 0 < len(index.found) <= fast_paths.RULE_MATCHES_KEPT
