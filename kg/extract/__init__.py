"""Extraction: a processed spaCy Doc plus its Document -> DocumentFacts.

``extract()`` builds one :class:`~kg.extract.context.ExtractionContext` per
document and runs ``EXTRACTORS`` over it in order (see :mod:`kg.extract.base`
for the extractor shape and how to add one).
"""
from __future__ import annotations

import dataclasses

from ..model import DocumentFacts
from ..sources.dates_meta import normalise_published
from .base import Extractor, run
from .context import ExtractionContext
from .councils import council_mentions, main_council
from .findings import FindingExtractor
from .inspections import InspectionExtractor
from .people import PeopleExtractor
from .quotes import QuoteExtractor

__all__ = ["EXTRACTORS", "ExtractionContext", "Extractor", "council_mentions", "extract", "main_council"]


class FindingLinker(Extractor):
    """Ties each finding to its council's inspection: the one spoken of in the same
    sentence, else the latest one (news reports the newest report's findings)."""

    name, assigns, requires = "link_findings", "findings", ("inspections", "findings")

    def __call__(self, ctx) -> list:
        for f in ctx.findings:
            mine = [(i, insp) for i, insp in enumerate(ctx.inspections) if insp.council_gss == f.council_gss]
            if not mine:
                f.inspection_index = None
                continue
            same = [i for i, insp in mine if f.evidence is not None and insp.evidence is not None
                    and insp.evidence.start <= f.evidence.start < insp.evidence.end]
            if same:
                f.inspection_index = same[0]
                continue
            f.inspection_index = max(mine, key=lambda p: (p[1].visit_start or p[1].published or "", -p[0]))[0]
        return ctx.findings


# the order matters: each extractor after those it requires
EXTRACTORS = (PeopleExtractor(), QuoteExtractor(), InspectionExtractor(), FindingExtractor(), FindingLinker())


def extract(doc, document, extractors=EXTRACTORS) -> DocumentFacts:
    # loaders normalise the date; a Document made by hand (the Python API, tests) may not
    published = normalise_published(document.published)
    if published != document.published:
        document = dataclasses.replace(document, published=published)
    return run(ExtractionContext.build(doc, document), extractors)
