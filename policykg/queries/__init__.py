"""Queries over the graph: "which agency owns what, under which higher-level document".

The query API, named SPARQL (``sparql/*.rq``) and Cypher (``cypher/*.cypher``) queries land
here (issue 5); nothing is exported yet.
"""

__all__: list[str] = []
