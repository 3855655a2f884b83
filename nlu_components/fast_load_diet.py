"""FastLoadDIETClassifier: Rasa's DIETClassifier, trained the same way, loaded without a training step.

Why: Rasa 3.6 builds a saved DIET model's weights by *training it on one example* before reading
the weights from disk (`RasaModel.load` calls `model.fit`). TensorFlow then traces the whole
training step (the CRF entity loss, the gradients, the optimizer): about 85 % of the Rasa
server's start-up on this project's model (docs/benchmarks.md, "Notes on this run").

Here the weights are built by one *eager* prediction instead (no graph to trace), the saved
weights are read over them, and the prediction graph is traced once with the real weights — what
Rasa's own load does after its training step. Training, the saved files and every prediction are
unchanged (`tests/test_fast_load_diet.py` compares them with Rasa's load on the same model).
Fine-tuning (`rasa train --finetune`) keeps Rasa's load, which it needs for the optimizer.

Checked against Rasa 3.6.21 (`rasa/utils/tensorflow/models.py`, `RasaModel.load`): re-check on
a Rasa upgrade.
"""

from __future__ import annotations

from typing import Any, Optional, Text, Type

import tensorflow as tf
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel


class FastLoadDIET(DIET):
    """The DIET TensorFlow model, with a load that does not trace a training step."""

    @classmethod
    def load(
        cls,
        model_file_name: Text,
        model_data_example: RasaModelData,
        predict_data_example: Optional[RasaModelData] = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> "RasaModel":
        if finetune_mode or predict_data_example is None:  # Rasa's load: the optimizer is needed
            return super().load(
                model_file_name, model_data_example, predict_data_example, finetune_mode, *args, **kwargs
            )
        config = kwargs.get("config", {})
        model = cls(*args, **kwargs)
        model.compile(
            optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=config.get(RUN_EAGERLY)
        )
        traced = model._run_eagerly
        model._run_eagerly = True  # build every weight a prediction uses, without tracing a graph
        model.run_inference(predict_data_example)
        model._run_eagerly = traced
        # Only the prediction weights exist: the optimizer's slots in the file are not needed.
        model.load_weights(model_file_name).expect_partial()
        # The label embeddings were computed from the random weights: compute them again, and
        # trace the prediction graph once now (Rasa's load does the same after its fit).
        model.prepared_for_prediction = False
        model._tf_predict_step = None
        model.run_inference(predict_data_example)
        return model


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class FastLoadDIETClassifier(DIETClassifier):
    """DIETClassifier whose saved model loads with one prediction instead of one training step."""

    @staticmethod
    def model_class() -> Type[RasaModel]:
        return FastLoadDIET
