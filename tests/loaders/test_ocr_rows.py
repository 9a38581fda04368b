"""Tables laid out across the line (OCR'd text): rows found in sequence, titles, agencies by position."""

from conftest import PHU_THO

from policykg.evaluation import score_table_tasks
from policykg.loaders.ocr_rows import (
    _canonical_orders,
    _cut,
    _ANCHOR,
    _Line,
    _group_of,
    _scan,
    _is_header_fragment,
    _opens_title,
    _placed,
    _plausible,
    cut_line,
    match_agency,
)
from policykg.loaders.source import SourceText
from policykg.loaders.tables import Column, TableHeader
from policykg.text import fold_chars


def _rows(extractions):
    return [t for t in extractions[PHU_THO].tasks if t.origin == "table"]


def test_first_group_of_the_phu_tho_appendix(extractions):
    group = [t for t in _rows(extractions) if t.section[-1].startswith("I. Chuy")]
    first = group[:10]
    assert [t.number for t in first] == [str(n) for n in range(1, 11)]
    assert first[0].section[:2] == ["Phu luc II", "1. Nh6m nhiém vu trong tam"]
    assert first[0].title_raw.startswith("Chuén hoa cac Trung tdm Phuc vu hanh chinh cong")
    assert first[0].title.startswith("Chuẩn hóa các Trung tâm Phục vụ hành chính công")  # restored for display
    assert first[3].title_raw.startswith("Nang ty 1& nop ho so truc tuyén")
    second = first[1]
    assert [a.name for a in second.lead] == ["Sở Khoa học và Công nghệ"]
    assert "Văn phòng UBND tỉnh" in [a.name for a in second.support]
    assert second.deadline.due == "2030-12-31"


def test_ocr_rows_are_marked_low_confidence_and_gaps_reported(extractions):
    rows = _rows(extractions)
    assert len(rows) >= 130
    assert max(t.provenance.confidence for t in rows) <= 0.6
    codes = [i.code for i in extractions[PHU_THO].issues]
    assert codes.count("W303") >= 10  # numbers the OCR lost are reported, not invented
    assert "W301" in codes


def test_garbled_row_numbers():
    assert _plausible("171", 17) == 17
    assert _plausible("922", 92) == 92
    assert _plausible("5", 3) == 5
    assert _plausible("75", 3) is None
    assert _plausible("1", 12, restart=True) == 1
    # "7|" for 47: before the number column's rule, the expected number's last digit is that number
    assert _plausible("7", 47, ruled=True) == 47
    assert _plausible("7", 47) is None and _plausible("7", 48, ruled=True) is None


def test_cut_prefers_the_pipe_the_ocr_kept():
    line = "Trién khai mo6 hinh “Trung tdm phuc vu hanh chinh | S& Khoa hoc | Van phong UBND | M6 hinh duogc Giai doan"
    pieces = _cut(line, [52.0, 66.0, 83.0, 99.0])
    assert pieces[:3] == ["Trién khai mo6 hinh “Trung tdm phuc vu hanh chinh", "S& Khoa hoc", "Van phong UBND"]


def test_scrambled_headers_take_the_fullest_order():
    full = TableHeader(0, 2, ["number", "title", "lead", "support", "output", "deadline"], True)
    partial = TableHeader(5, 7, ["number", "title", "lead", "output", "support"], True)
    orders = _canonical_orders([full, partial, full])
    assert orders[partial.key] == full.key


# Leads of the first groups of Phụ lục II, "1. Nhóm nhiệm vụ trọng tâm", read by hand off the OCR text.
_VP, _GD, _YT, _VH, _XD = ("van-phong-ubnd-tinh", "so-giao-duc-va-dao-tao", "so-y-te",
                           "so-van-hoa-the-thao-va-du-lich", "so-xay-dung")
HAND_CHECKED_LEADS = {
    "I": [_VP, "so-khoa-hoc-va-cong-nghe", _VP, _VP, "cac-so-ban-nganh", _VP, _VP, _VP, _VP, _VP],
    "II": [_GD] * 11,
    "III": [_YT] * 10,
    "IV": [_VH] * 5,
    "V": ["cong-an-tinh", _XD, _XD, _XD],
}


