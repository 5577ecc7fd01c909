"""The inspection rules on sentences written for these tests (grades, areas, kinds, dates)."""
import pytest

from kg.extract import extract
from kg.extract.text_utils import repair_hard_wraps
from kg.model import Document
from kg.nlp.pipeline import make_docs


def facts_of(nlp, text, published=None, url=None):
    doc = Document("t.txt", repair_hard_wraps(text), published=published, url=url)
    return extract(next(nlp.pipe(make_docs(nlp, [doc]))), doc)


def grades_of(facts, council=None):
    return {(j.area, j.grade) for i in facts.inspections for j in i.judgements
            if council is None or i.council_gss == council}


def test_a_list_of_councils_after_an_annual_rating_phrase_each_get_it(nlp):
    f = facts_of(nlp, "Councils judged to be performing poorly are Leeds, Bury, Kent and Devon. The watchdog "
                      "rates nine councils (including Rutland) as \"excellent\" this year.", published="2011-11-09")
    got = {(i.council_gss, i.kind, i.framework, i.visit_start) for i in f.inspections}
    assert got == {(gss, "annual_rating", "annual_performance_rating", "2011")
                   for gss in ("E08000035", "E08000002", "E10000016", "E10000008", "E06000017")}
    assert all(grades_of(f, i.council_gss) == {("overall", "other")} for i in f.inspections)


def test_overall_effectiveness_of_safeguarding_services_is_the_overall_grade(nlp):
    f = facts_of(nlp, "An inspection in 2010 judged the overall effectiveness of Leeds City Council's safeguarding "
                      "services to be 'inadequate'.", published="2011-03-01")
    assert grades_of(f) == {("overall", "inadequate")}


def test_safeguarding_services_are_help_and_protection(nlp):
    f = facts_of(nlp, "Inspectors judged Bury's safeguarding services \"inadequate\" in 2010.", published="2012-03-01")
    assert grades_of(f) == {("help_and_protection", "inadequate")}


def test_quoted_areas_coordinated_before_their_grade(nlp):
    f = facts_of(nlp, "In the Leeds report, ‘services for children who need help and protection’, ‘services for "
                      "children looked after and achieving permanence’ and ‘leadership, management and governance’ "
                      "are judged as inadequate.", published="2016-05-01")
    assert grades_of(f) == {("help_and_protection", "inadequate"), ("children_in_care", "inadequate"),
                            ("leadership", "inadequate")}


def test_grade_before_its_areas_with_both_also_and_around(nlp):
    f = facts_of(nlp, "Ofsted rated Leeds City Council ‘inadequate’ both for the ‘impact of leaders on social work "
                      "practice’ and, also, for ‘overall effectiveness.’ The services ‘require improvement to be "
                      "good’ around ‘children who need help and protection’ and also for ‘children in care and care "
                      "leavers.’", published="2019-05-01")
    assert grades_of(f) == {("leadership", "inadequate"), ("overall", "inadequate"),
                            ("help_and_protection", "requires_improvement"),
                            ("children_in_care", "requires_improvement")}


def test_an_area_then_a_copula_then_good_is_a_grade_but_good_as_an_adjective_is_not(nlp):
    f = facts_of(nlp, "Ofsted judged Leeds services good overall, while the adoption service is outstanding.\n"
                      "• The experiences and progress of children who need help and protection, and for children "
                      "in care, are good.\nLeeds also has good links with schools and inadequate record keeping.",
                 published="2019-05-01")
    assert grades_of(f) == {("overall", "good"), ("adoption", "outstanding"), ("help_and_protection", "good"),
                            ("children_in_care", "good")}


def test_a_grade_then_the_areas_it_covers_as_a_list(nlp):
    f = facts_of(nlp, "Leeds was rated requires improvement despite being judged good in three areas - child "
                      "protection work, care leavers, and leadership, management and governance.",
                 published="2014-05-01")
    assert grades_of(f) == {("overall", "requires_improvement"), ("help_and_protection", "good"),
                            ("care_leavers", "good"), ("leadership", "good")}
    f = facts_of(nlp, "Ofsted found Leeds good in every area, including adoption and care leavers.",
                 published="2024-05-01")  # care leavers graded on their own line (not in ILACS 2018-22)
    assert grades_of(f) == {("overall", "good"), ("adoption", "good"), ("care_leavers", "good")}


