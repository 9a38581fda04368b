"""The check report: run every check, summarise per document and per check, and write it as text, JSON
(the findings contract) or an HTML page staff can read (escaped, grouped, with the source lines).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import networkx as nx

from .findings import SEVERITIES, Finding
from .graph_checks import node_label, run_graph_checks
from .shacl import run_shacl

__all__ = ["CheckReport", "run_checks", "to_text", "to_json", "to_html", "fails"]


@dataclass
class CheckReport:
    as_of: str
    lang: str
    findings: list[Finding] = field(default_factory=list)
    documents: dict[str, str] = field(default_factory=dict)  # document id -> name in words

    def by_check(self) -> Counter:
        return Counter(f.check for f in self.findings)

    def severities(self) -> dict[str, str]:
        return {f.check: f.severity for f in self.findings}

    def by_document(self) -> dict[str, Counter]:
        out: dict[str, Counter] = {}
        for f in self.findings:
            out.setdefault(f.document or "", Counter())[f.severity] += 1
        return out


def run_checks(graph: nx.MultiDiGraph, as_of: str | dt.date | None = None, lang: str = "vi",
               shacl: bool = True) -> CheckReport:
    """Graph checks and (unless ``shacl=False``) SHACL shapes, as one report."""
    as_of = (as_of or dt.date.today()).isoformat() if not isinstance(as_of, str) else as_of
    findings = run_graph_checks(graph, as_of, lang)
    if shacl:
        findings += run_shacl(graph, lang)
    order = {s: k for k, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (f.document or "", order[f.severity], f.check, f.node))
    documents = {f.document: node_label(graph, f.document, lang) for f in findings if f.document in graph}
    return CheckReport(as_of, lang, findings, documents)


def fails(report: CheckReport, level: str | None) -> bool:
    """True when a finding is at ``level`` (``error`` or ``warning``) or worse."""
    if level is None:
        return False
    worst = SEVERITIES.index(level)
    return any(SEVERITIES.index(f.severity) <= worst for f in report.findings)


_WORDS = {
    "vi": {"title": "Kết quả kiểm tra", "as_of": "tính đến", "per_document": "Theo văn bản", "per_check": "Theo loại kiểm tra",
           "findings": "Phát hiện", "none": "Không có phát hiện nào.", "other": "(ngoài văn bản)", "source": "nguồn",
           "error": "lỗi", "warning": "cảnh báo", "info": "thông tin", "check": "Kiểm tra", "total": "Tổng"},
    "en": {"title": "Check report", "as_of": "as of", "per_document": "Per document", "per_check": "Per check",
           "findings": "Findings", "none": "No findings.", "other": "(no document)", "source": "source",
           "error": "error", "warning": "warning", "info": "info", "check": "Check", "total": "Total"},
}


def to_text(report: CheckReport, limit: int | None = 30) -> str:
    """A summary per document and per check, then the findings (the first ``limit`` per check)."""
    w = _WORDS[report.lang]
    lines = [f"{w['title']} ({w['as_of']} {report.as_of})", "", w["per_document"] + ":"]
    for doc, counts in sorted(report.by_document().items()):
        name = report.documents.get(doc, w["other"])
        lines.append(f"  {name}: " + ", ".join(f"{counts[s]} {w[s]}" for s in SEVERITIES if counts[s]))
    lines += ["", w["per_check"] + ":"]
    severity = report.severities()
    for check, count in sorted(report.by_check().items(), key=lambda kv: (SEVERITIES.index(severity[kv[0]]), kv[0])):
        lines.append(f"  {check:<28} {w[severity[check]]:<10} {count:>5}")
    lines += ["", w["findings"] + ":"] if report.findings else ["", w["none"]]
    shown: Counter = Counter()
    for f in report.findings:
        shown[f.check] += 1
        if limit is not None and shown[f.check] > limit:
            continue
        where = f"{f.source.get('file')}:{f.source.get('line_start')}" if f.source.get("file") else ""
        lines.append(f"  [{w[f.severity]}] {f.check}: {f.message}" + (f"  ({where})" if where else ""))
    hidden = sum(max(0, n - limit) for n in shown.values()) if limit is not None else 0
    if hidden:
        lines.append(f"  ... {hidden} more (--limit 0 / --format json)")
    return "\n".join(lines)


def to_json(report: CheckReport) -> str:
    """The findings contract: a list of ``check``, ``severity``, ``message``, ``node``, ``document``, ``source``."""
    return json.dumps([asdict(f) for f in report.findings], ensure_ascii=False, indent=2)


_CSS = """body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top;font-size:14px}
.error{color:#a00;font-weight:bold}.warning{color:#a60}.info{color:#06a}details pre{white-space:pre-wrap;background:#f6f6f6}
h2{margin-top:1.5em}"""


def _excerpt(source: dict, sources: Path | None) -> str:
    if sources is None or not source.get("file") or not source.get("line_start"):
        return ""
    path = sources / source["file"]
    if not path.is_file():
        return ""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    start, end = int(source["line_start"]), int(source.get("line_end") or source["line_start"])
    text = "\n".join(f"{n:>5}  {lines[n - 1]}" for n in range(start, min(end, start + 30, len(lines)) + 1))
    href = html.escape(path.resolve().as_uri(), quote=True)
    return (f'<details><summary><a href="{href}">{html.escape(source["file"])}:{start}-{end}</a></summary>'
            f"<pre>{html.escape(text)}</pre></details>")


def to_html(report: CheckReport, sources: Path | None = None) -> str:
    """A self-contained page: summary tables, then the findings grouped by document and check. Every
    piece of document text is escaped; with ``sources`` (the folder of the source files), each finding
    links to its file and shows its lines."""
    w = _WORDS[report.lang]
    esc = html.escape
    parts = [f"<!DOCTYPE html><html lang=\"{report.lang}\"><head><meta charset=\"utf-8\">",
             f"<title>{esc(w['title'])}</title><style>{_CSS}</style></head><body>",
             f"<h1>{esc(w['title'])} <small>({esc(w['as_of'])} {esc(report.as_of)})</small></h1>",
             f"<h2>{esc(w['per_check'])}</h2><table><tr><th>{esc(w['check'])}</th><th></th><th>{esc(w['total'])}</th></tr>"]
    for check, count in sorted(report.by_check().items()):
        sev = report.severities()[check]
        parts.append(f'<tr><td>{esc(check)}</td><td class="{sev}">{esc(w[sev])}</td><td>{count}</td></tr>')
    parts.append("</table>")
    if not report.findings:
        parts.append(f"<p>{esc(w['none'])}</p>")
    current_doc = current_check = None
    for f in report.findings:
        if f.document != current_doc:
            if current_doc is not None or current_check is not None:
                parts.append("</table>")
            current_doc, current_check = f.document, None
            parts.append(f'<h2 id="{esc(f.document or "", quote=True)}">'
                         f"{esc(report.documents.get(f.document or '', w['other']))}</h2>")
        if f.check != current_check:
            if current_check is not None:
                parts.append("</table>")
            current_check = f.check
            parts.append(f"<h3>{esc(f.check)}</h3><table>")
        where = esc(f"{f.source.get('file')}:{f.source.get('line_start')}") if f.source.get("file") else ""
        parts.append(f'<tr><td class="{f.severity}">{esc(w[f.severity])}</td><td>{esc(f.message)}'
                     f"{_excerpt(f.source, sources)}</td><td>{where}</td></tr>")
    if report.findings:
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
