"""The ``policykg`` command line: build, extract, export, store (check, repair), who, agencies, query, sparql,
check, viz, report, push, cypher.

Every command that reads the store takes ``--store DIR`` (default ``$POLICYKG_STORE`` or
``./.policykg``). Errors are one line each, naming the file and the problem; exit codes:
0 success, 1 some input failed (the rest was loaded), 2 nothing usable or a usage error (a bad option
value: every date is ``YYYY-MM-DD`` that exists, or ``today``).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

import click

from . import __version__
from .dates import DATE, DateError
from .errors import Errors, PolicyKGError
from .graph.builder import build_graph
from .graph.export import to_json_dict
from .graph.store import default_store_path, open_store
from .loaders import extract_file
from .loaders.document import format_blocks, format_text
from .loaders.readers import read_document
from .loaders.readers.sheet import name_lines
from .pipeline import build as run_build
from .pipeline import collect_files

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


class _OneLineUsageError(click.UsageError):
    """A usage error shown as one line (no usage block); exit code 2 as for every usage error."""

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.format_message()}", file=file, err=True)


class _Group(click.Group):
    """The command group: a usage error of any command (a bad value, options that exclude each other) is one line."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as err:
            if isinstance(err, _OneLineUsageError) or type(err).show is not click.UsageError.show:
                raise
            raise _OneLineUsageError(err.format_message(), err.ctx) from None


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="policykg")
def main() -> None:
    """policykg: a knowledge graph of Vietnamese policy documents, tasks and agencies."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_store_option
@click.option("--replace", is_flag=True, help="Start a new store instead of adding to the existing one.")
@click.option("--no-wait", "no_wait", is_flag=True,
              help="Fail at once (E303) if another build is writing the store, instead of waiting for it.")
@click.option("--verbose", "-v", is_flag=True, help="List every warning, not only the first 20.")
@click.option("--document", "document_head", default=None, metavar="TEXT",
              help="The document whose tasks a task list (.xlsx, .csv) holds, when its title rows do not name it: "
                   "\"Kế hoạch 12/KH-UBND ngày 05/3/2025 của UBND tỉnh Bắc Ninh\".")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Extract files in N processes (default: the machine's cores); the graph is the same for any N.")
@click.option("--prune", is_flag=True,
              help="Remove the facts of files that were read from a folder named and are no longer in it.")
def build(paths: tuple[Path, ...], store: Path | None, replace: bool, no_wait: bool, verbose: bool,
          document_head: str | None, jobs: int | None, prune: bool) -> None:
    """Read files or folders into the graph and save it in the store."""
    if document_head is not None and name_lines(document_head) is None:
        raise click.BadParameter("name the kind of the document: \"Kế hoạch 12/KH-UBND ngày 05/3/2025 của UBND tỉnh "
                                 "Bắc Ninh\"", param_hint="--document")
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
        report = run_build(files, store, replace=replace, progress=(lambda _: bar.update(1)) if bar else None,
                           wait=not no_wait, document_head=document_head, jobs=jobs or os.cpu_count() or 1,
                           prune=prune, folders=[p for p in paths if p.is_dir()],
                           on_wait=lambda pid: click.echo(f"waiting for the store lock held by process {pid}…", err=True))
    except PolicyKGError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    finally:
        if bar:
            bar.close()
    for issue in report.errors:
        click.echo(str(issue), err=True)
    counts = report.counts
    click.echo(f"Store: {store or default_store_path()}")
    click.echo(f"Files loaded this run: {len(report.loaded)} ({len(report.added)} new, {len(report.replaced)} "
               f"replacing their earlier facts); unchanged (not read again): {len(report.unchanged)}; "
               f"removed (--prune): {len(report.removed)}; failed: {len(report.errors) + len(missing)}; "
               f"not of the genre (skipped): {len(report.skipped)}")
    for issue in report.skipped:
        click.echo(f"  {issue}")
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
    if report.errors or missing or (report.skipped and not report.loaded):
        sys.exit(2 if not report.loaded else 1)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default=None,
              help="json (default), or text with --blocks.")
@click.option("--blocks", is_flag=True, help="Print the document model the reader made (blocks, tables of cells, lines) instead of the graph.")
@click.option("--text", "as_text", is_flag=True,
              help="Print the text the reader recovered, in reading order, with a marker where each page begins.")
def extract(file: Path, fmt: str | None, blocks: bool, as_text: bool) -> None:
    """Extract one file and print its graph as JSON; nothing is stored. With --blocks or --text, print what
    was read."""
    if blocks and as_text:
        raise click.UsageError("--blocks and --text exclude each other")
    try:
        if blocks or as_text:
            doc = read_document(file)
            if as_text:
                click.echo(format_text(doc))
            else:
                click.echo(json.dumps(doc.to_dict(), ensure_ascii=False, indent=1) if fmt == "json" else format_blocks(doc))
            return
        ex = extract_file(file)
    except PolicyKGError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    result = build_graph([ex])
    data = to_json_dict(result.graph)
    data["warnings"] = [str(i) for i in result.issues]
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _write(output: Path, text: str) -> None:
    """Write ``text`` to ``output``; a folder that does not exist, a full disk or a read-only place is one line
    (E501) and exit code 2."""
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        _cannot_write(output, exc)


def _cannot_write(output: Path, exc: OSError) -> None:
    click.echo(str(Errors.E501.format(file=str(output), detail=exc.strerror or str(exc))), err=True)
    sys.exit(2)


_RDF_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "xml": "xml"}


@main.command()
@_store_option
@click.option("--format", "fmt", type=click.Choice(["json", "ttl", "jsonld", "nt", "xml"]), default="json", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to a file instead of standard output.")
def export(store: Path | None, fmt: str, output: Path | None) -> None:
    """Export the whole store: the JSON contract or RDF (Turtle, JSON-LD, N-Triples, RDF/XML)."""
    try:
        graph = open_store(store).load_graph()
    except PolicyKGError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    if fmt == "json":
        text = json.dumps(to_json_dict(graph), ensure_ascii=False, indent=2)
    else:
        from .graph.rdf import to_rdf

        text = to_rdf(graph).serialize(format=_RDF_FORMATS[fmt])
    if output:
        _write(output, text if text.endswith("\n") else text + "\n")
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text)


@main.group("store")
def store_group() -> None:
    """Look after a store: verify it whole, or go back to its last complete snapshot."""


@store_group.command("check")
@_store_option
def store_check(store: Path | None) -> None:
    """Verify CURRENT and every file of every snapshot against the manifest's checksums; nothing is changed.
    Exit code 0 when the store is whole, 1 when it is damaged, 2 when there is none."""
    target = open_store(store)
    found = target.check()
    if found.empty:
        click.echo(str(Errors.E302.format(path=str(target.path))), err=True)
        sys.exit(2)
    click.echo(f"Store: {target.path}")
    click.echo(f"CURRENT: {found.pointer_problem or found.current}")
    for snap in found.snapshots:
        role = "live" if snap.name == found.current else "kept"
        if snap.complete:
            state = (f"complete: {len(snap.files)} files, {snap.nodes} nodes, {snap.edges} edges, "
                     + ("checksums verified" if snap.verified else "no checksums (an older store): files counted and read"))
        else:
            state = "damaged: " + "; ".join(snap.problems)
        click.echo(f"  {snap.name} ({role}) {state}")
    if not found.ok:
        click.echo(f"Damaged: {found.problem()}. `policykg store repair` goes back to the last complete snapshot.")
        sys.exit(1)
    click.echo("Whole: every file matches the manifest.")


@store_group.command("repair")
@_store_option
def store_repair(store: Path | None) -> None:
    """Point CURRENT back at the newest complete snapshot; damaged snapshots are renamed damaged-<name> (kept
    for inspection, never deleted) and the files they held that the recovered snapshot lacks are listed."""
    target = open_store(store)
    if not target.exists():
        click.echo(str(Errors.E302.format(path=str(target.path))), err=True)
        sys.exit(2)
    try:
        done = target.repair()
    except PolicyKGError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    if not done.changed:
        click.echo(f"The store at {target.path} is whole; nothing to repair.")
        return
    if done.current:
        click.echo(f"CURRENT now names {done.current}, the newest complete snapshot.")
    else:
        click.echo("No complete snapshot was left: the store is now empty; build it again.")
    for name in done.set_aside:
        click.echo(f"Set aside: {name}")
    if done.lost:
        click.echo(f"Files the damaged snapshot held and the recovered one lacks ({len(done.lost)}); build them again:")
        for source in done.lost:
            click.echo(f"  {source}")


def _load_graph(store: Path | None):
    try:
        return open_store(store).load_graph()
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
@click.option("--as-of", "as_of", type=DATE, default=None, help="Date (YYYY-MM-DD or today) to answer for; default today.")
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


def _emit(records: list, fmt: str, lang: str, columns: list[str] | None = None) -> None:
    """Records as a readable table (default), JSON or CSV."""
    from .queries.records import as_table, to_csv

    if fmt == "json":
        click.echo(json.dumps([asdict(r) for r in records], ensure_ascii=False, indent=2, default=str))
        return
    if fmt == "csv":
        click.echo(to_csv(records, lang, raw=_csv_raw()), nl=False)
        return
    header, rows = as_table(records, lang)
    if columns is not None and header:
        names = [f for f in asdict(records[0])]
        keep = [names.index(c) for c in columns]
        header, rows = [header[k] for k in keep], [[row[k] for k in keep] for row in rows]
    if not rows:
        click.echo("(không có kết quả)" if lang == "vi" else "(no results)")
        return
    cells = [[_short(v) for v in row] for row in rows]
    widths = [max(len(str(h)), *(len(c[k]) for c in cells)) for k, h in enumerate(header)]
    click.echo("  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
    for row in cells:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths)))
    click.echo(f"({len(rows)})")


def _short(value, width: int = 60) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


_TASK_COLUMNS = ["number", "title", "lead", "support", "deadline", "jurisdiction", "source_file", "line_start"]


@main.group()
def query() -> None:
    """Ask the graph: owner, tasks, chain, implementers, workload, deadlines, compare, search."""


def _csv_raw_option(func):
    """``--csv-raw``: CSV cells as they are, for machines (default: text that a spreadsheet would run as a
    formula gets a leading ``'``). Kept in the context, so the commands need no extra argument."""
    return click.option("--csv-raw", "csv_raw", is_flag=True, expose_value=False,
                        callback=lambda ctx, _param, value: ctx.meta.__setitem__("policykg.csv_raw", value),
                        help="With --format csv: write cells as they are (no ' before =, +, -, @; for machines).")(func)


def _csv_raw() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get("policykg.csv_raw"))


