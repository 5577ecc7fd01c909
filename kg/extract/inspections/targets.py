"""Which council a stretch of text speaks of: councils named in it, "the borough", the
paragraph's or section's council, else the document's own; sentences cut per council."""
from __future__ import annotations

import re

from .cues import _ANAPHOR, _COMPARISON, _HEADING, _LINE_START, _LIST_GAP, _PREDECESSOR, _RELATIVE_AFTER


def _dates_in(ctx, sent) -> list:
    return ctx.spans_in("dates", sent.start_char, sent.end_char)


def _subjects(ctx, lo: int, hi: int) -> list:
    """The council spans between lo and hi that can be what a grade is about: not a council named
    as the one another replaced ("since it replaced Cumbria County Council in 2023")."""
    return [c for c in ctx.councils_in(lo, hi) if not _PREDECESSOR.search(ctx.text, max(0, c.start_char - 45), c.start_char)]


def _council_spans(ctx, sent) -> list:
    return _subjects(ctx, sent.start_char, sent.end_char)


def _councils_in(ctx, sent) -> list:
    """GSS codes of the councils a sentence (or stretch) names, in order, once each."""
    return list(dict.fromkeys(c.kb_id_ for c in _council_spans(ctx, sent)))


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
    names = {c.kb_id_ for c in _subjects(ctx, lo, sent.start_char) if not _in_comparison(ctx, c)}
    return list(names) if len(names) == 1 else []


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
    """Part of a sentence, shaped like a Span for the helpers above. ``lead``: the councils the
    sentence named before a comparison this stretch resumes after ("Islington, unlike Hackney,
    was rated good": the grade is Islington's)."""

    def __init__(self, sent, start_char: int, end_char: int, text: str, lead=()):
        self.sent, self.start_char, self.end_char = sent, start_char, end_char
        self.text = text[start_char:end_char]
        self.lead = list(lead)


def _in_comparison(ctx, c) -> bool:
    """Is this council named only to compare ("unlike neighbouring Hackney", "as did Camden")?"""
    return bool(_COMPARISON.search(ctx.text, max(0, c.start_char - 60), c.start_char))


def _comparison_cuts(ctx, sent, spans: list) -> list:
    """(start, end) of each comparison in the sentence: from its word ("unlike", "like", "compared
    with") to the end of the council's phrase, with the relative clause that grades it ("unlike
    Hackney, which was rated good"), i.e. to the next comma or the sentence's end."""
    text, out = ctx.text, []
    k = 0
    while k < len(spans):
        c = spans[k]
        m = _COMPARISON.search(text, max(sent.start_char, c.start_char - 60), c.start_char)
        if not m:
            k += 1
            continue
        end = c.end_char
        while k + 1 < len(spans) and _LIST_GAP.fullmatch(text[end:spans[k + 1].start_char]):
            k += 1  # "like Camden and Hackney"
            end = spans[k].end_char
        stop = re.compile(r"[,;]|\s[–—]\s|\s-\s")
        rel = _RELATIVE_AFTER.match(text, end)
        first = stop.search(text, rel.end() if rel else end, sent.end_char)
        out.append((m.start(), first.start() if first else sent.end_char))
        k += 1
    return out


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
    spans = _council_spans(ctx, sent)
    comps = _comparison_cuts(ctx, sent, spans)
    if comps:
        return _around_comparisons(ctx, sent, spans, comps)
    mentions, seen = [], set()
    for c in spans:
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
    # "Of its neighbours, Camden is outstanding, Hackney requires improvement and Haringey is
    # inadequate": cut when two or more parts have grades of their own; an ungraded part grades no one
    if sum(1 for p in parts if any(p.start_char <= g < p.end_char for g in graded_starts)) < 2:
        return [sent]
    return parts


def _around_comparisons(ctx, sent, spans: list, comps: list) -> list:
    """The sentence cut around its comparisons: each comparison is its own stretch (its grades are
    the compared council's), and what follows one is about the council named before it, if any,
    else the text's ("The council was judged inadequate, unlike Hackney, which was rated good")."""
    cuts = sorted({sent.start_char, sent.end_char, *[x for c in comps for x in c]})
    parts, lead = [], []
    for a, b in zip(cuts, cuts[1:]):
        if a >= b:
            continue
        inside = any(lo <= a < hi for lo, hi in comps)
        own = [c.kb_id_ for c in spans if a <= c.start_char < b]
        parts.append(_Stretch(sent, a, b, ctx.text, lead=() if inside or own else lead))
        if not inside and own:
            lead = list(dict.fromkeys(own))
    return parts


def _paragraph_council(ctx, sent) -> list:
    """The one council named earlier in the sentence's paragraph: a paragraph of news speaks of one
    council ("A spokesman for Kent County Council said ... Inspectors found in October ...")."""
    para = ctx.layout.para_of(sent.start_char)
    if para < 0:
        return []
    named = {c.kb_id_ for c in _subjects(ctx, ctx.layout.paras[para][0], sent.start_char)
             if not _in_comparison(ctx, c)}
    return list(named) if len(named) == 1 else []


def _target_councils(ctx, sent, grades: list) -> list:
    """The councils a stretch's events are about: those it names, else the one "the borough"
    stands for, else its section's, else the document's own."""
    councils = _councils_in(ctx, sent) or getattr(sent, "lead", []) or _antecedent(ctx, sent) or _paragraph_council(ctx, sent)
    if not councils:
        sectioned, councils = _section_council(ctx, sent)
        if (sectioned and not councils) or _before_council_list(ctx, sent):
            return []  # the introduction of a round-up speaks of no one council
    if not councils and ctx.main_council:
        councils = [ctx.main_council[0]]
    # "The councils rated poor were: A, B, C and D": each listed council is graded
    return councils if grades and (len(councils) >= 3 or _listed(ctx, sent)) else councils[:1]
