"""Writing a build's graph, replacing only the named graphs that changed.

Every named graph gets a key from what it is made of: a document's graph
from its facts and the resolved person and inspection keys it used, the
resolved and ontology graphs from their content. A rebuild copies the last
build's store (a RocksDB checkpoint, hard links), drops the graphs whose key
changed or whose document is gone, and loads only the new ones. TriG and
Turtle are concatenations of per-graph Turtle chunks kept in ``cache/rdf``,
so only changed graphs are serialised again, and the network view is redrawn
only when a graph it reads changed. The reference graph, which describes the
build (time, counts), is rewritten every time.
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from rdflib import Graph, URIRef

from .config import Config
from .errors import KgError, StoreError
from .nlp.gazetteer import default_gazetteer
from .rdf.describe import DESCRIBED_CLASSES, describe_dataset
from .rdf.mapping import (ONTOLOGY_GRAPH, REFERENCE_GRAPH, RESOLVED_GRAPH, DocumentMapper, graph_iri_of,
                          reference_graph)
from .rdf.namespace import ONTOLOGY_DIR, ONTOLOGY_FILES, PREFIXES
from .resolve import resolve

RDF_CACHE = "rdf"  # inside the build's cache folder: index.json and one Turtle chunk per graph key
INDEX = "index.json"
LAYOUT = "layout.json"  # the network view's last layout and the digest of what it was computed from
FORK_MIN_GRAPHS = 200  # graphs to serialise above which serialising runs beside the view
_ROOT = Path(__file__).resolve().parent


@dataclass
class GraphStats:
    """What the dataset description needs to know of the graphs written."""

    triples: dict = field(default_factory=dict)  # graph IRI -> triple count
    members: dict = field(default_factory=lambda: {c: set() for c in DESCRIBED_CLASSES})

    @property
    def quads(self) -> int:
        return sum(self.triples.values())


@dataclass
class NamedGraph:
    """One named graph of the build: its IRI, its key and how to make its statements."""

    iri: str
    key: str
    statements: Callable[[], list]  # N-Triples lines without the final " ."


@lru_cache(maxsize=1)
def output_version() -> str:
    """Extraction version plus a hash of the code and ontology that decide the RDF."""
    from .build import extractor_version

    h = hashlib.sha256(extractor_version().encode())
    for path in [_ROOT / "publish.py", *sorted((_ROOT / "rdf").glob("*.py")),
                 *(ONTOLOGY_DIR / name for name in ONTOLOGY_FILES)]:
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def viz_version() -> str:
    h = hashlib.sha256()
    for path in sorted((_ROOT / "viz").glob("*")):
        if path.is_file():
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()[:16]


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]


def _rdflib_statements(g: Graph) -> list:
    """Statements of a (small) rdflib graph: the resolved and ontology graphs."""
    text = g.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return sorted({line[:-2] for line in text.splitlines() if line.endswith(" .")})


def _uses(facts, person_keys: dict, insp_keys: dict) -> tuple:
    """The resolved keys a document's graph is made with."""
    sid = facts.document.source_id
    names = [p.name for p in facts.people] + [q.speaker for q in facts.quotes if q.speaker != "Ofsted"]
    names += [i.lead_inspector for i in facts.inspections if i.lead_inspector]
    return ([person_keys.get(n, n) for n in names], [insp_keys.get((sid, n)) for n in range(len(facts.inspections))])


def _fact_key(facts) -> str:
    # the caller's keys (from the cache file's text) are cheaper; this is for facts that have none
    return _digest(facts.to_dict())


def planned_graphs(all_facts: list, fact_keys: Optional[list], resolved: Graph, person_keys: dict,
                   insp_keys: dict) -> list:
    """Ontology, resolved and document graphs in output order (the reference graph comes last)."""
    from .rdf.namespace import ontology_graph

    version = output_version()
    graphs = [NamedGraph(str(ONTOLOGY_GRAPH), _digest(version, "ontology"),
                         lambda: _rdflib_statements(ontology_graph()))]
    resolved_lines = _rdflib_statements(resolved)
    graphs.append(NamedGraph(str(RESOLVED_GRAPH), _digest(version, "resolved", resolved_lines),
                             lambda: resolved_lines))
    by_graph: dict = {}  # two source ids can slug to one graph IRI: it holds both documents
    for n, facts in enumerate(all_facts):
        by_graph.setdefault(str(graph_iri_of(facts.document)), []).append(n)
    for iri, members in by_graph.items():
        parts = [(fact_keys[n] if fact_keys else None) or _fact_key(all_facts[n]) for n in members]
        uses = [_uses(all_facts[n], person_keys, insp_keys) for n in members]

        def statements(members=members):
            lines = {}
            for n in members:
                lines.update(dict.fromkeys(DocumentMapper(all_facts[n], person_keys, insp_keys).statements()))
            return list(lines)

        graphs.append(NamedGraph(iri, _digest(version, iri, parts, uses), statements))
    return graphs


