"""The prediction graph run node by node in an order worked out once, instead of through dask.

Rasa runs its NLU and policy graphs twice or more per message (parse, then one prediction per
action). Its DaskGraphRunner rebuilds the minimal schema and a dask graph, and lets dask's
scheduler order and track a dozen tasks, every time: about 5 % of the Rasa process's CPU at 50
concurrent conversations. The graph does not change while a model is served, so the order of the
nodes each set of targets needs is computed on first use and kept.

Same inputs, same nodes, same results and errors as DaskGraphRunner.run (a node receives the
(name, value) pairs of what it needs; an input is the pair (input name, value)). Used only for
serving (rasa.core.processor), not for training.
"""

from __future__ import annotations

from graphlib import TopologicalSorter
from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner


class OrderedGraphRunner(DaskGraphRunner):
    """DaskGraphRunner whose `run` follows a cached topological order of the needed nodes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._orders: dict[tuple[str, ...], list[tuple[str, list[str]]]] = {}

    def _order(self, targets: tuple[str, ...]) -> list[tuple[str, list[str]]]:
        """(node, what it needs) for every node the targets depend on, dependencies first."""
        order = self._orders.get(targets)
        if order is None:
            nodes = self._graph_schema.minimal_graph_schema(list(targets)).nodes
            sorter = TopologicalSorter({name: node.needs.values() for name, node in nodes.items()})
            order = [
                (name, list(nodes[name].needs.values()))
                for name in sorter.static_order()
                if name in nodes  # the rest are inputs, given to each run
            ]
            self._orders[targets] = order
        return order

    def run(
        self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
    ) -> dict[str, Any]:
        run_targets = targets if targets else self._graph_schema.target_names
        order = self._order(tuple(run_targets))
        values: dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and any(value == node for node, _ in order):
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure that none of "
                    f"the input names passed to the `run` method are the same as node names "
                    f"in the graph schema."
                )
            values[name] = (name, value)
        try:
            for name, needs in order:
                values[name] = self._instantiated_nodes[name](*(values[n] for n in needs))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(values[target] for target in run_targets)
