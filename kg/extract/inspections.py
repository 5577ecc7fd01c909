"""Inspections, visits and graded judgements in news and minutes.

Each sentence that speaks of an inspection (a kind phrase, a grade in a
grading context, an inspection date) yields an *event*; events about the same
council, kind and time are merged into one inspection. The document's main
inspection is the latest full one (or the visit the text is about); earlier
ones come from dated or "previous/last" mentions.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import Optional

from ..model import Document, Inspection, Judgement
from ..nlp.dates import compatible, has_year
from .base import Extractor
from .text_utils import evidence

# a grade word counts only in a grading context ("rated good", "'inadequate'")
_GRADE_BEFORE = re.compile(
    r"(?:rated|rating|judged|judgement|graded|grade|deemed|branded|found to be|assessed as|declared|"
    r"as|be|being|been|is|are|was|were|remains?|remained|now|from|to|into|in|an?|its|of|overall|"
    r"upgraded|downgraded|moved|improved|slipped|dropped|fell|placed)\s*[‘'\"“]?\s*$", re.I)
_GRADE_AFTER = re.compile(r"^\s*[’'\"”]?\s*(?:rating|judgement|grade|overall|verdict|by ofsted|in (?:all|every|each|two|three|four|five|six|\d)\b|for|across|to be good)", re.I)
_NEGATED = re.compile(r"\b(?:out of|no longer(?:\s+(?:be(?:ing)?\s+|is\s+|are\s+)?(?:rated|judged|graded|deemed|considered|classed)(?:\s+as|\s+to\s+be)?)?|"
                      r"shed|sheds|shedding|ditch(?:es|ed|ing)?|lost|lose|loses|losing|escaped?|removed from|emerged from|exit(?:ed)? from|left)"
                      r"\s*(?:its\s+|the\s+|an?\s+)?[‘'\"“]?\s*$", re.I)
# a grade aimed at, not given: "its goal of being rated 'good' by 2026", "vowed to restore a good rating"
_AIMED = re.compile(r"\b(?:goals?|aims?|aimed|aiming|ambitions?|aspir\w+|targets?|striv\w+|hop(?:e|es|ed|ing)|wants?|wanted|"
                    r"determined|restor\w+|regain\w*|return(?:s|ed|ing)? to|working towards?|journey (?:to|towards)|path to|"
                    r"on track to|get(?:ting)? back to|push(?:ing)? for|bid to|plans? to|vow(?:s|ed)?|pledg\w+|leapfrog\w*|skipp\w+)"
                    r"\b[^.;:,!?]{0,45}$", re.I)
# a range of grades is no one inspection's grade: "good or better", "'good' or 'outstanding'"
_RANGE_AFTER = re.compile(r"\s*[’'\"”]?\s*or\s+(?:better|above|higher|worse|below|[‘'\"“]?\s*(?:good|outstanding|inadequate|requires?\s+improvement))\b", re.I)
_RANGE_BEFORE = re.compile(r"\b(?:good|outstanding|inadequate|improvement|at least|better than)\s*[’'\"”]?\s+or\s+[‘'\"“]?\s*$", re.I)
_STRONG_BEFORE = re.compile(r"(?:(?:is|are) now|rated|rating of|judged(?: to be)?|judged as|graded|deemed|branded|found to be|assessed as|declared|upgraded to|downgraded to|moved (?:up )?to|improved to|to|as|overall|an overall|achieved|awarded|received)\s*[‘'\"“]?\s*$", re.I)
_QUOTED = re.compile(r"[‘'\"“]\s*$")
_PAST = re.compile(r"\b(?:previous(?:ly)?|prior|former|last (?:inspect\w*|visit\w*|rated|judged|time|ofsted)|(?:was|were|had been) last|when (?:it|they|services?|the (?:council|authority|service|department)) (?:was|were)|earlier (?:inspection|judgement|rating|visit)|back in|in (?:its|their) (?:last|previous))\b", re.I)
# between coordinated areas: "A, B and C", "'A' and, also, for 'B'", "A as well as for B"
_COORD = re.compile(r"[\s,’'\"”]*(?:and|as well as|&|plus)?[\s,]*(?:also,?\s+)?(?:(?:as well as )?(?:for|support for|services for|the)\s+)?[‘'\"“]?\s*", re.I)
_ANNUAL_SCALE = re.compile(r"poor|excellent|perform(?:s|ing)? (?:excellently|well|adequately|poorly)", re.I)
_GRADING = re.compile(r"judged|graded|rated|rating|downgraded|upgraded", re.I)
_GRADING_VERB = re.compile(r"\b(?:judged|graded|rated|branded|deemed|placed|downgraded|upgraded|found to be)\b", re.I)
_GRADE_FOR = re.compile(r"\s*[’'\"”]?\s*(?:sub[- ]?(?:rating|judgement)s?\s+|rating\s+|grade\s+|judgement\s+)?(?:both\s+|also\s+)?"
                        r"(?:for|in|around)\s+(?:the\s+|its\s+|their\s+)?[‘'\"“]?\s*", re.I)
_INCLUDES = re.compile(r"^\W*(?:this|these|that|which|it)\s+(?:includes?|included|covers?|covered|means?|applies|applied|extends?)\b|^\W*including\b", re.I)
_PARTIAL = re.compile(r"\b(?:(?:one|two|three|four|five|some|several|most|other|remaining|\w+ out of \w+)\s+(?:of\s+(?:the\s+)?)?(?:key\s+|main\s+)?(?:areas?|aspects?)|the other(?: one)?|an area)\b[^.;]{0,80}$", re.I)
_MOVE = re.compile(r"\b(?:upgrad|improv|mov|rais|downgrad|from|slipp|drop|fell)\w*", re.I)
_PAST_DATE = re.compile(r"\b(?:last (?:(?:full|fully|graded|standard|ofsted) )?(?:inspected|inspection|visited|rated|judged)|previous(?:ly)? (?:(?:full|graded|standard|ofsted) )?(?:inspection|inspected|rated|judged)|(?:prior|earlier) (?:(?:full|graded|standard|ofsted) )?inspection|(?:inspected|rated|judged) (?:\w+ )?(?:in|back in)|(?:followed|following|after|since) (?:an?|the|its|their) (?:\w+ )?(?:inspection|visit|judgement|rating) (?:in|of))\b[^.;]{0,30}$", re.I)
# the earliest word in a stretch that turns it to an earlier inspection
_PAST_MARK = re.compile(r"\b(?:(?:after|before|since) (?:receiving|being|getting|(?:it|they|services|the (?:council|local authority|authority|borough|county|city|service|department))\s+(?:was|were|had been))|since then|previous(?:ly)?|in (?:its|their) (?:last|previous)|when (?:it was|they were) last|last (?:inspected|inspection)|followed (?:an?|the|its|their) (?:\w+ )?(?:inspection|visit|judgement|rating)|when (?:it|they|services?|the (?:council|authority|service|department)) (?:was|were))\b", re.I)
_PUBLISHED = re.compile(r"\b(?:publish(?:ed|es|ing)?|publication|report(?:ed)? (?:on|in|dated)|released?|letter (?:dated|of))\b", re.I)
_VISIT_VERB = re.compile(r"\b(?:took place|visit(?:ed)?|carried out|undertaken|inspected|inspection (?:took|was)|between|from|on site|during)\b", re.I)
_PLANNED = re.compile(r"\b(?:due to|will|expected to|next|planned|scheduled|upcoming|envisaged)\b", re.I)
_FROM_TO = re.compile(r"\bfrom\b[^.]{0,40}?\bto\b", re.I)
# a date that belongs to something other than an inspection
# a date that belongs to something other than an inspection: a job move, a meeting, a review, a
# government decision or notice, the pandemic, something the council itself began
_OTHER_EVENT = re.compile(r"\b(?:joined|appointed|appointment|elected|election|took (?:up|over)|started (?:work|in post)|"
                          r"(?:had|have|has) (?:started|begun)|arrived|retired|resigned|stepped down|became|left (?:the|his|her)|"
                          r"meetings?|committee|hearing|due to (?:answer|appear|report|meet)|"
                          r"(?:internal|serious case|independent|peer|case|practice|own|safeguarding practice) reviews?|"
                          r"(?:we|they|I) (?:began|started|launched|introduced)|pandemic|covid(?:-19)?|lockdown|"
                          r"improvement notice|statutory direction|(?:government|minister|secretary of state)['’]?s? decision|"
                          r"announce(?:d|ment)|targets?|goals?|deadline|"
                          r"(?:was|were) (?:issued|served) with)\b"
                          r"[^.;:]{0,80}$", re.I)
_PAST_TENSE_GRADING = re.compile(r"\b(?:was|were)\s+(?:\w+\s+)?(?:rated|judged|graded|deemed|found to be)\b", re.I)
_CONTRAST = re.compile(r",?\s+(?:but|whereas|however|although|though)\b|,\s+(?:(?:but|and)\s+)?(?:is|are|has been|have been)\s+now\b"
                       r"|\bnow\s+(?:rated|judged)\b", re.I)
_WHEN_LAST = re.compile(r"when\b[^.;]{0,40}\blast\b", re.I)
# "judged to be performing poorly", "found to be adequate": a grading verb's complement
_JUDGED_TO_BE = re.compile(r"\b(?:rated|judged|graded|assessed|found|deemed|considered)\s+(?:to\s+be|as\s+being)\s*[‘'\"“]?\s*$", re.I)
# between an area and its grade: "the adoption service is", "care leavers, are", "services were"
_AREA_IS = re.compile(r"[’'\"”]?,?\s+(?:services?\s+|work\s+)?(?:is|are|was|were|remains?|remained)\s+(?:also\s+|now\s+|still\s+)?[‘'\"“]?\s*$", re.I)
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
    shed: bool = False  # a grade the council has since left behind
    before_visit: bool = False  # named in a visit's stretch: the full inspection the visit follows up
    same_overall: bool = False  # "the same overall outcome", "unchanged from the previous inspection"


# nouns a grade word may qualify and still be a grade: "an inadequate rating", "inadequate councils"
_GRADE_NOUNS = re.compile(r"(?:rating|judge?ment|grade|verdict|status|label|tag|ofsted|outcome|score|council|authorit|"
                          r"local|service|children|report|inspection|overall|department|borough|county|city|"
                          r"leadership|leaders|safeguarding|social|care|adoption|help|child|fostering)", re.I)


def _qualifies_a_noun(ctx, span) -> bool:
    """"inadequate record keeping", "inadequate staffing": the grade word as an ordinary adjective."""
    nxt = ctx.doc[span.end] if span.end < len(ctx.doc) else None
    if nxt is None or nxt.pos_ not in ("NOUN", "ADJ") or _GRADE_NOUNS.match(nxt.text):
        return False
    return not ctx.spans_in("AREA", nxt.idx, nxt.idx + 1)


# whose grade it is: schools, homes and other providers are graded too, and national counts
# ("only four councils hold the top grade") grade no council in particular
_PROVIDER_SUBJECT = re.compile(
    r"\b(?:schools?|academ(?:y|ies)|nurser(?:y|ies)|colleges?|children['’]s homes?|care homes?|homes|providers?|"
    r"settings|(?:inspected and )?regulated services|fostering agenc(?:y|ies)|adoption agenc(?:y|ies)|"
    r"hospitals?|GP surger(?:y|ies))\b(?:(?!\b(?:council|authority|borough|county)\b)[^.;:!?])*$", re.I)
_NATIONAL_COUNT = re.compile(
    r"(?:\b\d+(?:\.\d+)?\s*(?:%|per\s?cent)|\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"a (?:third|quarter|half|fifth)|half|most|many|few|several|(?:the|a) (?:vast )?majority|only (?:\w+|a handful of)))\s+(?:of\s+(?:the\s+|england['’]s\s+)?)?(?:\d+\s+)?(?:other\s+|english\s+)?"
    r"(?:councils|local authorit(?:y|ies) children['’]s services|local authorities|authorities|children['’]s services (?:departments|authorities))\b[^.;:!?]*$", re.I)


_WHAT_NEEDS = re.compile(r"\b(?:areas?|aspects?|things|issues|elements|parts|points|practice|work|much|everything|"
                         r"anything|something|what)\s+(?:(?:that|which|where)\s+)?(?:still\s+|further\s+|most\s+)?$", re.I)


def _not_a_councils_grade(ctx, span) -> bool:
    """A grade whose subject is a school or home, or a count of councils nationally."""
    clause = ctx.text[max(span.sent.start_char, span.start_char - 140):span.start_char]
    clause = re.split(r"[,;:(]\s*(?:while|whereas|but|and)?\s*(?=[^,;:(]*$)", clause)[-1] if re.search(r"\b(?:while|whereas|but)\b", clause) else clause
    if _PROVIDER_SUBJECT.search(clause) and not re.search(r"\b(?:children['’]s|social care|social work) services?\b", clause, re.I):
        return True
    if _NATIONAL_COUNT.search(clause):
        # "28 councils (including Rutland) were rated excellent" still grades the council it names
        lo = span.start_char - len(clause)
        return not ctx.councils_in(lo, span.start_char)
    return False


def graded(ctx, span) -> bool:
    """Is this grade word used as an Ofsted grade here?"""
    if _not_a_councils_grade(ctx, span):
        return False
    text = ctx.text
    before = text[max(0, span.start_char - 40):span.start_char]
    after = text[span.end_char:span.end_char + 30]
    if _NEGATED.search(before):
        return False  # "came out of special measures", "shed its 'inadequate' status"
    if re.search(r"\bas\s*$", before, re.I) and re.match(r"\s+as\b", after, re.I):
        return False  # "as good as the national average": a comparison
    if _RANGE_AFTER.match(after) or _RANGE_BEFORE.search(before) or re.search(r"\bat least\s*[‘'\"“]?\s*$", before, re.I):
        return False  # "good or better": a range, no inspection's grade
    if _AIMED.search(text[max(span.sent.start_char, span.start_char - 60):span.start_char]):
        return False  # "the goal of being rated 'good'": a grade aimed at
    if re.search(r"\b(?:closer|close|nearer|near|short|far|better|worse|rather|more|less)\s+(?:to|of|from|than)\s*[‘'\"“]?\s*$",
                 before, re.I):
        return False  # "closer to good than the report suggested": a comparison, not a grade
    if re.search(r"\S\s*(?:[:–—]|\s-)\s*$", before) and any(
            0 <= span.start_char - a.end_char <= 4
            for a in ctx.spans_in("AREA", span.start_char - 300, span.start_char) + ctx.councils_in(span.start_char - 300, span.start_char)):
        return True  # a judgement table: "Overall effectiveness: Good", "Rutland – good"
    if _ANNUAL_SCALE.fullmatch(span.text) and not re.match(r"perform", span.text, re.I):
        # "poor"/"excellent" are grades only on the 2009-11 annual rating scale
        year = (ctx.document.published or "")[:4]
        if not (year and year <= "2011") and "annual" not in span.sent.text.lower():
            return False
    quoted = bool(_QUOTED.search(before) and re.match(r"\s*[’'\"”]", after))
    if span.kb_id_ == "requires_improvement" and not quoted and _WHAT_NEEDS.search(before):
        return False  # "the areas that need improvement": what is to be done, not a grade
    if span.kb_id_ in ("requires_improvement", "inadequate") and span.text.lower() != "ri":
        return quoted or not _qualifies_a_noun(ctx, span)
    if quoted:
        return True
    if span.kb_id_ == "other" and not re.search(r"\b(?:rated|judged|as|were|was|both|graded)\s*[‘'\"“]?\s*$", before, re.I) \
            and not _JUDGED_TO_BE.search(before):
        return False
    if span.kb_id_ in ("good", "outstanding"):
        # common adjectives: only in an explicit grading frame
        if _STRONG_BEFORE.search(before) or _GRADE_AFTER.match(after):
            return True
        if _AREA_IS.search(before) and any(0 <= span.start_char - a.end_char <= 40 and _AREA_IS.fullmatch(text[a.end_char:span.start_char])
                                           for a in ctx.spans_in("AREA", span.start_char - 300, span.start_char)):
            return True  # "the adoption service is outstanding", "care leavers, are good"
        # "rated Barnet's children's services outstanding": the verb, its object, then the grade,
        # as long as the grade does not go on to qualify a noun ("a good range of ...")
        clause = text[max(span.sent.start_char, span.start_char - 70):span.start_char]
        nxt = span.doc[span.end] if span.end < len(span.doc) else None
        return bool(re.search(r"\b(?:rated|judged|graded|deemed|branded|considered|found)\b[^,.;:()]*$", clause, re.I)
                    and (nxt is None or nxt.pos_ not in ("NOUN", "PROPN", "ADJ")))
    return bool(_GRADE_BEFORE.search(before) or _GRADE_AFTER.match(after))


def _framework_for(date: Optional[str], kind: str) -> Optional[str]:
    if not has_year(date) or kind in ("annual_rating", "jtai", "other"):
        return None
    year_month = date[:7]
    if year_month == "2018":
        return None  # SIF re-inspections ran into 2018 beside the first ILACS ones
    if year_month >= "2018-01":
        return "ILACS" if kind in ("full_inspection", "monitoring_visit", "focused_visit") else None
    if year_month >= "2013-11":
        return "SIF"
    return "other" if kind == "full_inspection" else None


def _dates_in(ctx, sent) -> list:
    return ctx.spans_in("dates", sent.start_char, sent.end_char)


def _council_spans(ctx, sent) -> list:
    return ctx.councils_in(sent.start_char, sent.end_char)


def _councils_in(ctx, sent) -> list:
    """GSS codes of the councils a sentence (or stretch) names, in order, once each."""
    return list(dict.fromkeys(c.kb_id_ for c in _council_spans(ctx, sent)))


_ANAPHOR = re.compile(r"\b(?:the|this|that) (?:borough|council|local authority|authority|city|county|area)\b|\b(?:it|its)\b", re.I)


def _antecedent(ctx, sent) -> list:
    """The council "the borough" stands for when the sentence before, in the same paragraph,
    named exactly one: "Solihull was judged inadequate. Agencies in the borough ..."."""
    text = ctx.text
    if not _ANAPHOR.search(text[sent.start_char:sent.end_char]):
        return []
    para_start = text.rfind("\n", 0, sent.start_char) + 1
    if para_start >= sent.start_char:
        return []
    first = ctx.doc.char_span(sent.start_char, sent.end_char, alignment_mode="expand")
    if first is None or first.start == 0:
        return []
    before = ctx.doc[first.start - 1].sent
    lo = max(para_start, before.start_char)
    names = {c.kb_id_ for c in ctx.councils_in(lo, sent.start_char)}
    return list(names) if len(names) == 1 else []


_HEADING = re.compile(r"(?m)^[ \t]*(?:\d{1,2}[.)][ \t]+)?[^\n.!?;:]{2,80}[ \t]*$")


def _council_headings(ctx) -> list:
    """(start, end, council or None) of each short line that could head a section."""
    headings = []
    for m in _HEADING.finditer(ctx.text):
        if len(m.group(0).split()) > 8:
            continue
        named = {c.kb_id_ for c in ctx.councils_in(m.start(), m.end())}
        headings.append((m.start(), m.end(), next(iter(named)) if len(named) == 1 else None))
    return headings


def _section_council(ctx, sent) -> tuple:
    """(whether the text is in sections headed by councils, the council of this sentence's section)."""
    headings = ctx.memo("inspections.headings", lambda: _council_headings(ctx))
    if sum(1 for h in headings if h[2]) < 2:
        return False, []  # sections are headed by councils, or there are none
    before = [h for h in headings if h[1] <= sent.start_char and h[2]]
    return True, [before[-1][2]] if before else []


_LINE_START = re.compile(r"(?m)^[ \t]*(?:[·•▪●◦*\uf0b7–-]|\d{1,2}[.)])?[ \t]*")


def _council_list_start(ctx) -> int:
    """Offset of the first of three or more lines that each start with a council, or -1."""
    starts = {c.start_char for c in ctx.council_spans}
    lines = [m.end() for m in _LINE_START.finditer(ctx.text) if m.end() in starts]
    return lines[0] if len(lines) >= 3 else -1


def _before_council_list(ctx, sent) -> bool:
    """Is this sentence before a list whose lines each start with a council ("• Rutland – good")?"""
    first = ctx.memo("inspections.council_list", lambda: _council_list_start(ctx))
    return first >= 0 and sent.end_char <= first


class _Stretch:
    """Part of a sentence, shaped like a Span for the helpers above."""

    def __init__(self, sent, start_char: int, end_char: int, text: str):
        self.sent, self.start_char, self.end_char = sent, start_char, end_char
        self.text = text[start_char:end_char]


_LIST_GAP = re.compile(r"\s*(?:,|and|&|,\s*and|as well as|or)\s*(?:the\s+)?", re.I)


def _listed(ctx, sent) -> bool:
    """Are the councils of this stretch one list ("Bolton and Salford were ...")?"""
    spans = _council_spans(ctx, sent)
    return len({c.kb_id_ for c in spans}) >= 2 and all(
        _LIST_GAP.fullmatch(ctx.text[a.end_char:b.start_char]) for a, b in zip(spans, spans[1:]))


def _stretches(ctx, sent, graded_starts: list) -> list:
    """A sentence's parts, one per council when each council has grades of its own.

    "Bolton was rated inadequate, while Salford was judged outstanding": each
    grade belongs to the council named before it. A list of councils ("A, B
    and C were rated poor") stays whole: the grade after the list is theirs.
    """
    mentions, seen = [], set()
    for c in _council_spans(ctx, sent):
        if mentions and _LIST_GAP.fullmatch(ctx.text[mentions[-1][2]:c.start_char]):
            mentions[-1] = (mentions[-1][0], c.kb_id_, c.end_char)  # a list: one stretch
            continue
        if c.kb_id_ not in seen:
            seen.add(c.kb_id_)
            mentions.append((c.start_char, c.kb_id_, c.end_char))
    if len(mentions) < 2:
        return [sent]
    cuts = [sent.start_char] + [m[0] for m in mentions[1:]] + [sent.end_char]
    parts = [_Stretch(sent, a, b, ctx.text) for a, b in zip(cuts, cuts[1:])]
    if not all(any(p.start_char <= g < p.end_char for g in graded_starts) for p in parts):
        return [sent]
    return parts


_OTHER_SUBJECT = re.compile(r"\b(?:it|they|the (?:council|authority|local authority|borough|county|city))\s+"
                            r"(?:was|were|is|are|had been|has been|have been)\b", re.I)


def _judgements_in(ctx, grades: list, areas: list, lo: int) -> list:
    """(area, grade) judgements for the grade spans, areas taken from the same clause."""
    text, document = ctx.text, ctx.document
    out = []
    prev_end = lo
    for g in grades:
        # an area an earlier grade claimed after itself ("'good' for leadership") is spent
        taken = {a.start_char for a in areas if any(j.area_as_written == a.text and j.evidence.start < a.start_char
                                                    and a.end_char <= j.evidence.end for j in out)}
        areas = [a for a in areas if a.start_char not in taken]
        # "both X and Y were rated Z": every coordinated area before the grade gets it
        chain = [a for a in areas if prev_end <= a.start_char and a.end_char <= g.start_char]
        prev_end = g.end_char
        if len(chain) >= 2 and all(_COORD.fullmatch(text[x.end_char:y.start_char]) for x, y in zip(chain, chain[1:])):
            for a in chain:
                out.append(Judgement(area=a.kb_id_, grade=_grade_code(g), area_as_written=a.text, grade_as_written=g.text,
                                     evidence=evidence(document, a.start_char, g.end_char)))
            continue
        before = [a for a in areas if a.end_char <= g.start_char and a.start_char >= lo]
        after = [a for a in areas if a.start_char >= g.end_char]
        colon = _LIST_AFTER_GRADE.match(text, g.end_char)
        if colon and after:
            # "judged every area to be inadequate: the impact of leaders ..., the help and protection ..."
            nxt = min([h.start_char for h in grades if h.start_char > g.end_char] or [len(text)])
            items = [a for a in after if a.start_char < nxt and not re.search(r"[.;]", text[g.end_char:a.start_char])]
            if items:
                if re.search(r"\b(?:all|every|each)\b", colon.group(), re.I) and all(a.kb_id_ != "overall" for a in items):
                    # "good in every area, including ...": the grade is the overall one too
                    out.append(Judgement(area="overall", grade=_grade_code(g), grade_as_written=g.text,
                                         evidence=evidence(document, g.start_char, colon.end())))
                for a in items:
                    out.append(Judgement(area=a.kb_id_, grade=_grade_code(g), area_as_written=a.text,
                                         grade_as_written=g.text, evidence=evidence(document, g.start_char, a.end_char)))
                areas = [a for a in areas if a not in items]
                continue
        area = None
        if after and _GRADE_FOR.fullmatch(text[g.end_char:after[0].start_char]):
            before = []  # "'good' for leadership": the area follows its grade
        if before:
            cand = _head_area(text, before)
            between = text[cand.end_char:g.start_char]
            # "Leaders at the council acted after it was rated inadequate": "it" is what was graded
            if len(between.split()) <= 12 and ";" not in between and not _OTHER_SUBJECT.search(between):
                area = cand
        if area is None and after:
            cand = after[0]
            between = text[g.end_char:cand.start_char]
            # "rated good for leadership", "require improvement to be good overall, for leaders, for ..."
            if len(re.findall(r"\w+", between)) <= 4 and (re.search(r"\b(?:for|in|on|around)\b", between)
                                               or (cand.kb_id_ == "overall" and not between.strip(" \t’'\"”"))):
                area = cand
                # "rated outstanding for leadership, child protection and care leavers"
                tail = [a for a in after[1:]]
                chain = [area]
                for a in tail:
                    if _COORD.fullmatch(text[chain[-1].end_char:a.start_char]):
                        chain.append(a)
                    else:
                        break
                if len(chain) > 1:
                    for a in chain:
                        out.append(Judgement(area=a.kb_id_, grade=_grade_code(g), area_as_written=a.text,
                                             grade_as_written=g.text, evidence=evidence(document, g.start_char, a.end_char)))
                    continue
        if area is None and _PARTIAL.search(text[max(lo, g.start_char - 80):g.start_char]):
            continue  # "four out of five areas were inadequate": which ones is not said
        code = area.kb_id_ if area is not None else "overall"
        s0 = min(g.start_char, area.start_char) if area is not None else g.start_char
        s1 = max(g.end_char, area.end_char) if area is not None else g.end_char
        out.append(Judgement(area=code, grade=_grade_code(g), area_as_written=area.text if area is not None else None,
                             grade_as_written=g.text, evidence=evidence(document, s0, s1)))
    return out + _as_is(ctx, grades, areas, out)


# "the adoption service is outstanding, as is leadership": the grade again, for the area after
_AS_IS = re.compile(r"[’'\"”]?\s*,?\s*(?:as|so)\s+(?:is|are|was|were|does|do|did)\s+(?:the\s+|its\s+|their\s+)?[‘'\"“]?", re.I)


def _as_is(ctx, grades: list, areas: list, out: list) -> list:
    extra = []
    for g in grades:
        m = _AS_IS.match(ctx.text, g.end_char)
        if not m:
            continue
        chain = [a for a in areas if a.start_char == m.end()]
        for a in areas:
            if chain and a.start_char > chain[-1].end_char and _COORD.fullmatch(ctx.text[chain[-1].end_char:a.start_char]):
                chain.append(a)
        for a in chain:
            if not any(j.area == a.kb_id_ for j in out + extra):
                extra.append(Judgement(area=a.kb_id_, grade=_grade_code(g), area_as_written=a.text, grade_as_written=g.text,
                                       evidence=evidence(ctx.document, g.start_char, a.end_char)))
    return extra


# a grade, then the areas it covers as a list: "inadequate: the impact of leaders ...",
# "good in three areas - child protection, ...", "good in every area, including adoption and ..."
_LIST_AFTER_GRADE = re.compile(r"\s*[’'\"”]?\s*(?:(?:in|across)\s+(?:all|every|each|both|two|three|four|five|six|\d)\s+(?:(?:more|other)\s+)?"
                               r"(?:of\s+(?:the|its)\s+)?(?:(?:key|judgement)\s+)?(?:areas?|aspects?|categories|judgements)?\s*)?"
                               r"(?:[:–—]|\s-|,?\s*including\b|,?\s*namely\b)\s*", re.I)
_OF_PHRASE = re.compile(r"\s+of\s+(?:the\s+|its\s+|their\s+)?[\w’'\s-]{0,60}$", re.I)


def _head_area(text: str, before: list):
    """The area a grade after them rates: the last one, unless it only qualifies an overall
    judgement ("the overall effectiveness of the council's safeguarding services")."""
    last = before[-1]
    for a in before[:-1]:
        if a.kb_id_ == "overall" and _OF_PHRASE.match(text[a.end_char:last.start_char]):
            return a
    return last


_BACK_BEFORE = re.compile(r"\b(?:(?:improvement on|improved on|up from|down from|compared (?:with|to)|rather than|from)\s+(?:the|its|their|a|an)?|"
                          r"(?:previous|prior|earlier|former|last|old)\s+(?:overall\s+)?(?:ofsted\s+)?(?:rating|grade|grading|judge?ment|verdict)\s+(?:of|as|was))"
                          r"\s*[‘'\"“]?\s*$", re.I)
_BACK_AFTER = re.compile(r"^\s*[’'\"”]?\s*(?:\w+\s+){0,2}(?:of|at|in|from|given (?:at|in))\s+(?:the|its|their)\s+(?:previous|last|earlier|prior)\s+(?:full\s+)?(?:inspection|visit|judgement|rating)", re.I)


def _looks_back(text: str, j: Judgement) -> bool:
    """Is this grade framed as the earlier inspection's ("up from 'requires improvement'")?"""
    if j.grade_as_written is None or j.evidence is None:
        return False
    at = text.find(j.grade_as_written, j.evidence.start)
    if at == -1:
        return False
    end = at + len(j.grade_as_written)
    before = text[max(0, at - 40):at]
    after = text[end:end + 80]
    if re.search(r"\bfrom\b", before[-12:], re.I) and re.search(r"\bto\b", after[:40], re.I):
        return False  # "from X to Y": handled as a move between two inspections
    return bool(_BACK_BEFORE.search(before) or _BACK_AFTER.match(after))


def _date_of_earlier(text: str, earlier: list, ev_dates: list, visit: tuple) -> bool:
    """Is the stretch's visit date the one written right after an earlier grade ("down from RI in 2019")?"""
    for d in ev_dates:
        if d._.date_value[0] != visit[0]:
            continue
        for j in earlier:
            gap = text[j.evidence.end:d.start_char]
            if 0 <= d.start_char - j.evidence.end <= 20 and re.fullmatch(r"[\s’'\"”]*(?:in|of|from|back in)?\s*", gap):
                return True
    return False


def _grade_code(span) -> str:
    # the 2009-11 annual rating scale (performs poorly ... excellently) has no current equivalent
    return "other" if _ANNUAL_SCALE.fullmatch(span.text) else span.kb_id_


# "this year's inspection" in a text about one visit is that visit
_THIS_INSPECTION = re.compile(r"\b(?:this year['’]s|this|the latest|the most recent|its latest)\s+inspection$", re.I)
_GENERIC_KIND = re.compile(r"inspections?|inspected|inspectors?|judged|graded|rated|rating|downgraded|upgraded", re.I)
_BARE_VISIT = re.compile(r"visits?|visited|reports?|letters?", re.I)


class _BareVisit:
    """A kind span re-coded: "the visit" in minutes about a focused visit."""

    def __init__(self, span, kind: str):
        self.span, self.kb_id_ = span, kind
        self.text, self.start_char, self.end_char = span.text, span.start_char, span.end_char


def _groups(kinds: list, s0: int, s1: int) -> list:
    """(kind, region start, region end): a sentence's stretches, one per kind of visit it names."""
    groups: list = []
    for k in kinds:
        if groups and groups[-1][0] == k.kb_id_:
            continue
        if groups and k.kb_id_ == "full_inspection" and groups[-1][0] != "full_inspection" and not _GRADING.match(k.text):
            continue  # "the monitoring visit's inspectors": still the visit
        groups.append([k.kb_id_, k.start_char])
    if not groups:
        return [("full_inspection", s0, s1)]
    out = []
    for i, (kind, at) in enumerate(groups):
        lo = s0 if i == 0 else at
        hi = groups[i + 1][1] if i + 1 < len(groups) else s1
        out.append((kind, lo, hi))
    return out


def _months(value: str) -> Optional[int]:
    """Months since year 0; None for a day with no year ("--09-26")."""
    if not has_year(value):
        return None
    parts = value.split("-")
    return int(parts[0]) * 12 + (int(parts[1]) if len(parts) > 1 else 6)


def _date_role(region_text: str, pre: str, post: str, value: str, kind: str) -> str:
    """'published' or 'visit' for a date in an inspection stretch."""
    if re.search(r"\b(?:published|released|issued|dated|report|letter)\s+(?:on\s+|in\s+)?$", pre, re.I):
        return "published"  # the word right before the date says what it dates
    if re.search(r"\b(?:inspection|visit|inspected|re-inspection)\s+(?:(?:in|on|between|from|during|last|this)\s*)?$", pre[-40:], re.I):
        return "visit"  # "following a full inspection in October"
    if re.search(r"\b(?:began|begun|started|starting|commenced|beginning|began on|ended|finished|took place)\s+(?:on|in|from|between)?\s*(?:the\s+)?$", pre[-40:], re.I):
        return "visit"  # "an inspection that began on 13 March 2023"
    if _PUBLISHED.search(pre[-70:]) and not _VISIT_VERB.search(pre[-25:]):
        return "published"
    if re.match(r"\s*(?:saw|brought|marked)\s+the\s+publication|['’]s\s+(?:\w+\s+)?(?:report|letter|publication)\b", post, re.I):
        return "published"  # "today's report"
    if re.match(r"\s*(?:(?:has|have|had|formally|officially|finally)\s+){0,2}(?:received|published|released|issued|got)\s+(?:the|its|their|an?)\s+(?:\w+\s+){0,2}"
                r"(?:report|letter|findings|results?|verdict)\b", post, re.I):
        return "published"  # "has today received the report of Ofsted's inspection"
    if len(value) > 4 and kind == "full_inspection" and _GRADING_VERB.search(region_text) and not _VISIT_VERB.search(region_text):
        return "published"  # "judged inadequate in December 2016": when the verdict came out
    return "visit"


_ATTRIBUTED_TO_OFSTED = re.compile(r"\b(?:ofsted|inspectors?|the (?:\w+ )?report|the letter|watchdog|inspectorate)\b", re.I)


_FIRST_PERSON = re.compile(r"\b(?:I|we|our|us|my)\b")


class _QuoteMarks:
    """Where a document's quotation marks and paragraph breaks are, found once, so that asking
    whether an offset is inside someone's quotation costs a few bisections, not a paragraph scan."""

    def __init__(self, text: str):
        self.text = text
        marks: dict = {ch: [] for ch in "\n“”\""}
        for i, ch in enumerate(text):
            if ch in marks:
                marks[ch].append(i)
        self.breaks, self.lq, self.rq, self.dq = marks["\n"], marks["“"], marks["”"], marks['"']
        self.opens = sorted(self.lq + self.dq)
        self._verdicts: dict = {}

    @staticmethod
    def _count(positions: list, lo: int, hi: int) -> int:
        return bisect_left(positions, hi) - bisect_left(positions, lo)

    @staticmethod
    def _last(positions: list, lo: int, hi: int) -> int:
        k = bisect_left(positions, hi) - 1
        return positions[k] if k >= 0 and positions[k] >= lo else -1

    @staticmethod
    def _first(positions: list, lo: int, hi: int) -> int:
        k = bisect_left(positions, lo)
        return positions[k] if k < len(positions) and positions[k] < hi else -1

    def in_others_quote(self, at: int) -> bool:
        """Is this offset inside a long quotation that is not Ofsted's (a councillor's words)?"""
        k = bisect_left(self.breaks, at)
        p0 = self.breaks[k - 1] + 1 if k > 0 else 0
        p1 = self.breaks[k] if k < len(self.breaks) else len(self.text)
        start = self._last(self.opens, p0, at)
        if start == -1 or self._last(self.rq, p0, at) > start:
            return False
        if self._count(self.dq, p0, at) % 2 == 0 and not self._count(self.lq, p0, at):
            return False
        ends = [e for e in (self._first(self.rq, at, p1), self._first(self.dq, at, p1)) if e != -1]
        key = (p0, start, min(ends) if ends else p1)
        if key not in self._verdicts:
            self._verdicts[key] = _others_quote(self.text, *key)
        return self._verdicts[key]


def _others_quote(text: str, p0: int, start: int, end: int) -> bool:
    """Is the quotation text[start:end] of the paragraph starting at p0 someone's own words, not Ofsted's?"""
    if len(text[start:end].split()) <= 8:
        return False  # a scare quote around a grade
    p1 = text.find("\n", end)
    p1 = len(text) if p1 == -1 else p1
    outside = text[p0:start] + text[end:p1]
    prev = text[max(0, p0 - 200):p0].rstrip()
    if _ATTRIBUTED_TO_OFSTED.search(outside):
        return False
    if _FIRST_PERSON.search(text[start:end]):
        return True  # "we were judged ...": a speaker's own account
    speaker_before = prev.endswith(":") and re.search(r"\b(?:said|says|added|told|stated)\b", prev[-120:], re.I)
    speech_here = re.search(r"\b(?:said|says|added|told)\b", outside, re.I)
    attributed = speaker_before or speech_here
    return bool(attributed) and not _ATTRIBUTED_TO_OFSTED.search((outside or prev[-120:]))


def _graded_stretches(ctx, text: str):
    """(stretch, its graded grade spans): each sentence, cut per council when each has its own grades."""
    quotes = ctx.memo("inspections.quote_marks", lambda: _QuoteMarks(text))
    for whole in ctx.doc.sents:
        whole_grades = [g for g in ctx.spans_in("GRADE", whole.start_char, whole.end_char)
                        if graded(ctx, g) and not quotes.in_others_quote(g.start_char)]
        for sent in _stretches(ctx, whole, [g.start_char for g in whole_grades]):
            yield sent, [g for g in whole_grades if sent.start_char <= g.start_char < sent.end_char]


def _shed(text: str, g) -> bool:
    """A grade the council has left behind ("shed its 'inadequate' rating"), not one it avoided
    ("the only area to escape the lowest rating")."""
    before = text[max(0, g.start_char - 40):g.start_char]
    return bool(_NEGATED.search(before)) and not re.search(r"\bto\s+(?:escape|avoid)\s*(?:the\s+)?[‘'\"“]?\s*$",
                                                          before, re.I)


def _bare_visit_kind(ctx) -> str:
    """The kind a bare "visit" or "the inspection" stands for in this text.

    In a text about one kind of visit it is that kind (the text's subject is the
    kind it names first, generic words aside: a menu of the site can hold them),
    as long as the text names that visit in its opening: a visit first named near
    the end ("expects its first monitoring visit within months") is not its subject."""
    spans = ctx.doc.spans["KIND"]
    visit_kinds = {k.kb_id_ for k in spans if k.kb_id_ in ("monitoring_visit", "focused_visit", "jtai", "other")}
    first = next((k.kb_id_ for k in spans if not _BARE_VISIT.fullmatch(k.text)
                  and not (k.kb_id_ == "full_inspection" and _GENERIC_KIND.fullmatch(k.text))), None)
    first_at = next((k.start_char for k in spans if k.kb_id_ == first), None)
    opening = first_at is not None and first_at < max(len(ctx.text) // 3, 300)
    return first if len(visit_kinds) == 1 and first in visit_kinds and opening else "full_inspection"


def _shed_events(ctx, sent) -> list:
    """"shed its 'inadequate' rating": the inspection before this one gave that grade."""
    s0, s1 = sent.start_char, sent.end_char
    shed = [g for g in ctx.spans_in("GRADE", s0, s1) if g.kb_id_ in _ORDER and _shed(ctx.text, g)]
    if not shed:
        return []
    council = (_councils_in(ctx, sent) or [ctx.main_council[0] if ctx.main_council else None])[0]
    if not council:
        return []
    prev = Event(council=council, kind="full_inspection", start=s0, end=s1, past=True, shed=True)
    prev.judgements = [Judgement(area="overall", grade=g.kb_id_, grade_as_written=g.text,
                                 evidence=evidence(ctx.document, g.start_char, g.end_char)) for g in shed]
    return [prev]


# "The council also earned this accolade for ...": the grade just given, for more areas
_SAME_GRADE = re.compile(r"\b(?:this|that|the same)\s+(?:accolade|grade|rating|judgement|judgment|verdict)\s+(?:for|in)\b", re.I)


def _areas_included(ctx, sent, events: list) -> bool:
    """"... rated good across all aspects. This includes child protection and adoption.": the
    areas of a sentence that only lists what the last grade covered take that grade."""
    if not (_INCLUDES.search(sent.text) or _SAME_GRADE.search(sent.text)) or not events or not events[-1].judgements:
        return False
    last = events[-1]
    grade = last.judgements[-1]
    for a in ctx.spans_in("AREA", sent.start_char, sent.end_char):
        if a.kb_id_ != "overall" and not any(j.area == a.kb_id_ for j in last.judgements):
            last.judgements.append(Judgement(area=a.kb_id_, grade=grade.grade, area_as_written=a.text,
                                             grade_as_written=grade.grade_as_written,
                                             evidence=evidence(ctx.document, a.start_char, a.end_char)))
    return True


def _paragraph_council(ctx, sent) -> list:
    """The one council named earlier in the sentence's paragraph: a paragraph of news speaks of one
    council ("A spokesman for Kent County Council said ... Inspectors found in October ...")."""
    para = ctx.layout.para_of(sent.start_char)
    if para < 0:
        return []
    named = {c.kb_id_ for c in ctx.councils_in(ctx.layout.paras[para][0], sent.start_char)}
    return list(named) if len(named) == 1 else []


def _target_councils(ctx, sent, grades: list) -> list:
    """The councils a stretch's events are about: those it names, else the one "the borough"
    stands for, else its section's, else the document's own."""
    councils = _councils_in(ctx, sent) or _antecedent(ctx, sent) or _paragraph_council(ctx, sent)
    if not councils:
        sectioned, councils = _section_council(ctx, sent)
        if (sectioned and not councils) or _before_council_list(ctx, sent):
            return []  # the introduction of a round-up speaks of no one council
    if not councils and ctx.main_council:
        councils = [ctx.main_council[0]]
    # "The councils rated poor were: A, B, C and D": each listed council is graded
    return councils if grades and (len(councils) >= 3 or _listed(ctx, sent)) else councils[:1]


@dataclass
class _Draft:
    """One kind's part of a stretch, for one council: what the stretch rules read and change.

    ``ev`` is the event the part speaks of; ``past_event`` an earlier inspection a dated
    look back names ("at its previous inspection in 2019"); ``judgements`` the grades not
    yet given to an earlier inspection; ``out`` the events the rules have made so far."""

    ctx: object
    council: str
    kind: str
    s0: int
    s1: int
    lo: int
    hi: int
    kinds: list
    areas: list
    fws: list
    grades: list
    dates: list
    ev: Optional[Event] = None
    past_event: Optional[Event] = None
    judgements: list = field(default_factory=list)
    out: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.ctx.text

    @property
    def region(self) -> str:
        return self.ctx.text[self.lo:self.hi]

    @property
    def pub(self) -> Optional[str]:
        return self.ctx.document.published

    def event(self, **kw) -> Event:
        kw.setdefault("kind", self.kind)
        return Event(council=self.council, start=self.s0, end=self.s1, **kw)


_SINCE_THE = re.compile(r"\bsince\s+(?:the|its|their)\s+(?:\w+\s+)?$", re.I)


def _past_marks(pattern, text: str) -> list:
    """The look-back cues of a text, save "since the last inspection" (that is after it: now)."""
    return [m for m in pattern.finditer(text) if not _SINCE_THE.search(text, max(0, m.start() - 30), m.start())]


def _looks_past(region: str) -> bool:
    return bool(_past_marks(_PAST, region))


def _rule_flags(d: _Draft) -> None:
    """Past, planned and framework as the stretch's words say."""
    region = d.region
    d.ev = d.event()
    d.ev.past = _looks_past(region)
    d.ev.planned = bool(_PLANNED.search(region)) and not re.search(r"\b(?:was|were|had)\b", region)
    if d.fws:
        d.ev.framework = d.fws[0].kb_id_
    if d.kind == "annual_rating" and d.ev.framework != "APA":
        d.ev.framework = "annual_performance_rating"


def _rule_background_years(d: _Draft) -> None:
    """"rated RI ... progress against areas under-performing in 2019": beside a recent date,
    an old year is background to this inspection, not its date."""
    if not d.pub:
        return
    recent = [x for x in d.dates if has_year(x._.date_value[0]) and _months(d.pub) - _months(x._.date_value[0]) <= 10]
    if recent and len(recent) < len(d.dates) and not _PAST_MARK.search(d.region):
        d.dates = [x for x in d.dates
                   if x in recent or _PAST_DATE.search(d.text[max(d.lo, x.start_char - 80):x.start_char])]


def _past_kind(cue: str, kind: str) -> Optional[str]:
    """The kind of the earlier inspection a dated look back names: an inspection (or grade) is a
    full one; in a text about a visit, "followed a visit in 2021" is some earlier visit."""
    if kind == "full_inspection":
        return "full_inspection"
    if re.search(r"\binspect", cue, re.I) and not re.search(r"\b(?:monitoring|focused)\b", cue, re.I):
        return "full_inspection"  # "since it was last fully inspected in 2022", in a text about a visit
    if re.search(r"\bvisit", cue, re.I) and not re.search(r"\b(?:monitoring|focused)\b", cue, re.I):
        return "other"
    return None


# after a date, the grading of that time: "in 2013 when it was rated", "since 2019, where services were given"
_WHEN_GRADED = re.compile(r"\s*[,–—-]?\s*(?:when|where)\s+(?:[\w’']+\s+){0,3}?(?:was|were|had been)\s+(?:\w+\s+)?"
                          r"(?:rated|judged|graded|found|given|deemed|put|placed|assessed|branded)\b", re.I)


def _earlier_when_graded(d: _Draft, x) -> bool:
    """Is this date an earlier inspection's, graded in the words after it? Only when the text
    is later (its publication date, or a later date in the same stretch)."""
    if not _WHEN_GRADED.match(d.text, x.end_char):
        return False
    start = x._.date_value[0]
    if not has_year(start):
        return False
    later = [y for y in d.dates if y is not x and has_year(y._.date_value[0]) and y._.date_value[0][:4] > start[:4]]
    return bool(later) or bool(has_year(d.pub) and d.pub[:4] > start[:4])


def _rule_dates(d: _Draft) -> None:
    """Each date is the visit's or the report's, an earlier inspection's ("previous inspection
    in 2019"), or another event's (a deadline, a meeting, a job move) and then ignored."""
    text, ev, lo, hi = d.text, d.ev, d.lo, d.hi
    for x in d.dates:
        start, end, _ = x._.date_value
        pre = text[max(lo, x.start_char - 100):x.start_char]
        post = text[x.end_char:min(hi, x.end_char + 40)]
        cue = _PAST_DATE.search(pre)
        if cue and re.match(r"follow|after", cue.group(), re.I) and d.pub and has_year(start) \
                and 0 <= _months(d.pub) - _months(start) <= 10:
            cue = None  # "rated good after an inspection in January", in April: this inspection
        past_kind = _past_kind(cue.group(), d.kind) if cue else None
        if not cue and d.kind == "full_inspection" and d.past_event is None and _earlier_when_graded(d, x):
            # "a turnaround from 2013 when it was rated inadequate": that year's inspection gave the grade
            cue = re.search(r"(?:(?:back|since|from|in|of|during)\s+)*$", pre, re.I)
            past_kind = "full_inspection"
        if cue and d.past_event is None and past_kind:
            past = d.past_event = d.event(kind=past_kind, past=True)
            if _date_role(text[lo:x.start_char], pre, post, start, "full_inspection") == "published":
                past.published = start  # "judged inadequate in December 2016"
            else:
                past.visit = (start, end)
            past.cue_at = max(lo, x.start_char - 100) + cue.start()
            mark = _PAST_MARK.search(text[lo:x.start_char])
            if mark:
                past.cue_at = min(past.cue_at, lo + mark.start())
            continue
        if re.search(r"\b(?:by|before|until)\s*$", pre) and re.search(r"\b(?:will|would|to|must|should|has until)\b",
                                                                   pre[-60:], re.I):
            continue  # "report back by 1 December": a deadline, not an inspection date
        other = _OTHER_EVENT.search(pre[-95:])
        if other and not re.search(r"inspect|visit", pre[-95:][other.start():], re.I):
            continue  # "who joined Swindon in March", "at a council meeting on 21 September"
        role = _date_role(d.region, pre, post, start, d.kind)
        if role == "published":
            ev.published = ev.published or start
        elif ev.visit == (None, None) or (len(start) > len(ev.visit[0]) and compatible(start, ev.visit[0])):
            ev.visit = (start, end)  # "this summer, from 17 to 28 July": the precise one
        if d.pub and has_year(start) and _months(d.pub) - _months(start) > 10:
            ev.past = True


def _rule_grades(d: _Draft) -> None:
    """The stretch's (area, grade) pairs."""
    d.judgements = _judgements_in(d.ctx, d.grades, d.areas, d.lo)


# "all of these areas", "in all areas", "every judgement": a grade for the areas listed before
_ALL_AREAS = re.compile(r"\b(?:all|every|each)\s+(?:of\s+)?(?:these|the|those|its|their|our|five|four|three|six)?\s*"
                        r"(?:(?:key|judgement|assessed|inspected)\s+)?(?:areas?|aspects?|judgements)\b|\ball of (?:these|them)\b", re.I)
_EXCEPT = re.compile(r"\b(?:except(?:\s+for)?|apart from|other than|with the exception of|save for)\s+(?:the\s+|for\s+)?[‘'\"“]?\s*$", re.I)


_LIST_INTRO = re.compile(r"\b(?:areas?|aspects?|categories|judgements)\b[^.]{0,40}?(?::|\b(?:were|are|included|includes|covered|assessed)\b)", re.I)


def _listed_areas_before(d: _Draft, every) -> list:
    """The areas a list just before this stretch named ("The inspection covered three areas: ...",
    "The areas assessed were ..."), back to the last graded sentence or 500 characters; [] unless
    two or more, and unless the list is introduced as one or "these areas" points back to it."""
    ctx = d.ctx
    lo = max(0, d.lo - 500)
    for g in ctx.spans_in("GRADE", lo, d.lo):
        if graded(ctx, g):
            lo = g.end_char
    if not (_LIST_INTRO.search(d.text, lo, d.lo) or re.search(r"\b(?:these|those|them|above)\b", every.group(), re.I)):
        return []
    codes = list(dict.fromkeys(a.kb_id_ for a in ctx.spans_in("AREA", lo, d.lo) if a.kb_id_ != "overall"))
    return codes if len(codes) >= 2 else []


def _rule_all_areas(d: _Draft) -> None:
    """"All of these areas were found to require improvement", "In all areas, except adoption
    which requires improvement, the services were inadequate": the grade beside the phrase goes to
    each area listed before (and overall), save the excepted ones, which keep their own grade."""
    every = _ALL_AREAS.search(d.region)
    if not d.judgements or not every:
        return
    text = d.text
    at = d.lo + every.start()
    named = list(dict.fromkeys(a.kb_id_ for a in d.areas if d.lo <= a.start_char < at and a.kb_id_ != "overall"))
    if len(named) >= 2 and all(j.area in named or j.area == "overall" for j in d.judgements):
        # "an inspection of safeguarding and looked-after children services ... rated each area as adequate"
        g = d.judgements[-1]
        d.judgements = [Judgement(area=code, grade=g.grade, grade_as_written=g.grade_as_written, evidence=g.evidence)
                        for code in named]
        return
    excepted = {a.kb_id_: a for a in d.areas if d.lo <= a.start_char < d.hi
                and _EXCEPT.search(text[max(d.lo, a.start_char - 40):a.start_char])}
    if any(j.area not in excepted and j.area != "overall" for j in d.judgements):
        return  # the stretch names its own areas
    own = {}
    for j in d.judgements:
        if j.area in excepted:
            gap = j.evidence.end - excepted[j.area].end_char
            if j.area not in own or gap < own[j.area][0]:
                own[j.area] = (gap, j)
    rest = [j for j in d.judgements if not (j.area in own and own[j.area][1] is j)]
    # the grade of the phrase is the one beside it ("rated good in all areas", "all ... were inadequate")
    near = [j for j in rest if min(abs(j.evidence.start - every.end() - d.lo), abs(at - j.evidence.end)) <= 60]
    listed = [c for c in _listed_areas_before(d, every) if c not in excepted]
    if not near or not listed:
        return
    g = min(near, key=lambda j: min(abs(j.evidence.start - every.end() - d.lo), abs(at - j.evidence.end)))
    d.judgements = [j for j in d.judgements if j is not g] + [
        Judgement(area=code, grade=g.grade, grade_as_written=g.grade_as_written, evidence=g.evidence)
        for code in ["overall"] + listed]


def _rule_looked_back(d: _Draft) -> None:
    """"an improvement on the 'requires improvement' judgement of the previous inspection":
    a grade framed as the earlier inspection's is that inspection's."""
    earlier = [j for j in d.judgements if _looks_back(d.text, j)]
    if not earlier:
        return
    d.judgements = [j for j in d.judgements if j not in earlier]
    moved = _date_of_earlier(d.text, earlier, d.dates, d.ev.visit)
    if d.past_event is not None:
        d.past_event.judgements.extend(earlier)
        return
    back = d.event(past=True)
    back.judgements = earlier
    if moved:
        # "inadequate, down from requires improvement in 2019": the year is the earlier one's
        back.visit, d.ev.visit = d.ev.visit, (None, None)
        d.ev.past = _looks_past(d.region)  # the old date made it look past
    d.out.append(back)


def _rule_visit_grades(d: _Draft) -> None:
    """Grades named in a monitoring or focused visit's stretch belong to the inspection before it
    (visits are not graded)."""
    if d.kind in ("monitoring_visit", "focused_visit") and d.judgements:
        prev = d.event(kind="full_inspection", past=True, before_visit=True)
        prev.judgements = d.judgements
        d.out.append(prev)
        d.judgements = []


def _rule_now(d: _Draft) -> None:
    """"was rated inadequate in 2019 and is now good": the grades after "now" are this inspection's."""
    head = d.region[: max(0, d.grades[-1].start_char - d.lo)] if d.grades else ""
    now = re.search(r"\b(?:and now|but now|now|this time)\b", head)
    if d.past_event is None and d.ev.past and now and len(d.grades) >= 2:
        cut = d.lo + now.start()
        cur = d.event()
        cur.judgements = [j for j in d.judgements if j.evidence.start >= cut]
        d.judgements = [j for j in d.judgements if j.evidence.start < cut]
        d.out.append(cur)


def _rule_move(d: _Draft) -> None:
    """"upgraded from inadequate to good": the first grade is the earlier inspection's."""
    if len(d.grades) >= 2 and len(d.judgements) >= 2 and _FROM_TO.search(d.region) and _MOVE.search(d.region):
        prev = d.event(past=True)
        prev.judgements = [d.judgements[0]]
        d.out.append(prev)
        d.judgements = d.judgements[1:]


def _rule_past_mark(d: _Draft) -> None:
    """"rated good ... since being rated inadequate": the grades after the mark look back."""
    marks = _past_marks(_PAST_MARK, d.region)
    mark = marks[0] if marks else None
    if d.past_event is None and not d.ev.past and mark and d.judgements and not d.dates:
        cut = d.lo + mark.start()
        back = [j for j in d.judgements if j.evidence.start >= cut]
        if re.match(r"after|before", mark.group(), re.I) and len(back) == len(d.judgements) \
                and not re.search(r"\b(?:years?|months?|decades?)\s+$", d.text[max(0, cut - 20):cut], re.I):
            return  # "vowed to improve after it was rated inadequate": with no grade before it, the news itself
        if back:
            prev = d.event(past=True)
            prev.judgements = back
            d.out.append(prev)
            d.judgements = [j for j in d.judgements if j.evidence.start < cut]


_AGAIN = re.compile(r"\b(?:and|but|then)\s+(?:was\s+|were\s+)?(?:once\s+)?again\b|\bagain\s+in\b", re.I)


def _rule_past_event_grades(d: _Draft) -> None:
    """The grades inside a dated look back are the earlier inspection's, up to a contrast
    ("... the previous inspection in 2019, but the inadequate judgement for leadership ...")."""
    past = d.past_event
    if past is None:
        return
    if _PAST_TENSE_GRADING.search(d.text[d.lo:past.cue_at]) and _WHEN_LAST.match(d.text, past.cue_at):
        # "services were rated good when they were last inspected in 2019"
        past.cue_at = d.lo
    turn = _CONTRAST.search(d.text, past.cue_at, d.hi)
    back_end = turn.start() if turn else d.hi
    past.judgements += [j for j in d.judgements if past.cue_at <= j.evidence.start < back_end]
    d.judgements = [j for j in d.judgements if not past.cue_at <= j.evidence.start < back_end]
    d.out.append(past)
    d.ev.past = False
    if not d.judgements and past.judgements and _AGAIN.search(d.text, past.cue_at, d.hi):
        # "judged inadequate in 2012 and again in 2014": the later inspection gave the same grades
        d.judgements = [replace(j) for j in past.judgements]


def _rule_one_per_year(d: _Draft) -> None:
    """"monitoring visits in 2021 and 2022", "visits in April and at the end of July": one each."""
    d.ev.judgements = d.judgements
    plural = any(k.text.lower().endswith("s") and d.lo <= k.start_char < d.hi for k in d.kinds if k.kb_id_ == d.kind)
    years = [x._.date_value[0] for x in d.dates if x._.date_value[2] in ("y", "m", "my")]
    if plural and len(years) >= 2 and not d.judgements:
        for y in years[1:]:
            extra = d.event(past=d.ev.past)
            extra.visit = (y, None)
            d.out.append(extra)
    for x in d.dates:
        start, end, kind = x._.date_value
        # "visited in May and November": two visits, not one spanning six months (but "in June and July" may be one)
        if kind == "mm_range" and re.search(r"\sand\s", x.text) and d.ev.visit == (start, end) and end \
                and has_year(start) and has_year(end) and _months(end) - _months(start) > 1:
            d.ev.visit = (start, None)
            extra = d.event(past=d.ev.past)
            extra.visit = (end, None)
            d.out.append(extra)


def _rule_annual_dates(d: _Draft) -> None:
    """Annual ratings were published nationally on the day news reports them, for that year
    (unless the text dates the rating itself: "the annual performance assessment in 2008")."""
    ev, pub = d.ev, d.pub
    if d.kind != "annual_rating" or ev.visit[0] or not (ev.published or pub):
        return
    ev.published = ev.published or pub
    ev.visit = (ev.published[:4], None)


# an overall grade given by allusion to the current one
_SAME_OVERALL = re.compile(r"\b(?:the\s+)?(?:same|identical)\s+(?:overall\s+)?(?:outcome|grade|rating|judge?ment|verdict|result)\b|"
                           r"\b(?:grade|grading|rating|judge?ment|outcome)\s+(?:was|were|is|has|had)\s+(?:been\s+)?(?:\w+\s+)?unchanged\b|"
                           r"\bunchanged\s+(?:from|since)\b", re.I)


def _rule_same_grade(d: _Draft) -> None:
    """"the overall grade was unchanged from the previous inspection in 2019", "Coventry received the
    same overall outcome": that inspection's overall grade is the current one's (set after merging)."""
    if not _SAME_OVERALL.search(d.region):
        return
    target = d.past_event if d.past_event is not None and d.past_event in d.out else d.ev
    if not any(j.area == "overall" for j in (target.judgements if target is d.past_event else d.judgements)):
        target.same_overall = True


def _rule_keep(d: _Draft) -> None:
    """The event itself, unless a look back took all it had to say."""
    if d.judgements or d.ev.visit[0] or d.ev.published or d.past_event is None:
        d.out.append(d.ev)


# the rules run in this order over each part of a stretch: dates first (they make the
# look-back events), then grades, then the rules that hand grades to earlier inspections
STRETCH_RULES = (_rule_flags, _rule_background_years, _rule_dates, _rule_grades, _rule_all_areas, _rule_looked_back,
                 _rule_visit_grades, _rule_now, _rule_move, _rule_past_mark, _rule_past_event_grades,
                 _rule_one_per_year, _rule_annual_dates, _rule_same_grade, _rule_keep)


def sentence_events(ctx) -> list:
    """The events of every stretch that speaks of an inspection (a kind word or a grade)."""
    text = ctx.text
    bare_visit = _bare_visit_kind(ctx)
    events: list = []
    for sent, grades in _graded_stretches(ctx, text):
        s0, s1 = sent.start_char, sent.end_char
        events.extend(_shed_events(ctx, sent))
        if not grades and _areas_included(ctx, sent, events):
            continue
        kinds = ctx.spans_in("KIND", s0, s1)
        if not kinds and not grades and not _SAME_OVERALL.search(sent.text):
            continue
        targets = _target_councils(ctx, sent, grades)
        if not targets:
            continue
        areas = ctx.spans_in("AREA", s0, s1)
        fws = ctx.spans_in("FRAMEWORK", s0, s1)
        annual = any(_ANNUAL_SCALE.fullmatch(g.text) for g in grades) or any(k.kb_id_ == "annual_rating" for k in kinds)
        kinds = [_BareVisit(k, bare_visit) if k.kb_id_ == "full_inspection" and (
                     _BARE_VISIT.fullmatch(k.text) or _THIS_INSPECTION.search(text[max(0, k.start_char - 20):k.end_char]))
                 else k
                 for k in kinds]
        dates = [x for x in _dates_in(ctx, sent) if x._.date_value[0]]
        for kind, lo, hi in _groups(kinds, s0, s1):
            if annual and kind == "full_inspection":
                kind = "annual_rating"
            for council in targets:
                d = _Draft(ctx, council, kind, s0, s1, lo, hi, kinds, areas, fws,
                           grades=[g for g in grades if lo <= g.start_char < hi],
                           dates=[x for x in dates if lo <= x.start_char < hi])
                for rule in STRETCH_RULES:
                    rule(d)
                events.extend(d.out)
    return events


def _date_key(ev: Event) -> Optional[str]:
    return ev.visit[0] or ev.published or ev.year


def _date_key_of(insp: Inspection) -> Optional[str]:
    return insp.visit_start or insp.published


def _same_time(insp: Inspection, ev: Event) -> bool:
    """Could this dated event describe this inspection?"""
    if ev.visit[0] and insp.visit_start:
        return compatible(insp.visit_start, ev.visit[0])
    if ev.published and insp.published:
        return compatible(insp.published, ev.published)
    visit = ev.visit[0] or insp.visit_start
    published = ev.published or insp.published
    if visit and published:
        # published some weeks after the visit
        if not (has_year(visit) and has_year(published)):
            return compatible(visit, published)
        return 0 <= _months(published) - _months(visit) <= 8 or compatible(visit, published)
    return False


def merge_events(events: list, document: Document, alluded: Optional[list] = None) -> list:
    """Group sentence events into inspections.

    Dated events cluster by council, kind and compatible dates. The current
    inspection of a kind is the latest one that some non-past event speaks
    of; undated events join it, or (if they look back) the one before it.
    ``alluded`` collects the inspections alluded to as graded the same as the current one.
    """
    inspections: list = []
    current_ids: set = set()  # ids of inspections a non-past, non-planned event speaks of

    def new(ev: Event) -> Inspection:
        insp = Inspection(council_gss=ev.council, kind=ev.kind)
        inspections.append(insp)
        return insp

    def absorb(insp: Inspection, ev: Event):
        if ev.visit[0] and (not insp.visit_start or (len(ev.visit[0]) > len(insp.visit_start)
                                                      and compatible(ev.visit[0], insp.visit_start))):
            insp.visit_start, insp.visit_end = ev.visit
        if ev.published and (not insp.published or (len(ev.published) > len(insp.published)
                                                    and compatible(ev.published, insp.published))):
            insp.published = ev.published
        if ev.framework and not insp.framework:
            insp.framework = ev.framework
        for j in ev.judgements:
            if not any(x.area == j.area and x.grade == j.grade for x in insp.judgements):
                insp.judgements.append(j)
        if insp.evidence is None:
            insp.evidence = evidence(document, ev.start, ev.end)
        if not ev.past and not ev.planned:
            current_ids.add(id(insp))
        if ev.same_overall and alluded is not None:
            alluded.append(insp)

    dated = [e for e in events if _date_key(e)]
    undated = [e for e in events if not _date_key(e)]
    for ev in dated:
        match = next((i for i in inspections if i.council_gss == ev.council and i.kind == ev.kind
                      and _same_time(i, ev)), None)
        absorb(match or new(ev), ev)

    def when(insp: Inspection) -> int:
        d = _date_key_of(insp)
        return _months(d) if has_year(d) else -1

    def current(council: str, kind: str, ev: Event) -> Inspection:
        mine = [i for i in inspections if i.council_gss == council and i.kind == kind and id(i) in current_ids]
        if mine:
            return max(mine, key=when)
        if kind == "full_inspection" and any(e.kind in ("monitoring_visit", "focused_visit") and not e.past for e in events):
            # a text about a visit speaks of the last full inspection as "the inspection"
            earlier = [i for i in inspections if i.council_gss == council and i.kind == kind]
            if earlier:
                return max(earlier, key=when)
        insp = new(ev)
        current_ids.add(id(insp))
        return insp

    for ev in undated:
        if ev.before_visit:
            # the inspection a visit follows up is the council's last full one the text speaks of
            mine = [i for i in inspections if i.council_gss == ev.council and i.kind == ev.kind]
            absorb(max(mine, key=when) if mine else new(ev), ev)
            continue
        if ev.past and ev.judgements:
            cur = current(ev.council, ev.kind, ev)
            earlier = [i for i in inspections if i.council_gss == ev.council and i.kind == ev.kind
                       and i is not cur and 0 <= when(i) < max(when(cur), 0) + (0 if when(cur) >= 0 else 10 ** 6)]
            if ev.shed:
                # only an earlier inspection whose overall grade is unknown or the same
                grades = {j.grade for j in ev.judgements}
                earlier = [i for i in earlier if all(x.grade in grades for x in i.judgements if x.area == "overall")]
            target = max(earlier, key=when) if earlier else None
            if target is None:
                target = next((i for i in inspections if i.council_gss == ev.council and i.kind == ev.kind
                               and not _date_key_of(i) and id(i) not in current_ids), None) or new(ev)
            absorb(target, ev)
            continue
        if ev.past:
            continue  # an undated look back with nothing to say
        if ev.planned and not ev.judgements:
            continue  # "Ofsted will carry out regular monitoring visits": no visit yet, and none dated
        absorb(current(ev.council, ev.kind, ev), ev)
    # an inspection with nothing but a trigger word and no date or grade says too little
    return [i for i in inspections if i.judgements or i.visit_start or i.published or i.kind != "full_inspection"]


_WITH_CARE_LEAVERS = re.compile(r"\bcare[ -]leavers?\b", re.I)


def _split_care_leavers(insp: Inspection, date: Optional[str]) -> None:
    """"children in care and care leavers" is one judgement only in ILACS 2018-22; under SIF
    (care leavers a sub-judgement) and from 2023 (a line of its own) it grades both."""
    if not has_year(date) or date[:7] < "2013-11":
        return
    if "2018-04" <= date[:7] < "2023":
        # no care leavers line of its own: their grade is the children in care one
        cic = any(j.area == "children_in_care" for j in insp.judgements)
        insp.judgements = [j if j.area != "care_leavers" else replace(j, area="children_in_care")
                           for j in insp.judgements if not (j.area == "care_leavers" and cic)]
        return
    if any(j.area == "care_leavers" for j in insp.judgements):
        return
    for j in list(insp.judgements):
        if j.area == "children_in_care" and j.area_as_written and _WITH_CARE_LEAVERS.search(j.area_as_written):
            insp.judgements.append(replace(j, area="care_leavers"))


def _same_overall(ctx, inspections: list, flagged: list) -> None:
    """Give the inspections alluded to as graded the same their overall grade: the current
    inspection's (the document's council's latest graded full inspection)."""
    flagged = [i for i in flagged if i in inspections]
    main = ctx.main_council[0] if ctx.main_council else None
    graded_now = [i for i in inspections if i not in flagged and i.kind == "full_inspection" and i.council_gss == main
                  and any(j.area == "overall" for j in i.judgements)]
    if not flagged or not graded_now:
        return
    ref = max(graded_now, key=lambda i: i.visit_start or i.published or "")
    overall = next(j for j in ref.judgements if j.area == "overall")
    for i in flagged:
        if i.kind == "full_inspection" and not any(j.area == "overall" for j in i.judgements) \
                and (i.visit_start or i.published or "") < (ref.visit_start or ref.published or "~"):
            i.judgements.append(replace(overall, evidence=i.evidence))


def extract_inspections(ctx) -> list:
    document = ctx.document
    events = sentence_events(ctx)
    alluded: list = []
    inspections = merge_events(events, document, alluded)
    _same_overall(ctx, inspections, alluded)
    for insp in inspections:
        if insp.framework is None:
            insp.framework = _framework_for(insp.visit_start or insp.published or document.published, insp.kind)
        _split_care_leavers(insp, insp.visit_start or insp.published or document.published)
        # monitoring and focused visits are not graded: grades there are the last inspection's
        if insp.kind in ("monitoring_visit", "focused_visit") and insp.judgements:
            insp.judgements = []
    return inspections


class InspectionExtractor(Extractor):
    """Inspections and their judgements (news, minutes, web pages; reports have their own reader)."""

    name, assigns = "inspections", "inspections"

    def __call__(self, ctx) -> list:
        return extract_inspections(ctx)
