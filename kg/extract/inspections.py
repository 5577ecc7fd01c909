"""Inspections, visits and graded judgements in news and minutes.

Each sentence that speaks of an inspection (a kind phrase, a grade in a
grading context, an inspection date) yields an *event*; events about the same
council, kind and time are merged into one inspection. The document's main
inspection is the latest full one (or the visit the text is about); earlier
ones come from dated or "previous/last" mentions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..model import Document, Inspection, Judgement
from .text_utils import evidence

# a grade word counts only in a grading context ("rated good", "'inadequate'")
_GRADE_BEFORE = re.compile(
    r"(?:rated|rating|judged|judgement|graded|grade|deemed|branded|found to be|assessed as|declared|"
    r"as|be|being|been|is|are|was|were|remains?|remained|now|from|to|into|in|an?|its|of|overall|"
    r"upgraded|downgraded|moved|improved|slipped|dropped|fell|placed)\s*[‘'\"“]?\s*$", re.I)
_GRADE_AFTER = re.compile(r"^\s*[’'\"”]?\s*(?:rating|judgement|grade|overall|verdict|by ofsted|in (?:all|every|each|four|three|five)|for|across|to be good)", re.I)
_QUOTED = re.compile(r"[‘'\"“]\s*$")
_PAST = re.compile(r"\b(?:last|previous|previously|prior|earlier|before|former|since|was last|when it was)\b", re.I)
_PAST_DATE = re.compile(r"\b(?:last (?:inspected|inspection|visited|rated|judged)|previous(?:ly)? (?:inspection|inspected|rated|judged)|previous inspection|prior inspection|earlier inspection|(?:inspected|rated|judged) (?:\w+ )?(?:in|back in)|since)\b[^.;]{0,30}$", re.I)
_PUBLISHED = re.compile(r"\b(?:publish(?:ed|es)?|publication|report(?:ed)? (?:on|in)|released?)\b", re.I)
_VISIT_VERB = re.compile(r"\b(?:took place|visit(?:ed)?|carried out|undertaken|inspected|inspection (?:took|was)|between|from|on site|during)\b", re.I)
_PLANNED = re.compile(r"\b(?:due to|will|expected to|next|planned|scheduled|upcoming|envisaged)\b", re.I)
_FROM_TO = re.compile(r"\bfrom\b[^.]{0,40}?\bto\b", re.I)
_NO_INSPECTION = re.compile(r"\b(?:school|academy|nursery|children's home|care home|hospital|police|SEND|special educational)\b", re.I)
_ORDER = {"outstanding": 4, "good": 3, "requires_improvement": 2, "inadequate": 1}


@dataclass
class Event:
    council: str
    kind: str
    start: int
    end: int
    past: bool = False
    planned: bool = False
    year: Optional[str] = None
    visit: tuple = (None, None)
    published: Optional[str] = None
    judgements: list = field(default_factory=list)
    framework: Optional[str] = None
    cue_at: int = 0


def graded(doc, span) -> bool:
    """Is this grade word used as an Ofsted grade here?"""
    text = doc.text
    before = text[max(0, span.start_char - 40):span.start_char]
    after = text[span.end_char:span.end_char + 30]
    if _QUOTED.search(before) and re.match(r"\s*[’'\"”]", after):
        return True
    if span.kb_id_ in ("requires_improvement", "inadequate") and span.text.lower() != "ri":
        return True
    if span.kb_id_ == "other" and not re.search(r"\b(?:rated|judged|as|were|was|both|graded)\s*[‘'\"“]?\s*$", before, re.I):
        return False
    return bool(_GRADE_BEFORE.search(before) or _GRADE_AFTER.match(after))


def _sentence_of(doc, char):
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.sent if span is not None else None


def _framework_for(date: Optional[str], kind: str) -> Optional[str]:
    if not date or kind in ("annual_rating", "jtai", "other"):
        return None
    year_month = date[:7]
    if year_month >= "2018-01":
        return "ILACS" if kind in ("full_inspection", "monitoring_visit", "focused_visit") else None
    if year_month >= "2013-11":
        return "SIF"
    return "other" if kind == "full_inspection" else None


def _dates_in(doc, sent) -> list:
    return [d for d in doc.spans["dates"] if sent.start_char <= d.start_char < sent.end_char]


def _council_for(doc, sent, main_council, gaz_lookup) -> Optional[str]:
    near = [c for c in doc.spans["councils"] if sent.start_char <= c.start_char < sent.end_char]
    if len({c.kb_id_ for c in near}) == 1:
        return near[0].kb_id_
    if near:
        return near[0].kb_id_
    return main_council[0] if main_council else None


def _judgements_in(doc, sent, document: Document, grades: list) -> list:
    """(area, grade, evidence) for each graded grade span in the sentence."""
    areas = [a for a in doc.spans["AREA"] if sent.start_char <= a.start_char < sent.end_char]
    out = []
    prev_end = sent.start_char
    for g in grades:
        # "both X and Y were rated Z": every coordinated area before the grade gets it
        chain = [a for a in areas if prev_end <= a.start_char and a.end_char <= g.start_char]
        prev_end = g.end_char
        if len(chain) >= 2 and all(re.fullmatch(r"[\s,]*(?:and|as well as|&)?\s*(?:the\s+)?", doc.text[x.end_char:y.start_char])
                                   for x, y in zip(chain, chain[1:])):
            for a in chain:
                out.append(Judgement(area=a.kb_id_, grade=g.kb_id_, area_as_written=a.text, grade_as_written=g.text,
                                     evidence=evidence(document, a.start_char, g.end_char)))
            continue
        # the area phrase nearest the grade, preferring one before it in the clause
        before = [a for a in areas if a.end_char <= g.start_char]
        after = [a for a in areas if a.start_char >= g.end_char]
        area = None
        if before:
            cand = before[-1]
            between = doc.text[cand.end_char:g.start_char]
            if len(between.split()) <= 12 and ";" not in between:
                area = cand
        if area is None and after:
            cand = after[0]
            between = doc.text[g.end_char:cand.start_char]
            if len(between.split()) <= 4 and re.search(r"\b(?:for|in|on)\b", between):
                area = cand
        code = area.kb_id_ if area is not None else "overall"
        lo = min(g.start_char, area.start_char) if area is not None else g.start_char
        hi = max(g.end_char, area.end_char) if area is not None else g.end_char
        out.append(Judgement(area=code, grade=g.kb_id_, area_as_written=area.text if area is not None else None,
                             grade_as_written=g.text, evidence=evidence(document, lo, hi)))
    return out


def sentence_events(doc, document: Document, main_council) -> list:
    events = []
    base_year = (document.published or "")[:4] or None
    for sent in doc.sents:
        s0, s1 = sent.start_char, sent.end_char
        kinds = [k for k in doc.spans["KIND"] if s0 <= k.start_char < s1]
        grades = [g for g in doc.spans["GRADE"] if s0 <= g.start_char < s1 and graded(doc, g)]
        if not kinds and not grades:
            continue
        if _NO_INSPECTION.search(sent.text) and not doc.spans["councils"]:
            continue
        council = _council_for(doc, sent, main_council, None)
        if council is None:
            continue
        specific = [k for k in kinds if k.kb_id_ != "full_inspection"]
        kind = specific[0].kb_id_ if specific else "full_inspection"
        ev = Event(council=council, kind=kind, start=s0, end=s1)
        ev.past = bool(_PAST.search(sent.text))
        ev.planned = bool(_PLANNED.search(sent.text)) and not re.search(r"\b(?:was|were|had)\b", sent.text)
        fws = [f for f in doc.spans["FRAMEWORK"] if s0 <= f.start_char < s1]
        if fws:
            ev.framework = fws[0].kb_id_
        past_event = None
        for d in _dates_in(doc, sent):
            start, end, dkind = d._.date_value
            if start is None:
                continue
            pre = doc.text[max(s0, d.start_char - 60):d.start_char]
            cue = _PAST_DATE.search(pre)
            if cue and past_event is None:
                # "since it was last inspected in March 2012": that date is an earlier inspection's
                past_event = Event(council=council, kind="full_inspection", start=s0, end=s1, past=True)
                past_event.visit = (start, end)
                past_event.cue_at = max(s0, d.start_char - 60) + cue.start()
                continue
            if _PUBLISHED.search(pre) and not _VISIT_VERB.search(pre[-25:]):
                ev.published = ev.published or start
            elif dkind == "y" and base_year and start < base_year:
                ev.year = start
                ev.past = True
            elif ev.visit == (None, None):
                ev.visit = (start, end)
        # "from inadequate to good": the first grade belongs to the previous inspection
        judgements = _judgements_in(doc, sent, document, grades)
        if len(grades) >= 2 and _FROM_TO.search(sent.text) and re.search(r"\b(?:upgrad|improv|mov|rais|downgrad|from)\w*", sent.text, re.I):
            first = judgements[0]
            prev = Event(council=council, kind="full_inspection", start=s0, end=s1, past=True)
            prev.judgements = [first]
            events.append(prev)
            judgements = judgements[1:]
        if past_event is not None:
            # grades after the cue describe the earlier inspection, grades before it this one
            past_event.judgements = [j for j in judgements if j.evidence.start >= past_event.cue_at]
            judgements = [j for j in judgements if j.evidence.start < past_event.cue_at]
            events.append(past_event)
            ev.past = False
        ev.judgements = judgements
        if judgements or ev.visit[0] or ev.published or past_event is None:
            events.append(ev)
    return events


def _date_key(ev: Event) -> Optional[str]:
    return ev.visit[0] or ev.published or ev.year


def _date_key_of(insp: Inspection) -> Optional[str]:
    return insp.visit_start or insp.published


def _compatible(a: Optional[str], b: Optional[str]) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def merge_events(events: list, document: Document) -> list:
    """Group events into inspections; returns (Inspection, [events]) pairs."""
    main: dict = {}  # (council, kind) -> Inspection for the current ones
    past: list = []
    inspections: list = []

    def new(ev: Event) -> Inspection:
        insp = Inspection(council_gss=ev.council, kind=ev.kind)
        inspections.append(insp)
        return insp

    def absorb(insp: Inspection, ev: Event):
        if ev.visit[0] and not insp.visit_start:
            insp.visit_start, insp.visit_end = ev.visit
        if ev.published and not insp.published:
            insp.published = ev.published
        if ev.year and not insp.visit_start and not insp.published:
            insp.visit_start = ev.year
        if ev.framework and not insp.framework:
            insp.framework = ev.framework
        for j in ev.judgements:
            if not any(x.area == j.area and x.grade == j.grade for x in insp.judgements):
                insp.judgements.append(j)
        if insp.evidence is None:
            insp.evidence = evidence(document, ev.start, ev.end)

    for ev in events:
        if ev.planned and not ev.judgements:
            key_date = _date_key(ev)
            if key_date:  # a future visit the minutes announce
                match = next((i for i in inspections if i.council_gss == ev.council and i.kind == ev.kind
                              and _compatible(i.visit_start, key_date)), None)
                absorb(match or new(ev), ev)
            continue
        date = _date_key(ev)
        current = main.get((ev.council, ev.kind))
        if ev.past and date and not ev.judgements and (current is None or not _date_key_of(current)):
            # "since it was last inspected in March 2012": an earlier inspection, not this one
            match = next((i for i in past if i.council_gss == ev.council and i.kind == ev.kind
                          and _compatible(i.visit_start or i.published, date)), None)
            if match is None:
                match = new(ev)
                past.append(match)
            absorb(match, ev)
            continue
        if ev.past and (ev.year or (date and document.published and date[:4] < document.published[:4])) or (
                ev.past and ev.kind == "full_inspection" and not main.get((ev.council, "full_inspection"))
                and any(e.kind != "full_inspection" for e in events)):
            match = next((i for i in past if i.council_gss == ev.council and i.kind == ev.kind
                          and _compatible(i.visit_start or i.published, date)), None)
            if match is None:
                match = new(ev)
                past.append(match)
            absorb(match, ev)
            continue
        if ev.past and not date and ev.judgements and main.get((ev.council, ev.kind)):
            # "services were previously judged inadequate": an earlier, undated inspection
            match = next((i for i in past if i.council_gss == ev.council and i.kind == ev.kind), None)
            if match is None:
                match = new(ev)
                past.append(match)
            absorb(match, ev)
            continue
        key = (ev.council, ev.kind)
        insp = main.get(key)
        if insp is not None and date and not _compatible(insp.visit_start or insp.published, date) and not (
                ev.published and insp.visit_start):
            # a differently dated event of the same kind: another inspection
            match = next((i for i in inspections if i.council_gss == ev.council and i.kind == ev.kind
                          and _compatible(i.visit_start or i.published, date)), None)
            absorb(match or new(ev), ev)
            continue
        if insp is None:
            insp = new(ev)
            main[key] = insp
        absorb(insp, ev)
    # an inspection with nothing but a trigger word and no date or grade says too little
    kept = [i for i in inspections if i.judgements or i.visit_start or i.published or i.kind != "full_inspection"]
    return kept


def extract_inspections(doc, document: Document, main_council) -> list:
    events = sentence_events(doc, document, main_council)
    inspections = merge_events(events, document)
    for insp in inspections:
        if insp.framework is None:
            insp.framework = _framework_for(insp.visit_start or insp.published or document.published, insp.kind)
        # monitoring and focused visits are not graded: grades there are the last inspection's
        if insp.kind in ("monitoring_visit", "focused_visit") and insp.judgements:
            insp.judgements = []
    return inspections
