"""A row's cells read jointly over its lines by what its agency cells name (policykg.loaders.ocr_agency_cells)."""

from dataclasses import replace

from policykg.loaders.ocr_agency_cells import Alternative, Word, parse_names, read_row_cells
from policykg.records import AgencyMention

_NAMES = {"so khoa hoc va cong nghe": "so-khoa-hoc-va-cong-nghe", "ubnd cap xa": "ubnd-cap-xa",
          "van phong ubnd tinh": "van-phong-ubnd-tinh", "cac so, ban, nganh": "cac-so-ban-nganh"}


def _match(text):
    key = _NAMES.get(text.lower().strip(" ,;"))
    return AgencyMention(text, key, text, key.startswith(("cac", "ubnd")), 0.95) if key else None


def _begun(text):
    low = text.lower()
    return 1.0 if any(name.startswith(low) for name in _NAMES) else 0.0


def _line(*cells, costs=None):
    """Words of a line, each cell's words costing 0 in their own cell and 1 elsewhere by position."""
    words, cuts = [], []
    for c, cell in enumerate(cells):
        for text in cell.split():
            words.append(Word(text, tuple(0.0 if k == c else 1.0 for k in range(len(cells)))))
        cuts.append(len(words))
    return words, tuple(cuts[:-1])


def test_a_name_wrapped_in_its_cell_is_one_name_and_the_support_cell_a_list():
    rows = [_line("Triển khai mô hình", "So Khoa hoc", "Van phong UBND", "Mô hình"),
            _line("công nghệ số,", "va Cong nghe", "tinh; Cac So, ban,", "được triển khai"),
            _line("quy trình", "", "nganh; UBND cap", ""),
            _line("", "", "xa", "")]
    reading = read_row_cells([w for w, _ in rows], [c for _, c in rows], [False, True, True, False], _match, _begun)
    assert [m.key for m in reading.agencies[1]] == ["so-khoa-hoc-va-cong-nghe"]
    assert [m.key for m in reading.agencies[2]] == ["van-phong-ubnd-tinh", "cac-so-ban-nganh", "ubnd-cap-xa"]
    assert reading.cells[3] == ["Mô hình", "được triển khai", "", ""]


def test_words_position_put_in_the_wrong_cell_move_where_the_names_read():
    """A squeezed line: position puts the support's "UBND cap xa" in the lead cell, three words from where it
    belongs; a cut may fall where a name opens, however far, and the names move it back."""
    first, first_cuts = _line("Nâng tỷ lệ", "Van phong", "Cac So, ban, nganh;", "Báo cáo")
    squeezed = [Word(t, (0.0, 0.0, 1.0, 1.0), opens=t == "UBND") for t in "UBND tinh UBND cap xa".split()]
    reading = read_row_cells([first, squeezed], [first_cuts, (0, 5, 5)], [False, True, True, False], _match, _begun)
    assert [m.key for m in reading.agencies[1]] == ["van-phong-ubnd-tinh"]
    assert [m.key for m in reading.agencies[2]] == ["cac-so-ban-nganh", "ubnd-cap-xa"]


def test_a_name_never_spans_a_semicolon_and_junk_costs():
    score, names = parse_names(("UBND", "cap;", "xa"), _match)
    assert names == [] and score < 0
    score, names = parse_names(("UBND", "cap", "xa;"), _match)
    assert [m.key for m in names] == ["ubnd-cap-xa"] and score > 0


def test_an_open_line_end_is_scored_by_how_well_it_begins_a_name():
    begun, _ = parse_names(("So", "Khoa"), _match, open_end=True, opens=_begun)
    junk, _ = parse_names(("Quyet", "dinh"), _match, open_end=True, opens=_begun)
    assert begun > 0 > junk


def test_a_line_is_read_otherwise_where_its_names_say_so():
    """A line whose own reading (by position) keeps "tinh Cac So, ban, nganh" in the title; read moved right
    (the blank the OCR squeezed out put back), the names join the support cell the line above opened."""
    first, first_cuts = _line("Đầu tư hạ tầng", "So Khoa hoc", "Van phong UBND", "Dự án")
    second, second_cuts = _line("an toàn. tinh Cac So, ban, nganh", "", "", "")
    moved, moved_cuts = _line("an toàn.", "", "tinh Cac So, ban, nganh", "")
    plain = read_row_cells([first, second], [first_cuts, second_cuts], [False, True, True, False], _match, _begun)
    assert plain.variants == [0, 0] and [m.key for m in plain.agencies[2]] == []
    reading = read_row_cells([first, second], [first_cuts, second_cuts], [False, True, True, False], _match, _begun,
                             others=[[], [Alternative(moved, moved_cuts, 1.0)]])
    assert reading.variants == [0, 1]
    assert [m.key for m in reading.agencies[2]] == ["van-phong-ubnd-tinh", "cac-so-ban-nganh"]
    assert reading.cells[0] == ["Đầu tư hạ tầng", "an toàn."]
    costly = [[], [Alternative(moved, moved_cuts, 20.0)]]  # not worth its cost: the line's own reading stays
    assert read_row_cells([first, second], [first_cuts, second_cuts], [False, True, True, False], _match, _begun,
                          others=costly).variants == [0, 0]


