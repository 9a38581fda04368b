"""The HTML report (``policykg report -o DIR``): an index of plans and agencies; per plan its chain of
higher documents and a sortable task table (number, title, lead, supporters, deadline, output, flags);
per agency what it leads and supports, under which documents; the check findings; a network view of
each plan and an overview. The task tables are also written as an Excel workbook (``tasks.xlsx``).
Every piece of document text is escaped; in the workbook every text cell is a string cell (data type
``s``), never a formula, whatever the title starts with (``=cmd|' /C calc'!A0`` stays text).
"""

from __future__ import annotations

import hashlib
import html
from collections import defaultdict
from pathlib import Path

import networkx as nx
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from ..checks.report import run_checks, to_html
from ..queries.api import PolicyGraph
from ..queries.records import FORMULA_TRIGGERS, TaskRow
from ..text import slug
from .network import render
from .views import select

__all__ = ["append_text_row", "page_name", "write_report"]

_CSS = """body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top;font-size:13px}th{cursor:pointer;background:#eee}
.flag{color:#a00;font-weight:bold}nav a{margin-right:1em}"""
_SORT = """document.querySelectorAll('table.sortable th').forEach(function(th, col){ th.addEventListener('click', function(){
  var body = th.closest('table').tBodies[0]; var rows = Array.from(body.rows); var asc = th.dataset.asc !== '1';
  rows.sort(function(a,b){ var x=a.cells[col].textContent, y=b.cells[col].textContent;
    var nx=parseFloat(x), ny=parseFloat(y); var c = (!isNaN(nx) && !isNaN(ny)) ? nx-ny : x.localeCompare(y,'vi');
    return asc ? c : -c; });
  rows.forEach(function(r){ body.appendChild(r); }); th.dataset.asc = asc ? '1' : '0'; }); });"""
_FLAGS = {"no-lead", "lead-unreadable", "collective-lead", "lead-abolished", "overdue", "several-leads", "no-deadline"}


def page_name(prefix: str, node: str) -> str:
    """A short, stable file name for a node's page."""
    return f"{prefix}-{slug(node.split(':')[-1])[:40]}-{hashlib.sha1(node.encode()).hexdigest()[:8]}.html"


def append_text_row(sheet, values: list) -> None:
    """Append ``values`` as a row of ``sheet``: text as string cells, never formulas (openpyxl makes a
    formula of any text starting with ``=``), without the control characters a workbook cannot hold;
    numbers stay numbers. Text a spreadsheet would read as a
    formula when edited also gets Excel's quote prefix (shown as typed, kept as text).

    >>> from openpyxl import Workbook
    >>> sheet = Workbook().active
    >>> append_text_row(sheet, ["=1+1", "Sở Y tế\x1b", 3, None])
    >>> [(c.value, c.data_type) for c in sheet[1]]
    [('=1+1', 's'), ('Sở Y tế', 's'), (3, 'n'), (None, 'n')]
    """
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_TRIGGERS):
                cell.quotePrefix = True


def _page(title: str, body: str) -> str:
    esc = html.escape
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f"<style>{_CSS}</style></head><body><nav><a href=\"index.html\">Trang chính</a>"
            f"<a href=\"checks.html\">Kết quả kiểm tra</a><a href=\"network-overview.html\">Mạng tổng quan</a></nav>"
            f"<h1>{esc(title)}</h1>{body}<script>{_SORT}</script></body></html>")


def _source_cell(row: TaskRow, source_path: str | None) -> str:
    """Where a task is written: file and line, and for files with pages the page, linked to it in the file.

    >>> row = TaskRow("t", "d", "1", "x", [], [], None, None, None, None, "", "kh.pdf", 40, 41, 0.9, 3)
    >>> _source_cell(row, "/data/kh.pdf")
    'kh.pdf:40, <a href="file:///data/kh.pdf#page=3">trang 3</a>'
    """
    if not row.source_file:
        return ""
    text = html.escape(f"{row.source_file}:{row.line_start}")
    if row.page is None:
        return text
    page = f"trang {row.page}"
    if source_path:
        uri = f"{Path(source_path).as_uri()}#page={row.page}"
        page = f'<a href="{html.escape(uri)}">{page}</a>'
    return f"{text}, {page}"


