"""Every export format parses back to the store's content."""
import io

import networkx as nx
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.export import export_bytes, load_dataset


@pytest.fixture(scope="module")
def store_ds(seeds_build):
    out, _ = seeds_build
    return out, load_dataset(out)


def _merged(ds):
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@pytest.mark.parametrize("fmt,rdflib_fmt", [("ttl", "turtle"), ("nt", "nt"), ("xml", "xml")])
def test_triple_formats_isomorphic(store_ds, fmt, rdflib_fmt):
    out, ds = store_ds
    g = Graph()
    g.parse(data=export_bytes(out, fmt), format=rdflib_fmt)
    assert isomorphic(g, _merged(ds))


@pytest.mark.parametrize("fmt,rdflib_fmt", [("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_quad_formats_keep_named_graphs(store_ds, fmt, rdflib_fmt):
    out, ds = store_ds
    back = Dataset()
    back.parse(data=export_bytes(out, fmt), format=rdflib_fmt)
    ids = lambda d: {str(c.identifier) for c in d.contexts() if len(c)}  # noqa: E731
    assert ids(back) == ids(ds)
    for ctx in ds.contexts():
        if len(ctx):
            assert isomorphic(back.graph(ctx.identifier), ctx), ctx.identifier


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_formats_load_in_networkx(store_ds, tmp_path, fmt, reader):
    out, _ = store_ds
    path = tmp_path / f"g.{fmt}"
    path.write_bytes(export_bytes(out, fmt))
    g = reader(path)
    types = {d.get("type") for _, d in g.nodes(data=True)}
    assert {"council", "person", "inspection"} <= types
    assert any(d.get("label") == "Tameside" for _, d in g.nodes(data=True))


def test_csv_keeps_term_kind_datatype_and_language(store_ds):
    """The CSV export reads back to the same quads: every term's kind, datatype and language kept."""
    import csv
    import io

    import pyoxigraph

    out, _ = store_ds
    rows = list(csv.DictReader(io.StringIO(export_bytes(out, "csv").decode("utf-8"))))
    assert list(rows[0]) == ["subject", "predicate", "object", "object_kind", "datatype", "language", "graph"]
    assert {r["object_kind"] for r in rows} >= {"iri", "literal"}
    assert any(r["language"] for r in rows) and any(r["datatype"].endswith("#date") for r in rows)

    def term(value, kind="iri", datatype="", language=""):
        if kind == "literal":
            return pyoxigraph.Literal(value, language=language) if language else \
                pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(datatype))
        return pyoxigraph.BlankNode(value[2:]) if value.startswith("_:") else pyoxigraph.NamedNode(value)

    back = {pyoxigraph.Quad(term(r["subject"]), term(r["predicate"]),
                            term(r["object"], r["object_kind"], r["datatype"], r["language"]),
                            term(r["graph"]) if r["graph"] else pyoxigraph.DefaultGraph()) for r in rows}
    from kg.store import open_store

    assert back == set(open_store(out))