def test_grades_of_schools_homes_and_national_counts_attach_to_nothing(nlp):
    f = facts_of(nlp, "Leeds City Council was rated good. Most primary schools in the city are good or outstanding, "
                      "and its children's homes are good. Only four councils hold the top grade of outstanding.",
                 published="2019-05-01")
    assert grades_of(f) == {("overall", "good")}
    f = facts_of(nlp, "Ofsted rated Bury Council's children's services good, while 12 other councils were judged "
                      "inadequate.", published="2019-05-01")
    assert grades_of(f) == {("overall", "good")}
    f = facts_of(nlp, "Leeds City Council was rated good. 28% of local authorities are rated good or outstanding, "
                      "while the majority of other local authority children's services have been rated requiring "
                      "improvement or inadequate.", published="2017-06-13")
    assert grades_of(f) == {("overall", "good")}


def test_what_needs_improvement_is_no_grade(nlp):
    f = facts_of(nlp, "Leeds City Council was judged good. The council will act on the areas that need improvement.",
                 published="2019-05-01")
    assert grades_of(f) == {("overall", "good")}


def test_dates_of_other_events_are_not_inspections(nlp):
    f = facts_of(nlp, "Ofsted rated Leeds City Council good after an inspection in March. The report praises the "
                      "appointment of a new director in 2020 and the changes we began in 2019, and notes an internal "
                      "review in 2018.", published="2023-05-01")
    assert {(i.kind, i.visit_start) for i in f.inspections} == {("full_inspection", "2023-03")}


def test_bare_words_in_a_text_about_a_joint_inspection_are_that_inspection(nlp):
    f = facts_of(nlp, "Leeds was subject to a joint targeted area inspection (JTAI) over three weeks in March 2017.\n"
                      "The Ofsted feedback letter was published earlier this month and it found good practice.",
                 published="2017-06-28")
    assert {(i.kind, i.visit_start, i.published) for i in f.inspections} == {("jtai", "2017-03", "2017-06")}


def test_a_sentence_without_a_council_is_about_the_one_its_paragraph_named(nlp):
    f = facts_of(nlp, "Bury Council was rated good in May.\n\nA spokesman for Kent County Council said it had been a "
                      "hard year. Inspectors found in October that changes had not yet bedded in.",
                 published="2010-12-09")
    assert ("E10000016", "2010-10") in {(i.council_gss, i.visit_start) for i in f.inspections}


def test_an_earlier_bare_visit_in_a_text_about_a_visit_is_its_own_inspection(nlp):
    f = facts_of(nlp, "Inspectors spent two days in Leeds City Council's children's department to examine its work on "
                      "child protection.\n\nThis year's inspection followed a visit in 2021 which found that "
                      "children's wishes needed more attention.", published="2022-11-09")
    assert {(i.kind, i.visit_start) for i in f.inspections} == {("focused_visit", "2022"), ("other", "2021")}


def test_kinds_of_the_older_frameworks_and_assurance_visits(nlp):
    f = facts_of(nlp, "Ofsted carried out a focused assurance visit to Leeds City Council in October 2020.",
                 published="2020-12-01")
    assert [(i.kind, i.visit_start) for i in f.inspections] == [("other", "2020-10")]
    f = facts_of(nlp, "Leeds City Council had an unannounced inspection of its contact, referral and assessment "
                      "arrangements in May 2011.", published="2011-12-01")
    assert [(i.kind, i.visit_start) for i in f.inspections] == [("other", "2011-05")]
    f = facts_of(nlp, "Leeds City Council's annual performance assessment in 2008 found services good.",
                 published="2011-12-01")
    assert [(i.kind, i.framework, i.visit_start, i.published) for i in f.inspections] == [
        ("annual_rating", "APA", "2008", None)]
    assert grades_of(f) == {("overall", "good")}


def test_all_of_these_areas_grades_each_area_listed_before_save_the_excepted(nlp):
    f = facts_of(nlp, "Ofsted inspected Leeds City Council in October 2016. The inspection covered three areas:\n\n"
                      "services for children in need of help and protection,\n\nservices for looked after children, "
                      "adoption and care leavers,\n\nleadership, management and governance.\n\nIn all areas, except "
                      "adoption performance which \"requires improvement\", the services were found to be inadequate.",
                 published="2017-02-01")
    assert grades_of(f) == {("adoption", "requires_improvement"), ("overall", "inadequate"),
                            ("help_and_protection", "inadequate"), ("children_in_care", "inadequate"),
                            ("care_leavers", "inadequate"), ("leadership", "inadequate")}
    f = facts_of(nlp, "The areas assessed in Leeds City Council were children who need help and protection, adoption "
                      "performance and care leavers.\nAll of these areas were found to 'require improvement'.",
                 published="2015-05-13")
    assert grades_of(f) == {(a, "requires_improvement")
                            for a in ("overall", "help_and_protection", "adoption", "care_leavers")}


