"""Rule-based extractor for Ofsted inspection reports (PDF text).

Ofsted states a report's facts in fixed places by era: the title names the
framework, a front-page line gives the dates (before 2018 also the publication
date), and a front-page table or list grades each area, the grade on the same
line or just below. The rules are data (``kg/data/report_patterns.json``);
this module applies them to find the report's own inspection (kind, framework,
dates, judgements), the council, the lead inspector, earlier inspections and
visits mentioned in passing, and findings (the "What needs to improve" items,
and summary lists of strengths or reasons for a grade). Every fact carries
evidence: offsets into ``doc.text``, the exact text and its page.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Optional

from ..errors import DataFileError
from ..model import CouncilMention, Document, DocumentFacts, Evidence, Inspection, Judgement, PersonRole

PATTERNS_PATH = Path(__file__).resolve().parents[1] / "data" / "report_patterns.json"
FLAGS = re.IGNORECASE
MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
# "2 June 2014 – 25 June 2014", "11 to 22 March 2019", "27 September to 8 October 2021"
RANGE_RE = re.compile(
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?P<m1>{MONTH_RE})?\s*(?P<y1>\d{{4}})?\s*"
    rf"(?:to|until|and|[-\u2013\u2014])\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTH_RE})\s+(?P<y2>\d{{4}})",
    FLAGS,
)
DAY_RE = re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{MONTH_RE})\s+(?P<y>\d{{4}})", FLAGS)
NUMERIC_DATE_RE = re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})")
# "3 and 4 July 2019": a visit over days, dated by its first
LOOSE_DAY_RE = re.compile(
    rf"(\d{{1,2}})(?:\s*(?:and|to|[-\u2013])\s*\d{{1,2}})?\s+({MONTH_RE})\s+((?:19|20)\d{{2}})", FLAGS
)
MONTH_YEAR_RE = re.compile(rf"(?P<m>{MONTH_RE})?\s*(?P<y>(?:19|20)\d{{2}})", FLAGS)
NAME_RE = re.compile(r"[A-Z][\w'\u2019\-]+(?:\s+(?:[A-Z][\w'\u2019\-]*\.?|de|van|von|le|la))*\s+[A-Z][\w'\u2019\-]+")
SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)
EARLIER_FOLLOW_RE = re.compile(r"\s*(?:The (?:local )?authority|It|Services|They|The council) (?:was|were) ")
TITLE_LINES, TITLE_CHARS = 6, 400  # where a report's title is
EARLIER_WINDOW = 110  # characters between "the last inspection" and its date
JUDGEMENT_ROWS = 3  # a label's grade may sit up to two lines below it


# ----------------------------------------------------------------- rules

# Entries of the rules file that are regular expressions (or lists of them),
# and which of those must match a whole line rather than be searched for.
PATTERNS = (
    "not_judged lead_inspector inspector_suffixes finding_stop because_heading finding_skip finding_area_stop "
    "care_leaver_paragraph earlier_skip_scope "
    "earlier_skip_sentence earlier_date earlier_grade earlier_grade_gap council_title_patterns "
    "council_text_patterns visit_dates published"
).split()
LINE_PATTERNS = {"finding_stop", "because_heading", "earlier_grade_gap", "finding_area_stop"}
# Tables of records: the field with the regular expression, whether it must
# match a whole line, and the fields that hold codes (field -> scheme).
TABLES = {
    "frameworks": ("title", False, {"kind": "kind", "framework": "framework"}),
    "grades": ("pattern", True, {"code": "grade"}),
    "slac_sections": ("heading", True, {"overall_area": "area"}),
    "finding_sections": ("heading", True, {"polarity": "polarity"}),
    "finding_areas": ("heading", True, {"area": "area", "split_area": "area"}),
    "earlier_kinds": ("pattern", False, {"kind": "kind"}),
    "earlier_scope_areas": ("scope", False, {"area": "area"}),
    "framework_named": ("pattern", False, {"framework": "framework"}),
    "framework_years": (None, False, {"framework": "framework"}),
    "framework_by_kind": (None, False, {"kind": "kind", "framework": "framework"}),
    "monitoring_framework_by_year": (None, False, {"framework": "framework"}),
}


class Rules(SimpleNamespace):
    """The compiled rules file: one attribute per entry."""


@lru_cache(maxsize=4)
def load_rules(path: Path = PATTERNS_PATH) -> Rules:
    """Read, check and compile the rules file; every problem is reported at once."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataFileError(path, [f"cannot read: {exc}"]) from exc
    problems = []
    try:
        rules = _compile(data, problems)
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        problems.append(f"missing or malformed entry: {exc!r}")
    if problems:
        raise DataFileError(path, problems)
    return rules


