"""Extraction: a processed spaCy Doc plus its Document -> DocumentFacts."""
from __future__ import annotations

from ..model import Document, DocumentFacts
from .councils import council_mentions, main_council
from .findings import extract_findings
from .inspections import extract_inspections
from .people import extract_people
from .quotes import extract_quotes


def extract(doc, document: Document) -> DocumentFacts:
    facts = DocumentFacts(document=document)
    facts.councils = council_mentions(doc, document)
    main = main_council(doc, document, facts.councils)
    facts.people, resolver = extract_people(doc, document, main)
    facts.quotes = extract_quotes(doc, document, facts.people, resolver)
    facts.inspections = extract_inspections(doc, document, main)
    facts.findings = extract_findings(doc, document, main, facts.quotes)
    link_findings(facts)
    return facts


def link_findings(facts: DocumentFacts) -> None:
    """Tie each finding to its council's inspection: the one spoken of in the same
    sentence, else the latest one (news reports the newest report's findings)."""
    for f in facts.findings:
        mine = [(i, insp) for i, insp in enumerate(facts.inspections) if insp.council_gss == f.council_gss]
        if not mine:
            f.inspection_index = None
            continue
        same = [i for i, insp in mine if f.evidence is not None and insp.evidence is not None
                and insp.evidence.start <= f.evidence.start < insp.evidence.end]
        if same:
            f.inspection_index = same[0]
            continue
        f.inspection_index = max(mine, key=lambda p: (p[1].visit_start or p[1].published or "", -p[0]))[0]