class Previous:
    """The last build in OUT, when its store and chunks can be reused."""

    def __init__(self, out: Path, index: dict):
        self.out = out
        self.graphs: dict = index["graphs"]  # IRI -> {"key": ..., "triples": n}
        self.viz: Optional[str] = index.get("viz")
        self.pages: Optional[str] = index.get("pages")
        self.pages_inputs: Optional[str] = index.get("pages_inputs")

    @classmethod
    def find(cls, out: Path) -> Optional["Previous"]:
        from .store import STORE_DIR

        path = out / "cache" / RDF_CACHE / INDEX
        try:
            index = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if index.get("version") != output_version() or not (out / STORE_DIR).is_dir():
            return None
        return cls(out, index)

    def key(self, iri: str) -> Optional[str]:
        entry = self.graphs.get(iri)
        return entry["key"] if entry else None

    def chunk(self, key: str) -> Path:
        return self.out / "cache" / RDF_CACHE / f"{key}.ttl"


def write_dataset(all_facts: list, target: Path, config: Config, timings: dict, *, started: str,
                  fact_keys: Optional[list] = None) -> GraphStats:
    """Map the facts and write the store, TriG, Turtle and network view into ``target``.

    ``fact_keys`` (one per facts, or None) identify each document's facts; with them a
    rebuild keeps the graphs of documents whose facts and resolved keys are unchanged."""
    # the facts (and spaCy's model, when loaded) outlive this stage: left out of the
    # collector's full passes, the view's million allocations no longer walk them each time
    gc.freeze()
    try:
        return _write_dataset(all_facts, target, config, timings, started, fact_keys)
    finally:
        gc.unfreeze()


def _write_dataset(all_facts: list, target: Path, config: Config, timings: dict, started: str,
                   fact_keys: Optional[list]) -> GraphStats:
    t = time.perf_counter()
    person_keys, insp_keys, resolved = resolve(all_facts)
    graphs = planned_graphs(all_facts, fact_keys, resolved, person_keys, insp_keys)
    previous = Previous.find(Path(config.out)) if config.cache else None
    inputs: dict = {}
    store, stats, written = load_graphs(graphs, previous, target, inputs)
    timings["resolve_map_s"] = round(time.perf_counter() - t, 3)

    t = time.perf_counter()
    describe_into(store, stats, all_facts, started)
    if written is None:
        store.optimize()  # compacts a fresh bulk load; a small update is not worth a full compaction
    store.flush()
    timings["store_s"] = round(time.perf_counter() - t, 3)

    keys = {g.iri: g.key for g in graphs if URIRef(g.iri) in stats.triples}
    index = {"version": output_version(),
             "graphs": {iri: {"key": key, "triples": stats.triples[URIRef(iri)], "index": inputs.get(iri)}
                        for iri, key in keys.items()}}
    t = time.perf_counter()
    # a fork makes the view's allocations pay copy-on-write faults (about 0.3 s at 1,000
    # documents): worth it only when there are many graphs to serialise
    fork = len(keys if written is None else written) >= FORK_MIN_GRAPHS
    serialising = InChild(fork, store, target / ".serialise-store", write_serialisations,
                          keys, written, previous, target)
    meaning = None
    try:
        if config.viz:
            t_viz = time.perf_counter()
            # the view reads every graph but the reference graph's description, which changes each build
            index["viz"] = _digest(viz_version(), config.viz_max_nodes, output_version(), sorted(keys.items()))
            if previous is None or previous.viz != index["viz"] or not _link(previous.out / "graph.html",
                                                                             target / "graph.html"):
                from .viz import render_html, to_networkx_capped
                from .viz.render import MEANING_TYPES

                # the pages' index (below) takes the network of councils, inspections and people
                capped, meaning = to_networkx_capped(store, config.viz_max_nodes, types=MEANING_TYPES)
                # the layout is kept beside the chunks: a change that leaves the drawn nodes
                # and edges as they were (a text, a grade) is not laid out again
                render_html(capped, target / "graph.html", layouts=(
                    previous.out / "cache" / RDF_CACHE / LAYOUT if previous is not None else None,
                    target / "cache" / RDF_CACHE / LAYOUT))
            else:  # the view as it was: its layout kept for the next build
                (target / "cache" / RDF_CACHE).mkdir(parents=True, exist_ok=True)
                _link(previous.out / "cache" / RDF_CACHE / LAYOUT, target / "cache" / RDF_CACHE / LAYOUT)
            timings["viz_s"] = round(time.perf_counter() - t_viz, 3)
        t_pages = time.perf_counter()
        from .server.index import INDEX_FILE as PAGES_INDEX, code_version, write_index

        # what the served pages share, read once here instead of by every page request
        index["pages"] = _digest(code_version(), output_version(), sorted(keys.items()))
        # what it reads of the graphs (all but the documents mentioning each council): where
        # that is unchanged, the last build's index is kept and the mentions counted again
        index["pages_inputs"] = None if None in inputs.values() else _digest(
            code_version(), output_version(), sorted(inputs.items()))
        if previous is None or previous.pages != index["pages"] or not _link(previous.out / PAGES_INDEX,
                                                                             target / PAGES_INDEX):
            same = (previous is not None and index["pages_inputs"] is not None
                    and previous.pages_inputs == index["pages_inputs"] and (previous.out / PAGES_INDEX).is_file())
            write_index(store, target / PAGES_INDEX, meaning, last=previous.out / PAGES_INDEX if same else None)
        timings["pages_index_s"] = round(time.perf_counter() - t_pages, 3)
    except BaseException:
        serialising.wait(ok=False)
        raise
    serialising.wait()
    # serialising overlaps the view: this is what it added to the build's time
    timings["serialise_s"] = round(time.perf_counter() - t - timings.get("viz_s", 0.0) - timings["pages_index_s"], 3)
    del store
    chunks = target / "cache" / RDF_CACHE
    (chunks / INDEX).write_text(json.dumps(index), encoding="utf-8")
    live = set(keys.values())
    for path in chunks.glob("*.ttl"):  # chunks of graphs no longer in the build
        if path.stem not in live:
            path.unlink()
    return stats


