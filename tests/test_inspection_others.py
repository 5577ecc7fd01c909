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
