"""Nothing lost: the output folder is replaced in one step, by one build at a time, and a build
that would lose data (a mistyped path, no documents, two sources in one graph) says so instead."""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kg.build import build
from kg.cli import main
from kg.config import Config
from kg.errors import BuildLockedError, InputError
from kg.output import leftovers, output_lock


def store_quads(out: Path) -> set:
    """The build's statements but those that describe the build itself (its time, its counts)."""
    import pyoxigraph as ox

    from kg.rdf.mapping import REFERENCE_GRAPH

    store = ox.Store.read_only(str(out / "store"))
    return {re.sub(r"_:\w+", "_:b", str(q)) for q in store if q.graph_name.value != str(REFERENCE_GRAPH)}

ROOT = Path(__file__).resolve().parents[1]
DOCS = {
    "wigan.txt": "Ofsted rated Wigan Council's children's services good in June 2018, the council said.\n",
    "tameside.txt": "Ofsted rated Tameside Council's children's services inadequate in March 2019.\n",
    "bury.txt": "Bury Council's children's services were judged to require improvement by Ofsted in 2020.\n",
}


def make_sources(folder: Path, docs: dict = DOCS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def config(src, out, **kw) -> Config:
    return Config().with_(sources=(str(src),), out=out, viz=False, **kw)


def snapshot(out: Path) -> tuple:
    return (out / "report.json").read_text(encoding="utf-8"), store_quads(out)


@pytest.fixture
def first(tmp_path):
    """A good build of three documents in tmp/out."""
    src = make_sources(tmp_path / "src")
    build(config(src, tmp_path / "out"))
    return src, tmp_path / "out"


# --- a build that would lose data refuses, and leaves the last build -------------------------

def test_a_mistyped_source_path_leaves_the_last_build(first, tmp_path, capsys):
    src, out = first
    before = snapshot(out)
    code = main(["build", str(tmp_path / "srcc"), "--out", str(out), "--no-viz"])
    assert code == InputError.exit_code
    err = capsys.readouterr().err
    assert "srcc: no such file or folder; nothing built" in err and "left as it was" in err
    assert snapshot(out) == before and leftovers(out) == []


def test_a_folder_with_no_document_leaves_the_last_build(first, tmp_path):
    src, out = first
    before = snapshot(out)
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.docx").write_bytes(b"PK")
    with pytest.raises(InputError, match="no document found in .*empty; nothing built"):
        build(config(tmp_path / "empty", out))
    (tmp_path / "blank").mkdir()
    (tmp_path / "blank" / "a.txt").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"no document found .*a\.txt: empty; skipped"):
        build(config(tmp_path / "blank", out))
    assert snapshot(out) == before and leftovers(out) == []


# --- every source its own id, or a clear refusal ---------------------------------------------

def test_equal_names_in_different_folders_stay_apart(tmp_path):
    src = make_sources(tmp_path / "src", {"north/article.txt": DOCS["wigan.txt"], "south/article.txt": DOCS["tameside.txt"]})
    result = build(config(src, tmp_path / "out"))
    assert {s["source"]: s["status"] for s in result.sources} == {"north/article.txt": "ok", "south/article.txt": "ok"}
    from kg.query import named_queries, run_query

    cols, rows = run_query(tmp_path / "out", named_queries()["judgements"][1])
    by_source = {}
    for r in rows:
        r = dict(zip(cols, r))
        by_source.setdefault(r["source"], set()).add(r["council"])
    assert by_source == {"north/article.txt": {"Wigan"}, "south/article.txt": {"Tameside"}}


def test_a_flat_folder_keeps_file_names_as_ids(first):
    src, out = first
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert sorted(s["source"] for s in report["sources"]) == sorted(DOCS)


def test_sources_that_would_share_a_graph_are_refused_naming_both(tmp_path):
    src = make_sources(tmp_path / "src", {"report 1.txt": DOCS["wigan.txt"], "report-1.txt": DOCS["tameside.txt"]})
    other = make_sources(tmp_path / "other", {"bury.txt": DOCS["bury.txt"]})
    result = build(Config().with_(sources=(str(src), str(other), str(other / "bury.txt")), out=tmp_path / "out", viz=False))
    status = {s["source"]: s for s in result.sources}
    assert status["report 1.txt"]["status"] == "ok"
    assert status["report-1.txt"]["status"] == "error"
    error = status["report-1.txt"]["errors"][0]
    assert "report-1.txt" in error and "report 1.txt" in error and "rename one" in error
    assert status["report-1.txt"]["counts"]["councils"] == 0
    assert [s["source"] for s in result.sources].count("bury.txt") == 1  # the same file named twice is read once
    assert result.totals["documents"] == 2


# --- one step, one build at a time, readable --------------------------------------------------

def test_out_is_a_link_to_a_versioned_folder_swapped_in_one_rename(first):
    src, out = first
    assert out.is_symlink() and os.readlink(out).startswith(".out.v-")
    old = os.readlink(out)
    build(config(src, out))
    assert os.readlink(out) != old and not (out.parent / old).exists()
    assert leftovers(out) == []


def test_an_older_real_out_folder_is_replaced(first, tmp_path):
    src, out = first
    real = tmp_path / "copy"
    shutil.copytree(out, real, symlinks=True)
    target = out.parent / os.readlink(out)
    out.unlink()
    shutil.rmtree(target)
    real.rename(out)  # the layout older builds wrote
    (out / "stray.txt").write_text("from before", encoding="utf-8")
    before = store_quads(out)
    build(config(src, out))
    assert out.is_symlink() and not (out / "stray.txt").exists()
    assert store_quads(out) == before and leftovers(out) == []


