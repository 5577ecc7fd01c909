"""PDF loading and the Ofsted report extractor, on real reports of each era.

The reports and their gold files are read from ../shared/corpus/reports (never
copied here). One report per layout era: the 2013 looked-after-children
framework, SIF (with the LSCB review), a SIF re-inspection, ILACS 2018-22
(one combined "children in care and care leavers" line) and ILACS from 2023
(care leavers graded on their own).
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from kg.errors import DataFileError, InputError
from kg.extract.report import PATTERNS_PATH, _date_range, extract_report, load_rules
from kg.model import Document
from kg.rdf.namespace import codes
from kg.sources.pdf import load_pdf

SHARED = Path(__file__).resolve().parents[2] / "shared"
REPORTS = SHARED / "corpus" / "reports"
LAS = SHARED / "data" / "english-las.csv"
ERAS = [
    "norfolk-2013-08-16",  # 2013 inspection of looked after children services
    "barnsley-2014-08-08",  # SIF with the LSCB review
    "rotherham-2018-01-29",  # SIF re-inspection, no LSCB line
    "tameside-2019-07-01",  # ILACS 2018-22
    "tameside-2024-02-13",  # ILACS from 2023
]
HTML_PAGE = "birmingham-2012-10-19.pdf"  # an HTML error page saved as .pdf

needs_corpus = pytest.mark.skipif(not REPORTS.is_dir(), reason=f"corpus expected at {REPORTS}")


class StandInGazetteer:
    """Exact names and alternative names from the LA list, nothing cleverer."""

    def __init__(self, path: Path = LAS):
        self.names = {}
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for name in [row["name"], *row["alt_names"].split(";")]:
                    if name.strip():
                        self.names.setdefault(self.norm(name), (row["gss_code"], row["name"]))

    @staticmethod
    def norm(name: str) -> str:
        name = name.lower().replace("&", "and").replace("\u2019", "'").replace("-", " ")
        return " ".join(name.split())

    def lookup(self, name, on_date=None):
        return self.names.get(self.norm(name))


@pytest.fixture(scope="module")
def gazetteer():
    return StandInGazetteer()


@pytest.fixture(scope="module")
def extracted(gazetteer):
    """(document, facts, gold) per report, metadata merged as the loader would."""
    out = {}
    for report_id in ERAS:
        doc = load_pdf(REPORTS / f"{report_id}.pdf")
        meta = json.loads((REPORTS / f"{report_id}.meta.json").read_text(encoding="utf-8"))
        doc.published, doc.title = meta.get("published"), meta.get("title")
        gold = json.loads((REPORTS / f"{report_id}.gold.json").read_text(encoding="utf-8"))
        out[report_id] = (doc, extract_report(doc, gazetteer), gold)
    return out


def all_evidence(facts):
    yield from (c.evidence for c in facts.councils)
    yield from (p.evidence for p in facts.people)
    for inspection in facts.inspections:
        if inspection.evidence:
            yield inspection.evidence
        yield from (j.evidence for j in inspection.judgements)
    yield from (f.evidence for f in facts.findings)


# ----------------------------------------------------------------- the report's own inspection


@needs_corpus
@pytest.mark.parametrize("report_id", ERAS)
def test_own_inspection_matches_gold(extracted, gazetteer, report_id):
    doc, facts, gold = extracted[report_id]
    expected = gold["inspections"][0]
    own = facts.inspections[0]
    assert facts.councils and facts.councils[0].gss_code == gazetteer.lookup(expected["council"])[0]
    assert own.council_gss == facts.councils[0].gss_code
    assert (own.kind, own.framework) == (expected["kind"], expected["framework"])
    assert own.visit_start == expected["visit_start"]
    assert own.published == expected["published"]
    if expected["visit_end"]:
        assert own.visit_end == expected["visit_end"]
    got = sorted((j.area, j.grade) for j in own.judgements)
    assert got == sorted((j["area"], j["grade"]) for j in expected["judgements"])


@needs_corpus
def test_combined_ilacs_line_is_children_in_care_only(extracted):
    _, facts, _ = extracted["tameside-2019-07-01"]
    areas = [j.area for j in facts.inspections[0].judgements]
    assert "children_in_care" in areas and "care_leavers" not in areas
    combined = next(j for j in facts.inspections[0].judgements if j.area == "children_in_care")
    assert "care leavers" in combined.area_as_written


@needs_corpus
@pytest.mark.parametrize("report_id", ERAS)
def test_codes_are_from_the_schemes(extracted, report_id):
    _, facts, _ = extracted[report_id]
    for inspection in facts.inspections:
        assert inspection.kind in codes("kind")
        assert inspection.framework is None or inspection.framework in codes("framework")
        for j in inspection.judgements:
            assert j.area in codes("area") and j.grade in codes("grade")
    assert all(f.polarity in codes("polarity") for f in facts.findings)
    assert all(p.role_category in codes("role") for p in facts.people)


@needs_corpus
@pytest.mark.parametrize("report_id", ERAS)
def test_lead_inspector_is_an_ofsted_official(extracted, report_id):
    _, facts, _ = extracted[report_id]
    assert facts.people, "every report names its lead (or reporting) inspector"
    person = facts.people[0]
    assert (person.role_category, person.organisation) == ("ofsted_official", "Ofsted")
    assert re.search(r"inspector", person.role_title, re.IGNORECASE)
    assert len(person.name.split()) >= 2 and "HMI" not in person.name and "Majesty" not in person.name
    assert facts.inspections[0].lead_inspector == person.name


@needs_corpus
def test_earlier_inspections_keep_written_precision(extracted):
    _, facts, _ = extracted["tameside-2024-02-13"]
    own, earlier = facts.inspections[0], facts.inspections[1:]
    visits = [i for i in earlier if i.kind == "focused_visit"]
    assert visits and all(re.fullmatch(r"\d{4}-\d{2}", i.visit_start) for i in visits)
    assert all(i.visit_start < own.visit_start and not i.judgements for i in visits)
    # an earlier inspection carries a judgement only where the text grades it
    _, facts, _ = extracted["tameside-2019-07-01"]
    graded = [i for i in facts.inspections[1:] if i.judgements]
    assert graded and all(re.fullmatch(r"\d{4}(-\d{2})?", i.visit_start) for i in graded)
    assert {(j.area, j.grade) for i in graded for j in i.judgements} <= {(a, g) for a in codes("area") for g in codes("grade")}


@needs_corpus
@pytest.mark.parametrize("report_id", ["tameside-2024-02-13", "norfolk-2013-08-16", "barnsley-2014-08-08"])
def test_what_needs_to_improve_items_are_weaknesses(extracted, report_id):
    doc, facts, _ = extracted[report_id]
    weaknesses = [f for f in facts.findings if f.polarity == "weakness"]
    assert len(weaknesses) >= 5
    for f in weaknesses:
        assert f.evidence.page is not None and f.evidence.page >= 1
        assert f.text == f.evidence.text and not f.text.startswith(("\u2022", "\u25fc", "-"))


# ----------------------------------------------------------------- evidence


@needs_corpus
@pytest.mark.parametrize("report_id", ERAS)
def test_evidence_offsets_are_consistent(extracted, report_id):
    doc, facts, _ = extracted[report_id]
    evidence = list(all_evidence(facts))
    assert evidence
    for ev in evidence:
        assert ev.source_id == doc.source_id == f"{report_id}.pdf"
        assert 0 <= ev.start < ev.end <= len(doc.text)
        assert ev.text == doc.text[ev.start : ev.end]
        assert ev.page == doc.page_of(ev.start)


# ----------------------------------------------------------------- the PDF text


@needs_corpus
@pytest.mark.parametrize("report_id", ERAS)
def test_pages_are_recorded(extracted, report_id):
    import pypdfium2 as pdfium

    doc, _, _ = extracted[report_id]
    pdf = pdfium.PdfDocument(str(REPORTS / f"{report_id}.pdf"))
    try:
        assert len(doc.page_starts) == len(pdf)
    finally:
        pdf.close()
    assert doc.page_starts[0] == 0 and doc.page_starts == sorted(doc.page_starts)
    assert doc.kind == "report" and doc.source_id == f"{report_id}.pdf"
    # judgements are on the front page, which is page 1
    assert doc.page_of(0) == 1 and doc.page_of(len(doc.text) - 1) == len(doc.page_starts)


@needs_corpus
@pytest.mark.parametrize("report_id", ERAS)
def test_no_page_numbers_or_running_headers_in_the_text(extracted, report_id):
    doc, _, _ = extracted[report_id]
    lines = doc.text.split("\n")
    assert not [line for line in lines if re.fullmatch(r"(?:page\s*)?\d{1,3}", line.strip(), re.IGNORECASE)]
    # a running header would recur once per page: no line may recur that often
    counts = {}
    for line in lines:
        if len(line) > 20:
            counts[line] = counts.get(line, 0) + 1
    assert max(counts.values()) < max(3, len(doc.page_starts) // 3)


@needs_corpus
@pytest.mark.parametrize("report_id", ["tameside-2024-02-13", "tameside-2019-07-01"])
def test_sentences_run_on_across_page_breaks(extracted, report_id):
    """Most page breaks fall mid-paragraph: the text there is one sentence,
    with no header, footer or page number inside it."""
    doc, _, _ = extracted[report_id]
    joined = [start for start in doc.page_starts[1:] if doc.text[start - 1] == " "]
    assert len(joined) >= len(doc.page_starts) // 3
    for start in joined:
        before, after = doc.text[start - 40 : start], doc.text[start : start + 40]
        assert "\n" not in before[-20:] and not re.match(r"\s*\d+\s", after)
        assert not re.search(r"Inspection of .{0,40}children.s services", before + after)


@needs_corpus
def test_hard_line_breaks_are_joined(extracted):
    doc, _, _ = extracted["barnsley-2014-08-08"]
    lines = [line for line in doc.text.split("\n") if line]
    # a line that ends mid-sentence would be followed by one starting in lowercase
    broken = [a for a, b in zip(lines, lines[1:]) if b[:1].islower() and not re.search(r"[.:;!?]$", a)]
    assert len(broken) <= 2
    assert "\x02" not in doc.text and "\r" not in doc.text


@needs_corpus
def test_html_page_named_pdf_is_an_input_error():
    path = REPORTS / HTML_PAGE
    with pytest.raises(InputError) as caught:
        load_pdf(path)
    message = str(caught.value)
    assert HTML_PAGE in message and "HTML" in message and "\n" not in message


def test_corrupt_pdf_is_an_input_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntruncated")
    with pytest.raises(InputError, match="broken.pdf"):
        load_pdf(path)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty.pdf"):
        load_pdf(empty)


# ----------------------------------------------------------------- rules and dates


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2 June 2014 \u2013 25 June 2014", ("2014-06-02", "2014-06-25")),
        ("11 to 22 March 2019", ("2019-03-11", "2019-03-22")),
        ("27 September to 8 October 2021", ("2021-09-27", "2021-10-08")),
        ("18 Feb 2014 \u2013 12 March 2014", ("2014-02-18", "2014-03-12")),
        ("29 December to 9 January 2020", ("2019-12-29", "2020-01-09")),
        ("1/06/2015 \u2013 25/06/2015", ("2015-06-01", "2015-06-25")),
        ("19 November-11 December 2013 and 28 \u2013 30 January 2014", ("2013-11-19", "2014-01-30")),
        ("3 and 4 July 2019", ("2019-07-03", "2019-07-04")),
        ("28 July 2016", (None, "2016-07-28")),  # one date: the last day on site
        ("no date here", (None, None)),
    ],
)
def test_date_ranges(text, expected):
    assert _date_range(text) == expected


def test_letters_and_papers_written_for_the_test(gazetteer):
    """Visit letters have no graded judgements; a PDF that is not a report of
    an inspection yields only the visits it mentions (text written here)."""
    letter = (
        "Focused visit to Tameside local authority children\u2019s services\n"
        "Dates of visit: 3 and 4 July 2019\n"
        "Lead inspector: Jane Example, Her Majesty\u2019s Inspector\n"
        "What needs to improve\n"
        "\u2022 The timeliness of assessments for children in need.\n"
    )
    facts = extract_report(Document("letter.pdf", letter, kind="report", page_starts=[0]), gazetteer)
    own = facts.inspections[0]
    assert (own.kind, own.framework, own.visit_start, own.visit_end) == ("focused_visit", "ILACS", "2019-07-03", "2019-07-04")
    assert own.judgements == [] and own.lead_inspector == "Jane Example"
    assert [f.polarity for f in facts.findings] == ["weakness"]
    paper = "Minutes of the cabinet\nThe Ofsted focused visit in March 2020 found progress.\n"
    facts = extract_report(Document("paper.pdf", paper, kind="report", page_starts=[0]), gazetteer)
    assert [(i.kind, i.visit_start) for i in facts.inspections] == [("focused_visit", "2020-03")]


def test_rules_file_is_validated(tmp_path):
    assert load_rules().areas and load_rules(PATTERNS_PATH).grades
    data = json.loads(PATTERNS_PATH.read_text(encoding="utf-8"))
    data["grades"][0]["code"] = "superb"
    data["visit_dates"][0] = "(unclosed"
    bad = tmp_path / "report_patterns.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_rules(bad)
    problems = caught.value.problems
    assert any("superb" in p for p in problems) and any("visit_dates" in p for p in problems)
    del data["areas"]
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataFileError):
        load_rules(bad)
