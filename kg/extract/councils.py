"""The councils a document names and the one it is about."""
from __future__ import annotations

from collections import Counter

from ..model import CouncilMention, Document
from ..nlp.gazetteer import default_gazetteer
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
