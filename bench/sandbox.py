"""The sandbox's own costs: making a learner's world (goal < 50 ms on SQLite), part of `cost`."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Dict

from bench.settings import Settings, log, median_spread, save

WORLDS = 60


def run(settings: Settings) -> Dict[str, object]:
    """Time `Sandbox.ensure_world` for new conversations on a fresh SQLite file (production hashing)."""
    from actions.sandbox import Sandbox

    count = 5 if settings.smoke else WORLDS
    with tempfile.TemporaryDirectory() as tmp:
        sandbox = Sandbox(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", spam_share=0.0)
        try:
            sandbox.ensure_world("bench-warm-up")  # the engine's first connection
            seconds = []
            for i in range(count):
                start = time.perf_counter()
                sandbox.ensure_world(f"bench-learner-{i}")
                seconds.append(time.perf_counter() - start)
        finally:
            sandbox.close()
    result = {"world_creation_ms": median_spread([s * 1000 for s in seconds]), "worlds": count}
    log(f"sandbox: world creation median {result['world_creation_ms']['median']:.1f} ms over {count}")
    save(settings, "sandbox", result)
    return result
