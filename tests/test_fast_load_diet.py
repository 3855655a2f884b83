"""FastLoadDIETClassifier (nlu_components/fast_load_diet.py) loads the trained model without
Rasa's one-step training, and must understand every message exactly as Rasa's own load does.

The trained model is loaded once for the session as configured (tests/conftest.py `predict_runner`,
shared with the other tests of the trained model); here its DIET node is loaded a second time
with the component's model class swapped back to Rasa's DIET (whose `load` traces a training
step), the same messages are read through the same graph, and the node is put back."""

from __future__ import annotations

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

MESSAGES = [
    "je n'ai pas reçu mon code de sécurité",
    "36 46",
    "une France Services à Voiron",
    "mon numéro de sécu c'est 1 75 01 69 123 456 79",
    "mon mail c'est jean.dupont@orange.fr",
    "le code 482 913",
    "j'habite à Saint-Étienne, 42000",
    "envoyez le code au 06 12 34 56 78",
    "comment prendre un rendez-vous",
    "ma carte vitale est perdue",
    "zblorg kwarf plimp",
    "quel temps fait-il",
    "simuler une connexion",
    "merci au revoir",
]


def understand(predict_runner):
    """How the loaded graph reads MESSAGES: (intent, confidence, top 3 of the ranking, entities)."""
    metadata, runner = predict_runner
    parsed = []
    for text in MESSAGES:
        tracker = DialogueStateTracker.from_events("someone", [ActionExecuted("action_listen")])
        inputs = {"__message__": [UserMessage(text, sender_id="someone")], "__tracker__": tracker}
        message = runner.run(inputs, [metadata.nlu_target])[metadata.nlu_target][0]
        parsed.append(message.as_dict(only_output_properties=True))
    return [
        (
            p["intent"]["name"],
            round(p["intent"]["confidence"], 4),
            [(r["name"], round(r["confidence"], 4)) for r in p.get("intent_ranking", [])[:3]],
            sorted((e["entity"], str(e["value"]), e["start"], e["end"]) for e in p.get("entities", [])),
        )
        for p in parsed
    ]


def diet_node(runner):
    from nlu_components.fast_load_diet import FastLoadDIETClassifier

    (node,) = [n for n in runner._instantiated_nodes.values() if n._component_class is FastLoadDIETClassifier]
    return node


def test_fast_load_understands_every_message_as_rasas_load_does(predict_runner):
    from rasa.nlu.classifiers.diet_classifier import DIET

    from nlu_components.fast_load_diet import FastLoadDIET, FastLoadDIETClassifier

    node = diet_node(predict_runner[1])
    fast_component = node._component
    assert fast_component.model.__class__ is FastLoadDIET  # loaded as configured
    fast = understand(predict_runner)
    original = FastLoadDIETClassifier.__dict__["model_class"]
    FastLoadDIETClassifier.model_class = staticmethod(lambda: DIET)
    try:
        node._load_component()  # Rasa's own load of the same saved DIET
        assert node._component is not fast_component and node._component.model.__class__ is DIET
        rasa = understand(predict_runner)
    finally:
        FastLoadDIETClassifier.model_class = original
        node._component = fast_component
    for text, mine, theirs in zip(MESSAGES, fast, rasa):
        assert mine == theirs, f"« {text} »: {mine} != {theirs}"
    # How much faster it loads is measured by `make bench` (start-up), not asserted here.
    # The messages are understood (not all fallback): a load that built nothing would fail here.
    assert fast[0][0] == "code_non_recu" and fast[8][0] == "prendre_rdv", fast
