"""Findings of the checks: the record, the catalogue of checks with their severity and messages.

A finding is the **contract** of ``policykg check --format json``: ``check``, ``severity``,
``message``, ``node``, ``document``, ``source`` (``file``, ``line_start``, ``line_end``).

>>> f = finding("no-lead", "t1", "d1", {"file": "a.txt", "line_start": 3, "line_end": 4}, "vi", task="nhiệm vụ 2")
>>> f.severity, f.message
('error', 'nhiệm vụ 2: không có cơ quan chủ trì')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Finding", "CHECKS", "SEVERITIES", "finding"]

SEVERITIES = ("error", "warning", "info")


@dataclass
class Finding:
    check: str
    severity: str
    message: str
    node: str
    document: str | None
    source: dict[str, Any] = field(default_factory=dict)


# id -> (severity, Vietnamese message, English message); the messages name the node in words.
CHECKS: dict[str, tuple[str, str, str]] = {
    "no-lead": ("error", "{task}: không có cơ quan chủ trì", "{task}: no lead agency"),
    "lead-unreadable": ("warning", "{task}: có ô chủ trì nhưng không đọc được «{text}» — cần xem lại",
                        "{task}: a lead is printed but cannot be read «{text}» — to review"),
    "collective-lead": ("error", "{task}: chỉ giao cho tập thể «{leads}» chủ trì — không ai chịu trách nhiệm",
                        "{task}: led only by the collective «{leads}» — nobody accountable"),
    "several-leads": ("warning", "{task}: nhiều cơ quan cùng chủ trì ({leads})", "{task}: several leads ({leads})"),
    "lead-also-supports": ("warning", "{task}: {agency} vừa chủ trì vừa phối hợp",
                           "{task}: {agency} both leads and supports"),
    "no-deadline": ("warning", "{task}: không có thời hạn", "{task}: no deadline"),
    "unreadable-deadline": ("warning", "{task}: không đọc được thời hạn «{deadline}»",
                            "{task}: deadline «{deadline}» cannot be read as a date"),
    "due-before-plan": ("warning", "{task}: hạn {due} trước ngày ban hành kế hoạch ({date})",
                        "{task}: due {due}, before the plan's own date ({date})"),
    "overdue": ("warning", "{task}: quá hạn (hạn {due}, tính đến {as_of})", "{task}: overdue (due {due}, as of {as_of})"),
    "lead-abolished": ("warning", "{task}: cơ quan chủ trì {agency} không còn từ {date}; nay là {successors}",
                       "{task}: lead {agency} no longer exists since {date}; now {successors}"),
    "cited-not-loaded": ("info", "{document} được thực hiện nhưng chưa được nạp vào đồ thị",
                         "{document} is implemented but not loaded"),
    "implements-nothing": ("warning", "{document}: kế hoạch không ghi thực hiện hay căn cứ văn bản nào",
                           "{document}: a plan that implements or is based on no document"),
    "appendix-missing": ("warning", "{document}: dẫn chiếu Phụ lục {label} (dòng {line}) nhưng tệp không có phụ lục này",
                         "{document}: refers to Phụ lục {label} (line {line}) but the file does not hold it"),
    "lead-province-merged": ("info", "{task}: {agency} thuộc tỉnh đã hợp nhất từ {date}; nay là {successors}",
                             "{task}: {agency} belongs to a province merged on {date}; now {successors}"),
    "duplicate-task": ("warning", "{task}: trùng với {other}", "{task}: the same task as {other}"),
    "indicator-no-monitor": ("warning", "{target}: chỉ tiêu không có cơ quan theo dõi",
                             "{target}: indicator with no monitoring agency"),
    "unresolved-agency": ("warning", "cơ quan «{agency}» chưa xác định được ({mentions} lần nêu)",
                          "agency «{agency}» left unresolved ({mentions} mentions)"),
}


def finding(check: str, node: str, document: str | None, source: dict[str, Any], lang: str = "vi", /,
            **fields: Any) -> Finding:
    severity, vi, en = CHECKS[check]
    return Finding(check, severity, (vi if lang == "vi" else en).format(**fields), node, document, source)