def _compile(data: dict, problems: list) -> Rules:
    from ..rdf.namespace import codes

    def rx(text, where, line=False):
        try:
            # a whole line, but for a footnote reference at its end ("What needs to improve?1")
            return re.compile(f"^(?:{text})(?:\\d{{1,2}})?$" if line else text, FLAGS)
        except (re.error, TypeError) as exc:
            problems.append(f"{where}: bad regular expression ({exc})")
            return re.compile("(?!)")

    def check(scheme, value, where):
        if value is not None and value not in codes(scheme):
            problems.append(f"{where}: {value!r} is not a {scheme} code")

    rules = Rules()
    for key in PATTERNS:
        value, line = data[key], key in LINE_PATTERNS
        if isinstance(value, list):
            setattr(rules, key, [rx(v, f"{key}[{i}]", line) for i, v in enumerate(value)])
        else:
            setattr(rules, key, rx(value, key, line))
    for key, (field, line, code_fields) in TABLES.items():
        rows = []
        for i, row in enumerate(data[key]):
            for name, scheme in code_fields.items():
                check(scheme, row[name], f"{key}[{i}].{name}")
            rows.append({**row, "re": rx(row[field], f"{key}[{i}].{field}", line)} if field else row)
        setattr(rules, key, rows)
    for i, row in enumerate(rules.finding_areas):
        for k, code in enumerate(row["keep_in"]):
            check("area", code, f"finding_areas[{i}].keep_in[{k}]")
    rules.earlier_keywords = [w.lower() for w in data["earlier_keywords"]]
    rules.prefixes = sorted(data["council_affixes"]["prefixes"], key=len, reverse=True)
    rules.suffixes = sorted(data["council_affixes"]["suffixes"], key=len, reverse=True)
    rules.areas = _compile_areas(data, rules, rx, check, problems)
    return rules


def _compile_areas(data, rules, rx, check, problems) -> list:
    """One whole-line pattern per area: numbering, label, then grade or "not judged"."""
    known = {f["id"] for f in rules.frameworks}
    grades = "|".join(f"(?:{g['pattern']})" for g in data["grades"])
    out = []
    for i, area in enumerate(data["areas"]):
        check("area", area["code"], f"areas[{i}].code")
        frameworks = frozenset(area.get("frameworks") or ())
        if frameworks - known:
            problems.append(f"areas[{i}].frameworks: unknown framework ids {sorted(frameworks - known)}")
        label = "|".join(f"(?:{x})" for x in area["labels"])
        line = (
            rf"(?:\d(?:\.\d)?\.?\s+)?(?P<label>{label})\s*[:\-\u2013]?\s*"
            rf"(?:(?P<grade>{grades})|(?P<nj>{data['not_judged']}))?\s*(?:because:?)?\.?"
        )
        pattern = rx(line, f"areas[{i}].labels", True)
        out.append({"code": area["code"], "re": pattern, "frameworks": frameworks, "by_section": bool(area.get("by_section"))})
    return out


# ----------------------------------------------------------------- helpers


@dataclass
class Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list:
    out, pos = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def _evidence(doc: Document, start: int, end: int) -> Evidence:
    return Evidence(doc.source_id, start, end, doc.text[start:end], doc.page_of(start))


def _iso(y, m=None, d=None) -> Optional[str]:
    try:
        if d and m:
            return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None
    if m:
        return f"{int(y):04d}-{int(m):02d}"
    return f"{int(y):04d}"


def _month(name) -> Optional[int]:
    return MONTHS.get(name.lower()[:3]) if name else None


