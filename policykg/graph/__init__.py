"""The graph: model (node and edge kinds, IDs), builder, RDF mapping, JSON export, stores.

Import the modules directly (``policykg.graph.builder``, ``policykg.graph.store``, ...);
this package imports nothing itself. Node IDs are made in :mod:`policykg.ids` (re-exported by
:mod:`.model`), which :mod:`policykg.resolve` uses too.
"""

__all__ = ["model", "builder", "rdf", "export", "store"]
