"""What the faster build must keep: the same RDF whether a build is clean or incremental.

A rebuild reuses the last build's store and Turtle chunks; these tests check
behaviour (graphs replaced, dropped, not remapped), never timings.
"""
import json
import re
import shutil

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg.build import build
from kg.config import Config
from kg.output import leftovers
from kg.rdf import mapping
from kg.rdf.mapping import doc_graph_iri, nt_literal

CHANGED = "001_f8cf6eedfe8efa19.txt"
REMOVED = "000_efe9e54a5b9a4011.txt"
MARKER = "\n\nRutland County Council said the change was made on purpose.\n"
VOLATILE = ("http://purl.org/dc/terms/created", "http://www.w3.org/ns/prov#startedAtTime")


def store_quads(out) -> dict:
    """Graph -> set of N-Triples statements; build times left out, blank nodes renamed alike."""
    store = ox.Store.read_only(str(out / "store"))
    graphs: dict = {}
    for q in store:
        if q.predicate.value in VOLATILE:
            continue
        t = re.sub(r"_:\w+", "_:b", str(ox.Triple(q.subject, q.predicate, q.object)))
        graphs.setdefault(q.graph_name.value, set()).add(t)
    return graphs


def file_quads(path, fmt) -> set:
    s = ox.Store()
    s.load(path=str(path), format=fmt)
    return {re.sub(r"_:\w+", "_:b", f"{q.subject} {q.predicate} {q.object} {q.graph_name}") for q in s
            if q.predicate.value not in VOLATILE}


@pytest.fixture()
def src(tmp_path, corpus):
    folder = tmp_path / "src"
    shutil.copytree(corpus / "seeds", folder)
    return folder


@pytest.fixture()
def mapped(monkeypatch):
    """Source ids whose graph the build maps (again)."""
    seen = []
    original = mapping.DocumentMapper.statements

    def spy(self):
        seen.append(self.sid)
        return original(self)

    monkeypatch.setattr(mapping.DocumentMapper, "statements", spy)
    return seen


def test_literals_escape_per_n_triples():
    from rdflib.namespace import XSD

    tricky = ['say "no"', "back\\slash", "two\nlines\r", "tab\tand \x01 and \u2028 and caf\u00e9 \U0001F600", ""]
    g = Graph().parse(data="".join(f"<http://x/s> <http://x/p> {nt_literal(v)} .\n" for v in tricky), format="nt")
    assert {str(o) for o in g.objects()} == set(tricky)
    store = ox.Store()
    store.load("".join(f"<http://x/s> <http://x/p> {nt_literal(v)} <http://x/g> .\n" for v in tricky).encode(),
               format=ox.RdfFormat.N_QUADS)
    assert {q.object.value for q in store} == set(tricky)
    for lit in (Literal("2024-03", datatype=XSD.gYearMonth), Literal(42, datatype=XSD.integer),
                Literal("Tameside", lang="en")):
        text = nt_literal(str(lit), str(lit.datatype or ""), lit.language or "")
        assert Graph().parse(data=f"<http://x/s> <http://x/p> {text} .", format="nt").value(
            URIRef("http://x/s"), URIRef("http://x/p")) == lit


def test_incremental_rebuild_equals_clean_build(tmp_path, src, mapped):
    config = Config().with_(sources=(str(src),), out=tmp_path / "out")
    build(config)
    first = store_quads(tmp_path / "out")
    mapped.clear()
    with (src / CHANGED).open("a", encoding="utf-8") as fh:
        fh.write(MARKER)
    (src / REMOVED).unlink()
    build(config)
    assert mapped == [CHANGED]  # the other documents' graphs were reused, not mapped again
    clean = tmp_path / "clean"
    build(config.with_(out=clean, cache=False))
    incremental = store_quads(tmp_path / "out")
    assert incremental == store_quads(clean)

    changed, removed = str(doc_graph_iri(CHANGED)), str(doc_graph_iri(REMOVED))
    assert incremental[changed] != first[changed]
    assert any("council/E06000017" in t for t in incremental[changed])  # Rutland: the new text
    assert removed in first and removed not in incremental
    for out in (tmp_path / "out", clean):
        trig = file_quads(out / "graph.trig", ox.RdfFormat.TRIG)
        assert trig == {f"{t} <{g}>" for g, ts in store_quads(out).items() for t in ts}
        ttl = {t.rsplit(" ", 1)[0] for t in file_quads(out / "graph.ttl", ox.RdfFormat.TURTLE)}
        assert ttl == {t for ts in store_quads(out).values() for t in ts}
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert REMOVED not in {s["source"] for s in report["sources"]}
    index = json.loads((tmp_path / "out" / "cache" / "rdf" / "index.json").read_text())
    assert removed not in index["graphs"]
    chunks = {p.stem for p in (tmp_path / "out" / "cache" / "rdf").glob("*.ttl")}
    assert chunks == {g["key"] for g in index["graphs"].values()}  # the removed graph's chunk is dropped


