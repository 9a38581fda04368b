"""policykg: a knowledge graph of Vietnamese policy documents.

Data flows one way: ``loaders`` (files → text → records) → ``resolve`` (canonical
agencies and documents) → ``graph`` (networkx MultiDiGraph, RDF, stores, exports);
``queries``, ``viz`` and the CLI only read the graph.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
