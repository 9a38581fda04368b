"""RDF mapping: the ontology declares every term used, and the graph round-trips through RDF."""

import json

import rdflib

from policykg.graph.export import to_json_dict
from policykg.graph.rdf import (
    ATTRIBUTES,
    EDGE_PREDICATES,
    NODE_CLASSES,
    PKG,
    from_rdf,
    node_iri,
    to_rdf,
)
from policykg.ontology import ONTOLOGY_TTL


def test_ontology_declares_every_term_the_mapping_uses():
    onto = rdflib.Graph().parse(ONTOLOGY_TTL)
    declared = set(onto.subjects())
    used = {p for p, _ in ATTRIBUTES.values()} | set(EDGE_PREDICATES.values()) | set(NODE_CLASSES.values())
    assert used - declared == set()


def test_round_trip_through_oxigraph(corpus_graph):
    rdf = to_rdf(corpus_graph)
    assert type(rdf.store).__name__ == "OxigraphStore"
    back = from_rdf(rdf)
    assert sorted(back.nodes) == sorted(corpus_graph.nodes)
    assert sorted(back.edges(keys=True)) == sorted(corpus_graph.edges(keys=True))
    for node, data in corpus_graph.nodes(data=True):
        assert back.nodes[node] == data, node
    for s, d, k, data in corpus_graph.edges(keys=True, data=True):
        assert back.edges[s, d, k] == data, (s, d, k)


def test_sparql_over_the_rdf(corpus_graph):
    rdf = to_rdf(corpus_graph)
    rows = rdf.query(
        "SELECT ?plan ?doc WHERE { ?plan <http://data.europa.eu/eli/ontology#ensures_implementation_of> ?doc . }",
        initBindings={"doc": node_iri("doc:vn:57-nq-tw:2024")},
    )
    plans = {str(r.plan) for r in rows}
    assert str(node_iri("doc:phu-tho-2025:7316-kh-ubnd:2025")) in plans


def test_turtle_and_jsonld_serialize(corpus_graph):
    rdf = to_rdf(corpus_graph)
    ttl = rdf.serialize(format="turtle")
    assert len(rdflib.Graph().parse(data=ttl, format="turtle")) == len(rdf)
    assert json.loads(rdf.serialize(format="json-ld"))
    assert (node_iri("doc:vn:57-nq-tw:2024"), rdflib.RDF.type, PKG.Document) in rdf


def test_json_contract(corpus_graph):
    data = to_json_dict(corpus_graph)
    assert {"documents", "tasks", "targets", "agencies"} <= set(data)
    plan = next(d for d in data["documents"] if d["number"] == "7316/KH-UBND")
    assert plan["kind"] == "Kế hoạch" and plan["issuer"] == "UBND tỉnh Phú Thọ" and plan["date"] == "2025-10-22"
    assert plan["source"]["file"] == "004_a6ece48c4c1ca826.txt" and plan["source"]["line_start"] == 1
    assert plan["source"]["line_end"] >= 2627  # the document runs to the end of the file
    vinh_long = next(d for d in data["documents"] if d["loaded"] and d["jurisdiction"] == "Vĩnh Long" and d["kind"] == "Kế hoạch")
    assert vinh_long["issued_with"] == "doc:vinh-long:1925-qd-ubnd:2023"
    task = next(t for t in data["tasks"] if t["lead"] and t["support"])
    assert set(task) >= {"id", "document", "section", "number", "title", "lead", "support", "deadline", "output",
                         "origin", "confidence", "source"}
    assert set(task["source"]) == {"file", "line_start", "line_end"}
    ids = {a["id"] for a in data["agencies"]}
    assert all(a in ids for t in data["tasks"] for a in t["lead"] + t["support"])
