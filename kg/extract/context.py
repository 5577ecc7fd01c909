"""What every extractor reads about one document, built once in ``extract()``.

The context replaces the per-extractor ways of keeping document state (module
globals keyed by ``id(doc)``, ``doc.user_data``, private context classes):
one text, one spaCy doc, one layout (paragraphs, sentences, quotation spans:
one sentence splitter and one quotation detector for all extractors), the
councils named and the main one, the facts found so far, and the lexicons.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Optional

from ..model import DocumentFacts
from .quotes import Layout, layout


class Lexicons:
    """The validated rule and lexicon files, each loaded once per process (its loader caches)."""

    @cached_property
    def patterns(self) -> tuple:
        """Grade, area, kind, framework and role patterns (``kg/data/patterns/*.jsonl``)."""
        from ..nlp.patterns import load_patterns

        return load_patterns()

    @cached_property
    def quotes(self) -> dict:
        """Speech verbs and speaker words (``kg/data/quotes_lexicon.json``), compiled."""
        from .quotes import _lex

        return _lex()

    @cached_property
    def findings(self) -> dict:
        """Reporting cues and evaluative words (``kg/data/findings_lexicon.json``), compiled."""
        from .findings import _lex

        return _lex()


LEXICONS = Lexicons()


def _by_start(spans) -> tuple:
    ordered = sorted(spans, key=lambda s: s.start_char)
    return [s.start_char for s in ordered], ordered


@dataclass(frozen=True)
class CouncilSpan:
    """A council named in the text, resolved for the document's date (span-shaped: the
    council ruler's ``kb_id_`` is the name's council on no particular date)."""

    start_char: int
    end_char: int
    text: str
    kb_id_: str


@dataclass
class ExtractionContext:
    """One document as the extractors see it.

    ``facts`` collects each extractor's output as :func:`kg.extract.base.run`
    goes, so ``ctx.people`` is the people found so far. Hand-built contexts
    (tests) need only the fields the extractor under test reads.
    """

    document: Any  # kg.model.Document
    doc: Any = None  # the processed spaCy Doc (spans: councils, GRADE, AREA, KIND, FRAMEWORK, ROLE, dates)
    text: str = ""
    layout: Optional[Layout] = None
    councils: list = field(default_factory=list)  # CouncilMention, one per council named
    council_spans: Optional[list] = None  # CouncilSpan, every mention that names a council here
    main_council: Optional[tuple] = None  # (gss, name) of the council the document is about
    lexicons: Lexicons = LEXICONS
    facts: Optional[DocumentFacts] = None
    # the people extractor's map from a name as written to the full name found in the document
    people_resolver: Optional[Callable[[str], Optional[str]]] = None
    _memo: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if not self.text:
            self.text = self.document.text
        if self.council_spans is None:
            self.council_spans = [CouncilSpan(c.start_char, c.end_char, c.text, c.kb_id_)
                                  for c in (self.doc.spans["councils"] if self.doc is not None else [])]
        if self.layout is None:
            self.layout = layout(self.text)
        if self.facts is None:
            self.facts = DocumentFacts(document=self.document, councils=self.councils)

    @classmethod
    def build(cls, doc, document) -> "ExtractionContext":
        """The context of a processed doc: layout, councils and the main council found once
        (one gazetteer look-up per council span, shared by the mentions, the spans and the main council)."""
        from .councils import council_hits, council_mentions, main_council

        hits = council_hits(doc, document)
        mentions = council_mentions(doc, document, hits)
        spans = [CouncilSpan(span.start_char, span.end_char, span.text, gss) for span, gss, _ in hits]
        return cls(document=document, doc=doc, text=document.text, councils=mentions, council_spans=spans,
                   main_council=main_council(doc, document, mentions, hits))

    def spans_in(self, label: str, start: int, end: int) -> list:
        """The spans of ``doc.spans[label]`` that start in [start, end), found by bisection on an
        index built once per document (extractors ask this for every sentence)."""
        starts, spans = self.memo(("spans_in", label), lambda: _by_start(self.doc.spans[label]))
        return spans[bisect_left(starts, start):bisect_left(starts, end)]

    def councils_in(self, start: int, end: int) -> list:
        """The council spans (resolved for the document's date) that start in [start, end)."""
        starts, spans = self.memo("councils_in", lambda: _by_start(self.council_spans))
        return spans[bisect_left(starts, start):bisect_left(starts, end)]

    @property
    def people(self) -> list:
        return self.facts.people

    @property
    def quotes(self) -> list:
        return self.facts.quotes

    @property
    def inspections(self) -> list:
        return self.facts.inspections

    @property
    def findings(self) -> list:
        return self.facts.findings

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """A value derived from the document once and reused (headings, list starts):
        per document, never in module globals or ``doc.user_data``."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]
