"""Task lists kept as spreadsheets (.xlsx, .csv): the document named by title rows or by --document, the tasks
of the table, malformed CSV, formulas read as values."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.styles import Font

from policykg.cli import main
from policykg.errors import InputError, NotGenreError
from policykg.loaders.extract import extract_file
from policykg.loaders.readers import read_document, sniff_binary

NAME = "Kế hoạch 12/KH-UBND ngày 05/3/2025 của UBND tỉnh Bắc Ninh"
# (lead, supporters, deadline cell, due date)
ROWS = [
    ("Sở Khoa học và Công nghệ", "Sở Tài chính; Sở Nội vụ", dt.datetime(2025, 6, 30), "2025-06-30"),
    ("Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Quý III/2025", "2025-09-30"),
    ("Sở Nội vụ", "Sở Tư pháp", "Năm 2026", "2026-12-31"),
    ("Sở Y tế", "Bảo hiểm xã hội tỉnh", dt.datetime(2025, 12, 15), "2025-12-15"),
    ("Sở Giáo dục và Đào tạo", "Sở Thông tin và Truyền thông", "Quý IV/2025", "2025-12-31"),
    ("Sở Tư pháp", "Sở Nội vụ", "Tháng 9/2025", "2025-09-30"),
    ("Công an tỉnh", "Sở Khoa học và Công nghệ", "Quý II/2026", "2026-06-30"),
    ("Sở Xây dựng", "Sở Tài chính", "Năm 2025", "2025-12-31"),
    ("Sở Công Thương", "Sở Tài chính; Sở Khoa học và Công nghệ", dt.datetime(2025, 10, 1), "2025-10-01"),
    ("Văn phòng UBND tỉnh", "Sở Nội vụ", "Quý I/2026", "2026-03-31"),
]
HEADER = ["Cơ quan chủ trì", "TT", "Thời gian hoàn thành", "Nhiệm vụ", "Cơ quan phối hợp", "Sản phẩm"]


def _rows(ws) -> None:  # noqa: ANN001
    ws.append(HEADER)
    for n, (lead, support, due, _) in enumerate(ROWS, start=1):
        ws.append([lead, n, due, f"Xây dựng cơ sở dữ liệu chuyên ngành số {n}", support, "Báo cáo"])


def workbook(path: Path, *, named: bool = True) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh mục"
    ws["A1"] = "UBND TỈNH BẮC NINH"
    ws["A1"].font = Font(bold=True)
    ws.merge_cells("A1:C1")
    ws["A2"] = "DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2025"
    ws.merge_cells("A2:F2")
    if named:
        ws["A3"] = f"(Kèm theo {NAME.replace('Kế hoạch', 'Kế hoạch số')})"
        ws.merge_cells("A3:F3")
    ws.append([])
    _rows(ws)
    wb.save(path)
    return path


def _check_tasks(ex, first_row: int) -> None:  # noqa: ANN001
    assert len(ex.tasks) == len(ROWS)
    for n, (task, (lead, support, _, due)) in enumerate(zip(ex.tasks, ROWS), start=1):
        assert task.number == str(n)
        assert task.title == f"Xây dựng cơ sở dữ liệu chuyên ngành số {n}"
        assert [m.name for m in task.lead] == [lead]
        assert [m.name for m in task.support] == [s.strip() for s in support.split(";")]
        assert task.deadline is not None and task.deadline.due == due
        assert task.output == "Báo cáo"
        assert task.provenance.line_start == first_row + n  # the spreadsheet's row


def test_title_rows_name_the_document(tmp_path: Path) -> None:
    ex = extract_file(workbook(tmp_path / "nhiem-vu.xlsx"))
    [d] = ex.documents
    assert (d.kind, d.number, d.date, d.issuer, d.province) == ("Kế hoạch", "12/KH-UBND", "2025-03-05", "UBND tỉnh Bắc Ninh", "Bắc Ninh")
    assert d.title == "DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2025"
    _check_tasks(ex, 5)
    assert not [i for i in ex.issues if i.code in {"W101", "W102", "W106", "W301"}]


def test_merged_title_cells_and_header(tmp_path: Path) -> None:
    doc = read_document(workbook(tmp_path / "a.xlsx"))
    table = doc.tables[0].table
    assert [c.text for c in table.cells if c.kind == "column_header"] == HEADER
    assert doc.blocks[0].text == "UBND TỈNH BẮC NINH" and doc.blocks[0].bold
    assert doc.tables[0].line_start == 5
    cell = next(c for c in table.cells if c.row == 1 and c.col == 2)
    assert cell.text == "30/06/2025"  # a date cell, written as the genre writes dates


def test_document_option(tmp_path: Path) -> None:
    path = workbook(tmp_path / "khong-ten.xlsx", named=False)
    with pytest.raises(NotGenreError, match=r"E104 khong-ten.xlsx: .*a task list that names no document: say whose "
                                            r"tasks they are with --document"):
        extract_file(path)
    ex = extract_file(path, NAME)
    [d] = ex.documents
    assert (d.kind, d.number, d.date, d.issuer) == ("Kế hoạch", "12/KH-UBND", "2025-03-05", "UBND tỉnh Bắc Ninh")
    assert d.provenance.line_start == 0  # the head is not in the file: it was given
    _check_tasks(ex, 4)


def test_document_option_without_title_rows(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    _rows(wb.active)
    wb.save(path := tmp_path / "bang.xlsx")
    ex = extract_file(path, NAME + " về chuyển đổi số")
    assert [(d.number, d.title) for d in ex.documents] == [("12/KH-UBND", "Về chuyển đổi số")]
    ex = extract_file(path, NAME)
    assert [(d.number, d.title) for d in ex.documents] == [("12/KH-UBND", "")]
    _check_tasks(ex, 1)


def test_cli_build_document(tmp_path: Path) -> None:
    path = workbook(tmp_path / "khong-ten.xlsx", named=False)
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(path), "--store", str(tmp_path / "store")])
    assert result.exit_code == 2 and "--document" in result.output
    result = runner.invoke(main, ["build", str(path), "--store", str(tmp_path / "store"), "--document", NAME])
    assert result.exit_code == 0, result.output
    assert "Files loaded this run: 1" in result.output
    assert re.search(r"\(tasks\)\s+10$", result.output, re.MULTILINE), result.output
    result = runner.invoke(main, ["build", str(path), "--store", str(tmp_path / "store"), "--document", "12/KH-UBND"])
    assert result.exit_code == 2 and "Invalid value for --document: name the kind" in result.output


def _csv_text(sep: str = ";") -> str:
    lines = [f"KẾ HOẠCH SỐ 12/KH-UBND NGÀY 05/3/2025 CỦA UBND TỈNH BẮC NINH VỀ CHUYỂN ĐỔI SỐ{sep * 5}",
             sep.join(HEADER)]
    for n, (lead, support, due, _) in enumerate(ROWS, start=1):
        due_text = due.strftime("%d/%m/%Y") if isinstance(due, dt.datetime) else due
        lines.append(sep.join([lead, str(n), due_text, f'"Xây dựng cơ sở dữ liệu chuyên ngành số {n}"', f'"{support}"', "Báo cáo"]))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_csv(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "nhiem-vu.csv"
    path.write_bytes(_csv_text().encode(encoding))
    ex = extract_file(path)
    [d] = ex.documents
    assert (d.kind, d.number, d.date, d.issuer, d.title) == ("Kế hoạch", "12/KH-UBND", "2025-03-05", "UBND tỉnh Bắc Ninh",
                                                            "Về CHUYỂN ĐỔI SỐ")
    _check_tasks(ex, 2)


@pytest.mark.parametrize("data, message", [
    (_csv_text(",").replace("Báo cáo\n", "Báo cáo,thừa\n", 1),
     "E113 bad.csv:3: the table cannot be read: row 3 has 7 fields, the header (row 2) 6"),
    (_csv_text(",").replace('"Xây dựng cơ sở dữ liệu chuyên ngành số 4"', '"Xây dựng cơ sở'),
     "E113 bad.csv:6: the table cannot be read: row 6: ',' expected after '\"'"),
    (_csv_text(",").replace("Sở Y tế", "Sở Y\x00 tế"),
     "E113 bad.csv:6: the table cannot be read: row 6 holds a NUL byte"),
])
def test_malformed_csv(tmp_path: Path, data: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(data.encode("utf-8"))
    with pytest.raises(InputError) as err:
        extract_file(path)
    assert str(err.value) == message


def test_formulas_are_read_as_values(tmp_path: Path) -> None:
    """A formula cell gives the value Excel computed and saved with it; the formula is never run or shown."""
    path = workbook(tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active["F6"] = '=CONCATENATE("Báo"," cáo")'
    wb.active["B7"] = "=1+1"
    wb.save(path)
    with zipfile.ZipFile(path) as archive:  # what Excel writes: the formula and its cached value
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r'(<c r="F6"[^>]*?)(?: t="\w+")?>(<f>.*?</f>)<v\s*/?>(?:</v>)?', r'\1 t="str">\2<v>Báo cáo</v>', sheet)
    sheet = re.sub(r'(<c r="B7"[^>]*>)(<f>.*?</f>)<v\s*/?>(?:</v>)?', r"\1\2<v>2</v>", sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    doc = read_document(path)
    texts = [c.text for c in doc.tables[0].table.cells]
    assert not any(t.startswith("=") for t in texts)
    row = {c.col: c.text for c in doc.tables[0].table.cells if c.row == 2}
    assert row[1] == "2" and row[5] == "Báo cáo"
    assert extract_file(path).tasks[1].number == "2"


def test_zip_content_says_xlsx(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx")
    assert sniff_binary("a.zip", path.read_bytes()) == "xlsx"
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(InputError, match="E105 broken.xlsx: the file cannot be read: not a readable Excel workbook"):
        read_document(broken)
