"""server_ext.graph_runner: Rasa's graph run without dask gives dask's results, on the trained model."""

from __future__ import annotations

from pathlib import Path

import dask
from rasa.core.channels.channel import UserMessage
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.loading import load_data

from server_ext import graph_runner

ROOT = Path(__file__).resolve().parents[2]
# Rasa's own (building a guarded channel, as other tests do, installs the plain runner)
DASK_RUN = graph_runner.rasa_run or DaskGraphRunner.run


class Node:
    """A callable like Rasa's GraphNode: returns (name, output); counts its calls."""

    def __init__(self, name, fn):
        self.name, self.fn, self.calls = name, fn, 0

    def __call__(self, *inputs):
        self.calls += 1
        return self.name, self.fn(*inputs)


def test_the_same_results_as_dask_on_a_small_graph():
    def build():
        a = Node("a", lambda x: x[1] * 2)
        b = Node("b", lambda x, y: (x[1] + 1, y))  # y: a name that is no node, passed as it is
        c = Node("c", lambda x, y: x[1] + y[1][0])
        return {"__in__": ("__in__", 5), "a": (a, "__in__"), "b": (b, "a", "missing"), "c": (c, "a", "b")}, a

    dask_graph, _ = build()
    graph, a = build()
    expected = dask.get(dask_graph, ["c", "b"])
    assert graph_runner.run_graph(graph, ["c", "b"]) == list(expected) == [("c", 21), ("b", (11, "missing"))]
    assert a.calls == 1  # a node needed twice runs once


def test_the_trained_model_reads_and_predicts_the_same(predict_runner):
    metadata, graph = predict_runner  # loaded once for the session (tests/conftest.py)
    graph_runner.install()
    assert DaskGraphRunner.run is not DASK_RUN
    texts = [m.get(TEXT) for m in load_data(str(ROOT / "tests" / "nlu")).intent_examples][::8]
    assert len(texts) > 30
    for text in texts:
        parses = []
        for run in (DASK_RUN, DaskGraphRunner.run):
            tracker = DialogueStateTracker.from_events("someone", [ActionExecuted("action_listen")])
            nlu = run(
                graph,
                {"__message__": [UserMessage(text, sender_id="someone")], "__tracker__": tracker},
                [metadata.nlu_target],
            )[metadata.nlu_target][0]
            parse = nlu.as_dict(only_output_properties=True)
            tracker.update(UserUttered(text, parse.get("intent"), parse.get("entities", []), parse))
            prediction = run(graph, {"__tracker__": tracker}, [metadata.core_target])[metadata.core_target]
            parses.append((parse, prediction))
        assert parses[0] == parses[1], text
