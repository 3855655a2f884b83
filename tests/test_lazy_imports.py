"""Rasa without TensorFlow when nothing needs it (issue 16): common/lazy_imports.py (deferred modules)
and server_ext/no_tensorflow.py (a loaded model's train schema read on first use).

The mechanism is checked on a throwaway package; the Rasa server's case in a fresh interpreter that
installs both as scripts/rasa_cli.py does, loads the trained model and answers: no TensorFlow.
"""

from __future__ import annotations

import ast
import copy
import importlib
import importlib.util
import inspect
import sys
import textwrap
from pathlib import Path

import pytest

from common import lazy_imports
from tests.test_layers import fresh_python

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "deferred_probe_pkg"


@pytest.fixture
def probe(tmp_path, monkeypatch):
    """A package whose module `heavy` counts its runs (in `sys.probe_runs`), deferred with a stand-in
    `light`; everything removed afterwards."""
    pkg = tmp_path / PACKAGE
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "heavy.py").write_text(
        textwrap.dedent(
            """
            import sys
            sys.probe_runs.append(__name__)
            if getattr(sys, "probe_fail", False):
                raise RuntimeError("heavy failed")
            VALUE = 42
            def light():
                return "real"
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "probe_runs", [], raising=False)
    finder = lazy_imports.DeferredImportFinder({f"{PACKAGE}.heavy": {"light": lambda: "stand-in"}})
    sys.meta_path.insert(0, finder)
    yield sys.probe_runs
    sys.meta_path.remove(finder)
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]


def test_a_deferred_module_runs_on_first_use_only(probe):
    import deferred_probe_pkg.heavy as heavy

    assert probe == [] and type(heavy) is lazy_imports.DeferredModule
    # what the import system reads, and importing again (Rasa imports train_utils twice): not a use
    import deferred_probe_pkg.heavy  # noqa: F401
    from deferred_probe_pkg import heavy as again

    assert again is heavy and heavy.__name__ == f"{PACKAGE}.heavy" and heavy.__spec__ is not None
    assert not hasattr(heavy, "__path__") and probe == []
    assert heavy.light() == "stand-in" and probe == []  # the stand-in needs no run
    assert heavy.VALUE == 42 and probe == [f"{PACKAGE}.heavy"]  # first real use: it runs, once
    assert heavy.light() == "real" and heavy.VALUE == 42 and probe == [f"{PACKAGE}.heavy"]
    assert type(heavy) is type(sys)
    assert importlib.import_module(f"{PACKAGE}.heavy") is heavy


def test_from_import_of_a_name_is_a_use(probe):
    from deferred_probe_pkg.heavy import VALUE

    assert VALUE == 42 and len(probe) == 1


def test_what_is_set_before_the_run_wins_as_with_lazyloader(probe):
    import deferred_probe_pkg.heavy as heavy

    heavy.VALUE = 7  # a test's patch of the empty module: not a use
    assert heavy.VALUE == 7 and probe == []
    assert heavy.sys is sys and len(probe) == 1  # a use: it runs
    assert heavy.VALUE == 7 and heavy.light() == "real"  # the patch kept, the stand-in replaced


def test_a_failing_module_raises_on_use_and_runs_again_next_time(probe):
    import deferred_probe_pkg.heavy as heavy

    sys.probe_fail = True  # type: ignore[attr-defined]
    try:
        with pytest.raises(RuntimeError, match="heavy failed"):
            _ = heavy.VALUE
    finally:
        del sys.probe_fail  # type: ignore[attr-defined]
    assert heavy.VALUE == 42 and len(probe) == 2


def test_install_is_idempotent_and_uninstall_removes_it():
    had = [f for f in sys.meta_path if isinstance(f, lazy_imports.DeferredImportFinder)]
    try:
        first = lazy_imports.install()
        assert lazy_imports.install() is first and sys.meta_path.count(first) == 1
        lazy_imports.uninstall()
        assert not any(isinstance(f, lazy_imports.DeferredImportFinder) for f in sys.meta_path)
    finally:
        sys.meta_path[:0] = had


def _function_ast(source: str, name: str) -> str:
    node = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef) and n.name == name)
    body = node.body[1:] if isinstance(node.body[0], ast.Expr) else node.body  # without the docstring
    return ast.dump(ast.Module(body=[ast.FunctionDef(node.name, node.args, body, [], None)], type_ignores=[]))


def test_the_stand_in_is_rasas_own_code():
    """init_split_entities (read by every CRF extractor when the model loads) is a copy of Rasa's:
    the same arguments and the same statements, read from Rasa's file without importing it."""
    spec = importlib.util.find_spec("rasa.utils.train_utils")
    assert spec is not None and spec.origin
    rasa_source = Path(spec.origin).read_text(encoding="utf-8")
    ours = inspect.getsource(lazy_imports.init_split_entities)
    assert _function_ast(ours, "init_split_entities") == _function_ast(rasa_source, "init_split_entities")
    from rasa.shared.nlu.constants import SPLIT_ENTITIES_BY_COMMA

    assert lazy_imports.SPLIT_ENTITIES_BY_COMMA == SPLIT_ENTITIES_BY_COMMA
    stand_ins = lazy_imports.DEFERRED["rasa.utils.train_utils"]
    assert stand_ins == {"init_split_entities": lazy_imports.init_split_entities}


def test_a_deferred_train_schema_equals_rasas_once_read(trained_model):
    from server_ext.no_tensorflow import DeferredGraphSchema

    _, metadata = trained_model
    serialized = metadata.train_schema.as_dict()
    kept = copy.deepcopy(serialized)
    deferred = DeferredGraphSchema(serialized)
    assert "not read yet" in repr(deferred) and "nodes" not in vars(deferred)
    assert deferred == metadata.train_schema and deferred.nodes == metadata.train_schema.nodes
    assert deferred.as_dict() == kept and serialized == kept  # what it read is left as it was
    assert deferred.target_names == metadata.train_schema.target_names


def test_the_rasa_server_loads_the_model_and_answers_without_tensorflow():
    """As scripts/rasa_cli.py starts `rasa run`: the model loaded, messages parsed and answered, no
    TensorFlow imported; train_utils still deferred; the train schema read on demand."""
    code = """
import asyncio, json, sys
from common import lazy_imports
lazy_imports.install()
from server_ext import no_tensorflow
no_tensorflow.install()
from rasa.core.agent import Agent
from rasa.model import get_latest_model

agent = Agent.load(get_latest_model("models"))
async def talk():
    intents = [(await agent.parse_message(m))["intent"]["name"]
               for m in ["bonjour", "je n'ai pas reçu mon code", "une France Services à Voiron"]]
    answers = await agent.handle_text("bonjour", sender_id="t1")
    return intents, answers
intents, answers = asyncio.run(talk())
schema = agent.processor.model_metadata.train_schema
print(json.dumps({
    "intents": intents,
    "answered": bool(answers and answers[0].get("text")),
    "tensorflow": sorted(m for m in sys.modules if m == "tensorflow" or m.startswith(("tensorflow.", "keras"))),
    "train_utils": type(sys.modules["rasa.utils.train_utils"]).__name__,
    "train_schema": type(schema).__name__,
    "schema_read": "nodes" in vars(schema),
}))
"""
    found = fresh_python(code)
    assert found["intents"] == ["saluer", "code_non_recu", "france_services"], found
    assert found["answered"], found
    assert found["tensorflow"] == [], found
    assert found["train_utils"] == "DeferredModule" and found["train_schema"] == "DeferredGraphSchema", found
    assert found["schema_read"] is False, found
