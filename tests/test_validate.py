"""`kg validate`: builds conform to their shapes; violations name focus node and source document."""
import pyoxigraph
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.errors import ValidationFailed
from kg.export import load_dataset
from kg.rdf.namespace import DCTERMS, ID, KGO, ONS_GEOGRAPHY, PROV, VOID, concept
from kg.validate import check, validate, validate_dataset


@pytest.fixture(scope="module")
def dev_build(tmp_path_factory, corpus):
    from kg.build import build
    from kg.config import Config

    out = tmp_path_factory.mktemp("dev") / "out"
    build(Config().with_(sources=(str(corpus / "dev"),), out=out, viz=False))
    return out


def test_dev_build_conforms(dev_build):
    report = check(dev_build)  # raises ValidationFailed on any violation
    assert report.conforms, report.text
    assert report.errors == []
    assert report.text.splitlines()[-1].startswith("conforms:")


def test_seeds_build_conforms(seeds_build):
    out, _ = seeds_build
    report = validate(out)
    assert report.conforms, report.text


@pytest.fixture(scope="module")
def seeds_ds(seeds_build):
    return load_dataset(seeds_build[0])


def _copy(ds: Dataset) -> Dataset:
    out = Dataset()
    for q in ds.quads((None, None, None, None)):
        out.add(q)
    return out


def _first(ds, prop):
    return sorted(((s, o, g) for s, _p, o, g in ds.quads((None, prop, None, None))), key=lambda t: str(t[0]))[0]


def test_violations_name_focus_node_path_and_source_document(seeds_ds):
    ds = _copy(seeds_ds)
    # a judgement without its document and with a value from the wrong scheme
    judgement, _grade, graph = _first(ds, KGO.grade)
    source = str(next(ds.graph(graph).objects(None, KGO.sourceId)))
    ds.remove((judgement, PROV.wasDerivedFrom, None, None))
    ds.remove((judgement, KGO.grade, None, None))
    ds.add((judgement, KGO.grade, concept("area", "overall"), graph))
    # a council whose ONS link is not its GSS code's
    council, _geo, ref = _first(ds, KGO.statisticalGeography)
    ds.remove((council, KGO.statisticalGeography, None, None))
    ds.add((council, KGO.statisticalGeography, ONS_GEOGRAPHY["E99999999"], ref))
    # a graded monitoring visit with a date-time for a date
    inspection, _kind, igraph = _first(ds, KGO.judgement)
    ds.remove((inspection, KGO.inspectionKind, None, None))
    ds.add((inspection, KGO.inspectionKind, concept("kind", "monitoring_visit"), igraph))
    ds.add((inspection, KGO.visitStart, Literal("2019-05-01T10:00:00", datatype=XSD.dateTime), igraph))

    report = validate_dataset(ds)
    assert not report.conforms
    mine = {v["path"]: v for v in report.errors if v["focus_node"] == "kgid:" + str(judgement)[len(str(ID)):]}
    assert {"prov:wasDerivedFrom", "kgo:grade"} <= set(mine)
    for v in mine.values():
        assert v["source"] == source and v["sources"] == [source]
        assert v["severity"] == "Violation" and v["message"]
    assert mine["kgo:grade"]["value"] == "codearea:overall"
    line = next(l for l in report.text.splitlines() if "kgo:grade" in l)
    assert source in line and mine["kgo:grade"]["focus_node"] in line and "grade code scheme" in line
    messages = {(v["source"], v["message"]) for v in report.errors}
    assert ("reference", f"the statistical geography {ONS_GEOGRAPHY['E99999999']} is not the ONS IRI of the "
                         f"council's GSS code") in messages
    assert any("monitoring or focused visit has no graded judgement" in m for _s, m in messages)
    assert any("xsd:date, xsd:gYearMonth, xsd:gYear or xsd:gMonthDay" in m for _s, m in messages)
    assert report.text.splitlines()[-1].startswith("does not conform:")


def test_a_findings_area_must_be_an_area_code(seeds_ds):
    ds = _copy(seeds_ds)
    finding, _pol, graph = _first(ds, KGO.polarity)
    assert (finding, RDF.type, KGO.Finding) in ds.graph(graph)
    ds.add((finding, KGO.area, concept("area", "care_leavers"), graph))
    assert validate_dataset(ds).conforms
    ds.remove((finding, KGO.area, None, None))
    ds.add((finding, KGO.area, concept("grade", "good"), graph))
    report = validate_dataset(ds)
    assert not report.conforms
    assert any(v["path"] == "kgo:area" and "finding's area" in v["message"] for v in report.errors)


