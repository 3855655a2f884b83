"""Fixtures for the sandbox tests: a FakeClock and a temporary SQLite file per test."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest
from sandbox_helpers import KEY, START

from actions.sandbox import FakeClock, Sandbox, policy


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheaper scrypt cost in tests (the cost is stored in each hash, so checks still work)."""
    monkeypatch.setattr(policy, "SCRYPT_N", 2**8)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'sandbox.sqlite3'}"


@pytest.fixture
def make_sandbox(db_url: str, clock: FakeClock) -> Iterator[Callable[..., Sandbox]]:
    """Build sandboxes on the test database; all are closed at the end."""
    made: list[Sandbox] = []

    def build(**kwargs) -> Sandbox:
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("spam_share", 0.0)
        kwargs.setdefault("secret_key", KEY)
        sandbox = Sandbox(kwargs.pop("url", db_url), **kwargs)
        made.append(sandbox)
        return sandbox

    yield build
    for sandbox in made:
        sandbox.close()


@pytest.fixture
def sb(make_sandbox) -> Sandbox:
    return make_sandbox()
