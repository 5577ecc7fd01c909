"""(area, grade) pairs: which judgement area each grade of a stretch is for."""
from __future__ import annotations

import re

from ...model import Judgement
from ..text_utils import evidence
from .cues import (_ENCLOSED_LIST, _EVERY_LINE, _AS_IS, _BACK_AFTER, _BACK_BEFORE, _COORD, _GRADE_FOR, _INCLUDES, _LIST_AFTER_GRADE, _OF_PHRASE,
                   _OTHER_SUBJECT, _PARTIAL, _PARTIAL_AFTER, _SAME_GRADE)
from .grading import _grade_code


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
        # "Every other area - A, B and C - was also found to require improvement": each area enclosed
        enclosed = _ENCLOSED_LIST.search(text, prev_end, g.start_char)
        if enclosed:
            k = "dash" if enclosed.group("dash") else "paren"
            inside = [a for a in areas if enclosed.start(k) <= a.start_char and a.end_char <= enclosed.end(k)
                      and a.kb_id_ != "overall"]
            if len(inside) >= 2:
                prev_end = g.end_char
                for a in inside:
                    out.append(Judgement(area=a.kb_id_, grade=_grade_code(g), area_as_written=a.text, grade_as_written=g.text,
                                         evidence=evidence(document, a.start_char, g.end_char)))
                continue
        # "both X and Y were rated Z": every coordinated area before the grade gets it
        chain = [a for a in areas if prev_end <= a.start_char and a.end_char <= g.start_char]
        prev_end = g.end_char
        # the coordinated run just before the grade ("..., while A, B and C all required improvement")
        k = len(chain) - 1
        while k > 0 and _COORD.fullmatch(text[chain[k - 1].end_char:chain[k].start_char]):
            k -= 1
        chain = chain[k:]
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
            # a list after a colon may run on through semicolons ("good in every area: A; B; and C")
            stop = r"[.]|\n\s*\n" if ":" in colon.group() else r"[.;]"
            items = [a for a in after if a.start_char < nxt and not re.search(stop, text[g.end_char:a.start_char])]
            if items:
                if re.search(r"\b(?:all|every|each)\b", colon.group(), re.I) and all(a.kb_id_ != "overall" for a in items):
                    # "good in every area, including ...": the grade is the overall one too
                    out.append(Judgement(area="overall", grade=_grade_code(g), grade_as_written=g.text,
                                         evidence=evidence(document, g.start_char, colon.end())))
                for a in items:
                    out.append(Judgement(area=a.kb_id_, grade=_grade_code(g), area_as_written=a.text,
                                         grade_as_written=g.text, evidence=evidence(document, g.start_char, a.end_char)))
                areas = [a for a in areas if a not in items]
                if not re.search(r"\bwith\s*$", colon.group(), re.I):
                    continue
                after = []  # "rated leaders inadequate, along with ...": the area before has the grade too
        area = None
        if after and _GRADE_FOR.fullmatch(text[g.end_char:after[0].start_char]):
            before = []  # "'good' for leadership": the area follows its grade
        if before:
            cand = _head_area(text, before)
            between = text[cand.end_char:g.start_char]
            # "Leaders at the council acted after it was rated inadequate": "it" is what was graded
            # "for care leavers it was requires improvement": the area framed first, then its grade
            framed = re.search(r"\b(?:for|in|on|around)\s+(?:the\s+)?$", text[max(lo, cand.start_char - 15):cand.start_char], re.I) \
                and re.fullmatch(r"[\s,’'\"”]*(?:it|they|services?|this|these|the (?:council|service|authority))\s+(?:was|were|is|are)\s+"
                                 r"(?:(?:judged|rated|graded|found)\s+(?:to\s+be\s+|as\s+)?)?[‘'\"“]?\s*", between, re.I)
            if framed or (len(between.split()) <= 12 and ";" not in between and not _OTHER_SUBJECT.search(between)):
                area = cand
        if area is None and after:
            cand = after[0]
            between = text[g.end_char:cand.start_char]
            # "rated good for leadership", "require improvement to be good overall, for leaders, for ..."
            # but not across another grade ("judged 'good', with 'outstanding' for leaders")
            if len(re.findall(r"\w+", between)) <= 4 and not any(g.end_char <= h.start_char < cand.start_char for h in grades) \
                    and (re.search(r"\b(?:for|in|on|around)\b", between)
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
        if area is None and (_PARTIAL.search(text[max(lo, g.start_char - 80):g.start_char])
                             or _PARTIAL_AFTER.match(text, g.end_char)):
            continue  # "four out of five areas were inadequate", "good in all but one area": which ones is not said
        code = area.kb_id_ if area is not None else "overall"
        s0 = min(g.start_char, area.start_char) if area is not None else g.start_char
        s1 = max(g.end_char, area.end_char) if area is not None else g.end_char
        out.append(Judgement(area=code, grade=_grade_code(g), area_as_written=area.text if area is not None else None,
                             grade_as_written=g.text, evidence=evidence(document, s0, s1)))
    return out + _as_is(ctx, grades, areas, out)


def _as_is(ctx, grades: list, areas: list, out: list) -> list:
    extra = []
    for g in grades:
        m = _AS_IS.match(ctx.text, g.end_char)
        if not m:
            continue
        # the area right after, or after a few words ("as was the care of children in care")
        chain = [a for a in areas if m.end() <= a.start_char <= m.end() + 25
                 and not re.search(r"[,.;:]", ctx.text[m.end():a.start_char])][:1]
        for a in areas:
            if chain and a.start_char > chain[-1].end_char and _COORD.fullmatch(ctx.text[chain[-1].end_char:a.start_char]):
                chain.append(a)
        for a in chain:
            if not any(j.area == a.kb_id_ for j in out + extra):
                extra.append(Judgement(area=a.kb_id_, grade=_grade_code(g), area_as_written=a.text, grade_as_written=g.text,
                                       evidence=evidence(ctx.document, g.start_char, a.end_char)))
    return extra


def _head_area(text: str, before: list):
    """The area a grade after them rates: the last one, unless it only qualifies an overall
    judgement ("the overall effectiveness of the council's safeguarding services")."""
    last = before[-1]
    if last.kb_id_ in ("children_in_care", "care_leavers", "adoption", "lscb"):
        return last  # "the overall effectiveness of services for looked after children": their own line
    for a in before[:-1]:
        if a.kb_id_ == "overall" and _OF_PHRASE.match(text[a.end_char:last.start_char]):
            return a
    return last


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


def _areas_included(ctx, sent, events: list) -> bool:
    """"... rated good across all aspects. This includes child protection and adoption.": the
    areas of a sentence that only lists what the last grade covered take that grade."""
    if not (_INCLUDES.search(sent.text) or _SAME_GRADE.search(sent.text) or _EVERY_LINE.search(sent.text)) \
            or not events or not events[-1].judgements:
        return False
    last = events[-1]
    grade = last.judgements[-1]
    for a in ctx.spans_in("AREA", sent.start_char, sent.end_char):
        if a.kb_id_ != "overall" and not any(j.area == a.kb_id_ for j in last.judgements):
            last.judgements.append(Judgement(area=a.kb_id_, grade=grade.grade, area_as_written=a.text,
                                             grade_as_written=grade.grade_as_written,
                                             evidence=evidence(ctx.document, a.start_char, a.end_char)))
    return True
