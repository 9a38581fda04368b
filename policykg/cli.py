"""The ``policykg`` command line: build, extract, export, who, agencies.

Every command that reads the store takes ``--store DIR`` (default ``$POLICYKG_STORE`` or
``./.policykg``). Errors are one line each, naming the file and the problem; exit codes:
0 success, 1 some input failed (the rest was loaded), 2 nothing usable.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from . import __version__
from .errors import PolicyKGError
from .graph.builder import build_graph
from .graph.export import to_json_dict
from .graph.store import default_store_path, open_store
from .loaders import extract_file
from .pipeline import build as run_build
from .pipeline import collect_files, summary

__all__ = ["main"]

_STORE_HELP = "Store folder (default: $POLICYKG_STORE or ./.policykg)."
_REVIEW_CODES = {"W301", "W303"}
_SUMMARY_LABELS = {
    "documents_loaded": "Văn bản đã đọc (documents loaded)",
    "documents_cited": "Văn bản được dẫn chiếu (documents cited)",
    "tasks": "Nhiệm vụ (tasks)",
    "targets": "Chỉ tiêu (targets)",
    "agencies": "Cơ quan (agencies)",
    "jurisdictions": "Địa bàn (jurisdictions)",
    "edges": "Quan hệ (edges)",
}


def _store_option(func):
    return click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help=_STORE_HELP)(func)


@click.group()
@click.version_option(__version__, prog_name="policykg")
def main() -> None:
    """policykg: a knowledge graph of Vietnamese policy documents, tasks and agencies."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_store_option
@click.option("--replace", is_flag=True, help="Start a new store instead of adding to the existing one.")
@click.option("--verbose", "-v", is_flag=True, help="List every warning, not only the first 20.")
def build(paths: tuple[Path, ...], store: Path | None, replace: bool, verbose: bool) -> None:
    """Read files or folders into the graph and save it in the store."""
    files = collect_files(paths)
    missing = [p for p in files if not p.exists()]
    for path in missing:
        click.echo(f"E105 {path}: no such file or folder", err=True)
    files = [p for p in files if p.exists()]
    bar = None
    if len(files) > 1 and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="file", file=sys.stderr)
    try:
        report = run_build(files, store, replace=replace, progress=(lambda _: bar.update(1)) if bar else None)
    except PolicyKGError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    finally:
        if bar:
            bar.close()
    for issue in report.errors:
        click.echo(str(issue), err=True)
    counts = summary(report.graph)
    click.echo(f"Store: {store or default_store_path()}")
    click.echo(f"Files loaded this run: {len(report.loaded)}; failed: {len(report.errors) + len(missing)}")
    for key, label in _SUMMARY_LABELS.items():
        click.echo(f"  {label:<44} {counts[key]:>6}")
    review = [i for i in report.warnings if i.code in _REVIEW_CODES]
    warnings = [i for i in report.warnings if i.code not in _REVIEW_CODES]
    for title, issues in ((f"Warnings: {len(warnings)}", warnings),
                          (f"Table rows to review (not read fully): {len(review)}", review)):
        click.echo(title)
        for issue in issues if verbose else issues[:20]:
            click.echo(f"  {issue}")
        if not verbose and len(issues) > 20:
            click.echo(f"  ... {len(issues) - 20} more (use --verbose)")
    if report.errors or missing:
        sys.exit(2 if not report.loaded else 1)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
def extract(file: Path, fmt: str) -> None:
    """Extract one file and print its graph as JSON; nothing is stored."""
    try:
        ex = extract_file(file)
    except PolicyKGError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    result = build_graph([ex])
    data = to_json_dict(result.graph)
    data["warnings"] = [str(i) for i in result.issues]
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


_RDF_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "xml": "xml"}


@main.command()
@_store_option
@click.option("--format", "fmt", type=click.Choice(["json", "ttl", "jsonld", "nt", "xml"]), default="json", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to a file instead of standard output.")
def export(store: Path | None, fmt: str, output: Path | None) -> None:
    """Export the whole store: the JSON contract or RDF (Turtle, JSON-LD, N-Triples, RDF/XML)."""
    try:
        contents = open_store(store).load()
    except PolicyKGError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    if fmt == "json":
        text = json.dumps(to_json_dict(contents.graph), ensure_ascii=False, indent=2)
    else:
        from .graph.rdf import to_rdf

        text = to_rdf(contents.graph).serialize(format=_RDF_FORMATS[fmt])
    if output:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text)


def _load_graph(store: Path | None):
    try:
        return open_store(store).load().graph
    except PolicyKGError as err:
        click.echo(str(err), err=True)
        sys.exit(2)