def test_each_area_of_a_named_pair_and_an_unannounced_grade(nlp):
    f = facts_of(nlp, "A previous inspection of safeguarding and looked-after children services at Leeds City "
                      "Council, published in November 2010, rated each area as adequate.", published="2014-05-01")
    assert grades_of(f) == {("help_and_protection", "other"), ("children_in_care", "other")}
    f = facts_of(nlp, "During an unannounced visit in September inspectors gave Leeds City Council's child protection "
                      "service its most serious grade of \"priority action needed\".", published="2011-05-01")
    assert [(i.kind, i.visit_start) for i in f.inspections] == [("other", "2010-09")]
    assert grades_of(f) == {("help_and_protection", "other")}


def test_earlier_inspections_mentioned_in_passing_are_each_their_own(nlp):
    f = facts_of(nlp, "Leeds City Council was judged inadequate in 2012 and again in 2014.", published="2016-12-01")
    assert {(i.visit_start, tuple(j.grade for j in i.judgements)) for i in f.inspections} == {
        ("2012", ("inadequate",)), ("2014", ("inadequate",))}
    f = facts_of(nlp, "Leeds City Council was judged inadequate in 2014 and again the following year.",
                 published="2016-12-01")
    assert {i.visit_start for i in f.inspections} == {"2014", "2015"}
    f = facts_of(nlp, "Inspectors visited Leeds City Council in May and November.", published="2016-12-01")
    assert {(i.visit_start, i.visit_end) for i in f.inspections} == {("2016-05", None), ("2016-11", None)}
    f = facts_of(nlp, "Inspectors visited Leeds City Council in June and July.", published="2016-12-01")
    assert {(i.visit_start, i.visit_end) for i in f.inspections} == {("2016-06", "2016-07")}


def test_early_and_mid_months_take_the_publication_year(nlp):
    f = facts_of(nlp, "Ofsted rated Leeds City Council good after an inspection in early May.", published="2016-07-01")
    assert [i.visit_start for i in f.inspections] == ["2016-05"]


def test_this_accolade_more_categories_and_plus(nlp):
    f = facts_of(nlp, "Services in Leeds City Council were judged to be Outstanding in three out of four categories, "
                      "including overall effectiveness. The Council also earned this accolade for the impact of "
                      "leaders on social work practice, and the experiences and progress of children who need help "
                      "and protection.", published="2024-05-01")
    assert grades_of(f) == {("overall", "outstanding"), ("leadership", "outstanding"),
                            ("help_and_protection", "outstanding")}
    f = facts_of(nlp, "Leeds City Council was rated as outstanding in three categories, including overall "
                      "effectiveness, and good in two more including the experiences and progress of children in "
                      "care.", published="2024-05-01")
    assert grades_of(f) == {("overall", "outstanding"), ("children_in_care", "good")}
    f = facts_of(nlp, "The overall effectiveness of the services at Leeds City Council was graded as ‘Good’, with the "
                      "experiences and progress of children in care, plus, the experiences and progress of care "
                      "leavers as ‘Outstanding’.", published="2024-05-01")
    assert grades_of(f) == {("overall", "good"), ("children_in_care", "outstanding"), ("care_leavers", "outstanding")}


def test_all_areas_needs_a_list_introduced_just_before_it(nlp):
    f = facts_of(nlp, "Leeds City Council was judged outstanding for leadership and for help and protection in June."
                      "\n\nInspectors praised improvements since it was rated \"good\" in all areas when last inspected "
                      "in 2014.", published="2018-08-01")
    assert {(i.visit_start, j.area, j.grade) for i in f.inspections for j in i.judgements if i.visit_start == "2014"} \
        == {("2014", "overall", "good")}


def test_a_year_then_when_it_was_rated_is_that_years_inspection(nlp):
    f = facts_of(nlp, "Ofsted rated Rotherham Council's children's services good this spring, a long way from 2014 "
                      "when they were judged inadequate.", published="2024-06-01")
    by_year = {i.visit_start or i.published: grades_of_one(i) for i in f.inspections}
    assert by_year["2014"] == {("overall", "inadequate")}
    assert ("overall", "good") in set().union(*(g for y, g in by_year.items() if y != "2014"))


