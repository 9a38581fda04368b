"""The query API on the corpus: answers checked against what the documents say."""

import pytest

from policykg.queries.api import PolicyGraph, QueryError
from policykg.queries.records import as_table, to_csv

PT_PLAN = "doc:phu-tho-2025:7316-kh-ubnd:2025"


@pytest.fixture(scope="module")
def pg(corpus_graph):
    return PolicyGraph(corpus_graph)


@pytest.mark.parametrize("ref", ["57", "57-NQ/TW", "Nghị quyết 57", "nghi quyet so 57-NQ/TW", "doc:vn:57-nq-tw:2024"])
def test_document_references_in_any_common_form(pg, ref):
    assert pg.document(ref) == "doc:vn:57-nq-tw:2024"


@pytest.mark.parametrize("ref", ["Sở KH&CN", "so khcn", "Sở Khoa học và Công nghệ", "SO KHOA HOC VA CONG NGHE",
                                 "Sở Khoa học và Công nghệ tỉnh Phú Thọ"])
def test_agency_names_in_any_form(pg, ref):
    assert "agency:phu-tho-2025:so-khoa-hoc-va-cong-nghe" in pg.agencies(ref)


def test_unknown_inputs_raise(pg):
    with pytest.raises(QueryError):
        pg.tasks(under="999/QĐ-XYZ")
    with pytest.raises(QueryError):
        pg.tasks(agency="Sở Vũ trụ")


def test_under_is_transitive(pg):
    under_57 = {t.task for t in pg.tasks(under="57-NQ/TW")}
    # the Phú Thọ plan carries out 71/NQ-CP, which carries out 57-NQ/TW
    assert all(t.startswith(PT_PLAN) for t in pg.tasks(under="7316/KH-UBND") for t in [t.task])
    assert {t.task for t in pg.tasks(under="7316/KH-UBND")} <= under_57
    assert {t.task for t in pg.tasks(under="71/NQ-CP")} <= under_57
    # the Vĩnh Phúc and Vĩnh Long plans carry out 569/QĐ-TTg, not 57-NQ/TW
    assert not any(t.startswith("doc:vinh-phuc") for t in under_57)
    assert any(t.task.startswith("doc:vinh-phuc") for t in pg.tasks(under="569/QĐ-TTg"))


def test_tasks_of_an_agency_by_role_and_jurisdiction(pg):
    led = pg.tasks(agency="Sở KH&CN", role="lead", jurisdiction="Phú Thọ")
    assert led and all("Sở Khoa học và Công nghệ" in t.lead for t in led)
    assert all(t.jurisdiction == "Phú Thọ" and t.source_file and t.line_start for t in led)
    supported = pg.tasks(agency="Sở KH&CN", role="support", jurisdiction="Phú Thọ")
    assert all("Sở Khoa học và Công nghệ" in t.support for t in supported)
    due = pg.tasks(agency="Sở KH&CN", due_before="2026-01-01")
    assert due and all(t.due < "2026-01-01" for t in due)


def test_tasks_as_of_include_the_predecessors(pg):
    today = {t.task for t in pg.tasks(agency="Sở KH&CN", jurisdiction="Vĩnh Phúc", role="lead", as_of="2026-01-01")}
    written = {t.task for t in pg.tasks(agency="Sở KH&CN", jurisdiction="Vĩnh Phúc", role="lead")}
    information = {t.task for t in pg.tasks(agency="Sở Thông tin và Truyền thông", jurisdiction="Vĩnh Phúc", role="lead")}
    assert today == written | information and information


def test_owner(pg):
    task = "doc:vinh-phuc:ke-hoach:2023-04:thuc-hien-chien-luoc-phat-trien-khoa-hoc-cong-nghe-va-doi-mo/task/phu-luc-1/b/ii/78"
    answer = pg.owner(task, as_of="2026-01-01")
    assert answer.task.lead == ["Sở Lao động - Thương binh và Xã hội"]
    assert {o.name for o in answer.leads_today} == {"Sở Nội vụ", "Sở Y tế", "Sở Giáo dục và Đào tạo"}


