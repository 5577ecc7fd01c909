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
import signal
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import lru_cache
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from . import __version__
from .config import PIPELINE_VERSION, Config
from .errors import InputError
from .model import DocumentFacts, Evidence
from .nlp.gazetteer import default_gazetteer
from .output import cleanup_leftovers, output_lock, readable_by_all, swap_into_place
from .publish import write_dataset
from .sources import discover_sources, file_hash, load_file

CACHE_DIR = "cache"
IMPORTS_DIR = "imports"
REMOTE_STATE = "remote.json"  # kg.store.remote.STATE_FILE
TASKS_PER_PROCESS = 16  # documents go to the worker pool in this many batches per process, or more
# Longer documents are read in pieces of about PIECE_CHARS, cut at paragraph, line, sentence or
# word ends: spaCy refuses texts over a million characters, and some rules cost more than
# linear time in the length of what they read at once.
LONG_CHARS = 100_000
LONG_LINE = 20_000  # a paragraph this long is read in pieces too: some rules rescan the paragraph per match
PIECE_CHARS = 10_000


@dataclass
class BuildResult:
    out: Path
    sources: list = field(default_factory=list)  # per-source dicts for report.json
    totals: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)  # what was skipped while finding the files
    remote: Optional[dict] = None  # what --store sent, dropped and left unchanged

    @property
    def failed(self) -> int:
        return sum(1 for s in self.sources if s["status"] == "error")

    def all_warnings(self) -> list:
        return self.warnings + [w for s in self.sources for w in s.get("warnings", [])]


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

        from .progress import Progress

        out: list = [None] * len(documents)
        texts = []
        budget = self.config.doc_time_budget
        bar = Progress(len(documents), "extracting", enabled=self.config.progress)
        for i, d in enumerate(documents):
            if d.kind == "report":
                from .extract.report import extract_report

                out[i] = facts_json(_guarded(d, lambda d=d: extract_report(d, default_gazetteer()), budget))
                bar.update()
            else:
                d.text = repair_hard_wraps(d.text)
                texts.append(i)
        if texts:
            docs = [documents[i] for i in texts]
            size = self.config.batch_size
            if self.config.n_process > 1 and len(docs) > size:
                results = self._pool(docs)
            else:
                # in slices of a few batches when a bar shows progress, else in one go
                step = 4 * size if bar.bar is not None else len(docs)
                results = (facts for k in range(0, len(docs), step)
                           for facts in _extract_batch((self.config.model, docs[k:k + step], size, budget)))
            for i, facts in zip(texts, results):
                out[i] = facts
                bar.update()
        bar.close()
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
        tasks = [(self.config.model, docs[i:i + size], self.config.batch_size, self.config.doc_time_budget)
                 for i in range(0, len(docs), size)]
        with multiprocessing.get_context(method).Pool(self.config.n_process) as pool:
            for batch in pool.imap(_extract_batch, tasks):
                yield from batch


def _extract_batch(task: tuple) -> list:
    """One batch of documents through ``nlp.pipe`` and ``extract`` (in a worker or in-process).

    A document that breaks the pipeline costs only itself: the batch is then read one document
    at a time. Long documents are read in pieces (``_extract_long``)."""
    from .extract import extract
    from .nlp.pipeline import load_nlp, make_docs

    model, documents, batch_size, budget = task
    nlp = load_nlp(model)
    out: list = [None] * len(documents)
    short = [i for i, d in enumerate(documents) if not _in_pieces(d.text)]
    try:
        docs = nlp.pipe(make_docs(nlp, [documents[i] for i in short]), batch_size=batch_size)
        for i, sdoc in zip(short, docs):
            out[i] = facts_json(_guarded(documents[i], lambda d=documents[i], s=sdoc: extract(s, d), budget))
    except Exception:
        for i in short:
            if out[i] is None:
                d = documents[i]
                out[i] = facts_json(_guarded(d, lambda d=d: extract(next(iter(nlp.pipe(make_docs(nlp, [d])))), d),
                                             budget))
    for i, d in enumerate(documents):
        if out[i] is None:
            out[i] = facts_json(_extract_long(nlp, d, budget))
    return out


def _in_pieces(text: str) -> bool:
    """Whether a text is read in pieces: over LONG_CHARS, or with a paragraph over LONG_LINE."""
    if len(text) > LONG_CHARS:
        return True
    return len(text) > LONG_LINE and max(map(len, text.split("\n"))) > LONG_LINE


