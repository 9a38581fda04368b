"""The network pages and the report in a real browser: headless Chromium (Debian's), driven by Playwright."""

import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from policykg.graph.builder import build_graph
from policykg.records import AgencyMention, DocumentRecord, Extraction, Provenance, TaskRecord
from policykg.viz import render, select
from policykg.viz.report import page_name, write_report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
HOSTILE = '<script>window.__xss=1</script>"><img src=x onerror="window.__xss=2">'
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Chromium is needed: `apt-get install chromium` (scripts/setup.sh does it)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _open(browser, path: Path, shot: str | None = None):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("http*://**", lambda route: route.abort())  # offline: nothing may be fetched
    page.goto(path.resolve().as_uri())
    if page.query_selector("#mynetwork"):
        page.wait_for_selector("body[data-settled='1']", timeout=90000)
    if shot:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / shot))
    return page, errors


@pytest.mark.parametrize("name, options", [
    ("plan", {"document": "7316/KH-UBND"}),
    ("agency", {"agency": "Sở Khoa học và Công nghệ"}),
    ("under", {"under": "57-NQ/TW"}),
    ("overview", {"max_tasks": 100}),
])
def test_views_load_with_the_expected_network(browser, corpus_graph, tmp_path, name, options):
    view = select(corpus_graph, **options)
    path = tmp_path / f"{name}.html"
    path.write_text(render(corpus_graph, view, as_of="2026-11-23"), encoding="utf-8")
    page, errors = _open(browser, path, f"view-{name}.png")
    assert errors == []
    nodes, edges = page.evaluate("[nodes.length, edges.length]")
    assert nodes == len(view.nodes) + len(view.groups)
    expected_edges = sum(1 for *_, k in corpus_graph.subgraph(view.nodes).edges(keys=True) if k in {
        "IMPLEMENTS", "ISSUES", "BASED_ON", "HAS_TASK", "HAS_TARGET", "LEADS", "SUPPORTS", "MONITORS", "SUCCEEDED_BY"})
    expected_edges += sum(1 + (g.lead is not None) for g in view.groups)
    assert edges == expected_edges == int(page.get_attribute("#pkg-panel", "data-edges"))
    assert page.evaluate("network.physics.options.enabled") is False  # physics settled, then stopped
    page.close()


def test_search_selects_a_node_and_filters_hide_kinds(browser, corpus_graph, tmp_path):
    path = tmp_path / "plan.html"
    # room for the plan's 173 indicators beside its tasks (a view shows them while they are at most half of max_tasks)
    view = select(corpus_graph, document="7316/KH-UBND", max_tasks=400)
    path.write_text(render(corpus_graph, view), encoding="utf-8")
    page, errors = _open(browser, path)
    page.fill("#pkg-search", "van phong ubnd")  # without diacritics
    assert page.evaluate("network.getSelectedNodes()") == ["agency:phu-tho-2025:van-phong-ubnd-tinh"]
    page.uncheck("#pkg-filters input[value='indicator']")
    hidden = page.evaluate("nodes.get({filter: function(n){ return n.hidden; }}).length")
    assert hidden == sum(1 for n in view.nodes if corpus_graph.nodes[n]["kind"] == "Target") > 0
    page.click("#pkg-gaps li >> nth=0")
    assert page.evaluate("network.getSelectedNodes().length") == 1
    assert errors == []


def test_hostile_titles_are_shown_as_text(browser, tmp_path):
    p = Provenance("x.txt", 1, 2, "test")
    doc = DocumentRecord("d0", "Kế hoạch", HOSTILE, p, number="1/KH-UBND", province="Phú Thọ", date="2025-08-01")
    task = TaskRecord("d0", ["Phụ lục"], "1", HOSTILE, "table", p,
                      [AgencyMention(HOSTILE, None, HOSTILE)], [], None, HOSTILE)
    graph = build_graph([Extraction("x.txt", [doc], [], [task])]).graph
    path = tmp_path / "hostile.html"
    path.write_text(render(graph, select(graph, document="1/KH-UBND")), encoding="utf-8")
    page, errors = _open(browser, path, "view-hostile.png")
    assert page.evaluate("window.__xss") is None and errors == []
    assert HOSTILE in page.text_content("#pkg-panel")  # the title, as text
    node = page.evaluate("nodes.get().find(function(n){ return n.title && n.title.indexOf('onerror') >= 0; }).title")
    assert HOSTILE in node
    out = tmp_path / "report"
    write_report(graph, out, "2026-11-23")
    for name in ("index.html", page_name("plan", "doc:phu-tho-2025:1-kh-ubnd:2025"), "checks.html"):
        report_page, report_errors = _open(browser, out / name)
        assert report_page.evaluate("window.__xss") is None and report_errors == [], name
        report_page.close()


def test_report_pages(browser, corpus_graph, tmp_path):
    out = tmp_path / "report"
    files = write_report(corpus_graph, out, "2026-11-23")
    assert (out / "tasks.xlsx") in files
    page, errors = _open(browser, out / "index.html", "report-index.png")
    assert errors == [] and "7316/KH-UBND" in page.text_content("body")
    plan = out / page_name("plan", "doc:phu-tho-2025:7316-kh-ubnd:2025")
    page, errors = _open(browser, plan, "report-plan.png")
    numbers = "Array.from(document.querySelectorAll('table.sortable tbody tr')).map(r => parseFloat(r.cells[0].textContent))"
    page.click("table.sortable th >> nth=0")
    ascending = [n for n in page.evaluate(numbers) if n == n]  # NaN (unnumbered rows) left out
    assert len(ascending) > 100 and ascending == sorted(ascending)
    page.click("table.sortable th >> nth=0")
    descending = [n for n in page.evaluate(numbers) if n == n]
    assert descending == sorted(ascending, reverse=True)
    assert errors == []
    checks, errors = _open(browser, out / "checks.html")
    assert errors == [] and "no-lead" in checks.text_content("body")
