"""Findings of Ofsted reports by judgement area: rules on a report written here, then real
reports of each era read from ../shared/corpus/reports (never copied here)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kg.extract.findings import named_area
from kg.extract.report import extract_report, load_rules
from kg.extract.report_findings import report_findings
from kg.extract.report import _lines
from kg.model import Document
from kg.nlp.gazetteer import default_gazetteer
from kg.rdf.namespace import codes
from kg.sources.pdf import load_pdf

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "reports"
needs_corpus = pytest.mark.skipif(not REPORTS.is_dir(), reason=f"corpus expected at {REPORTS}")

# A report in the ILACS 2018-22 layout, in words written for this test.
REPORT = """Inspection of Exampleshire local authority children's services
Inspection dates: 4 March 2019 to 15 March 2019
Judgement Grade
The impact of leaders on social work practice with children and families
Good
Overall effectiveness Good
Leaders have a thorough understanding of the strengths of their services. Staff morale is high.
What needs to improve
\u25fc The timeliness of initial health assessments for children entering care.
The experiences and progress of children who need help and protection: good
1. Referrals are dealt with promptly and thresholds are well understood by partners. Strategy discussions are timely.
2. Some plans lack clear timescales, so that actions drift for a few children. The team meets weekly.
The experiences and progress of children in care and care leavers: good
3. Children in care live in stable homes and their carers are well supported.
4. Care leavers are well supported by personal advisers who know them well. Pathway plans are not always updated.
The impact of leaders on social work practice with children and families: good
5. Senior leaders have created a strong culture of learning. Caseloads are manageable.
What the inspection judgements mean
An outstanding local authority leads highly effective services for children.
"""


def _run(text, full=True):
    doc = Document("r.pdf", text, kind="report", page_starts=[0])
    rules = load_rules()
    return report_findings(doc, _lines(text), None, rules, full=full)


def test_each_evaluative_sentence_takes_the_area_of_its_heading():
    found = {f.text: (f.area, f.polarity) for f in _run(REPORT)}
    assert found["Leaders have a thorough understanding of the strengths of their services."] == ("overall", "strength")
    assert found["The timeliness of initial health assessments for children entering care."] == ("overall", "weakness")
    assert found["Referrals are dealt with promptly and thresholds are well understood by partners."] == (
        "help_and_protection", "strength")
    assert found["Some plans lack clear timescales, so that actions drift for a few children."] == (
        "help_and_protection", "weakness")
    assert found["Children in care live in stable homes and their carers are well supported."] == (
        "children_in_care", "strength")
    assert found["Senior leaders have created a strong culture of learning."] == ("leadership", "strength")
    # the paragraph number is not part of the finding; a plain statement of fact is no finding
    assert "The team meets weekly." not in found
    assert not any(t[:1].isdigit() for t in found)
    # the explanation of grades at the end is not about this council
    assert not any("highly effective services" in t for t in found)
    # the grade table on the front page gives no findings
    assert not any(t.startswith("Good") for t in found)


# sentences in the register of a report's judgement sections, written for this test, with the polarity a
# reader gives them: the report extractor reads each body sentence's polarity with findings.polarity
REPORT_SENTENCES = [
    ("Most children benefit from timely and purposeful visits from their social workers.", "strength"),
    ("Management oversight of casework does not always provide clear direction.", "weakness"),
    ("Too many children experience frequent changes of social worker.", "weakness"),
    ("Return home interviews are not consistently offered to children who go missing.", "weakness"),
    ("Senior leaders know their services well and have an accurate self-assessment.", "strength"),
    ("A small number of children wait too long for their plans to be reviewed.", "weakness"),
    ("Care leavers speak highly of their personal advisers, who stay in touch with them.", "strength"),
    ("Assessments are thorough and capture the child's lived experience.", "strength"),
    ("Quality assurance arrangements are underdeveloped and do not drive improvement.", "weakness"),
    ("Children are seen alone and their wishes and feelings inform their plans.", "strength"),
    ("The quality of written plans is variable, and some lack measurable outcomes.", "weakness"),
    ("Partners understand thresholds, and referrals are appropriate.", "strength"),
    ("Leaders have not acted with sufficient urgency to address weaknesses in the front door.", "weakness"),
    ("Placement sufficiency remains a significant challenge for the local authority.", "weakness"),
    ("Disabled children receive sensitive and well-coordinated support.", "strength"),
    ("Strategy meetings are not always attended by all relevant agencies.", "weakness"),
]


def test_report_sentences_get_the_polarity_a_reader_gives_them():
    from kg.extract.findings import polarity

    wrong = [(text, want, polarity(text)) for text, want in REPORT_SENTENCES if polarity(text) != want]
    assert wrong == []
    # and in a report's section, each becomes a finding with that polarity
    body = "\n".join(text for text, _ in REPORT_SENTENCES)
    text = REPORT.split("The experiences and progress of children in care")[0] + body + "\n"
    found = {f.text: f.polarity for f in _run(text)}
    assert all(found.get(t) == want for t, want in REPORT_SENTENCES)


def test_care_leaver_paragraphs_of_a_combined_section_are_care_leavers():
    found = {f.text: f.area for f in _run(REPORT)}
    assert found["Care leavers are well supported by personal advisers who know them well."] == "care_leavers"
    assert found["Pathway plans are not always updated."] == "care_leavers"


def test_a_heading_glued_to_the_paragraph_before_still_opens_its_section():
    text = ("The experiences and progress of children in care: good\n"
            "1. Children live in stable and safe homes. Leadership, management and governance Inadequate\n"
            "2. Managers do not check the quality of plans and oversight is weak.\n")
    found = {f.text: f.area for f in _run(text)}
    assert found["Children live in stable and safe homes."] == "children_in_care"
    assert found["Managers do not check the quality of plans and oversight is weak."] == "leadership"


def test_a_heading_written_as_a_sentence_opens_its_section():
    text = ("The experiences and progress of children looked after and achieving permanence are good\n"
            "1. Children in care live in stable homes and are well supported by their carers.\n"
            "The graded judgement about the experience and progress of care leavers is that it is good.\n"
            "2. Personal advisers know young people well and give them effective support.\n")
    found = {f.text: f.area for f in _run(text)}
    assert found == {
        "Children in care live in stable homes and are well supported by their carers.": "children_in_care",
        "Personal advisers know young people well and give them effective support.": "care_leavers"}


def test_an_executive_summary_inside_the_lscb_review_stays_lscb():
    text = ("The Local Safeguarding Children Board requires improvement\n"
            "Executive summary\n"
            "The board does not evaluate the impact of multi-agency training well enough.\n"
            "Executive summary\n")
    assert [(f.area, f.polarity) for f in _run(text)] == [("lscb", "weakness")]


def test_a_list_outside_any_section_is_the_summarys_only_in_a_full_inspection():
    text = "What needs to improve\n\u2022 The quality of supervision for social workers in the duty team.\n"
    assert [f.area for f in _run(text, full=True)] == ["overall"]
    assert [f.area for f in _run(text, full=False)] == [None]


def test_news_findings_take_the_one_area_their_sentence_names():
    assert named_area("Inspectors said care leavers were well supported.") == "care_leavers"
    assert named_area("Ofsted found the adoption service was strong.") == "adoption"
    assert named_area("Inspectors found children in care and care leavers were well served.") == "children_in_care"
    # two areas, or only the overall service: no area
    assert named_area("Help and protection was weak but care leavers were well supported.") is None
    assert named_area("Ofsted said the overall service was poor.") is None


# ----------------------------------------------------------------- real reports of each era

ERAS = {
    "norfolk-2013-08-16": {"children_in_care", "leadership", "other", "overall"},  # 2013 looked after children
    "barnsley-2014-08-08": {"help_and_protection", "children_in_care", "adoption", "care_leavers", "leadership",
                            "lscb", "overall"},  # SIF with the LSCB review
    "tameside-2016-12-09": {"help_and_protection", "children_in_care", "adoption", "care_leavers", "leadership",
                            "lscb", "overall"},  # SIF, a heading glued to a paragraph
    "rotherham-2018-01-29": {"help_and_protection", "children_in_care", "adoption", "care_leavers", "leadership",
                             "overall"},  # SIF re-inspection: headings written as sentences
    "tameside-2019-07-01": {"help_and_protection", "children_in_care", "care_leavers", "leadership",
                            "overall"},  # ILACS 2018-22
    "birmingham-2023-04-18": {"help_and_protection", "children_in_care", "care_leavers", "leadership",
                              "overall"},  # ILACS from 2023
}


@pytest.fixture(scope="module")
def extracted():
    gaz = default_gazetteer()
    return {rid: extract_report(load_pdf(REPORTS / f"{rid}.pdf"), gaz) for rid in ERAS}


@needs_corpus
@pytest.mark.parametrize("report_id", sorted(ERAS))
def test_every_judgement_section_of_a_report_gives_findings(extracted, report_id):
    facts = extracted[report_id]
    by_area = Counter(f.area for f in facts.findings)
    assert set(by_area) == ERAS[report_id]
    for area in ERAS[report_id]:
        assert by_area[area] >= 3, (area, by_area)
    for f in facts.findings:
        assert f.area in codes("area") and f.polarity in codes("polarity")
        assert f.text == f.evidence.text and f.evidence.page >= 1
    assert {f.polarity for f in facts.findings} == {"strength", "weakness"}


@needs_corpus
def test_tameside_2019_care_leaver_sentences_are_care_leaver_findings(extracted):
    leavers = [f for f in extracted["tameside-2019-07-01"].findings if f.area == "care_leavers"]
    assert len(leavers) >= 5
    assert any("care leavers" in f.text.lower() for f in leavers)
    # the combined section's other paragraphs stay with children in care
    in_care = [f for f in extracted["tameside-2019-07-01"].findings if f.area == "children_in_care"]
    assert len(in_care) > len(leavers)
