"""The graph built from the corpus: one node per document, the edges the texts state, stable IDs."""

import networkx as nx
from conftest import PHU_THO, VINH_LONG, YEN_BAI

from policykg.graph.builder import build_graph
from policykg.graph.store import graph_to_json


def _loaded(graph, file, kind="Kế hoạch"):
    return next(n for n, d in graph.nodes(data=True)
                if d["kind"] == "Document" and d.get("loaded") and d.get("source_file") == file and d["doc_kind"] == kind)


def _out(graph, node, key):
    return {dst for _, dst, k in graph.out_edges(node, keys=True) if k == key}


def test_building_twice_gives_the_identical_graph(extractions):
    first = build_graph(extractions.values()).graph
    second = build_graph(reversed(list(extractions.values()))).graph
    assert graph_to_json(first) == graph_to_json(second)


def test_national_document_cited_by_several_files_is_one_node(corpus_graph):
    nodes = [n for n, d in corpus_graph.nodes(data=True) if d.get("number") == "57-NQ/TW"]
    assert nodes == ["doc:vn:57-nq-tw:2024"]
    data = corpus_graph.nodes["doc:vn:57-nq-tw:2024"]
    assert (data["loaded"], data["issuer"], data["date"]) == (False, "Bộ Chính trị", "2024-12-22")
    citing = {s for s, _, k in corpus_graph.in_edges("doc:vn:57-nq-tw:2024", keys=True)}
    assert {corpus_graph.nodes[s].get("source_file") for s in citing} >= {YEN_BAI, PHU_THO}
    assert len([n for n, d in corpus_graph.nodes(data=True) if d.get("number") == "569/QĐ-TTg"]) == 1


def test_phu_tho_plan_implements(corpus_graph):
    plan = _loaded(corpus_graph, PHU_THO)
    assert plan == "doc:phu-tho-2025:7316-kh-ubnd:2025"
    assert _out(corpus_graph, plan, "IMPLEMENTS") == {
        "doc:vn:71-nq-cp:2025", "doc:phu-tho-2025:02-ctr-tu:2025", "doc:vn:57-nq-tw:2024"}
    assert corpus_graph.nodes[plan]["jurisdiction"] == "Phú Thọ"
    assert "jur:phu-tho-2025" == corpus_graph.nodes[plan]["jurisdiction_id"]


def test_yen_bai_plan_replaces_46(corpus_graph):
    plan = _loaded(corpus_graph, YEN_BAI)
    assert _out(corpus_graph, plan, "REPLACES") == {"doc:yen-bai:46-kh-ubnd:2025"}
    assert _out(corpus_graph, "doc:yen-bai:46-kh-ubnd:2025", "IMPLEMENTS") == {"doc:vn:03-nq-cp:2025", "doc:yen-bai:219-kh-tu"}
    assert "doc:vn:57-nq-tw:2024" in _out(corpus_graph, "doc:vn:71-nq-cp:2025", "IMPLEMENTS")


def test_decision_issues_vinh_long_plan(corpus_graph):
    decision = _loaded(corpus_graph, VINH_LONG, "Quyết định")
    plan = _loaded(corpus_graph, VINH_LONG)
    assert decision == "doc:vinh-long:1925-qd-ubnd:2023"
    assert _out(corpus_graph, decision, "ISSUES") == {plan}
    assert "doc:vn:569-qd-ttg:2022" in _out(corpus_graph, decision, "BASED_ON")


def test_no_cites_edge_beside_a_stronger_relation(corpus_graph):
    pairs = {(s, d) for s, d, k in corpus_graph.edges(keys=True) if k in {"IMPLEMENTS", "BASED_ON", "REPLACES"}}
    assert not [(s, d) for s, d, k in corpus_graph.edges(keys=True) if k == "CITES" and (s, d) in pairs]


def test_yen_bai_2025_tasks_have_no_owner(corpus_graph):
    plan = _loaded(corpus_graph, YEN_BAI)
    listed = [t for t in _out(corpus_graph, plan, "HAS_TASK") if corpus_graph.nodes[t]["origin"] == "list"]
    assert len(listed) == 19
    assert all(not any(k in {"LEADS", "SUPPORTS"} for *_, k in corpus_graph.in_edges(t, keys=True)) for t in listed)


def test_agencies_are_scoped_by_province(corpus_graph):
    skhcn = sorted(n for n, d in corpus_graph.nodes(data=True)
                   if d.get("key") == "so-khoa-hoc-va-cong-nghe" and d.get("named") is not False)
    assert skhcn == ["agency:phu-tho-2025:so-khoa-hoc-va-cong-nghe", "agency:vinh-long:so-khoa-hoc-va-cong-nghe",
                     "agency:vinh-phuc:so-khoa-hoc-va-cong-nghe", "agency:yen-bai:so-khoa-hoc-va-cong-nghe"]
    ocr = corpus_graph.nodes["agency:phu-tho-2025:so-khoa-hoc-va-cong-nghe"]
    assert ocr["name"] == "Sở Khoa học và Công nghệ" and "S& Khoa hoc va Cong nghé" in ocr["aliases"]


