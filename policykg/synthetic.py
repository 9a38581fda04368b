"""Synthetic graphs of the genre, for benchmarks: provincial plans carrying out 57-NQ/TW through
71/NQ-CP or a provincial programme, each with numbered tasks, leads, supporters and deadlines.

Records are written directly (no text), as the loaders would produce them, and built with the real
graph builder, so IDs, resolution and the restructuring edges are those of real documents.

>>> g = synthetic_graph(tasks=30, provinces=2, seed=1)
>>> sum(1 for _, d in g.nodes(data=True) if d["kind"] == "Task")
30
"""

from __future__ import annotations

import random

import networkx as nx

from .graph.builder import build_graph
from .ontology import provinces as province_data
from .records import (
    AgencyMention,
    Citation,
    Deadline,
    DocumentRecord,
    Extraction,
    Provenance,
    TargetRecord,
    TaskRecord,
)
from .resolve.agencies import gazetteer_name

__all__ = ["synthetic_extractions", "synthetic_graph"]

_LEADS = ["so-khoa-hoc-va-cong-nghe", "so-noi-vu", "so-tai-chinh", "so-y-te", "so-giao-duc-va-dao-tao",
          "so-xay-dung", "so-cong-thuong", "van-phong-ubnd-tinh", "cong-an-tinh", "so-nong-nghiep-va-moi-truong",
          "so-van-hoa-the-thao-va-du-lich", "so-tu-phap"]
_OLD_LEADS = ["so-thong-tin-va-truyen-thong", "so-ke-hoach-va-dau-tu", "so-lao-dong-thuong-binh-va-xa-hoi"]
_SUPPORTS = ["cac-so-ban-nganh", "ubnd-cap-xa", "cac-co-quan-don-vi-lien-quan"]
_VERBS = ["Xây dựng", "Triển khai", "Tổ chức", "Rà soát", "Nâng cao", "Phát triển", "Đẩy mạnh", "Hoàn thiện"]
_OBJECTS = ["cơ sở dữ liệu chuyển đổi số", "nền tảng số dùng chung", "hạ tầng số", "chính quyền số",
            "đổi mới sáng tạo trong doanh nghiệp", "nguồn nhân lực khoa học, công nghệ", "kinh tế số",
            "dịch vụ công trực tuyến", "trung tâm dữ liệu", "an toàn thông tin mạng"]
_DEADLINES = [("Tháng 12/2025", "2025-12-31", None), ("Quý IV/2026", "2026-12-31", None),
              ("Năm 2027", "2027-12-31", None), ("Hằng năm", None, "yearly"), ("Thường xuyên", None, "ongoing"),
              ("Giai đoạn 2026-2030", "2030-12-31", None), ("Tháng 6/2025", "2025-06-30", None)]


def _mention(key: str) -> AgencyMention:
    name, collective = gazetteer_name(key)
    return AgencyMention(name, key, name, collective)


def synthetic_extractions(tasks: int = 1000, provinces: int = 10, tasks_per_plan: int = 200,
                          seed: int = 0) -> list[Extraction]:
    """Plans of ``provinces`` provinces with ``tasks`` tasks in all."""
    rng = random.Random(seed)
    names = [u["name"] for u in province_data()["after"]]
    out = []
    plans = max(1, -(-tasks // tasks_per_plan))
    for p in range(plans):
        province = names[p % min(provinces, len(names))]
        older = p % 3 == 0  # a third are 2024 plans, which name the pre-2025 departments
        date = f"{2024 if older else 2025}-{1 + p % 12:02d}-15"
        file = f"synthetic_{p:05d}.txt"
        prov = Provenance(file, 1, 40, "synthetic", 1.0)
        doc = DocumentRecord("d0", "Kế hoạch", f"Kế hoạch thực hiện Nghị quyết số 57-NQ/TW, đợt {p}", prov,
                             number=f"{100 + p}/KH-UBND", issuer=f"UBND tỉnh {province}", province=province,
                             date=date, date_precision="day")
        upper = rng.choice(["71/NQ-CP", "57-NQ/TW"])
        citations = [
            Citation("c0", "d0", "IMPLEMENTS", "Nghị quyết", f"Nghị quyết số {upper}", prov, document="d0",
                     number=upper, year=2025 if upper == "71/NQ-CP" else 2024,
                     issuer="Chính phủ" if upper == "71/NQ-CP" else "Bộ Chính trị", level="national"),
            Citation("c1", "c0", "IMPLEMENTS", "Nghị quyết", "Nghị quyết số 57-NQ/TW", prov, document="d0",
                     number="57-NQ/TW", year=2024, issuer="Bộ Chính trị", level="national"),
        ]
        if upper == "57-NQ/TW":
            citations = citations[:1]
        ex = Extraction(file, [doc], citations)
        count = min(tasks_per_plan, tasks - p * tasks_per_plan)
        for n in range(1, count + 1):
            lead_pool = _LEADS + (_OLD_LEADS if older else [])
            lead = [] if rng.random() < 0.03 else [_mention(rng.choice(lead_pool))]
            support = [_mention(k) for k in rng.sample(_SUPPORTS, rng.randint(0, 2))]
            text, due, recurrence = rng.choice(_DEADLINES)
            line = 40 + n * 3
            ex.tasks.append(TaskRecord(
                "d0", ["Phụ lục", f"{1 + (n - 1) // 50}. Nhóm nhiệm vụ"], str(n),
                f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)} tỉnh {province} ({n})", "table",
                Provenance(file, line, line + 2, "synthetic", 0.9), lead, support,
                Deadline(text, due, recurrence), rng.choice(["Kế hoạch", "Đề án", "Báo cáo", None])))
        for n in range(1, 4):
            ex.targets.append(TargetRecord("d0", ["Mục tiêu"], str(n), f"Chỉ tiêu {n} của kế hoạch {p}",
                                           prov, 2025 + n, None, [_mention(rng.choice(_LEADS))]))
        out.append(ex)
    return out


def synthetic_graph(tasks: int = 1000, provinces: int = 10, seed: int = 0) -> nx.MultiDiGraph:
    """The graph of :func:`synthetic_extractions`."""
    return build_graph(synthetic_extractions(tasks, provinces, seed=seed)).graph
