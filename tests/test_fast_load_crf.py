"""FastLoadCRFEntityExtractor (nlu_components/fast_load_crf.py): trained as Rasa's CRFEntityExtractor,
loaded without training again, with the same entities; a model saved by Rasa's class still loads.

Trained on data/nlu/informer.yml (towns, postcodes, NIR, e-mails with their annotations), through
the featurizers config.yml puts before the CRF."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor
from rasa.nlu.featurizers.sparse_featurizer.lexical_syntactic_featurizer import LexicalSyntacticFeaturizer
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from nlu_components.fast_load_crf import FastLoadCRFEntityExtractor, model_file

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = ["une france services près de 38500", "j'habite à Guise", "mon mail c'est jean.dupont@gmail.com"]


def config(cls):
    return {**cls.get_default_config()}


def context(name):
    return ExecutionContext(GraphSchema({}), node_name=name)


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    """The components before the CRF, trained on the data, and the featurized training data."""
    storage = LocalModelStorage(tmp_path_factory.mktemp("front"))
    data = load_data(str(ROOT / "data" / "nlu" / "informer.yml"))
    regex_data = load_data(str(ROOT / "data" / "nlu" / "regex.yml"))
    data = data.merge(regex_data)
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    regex = RegexFeaturizer.create(config(RegexFeaturizer), storage, Resource("regex"), context("regex"))
    lexical = LexicalSyntacticFeaturizer.create(
        config(LexicalSyntacticFeaturizer), storage, Resource("lex"), context("lex")
    )
    tokenizer.process_training_data(data)
    regex.train(data)
    regex.process_training_data(data)
    lexical.train(data)
    lexical.process_training_data(data)

    def featurize(text):
        message = Message(data={TEXT: text})
        tokenizer.process([message])
        regex.process([message])
        lexical.process([message])
        return message

    return data, featurize


def entities(extractor, featurize):
    out = []
    for text in MESSAGES:
        message = featurize(text)
        extractor.process([message])
        out.append([(e["entity"], e["value"]) for e in message.get(ENTITIES, [])])
    return out


def test_loaded_without_training_again_with_the_same_entities(front, tmp_path, monkeypatch):
    data, featurize = front
    storage, resource = LocalModelStorage(tmp_path), Resource("crf")
    trained = FastLoadCRFEntityExtractor.create(config(CRFEntityExtractor), storage, resource, context("crf"))
    trained.train(data)
    with storage.read_from(resource) as model_dir:
        assert (model_dir / model_file("entity")).is_file()

    def no_training(*args, **kwargs):
        raise AssertionError("trained again at load")

    monkeypatch.setattr(CRFEntityExtractor, "train_model", classmethod(no_training))
    loaded = FastLoadCRFEntityExtractor.load(config(CRFEntityExtractor), storage, resource, context("crf"))
    expected = [[("code_postal", "38500")], [("commune", "Guise")], [("email", "jean.dupont@gmail.com")]]
    assert entities(trained, featurize) == expected
    assert entities(loaded, featurize) == expected


def test_a_model_saved_by_rasas_own_class_loads_rasas_way(front, tmp_path):
    data, featurize = front
    storage, resource = LocalModelStorage(tmp_path), Resource("crf")
    CRFEntityExtractor.create(config(CRFEntityExtractor), storage, resource, context("crf")).train(data)
    loaded = FastLoadCRFEntityExtractor.load(config(CRFEntityExtractor), storage, resource, context("crf"))
    assert entities(loaded, featurize)[1] == [("commune", "Guise")]


def test_nothing_saved_gives_an_extractor_that_finds_nothing(front, tmp_path):
    _, featurize = front
    loaded = FastLoadCRFEntityExtractor.load(
        config(CRFEntityExtractor), LocalModelStorage(tmp_path), Resource("missing"), context("crf")
    )
    assert entities(loaded, featurize) == [[], [], []]
