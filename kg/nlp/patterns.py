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
    # the ontology's own wordings of each judgement area, after the hand-written patterns (which win
    # where both match): a label added to codes.ttl is recognised in texts without a second copy here
    out.extend(area_label_patterns())
    return tuple(out)


# too general to name a graded area on their own in running text
_TOO_GENERAL = {"children's services", "other area"}


def area_label_patterns() -> list:
    """One AREA pattern per ``skos:prefLabel``/``skos:altLabel`` of the judgement-area concepts and of
    the framework-specific concepts that match one exactly or closely (``codes.ttl``)."""
    from rdflib.namespace import SKOS

    from ..rdf.namespace import concept, ontology_graph

    g = ontology_graph()
    out, seen = [], set()
    for code in sorted(codes("area")):
        target = concept("area", code)
        subjects = [target] + sorted(set(g.subjects(SKOS.exactMatch, target)) | set(g.subjects(SKOS.closeMatch, target)))
        for subject in subjects:
            for prop in (SKOS.prefLabel, SKOS.altLabel):
                for label in g.objects(subject, prop):
                    text = re.sub(r"\s*\([^)]*\)$", "", str(label)).strip()
                    key = text.lower().replace("’", "'")
                    if key in _TOO_GENERAL or key in seen or len(text) < 3:
                        continue
                    seen.add(key)
                    words = [re.escape(w).replace("\\'", "['’]?").replace("'", "['’]?") for w in re.split(r"[\s-]+", text)]
                    out.append(Pattern("AREA", code, _compile(r"[\s-]+".join(words)), None, 0))
    return out


_MACRO_REF = re.compile(r"\{([A-Z][A-Z_]*)\}")


def _expand(source, macros: dict, where: str, problems: Problems):
    """A pattern with its ``{MACRO}`` references replaced by macros defined on earlier lines."""
    if not isinstance(source, str):
        return source
    unknown = sorted({m.group(1) for m in _MACRO_REF.finditer(source)} - set(macros))
    if unknown:
        problems.add(where, f"unknown macro(s) {', '.join(unknown)} (define each on an earlier line)")
        return None
    return _MACRO_REF.sub(lambda m: macros[m.group(1)], source)


def load_pattern_file(path: Path) -> list:
    """The patterns of one file. A line ``{"macro": "NAME", "pattern": ...}`` defines a fragment
    that later lines (patterns and macros) use as ``{NAME}``: one guard written once, not
    copied into every title that names a body."""
    problems, out = Problems(path), []
    macros: dict = {}
    for lineno, row in read_jsonl(path, problems):
        where = f"line {lineno}"
        if "macro" in row:
            name, fragment = row.get("macro"), _expand(row.get("pattern"), macros, where, problems)
            if not isinstance(name, str) or not re.fullmatch(r"[A-Z][A-Z_]*", name):
                problems.add(where, f"macro name {name!r} must be upper-case letters and underscores")
            elif name in macros:
                problems.add(where, f"macro {name} is defined twice")
            elif fragment is not None:
                try:
                    re.compile(fragment)
                    macros[name] = fragment
                except (re.error, TypeError) as exc:
                    problems.add(where, f"bad macro {name} ({exc})")
            continue
        label, code, source = row.get("label"), row.get("code"), _expand(row.get("pattern"), macros, where, problems)
        if source is None and "pattern" in row:
            continue
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
