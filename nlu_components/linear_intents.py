"""LinearIntentClassifier: intents from a TF-IDF linear support-vector model, in a few seconds.

Why: on the same 5 folds, this model alone classifies the intents as well as DIET averaged with
a TF-IDF logistic regression did (macro-F1 0.92 both, 55 intents) but trains in ~3 s instead of
~8 minutes on 2 cores, and reads a message in well under a millisecond (docs/nlu-evaluation.md,
round 8). Word 1-2-grams carry the meaning, character 2-5-grams (within words) the typos, missing
accents and SMS spelling.

Confidences: a linear SVM gives scores, not probabilities; the ranking is the softmax of the scores
times `scale` (10: on the cross-validation folds the FallbackClassifier's 0.45 threshold and 0.1
ambiguity margin then set aside about 1 % of in-scope messages, as with the former pipeline).

It sets the intent and its ranking of every message; the FallbackClassifier after it judges the
confidence. Entities are the CRF's. At training time the model is fitted on the intent examples
and saved as plain data, no pickle: the vocabularies and settings in JSON, the idf weights and the
SVM's coefficients in a NumPy archive read with allow_pickle=False (`save_model`, `load_model`).
skops, which did this before, scans every scikit-learn type when imported: 16 s of the Rasa
server's start on 2 busy cores (py-spy, docs/nlu-evaluation.md round 9).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

SETTINGS_FILE = "linear_intents.json"  # the vectorizers' settings and vocabularies, the classes
ARRAYS_FILE = "linear_intents.npz"  # idf weights of each vectorizer, the SVM's coef_ and intercept_


def tfidf_features():
    """Word 1-2-grams and character 2-5-grams within words, TF-IDF: the model's features, and those
    of the logistic-regression baseline of `make bench` (bench/nlu.py)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    return make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
    )


def tfidf_svm(c: float = 2.0):
    """`tfidf_features()`, linear SVM (one against the rest): the pipeline's intent model, also the
    quick check of scripts/nlu_baseline.py."""
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    # liblinear shuffles the examples: a fixed seed makes training repeatable
    return make_pipeline(tfidf_features(), LinearSVC(C=c, random_state=0))


class DirectScorer:
    """The model's decision scores for one message, without building sparse matrices.

    For a short message scipy's sparse machinery (a matrix per vectorizer, the stack, the idf
    product, the normalisation, each with its format checks) cost about three times the arithmetic
    itself: 2.0 ms per message against 0.7 ms here (issue 18). Same vocabularies, same analyzers
    (scikit-learn's own), same formulas (count, 1 + log when sublinear, times idf, l2 norm per
    vectorizer, times the coefficients, plus the intercepts); only the order of the additions may
    differ, so scores agree to about 1e-15 and rankings are the same (tests/test_linear_intents.py).
    `for_model` gives None for any other model, which then goes through scikit-learn (`probabilities`)."""

    def __init__(self, vectorizers: Sequence[Any], coef: Any, intercept: Any) -> None:
        import numpy as np

        self.parts = []
        offset = 0
        for v in vectorizers:
            self.parts.append((v.build_analyzer(), v.vocabulary_, v.idf_, bool(v.sublinear_tf), offset))
            offset += len(v.vocabulary_)
        self.weights = np.ascontiguousarray(np.asarray(coef, dtype=float).T)  # (n-grams, intents)
        self.intercept = np.asarray(intercept, dtype=float)

    @classmethod
    def for_model(cls, model: Any) -> Optional["DirectScorer"]:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion, Pipeline

        steps = model.steps if isinstance(model, Pipeline) else ()
        union, last = (steps[0][1], steps[-1][1]) if len(steps) == 2 else (None, None)
        if not isinstance(union, FeatureUnion) or union.transformer_weights or getattr(last, "coef_", None) is None:
            return None
        vectorizers = [v for _, v in union.transformer_list]
        plain = all(type(v) is TfidfVectorizer and v.norm == "l2" and v.use_idf and not v.binary for v in vectorizers)
        if not plain or last.coef_.shape[0] == 1:  # two classes: one score, left to scikit-learn
            return None
        return cls(vectorizers, last.coef_, last.intercept_)

    def scores(self, text: str) -> Any:
        import numpy as np

        out = self.intercept.copy()
        for analyzer, vocabulary, idf, sublinear, offset in self.parts:
            counts: Dict[int, int] = {}
            for gram in analyzer(text):
                j = vocabulary.get(gram)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            index = np.fromiter(sorted(counts), dtype=np.intp, count=len(counts))
            tf = np.array([counts[j] for j in index], dtype=float)
            weight = ((np.log(tf) + 1.0) if sublinear else tf) * idf[index]
            weight /= np.sqrt(np.dot(weight, weight))
            out += weight @ self.weights[index + offset]
        return out


def probabilities(model: Any, texts: Sequence[str], scale: float) -> Any:
    """One row per text: the softmax of the model's scores times `scale` (columns: model.classes_)."""
    import numpy as np

    return softmax(np.asarray(model.decision_function(list(texts)), dtype=float), scale)


