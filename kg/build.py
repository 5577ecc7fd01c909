"""``build``: sources in; store, TriG, Turtle, network view and report out.

Per-document extraction is cached by content hash and pipeline version, so
an unchanged document is not processed again; resolution reruns over all
cached facts. Outputs are written to a sibling temporary folder and swapped
in at the end, so a killed build leaves the last good one in place.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from rdflib import Dataset, Literal
from rdflib.namespace import RDF, XSD

from . import __version__
from .config import PIPELINE_VERSION, Config
from .errors import InputError
from .model import DocumentFacts
from .nlp.gazetteer import default_gazetteer
from .rdf.mapping import (DocumentMapper, doc_iri, ontology_graphs, reference_graph)
from .rdf.namespace import DCTERMS, ID, VOID
from .resolve import resolve
from .sources import discover, file_hash, load_file

CACHE_DIR = "cache"
IMPORTS_DIR = "imports"


@dataclass
class BuildResult:
    out: Path
    sources: list = field(default_factory=list)  # per-source dicts for report.json
    totals: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return sum(1 for s in self.sources if s["status"] == "error")


def _cache_path(cache: Path, digest: str) -> Path:
    return cache / f"{digest}-{extractor_version()}.json"


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """Pipeline version plus a hash of the code and data that decide extraction,
    so a changed rule or lexicon invalidates cached facts without a manual bump."""
    import hashlib

    root = Path(__file__).resolve().parent
    h = hashlib.sha256(PIPELINE_VERSION.encode())
    for folder in ("extract", "nlp", "sources", "data"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".json", ".jsonl", ".csv"):
                h.update(path.relative_to(root).as_posix().encode())
                h.update(path.read_bytes())
    h.update((root / "model.py").read_bytes())
    return "v" + PIPELINE_VERSION + "-" + h.hexdigest()[:12]


def _counts(f: DocumentFacts) -> dict:
    return {"councils": len(f.councils), "people": len(f.people), "inspections": len(f.inspections),
            "judgements": sum(len(i.judgements) for i in f.inspections), "findings": len(f.findings),
            "quotes": len(f.quotes)}


class Extractor:
    """Runs loaded documents through the NLP pipeline (or the report extractor)."""

    def __init__(self, config: Config):
        self.config = config
        self._nlp = None

    @property
    def nlp(self):
        if self._nlp is None:
            from .nlp.pipeline import load_nlp

            self._nlp = load_nlp(self.config.model)
        return self._nlp

    def run(self, documents: list) -> list:
        from .extract import extract
        from .extract.text_utils import repair_hard_wraps
        from .nlp.pipeline import make_docs

        out: list = [None] * len(documents)
        texts = []
        for i, d in enumerate(documents):
            if d.kind == "report":
                from .extract.report import extract_report

                out[i] = _guarded(extract_report, d, default_gazetteer())
            else:
                d.text = repair_hard_wraps(d.text)
                texts.append(i)
        if texts:
            docs = make_docs(self.nlp, [documents[i] for i in texts])
            for i, sdoc in zip(texts, self.nlp.pipe(docs, batch_size=self.config.batch_size,
                                                    n_process=self.config.n_process)):
                out[i] = _guarded(extract, sdoc, documents[i])
        return out


def _guarded(fn, doc_or_sdoc, *args) -> DocumentFacts:
    """One document's extraction; a failure is that document's error, not the build's."""
    document = args[0] if args and hasattr(args[0], "source_id") else doc_or_sdoc
    try:
        return fn(doc_or_sdoc, *args)
    except Exception as exc:  # an extractor bug must not lose the other documents
        facts = DocumentFacts(document=document, status="error")
        facts.errors.append(f"{document.path or document.source_id}: extraction failed ({type(exc).__name__}: {exc})")
        return facts


def extract_sources(config: Config, cache_dirs: list, new_cache: Path, result: BuildResult) -> list:
    """Per-document facts for every source, from cache where possible."""
    files, errors = discover(config.sources)
    for e in errors:
        result.sources.append({"source": str(e).split(":")[0], "status": "error", "errors": [str(e)]})
    all_facts: list = []
    pending: list = []  # (path, digest, documents)
    for path in files:
        try:
            digest = file_hash(path)
        except OSError as exc:
            result.sources.append({"source": path.name, "path": str(path), "status": "error",
                                   "errors": [f"{path}: cannot read ({exc})"]})
            continue
        cached = None
        for cdir in cache_dirs:
            cp = _cache_path(cdir, digest)
            if config.cache and cp.exists():
                try:
                    cached = [DocumentFacts.from_dict(d) for d in json.loads(cp.read_text(encoding="utf-8"))]
                except (ValueError, KeyError, TypeError):
                    cached = None
                if cached is not None:
                    break
        if cached is not None:
            _save_cache(new_cache, digest, cached)
            for f in cached:
                all_facts.append(f)
                result.sources.append({"source": f.document.source_id, "path": str(path), "status": "ok",
                                       "cached": True, "counts": _counts(f), "errors": f.errors})
            continue
        docs, errs = [], []
        for item in load_file(path):
            (errs if isinstance(item, InputError) else docs).append(item)
        for e in errs:
            result.sources.append({"source": path.name, "path": str(path), "status": "error", "errors": [str(e)]})
        if docs:
            pending.append((path, digest, docs))
    extractor = Extractor(config)
    flat = [d for _, _, docs in pending for d in docs]
    facts_flat = extractor.run(flat) if flat else []
    pos = 0
    for path, digest, docs in pending:
        mine = facts_flat[pos:pos + len(docs)]
        pos += len(docs)
        if all(f.status == "ok" for f in mine):  # a failed extraction is retried next build
            _save_cache(new_cache, digest, mine)
        for f in mine:
            all_facts.append(f)
            result.sources.append({"source": f.document.source_id, "path": str(path), "status": f.status,
                                   "cached": False, "counts": _counts(f), "errors": f.errors})
    return all_facts


