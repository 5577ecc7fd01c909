"""Grades that belong elsewhere: other councils, earlier inspections, other services, the council's
own view. Sentences written for these tests."""
import pytest

from kg.extract import extract
from kg.extract.text_utils import repair_hard_wraps
from kg.model import Document
from kg.nlp.pipeline import make_docs

BURY, DERBY, NOTTINGHAM, LEICESTER, DERBYSHIRE = "E08000002", "E06000015", "E06000018", "E06000016", "E10000007"
OLDHAM, RUTLAND, STOCKPORT, TRAFFORD, SALFORD = "E08000004", "E06000017", "E08000007", "E08000009", "E08000006"


def facts_of(nlp, text, published=None):
    doc = Document("t.txt", repair_hard_wraps(text), published=published)
    return extract(next(nlp.pipe(make_docs(nlp, [doc]))), doc)


def by_council(facts):
    out: dict = {}
    for i in facts.inspections:
        out.setdefault(i.council_gss, []).append((i.kind, i.visit_start, tuple(sorted((j.area, j.grade) for j in i.judgements))))
    return {k: sorted(v, key=str) for k, v in out.items()}


def test_sections_headed_by_a_council_and_its_grade_keep_their_own_facts(nlp):
    f = facts_of(nlp, "Results roundup\n\n1. Rutland: good\nInspectors rated the council good after "
                      "a visit in May.\n\n2. Bury: inadequate\nThe visit ran from 3 to 14 June. Help and protection "
                      "was rated inadequate.\n", published="2024-08-01")
    got = by_council(f)
    assert set(got) == {RUTLAND, BURY}
    assert (("overall", "good"),) in [g for _, _, g in got[RUTLAND]]
    assert all("inadequate" not in str(g) for g in got[RUTLAND])
    bury = {j for _, _, g in got[BURY] for j in g}
    assert bury == {("overall", "inadequate"), ("help_and_protection", "inadequate")}


def test_councils_each_with_a_grade_in_brackets(nlp):
    f = facts_of(nlp, "Ofsted rated Derby City Council good. Its neighbours: Nottingham (requires improvement), "
                      "Leicester (inadequate) and Derbyshire (good).", published="2023-03-01")
    got = {c: {j for _, _, g in v for j in g} for c, v in by_council(f).items()}
    assert got == {DERBY: {("overall", "good")}, NOTTINGHAM: {("overall", "requires_improvement")},
                   LEICESTER: {("overall", "inadequate")}, DERBYSHIRE: {("overall", "good")}}


@pytest.mark.parametrize("text,earlier,now", [
    ("Oldham Council moved up from requires improvement to be good, the grade it was given in early 2019, to good.",
     ("2019", "requires_improvement"), (None, "good")),
    ("Oldham Council climbed from requires improvement, its grade in March 2020, to good after a visit that began "
     "on 15 April.", ("2020-03", "requires_improvement"), ("2024-04-15", "good")),
    ("Oldham Council has improved from inadequate in 2018 to outstanding.", ("2018", "inadequate"), (None, "outstanding")),
])
def test_a_move_between_grades_dates_the_earlier_one_with_the_date_between_them(nlp, text, earlier, now):
    got = by_council(facts_of(nlp, text, published="2024-07-15"))[OLDHAM]
    assert {(v, g[0][1]) for _, v, g in got} == {earlier, now}


def test_areas_that_were_all_graded_the_same(nlp):
    f = facts_of(nlp, "Ofsted rated Stockport Council outstanding. Leadership, children in care and care leavers "
                      "were all outstanding; help and protection was good.", published="2024-07-15")
    assert {j for _, _, g in by_council(f)[STOCKPORT] for j in g} == {
        ("overall", "outstanding"), ("leadership", "outstanding"), ("children_in_care", "outstanding"),
        ("care_leavers", "outstanding"), ("help_and_protection", "good")}


