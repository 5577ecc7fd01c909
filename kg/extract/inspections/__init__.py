"""Inspections, visits and graded judgements in news and minutes.

Each sentence that speaks of an inspection (a kind phrase, a grade in a
grading context, an inspection date) yields an *event*; events about the same
council, kind and time are merged into one inspection. The document's main
inspection is the latest full one (or the visit the text is about); earlier
ones come from dated or "previous/last" mentions.

The modules, in the order they build on each other: ``cues`` (the cue patterns,
``kg/data/inspection_cues.json``), ``grading`` (is a grade word a grade here),
``targets`` (which council a stretch speaks of), ``areas`` (which area each grade
is for), ``rules`` (the stretch rules that make events), ``events`` (every stretch
of a document through the rules), ``merge`` (events grouped into inspections).
"""
from __future__ import annotations

from ..base import Extractor
from .events import sentence_events
from .merge import _one_overall, _same_overall, _split_care_leavers, merge_events
from .rules import _framework_for


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
        _one_overall(insp)
        # monitoring and focused visits are not graded: grades there are the last inspection's
        if insp.kind in ("monitoring_visit", "focused_visit") and insp.judgements:
            insp.judgements = []
    return inspections


class InspectionExtractor(Extractor):
    """Inspections and their judgements (news, minutes, web pages; reports have their own reader)."""

    name, assigns = "inspections", "inspections"

    def __call__(self, ctx) -> list:
        return extract_inspections(ctx)


__all__ = ["InspectionExtractor", "extract_inspections", "merge_events", "sentence_events"]
