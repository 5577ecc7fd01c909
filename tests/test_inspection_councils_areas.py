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


def test_areas_enclosed_by_dashes_or_brackets_take_the_grade_after(nlp):
    got = grades_by_council(nlp, "Bury Council's adoption service was rated inadequate in March 2015. Every other area "
                                 "- help and protection, services for children looked after, and leadership - was also "
                                 "found to require improvement. The safeguarding board, reviewed at the same time, got the "
                                 "same verdict.", published="2015-04-01")
    assert got[BURY] >= {("adoption", "inadequate"), ("help_and_protection", "requires_improvement"),
                         ("children_in_care", "requires_improvement"), ("leadership", "requires_improvement"),
                         ("lscb", "requires_improvement")}
    got = grades_by_council(nlp, "Bury Council was rated good. Three areas (leadership, help and protection and care "
                                 "leavers) were all judged good, and adoption was outstanding.", published="2016-05-01")
    assert got[BURY] >= {("leadership", "good"), ("help_and_protection", "good"), ("care_leavers", "good"),
                         ("adoption", "outstanding")}


def test_the_areas_a_grade_covered_listed_in_the_next_sentence(nlp):
    got = grades_by_council(nlp, "Inspectors arrived on 4 June. The verdict is that Bury's services for children are "
                                 "inadequate. Not in one team, but on every line they grade: the impact of leaders on "
                                 "social work practice and the experiences and progress of children who need help and "
                                 "protection.", published="2018-07-20")
    assert got[BURY] == {("overall", "inadequate"), ("leadership", "inadequate"), ("help_and_protection", "inadequate")}


def test_a_visit_series_since_that_inspection_dates_the_inspection(nlp):
    got = inspections_of(nlp, "Ofsted's latest monitoring visit to Bury began on 18 February. The visit is the latest in "
                              "a series of monitoring visits since that inspection, which took place in July 2022 and found "
                              "services inadequate in all four areas judged: overall effectiveness, the impact of leaders "
                              "on social work practice with children and families, and the experiences and progress of "
                              "children who need help and protection.\n\n\"Today it is, and inspectors know it,\" she said.",
                         "2025-03-21")
    full = [g for g in got if g[3]]
    assert [g[1] for g in full] == ["2022-07"]
    assert full[0][3] == {("overall", "inadequate"), ("leadership", "inadequate"), ("help_and_protection", "inadequate")}
    assert not any(g[1] == "2025-03-21" for g in got)


def test_inspectors_who_arrived_on_a_day_and_tuesdays_report(nlp):
    got = inspections_of(nlp, "I read Tuesday's Ofsted report on Bury with dismay. Inspectors arrived at the town hall on "
                              "4 June and judged services inadequate.", "2018-07-20")
    assert [(g[1], g[2]) for g in got] == [("2018-06-04", "2018-07-17")]


def kinds_of(nlp, text, published):
    doc = Document("t.txt", repair_hard_wraps(text), published=published)
    facts = extract(next(nlp.pipe(make_docs(nlp, [doc]))), doc)
    return sorted(((i.kind, i.visit_start, i.published, frozenset((j.area, j.grade) for j in i.judgements))
                   for i in facts.inspections), key=str)


def test_an_annual_rating_a_fall_from_the_year_before(nlp):
    got = kinds_of(nlp, "The committee received a report of the Corporate Director on Ofsted's annual assessment of Bury's "
                        "children's services for 2010, which had been published last month. Bury had been assessed as "
                        "performing poorly, a fall from the previous year's assessment.", "2010-12-08")
    assert got == [("annual_rating", "2009", None, frozenset()),
                   ("annual_rating", "2010", "2010-11", frozenset({("overall", "other")}))]


def test_a_next_inspection_not_expected_before_a_year_is_none(nlp):
    got = kinds_of(nlp, "Bury's services were last inspected in 2009. The next such inspection was not expected before "
                        "2012.", "2010-12-08")
    assert [g[1] for g in got] == ["2009"]


def test_old_scale_grades_after_a_long_object_and_to_be(nlp):
    got = kinds_of(nlp, "Members heard that the inspection of Bury in the summer of 2009 had judged the overall "
                        "effectiveness of safeguarding services to be adequate and the overall effectiveness of services "
                        "for looked after children to be adequate.", "2010-12-08")
    assert got and ("children_in_care", "other") in got[0][3] and len(got[0][3]) == 2


def test_a_deadline_by_early_march_is_no_inspection(nlp):
    got = kinds_of(nlp, "The joint targeted area inspection of Bury took place from 18 to 22 November 2019. Unlike the "
                        "ILACS inspection of 2018, a JTAI gives no grade; the partnership must send a written statement "
                        "of action by early March.", "2020-02-05")
    assert [(k, v) for k, v, _, _ in got] == [("full_inspection", "2018"), ("jtai", "2019-11-18")]


def test_in_a_text_about_a_focused_visit_the_inspection_report_is_the_inspections(nlp):
    got = kinds_of(nlp, "Ofsted Focused Visit to Bury\n\nInspectors carried out a focused visit to Bury on 29 and 30 "
                        "October 2024. At its last standard inspection, held from 9 to 20 May 2022, Bury was judged to "
                        "require improvement to be good. The inspection report was published on 5 July 2022. The letter "
                        "says that the offer for care leavers has been strengthened since 2022.", "2025-01-14")
    assert [(k, v, p) for k, v, p, _ in got] == [("focused_visit", "2024-10-29", None),
                                                 ("full_inspection", "2022-05-09", "2022-07-05")]


def test_since_the_years_inspection_looks_back_in_an_undated_text(nlp):
    got = kinds_of(nlp, "Bury's services have declined. In its last full inspection in 2016, the service was rated good. "
                        "But the latest report said it required improvement to be good. Ofsted said that since the 2016 "
                        "inspection there had been warnings.", None)
    assert sorted(((v, j) for _, v, _, j in got), key=str) == [
        ("2016", {("overall", "good")}), (None, {("overall", "requires_improvement")})]


def test_a_council_in_general_has_no_grade(nlp):
    got = grades_by_council(nlp, "Bury Council was rated good last month. Its director was asked what advice she would "
                                 "give a director whose council has just been judged inadequate.", published="2025-06-10")
    assert got[BURY] == {("overall", "good")}


def test_a_decade_after_dates_the_earlier_grade(nlp):
    got = kinds_of(nlp, "Bury Council's children's services were rated good by Ofsted last month, a decade after the "
                        "borough was judged inadequate. Three years ago it required improvement to be good.", "2025-06-10")
    dated = {v: j for _, v, _, j in got}
    assert dated.get("2015") == {("overall", "inadequate")}
    assert dated.get("2022") == {("overall", "requires_improvement")}
    assert not any(("overall", "inadequate") in j for v, j in dated.items() if v != "2015")


def test_a_letter_after_two_kinds_of_visit_in_one_sentence(nlp):
    got = kinds_of(nlp, "Bury had a focused visit in 2022 and a monitoring visit in May 2023; the letter said progress "
                        "was slow.", "2023-07-01")
    assert [(k, v) for k, v, _, _ in got] == [("focused_visit", "2022"), ("monitoring_visit", "2023-05")]
