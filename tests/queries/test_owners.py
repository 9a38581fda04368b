"""Who owns a task today, through the 2025 restructuring, on the corpus."""

from policykg.queries.lookup import find_tasks
from policykg.queries.owners import current_owner

_VP_PLAN = "doc:vinh-phuc:ke-hoach:2023-04:thuc-hien-chien-luoc-phat-trien-khoa-hoc-cong-nghe-va-doi-mo"


def _led_by(graph, key, jurisdiction):
    agency = f"agency:{jurisdiction}:{key}"
    return sorted(d for _, d, k in graph.out_edges(agency, keys=True) if k == "LEADS")


def test_information_department_task_is_owned_by_science_of_the_new_province(corpus_graph):
    task = next(t for t in _led_by(corpus_graph, "so-thong-tin-va-truyen-thong", "vinh-phuc") if "phu-luc-1" in t)
    owners = current_owner(corpus_graph, task, as_of="2026-01-01")
    science = next(o for o in owners if o.name == "Sở Khoa học và Công nghệ")
    assert science.agency == "agency:phu-tho-2025:so-khoa-hoc-va-cong-nghe"
    assert [s.date for s in science.via] == ["2025-03-01", "2025-07-01"]
    assert "45/2025/NĐ-CP" in science.via[0].instrument and "202/2025/QH15" in science.via[1].instrument
    assert science.original == "Sở Thông tin và Truyền thông" and science.role == "lead"
    # the press functions went to culture: a split answers with every successor and its function
    assert {o.name for o in owners} == {"Sở Khoa học và Công nghệ", "Sở Văn hóa, Thể thao và Du lịch"}
    assert all(o.function for o in owners)


def test_split_department_answers_with_each_successor(corpus_graph):
    task = f"{_VP_PLAN}/task/phu-luc-1/b/ii/78"
    owners = current_owner(corpus_graph, task, as_of="2026-01-01")
    assert {(o.name, o.jurisdiction) for o in owners} == {
        ("Sở Nội vụ", "Phú Thọ"), ("Sở Y tế", "Phú Thọ"), ("Sở Giáo dục và Đào tạo", "Phú Thọ")}
    assert next(o for o in owners if o.name == "Sở Y tế").function.startswith("bảo trợ xã hội")


def test_before_the_restructuring_the_named_agency_owns(corpus_graph):
    task = f"{_VP_PLAN}/task/phu-luc-1/b/ii/78"
    owners = current_owner(corpus_graph, task, as_of="2025-02-28")
    assert [(o.name, o.jurisdiction, o.via) for o in owners] == [("Sở Lao động - Thương binh và Xã hội", "Vĩnh Phúc", ())]
    mid = current_owner(corpus_graph, task, as_of="2025-05-01")  # merged departments, provinces not yet
    assert {o.jurisdiction for o in mid} == {"Vĩnh Phúc"} and len(mid) == 3


def test_unchanged_agency_of_a_merged_province(corpus_graph):
    task = _led_by(corpus_graph, "so-noi-vu", "vinh-long")[0]
    [owner] = current_owner(corpus_graph, task, as_of="2026-01-01")
    assert owner.name == "Sở Nội vụ" and owner.agency != "agency:vinh-long:so-noi-vu"
    assert corpus_graph.nodes[owner.agency]["jurisdiction"] == "Vĩnh Long" and owner.via[0].date == "2025-07-01"


def test_district_committees_are_followed_to_the_communes(corpus_graph):
    owners = [o for t in _led_by(corpus_graph, "ubnd-thanh-pho-vinh-yen", "vinh-phuc")
              for o in current_owner(corpus_graph, t, as_of="2026-01-01")]
    assert owners and {o.agency for o in owners} == {"agency:phu-tho-2025:ubnd-cap-xa"}


def test_a_2025_plan_is_owned_as_written(corpus_graph):
    task = next(t for t in _led_by(corpus_graph, "so-khoa-hoc-va-cong-nghe", "phu-tho-2025"))
    [owner] = current_owner(corpus_graph, task)
    assert owner.agency == "agency:phu-tho-2025:so-khoa-hoc-va-cong-nghe" and owner.via == ()


def test_find_tasks_by_id_end_or_title(corpus_graph):
    assert find_tasks(corpus_graph, "phu-luc-1/b/ii/78") == [f"{_VP_PLAN}/task/phu-luc-1/b/ii/78"]
    assert len(find_tasks(corpus_graph, "tro giup xa hoi")) >= 1
    assert find_tasks(corpus_graph, "zzzz không có") == []
