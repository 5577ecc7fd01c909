"""``import-outcomes``: add Ofsted's official outcome statistics to an existing build."""
from __future__ import annotations

import json
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

from .build import (CACHE_DIR, IMPORTS_DIR, BuildResult, check_remote, load_imports, publish_output,
                    reference_facts, staged_output, sync_remote, totals)
from .publish import write_dataset
from .config import Config
from .errors import GraphNotFoundError
from .model import DocumentFacts
from .output import output_lock
from .sources.outcomes import load_outcomes


def cached_facts(graph_dir: Path) -> list:
    """The per-document facts of the build's current sources (its cache holds only those)."""
    facts = []
    for p in sorted((graph_dir / CACHE_DIR).glob("*.json")):
        facts.extend(DocumentFacts.from_dict(d) for d in json.loads(p.read_text(encoding="utf-8")))
    return facts


def import_outcomes(path: Path, graph_dir: Path, config: Config | None = None) -> dict:
    with output_lock(Path(graph_dir)):  # a build or another import into the same folder waits
        return _import_outcomes(path, graph_dir, config)


def _import_outcomes(path: Path, graph_dir: Path, config: Config | None = None) -> dict:
    graph_dir = Path(graph_dir)
    if not (graph_dir / "report.json").exists():
        raise GraphNotFoundError(f"{graph_dir}: no build found (run 'kg build' first, or pass --graph DIR)")
    tables = load_outcomes(Path(path))
    config = (config or Config()).with_(out=graph_dir)
    remote = check_remote(config)
    started = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    t0 = time.perf_counter()
    with staged_output(graph_dir, "importing") as tmp:
        shutil.copytree(graph_dir / CACHE_DIR, tmp / CACHE_DIR, dirs_exist_ok=True) if (graph_dir / CACHE_DIR).is_dir() else None
        if (graph_dir / IMPORTS_DIR).is_dir():
            shutil.copytree(graph_dir / IMPORTS_DIR, tmp / IMPORTS_DIR)
        (tmp / IMPORTS_DIR).mkdir(exist_ok=True)
        # re-importing the same file replaces its tables
        (tmp / IMPORTS_DIR / f"{Path(path).name}.json").write_text(
            json.dumps([t.to_dict() for t in tables]), encoding="utf-8")
        facts = cached_facts(tmp) + load_imports(tmp)
        counted = len(facts)
        result = BuildResult(out=graph_dir)
        previous = json.loads((graph_dir / "report.json").read_text(encoding="utf-8"))
        result.warnings = list(previous.get("warnings", []))
        result.sources = [s for s in previous.get("sources", []) if not str(s.get("source", "")).startswith(Path(path).name + "#")]
        for t in tables:
            result.sources.append({"source": t.document.source_id, "path": str(path), "status": "ok",
                                   "imported": True, "errors": t.errors})
        facts += reference_facts()
        stats = write_dataset(facts, tmp, config, result.timings, started=started)
        result.timings["total_s"] = round(time.perf_counter() - t0, 3)
        result.totals = totals(facts[:counted], result, stats.quads)
        publish_output(tmp, graph_dir, result, started)
    done = {"tables": len(tables), "inspections": sum(len(t.inspections) for t in tables)}
    if remote is not None:
        done["remote"] = sync_remote(graph_dir, remote, progress=config.progress)
    return done