def softmax(raw: Any, scale: float) -> Any:
    """Rows of scores -> rows of probabilities: softmax of the scores times `scale`."""
    import numpy as np

    scaled = np.asarray(raw, dtype=float) * scale
    if scaled.ndim == 1:  # two classes: sklearn gives one score, for the second class
        scaled = np.stack([-scaled / 2, scaled / 2], axis=1)
    scaled -= scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)


def save_model(model: Any, directory: Path) -> None:
    """Write a fitted `tfidf_svm()` model to `directory` as JSON and a NumPy archive (no pickle)."""
    import numpy as np

    union, svm = model.steps[0][1], model.steps[-1][1]
    vectorizers = [vectorizer for _, vectorizer in union.transformer_list]
    settings = {
        "vectorizers": [
            {
                "analyzer": v.analyzer,
                "ngram_range": list(v.ngram_range),
                "sublinear_tf": v.sublinear_tf,
                "vocabulary": {term: int(index) for term, index in v.vocabulary_.items()},
            }
            for v in vectorizers
        ],
        "classes": [str(c) for c in svm.classes_],
        "C": svm.C,
    }
    (directory / SETTINGS_FILE).write_text(json.dumps(settings, ensure_ascii=False), encoding="utf-8")
    arrays = {f"idf_{i}": v.idf_ for i, v in enumerate(vectorizers)}
    np.savez(directory / ARRAYS_FILE, coef=svm.coef_, intercept=svm.intercept_, **arrays)


def load_model(directory: Path) -> Any:
    """The model `save_model` wrote: same vocabularies, weights and coefficients, so the same scores."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    settings = json.loads((directory / SETTINGS_FILE).read_text(encoding="utf-8"))
    with np.load(directory / ARRAYS_FILE, allow_pickle=False) as arrays:
        vectorizers = []
        for i, v in enumerate(settings["vectorizers"]):
            vectorizer = TfidfVectorizer(
                analyzer=v["analyzer"],
                ngram_range=tuple(v["ngram_range"]),
                sublinear_tf=v["sublinear_tf"],
                vocabulary=v["vocabulary"],
            )
            vectorizer.idf_ = arrays[f"idf_{i}"]  # also fixes the vocabulary given above
            vectorizers.append(vectorizer)
        svm = LinearSVC(C=settings["C"])
        # Fortran order: a message is scored as `X @ coef_.T` (X sparse), and scipy wants that dense
        # operand C-contiguous; `coef_.T` of a C-ordered coef_ is not, so each message copied the
        # whole intents x n-grams matrix (55 x ~40,000, 17 MB) first. Same numbers, same kernel.
        svm.coef_, svm.intercept_ = np.asfortranarray(arrays["coef"]), arrays["intercept"]
    svm.classes_ = np.array(settings["classes"])
    svm.n_features_in_ = svm.coef_.shape[1]
    return make_pipeline(make_union(*vectorizers), svm)


def ranking(classes: Sequence[str], row: Sequence[float], length: int = LABEL_RANKING_LENGTH) -> List[Dict[str, Any]]:
    """Intents with their confidence, best first (ties by name), at most `length` (0: all)."""
    items = sorted(
        ({"name": str(n), "confidence": float(p)} for n, p in zip(classes, row)),
        key=lambda r: (-r["confidence"], r["name"]),
    )
    return items[:length] if length > 0 else items


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(GraphComponent):
    """Sets the intent and the intent ranking of each message from the TF-IDF linear model."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "C": 2.0,  # inverse regularisation of the SVM (1 and 0.5 were slightly worse on the folds)
            "scale": 10.0,  # softmax temperature of the scores (module docstring)
            "ranking_length": LABEL_RANKING_LENGTH,
        }

    def __init__(
        self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, model: Optional[Any] = None
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model
        self._direct = DirectScorer.for_model(model) if model is not None else None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "LinearIntentClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                return cls(config, model_storage, resource, load_model(directory))
        except (ValueError, FileNotFoundError, KeyError) as error:
            logger.warning("%s: no saved model (%s): no intent is read, train again (make train)", cls.__name__, error)
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        if len({m.get(INTENT) for m in examples}) < 2:  # a classifier needs two classes
            return self._resource
        model = tfidf_svm(self._config["C"])
        model.fit([m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples])
        with self._model_storage.write_to(self._resource) as directory:
            save_model(model, directory)
        self.model = model
        self._direct = DirectScorer.for_model(model)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        import numpy as np

        todo = [m for m in messages if m.get(TEXT)] if self.model is not None else []
        for message in messages:
            if self.model is None or not message.get(
                TEXT
            ):  # as Rasa's classifiers do when they read nothing: no intent, 0
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        if not todo:
            return messages
        texts = [m.get(TEXT) for m in todo]
        if self._direct is not None:
            rows = softmax(np.stack([self._direct.scores(text) for text in texts]), self._config["scale"])
        else:
            rows = probabilities(self.model, texts, self._config["scale"])
        classes = [str(c) for c in self.model.classes_]
        for message, row in zip(todo, rows):
            ranked = ranking(classes, row, self._config["ranking_length"])
            message.set(INTENT, dict(ranked[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranked, add_to_output=True)
        return messages
