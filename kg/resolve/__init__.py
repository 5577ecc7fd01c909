"""Cross-document resolution over cached facts.

- people: one node per person across documents (name variants, honorifics,
  initials where unambiguous);
- inspections: one node per inspection that several documents report (same
  council and kind, dates compatible or within the visit-to-publication
  window);
- derived facts in the resolved graph: each inspection's best date, the
  previous graded inspection, the direction of the overall grade, and
  conflicting judgements.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Optional

from rdflib import Graph, Literal
from rdflib.namespace import XSD

from ..extract.text_utils import name_key
from ..nlp.dates import has_year
from ..rdf.mapping import RESOLVED_GRAPH, date_bounds, date_literal, slug
from ..rdf.namespace import ID, KGO, concept

# Ofsted publishes a report some weeks after the visit; news follows publication.
PUBLICATION_WINDOW = timedelta(days=150)
RECORD_KINDS = ("report", "statistics")  # Ofsted's own word
REFERENCE_KINDS = ("reference",)  # shipped tables' pages (who led each council)
GRADE_ORDER = {"inadequate": 1, "requires_improvement": 2, "good": 3, "outstanding": 4}


def to_date(value: Optional[str], end: bool = False) -> Optional[date]:
    if not has_year(value):
        return None  # no date, or a day with no year
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)
    if len(parts) == 2:
        if end:
            nxt = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            return nxt - timedelta(days=1)
        return date(parts[0], parts[1], 1)
    return date(*parts)


def _interval(insp) -> Optional[tuple]:
    """The period in which the inspection's visit must lie."""
    if has_year(insp.visit_start):
        lo = to_date(insp.visit_start)
        hi = to_date(insp.visit_end or insp.visit_start, end=True)
        return lo, hi
    if has_year(insp.published):
        return to_date(insp.published) - PUBLICATION_WINDOW, to_date(insp.published, end=True)
    return None


def _precision(value: Optional[str]) -> int:
    """Longer is more precise; any date with a year beats a day without one."""
    return (len(value) + 100 * has_year(value)) if value else 0


@dataclass
class Cluster:
    council: str
    kind: str
    members: list = field(default_factory=list)  # (source_id, index, Inspection)
    lo: Optional[date] = None
    hi: Optional[date] = None

    def best(self, attr: str) -> Optional[str]:
        values = [getattr(m[2], attr) for m in self.members if getattr(m[2], attr)]
        return max(values, key=_precision) if values else None

    @property
    def when(self) -> Optional[str]:
        """The best dated start or publication; a day with no year says nothing of order."""
        return next((v for v in (self.best("visit_start"), self.best("published")) if has_year(v)), None)

    @property
    def key(self) -> str:
        when = self.when
        if when:
            return f"{self.council}-{self.kind}-{when}"
        sid, idx, _ = self.members[0]  # undated, or a day with no year: this mention's own node
        return f"{self.council}-{self.kind}-undated-{slug(sid)}-{idx}"


def authority(gss: str) -> str:
    """The same children's services authority across a 1:1 renaming of its code.

    Ofsted files North Yorkshire's 2018 inspection under the code the council
    got in 2023; news of 2018 names the county council's old code. A council
    replaced by exactly one successor is that successor for linking."""
    from ..nlp.gazetteer import default_gazetteer

    councils = default_gazetteer().councils
    seen = set()
    while gss in councils and len(councils[gss].replaced_by) == 1 and gss not in seen:
        seen.add(gss)
        gss = councils[gss].replaced_by[0]
    return gss


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def cluster_inspections(all_facts: list) -> list:
    groups: dict = {}
    for facts in all_facts:
        for idx, insp in enumerate(facts.inspections):
            key = (authority(insp.council_gss), insp.kind)
            groups.setdefault(key, []).append((facts.document.source_id, idx, insp))
    clusters = []
    for (council, kind), members in groups.items():
        # most precise first, so vaguer mentions join a well-dated cluster
        members.sort(key=lambda m: (-_precision(m[2].visit_start), -_precision(m[2].published), m[0], m[1]))
        mine: list = []
        for m in members:
            iv = _interval(m[2])
            target = None
            if iv is not None:
                fits = [c for c in mine if c.lo is not None and _overlaps((c.lo, c.hi), iv)]
                if fits:
                    # the tightest cluster that fits
                    target = min(fits, key=lambda c: (c.hi - c.lo))
            if target is None:
                target = Cluster(council, kind)
                mine.append(target)
                if iv is not None:
                    target.lo, target.hi = iv
            elif iv is not None:
                target.lo, target.hi = max(target.lo, iv[0]) if target.lo else iv[0], min(target.hi, iv[1]) if target.hi else iv[1]
                if target.lo > target.hi:
                    target.lo, target.hi = iv
            target.members.append(m)
        clusters.extend(_complete_years(mine))
    return clusters


def _complete_years(clusters: list) -> list:
    """A mention dated by day and month only ("September 26 to October 20") joins the one dated
    inspection of that council and kind whose visit began on that day, if there is exactly one."""
    dated = [c for c in clusters if has_year(c.best("visit_start"))]
    out = []
    for c in clusters:
        day = c.best("visit_start")
        if day and not has_year(day) and c.lo is None:
            same = [d for d in dated if d.best("visit_start")[4:] == day[1:]]
            if len(same) == 1:
                same[0].members.extend(c.members)
                continue
        out.append(c)
    return out