def test_leads_against_a_hand_checked_sample(extractions):
    rows = [t for t in _rows(extractions) if t.section[1].startswith("1.")]
    checked = right = 0
    for task in rows:
        group = task.section[-1].split(".")[0]
        expected = HAND_CHECKED_LEADS.get(group, [])
        if group == "I" and not task.section[-1].startswith("I. Chuy"):
            continue  # "1 |" inside group VI, misread by the OCR as a Roman "I"
        if not task.number.isdigit():
            continue  # a group line that names its own lead
        number = int(task.number)
        if number <= len(expected):
            checked += 1
            right += [a.key for a in task.lead][:1] == [expected[number - 1]]
    assert checked >= 38  # rows whose number the OCR lost (W303) are not checked
    assert right >= 0.8 * checked, (right, checked)  # 33 of 40 when written; the aim for OCR text is 85%


# Leads of rows 1-26 of "2. Nhiệm vụ chủ yếu" (numbers printed halfway down each row), read by hand
# off the OCR text; rows whose lead cell is illegible (5, 17, 22) are left out.
_KH, _NV, _TC = "so-khoa-hoc-va-cong-nghe", "so-noi-vu", "so-tai-chinh"
HAND_CHECKED_MAIN_LEADS = {
    "1": _KH, "2": "bao-va-phat-thanh-truyen-hinh-tinh", "3": _KH, "6": _KH, "7": _NV, "8": _NV, "9": _KH,
    "10": _KH, "11": _KH, "12": _NV, "13": _KH, "14": _KH, "15": _NV, "16": _KH, "16.1": _KH, "16.2": _KH,
    "16.3": _TC, "17.1": _TC, "17.2": _TC, "17.3": _KH, "17.4": _KH, "17.5": _KH, "18": _KH, "19": _TC,
    "20": _TC, "21": _KH, "23": _KH, "24": _KH, "25": _KH, "26": _KH,
}


def test_centred_rows_against_a_hand_checked_sample(extractions):
    rows = {t.number: t for t in _rows(extractions) if t.section[1].startswith("2.")}
    assert set(HAND_CHECKED_MAIN_LEADS) <= set(rows)  # rows 2, 9 and 11 are placed by layout (W304)
    right = sum([a.key for a in rows[n].lead][:1] == [key] for n, key in HAND_CHECKED_MAIN_LEADS.items())
    # 20 of 30 when written; 19 since cells are cut by the DP (row 6's wrapped lead goes to the support cell)
    assert right >= 19, right  # the OCR garbles most lead cells of this table
    assert rows["16.2"].title_raw.startswith("Nghién ciru xay dung co ché chinh sach tai chinh")
    assert rows["9"].title_raw.startswith("Trién lghai")


def test_rows_whose_number_is_lost_are_placed_and_reported(extractions):
    issues = extractions[PHU_THO].issues
    placed = [i for i in issues if i.code == "W304"]
    assert any("table row 9 " in i.message for i in placed)
    main = {t.number: t for t in _rows(extractions) if t.section[1].startswith("2.")}
    assert main["9"].provenance.confidence <= 0.6 * 0.7  # placed rows are less sure than rows cut by position
    assert not any("table row 9 " in i.message for i in issues if i.code == "W303")


def test_roman_groups_go_in_sequence():
    header = TableHeader(0, 2, ["number", "title", "lead"], True)
    assert _group_of("III. | Tăng cường đầu tư, hoàn thiện hạ tầng", header, 2).label == "III"
    assert _group_of("IL Khan truwong, quyét liét hoan thién thé ché", header, 1).label == "II"
    assert _group_of("X X , f R 1 g A A , S& Tai chinh va Cac", header, 3) is None  # OCR debris, not group X
    assert _group_of("I | Trién khai nong nghiép thong minh", header, 6) is None  # row 1 read as "I"


