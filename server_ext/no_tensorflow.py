"""Rasa without TensorFlow when nothing needs it (issue 16): installed by scripts/rasa_cli.py.

Two things made a Rasa process import TensorFlow although the model has no TensorFlow component:
1. `rasa.utils.train_utils`, imported by Rasa's agent and CRF extractor modules: deferred by
   common/lazy_imports.py (the figures and the details are there);
2. loading a model reads its metadata, whose *train* schema names the class of every training node,
   Rasa's DefaultV1RecipeValidator among them: its module imports DIETClassifier, ResponseSelector and
   TEDPolicy, hence TensorFlow, and `GraphSchema.from_dict` imports every class it names. Serving
   reads only the predict schema; the train schema of a loaded model is kept as data (Rasa 3.6 never
   reads it back: training builds its own schema from config.yml). Here a loaded model's train schema
   is a `DeferredGraphSchema`: its classes are imported the first time its `nodes` are read, and it
   then equals the schema Rasa would have built.

A model that does use TensorFlow (DIET, TED...) imports it while its predict schema is built, as
before; `rasa train` and `rasa test` import it when they train or run such a component.
Nothing happens on import; `install()` is idempotent.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, Optional, Text

from rasa.engine.graph import GraphSchema
from rasa.engine.storage.storage import ModelMetadata

from common import lazy_imports

_rasa_from_dict: Optional[Any] = None  # ModelMetadata.from_dict as Rasa wrote it, once installed


class DeferredGraphSchema(GraphSchema):
    """Rasa's GraphSchema read from `serialized` (`schema.as_dict()`) when its `nodes` are first read."""

    def __init__(self, serialized: Dict[Text, Any]) -> None:  # not the dataclass's __init__
        self._serialized = copy.deepcopy(serialized)  # GraphSchema.from_dict changes what it reads

    def __getattr__(self, name: str) -> Any:  # only while `nodes` is not set
        if name != "nodes" or "_serialized" not in self.__dict__:
            raise AttributeError(name)
        self.nodes = GraphSchema.from_dict(self.__dict__.pop("_serialized")).nodes
        return self.nodes

    def __eq__(self, other: object) -> bool:  # the dataclass's __eq__ wants the very same class
        return isinstance(other, GraphSchema) and self.nodes == other.nodes

    __hash__ = None  # type: ignore[assignment]  # as the dataclass's

    def __repr__(self) -> str:  # a log line or a debugger does not import the classes
        if "_serialized" in self.__dict__:
            return f"DeferredGraphSchema(nodes not read yet: {', '.join(self._serialized['nodes'])})"
        return f"DeferredGraphSchema(nodes={self.nodes!r})"


def install() -> None:
    """Defer train_utils (common/lazy_imports.py) and make loaded train schemas deferred (idempotent).

    Call `lazy_imports.install()` before anything imports Rasa's agent (scripts/rasa_cli.py does it
    first thing); this module's own imports (Rasa's graph and storage) never import train_utils."""
    global _rasa_from_dict
    lazy_imports.install()
    if _rasa_from_dict is not None:
        return
    _rasa_from_dict = ModelMetadata.from_dict.__func__  # type: ignore[attr-defined]

    def from_dict(cls: type, serialized: Dict[Text, Any]) -> ModelMetadata:
        # Rasa's own code, with an empty train schema in place of the model's, then the deferred one
        metadata = _rasa_from_dict(cls, {**serialized, "train_schema": {"nodes": {}}})
        metadata.train_schema = DeferredGraphSchema(serialized["train_schema"])
        return metadata

    from_dict.__doc__ = ModelMetadata.from_dict.__doc__
    ModelMetadata.from_dict = classmethod(from_dict)  # type: ignore[assignment]
