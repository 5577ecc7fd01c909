"""The default build (no sources named) gives the national picture from the bundled statistics."""
from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SHARED

BUNDLED = REPO / "data" / "ofsted" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"


def test_bundled_statistics_are_the_published_file():
    published = SHARED / "data" / "ofsted" / BUNDLED.name
    assert hashlib.sha256(BUNDLED.read_bytes()).digest() == hashlib.sha256(published.read_bytes()).digest()


def test_build_graph_imports_the_statistics(tmp_path):
    from kg.config import Config
    from kg.query import named_queries, run_query

    assert (REPO / Config().outcomes[0]) == BUNDLED
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "build_graph.py", "--out", str(out), "--no-viz"], cwd=REPO,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "imported" in done.stdout and BUNDLED.name in done.stdout
    with open(REPO / "kg" / "data" / "councils.csv", newline="", encoding="utf-8") as fh:
        current = {r["name"] for r in csv.DictReader(fh) if not r["valid_to"]}
    assert len(current) == 153
    columns, rows = run_query(out, named_queries()["coverage"][1])
    graded = {r[columns.index("council")] for r in rows if r[columns.index("latest_grade")]}
    assert current <= graded
