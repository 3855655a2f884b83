"""Trainer commands: python -m actions.sandbox {dossiers|reset|now|advance DURATION}.

DURATION: a number and a unit, e.g. 15m, 2h, 8d (also 8j). Uses SANDBOX_DATABASE_URL or
var/sandbox.sqlite3, like the bot.
"""
from __future__ import annotations

import re
import sys
from datetime import timedelta
from typing import List, Optional

from .messages import format_datetime
from .service import Sandbox

_UNITS = {"m": "minutes", "h": "hours", "d": "days", "j": "days"}


def parse_duration(text: str) -> Optional[timedelta]:
    """'15m' -> 15 minutes, '2h' -> 2 hours, '8d' or '8j' -> 8 days; None if unreadable."""
    match = re.fullmatch(r"\s*(\d+)\s*([mhdj])\s*", text.lower())
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))}) if match else None


def main(argv: List[str]) -> int:
    command = argv[0] if argv else "dossiers"
    sandbox = Sandbox()
    try:
        if command == "reset":
            print(sandbox.reset().message)
        elif command == "now":
            print(format_datetime(sandbox.now()))
        elif command == "advance" and len(argv) == 2 and parse_duration(argv[1]):
            print(sandbox.advance_clock(parse_duration(argv[1]) or timedelta(0)).message)
        elif command == "dossiers":
            for person in sandbox.list_dossiers().data["demo_people"]:
                name = f"{person.first_name} {person.last_name}"
                print(f"{name:<14} {person.nir}  {person.case}")
        else:
            print(__doc__)
            return 2
    finally:
        sandbox.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
