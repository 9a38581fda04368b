"""The graph: model (node and edge kinds, IDs), builder, RDF mapping, JSON export, stores.

Import the modules directly (``policykg.graph.builder``, ``policykg.graph.store``, ...);
this package imports nothing itself so that :mod:`policykg.resolve` can use the ID
functions of :mod:`policykg.graph.model` without a cycle.
"""

__all__ = ["model", "builder", "rdf", "export", "store"]
