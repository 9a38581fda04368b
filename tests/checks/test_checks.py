"""Consistency checks: they fire where the corpus really has the problem, not on clean plans, and SHACL
agrees with the graph checks where they overlap."""

import json
from collections import Counter

import pytest
from click.testing import CliRunner
from conftest import YEN_BAI

from policykg.checks.graph_checks import _led_parents, run_graph_checks
from policykg.checks.report import fails, run_checks, to_html, to_json
from policykg.checks.shacl import run_shacl
from policykg.cli import main
from policykg.graph.builder import build_graph
from policykg.records import (
    AgencyMention,
    Citation,
    Deadline,
    DocumentRecord,
    Extraction,
    Provenance,
    TargetRecord,
    TaskRecord,
)

AS_OF = "2026-11-23"


@pytest.fixture(scope="module")
def findings(corpus_graph):
    return run_graph_checks(corpus_graph, AS_OF)


def _of(findings, check, document_part=""):
    return [f for f in findings if f.check == check and document_part in (f.document or "")]


def test_the_nineteen_yen_bai_tasks_have_no_lead(findings, extractions):
    listed = {t.number.strip("()") for t in extractions[YEN_BAI].tasks if t.origin == "list"}
    assert len(listed) == 19
    no_lead = _of(findings, "no-lead", "yen-bai")
    assert {f.node.rsplit("/", 1)[-1] for f in no_lead if "/task/iii/2/" in f.node} == listed
    # item 3 of "Tổ chức thực hiện", "Đề nghị Ủy ban MTTQ ... phối hợp ...", is a request: the committee is its actor
    assert len(no_lead) == 19 and all(f.severity == "error" for f in no_lead)
    requested = [t for t in extractions[YEN_BAI].tasks if t.role == "requested"]
    assert [m.name for t in requested for m in t.lead][:1] == ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]


def test_missing_appendices_of_the_yen_bai_plan(findings):
    missing = _of(findings, "appendix-missing")
    assert [(f.source["file"], f.source["line_start"]) for f in missing] == [(YEN_BAI, 529), (YEN_BAI, 1025)]
    assert "Phụ lục 1" in missing[0].message and "Phụ lục 2" in missing[1].message


def test_yen_bai_indicators_have_no_monitor(findings):
    assert len(_of(findings, "indicator-no-monitor", "yen-bai")) == 218


def test_abolished_leads_name_their_successors(findings):
    abolished = [f for f in _of(findings, "lead-abolished", "vinh-phuc") if "Thông tin và Truyền thông" in f.message]
    assert abolished and all("Sở Khoa học và Công nghệ (Phú Thọ)" in f.message for f in abolished)
    merged = _of(findings, "lead-province-merged", "vinh-phuc")
    assert merged and all(f.severity == "info" for f in merged)


def test_collective_leads_and_cited_documents(findings):
    collective = _of(findings, "collective-lead")
    assert collective and all("Các" in f.message or "UBND cấp" in f.message for f in collective)
    cited = {f.node for f in _of(findings, "cited-not-loaded")}
    assert {"doc:vn:57-nq-tw:2024", "doc:vn:71-nq-cp:2025", "doc:vn:569-qd-ttg:2022"} <= cited


def test_shacl_agrees_with_the_graph_checks(corpus_graph, findings):
    shapes = run_shacl(corpus_graph)
    nodes = lambda items, check: {f.node for f in items if f.check == check}  # noqa: E731
    # no LEADS edge: the graph checks tell a lead the text does not name from one it prints unreadably
    unled = nodes(findings, "no-lead") | nodes(findings, "lead-unreadable")
    assert nodes(findings, "lead-unreadable") and not nodes(findings, "lead-unreadable") & nodes(findings, "no-lead")
    # a row that groups led rows ("29" over "29.1", "29.2") has no lead of its own: the shape says so, the
    # graph checks do not call it a task left without one
    tasks = [n for n, d in corpus_graph.nodes(data=True) if d.get("kind") == "Task"]
    parents = {t for t in _led_parents(corpus_graph, tasks)
               if not any(k == "LEADS" for _, _, k in corpus_graph.in_edges(t, keys=True))}
    assert parents and not parents & unled
    assert nodes(shapes, "shape:task-lead") == unled | parents
    assert nodes(shapes, "shape:task-accountable-lead") == (
        unled | parents | nodes(findings, "collective-lead") | nodes(findings, "several-leads"))
    assert nodes(shapes, "shape:indicator-monitor") == nodes(findings, "indicator-no-monitor")
    assert nodes(shapes, "shape:plan-implements") == nodes(findings, "implements-nothing")
    assert all("«" in f.message for f in shapes)  # the node is named in words