@pytest.mark.parametrize("text", [
    "Bury Council's annual conversation with Ofsted took place in January. Its self-assessment rates services as good.",
    "A peer review last autumn judged the council's front door to be inadequate, Bury Council said.",
    "A children's home run by Salford City Council was judged inadequate in May.",
    "Schools in Salford City Council's area were mostly rated good last year.",
    "Ofsted carried out a SEND inspection of Trafford Council in March 2023.",
    "Trafford Council's fostering service was inspected in March and rated good.",
    "An inspection of a children's home run by Trafford Council in May found it inadequate.",
])
def test_other_services_and_the_councils_own_view_make_no_inspection(nlp, text):
    assert by_council(facts_of(nlp, text, published="2023-06-01")) == {}


def test_the_council_is_still_graded_beside_its_schools(nlp):
    f = facts_of(nlp, "Trafford Council's children's services were inspected in February 2023 and rated good, and "
                      "its schools were praised.", published="2023-06-01")
    assert by_council(f) == {TRAFFORD: [("full_inspection", "2023-02", (("overall", "good"),))]}


@pytest.mark.parametrize("text", [
    "Members reviewed the borough's Ofsted history: 2013 inadequate; 2017 requires improvement; 2021 good.",
    "Bury Council's record: inadequate (2013), requires improvement (2017) and good (2021).",
    "Bury Council was rated inadequate in 2013, requires improvement in 2017 and good in 2021.",
    "Past Ofsted outcomes for Bury Council\n2013 – Inadequate\n2017 – Requires Improvement\n2021 – Good\n",
])
def test_a_list_of_years_each_with_its_grade_is_that_many_inspections(nlp, text):
    f = facts_of(nlp, "Bury Council scrutiny panel.\n" + text, published="2023-03-01")
    assert by_council(f)[BURY] == [("full_inspection", "2013", (("overall", "inadequate"),)),
                                   ("full_inspection", "2017", (("overall", "requires_improvement"),)),
                                   ("full_inspection", "2021", (("overall", "good"),))]


def test_a_year_before_good_as_an_adjective_is_no_grade(nlp):
    f = facts_of(nlp, "In 2018 good progress was made by Bury Council, and in 2021 outstanding work was "
                      "recognised.", published="2023-03-01")
    assert by_council(f) == {}


@pytest.mark.parametrize("text,areas", [
    ("Bury Council was graded good in every area assessed: children who need help and protection; children "
     "looked after and achieving permanence; adoption performance; and leadership, management and governance.",
     {"overall", "help_and_protection", "children_in_care", "adoption", "leadership"}),
    ("Bury Council's services are good on every line they grade: the impact of leaders, help and protection, "
     "and children in care.", {"overall", "leadership", "help_and_protection", "children_in_care"}),
    ("Inspectors rated the impact of leaders at Bury Council good, along with the experiences and progress of "
     "children who need help and protection and of care leavers.", {"leadership", "help_and_protection", "care_leavers"}),
])
def test_a_grade_then_the_areas_it_covers(nlp, text, areas):
    got = by_council(facts_of(nlp, text, published="2016-03-01"))[BURY]
    assert {j for _, _, g in got for j in g} == {(a, "good") for a in areas}


def test_the_coordinated_areas_just_before_a_grade_share_it(nlp):
    f = facts_of(nlp, "At Bury Council help and protection was inadequate, while children looked after and "
                      "adoption performance all required improvement.", published="2016-03-01")
    assert {j for _, _, g in by_council(f)[BURY] for j in g} == {
        ("help_and_protection", "inadequate"), ("children_in_care", "requires_improvement"),
        ("adoption", "requires_improvement")}


def test_a_paragraph_about_an_earlier_inspection_keeps_its_grades(nlp):
    f = facts_of(nlp, "Bury Council's children's services were rated good by Ofsted after an inspection in June 2019.\n\n"
                      "When inspectors visited in March 2016 they judged services in the borough to be inadequate. "
                      "Help and protection was inadequate too, while adoption required improvement.\n\n"
                      "This time inspectors found leaders who knew their services well.", published="2019-08-01")
    got = by_council(f)[BURY]
    assert ("full_inspection", "2016-03", (("adoption", "requires_improvement"), ("help_and_protection", "inadequate"),
                                           ("overall", "inadequate"))) in got
    assert ("full_inspection", "2019-06", (("overall", "good"),)) in got


