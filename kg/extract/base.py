"""The one shape of an extractor, and the ordered run of them.

An extractor is a small object with

- ``name``: what it is called in errors and listings;
- ``assigns``: the :class:`~kg.model.DocumentFacts` field its result fills
  (``people``, ``quotes``, ``inspections``, ``findings``);
- ``requires``: the fields earlier extractors must have filled first (the
  quote extractor reads ``people``);
- ``__call__(ctx) -> list``: read an :class:`~kg.extract.context.ExtractionContext`,
  return the facts. It must not re-split sentences, re-find quotations or
  re-read lexicons: the context holds one of each, built once per document.

:func:`run` checks the order (each requirement assigned earlier) and stores
each result on ``ctx.facts`` so later extractors see it, as spaCy runs its
pipes and pySHACL its constraint components.

To add an extractor: subclass :class:`Extractor` (or write any object with
these four members) in the module of its stage, test it on a hand-built
context (``ExtractionContext.build(doc, document)`` for a sentence you wrote,
or the dataclass with only the fields it reads), and put an instance in
``EXTRACTORS`` in ``kg/extract/__init__.py`` after the extractors it
requires. A later extractor that refines an earlier one's facts (linking
findings to inspections) assigns the same field again.
"""
from __future__ import annotations

from typing import Iterable

from ..model import DocumentFacts


class Extractor:
    """Base class: subclasses set ``name``, ``assigns``, ``requires`` and define ``__call__``."""

    name: str = ""
    assigns: str = ""
    requires: tuple = ()

    def __call__(self, ctx) -> list:  # pragma: no cover - the protocol, overridden
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} assigns {self.assigns!r} requires {self.requires!r}>"


FACT_FIELDS = ("councils", "people", "inspections", "findings", "quotes")


def check_order(extractors: Iterable) -> None:
    """Every extractor assigns a fact field, and what it requires is assigned before it.

    ``councils`` are found when the context is built, so every extractor may require them."""
    have = {"councils"}
    for ext in extractors:
        if ext.assigns not in FACT_FIELDS:
            raise ValueError(f"extractor {ext.name!r} assigns {ext.assigns!r}, not one of {FACT_FIELDS}")
        missing = [r for r in ext.requires if r not in have]
        if missing:
            raise ValueError(f"extractor {ext.name!r} requires {', '.join(missing)}, which no earlier extractor assigns")
        have.add(ext.assigns)


def run(ctx, extractors: Iterable) -> DocumentFacts:
    """Run the extractors in order over one context; the facts collected on ``ctx.facts``."""
    extractors = list(extractors)
    check_order(extractors)
    for ext in extractors:
        setattr(ctx.facts, ext.assigns, ext(ctx))
    return ctx.facts