def _save_cache(cache: Path, digest: str, facts: list) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    _cache_path(cache, digest).write_text(json.dumps([f.to_dict() for f in facts]), encoding="utf-8")


def load_imports(graph_dir: Path) -> list:
    """Facts added by ``import-outcomes`` to a build, kept across rebuilds."""
    folder = graph_dir / IMPORTS_DIR
    facts = []
    if folder.is_dir():
        for p in sorted(folder.glob("*.json")):
            facts.extend(DocumentFacts.from_dict(d) for d in json.loads(p.read_text(encoding="utf-8")))
    return facts


def assemble(all_facts: list, *, started: str) -> Dataset:
    """The whole dataset: reference, ontology, resolved and one graph per document."""
    ds = Dataset()
    for g in (reference_graph(default_gazetteer()), *ontology_graphs()):
        ctx = ds.graph(g.identifier)
        for t in g:
            ctx.add(t)
    person_keys, insp_keys, resolved = resolve(all_facts)
    ctx = ds.graph(resolved.identifier)
    for t in resolved:
        ctx.add(t)
    for facts in all_facts:
        g = DocumentMapper(facts, person_keys, insp_keys).map()
        ctx = ds.graph(g.identifier)
        for t in g:
            ctx.add(t)
    describe_dataset(ds, all_facts, started)
    return ds


def describe_dataset(ds: Dataset, all_facts: list, started: str) -> None:
    """A VoID (and DCAT) description of the build, in the reference graph.

    ``kgid:dataset`` is the whole build: title, description, build time, the
    software and pipeline versions, every source document, the vocabularies
    used, a class partition per main class with its node count, and one
    ``void:subset`` per named graph (named by the graph's own IRI) with its
    exact triple count. ``void:triples`` of the build is the number of
    statements in the store, i.e. the sum over its named graphs (the lines of
    an N-Quads export). Counts are taken after the description has been
    added, so they include it.
    """
    from rdflib import URIRef

    from .rdf.mapping import doc_graph_iri
    from .rdf.namespace import DCAT, FOAF, KGO, ONTOLOGY_IRI, ORG, PREFIXES, PROV, SDO

    def integer(n: int) -> Literal:
        return Literal(n, datatype=XSD.integer)

    def local_name(iri) -> str:
        return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    node, build_run, software = ID["dataset"], ID["dataset/build"], ID["software/kg"]
    g = ds.graph(ID["graph/reference"])
    g.add((node, RDF.type, VOID.Dataset))
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.title, Literal("kg: councils, people and Ofsted inspections of children's services")))
    g.add((node, DCTERMS.description, Literal(
        "English councils, the people who run them and what Ofsted inspections of their children's services "
        "found, read from news, council papers, Ofsted reports and statistics: one named graph per source "
        "document, every fact with its evidence span.")))
    g.add((node, DCTERMS.created, Literal(started, datatype=XSD.dateTime)))
    g.add((node, DCTERMS.hasVersion, Literal(f"kg {__version__} (pipeline {PIPELINE_VERSION})")))
    g.add((node, DCTERMS.conformsTo, ONTOLOGY_IRI))
    g.add((node, VOID.uriSpace, Literal(str(ID))))
    for prefix in ("kgo", "org", "prov", "foaf", "schema", "oa", "skos", "dcterms", "void"):
        g.add((node, VOID.vocabulary, URIRef(PREFIXES[prefix])))
    g.add((node, PROV.wasGeneratedBy, build_run))
    g.add((build_run, RDF.type, PROV.Activity))
    g.add((build_run, PROV.startedAtTime, Literal(started, datatype=XSD.dateTime)))
    g.add((build_run, PROV.wasAssociatedWith, software))
    g.add((software, RDF.type, PROV.SoftwareAgent))
    g.add((software, RDF.type, SDO.SoftwareApplication))
    g.add((software, SDO.name, Literal("kg")))
    g.add((software, SDO.softwareVersion, Literal(__version__)))
    g.add((node, VOID.documents, integer(len(all_facts))))
    for f in all_facts:
        g.add((node, DCTERMS.source, doc_iri(f.document.source_id)))

    # class partitions: how many nodes of each main class
    classes = (KGO.Council, KGO.SourceDocument, KGO.Inspection, KGO.Judgement, KGO.Finding, KGO.Quote,
               KGO.CouncilMention, KGO.Evidence, ORG.Membership, FOAF.Person, ORG.Organization)
    members: dict = {c: set() for c in classes}
    for s, _p, o, _g in ds.quads((None, RDF.type, None, None)):
        if o in members:
            members[o].add(s)
    for c in classes:
        part = ID[f"dataset/class/{local_name(c)}"]
        g.add((node, VOID.classPartition, part))
        g.add((part, VOID["class"], c))
        g.add((part, VOID.entities, integer(len(members[c]))))

    # one subset per named graph; the counts replace placeholders at the end
    sources = {doc_graph_iri(f.document.source_id): doc_iri(f.document.source_id) for f in all_facts}
    graphs = sorted(ctx.identifier for ctx in ds.graphs()
                    if isinstance(ctx.identifier, URIRef) and str(ctx.identifier).startswith(str(ID)) and len(ctx))
    for gid in graphs:
        g.add((node, VOID.subset, gid))
        g.add((gid, RDF.type, VOID.Dataset))
        g.add((gid, VOID.triples, integer(0)))
        if gid in sources:
            g.add((gid, DCTERMS.source, sources[gid]))
    g.add((node, VOID.triples, integer(0)))
    for gid in graphs:
        g.set((gid, VOID.triples, integer(len(ds.graph(gid)))))
    g.set((node, VOID.triples, integer(sum(len(ctx) for ctx in ds.graphs()))))


