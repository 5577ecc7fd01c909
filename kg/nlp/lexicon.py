"""One loader for the rule and lexicon data files under ``kg/data`` (used by every stage).

Every file is read whole and checked whole: each problem is collected with its
location (``line 12``, ``key 'speech_verbs'[3]``, ``line 7 column 'gss'``) and
all of them are raised together as one :class:`kg.errors.DataFileError`, so a
bad edit is fixed in one pass rather than one error per run.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Callable, Iterable, Optional

from ..errors import DataFileError


class Problems:
    """The located problems of one data file."""

    def __init__(self, path):
        self.path = Path(path)
        self.items: list = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}" if where else message)

    def check(self) -> None:
        """Raise every problem found so far, if any."""
        if self.items:
            raise DataFileError(self.path, self.items)


def _read_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, [f"cannot read ({getattr(exc, 'strerror', None) or exc})"]) from exc


def read_json(path) -> object:
    """A JSON file's value; a syntax error names its line and column."""
    try:
        return json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise DataFileError(path, [f"line {exc.lineno} column {exc.colno}: not JSON ({exc.msg})"]) from exc


def read_jsonl(path, problems: Problems) -> list:
    """(line number, object) for each non-blank line; bad lines are recorded and skipped."""
    rows = []
    for lineno, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.add(f"line {lineno}", f"not JSON ({exc.msg})")
            continue
        if not isinstance(row, dict):
            problems.add(f"line {lineno}", "not a JSON object")
            continue
        rows.append((lineno, row))
    return rows


def read_csv(path, required: Iterable[str], problems: Problems) -> list:
    """(line number, row) for each data row of a CSV file with a header; a missing column or an
    empty required cell is recorded with its line."""
    required = tuple(required)
    reader = csv.DictReader(_read_text(path).splitlines())
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    if missing:
        problems.add("line 1", f"missing column(s) {', '.join(map(repr, missing))}")
        return []
    rows = []
    for lineno, row in enumerate(reader, start=2):
        if None in row:
            problems.add(f"line {lineno}", f"{len(header) + len(row[None])} fields, the header has {len(header)}")
            continue
        empty = [c for c in required if not (row.get(c) or "").strip()]
        if empty:
            problems.add(f"line {lineno}", f"empty {', '.join(map(repr, empty))}")
            continue
        rows.append((lineno, row))
    return rows


def check_pattern(value, where: str, problems: Problems) -> Optional[re.Pattern]:
    """A compiled regular expression, or None with the problem recorded."""
    if not isinstance(value, str) or not value.strip():
        problems.add(where, f"{value!r} is not a non-empty string")
        return None
    try:
        return re.compile(value)
    except re.error as exc:
        problems.add(where, f"bad pattern {value!r} ({exc})")
        return None


def load_word_lists(path, required: Iterable[str],
                    check: Optional[Callable[[str, object, Problems], None]] = None) -> dict:
    """A JSON object whose ``required`` keys are non-empty lists of regular expressions.

    Other keys are kept as they are (``check``, if given, validates them: it is
    called with each key, its value and the problems to add to).
    """
    data = read_json(path)
    problems = Problems(path)
    if not isinstance(data, dict):
        problems.add("", "top level must be an object")
        problems.check()
    for key in required:
        value = data.get(key)
        if not isinstance(value, list) or not value:
            problems.add(f"key {key!r}", "must be a non-empty list")
            continue
        for i, item in enumerate(value):
            check_pattern(item, f"key {key!r}[{i}]", problems)
    if check is not None:
        for key, value in data.items():
            check(key, value, problems)
    problems.check()
    return data


_FLAGS = {"i": re.I, "m": re.M}


def load_cues(path) -> dict:
    """A JSON object of named regular expressions (cue patterns), compiled.

    Each key (save ``_about``) holds ``{"pattern": [pieces...], "flags": "i"}``: the pieces are
    joined into one expression (lists keep long alternations readable); ``flags`` is any of
    ``i`` (ignore case) and ``m`` (multiline). Every problem is reported with its key.
    """
    data = read_json(path)
    problems = Problems(path)
    if not isinstance(data, dict):
        problems.add("", "top level must be an object")
        problems.check()
    out = {}
    for key, value in data.items():
        if key == "_about":
            continue
        where = f"key {key!r}"
        if not isinstance(value, dict) or set(value) - {"pattern", "flags"}:
            problems.add(where, "must be an object with 'pattern' and optional 'flags'")
            continue
        pieces = value.get("pattern")
        pieces = [pieces] if isinstance(pieces, str) else pieces
        if not isinstance(pieces, list) or not pieces or not all(isinstance(p, str) for p in pieces):
            problems.add(f"{where} pattern", "must be a string or a non-empty list of strings")
            continue
        flags = value.get("flags", "")
        if not isinstance(flags, str) or set(flags) - set(_FLAGS):
            problems.add(f"{where} flags", f"{flags!r}: only the letters {''.join(_FLAGS)}")
            continue
        try:
            out[key] = re.compile("".join(pieces), sum(_FLAGS[f] for f in set(flags)))
        except re.error as exc:
            problems.add(f"{where} pattern", f"bad pattern ({exc})")
    problems.check()
    return out
