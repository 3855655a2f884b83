"""The layers, as Python sees them: what each package imports, and that importing does no work.

    common          no Rasa, no SQLAlchemy, nothing of the project       (what every layer shares)
    nlu_components  Rasa's NLU + common; never the action server, the sandbox or SQLAlchemy
    actions         rasa_sdk + common + its own packages (sandbox, locator)
    server_ext      Rasa + common + nlu_components' pure vocabulary; never the action server, not even
                    when it renders (the answers it says come from files `make domain` writes)

Each check runs in a fresh interpreter: what another test imported first cannot hide a leak.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parent.parent
NLU_MODULES = sorted(f"nlu_components.{p.stem}" for p in (ROOT / "nlu_components").glob("*.py") if p.stem != "__init__")
COMMON_MODULES = sorted(f"common.{p.stem}" for p in (ROOT / "common").glob("*.py") if p.stem != "__init__")


def fresh_python(code: str, env: Dict[str, str] | None = None) -> dict:
    """Run `code` in a new interpreter at the repository root; it prints one JSON value, returned."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore", **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def imported_by_each(modules: List[str], watched: List[str]) -> Dict[str, List[str]]:
    """For each module, in order: the watched packages that importing it brought in."""
    code = f"""
import importlib, json, sys
watched = {watched!r}
def present():
    return {{w for w in watched if any(m == w or m.startswith(w + ".") for m in sys.modules)}}
out = {{}}
for name in {modules!r}:
    before = present()
    importlib.import_module(name)
    out[name] = sorted(present() - before)
out["_all"] = sorted(present())
print(json.dumps(out))
"""
    return fresh_python(code)


def test_every_module_is_listed():
    assert "nlu_components.input_guard" in NLU_MODULES and len(NLU_MODULES) >= 8
    assert {"common.secret_detector", "common.settings", "common.redaction"} <= set(COMMON_MODULES)


# Rasa's own CRFEntityExtractor (config.yml) imports rasa.nlu.test, hence Rasa's agent and tracker
# stores, hence SQLAlchemy: imported first, so that only what our modules add is counted.
RASA_PIPELINE_MODULES = ["rasa.nlu.extractors.crf_entity_extractor"]


def test_the_nlu_components_never_import_the_action_server_the_sandbox_or_sqlalchemy():
    """Loading the NLU model imports these modules in the Rasa server: nothing of the actions, and
    no SQLAlchemy beyond what Rasa's own components of the pipeline bring."""
    watched = ["sqlalchemy", "actions", "actions.sandbox", "server_ext", "rasa_sdk"]
    found = imported_by_each(RASA_PIPELINE_MODULES + NLU_MODULES, watched)
    assert found["rasa.nlu.extractors.crf_entity_extractor"] == ["sqlalchemy"]  # Rasa's, not ours
    assert all(found[name] == [] for name in NLU_MODULES), found
    assert found["_all"] == ["sqlalchemy"], found


SERVER_EXT_MODULES = sorted(f"server_ext.{p.stem}" for p in (ROOT / "server_ext").glob("*.py") if p.stem != "__init__")
# What the Rasa server must never load for server_ext: the action server's code (its sandbox, with its
# database, is in actions/). SQLAlchemy is allowed: Rasa's own SQL tracker store uses it.
NOT_IN_THE_RASA_SERVER = ["actions", "rasa_sdk", "nlu_components.input_guard"]


def imports_in(path: Path) -> List[str]:
    """Every module a source file imports, at the top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
    return found


def test_the_rasa_server_extensions_never_import_the_action_server():
    """server_ext runs in the Rasa server: importing it brings in nothing of the action server."""
    found = imported_by_each(SERVER_EXT_MODULES, NOT_IN_THE_RASA_SERVER)
    assert found["_all"] == [], found


def test_no_line_of_server_ext_imports_the_action_server_not_even_inside_a_function():
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "server_ext").rglob("*.py"))
        for name in imports_in(path)
        if any(name == w or name.startswith(w + ".") for w in NOT_IN_THE_RASA_SERVER)
    ]
    assert offenders == []


def test_the_response_generator_renders_without_the_action_server():
    """Rendering every path of server_ext/nlg.py (a definition, a repeat replaced by a question,
    a word explained, a give-up) loads nothing of the action server."""
    code = f"""
import asyncio, json, sys
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from server_ext.nlg import MARK, NoRepeatGenerator

