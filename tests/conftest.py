"""Shared fixtures: the corpus beside the repo and one seeds build per session."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    assert CORPUS.is_dir(), f"the test corpus is expected at {CORPUS} (../shared beside the repo)"
    return CORPUS


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory, corpus):
    """A real build of the five seed documents (viz included)."""
    from kg.build import build
    from kg.config import Config

    out = tmp_path_factory.mktemp("seeds") / "out"
    result = build(Config().with_(sources=(str(corpus / "seeds"),), out=out))
    return out, result


@pytest.fixture(scope="session")
def nlp():
    from kg.config import DEFAULT
    from kg.nlp.pipeline import load_nlp

    return load_nlp(DEFAULT.model)


def rows(graph_dir, name, **params):
    from kg.query import named_queries, run_query

    columns, data = run_query(graph_dir, named_queries()[name][1], params)
    return [dict(zip(columns, r)) for r in data]
