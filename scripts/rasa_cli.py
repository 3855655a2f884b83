#!/usr/bin/env python
"""`rasa` (the CLI of .venv/bin/rasa) with the project's warning filters, for a clean console.

    .venv/bin/python scripts/rasa_cli.py train …   (the scripts call it as "${RASA[@]}", scripts/quiet_env.sh)

Why not PYTHONWARNINGS alone: importing sanic (Rasa's web server) runs
`warnings.filterwarnings("once", category=DeprecationWarning)` (sanic/app.py), which goes in front of
the filters set by PYTHONWARNINGS or -W, so every library's deprecation notice comes back
(PyparsingDeprecationWarning, SQLAlchemy's MovedIn20Warning, the load_module() notice…). Here the same
filters are set once sanic is imported, then Rasa's own CLI runs unchanged. Only deprecation
categories are ignored: errors, tracebacks and Rasa's UserWarnings (problems in the data or the
config) still show.
"""
import os
import sys
import warnings

QUIET_CATEGORIES = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


def quiet_warnings() -> None:
    for category in QUIET_CATEGORIES:
        warnings.filterwarnings("ignore", category=category)


def main() -> int:
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    quiet_warnings()
    import sanic  # noqa: F401  (its import adds ("once", DeprecationWarning) in front)

    quiet_warnings()  # back in front
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    sys.path[0] = os.path.dirname(sys.executable)  # the same sys.path as .venv/bin/rasa (not scripts/)
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