def test_every_fact_keeps_provenance(corpus_graph):
    for _node, data in corpus_graph.nodes(data=True):
        if data["kind"] == "Task" or (data["kind"] == "Document" and data.get("loaded")):
            assert data["source_file"] and data["line_start"] >= 1 and data["line_end"] >= data["line_start"]
            assert 0 < data["confidence"] <= 1
    for s, d, k, data in corpus_graph.edges(keys=True, data=True):
        if k in {"LEADS", "SUPPORTS", "HAS_TASK", "IMPLEMENTS", "BASED_ON", "REPLACES"}:
            assert data["source_file"] and data["line_start"] >= 1, (s, d, k)


def test_merged_provinces(corpus_graph):
    assert corpus_graph.has_edge("jur:vinh-phuc", "jur:phu-tho-2025", key="MERGED_INTO")
    assert corpus_graph.has_edge("jur:yen-bai", "jur:lao-cai-2025", key="MERGED_INTO")
    assert corpus_graph.nodes["jur:vinh-phuc"]["valid_to"] == "2025-07-01"


def test_graph_is_a_multidigraph(corpus_graph):
    assert isinstance(corpus_graph, nx.MultiDiGraph)


DECISION_AND_PLAN = """ỦY BAN NHÂN DÂN
TỈNH BẮC NINH
Số: 55/QĐ-UBND
Bắc Ninh, ngày 03 tháng 02 năm 2024
QUYẾT ĐỊNH
Ban hành Kế hoạch thực hiện Nghị quyết số 57-NQ/TW
ỦY BAN NHÂN DÂN TỈNH BẮC NINH
Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thực hiện Nghị quyết 57 trên địa bàn tỉnh.
Điều 2. Giao Sở Tài chính chủ trì, phối hợp với các sở, ngành liên quan tổ chức triển khai Kế hoạch.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký./.
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
ỦY BAN NHÂN DÂN
TỈNH BẮC NINH
KẾ HOẠCH
Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị trên địa bàn tỉnh
(Kèm theo Quyết định số 55/QĐ-UBND ngày 03/02/2024 của UBND tỉnh)
I. MỤC ĐÍCH, YÊU CẦU
- Cụ thể hóa Nghị quyết 57 phù hợp với thực tiễn của tỉnh.
II. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính: Chủ trì theo dõi, tổng hợp kết quả thực hiện.
Trên đây là Kế hoạch thực hiện Nghị quyết số 57-NQ/TW của UBND tỉnh./.
"""


def test_decision_and_plan_of_another_province(tmp_path, corpus_graph):
    from policykg.loaders import extract_file

    path = tmp_path / "bac-ninh.txt"
    path.write_text(DECISION_AND_PLAN, encoding="utf-8")
    graph = build_graph([extract_file(path)]).graph
    decision = "doc:bac-ninh:55-qd-ubnd:2024"
    plans = _out(graph, decision, "ISSUES")
    assert len(plans) == 1
    plan = plans.pop()
    assert graph.nodes[plan]["date"] == "2024-02-03" and graph.nodes[plan].get("number") is None
    assert _out(graph, plan, "IMPLEMENTS") == {"doc:vn:57-nq-tw:2024"}  # the short "Nghị quyết 57" joins it
    assert _out(graph, decision, "BASED_ON") == {"doc:vn:57-nq-tw:2024"}
    article = next(t for t in _out(graph, decision, "HAS_TASK"))
    assert {s for s, _, k in graph.in_edges(article, keys=True) if k == "LEADS"} == {"agency:bac-ninh:so-tai-chinh"}
    # the same national document meets the corpus's node when both are built together
    assert "doc:vn:57-nq-tw:2024" in corpus_graph


def test_table_rows_carry_out_the_document_their_group_names(corpus_graph):
    from conftest import VINH_PHUC

    plan = _loaded(corpus_graph, VINH_PHUC)
    rows = {corpus_graph.nodes[t]["number"]: t for t in _out(corpus_graph, plan, "HAS_TASK")
            if corpus_graph.nodes[t]["origin"] == "table"}
    assert _out(corpus_graph, rows["46"], "IMPLEMENTS") == {"doc:vinh-phuc:52-kh-ubnd:2023"}
    assert _out(corpus_graph, rows["87"], "IMPLEMENTS") == {"doc:vinh-phuc:669-qd-ubnd:2023"}
    assert _out(corpus_graph, rows["1"], "IMPLEMENTS") == set()


def test_targets_in_the_graph(corpus_graph):
    targets = [n for n, d in corpus_graph.nodes(data=True) if d["kind"] == "Target"]
    assert len(targets) >= 200
    plan = _loaded(corpus_graph, YEN_BAI)
    assert len(_out(corpus_graph, plan, "HAS_TARGET")) == len([t for t in targets if t.startswith(plan)])
