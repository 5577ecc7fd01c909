"""``build``: sources in; store, TriG, Turtle, network view and report out.

Per-document extraction is cached by file name, content hash and pipeline
version, so an unchanged document is not processed again; resolution reruns
over all cached facts. Each document's facts carry a key (a hash of its cache entry),
with which the output stage rewrites only the graphs that changed. Outputs
are written to a sibling temporary folder and swapped in at the end, so a
killed build leaves the last good one in place.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from . import __version__
from .config import PIPELINE_VERSION, Config
from .errors import InputError
from .model import DocumentFacts
from .nlp.gazetteer import default_gazetteer
from .publish import write_dataset
from .sources import discover, file_hash, load_file

CACHE_DIR = "cache"
IMPORTS_DIR = "imports"
TASKS_PER_PROCESS = 16  # documents go to the worker pool in this many batches per process, or more


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
        """Each document's facts as JSON text (the form the cache keeps), in order."""
        from .extract.text_utils import repair_hard_wraps

        out: list = [None] * len(documents)
        texts = []
        for i, d in enumerate(documents):
            if d.kind == "report":
                from .extract.report import extract_report

                out[i] = facts_json(_guarded(extract_report, d, default_gazetteer()))
            else:
                d.text = repair_hard_wraps(d.text)
                texts.append(i)
        if texts:
            docs = [documents[i] for i in texts]
            size = self.config.batch_size
            if self.config.n_process > 1 and len(docs) > size:
                results = self._pool(docs)
            else:
                results = _extract_batch((self.config.model, docs, size))
            for i, facts in zip(texts, results):
                out[i] = facts
        return out

    def _pool(self, docs: list):
        """NLP and extraction in worker processes, a batch per task: only facts come back.

        The model is loaded before the workers fork, so they share it instead of
        each loading its own; no spaCy Doc crosses a process boundary."""
        import multiprocessing

        self.nlp  # noqa: B018  (loaded here, inherited by the forked workers)
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        # at least TASKS_PER_PROCESS tasks each, so the last task leaves little idle time at the end
        size = max(1, min(self.config.batch_size, -(-len(docs) // (self.config.n_process * TASKS_PER_PROCESS))))
        tasks = [(self.config.model, docs[i:i + size], self.config.batch_size) for i in range(0, len(docs), size)]
        with multiprocessing.get_context(method).Pool(self.config.n_process) as pool:
            for batch in pool.imap(_extract_batch, tasks):
                yield from batch


def _extract_batch(task: tuple) -> list:
    """One batch of documents through ``nlp.pipe`` and ``extract`` (in a worker or in-process)."""
    from .extract import extract
    from .nlp.pipeline import load_nlp, make_docs

    model, documents, batch_size = task
    nlp = load_nlp(model)
    return [facts_json(_guarded(extract, sdoc, d))
            for d, sdoc in zip(documents, nlp.pipe(make_docs(nlp, documents), batch_size=batch_size))]


def facts_json(facts: DocumentFacts) -> str:
    """``json.dumps(facts.to_dict())``, without ``asdict``'s deep copy (json walks the dataclasses)."""
    return json.dumps(facts, default=_fields)


def _fields(obj) -> dict:
    if not is_dataclass(obj):
        raise TypeError(f"{type(obj).__name__} is not JSON serialisable")
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _guarded(fn, doc_or_sdoc, *args) -> DocumentFacts:
    """One document's extraction; a failure is that document's error, not the build's."""
    document = args[0] if args and hasattr(args[0], "source_id") else doc_or_sdoc
    try:
        return fn(doc_or_sdoc, *args)
    except Exception as exc:  # an extractor bug must not lose the other documents
        facts = DocumentFacts(document=document, status="error")
        facts.errors.append(f"{document.path or document.source_id}: extraction failed ({type(exc).__name__}: {exc})")
        return facts


def extract_sources(config: Config, cache_dirs: list, new_cache: Path, result: BuildResult) -> tuple:
    """Per-document facts for every source, from cache where possible, and a key per document.

    A key names the facts' content (a hash of the cache file's JSON and the document's place
    in it), so the output stage can tell which documents' graphs it must write again."""
    files, errors = discover(config.sources)
    for e in errors:
        result.sources.append({"source": str(e).split(":")[0], "status": "error", "errors": [str(e)]})
    done: dict = {}  # file index -> (facts, keys, cached)
    pending: list = []  # (file index, path, digest, documents)
    for n, path in enumerate(files):
        try:
            # the name too: facts carry the source id (the file name), so a renamed or
            # copied file must not reuse another name's facts
            digest = hashlib.sha256(f"{path.name}\0{file_hash(path)}".encode("utf-8")).hexdigest()
        except OSError as exc:
            result.sources.append({"source": path.name, "path": str(path), "status": "error",
                                   "errors": [f"{path}: cannot read ({exc})"]})
            continue
        cached = _read_cache(cache_dirs, digest) if config.cache else None
        if cached is not None:
            source, text, facts, keys = cached
            _link_or_write(source, _cache_path(new_cache, digest), text)
            done[n] = (facts, keys, True)
            continue
        docs, errs = [], []
        for item in load_file(path):
            (errs if isinstance(item, InputError) else docs).append(item)
        for e in errs:
            result.sources.append({"source": path.name, "path": str(path), "status": "error", "errors": [str(e)]})
        if docs:
            pending.append((n, path, digest, docs))
    flat = [d for _, _, _, docs in pending for d in docs]
    texts = iter(Extractor(config).run(flat) if flat else [])
    for n, path, digest, docs in pending:
        text = "[" + ", ".join(next(texts) for _ in docs) + "]"  # as json.dumps writes a list
        # facts as the cache holds them, so the graph made from a key is the same in every build
        facts, keys = _parse_facts(text)
        if all(f.status == "ok" for f in facts):  # a failed extraction is retried next build
            new_cache.mkdir(parents=True, exist_ok=True)
            _cache_path(new_cache, digest).write_text(text, encoding="utf-8")
        done[n] = (facts, keys, False)
    all_facts, keys = [], []
    for n, path in enumerate(files):
        if n not in done:
            continue
        facts, fkeys, cached = done[n]
        all_facts.extend(facts)
        keys.extend(fkeys)
        for f in facts:
            result.sources.append({"source": f.document.source_id, "path": str(path), "status": f.status,
                                   "cached": cached, "counts": _counts(f), "errors": f.errors})
    return all_facts, keys


def _read_cache(cache_dirs: list, digest: str) -> Optional[tuple]:
    """(path, text, facts, keys) of a readable cache entry for this content, or None."""
    for cdir in cache_dirs:
        cp = _cache_path(cdir, digest)
        try:
            text = cp.read_text(encoding="utf-8")
            return (cp, text, *_parse_facts(text))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None


def _parse_facts(text: str) -> tuple:
    """(facts, keys) of one cache file's JSON."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
    facts = [DocumentFacts.from_dict(d) for d in json.loads(text)]
    return facts, [f"{digest}:{i}" for i in range(len(facts))]


def _link_or_write(source: Path, target: Path, text: str) -> None:
    # an unchanged cache entry is linked into the new build, not serialised again
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except FileExistsError:
        pass
    except OSError:
        target.write_text(text, encoding="utf-8")


def load_imports(graph_dir: Path) -> list:
    """Facts added by ``import-outcomes`` to a build, kept across rebuilds."""
    folder = graph_dir / IMPORTS_DIR
    facts = []
    if folder.is_dir():
        for p in sorted(folder.glob("*.json")):
            facts.extend(DocumentFacts.from_dict(d) for d in json.loads(p.read_text(encoding="utf-8")))
    return facts


def reference_facts() -> list:
    """Facts every build holds besides its sources: the leaders table (its own provenance)."""
    from .sources.leaders import leader_facts

    return list(leader_facts())


def build(config: Config) -> BuildResult:
    started = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    out = Path(config.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    result = BuildResult(out=out)
    t0 = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        cache_dirs = [out / CACHE_DIR] if (out / CACHE_DIR).is_dir() else []
        all_facts, keys = extract_sources(config, cache_dirs, tmp / CACHE_DIR, result)
        result.timings["extract_s"] = round(time.perf_counter() - t0, 3)
        imported = load_imports(out)
        if imported:
            shutil.copytree(out / IMPORTS_DIR, tmp / IMPORTS_DIR)
        stats = write_dataset(all_facts + imported + reference_facts(), tmp, config, result.timings,
                              started=started, fact_keys=keys + [None] * (len(imported) + len(reference_facts())))
        result.timings["total_s"] = round(time.perf_counter() - t0, 3)
        result.totals = totals(all_facts + imported, result, stats.quads)
        write_report(tmp / "report.json", result, started)
        swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


def totals(all_facts: list, result: BuildResult, quads: int) -> dict:
    totals = {k: 0 for k in ("councils", "people", "inspections", "judgements", "findings", "quotes")}
    for f in all_facts:
        for k, v in _counts(f).items():
            totals[k] += v
    totals["documents"] = len(all_facts)
    totals["errors"] = result.failed
    totals["quads"] = quads
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
