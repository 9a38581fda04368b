"""Numbered tasks in the body of a plan: "(1) ... (19)" under a heading that names a group of tasks.

The group heading gives the tasks' deadline ("2. Các nhiệm vụ thực hiện hoàn thành trong
năm 2025 (19 nhiệm vụ)") and often their count, which is checked. The text names no
owner for such tasks, so none is invented.
"""

from __future__ import annotations

import re

from ..errors import Issue, Warnings
from ..records import Provenance, TaskRecord
from ..text import collapse_spaces, fold_chars
from .deadlines import find_deadline_phrase, parse_deadline
from .context import ExtractContext
from .layout import NUMBERED_RE, PAREN_NUM_RE, Heading, Paragraph

__all__ = ["extract_task_list"]

_TASK_WORD = re.compile(r"\bnhi\S{0,2}m v\S{0,2}\b")
_DECLARED_COUNT = re.compile(r"\(\s*(\d{1,3})\s+nhi\S{0,2}m v\S{0,2}\s*\)")


def extract_task_list(
    paras: list[Paragraph], headings: list[Heading], *, context: ExtractContext,
) -> tuple[list[TaskRecord], list[Issue]]:
    """Tasks numbered "(n)" under a group heading or section that speaks of tasks (nhiệm vụ)."""
    document, file, confidence = context.document, context.file, context.confidence
    tasks: list[TaskRecord] = []
    issues: list[Issue] = []
    roman_at = {h.index: h for h in headings if h.level == "roman"}
    roman: Heading | None = None
    group: Paragraph | None = None
    group_tasks: list[TaskRecord] = []

    def close_group() -> None:
        if group is not None and (m := _DECLARED_COUNT.search(fold_chars(group.text).lower())):
            if int(m.group(1)) != len(group_tasks) and group_tasks:
                issues.append(Warnings.W202.format(file=file, line=group.line_start, expected=m.group(1), found=len(group_tasks)))

    for i, para in enumerate(paras):
        if i in roman_at:
            close_group()
            roman, group, group_tasks = roman_at[i], None, []
            continue
        if NUMBERED_RE.match(para.text):
            close_group()
            group, group_tasks = para, []
            continue
        m = PAREN_NUM_RE.match(para.text)
        if not m:
            continue
        context = " ".join(x for x in (roman.title if roman else "", group.text if group else "") if x)
        if not _TASK_WORD.search(fold_chars(context).lower()):
            continue
        section = [f"{roman.number}. {roman.title}"] if roman else []
        deadline = None
        if group is not None:
            section.append(collapse_spaces(group.text))
            phrase = find_deadline_phrase(group.text)
            deadline = parse_deadline(phrase) if phrase else None
        task = TaskRecord(
            document, section, f"({m.group('num')})", collapse_spaces(m.group("rest")), "list",
            Provenance(file, para.line_start, para.line_end, "list", confidence), deadline=deadline,
        )
        tasks.append(task)
        group_tasks.append(task)
    close_group()
    return tasks, issues