def test_a_cut_may_fall_at_a_rule_the_ocr_kept_however_far_from_its_position():
    # position put the cut after "Hoi dong nhan" (three words right of the "|"): the rule says where it is
    words = [Word(t, (0.0, 1.0, 1.0, 1.0)) for t in ("Bo", "tri", "ngan", "sach")]
    words += [Word("So", (1.0, 1.0, 0.0, 1.0)), Word("Khoa", (1.0, 1.0, 0.0, 1.0)), Word("hoc", (1.0, 1.0, 0.0, 1.0)),
              Word("va", (1.0, 1.0, 0.0, 1.0)), Word("Cong", (1.0, 1.0, 0.0, 1.0)), Word("nghe", (1.0, 1.0, 0.0, 1.0))]
    words += [Word("Hoi", (1.0, 1.0, 0.0, 1.0), pipe_before=True), Word("dong", (1.0, 1.0, 0.0, 1.0)),
              Word("nhan", (1.0, 1.0, 0.0, 1.0))]
    reading = read_row_cells([words], [(4, 4, 13)], [False, True, True, False], _match, slack=1)
    assert [m.key for m in reading.agencies[2]] == ["so-khoa-hoc-va-cong-nghe"]
    assert reading.cells[3] == ["Hoi dong nhan"]


def test_the_lead_cell_holds_a_department_rather_than_a_collective_or_nothing():
    # the two cells' words could go either way by position: the support cell takes the collective
    rows = [_line("Triển khai", "", "So Khoa hoc va Cong nghe Cac So, ban, nganh", "")]
    words, cuts = rows[0]
    flat = [Word(w.text, (0.0, 0.5, 0.5, 1.0) if k >= 2 else w.costs) for k, w in enumerate(words)]
    reading = read_row_cells([flat], [cuts], [False, True, True, False], _match)
    assert [m.key for m in reading.agencies[1]] == ["so-khoa-hoc-va-cong-nghe"]
    assert [m.key for m in reading.agencies[2]] == ["cac-so-ban-nganh"]
    lead_only = parse_names(("Cac", "So,", "ban,", "nganh"), _match, lead=True)[0]
    support = parse_names(("Cac", "So,", "ban,", "nganh"), _match)[0]
    assert lead_only < support  # a collective is worth less in the lead cell
    assert parse_names((), _match, lead=True)[0] < parse_names((), _match)[0] == 0.0  # an empty lead costs
    assert parse_names((), _match, open_end=True, lead=True)[0] == 0.0  # ...once the row is read to its end


def test_a_rule_the_ocr_kept_where_a_cut_is_ruled_holds_that_cut():
    # the title ends "... So Khoa hoc va Cong nghe" and the "|" the OCR kept before "Van" stands where the title's
    # column ends: without it the name in the title is worth moving to the lead cell, past the rule it is not
    title = [Word(t, (0.0, 1.0, 2.0)) for t in ("Bo", "tri", "ngan", "sach")]
    named = [Word(t, (0.0, 0.6, 2.0), opens=t == "So") for t in ("So", "Khoa", "hoc", "va", "Cong", "nghe")]
    lead = [Word("Van", (1.0, 0.0, 0.3), pipe_before=True),
            *(Word(t, (1.0, 0.0, 0.3)) for t in ("phong", "UBND", "tinh"))]
    support = [Word(t, (2.0, 0.5, 0.0)) for t in ("UBND", "cap", "xa")]
    unruled = read_row_cells([title + named + lead + support], [(10, 14)], [False, True, True], _match)
    assert [m.key for m in unruled.agencies[1]] == ["so-khoa-hoc-va-cong-nghe"]
    ruled = [replace(lead[0], rule=0), *lead[1:]]
    reading = read_row_cells([title + named + ruled + support], [(10, 14)], [False, True, True], _match)
    assert [m.key for m in reading.agencies[1]] == ["van-phong-ubnd-tinh"]
    assert [m.key for m in reading.agencies[2]] == ["ubnd-cap-xa"]
