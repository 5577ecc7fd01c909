"""Build the seeds for real and check that the named queries return the seed facts."""
import json

from rdflib import Dataset

from conftest import rows
from kg.query import named_queries

CONTRACT = {
    "councils": ["council", "gss_code", "source"],
    "people": ["person", "role_category", "role_title", "organisation", "source"],
    "inspections": ["council", "kind", "framework", "visit_start", "visit_end", "published", "source"],
    "judgements": ["council", "kind", "visit_start", "published", "area", "grade", "source"],
    "findings": ["council", "polarity", "text", "source"],
    "quotes": ["speaker", "text", "source"],
    "timeline": ["council", "date", "kind", "area", "grade", "source"],
    "leaders-at-inspection": ["council", "inspection_date", "grade", "person", "role_category", "source"],
    "grade-changes": ["council", "from_date", "from_grade", "to_date", "to_grade", "direction"],
    "contradictions": ["council", "inspection_date", "area", "claimed_grade", "claimed_source", "record_grade", "record_source"],
    "coverage": ["council", "latest_inspection_date", "latest_grade", "documents"],
}


def test_outputs_exist(seeds_build):
    out, result = seeds_build
    for name in ("store", "graph.trig", "graph.ttl", "graph.html", "report.json"):
        assert (out / name).exists(), name
    report = json.loads((out / "report.json").read_text())
    assert report["totals"]["documents"] == 5
    assert all(s["status"] == "ok" for s in report["sources"])


def test_named_queries_have_contract_columns(seeds_build):
    from kg.query import run_query

    out, _ = seeds_build
    assert set(CONTRACT) <= set(named_queries())
    for name, cols in CONTRACT.items():
        columns, _ = run_query(out, named_queries()[name][1])
        assert columns[: len(cols)] == cols or set(cols) <= set(columns), name


def test_tameside_2016_judgements_by_area(seeds_build):
    out, _ = seeds_build
    got = {(r["area"], r["grade"]) for r in rows(out, "judgements")
           if r["source"] == "002_2e19480df4b66f4b.txt" and not (r["visit_start"] or "").startswith("2012")}
    assert {("adoption", "good"), ("help_and_protection", "inadequate"), ("leadership", "inadequate"),
            ("children_in_care", "requires_improvement")} <= got


def test_kieran_quinn_leads_tameside(seeds_build):
    out, _ = seeds_build
    hits = [r for r in rows(out, "people") if r["person"] == "Kieran Quinn"]
    assert hits and hits[0]["role_category"] == "leader"
    assert hits[0]["organisation"] == "Tameside Council"
    assert hits[0]["role_title"] == "Executive Leader of Tameside Council"


def test_middlesbrough_monitoring_visit(seeds_build):
    out, _ = seeds_build
    visits = [r for r in rows(out, "inspections") if r["council"] == "Middlesbrough" and r["kind"] == "monitoring_visit"]
    assert any(r["visit_start"] == "2022-03-29" and r["visit_end"] == "2022-03-30" for r in visits)


def test_every_fact_has_evidence_in_its_document(seeds_build, corpus):
    """Each evidence selector's exact text is the document text at its offsets."""
    from kg.sources import load_one
    from kg.extract.text_utils import repair_hard_wraps

    out, _ = seeds_build
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    q = """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX kgo: <https://w3id.org/ofsted-kg/def#>
    SELECT ?sid ?exact ?start ?end WHERE { GRAPH ?g { ?ev oa:hasSource ?d ; oa:hasSelector ?s .
    ?s oa:exact ?exact ; oa:start ?start ; oa:end ?end . ?d kgo:sourceId ?sid ; kgo:documentKind ?kind }
    FILTER(?kind != "reference") }"""  # the leaders table's pages are cited, not read
    texts = {}
    n = 0
    for sid, exact, start, end in ds.query(q):
        sid = str(sid)
        if sid not in texts:
            texts[sid] = repair_hard_wraps(load_one(corpus / "seeds" / sid).text)
        assert texts[sid][int(start):int(end)] == str(exact)
        n += 1
    assert n > 50


def test_timeline_param(seeds_build):
    out, _ = seeds_build
    tl = rows(out, "timeline", council="tameside")
    assert tl and {r["council"] for r in tl} == {"Tameside"}
    assert rows(out, "timeline", council="Nowhere") == []


def test_rebuild_uses_cache_and_replaces_atomically(seeds_build, tmp_path, corpus):
    import shutil

    from kg.build import build
    from kg.config import Config

    src = tmp_path / "src"
    shutil.copytree(corpus / "seeds", src)
    out = tmp_path / "out"
    config = Config().with_(sources=(str(src),), out=out, viz=False)
    build(config)
    (src / "000_efe9e54a5b9a4011.txt").unlink()
    second = build(config)
    assert all(s.get("cached") for s in second.sources)
    assert second.totals["documents"] == 4
    ids = {r["source"] for r in rows(out, "councils")}
    assert "000_efe9e54a5b9a4011.txt" not in ids  # a removed source loses its graph
    from kg.output import leftovers

    assert leftovers(out) == []  # no temporary folders left behind


def test_bad_inputs_are_reported_and_the_rest_builds(tmp_path, corpus):
    from kg.build import build
    from kg.config import Config

    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text("Ofsted rated Tameside Council's children's services 'inadequate' in February 2024.")
    (src / "broken.pdf").write_text("<html><body>404 Not Found</body></html>")
    (src / "feed.jsonl").write_text("{oops\n")
    result = build(Config().with_(sources=(str(src),), out=tmp_path / "out", viz=False))
    by = {s["source"]: s for s in result.sources}
    assert by["good.txt"]["status"] == "ok"
    assert by["broken.pdf"]["status"] == "error" and "broken.pdf" in by["broken.pdf"]["errors"][0]
    assert by["feed.jsonl"]["status"] == "error" and "feed.jsonl:1: not valid JSON" in by["feed.jsonl"]["errors"][0]


def test_an_extractor_failure_is_that_documents_error(tmp_path, monkeypatch):
    import kg.extract as extract_mod
    from kg.build import build
    from kg.config import Config

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Ofsted rated Tameside Council's children's services 'inadequate' in February 2024.")
    (src / "b.txt").write_text("Ofsted rated Kent County Council's children's services 'good' in June 2017.")
    real = extract_mod.extract

    def flaky(sdoc, document):
        if document.source_id == "b.txt":
            raise ValueError("boom")
        return real(sdoc, document)

    monkeypatch.setattr(extract_mod, "extract", flaky)
    result = build(Config().with_(sources=(str(src),), out=tmp_path / "out", viz=False))
    by = {s["source"]: s for s in result.sources}
    assert by["a.txt"]["status"] == "ok"
    assert by["b.txt"]["status"] == "error"
    assert by["b.txt"]["errors"] == [f"{src / 'b.txt'}: extraction failed (ValueError: boom)"]
    assert not by["b.txt"]["cached"]
