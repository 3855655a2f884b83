"""The session's shared bot (`rest_bot`, `bot`), and helpers to run Rasa actions (the project is
installed: `make setup`). Test tiers (`-m unit`, `rest`, `browser`, `prod`, `bench`) and the guard
that fails a run on an unexpected skip: tests/tiers.py."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

# The tiers and the skip guard (tests/tiers.py); pytester runs pytest on test files written by a test
pytest_plugins = ["tests.tiers", "pytester"]

ROOT = Path(__file__).resolve().parent.parent

# The shared sheets (never committed): ../shared beside the repo, or wherever SHARED_DIR
# points (CI sets it when the clone lives elsewhere). The France Services data is in the repo.
SHARED = Path(os.environ.get("SHARED_DIR") or ROOT.parent / "shared")


def locator_env(tmp: Path) -> Dict[str, str]:
    """Environment for a bot that finds France Services offline: the ANCT list shipped in
    actions/locator/data (named explicitly, so a newer list in var/data does not change the
    answers tests expect); GeoNames is read from the shipped snapshot by default."""
    from actions.locator.core import SNAPSHOT_CSV

    return {"FRANCE_SERVICES_CSV": str(SNAPSHOT_CSV)}


def make_tracker(
    text: str = "",
    intent: str = "",
    entities: Optional[List[Dict[str, Any]]] = None,
    ranking: Optional[List[Dict[str, Any]]] = None,
    slots: Optional[Dict[str, Any]] = None,
):
    """A rasa_sdk Tracker whose latest message is `text`, as the action server gets it."""
    from rasa_sdk import Tracker

    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities or [],
        "intent_ranking": ranking or [],
    }
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message=latest,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run_action(action, tracker, domain: Optional[Dict[str, Any]] = None):
    """Run a custom action (with `domain`, {} by default); return (messages sent, events returned)."""
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain or {}))
    return dispatcher.messages, events


@pytest.fixture
def tracker_factory():
    return make_tracker


@pytest.fixture
def run():
    return run_action


# ---------------------------------------------------------------- the shared REST bot


@dataclass
class RestBot:
    """The session's bot: a Rasa server and its action server, spoken to over REST."""

    url: str
    sandbox_url: str  # the sandbox's SQLite database (worlds, dossiers, mails)
    tracker_db: Path  # the tracker store's SQLite database (table `events`)
    log_dir: Path  # actions.log and rasa.log

    def logs(self) -> List[Path]:
        return sorted(self.log_dir.glob("*.log"))

    def log_sizes(self) -> Dict[Path, int]:
        """A mark in the servers' logs, to read what a test alone made them write."""
        return {path: path.stat().st_size for path in self.logs()}

    def logs_since(self, sizes: Dict[Path, int]) -> str:
        """What the servers logged since `log_sizes()` gave `sizes`."""
        out = []
        for path in self.logs():
            with path.open("rb") as handle:
                handle.seek(sizes.get(path, 0))
                out.append(handle.read().decode("utf-8", errors="replace"))
        return "\n".join(out)


# The production's redacting tracker store, on SQLite: every REST test runs on it, and the secret
# tests read what it wrote.
TRACKER_STORE = (
    "tracker_store:\n  type: server_ext.tracker_store.RedactingSQLTrackerStore\n  dialect: sqlite\n  db: {db}\n"
)


@pytest.fixture(scope="session")
def rest_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RestBot]:
    """One bot for every REST test of the session (each test talks as new senders, so each
    practises in its own sandbox world and conversation). Settings:
    - every sandbox mail lands in the spam folder (SANDBOX_SPAM_SHARE=1): where a mail lands is
      then known, and the exercises' tests check the harder case, a code in the spams;
    - France Services from the list shipped in the repo (`locator_env`);
    - the redacting tracker store on SQLite, its key given (TRACKER_SECRET_KEY);
    - a rate-limit burst that the secret corpus, typed by one sender in a row, does not reach.
    """
    from tests.servers import started_bot

    tmp = tmp_path_factory.mktemp("rest_bot")
    sandbox_url = f"sqlite:///{tmp / 'sandbox.sqlite3'}"
    env = {
        **locator_env(tmp),
        "SANDBOX_DATABASE_URL": sandbox_url,
        "SANDBOX_SPAM_SHARE": "1",
        "TRACKER_SECRET_KEY": "rest-tests-key-0123456789",
        "CHAT_RATE_BURST": "1000",
    }
    store = TRACKER_STORE.format(db=tmp / "tracker.db")
    with started_bot(tmp, env=env, endpoints_extra=store) as bot:
        yield RestBot(bot.url, sandbox_url, tmp / "tracker.db", tmp)


@pytest.fixture(scope="session")
def bot(rest_bot: RestBot) -> str:
    """The base URL of the session's shared bot (`rest_bot`)."""
    return rest_bot.url


# ---------------------------------------------------------------- the trained model, loaded once


@pytest.fixture(scope="session")
def trained_model(tmp_path_factory: pytest.TempPathFactory):
    """The trained model of models/ (`make train`), unpacked once for the session:
    (LocalModelStorage, ModelMetadata), as the Rasa server unpacks it."""
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    archives = sorted((ROOT / "models").glob("*.tar.gz"))
    assert archives, "no trained model in models/: run `make train` first"
    return LocalModelStorage.from_model_archive(tmp_path_factory.mktemp("model"), archives[-1])


@pytest.fixture(scope="session")
def predict_runner(trained_model):
    """The trained model's prediction graph with every component loaded, once for the session, as
    the Rasa server loads it (rasa.engine.loader.load_predict_graph_runner): (metadata, runner).
    Tests that change a node put it back."""
    from rasa.engine.graph import ExecutionContext
    from rasa.engine.runner.dask import DaskGraphRunner

    storage, metadata = trained_model
    schema = metadata.predict_schema
    runner = DaskGraphRunner.create(schema, storage, ExecutionContext(graph_schema=schema, model_id=metadata.model_id))
    return metadata, runner
