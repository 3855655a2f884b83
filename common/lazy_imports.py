"""Deferred imports: a module listed here is imported empty and runs its code on first use.

Why: the model has no TensorFlow component any more (config.yml: CRF, linear SVM, memoization and
rules), yet `rasa run` imported TensorFlow, about 14 s of the 25 s that `import rasa.core.run` took on
this 2-core machine (`python -X importtime`), and `make run` gave its first answer after about 34 s.
Two routes led there. The first is one module, `rasa.utils.train_utils` (deferred here): its `import` of
`rasa.utils.tensorflow.callback` and `.data_generator` (classes derived from tf.keras classes, built
when the module runs). Rasa imports train_utils in `rasa.nlu.extractors.extractor` (the agent's
tracker featurizers import it) and `rasa.nlu.extractors.crf_entity_extractor`, and only needs it to
train or to run a TensorFlow component. The second is the train schema of a loaded model, whose
classes (Rasa's recipe validator, which imports DIET and TED) were imported when the model loaded:
server_ext/no_tensorflow.py reads it on first use.

What: `install()` puts a finder in front of `sys.meta_path`. A module of `DEFERRED` is then imported
as an empty module (its name, spec, file: what the import system reads), and its code runs, as an
ordinary import would, the first time anything else is read from it. Importing it again does not run
it (unlike `importlib.util.LazyLoader`, whose module runs as soon as the import system reads its
`__spec__`, which a second `import` statement does: Rasa imports train_utils twice). Whatever needs
TensorFlow (training DIET or TED, `rasa test`, a TensorFlow component in a model) reads train_utils
and so imports TensorFlow then, as before. Attributes set on the empty module before it runs (a
test's patch) are set again after it ran, as LazyLoader does.

One function of train_utils is read at load time by every CRFEntityExtractor (ours is
nlu_components.fast_load_crf): `init_split_entities`, which needs nothing of TensorFlow. The empty
module carries a copy of it (`DEFERRED`; tests/test_lazy_imports.py checks that its code is Rasa's),
replaced by Rasa's own when the module runs.

Who installs it: the entry points that start Rasa, explicitly (scripts/rasa_cli.py, hence
scripts/run.sh, shell.sh, train.sh, the Makefile, and the production stack), not a sitecustomize:
any other Python process imports as usual. The action server (rasa_sdk) never imported TensorFlow.

Measured on the 2-core machine, everything under `nice -n 19` while another engineer's benchmarks ran
(load average 1.8 to 3.4), before -> after (this module and server_ext/no_tensorflow.py installed):
    `python -X importtime -c "import rasa.core.run"`, sum:  26.1 s (TensorFlow 14.1 s) -> 12.4 s
    the Rasa server's CPU time until its first answer:       24 to 32 s -> 11 to 17 s
    TensorFlow libraries mapped in the Rasa server:          311 -> 0 (also `rasa shell`)
    `make run` to the first REST answer (« bonjour »), 5 interleaved pairs:
        before 65.1, 47.1, 59.6, 35.2, 42.4 s (median 47.1)
        after  38.5, 39.4, 36.9, 30.0, 22.2 s (median 36.9)
On that loaded machine, niced, the 20 s goal of issue 16 is not shown yet: what is left is mostly
other imports (scipy via scikit-learn, SQLAlchemy, Rasa's channels and stores) and the action server
starting on the other core at the same time.

Plain Python, no Rasa import (the layer of common/, tests/test_layers.py).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import threading
import types
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Text, Union

# Rasa's key of the CRF's split-entities setting (rasa.shared.nlu.constants.SPLIT_ENTITIES_BY_COMMA).
SPLIT_ENTITIES_BY_COMMA = "split_entities_by_comma"


def init_split_entities(
    split_entities_config: Union[bool, Dict[Text, Any]], default_split_entity: bool
) -> Dict[Text, bool]:
    """Rasa 3.6's rasa.utils.train_utils.init_split_entities, the same code (its test compares them):
    {entity type or "split_entities_by_comma": whether to split its values at commas}."""
    if isinstance(split_entities_config, bool):
        # All entities will be split according to `split_entities_config`
        split_entities_config = {SPLIT_ENTITIES_BY_COMMA: split_entities_config}
    else:
        # All entities not named in split_entities_config will be split
        # according to `split_entities_config`
        split_entities_config[SPLIT_ENTITIES_BY_COMMA] = default_split_entity
    return split_entities_config


# The deferred modules, and what each empty module already offers before it runs.
DEFERRED: Dict[str, Dict[str, Callable[..., Any]]] = {
    "rasa.utils.train_utils": {"init_split_entities": init_split_entities},
}

# Module attributes the import system and `importlib` read without meaning to use the module:
# reading one that the empty module lacks must not run it.
_IMPORT_METADATA = frozenset({"__path__", "__file__", "__cached__", "__loader__", "__package__", "__spec__"})
_lock = threading.RLock()


class DeferredModule(types.ModuleType):
    """A module whose code has not run yet: reading a missing attribute runs it (once)."""

    def __getattr__(self, name: str) -> Any:  # only for what the module's dict lacks
        if name in _IMPORT_METADATA:
            raise AttributeError(name)
        if not run_deferred(self):  # its code is running in this thread (a circular import)
            raise AttributeError(f"partially initialized module {self.__name__!r} has no attribute {name!r}")
        return getattr(self, name)

    def __dir__(self) -> Any:
        run_deferred(self)
        return types.ModuleType.__dir__(self)

    def __delattr__(self, name: str) -> None:
        run_deferred(self)
        types.ModuleType.__delattr__(self, name)


def run_deferred(module: types.ModuleType) -> bool:
    """Run a deferred module's code now, once (thread-safe). False when it is running in this thread."""
    with _lock:
        if type(module) is not DeferredModule:
            return True  # already ran (in another thread, or never deferred)
        state = module.__spec__.loader_state  # type: ignore[union-attr]
        if state["running"]:
            return False
        then = state["dict"]
        changed = {k: v for k, v in module.__dict__.items() if k not in then or then[k] is not v}
        state["running"] = True
        try:
            state["loader"].exec_module(module)
        except BaseException:
            module.__dict__.clear()  # empty again, as before the run: the next use runs it again
            module.__dict__.update({**then, **changed})
            raise
        finally:
            state["running"] = False
        module.__class__ = types.ModuleType  # type: ignore[assignment]  # an ordinary module from now on
        module.__dict__.update(changed)  # what was set on the empty module (a test's patch) wins
        return True


