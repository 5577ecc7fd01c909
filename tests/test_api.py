"""The Python API (`import kg`): the README's notebook example runs as a doctest, and the API
functions keep their names after the CLI's modules load."""
from __future__ import annotations

import doctest
import os
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _readme_example() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, re.S)
    assert len(blocks) == 1, "the README has one notebook-style example"
    return blocks[0]


def test_readme_python_example_runs(corpus, tmp_path):
    example = _readme_example()
    # as shown it runs at the repository root with ../shared beside it; here in a scratch folder
    example = example.replace('"../shared/corpus/seeds"', repr(str(corpus / "seeds")))
    assert str(corpus) in example
    test = doctest.DocTestParser().get_doctest(example, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        runner.run(test)
    finally:
        os.chdir(cwd)
    assert runner.failures == 0 and runner.tries >= 6
    assert (tmp_path / "out-api" / "report.json").is_file()


def test_api_names_survive_submodule_imports(seeds_build):
    import kg
    import kg.build  # noqa: F401  (the module, as the CLI imports it)
    from kg.query import named_queries

    assert callable(kg.build) and callable(kg.query) and callable(kg.load)
    import kg.build as module  # the submodule stays reachable as a module too

    assert module.extractor_version() and kg.build.BuildResult is module.BuildResult
    out, _ = seeds_build
    rows = kg.query("councils", graph=out)
    assert rows and set(rows[0]) >= {"council", "gss_code", "source"}
    assert list(kg.queries()) == list(named_queries())
    df = kg.query("inspections", graph=out, dataframe=True)
    assert list(df.columns)[:3] == ["council", "kind", "framework"] and len(df) == len(kg.query("inspections", graph=out))


def test_api_query_errors_are_kg_errors(seeds_build):
    import kg
    from kg.errors import QueryError

    out, _ = seeds_build
    with pytest.raises(QueryError):
        kg.query("SELECT WHERE {", graph=out)
