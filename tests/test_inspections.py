"""Inspections and judgements from short texts written for these tests."""
import pytest

from kg.extract import extract
from kg.model import Document
from kg.nlp.pipeline import make_docs


def facts_of(nlp, text, published=None, url=None):
    from kg.extract.text_utils import repair_hard_wraps

    doc = Document("t.txt", repair_hard_wraps(text), published=published, url=url)
    sdoc = next(nlp.pipe(make_docs(nlp, [doc])))
    return extract(sdoc, doc)


def summary(facts):
    return sorted((i.kind, i.visit_start, i.visit_end, i.published,
                   tuple(sorted((j.area, j.grade) for j in i.judgements))) for i in facts.inspections)


def test_current_and_earlier_inspection(nlp):
    f = facts_of(nlp, "Ofsted has rated Barnet Council's children's services outstanding after an inspection "
                      "that began on 3 June 2024. The report was published on 19 July 2024.\n"
                      "At its previous inspection in 2019 the council was judged good.", published="2024-07-20")
    assert summary(f) == [
        ("full_inspection", "2019", None, None, (("overall", "good"),)),
        ("full_inspection", "2024-06-03", None, "2024-07-19", (("overall", "outstanding"),)),
    ]


def test_areas_listed_after_the_grade(nlp):
    f = facts_of(nlp, "Inspectors gave Leeds City Council 'good' for leadership, help and protection and "
                      "children in care, with 'outstanding' for care leavers.", published="2023-05-01")
    grades = {(j.area, j.grade) for i in f.inspections for j in i.judgements}
    assert {("leadership", "good"), ("help_and_protection", "good"), ("children_in_care", "good"),
            ("care_leavers", "outstanding")} <= grades


def test_move_between_grades(nlp):
    f = facts_of(nlp, "Ofsted has upgraded Sefton Council from 'inadequate' to 'requires improvement to be good'.",
                 published="2022-05-10")
    grades = sorted(j.grade for i in f.inspections for j in i.judgements)
    assert grades == ["inadequate", "requires_improvement"]
    assert len(f.inspections) == 2


def test_monitoring_visit_range_and_planned_visit(nlp):
    f = facts_of(nlp, "Ofsted carried out a monitoring visit to Walsall Council on 12/13 March 2024.\n"
                      "The next monitoring visit is expected in June 2024.", published="2024-04-01")
    visits = [(i.visit_start, i.visit_end) for i in f.inspections if i.kind == "monitoring_visit"]
    assert ("2024-03-12", "2024-03-13") in visits and ("2024-06", None) in visits
    assert all(not i.judgements for i in f.inspections if i.kind == "monitoring_visit")


def test_adjective_good_is_not_a_grade(nlp):
    f = facts_of(nlp, "Inspectors found a good range of placements at Rutland County Council, "
                      "but too many plans lacked detail.", published="2023-01-01")
    assert not [j for i in f.inspections for j in i.judgements]


def test_shed_grade_is_the_earlier_inspection(nlp):
    f = facts_of(nlp, "Torbay Council has shed its 'inadequate' rating. Inspectors rated its services "
                      "'requires improvement to be good' after a visit in May.", published="2023-07-01")
    by_grade = {j.grade: i for i in f.inspections for j in i.judgements}
    assert by_grade["inadequate"] is not by_grade["requires_improvement"]
    assert by_grade["requires_improvement"].visit_start == "2023-05"


def test_councillor_opinion_in_quotes_is_not_a_judgement(nlp):
    f = facts_of(nlp, "Councillor Ann Smith said:\n“We think most of our services would be judged outstanding "
                      "if inspectors looked again next year.”", published="2023-01-01")
    assert not [j for i in f.inspections for j in i.judgements]


@pytest.mark.parametrize("text,kind", [
    ("Ofsted's focused visit to Hackney Council looked at the front door.", "focused_visit"),
    ("A joint targeted area inspection of Sutton Council examined neglect.", "jtai"),
    ("An unannounced inspection of Cornwall Council found failings.", "other"),
])
def test_visit_kinds(nlp, text, kind):
    f = facts_of(nlp, text + " It was published on 2 March 2021.", published="2021-03-03")
    assert kind in {i.kind for i in f.inspections}


def _by_council(facts):
    out = {}
    for i in facts.inspections:
        out.setdefault(i.council_gss, set()).update((i.visit_start, j.area, j.grade) for j in i.judgements)
    return out


def test_each_council_in_a_comparison_keeps_its_own_grade(nlp):
    f = facts_of(nlp, "Neighbouring Bolton was rated inadequate in 2021, while Salford was judged outstanding "
                      "overall.", published="2024-11-20")
    got = _by_council(f)
    assert got["E08000001"] == {("2021", "overall", "inadequate")}  # Bolton
    assert got["E08000006"] == {(None, "overall", "outstanding")}  # Salford