def _date_range(text: str):
    """(start, end) of the dates in ``text``: the first date to the last one.

    Fieldwork can come in two parts ("19 November-11 December 2013 and
    28 - 30 January 2014"). A lone date is (None, date).
    """
    spans = []  # (position, start, end)
    for m in RANGE_RE.finditer(text):
        m2, y2 = _month(m["m2"]), int(m["y2"])
        m1 = _month(m["m1"]) or m2
        # "29 December to 9 January 2020" starts in the year before
        y1 = int(m["y1"]) if m["y1"] else (y2 - 1 if m1 > m2 else y2)
        spans.append((m.start(), m.end(), _iso(y1, m1, m["d1"]), _iso(y2, m2, m["d2"])))
    for pattern in (DAY_RE, NUMERIC_DATE_RE):
        for m in pattern.finditer(text):
            if not any(a <= m.start() < b for a, b, _, _ in spans):
                month = _month(m["m"]) if pattern is DAY_RE else m["m"]
                day = _iso(m["y"], month, m["d"])
                spans.append((m.start(), m.end(), day, day))
    spans.sort()
    if not spans:
        return None, None
    if len(spans) == 1 and spans[0][2] == spans[0][3]:
        return None, spans[0][3]
    return spans[0][2], spans[-1][3]


def _single_date(text: str) -> Optional[str]:
    found = [m for m in (DAY_RE.search(text), NUMERIC_DATE_RE.search(text)) if m]
    if not found:
        return None
    m = min(found, key=lambda m: m.start())
    return _iso(m["y"], _month(m["m"]) if m.re is DAY_RE else m["m"], m["d"])


def _grade(rules: Rules, text: str):
    """(code, as written) of a grade phrase."""
    text = re.sub(r"\s+", " ", text.strip())
    for grade in rules.grades:
        if grade["re"].match(text):
            return grade["code"], text
    return None, None


def _compatible(a: Optional[str], b: Optional[str]) -> bool:
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


# ----------------------------------------------------------------- entry


def extract_report(doc: Document, gazetteer) -> DocumentFacts:
    """Facts of one Ofsted report: council, its inspection, people, findings."""
    rules = load_rules()
    facts = DocumentFacts(document=doc)
    lines = _lines(doc.text)
    front = doc.text[: doc.page_starts[1]] if len(doc.page_starts) > 1 else doc.text[:3000]
    fw_id, kind, framework = _framework(front, rules)
    start, end, dates_ev = _visit_dates(doc, rules, kind)
    published = _published(doc, rules)
    if kind == "monitoring_visit":
        framework = _framework_in(rules.monitoring_framework_by_year, start or end or published)
    council = _council(doc, front, gazetteer, start or end or published, rules)
    if council:
        facts.councils.append(council)
    else:
        facts.errors.append(f"{doc.source_id}: council not recognised")
    gss = council.gss_code if council else None
    facts.people = _lead_inspectors(doc, lines, rules, start or end)
    own = None
    # a PDF with neither an Ofsted title nor inspection dates (a council
    # paper) is not a report of an inspection: only what it mentions counts
    if fw_id or start or end:
        own = Inspection(gss, kind, framework, start, end, published, evidence=dates_ev)
        if kind == "full_inspection":
            own.judgements = _judgements(doc, lines, fw_id, rules)
        own.lead_inspector = facts.people[0].name if facts.people else None
    facts.inspections = ([own] if own else []) + _earlier_inspections(doc, gss, own, rules)
    # imported here: the findings module reads this module's rules and helpers
    from .report_findings import report_findings

    facts.findings = report_findings(doc, lines, gss, rules, full=kind == "full_inspection" and bool(own))
    if not own:
        for finding in facts.findings:
            finding.inspection_index = None
    return facts


# ----------------------------------------------------------------- own inspection


def _framework(front: str, rules: Rules):
    # the title: the report's first lines, before any narrative that mentions
    # other visits ("since the focused visit in 2022")
    flat = re.sub(r"\s+", " ", " ".join(front.split("\n")[:TITLE_LINES]))[:TITLE_CHARS]
    for f in rules.frameworks:
        if f["re"].search(flat):
            return f["id"], f["kind"], f["framework"]
    return None, "full_inspection", None