def load_graphs(graphs: list, previous: Optional[Previous], target: Path, inputs: Optional[dict] = None) -> tuple:
    """The build's store with every graph but the reference graph: a copy of the last
    build's with changed graphs replaced, or a fresh one when there is no usable last build
    or most graphs changed. Returns (store, stats, IRIs loaded now, or None if all were).
    ``inputs`` gets each graph's digest of what the page index reads (None where unknown)."""
    from .server.index import input_digest
    from .store import STORE_DIR, StoreLoader, copy_store, new_store

    inputs = {} if inputs is None else inputs

    stale: list = []
    if previous is not None:
        current = {g.iri: g.key for g in graphs}
        stale = [iri for iri in previous.graphs if current.get(iri) != previous.key(iri)]
        if 2 * len(stale) > len(previous.graphs):
            previous = None  # loading afresh beats removing most graphs one by one
    store, written = None, None
    if previous is not None:
        try:
            store, written = copy_store(previous.out / STORE_DIR, target / STORE_DIR), set()
        except StoreError:  # the last store cannot be read: build this one afresh
            shutil.rmtree(target / STORE_DIR, ignore_errors=True)
    if store is None:
        store = new_store(target / STORE_DIR)
    else:
        for iri in stale + [str(REFERENCE_GRAPH)]:
            store.remove_graph(_node(iri))
    stats = GraphStats()
    with StoreLoader(store) as loader:
        for g in graphs:
            if written is not None and previous.key(g.iri) == g.key:
                stats.triples[URIRef(g.iri)] = previous.graphs[g.iri]["triples"]
                inputs[g.iri] = previous.graphs[g.iri].get("index")
                continue
            lines = g.statements()
            if not lines:
                continue  # an empty graph is no graph
            inputs[g.iri] = input_digest(lines)
            data = "".join(f"{line} .\n" for line in lines).encode("utf-8", "replace")
            loader.add(g.iri, data)
            stats.triples[URIRef(g.iri)] = len(lines)
            if written is not None:
                written.add(g.iri)
    return store, stats, written


def describe_into(store, stats: GraphStats, all_facts: list, started: str) -> None:
    """The reference graph (gazetteer and the build's description, counts included) into the store."""
    from .store import StoreLoader, class_members

    stats.members = class_members(store, DESCRIBED_CLASSES)  # before the reference graph goes in
    ref = reference_graph(default_gazetteer())
    describe_dataset(ref, stats, all_facts, started)
    data = ref.serialize(format="nt", encoding="utf-8")
    stats.triples[ref.identifier] = len(ref)
    with StoreLoader(store) as loader:
        loader.add(str(REFERENCE_GRAPH), data)