def _query_options(func):
    func = _csv_raw_option(func)
    func = _store_option(func)
    func = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                        show_default=True)(func)
    return click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)(func)


def _policy_graph(store: Path | None):
    from .queries.api import PolicyGraph

    return PolicyGraph(_load_graph(store))


def _answer(func):
    """Run a query; an input that names nothing is one line on stderr and exit code 1, a value that is not
    a date (a named query's ``--param``) one line and exit code 2, as for a bad option."""
    from .queries.api import QueryError

    try:
        return func()
    except DateError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(2)
    except QueryError as err:
        click.echo(str(err), err=True)
        sys.exit(1)


@query.command("owner")
@click.argument("task")
@click.option("--as-of", "as_of", type=DATE, default=None)
@_query_options
def query_owner(task: str, as_of: str | None, store: Path | None, fmt: str, lang: str) -> None:
    """Lead and supporters of TASK, and its owners at --as-of (see also `policykg who`)."""
    from .queries.lookup import find_tasks

    pg = _policy_graph(store)
    found = find_tasks(pg.graph, task)
    if len(found) != 1:
        click.echo(f"{len(found)} tasks match {task!r}; give its ID", err=True)
        sys.exit(1)
    answer = _answer(lambda: pg.owner(found[0], as_of))
    if fmt == "json":
        click.echo(json.dumps(asdict(answer), ensure_ascii=False, indent=2))
        return
    _emit([answer.task], fmt, lang, None if fmt == "csv" else _TASK_COLUMNS)
    _emit(answer.leads_today + answer.supports_today, fmt, lang,
          None if fmt == "csv" else ["role", "name", "jurisdiction", "printed"])


