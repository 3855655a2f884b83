"""IntentEnsemble (nlu_components/intent_ensemble.py): DIET's ranking averaged with a TF-IDF linear
model trained on data/nlu; saved and loaded as the Rasa server does.

The linear model is trained on the examples of the intents these tests read (TRAINED_INTENTS, every
example of each, from data/nlu): the whole data took 90 s of the unit tier for the same assertions."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.intent_ensemble import IntentEnsemble, combine

ROOT = Path(__file__).resolve().parents[1]
# The intents of the rankings below, and their neighbours (what a message about a code may be).
TRAINED_INTENTS = {"code_expire", "code_non_recu", "verifier_spams", "hors_sujet", "saluer", "au_revoir", "code_perdu"}


def test_combine_is_a_weighted_mean_best_first():
    diet = [
        {"name": "code_non_recu", "confidence": 0.5},
        {"name": "code_expire", "confidence": 0.4},
        {"name": "hors_sujet", "confidence": 0.1},
    ]
    linear = {"code_non_recu": 0.1, "code_expire": 0.7, "verifier_spams": 0.2}
    ranking = combine(diet, linear, diet_weight=0.5)
    assert [r["name"] for r in ranking] == ["code_expire", "code_non_recu", "verifier_spams", "hors_sujet"]
    assert ranking[0]["confidence"] == pytest.approx(0.55)
    assert ranking[3]["confidence"] == pytest.approx(0.05)  # an intent the linear model lacks counts 0
    assert combine(diet, linear, diet_weight=1.0)[0]["name"] == "code_non_recu"  # DIET alone
    assert len(combine(diet, linear, 0.5, ranking_length=2)) == 2


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("intent_ensemble")
    data = load_data(str(ROOT / "data" / "nlu"))
    examples = [m for m in data.intent_examples if m.get(INTENT) in TRAINED_INTENTS]
    assert {m.get(INTENT) for m in examples} == TRAINED_INTENTS
    IntentEnsemble.create({}, storage, resource, None).train(TrainingData(examples))
    return storage, resource


@pytest.fixture(scope="module")
def ensemble(trained):
    storage, resource = trained
    return IntentEnsemble.load({}, storage, resource, None)  # as the Rasa server does


def read(ensemble: IntentEnsemble, text: str, diet_ranking) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, dict(diet_ranking[0]))
    message.set(INTENT_RANKING_KEY, list(diet_ranking))
    return ensemble.process([message])[0]


def test_the_linear_model_settles_a_message_diet_hesitates_on(ensemble):
    # DIET torn between two intents; the words « pas reçu » and « spams » decide
    hesitant = [
        {"name": "code_expire", "confidence": 0.48},
        {"name": "code_non_recu", "confidence": 0.47},
        {"name": "hors_sujet", "confidence": 0.05},
    ]
    message = read(ensemble, "j'ai pas reçu le code de sécurité, même dans les spams", hesitant)
    assert message.get(INTENT)["name"] == "code_non_recu"
    ranking = message.get(INTENT_RANKING_KEY)
    assert ranking[0] == message.get(INTENT)
    assert sum(r["confidence"] for r in ranking) <= 1.0 + 1e-9
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)


def test_a_confident_diet_is_not_overturned_on_a_clear_message(ensemble):
    sure = [{"name": "saluer", "confidence": 0.97}, {"name": "au_revoir", "confidence": 0.03}]
    assert read(ensemble, "bonjour", sure).get(INTENT)["name"] == "saluer"


def test_a_message_without_a_ranking_is_left_alone(ensemble):
    message = Message(data={TEXT: ""})
    assert ensemble.process([message])[0].get(INTENT) is None


def test_without_a_saved_model_diet_alone_decides(tmp_path):
    ensemble = IntentEnsemble.load({}, LocalModelStorage(tmp_path), Resource("missing"), None)
    ranking = [{"name": "code_expire", "confidence": 0.6}, {"name": "code_non_recu", "confidence": 0.4}]
    assert read(ensemble, "j'ai pas reçu le code", ranking).get(INTENT_RANKING_KEY) == ranking
