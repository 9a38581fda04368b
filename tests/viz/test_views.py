"""Views: which nodes each view holds, grouping when large, and the self-contained page."""

import re

import pytest

from policykg.queries.api import QueryError
from policykg.viz import render, select

PT_PLAN = "doc:phu-tho-2025:7316-kh-ubnd:2025"


def test_document_view_holds_the_plan_its_tasks_agencies_and_documents_above(corpus_graph):
    view = select(corpus_graph, document="7316/KH-UBND")
    tasks = {t for _, t, k in corpus_graph.out_edges(PT_PLAN, keys=True) if k == "HAS_TASK"}
    assert tasks <= view.nodes and not view.grouped
    assert {"doc:vn:57-nq-tw:2024", "doc:vn:71-nq-cp:2025"} <= view.nodes
    assert "agency:phu-tho-2025:so-khoa-hoc-va-cong-nghe" in view.nodes


def test_agency_province_under_and_focus_views(corpus_graph):
    agency = select(corpus_graph, agency="Sở Thông tin và Truyền thông")
    assert {"agency:vinh-phuc:so-thong-tin-va-truyen-thong", "agency:vinh-long:so-thong-tin-va-truyen-thong"} <= agency.nodes
    assert "doc:vn:569-qd-ttg:2022" in agency.nodes  # the document above the plans
    province = select(corpus_graph, province="Yên Bái")
    assert all(corpus_graph.nodes[n].get("jurisdiction") in {"Yên Bái", "Việt Nam"} or corpus_graph.nodes[n]["kind"] != "Document"
               for n in province.nodes)
    under = select(corpus_graph, under="57-NQ/TW")
    assert PT_PLAN in under.nodes and not any(n.startswith("doc:vinh-phuc") for n in under.nodes)
    focus = select(corpus_graph, focus=PT_PLAN, depth=1)
    assert "doc:vn:71-nq-cp:2025" in focus.nodes
    with pytest.raises(QueryError):
        select(corpus_graph, province="Atlantis")


def test_large_views_are_grouped(corpus_graph):
    view = select(corpus_graph, max_tasks=50)
    assert view.grouped and view.groups
    grouped = sum(len(g.tasks) for g in view.groups)
    assert grouped == sum(1 for _, d in corpus_graph.nodes(data=True) if d["kind"] == "Task")
    assert not any(corpus_graph.nodes[n]["kind"] == "Task" for n in view.nodes)


def test_page_is_self_contained(corpus_graph):
    page = render(corpus_graph, select(corpus_graph, document="7316/KH-UBND"), as_of="2026-11-23")
    assert not re.findall(r'(?:src|href)="https?://', page)
    assert "vis.Network" in page or "new vis" in page
    assert 'id="pkg-gaps"' in page and "[lead-unreadable]" in page