@query.command("tasks")
@click.option("--agency", default=None, help="Agency name in any form (\"Sở KH&CN\", \"so khcn\").")
@click.option("--role", type=click.Choice(["lead", "support", "any"]), default="any", show_default=True)
@click.option("--under", default=None, help="Document in any form (\"57\", \"57-NQ/TW\", \"Nghị quyết 57\").")
@click.option("--jurisdiction", default=None)
@click.option("--due-before", "due_before", type=DATE, default=None)
@click.option("--as-of", "as_of", type=DATE, default=None, help="Also count the tasks of the agencies it succeeded.")
@_query_options
def query_tasks(agency, role, under, jurisdiction, due_before, as_of, store, fmt, lang) -> None:
    """Tasks by agency, role, higher-level document (transitively), jurisdiction and due date."""
    pg = _policy_graph(store)
    rows = _answer(lambda: pg.tasks(agency=agency, role=role, under=under, jurisdiction=jurisdiction,
                                    due_before=due_before, as_of=as_of))
    _emit(rows, fmt, lang, None if fmt != "table" else _TASK_COLUMNS)


@query.command("chain")
@click.argument("document")
@_query_options
def query_chain(document: str, store: Path | None, fmt: str, lang: str) -> None:
    """The implementation chain of DOCUMENT: up to the national documents, down to plans (with task counts)."""
    pg = _policy_graph(store)
    rows = _answer(lambda: pg.chain(document))
    _emit(rows, fmt, lang, None if fmt != "table" else ["depth", "kind", "number", "title", "jurisdiction", "date",
                                                         "loaded", "tasks"])