def test_row_number_with_the_ruling_read_as_underscore():
    m = _ANCHOR.match("6_ | Thu thập, biên tập, xây dựng cơ sở dữ liệu hồ sơ quy | Các sở, ngành,")
    assert m and m.group("num") == "6" and m.group("rest").startswith("Thu thập")
    assert _ANCHOR.match("3_ | dựng chính sách, pháp luật nhất là vai").group("num") == "3"
    header = TableHeader(0, 2, ["number", "title", "lead"], True)
    assert _group_of("V_ | Đào tạo, tập huấn chuyên môn nghiệp vụ", header, 4).label == "V"


def test_garbled_roman_group_is_taken_when_its_rows_restart_at_one():
    header = TableHeader(0, 2, ["number", "title", "lead"], True)
    assert _group_of("II | Xây dựng cơ sở dữ liệu quốc gia về quy hoạch", header, 2) is None
    assert _group_of("II | Xây dựng cơ sở dữ liệu quốc gia về quy hoạch", header, 2, opens_rows=True).label == "III"
    lines = ["STT Nội dung Đơn vị chủ trì Đơn vị phối hợp Sản phẩm",
             "I | Hoàn thiện thể chế",
             "1 | Phối hợp rà soát, sửa đổi Luật Quy hoạch | Sở Tài chính | Các sở, ngành",
             "2 | Phối hợp xây dựng nội dung quy định | Sở Tài chính | Các sở, ngành",
             "II | Xây dựng hạ tầng công nghệ thông tin",
             "1 | Xây dựng hạ tầng công nghệ thông tin | Sở Tài chính | Các sở, ngành",
             "II | Xây dựng cơ sở dữ liệu quốc gia về quy hoạch",
             "",
             "1 | Thu thập, biên tập dữ liệu hồ sơ quy hoạch | Các sở, ngành | Sở Tài chính",
             "2 | Thu thập, biên tập văn bản điện tử | UBND xã, phường | Các sở, ngành",
             "3 | Đồng bộ hoá cơ sở dữ liệu hồ sơ quy hoạch | Sở Tài chính | Các sở, ngành",
             "IV | Quản lý, vận hành, khai thác dữ liệu",
             "1 | Xây dựng và thực hiện các biện pháp bảo đảm an | Công an Thành phố | Các sở"]
    src = SourceText("t.txt", lines, [fold_chars(x) for x in lines])
    header = TableHeader(0, 1, ["number", "title", "lead", "support", "output"], True)
    sections = _scan(src, 0, len(lines), [header], [False] * len(lines), [])
    assert [(s.path[-1].label, [a.number for a in s.anchors]) for s in sections] == [
        ("I", ["1", "2"]), ("II", ["1"]), ("III", ["1", "2", "3"]), ("IV", ["1"])]


def test_title_openers_and_header_debris():
    assert _opens_title("Trién lghai c~éc nén tg”mg dao tao tryc tuyén mo dai tr;‘t N2n tane duoe")
    assert _opens_title("T | Xay dung va trién khai cac ing dung Al trong y Fé' thong SoY té")
    assert not _opens_title("Chuong trinh hanh dong s6 02-CTr/TU trén dia ban tinh va")
    assert not _opens_title("Xay dung Ké hoach")  # too short to hold the title column
    # a row number read as one letter before the title's verb
    assert _opens_title("m Trién khai thuc hién DQ an dau tu nang lyc cho cac t6 | S& Khoa hoc")
    assert not _opens_title("va Trién khai thuc hién DQ an dau tu nang lyc cho cac t6 | S& Khoa hoc")
    assert _is_header_fragment("Co quan Co quan : Thoi gian")
    assert _is_header_fragment("déi phoi hop hoan thanh")
    assert not _is_header_fragment("va Cong nghé UBND cap xa")


def test_ocr_names_match_through_the_learned_confusions():
    """No hand-written OCR forms: "36" for "Sở" and the province after "tỉnh" come from the learned model."""
    assert match_agency("36 Noi vu").key == "so-noi-vu"
    assert match_agency("Bao va Phat thanh, truyén hinh tinh Pha Tho").key == "bao-va-phat-thanh-truyen-hinh-tinh"
    assert match_agency("S6 Khoa hoc va Cong nghé").key == "so-khoa-hoc-va-cong-nghe"
    assert match_agency("36 Ngoai vu") is None or match_agency("36 Ngoai vu").key != "so-noi-vu"
    assert match_agency("Quyét dinh cua UBND") is None
    assert 0.0 < match_agency("S& Khoa hoc va Cong nghé").confidence <= 1.0


