"""Real SPARQL servers on loopback for the remote-store tests: Oxigraph server (the `oxigraph`
package's `oxigraph serve`, installed by `scripts/setup.sh --test`), started on port 0."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Optional

OXIGRAPH = Path(sys.executable).with_name("oxigraph")


def listening_port(pid: int, timeout: float = 20) -> int:
    """The TCP port a process listens on (it was told port 0, and does not print the one it got)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        inodes = set()
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except FileNotFoundError:
            raise RuntimeError(f"the server (pid {pid}) exited before listening")
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                lines = Path(table).read_text().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                cols = line.split()
                if cols[3] == "0A" and cols[9] in inodes:  # 0A: LISTEN
                    return int(cols[1].rsplit(":", 1)[1], 16)
        time.sleep(0.05)
    raise RuntimeError(f"the server (pid {pid}) is not listening after {timeout} s")


class OxigraphServer:
    """``oxigraph serve`` on 127.0.0.1, in memory or on a folder; stopped by ``stop()``."""

    def __init__(self, *, union: bool = False, location: Optional[Path] = None, port: int = 0):
        if not OXIGRAPH.is_file():
            raise RuntimeError(f"{OXIGRAPH} is missing: run `bash scripts/setup.sh --test` (PyPI package oxigraph)")
        cmd = [str(OXIGRAPH), "serve", "--bind", f"127.0.0.1:{port}"]
        if location is not None:
            cmd += ["--location", str(location)]
        if union:
            cmd.append("--union-default-graph")
        self.union, self.location = union, location
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.port = listening_port(self.proc.pid)
        self.base = f"http://127.0.0.1:{self.port}"
        self.update_url, self.query_url = self.base + "/update", self.base + "/query"
        self._wait()

    def _wait(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while True:
            req = urllib.request.Request(self.query_url, data=b"ASK {}", method="POST",
                                         headers={"Content-Type": "application/sparql-query"})
            try:
                with urllib.request.urlopen(req, timeout=2) as resp:
                    resp.read()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def jena_selects(trig: Path, queries: dict, tmp: Path) -> dict:
    """SELECTs run by Apache Jena ARQ (Debian's jars, through scripts/riot's class path) over a
    TriG file: a dataset whose default graph is empty, not the union of its named graphs.
    One JVM per query, run side by side; returns name -> pyoxigraph ``QuerySolutions``."""
    import runpy

    import pyoxigraph

    riot = runpy.run_path(str(Path(__file__).resolve().parents[1] / "scripts" / "riot"), run_name="riot_wrapper")
    gone = riot["missing"]()
    if gone:
        raise RuntimeError(f"Apache Jena is not installed (missing: {', '.join(gone)}): run `bash scripts/setup.sh --test`")
    cmd = riot["command"]([])
    cmd[cmd.index("riotcmd.riot")] = "arq.sparql"
    procs = {}
    for name, sparql in queries.items():
        query = tmp / f"{name}.rq"
        query.write_text(sparql, encoding="utf-8")
        procs[name] = subprocess.Popen(cmd + ["--data", str(trig), "--query", str(query), "--results=TSV"],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    results = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=600)
        if proc.returncode != 0:
            raise RuntimeError(f"{name}: " + stderr.decode("utf-8", "replace")[:2000])
        results[name] = pyoxigraph.parse_query_results(stdout, format=pyoxigraph.QueryResultsFormat.TSV)
    return results


def copy_sources(src: Path, dst: Path, names: list) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for name in names:
        for path in src.glob(name + "*"):
            shutil.copy(path, dst / path.name)
    return dst