@query.command("implementers")
@click.argument("document")
@_query_options
def query_implementers(document: str, store: Path | None, fmt: str, lang: str) -> None:
    """Which provinces and plans carry out DOCUMENT, with task counts per lead agency."""
    pg = _policy_graph(store)
    rows = _answer(lambda: pg.implementers(document))
    _emit(rows, fmt, lang, None if fmt != "table" else ["jurisdiction", "number", "title", "tasks", "without_lead",
                                                         "leads"])


@query.command("workload")
@click.option("--jurisdiction", default=None)
@click.option("--under", default=None)
@click.option("--as-of", "as_of", type=DATE, default=None, help="Date for the overdue count (default today).")
@_query_options
def query_workload(jurisdiction, under, as_of, store, fmt, lang) -> None:
    """Per agency: tasks led, supported, indicators monitored, overdue."""
    pg = _policy_graph(store)
    rows = _answer(lambda: pg.workload(jurisdiction=jurisdiction, under=under, as_of=as_of))
    _emit(rows, fmt, lang, None if fmt != "table" else ["name", "jurisdiction", "led", "supported", "monitored",
                                                         "overdue"])


@query.command("deadlines")
@click.option("--between", nargs=2, type=DATE, default=None, metavar="FROM TO")
@click.option("--overdue-as-of", "overdue_as_of", type=DATE, default=None)
@_query_options
def query_deadlines(between, overdue_as_of, store, fmt, lang) -> None:
    """Tasks due in a period, or overdue at a date."""
    pg = _policy_graph(store)
    rows = _answer(lambda: pg.deadlines(between=tuple(between) if between else None, overdue_as_of=overdue_as_of))
    _emit(rows, fmt, lang, None if fmt != "table" else ["due", "number", "title", "lead", "jurisdiction"])


@query.command("compare")
@click.argument("document")
@click.option("--kind", "kinds", multiple=True, help="Only agencies of this kind or name (repeatable): \"Sở\".")
@_query_options
def query_compare(document, kinds, store, fmt, lang) -> None:
    """The same DOCUMENT across provinces: who leads the comparable tasks in each."""
    pg = _policy_graph(store)
    rows = _answer(lambda: pg.compare(document, kinds or None))
    _emit(rows, fmt, lang)