class _DeferringLoader(importlib.abc.Loader):
    def __init__(self, loader: importlib.abc.Loader, stand_ins: Mapping[str, Any]) -> None:
        self.loader = loader
        self.stand_ins = dict(stand_ins)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Optional[types.ModuleType]:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        """Leave the module empty (its stand-ins aside); it runs on first use (run_deferred)."""
        spec = module.__spec__
        assert spec is not None
        spec.loader = module.__loader__ = self.loader  # the module's own loader from now on
        module.__dict__.update(self.stand_ins)
        spec.loader_state = {"loader": self.loader, "dict": dict(module.__dict__), "running": False}
        module.__class__ = DeferredModule


class DeferredImportFinder(importlib.abc.MetaPathFinder):
    """Finds the modules of `deferred` with the other finders and defers their code."""

    def __init__(self, deferred: Mapping[str, Mapping[str, Any]]) -> None:
        self.deferred = {name: dict(stand_ins) for name, stand_ins in deferred.items()}

    def find_spec(
        self, fullname: str, path: Optional[Sequence[str]], target: Optional[types.ModuleType] = None
    ) -> Optional[importlib.machinery.ModuleSpec]:
        if fullname not in self.deferred:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is None or not hasattr(spec.loader, "exec_module"):
                    return spec  # nothing to defer (a namespace package, an old-style loader)
                spec.loader = _DeferringLoader(spec.loader, self.deferred[fullname])
                return spec
        return None


def install(deferred: Mapping[str, Mapping[str, Any]] = DEFERRED) -> DeferredImportFinder:
    """Defer the modules of `deferred` in this process (once; again: the finder already there).

    Call it before anything imports them: a module already imported stays as it is."""
    for finder in sys.meta_path:
        if isinstance(finder, DeferredImportFinder):
            return finder
    finder = DeferredImportFinder(deferred)
    sys.meta_path.insert(0, finder)
    return finder


def uninstall() -> None:
    """Stop deferring (the modules already deferred keep running on first use)."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, DeferredImportFinder)]