# --- clean and faulty plans written here -------------------------------------------------------------
P = Provenance("plan.txt", 1, 5, "test")


def _mention(key, name, collective=False):
    return AgencyMention(name, key, name, collective)


HEALTH = _mention("so-y-te", "Sở Y tế")
SCIENCE = _mention("so-khoa-hoc-va-cong-nghe", "Sở Khoa học và Công nghệ")
ALL = _mention("cac-so-ban-nganh", "Các sở, ban, ngành", True)


def _plan(*tasks, targets=(), implements=True, date="2025-08-01"):
    doc = DocumentRecord("d0", "Kế hoạch", "Kế hoạch thực hiện Nghị quyết số 57-NQ/TW", P, number="9/KH-UBND",
                         issuer="UBND tỉnh Phú Thọ", province="Phú Thọ", date=date, date_precision="day")
    cites = [Citation("c0", "d0", "IMPLEMENTS", "Nghị quyết", "Nghị quyết số 57-NQ/TW", P, document="d0",
                      number="57-NQ/TW", year=2024, level="national")] if implements else []
    return build_graph([Extraction("plan.txt", [doc], cites, list(tasks), list(targets))]).graph


def _task(number="1", title="Xây dựng cơ sở dữ liệu chuyên ngành y tế của tỉnh", lead=(HEALTH,), support=(ALL,),
          deadline=Deadline("Tháng 12/2030", "2030-12-31")):
    return TaskRecord("d0", ["Phụ lục"], number, title, "table", P, list(lead), list(support), deadline)


def test_a_clean_plan_has_no_findings():
    graph = _plan(_task(), targets=[TargetRecord("d0", ["Mục tiêu"], "1", "100% hồ sơ", P, 2030, None, [HEALTH])])
    report = run_checks(graph, AS_OF)
    assert [f.check for f in report.findings] == ["cited-not-loaded"]  # 57-NQ/TW itself is not loaded
    assert not fails(report, "warning")


@pytest.mark.parametrize("task, check", [
    (_task(lead=()), "no-lead"),
    (_task(lead=(ALL,)), "collective-lead"),
    (_task(lead=(HEALTH, SCIENCE)), "several-leads"),
    (_task(support=(HEALTH,)), "lead-also-supports"),
    (_task(deadline=None), "no-deadline"),
    (_task(deadline=Deadline("Khi có điều kiện")), "unreadable-deadline"),
    (_task(deadline=Deadline("Tháng 6/2025", "2025-06-30")), "due-before-plan"),
    (_task(deadline=Deadline("Tháng 12/2025", "2025-12-31")), "overdue"),
])
def test_each_fault_fires_its_check(task, check):
    checks = Counter(f.check for f in run_checks(_plan(task), AS_OF).findings)
    assert checks[check] == 1, checks


def test_duplicates_plans_and_indicators():
    twice = _plan(_task("1"), _task("2"))
    assert [f.check for f in run_graph_checks(twice, AS_OF) if f.check == "duplicate-task"] == ["duplicate-task"]
    alone = _plan(_task(), implements=False, targets=[TargetRecord("d0", ["Mục tiêu"], "1", "100% hồ sơ", P)])
    checks = {f.check for f in run_checks(alone, AS_OF).findings}
    assert {"implements-nothing", "shape:plan-implements", "indicator-no-monitor", "shape:indicator-monitor"} <= checks


