"""The names a table reads surely, and the loose reading of its garbled cells by them (issue 15)."""

from policykg.loaders.table_names import TableNames
from policykg.records import AgencyMention


def _mention(key, name, confidence=1.0, collective=False):
    return AgencyMention(name, key, name, collective, confidence)


KHCN = _mention("so-khoa-hoc-va-cong-nghe", "Sở Khoa học và Công nghệ")
NOI_VU = _mention("so-noi-vu", "Sở Nội vụ")
TAI_CHINH = _mention("so-tai-chinh", "Sở Tài chính")


def test_only_names_read_surely_and_more_than_once_count():
    names = TableNames.of([KHCN, KHCN, NOI_VU, NOI_VU, TAI_CHINH, _mention("tinh-doan", "Tỉnh đoàn", 0.5),
                           _mention("tinh-doan", "Tỉnh đoàn", 0.5)])
    assert names.keys == {"so-khoa-hoc-va-cong-nghe", "so-noi-vu"}  # Tài chính once, Tỉnh đoàn unsurely
    assert len(TableNames.of([KHCN])) == 0
    assert len(TableNames.of([KHCN], times=1)) == 1


def test_garbled_cells_read_as_the_nearest_name_at_low_confidence():
    names = TableNames.of([KHCN, NOI_VU, TAI_CHINH], times=1)
    for text, key in [("S‘o KAhoa hQCA va Cong nghé", "so-khoa-hoc-va-cong-nghe"),
                      ("S“’é?hoa h‘-fl‘i va-ong Nghe", "so-khoa-hoc-va-cong-nghe"),
                      ("SON()IVU", "so-noi-vu")]:
        hit = names.match(text)
        assert hit is not None and hit.key == key, text
        assert hit.confidence <= 0.7
        assert hit.text == text  # the printed text is kept beside the name it is read as


def test_no_name_when_far_or_not_clearly_nearer_than_another():
    names = TableNames.of([KHCN, NOI_VU, TAI_CHINH, _mention("so-cong-thuong", "Sở Công Thương")], times=1)
    assert names.match("Thuong xuyén") is None
    assert names.match("Chinh sach") is None
    assert names.match("Cong nghé") is None  # as near "Sở Công Thương" as "Sở Khoa học và Công nghệ"
    assert names.match("abc") is None
    assert TableNames.of([]).match("Sở Nội vụ") is None


def test_within_keeps_the_general_matchers_table_names_and_reads_the_rest_by_the_table():
    names = TableNames.of([KHCN, NOI_VU], times=1)
    bo = _mention("bo-khoa-hoc-va-cong-nghe", "Bộ Khoa học và Công nghệ", 0.8)

    def general(text):
        return {"Sở Nội vụ": NOI_VU, "ban Khoa hoc . va Cong nghé": bo}.get(text)

    match = names.within(general)
    assert match("Sở Nội vụ") is NOI_VU
    assert match("ban Khoa hoc . va Cong nghé").key == "so-khoa-hoc-va-cong-nghe"  # not the ministry
    assert match("Thuong xuyén") is None


def test_nearness_to_one_of_the_tables_names():
    names = TableNames.of([KHCN, NOI_VU], times=1)
    assert names.nearness("S& Khoa va Cong nghé", "so-khoa-hoc-va-cong-nghe") > names.nearness(
        "va nang 35 i T UBND tinh", "so-khoa-hoc-va-cong-nghe")
    assert names.nearness("Sở Nội vụ", "so-noi-vu") == 100
    assert names.nearness("Sở Tài chính", "so-tai-chinh") == 0  # not a name of the table