def write_serialisations(store, keys: dict, written: Optional[set], previous: Optional[Previous],
                         target: Path) -> None:
    """graph.ttl and graph.trig from per-graph Turtle chunks; unchanged graphs' chunks are linked."""
    chunks = target / "cache" / RDF_CACHE
    chunks.mkdir(parents=True, exist_ok=True)
    parts = {}
    for iri, key in keys.items():
        parts[iri] = chunks / f"{key}.ttl"
        if written is None or iri in written or not _link(previous.chunk(key), parts[iri]):
            _write_new(parts[iri], _turtle_body(store, iri))
    parts[str(REFERENCE_GRAPH)] = target / ".reference.ttl"
    _write_new(parts[str(REFERENCE_GRAPH)], _turtle_body(store, str(REFERENCE_GRAPH)))
    write_concatenated(parts, target / "graph.ttl", target / "graph.trig")
    parts[str(REFERENCE_GRAPH)].unlink()


class InChild:
    """Runs ``fn(store, *args)`` in a forked process while the caller goes on.

    The child reads a checkpoint of the store (hard links, its own files):
    RocksDB handles must not cross a fork. Serialising is Rust work that
    holds the GIL, so a thread would not overlap it with the view; a fork
    does. Unless asked to fork, or where fork is unavailable, ``fn`` runs
    here, before returning."""

    def __init__(self, fork: bool, store, scratch: Path, fn: Callable, *args):
        import multiprocessing

        self.scratch, self.what, self.process = scratch, fn.__name__, None
        if not fork or "fork" not in multiprocessing.get_all_start_methods():
            fn(store, *args)
            return
        store.backup(str(scratch))
        self.process = multiprocessing.get_context("fork").Process(target=_on_checkpoint, args=(fn, scratch, *args),
                                                                  name=f"kg-{self.what}")
        self.process.start()

    def wait(self, ok: bool = True) -> None:
        if self.process is None:
            return
        if not ok:
            self.process.terminate()  # the build failed: its output is not wanted
        self.process.join()
        shutil.rmtree(self.scratch, ignore_errors=True)
        if ok and self.process.exitcode != 0:
            raise KgError(f"{self.what} failed in its process (exit code {self.process.exitcode}; see stderr)")


def _on_checkpoint(fn: Callable, path: Path, *args) -> None:
    import pyoxigraph

    fn(pyoxigraph.Store.read_only(str(path)), *args)


def _node(iri: str):
    import pyoxigraph

    return pyoxigraph.NamedNode(iri)


def _link(src: Path, dst: Path) -> bool:
    """Reuse the last build's file: a hard link, or a copy across file systems; False if it is gone."""
    try:
        os.link(src, dst)
    except FileExistsError:
        return True  # named by content key: the same bytes (import-outcomes copies the cache first)
    except FileNotFoundError:
        return False
    except OSError:
        try:
            shutil.copyfile(src, dst)
        except OSError:
            return False
    return True


def _write_new(path: Path, data: bytes) -> None:
    # unlink first: the path may be a hard link shared with the last build's cache
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def _prefix_header() -> bytes:
    return "".join(f"@prefix {k}: <{v}> .\n" for k, v in _prefixes().items()).encode("utf-8")


def _turtle_body(store, iri: str) -> bytes:
    """One graph as Turtle without its @prefix lines (the outputs declare them once, at the top)."""
    import pyoxigraph

    data = store.dump(format=pyoxigraph.RdfFormat.TURTLE, from_graph=_node(iri), prefixes=_prefixes())
    pos = 0
    while data.startswith(b"@prefix ", pos):
        pos = data.index(b"\n", pos) + 1
    return data[pos:].lstrip(b"\n")


def write_concatenated(parts: dict, turtle: Path, trig: Path) -> None:
    """graph.ttl (the union of the graphs) and graph.trig (each in its named graph) from Turtle chunks."""
    header = _prefix_header()
    with open(turtle, "wb") as ttl, open(trig, "wb") as tg:
        ttl.write(header)
        tg.write(header)
        for iri, path in parts.items():
            body = path.read_bytes()
            ttl.write(b"\n" + body)
            tg.write(f"\n<{iri}> {{\n".encode("utf-8") + body + b"}\n")


def _prefixes() -> dict:
    # the id namespace would print as kgid:council\/E08000008: full IRIs read better
    return {k: v for k, v in PREFIXES.items() if k != "kgid"}


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
    seen = set()
    for t in triples:
        key = hashlib.blake2b(str(t).encode("utf-8"), digest_size=16).digest()
        if key in seen:
            continue
        seen.add(key)
        yield t
