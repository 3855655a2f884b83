#!/usr/bin/env python
"""`rasa` (the CLI of .venv/bin/rasa) with the project's warning filters, for a clean console.

    .venv/bin/python scripts/rasa_cli.py train …   (the scripts call it as "${RASA[@]}", scripts/quiet_env.sh)

Why not PYTHONWARNINGS alone: importing sanic (Rasa's web server) runs
`warnings.filterwarnings("once", category=DeprecationWarning)` (sanic/app.py), which goes in front of
the filters set by PYTHONWARNINGS or -W, and other libraries set "always"/"default" filters of their
own, so every library's deprecation notice comes back (PyparsingDeprecationWarning from matplotlib's
import, SQLAlchemy's MovedIn20Warning, the load_module() notice…). Here the same filters are set again
once sanic is imported, and the function that prints a warning (warnings.showwarning) skips those
categories whatever the filters say; then Rasa's own CLI runs unchanged. Only deprecation categories
and two false warnings of Rasa's config check (FALSE_WARNINGS) are dropped: errors, tracebacks and
Rasa's other UserWarnings (problems in the data or the config) still show.

It also keeps TensorFlow out of the processes that do not need it (issue 16: `make run` answered after
34 s, 14 s of them importing TensorFlow for a model without any TensorFlow component): Rasa's
TensorFlow-bound module is imported on first use (common/lazy_imports.py) and a loaded model's train
schema is read on first use (server_ext/no_tensorflow.py). Training DIET or TED, `rasa test`... import
TensorFlow when they use it, as before. Installed here, for the processes started through this
script only (scripts/*.sh, the Makefile, scripts/prod/stack.py), not for every Python process.
"""

import os
import sys
import warnings

QUIET_CATEGORIES = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)
# Two warnings of Rasa's config check that are false here: it looks for CRFEntityExtractor by its
# exact type, and the pipeline's nlu_components.fast_load_crf.FastLoadCRFEntityExtractor (its
# subclass, with Rasa's default features, « pattern » included) does extract the entities and read
# the lookup table (tests/conversations check towns).
# And one of `rasa data validate`: it looks for each response in the stories and rules, but a form
# asks its questions with the `utter_ask_<slot>` responses by their name (every one of them is the
# question of a form's slot: tests/test_simulation_actions.py).
FALSE_WARNINGS = (
    "You have defined training data consisting of entity examples, but your NLU configuration does not "
    "include an entity extractor",
    "You have defined training data consisting of lookup tables, but your NLU configuration does not "
    "include any components that uses the features",
    "The utterance 'utter_ask_",
)


def quiet_warnings() -> None:
    for category in QUIET_CATEGORIES:
        warnings.filterwarnings("ignore", category=category)


def _show_unless_deprecation(message, category, *args, _show=warnings.showwarning, **kwargs):
    if issubclass(category, QUIET_CATEGORIES) or str(message).startswith(FALSE_WARNINGS):
        return
    _show(message, category, *args, **kwargs)


def main() -> int:
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    quiet_warnings()
    warnings.showwarning = _show_unless_deprecation
    from common import lazy_imports

    lazy_imports.install()  # before anything imports Rasa's agent
    from server_ext import no_tensorflow

    no_tensorflow.install()
    import sanic  # noqa: F401  (its import adds ("once", DeprecationWarning) in front)

    quiet_warnings()  # back in front
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    sys.path[0] = os.path.dirname(sys.executable)  # the same sys.path as .venv/bin/rasa (not scripts/)
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
