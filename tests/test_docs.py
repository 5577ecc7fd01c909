"""The README stays honest: every command is documented, every exit code listed."""
import re
from pathlib import Path

from kg.cli import parser
from kg.errors import EXIT_CODES
from kg.query import named_queries

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_implemented_command_is_in_the_readme():
    sub = next(a for a in parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert f"kg {name}" in README, name


def test_every_named_query_is_in_the_readme():
    for name in named_queries():
        assert f"`{name}`" in README, name


def test_exit_codes_match():
    table = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", README, re.M))
    assert {int(k): v for k, v in table.items()} == EXIT_CODES


def test_readme_commands_exist():
    assert "bash scripts/setup.sh && .venv/bin/python build_graph.py" in README
    assert "bash scripts/setup.sh --test && .venv/bin/python -m pytest" in README
    assert Path(__file__).resolve().parents[1].joinpath(".ci/run").read_text().count("scripts/setup.sh --test") == 1


def test_ontology_docs_are_linked():
    assert "docs/ontology/README.md" in README
    assert (Path(__file__).resolve().parents[1] / "docs/ontology/README.md").exists()
