"""Queries over the graph: "which agency owns what, under which higher-level document".

- :mod:`.api`: :class:`PolicyGraph` — owner, tasks, chain, implementers, workload, deadlines, compare, search;
- :mod:`.records`: the records answers are made of, and their table form (:func:`as_table`, :func:`to_csv`);
- :mod:`.owners`: who owns a task at a date, through the 2025 restructuring;
- :mod:`.agencies`: the agencies of a graph, their mentions and what stayed unresolved;
- :mod:`.sparql`: named SPARQL queries (``sparql/*.rq``) with bound parameters;
- :mod:`.inputs`, :mod:`.lookup`: what a person types, to nodes.
"""

from .api import PolicyGraph, QueryError
from .owners import current_owner
from .records import as_table, to_csv

__all__ = ["PolicyGraph", "QueryError", "current_owner", "as_table", "to_csv"]
