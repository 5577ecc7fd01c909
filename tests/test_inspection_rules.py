"""The inspection rules on sentences written for these tests (grades, areas, kinds, dates)."""
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
                 published="2019-05-01")
    assert grades_of(f) == {("overall", "good"), ("adoption", "good"), ("care_leavers", "good")}