def test_outputs_are_readable_by_others(tmp_path):
    src = make_sources(tmp_path / "src")
    old = os.umask(0o022)
    try:
        build(config(src, tmp_path / "out"))
    finally:
        os.umask(old)
    modes = {}
    for root, dirs, files in os.walk(tmp_path / "out" / "."):
        for name in dirs + files:
            p = Path(root, name)
            modes[p] = stat.S_IMODE(p.stat().st_mode)
    assert modes
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o755
    assert all(m == (0o755 if p.is_dir() else 0o644) for p, m in modes.items()), \
        {str(p): oct(m) for p, m in modes.items() if m not in (0o755, 0o644)}


def test_a_second_build_waits_for_the_first_then_gives_up_clearly(first, monkeypatch):
    import kg.output

    src, out = first
    before = snapshot(out)
    monkeypatch.setattr(kg.output, "LOCK_WAIT_S", 0.5)
    with output_lock(out):
        with pytest.raises(BuildLockedError, match=f"another build \\(process {os.getpid()}\\) is writing here"):
            build(config(src, out))
    assert snapshot(out) == before


# --- kills at chosen moments and concurrent builds (separate processes) ------------------------

KILL_DRIVER = textwrap.dedent("""
    import os, signal, sys
    import kg.build, kg.extract, kg.output, kg.publish
    from kg.config import Config

    point = sys.argv[3]

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    def after(fn):
        def wrapped(*args, **kwargs):
            value = fn(*args, **kwargs)
            die()
            return value
        return wrapped

    if point == "extract":
        kg.extract.extract = die
    elif point == "store":
        kg.publish.describe_into = die
    elif point == "report":
        kg.build.write_report = after(kg.build.write_report)
    elif point.startswith("swap-"):  # a step inside the swap: see kg.output.swap_into_place
        kg.output._reached = lambda step: step == point[5:] and die()
    kg.build.build(Config().with_(sources=(sys.argv[1],), out=sys.argv[2], viz=False))
""")


def run_build(src, out, point="none") -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", KILL_DRIVER, str(src), str(out), point], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("point", ["extract", "store", "report", "swap-renamed", "swap-linked", "swap-replaced",
                                   "swap-exchanged"])
def test_a_build_killed_at_any_moment_leaves_a_whole_build(first, tmp_path, point):
    src, out = first
    clean_out = tmp_path / "clean"
    (src / "oldham.txt").write_text(DOCS["wigan.txt"].replace("Wigan", "Oldham"), encoding="utf-8")
    build(config(src, clean_out, cache=False))
    if point == "swap-exchanged":  # the layout older builds wrote: a real folder
        target = out.parent / os.readlink(out)
        out.unlink()
        target.rename(out)
    before = snapshot(out)
    proc = run_build(src, out, point)
    proc.communicate(timeout=600)
    assert proc.returncode == -9, point  # it was killed where chosen
    assert out.is_dir()
    now = snapshot(out)
    if point in ("swap-replaced", "swap-exchanged"):
        assert now[1] == store_quads(clean_out)  # the new build, whole
    else:
        assert now == before  # the last build, untouched
    build(config(src, out))  # the next build cleans up after the killed one
    assert store_quads(out) == store_quads(clean_out)
    assert leftovers(out) == []


def test_two_builds_into_one_folder_at_once_both_succeed_in_turn(first, tmp_path):
    src, out = first
    other = make_sources(tmp_path / "other", {"bury.txt": DOCS["bury.txt"]})
    procs = [run_build(src, out), run_build(other, out)]
    for p in procs:
        p.communicate(timeout=600)
    assert [p.returncode for p in procs] == [0, 0]
    build(config(other, tmp_path / "clean-other"))
    build(config(src, tmp_path / "clean-src"))
    assert store_quads(out) in (store_quads(tmp_path / "clean-other"), store_quads(tmp_path / "clean-src"))
    assert leftovers(out) == []


def test_a_build_a_server_still_reads_stays_until_it_is_released(first):
    from kg.output import hold

    src, out = first
    old = out.parent / os.readlink(out)
    fd = hold(old)
    try:
        build(config(src, out))
        assert old.is_dir() and out.resolve() != old.resolve()  # replaced, kept while read
        build(config(src, out))
        assert old.is_dir()
    finally:
        os.close(fd)
    build(config(src, out))
    assert not old.exists() and leftovers(out) == []


def test_remove_output_removes_the_link_its_folder_and_what_lies_beside(first, tmp_path):
    from kg.output import remove_output

    src, out = first
    (tmp_path / ".out.building-x").mkdir()  # as a killed build leaves it
    remove_output(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_an_older_real_folder_a_server_reads_stays_until_released(first):
    from kg.output import hold

    src, out = first
    target = out.parent / os.readlink(out)
    out.unlink()
    target.rename(out)  # the layout older builds wrote, served
    fd = hold(out)
    try:
        build(config(src, out))
        assert out.is_symlink()
        assert len(leftovers(out)) == 1  # the old folder, kept while read
    finally:
        os.close(fd)
    build(config(src, out))
    assert leftovers(out) == []