def _task_table(rows: list[TaskRow], flags: dict[str, list[str]], source_path: str | None = None) -> str:
    esc = html.escape
    head = "".join(f"<th>{h}</th>" for h in ("Số", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn", "Kết quả", "Cảnh báo", "Nguồn"))
    body = "".join(
        f"<tr><td>{esc(r.number)}</td><td>{esc(r.title)}</td><td>{esc('; '.join(r.lead))}</td>"
        f"<td>{esc('; '.join(r.support))}</td><td>{esc(r.deadline or '')}</td><td>{esc(r.output or '')}</td>"
        f"<td class=\"flag\">{esc(', '.join(flags.get(r.task, [])))}</td>"
        f"<td>{_source_cell(r, source_path)}</td></tr>" for r in rows)
    return f'<table class="sortable"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def write_report(graph: nx.MultiDiGraph, out: Path, as_of: str | None = None) -> list[Path]:
    """Write the report into ``out`` (created); returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    esc = html.escape
    pg = PolicyGraph(graph)
    checks = run_checks(graph, as_of)
    flags: dict[str, list[str]] = defaultdict(list)
    for f in checks.findings:
        if f.check in _FLAGS and f.check not in flags[f.node]:
            flags[f.node].append(f.check)
    written: list[Path] = []

    def write(name: str, text: str) -> None:
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)

    plans = sorted((n for n, d in graph.nodes(data=True) if d.get("kind") == "Document" and d.get("loaded")),
                   key=lambda n: (graph.nodes[n].get("jurisdiction", ""), n))
    workbook = Workbook()
    workbook.remove(workbook.active)
    plan_links = []
    for plan in plans:
        data = graph.nodes[plan]
        rows = sorted((pg._row(t) for _, t, k in graph.out_edges(plan, keys=True) if k == "HAS_TASK"),
                      key=lambda r: (r.source_file or "", r.line_start or 0))
        chain = [link for link in pg.chain(plan) if link.depth < 0]
        chain_html = "".join(f"<li>{esc(' '.join(x for x in (link.kind, link.number) if x))} "
                             f"{esc(link.title or '')} ({esc(link.jurisdiction)})</li>" for link in chain)
        name, net = page_name("plan", plan), page_name("network-plan", plan)
        title = " ".join(x for x in (data.get("doc_kind"), data.get("number")) if x) or plan
        write(net, render(graph, select(graph, document=plan, pg=pg), findings=checks.findings))
        write(name, _page(f"{title} — {data.get('jurisdiction', '')}",
                          f"<p>{esc(data.get('title') or '')}</p><p>{esc(data.get('date') or '')} · "
                          f"<a href=\"{net}\">Xem mạng lưới</a></p><h2>Thực hiện các văn bản</h2><ul>{chain_html}</ul>"
                          f"<h2>Nhiệm vụ ({len(rows)})</h2>{_task_table(rows, flags, data.get('source_path'))}"))
        plan_links.append(f"<li><a href=\"{name}\">{esc(title)}</a> — {esc(data.get('jurisdiction', ''))}: "
                          f"{esc((data.get('title') or '')[:120])} ({len(rows)} nhiệm vụ, "
                          f"{sum(1 for r in rows if flags.get(r.task))} có cảnh báo)</li>")
        sheet = workbook.create_sheet(title=slug(title)[:28] or "plan")
        append_text_row(sheet, ["Số", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn", "Hạn", "Kết quả", "Cảnh báo",
                                "Tệp", "Dòng", "Trang"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for r in rows:
            append_text_row(sheet, [r.number, r.title, "; ".join(r.lead), "; ".join(r.support), r.deadline, r.due,
                                    r.output, ", ".join(flags.get(r.task, [])), r.source_file, r.line_start, r.page])
    xlsx = out / "tasks.xlsx"
    workbook.save(xlsx)
    written.append(xlsx)
    agency_links = []
    for load in pg.workload(as_of=checks.as_of):
        rows = pg.tasks(agency=load.agency)
        by_doc: dict[str, list[TaskRow]] = defaultdict(list)
        for r in rows:
            by_doc[r.document].append(r)
        sections = "".join(
            f"<h2>{esc(' '.join(x for x in (graph.nodes[d].get('doc_kind'), graph.nodes[d].get('number')) if x))} "
            f"{esc((graph.nodes[d].get('title') or '')[:100])}</h2>"
            f"<p>Thực hiện: {esc('; '.join(link.number or link.title or '' for link in pg.chain(d) if link.depth < 0))}</p>"
            f"{_task_table(items, flags, graph.nodes[d].get('source_path'))}" for d, items in sorted(by_doc.items()))
        name = page_name("agency", load.agency)
        write(name, _page(f"{load.name} — {load.jurisdiction}",
                          f"<p>Chủ trì {load.led}, phối hợp {load.supported}, theo dõi {load.monitored} chỉ tiêu, "
                          f"quá hạn {load.overdue}.</p>{sections}"))
        agency_links.append(f"<li><a href=\"{name}\">{esc(load.name)}</a> — {esc(load.jurisdiction)}: "
                            f"chủ trì {load.led}, phối hợp {load.supported}</li>")
    write("checks.html", to_html(checks))
    write("network-overview.html", render(graph, select(graph, pg=pg), findings=checks.findings))
    write("index.html", _page("policykg — báo cáo",
                              f"<p>Tính đến {esc(checks.as_of)}. <a href=\"tasks.xlsx\">Bảng nhiệm vụ (Excel)</a></p>"
                              f"<h2>Kế hoạch, văn bản đã đọc ({len(plans)})</h2><ul>{''.join(plan_links)}</ul>"
                              f"<h2>Cơ quan ({len(agency_links)})</h2><ul>{''.join(agency_links)}</ul>"))
    return written
