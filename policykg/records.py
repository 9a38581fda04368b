"""Typed records that extraction produces and the graph builder consumes.

Records carry provenance (file, 1-based lines, method, confidence) and refer to the
documents of the same extraction by a local key; stable graph IDs are assigned later
by :mod:`policykg.resolve`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .errors import Issue

__all__ = [
    "Provenance",
    "DocumentRecord",
    "Citation",
    "AgencyMention",
    "Deadline",
    "TaskRecord",
    "TargetRecord",
    "Extraction",
]


@dataclass(frozen=True)
class Provenance:
    """Where a fact comes from and how sure the extractor is of it."""

    file: str
    line_start: int
    line_end: int
    method: str
    confidence: float = 1.0
    page: int | None = None  # formats with pages (PDF, scans): the page of the first line


@dataclass
class DocumentRecord:
    """A document read from a file (``loaded``) — its head fields."""

    key: str
    kind: str
    title: str
    provenance: Provenance
    number: str | None = None
    issuer: str | None = None
    issuer_level: str = "province"
    province: str | None = None
    date: str | None = None
    date_precision: str | None = None
    issued_with: str | None = None  # local key of the decision that issues this document
    appendices_cited: list[list] = field(default_factory=list)  # [label, line] of each appendix referred to
    appendices_found: list[str] = field(default_factory=list)  # labels of the appendices the file holds


@dataclass
class Citation:
    """A document named in the text of a loaded document, and why it is named.

    ``relation`` is ``IMPLEMENTS``, ``BASED_ON``, ``REPLACES`` or ``CITES``;
    ``subject`` is the local key of the citing document, or ``cite:N`` when the text says
    that another cited document implements this one ("Kế hoạch 235-KH/TU ... thực hiện Nghị quyết 57-NQ/TW").
    """

    key: str
    subject: str
    relation: str
    kind: str
    text: str
    provenance: Provenance
    document: str = ""  # local key of the document whose text holds the citation
    number: str | None = None
    name: str | None = None  # for laws cited by name
    year: int | None = None
    date: str | None = None
    issuer: str | None = None
    issuer_explicit: bool = False  # named in the text ("của Bộ Chính trị"), not inferred from the number
    level: str = "province"
    province: str | None = None
    short: bool = False  # "Nghị quyết 57": number without type and issuer


@dataclass(frozen=True)
class AgencyMention:
    """An agency named in the text: as printed, and the gazetteer entry it matched (if any)."""

    text: str
    key: str | None
    name: str
    collective: bool = False
    confidence: float = 1.0
    line: int | None = None


@dataclass(frozen=True)
class Deadline:
    """A deadline as printed, its normalized due date and recurrence (if any)."""

    text: str
    due: str | None = None
    recurrence: str | None = None  # yearly | quarterly | monthly | ongoing | conditional
    start: str | None = None


@dataclass
class TaskRecord:
    """A task a document assigns.

    ``origin`` says how it was found: ``table`` (a row of a task table), ``list`` (a numbered item
    "(1)"), ``duties`` (a duty of an agency block, of a regulation's article or of a decision's
    article), ``inline`` (a task followed by the fields "Đơn vị chủ trì: ...", "Thời gian thực hiện:
    ...").

    ``role`` (duties and inline tasks) says how the text assigns it:

    - ``lead``: "Chủ trì ..." — the agencies in ``lead`` lead it, those in ``support`` support;
    - ``support``: "Phối hợp với X ..." — X (in ``lead``) leads, the block's agency (in ``support``)
      supports;
    - ``responsible``: the agency in ``lead`` does it, no role word ("Tham mưu ...", "X có trách
      nhiệm ...", "Giao X ...");
    - ``requested``: "Đề nghị X ..." — X (in ``lead``) is asked, not ordered: a body outside the
      administration (the Fatherland Front, mass organisations, Party boards, courts);
    - ``encouraged``: "Khuyến khích X ..." — X (in ``lead``: businesses, citizens) is encouraged.

    Leads with role ``requested`` or ``encouraged`` are still ``lead`` mentions (and ``LEADS``
    edges): the role says how binding the assignment is.
    """

    document: str
    section: list[str]
    number: str
    title: str
    origin: str
    provenance: Provenance
    lead: list[AgencyMention] = field(default_factory=list)
    support: list[AgencyMention] = field(default_factory=list)
    deadline: Deadline | None = None
    output: str | None = None
    role: str | None = None  # duties, inline: lead | support | responsible | requested | encouraged
    sources: list[str] = field(default_factory=list)  # citation keys of the documents the task comes from
    lead_unread: str | None = None  # the lead cell's text when it names no agency that could be read (OCR)
    title_raw: str | None = None  # OCR'd text: the title as read, before its diacritics were restored


@dataclass
class TargetRecord:
    """An indicator (chỉ tiêu) a document sets: text, year, area (lĩnh vực), and the agencies that monitor it."""

    document: str
    section: list[str]
    number: str
    text: str
    provenance: Provenance
    year: int | None = None
    area: str | None = None  # lĩnh vực: the field a group of indicators belongs to
    monitor: list[AgencyMention] = field(default_factory=list)


@dataclass
class Extraction:
    """Everything read from one file.

    ``file`` is the name shown in provenance; ``source`` (the file's resolved path) and ``sha256`` (of its
    bytes) identify it: two files of one name in different folders are two sources, and loading a path
    again replaces the facts read from it before (:attr:`key`).

    >>> ex = Extraction("plan.txt", source="/data/a/plan.txt", sha256="ab12")
    >>> ex.key, ex.renamed("a/plan.txt").file, Extraction("plan.txt").key
    ('/data/a/plan.txt', 'a/plan.txt', 'plan.txt')
    """

    file: str
    documents: list[DocumentRecord] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    tasks: list[TaskRecord] = field(default_factory=list)
    targets: list[TargetRecord] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    source: str = ""  # the resolved path the file was read from ("" in records of older stores)
    sha256: str = ""  # of the file's bytes
    extractor: str = ""  # the version of the extractor that read it (policykg.loaders.fingerprint)

    @property
    def key(self) -> str:
        """What identifies the source among the files of a store: its path (its name in older records)."""
        return self.source or self.file

    def renamed(self, name: str) -> "Extraction":
        """A copy whose provenance and issues name the file ``name`` (to tell apart files of one name)."""
        def rename(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: name if k == "file" and v == self.file else rename(v) for k, v in value.items()}
            if isinstance(value, list):
                return [rename(v) for v in value]
            return value
        return Extraction.from_dict(rename(self.to_dict()))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; :meth:`from_dict` reads it back into equal records."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Extraction":
        def prov(d: dict) -> Provenance:
            return Provenance(**d)

        def agencies(items: list[dict]) -> list[AgencyMention]:
            return [AgencyMention(**a) for a in items]

        return cls(
            file=data["file"],
            documents=[DocumentRecord(**{**d, "provenance": prov(d["provenance"])}) for d in data["documents"]],
            citations=[Citation(**{**c, "provenance": prov(c["provenance"])}) for c in data["citations"]],
            tasks=[
                TaskRecord(**{**t, "provenance": prov(t["provenance"]), "lead": agencies(t["lead"]),
                              "support": agencies(t["support"]),
                              "deadline": Deadline(**t["deadline"]) if t["deadline"] else None})
                for t in data["tasks"]
            ],
            targets=[TargetRecord(**{**t, "provenance": prov(t["provenance"]), "monitor": agencies(t["monitor"])})
                     for t in data.get("targets", [])],
            issues=[Issue(**i) for i in data["issues"]],
            source=data.get("source", ""),
            sha256=data.get("sha256", ""),
            extractor=data.get("extractor", ""),
        )
