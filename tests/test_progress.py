"""Progress bars on long builds: drawn by tqdm on stderr when it is a terminal, never into a pipe or a
file, and not with --quiet."""
from __future__ import annotations

import fcntl
import io
import os
import pty
import shutil
import subprocess
import struct
import sys
import termios
from pathlib import Path

import pytest

KG = [sys.executable, "-m", "kg.cli"]


@pytest.fixture
def two_docs(corpus, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for path in sorted((corpus / "seeds").glob("*.txt"))[:2]:
        shutil.copy(path, src / path.name)
    return src


def _run_on_terminal(args: list) -> tuple:
    """(exit code, what reached stderr) with stderr a pseudo-terminal."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a 100-column terminal
    proc = subprocess.Popen(KG + args, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    proc.stdout.read()
    code = proc.wait(timeout=300)
    os.close(master)
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_build_shows_progress_on_a_terminal(two_docs, tmp_path):
    code, err = _run_on_terminal(["build", str(two_docs), "--out", str(tmp_path / "out"), "--no-viz"])
    assert code == 0, err
    assert "extracting" in err and "0/2" in err  # a bar over the two documents, on stderr


def test_no_progress_into_a_pipe(two_docs, tmp_path):
    done = subprocess.run(KG + ["build", str(two_docs), "--out", str(tmp_path / "out"), "--no-viz"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "extracting" not in done.stderr and "\r" not in done.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_silences_progress_on_a_terminal(two_docs, tmp_path, monkeypatch):
    from kg.cli import main

    shown = _Terminal()
    monkeypatch.setattr(sys, "stderr", shown)
    assert main(["build", str(two_docs), "--out", str(tmp_path / "a"), "--no-viz", "--no-cache"]) == 0
    assert "extracting" in shown.getvalue()
    quiet = _Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert main(["build", str(two_docs), "--out", str(tmp_path / "b"), "--no-viz", "--no-cache", "--quiet"]) == 0
    assert "extracting" not in quiet.getvalue()


def test_library_is_silent_by_default(two_docs, tmp_path, monkeypatch):
    import kg

    shown = _Terminal()
    monkeypatch.setattr(sys, "stderr", shown)
    kg.build(two_docs, out=tmp_path / "out", viz=False)
    assert "extracting" not in shown.getvalue()
    assert Path(tmp_path / "out" / "report.json").is_file()