def grades_of_one(insp):
    return {(j.area, j.grade) for j in insp.judgements}


def test_a_previous_rating_of_is_the_earlier_inspections(nlp):
    f = facts_of(nlp, "Bury Council's children's services were judged good after an inspection in March, "
                      "following a previous rating of 'inadequate' at its last full inspection in 2017.",
                 published="2023-05-01")
    by_start = {i.visit_start: grades_of_one(i) for i in f.inspections}
    assert by_start == {"2023-03": {("overall", "good")}, "2017": {("overall", "inadequate")}}


def test_since_the_last_inspection_looks_forward(nlp):
    f = facts_of(nlp, "Members praised the progress made by Bolton Council since the last inspection to gain "
                      "the good rating overall.", published="2023-05-01")
    assert [grades_of_one(i) for i in f.inspections] == [{("overall", "good")}]


def test_after_it_was_rated_is_the_news_itself_unless_years_after(nlp):
    f = facts_of(nlp, "Leaders at Wirral Council promised swift action after it was rated inadequate by Ofsted.",
                 published="2023-05-01")
    assert len(f.inspections) == 1 and grades_of_one(f.inspections[0]) == {("overall", "inadequate")}


@pytest.mark.parametrize("text", [
    "Dorset Council set itself the goal of being rated 'good' by 2027.",
    "The cabinet member vowed to restore a good rating for Dorset Council.",
    "Most services in Dorset Council are good or better, the survey found.",
    "Dorset Council's adoption figures are as good as those of its neighbours.",
    "Dorset Council's services are no longer rated as inadequate.",
])
def test_aims_ranges_comparisons_and_negations_are_no_grades(nlp, text):
    f = facts_of(nlp, text, published="2024-02-01")
    assert ("overall", "good") not in grades_of(f) and ("help_and_protection", "inadequate") not in grades_of(f)
    assert all(not (i.visit_start or "").startswith("2024") for i in f.inspections)


def test_a_ditched_grade_is_not_the_new_one(nlp):
    f = facts_of(nlp, "Salford Council ditches its 'inadequate' rating. Inspectors judged it good in May.",
                 published="2024-07-01")
    assert sorted(grades_of_one(i) == {("overall", "good")} for i in f.inspections) == [False, True]
    assert any(grades_of_one(i) == {("overall", "inadequate")} for i in f.inspections)


def test_as_is_gives_the_grade_to_the_next_area(nlp):
    f = facts_of(nlp, "Inspectors found that the adoption service in Kent is outstanding, as is leadership.",
                 published="2016-03-01")
    assert {("adoption", "outstanding"), ("leadership", "outstanding")} <= grades_of(f)


def test_quoted_grade_then_overall_and_some_aspects(nlp):
    f = facts_of(nlp, "Services in Essex are 'good' overall and, in some aspects, 'outstanding', inspectors said.",
                 published="2016-03-01")
    assert grades_of(f) == {("overall", "good")}


@pytest.mark.parametrize("published,both", [("2015-06-01", True), ("2020-06-01", False), ("2024-06-01", True)])
def test_children_in_care_and_care_leavers_grade_both_outside_ilacs_2018_22(nlp, published, both):
    f = facts_of(nlp, "Ofsted judged services for children in care and care leavers in Essex 'good' this month.",
                 published=published)
    got = grades_of(f)
    assert ("children_in_care", "good") in got
    assert (("care_leavers", "good") in got) is both


def test_planned_visits_without_a_date_are_no_inspection(nlp):
    f = facts_of(nlp, "Ofsted rated Walsall Council inadequate in May. Ofsted will now carry out regular monitoring "
                      "visits to the council.", published="2024-07-01")
    assert [i.kind for i in f.inspections] == ["full_inspection"]


def test_a_visit_text_names_the_last_full_inspection_by_its_time(nlp):
    f = facts_of(nlp, "Inspectors made a focused visit to Bolton Council in March. The visit was the first since "
                      "Bolton was last fully inspected two years ago, when services were judged good.",
                 published="2024-05-01")
    got = {(i.kind, i.visit_start, tuple(sorted(grades_of_one(i)))) for i in f.inspections}
    assert got == {("focused_visit", "2024-03", ()), ("full_inspection", "2022", (("overall", "good"),))}


