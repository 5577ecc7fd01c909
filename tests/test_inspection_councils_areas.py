"""Grades of other councils named beside the text's own (comparisons, predecessors) and areas
graded in lists. Sentences written for these tests."""
import pytest

from kg.extract import extract
from kg.extract.text_utils import repair_hard_wraps
from kg.model import Document
from kg.nlp.pipeline import make_docs

ISLINGTON, HACKNEY, CAMDEN, HARINGEY, BURY = "E09000019", "E09000012", "E09000007", "E09000014", "E08000002"
WESTMORLAND, CUMBRIA = "E06000064", "E10000006"


def grades_by_council(nlp, text, published="2024-05-01"):
    doc = Document("t.txt", repair_hard_wraps(text), published=published)
    facts = extract(next(nlp.pipe(make_docs(nlp, [doc]))), doc)
    out: dict = {}
    for i in facts.inspections:
        out.setdefault(i.council_gss, set()).update((j.area, j.grade) for j in i.judgements)
    return out


@pytest.mark.parametrize("text,own,other", [
    ("Ofsted has published its report on Islington Council. The council was judged inadequate, unlike "
     "neighbouring Hackney, which was rated good.", "inadequate", "good"),
    ("Inspectors spent two weeks in Islington in March. Services were rated requires improvement, compared with "
     "Hackney, which was judged outstanding last year.", "requires_improvement", "outstanding"),
    ("Inspectors spent two weeks in Islington in March. Unlike Hackney, which was rated inadequate in 2022, the "
     "borough was judged good.", "good", "inadequate"),
])
def test_a_grade_in_a_comparison_is_the_compared_councils(nlp, text, own, other):
    got = grades_by_council(nlp, text)
    assert got[ISLINGTON] == {("overall", own)}
    assert got.get(HACKNEY, set()) == {("overall", other)}


def test_the_council_before_a_parenthetical_comparison_keeps_its_grade(nlp):
    got = grades_by_council(nlp, "Ofsted visited Hackney and Islington this spring. Islington, unlike Hackney, "
                                 "was rated good.")
    assert got.get(ISLINGTON) == {("overall", "good")}
    assert not got.get(HACKNEY)


def test_neighbours_each_with_their_own_grade(nlp):
    got = grades_by_council(nlp, "Ofsted visited Islington in March and rated it good. Of its neighbours, Camden is "
                                 "outstanding, Hackney requires improvement and Haringey is inadequate.")
    assert got == {ISLINGTON: {("overall", "good")}, CAMDEN: {("overall", "outstanding")},
                   HACKNEY: {("overall", "requires_improvement")}, HARINGEY: {("overall", "inadequate")}}


def test_a_council_good_at_something_is_no_grade(nlp):
    got = grades_by_council(nlp, "Camden is good at finding foster homes, inspectors said after their visit in May.")
    assert not any(got.values())


def test_the_council_a_new_one_replaced_takes_none_of_its_grades(nlp):
    got = grades_by_council(nlp, "Westmorland and Furness: good\nThis was the new council's first inspection since it "
                                 "replaced Cumbria County Council in April 2023. It was rated good overall, and good for "
                                 "help and protection.", published="2024-07-15")
    assert got.get(WESTMORLAND) == {("overall", "good"), ("help_and_protection", "good")}
    assert not got.get(CUMBRIA)


@pytest.mark.parametrize("sentence,expected", [
    ("The report rated leadership, help and protection, children in care and care leavers all good.",
     {("leadership", "good"), ("help_and_protection", "good"), ("children_in_care", "good"), ("care_leavers", "good")}),
    ("Inspectors rated leaders and help and protection outstanding, with children in care and care leavers good.",
     {("leadership", "outstanding"), ("help_and_protection", "outstanding"), ("children_in_care", "good"),
      ("care_leavers", "good")}),
    ("Help and protection was judged good, and for care leavers it was requires improvement.",
     {("help_and_protection", "good"), ("care_leavers", "requires_improvement")}),
    ("The judgements were: leadership, good; help and protection, requires improvement; children in care, "
     "requires improvement.", {("leadership", "good"), ("help_and_protection", "requires_improvement"),
                               ("children_in_care", "requires_improvement")}),
])
def test_areas_named_before_their_grades(nlp, sentence, expected):
    got = grades_by_council(nlp, "Ofsted inspected Bury Council's children's services in March. " + sentence)
    assert got[BURY] - {("overall", g) for g in ("good", "outstanding", "requires_improvement")} == expected


