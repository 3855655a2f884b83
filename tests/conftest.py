"""Shared fixtures: the repo root on sys.path, and helpers to run Rasa actions."""
from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The shared sheets and data sets (never committed): ../shared beside the repo, or
# wherever SHARED_DIR points (CI sets it when the clone lives elsewhere).
SHARED = Path(os.environ.get("SHARED_DIR") or ROOT.parent / "shared")


def locator_env(tmp: Path) -> Dict[str, str]:
    """Environment for a bot that finds France Services offline: the shared ANCT list and a
    writable copy of GeoNames. Empty when the shared data is absent (the bot then degrades)."""
    import shutil

    csv_file = SHARED / "data" / "france_services" / "liste-fs-20240801.csv"
    geonames = SHARED / "data" / "geonames"
    if not (csv_file.is_file() and geonames.is_dir()):
        return {}
    target = tmp / "pgeocode"
    shutil.copytree(geonames, target, dirs_exist_ok=True)
    return {"FRANCE_SERVICES_CSV": str(csv_file), "PGEOCODE_DATA_DIR": str(target)}


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
