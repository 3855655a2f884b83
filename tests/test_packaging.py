"""Packaging: every pin of the requirements files is the one of requirements.lock, so the action
server image (requirements-actions.txt), the Rasa server image (requirements.txt) and `make setup`
(the project's `dev` extra) install the same versions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)$")


def pins(path: Path) -> Dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = PIN.match(line)
        assert match, f"{path.name}: not a pin: {line!r}"
        found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return found


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-actions.txt", "requirements-dev.txt"])
def test_every_requirement_is_pinned_as_in_the_lock(name):
    lock = pins(ROOT / "requirements.lock")
    wanted = pins(ROOT / name)
    assert wanted
    different = {pkg: (version, lock.get(pkg)) for pkg, version in wanted.items() if lock.get(pkg) != version}
    assert not different, f"{name} pins that differ from requirements.lock (pin, lock): {different}"


def test_the_action_server_set_is_part_of_the_runtime_lock_without_rasa():
    actions = pins(ROOT / "requirements-actions.txt")
    assert "rasa" not in actions and "tensorflow" not in actions
    assert "rasa-sdk" in actions