def person_keys(all_facts: list) -> dict:
    """name -> canonical person key; initials and bare surnames join a unique full name."""
    names, tabled = set(), set()
    for facts in all_facts:
        if facts.document.kind in REFERENCE_KINDS:
            # a table's full names are the same people as the same names in the texts, but a bare
            # surname in a text must not join a leader of some other council
            tabled.update(p.name for p in facts.people)
            continue
        names.update(p.name for p in facts.people)
        names.update(q.speaker for q in facts.quotes if q.speaker != "Ofsted")
        names.update(i.lead_inspector for i in facts.inspections if i.lead_inspector)
    keys = {n: name_key(n) for n in names}
    full = {k for k in keys.values() if len(k.split()) >= 2 and all(len(t) > 1 for t in k.split())}
    out = {}
    for name, key in keys.items():
        parts = key.split()
        if key in full or not parts:
            out[name] = key
            continue
        candidates = [f for f in full if f.split()[-1] == parts[-1] and (len(parts) == 1 or f[0] == parts[0][0])]
        out[name] = candidates[0] if len(candidates) == 1 else key
    for name in tabled - names:
        out[name] = name_key(name)
    return out


def resolve(all_facts: list) -> tuple:
    """Return (person key map, inspection key map, resolved graph)."""
    clusters = cluster_inspections(all_facts)
    insp_keys = {}
    for c in clusters:
        for sid, idx, _ in c.members:
            insp_keys[(sid, idx)] = c.key
    record = record_members(all_facts)
    g = resolved_graph(clusters, record)
    from .claims import add_claims

    add_claims(g, clusters, all_facts, _inspection_node, record)
    return person_keys(all_facts), insp_keys, g


REPORT_WINDOW = timedelta(days=366)  # a report is published within months of its own visit


def record_members(all_facts: list) -> frozenset:
    """(source id, index) of the inspections the record states of itself: every row of the statistics,
    and a report's own inspection, not the earlier ones it recalls ("the last inspection, in March
    2019, ..."), which are a retelling like any other."""
    out = set()
    for facts in all_facts:
        doc = facts.document
        if doc.kind not in RECORD_KINDS:
            continue
        published = to_date(doc.published, end=True) if doc.kind == "report" else None
        for idx, insp in enumerate(facts.inspections):
            when = to_date(insp.visit_end or insp.visit_start, end=True) or to_date(insp.published, end=True)
            if published is None or when is None or published - when <= REPORT_WINDOW:
                out.add((doc.source_id, idx))
    return frozenset(out)


def _inspection_node(key: str):
    return ID[f"inspection/{slug(key)}"]


def resolved_graph(clusters: list, record_sources: frozenset = frozenset()) -> Graph:
    """``record_sources``: the (source id, index) pairs of :func:`record_members`."""
    g = Graph(identifier=RESOLVED_GRAPH)
    by_council: dict = {}
    for c in clusters:
        node = _inspection_node(c.key)
        when = c.when
        lit = date_literal(when)
        if lit is not None:
            g.add((node, KGO.inspectionDate, lit))
            bounds = date_bounds(when)  # the best date's day-precision bounds
            if bounds:
                g.add((node, KGO.earliest, Literal(bounds[0], datatype=XSD.date)))
                g.add((node, KGO.latest, Literal(bounds[1], datatype=XSD.date)))
        grades = {}
        judgements = []
        record_overall = []
        for sid, idx, insp in c.members:
            for k, j in enumerate(insp.judgements):
                judgements.append((j.area, j.grade, ID[f"judgement/{slug(sid)}/{idx}-{k}"]))
                if j.area == "overall" and (sid, idx) in record_sources:
                    record_overall.append(j.grade)
        for area, grade, jn in judgements:
            for area2, grade2, jn2 in judgements:
                if area == area2 and grade != grade2 and jn != jn2:
                    g.add((jn, KGO.conflictsWith, jn2))
        # the record (Ofsted's report or statistics) decides; otherwise the sources' majority
        checked = [g for g in record_overall if g in GRADE_ORDER]
        overall = checked or [gr for a, gr, _ in judgements if a == "overall" and gr in GRADE_ORDER]
        if overall and when and c.kind == "full_inspection":
            grades = max(sorted(set(overall)), key=overall.count)  # sorted: a tie must not depend on set order
            by_council.setdefault(c.council, []).append((to_date(when), node, grades, bool(checked)))
    for council, items in by_council.items():
        items.sort(key=lambda t: t[0])
        # the record's (and so confirmed) grades only; and every source's, unchecked ones included
        _chain(g, [t for t in items if t[3]], KGO.previousInspection, KGO.overallGradeChange)
        _chain(g, items, KGO.previousReportedInspection, KGO.reportedGradeChange)
    return g


def _chain(g: Graph, items: list, previous, change) -> None:
    for (d0, n0, g0, _), (d1, n1, g1, _) in zip(items, items[1:]):
        g.add((n1, previous, n0))
        delta = GRADE_ORDER[g1] - GRADE_ORDER[g0]
        direction = "improved" if delta > 0 else "declined" if delta < 0 else "unchanged"
        g.add((n1, change, concept("direction", direction)))
