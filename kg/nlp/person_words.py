"""Honorifics and pronouns: each word list in its own data file, loaded and checked once.

``kg/data/honorifics.json`` (forms of address before a name) and
``kg/data/pronouns.json`` (pronouns by person) go through the shared loader
(:func:`kg.nlp.lexicon.load_word_lists`), which reports every bad entry with
its key and index.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .lexicon import load_word_lists

DATA = Path(__file__).resolve().parents[1] / "data"


@lru_cache(maxsize=4)
def honorifics(path: Path = DATA / "honorifics.json") -> dict:
    """The lists of ``honorifics.json`` (``honorifics``, ``plural``, ``styles``, ``masculine``, ``feminine``)."""
    data = load_word_lists(path, ("honorifics", "plural", "styles", "masculine", "feminine"))
    return {k: tuple(v) for k, v in data.items() if isinstance(v, list)}


@lru_cache(maxsize=4)
def pronouns(path: Path = DATA / "pronouns.json") -> dict:
    """The lists of ``pronouns.json`` (``first_person``, ``first_person_plural``, ``third_person``,
    ``third_person_subject``, ``masculine``, ``feminine``)."""
    data = load_word_lists(path, ("first_person", "first_person_plural", "third_person", "third_person_subject",
                                  "masculine", "feminine"))
    return {k: tuple(v) for k, v in data.items() if isinstance(v, list)}


def alternation(items) -> str:
    """One non-capturing group matching any of the patterns, longest first."""
    return "(?:" + "|".join(sorted(items, key=len, reverse=True)) + ")"


def plain_words(items) -> set:
    """The lower-case words of the patterns ("Cllr\\\\.?" -> "cllr", "The Rt Hon" -> "the", "rt", "hon")."""
    out = set()
    for item in items:
        out.update(w for w in re.sub(r"\\\.\?|\\\.|\[.*?\]|['’]\w*|\?", "", item).lower().split() if w.isalpha())
    return out
