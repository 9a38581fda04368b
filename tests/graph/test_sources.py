"""Sources: files identified by path and content, documents claimed by two files, identical facts kept once."""

from dataclasses import replace

from conftest import VINH_LONG, YEN_BAI

from policykg.graph.builder import build_graph
from policykg.pipeline import build
from policykg.records import AgencyMention, DocumentRecord, Extraction, Provenance, TaskRecord


def _plan(source: str, title: str, tasks: list[str], number: str = "", sha: str | None = None) -> Extraction:
    name = source.rsplit("/", 1)[-1]
    doc = DocumentRecord(key="d1", kind="Kế hoạch", number=number, title=title, issuer="UBND tỉnh Bắc Ninh",
                         province="Bắc Ninh", date="2025-03", date_precision="month",
                         provenance=Provenance(name, 1, 3, "head", 0.9))
    records = [TaskRecord(document="d1", section=["II. NHIỆM VỤ"], number=str(n), title=title_, origin="list",
                          lead=[AgencyMention("Sở Y tế", "so-y-te", "Sở Y tế")],
                          provenance=Provenance(name, 10 + n, 10 + n, "list", 0.9))
               for n, title_ in enumerate(tasks, 1)]
    return Extraction(name, documents=[doc], tasks=records, source=source, sha256=sha or f"{source}|{tasks}")


def _docs(graph):
    return sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "Document" and d.get("loaded"))


def _tasks(graph):
    return sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "Task")


def test_files_of_one_name_in_two_folders_are_two_sources_told_apart_by_folder():
    a = _plan("/data/a/plan.txt", "Kế hoạch phát triển du lịch", ["Xây dựng cơ sở dữ liệu"], number="12/KH-UBND")
    b = _plan("/data/b/plan.txt", "Kế hoạch chuyển đổi số", ["Số hóa hồ sơ"], number="15/KH-UBND")
    graph = build_graph([a, b]).graph
    assert _docs(graph) == ["doc:bac-ninh:12-kh-ubnd:2025", "doc:bac-ninh:15-kh-ubnd:2025"]
    assert {graph.nodes[n]["source_file"] for n in _docs(graph)} == {"a/plan.txt", "b/plan.txt"}


def test_the_same_bytes_in_five_files_are_counted_once():
    copies = [_plan(f"/data/{c}/plan.txt", "Kế hoạch chuyển đổi số", ["Số hóa hồ sơ", "Đào tạo cán bộ"],
                    number="15/KH-UBND", sha="same") for c in "abcde"]
    result = build_graph(copies)
    assert len(_tasks(result.graph)) == 2 and not any("~" in t for t in _tasks(result.graph))
    assert [str(i) for i in result.issues if i.code == "W205"] == [
        f"W205 {c}/plan.txt: the same bytes as a/plan.txt: its facts are counted once" for c in "bcde"]


def test_a_numbered_document_in_two_files_is_one_document_with_its_tasks_once():
    text = _plan("/data/pdf/plan.txt", "Kế hoạch chuyển đổi số", ["Số hóa hồ sơ", "Đào tạo cán bộ"], number="15/KH-UBND")
    portal = _plan("/data/portal/plan.md", "Kế hoạch chuyển đổi số", ["Số hoá hồ sơ", "Đào tạo cán bộ"], number="15/KH-UBND")
    result = build_graph([text, portal])
    tasks = _tasks(result.graph)
    assert len(tasks) == 2, tasks
    assert result.graph.nodes[tasks[0]]["also_in"] == ["plan.txt:11"]
    (warning,) = [i for i in result.issues if i.code == "W204"]
    assert warning.file == "plan.txt" and "plan.md" in warning.message and "read as one document" in warning.message


def test_two_unnumbered_plans_of_one_title_and_month_with_different_tasks_stay_two_documents():
    one = _plan("/data/a.txt", "Kế hoạch thực hiện chuyển đổi số", ["Số hóa hồ sơ", "Đào tạo cán bộ"])
    two = _plan("/data/b.txt", "Kế hoạch thực hiện chuyển đổi số", ["Xây dựng trung tâm dữ liệu", "Phát triển nền tảng"])
    result = build_graph([one, two])
    docs = _docs(result.graph)
    assert len(docs) == 2 and docs[1] == docs[0] + "~2"
    assert len(_tasks(result.graph)) == 4
    (warning,) = [i for i in result.issues if i.code == "W204"]
    assert warning.file == "b.txt" and f"kept apart as {docs[1]}" in warning.message


def test_two_unnumbered_copies_of_one_plan_are_one_document():
    one = _plan("/data/a.txt", "Kế hoạch thực hiện chuyển đổi số", ["Số hóa hồ sơ", "Đào tạo cán bộ"])
    two = _plan("/data/b.txt", "Kế hoạch thực hiện chuyển đổi số", ["Số hóa hồ sơ", "Đào tạo cán bộ", "Tổng kết"])
    result = build_graph([one, two])
    assert len(_docs(result.graph)) == 1 and len(_tasks(result.graph)) == 3


def test_a_building_twice_keeps_files_of_one_name_from_two_folders(tmp_path, corpus_dir):
    for folder, name in (("d1", YEN_BAI), ("d2", VINH_LONG)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "plan.txt").write_bytes((corpus_dir / name).read_bytes())
    build([tmp_path / "d1"], tmp_path / "store")
    report = build([tmp_path / "d2"], tmp_path / "store")
    files = {d.get("source_file") for _, d in report.graph.nodes(data=True) if d.get("loaded")}
    assert files == {"d1/plan.txt", "d2/plan.txt"}
    report = build([tmp_path / "d1" / "plan.txt", tmp_path / "d1"], tmp_path / "store")  # the same path again
    assert report.loaded == [] and report.unchanged == ["plan.txt"]
    assert {d.get("source_file") for _, d in report.graph.nodes(data=True) if d.get("loaded")} == files


def test_records_of_an_older_store_are_replaced_by_name():
    old = replace(_plan("/x/plan.txt", "Kế hoạch chuyển đổi số", ["Số hóa hồ sơ"], number="15/KH-UBND"), source="")
    from policykg.pipeline import merge
    new = _plan("/data/plan.txt", "Kế hoạch chuyển đổi số", ["Đào tạo cán bộ"], number="15/KH-UBND")
    assert list(merge({old.key: old}, {new.key: new})) == ["/data/plan.txt"]
