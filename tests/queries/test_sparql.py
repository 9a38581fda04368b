"""Named SPARQL queries give the same answers as the Python API (Oxigraph, and rdflib where affordable)."""

import pytest

from policykg.queries.api import PolicyGraph, QueryError
from policykg.queries.sparql import SparqlRunner, load_query, named_queries

TASK = "doc:vinh-phuc:ke-hoach:2023-04:thuc-hien-chien-luoc-phat-trien-khoa-hoc-cong-nghe-va-doi-mo/task/phu-luc-1/b/ii/78"


@pytest.fixture(scope="module")
def pg(corpus_graph):
    return PolicyGraph(corpus_graph)


@pytest.fixture(scope="module")
def ox(corpus_graph):
    return SparqlRunner(corpus_graph, "oxigraph")


def test_every_named_query_says_what_it_answers():
    assert len(named_queries()) >= 8
    for query in named_queries().values():
        assert len(query.description) > 40 and query.params, query.name


@pytest.mark.parametrize("document", ["57-NQ/TW", "7316/KH-UBND", "569/QĐ-TTg"])
def test_tasks_under(pg, ox, document):
    rows = ox.run("tasks_under", {"document": document}, pg)
    assert {r["task"] for r in rows} == {t.task for t in pg.tasks(under=document)}


def test_tasks_of_agency(pg, ox):
    rows = ox.run("tasks_of_agency", {"agency": "so khcn", "document": "Nghị quyết 57"}, pg)
    assert {r["task"] for r in rows} == {t.task for t in pg.tasks(agency="so khcn", role="lead", under="57")}


def test_owner(pg, ox):
    rows = ox.run("owner", {"task": TASK}, pg)
    answer = pg.owner(TASK).task
    assert [r["name"] for r in rows if r["role"] == "lead"] == answer.lead
    assert sorted(r["name"] for r in rows if r["role"] == "support") == sorted(answer.support)


def test_chain_up(pg, ox):
    rows = ox.run("chain_up", {"document": "7316/KH-UBND"}, pg)
    assert {r["upper"] for r in rows} == {link.document for link in pg.chain("7316/KH-UBND") if link.depth < 0}


def test_implementers_and_workload(pg, ox):
    rows = ox.run("implementers", {"document": "57-NQ/TW"}, pg)
    assert {(r["plan"], r["tasks"]) for r in rows} == {(r.document, r.tasks) for r in pg.implementers("57-NQ/TW")}
    load = ox.run("workload", {"document": "57-NQ/TW"}, pg)
    assert {(r["agency"], r["leads"], r["supports"]) for r in load} == {
        (r.agency, r.led, r.supported) for r in pg.workload(under="57-NQ/TW")}


def test_deadlines_and_overdue(pg, ox):
    rows = ox.run("deadlines", {"from": "2025-01-01", "to": "2025-12-31"}, pg)
    assert [r["task"] for r in rows] == [t.task for t in pg.deadlines(between=("2025-01-01", "2025-12-31"))]
    late = ox.run("overdue", {"as_of": "2026-01-01"}, pg)
    assert {r["task"] for r in late} == {t.task for t in pg.deadlines(overdue_as_of="2026-01-01")}


def test_rdflib_backend_agrees(corpus_graph, pg, ox):
    rdflib_runner = SparqlRunner(corpus_graph, "rdflib")
    for name, params in (("owner", {"task": TASK}), ("chain_up", {"document": "7316/KH-UBND"}),
                         ("deadlines", {"from": "2025-01-01", "to": "2025-12-31"}), ("overdue", {"as_of": "2026-01-01"}),
                         ("tasks_of_agency", {"agency": "so khcn", "document": "Nghị quyết 57"}),
                         ("workload", {"document": "57-NQ/TW"})):
        assert rdflib_runner.run(name, params, pg) == ox.run(name, params, pg), name


def test_hostile_text_is_bound_not_pasted(pg, ox, tmp_path):
    query = tmp_path / "titles.rq"
    query.write_text('# Tasks whose title is exactly a text.\n# params: text:text\n'
                     'PREFIX dcterms: <http://purl.org/dc/terms/>\n'
                     'SELECT ?t ?text WHERE { ?t dcterms:title ?title . FILTER (STR(?title) = ?text) }\n',
                     encoding="utf-8")
    hostile = '" } DELETE WHERE { ?s ?p ?o } #'
    assert ox.run(str(query), {"text": hostile}, pg) == []
    assert len(ox.run("deadlines", {"from": "2025-01-01", "to": "2025-12-31"}, pg)) > 0  # nothing was deleted
    assert load_query(str(query)).params == {"text": "text"}


def test_missing_parameters_and_unknown_queries(pg, ox):
    with pytest.raises(QueryError, match="--param document"):
        ox.run("tasks_under", {}, pg)
    with pytest.raises(QueryError, match="no named query"):
        ox.run("nope", {}, pg)