def _visit_dates(doc: Document, rules: Rules, kind: str):
    for pattern in rules.visit_dates:
        for m in pattern.finditer(doc.text):
            start, end = _date_range(m["dates"])
            if not (start or end):
                continue
            if start is None and kind != "full_inspection":
                start = end  # a one-day visit
            # SIF front pages giving one date name the last day on site
            return start, end, _evidence(doc, m.start(), m.end())
    return None, None, None


def _published(doc: Document, rules: Rules) -> Optional[str]:
    # The report's own "Report published:" line is the record; a sidecar's
    # date (the scraper's) is the fallback when the report prints none.
    for pattern in rules.published:
        m = pattern.search(doc.text)
        if m:
            found = _single_date(m["date"])
            if found:
                return found
    return doc.published


def _judgements(doc: Document, lines: list, fw_id: Optional[str], rules: Rules) -> list:
    """One judgement per area: the first line that grades it (the front page)."""
    found, seen = [], set()
    section_area = None
    for i, line in enumerate(lines):
        for section in rules.slac_sections:
            if section["re"].match(line.text):
                section_area = section["overall_area"]
        for rule in rules.areas:
            if rule["frameworks"] and fw_id not in rule["frameworks"]:
                continue
            hit = _match_rows(lines, i, rule["re"])
            if not hit:
                continue
            area = rule["code"]
            if rule["by_section"] and section_area:
                area = section_area  # SLAC reports grade "Overall effectiveness" per service
            if area in seen:
                continue
            seen.add(area)  # "Not judged" also settles the area
            judgement = _judgement_at(doc, lines, i, hit, area, rules)
            if judgement:
                found.append(judgement)
            break
    return found


def _match_rows(lines: list, i: int, pattern):
    """An area label on line ``i`` with its grade on the same line or the next
    ones: table cells put the grade below, or wrap it ("Requires" / "Improvement")."""
    text = lines[i].text
    for k in range(i, min(i + JUDGEMENT_ROWS, len(lines))):
        if k > i:
            text += " " + lines[k].text
        m = pattern.match(text)
        if m and (m["grade"] or m["nj"]):
            return m, k
    return None


def _doc_offset(lines: list, i: int, k: int, offset: int) -> int:
    """Map an offset in lines i..k joined by spaces back into the document."""
    for row in range(i, k + 1):
        size = len(lines[row].text)
        if offset <= size or row == k:
            return lines[row].start + offset
        offset -= size + 1
    return lines[k].end


def _judgement_at(doc, lines, i, hit, area, rules) -> Optional[Judgement]:
    m, k = hit
    if not m["grade"]:
        return None
    code, written = _grade(rules, m["grade"])
    if not code:
        return None
    label = re.sub(r"(?:\s+(?:is|are))?\s*:?$", "", m["label"]).strip()
    start = _doc_offset(lines, i, k, m.start("label"))
    end = _doc_offset(lines, i, k, m.end("grade"))
    return Judgement(area, code, label, written, _evidence(doc, start, end))


# ----------------------------------------------------------------- council


def _council(doc, front, gazetteer, on_date, rules) -> Optional[CouncilMention]:
    flat = front.replace("\n", " ")  # same length: offsets still index doc.text
    for pattern in rules.council_title_patterns:
        m = pattern.search(flat)
        if m:
            hit = _resolve(gazetteer, m["name"], on_date, rules)
            if hit:
                return CouncilMention(hit[0], hit[1], _evidence(doc, m.start("name"), m.end("name")))
    # no title matched: the council the report names most in its headline phrases
    votes = {}
    for pattern in rules.council_text_patterns:
        for m in pattern.finditer(doc.text):
            hit = _resolve(gazetteer, m["name"], on_date, rules)
            if hit:
                count, first = votes.get(hit, (0, m))
                votes[hit] = (count + 1, first)
    if not votes:
        return None
    hit, (_, m) = max(votes.items(), key=lambda kv: kv[1][0])
    return CouncilMention(hit[0], hit[1], _evidence(doc, m.start("name"), m.end("name")))


