"""Rasa's model graph run in plain Python in the Rasa server, instead of through dask (issue 18).

Each message runs Rasa's graph once for the NLU and once per predicted action for the policies.
`DaskGraphRunner.run` hands each run to `dask.get`, dask's synchronous scheduler, whose
bookkeeping (ordering the tasks, tracking their states, caches) took about 5 % of the loaded Rasa
server's CPU for graphs of a dozen nodes. `run_graph` computes the same thing: each target's
node once, after the nodes it needs, with the same arguments dask would pass (a node's output,
or the placeholder's input; a name that is no node passed as it is, as dask does), in the same
process and thread. The dask graph itself is built by Rasa's own code, and errors are wrapped as
Rasa wraps them.

Only the Rasa server uses it (installed by server_ext.channels); training keeps dask.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

_installed = False
rasa_run: Optional[Any] = None  # DaskGraphRunner.run as Rasa wrote it, once install() replaced it
logger = logging.getLogger("rasa.engine.runner.dask")  # Rasa's own debug line, same logger


def run_graph(graph: Dict[Text, Any], targets: List[Text]) -> List[Any]:
    """dask.get(graph, targets) for graphs of `(callable, *keys)` tasks and literal inputs."""
    done: Dict[Text, Any] = {}

    def value(key: Text) -> Any:
        if key in done:
            return done[key]
        task = graph[key]
        if type(task) is tuple and task and callable(task[0]):
            args = [value(a) if isinstance(a, str) and a in graph else a for a in task[1:]]
            result = task[0](*args)
        else:  # an input placeholder: (name, value), passed on as it is
            result = task
        done[key] = result
        return result

    return [value(target) for target in targets]


def install() -> None:
    """Replace DaskGraphRunner.run by the same steps around run_graph (idempotent)."""
    global _installed, rasa_run
    if _installed:
        return
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner

    rasa_run = DaskGraphRunner.run

    def run(
        self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None
    ) -> Dict[Text, Any]:
        run_targets = targets if targets else self._graph_schema.target_names
        minimal_schema = self._graph_schema.minimal_graph_schema(run_targets)
        graph = self._build_dask_graph(minimal_schema)
        if inputs:
            self._add_inputs_to_graph(inputs, graph)
        if logger.isEnabledFor(logging.DEBUG):  # Rasa formats it on every run, logged or not
            logger.debug(f"Running graph with inputs: {inputs}, targets: {targets} and {self._execution_context}.")
        try:
            return dict(run_graph(graph, run_targets))
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e

    DaskGraphRunner.run = run  # type: ignore[assignment]
    _installed = True
