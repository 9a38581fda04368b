"""Scoring an extraction against hand-checked answers (policykg.evaluation)."""

from policykg.evaluation import score_table_tasks
from policykg.records import AgencyMention, Extraction, Provenance, TaskRecord


def _row(number, start, end, lead):
    return TaskRecord("plan", [], number, "Triển khai", "table", Provenance("plan.txt", start, end, "ocr"),
                      lead=[AgencyMention(lead, None, lead, False, 0.9)])


def _answer(number, line, lead):
    return {"number": number, "line": line, "title": "Triển khai", "lead": [lead], "support": []}


def test_table_rows_match_by_their_first_line_or_by_number_and_span():
    """Answers give the line of a row's number; where numbers sit halfway down their rows, a row found with
    that number whose lines hold it is the same row, however far above it starts."""
    rows = [_row("47", 2057, 2069, "Sở Tài chính"), _row("48", 2070, 2079, "Sở Xây dựng")]
    extraction = Extraction("plan.txt", tasks=rows)
    answers = {"tasks": [_answer("47", 2059, "Sở Tài chính"), _answer("48", 2071, "Sở Xây dựng"),
                         _answer("49", 2075, "Sở Nội vụ")]}  # inside row 48's lines, but not its number
    score = score_table_tasks(extraction, answers)
    assert (score.expected, score.found, score.lead) == (3, 2, 2)
    assert [m["number"] for m in score.misses if m["why"] == "not found"] == ["49"]