@query.command("search")
@click.argument("text")
@click.option("--limit", type=int, default=None)
@_query_options
def query_search(text, limit, store, fmt, lang) -> None:
    """Tasks whose title or output contains TEXT, accent-insensitive ("chuyen doi so")."""
    pg = _policy_graph(store)
    _emit(pg.search(text, limit), fmt, lang, None if fmt != "table" else _TASK_COLUMNS)


@main.command()
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="K=V", help="A query parameter (repeatable).")
@click.option("--backend", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True)
@_store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and what they answer.")
@click.option("--allow-service", "allow_service", is_flag=True,
              help="Run the query's SERVICE clauses: the engine fetches those URLs (refused by default, E602).")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most N rows (0: all; default all).")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
              help="Skip the first N rows (with --limit: one page of the answer).")
@_csv_raw_option
def sparql(name: str | None, params: tuple[str, ...], backend: str, store: Path | None, fmt: str, list_queries: bool,
           allow_service: bool, limit: int | None, offset: int) -> None:
    """Run a named SPARQL query (policykg/queries/sparql/NAME.rq) or a .rq FILE against the RDF store.

    With Oxigraph (the default), the RDF form of the store's live snapshot is kept on disk beside it
    (built on the first query of a snapshot) and opened by the next queries; a store that cannot be
    written is answered from memory. A query file that cannot be read or parsed, or that reaches outside
    the store (SERVICE, FROM), is one line (E6xx) and exit code 2."""
    from .queries.named import QueryFileError, check_dates
    from .queries.sparql import load_query, named_queries, needs_graph

    values = _named_query_params(name, params, list_queries, named_queries())
    if values is None:
        return
    try:
        query_ = _answer(lambda: load_query(name, backend, allow_service))
        values = _answer(lambda: check_dates(query_, values))
        runner, pg = _sparql_runner(store, backend, needs_graph(query_))
        rows = _answer(lambda: runner.run(query_, values, pg, allow_service, limit=limit, offset=offset))
    except QueryFileError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    _emit_rows(rows, fmt)
    if fmt == "table" and limit and len(rows) == limit:
        click.echo(f"(rows {offset + 1}-{offset + limit}; --offset {offset + limit} for the next ones)", err=True)


def _sparql_runner(store: Path | None, backend: str, with_graph: bool):
    """The runner of ``policykg sparql`` and the PolicyGraph resolving the query's parameters (None when it
    has no document, task or agency to resolve). Oxigraph: the SPARQL folder of the store's live snapshot,
    so the graph is read only to build that folder or to resolve parameters; rdflib: the graph in rdflib's
    memory store."""
    from functools import cache

    from .queries.api import PolicyGraph
    from .queries.sparql import SparqlRunner, store_runner

    graph = cache(lambda: _load_graph(store))
    if backend == "rdflib":
        runner = SparqlRunner(graph(), "rdflib")
    else:
        runner, _ = store_runner(store if store is not None else default_store_path(), graph)
    return runner, PolicyGraph(graph()) if with_graph else None


def _named_query_params(name: str | None, params: tuple[str, ...], list_queries: bool, named: dict) -> dict | None:
    """The ``--param K=V`` values of a named-query command; with ``--list``, the queries are listed and
    None is returned."""
    if list_queries:
        for query_ in named.values():
            click.echo(f"{query_.name} ({', '.join(query_.params)}): {query_.description}")
        return None
    if not name:
        raise click.UsageError("give a query NAME or FILE (or --list)")
    return dict(p.split("=", 1) for p in params if "=" in p)


def _emit_rows(rows: list[dict], fmt: str) -> None:
    """Rows of a named query as JSON, CSV or a plain table with a count."""
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    header = list(rows[0]) if rows else []
    if fmt == "csv":
        from .queries.records import csv_text

        click.echo(csv_text(header, [[row[h] for h in header] for row in rows], raw=_csv_raw()), nl=False)
        return
    for row in rows:
        click.echo("  ".join(_short(row[h]) for h in header))
    click.echo(f"({len(rows)})")