def test_report_formats_escape_and_exit_codes(tmp_path):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    graph = _plan(_task(title=hostile, lead=()))
    report = run_checks(graph, AS_OF, lang="en")
    page = to_html(report)
    assert "<script>alert" not in page and "onerror=alert(2)>" not in page and "&lt;script&gt;" in page
    data = json.loads(to_json(report))
    assert set(data[0]) == {"check", "severity", "message", "node", "document", "source"}
    assert any(f["message"].endswith("no lead agency") for f in data)
    assert fails(report, "error") and fails(report, "warning")


def test_check_command(tmp_path, corpus_dir):
    store = tmp_path / "s"
    runner = CliRunner()
    runner.invoke(main, ["build", str(corpus_dir / YEN_BAI), "--store", str(store)])
    text = runner.invoke(main, ["check", "--store", str(store), "--as-of", AS_OF, "--limit", "1"])
    assert text.exit_code == 0 and "Theo văn bản:" in text.stdout and "no-lead" in text.stdout
    failing = runner.invoke(main, ["check", "--store", str(store), "--fail-on", "error", "--format", "json"])
    assert failing.exit_code == 3 and json.loads(failing.stdout)
    page = tmp_path / "r.html"
    runner.invoke(main, ["check", "--store", str(store), "--format", "html", "--lang", "en", "--sources",
                         str(corpus_dir), "-o", str(page)])
    html_text = page.read_text(encoding="utf-8")
    assert "<details>" in html_text and "appendix-missing" in html_text


def test_a_row_that_groups_led_rows_is_not_called_no_lead():
    """ "29" over "29.1" (led) has no lead of its own and is no finding (nor is debris in its lead cell); "30" is,
    and so is "5" of another section than the "5.1" that has a lead."""
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_node("d", kind="Document", doc_kind="Kế hoạch", number="1/KH-UBND", loaded=True, date="2025-01-02")
    g.add_node("a", kind="Agency", name="Sở Y tế")
    for node, number, section in (("29", "29", "II"), ("29.1", "29.1", "II"), ("30", "30", "II"),
                                  ("5", "5", "I"), ("5.1", "5.1", "II")):
        g.add_node(f"d/task/{node}", kind="Task", document="d", number=number, section=["Phụ lục", section],
                   title="Số hóa hồ sơ", lead_unreadable="d1ﬁﬁ%" if node == "29" else None)
        g.add_edge("d", f"d/task/{node}", key="HAS_TASK", kind="HAS_TASK")
    for node in ("29.1", "5.1"):
        g.add_edge("a", f"d/task/{node}", key="LEADS", kind="LEADS")
    found = {f.node for f in run_graph_checks(g, as_of="2025-06-01") if "lead" in f.check}
    assert found == {"d/task/30", "d/task/5"}  # nor "lead-unreadable" for the debris in the group row's cell


def test_an_unreadable_lead_is_not_called_no_lead():
    import networkx as nx

    from policykg.checks.graph_checks import run_graph_checks

    g = nx.MultiDiGraph()
    g.add_node("d", kind="Document", doc_kind="Kế hoạch", number="1/KH-UBND", loaded=True, date="2025-01-02")
    g.add_node("d/task/1", kind="Task", document="d", number="1", title="Số hóa hồ sơ", lead_unreadable="S& Gido vaPaotao")
    g.add_node("d/task/2", kind="Task", document="d", number="2", title="Đào tạo cán bộ")
    for task in ("d/task/1", "d/task/2"):
        g.add_edge("d", task, key="HAS_TASK", kind="HAS_TASK")
    found = {(f.check, f.node) for f in run_graph_checks(g, as_of="2025-06-01") if "lead" in f.check}
    assert found == {("lead-unreadable", "d/task/1"), ("no-lead", "d/task/2")}
    (message,) = [f.message for f in run_graph_checks(g, as_of="2025-06-01") if f.check == "lead-unreadable"]
    assert "«S& Gido vaPaotao»" in message