# --- paging, and the store kept on disk --------------------------------------------------------------

PAGED = [("tasks_under", {"document": "57-NQ/TW"}), ("deadlines", {"from": "2025-01-01", "to": "2025-12-31"}),
         ("overdue", {"as_of": "2026-01-01"}), ("workload", {"document": "57-NQ/TW"}),
         ("tasks_of_agency", {"agency": "so khcn", "document": "Nghị quyết 57"})]


@pytest.mark.parametrize(("name", "params"), PAGED)
def test_pages_put_together_are_the_whole_answer(pg, ox, name, params):
    whole = ox.run(name, params, pg)
    assert len(whole) > 25, name
    pages = [ox.run(name, params, pg, limit=10, offset=start) for start in range(0, len(whole) + 10, 10)]
    assert [len(p) for p in pages[:-2]] == [10] * (len(pages) - 2) and pages[-1] == []
    assert [row for page in pages for row in page] == whole
    assert ox.run(name, params, pg, limit=0) == whole  # 0: no limit
    assert ox.run(name, params, pg, offset=len(whole) - 3) == whole[-3:]


def test_paging_goes_into_the_query(pg, ox, monkeypatch):
    """The engine is asked for the page only (LIMIT / OFFSET in the query it runs), not every row."""
    from policykg.queries import sparql

    seen = []
    original = ox._run_oxigraph

    def spy(text, bindings):
        seen.append(text)
        return original(text, bindings)

    monkeypatch.setattr(ox, "_run_oxigraph", spy)
    assert len(ox.run("tasks_under", {"document": "57-NQ/TW"}, pg, limit=5, offset=7)) == 5
    assert seen[-1].endswith("\nLIMIT 5 OFFSET 7\n") and seen[-1].startswith(sparql.named_queries()["tasks_under"].text)
    ox.run("tasks_under", {"document": "57-NQ/TW"}, pg)
    assert seen[-1] == sparql.named_queries()["tasks_under"].text


@pytest.mark.parametrize("tail", ["LIMIT 6", "LIMIT 6 OFFSET 0", "VALUES ?x { 1 }"])
def test_a_query_with_its_own_limit_or_final_values_is_paged_as_its_rows_come(pg, ox, tmp_path, tail):
    path = tmp_path / "due.rq"
    path.write_text("# Due dates.\n# params:\nPREFIX pkg: <https://w3id.org/policykg/ontology#>\n"
                    "SELECT ?t ?due ?x WHERE { ?t pkg:dueDate ?due } ORDER BY ?due ?t\n" + tail + "\n", encoding="utf-8")
    whole = ox.run(str(path), {}, pg)
    assert len(whole) >= 6
    assert ox.run(str(path), {}, pg, limit=2, offset=3) == whole[3:5]
    assert ox.run(str(path), {}, pg, limit=0, offset=1) == whole[1:]


def test_rdflib_pages_as_oxigraph_does(corpus_graph, pg, ox):
    rdflib_runner = SparqlRunner(corpus_graph, "rdflib")
    params = {"from": "2025-01-01", "to": "2025-12-31"}
    assert rdflib_runner.run("deadlines", params, pg, limit=7, offset=5) == ox.run("deadlines", params, pg)[5:12]


def test_a_negative_page_is_refused(pg, ox):
    with pytest.raises(ValueError, match="limit"):
        ox.run("deadlines", {"from": "2025-01-01", "to": "2025-12-31"}, pg, limit=-1)
    with pytest.raises(ValueError, match="offset"):
        ox.run("deadlines", {"from": "2025-01-01", "to": "2025-12-31"}, pg, offset=-5)


def test_dates_alone_need_no_graph(ox):
    assert ox.run("overdue", {"as_of": "2026-01-01"}, None)
    with pytest.raises(ValueError, match="needs the graph"):
        ox.run("tasks_under", {"document": "57-NQ/TW"}, None)


def test_the_store_kept_on_disk_answers_as_the_one_in_memory(corpus_graph, pg, ox, tmp_path):
    from policykg.graph.store import open_store
    from policykg.queries.sparql import store_runner

    open_store(tmp_path).save({}, corpus_graph, [])
    built, how = store_runner(tmp_path, lambda: corpus_graph)
    reopened, again = store_runner(tmp_path, lambda: pytest.fail("the graph was read again"))
    assert (how.where, again.where, again.path) == ("built", "disk", how.path)
    for name, params in [*PAGED, ("owner", {"task": TASK}), ("chain_up", {"document": "7316/KH-UBND"}),
                         ("implementers", {"document": "57-NQ/TW"})]:
        assert reopened.run(name, params, pg) == built.run(name, params, pg) == ox.run(name, params, pg), name