def test_nothing_changed_maps_nothing_and_keeps_the_view(tmp_path, src, mapped):
    config = Config().with_(sources=(str(src),), out=tmp_path / "out")
    build(config)
    html = tmp_path / "out" / "graph.html"
    drawn = html.stat().st_ino
    before = store_quads(tmp_path / "out")
    mapped.clear()
    again = build(config)
    assert mapped == []
    assert html.stat().st_ino == drawn  # the last build's view, linked rather than drawn again
    assert store_quads(tmp_path / "out") == before
    assert again.totals["quads"] == len(ox.Store.read_only(str(tmp_path / "out" / "store")))
    with (src / CHANGED).open("a", encoding="utf-8") as fh:
        fh.write(MARKER)
    build(config)
    assert html.stat().st_ino != drawn and "Rutland" in html.read_text(encoding="utf-8")


def test_worker_processes_give_the_same_graph(tmp_path, src):
    one = build(Config().with_(sources=(str(src),), out=tmp_path / "one", cache=False, viz=False))
    two = build(Config().with_(sources=(str(src),), out=tmp_path / "two", cache=False, viz=False,
                               n_process=2, batch_size=2))  # small batches, so the pool is used
    assert store_quads(tmp_path / "one") == store_quads(tmp_path / "two")
    assert one.sources == two.sources


def test_a_failed_rebuild_leaves_the_last_build(tmp_path, src, monkeypatch):
    config = Config().with_(sources=(str(src),), out=tmp_path / "out", viz=False)
    build(config)
    before = store_quads(tmp_path / "out")
    report = (tmp_path / "out" / "report.json").read_text()
    with (src / CHANGED).open("a", encoding="utf-8") as fh:
        fh.write(MARKER)

    def broken(self):
        raise RuntimeError("mapping failed")

    monkeypatch.setattr(mapping.DocumentMapper, "statements", broken)
    with pytest.raises(RuntimeError):
        build(config)
    assert (tmp_path / "out" / "report.json").read_text() == report
    assert store_quads(tmp_path / "out") == before
    assert leftovers(tmp_path / "out") == []


def test_a_failed_serialisation_fails_the_build_cleanly(tmp_path, src, monkeypatch):
    import kg.publish
    from kg.errors import KgError

    def broken(*args, **kwargs):
        raise RuntimeError("no Turtle today")

    monkeypatch.setattr(kg.publish, "_turtle_body", broken)  # the forked serialising process inherits it
    monkeypatch.setattr(kg.publish, "FORK_MIN_GRAPHS", 1)
    with pytest.raises(KgError, match="write_serialisations failed"):
        build(Config().with_(sources=(str(src),), out=tmp_path / "out"))
    assert not (tmp_path / "out").exists() and leftovers(tmp_path / "out") == []


def test_an_unreadable_last_store_means_a_fresh_one(tmp_path, src):
    config = Config().with_(sources=(str(src),), out=tmp_path / "out", viz=False)
    build(config)
    expected = store_quads(tmp_path / "out")
    for f in (tmp_path / "out" / "store").iterdir():
        f.unlink()
    build(config)
    assert store_quads(tmp_path / "out") == expected


def test_a_copied_file_keeps_its_own_name_when_cached(tmp_path, src):
    shutil.copy(src / CHANGED, src / "copy-of-it.txt")
    config = Config().with_(sources=(str(src),), out=tmp_path / "out", viz=False)
    build(config)
    again = build(config)
    assert all(s.get("cached") for s in again.sources)
    graphs = store_quads(tmp_path / "out")
    assert str(doc_graph_iri("copy-of-it.txt")) in graphs and str(doc_graph_iri(CHANGED)) in graphs
    assert len([s for s in again.sources if s["source"] == CHANGED]) == 1