def write_outputs(ds: Dataset, target: Path, config: Config, timings: dict) -> None:
    t = time.perf_counter()
    nquads = ds.serialize(format="nquads", encoding="utf-8")
    from .store import STORE_DIR, write_store

    write_store(target / STORE_DIR, nquads)
    timings["store_s"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    ds.serialize(destination=str(target / "graph.trig"), format="trig")
    merged_graph(ds).serialize(destination=str(target / "graph.ttl"), format="turtle")
    timings["serialise_s"] = round(time.perf_counter() - t, 3)
    if config.store:
        send_to_remote(ds, config.store)
    if config.viz:
        t = time.perf_counter()
        from .viz.network import render_html, to_networkx

        render_html(to_networkx(ds), target / "graph.html")
        timings["viz_s"] = round(time.perf_counter() - t, 3)


def merged_graph(ds: Dataset):
    """All named graphs' triples in one graph (for graph.ttl)."""
    from rdflib import Graph

    from .rdf.namespace import PREFIXES

    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def send_to_remote(ds: Dataset, url: str) -> None:
    from .store import RemoteStore

    remote = RemoteStore(url)
    for ctx in ds.contexts():
        if len(ctx) == 0:
            continue
        remote.put_graph(str(ctx.identifier), ctx.serialize(format="nt", encoding="utf-8"))


def build(config: Config) -> BuildResult:
    started = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    out = Path(config.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    result = BuildResult(out=out)
    t0 = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        cache_dirs = [out / CACHE_DIR] if (out / CACHE_DIR).is_dir() else []
        all_facts = extract_sources(config, cache_dirs, tmp / CACHE_DIR, result)
        result.timings["extract_s"] = round(time.perf_counter() - t0, 3)
        imported = load_imports(out)
        if imported:
            shutil.copytree(out / IMPORTS_DIR, tmp / IMPORTS_DIR)
        t = time.perf_counter()
        ds = assemble(all_facts + imported, started=started)
        result.timings["resolve_map_s"] = round(time.perf_counter() - t, 3)
        write_outputs(ds, tmp, config, result.timings)
        result.timings["total_s"] = round(time.perf_counter() - t0, 3)
        result.totals = _totals(all_facts + imported, result, ds)
        write_report(tmp / "report.json", result, started)
        swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


def _totals(all_facts: list, result: BuildResult, ds: Dataset) -> dict:
    totals = {k: 0 for k in ("councils", "people", "inspections", "judgements", "findings", "quotes")}
    for f in all_facts:
        for k, v in _counts(f).items():
            totals[k] += v
    totals["documents"] = len(all_facts)
    totals["errors"] = result.failed
    totals["quads"] = sum(1 for _ in ds.quads((None, None, None, None)))
    return totals


def write_report(path: Path, result: BuildResult, started: str) -> None:
    report = {"started": started, "kg_version": __version__, "pipeline_version": extractor_version(),
              "totals": result.totals, "timings": result.timings, "sources": result.sources}
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")


def swap_into_place(tmp: Path, out: Path) -> None:
    """Replace OUT by the new build in two renames; the old one is removed after."""
    old: Optional[Path] = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
    os.replace(tmp, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