domain = Domain.load("domain.yml")
generator = NoRepeatGenerator(None, domain)
texts = []
def say(events, action):
    tracker = DialogueStateTracker.from_events("someone", events, slots=domain.slots)
    response = asyncio.run(generator.generate(action, tracker, "rest")) or {{}}
    texts.append(response.get(MARK) or response.get("text", "")[:20])
    return response
say([UserUttered("c quoi un rib", intent={{"name": "definir"}})], "utter_definir")
answer = say([UserUttered("je veux créer un compte")], "utter_creer_compte")["text"]
bubble = BotUttered(answer)
question = BotUttered("Qu'est-ce qui vous bloque ?", metadata={{MARK: "question"}})
first = [SlotSet("sujet", "creer_compte"), UserUttered("créer un compte"), bubble, ActionExecuted("action_listen")]
say(first + [UserUttered("comment on fait un compte ameli")], "utter_creer_compte")
say(first + [UserUttered("un compte mais jai pas de rib")], "utter_creer_compte")
say(first[:3] + [question, ActionExecuted("action_listen"), UserUttered("ouvrir un compte ameli")], "utter_creer_compte")
watched = {NOT_IN_THE_RASA_SERVER!r}
loaded = sorted(w for w in watched if any(m == w or m.startswith(w + ".") for m in sys.modules))
print(json.dumps({{"texts": texts, "loaded": loaded}}))
"""
    out = fresh_python(code)
    assert out["texts"][2:] == ["question", "definition", "give_up"], out
    assert out["texts"][0].startswith("Le RIB"), out
    assert out["loaded"] == [], out


def test_common_imports_neither_rasa_nor_sqlalchemy_nor_the_other_layers():
    found = imported_by_each(
        COMMON_MODULES,
        ["rasa", "rasa_sdk", "sqlalchemy", "sanic", "actions", "server_ext", "nlu_components", "web"],
    )
    assert found["_all"] == [], found


def test_importing_the_code_does_no_work():
    """No thread, no database, no log redaction on import: every module of the action server
    (imported and registered as `rasa run actions` does), the Rasa server's extensions and the
    web server. The entry points do that work when they start (next test)."""
    code = """
import importlib, json, logging, pkgutil, threading
import server_ext, web
from rasa_sdk.executor import ActionExecutor
executor = ActionExecutor()
executor.register_package("actions")  # every submodule, every action built, as rasa_sdk does
for package in (server_ext, web):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
from common import log_redaction
print(json.dumps({
    "actions": len(executor.actions),
    "threads": sorted(t.name for t in threading.enumerate()),
    "log_redaction": log_redaction.installed(),
}))
"""
    database = ROOT / "var" / "test-layers-never-created.sqlite3"
    out = fresh_python(code, {"SANDBOX_DATABASE_URL": f"sqlite:///{database}"})
    assert out["actions"] >= 30  # registered: the import really ran
    assert out["threads"] == ["MainThread"]
    assert out["log_redaction"] is False
    assert not database.exists() and not database.with_suffix(".key").exists()


def test_the_action_server_start_hook_redacts_the_logs_and_builds_the_locator():
    """rasa_sdk finds rasa_sdk_plugins when `rasa run actions` starts; its hook adds a listener
    that installs the log redaction and starts building the France Services index."""
    code = """
import asyncio, json, logging, threading
from rasa_sdk.plugin import plugin_manager

class App:  # what the hook needs of the Sanic app
    listeners = []
    def register_listener(self, listener, event):
        self.listeners.append((listener, event))

app = App()
plugin_manager().hook.attach_sanic_app_extensions(app=app)
events = [event for _listener, event in app.listeners]
from common import log_redaction
before = log_redaction.installed()
for listener, _event in app.listeners:
    asyncio.run(listener(app, None))
record = logging.getLogger("test").makeRecord("test", logging.INFO, "f", 1, "code %s", ("482615",), None)
print(json.dumps({
    "events": events,
    "before": before,
    "after": log_redaction.installed(),
    "message": record.getMessage(),
    "threads": [t.name for t in threading.enumerate()],
}))
"""
    out = fresh_python(code)
    assert out["events"] == ["before_server_start", "after_server_start"]  # the start, then common/heap.py
    assert out["before"] is False and out["after"] is True
    assert "482615" not in out["message"] and "[masqué]" in out["message"]
    assert "locator-warm-up" in out["threads"]
