"""Deep copies made only for debug lines, made only when debug lines are written (issue 18).

Rasa 3.6 passes deep copies of the conversation's states, events and slots to its structlog debug
lines (`structlogger.debug("processor.actions.log", rasa_events=copy.deepcopy(events))`, ...): the
arguments are built before structlog looks at the level, so every predicted action deep-copied
its states and events, logged or not (about 8 % of the Rasa server's CPU on a form turn, cProfile
of the bench's « annuler »). In the four modules below every use of the `copy` module is such a
debug argument (tests/server_ext/test_log_copies.py reads their source to keep that true); each
module's `copy` is replaced by `LogCopies`, whose `deepcopy` copies as before when structlog writes
debug lines (`rasa run --debug`, `LOG_LEVEL=DEBUG`) and otherwise hands back the object the line
would have dropped anyway.

Only the Rasa server installs it (server_ext.channels); training and `rasa test` keep Rasa's code.
"""

from __future__ import annotations

import copy
import importlib
import logging
from typing import Any, Dict, Optional

# every `copy.` in these modules is an argument of a `structlogger.debug(...)` call
MODULES = (
    "rasa.core.processor",
    "rasa.core.policies.memoization",
    "rasa.core.policies.rule_policy",
    "rasa.core.actions.forms",
)
_debug_dropped: Dict[Any, bool] = {}


def debug_lines_dropped() -> bool:
    """True when structlog's configured logger drops debug lines (Rasa's filtering logger above DEBUG)."""
    import structlog

    wrapper = structlog.get_config().get("wrapper_class")
    known = _debug_dropped.get(wrapper)
    if known is None:
        known = _debug_dropped[wrapper] = any(
            wrapper is structlog.make_filtering_bound_logger(level)
            for level in (logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL)
        )
    return known


class LogCopies:
    """The `copy` module as those modules see it: deep copies only when they will be logged."""

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value: Any, memo: Optional[Dict[int, Any]] = None) -> Any:
        return value if debug_lines_dropped() else copy.deepcopy(value, memo)


def install() -> None:
    """Give each of MODULES a `LogCopies` as its `copy` (idempotent)."""
    for name in MODULES:
        module = importlib.import_module(name)
        if not isinstance(module.copy, LogCopies):
            module.copy = LogCopies()  # type: ignore[attr-defined]