def test_today_received_the_report_is_the_publication_date(nlp):
    f = facts_of(nlp, "Kent County Council has today received the report of Ofsted's inspection, which took place "
                      "from 6 to 17 November, rating its services good.", published="2024-01-10")
    assert [(i.visit_start, i.published) for i in f.inspections] == [("2023-11-06", "2024-01-10")]


def test_care_leavers_grade_is_the_children_in_care_line_in_ilacs_2018_22(nlp):
    f = facts_of(nlp, "Ofsted rated Sefton Council's care leaver services 'good' after an inspection in March 2021.",
                 published="2021-05-01")
    assert grades_of(f) == {("children_in_care", "good")}


def test_an_unchanged_or_same_overall_grade_is_the_current_one(nlp):
    f = facts_of(nlp, "Ofsted rated Slough Borough Council's services as requiring improvement to be good after an "
                      "inspection in January 2023. The overall grade was unchanged from the previous inspection in "
                      "May 2019. Members noted that Reading Borough Council received the same overall outcome in 2022.",
                 published="2023-04-01")
    got = {(i.council_gss, i.visit_start, tuple(sorted(grades_of_one(i)))) for i in f.inspections}
    ri = (("overall", "requires_improvement"),)
    assert {("E06000039", "2023-01", ri), ("E06000039", "2019-05", ri), ("E06000038", "2022", ri)} <= got


def test_quote_marks_index_tells_someone_elses_quotation_from_ofsteds():
    from kg.extract.inspections.grading import _QuoteMarks

    text = ("Councillor Ann Smith said: “We were judged good by the inspectors in every single area this time.”\n"
            "Ofsted said the service was “inadequate” and “the council was judged inadequate in nearly every area”.")
    marks = _QuoteMarks(text)
    assert marks.in_others_quote(text.index("good"))
    assert not marks.in_others_quote(text.index("inadequate"))  # a scare quote
    assert not marks.in_others_quote(text.rindex("inadequate"))  # Ofsted's words
    assert not marks.in_others_quote(text.index("Councillor"))


def test_span_lookups_by_offset_agree_with_a_scan(nlp):
    from kg.extract.context import ExtractionContext

    text = ("Ofsted rated Leeds good in May 2023. Bradford was judged inadequate in 2018, and Kirklees good. "
            "Inspectors visited Wakefield in June.")
    doc = Document("t.txt", text, published="2023-07-01")
    ctx = ExtractionContext.build(next(nlp.pipe(make_docs(nlp, [doc]))), doc)
    for lo, hi in [(0, len(text)), (10, 60), (37, 37), (40, 200)]:
        for label in ("GRADE", "dates", "councils"):
            assert ctx.spans_in(label, lo, hi) == [s for s in ctx.doc.spans[label] if lo <= s.start_char < hi]
        assert ctx.councils_in(lo, hi) == [c for c in ctx.council_spans if lo <= c.start_char < hi]
    assert [c.kb_id_ for c in ctx.councils_in(0, len(text))] == ["E08000035", "E08000032", "E08000034", "E08000036"]


def test_areas_after_some_of_the_areas_colon_take_the_grade_and_no_overall(nlp):
    f = facts_of(nlp, "Derby City Council was judged inadequate in two of the four areas: leadership and help "
                      "and protection.", published="2024-03-01")
    assert grades_of(f) == {("leadership", "inadequate"), ("help_and_protection", "inadequate")}


@pytest.mark.parametrize("text", [
    "Derby City Council's fostering service was judged outstanding.",
    "Derby City Council's early help services were rated good.",
    "Derby City Council was rated good in all but one area.",
    "Derby City Council was rated inadequate for leadership and requires improvement for the other areas.",
])
def test_grades_of_other_services_or_of_unnamed_areas_are_not_overall(nlp, text):
    assert not {g for g in grades_of(facts_of(nlp, text, published="2024-03-01")) if g[0] == "overall"}


def test_as_was_the_area_a_few_words_on(nlp):
    f = facts_of(nlp, "Help and protection in Derby was rated 'good', as was the support of children in care.",
                 published="2024-03-01")
    assert grades_of(f) == {("help_and_protection", "good"), ("children_in_care", "good")}


def test_following_the_inspection_in_an_undated_text_is_this_inspection(nlp):
    f = facts_of(nlp, "The report presents the improvement plan following the inspection of Derby City Council "
                      "from 3 to 14 March 2025. Inspectors judged services in Derby to be good.")
    assert [(i.visit_start, tuple(sorted(grades_of_one(i)))) for i in f.inspections] == [
        ("2025-03-03", (("overall", "good"),))]
