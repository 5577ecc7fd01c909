"""The stretch rules: one kind's part of a sentence, for one council, becomes events (the
inspection it speaks of and earlier ones its time words point to), rule by rule."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Optional

from ...model import Judgement
from ...nlp.dates import NUMWORDS, compatible, has_year
from .cues import _FALL_FROM, _AGAIN, _ALL_AREAS, _CONTRAST, _EXCEPT, _FROM_TO, _GRADING_VERB, _GRADE_YEAR_GAP, _KEPT, _LIST_INTRO, _MOVE, _MOVE_FROM, _MOVE_TO, _OTHER_EVENT, _PAST, _PAST_DATE, _PAST_MARK, _PAST_TENSE_GRADING, _PLANNED, _PUBLISHED, _SAME_OVERALL, _SINCE_THE, _VISIT_VERB, _WHEN_GRADED, _WHEN_LAST, _YEAR_GRADE_GAP
from .grading import graded
from .areas import _date_of_earlier, _judgements_in, _looks_back


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
    approx: Optional[str] = None  # a year counted back ("a decade after"): joins an inspection within a year of it


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


def _months(value: str) -> Optional[int]:
    """Months since year 0; None for a day with no year ("--09-26")."""
    if not has_year(value):
        return None
    parts = value.split("-")
    return int(parts[0]) * 12 + (int(parts[1]) if len(parts) > 1 else 6)


def _date_role(region_text: str, pre: str, post: str, value: str, kind: str) -> str:
    """'published' or 'visit' for a date in an inspection stretch."""
    if re.search(r"\b(?:published|released|issued|dated|report|letter),?\s+(?:on\s+|in\s+)?$", pre, re.I):
        return "published"  # the word right before the date says what it dates ("Ofsted report, May 2017")
    if re.search(r"\b(?:inspection|visit|inspected|re-inspection)\s+(?:(?:in|on|between|from|during|last|this)\s*)?$", pre[-40:], re.I):
        return "visit"  # "following a full inspection in October"
    if re.search(r"\b(?:began|begun|started|starting|commenced|beginning|began on|ended|finished|took place)\s+(?:on|in|from|between)?\s*(?:the\s+)?$", pre[-40:], re.I):
        return "visit"  # "an inspection that began on 13 March 2023"
    if _PUBLISHED.search(pre[-70:]) and not _VISIT_VERB.search(pre[-25:]):
        return "published"
    if re.match(r"\s*(?:saw|brought|marked)\s+the\s+publication|['’]s\s+(?:\w+\s+)?(?:report|letter|publication)\b", post, re.I):
        return "published"  # "today's report"
    if re.match(r",?\s*(?:(?:ofsted|the (?:inspectorate|watchdog|regulator)|inspectors|the council)\s+)?"
                r"(?:(?:has|have|had|formally|officially|finally)\s+){0,2}(?:received|published|released|issued|got)\s+(?:the|its|their|an?)\s+(?:[\w-]+\s+){0,2}"
                r"(?:report|letter|findings|results?|verdict)\b", post, re.I):
        return "published"  # "has today received the report of Ofsted's inspection"
    if len(value) > 4 and kind == "full_inspection" and _GRADING_VERB.search(region_text) and not _VISIT_VERB.search(region_text):
        return "published"  # "judged inadequate in December 2016": when the verdict came out
    return "visit"


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
    move: tuple = ()  # (earlier grade, later grade) of a move between inspections
    move_dates: list = field(default_factory=list)  # the dates written between the two: the earlier one's
    year_grades: list = field(default_factory=list)  # (date span, grade span): each grade of a list of years

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


def _rule_move_dates(d: _Draft) -> None:
    """"moved up from requires improvement, the grade it was given in 2019, to good": a move between two
    grades; the dates written between them are the earlier inspection's, not this one's."""
    text = d.text
    for g1, g2 in zip(d.grades, d.grades[1:]):
        if _MOVE_FROM.search(text[max(d.lo, g1.start_char - 40):g1.start_char]) \
                and _MOVE_TO.match(text[g1.end_char:g2.start_char]):
            d.move = (g1, g2)
            d.move_dates = [x for x in d.dates if g1.end_char <= x.start_char < g2.start_char]
            d.dates = [x for x in d.dates if x not in d.move_dates]
            return


def _of_grade(j: Judgement, g) -> bool:
    """Is this judgement the one read from grade span g? (Its evidence runs from the grade to its
    area or from its area to the grade.)"""
    return j.evidence.start == g.start_char or j.evidence.end == g.end_char


def _year_of(d: _Draft, g):
    """The date written right beside a grade ("2018: good", "good (2018)", "good in 2019"), or None."""
    text = d.text
    for x in d.dates:
        if x._.date_value[2] not in ("y", "my") or not has_year(x._.date_value[0]):
            continue
        if x.end_char <= g.start_char and _YEAR_GRADE_GAP.fullmatch(text[x.end_char:g.start_char]):
            return x
        if g.end_char <= x.start_char and _GRADE_YEAR_GAP.fullmatch(text[g.end_char:x.start_char]):
            return x
    return None


def _rule_year_list_dates(d: _Draft) -> None:
    """"2014 requires improvement; 2018 good; 2022 outstanding": two or more grades each with its own
    year are that many inspections (the history of a council in minutes, a timeline); their years are
    theirs, not this stretch's."""
    pairs = [(x, g) for g in d.grades for x in [_year_of(d, g)] if x is not None]
    if len({x.start_char for x, _ in pairs}) < 2 or len({x._.date_value[0] for x, _ in pairs}) < 2:
        return
    d.year_grades = pairs
    used = {x.start_char for x, _ in pairs}
    d.dates = [x for x in d.dates if x.start_char not in used]