_KINDS = [Column.TITLE, Column.LEAD, Column.SUPPORT, Column.OUTPUT, Column.DEADLINE]


def test_dp_cut_keeps_a_title_that_names_an_agency_up_to_the_pipe():
    line = "    Chuẩn hóa các Trung tâm Phục vụ hành chính công các | Văn phòng UBND cấp xã Trung tâm Tháng"
    pieces, _ = cut_line(line, [55.0, 70.0, 88.0, 100.0], _KINDS)
    assert pieces[0] == "Chuẩn hóa các Trung tâm Phục vụ hành chính công các"
    assert pieces[1].startswith("Văn phòng")


def test_dp_cut_by_content_where_no_pipe_is_kept():
    # two names side by side with nothing between them are two cells; a deadline goes right
    line = "cac so, nganh, dia phuong va chuyen mot so nhiem vu, | UBND tinh UBND cap xa trien khai Nam 2025"
    pieces, _ = cut_line(line, [55.0, 66.0, 83.0, 92.0], _KINDS)
    assert pieces[1] == "UBND tinh"
    assert pieces[2].startswith("UBND cap xa")
    assert pieces[4] == "Nam 2025"


def test_dp_cut_short_line_after_the_title_ended():
    # a line holding only right-hand cells: OCR dropped its leading spaces
    assert _cut("UBND tinh UBND cap xa", [55.0, 66.0, 83.0, 99.0], _KINDS, title_done=True)[0] == ""
    assert _cut("UBND tinh UBND cap xa", [55.0, 66.0, 83.0, 99.0], _KINDS)[0] != ""


def test_phu_tho_appendix_scores(extractions, load_eval):
    """Issue 15: rows found, leads and supporters of 004's Phụ lục II against its hand-checked rows
    (scripts/ocr_table_score.py; 71/121 rows, 50 leads, supporters F1 0.34 before the DP cutter; 106, 70,
    0.63 before the row's cells were read jointly over its lines and names matched by the learned model; 108,
    74, 0.61 before sub-rows opened at a capital, lines read moved past the blank the OCR squeezed out, leads
    cut short completed and the joint reading's supporters kept: 113, 86, 0.78; with rows started on the
    lines above their titles that hold cells only, unsure leads read again by the table's own names and a
    centred row's lead kept near its number: 118, 105, 0.80; with the investment promotion unit in the gazetteer,
    words far from a cell dearer in the joint reading, a collective printed in both cells and the cuts the OCR's
    kept rules mark: 118, 109, 0.82). The issue's targets: rows 0.97, leads 0.92, supporters F1 0.80."""
    s = score_table_tasks(extractions[PHU_THO], load_eval("004_PLII_a.json"))
    assert s.found >= 118 and s.found / s.expected >= 0.97
    assert s.lead >= 109 and s.lead / s.found >= 0.92
    assert s.support_f1 >= 0.81


def test_a_lead_cell_is_kept_as_placed_by_position():
    """What stands in the lead column by position, line by line: kept for review when the joint reading reads no
    lead there."""
    lines = [_Line(0, "Xay dung he thong du lieu Ban Xuc ticn   Cac so, ban, nganh"),
             _Line(1, "cua tinh                  Ho tro dau tu")]
    placed = _placed(lines, [ln.text for ln in lines], [26.0, 42.0], [Column.TITLE, Column.LEAD, Column.SUPPORT],
                     Column.LEAD)
    assert placed == [(1, "Ban Xuc ticn"), (2, "Ho tro dau tu")]


def test_phu_tho_rows_without_a_lead_say_why(extractions):
    """Issue 15: an OCR'd row with no lead read keeps what stands in its lead cell for review (``lead_unread``),
    also where the joint reading gave the cell's words to the cells beside it; only rows that group sub-rows
    ("29" over "29.1") are left with neither."""
    rows = [t for t in extractions[PHU_THO].tasks if t.origin == "table"]
    unled = {(tuple(t.section), t.number) for t in rows if not t.lead and not t.lead_unread}
    groups = {(tuple(t.section), t.number.rsplit(".", 1)[0]) for t in rows if "." in t.number}
    assert unled and unled <= groups
    assert sum(1 for t in rows if t.lead_unread) >= 8


