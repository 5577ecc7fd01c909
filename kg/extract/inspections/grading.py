"""Is a grade word an Ofsted grade here? Grading contexts, grades of schools or national counts,
and grades inside someone else's quotation."""
from __future__ import annotations

import re
from bisect import bisect_left

from .cues import _GENERIC_SUBJECT, _JUDGED_OBJECT_TO_BE, _AREA_THEN_GRADE, _COUNCIL_IS, _AIMED, _ANNUAL_SCALE, _AREA_IS, _ATTRIBUTED_TO_OFSTED, _FIRST_PERSON, _GRADE_AFTER, _GRADE_BEFORE, _GRADE_NOUNS, _JUDGED_TO_BE, _NATIONAL_COUNT, _NEGATED, _OWN_ASSESSMENT, _PROVIDER_OWNER, _PROVIDER_SUBJECT, _QUOTED, _RANGE_AFTER, _RANGE_BEFORE, _SCALE_GAP, _STRONG_BEFORE, _WHAT_NEEDS, _YEAR_AFTER_GRADE, _YEAR_BEFORE_GRADE, _LIST_POSITION


def _qualifies_a_noun(ctx, span) -> bool:
    """"inadequate record keeping", "inadequate staffing": the grade word as an ordinary adjective."""
    nxt = ctx.doc[span.end] if span.end < len(ctx.doc) else None
    if nxt is None or nxt.pos_ not in ("NOUN", "ADJ") or _GRADE_NOUNS.match(nxt.text):
        return False
    return not ctx.spans_in("AREA", nxt.idx, nxt.idx + 1)


def _not_a_councils_grade(ctx, span) -> bool:
    """A grade whose subject is a school or home, the council's own assessment, or a count of councils nationally."""
    clause = ctx.text[max(span.sent.start_char, span.start_char - 140):span.start_char]
    if _OWN_ASSESSMENT.search(clause):
        return True
    clause = _PROVIDER_OWNER.sub(lambda m: "x" * len(m.group()), clause)
    clause = re.split(r"[,;:(]\s*(?:while|whereas|but|and)?\s*(?=[^,;:(]*$)", clause)[-1] if re.search(r"\b(?:while|whereas|but)\b", clause) else clause
    if _PROVIDER_SUBJECT.search(clause) and not re.search(r"\b(?:children['’]s|social care|social work) services?\b", clause, re.I):
        return True
    generic = _GENERIC_SUBJECT.search(clause)
    # ("Bury, a council that was judged inadequate in 2019": a named council's grade after all)
    if generic and not ctx.councils_in(max(span.sent.start_char, span.start_char - len(clause) + generic.start() - 40),
                                       span.start_char):
        return True  # "advice to a DCS whose council has just been judged inadequate"
    if _NATIONAL_COUNT.search(clause):
        # "28 councils (including Rutland) were rated excellent" still grades the council it names
        lo = span.start_char - len(clause)
        return not ctx.councils_in(lo, span.start_char)
    return False


def _in_the_scale(ctx, span) -> bool:
    """"the grades outstanding, good, requires improvement and inadequate": three or more grade words
    in one run name the scale, no inspection's grade."""
    sent = span.sent
    spans = ctx.spans_in("GRADE", sent.start_char, sent.end_char)
    runs, run = [], []
    for g in spans:
        if run and _SCALE_GAP.fullmatch(ctx.text[run[-1].end_char:g.start_char]):
            run.append(g)
        else:
            run = [g]
            runs.append(run)
    return any(len({g.kb_id_ for g in r}) >= 3 and any(g.start_char == span.start_char for g in r) for r in runs)