@main.command()
@_store_option
@click.option("--as-of", "as_of", type=DATE, default=None, help="Date for overdue tasks and abolished leads (default today).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option("--fail-on", "fail_on", type=click.Choice(["error", "warning"]), default=None,
              help="Exit with code 3 when a finding is at this severity or worse (for CI pipelines).")
@click.option("--no-shacl", "no_shacl", is_flag=True, help="Skip the SHACL shapes (graph checks only).")
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of the source files: the HTML report links to them and shows the lines.")
@click.option("--limit", type=int, default=30, show_default=True, help="Findings shown per check in text (0: all).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
def check(store, as_of, fmt, lang, fail_on, no_shacl, sources, limit, output) -> None:
    """Consistency checks: tasks with no owner and every other gap, per document and per check."""
    from .checks.report import fails, run_checks, to_html, to_json, to_text

    report = run_checks(_load_graph(store), as_of, lang, shacl=not no_shacl)
    if fmt == "json":
        text = to_json(report)
    elif fmt == "html":
        text = to_html(report, sources)
    else:
        text = to_text(report, limit or None)
    if output:
        _write(output, text + "\n")
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text)
    if fails(report, fail_on):
        sys.exit(3)


@main.command()
@_store_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write.")
@click.option("--document", default=None, help="A plan with its tasks and agencies.")
@click.option("--agency", default=None, help="An agency's tasks across plans, with the documents above them.")
@click.option("--under", default=None, help="Everything carried out under a document (e.g. 57-NQ/TW).")
@click.option("--province", default=None, help="The loaded documents of a province.")
@click.option("--focus", default=None, help="A node ID: its neighbourhood of --depth steps.")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True)
@click.option("--max-tasks", "max_tasks", type=click.IntRange(min=1), default=300, show_default=True,
              help="Above this many tasks, a view groups them per plan and lead agency.")
@click.option("--as-of", "as_of", type=DATE, default=None, help="Date for the gaps marked on the network (default today).")
def viz(store, output, document, agency, under, province, focus, depth, max_tasks, as_of) -> None:
    """Write a self-contained interactive network page (works offline)."""
    from .viz import render, select

    chosen = [f"--{name}" for name, value in (("document", document), ("agency", agency), ("under", under),
                                               ("province", province), ("focus", focus)) if value]
    if len(chosen) > 1:
        raise click.UsageError(f"choose one view: {' and '.join(chosen)} cannot be combined")
    graph = _load_graph(store)
    view = _answer(lambda: select(graph, document=document, agency=agency, under=under, province=province,
                                  focus=focus, depth=depth, max_tasks=max_tasks))
    _write(output, render(graph, view, as_of=as_of))
    click.echo(f"Wrote {output} ({len(view.nodes) + len(view.groups)} nodes"
               f"{', grouped' if view.grouped else ''})", err=True)


@main.command()
@_store_option
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write the report into.")
@click.option("--as-of", "as_of", type=DATE, default=None, help="Date for overdue tasks and abolished leads (default today).")
def report(store, output, as_of) -> None:
    """Write the HTML report: plans, agencies, findings, network views, and the task tables as XLSX."""
    from .viz.report import write_report

    graph = _load_graph(store)
    try:
        files = write_report(graph, output, as_of)
    except OSError as exc:
        _cannot_write(output, exc)
    click.echo(f"Wrote {len(files)} files to {output} (open {output / 'index.html'})", err=True)


def _bolt_options(func):
    func = click.option("--dialect", type=click.Choice(["auto", "neo4j", "falkordb"]), default="auto",
                        envvar="POLICYKG_BOLT_DIALECT", show_default=True,
                        help="The server's Cypher dialect (auto: ask the server).")(func)
    func = click.option("--database", default=None, envvar="NEO4J_DATABASE", help="Database name (Neo4j 4+).")(func)
    func = click.option("--password", default=None, envvar="NEO4J_PASSWORD", show_envvar=True,
                        help="Password (never printed).")(func)
    func = click.option("--user", default=None, envvar="NEO4J_USERNAME", show_envvar=True)(func)
    return click.option("--uri", default=None, envvar="NEO4J_URI", show_envvar=True,
                        help="Bolt URI (default bolt://127.0.0.1:7687); neo4j+s://... for Aura.")(func)


