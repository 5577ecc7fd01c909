"""Domain pattern data (grades, areas, kinds, frameworks, roles) validated at load time."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..rdf.namespace import codes
from .lexicon import Problems, read_jsonl

PATTERNS_DIR = Path(__file__).resolve().parents[1] / "data" / "patterns"
# one file per label; file order within a label is match priority
PATTERN_FILES = ("grades", "areas", "kinds", "frameworks", "roles")
LABEL_SCHEME = {"GRADE": "grade", "AREA": "area", "KIND": "kind", "FRAMEWORK": "framework", "ROLE": "role"}
# acronyms must keep their case; everything else matches case-insensitively
_CASE_SENSITIVE = re.compile(r"^(?:\\b)?[A-Z]{2,5}(?:\\b)?$")


@dataclass(frozen=True)
class Pattern:
    label: str
    code: str
    regex: re.Pattern
    context: str | None
    line: int


def _compile(source: str) -> re.Pattern:
    # Alternatives that are all-capitals acronyms (RI, SIF, DCS) stay case-sensitive.
    parts = source.split("|") if "(" not in source else [source]
    if all(_CASE_SENSITIVE.match(p) for p in parts):
        return re.compile(rf"(?<![\w-])(?:{source})(?![\w-])")
    return re.compile(rf"(?<![\w-])(?:{source})(?![\w-])", re.I)


@lru_cache(maxsize=4)
def load_patterns(folder: Path = PATTERNS_DIR) -> tuple:
    out = []
    for name in PATTERN_FILES:
        out.extend(load_pattern_file(folder / f"{name}.jsonl"))
    return tuple(out)


def load_pattern_file(path: Path) -> list:
    problems, out = Problems(path), []
    for lineno, row in read_jsonl(path, problems):
        where = f"line {lineno}"
        label, code, source = row.get("label"), row.get("code"), row.get("pattern")
        if label not in LABEL_SCHEME:
            problems.add(where, f"unknown label {label!r}")
            continue
        if code not in codes(LABEL_SCHEME[label]):
            problems.add(where, f"{code!r} is not a {LABEL_SCHEME[label]} code")
            continue
        try:
            regex = _compile(source)
        except (re.error, TypeError) as exc:
            problems.add(where, f"bad pattern ({exc})")
            continue
        out.append(Pattern(label, code, regex, row.get("context"), lineno))
    problems.check()
    return out
