"""Facts of files with pages carry the page of their first line, through the graph to the report."""

from dataclasses import replace

from policykg.graph.builder import build_graph
from policykg.loaders.extract import extract_document
from policykg.loaders.readers import read_document
from policykg.viz.report import write_report


def _paged(path, lines_per_page=40):
    doc = read_document(path)
    doc.lines = [replace(line, page=line.line // lines_per_page + 1) for line in doc.lines]
    return doc


def test_every_fact_of_a_paged_document_has_the_page_of_its_first_line(wild_dir):
    ex = extract_document(_paged(wild_dir / "ha-noi-kh-308-2025.md"))
    records = [*ex.documents, *ex.citations, *ex.tasks]
    assert ex.tasks and all(r.provenance.page == r.provenance.line_start // 40 + 1 for r in records)
    assert len({t.provenance.page for t in ex.tasks}) > 1


def test_pages_reach_the_graph_and_the_report(wild_dir, tmp_path):
    ex = extract_document(_paged(wild_dir / "ha-noi-kh-308-2025.md"))
    ex.source = "/data/plans/ha-noi.pdf"
    graph = build_graph([ex]).graph
    task = next(n for n, d in graph.nodes(data=True) if d["kind"] == "Task")
    assert graph.nodes[task]["page"] == graph.nodes[task]["line_start"] // 40 + 1
    plan = graph.nodes[task]["document"]
    assert graph.nodes[plan]["source_path"] == "/data/plans/ha-noi.pdf"
    write_report(graph, tmp_path / "r")
    page = next((tmp_path / "r").glob("plan-*.html")).read_text(encoding="utf-8")
    assert f'<a href="file:///data/plans/ha-noi.pdf#page={graph.nodes[task]["page"]}">trang ' in page


def test_files_without_pages_have_none(wild_dir):
    ex = extract_document(read_document(wild_dir / "ha-noi-kh-308-2025.md"))
    assert all(t.provenance.page is None for t in ex.tasks)
    graph = build_graph([ex]).graph
    assert not any("page" in d for _, d in graph.nodes(data=True))
