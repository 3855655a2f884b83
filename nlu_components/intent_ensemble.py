"""IntentEnsemble: DIET's intent ranking averaged with a TF-IDF + logistic regression classifier's.

Why: on the same 5 cross-validation folds (round-4 data, 5,220 examples) DIET and a TF-IDF +
logistic regression model are about as good (macro-F1 0.941 and 0.937) but wrong on different
messages: of DIET's 347 errors, the linear model gets 239 right, and it is wrong on 212 messages
DIET gets right; both are wrong on only 108. DIET reads the sentence (spaCy's tok2vec, lemmas, a
transformer layer); the linear model weighs every word and character n-gram of the whole training
data. Averaging their probabilities keeps what each gets right when the other hesitates
(docs/nlu-evaluation.md, "Round 5").

Runs right after DIET (config.yml), before the FallbackClassifier, which then judges the averaged
confidence. DIET still extracts the entities. At training time the linear model is fitted on the
same examples as DIET and saved with skops (Rasa's own way to save scikit-learn models, no pickle).
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

MODEL_FILE = "tfidf_intents.skops"
# The only type of the saved model that skops does not trust by default (TfidfTransformer keeps its
# idf weights in a sparse matrix). Any other unknown type: the file is not loaded.
TRUSTED_TYPES = ["scipy.sparse._csr.csr_matrix"]


def tfidf_model(c: float = 10.0):
    """Word 1-2-grams and character 2-5-grams (TF-IDF), logistic regression.

    Also the "TF-IDF" baseline of `make bench` (bench/nlu.py).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    return make_pipeline(
        make_union(
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        ),
        LogisticRegression(C=c, max_iter=2000),
    )


def combine(
    diet_ranking: List[Dict[str, Any]],
    linear: Dict[str, float],
    diet_weight: float,
    ranking_length: int = LABEL_RANKING_LENGTH,
) -> List[Dict[str, Any]]:
    """Weighted mean of two intent distributions, best first (an intent one of them lacks counts 0)."""
    diet = {r["name"]: float(r.get("confidence") or 0.0) for r in diet_ranking if r.get("name")}
    names = set(diet) | set(linear)
    scores = {n: diet_weight * diet.get(n, 0.0) + (1.0 - diet_weight) * linear.get(n, 0.0) for n in names}
    ranking = sorted(
        ({"name": n, "confidence": s} for n, s in scores.items()), key=lambda r: (-r["confidence"], r["name"])
    )
    return ranking[:ranking_length] if ranking_length > 0 else ranking


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class IntentEnsemble(GraphComponent):
    """Averages the intent ranking already on a message (DIET's) with a TF-IDF linear model's."""

    model_file = MODEL_FILE  # the saved linear model, in the component's resource
    without_model = "DIET alone decides"  # logged when the saved model cannot be read

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "diet_weight": 0.5,  # share of DIET in the mean; the linear model has the rest
            "C": 10.0,  # inverse regularisation of the logistic regression
            "ranking_length": LABEL_RANKING_LENGTH,
        }

    def __init__(
        self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, model: Optional[Any] = None
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "IntentEnsemble":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "IntentEnsemble":
        import skops.io as sio
        from skops.io.exceptions import UntrustedTypesFoundException

        try:
            with model_storage.read_from(resource) as directory:
                path = directory / cls.model_file
                # one read of the file: skops refuses it when it holds a type outside TRUSTED_TYPES
                return cls(config, model_storage, resource, sio.load(path, trusted=TRUSTED_TYPES))
        except UntrustedTypesFoundException as error:
            logger.warning("%s: unexpected types in the saved model (%s): %s", cls.__name__, error, cls.without_model)
            return cls(config, model_storage, resource)
        except (ValueError, FileNotFoundError):
            return cls(config, model_storage, resource)  # nothing saved: DIET alone decides

    def train(self, training_data: TrainingData) -> Resource:
        import skops.io as sio

        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        if len({m.get(INTENT) for m in examples}) < 2:  # logistic regression needs two classes
            return self._resource
        model = self.build_model()
        model.fit([m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples])
        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(model, directory / self.model_file)
        self.model = model
        return self._resource

    def build_model(self) -> Any:
        return tfidf_model(self._config["C"])

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None:
            return messages
        todo = [m for m in messages if m.get(TEXT) and m.get(INTENT_RANKING_KEY)]
        if not todo:
            return messages
        probabilities = self.model.predict_proba([m.get(TEXT) for m in todo])
        classes = [str(c) for c in self.model.classes_]
        for message, row in zip(todo, probabilities):
            ranking = combine(
                message.get(INTENT_RANKING_KEY),
                dict(zip(classes, map(float, row))),
                self._config["diet_weight"],
                self._config["ranking_length"],
            )
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
