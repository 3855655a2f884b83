"""server_ext.log_copies: Rasa's debug-only deep copies are made only when debug lines are written."""

from __future__ import annotations

import ast
import importlib
import inspect
import logging

import pytest
import structlog
from rasa.utils.log_utils import configure_structlog

from server_ext import log_copies


@pytest.fixture
def structlog_level():
    """Configure structlog as `rasa run` does, at a given level; the previous configuration is restored."""
    saved = structlog.get_config()
    yield lambda level: configure_structlog(level)
    structlog.configure(**saved)


def _inside_debug_call(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "debug"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "structlogger"
        ):
            return True
    return False


@pytest.mark.parametrize("name", log_copies.MODULES)
def test_every_copy_in_the_modules_only_feeds_a_debug_line(name):
    """What makes the shortcut safe: a Rasa upgrade adding a real `copy.` use in one of them fails here."""
    tree = ast.parse(inspect.getsource(importlib.import_module(name)))
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    uses = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "copy"
    ]
    assert uses, name  # control: the module does deep-copy for its debug lines
    assert [ast.unparse(u) for u in uses if not _inside_debug_call(u, parents)] == []
    # `copy` is the module imported at the top, never another name bound later
    assert not [
        n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "copy" and isinstance(n.ctx, ast.Store)
    ]


def test_no_copy_when_debug_lines_are_dropped(structlog_level):
    structlog_level(logging.INFO)  # `rasa run`'s default
    states = [{"user": {"intent": "saluer"}, "slots": {"sujet": (1.0,)}}]
    assert log_copies.LogCopies().deepcopy(states) is states


def test_a_real_copy_when_debug_lines_are_written(structlog_level):
    structlog_level(logging.DEBUG)  # `rasa run --debug`
    states = [{"user": {"intent": "saluer"}, "slots": {"sujet": (1.0,)}}]
    copied = log_copies.LogCopies().deepcopy(states)
    assert copied == states and copied is not states and copied[0]["user"] is not states[0]["user"]


def test_installed_in_each_module_and_other_copy_functions_unchanged():
    log_copies.install()
    log_copies.install()  # idempotent
    import copy

    for name in log_copies.MODULES:
        module = importlib.import_module(name)
        assert isinstance(module.copy, log_copies.LogCopies)
        assert module.copy.copy is copy.copy
