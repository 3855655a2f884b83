"""Trainer commands: python -m actions.sandbox COMMAND

    dossiers                       the demo dossiers to hand out (NIRs and cases)
    purge [DAYS]                   delete the worlds unused for DAYS days (default: 7, or
                                   SANDBOX_WORLD_RETENTION_DAYS); this also runs on its own
    worlds                         how many learner worlds exist
    reset CONVERSATION             one conversation's world back to the demo dossiers
    now CONVERSATION               the date in one conversation's world
    advance DURATION CONVERSATION  move one world's clock forward

DURATION: a number and a unit, e.g. 15m, 2h, 8d (also 8j). Workshops have their own page
(http://localhost:8080/atelier) to move the clock for a whole room. Uses SANDBOX_DATABASE_URL or
var/sandbox.sqlite3, like the bot. The command line is an adapter: its French comes from
actions/sandbox_answers.py, like the chat's.
"""

from __future__ import annotations

import re
import sys
from datetime import timedelta
from typing import List, Optional

from actions.sandbox_answers import say

from .appointments import local_label
from .demo import DEMO_PEOPLE
from .service import Sandbox

_UNITS = {"m": "minutes", "h": "hours", "d": "days", "j": "days"}


def parse_duration(text: str) -> Optional[timedelta]:
    """'15m' -> 15 minutes, '2h' -> 2 hours, '8d' or '8j' -> 8 days; None if unreadable."""
    match = re.fullmatch(r"\s*(\d+)\s*([mhdj])\s*", text.lower())
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))}) if match else None


def _days(argv: List[str]) -> Optional[timedelta]:
    if not argv:
        return None
    if not re.fullmatch(r"\d+(\.\d+)?", argv[0]) or float(argv[0]) <= 0:
        raise ValueError(argv[0])
    return timedelta(days=float(argv[0]))


def main(argv: List[str]) -> int:
    command, args = (argv[0], argv[1:]) if argv else ("dossiers", [])
    if command == "dossiers" and not args:
        for person in DEMO_PEOPLE:
            print(f"{person.first_name + ' ' + person.last_name:<14} {person.nir}  {person.case}")
        return 0
    sandbox = Sandbox()
    try:
        if command == "purge" and len(args) <= 1:
            try:
                print(say(sandbox.purge(_days(args))))
            except ValueError:
                print(__doc__)
                return 2
        elif command == "worlds" and not args:
            print(sandbox.count_worlds())
        elif command == "reset" and len(args) == 1:
            print(say(sandbox.reset(args[0])))
        elif command == "now" and len(args) == 1:
            print(local_label(sandbox.now(args[0])))
        elif command == "advance" and len(args) == 2 and parse_duration(args[0]):
            print(say(sandbox.advance_clock(args[1], parse_duration(args[0]) or timedelta(0))))
        else:
            print(__doc__)
            return 2
    finally:
        sandbox.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
