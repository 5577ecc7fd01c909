"""Which area a grade claims when several grades share a sentence (sentences written for these tests)."""
from kg.extract import extract
from kg.model import Document
from kg.nlp.pipeline import make_docs


def grades_of(nlp, text, published="2024-03-01"):
    doc = Document("t.txt", text, published=published)
    facts = extract(next(nlp.pipe(make_docs(nlp, [doc]))), doc)
    return {(j.area, j.grade) for i in facts.inspections for j in i.judgements}


def test_a_grade_does_not_claim_an_area_across_the_next_grade(nlp):
    assert grades_of(nlp, "Hull's services were judged 'good', with 'outstanding' for the impact of leaders.") == {
        ("overall", "good"), ("leadership", "outstanding")}


def test_a_grade_still_claims_the_area_right_after_it(nlp):
    assert grades_of(nlp, "Hull was rated good overall, but inadequate for help and protection.") == {
        ("overall", "good"), ("help_and_protection", "inadequate")}