def _headers(lines):
    from policykg.loaders.tables import find_headers

    src = SourceText("t.txt", lines, [fold_chars(x) for x in lines])
    return find_headers(src, 0, len(lines))


def test_header_wrapped_over_two_lines_is_row_major():
    lines = ["STT Nhiệm vụ Cơ quan Cơ quan phối | Thời gian",
             "chủ trì hợp thực hiện",
             "Thường xuyên rà soát, kiện toàn đội",
             "1 sách, pháp luật trên địa bàn tỉnh đảm | ngành, đơn Sở Nội vụ; Sở Tư | Thường"]
    [header] = _headers(lines)
    assert header.row_major
    assert header.columns == ["number", "title", "lead", "support", "deadline"]
    assert (header.start, header.end) == (0, 2)  # the first row's line is not part of the header


def test_header_word_printed_above_the_stt_line_joins_the_header():
    lines = ["(Kèm theo Quyết định số 2820/QĐ-UBND)", "", "Thời gian", "",
             "STT Nội dung Đơn vị chủ trì Đơn vị phối hợp hoàn thành Sản phẩm",
             "1 Phối hợp rà soát, sửa đổi Luật Quy hoạch và xây Sở Tài chính Các sở, ngành, UBND xã, | Quý IV/2025"]
    [header] = _headers(lines)
    assert header.row_major and header.start == 2
    assert header.columns == ["number", "title", "lead", "support", "deadline", "output"]


def test_a_number_alone_heads_a_row_printed_block_by_block():
    """Tesseract prints a tall row's cells one under another, a blank line between: the number alone on its
    line (masked as a page number by the furniture rules) heads the row, the blocks fill title, lead,
    support, output and deadline in order."""
    from policykg.loaders.ocr_rows import read_row_major

    lines = ["TT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Kết quả | Thời gian",
             "I | Phát triển khoa học, công nghệ và đổi mới sáng tạo",
             "1 | Triển khai thực hiện chương trình chuyển đổi số toàn tỉnh | Sở Tài chính | Các sở, ban, ngành | Kế hoạch | Năm 2025",
             "2",
             "",
             "Nghiên cứu xây dựng các Chương trình trọng điểm phát triển",
             "khoa học, công nghệ, đổi mới sáng tạo của tỉnh.",
             "",
             "Sở Khoa học",
             "và Công nghệ",
             "",
             "Các Sở, ban, ngành;",
             "UBND cấp xã",
             "",
             "Kế hoạch của UBND",
             "tỉnh",
             "",
             "Quý I/2026"]
    src = SourceText("t.txt", lines, [fold_chars(x) for x in lines])
    header = TableHeader(0, 1, ["number", "title", "lead", "support", "output", "deadline"], True)
    mask = [x == "2" for x in lines]  # what the furniture rules make of a number alone on its line
    rows, issues = read_row_major(src, 0, len(lines), [header], mask)
    assert [r.raw.number for r in rows] == ["1", "2"] and not [i for i in issues if i.code == "W303"]
    second = rows[1]
    assert second.cells["title"].startswith("Nghiên cứu xây dựng") and second.cells["deadline"] == "Quý I/2026"
    assert [m.key for m in second.resolved["lead"]] == ["so-khoa-hoc-va-cong-nghe"]
    assert second.cells["support"] == "Các Sở, ban, ngành; UBND cấp xã"  # read by the recogniser of clean cells
    assert second.cells["output"] == "Kế hoạch của UBND tỉnh"