def _rule_year_list(d: _Draft) -> None:
    """Each grade of a list of years goes to the inspection of its year."""
    if not d.year_grades:
        return
    latest = max(x._.date_value[0] for x, _ in d.year_grades)
    by_year: dict = {}
    for x, g in d.year_grades:
        mine = [j for j in d.judgements if _of_grade(j, g)]
        if mine:
            by_year.setdefault(x._.date_value[:2], (x, []))[1].extend(mine)
    for (start, end), (x, judgements) in by_year.items():
        ev = d.event(past=start != latest or bool(d.pub and _months(d.pub) - _months(start) > 10))
        pre = d.text[max(d.lo, x.start_char - 100):x.start_char]
        if _date_role(d.region, pre, d.text[x.end_char:x.end_char + 40], start, d.kind) == "published":
            ev.published = start  # "judged inadequate in 2010 and adequate in 2012": when the verdicts came out
        else:
            ev.visit = (start, end)
        ev.judgements = judgements
        d.out.append(ev)
    taken = [j for _, js in by_year.values() for j in js]
    d.judgements = [j for j in d.judgements if j not in taken]


def _rule_dates(d: _Draft) -> None:
    """Each date is the visit's or the report's, an earlier inspection's ("previous inspection
    in 2019"), or another event's (a deadline, a meeting, a job move) and then ignored."""
    text, ev, lo, hi = d.text, d.ev, d.lo, d.hi
    for x in d.dates:
        start, end, _ = x._.date_value
        pre = text[max(lo, x.start_char - 100):x.start_char]
        post = text[x.end_char:min(hi, x.end_char + 60)]
        fall = _FALL_FROM.search(pre)
        if fall and d.past_event is None and not d.move:
            # "assessed as performing poorly, a fall from the previous year's assessment": that date is the
            # earlier one's, the grade before it this one's
            past = d.past_event = d.event(past=True)
            past.visit, past.cue_at = (start, end), max(lo, x.start_char - 100) + fall.start()
            continue
        cue = _PAST_DATE.search(pre)
        if cue and re.match(r"follow|after", cue.group(), re.I) and (
                (d.pub and has_year(start) and 0 <= _months(d.pub) - _months(start) <= 10)
                or (not d.pub and re.match(r"\w+ (?:the|its|their) inspection\b", cue.group(), re.I))):
            # "rated good after an inspection in January", in April; "following the inspection in
            # May" in an undated text: this inspection, not an earlier one
            cue = None
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
        if (re.search(r"\b(?:by|before|until)\s*$", pre) or re.match(r"(?:by|before|until)\b", x.text, re.I)) and re.search(r"\b(?:will|would|to|must|should|has until|expected|due)\b",
                                                                   pre[-60:], re.I):
            continue  # "report back by 1 December": a deadline, not an inspection date
        if x.text.lower() == "today" and not re.search(r"publish|report|letter|rated|judged|graded|inspection|visit|releas",
                                                        d.region, re.I):
            continue  # "Today it is, and inspectors have recognised that": nowadays, no inspection's date
        if not d.grades and re.search(r"\bsince\s*$", pre, re.I) and not cue:
            continue  # "the local offer has been strengthened since 2022": a change's date, no inspection's
        other = _OTHER_EVENT.search(pre[-95:])
        if other and not re.search(r"inspect|visit", pre[-95:][max(0, other.start() - 15):], re.I):
            continue  # "who joined Swindon in March", "at a council meeting on 21 September"
        role = _date_role(d.region, pre, post, start, d.kind)
        if role == "published":
            ev.published = ev.published or start
        elif ev.visit == (None, None) or (len(start) > len(ev.visit[0]) and compatible(start, ev.visit[0])):
            ev.visit = (start, end)  # "this summer, from 17 to 28 July": the precise one
        if (d.pub and has_year(start) and _months(d.pub) - _months(start) > 10) or re.search(r"\bsince\s+(?:the|its|their)\s*$", pre, re.I):
            ev.past = True  # long before the text, or "since the 2016 inspection" in an undated one


