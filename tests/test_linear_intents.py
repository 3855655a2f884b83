"""LinearIntentClassifier (nlu_components/linear_intents.py): the intent of each message from a TF-IDF
linear SVM trained on data/nlu; saved and loaded as the Rasa server does.

The model is trained on the examples of the intents these tests read (TRAINED_INTENTS, every example
of each, from data/nlu): a few seconds instead of the whole data's."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.linear_intents import LinearIntentClassifier, probabilities, ranking

ROOT = Path(__file__).resolve().parents[1]
# The intents of the messages below, and their neighbours (what a message about a code may be).
TRAINED_INTENTS = {"code_expire", "code_non_recu", "verifier_spams", "hors_sujet", "saluer", "au_revoir", "code_perdu"}
FALLBACK_THRESHOLD = 0.45  # config.yml's FallbackClassifier


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("linear_intents")
    data = load_data(str(ROOT / "data" / "nlu"))
    examples = [m for m in data.intent_examples if m.get(INTENT) in TRAINED_INTENTS]
    assert {m.get(INTENT) for m in examples} == TRAINED_INTENTS
    LinearIntentClassifier.create({}, storage, resource, None).train(TrainingData(examples))
    return storage, resource


@pytest.fixture(scope="module")
def classifier(trained):
    storage, resource = trained
    return LinearIntentClassifier.load({}, storage, resource, None)  # as the Rasa server does


def read(classifier: LinearIntentClassifier, text: str) -> Message:
    return classifier.process([Message(data={TEXT: text})])[0]


@pytest.mark.parametrize(
    "text, intent",
    [
        ("j'ai pas reçu le code de sécurité, même dans les spams", "code_non_recu"),
        ("jai pas recu le code", "code_non_recu"),  # no accents, SMS spelling
        ("le code ne marche plus il est expiré", "code_expire"),
        ("bonjour", "saluer"),
        ("au revoir et bonne journée", "au_revoir"),
    ],
)
def test_a_clear_message_gets_its_intent_above_the_fallback_threshold(classifier, text, intent):
    message = read(classifier, text)
    assert message.get(INTENT)["name"] == intent
    assert message.get(INTENT)["confidence"] > FALLBACK_THRESHOLD
    ranked = message.get(INTENT_RANKING_KEY)
    assert ranked[0] == message.get(INTENT)
    assert sum(r["confidence"] for r in ranked) == pytest.approx(1.0)  # all 7 intents, a distribution
    assert [r["confidence"] for r in ranked] == sorted((r["confidence"] for r in ranked), reverse=True)


def test_several_messages_are_read_at_once_each_its_own(classifier):
    messages = [Message(data={TEXT: t}) for t in ("bonjour", "", "jai pas recu le code")]
    read_all = classifier.process(messages)
    assert [m.get(INTENT)["name"] for m in read_all] == ["saluer", None, "code_non_recu"]


def test_the_softmax_scale_sets_how_peaked_the_confidences_are():
    class Scores:  # decision_function of a 3-class model
        def decision_function(self, texts):
            return np.array([[0.5, 0.2, -1.0]] * len(texts))

    sharp, flat = probabilities(Scores(), ["x"], 10.0)[0], probabilities(Scores(), ["x"], 1.0)[0]
    assert sharp.sum() == pytest.approx(1.0) and flat.sum() == pytest.approx(1.0)
    assert sharp[0] > flat[0] > flat[1]
    assert ranking(["a", "b", "c"], sharp, length=2) == [
        {"name": "a", "confidence": pytest.approx(sharp[0])},
        {"name": "b", "confidence": pytest.approx(sharp[1])},
    ]


def test_an_empty_message_gets_no_intent_and_zero_confidence(classifier):
    # what Rasa's own classifiers give: the FallbackClassifier after it reads the confidence
    message = read(classifier, "")
    assert message.get(INTENT) == {"name": None, "confidence": 0.0}
    assert message.get(INTENT_RANKING_KEY) == []


def test_without_a_saved_model_no_intent_is_read_and_the_log_says_why(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        empty = LinearIntentClassifier.load({}, LocalModelStorage(tmp_path), Resource("missing"), None)
    assert read(empty, "j'ai pas reçu le code").get(INTENT) == {"name": None, "confidence": 0.0}
    assert "make train" in caplog.text


def test_saved_as_plain_data_and_loaded_with_the_very_same_scores(tmp_path):
    from nlu_components.linear_intents import ARRAYS_FILE, SETTINGS_FILE, load_model, save_model, tfidf_svm

    texts = ["bonjour", "jai pas recu le code", "au revoir", "le code est expiré", "merci"]
    labels = ["saluer", "code_non_recu", "au_revoir", "code_expire", "remercier"]
    model = tfidf_svm().fit(texts * 2, labels * 2)
    save_model(model, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([ARRAYS_FILE, SETTINGS_FILE])
    loaded = load_model(tmp_path)
    probe = ["bonjour !", "code pas reçu", "il est expiré", "xyz"]
    assert np.array_equal(loaded.decision_function(probe), model.decision_function(probe))
    assert list(loaded.predict(probe)) == list(model.predict(probe))


def test_one_message_at_a_time_the_direct_scores_are_scikit_learn_scores(classifier):
    """DirectScorer (what `process` uses) against scikit-learn's own decision_function, on every
    held-out message and odd ones: the same scores to rounding, the same ranking; and the loaded
    coefficients are laid out so that neither copies them (`coef_.T` C-contiguous)."""
    from nlu_components.linear_intents import DirectScorer

    model = classifier.model
    assert model.steps[-1][1].coef_.T.flags["C_CONTIGUOUS"]
    direct = DirectScorer.for_model(model)
    assert direct is not None and classifier._direct is not None
    texts = [m.get(TEXT) for m in load_data(str(ROOT / "tests" / "nlu")).intent_examples]
    texts += ["", "?", "🙂🙂", "<b>code</b>", "x" * 5000, "CODE NON REÇU !!!", "zzzz qqqq"]
    for text in texts:
        ours, sklearns = direct.scores(text), model.decision_function([text])[0]
        assert np.allclose(ours, sklearns, rtol=0, atol=1e-12), text
        assert list(np.argsort(-ours, kind="stable")[:5]) == list(np.argsort(-sklearns, kind="stable")[:5]), text


def test_a_model_the_direct_scorer_does_not_know_goes_through_scikit_learn():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from nlu_components.linear_intents import DirectScorer, tfidf_features

    assert DirectScorer.for_model(make_pipeline(tfidf_features(), LogisticRegression())) is None  # not fitted
    assert DirectScorer.for_model(object()) is None