def test_chain_up_and_down(pg):
    chain = pg.chain("7316/KH-UBND")
    up = {link.number for link in chain if link.depth < 0}
    assert {"71/NQ-CP", "57-NQ/TW", "02-CTr/TU"} <= up
    down = pg.chain("57-NQ/TW")
    plans = {link.document for link in down if link.depth > 0 and link.loaded}
    assert PT_PLAN in plans and next(link for link in down if link.document == PT_PLAN).tasks > 150


def test_implementers(pg):
    rows = pg.implementers("57-NQ/TW")
    assert {r.jurisdiction for r in rows} == {"Phú Thọ", "Yên Bái"}
    yen_bai = next(r for r in rows if r.jurisdiction == "Yên Bái")
    assert yen_bai.without_lead >= 19  # the nineteen 2025 tasks name no owner
    phu_tho = next(r for r in rows if r.jurisdiction == "Phú Thọ")
    assert max(phu_tho.leads, key=phu_tho.leads.get) == "Sở Khoa học và Công nghệ"


def test_workload_and_deadlines(pg):
    rows = pg.workload(jurisdiction="Phú Thọ", as_of="2026-01-01")
    science = next(r for r in rows if r.name == "Sở Khoa học và Công nghệ")
    assert science.led == len(pg.tasks(agency="Sở KH&CN", role="lead", jurisdiction="Phú Thọ"))
    assert science.monitored > 50  # the indicator table of Phụ lục I
    overdue = pg.deadlines(overdue_as_of="2026-01-01")
    assert overdue and all(t.due < "2026-01-01" and not t.recurrence for t in overdue)
    period = pg.deadlines(between=("2025-01-01", "2025-12-31"))
    assert period and all("2025-01-01" <= t.due <= "2025-12-31" for t in period)
    assert [t.due for t in period] == sorted(t.due for t in period)


def test_compare_across_provinces(pg):
    rows = pg.compare("57-NQ/TW", ["Sở"])
    science = next(r for r in rows if r.name == "Sở Khoa học và Công nghệ")
    assert set(science.by_jurisdiction) == {"Phú Thọ", "Yên Bái"}
    assert all(r.name.startswith("Sở") for r in rows)


def test_search_is_accent_insensitive(pg):
    plain = {t.task for t in pg.search("chuyen doi so")}
    accented = {t.task for t in pg.search("chuyển đổi số")}
    assert plain == accented and len(plain) > 20


def test_table_forms(pg):
    rows = pg.workload(jurisdiction="Yên Bái")
    header, table = as_table(rows, lang="vi")
    assert header[1] == "Tên" and len(table) == len(rows)
    assert to_csv(rows).splitlines()[0].startswith("agency,name,jurisdiction")


@pytest.mark.parametrize("call", [
    lambda pg: pg.tasks(due_before="zzz"),
    lambda pg: pg.tasks(agency="Sở KH&CN", as_of="notadate"),
    lambda pg: pg.workload(as_of="2024-02-30"),
    lambda pg: pg.deadlines(overdue_as_of="yesterday"),
    lambda pg: pg.deadlines(between=("a", "b")),
    lambda pg: pg.owner(pg.tasks()[0].task, as_of="01/02/2025"),
])
def test_a_date_that_is_not_a_date_raises(pg, call):
    from policykg.dates import DateError

    with pytest.raises(DateError, match="is not a date"):
        call(pg)
    assert issubclass(DateError, ValueError)


def test_dates_as_date_objects_or_today(pg):
    import datetime as dt

    assert pg.deadlines(overdue_as_of=dt.date(2026, 1, 1)) == pg.deadlines(overdue_as_of="2026-01-01")
    assert pg.workload(as_of="today") == pg.workload()