def test_a_collective_the_support_cell_names_is_not_taken_for_the_unread_lead():
    from policykg.loaders.ocr_rows import _not_supporters
    from policykg.records import AgencyMention

    collective = AgencyMention("Céc S0, ban, nganh", "cac-so-ban-nganh", "Các sở, ban, ngành", True, 0.9)
    department = AgencyMention("S& Tai chinh", "so-tai-chinh", "Sở Tài chính", False, 0.9)
    support = [(10, "Céc S0, ban, nganh;"), (11, "UBND cap xa")]
    assert _not_supporters([collective], support) == []
    assert _not_supporters([department], support) == [department]
    assert _not_supporters([collective], [(10, "Sở Tài chính")]) == [collective]
    # printed in both cells side by side: the lead cell's own
    twice = ["trong cac Céc S0, nganh Céc S0, nganh trién khai", "nganh, linh vuc"]
    assert _not_supporters([collective], support, twice) == [collective]
    assert _not_supporters([collective], support, ["trong linh vuc Céc S0, nganh trién khai"]) == []


def test_a_line_squeezed_after_its_title_is_also_read_moved_to_the_agency_columns():
    from policykg.loaders.ocr_rows import _rebased

    bounds = [55.0, 70.0, 87.0, 98.0]
    line = "nodi dong b, an toan, bao mat he thong. chinh; UBND cap xa nhiém vu"
    moved = [text for text, _ in _rebased(line, bounds, _KINDS, first=False)]
    # the line's first name put at the lead column, then the names the recogniser finds at the lead and the
    # support column, then what follows the sentence's end ("thong.")
    assert [m.index("UBND") for m in moved[:2]] == [55, 70]
    assert moved[2].index("chinh;") == 55 and moved[2].startswith("nodi dong b, an toan, bao mat he thong. ")
    assert all(m.split() == line.split() for m in moved)
    title_first = "j X o A A oem X S& Khoa hoc | Cac Sé, ban, nganh; Van ban Nhiém vu"
    assert _rebased(title_first, bounds, _KINDS, first=True)[0][0].index("S&") == 55
    short = "S& Khoa hoc | Cac S¢&, ban, nganh; Van ban"
    whole, cost = _rebased(short, bounds, _KINDS, first=False)[0]
    assert whole.startswith(" " * 55 + "S&") and cost > _rebased(line, bounds, _KINDS, first=False)[0][1]
    # a row's first line opens its title: never read as holding the agency cells alone
    assert not any(m.startswith(" " * 55) for m, _ in _rebased(short, bounds, _KINDS, first=True))


def test_a_lead_cut_short_is_read_when_one_agency_begins_so():
    from policykg.loaders.ocr_rows import _cut_short, complete_name

    assert [m.key for m in _cut_short([(5, "SO Nong"), (6, "nghi¢p va Mo1")])] == ["so-nong-nghiep-va-moi-truong"]
    assert _cut_short([(5, "SO Nong"), (6, "nghi¢p va Mo1")])[0].confidence <= 0.6
    assert [m.key for m in _cut_short([(5, "S6 Khoahoc g")])] == ["so-khoa-hoc-va-cong-nghe"]
    assert _cut_short([(5, "So yan hoa,")]) == []  # Văn hóa, Thể thao và Du lịch or Văn hóa và Thể thao?
    assert complete_name("Van phong") is None and complete_name("thuong") is None


def test_sub_rows_whose_titles_open_with_no_verb_start_at_their_capital():
    from policykg.loaders.ocr_rows import _capitalised

    assert _capitalised("Co ché tai chinh trong thuc hién nhiém vu khoa hoc,")
    assert _capitalised("17 | Quy dinh vé viéc thanh 14p va st dung cac quy dau tu")
    assert not _capitalised("cong nghé va chuyén doi s, giao quyén tir chil trong sir")
    assert not _capitalised("Chinh phu ban hanh")  # too short to be a title's first line
    assert not _capitalised("Chinh phu ban hanh c6 hi¢u luc thi hanh PR")  # an agency's name goes on a title
    assert _capitalised("Các cơ quan, đơn vị, địa phương ưu tiên chọn lựa cán bộ")  # a collective may open one


