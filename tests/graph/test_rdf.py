"""RDF mapping: the ontology declares every term used, the graph round-trips through RDF, and the N-Triples
written straight from the graph (for Oxigraph's bulk loader) are the same triples as rdflib's."""

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
    ntriples,
    to_oxigraph,
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


# --- N-Triples straight from the graph, and Oxigraph's bulk loader --------------------------------------

def _awkward_graph():
    """Every kind of value the mapping writes, with IDs and texts that need escaping or percent-encoding."""
    import networkx as nx

    g = nx.MultiDiGraph()
    odd = 'doc:x y/"quoted"|pipe%25 Đồng Tháp\\back~2'
    g.add_node(odd, kind="Document", doc_kind="Kế hoạch", number="12/KH-UBND", loaded=True, date="2025-10-22",
               date_precision="day", title='Kế hoạch "số 12"\nline two\r\\end\ttab', jurisdiction="Đồng Tháp",
               cited_as=["KH 12", "Kế hoạch 12", "KH 12"], source_file="a b.txt", line_start=1, line_end=99,
               appendices_cited=["I", "II"], also_in=[{"file": "x.txt", "line": 3}])
    g.add_node("doc:vn:57-nq-tw:2024", kind="Document", doc_kind="Nghị quyết", number="57-NQ/TW", loaded=False,
               date="2024-12", title=None)
    g.add_node("doc:y", kind="Document", doc_kind="Quyết định", loaded=True, date="2025", issuer="UBND tỉnh")
    g.add_node("doc:z", kind="Document", loaded=True, date="khoảng 2025")  # not a date: typed xsd:string
    g.add_node(f"{odd}/task/1", kind="Task", document=odd, section=["Phụ lục I", "A"], number="1",
               title="Xây dựng", due="2025-12-31", start="2025-01", recurrence=None, confidence=0.9,
               page=3, origin="table", role="task", named=False, lead_unreadable="S& KH")
    g.add_node("doc:y/task/2", kind="Task", document="doc:y", section=[], number=2, title="", due="2026",
               recurrence="yearly", confidence=1e-05)
    g.add_node("doc:y/target/1", kind="Target", document="doc:y", year=2030, text="100% xã", area="số")
    g.add_node("agency:dong-thap:so-khcn", kind="Agency", name="Sở Khoa học và Công nghệ", aliases=["Sở KH&CN"],
               agency_kind="Sở", collective=False, resolved=True, key="so-khoa-hoc-va-cong-nghe", level="province",
               jurisdiction="Đồng Tháp", jurisdiction_id="jur:dong-thap", valid_from="2025-03-01")
    g.add_node("agency:dong-thap:cac-so", kind="Agency", name="Các sở, ban, ngành", collective=True,
               function=5)  # a number where text is expected: written as rdflib writes it
    g.add_node("jur:dong-thap", kind="Jurisdiction", name="Đồng Tháp", level="province", source_file="gazetteer")
    g.add_edge(odd, "doc:vn:57-nq-tw:2024", key="IMPLEMENTS", kind="IMPLEMENTS", line_start=7, mentions=2,
               confidence=0.75, method="citation")
    g.add_edge("doc:y", odd, key="ISSUES", kind="ISSUES")
    g.add_edge(odd, f"{odd}/task/1", key="HAS_TASK", kind="HAS_TASK", source_file="a b.txt", line_start=40,
               line_end=41)
    g.add_edge("agency:dong-thap:so-khcn", f"{odd}/task/1", key="LEADS", kind="LEADS", printed='Sở "KH&CN"',
               confidence=0.8)
    g.add_edge("agency:dong-thap:cac-so", f"{odd}/task/1", key="SUPPORTS", kind="SUPPORTS", printed=None)
    g.add_edge("agency:dong-thap:so-khcn", "doc:y/target/1", key="MONITORS", kind="MONITORS", page=4)
    return g


def _rdflib_triples_of_ntriples(graph) -> set:
    return set(rdflib.Graph().parse(data=b"".join(ntriples(graph, lines_per_chunk=7)), format="nt"))


def test_ntriples_are_exactly_the_triples_of_to_rdf_on_awkward_values():
    g = _awkward_graph()
    expected = set(to_rdf(g, store="default"))
    assert _rdflib_triples_of_ntriples(g) == expected
    # what the comparison covers: reified provenance, datatypes, language tags, escapes
    xsd = rdflib.XSD
    objects = {o for _, _, o in expected if isinstance(o, rdflib.Literal)}
    assert {o.datatype for o in objects} >= {xsd.date, xsd.gYearMonth, xsd.gYear, xsd.string, xsd.integer,
                                             xsd.decimal, xsd.boolean, rdflib.RDF.JSON}
    assert rdflib.Literal('Kế hoạch "số 12"\nline two\r\\end\ttab', lang="vi") in objects
    assert rdflib.Literal("0.00001", datatype=xsd.decimal) in objects
    statements = {s for s, p, o in expected if p == rdflib.RDF.type and o == PKG.EdgeAssertion}
    assert len(statements) == 4  # the edges with provenance (not ISSUES, not a SUPPORTS whose only value is None)


def test_ntriples_are_exactly_the_triples_of_to_rdf_on_the_corpus(corpus_graph):
    expected = set(to_rdf(corpus_graph, store="default"))
    assert len(expected) > 30_000
    assert _rdflib_triples_of_ntriples(corpus_graph) == expected


def test_bulk_loaded_oxigraph_holds_what_oxrdflib_holds(corpus_graph, tmp_path):
    import pyoxigraph as ox

    through_rdflib = {(q.subject, q.predicate, q.object) for q in to_rdf(corpus_graph).store._inner}
    in_memory = to_oxigraph(corpus_graph)
    assert {(q.subject, q.predicate, q.object) for q in in_memory} == through_rdflib
    assert all(q.graph_name == ox.DefaultGraph() for q in in_memory)
    on_disk = to_oxigraph(corpus_graph, tmp_path / "ox")
    del on_disk  # closed: a folder any process can open
    reopened = ox.Store.read_only(str(tmp_path / "ox"))
    assert {(q.subject, q.predicate, q.object) for q in reopened} == through_rdflib


def test_from_rdf_reads_the_bulk_loaded_triples_back(corpus_graph):
    """The N-Triples path keeps the rdflib path working: what it writes reads back into the same graph."""
    back = from_rdf(rdflib.Graph().parse(data=b"".join(ntriples(corpus_graph)), format="nt"))
    assert sorted(back.edges(keys=True)) == sorted(corpus_graph.edges(keys=True))
    for node, data in corpus_graph.nodes(data=True):
        assert back.nodes[node] == data, node
