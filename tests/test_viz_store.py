"""The network read from an Oxigraph store matches the one read through rdflib, attribute for
attribute, including the cases the store reader handles in SPARQL (facts whose evidence sits in
another graph, literals in several languages, statements in the default graph); the capped view
and the breadth-first layout keep their results."""
from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import pyoxigraph
from rdflib import Dataset

from kg.viz import cap_nodes, to_networkx
from kg.viz.layout import _bfs_levels, _csr

FIXTURE = Path(__file__).parent / "fixtures" / "viz_sample.trig"
KGO = "https://w3id.org/ofsted-kg/def#"
KGID = "https://w3id.org/ofsted-kg/id/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
SDO = "https://schema.org/"

EXTRA = f"""
@prefix kgo: <{KGO}> .
@prefix prov: <{PROV}> .
@prefix oa: <{OA}> .
@prefix schema: <{SDO}> .
<{KGID}graph/extra-a> {{
  <{KGID}finding/x1> a kgo:Finding ; kgo:text "Cross-graph evidence."@en ; kgo:evidence <{KGID}evidence/x1> .
  <{KGID}doc/extra> a kgo:SourceDocument ; schema:name "Extra document"@en, "Dogfen ychwanegol"@cy ;
      kgo:sourceId "extra.txt" .
}}
<{KGID}graph/extra-b> {{
  <{KGID}evidence/x1> oa:hasSource <{KGID}doc/extra> .
  <{KGID}finding/x1> kgo:text "Cross-graph evidence."@en .
}}
"""


def _full(g):
    return list(g.nodes(data=True)), list(g.edges(keys=True, data=True))


def _sources():
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    ds.parse(data=EXTRA, format="trig")
    store = pyoxigraph.Store()
    store.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)
    store.load(EXTRA.encode(), format=pyoxigraph.RdfFormat.TRIG)
    # a statement in the default graph counts as it does through rdflib's quads
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(f"{KGID}doc/extra"), pyoxigraph.NamedNode(f"{KGO}documentKind"),
                              pyoxigraph.Literal("news")))
    ds.default_graph.parse(data=f'<{KGID}doc/extra> <{KGO}documentKind> "news" .', format="nt")
    return ds, store


def test_store_and_rdflib_give_the_same_network():
    ds, store = _sources()
    from_store, from_rdflib = to_networkx(store), to_networkx(ds)
    assert _full(from_store) == _full(from_rdflib)
    doc = from_store.nodes[f"{KGID}doc/extra"]
    assert doc["label"] == "Extra document" and doc["document_kind"] == "news"
    # the finding reaches its document through evidence held in another named graph
    assert from_store.has_edge(f"{KGID}finding/x1", f"{KGID}doc/extra", key="derived_from")


def test_cap_is_the_induced_subgraph_in_graph_order():
    rng = random.Random(3)
    g = nx.MultiDiGraph()
    kinds = ["council", "inspection", "person", "document", "finding", "quote"]
    for i in range(300):
        g.add_node(f"n{i:03d}", type=rng.choice(kinds), label=str(i))
    for _ in range(900):
        u, v = rng.sample(range(300), 2)
        g.add_edge(f"n{u:03d}", f"n{v:03d}", key=rng.choice("ab"), relation="x")
    for limit in (50, 160, 299):  # below and above half the nodes (subgraph views iterate differently)
        capped = cap_nodes(g, limit)
        rank = {t: i for i, t in enumerate(("council", "inspection", "person", "organisation", "document",
                                            "quote", "finding"))}
        want = sorted(g.nodes, key=lambda n: (rank[g.nodes[n]["type"]], -g.degree(n), n))[:limit]
        assert set(capped.nodes) == set(want)
        assert list(capped.nodes) == [n for n in g.nodes if n in set(want)]
        induced = [(u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if u in capped and v in capped]
        assert list(capped.edges(keys=True, data=True)) == induced


def test_breadth_first_levels_match_networkx():
    rng = random.Random(5)
    h = nx.Graph()
    h.add_edges_from((rng.randrange(400), rng.randrange(400)) for _ in range(700))
    nodes = sorted(h.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    indptr, indices = _csr(h, nodes, index)
    for source in (nodes[0], nodes[17], nodes[-1]):
        levels = _bfs_levels(indptr, indices, index[source])
        want = nx.single_source_shortest_path_length(h, source)
        assert {nodes[i]: int(d) for i, d in enumerate(levels) if d >= 0} == want
        assert all(levels[index[n]] == -1 for n in nodes if n not in want)
