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

from . import __version__
from .config import PIPELINE_VERSION, Config
from .errors import InputError
from .model import DocumentFacts
from .nlp.gazetteer import default_gazetteer
from .publish import write_dataset
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
        stats = write_dataset(all_facts + imported, tmp, config, result.timings, started=started)
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
