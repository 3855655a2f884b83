"""Conversations for the tests of the Rasa server's additions: every story of data/ and every
conversation test of tests/conversations, cut into turns, and what to compare of a tracker."""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

ROOT = Path(__file__).resolve().parents[2]


def stories(domain: Domain) -> Iterator[Tuple[str, list]]:
    """(name, events) of every story of data/ and every conversation test, in file order."""
    files = sorted((ROOT / "data").glob("*stories*.yml")) + sorted((ROOT / "tests" / "conversations").glob("*.yml"))
    for path in files:
        for step in YAMLStoryReader(domain).read_from_file(str(path)):
            if step.events:
                yield f"{path.name}: {step.block_name}", step.events


def turns(events) -> List[list]:
    """A story's events cut before each user message (the events of one Rasa turn each)."""
    out: List[list] = [[]]
    for event in events:
        if isinstance(event, UserUttered) and out[-1]:
            out.append([])
        out[-1].append(event)
    return [t for t in out if t]


def stamped(events) -> list:
    """Copies of `events` time-stamped now, in order (a story's events were made when it was read; Rasa
    keeps a session's rows by time stamp, so a turn must be younger than its session's start)."""
    out = []
    for event in events:
        event = copy.copy(event)
        event.timestamp = time.time()
        out.append(event)
    return out


def new_session() -> list:
    return [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]


def snapshot(tracker: DialogueStateTracker) -> Dict[str, Any]:
    return {
        "events": [e.as_dict() for e in tracker.events],
        "slots": tracker.current_slot_values(),
        "active_loop": tracker.active_loop_name,
        "latest_action": tracker.latest_action,
        "followup": tracker.followup_action,
        "paused": tracker.is_paused(),
        "latest_message": tracker.latest_message.text if tracker.latest_message else None,
        "latest_bot": tracker.latest_bot_utterance.text if tracker.latest_bot_utterance else None,
    }
