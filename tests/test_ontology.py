"""The ontology, code schemes, shapes, JSON-LD context and generated reference docs."""
import json
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.rdf.namespace import (CODE_URI, CONTEXT_FILE, DCTERMS, FOAF, ID, KGO, KGO_URI, OA, ONS_GEOGRAPHY, ORG, PROV,
                              SDO, SHAPES_FILE, VOID, codes, concept, ontology_graph, scheme_iri)

REPO = Path(__file__).resolve().parents[1]
SCHEME_OF_DESIGN_LINE = {"inspection kind": "kind", "framework": "framework", "judgement area": "area",
                         "grade": "grade", "role category": "role", "finding polarity": "polarity"}
FINER = "(skos:exactMatch|skos:closeMatch|skos:broadMatch)"


@pytest.fixture(scope="module")
def onto():
    return ontology_graph()


def design_codes(corpus) -> dict:
    text = (corpus.parent / "DESIGN.md").read_text(encoding="utf-8")
    section = text.split("Codes (the `skos:notation`", 1)[1].split("## Named queries", 1)[0]
    out = {}
    for line in re.findall(r"^- ([a-z ]+): (.+?)(?=^- |\Z)", section, re.M | re.S):
        name, values = line
        if name in SCHEME_OF_DESIGN_LINE:
            out[SCHEME_OF_DESIGN_LINE[name]] = set(re.findall(r"`([^`]+)`", values))
    return out


def test_codes_are_the_design_codes(corpus):
    expected = design_codes(corpus)
    assert set(expected) == set(SCHEME_OF_DESIGN_LINE.values())
    for scheme, values in expected.items():
        assert codes(scheme) == values, scheme
    assert codes("direction") == {"improved", "declined", "unchanged"}


def test_every_own_term_is_labelled_defined_and_attached(onto):
    own = {s for s in onto.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(KGO_URI)}
    assert len(own) > 40
    for term in own:
        assert onto.value(term, RDFS.label) is not None, term
        assert len(str(onto.value(term, RDFS.comment) or "")) > 15, term
        assert (term, RDFS.isDefinedBy, URIRef("https://w3id.org/ofsted-kg/def")) in onto, term
    for prop in onto.subjects(RDF.type, OWL.ObjectProperty):
        if str(prop).startswith(KGO_URI):
            assert (prop, RDF.type, OWL.DatatypeProperty) not in onto, prop


def test_reused_terms_are_declared_with_their_vocabulary_and_use(onto):
    reused = [s for s in onto.subjects(RDFS.isDefinedBy, None) if not str(s).startswith(KGO_URI)]
    assert {ORG.Membership, PROV.wasDerivedFrom, FOAF.Person, SDO.NewsArticle, OA.TextQuoteSelector,
            VOID.triples, DCTERMS.source} <= set(reused)
    for term in reused:
        assert str(term).startswith(str(onto.value(term, RDFS.isDefinedBy))), term
        assert onto.value(term, SKOS.scopeNote) is not None, term


def test_namespaces_are_closed():
    with pytest.raises(AttributeError):
        KGO.visitStrat  # noqa: B018
    with pytest.raises(AttributeError):
        ORG.Membershp  # noqa: B018
    with pytest.raises(AttributeError):
        SDO.NewsArticel  # noqa: B018
    with pytest.raises(KeyError):
        concept("grade", "failing")
    assert str(KGO.visitStart) == KGO_URI + "visitStart"


