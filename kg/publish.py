"""Writing a build's graph: named graphs stream through, one document at a time.

Each document's graph is mapped, serialised to N-Quads and dropped, so memory
does not grow with the corpus; Oxigraph bulk-loads the file and writes TriG
and Turtle itself. Only counts (triples per graph, typed nodes per class) are
kept for the dataset description, which goes into the reference graph last.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from rdflib import Graph
from rdflib.namespace import RDF

from .config import Config
from .nlp.gazetteer import default_gazetteer
from .rdf.describe import DESCRIBED_CLASSES, describe_dataset
from .rdf.mapping import DocumentMapper, ontology_graphs, reference_graph
from .rdf.namespace import PREFIXES
from .resolve import resolve

NQUADS = "graph.nq"


@dataclass
class GraphStats:
    """What the dataset description needs to know of the graphs written."""

    triples: dict = field(default_factory=dict)  # graph IRI -> triple count
    members: dict = field(default_factory=lambda: {c: set() for c in DESCRIBED_CLASSES})

    @property
    def quads(self) -> int:
        return sum(self.triples.values())

    def count(self, g: Graph) -> None:
        self.triples[g.identifier] = self.triples.get(g.identifier, 0) + len(g)
        for s, o in g.subject_objects(RDF.type):
            if o in self.members:
                self.members[o].add(hash(s))  # hashes: a count of distinct nodes, not the nodes


class QuadWriter:
    """Appends named graphs to an N-Quads file."""

    def __init__(self, path: Path):
        self.path = path
        self.handle = path.open("wb")
        self.stats = GraphStats()

    def add(self, g: Graph) -> None:
        if not len(g):
            return
        suffix = f" <{g.identifier}> .".encode()
        for line in g.serialize(format="nt", encoding="utf-8").splitlines():
            if line.endswith(b" ."):
                self.handle.write(line[:-2] + suffix + b"\n")
        self.stats.count(g)

    def close(self) -> None:
        self.handle.close()


def document_graphs(all_facts: list) -> Iterable[Graph]:
    """Ontology, resolved and one graph per document (the reference graph comes last, described)."""
    person_keys, insp_keys, resolved = resolve(all_facts)
    yield from ontology_graphs()
    yield resolved
    for facts in all_facts:
        yield DocumentMapper(facts, person_keys, insp_keys).map()


def write_dataset(all_facts: list, target: Path, config: Config, timings: dict, *, started: str) -> GraphStats:
    """Map every document's facts and write the store, TriG, Turtle and network view into ``target``."""
    from .store import STORE_DIR, write_store

    t = time.perf_counter()
    writer = QuadWriter(target / NQUADS)
    remote = None
    if config.store:
        from .store import RemoteStore

        remote = RemoteStore(config.store)
    try:
        for g in document_graphs(all_facts):
            writer.add(g)
            if remote is not None and len(g):
                remote.put_graph(str(g.identifier), g.serialize(format="nt", encoding="utf-8"))
        ref = reference_graph(default_gazetteer())
        describe_dataset(ref, writer.stats, all_facts, started)
        writer.add(ref)
        if remote is not None:
            remote.put_graph(str(ref.identifier), ref.serialize(format="nt", encoding="utf-8"))
    finally:
        writer.close()
    timings["resolve_map_s"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    write_store(target / STORE_DIR, target / NQUADS)
    (target / NQUADS).unlink()
    timings["store_s"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    store = _open(target / STORE_DIR)
    dump_trig(store, target / "graph.trig")
    dump_merged(store, target / "graph.ttl", "turtle")
    timings["serialise_s"] = round(time.perf_counter() - t, 3)
    if config.viz:
        t = time.perf_counter()
        from .viz import cap_nodes, render_html, to_networkx

        render_html(cap_nodes(to_networkx(store), config.viz_max_nodes), target / "graph.html")
        timings["viz_s"] = round(time.perf_counter() - t, 3)
    del store
    return writer.stats


def _open(path: Path):
    import pyoxigraph

    return pyoxigraph.Store.read_only(str(path))


def _prefixes() -> dict:
    # the id namespace would print as kgid:council\/E08000008: full IRIs read better
    return {k: v for k, v in PREFIXES.items() if k != "kgid"}


def dump_trig(store, path) -> None:
    import pyoxigraph

    store.dump(str(path), format=pyoxigraph.RdfFormat.TRIG, prefixes=_prefixes())


def dump_merged(store, path, fmt: str) -> None:
    """The union of all named graphs as one graph (Turtle, N-Triples or RDF/XML).

    Turtle and N-Triples are written graph by graph, so memory stays flat; a
    triple several documents state appears once per document, which parsers
    read as one. RDF/XML cannot be concatenated: it goes through one query."""
    import pyoxigraph

    formats = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
               "xml": pyoxigraph.RdfFormat.RDF_XML}
    handle = open(path, "wb") if not hasattr(path, "write") else path
    try:
        if fmt == "xml":
            triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
            pyoxigraph.serialize(_distinct(triples), handle, format=formats[fmt], prefixes=_prefixes())
            return
        for n, graph in enumerate(sorted(store.named_graphs(), key=str)):
            if fmt == "nt":
                store.dump(handle, format=formats[fmt], from_graph=graph)
                continue
            data = store.dump(format=formats[fmt], from_graph=graph, prefixes=_prefixes())
            if n:  # the same prefixes: declare them once, at the top
                data = b"".join(line for line in data.splitlines(keepends=True) if not line.startswith(b"@prefix "))
            handle.write(data)
    finally:
        if handle is not path:
            handle.close()


def _distinct(triples):
    # a triple stated in several documents' graphs is one triple of the merged graph
    import hashlib

    seen = set()
    for t in triples:
        key = hashlib.blake2b(str(t).encode("utf-8"), digest_size=16).digest()
        if key in seen:
            continue
        seen.add(key)
        yield t