def text_pieces(text: str, size: Optional[int] = None) -> list:
    """(start, end) of consecutive pieces covering ``text``, each at most ``size`` characters,
    cut after the last paragraph break, else line break, sentence end or space in its second half."""
    size = size or PIECE_CHARS
    spans, start = [], 0
    while len(text) - start > size:
        window = text[start + size // 2:start + size]
        cut = size
        for sep in ("\n\n", "\n", ". ", " "):
            at = window.rfind(sep)
            if at != -1:
                cut = size // 2 + at + len(sep)
                break
        spans.append((start, start + cut))
        start += cut
    spans.append((start, len(text)))
    return spans


def _extract_long(nlp, document, budget) -> DocumentFacts:
    """A long document's facts, read piece by piece and put together with offsets into the
    whole text. Past the time budget the pieces read so far are kept and the rest reported."""
    from .extract import extract
    from .nlp.pipeline import make_docs

    spans = text_pieces(document.text)
    parts = [replace(document, text=document.text[a:b], page_starts=[p - a for p in document.page_starts])
             for a, b in spans]
    merged = DocumentFacts(document=document)
    deadline = time.monotonic() + budget if budget else None
    name = document.path or document.source_id
    for n, ((start, _), part, sdoc) in enumerate(zip(spans, parts, nlp.pipe(make_docs(nlp, parts), batch_size=4))):
        left = deadline - time.monotonic() if deadline else None
        if left is not None and left <= 0:
            merged.status = "error"
            merged.errors.append(f"{name}: over the time budget of {budget:g} s; read {n} of {len(spans)} "
                                 f"pieces (up to character {start} of {len(document.text)})")
            break
        facts = _guarded(part, lambda p=part, s=sdoc: extract(s, p), left, budget)
        if facts.status != "ok":
            merged.status = "error"
            merged.errors.extend(f"{e} (piece {n + 1} of {len(spans)})" for e in facts.errors)
            continue
        _shift(facts, start)
        for f in facts.findings:
            if f.inspection_index is not None:
                f.inspection_index += len(merged.inspections)
        for key in ("councils", "people", "inspections", "findings", "quotes"):
            getattr(merged, key).extend(getattr(facts, key))
    return merged


def _shift(obj, offset: int) -> None:
    """Move every Evidence inside ``obj`` by ``offset`` characters."""
    if isinstance(obj, Evidence):
        obj.start += offset
        obj.end += offset
    elif isinstance(obj, list):
        for item in obj:
            _shift(item, offset)
    elif is_dataclass(obj):
        for f in fields(obj):
            if f.name != "document":
                _shift(getattr(obj, f.name), offset)


class OverBudget(BaseException):  # not an Exception: a rule's own ``except Exception`` must not swallow it
    """A document's extraction ran past its time budget."""


@contextmanager
def time_limit(seconds, total=None):
    """Raise OverBudget in the code inside after ``seconds`` (main thread only, where signals go)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise OverBudget(f"over the time budget of {total or seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def facts_json(facts: DocumentFacts) -> str:
    """``json.dumps(facts.to_dict())``, without ``asdict``'s deep copy (json walks the dataclasses)."""
    return json.dumps(facts, default=_fields)


def _fields(obj) -> dict:
    if not is_dataclass(obj):
        raise TypeError(f"{type(obj).__name__} is not JSON serialisable")
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _guarded(document, call, budget=None, total=None) -> DocumentFacts:
    """One document's extraction; a failure (or running past the budget) is that document's
    error, not the build's. ``budget`` is the time left, ``total`` the document's whole budget."""
    try:
        with time_limit(budget, total):
            return call()
    except (Exception, OverBudget) as exc:  # an extractor bug must not lose the other documents
        facts = DocumentFacts(document=document, status="error")
        what = str(exc) if isinstance(exc, OverBudget) else f"extraction failed ({type(exc).__name__}: {exc})"
        facts.errors.append(f"{document.path or document.source_id}: {what}")
        return facts


def extract_sources(config: Config, cache_dirs: list, new_cache: Path, result: BuildResult) -> tuple:
    """Per-document facts for every source, from cache where possible, and a key per document.

    A key names the facts' content (a hash of the cache file's JSON and the document's place
    in it), so the output stage can tell which documents' graphs it must write again. What a
    file's loading reported (warnings, the encoding read) is cached beside its facts."""
    files, errors = discover_sources(config.sources, result.warnings.append)
    for e in errors:
        result.sources.append({"source": str(e).split(": ")[0], "status": "error", "errors": [str(e)]})
    done: dict = {}  # file index -> (facts, keys, cached, notes)
    pending: list = []  # (file index, path, digest, documents, notes)
    for n, (path, sid) in enumerate(files):
        try:
            # the id too: facts carry the source id, so a renamed or
            # copied file must not reuse another name's facts
            digest = hashlib.sha256(f"{sid}\0{file_hash(path)}".encode("utf-8")).hexdigest()
        except OSError as exc:
            result.sources.append({"source": sid, "path": str(path), "status": "error",
                                   "errors": [f"{path}: cannot read ({exc.strerror or exc})"]})
            continue
        cached = _read_cache(cache_dirs, digest) if config.cache else None
        if cached is not None:
            source, text, facts, keys = cached
            _link_or_write(source, _cache_path(new_cache, digest), text)
            notes = _read_notes(source)
            if notes:
                _write_notes(_cache_path(new_cache, digest), notes)
            done[n] = (facts, keys, True, notes)
            continue
        docs, errs, notes = [], [], {"warnings": []}
        info: dict = {}
        for item in load_file(path, notes["warnings"].append, source_id=sid, info=info):
            (errs if isinstance(item, InputError) else docs).append(item)
        if info.get("encoding"):
            notes["encoding"] = info["encoding"]
        for e in errs:
            result.sources.append({"source": sid, "path": str(path), "status": "error", "errors": [str(e)]})
        if docs:
            pending.append((n, path, digest, docs, notes, bool(errs)))
        elif not errs:
            result.sources.append({"source": sid, "path": str(path), "status": "skipped", "errors": [],
                                   "warnings": notes["warnings"]})
    flat = [d for _, _, _, docs, _, _ in pending for d in docs]
    texts = iter(Extractor(config).run(flat) if flat else [])
    for n, path, digest, docs, notes, had_errors in pending:
        text = "[" + ", ".join(next(texts) for _ in docs) + "]"  # as json.dumps writes a list
        # facts as the cache holds them, so the graph made from a key is the same in every build
        facts, keys = _parse_facts(text)
        # a failed extraction is retried next build; a file with bad records is read again, so they are reported again
        if all(f.status == "ok" for f in facts) and not had_errors:
            new_cache.mkdir(parents=True, exist_ok=True)
            _cache_path(new_cache, digest).write_text(text, encoding="utf-8")
            _write_notes(_cache_path(new_cache, digest), notes)
        done[n] = (facts, keys, False, notes)
    all_facts, keys, graphs = [], [], {}
    for n, (path, sid) in enumerate(files):
        if n not in done:
            continue
        facts, fkeys, cached, notes = done[n]
        for i, (f, key) in enumerate(zip(facts, fkeys)):
            entry = {"source": f.document.source_id, "path": str(path), "status": f.status,
                     "cached": cached, "counts": _counts(f), "errors": f.errors}
            if notes.get("encoding") not in (None, "utf-8", "ascii"):
                entry["encoding"] = notes["encoding"]
            if i == 0 and notes.get("warnings"):
                entry["warnings"] = notes["warnings"]
            result.sources.append(entry)
            clash = _same_graph(graphs, f, path)
            if clash:  # two sources in one graph would cross their facts: the first keeps it
                entry.update(status="error", errors=[clash], counts=_counts(DocumentFacts(document=f.document)))
                continue
            all_facts.append(f)
            keys.append(key)
    return all_facts, keys


def _same_graph(graphs: dict, facts: DocumentFacts, path: Path) -> Optional[str]:
    """The error for a source whose graph an earlier source already has, or None (and it is noted)."""
    from .rdf.mapping import doc_graph_iri

    iri = str(doc_graph_iri(facts.document.source_id))
    if iri in graphs:
        other_path, other_id = graphs[iri]
        return (f"{path}: source id {facts.document.source_id!r} names the same graph as {other_id!r} "
                f"({other_path}); rename one of them. Not built")
    graphs[iri] = (path, facts.document.source_id)
    return None


def _notes_path(cache_file: Path) -> Path:
    return cache_file.with_name(cache_file.name[: -len(".json")] + ".notes")  # not *.json: only facts are


def _read_notes(cache_file: Path) -> dict:
    try:
        return json.loads(_notes_path(cache_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_notes(cache_file: Path, notes: dict) -> None:
    if notes.get("warnings") or notes.get("encoding") not in (None, "utf-8", "ascii"):
        _notes_path(cache_file).write_text(json.dumps(notes, ensure_ascii=False), encoding="utf-8")


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
    """Build ``config.sources`` into ``config.out``, replacing the last build in one step.

    Nothing is replaced when a source path does not exist or no document is found. One build
    at a time writes into an output folder (a lock beside it); what killed builds left there
    is removed first."""
    started = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    out = Path(config.out)
    for p in map(Path, config.sources):
        if not p.exists():
            raise InputError(f"{p}: no such file or folder; nothing built, {out} left as it was")
    out.parent.mkdir(parents=True, exist_ok=True)
    result = BuildResult(out=out)
    remote = check_remote(config)  # before any extraction: a wrong URL fails at once
    with output_lock(out):
        t0 = time.perf_counter()
        with staged_output(out, "building") as tmp:
            cache_dirs = [out / CACHE_DIR] if (out / CACHE_DIR).is_dir() else []
            all_facts, keys = extract_sources(config, cache_dirs, tmp / CACHE_DIR, result)
            if not all_facts:
                raise InputError(f"no document found in {', '.join(map(str, config.sources))}"
                                 f"{_first_problem(result)}; nothing built, {out} left as it was")
            result.timings["extract_s"] = round(time.perf_counter() - t0, 3)
            imported = load_imports(out)
            if imported:
                shutil.copytree(out / IMPORTS_DIR, tmp / IMPORTS_DIR)
            reference = reference_facts()
            stats = write_dataset(all_facts + imported + reference, tmp, config, result.timings, started=started,
                                  fact_keys=keys + [None] * (len(imported) + len(reference)))
            result.timings["total_s"] = round(time.perf_counter() - t0, 3)
            result.totals = totals(all_facts + imported, result, stats.quads)
            publish_output(tmp, out, result, started)
        if remote is not None:  # the local build stands whatever happens to the remote
            t = time.perf_counter()
            result.remote = sync_remote(out, remote, progress=config.progress)
            result.timings["remote_s"] = round(time.perf_counter() - t, 3)
    return result


def _first_problem(result: BuildResult) -> str:
    problems = [e for s in result.sources for e in s.get("errors", [])] + result.all_warnings()
    return f" ({problems[0]}{f'; {len(problems) - 1} more' if len(problems) > 1 else ''})" if problems else ""


def check_remote(config: Config):
    if not config.store:
        return None
    from .store.remote import RemoteStore

    remote = RemoteStore(config.store)
    remote.check()
    return remote


def sync_remote(out: Path, remote, *, progress: bool = False) -> dict:
    from .progress import Progress
    from .store.remote import sync

    bars: list = []

    def tick(done: int, total: int) -> None:
        if not bars:
            bars.append(Progress(total, "sending graphs", enabled=progress, unit="graph"))
        bars[0].set(done)

    try:
        return sync(out, remote.url, remote=remote, progress=tick)
    finally:
        for bar in bars:
            bar.close()


def totals(all_facts: list, result: BuildResult, quads: int) -> dict:
    totals = {k: 0 for k in ("councils", "people", "inspections", "judgements", "findings", "quotes")}
    for f in all_facts:
        for k, v in _counts(f).items():
            totals[k] += v
    totals["documents"] = len(all_facts)
    totals["errors"] = result.failed
    totals["warnings"] = len(result.all_warnings())
    totals["quads"] = quads
    return totals


@contextmanager
def staged_output(out: Path, purpose: str):
    """A new folder beside ``out`` to write the next version in (``.OUT.<purpose>-…``), removed
    if anything fails before :func:`publish_output`. Call with ``output_lock(out)`` held: what
    killed builds and imports left beside ``out`` is removed first."""
    cleanup_leftovers(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.{purpose}-", dir=out.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def publish_output(tmp: Path, out: Path, result: BuildResult, started: str) -> None:
    """Finish the version written in ``tmp`` and make it the one ``out`` shows, in one rename:
    its report, the remote stores' record carried over, readable by others."""
    write_report(tmp / "report.json", result, started)
    carry_remote_state(tmp, out)
    readable_by_all(tmp)
    swap_into_place(tmp, out)


def write_report(path: Path, result: BuildResult, started: str) -> None:
    report = {"started": started, "kg_version": __version__, "pipeline_version": extractor_version(),
              "totals": result.totals, "timings": result.timings, "warnings": result.warnings,
              "sources": result.sources}
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")


def carry_remote_state(tmp: Path, out: Path) -> None:
    """What remote stores hold outlives a build: the new build keeps the last one's record of it."""
    if (out / REMOTE_STATE).exists() and not (tmp / REMOTE_STATE).exists():
        shutil.copyfile(out / REMOTE_STATE, tmp / REMOTE_STATE)
