"""Extraction: a processed spaCy Doc plus its Document -> DocumentFacts."""
from __future__ import annotations

from collections import Counter

from ..model import CouncilMention, Document, DocumentFacts
from ..nlp.gazetteer import default_gazetteer
from .findings import extract_findings
from .inspections import extract_inspections
from .people import extract_people
from .quotes import extract_quotes
from .text_utils import evidence


def council_mentions(doc, document: Document) -> list:
    """One mention per council named, evidence at its first mention."""
    gaz = default_gazetteer()
    first: dict = {}
    for span in doc.spans["councils"]:
        hit = gaz.lookup(span.text, document.published)
        if hit is None:
            continue
        gss, name = hit
        # a person called "Sutton" or "Bury" is no council
        if any(e.label_ == "PERSON" and e.start <= span.start and span.end <= e.end and len(e) > len(span) for e in doc.ents):
            continue
        if gss not in first:
            first[gss] = CouncilMention(gss, name, evidence(document, span.start_char, span.end_char))
    site = gaz.from_url(document.url, document.published)
    if site and site[0] not in first:
        # named only by the council's own web address (minutes on its democracy site)
        first[site[0]] = CouncilMention(site[0], site[1], None)
    return list(first.values())


def main_council(doc, document: Document, mentions: list):
    """(gss, name) of the council the document is about: most named, earliest first."""
    if not mentions:
        return None
    gaz = default_gazetteer()
    counts: Counter = Counter()
    for span in doc.spans["councils"]:
        hit = gaz.lookup(span.text, document.published)
        if hit:
            counts[hit[0]] += 1
    title = (document.title or "") + " " + (document.url or "")
    for m in mentions:
        if m.name.lower() in title.lower():
            counts[m.gss_code] += 2
    site = gaz.from_url(document.url, document.published)
    if site:
        counts[site[0]] += 3
    best = max(mentions, key=lambda m: (counts[m.gss_code], -(m.evidence.start if m.evidence else 0)))
    return best.gss_code, best.name


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