def test_a_list_of_two_councils_shares_the_grade_after_it(nlp):
    f = facts_of(nlp, "Bolton and Salford were both rated good in 2024.", published="2024-11-20")
    got = _by_council(f)
    assert got["E08000001"] == got["E08000006"] == {("2024", "overall", "good")}


def test_grade_after_the_borough_was_judged_is_the_earlier_inspection(nlp):
    f = facts_of(nlp, "Children's services in Wigan have been rated good by Ofsted, three years after the "
                      "borough was judged requires improvement to be good.", published="2023-04-20")
    assert sorted(tuple(j.grade for j in i.judgements) for i in f.inspections) == [
        ("good",), ("requires_improvement",)]
    assert len(f.inspections) == 2


def test_a_visit_text_speaks_of_one_earlier_full_inspection(nlp):
    f = facts_of(nlp, "Ofsted says Sefton children's services still inadequate\n\n"
                      "Sefton Council's children's services remain inadequate, according to a monitoring visit "
                      "report published this week.\n\nInspectors who visited on 7 and 8 June found that the pace "
                      "of change was too slow.", published="2022-07-12")
    assert summary(f) == [
        ("full_inspection", None, None, None, (("overall", "inadequate"),)),
        ("monitoring_visit", "2022-06-07", "2022-06-08", "2022-07", ()),
    ]


def test_a_judgement_table_grades_each_line(nlp):
    f = facts_of(nlp, "Ofsted has inspected Southampton City Council. They judged:\n\nOverall effectiveness: Good\n\n"
                      "The experiences and progress of children who need help and protection: Good\n"
                      "The experiences and progress of children in care: Outstanding\n"
                      "The experiences and progress of care leavers: Good\n", published="2023-07-28")
    assert {(j.area, j.grade) for i in f.inspections for j in i.judgements} == {
        ("overall", "good"), ("help_and_protection", "good"), ("children_in_care", "outstanding"),
        ("care_leavers", "good")}


def test_areas_listed_after_a_colon_share_the_grade(nlp):
    f = facts_of(nlp, "Inspectors judged every area of Bradford Council's services to be inadequate: the impact of "
                      "leaders on social work practice, the help and protection given to children, and the "
                      "experiences and progress of children in care.", published="2023-01-31")
    assert {(j.area, j.grade) for i in f.inspections for j in i.judgements} == {
        ("leadership", "inadequate"), ("help_and_protection", "inadequate"), ("children_in_care", "inadequate")}


def test_the_borough_is_the_council_named_in_the_sentence_before(nlp):
    f = facts_of(nlp, "Bradford Council was judged inadequate this month. Earlier in January, Solihull was also "
                      "judged inadequate. Agencies in the borough had been the subject of a joint targeted area "
                      "inspection last year.", published="2023-01-31")
    assert [i.council_gss for i in f.inspections if i.kind == "jtai"] == ["E08000029"]  # Solihull


def test_sif_overall_title_is_the_overall_grade(nlp):
    f = facts_of(nlp, "A re-inspection of Lancashire County Council found that services for children in need of help "
                      "and protection, children looked after and care leavers now require improvement to be good.",
                 published="2018-08-17")
    assert [(j.area, j.grade) for i in f.inspections for j in i.judgements] == [("overall", "requires_improvement")]


def test_menu_words_and_names_do_not_make_an_inspection(nlp):
    f = facts_of(nlp, "Social Work Practice Today | Children | Inspection | Jobs\n\n"
                      "Nottingham progress 'steady but uneven', Ofsted monitoring visit finds\n\n"
                      "Two inspectors visited Nottingham City Council on 12 and 13 November. It was the third "
                      "monitoring visit this year, after visits in April and at the end of July.\n\n"
                      "In a letter published today, inspectors said leaders had kept a sharp focus.",
                 published="2024-12-12")
    assert summary(f) == [
        ("monitoring_visit", "2024-04", None, None, ()),
        ("monitoring_visit", "2024-07", None, None, ()),
        ("monitoring_visit", "2024-11-12", "2024-11-13", "2024-12-12", ()),
    ]


def test_grades_when_last_inspected_and_other_dates(nlp):
    f = facts_of(nlp, "Swindon Borough Council's children's services have been downgraded to inadequate.\n\n"
                      "The borough's services were rated good when they were last inspected in 2019. Inspectors "
                      "visited this summer, from 17 to 28 July, and the report was published today.\n\n"
                      "Sarah Okafor, who joined Swindon in March, said inspectors were right. The leader will "
                      "answer questions on the report at a council meeting on 21 September.",
                 published="2023-09-11")
    assert summary(f) == [
        ("full_inspection", "2019", None, None, (("overall", "good"),)),
        ("full_inspection", "2023-07-17", "2023-07-28", "2023-09-11", (("overall", "inadequate"),)),
    ]


