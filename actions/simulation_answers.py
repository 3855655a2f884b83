"""Answers of the sandbox exercises (account creation, login, mailbox, « Mon agenda »).

Like actions/answers.py, RESPONSES here become responses of domain.yml (`make domain`).
Rules and their French wording for refusals live in actions/sandbox (policy.py, messages.py).
"""
from __future__ import annotations

from typing import Any, Dict, List

RESPONSES: Dict[str, List[Dict[str, Any]]] = {}
