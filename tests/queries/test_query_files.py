"""Query files a person writes (``policykg sparql FILE.rq``, ``policykg cypher FILE.cypher``): every problem is
one line with an E6xx code and exit code 2, never a traceback, and remote federation is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from policykg.cli import main
from policykg.queries.cypher import check_cypher
from policykg.queries.named import QueryFileError, QueryFiles
from policykg.queries.sparql import check_query
from policykg.synthetic import synthetic_graph

SERVICE = "SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n"

SPARQL_FILES = [
    ("malformed", "SELECT ?x WHERE { ?x ?y\n", "E601", "line 1"),
    ("only comments", "# Tasks of nothing.\n# params:\n\n", "E601", "only comments"),
    ("unknown prefix", "SELECT ?s WHERE { ?s nope:x ?o }\n", "E601", "nope"),
    ("service", SERVICE, "E602", "SERVICE <http://127.0.0.1:9/sparql>"),
    ("service after an empty params line", "# Remote.\n# params:\n" + SERVICE, "E602", "remote federation"),
    ("service in a subquery", "SELECT ?s WHERE { { SELECT ?s WHERE { SERVICE SILENT <http://x/s> { ?s ?p ?o } } } }",
     "E602", "SERVICE <http://x/s>"),
    ("service in FILTER EXISTS", "SELECT ?s WHERE { ?s ?p ?o FILTER EXISTS { SERVICE ?endpoint { ?s ?p ?o } } }",
     "E602", "SERVICE ?endpoint"),
    ("FROM", "SELECT ?s FROM <http://x/g> WHERE { ?s ?p ?o }", "E603", "FROM <http://x/g>"),
    ("FROM NAMED", "SELECT ?s FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }", "E603",
     "FROM NAMED <file:///etc/passwd>"),
    ("LOAD", "LOAD <http://x/data.ttl>\n", "E604", "SPARQL update (LOAD)"),
    ("INSERT", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "E604", "SPARQL update (INSERT DATA)"),
    ("CONSTRUCT", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "E604", "a CONSTRUCT query"),
    ("bad params line", "# params: to:day\nSELECT ?to WHERE { ?s ?p ?to }", "E605", "unknown type 'day'"),
    ("params line with a bad name", "# params: to date\nSELECT ?s WHERE { ?s ?p ?o }", "E605", "'to date'"),
]

CYPHER_FILES = [
    ("malformed", "MATCH (n RETURN n\n", "E601", "'(' opened at line 1, column 7"),
    ("closing too much", "MATCH (n) RETURN n)\n", "E601", "unexpected ')'"),
    ("open string", "// params:\nMATCH (t:Task {title: 'x}) RETURN t\n", "E601", "never closed"),
    ("open comment", "MATCH (n) RETURN n /* and more\n", "E601", "comment opened"),
    ("only comments", "// Nothing.\n// params:\n", "E601", "only comments"),
    ("LOAD CSV", "// params:\nLOAD CSV FROM 'http://127.0.0.1:9/a.csv' AS row RETURN row\n", "E602", "LOAD CSV"),
    ("apoc.load", "CALL apoc.load.json('http://x/a.json') YIELD value RETURN value", "E602", "apoc.load.json"),
    ("bad params line", "// params: task:tsk\nMATCH (t:Task {id: $task}) RETURN t", "E605", "unknown type 'tsk'"),
]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def small_store(monkeypatch, tmp_path):
    """The CLI reads a small synthetic graph instead of a store (and no store is found: no SPARQL folder)."""
    from policykg import cli

    graph = synthetic_graph(tasks=12, provinces=1, seed=3)
    monkeypatch.setattr(cli, "_load_graph", lambda store: graph)
    monkeypatch.setenv("POLICYKG_STORE", str(tmp_path / "no-store"))


def assert_one_line(result, code: str, *words: str) -> str:
    """``result`` failed with exit code 2 and one line starting with ``code``, no traceback; the line."""
    assert isinstance(result.exception, SystemExit) and result.exit_code == 2, (result.exception, result.output)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{code} "), lines[0]
    assert "Traceback" not in result.output and result.stdout == ""
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
@pytest.mark.parametrize(("label", "text", "code", "detail"), SPARQL_FILES, ids=[c[0] for c in SPARQL_FILES])
def test_a_sparql_file_that_will_not_run_is_one_line(runner, tmp_path, backend, label, text, code, detail):
    path = tmp_path / "mine.rq"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["sparql", str(path), "--backend", backend, "--store", str(tmp_path / "none")])
    assert_one_line(result, code, str(path), detail)


@pytest.mark.parametrize(("label", "text", "code", "detail"), CYPHER_FILES, ids=[c[0] for c in CYPHER_FILES])
def test_a_cypher_file_that_will_not_run_is_one_line_before_any_server(runner, tmp_path, label, text, code, detail):
    path = tmp_path / "mine.cypher"
    path.write_text(text, encoding="utf-8")
    # no server listens on this port: the file is refused before one is asked for
    result = runner.invoke(main, ["cypher", str(path), "--store", str(tmp_path / "none"),
                                  "--uri", "bolt://127.0.0.1:9"])
    assert_one_line(result, code, str(path), detail)


@pytest.mark.parametrize(("command", "suffix"), [("sparql", ".rq"), ("cypher", ".cypher")])
def test_a_query_file_that_cannot_be_read_is_one_line(runner, tmp_path, command, suffix):
    store = ["--store", str(tmp_path / "none")]
    missing = tmp_path / f"missing{suffix}"
    assert_one_line(runner.invoke(main, [command, str(missing), *store]), "E606", str(missing), "no such query file")
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    assert_one_line(runner.invoke(main, [command, str(folder), *store]), "E607", "a folder")
    latin = tmp_path / f"latin{suffix}"
    latin.write_bytes("-- Nhiệm vụ".encode("cp1258", errors="replace") + b"\xff\xfe")
    assert_one_line(runner.invoke(main, [command, str(latin), *store]), "E608", "not valid UTF-8", "offset")


def test_an_unknown_name_is_still_a_query_error(runner, tmp_path):
    """A bare word that names no shipped query and no file stays what it was: one line, exit code 1."""
    result = runner.invoke(main, ["sparql", "nope", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no named query or file 'nope'" in result.stderr


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_service_in_comments_and_strings_and_an_empty_params_line_run(runner, tmp_path, small_store, backend):
    path = tmp_path / "harmless.rq"
    path.write_text("# SERVICE <http://127.0.0.1:9/sparql> is only mentioned here.\n# params:\n"
                    "PREFIX pkg: <https://w3id.org/policykg/ontology#>\n"
                    "SELECT (COUNT(?t) AS ?n) ('SERVICE <http://127.0.0.1:9/>' AS ?note) WHERE { ?t a pkg:Task }\n",
                    encoding="utf-8-sig")  # a byte-order mark is allowed
    result = runner.invoke(main, ["sparql", str(path), "--backend", backend, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"n": 12' in result.stdout


def test_what_oxigraph_cannot_parse_is_one_line(runner, tmp_path, small_store):
    """rdflib knows ``rdf:`` without a PREFIX line, Oxigraph does not: its parser's message, one line."""
    path = tmp_path / "rdf.rq"
    path.write_text("SELECT ?s WHERE { ?s rdf:type ?o } LIMIT 1\n", encoding="utf-8")
    assert runner.invoke(main, ["sparql", str(path), "--backend", "rdflib"]).exit_code == 0
    line = assert_one_line(runner.invoke(main, ["sparql", str(path)]), "E601", "error at 1:")
    assert len(line) < 300


def test_allow_service_lets_the_check_pass():
    query = QueryFiles(Path("."), ".rq", "#").parse("svc", SERVICE, "svc.rq")
    with pytest.raises(QueryFileError, match=r"^E602 svc\.rq: "):
        check_query(query)
    assert check_query(query, allow_service=True).algebra.name == "SelectQuery"


@pytest.mark.parametrize(("comment", "text"), [("#", "# What.\n# params:\nSELECT ?s WHERE { ?s ?p ?o }"),
                                               ("//", "// What.\n//params:   \nMATCH (n) RETURN n")])
def test_an_empty_params_line_declares_no_parameters(comment, text):
    query = QueryFiles(Path("."), ".x", comment).parse("q", text)
    assert query.params == {} and query.description == "What."


def test_named_queries_pass_their_own_checks():
    from policykg.queries.cypher import named_cypher
    from policykg.queries.sparql import named_queries

    for query in named_queries().values():
        check_query(query)
        check_query(query, "rdflib")
    for query in named_cypher().values():
        check_cypher(query)
