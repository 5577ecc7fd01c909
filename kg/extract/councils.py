"""The councils a document names and the one it is about."""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from ..model import CouncilMention, Document
from ..nlp.gazetteer import default_gazetteer, normalise
from .text_utils import evidence


def council_hits(doc, document: Document) -> list:
    """(span, gss, name) for every span of ``doc.spans["councils"]`` that names a council
    here, after the rules below: people called "Bury", places that are only places,
    abolished councils standing for their successors."""
    gaz = default_gazetteer()
    text = doc.text
    out = []
    for span in doc.spans["councils"]:
        hit = gaz.lookup(span.text, document.published)
        if hit is None or _inside_person(doc, span):
            continue
        council = gaz.councils[hit[0]]
        bare = normalise(span.text) == normalise(council.name)
        if bare and _plain_place(text, span.start_char, span.end_char):
            continue
        if bare and not council.valid_on(document.published) and document.published:
            hit = _successor(gaz, council, text, span.start_char, document.published)
            if hit is None:
                continue
        out.append((span, hit[0], hit[1]))
    return out


def _inside_person(doc, span) -> bool:
    # a person called "Sutton" or "Bury" is no council
    return any(e.label_ == "PERSON" and e.start <= span.start and span.end <= e.end and len(e) > len(span)
               for e in doc.ents)


# geography, not an authority: "a corner of Kent", "the Essex coast" is left to the council; an address line
_PLACE_BEFORE = re.compile(
    r"\b(?:corner|corners|part|parts|edge|edges|border|borders|heart|outskirts|countryside|coast|coastline|"
    r"villages?|towns?|rest|north|south|east|west|north[- ]east|north[- ]west|south[- ]east|south[- ]west|"
    r"middle|centre|center|far reaches|wilds)\s+of\s+(?:the\s+)?$|\b(?:rural|coastal|deepest|darkest|leafy)\s+$",
    re.I)
_POSTCODE_AFTER = re.compile(r",?\s+[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_FORMER = re.compile(r"\b(?:former|old|then|abolished|defunct|predecessor|pre-\d{4})\s+(?:the\s+)?$", re.I)
_COMPASS = re.compile(r"\b(North|South|East|West|Mid)\s+$")


def _plain_place(text: str, start: int, end: int) -> bool:
    return bool(_PLACE_BEFORE.search(text[max(0, start - 40):start]) or _POSTCODE_AFTER.match(text, end))


def _successor(gaz, council, text: str, start: int, published: str):
    """(gss, name) a bare name of an abolished council stands for in a later text ("West Cheshire"
    in 2011 is Cheshire West and Chester; "Bournemouth" in 2021 is BCP), or None when it is
    ambiguous (a county split in two); "the former Cumbria" keeps the old council."""
    before = text[max(0, start - 30):start]
    if _FORMER.search(before):
        return council.gss_code, council.name
    succ = [gaz.councils[c] for c in council.replaced_by if c in gaz.councils and gaz.councils[c].valid_on(published)]
    m = _COMPASS.search(before)
    if m:
        succ = [c for c in succ if m.group(1).lower() in c.name.lower().split()]
    return (succ[0].gss_code, succ[0].name) if len(succ) == 1 else None


# a text that names no council but speaks of "the council" on a local paper's site ("Windsor Express")
_ANAPHOR = re.compile(r"\b[Tt]he (?:Royal Borough|[Cc]ouncil|[Bb]orough|[Cc]ounty [Cc]ouncil|[Cc]ity [Cc]ouncil|"
                      r"local authority|[Aa]uthority)\b")


def _publisher_council(gaz, document: Document):
    if not _ANAPHOR.search(document.text):
        return None
    keys = gaz._host_keys()
    words = re.findall(r"[a-z]+", (document.publisher or "").lower())
    found = {g for w in words for g in keys.get(w, ())}
    found = {g for g in found if gaz.councils[g].valid_on(document.published)}
    if len(found) != 1:
        return None
    gss = found.pop()
    return gss, gaz.councils[gss].name


# a publisher that is a council's own press office or committee service ("Leeds City Council",
# "North Somerset Council press office"): the council's name up to its "Council"
_PUBLISHER_COUNCIL = re.compile(r"^(?:the\s+)?(.*?\bCouncil)\b", re.I)


def _own_publisher(gaz, document: Document):
    """(gss, name) of the council that publishes the document itself, or None."""
    m = _PUBLISHER_COUNCIL.match(document.publisher or "")
    return gaz.lookup(m.group(1), document.published) if m else None


def council_mentions(doc, document: Document, hits: Optional[list] = None) -> list:
    """One mention per council named, evidence at its first mention (``hits``: the
    :func:`council_hits` of the doc, if already found)."""
    gaz = default_gazetteer()
    first: dict = {}
    for span, gss, name in council_hits(doc, document) if hits is None else hits:
        if gss not in first:
            first[gss] = CouncilMention(gss, name, evidence(document, span.start_char, span.end_char))
    site = gaz.from_url(document.url, document.published)
    if site and site[0] not in first:
        # named only by the council's own web address (minutes on its democracy site)
        first[site[0]] = CouncilMention(site[0], site[1], None)
    own = _own_publisher(gaz, document)
    if own and own[0] not in first and _ANAPHOR.search(document.text):
        # a council's own press release that calls itself only "the council"
        first[own[0]] = CouncilMention(own[0], own[1], None)
    if not first:
        local = _publisher_council(gaz, document)
        if local:
            first[local[0]] = CouncilMention(local[0], local[1], None)
    return list(first.values())


def main_council(doc, document: Document, mentions: list, hits: Optional[list] = None):
    """(gss, name) of the council the document is about: most named, earliest first."""
    if not mentions:
        return None
    gaz = default_gazetteer()
    counts: Counter = Counter()
    hits = council_hits(doc, document) if hits is None else hits
    for _span, gss, _name in hits:
        counts[gss] += 1
    title = (document.title or "") + " " + (document.url or "")
    for m in mentions:
        if m.name.lower() in title.lower():
            counts[m.gss_code] += 2
    site = gaz.from_url(document.url, document.published)
    if site:
        counts[site[0]] += 3
    own = _own_publisher(gaz, document)
    if own:
        counts[own[0]] += 3
    heading = _heading_council(doc, hits)
    if heading:
        # "Bristol City Council – Cabinet", a masthead: the page's own council, named first
        counts[heading] += 2
    best = max(mentions, key=lambda m: (counts[m.gss_code], -(m.evidence.start if m.evidence else 0)))
    return best.gss_code, best.name


def _heading_council(doc, hits: list):
    """The council named as a council ("X Council", "X City Council") on the document's first line,
    as minutes' and press releases' headers name their own; None if that line names none or several."""
    text = doc.text
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    end = len(text) if end == -1 else end
    found = {gss for span, gss, _ in hits
             if start <= span.start_char < end
             and re.match(r"\s*(?:(?:City|County|Borough|Metropolitan|District)\s+)*Council\b", text[span.end_char:end])
             or start <= span.start_char < end and span.text.rstrip().endswith("Council")}
    return found.pop() if len(found) == 1 else None
