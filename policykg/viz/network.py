"""Interactive network pages (pyvis / vis-network), self-contained: all JavaScript in-line, no CDN, so a
page works offline on a government network.

Nodes are coloured and shaped by kind (national document, provincial document, task, indicator, agency,
collective, group of tasks), edges styled by kind; a panel beside the network holds the legend, a
search box that selects a node, filters by kind, and the list of the gaps the checks found (tasks with
no lead, a collective-only lead, an abolished lead, overdue), which are also marked on the network.
Physics runs until the layout settles, then stops. Every piece of document text is escaped in the
panel; in the network it is handed to vis-network as data, which draws it as text.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
from pyvis.network import Network

from ..checks.findings import Finding
from ..checks.graph_checks import run_graph_checks
from .views import View

__all__ = ["STYLE", "EDGE_STYLE", "render", "GAP_CHECKS"]

# kind -> (label, colour, shape)
STYLE = {
    "national": ("Văn bản trung ương", "#c0392b", "box"),
    "provincial": ("Văn bản của tỉnh", "#e67e22", "box"),
    "task": ("Nhiệm vụ", "#3498db", "dot"),
    "group": ("Nhóm nhiệm vụ", "#1f618d", "square"),
    "indicator": ("Chỉ tiêu", "#27ae60", "triangle"),
    "agency": ("Cơ quan", "#8e44ad", "ellipse"),
    "collective": ("Tập thể", "#95a5a6", "ellipse"),
}
EDGE_STYLE = {
    "IMPLEMENTS": {"color": "#c0392b", "dashes": True, "width": 2},
    "ISSUES": {"color": "#7f8c8d", "dashes": False, "width": 2},
    "BASED_ON": {"color": "#bdc3c7", "dashes": True, "width": 1},
    "HAS_TASK": {"color": "#d5dbdb", "dashes": False, "width": 1},
    "HAS_TARGET": {"color": "#d5f5e3", "dashes": False, "width": 1},
    "LEADS": {"color": "#2c3e50", "dashes": False, "width": 3},
    "SUPPORTS": {"color": "#aab7b8", "dashes": [2, 4], "width": 1},
    "MONITORS": {"color": "#27ae60", "dashes": [6, 3], "width": 2},
    "SUCCEEDED_BY": {"color": "#f1c40f", "dashes": True, "width": 2},
}
GAP_CHECKS = {"no-lead", "lead-unreadable", "collective-lead", "lead-abolished", "overdue"}
_DRAWN_EDGES = set(EDGE_STYLE)


@dataclass
class _Gap:
    node: str
    check: str
    message: str


def _kind(graph: nx.MultiDiGraph, node: str) -> str:
    data = graph.nodes[node]
    kind = data.get("kind")
    if kind == "Document":
        return "national" if data.get("jurisdiction_id") == "jur:vn" else "provincial"
    if kind == "Task":
        return "task"
    if kind == "Target":
        return "indicator"
    return "collective" if data.get("collective") else "agency"


def _tooltip(graph: nx.MultiDiGraph, node: str) -> str:
    data = graph.nodes[node]
    lines = []
    if data.get("kind") == "Document":
        lines = [" ".join(x for x in (data.get("doc_kind"), data.get("number")) if x), data.get("title") or "",
                 f"{data.get('jurisdiction', '')} {data.get('date') or ''}".strip()]
    elif data.get("kind") in {"Task", "Target"}:
        leads = [graph.nodes[s].get("name", s) for s, _, k in graph.in_edges(node, keys=True) if k == "LEADS"]
        supports = [graph.nodes[s].get("name", s) for s, _, k in graph.in_edges(node, keys=True) if k == "SUPPORTS"]
        lines = [f"{data.get('number', '')}. {data.get('title') or data.get('text') or ''}",
                 f"Chủ trì: {'; '.join(leads) or '—'}", f"Phối hợp: {'; '.join(supports) or '—'}",
                 f"Thời hạn: {data.get('deadline_text') or '—'}", f"Kết quả: {data.get('output') or '—'}"]
    else:
        lines = [data.get("name", node), f"{data.get('agency_kind') or ''} — {data.get('jurisdiction', '')}"]
    if data.get("source_file"):
        lines.append(f"Nguồn: {data['source_file']}:{data.get('line_start')}-{data.get('line_end')}")
    return "\n".join(line for line in lines if line)


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    data = graph.nodes[node]
    if data.get("kind") == "Document":
        return data.get("number") or (data.get("doc_kind") or "") + " " + (data.get("date") or "")
    if data.get("kind") in {"Task", "Target"}:
        return str(data.get("number", ""))
    name = data.get("name", node)
    return name if len(name) <= 32 else name[:31] + "…"


def _gaps(findings: list[Finding], tasks: set[str]) -> list[_Gap]:
    return [_Gap(f.node, f.check, f.message) for f in findings if f.check in GAP_CHECKS and f.node in tasks]


def render(graph: nx.MultiDiGraph, view: View, as_of: str | None = None, height: str = "800px",
           findings: list[Finding] | None = None) -> str:
    """The HTML page of ``view``; the gaps come from ``findings`` when the caller has run the checks
    already (a report draws many pages), else from running them at ``as_of``."""
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    tasks = {n for n in view.nodes if graph.nodes[n].get("kind") == "Task"} | {t for g in view.groups for t in g.tasks}
    gaps = _gaps(run_graph_checks(graph, as_of) if findings is None else findings, tasks)
    flagged = defaultdict(list)
    for gap in gaps:
        flagged[gap.node].append(gap.check)
    counts = defaultdict(int)
    for node in sorted(view.nodes):
        kind = _kind(graph, node)
        counts[kind] += 1
        _, colour, shape = STYLE[kind]
        color = {"background": colour, "border": "#e60000" if node in flagged else colour}
        net.add_node(node, label=("⚠ " if node in flagged else "") + _label(graph, node), title=_tooltip(graph, node),
                     color=color, shape=shape, borderWidth=4 if node in flagged else 1, pkgkind=kind,
                     size=10 if kind == "task" else 18)
    for group in view.groups:
        counts["group"] += 1
        _, colour, shape = STYLE["group"]
        bad = sum(1 for t in group.tasks if t in flagged)
        lead = graph.nodes[group.lead].get("name") if group.lead else "—"
        title = f"{len(group.tasks)} nhiệm vụ — chủ trì: {lead}\n" + "\n".join(
            f"{graph.nodes[t].get('number', '')}. {(graph.nodes[t].get('title') or '')[:80]}" for t in group.tasks[:20])
        net.add_node(group.id, label=f"{len(group.tasks)} nhiệm vụ" + (f" (⚠ {bad})" if bad else ""), title=title,
                     color={"background": colour, "border": "#e60000" if bad else colour}, shape=shape, pkgkind="group",
                     size=min(60, 10 + len(group.tasks) ** 0.5 * 3), borderWidth=4 if bad else 1)
    drawn = set(view.nodes)
    edge_count = 0
    for src, dst, key in sorted(graph.subgraph(drawn).edges(keys=True)):
        if key in _DRAWN_EDGES:
            net.add_edge(src, dst, title=key, arrows="to", **EDGE_STYLE[key])
            edge_count += 1
    for group in view.groups:
        net.add_edge(group.document, group.id, title="HAS_TASK", arrows="to", **EDGE_STYLE["HAS_TASK"])
        edge_count += 1
        if group.lead:
            net.add_edge(group.lead, group.id, title="LEADS", arrows="to",
                         **{**EDGE_STYLE["LEADS"], "width": min(10, 1 + len(group.tasks) // 5)})
            edge_count += 1
    physics = len(drawn) + len(view.groups) <= 1500
    net.set_options(json.dumps({
        "physics": {"enabled": physics, "solver": "forceAtlas2Based", "stabilization": {"iterations": 300, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
        "edges": {"smooth": False}, "nodes": {"font": {"size": 14}},
    }))
    page = net.generate_html()
    page = re.sub(r'<link[^>]+href="https?://[^"]+"[^>]*>', "", page)
    page = re.sub(r'<script[^>]+src="https?://[^"]+"[^>]*></script>', "", page)
    panel = _panel(graph, view, gaps, counts, edge_count)
    page = page.replace("<body>", f"<body>{panel}", 1)
    page = page.replace("</body>", f"<script>{_SCRIPT}</script></body>", 1)
    return page.replace("<head>", '<head><meta charset="utf-8"><title>' + html.escape(f"policykg — {view.title}") +
                        "</title><style>" + _CSS + "</style>", 1)


_CSS = """body{font-family:system-ui,sans-serif;margin:0;display:flex}#mynetwork{height:100vh!important}
.card{flex:1;border:none}#pkg-panel{width:320px;padding:10px;border-right:1px solid #ddd;overflow:auto;height:100vh;
font-size:13px;box-sizing:border-box}#pkg-panel h1{font-size:16px}#pkg-panel li{margin:2px 0}.sw{display:inline-block;
width:12px;height:12px;margin-right:4px;vertical-align:middle}.gap{color:#a00;cursor:pointer}"""

_SCRIPT = """
(function(){
  var stop = function(){ network.setOptions({physics:false}); document.body.setAttribute('data-settled','1');
    var bar = document.getElementById('loadingBar'); if (bar) { bar.style.display = 'none'; } };
  network.once('stabilizationIterationsDone', stop);
  if (!network.physics.options.enabled) { stop(); }
  setTimeout(stop, 20000);
  window.pkgSelect = function(id){ if (!nodes.get(id)) return false; network.selectNodes([id]); network.focus(id,{scale:1.2});
    document.getElementById('pkg-selected').textContent = id; return true; };
  document.getElementById('pkg-search').addEventListener('input', function(e){
    var q = e.target.value.normalize('NFD').replace(/[\\u0300-\\u036f]/g,'').replace(/đ/gi,'d').toLowerCase();
    if (q.length < 2) return;
    var hit = nodes.get({filter:function(n){ var t=((n.label||'')+' '+(n.title||'')).normalize('NFD')
      .replace(/[\\u0300-\\u036f]/g,'').replace(/đ/gi,'d').toLowerCase(); return t.indexOf(q) >= 0; }});
    if (hit.length) { window.pkgSelect(hit[0].id); }
  });
  document.querySelectorAll('#pkg-filters input').forEach(function(box){
    box.addEventListener('change', function(){
      var hidden = {}; document.querySelectorAll('#pkg-filters input').forEach(function(b){ hidden[b.value] = !b.checked; });
      nodes.update(nodes.get().map(function(n){ return {id:n.id, hidden: !!hidden[n.pkgkind]}; }));
    });
  });
  document.querySelectorAll('#pkg-gaps li').forEach(function(li){
    li.addEventListener('click', function(){ window.pkgSelect(li.getAttribute('data-node')); });
  });
})();
"""


def _panel(graph: nx.MultiDiGraph, view: View, gaps: list[_Gap], counts: dict, edges: int) -> str:
    esc = html.escape
    legend = "".join(
        f'<li><label><input type="checkbox" value="{kind}" checked><span class="sw" style="background:{colour}"></span>'
        f"{esc(label)} ({counts.get(kind, 0)})</label></li>" for kind, (label, colour, _) in STYLE.items())
    edge_legend = "".join(
        f'<li><span class="sw" style="background:{style["color"]}"></span>{esc(kind)}'
        f'{" (nét đứt)" if style["dashes"] else ""}</li>' for kind, style in EDGE_STYLE.items())
    gap_items = "".join(f'<li class="gap" data-node="{esc(g.node, quote=True)}">[{esc(g.check)}] {esc(g.message)}</li>'
                        for g in gaps[:500])
    more = f"<li>… {len(gaps) - 500}</li>" if len(gaps) > 500 else ""
    grouped = "<p>Nhiều nhiệm vụ: mỗi ô vuông là các nhiệm vụ của một kế hoạch do một cơ quan chủ trì.</p>" if view.grouped else ""
    total = len(view.nodes) + len(view.groups)
    return (f'<div id="pkg-panel" data-nodes="{total}" data-edges="{edges}"><h1>{esc(view.title)}</h1>{grouped}'
            f'<p>{total} nút, {edges} cạnh</p><input id="pkg-search" placeholder="Tìm nút (không dấu cũng được)" '
            f'style="width:100%"><p>Đang chọn: <span id="pkg-selected">—</span></p>'
            f'<h2>Chú giải</h2><ul id="pkg-filters" style="list-style:none;padding:0">{legend}</ul>'
            f'<ul style="list-style:none;padding:0">{edge_legend}</ul>'
            f'<h2>Thiếu sót ({len(gaps)})</h2><ul id="pkg-gaps" style="padding-left:16px">{gap_items}{more}</ul></div>')
