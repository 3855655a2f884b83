"""Shared fixtures and helpers to run Rasa actions (the project is installed: `make setup`)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

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