def _rule_grades(d: _Draft) -> None:
    """The stretch's (area, grade) pairs."""
    d.judgements = _judgements_in(d.ctx, d.grades, d.areas, d.lo)


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


def _rule_kept(d: _Draft) -> None:
    """"held on to the outstanding rating it earned in 2020", "kept its good rating from 2019": the
    earlier inspection of that year gave the grade too."""
    kept = [j for j in d.judgements if _KEPT.search(d.text, max(d.lo, j.evidence.start - 40), j.evidence.start)]
    if not kept or not has_year(d.pub):
        return
    old = [x for x in d.ctx.spans_in("dates", d.lo, d.hi)
           if has_year(x._.date_value[0]) and _months(d.pub) - _months(x._.date_value[0]) > 10]
    if not old:
        return
    start, end, _ = old[0]._.date_value
    prev = d.event(past=True)
    prev.visit, prev.judgements = (start, end), [replace(j) for j in kept]
    d.out.append(prev)
    if d.ev.visit[0] == start:
        d.ev.visit = (None, None)  # the old year was read as this inspection's
        d.ev.past = _looks_past(d.region)


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
    earlier = [j for j in d.judgements if _looks_back(d.text, j)
               and not (d.move and j.evidence.start <= d.move[0].start_char < j.evidence.end)]  # a move's: _rule_move
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
    if d.move:
        g1 = d.move[0]
        first = [j for j in d.judgements if _of_grade(j, g1)]
        if first and len(first) < len(d.judgements):
            prev = d.event(past=True)
            prev.judgements = first
            if d.move_dates:
                start, end, _ = d.move_dates[0]._.date_value
                prev.visit = (start, end)
            d.out.append(prev)
            d.judgements = [j for j in d.judgements if j not in first]
            return
    # "improved from inadequate to good" (not "on site from 20 to 24 May, rated ... good and ... outstanding")
    if len(d.grades) >= 2 and len(d.judgements) >= 2 and _MOVE.search(d.region) and any(
            d.lo + m.start() < d.grades[0].start_char < d.lo + m.end() for m in _FROM_TO.finditer(d.region)):
        prev = d.event(past=True)
        prev.judgements = [d.judgements[0]]
        d.out.append(prev)
        d.judgements = d.judgements[1:]


def _rule_past_mark(d: _Draft) -> None:
    """"rated good ... since being rated inadequate": the grades after the mark look back."""
    marks = _past_marks(_PAST_MARK, d.region)
    mark = marks[0] if marks else None
    # (a date before the mark is this inspection's: "rated good last month, a decade after it was judged inadequate")
    if d.past_event is None and not d.ev.past and mark and d.judgements \
            and not any(x.end_char > d.lo + mark.start() for x in d.dates):
        cut = d.lo + mark.start()
        back = [j for j in d.judgements if j.evidence.start >= cut]
        if re.match(r"after|before", mark.group(), re.I) and len(back) == len(d.judgements) \
                and not re.search(r"\b(?:years?|months?|decades?)\s+$", d.text[max(0, cut - 20):cut], re.I):
            return  # "vowed to improve after it was rated inadequate": with no grade before it, the news itself
        if back:
            prev = d.event(past=True)
            prev.judgements = back
            prev.approx = _years_before(d, d.text[max(d.lo, cut - 40):cut])
            d.out.append(prev)
            d.judgements = [j for j in d.judgements if j.evidence.start < cut]


def _years_before(d: _Draft, head: str) -> Optional[str]:
    """"a decade after", "two years after": the year that many years before this inspection's, or None."""
    m = re.search(r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(years?|decades?)\s*(?:after|since)?\s*$",
                  head, re.I)
    now = d.ev.visit[0] or d.ev.published or d.pub
    if not m or not has_year(now):
        return None
    n = m.group(1).lower()
    n = int(n) if n.isdigit() else NUMWORDS[n]
    n *= 10 if m.group(2).lower().startswith("decade") else 1
    return f"{int(now[:4]) - n:04d}"


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


def _plural(d: _Draft) -> bool:
    """Does the stretch name its kind in the plural ("monitoring visits")?"""
    return any(k.text.lower().endswith("s") and d.lo <= k.start_char < d.hi for k in d.kinds if k.kb_id_ == d.kind)


def _rule_one_per_year(d: _Draft) -> None:
    """"monitoring visits in 2021 and 2022", "visits in April and at the end of July": one each."""
    d.ev.judgements = d.judgements
    plural = _plural(d)
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
STRETCH_RULES = (_rule_flags, _rule_move_dates, _rule_year_list_dates, _rule_background_years, _rule_dates, _rule_grades,
                 _rule_year_list, _rule_kept, _rule_all_areas, _rule_looked_back,
                 _rule_visit_grades, _rule_now, _rule_move, _rule_past_mark, _rule_past_event_grades,
                 _rule_one_per_year, _rule_annual_dates, _rule_same_grade, _rule_keep)
