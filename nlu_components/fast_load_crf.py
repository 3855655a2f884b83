"""FastLoadCRFEntityExtractor: Rasa's CRFEntityExtractor, saved trained.

Why: Rasa 3.6's CRFEntityExtractor saves its training examples, not its model, and trains the CRF
again every time the model is loaded: about 15 s of the Rasa server's start on 2 busy cores, half of
it (py-spy of `rasa run`, docs/nlu-evaluation.md round 9). This subclass trains exactly as Rasa's
does and saves what Rasa saves, plus each trained CRF's own crfsuite model file; at load it opens
those files instead of training again. Same taggers, so the same entities.

A model without those files (trained by Rasa's own class) is loaded Rasa's way.
"""

from __future__ import annotations

import logging
import shutil
from collections import OrderedDict
from typing import Any, Dict, List, Text

import rasa.shared.utils.io
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor, CRFToken

logger = logging.getLogger(__name__)


def model_file(tag_name: str) -> str:
    """The saved crfsuite model of the CRF that predicts `tag_name` (entity, role or group)."""
    return f"crf_{tag_name}.crfsuite"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class FastLoadCRFEntityExtractor(CRFEntityExtractor):
    """Rasa's CRFEntityExtractor whose trained CRFs are saved and opened, not trained again at load."""

    def persist(self, dataset: List[List[CRFToken]]) -> None:
        super().persist(dataset)  # the examples and the order of the CRFs, as Rasa saves them
        with self._model_storage.write_to(self._resource) as model_dir:
            for tag_name, tagger in self.entity_taggers.items():
                shutil.copyfile(tagger.modelfile.name, model_dir / model_file(tag_name))

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CRFEntityExtractor:
        import sklearn_crfsuite

        try:
            with model_storage.read_from(resource) as model_dir:
                crf_order = rasa.shared.utils.io.read_json_file(model_dir / "crf_order.json")
                taggers = OrderedDict()
                for tag_name in crf_order:
                    path = model_dir / model_file(tag_name)
                    if not path.is_file():
                        raise FileNotFoundError(path)
                    tagger = sklearn_crfsuite.CRF(model_filename=str(path))
                    if tagger.tagger_ is None:  # opened now, while the model's directory is there for sure
                        raise FileNotFoundError(path)
                    taggers[tag_name] = tagger
        except (ValueError, FileNotFoundError):
            # nothing saved (no entity examples), or saved by Rasa's class: Rasa's own load
            return super().load(config, model_storage, resource, execution_context, **kwargs)
        extractor = cls(config, model_storage, resource, taggers)
        extractor.crf_order = crf_order
        return extractor
