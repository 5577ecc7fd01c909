"""Findings of an Ofsted report, each with the judgement area its section names.

Two readings of the report's lines (rules in ``kg/data/report_patterns.json``):

- lists announced as weaknesses or strengths ("What needs to improve",
  "Areas for improvement", "The local authority has the following strengths",
  "... requires improvement because:"): each item is a finding with the
  list's polarity;
- the body under a judgement heading (ILACS and SIF sections, the summary,
  the LSCB review): each sentence that evaluates the service is a finding
  with the polarity its words give (``findings.polarity``).

Both take the area of the judgement heading above them (``finding_areas``)
until the next one or a heading of a non-evaluative part (``finding_area_stop``:
contents, information about the area, what the judgements mean). Lines before
any judgement heading (a visit letter's) have no area.
"""
from __future__ import annotations

import re
from typing import Optional

from ..model import Finding
from .findings import polarity
from .report import Line, Rules, _evidence, _grade

ITEM_RE = re.compile(r"^(?P<mark>[\u25aa\u25fc\u25a0\u2022\u25cf\u25e6*\u2013\u2014-]\s*|\d{1,3}\.\s+|\(?[a-z]\)\s+)")
SUBHEADING_END_RE = re.compile(r"[.!?;]$")  # "Immediately:" is a sub-heading
HEADING_CHARS = 160  # a longer line is a paragraph
# a sentence ends at a stop followed by a capital, a digit or an opening quote or bracket,
# except after abbreviations that take a stop ("e.g. Children's", "Mr. Example")
SENTENCE_END_RE = re.compile(
    r"(?<!\be\.g)(?<!\bi\.e)(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bNo)(?<!\bMrs)(?<!\bSt)[.!?][\"'\u2019\u201d)]*"
    r"(?=\s+[\"'\u2018\u201c(]?[A-Z0-9])"
)
MIN_WORDS = 5  # shorter "sentences" are headings, table cells or grades


def report_findings(doc, lines: list, gss: Optional[str], rules: Rules, full: bool = False) -> list:
    """The report's findings in reading order: list items and evaluative sentences. In the
    report of a full inspection a list outside any judgement section is the summary's."""
    out, used = [], set()
    lines = _unglue(lines, rules)
    areas = _line_areas(lines, rules)
    for i, line in enumerate(lines):
        list_polarity = _section_polarity(line.text, rules)
        if not list_polarity:
            continue
        for j in _items_after(lines, i, rules):
            item = lines[j]
            used.add(j)
            body = ITEM_RE.sub("", item.text, count=1)
            if rules.finding_skip.search(body) or len(body) < 15:
                continue
            start = item.start + (len(item.text) - len(body))
            out.append((item.start, Finding(gss, list_polarity, body, _evidence(doc, start, item.end),
                                            inspection_index=0, area=areas[i] or ("overall" if full else None))))
    for i, line in enumerate(lines):
        if i in used or areas[i] is None or _is_heading(line.text) or _area_sentence(line.text, rules):
            continue
        for start, end in _sentences(doc.text, line):
            text = doc.text[start:end]
            if len(text.split()) < MIN_WORDS or rules.finding_skip.search(text):
                continue
            found = polarity(text)
            if found:
                out.append((start, Finding(gss, found, text, _evidence(doc, start, end), inspection_index=0,
                                           area=areas[i])))
    return [f for _, f in sorted(out, key=lambda p: p[0])]


# ----------------------------------------------------------------- areas


def _line_areas(lines: list, rules: Rules) -> list:
    """The judgement area each line is under (None outside judgement sections)."""
    out, area, split = [], None, None
    for line in lines:
        if _is_heading(line.text) or _area_sentence(line.text, rules):
            if rules.finding_area_stop.match(line.text):
                area, split = None, None
            else:
                rule = next((r for r in rules.finding_areas if r["re"].match(line.text)), None)
                if rule and area not in rule["keep_in"]:
                    area, split = rule["area"], rule["split_area"]
            out.append(area)
            continue
        if split and area and rules.care_leaver_paragraph.search(line.text):
            out.append(split)  # a care leavers paragraph of a combined section
        else:
            out.append(area)
    return out


def _unglue(lines: list, rules: Rules) -> list:
    """Lines with a judgement heading glued after their last sentence (a page break joined
    them) split in two."""
    out = []
    for line in lines:
        ends = list(SENTENCE_END_RE.finditer(line.text))
        tail_at = ends[-1].end() if ends else -1
        tail = line.text[tail_at:].strip() if ends else ""
        if tail and _is_heading(tail) and any(r["re"].match(tail) for r in rules.finding_areas):
            cut = line.start + line.text.index(tail, tail_at)
            out.append(Line(line.start, line.start + len(line.text[:tail_at].rstrip()), line.text[:tail_at].rstrip()))
            out.append(Line(cut, line.end, tail))
        else:
            out.append(line)
    return out


def _area_sentence(text: str, rules: Rules) -> bool:
    """A heading written as a sentence, its stop included ("The graded judgement about ... is good.")."""
    return len(text) <= HEADING_CHARS and text.endswith(".") and any(r["re"].match(text) for r in rules.finding_areas)


def _is_heading(text: str) -> bool:
    return len(text) <= HEADING_CHARS and not re.search(r"[.!?;,]['\u2019\u201d\"]?$", text) and not ITEM_RE.match(text)


def _sentences(text: str, line) -> list:
    """(start, end) of each sentence of a line, a paragraph number left out."""
    m = ITEM_RE.match(line.text)
    start = line.start + (m.end() if m else 0)
    out = []
    chunk = text[start:line.end]
    pos = 0
    for end in SENTENCE_END_RE.finditer(chunk):
        out.append((start + pos, start + end.end()))
        pos = end.end()
        while pos < len(chunk) and chunk[pos].isspace():
            pos += 1
    if pos < len(chunk):
        out.append((start + pos, line.end))
    return out


# ----------------------------------------------------------------- lists


def _section_polarity(text: str, rules: Rules) -> Optional[str]:
    for section in rules.finding_sections:
        if section["re"].match(text):
            return section["polarity"]
    m = rules.because_heading.match(text)
    if m:
        code, _ = _grade(rules, m["grade"])
        return "strength" if code in ("good", "outstanding") else "weakness"
    return None


def _items_after(lines: list, i: int, rules: Rules) -> list:
    """Indexes of the list under a heading, sub-headings ("Immediately:") allowed.

    A numbered list may nest bulleted items; a bulleted list ends at the first
    numbered line, which is where the body's numbered paragraphs begin.
    """
    items, marker = [], None
    for j in range(i + 1, len(lines)):
        text = lines[j].text
        if rules.finding_stop.match(text) or _section_polarity(text, rules):
            break
        m = ITEM_RE.match(text)
        if m:
            kind = _marker_kind(m)
            if marker == "bullet" and kind == "number":
                break
            marker = kind
            items.append(j)
        elif not _is_subheading(lines, j, marker):
            break
    return items


def _marker_kind(m) -> str:
    return "number" if m["mark"][0].isdigit() else "bullet"


def _is_subheading(lines: list, j: int, marker) -> bool:
    text = lines[j].text
    if len(text) > 100 or SUBHEADING_END_RE.search(text) or j + 1 >= len(lines):
        return False
    nxt = ITEM_RE.match(lines[j + 1].text)
    return bool(nxt) and not (marker == "bullet" and _marker_kind(nxt) == "number")