def test_a_date_range_is_no_move_between_grades(nlp):
    doc_text = ("Bury Council: outstanding\nInspectors, on site from 3 to 14 June, rated leaders outstanding and "
                "help and protection good.")
    doc = Document("t.txt", doc_text, published="2024-08-01")
    facts = extract(next(nlp.pipe(make_docs(nlp, [doc]))), doc)
    graded = [i for i in facts.inspections if i.judgements]
    assert len(graded) == 1 and graded[0].visit_start == "2024-06-03"
    assert {(j.area, j.grade) for j in graded[0].judgements} >= {("leadership", "outstanding"),
                                                                  ("help_and_protection", "good")}


@pytest.mark.parametrize("text,earlier", [
    ("Bury Council was rated outstanding, up from good in 2020.", True),
    ("Bury Council was rated outstanding. A step up from good in 2021.", True),
    ("Bury Council was rated outstanding and has moved up from good practice to excellent practice.", False),
])
def test_the_grade_a_council_stepped_up_from_is_the_earlier_inspections(nlp, text, earlier):
    doc = Document("t.txt", text, published="2024-08-01")
    facts = extract(next(nlp.pipe(make_docs(nlp, [doc]))), doc)
    past = [(i.visit_start, {(j.area, j.grade) for j in i.judgements}) for i in facts.inspections
            if ("overall", "good") in {(j.area, j.grade) for j in i.judgements}]
    assert bool(past) == earlier
    if earlier:
        assert past[0][0] in ("2020", "2021")


def inspections_of(nlp, text, published):
    doc = Document("t.txt", repair_hard_wraps(text), published=published)
    facts = extract(next(nlp.pipe(make_docs(nlp, [doc]))), doc)
    return sorted(((i.council_gss, i.visit_start, i.published, frozenset((j.area, j.grade) for j in i.judgements))
                   for i in facts.inspections), key=str)


def test_a_report_published_yesterday_is_todays_report(nlp):
    got = inspections_of(nlp, "Bury Council has been rated good. The report, published yesterday, follows an inspection "
                              "from 3 to 14 June. Inspectors rated the council good overall, little more than two years "
                              "after they found it inadequate.\n\n\"Today's report is a credit to our staff,\" the leader said.",
                         "2024-07-24")
    current = [g for g in got if g[1] == "2024-06-03"]
    assert len(current) == 1 and current[0][2] == "2024-07-23" and current[0][3] == {("overall", "good")}
    assert not any(("overall", "inadequate") in g[3] and g[1] and g[1] >= "2024" for g in got)


def test_a_month_of_that_year_and_a_grade_so_was_another_area(nlp):
    got = inspections_of(nlp, "Bury was also judged inadequate in 2019, after an inspection in February of that year in "
                              "which help and protection was found inadequate and so was the line for children in care.",
                         "2024-05-20")
    assert [g for g in got if g[1] == "2019-02"] and not [g for g in got if g[1] == "2024-02"]
    assert {("help_and_protection", "inadequate"), ("children_in_care", "inadequate")} <= set().union(*(g[3] for g in got))


def test_the_day_a_report_appeared_is_its_publication(nlp):
    got = inspections_of(nlp, "Last Tuesday Ofsted published its long-delayed report on Bury Council, rating it "
                              "inadequate. Inspectors were on site from 30 September to 11 October 2023. The report did "
                              "not appear until 13 February 2024.", "2024-02-20")
    assert [(g[1], g[2]) for g in got] == [("2023-09-30", "2024-02-13")]


def test_councils_counted_in_a_loose_number_grade_no_one_with_that_grade(nlp):
    got = grades_by_council(nlp, "Bury Council was rated good. A number of councils have been given an inadequate grade "
                                 "on that line: this year Camden and Hackney were both rated inadequate for care leavers.")
    assert got[CAMDEN] == got[HACKNEY] == {("care_leavers", "inadequate")}