def test_sections_headed_by_councils_keep_their_facts(nlp):
    f = facts_of(nlp, "Ofsted round-up: the councils inspected this month\n\n"
                      "1. Rutland\nThe authority was rated good after inspectors visited from 3 to 7 June. They "
                      "praised its care leavers service, which was judged outstanding.\n\n"
                      "2. Westmorland and Furness\nThe new council was rated requires improvement to be good. "
                      "Leaders were judged good.\n\n"
                      "3. Halton\nThe council was rated inadequate overall.", published="2024-07-12")
    assert _by_council(f) == {
        "E06000017": {("2024-06-03", "overall", "good"), ("2024-06-03", "care_leavers", "outstanding")},
        "E06000064": {(None, "overall", "requires_improvement"), (None, "leadership", "good")},
        "E06000006": {(None, "overall", "inadequate")},
    }


def test_overall_then_areas_each_after_for(nlp):
    f = facts_of(nlp, "At its last standard inspection, held from 9 to 20 May 2022, Wigan Council's children's "
                      "services were judged to require improvement to be good overall, for the impact of leaders, "
                      "for children who need help and protection, and for children in care and care leavers.",
                 published="2025-01-15")
    assert {(j.area, j.grade) for i in f.inspections for j in i.judgements} == {
        ("overall", "requires_improvement"), ("leadership", "requires_improvement"),
        ("help_and_protection", "requires_improvement"), ("children_in_care", "requires_improvement")}


def test_a_table_with_dashes_and_a_contrast_after_a_look_back(nlp):
    f = facts_of(nlp, "Ofsted inspected Slough Borough Council from 23 January to 3 February 2023. The judgements "
                      "were:\n\n\uf0b7 Overall effectiveness - requires improvement to be good\n"
                      "\uf0b7 The impact of leaders on social work practice with children and families - inadequate\n"
                      "\uf0b7 The experiences and progress of care leavers - requires improvement to be good\n\n"
                      "The overall grade was unchanged from the previous inspection in January 2019, but the "
                      "inadequate judgement for leadership reflected instability.", published="2023-04-17")
    assert summary(f) == [
        # "unchanged from the previous inspection": the earlier overall grade by allusion
        ("full_inspection", "2019-01", None, None, (("overall", "requires_improvement"),)),
        ("full_inspection", "2023-01-23", "2023-02-03", None,
         (("care_leavers", "requires_improvement"), ("leadership", "inadequate"), ("overall", "requires_improvement"))),
    ]


def test_a_list_of_councils_each_with_its_grade(nlp):
    f = facts_of(nlp, "Which councils were inspected in July?\n\nOfsted published these reports in July 2024:\n\n"
                      "• Rutland – good (inspected 3 to 14 June)\n• Bury – requires improvement to be good\n"
                      "• Halton – inadequate, down from requires improvement in 2019\n"
                      "• Westmorland and Furness: good overall, with outstanding for care leavers\n\n"
                      "Telford & Wrekin was rated outstanding. Sefton, judged inadequate in 2019, is now good.",
                 published="2024-08-01")
    assert _by_council(f) == {
        "E06000017": {("2024-06-03", "overall", "good")},  # Rutland
        "E08000002": {(None, "overall", "requires_improvement")},  # Bury
        "E06000006": {(None, "overall", "inadequate"), ("2019", "overall", "requires_improvement")},  # Halton
        "E06000064": {(None, "overall", "good"), (None, "care_leavers", "outstanding")},
        "E06000020": {(None, "overall", "outstanding")},  # Telford and Wrekin
        "E08000014": {("2019", "overall", "inadequate"), (None, "overall", "good")},  # Sefton
    }


def test_a_text_that_grades_first_is_about_an_inspection_whatever_visit_comes_later(nlp):
    f = facts_of(nlp, "Oldham Council's children's services have been rated good. Oldham's report, published on "
                      "Friday, followed inspectors' visit between 13 and 24 May.\n\nNeighbouring Tameside was judged "
                      "inadequate in a report published in February, following an inspection last December. "
                      "Rochdale, which was inspected in January last year, remains rated requires improvement.\n\n"
                      "Tameside expects Ofsted's first monitoring visit within months. Three advisers had started "
                      "in March.", published="2024-07-15")
    got = {(i.council_gss, i.kind, i.visit_start, i.published) for i in f.inspections if i.judgements}
    assert got == {("E08000004", "full_inspection", "2024-05-13", "2024-07-12"),
                   ("E08000008", "full_inspection", "2023-12", "2024-02"),
                   ("E08000005", "full_inspection", "2023-01", None)}


def test_a_comparison_with_a_grade_is_not_a_grade(nlp):
    f = facts_of(nlp, "Ofsted judged Warwickshire County Council's services to require improvement to be good. The "
                      "Portfolio Holder said he believed the service was closer to good than the report suggested.",
                 published="2017-07-20")
    assert {(j.area, j.grade) for i in f.inspections for j in i.judgements} == {("overall", "requires_improvement")}