def test_a_present_tense_look_back_carries_nothing_on(nlp):
    f = facts_of(nlp, "Bury Council remains at requires improvement overall, as it was in 2019. Children in care "
                      "were rated good after the visit in May.", published="2024-07-15")
    now = [g for _, v, g in by_council(f)[BURY] if v != "2019"]
    assert any(("children_in_care", "good") in g for g in now)


def test_a_report_dateline_and_made_public_date_the_report(nlp):
    f = facts_of(nlp, "Ofsted report, January 2017\n\nIn October and November 2016 Ofsted inspected Bury Council's "
                      "children's services. The outcome was made public at the end of January 2017 and services "
                      "were judged inadequate.", published="2017-02-05")
    assert [(i.visit_start, i.published) for i in f.inspections] == [("2016-10", "2017-01")]


@pytest.mark.parametrize("text,visits", [
    ("Ofsted's monitoring of Bury Council continues; the most recent visit, in March, found progress.", ["2023-03"]),
    ("Since then Ofsted has monitored Bury Council closely, with visits in 2021 and 2022.", ["2021", "2022"]),
    ("The monitoring report from Ofsted's visit to Bury Council in March said leaders had made progress.", ["2023-03"]),
])
def test_visits_of_an_inspectorate_said_to_be_monitoring_are_monitoring_visits(nlp, text, visits):
    got = by_council(facts_of(nlp, text, published="2023-06-01"))[BURY]
    assert sorted(v for k, v, _ in got if k == "monitoring_visit") == visits
    assert not [v for k, v, _ in got if k == "full_inspection"]


@pytest.mark.parametrize("text", [
    "The framework, introduced in November 2013, uses the grades outstanding, good, requires improvement and "
    "inadequate. Bury Council was rated good.",
    "Councils are graded 'outstanding', 'good', 'requires improvement' or 'inadequate'. Bury Council was rated good.",
])
def test_the_scale_named_in_full_and_a_frameworks_start_are_no_inspection(nlp, text):
    assert by_council(facts_of(nlp, text, published="2015-03-01")) == {BURY: [("full_inspection", None, (("overall", "good"),))]}


def test_indented_minutes_with_hard_wraps_keep_each_area_with_its_grade(nlp):
    f = facts_of(nlp, "    Bury Council's Executive noted the report of the inspection, published on\n"
                      "    24 February 2020. The judgements for each area were:\n\n"
                      "    (a) the impact of leaders on social work practice with children and\n"
                      "        families - requires improvement to be good;\n"
                      "    (b) the experiences and progress of children who need help and\n"
                      "        protection - inadequate.\n", published="2020-03-09")
    assert {j for _, _, g in by_council(f)[BURY] for j in g} == {
        ("leadership", "requires_improvement"), ("help_and_protection", "inadequate")}


def test_the_named_overall_grade_beats_a_headlines_second_grade(nlp):
    f = facts_of(nlp, "Ofsted finds Bury's services are 'inadequate' and 'require improvement to be good'\n\n"
                      "Ofsted has rated Bury Council 'inadequate' for overall effectiveness after an inspection in "
                      "March. Services for children in care 'require improvement to be good'.", published="2019-05-08")
    assert {j for _, _, g in by_council(f)[BURY] for j in g} == {
        ("overall", "inadequate"), ("children_in_care", "requires_improvement")}


@pytest.mark.parametrize("text,now", [
    ("After a visit in May, Bury Council held on to the outstanding rating it earned in early 2020.", "2024-05"),
    ("Bury Council has kept its outstanding rating from 2020 after inspectors visited in May.", "2024-05"),
    ("Bury Council has retained the 'outstanding' grade it was given in 2020.", None),
])
def test_a_grade_kept_from_an_earlier_year_is_that_inspections_too(nlp, text, now):
    got = by_council(facts_of(nlp, text, published="2024-07-15"))[BURY]
    assert sorted(got, key=str) == sorted([("full_inspection", "2020", (("overall", "outstanding"),)),
                                           ("full_inspection", now, (("overall", "outstanding"),))], key=str)