def test_concepts_have_labels_definitions_and_one_code(onto):
    concepts = set(onto.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 80
    code_of = {}
    for row in onto.query(f"""
            SELECT ?concept ?code WHERE {{
                ?concept a skos:Concept .
                ?concept {FINER}? ?c .
                ?c skos:inScheme/a <{KGO_URI}CodeScheme> ; skos:notation ?code .
            }}""", initNs={"skos": SKOS}):
        code_of.setdefault(row.concept, set()).add(str(row.code))
    for c in concepts:
        assert len(list(onto.objects(c, SKOS.prefLabel))) == 1, c
        assert len(list(onto.objects(c, SKOS.definition))) == 1, c
        assert len(code_of.get(c, ())) == 1, (c, code_of.get(c))
    # every code concept's IRI ends in its code, the notation is a plain string
    for scheme in ("kind", "framework", "area", "grade", "role", "polarity", "direction"):
        for code in codes(scheme):
            c = concept(scheme, code)
            assert onto.value(c, SKOS.notation) == Literal(code)
            assert (c, SKOS.topConceptOf, scheme_iri(scheme)) in onto
            assert (scheme_iri(scheme), SKOS.hasTopConcept, c) in onto


def test_wordings_and_finer_concepts(onto):
    cic = concept("area", "children_in_care")
    assert Literal("children looked after and achieving permanence", lang="en") in set(onto.objects(cic, SKOS.altLabel))
    combined = URIRef(CODE_URI + "ilacs-2018/children_in_care_and_care_leavers")
    assert (combined, SKOS.broadMatch, cic) in onto
    adequate = URIRef(CODE_URI + "scale-2009/adequate")
    assert (adequate, SKOS.broadMatch, concept("grade", "other")) in onto
    assert Literal("failing", lang="en") in set(onto.objects(concept("grade", "inadequate"), SKOS.hiddenLabel))


def test_ontology_and_schemes_conform_to_the_shapes(onto):
    from kg.validate import validate_graph

    report = validate_graph(onto)
    assert report.conforms, report.text


def test_shapes_cover_every_class_the_build_emits(onto):
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    targeted = set(shapes.objects(None, URIRef("http://www.w3.org/ns/shacl#targetClass")))
    emitted = {KGO.Council, KGO.Inspection, KGO.Judgement, KGO.Finding, KGO.Quote, KGO.CouncilMention, KGO.Evidence,
               KGO.SourceDocument, ORG.Membership, ORG.Organization, FOAF.Person, OA.TextQuoteSelector,
               OA.TextPositionSelector, SKOS.Concept, SKOS.ConceptScheme}
    assert emitted <= targeted


def test_worked_example_conforms_and_covers_the_ontology(onto):
    from kg.rdf.docs import example_dataset
    from kg.validate import validate_graph

    ex = example_dataset()
    data = Graph()
    for s, p, o, _g in ex.quads((None, None, None, None)):
        data.add((s, p, o))
    for t in onto:
        data.add(t)
    report = validate_graph(data)
    assert report.conforms, report.text
    used = {p for _s, p, _o, _g in ex.quads((None, None, None, None))} | \
           {o for _s, _p, o, _g in ex.quads((None, RDF.type, None, None))}
    own = {s for s in onto.subjects(RDF.type, None) if str(s).startswith(KGO_URI)}
    not_in_example = {str(t)[len(KGO_URI):] for t in own - used}
    # declared for data the example has no room for: a content hash, a visit theme, council dates
    assert not_in_example <= {"contentHash", "visitTheme", "CodeScheme"}, not_in_example


def test_councils_link_to_ons_statistical_geography():
    from kg.nlp.gazetteer import default_gazetteer
    from kg.rdf.mapping import reference_graph

    g = reference_graph(default_gazetteer())
    councils = set(g.subjects(RDF.type, KGO.Council))
    assert len(councils) >= 153
    for c in councils:
        gss = str(g.value(c, KGO.gssCode))
        assert g.value(c, KGO.statisticalGeography) == ONS_GEOGRAPHY[gss]
    assert (ID["council/E08000008"], KGO.statisticalGeography,
            URIRef("http://statistics.data.gov.uk/id/statistical-geography/E08000008")) in g


def test_jsonld_context_compacts_and_expands_the_example():
    from kg.rdf.docs import example_dataset

    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    ex = example_dataset()
    text = ex.serialize(format="json-ld", context=context, auto_compact=True)
    doc = json.loads(text)
    assert doc["@context"] == context
    assert "Judgement" in text and '"area"' in text  # short names were used
    back = Dataset()
    back.parse(data=text, format="json-ld")
    for ctx in ex.graphs():
        if len(ctx):
            assert isomorphic(back.graph(ctx.identifier), ctx), ctx.identifier


def test_generated_docs_are_up_to_date():
    from kg.rdf.docs import REGENERATE, stale

    out = [str(p.relative_to(REPO)) for p in stale()]
    assert not out, f"out of date: {out}; regenerate with `{REGENERATE}`"


def test_docs_have_a_page_per_term_and_a_diagram(onto):
    docs = REPO / "docs" / "ontology"
    index = (docs / "README.md").read_text(encoding="utf-8")
    assert "```mermaid\nclassDiagram" in index
    for term in onto.subjects(RDF.type, None):
        if not str(term).startswith(KGO_URI):
            continue
        local = str(term)[len(KGO_URI):]
        folder = "classes" if (term, RDF.type, OWL.Class) in onto else "properties"
        page = docs / folder / f"{local}.md"
        assert page.is_file(), page
        text = page.read_text(encoding="utf-8")
        assert str(onto.value(term, RDFS.comment)) in text
        assert "## Example" in text
        assert f"({folder}/{local}.md)" in index


def test_no_prov_activity_is_described_as_an_entity(seeds_build):
    """PROV-O makes prov:Activity and prov:Entity disjoint: no node typed an Activity (directly or
    through a subclass) is typed an Entity, or is the subject of a property whose domain is Entity,
    or the object of one whose range is Entity; so an OWL reasoner finds no clash."""
    import kg

    out, _ = seeds_build
    clash = kg.query("""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?x ?why WHERE {
          GRAPH ?g { ?x a ?c } GRAPH ?o { ?c rdfs:subClassOf* prov:Activity }
          { GRAPH ?g2 { ?x a ?e } GRAPH ?o2 { ?e rdfs:subClassOf* prov:Entity } BIND("typed an Entity" AS ?why) }
          UNION { GRAPH ?g2 { ?x prov:wasDerivedFrom|prov:wasGeneratedBy|prov:wasAttributedTo|prov:wasRevisionOf|prov:wasQuotedFrom|prov:hadPrimarySource ?y }
                  BIND("subject of an Entity property" AS ?why) }
          UNION { GRAPH ?g2 { ?y prov:wasDerivedFrom|prov:used|prov:generated|prov:wasRevisionOf|prov:wasQuotedFrom|prov:hadPrimarySource ?x }
                  BIND("object of an Entity-ranged property" AS ?why) }
        }""", graph=out)
    assert clash == []
    reported = kg.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?i a kgo:Inspection ; kgo:reportedIn ?d } }", graph=out)
    assert int(reported[0]["n"]) > 0
