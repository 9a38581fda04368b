"""Fixtures of the reader tests: real PDFs printed by Chromium from the corpus-wild plans.

A plan's Markdown is read by the Markdown reader and written back as plain HTML (bold headings,
paragraphs, tables with their row and column spans and a ``thead`` that Chromium repeats on every
page; the document's head and its signature table without borders, as printed plans have them),
then printed to PDF by headless Chromium. PDFs are made once per test session.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from policykg.loaders.document import Block, Document

WILD = Path(__file__).resolve().parents[3].parent / "shared" / "corpus-wild"
CHROMIUM = "/usr/bin/chromium"

_CSS = """
@page { size: A4; margin: 20mm 15mm 20mm 25mm; }
body { font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; font-size: 13pt; }
p { margin: 0 0 6pt 0; text-align: justify; }
p.h { text-align: center; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; }
table.ruled td, table.ruled th { border: 0.75pt solid black; padding: 2pt 4pt; vertical-align: top; font-size: 11pt; }
table.ruled th { font-weight: bold; }
table.plain td { border: none; text-align: center; vertical-align: top; width: 50%; padding: 0 14pt; }
table.open td, table.open th { border: none; padding: 2pt 6pt; vertical-align: top; font-size: 11pt; text-align: left; }
"""


def _cell_html(text: str, bold: bool) -> str:
    text = html.escape(text)
    return f"<b>{text}</b>" if bold else text


def _table_html(block: Block, ruled: bool) -> str:
    assert block.table is not None
    rows = block.table.rows()
    head = [r for r in rows if r and all(c.kind == "column_header" for c in r)] if ruled else []
    width = block.table.n_cols
    out = [f'<table class="{"ruled" if ruled else "plain"}">']
    if head:
        out.append("<thead>")
    for k, row in enumerate(rows):
        if head and k == len(head):
            out.append("</thead><tbody>")
        out.append("<tr>")
        # the crawl writes short rows (a group row "I | title", the rest of a row its neighbour spans):
        # printed, a group row's title spans the rest of the row, other rows are padded with empty cells
        covered = sum(c.col_span for c in block.table.grid()[k] if c is not None and c.row < k) if k else 0
        missing = width - covered - sum(c.col_span for c in row)
        group = len(row) == 2 and missing > 0 and bool(re.fullmatch(r"[IVXL]{1,5}|[A-Z]", row[0].text.strip()))
        for j, cell in enumerate(row):
            tag = "th" if cell.kind == "column_header" and ruled else "td"
            col_span = cell.col_span + (missing if group and j == 1 else 0)
            spans = (f' rowspan="{cell.row_span}"' if cell.row_span > 1 else "") + \
                    (f' colspan="{col_span}"' if col_span > 1 else "")
            out.append(f"<{tag}{spans}>{_cell_html(cell.text, cell.bold)}</{tag}>")
        if not group:
            out.extend(["<td></td>"] * max(missing, 0))
        out.append("</tr>")
    out.append("</tbody></table>" if head else "</table>")
    return "".join(out)


def document_html(doc: Document, borders: bool = True) -> str:
    """The document as plain HTML for printing (see the module docstring); ``borders=False`` prints the
    tables of the body without their borders."""
    parts = []
    first_table = True
    for block in doc.blocks:
        if block.kind == "table" or block.table is not None:
            ruled = block.kind == "table" and not first_table
            first_table = False
            table = _table_html(block, ruled)
            parts.append(table if borders or not ruled else table.replace('class="ruled"', 'class="open"', 1))
        elif block.kind == "heading":
            parts.append(f'<p class="h"><b>{html.escape(block.text)}</b></p>')
        elif block.text.strip():
            parts.append(f"<p>{_cell_html(block.text, block.bold)}</p>")
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{_CSS}</style></head>'
            f"<body>{''.join(parts)}</body></html>")


def print_pdf(page_html: str, out: Path) -> Path:
    """``page_html`` printed to ``out`` by headless Chromium (through playwright)."""
    from playwright.sync_api import sync_playwright

    source = out.with_suffix(".html")
    source.write_text(page_html, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
        page = browser.new_page()
        page.goto(source.as_uri())
        page.pdf(path=str(out), format="A4", print_background=False, prefer_css_page_size=True)
        browser.close()
    return out


@pytest.fixture(scope="session")
def wild_pdf(tmp_path_factory):
    """A function: the name of a corpus-wild plan (without ``.md``) → the path of its PDF print (made once)."""
    if not Path(CHROMIUM).exists() or not WILD.is_dir():
        pytest.skip("Chromium or the corpus-wild plans are not available")
    folder = tmp_path_factory.mktemp("wild-pdf")
    made: dict[str, Path] = {}

    def make(name: str, borders: bool = True) -> Path:
        key = name if borders else f"{name}-open"
        if key not in made:
            from policykg.loaders.readers.markdown import read_markdown

            source = WILD / f"{name}.md"
            doc = read_markdown(source.read_text(encoding="utf-8"), source.name)
            made[key] = print_pdf(document_html(doc, borders), folder / f"{key}.pdf")
        return made[key]

    return make


@pytest.fixture(scope="session")
def pdf_of_html(tmp_path_factory):
    """A function: (name, HTML) → the path of its PDF print."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None and not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not available")
    folder = tmp_path_factory.mktemp("html-pdf")
    return lambda name, page_html: print_pdf(page_html, folder / f"{name}.pdf")