def graded(ctx, span) -> bool:
    """Is this grade word used as an Ofsted grade here?"""
    if _not_a_councils_grade(ctx, span) or _in_the_scale(ctx, span):
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
    if re.search(r"\S\s*(?:[:–—(]|\s-)\s*[‘'\"“]?$", before) and any(
            0 <= span.start_char - a.end_char <= 4
            for a in ctx.spans_in("AREA", span.start_char - 300, span.start_char) + ctx.councils_in(span.start_char - 300, span.start_char)):
        return True  # a judgement table: "Overall effectiveness: Good", "Rutland – good", "Rutland (good)"
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
            and not _JUDGED_TO_BE.search(before) \
            and not _JUDGED_OBJECT_TO_BE.search(text, max(span.sent.start_char, span.start_char - 300), span.start_char):
        return False
    if span.kb_id_ in ("good", "outstanding"):
        # common adjectives: only in an explicit grading frame
        strong = _STRONG_BEFORE.search(before)
        if strong and re.search(r"\bfrom\s*[‘'\"“]?\s*$", strong.group(), re.I) and _qualifies_a_noun(ctx, span):
            strong = None  # "moved up from good practice": an adjective after all
        if strong or _GRADE_AFTER.match(after):
            return True
        if (_YEAR_BEFORE_GRADE.search(before) or (_YEAR_AFTER_GRADE.match(after) and (
                after.lstrip(" ’'\"”").startswith("(") or _LIST_POSITION.search(before)))) and not _qualifies_a_noun(ctx, span):
            return True  # a year's grade in a list: "2018 good", "good (2018)", "..., good in 2019"
        if _AREA_IS.search(before) and any(0 <= span.start_char - a.end_char <= 40 and _AREA_IS.fullmatch(text[a.end_char:span.start_char])
                                           for a in ctx.spans_in("AREA", span.start_char - 300, span.start_char)):
            return True  # "the adoption service is outstanding", "care leavers, are good"
        if not _qualifies_a_noun(ctx, span) and not re.match(r"\s+(?:at|to|for|with|news|enough|as|in|and|or)\b", after, re.I) \
                and any(0 <= span.start_char - a.end_char <= 40 and _AREA_THEN_GRADE.fullmatch(text[a.end_char:span.start_char])
                        for a in ctx.spans_in("AREA", span.start_char - 300, span.start_char) if a.kb_id_ != "overall"):
            return True  # "with children in care and care leavers good", "leadership, good;", "... care leavers all good"
        if _COUNCIL_IS.search(before) and not re.match(r"\s+(?:at|to|for|with|news|enough|as|in)\b", after, re.I) \
                and not _qualifies_a_noun(ctx, span) and any(
                    _COUNCIL_IS.fullmatch(text[c.end_char:span.start_char])
                    for c in ctx.councils_in(span.start_char - 60, span.start_char)):
            return True  # "Camden is outstanding": a council's grade with a plain copula
        # "rated Barnet's children's services outstanding": the verb, its object, then the grade,
        # as long as the grade does not go on to qualify a noun ("a good range of ...")
        clause = text[max(span.sent.start_char, span.start_char - 70):span.start_char]
        nxt = span.doc[span.end] if span.end < len(span.doc) else None
        return bool(re.search(r"\b(?:rated|judged|graded|deemed|branded|considered|found)\b[^,.;:()]*$", clause, re.I)
                    and (nxt is None or nxt.pos_ not in ("NOUN", "PROPN", "ADJ")))
    return bool(_GRADE_BEFORE.search(before) or _GRADE_AFTER.match(after))


def _grade_code(span) -> str:
    # the 2009-11 annual rating scale (performs poorly ... excellently) has no current equivalent
    return "other" if _ANNUAL_SCALE.fullmatch(span.text) else span.kb_id_


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


def _shed(text: str, g) -> bool:
    """A grade the council has left behind ("shed its 'inadequate' rating"), not one it avoided
    ("the only area to escape the lowest rating")."""
    before = text[max(0, g.start_char - 40):g.start_char]
    return bool(_NEGATED.search(before)) and not re.search(r"\bto\s+(?:escape|avoid)\s*(?:the\s+)?[‘'\"“]?\s*$",
                                                          before, re.I)