def _resolve(gazetteer, name: str, on_date, rules):
    for variant in _name_variants(name, rules):
        hit = gazetteer.lookup(variant, on_date)
        if hit:
            return tuple(hit)
    return None


def _name_variants(name: str, rules: Rules) -> list:
    """The name as written, then with "London Borough of", "Council"... removed."""
    name = re.sub(r"\s+", " ", name).strip(" ,.")
    variants, frontier = [name], [name]
    while frontier:
        current = frontier.pop()
        low = current.lower()
        for affix in rules.prefixes:
            if low.startswith(affix + " "):
                frontier.append(current[len(affix) + 1 :])
        for affix in rules.suffixes:
            if low.endswith(" " + affix):
                frontier.append(current[: -len(affix) - 1])
        for v in frontier:
            if v not in variants:
                variants.append(v)
        frontier = [v for v in frontier if v != current and len(v) > 2][:8]
    extra = [v.replace("&", "and").replace("St.", "St") for v in variants]
    return variants + [v for v in extra if v not in variants]


# ----------------------------------------------------------------- people


def _lead_inspectors(doc, lines, rules, held_on) -> list:
    people, names = [], set()
    for line in lines:
        m = rules.lead_inspector.match(line.text)
        if not m:
            continue
        role = m["role"].strip()
        role = role[0].upper() + role[1:]
        offset = line.start + m.start("names")
        for n in NAME_RE.finditer(m["names"]):
            # "Jane Example HMI": the post-nominal is not part of the name
            name = rules.inspector_suffixes.sub("", n.group()).strip(" ,")
            if not name or name in names or not _plausible_name(n.group()):
                continue
            names.add(name)
            evidence = _evidence(doc, offset + n.start(), offset + n.start() + len(name))
            people.append(PersonRole(name, "ofsted_official", role, "Ofsted", held_on=held_on, evidence=evidence))
    return people


def _plausible_name(name: str) -> bool:
    # "Her Majesty's Inspector", "Team inspectors" are titles, not people
    return not re.search(r"majesty|inspector|ofsted|council|children", name, re.IGNORECASE)


# ----------------------------------------------------------------- earlier inspections


def _earlier_inspections(doc, gss, own: Inspection, rules: Rules) -> list:
    """Other inspections and visits the report mentions, at the precision written."""
    sentences = list(SENTENCE_RE.finditer(doc.text))
    found = []
    for si in _sentences_with(doc.text, sentences, rules.earlier_keywords):
        sentence = sentences[si]
        nxt = sentences[si + 1] if si + 1 < len(sentences) else None
        if rules.earlier_skip_sentence.search(sentence.group()):
            continue
        for rule in rules.earlier_kinds:
            for m in rule["re"].finditer(sentence.group()):
                insp = _earlier_at(doc, sentence, m, rule["kind"], nxt, rules)
                if insp is not None and not _is_own(insp, own):
                    insp.council_gss = gss
                    found.append(insp)
    return _merge_mentions(found)


def _sentences_with(text: str, sentences: list, keywords: list) -> list:
    """Indexes of the sentences holding a keyword: a plain substring search
    first, so that the mention patterns run on a few sentences only."""
    starts = [s.start() for s in sentences]
    low = text.lower()
    found = set()
    for word in keywords:
        pos = low.find(word)
        while pos != -1:
            found.add(bisect_right(starts, pos) - 1)
            pos = low.find(word, pos + 1)
    return sorted(i for i in found if i >= 0)


def _is_own(insp: Inspection, own: Optional[Inspection]) -> bool:
    return own is not None and insp.kind == own.kind and (
        _compatible(insp.visit_start, own.visit_start) or _compatible(insp.visit_start, own.visit_end)
    )