def test_check_raises_validation_failed_with_exit_code_9(seeds_build, tmp_path):
    import shutil

    out = tmp_path / "broken"
    shutil.copytree(seeds_build[0], out)
    store = pyoxigraph.Store(str(out / "store"))
    jn = next(iter(store.quads_for_pattern(None, pyoxigraph.NamedNode(str(KGO.grade)), None, None)))
    store.remove(jn)
    store.flush()
    del store
    with pytest.raises(ValidationFailed) as info:
        check(out)
    assert info.value.exit_code == 9
    assert str(info.value).startswith("1 violations of the shapes in")
    assert info.value.report.errors[0]["path"] == "kgo:grade"


def test_dataset_description_is_exact(seeds_build):
    out, result = seeds_build
    store = pyoxigraph.Store.read_only(str(out / "store"))
    ds = load_dataset(out)
    node = ID["dataset"]
    ref = ds.graph(ID["graph/reference"])
    assert int(ref.value(node, VOID.triples)) == len(store) == result.totals["quads"]
    subsets = set(ref.objects(node, VOID.subset))
    named = {c.identifier for c in ds.graphs() if len(c)}
    assert subsets == named
    for gid in subsets:
        assert int(ref.value(gid, VOID.triples)) == len(ds.graph(gid)), gid
    sources = set(ref.objects(node, DCTERMS.source))
    docs = {s for s, _p, _o, _g in ds.quads((None, RDF.type, KGO.SourceDocument, None))}
    from kg.sources.leaders import leader_facts

    # the five seeds and the pages the leaders table cites
    assert sources == docs and int(ref.value(node, VOID.documents)) == len(docs) == 5 + len(leader_facts())
    assert ref.value(node, DCTERMS.created).datatype == XSD.dateTime
    assert "kg " in str(ref.value(node, DCTERMS.hasVersion))
    software = ref.value(ref.value(node, PROV.wasGeneratedBy), PROV.wasAssociatedWith)
    assert software is not None and (software, URIRef("https://schema.org/softwareVersion"), None) in ref
    judgements = ref.value(ID["dataset/class/Judgement"], VOID.entities)
    assert int(judgements) == len({s for s, _p, _o, _g in ds.quads((None, RDF.type, KGO.Judgement, None))})


ORG_NS = "http://www.w3.org/ns/org#"


def test_every_membership_has_its_organisation(dev_build):
    from kg.store import open_store

    store = open_store(dev_build)
    ask = ("PREFIX org: <http://www.w3.org/ns/org#> ASK { GRAPH ?g { ?m a org:Membership "
           "FILTER NOT EXISTS { ?m org:organization ?o } } }")
    assert store.query(ask).__bool__() is False
    # a person named with no organisation is kept as a person mention, with its evidence
    rows = list(store.query(
        "PREFIX kgo: <https://w3id.org/ofsted-kg/def#> PREFIX foaf: <http://xmlns.com/foaf/0.1/> "
        "SELECT ?m ?name ?ev WHERE { GRAPH ?g { ?m a kgo:PersonMention ; kgo:mentionOf ?p ; kgo:mentionedAs ?r ; "
        "kgo:evidence ?ev } GRAPH ?g2 { ?p foaf:name ?name } }"))
    for r in rows:
        assert r["name"].value and r["ev"].value.startswith(str(ID) + "evidence/")


def test_a_person_named_without_an_organisation_is_a_mention_not_a_membership():
    from kg.model import Document, DocumentFacts, Evidence, PersonRole
    from kg.rdf.mapping import DocumentMapper

    doc = Document(source_id="byline.txt", kind="news", published="2024-03-01",
                   text="By Sam Writer\nA council leader spoke.\n")
    facts = DocumentFacts(document=doc)
    facts.people = [PersonRole("Sam Writer", "other", "Reporter", None, None, held_on="2024-03-01",
                               evidence=Evidence(doc.source_id, 3, 13, "Sam Writer"))]
    g = DocumentMapper(facts, {}, {}).map()
    assert not list(g.subjects(RDF.type, URIRef(ORG_NS + "Membership")))
    (m,) = g.subjects(RDF.type, KGO.PersonMention)
    assert g.value(m, KGO.roleTitle) == Literal("Reporter")
    assert g.value(m, KGO.mentionedAs) == concept("role", "other")
    assert g.value(m, KGO.heldOn) is not None and g.value(m, KGO.evidence) is not None
    assert g.value(m, PROV.wasDerivedFrom) is not None


def test_a_membership_without_its_organisation_is_a_violation(seeds_ds):
    ds = _copy(seeds_ds)
    membership, _org, graph = _first(ds, URIRef(ORG_NS + "organization"))
    ds.remove((membership, URIRef(ORG_NS + "organization"), None, None))
    report = validate_dataset(ds)
    assert not report.conforms
    assert any(v["path"] == "org:organization" and "names its organisation" in v["message"] for v in report.errors)
