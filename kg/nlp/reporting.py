"""Reporting verbs as lemmas, each written out into its family of forms.

``kg/data/reporting_verbs.jsonl`` holds one verb a line ("say", "praise",
"point out"); this module makes every form a text uses ("says", "saying",
"said", "praised", "has been praising", "points out", "pointed out") so a
verb is listed once and all its tenses, passives and participles follow.
The quote extractor reads the ``quote`` verbs, the findings extractor the
``finding``, ``passive`` and ``agent`` ones (see the file's ``about`` line).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .lexicon import Problems, read_jsonl

PATH = Path(__file__).resolve().parents[1] / "data" / "reporting_verbs.jsonl"
_KEYS = {"verb", "past", "participle", "ing", "third", "tail", "quote", "finding", "passive", "agent", "sign"}
_VOWELS = "aeiou"


@dataclass(frozen=True)
class Verb:
    verb: str
    past: str
    participle: str
    ing: str
    third: str
    tail: Optional[str]  # a regular expression after the verb ("out", "(?:concerns?|worries)")
    quote: Optional[str]  # "speech", "finding" or None
    finding: bool
    passive: bool
    agent: bool
    sign: int

    def forms(self) -> list:
        """Every form as a regular expression, the tail included."""
        out = []
        for form in dict.fromkeys((self.verb, self.third, self.ing, self.past, self.participle)):
            out.append(re.escape(form) + (rf"\s+{self.tail}" if self.tail else ""))
        return out

    def participles(self) -> list:
        """The participle (with its tail): the form after "was" and before "by"."""
        return [re.escape(self.participle) + (rf"\s+{self.tail}" if self.tail else "")]


def third_person(verb: str) -> str:
    if re.search(r"(?:s|sh|ch|x|z)$", verb):
        return verb + "es"
    if re.search(rf"[^{_VOWELS}]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


def past_tense(verb: str) -> str:
    if verb.endswith("e"):
        return verb + "d"
    if re.search(rf"[^{_VOWELS}]y$", verb):
        return verb[:-1] + "ied"
    return verb + "ed"


def present_participle(verb: str) -> str:
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    return verb + "ing"


@lru_cache(maxsize=4)
def reporting_verbs(path: Path = PATH) -> tuple:
    """The verbs of the file, each checked: unknown keys, a lemma that is not lower-case words, a bad
    tail pattern, a wrong ``quote`` or ``sign`` value and a repeated line are reported with their line."""
    problems = Problems(path)
    out, seen = [], set()
    for lineno, row in read_jsonl(path, problems):
        where = f"line {lineno}"
        if set(row) == {"about"}:
            continue
        unknown = sorted(set(row) - _KEYS)
        if unknown:
            problems.add(where, f"unknown key(s) {', '.join(unknown)}")
        verb = row.get("verb")
        if not isinstance(verb, str) or not re.fullmatch(r"[a-z]+", verb):
            problems.add(where, f"'verb' must be one lower-case word, not {verb!r}")
            continue
        forms = {}
        for key in ("past", "participle", "ing", "third"):
            value = row.get(key)
            if value is not None and (not isinstance(value, str) or not re.fullmatch(r"[a-z]+", value)):
                problems.add(where, f"{key!r} must be one lower-case word, not {value!r}")
                value = None
            forms[key] = value
        tail = row.get("tail")
        if tail is not None:
            try:
                re.compile(tail)
            except (re.error, TypeError) as exc:
                problems.add(where, f"bad 'tail' pattern {tail!r} ({exc})")
                continue
        quote = row.get("quote")
        if quote not in (None, "speech", "finding"):
            problems.add(where, f"'quote' must be 'speech' or 'finding', not {quote!r}")
        flags = {}
        for key in ("finding", "passive", "agent"):
            value = row.get(key, False)
            if not isinstance(value, bool):
                problems.add(where, f"{key!r} must be true or false, not {value!r}")
            flags[key] = value is True
        sign = row.get("sign", 0)
        if sign not in (-1, 0, 1) or isinstance(sign, bool):
            problems.add(where, f"'sign' must be -1, 0 or 1, not {sign!r}")
            sign = 0
        if not (quote or any(flags.values())):
            problems.add(where, f"{verb!r} is used for nothing (give 'quote', 'finding', 'passive' or 'agent')")
        key = (verb, tail)
        if key in seen:
            problems.add(where, f"{verb!r}{' ' + tail if tail else ''} is listed twice")
        seen.add(key)
        past = forms["past"] or past_tense(verb)
        out.append(Verb(verb, past, forms["participle"] or past, forms["ing"] or present_participle(verb),
                        forms["third"] or third_person(verb), tail, quote if quote in ("speech", "finding") else None,
                        flags["finding"], flags["passive"], flags["agent"], sign))
    problems.check()
    return tuple(out)


def forms(use: str, path: Path = PATH) -> list:
    """The forms of the verbs with ``use``: "speech" or "finding_quote" (quotations), "finding",
    "passive" or "agent" (participles only for the last two), or "all"."""
    verbs = reporting_verbs(path)
    if use == "all":
        return [f for v in verbs for f in v.forms()]
    if use == "speech":
        return [f for v in verbs if v.quote == "speech" for f in v.forms()]
    if use == "finding_quote":
        return [f for v in verbs if v.quote == "finding" for f in v.forms()]
    if use == "finding":
        return [f for v in verbs if v.finding for f in v.forms()]
    if use in ("passive", "agent"):
        return [f for v in verbs if getattr(v, use) for f in v.participles()]
    raise ValueError(f"unknown use {use!r}")


@lru_cache(maxsize=4)
def signs(path: Path = PATH) -> tuple:
    """(pattern, sign) for each verb that evaluates on its own ("praised" +1, "called for" -1)."""
    return tuple((re.compile(alternation_of(v.forms()), re.I), v.sign) for v in reporting_verbs(path) if v.sign)


def sign_of(verb_text: str, path: Path = PATH) -> int:
    """The sign of a reporting verb as matched in a text ("praised", "raised concerns"), 0 if none."""
    text = " ".join(verb_text.split())
    return next((sign for rx, sign in signs(path) if rx.fullmatch(text)), 0)


def alternation_of(patterns) -> str:
    return "(?:" + "|".join(sorted(patterns, key=len, reverse=True)) + ")"