def _merge_mentions(found: list) -> list:
    """One inspection per kind and date: "in 2019" and "in May 2019" are one."""
    out = []
    for insp in found:
        twin = next((o for o in out if o.kind == insp.kind and _compatible(o.visit_start, insp.visit_start)), None)
        if twin is None:
            out.append(insp)
            continue
        if len(insp.visit_start) > len(twin.visit_start):
            twin.visit_start, twin.evidence = insp.visit_start, insp.evidence
        areas = {j.area for j in twin.judgements}
        twin.judgements += [j for j in insp.judgements if j.area not in areas]
    return out


def _earlier_at(doc, sentence, m, kind, next_sentence, rules) -> Optional[Inspection]:
    text = sentence.group()
    window = text[m.end() : m.end() + EARLIER_WINDOW]
    d = rules.earlier_date.search(window)
    if not d:
        return None
    scope = window[: d.start()]
    # the date must belong to this mention, not to another one further on,
    # and the mention be of the council's services, not of one of its homes
    if any(rule["re"].search(scope) for rule in rules.earlier_kinds):
        return None
    if rules.earlier_skip_scope.search(text[: m.end() + d.start()]):
        return None
    when = _loose_date(d["date"])
    if not when:
        return None
    end = sentence.start() + m.end() + d.end()
    insp = Inspection(
        council_gss=None,
        kind=kind,
        framework=_earlier_framework(kind, when, m.group() + scope, rules),
        visit_start=when,
        evidence=_evidence(doc, sentence.start() + m.start(), end),
    )
    if kind == "full_inspection":
        judgement = _earlier_grade(doc, sentence, m.end() + d.end(), next_sentence, m.group() + scope, rules)
        if judgement:
            insp.judgements.append(judgement)
    return insp


def _earlier_grade(doc, sentence, offset, next_sentence, scope, rules) -> Optional[Judgement]:
    """The grade the sentence (or the next, "The local authority was judged ...") gives it."""
    grade = rules.earlier_grade.search(sentence.group(), offset)
    if grade and not rules.earlier_grade_gap.match(sentence.group()[offset : grade.start()]):
        grade = None  # a grade further on is about something else
    where = sentence
    if not grade and next_sentence is not None and EARLIER_FOLLOW_RE.match(next_sentence.group()):
        grade, where = rules.earlier_grade.search(next_sentence.group()), next_sentence
    if not grade:
        return None
    code, written = _grade(rules, grade["grade"])
    if not code:
        return None
    area = next((r["area"] for r in rules.earlier_scope_areas if r["re"].search(scope)), "overall")
    start = where.start() + grade.start("grade")
    return Judgement(area, code, _scope_as_written(scope), written, _evidence(doc, start, start + len(grade["grade"])))


def _scope_as_written(scope: str) -> Optional[str]:
    """ "last inspection of the local authority's safeguarding arrangements was" ->
    "the local authority's safeguarding arrangements"."""
    text = re.sub(r"^.*?\binspection\b\s*(?:of\s+)?", "", scope.strip(" ,"), flags=FLAGS)
    verbs = r"was|were|which|that|took place|undertaken|carried out|published"
    text = re.sub(rf"\s*,?\s*\b(?:{verbs})\b.*$", "", text, flags=FLAGS)
    return text or None


def _loose_date(text: str) -> Optional[str]:
    """A date at the precision written: "2019", "June 2022", "3 and 4 July 2019"."""
    m = LOOSE_DAY_RE.search(text)
    if m:
        return _iso(m[3], _month(m[2]), m[1])
    m = MONTH_YEAR_RE.search(text)
    if not m:
        return None
    return _iso(m["y"], _month(m["m"]))


def _earlier_framework(kind: str, when: str, phrase: str, rules: Rules) -> Optional[str]:
    """As named ("the last ILACS inspection"), else by the kind and the year."""
    named = next((r["framework"] for r in rules.framework_named if r["re"].search(phrase)), None)
    by_kind = next((r["framework"] for r in rules.framework_by_kind if r["kind"] == kind), None)
    # 2013 and 2018 straddle two frameworks: no year rule covers them
    return named or by_kind or _framework_in(rules.framework_years, when)


def _framework_in(years: list, when: Optional[str]) -> Optional[str]:
    year = int(when[:4]) if when else 0
    return next((r["framework"] for r in years if r["from"] <= year <= r.get("to", 9999)), None)
