"""The events of a document: every stretch that speaks of an inspection, through the stretch rules."""
from __future__ import annotations

from ...model import Judgement
from ..text_utils import evidence
from .cues import (_INSPECTION_BEFORE, _OFFICER_REPORT, _ANOTHER_INSPECTION, _ANNUAL_SCALE, _BARE_VISIT, _GENERIC_KIND, _GRADE_VERB_KIND, _GRADING, _MONITORING, _NOW, _ORDER, _PRESENT, _OTHER_SERVICE_AFTER, _OTHER_SERVICE_BEFORE,
                   _SAME_OVERALL, _THIS_INSPECTION)
from .grading import _QuoteMarks, _shed, graded
from .targets import _councils_in, _dates_in, _stretches, _target_councils
from .areas import _areas_included
from .rules import Event, STRETCH_RULES, _Draft


class _BareVisit:
    """A kind span re-coded: "the visit" in minutes about a focused visit."""

    def __init__(self, span, kind: str):
        self.span, self.kb_id_ = span, kind
        self.text, self.start_char, self.end_char = span.text, span.start_char, span.end_char


def _groups(kinds: list, s0: int, s1: int, text: str) -> list:
    """(kind, region start, region end): a sentence's stretches, one per kind of visit it names."""
    groups: list = []
    for k in kinds:
        if groups and groups[-1][0] == k.kb_id_:
            continue
        if groups and k.kb_id_ == "full_inspection" and groups[-1][0] != "full_inspection" and not _GRADING.match(k.text) \
                and not _ANOTHER_INSPECTION.search(text, max(0, k.start_char - 30), k.end_char):
            continue  # "the monitoring visit's inspectors": still the visit (but "since that inspection" is another)
        groups.append([k.kb_id_, k.start_char])
    if not groups:
        return [("full_inspection", s0, s1)]
    out = []
    for i, (kind, at) in enumerate(groups):
        lo = s0 if i == 0 else at
        hi = groups[i + 1][1] if i + 1 < len(groups) else s1
        out.append((kind, lo, hi))
    return out


def _graded_stretches(ctx, text: str):
    """(stretch, its graded grade spans): each sentence, cut per council when each has its own grades."""
    quotes = ctx.memo("inspections.quote_marks", lambda: _QuoteMarks(text))
    for whole in ctx.doc.sents:
        whole_grades = [g for g in ctx.spans_in("GRADE", whole.start_char, whole.end_char)
                        if graded(ctx, g) and not quotes.in_others_quote(g.start_char)]
        for sent in _stretches(ctx, whole, [g.start_char for g in whole_grades]):
            yield sent, [g for g in whole_grades if sent.start_char <= g.start_char < sent.end_char]


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


def _other_service(ctx, k, s0: int) -> bool:
    """Is this kind word another service's inspection ("the SEND inspection", "an inspection of a
    children's home", "the fostering service was inspected")?"""
    if k.kb_id_ == "jtai":
        return False
    if k.text.lower().startswith("report") and _OFFICER_REPORT.match(ctx.text[k.end_char:k.end_char + 80]):
        return True  # "a report of the Corporate Director": the officers' own
    return bool(_OTHER_SERVICE_BEFORE.search(ctx.text, max(s0, k.start_char - 60), k.start_char)
                or _OTHER_SERVICE_AFTER.match(ctx.text[k.end_char:k.end_char + 80]))


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


def sentence_events(ctx) -> list:
    """The events of every stretch that speaks of an inspection (a kind word or a grade)."""
    text = ctx.text
    bare_visit = _bare_visit_kind(ctx)
    events: list = []
    carry = None  # the earlier inspection the paragraph is about, while it is
    for sent, grades in _graded_stretches(ctx, text):
        s0, s1 = sent.start_char, sent.end_char
        events.extend(_shed_events(ctx, sent))
        if not grades and _areas_included(ctx, sent, events):
            continue
        kinds = ctx.spans_in("KIND", s0, s1)
        ours = [k for k in kinds if not _other_service(ctx, k, s0)]
        if len(ours) < len(kinds):  # "the fostering service was inspected and rated good": the verb is its too
            ours = [k for k in ours if not _GRADING.fullmatch(k.text)]
        if kinds and not ours and not ctx.spans_in("AREA", s0, s1):
            continue  # only another service's inspection: its grades and dates are not the council's
        if not grades:  # "a home run by the council was judged inadequate in May": a verb that graded nothing here
            ours = [k for k in ours if not _GRADE_VERB_KIND.fullmatch(k.text)]
        kinds = ours
        if not kinds and not grades and not _SAME_OVERALL.search(sent.text):
            continue
        targets = _target_councils(ctx, sent, grades)
        if not targets:
            continue
        areas = ctx.spans_in("AREA", s0, s1)
        fws = ctx.spans_in("FRAMEWORK", s0, s1)
        annual = any(_ANNUAL_SCALE.fullmatch(g.text) for g in grades) or any(k.kb_id_ == "annual_rating" for k in kinds)
        # "Ofsted has monitored the council closely, with visits in 2022 and 2023": visits of the monitoring
        monitored = _MONITORING.search(sent.text) and not any(k.kb_id_ != "full_inspection" for k in kinds)
        kinds = [_BareVisit(k, "monitoring_visit") if monitored and k.kb_id_ == "full_inspection" and _BARE_VISIT.fullmatch(k.text)
                 else _BareVisit(k, bare_visit) if k.kb_id_ == "full_inspection" and (
                     (_BARE_VISIT.fullmatch(k.text) and not _INSPECTION_BEFORE.search(text, max(0, k.start_char - 20), k.start_char))
                     or _THIS_INSPECTION.search(text[max(0, k.start_char - 20):k.end_char]))
                 else k
                 for k in kinds]
        dates = [x for x in _dates_in(ctx, sent) if x._.date_value[0]]
        out: list = []
        for kind, lo, hi in _groups(kinds, s0, s1, text):
            if annual and kind == "full_inspection":
                kind = "annual_rating"
            for council in targets:
                d = _Draft(ctx, council, kind, s0, s1, lo, hi, kinds, areas, fws,
                           grades=[g for g in grades if lo <= g.start_char < hi],
                           dates=[x for x in dates if lo <= x.start_char < hi])
                for rule in STRETCH_RULES:
                    rule(d)
                out.extend(d.out)
        carry = _carry_earlier(ctx, sent, out, carry if not dates else None)
        events.extend(out)
    return events


def _carry_earlier(ctx, sent, out: list, carry):
    """"When inspectors visited in 2017 they judged services inadequate. Help and protection was
    inadequate too.": after a sentence about an earlier inspection only, the undated grades of the
    next sentences of the paragraph are still that inspection's, until the text turns to now.
    Returns what the next sentence carries: (paragraph, earlier event) or None."""
    para = ctx.layout.para_of(sent.start_char)
    if carry is not None and carry[0] == para and para >= 0 and not _NOW.search(sent.text):
        earlier = carry[1]
        for ev in out:
            if (ev.judgements and not ev.past and not ev.planned and not (ev.visit[0] or ev.published)
                    and ev.council == earlier.council and ev.kind == earlier.kind):
                ev.past, ev.visit, ev.published = True, earlier.visit, earlier.published
    graded = [ev for ev in out if ev.judgements]
    if not graded:
        return carry if carry is not None and carry[0] == para else None
    if all(ev.past for ev in out) and not _NOW.search(sent.text) and not _PRESENT.search(sent.text):
        dated = [ev for ev in graded if ev.visit[0] or ev.published]
        return (para, dated[-1]) if dated else None
    return None
