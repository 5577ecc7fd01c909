"""The data that flows between stages: documents in, facts with evidence out.

Plain dataclasses so every stage can be tested alone and facts can be cached
as JSON (``to_dict``/``from_dict``) between builds.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Optional


@dataclass
class Document:
    """One source document after loading: body text plus metadata."""

    source_id: str  # the file name (plus ``#line`` for .jsonl records)
    text: str
    path: str = ""
    kind: str = "news"  # news | minutes | press_release | blog | report | statistics
    title: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None  # ISO date at its known precision
    publisher: Optional[str] = None
    # char offset where each page starts (PDFs): evidence carries its page number
    page_starts: list = field(default_factory=list)

    def page_of(self, offset: int) -> Optional[int]:
        if not self.page_starts:
            return None
        page = 1
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i + 1
            else:
                break
        return page


@dataclass
class Evidence:
    """Where a fact was read: document, character span and the exact text."""

    source_id: str
    start: int
    end: int
    text: str
    page: Optional[int] = None


@dataclass
class CouncilMention:
    gss_code: str
    name: str  # preferred short label
    evidence: Evidence


@dataclass
class PersonRole:
    name: str
    role_category: str = "other"
    role_title: Optional[str] = None
    organisation: Optional[str] = None  # label as resolved ("Tameside Council", "Ofsted")
    council_gss: Optional[str] = None  # when the organisation is a council
    held_on: Optional[str] = None  # the date the source shows the role held
    evidence: Optional[Evidence] = None
    # a term of office, where the source gives one (the leaders table): first and last day,
    # and for an open term the date up to which the source is current
    held_from: Optional[str] = None
    held_until: Optional[str] = None
    known_until: Optional[str] = None


@dataclass
class Judgement:
    area: str
    grade: str
    area_as_written: Optional[str] = None
    grade_as_written: Optional[str] = None
    evidence: Optional[Evidence] = None


@dataclass
class Inspection:
    council_gss: str
    kind: str = "full_inspection"
    framework: Optional[str] = None
    visit_start: Optional[str] = None
    visit_end: Optional[str] = None
    published: Optional[str] = None
    judgements: list = field(default_factory=list)
    theme: Optional[str] = None  # focused/monitoring visit theme
    lead_inspector: Optional[str] = None
    evidence: Optional[Evidence] = None
    # filled by cross-document resolution
    key: Optional[str] = None


@dataclass
class Finding:
    council_gss: Optional[str]
    polarity: str
    text: str
    evidence: Optional[Evidence] = None
    inspection_index: Optional[int] = None  # index into DocumentFacts.inspections
    area: Optional[str] = None  # judgement area code the finding is about, where known


@dataclass
class Quote:
    speaker: str
    text: str
    evidence: Optional[Evidence] = None
    speaker_role: Optional[str] = None


@dataclass
class DocumentFacts:
    """Everything extracted from one document."""

    document: Document
    councils: list = field(default_factory=list)
    people: list = field(default_factory=list)
    inspections: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    status: str = "ok"  # ok | error | skipped
    errors: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "DocumentFacts":
        def ev(d):
            return Evidence(**d) if d else None

        doc = Document(**data["document"])
        return cls(
            document=doc,
            councils=[CouncilMention(c["gss_code"], c["name"], ev(c["evidence"])) for c in data["councils"]],
            people=[PersonRole(**{**p, "evidence": ev(p.get("evidence"))}) for p in data["people"]],
            inspections=[
                Inspection(
                    **{
                        **i,
                        "evidence": ev(i.get("evidence")),
                        "judgements": [Judgement(**{**j, "evidence": ev(j.get("evidence"))}) for j in i["judgements"]],
                    }
                )
                for i in data["inspections"]
            ],
            findings=[Finding(**{**f, "evidence": ev(f.get("evidence"))}) for f in data["findings"]],
            quotes=[Quote(**{**q, "evidence": ev(q.get("evidence"))}) for q in data["quotes"]],
            status=data.get("status", "ok"),
            errors=list(data.get("errors", [])),
        )

