"""The extractor protocol: one context per document, one ordered list of extractors."""
import pytest

from kg.extract import EXTRACTORS, extract
from kg.extract.base import Extractor, check_order, run
from kg.extract.context import ExtractionContext
from kg.model import Document, Inspection
from kg.nlp.pipeline import make_docs


class _Counting(Extractor):
    name, assigns = "count", "inspections"

    def __call__(self, ctx):
        # one inspection per sentence of the shared layout that names an inspection
        return [Inspection(council_gss=ctx.main_council[0]) for s, e, _ in ctx.layout.sents
                if "inspect" in ctx.text[s:e].lower()]


class _NeedsPeople(Extractor):
    name, assigns, requires = "needs", "quotes", ("people",)

    def __call__(self, ctx):
        return [len(ctx.people)]


def test_an_extractor_runs_on_a_hand_built_context():
    document = Document("t.txt", "Inspectors visited in May. They will inspect again. Nothing else.")
    ctx = ExtractionContext(document=document, main_council=("E08000008", "Tameside"))
    facts = run(ctx, [_Counting()])
    assert [i.council_gss for i in facts.inspections] == ["E08000008", "E08000008"]
    assert ctx.inspections is facts.inspections


def test_order_is_checked_before_anything_runs():
    with pytest.raises(ValueError, match="requires people"):
        check_order([_NeedsPeople()])
    bad = _Counting()
    bad.assigns = "gossip"
    with pytest.raises(ValueError, match="assigns 'gossip'"):
        check_order([bad])
    check_order(EXTRACTORS)  # the shipped list is in a valid order
    assert [e.name for e in EXTRACTORS][:2] == ["people", "quotes"]


def test_context_is_built_once_with_councils_layout_and_quotes(nlp):
    text = ('Tameside Council was rated inadequate in March 2022.\n\n'
            'The leader said: "We accept every one of the findings in full."')
    document = Document("t.txt", text, published="2022-04-01")
    doc = next(iter(nlp.pipe(make_docs(nlp, [document]))))
    ctx = ExtractionContext.build(doc, document)
    assert ctx.main_council == ("E08000008", "Tameside")
    assert [c.gss_code for c in ctx.councils] == ["E08000008"]
    assert [c.text for c in ctx.council_spans] == ["Tameside Council"]
    assert len(ctx.layout.paras) == 2 and len(ctx.layout.spans) == 1
    assert ctx.memo("k", lambda: [1]) is ctx.memo("k", lambda: [2])
    facts = extract(doc, document)
    assert facts.councils[0].gss_code == "E08000008" and facts.inspections


@pytest.mark.parametrize("published", [":", "2024-13-45", "a:b", "  "])
def test_a_hand_made_documents_odd_date_is_normalised_not_fatal(nlp, published):
    text = "Ofsted rated Tameside's children's services inadequate in its annual rating last year."
    document = Document("odd.txt", text, published=published)
    facts = extract(next(iter(nlp.pipe(make_docs(nlp, [document])))), document)
    assert facts.status == "ok", facts.errors
    for insp in facts.inspections:
        for value in (insp.visit_start, insp.published):
            assert value is None or value[:4].isdigit(), value
