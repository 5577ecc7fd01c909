"""Events grouped into inspections (council, kind, compatible dates; undated ones join the
current inspection or the one before it), and what follows from the whole set."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Optional

from ...model import Document, Inspection
from ...nlp.dates import compatible, has_year
from ..text_utils import evidence
from .cues import _WITH_CARE_LEAVERS
from .rules import Event, _months


def _date_key(ev: Event) -> Optional[str]:
    return ev.visit[0] or ev.published or ev.year


def _date_key_of(insp: Inspection) -> Optional[str]:
    return insp.visit_start or insp.published


def _days_apart(a: str, b: str) -> int:
    """Days between two full dates; a large number unless both are full dates."""
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)
    except (TypeError, ValueError):
        return 10 ** 6


def _same_time(insp: Inspection, ev: Event) -> bool:
    """Could this dated event describe this inspection?"""
    if ev.visit[0] and insp.visit_start:
        return compatible(insp.visit_start, ev.visit[0])
    if ev.published and insp.published:
        # "the report, published yesterday" and "today's report": one report, a day apart
        return compatible(insp.published, ev.published) or _days_apart(insp.published, ev.published) <= 7
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
            same = next((k for k, x in enumerate(insp.judgements) if x.area == j.area and x.grade == j.grade), None)
            if same is None:
                insp.judgements.append(j)
            elif j.area_as_written and not insp.judgements[same].area_as_written:
                insp.judgements[same] = j  # the wording that names the area is the better evidence
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
            if ev.approx:
                # "a decade after it was judged inadequate": the inspection of about that year, else one of its own
                near = [i for i in inspections if i.council_gss == ev.council and i.kind == ev.kind and i is not cur
                        and has_year(_date_key_of(i)) and abs(int(_date_key_of(i)[:4]) - int(ev.approx)) <= 1]
                target = min(near, key=lambda i: abs(int(_date_key_of(i)[:4]) - int(ev.approx))) if near else None
                if target is None:
                    target = new(ev)
                    target.visit_start = ev.approx
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


def _one_overall(insp: Inspection) -> None:
    """An inspection has one overall grade: where the text names it ("overall effectiveness was
    inadequate") and a bare grade elsewhere differs (a headline's second grade, a sub-judgement's),
    the named one stands."""
    overall = [j for j in insp.judgements if j.area == "overall"]
    named = [j for j in overall if j.area_as_written]
    if len({j.grade for j in overall}) < 2 or not named:
        return
    grades = {j.grade for j in named}
    insp.judgements = [j for j in insp.judgements if j.area != "overall" or j.area_as_written or j.grade in grades]
