"""Every inspection and judgement a news or council document reports, checked against the record.

The record is what Ofsted publishes: its reports and its statistics (with the
D2I overview, a copy of its report pages). A claim is one document's
inspection, or one judgement of it, and gets one status:

``confirmed``
    the inspection's node also comes from a record source (and, for a
    judgement, the record gives the area the same grade);
``contradicted``
    the record gives the area another grade, or it has no inspection of that
    council and kind at the claimed date but has one within
    :data:`NEAR` of it (the claim's date is wrong, or a second retelling of
    one inspection was read as another);
``unconfirmed``
    the record is complete for that council, kind and period and has no such
    inspection (for a judgement: the record's statistics give the inspection
    but not that area);
``beyond_record``
    the build's record does not cover that kind or period completely, or the
    claim has no usable date: the record can neither confirm nor deny it.

Completeness comes from the statistics tables a build holds (recognised by
their table id, the part of the source id after ``#``):

* ``history`` (every ILACS standard and short inspection): full inspections
  of every council from :data:`ILACS_START` to the release's as-at date;
* ``in-year`` (every inspection and visit of one year): full inspections,
  focused and monitoring visits of every council in the year to the as-at date;
* ``latest`` and ``overview`` (each council's most recent ILACS inspection):
  full inspections of that council from that inspection's start to the
  as-at date (a later one would have been the latest).

A claim's period is the interval resolution uses (its visit dates, or the
publication window before its publication date); it is unconfirmed only if
the whole period lies inside one complete stretch.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Optional

from rdflib import Graph
from rdflib.namespace import RDF

from ..rdf.mapping import date_literal, doc_iri, slug
from ..rdf.namespace import ID, KGO, PROV, concept

ILACS_START = date(2018, 1, 1)  # the first ILACS inspections began in January 2018
NEAR = timedelta(days=183)  # a record inspection this close to a claim's date is "the same one, dated otherwise"
CLAIM_KINDS = ("news", "press_release", "blog", "minutes")  # sources that retell the record
AS_AT = re.compile(r"as at (\d{1,2} \w+ \d{4})", re.I)


def _as_at(document) -> Optional[date]:
    """The date a statistics table is complete to: 'as at 31 March 2025' in its title, else its date."""
    import datetime as dt

    m = AS_AT.search(document.title or "")
    if m:
        try:
            return dt.datetime.strptime(m.group(1), "%d %B %Y").date()
        except ValueError:
            pass
    from . import to_date

    return to_date(document.published, end=True) if document.published else None


def coverage(all_facts: list) -> dict:
    """(council or None for every council, kind) -> [(lo, hi, source_id)]: where the record is complete."""
    from . import authority, to_date

    out: dict = {}
    for facts in all_facts:
        doc = facts.document
        if doc.kind != "statistics" or "#" not in doc.source_id:
            continue
        table = doc.source_id.rsplit("#", 1)[1]
        as_at = _as_at(doc)
        if as_at is None:
            continue
        sid = doc.source_id
        if table == "history":
            out.setdefault((None, "full_inspection"), []).append((ILACS_START, as_at, sid))
        elif table == "in-year":
            start = date(as_at.year - 1, as_at.month, as_at.day) + timedelta(days=1)
            for kind in ("full_inspection", "focused_visit", "monitoring_visit"):
                out.setdefault((None, kind), []).append((start, as_at, sid))
        elif table in ("latest", "overview"):
            for insp in facts.inspections:
                when = to_date(insp.visit_start) or (to_date(insp.published) if insp.published else None)
                if when is not None and insp.kind == "full_inspection":
                    out.setdefault((authority(insp.council_gss), "full_inspection"), []).append((when, as_at, sid))
    return out


def _covering(cov: dict, council: str, kind: str, lo: date, hi: date) -> list:
    """Record sources whose complete stretch holds the whole period."""
    return sorted({sid for key in ((None, kind), (council, kind)) for a, b, sid in cov.get(key, ())
                   if a <= lo and hi <= b})


def claim_statuses(clusters: list, kinds: dict, cov: dict, record_members: frozenset = None) -> list:
    """One (claim key, source id, cluster, member index, judgement index or None, status, record sources,
    record cluster or None) per claim, in cluster order."""
    from . import _interval

    def in_record(sid, idx):
        if record_members is not None:
            return (sid, idx) in record_members
        return kinds.get(sid) in ("report", "statistics")

    record_clusters: dict = {}
    for c in clusters:
        if any(in_record(sid, idx) for sid, idx, _ in c.members):
            record_clusters.setdefault((c.council, c.kind), []).append(c)
    out = []
    for c in clusters:
        record = sorted({sid for sid, idx, _ in c.members if in_record(sid, idx)})
        stats = [sid for sid in record if kinds.get(sid) == "statistics"]
        record_judgements: dict = {}
        for sid, idx, insp in c.members:
            if in_record(sid, idx):
                for j in insp.judgements:
                    record_judgements.setdefault(j.area, set()).add(j.grade)
        for sid, idx, insp in c.members:
            if kinds.get(sid) not in CLAIM_KINDS:
                continue
            near = None
            if record:
                status, against = "confirmed", record
            else:
                iv = _interval(insp)
                if iv is None:
                    status, against = "beyond_record", []
                else:
                    near = _nearest(record_clusters.get((c.council, c.kind), ()), iv)
                    if near is not None:
                        status = "contradicted"
                        against = sorted({s for s, i, _ in near.members if in_record(s, i)})
                    else:
                        against = _covering(cov, c.council, c.kind, *iv)
                        status = "unconfirmed" if against else "beyond_record"
            out.append((sid, idx, None, status, against, near, c))
            for k, j in enumerate(insp.judgements):
                if status != "confirmed":
                    out.append((sid, idx, k, status, against, near, c))
                elif j.grade in record_judgements.get(j.area, ()):
                    out.append((sid, idx, k, "confirmed", record, None, c))
                elif j.area in record_judgements:
                    out.append((sid, idx, k, "contradicted", record, None, c))
                elif stats:  # the statistics give every judgement line of an inspection
                    out.append((sid, idx, k, "unconfirmed", stats, None, c))
                else:
                    out.append((sid, idx, k, "beyond_record", record, None, c))
    return out


def _nearest(candidates, iv: tuple):
    best, gap = None, None
    for c in candidates:
        if c.lo is None:
            continue
        d = max(c.lo - iv[1], iv[0] - c.hi, timedelta(0))
        if d <= NEAR and (gap is None or d < gap):
            best, gap = c, d
    return best


def add_claims(g: Graph, clusters: list, all_facts: list, inspection_node, record_members: frozenset = None) -> int:
    """Claim nodes with their statuses into the resolved graph; returns how many."""
    kinds = {f.document.source_id: f.document.kind for f in all_facts}
    statuses = claim_statuses(clusters, kinds, coverage(all_facts), record_members)
    for sid, idx, k, status, against, near, c in statuses:
        insp = next(m[2] for m in c.members if m[0] == sid and m[1] == idx)
        s = slug(sid)
        node = ID[f"claim/{s}/{idx}" + ("" if k is None else f"-{k}")]
        g.add((node, RDF.type, KGO.Claim))
        g.add((node, RDF.type, PROV.Entity))
        g.add((node, KGO.claimOf, inspection_node(c.key) if k is None else ID[f"judgement/{s}/{idx}-{k}"]))
        g.add((node, KGO.claimStatus, concept("status", status)))
        g.add((node, PROV.wasDerivedFrom, doc_iri(sid)))
        lit = date_literal(insp.visit_start) or date_literal(insp.published)
        if lit is not None:
            g.add((node, KGO.claimedDate, lit))
        for r in against:
            g.add((node, KGO.checkedAgainst, doc_iri(r)))
        if near is not None:
            g.add((node, KGO.recordInspection, inspection_node(near.key)))
    return len(statuses)