def test_supporters_of_a_row_cut_jointly_join_both_readings():
    from policykg.loaders.ocr_rows import _supporters
    from policykg.records import AgencyMention

    joint = [AgencyMention("S& Khoahgocva Cong nghé", "so-khoa-hoc-va-cong-nghe", "Sở Khoa học và Công nghệ", False, 0.7),
             AgencyMention("UBND cap xa", "ubnd-cap-xa", "UBND cấp xã", True, 0.9)]
    cell = [(10, "S& Khoahgocva Cong nghé; Cac S&, ban,"), (11, "nganh; UBND cap xa")]
    found = _supporters(joint, cell)
    assert [m.key for m in found] == ["cac-so-ban-nganh", "ubnd-cap-xa", "so-khoa-hoc-va-cong-nghe"]
    assert all(m.line in (10, 11) for m in found)
    assert _supporters(joint, []) == []


def _section(lines):
    from policykg.loaders.ocr_rows import _Line, _Section

    return _Section([], [_Line(i, text) for i, text in lines if text], [])


def test_a_row_starts_on_the_lines_above_its_title_that_hold_only_its_cells():
    """Where numbers sit halfway down their rows, a row's agency cells may be taller than its title: the lines
    right above the title's first that hold cells alone (debris where the title would stand, or a short line
    opening with an agency's name) are the row's."""
    from policykg.loaders.ocr_rows import _cells_above, _cells_only

    assert _cells_only("7 ‘ ‘ S& Khoa hoc va Vin ban Sau khi c6 quy")
    assert _cells_only(". NPT W R . S¢ Khoa hoc | Cac S¢&, ban, nganh; D Giai doan")
    assert _cells_only("S& Khoa hoc va .,")
    assert not _cells_only("nganh, linh vuc quan trong va Cong nghé UBND cap xa qua thuc hién g xuy")
    assert not _cells_only("Nghi quyét 57-NQ/TW")  # the end of a title
    assert not _cells_only("Chinh phu")  # a national body's name ends a title ("... của Chính phủ")
    assert not _cells_only("Bộ Chính trị về đổi mới công tác")
    section = _section([(10, "hoat dong chinh quyén dia phuong 02 cap va Cong nghé UBND cap xa"),
                        (11, "Dy an, nhiém .."),
                        (12, ". NPT W R . S¢ Khoa hoc | Cac S¢&, ban, nganh; D Giai doan"),
                        (13, "Xay dung Trung tam giam sat di€u hanh thong minh va Cong nghé UBND cép xi")])
    assert _cells_above(section, 13, 10) == 12
    assert _cells_above(section, 13, 13) == 13  # never above the row before
    gap = _section([(10, "S& Khoa hoc va"), (12, "Xay dung Trung tam giam sat di€u hanh thong minh")])
    assert _cells_above(gap, 12, 0) == 12  # a blank line between: the cells of another row


def test_a_number_alone_keeps_the_block_under_it():
    from policykg.loaders.ocr_rows import _block_end

    section = _section([(5, "29"), (7, "Tap trung ngudn luc, wu tién thu hut dau tu cac du an"),
                        (8, "khoa hoc, cong ngh¢ va d6i méi sang tao"), (9, "da dugc phé duyét:"),
                        (14, "Ql%yet d;I}h sO 96/QAD—T1:g ngay 96/Q 1/2932 cua Thu")])
    assert _block_end(section, 5) == 10


def test_a_group_line_that_names_its_lead_cut_short_is_a_row():
    from policykg.loaders.ocr_rows import _carries_agency
    from policykg.loaders.tables import GroupHeading

    group = GroupHeading(2, "VII", 0)
    line = "VII | Xdy dung Chuwong trinh phat trién khoa hoc | Sé Khoa hoc Cic Sé, ban, Chwong trinh | Giai doan"
    assert _carries_agency(line, group)
    assert not _carries_agency("VII | Phát triển hạ tầng số | Giai đoạn 2026-2030", group)


def test_the_lead_cell_read_whole_by_the_learned_matcher():
    from policykg.loaders.ocr_rows import _whole_cell

    assert [(m.key, m.line) for m in _whole_cell([(7, "36 Tai chinh")], [])] == [("so-tai-chinh", 7)]
    # the garbled first word left to the title
    title = [(6, "Xay dung va trién khai"), (7, "doanh nghiép FDI tham gia dau tu 36")]
    assert [m.key for m in _whole_cell([(7, "Tai chinh")], title)] == ["so-tai-chinh"]
    assert _whole_cell([(7, "Thuong xuyén")], title) == [] and _whole_cell([], title) == []