def _driver(uri, user, password, database, dialect="auto"):
    """A checked driver, its dialect and settings; a server that is down or refuses is one line, exit 2."""
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    from .graph.bolt import BoltSettings, open_server

    settings = BoltSettings.from_env(uri, user, password, database)
    try:
        driver, dialect = open_server(settings, None if dialect == "auto" else dialect)
    except PolicyKGError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    except (Neo4jError, ServiceUnavailable) as err:
        click.echo(f"E401 {settings.uri}: {settings.scrub(str(err).splitlines()[0][:200])}", err=True)
        sys.exit(2)
    return driver, dialect, settings


def _server_call(func):
    """Run a call against the server; a failure is one line (E403) and exit code 2, no traceback."""
    from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

    try:
        return func()
    except (Neo4jError, ServiceUnavailable, SessionExpired, OSError) as err:
        detail = str(err).split("\n")[0][:300]
        click.echo(str(Errors.E403.format(file=None, detail=detail)), err=True)
        sys.exit(2)


@main.command()
@_store_option
@_bolt_options
@click.option("--full", is_flag=True,
              help="Write every node and relationship again, changed or not (after the server was edited by hand).")
@click.option("--batch-size", type=click.IntRange(min=1), default=None, metavar="ROWS",
              help="Rows per UNWIND statement (default by dialect: neo4j 5000, falkordb 1000; FalkorDB statements "
                   "are also cut at 4 KB whatever this says).")
def push(store, uri, user, password, database, dialect, full, batch_size) -> None:
    """Make a Bolt/Cypher server (Neo4j, Aura, FalkorDB) hold the store's graph: only what changed since the
    last push is sent, and what the graph no longer holds is deleted."""
    from .graph.bolt import push as push_graph

    graph = _load_graph(store)
    driver, dialect, settings = _driver(uri, user, password, database, dialect)
    with driver:
        stats = _server_call(lambda: push_graph(graph, driver, settings.database, dialect, full=full,
                                                batch_size=batch_size))
    rate = (stats.nodes + stats.relationships) / stats.seconds if stats.seconds else 0
    nodes, rels = stats.changes["nodes"], stats.changes["relationships"]
    click.echo(f"Pushed {stats.nodes} nodes and {stats.relationships} relationships to {settings.uri} ({dialect}) "
               f"in {stats.seconds:.1f} s ({rate:.0f}/s){', in full' if full else ''}"
               f"{'; the server held none of it' if stats.empty_server else ''}: {stats.summary()} "
               f"(nodes {nodes['created']}/{nodes['updated']}/{nodes['deleted']}/{nodes['unchanged']}, "
               f"relationships {rels['created']}/{rels['updated']}/{rels['deleted']}/{rels['unchanged']}); "
               f"{stats.rows} rows sent in {stats.statements} statements of at most {stats.limits.rows} rows")


@main.command()
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="K=V", help="A query parameter (repeatable).")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and what they answer.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_store_option
@_bolt_options
def cypher(name, params, list_queries, fmt, store, uri, user, password, database, dialect) -> None:
    """Run a named Cypher query (policykg/queries/cypher/NAME.cypher) or a .cypher FILE on the server.

    A query file that cannot be read or parsed, or that makes the server fetch a URL (LOAD CSV), is one
    line (E6xx) and exit code 2, before any server is reached."""
    from .queries.cypher import load_cypher, named_cypher, run_cypher
    from .queries.named import QueryFileError, check_dates

    values = _named_query_params(name, params, list_queries, named_cypher())
    if values is None:
        return
    try:
        query_ = _answer(lambda: load_cypher(name))
        values = _answer(lambda: check_dates(query_, values))
        pg = _policy_graph(store)
        driver, dialect, settings = _driver(uri, user, password, database, dialect)
        with driver:
            rows = _server_call(lambda: _answer(lambda: run_cypher(driver, query_, values, pg, dialect,
                                                                   settings.database)))
    except QueryFileError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    _emit_rows(rows, fmt)

if __name__ == "__main__":  # pragma: no cover
    main()