_WHO_LABELS = {
    "vi": {"lead": "chủ trì", "support": "phối hợp", "named": "Kế hoạch ghi", "today": "Hiện nay",
           "none": "không có cơ quan chủ trì", "function": "chức năng", "as_of": "tính đến"},
    "en": {"lead": "lead", "support": "support", "named": "The plan names", "today": "Owner",
           "none": "no lead agency", "function": "function", "as_of": "as of"},
}


@main.command()
@click.argument("task")
@_store_option
@click.option("--as-of", "as_of", default=None, help="Date (YYYY-MM-DD) to answer for; default today.")
@click.option("--role", type=click.Choice(["lead", "support", "any"]), default="lead", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
def who(task: str, store: Path | None, as_of: str | None, role: str, fmt: str, lang: str) -> None:
    """Who owns TASK today (a task ID, the end of one, or words of its title), through the 2025 restructuring."""
    import datetime as dt

    from .queries.lookup import find_tasks
    from .queries.owners import current_owner

    graph = _load_graph(store)
    as_of = as_of or dt.date.today().isoformat()
    found = find_tasks(graph, task)
    if not found:
        click.echo(f"no task matches {task!r}", err=True)
        sys.exit(1)
    labels = _WHO_LABELS[lang]
    answers = {t: current_owner(graph, t, as_of, role) for t in found[:50]}
    if fmt == "json":
        click.echo(json.dumps([{"task": t, "title": graph.nodes[t].get("title"), "as_of": as_of,
                                 "owners": [{**asdict(o), "function": o.function} for o in owners]}
                                for t, owners in answers.items()], ensure_ascii=False, indent=2))
        return
    for t, owners in answers.items():
        node = graph.nodes[t]
        click.echo(f"{t}\n  {node.get('number', '')} {(node.get('title') or '')[:100]}")
        if not owners:
            click.echo(f"  — {labels['none']}")
        for o in owners:
            click.echo(f"  {labels['named']} ({labels[o.role]}): {o.printed}")
            if o.via:
                for step in o.via:
                    extra = f"; {labels['function']}: {step.function}" if step.function else ""
                    click.echo(f"    → {step.name} — {step.jurisdiction} ({step.date}, {step.instrument}{extra})")
            click.echo(f"  {labels['today']} ({labels['as_of']} {as_of}): {o.name} — {o.jurisdiction}")
    if len(found) > 50:
        click.echo(f"... {len(found) - 50} more tasks match", err=True)


_AGENCY_HEAD = {
    "vi": ("Cơ quan", "Địa bàn", "Lượt nêu", "Chủ trì", "Phối hợp", "Theo dõi", "Kế nhiệm", "Tên khác"),
    "en": ("Agency", "Jurisdiction", "Mentions", "Leads", "Supports", "Monitors", "Succeeded by", "Aliases seen"),
}


@main.command()
@_store_option
@click.option("--jurisdiction", default=None, help="Only this jurisdiction (any spelling of its name).")
@click.option("--unresolved", is_flag=True, help="Only the mentions left unresolved.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
def agencies(store: Path | None, jurisdiction: str | None, unresolved: bool, fmt: str, lang: str) -> None:
    """The canonical agencies of the store: mentions, aliases seen, successors, and what stayed unresolved."""
    from .queries.agencies import agency_rows, mention_counts
    from .text import fold

    graph = _load_graph(store)
    rows = agency_rows(graph)
    if jurisdiction:
        rows = [r for r in rows if fold(jurisdiction) in fold(r.jurisdiction)]
    if unresolved:
        rows = [r for r in rows if not r.resolved and not r.collective]
    if fmt == "json":
        click.echo(json.dumps({"agencies": [asdict(r) for r in rows], "by_file": mention_counts(graph)},
                              ensure_ascii=False, indent=2))
        return
    head = _AGENCY_HEAD[lang]
    click.echo(f"{head[0]:<48} {head[1]:<22} {head[2]:>8} {head[3]:>7} {head[4]:>8} {head[5]:>8}  {head[6]}")
    for r in rows:
        mark = " *" if r.collective else "" if r.resolved else " ?"
        name = r.name[: 48 - len(mark)] + mark
        click.echo(f"{name:<48} {r.jurisdiction[:22]:<22} {r.mentions:>8} {r.leads:>7} {r.supports:>8} "
                   f"{r.monitors:>8}  {', '.join(r.successors)}")
        if r.aliases:
            click.echo(f"{'':<4}{head[7]}: {'; '.join(r.aliases[:8])}")
        if r.source and not r.resolved:
            click.echo(f"{'':<4}{r.source}")
    legend = {"vi": "* tập thể (không phải một cơ quan cụ thể); ? chưa xác định được, kiểm tra lại",
              "en": "* collective (not one accountable agency); ? left unresolved, check it"}[lang]
    click.echo(legend)
    click.echo("")
    for file, counts in mention_counts(graph).items():
        click.echo(f"{file}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":  # pragma: no cover
    main()