def test_unsure_leads_are_read_again_with_the_tables_names():
    from policykg.loaders.ocr_rows import _unsure_lead
    from policykg.records import AgencyMention

    def mention(key, confidence=0.99, collective=False):
        return AgencyMention(key, key, key, collective, confidence)

    assert _unsure_lead([])
    assert _unsure_lead([mention("so-tai-chinh", 0.5)])
    assert _unsure_lead([mention("cac-so-ban-nganh", collective=True)])
    assert _unsure_lead([mention("chinh-phu")])  # a national body leading a province's row
    assert not _unsure_lead([mention("so-tai-chinh")])
    from policykg.loaders.ocr_rows import _table_department
    from policykg.loaders.table_names import TableNames

    names = TableNames.of([mention("so-tai-chinh"), mention("chinh-phu"), mention("cac-so-ban-nganh", collective=True)],
                          times=1)
    assert _table_department(mention("so-tai-chinh", 0.5), names)
    assert not _table_department(mention("chinh-phu"), names)  # the table's, but a national body
    assert not _table_department(mention("cac-so-ban-nganh", collective=True), names)
    assert not _table_department(mention("so-noi-vu"), names) and not _table_department(None, names)


def test_lead_words_far_from_a_centred_rows_number_cost_more():
    from policykg.loaders.ocr_agency_cells import Word
    from policykg.loaders.ocr_rows import _costlier

    words = [Word("S&", (1.0, 0.0, 0.5)), Word("Khoa", (1.0, 0.0, 0.5), pipe_before=True)]
    dearer = _costlier(words, 1, 1.5)
    assert [w.costs for w in dearer] == [(1.0, 1.5, 0.5), (1.0, 1.5, 0.5)]
    assert dearer[1].pipe_before and dearer[0].text == "S&"
    assert _costlier(words, 1, 0.0) is words


def test_a_word_far_from_a_cell_costs_the_joint_reading_more_than_a_names_word_is_worth():
    """Cut line by line, a word far from its column costs at most one word's content; read jointly, where a
    name's words are worth up to 1.2 each, a word deep in the title must cost more, or a name the title
    prints ("... cách mạng khoa học, công nghệ") is read as the lead cell's."""
    from policykg.loaders.ocr_rows import _MOVE_CAP, _POSITION_CAP, _assign, _line_words

    text = "thuc hien cach mang khoa hoc cong nghe          So Noi vu     Cac So, ban, nganh"
    kinds = [Column.TITLE, Column.LEAD, Column.SUPPORT]
    words, cuts, _ = _line_words(text, [48.0, 62.0], kinds, 0.0, 3)
    khoa = next(w for w in words if w.text == "khoa")
    assert khoa.costs[1] == _MOVE_CAP > 1.2 and cuts == (8, 11)
    tokens, columns, _ = _assign(text, [48.0, 62.0], kinds)
    assert columns[tokens.index(next(t for t in tokens if t.text == "khoa"))] == 0 and _POSITION_CAP < _MOVE_CAP


def test_a_rule_the_ocr_kept_is_the_cut_at_the_column_edge_it_stands_at():
    from policykg.loaders.ocr_rows import _line_words

    text = "khoa hoc va cong nghe phuc vu nghien cuu cong nghe | So Tai chinh Cong nghe; Cac So | Quyet dinh"
    kinds = [Column.TITLE, Column.LEAD, Column.SUPPORT, Column.OUTPUT]
    words, _, _ = _line_words(text, [53.0, 66.0, 84.0], kinds, 0.0, 4)
    assert [(w.text, w.rule) for w in words if w.pipe_before] == [("So", 0), ("Quyet", 2)]
    words, _, _ = _line_words(text, [40.0, 66.0, 84.0], kinds, 0.0, 4)  # a "|" far from every edge rules none
    assert [(w.text, w.rule) for w in words if w.pipe_before] == [("So", None), ("Quyet", 2)]

