"""The servers' start-up objects kept out of Python's garbage collection passes (issue 18).

Once loaded, the Rasa server holds about 500,000 objects the garbage collector tracks (Rasa,
TensorFlow's and scikit-learn's modules, the model, the domain), and the action server a similar
number (`rasa run actions` imports Rasa). They live as long as the process, yet every full pass of
the collector walked through all of them: a pause of tens of milliseconds for every turn under
way, each time the conversations kept in memory had grown enough to trigger one.

`freeze()`, called once a server has started (Rasa server: server_ext.channels; action server:
rasa_sdk_plugins), collects what is already garbage, then moves every object left to the
collector's permanent generation (`gc.freeze()`, Python's own means for this): they are never
walked again, and what conversations create afterwards is collected as before.
"""

from __future__ import annotations

import gc


def freeze() -> int:
    """Collect, then leave every object that survives out of later collections; returns how many.
    Once per process: a second call (the Rasa server's two channels each ask) changes nothing."""
    if not gc.get_freeze_count():
        gc.collect()
        gc.freeze()
    return gc.get_freeze_count()
