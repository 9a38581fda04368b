#!/usr/bin/env python3
"""Write plans of the genre for benchmarks: provincial plans (Kế hoạch) that carry out real national documents.

Usage: python3 scripts/synth_corpus.py --plans N [--seed S] [--rows R] -o DIR

Each plan has what the genre's plans have: the heading of a provincial people's committee, a number and a
date, a title naming the national document it carries out, "Căn cứ" and "Thực hiện" lines citing real
national documents, purposes and targets ("Đến năm 2030, 100% ..."), a duties section of agency blocks
("1. Sở Y tế" / "- Chủ trì, phối hợp với ...") and an appendix table of about ``--rows`` tasks (number,
title, lead, supporters, output, deadline), its leads and supporters drawn from the departments every
province has since 2025. Half the plans are written as legal portals publish them (Markdown, the table one
cell per line between "|" lines), half as PDF-extracted text (the table printed cell after cell, each cell
wrapped at its column's width). The same seed writes the same files; ``answers.json`` in DIR lists what
each plan holds (its tasks' numbers, leads and supporters), to check a reader against.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policykg import ontology  # noqa: E402

# Real national documents plans of 2025 carry out, as the genre cites them.
NATIONAL = [
    ("Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị", "về đột phá phát triển khoa học, công nghệ, đổi mới "
     "sáng tạo và chuyển đổi số quốc gia"),
    ("Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ", "sửa đổi, bổ sung, cập nhật Chương trình hành động của "
     "Chính phủ thực hiện Nghị quyết số 57-NQ/TW"),
    ("Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ", "ban hành Chương trình hành động của Chính phủ thực "
     "hiện Nghị quyết số 57-NQ/TW"),
    ("Nghị quyết số 214/NQ-CP ngày 23/7/2025 của Chính phủ", "ban hành Kế hoạch hành động của Chính phủ về thúc đẩy "
     "tạo lập dữ liệu phục vụ chuyển đổi số toàn diện"),
    ("Quyết định số 142/QĐ-TTg ngày 02/02/2024 của Thủ tướng Chính phủ", "phê duyệt Chiến lược dữ liệu quốc gia "
     "đến năm 2030"),
    ("Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ", "phê duyệt Đề án phát triển ứng dụng dữ "
     "liệu về dân cư, định danh và xác thực điện tử phục vụ chuyển đổi số quốc gia"),
]
LAWS = ["Luật Tổ chức chính quyền địa phương số 72/2025/QH15", "Luật Khoa học, công nghệ và đổi mới sáng tạo số "
        "93/2025/QH15", "Luật Dữ liệu số 60/2024/QH15"]
VERBS = ["Xây dựng", "Triển khai", "Rà soát, hoàn thiện", "Tổ chức thực hiện", "Nâng cấp", "Số hóa", "Đẩy mạnh",
         "Hướng dẫn triển khai", "Đánh giá, tổng kết", "Phát triển"]
OBJECTS = ["cơ sở dữ liệu chuyên ngành {f} của tỉnh, bảo đảm kết nối, chia sẻ với cơ sở dữ liệu quốc gia",
           "hệ thống thông tin quản lý {f} trên nền tảng số dùng chung của tỉnh",
           "kế hoạch chuyển đổi số lĩnh vực {f} giai đoạn 2026 - 2030",
           "các thủ tục hành chính lĩnh vực {f} theo hướng dịch vụ công trực tuyến toàn trình",
           "chương trình đào tạo, bồi dưỡng kỹ năng số cho cán bộ, công chức ngành {f}",
           "mô hình ứng dụng trí tuệ nhân tạo trong công tác quản lý {f}",
           "cơ chế, chính sách khuyến khích doanh nghiệp đầu tư đổi mới sáng tạo trong lĩnh vực {f}",
           "hạ tầng số phục vụ công tác {f}, bảo đảm an toàn, an ninh mạng"]
FIELDS = ["y tế", "giáo dục và đào tạo", "nông nghiệp và môi trường", "tài chính", "xây dựng", "công thương",
          "văn hóa, thể thao và du lịch", "tư pháp", "nội vụ", "khoa học và công nghệ"]
OUTPUTS = ["Kế hoạch của UBND tỉnh", "Quyết định của UBND tỉnh", "Báo cáo kết quả thực hiện", "Đề án được phê duyệt",
           "Hệ thống được vận hành", "Cơ sở dữ liệu được kết nối", "Văn bản hướng dẫn"]
DEADLINES = ["Quý I/2026", "Quý IV/2025", "Năm 2026", "Tháng 12/2025", "2026 - 2030", "Thường xuyên", "Hằng năm",
             "Quý II/2027", "Năm 2025 - 2026"]
COLLECTIVES = ["Các sở, ban, ngành", "UBND các xã, phường", "Các cơ quan, đơn vị liên quan", "Các doanh nghiệp"]
TARGETS = ["100% hồ sơ công việc tại cấp tỉnh được xử lý trên môi trường mạng", "80% dịch vụ công được cung cấp "
           "trực tuyến toàn trình", "100% cơ sở dữ liệu chuyên ngành được kết nối, chia sẻ", "kinh tế số chiếm 20% "
           "GRDP của tỉnh", "70% người dân trưởng thành có kỹ năng số cơ bản"]


def departments() -> list[str]:
    """The departments and provincial bodies every province has since 2025 (the gazetteer's names)."""
    return [e["name"] for e in ontology.agencies()["agencies"]
            if e.get("level") == "province" and e.get("era") in {"post2025", "both"} and not e.get("some_provinces")
            and e.get("kind") == "Sở"]


def provinces() -> list[dict]:
    return ontology.provinces()["after"]


class Plan:
    """One plan's facts, drawn from ``rng``."""

    def __init__(self, rng: random.Random, index: int, rows: int) -> None:
        self.province = rng.choice(provinces())
        self.city = self.province["type"] == "thành phố"
        self.number = f"{rng.randint(10, 9999)}/KH-UBND"
        self.date = (rng.randint(1, 28), rng.randint(1, 12), 2025)
        self.cites = rng.sample(NATIONAL, 2)
        depts = departments()
        self.tasks = []
        for k in range(1, rows + 1):
            lead = rng.choice(depts)
            others = [d for d in depts if d != lead]
            support = rng.sample(others, rng.randint(0, 2)) + rng.sample(COLLECTIVES, rng.randint(1, 2))
            title = f"{rng.choice(VERBS)} {rng.choice(OBJECTS).format(f=rng.choice(FIELDS))}"
            self.tasks.append({"number": str(k), "title": title, "lead": lead, "support": support,
                               "output": rng.choice(OUTPUTS), "deadline": rng.choice(DEADLINES)})
        self.duties = rng.sample(depts, min(6, len(depts)))
        self.targets = rng.sample(TARGETS, 3)
        self.index = index

    @property
    def unit(self) -> str:
        return "THÀNH PHỐ" if self.city else "TỈNH"

    def head(self) -> list[str]:
        d, m, y = self.date
        cite, about = self.cites[0]
        name = self.province["name"]
        return [f"ỦY BAN NHÂN DÂN {self.unit} {name.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc", f"Số: {self.number}", f"{name}, ngày {d} tháng {m} năm {y}",
                "KẾ HOẠCH", f"Thực hiện {cite} {about}".upper()]

    def body(self) -> list[str]:
        """The plan's paragraphs before the appendix, one string each (headings as they are printed)."""
        cite, about = self.cites[0]
        other, other_about = self.cites[1]
        unit = "Thành phố" if self.city else "tỉnh"
        out = [f"Căn cứ {law};" for law in LAWS[:2]]
        out += [f"Thực hiện {cite} {about}; {other} {other_about}.",
                f"Ủy ban nhân dân {unit} ban hành Kế hoạch thực hiện như sau:",
                "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích",
                f"Triển khai đầy đủ, kịp thời các nhiệm vụ được giao tại {cite}; xác định rõ nhiệm vụ, trách nhiệm của "
                "các cơ quan, đơn vị trong tổ chức thực hiện.",
                "2. Yêu cầu",
                "Bảo đảm sự lãnh đạo, chỉ đạo thống nhất; gắn trách nhiệm người đứng đầu với kết quả thực hiện.",
                "II. MỤC TIÊU"]
        out += [f"- Đến năm 2030, {target}." for target in self.targets]
        out += ["III. NHIỆM VỤ, GIẢI PHÁP", "Các nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này.",
                "IV. TỔ CHỨC THỰC HIỆN"]
        for k, dept in enumerate(self.duties, 1):
            partner = self.duties[k % len(self.duties)]
            out += [f"{k}. {dept}",
                    f"- Chủ trì, phối hợp với {partner} và các cơ quan, đơn vị liên quan triển khai các nhiệm vụ được "
                    "giao tại Phụ lục kèm theo Kế hoạch này.",
                    f"- Phối hợp với {partner} tổng hợp, báo cáo kết quả thực hiện định kỳ hằng năm."]
        out += [f"Trên đây là Kế hoạch thực hiện {cite}; trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ "
                "quan, đơn vị báo cáo về Sở Khoa học và Công nghệ để tổng hợp, báo cáo Ủy ban nhân dân "
                f"{unit} xem xét, chỉ đạo./.", "Nơi nhận:", "- Như trên;",
                "- TT Thành ủy;" if self.city else "- TT Tỉnh ủy;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
        return out

    def answers(self) -> dict:
        return {"number": self.number, "province": self.province["name"],
                "tasks": [{k: t[k] for k in ("number", "lead", "support")} for t in self.tasks]}


HEADER = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian hoàn thành"]


def markdown(plan: Plan) -> str:
    """The plan as a legal portal publishes it: bold headings, the appendix table one cell per line."""
    head = plan.head()
    lines = ["|", f"**{head[0]}**", "-------", "|", f"**{head[1]}**", head[2], "---------------", "|", "|", head[3],
             "|", f"*{head[4]}*", "|", "", f"**{head[5]}**", "", head[6], ""]
    for para in plan.body():
        bold = para[:2] in {"I.", "II", "IV"} or para.split(" ")[0].rstrip(".").isdigit() and len(para) < 60
        lines += [f"**{para}**" if bold else para, ""]
    lines += ["**PHỤ LỤC**", "", "NHIỆM VỤ TRIỂN KHAI KẾ HOẠCH", "",
              f"(*Kèm theo Kế hoạch số {plan.number} của Ủy ban nhân dân*)", ""]
    for cell in HEADER:
        lines += ["|", f"**{cell}**"]
    lines += ["|", "|"]
    for task in plan.tasks:
        for cell in (task["number"], task["title"], task["lead"], "; ".join(task["support"]), task["output"],
                     task["deadline"]):
            lines += [cell, "|"]
        lines += ["|"]
    return "\n".join(lines) + "\n"


WIDTHS = (48, 14, 20, 14, 12)  # characters a PDF table's cells wrap at: title, lead, support, output, deadline


def pdf_text(plan: Plan) -> str:
    """The plan as PDF text extraction prints it: lines wrapped, the appendix table cell after cell."""
    head = plan.head()
    lines = [head[0], head[1], head[2], head[3], head[4], "", head[5]] + textwrap.wrap(head[6], 80) + [""]
    for para in plan.body():
        lines += textwrap.wrap(para, 90) + [""]
    lines += ["Phụ lục", "NHIỆM VỤ TRIỂN KHAI KẾ HOẠCH", f"(Kèm theo Kế hoạch số {plan.number} của Ủy ban nhân dân)",
              "", "TT Nhiệm vụ", "Cơ quan chủ", "trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian hoàn", "thành", ""]
    for task in plan.tasks:
        lines.append(f"{task['number']}.")
        cells = (task["title"], task["lead"], "; ".join(task["support"]), task["output"], task["deadline"])
        for text, width in zip(cells, WIDTHS):
            lines += textwrap.wrap(text, width)
        lines.append("")
    return "\n".join(lines) + "\n"


def write_corpus(count: int, seed: int, out: Path, rows: int = 100) -> list[Path]:
    """Write ``count`` plans to ``out`` (alternating the two layouts) and ``answers.json``; return the files."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    files, answers = [], {}
    for k in range(count):
        plan = Plan(rng, k, rows)
        name = f"plan-{k:05d}.{'md' if k % 2 == 0 else 'txt'}"
        (out / name).write_text(markdown(plan) if k % 2 == 0 else pdf_text(plan), encoding="utf-8")
        answers[name] = plan.answers()
        files.append(out / name)
    (out / "answers.json").write_text(json.dumps(answers, ensure_ascii=False, indent=1), encoding="utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rows", type=int, default=100, help="tasks in each plan's appendix table")
    parser.add_argument("-o", "--out", type=Path, required=True)
    args = parser.parse_args(argv)
    files = write_corpus(args.plans, args.seed, args.out, args.rows)
    print(f"{len(files)} plans written to {args.out} (answers.json beside them)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
