"""The report's workbook (``tasks.xlsx``): text is never a formula, whatever a task title starts with."""

from openpyxl import load_workbook

from policykg.graph.builder import build_graph
from policykg.records import AgencyMention, DocumentRecord, Extraction, Provenance, TaskRecord
from policykg.viz.report import write_report

HOSTILE = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)", "\tTab", "\rReturn", "=HYPERLINK(\"http://x\")"]


def hostile_graph():
    p = Provenance("x.txt", 1, 2, "test")
    doc = DocumentRecord("d0", "Kế hoạch", "=1+1 kế hoạch", p, number="1/KH-UBND", province="Phú Thọ",
                         date="2025-08-01")
    tasks = [TaskRecord("d0", ["Phụ lục"], str(k + 1), title, "table", p, [AgencyMention("=Sở Y tế", None, "=Sở Y tế")],
                        [], None, "-output")
             for k, title in enumerate(HOSTILE)]
    return build_graph([Extraction("x.txt", [doc], [], tasks)]).graph


def test_workbook_has_no_formula_and_keeps_the_text(tmp_path):
    write_report(hostile_graph(), tmp_path, "2026-11-23")
    book = load_workbook(tmp_path / "tasks.xlsx")
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    # intact: no quote added to the value (Excel's quote prefix is a style); an XML parser may read a bare CR
    # as LF (openpyxl's own reader does, lxml keeps it)
    texts = {c.value.replace("\r", "\n") for c in cells if isinstance(c.value, str)}
    assert {h.replace("\r", "\n") for h in HOSTILE} <= texts
    assert "-output" in texts
    line_numbers = [c.value for c in book.worksheets[0]["J"][1:]]
    assert line_numbers and all(isinstance(v, int) for v in line_numbers)  # numbers stay numbers
    title_cell = next(c for c in cells if c.value == HOSTILE[0])
    assert title_cell.data_type == "s" and title_cell.quotePrefix
