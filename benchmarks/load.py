"""Load on ``kg serve``: many clients querying at once for a while.

    .venv/bin/python benchmarks/load.py [--graph out] [--graph BUILD ...] [--clients 100]
        [--seconds 30] [--rounds 3] [--workload repeated|mixed|both] [--serve-option=--workers=4]

For each build, starts ``kg serve --port 0`` as a process of its own (the load generator's
threads share neither its interpreter lock nor its memory), warms it up, then runs ROUNDS
rounds of each workload: CLIENTS threads, each sending queries in turn for SECONDS. One line a
round: requests, errors, latency p50/p99/max (and p50/p99 per kind of query), the RSS of the
server's process tree (server and query workers) before and after the round, so growth shows
as a rising line and a plateau as a flat one, and the CPU seconds the server tree and the
load generator used (on a machine of few cores they share it). Two workloads:

* repeated: the same few ASK/SELECT queries again and again (after the first of each, the
  server answers them from its per-build result cache);
* mixed: every request a query text not sent before (a node's triples either way, its
  Turtle, an ASK, the judgements and findings of one council), so every one runs in a worker.

tests/test_server_hardening.py runs a short version of both in CI.
"""
from __future__ import annotations

import argparse
import itertools
import json
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

QUERIES = [
    "ASK { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } LIMIT 10",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
]
RESULTS_JSON = "application/sparql-results+json"


class MixedQueries:
    """Distinct queries over the nodes of one build: ``next()`` never gives the same text twice
    (each carries its own LIMIT), so no answer can come from a cache."""

    def __init__(self, url: str) -> None:
        from kg.query import bind_params, named_queries

        found = _get(url, "SELECT DISTINCT ?c ?name WHERE { ?c a <https://w3id.org/ofsted-kg/def#Council> ; "
                          "<http://www.w3.org/2004/02/skos/core#prefLabel> ?name } ORDER BY ?c")
        rows = json.loads(found)["results"]["bindings"]
        if not rows:
            raise SystemExit("the build has no council to query")
        self.councils = [(r["c"]["value"], r["name"]["value"]) for r in rows]
        named = named_queries()
        self.judgements = lambda name: bind_params(named["judgements"][1], {"council": name})
        self.findings = lambda name: bind_params(named["findings"][1], {"council": name})
        self._n = itertools.count()
        self._lock = threading.Lock()

    KINDS = ("node-out", "node-in", "turtle", "ask", "judgements", "findings")

    def next(self) -> tuple:
        """(query text, Accept, kind) of the next request."""
        with self._lock:
            n = next(self._n)
        iri, name = self.councils[n % len(self.councils)]
        limit = 100_000 + n
        kind = (n // len(self.councils) + n) % 6
        label = self.KINDS[kind]
        if kind == 0:
            return f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT {limit}", RESULTS_JSON, label
        if kind == 1:
            return f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }} LIMIT {limit}", RESULTS_JSON, label
        if kind == 2:
            return f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }} LIMIT {limit}", "text/turtle", label
        if kind == 3:
            return f"ASK {{ <{iri}> ?p ?o FILTER(?o != {limit}) }}", RESULTS_JSON, label
        if kind == 4:
            return self.judgements(name) + f"\nLIMIT {limit}", RESULTS_JSON, label
        return self.findings(name) + f"\nLIMIT {limit}", RESULTS_JSON, label


def _get(url: str, query: str, accept: str = RESULTS_JSON) -> bytes:
    req = urllib.request.Request(url + "sparql?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read()


def rss_kb(pids) -> int:
    """Resident memory of the given processes, in kB (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def run_load(url: str, clients: int, seconds: float, queries=None, keep_alive: bool = False) -> dict:
    """Drive ``url`` (the server's base URL) with ``clients`` threads for ``seconds``.

    ``queries``: a list of query texts taken in turn (default: QUERIES), or an object whose
    ``next()`` gives (query text, Accept, kind) for each request (MixedQueries).
    ``keep_alive``: each client keeps one connection open (as a browser or a requests.Session
    does) instead of a new one per request (as urllib and SPARQLWrapper do)."""
    import http.client

    host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
    queries = queries or QUERIES
    if isinstance(queries, (list, tuple)):
        texts = list(queries)
        pick = lambda i: (texts[i % len(texts)], RESULTS_JSON, "repeated")  # noqa: E731
    else:
        pick = lambda i: queries.next()  # noqa: E731
    latencies: list = []
    by_kind: dict = {}
    errors: list = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    start = threading.Barrier(clients)

    def client(n: int) -> None:
        start.wait()
        i = n
        conn = None
        while time.monotonic() < stop:
            q, accept, kind = pick(i)
            i += 1
            path = "/sparql?" + urllib.parse.urlencode({"query": q})
            t = time.monotonic()
            why = None
            try:
                if keep_alive:
                    if conn is None:
                        conn = http.client.HTTPConnection(host, port, timeout=30)
                    conn.request("GET", path, headers={"Accept": accept})
                    r = conn.getresponse()
                    r.read()
                    if r.will_close:
                        conn.close()
                        conn = None
                else:
                    req = urllib.request.Request(url + path[1:], headers={"Accept": accept})
                    r = urllib.request.urlopen(req, timeout=30)
                    with r:
                        r.read()
                if r.status != 200:
                    why = f"HTTP {r.status}"
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                why = str(exc)
                if conn is not None:
                    conn.close()
                    conn = None
            took = time.monotonic() - t
            with lock:
                latencies.append(took)
                by_kind.setdefault(kind, []).append(took)
                if why is not None:
                    errors.append(why)
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lat = sorted(latencies)

    def pct(p):
        return lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float("nan")

    return {"requests": len(lat), "errors": len(errors), "first_errors": errors[:3],
            "p50_ms": round(pct(0.50) * 1000, 1), "p99_ms": round(pct(0.99) * 1000, 1),
            "max_ms": round(max(lat, default=0) * 1000, 1),
            "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None,
            "per_s": round(len(lat) / seconds, 1),
            # p50/p99 per kind of query: which kind waits longest
            "kinds": {k: (round(statistics.median(v) * 1000), round(sorted(v)[int(0.99 * len(v))] * 1000))
                      for k, v in sorted(by_kind.items())}}


def server_rss_kb(server) -> int:
    """RSS of this process (which runs an in-process server) and of the server's query workers."""
    import os

    app = server.app
    return rss_kb([os.getpid()] + [w.proc.pid for w in list(app.pool.workers) if w.proc])


# -- the server as its own process -------------------------------------------------------

def process_tree(pid: int) -> list:
    """``pid`` and every process below it (the server and its query workers), from /proc."""
    children: dict = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, ()))
    return tree


def cpu_s(pids, reaped: bool = False) -> float:
    """User + system CPU seconds the given processes have used so far (Linux /proc); with
    ``reaped``, also that of the children they have waited for (the first pid's workers that
    ended), so a tree's total does not drop when a worker stops."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for n, pid in enumerate(pids):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if reaped and n == 0:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime
    return total / tick


class ServerProcess:
    """``kg serve --port 0`` over a build in a process of its own: the load generator's
    threads share neither its interpreter lock nor its memory. Stopped with SIGTERM."""

    def __init__(self, graph: Path, *options: str) -> None:
        import subprocess
        import sys

        cmd = [sys.executable, "-m", "kg.cli", "serve", "--graph", str(graph), "--port", "0", *options]
        # the request log (one line a request, on stderr) is written as usual, to nowhere
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     stdin=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()  # "kg: serving GRAPH at URL (SPARQL endpoint ...)"
        found = re.search(r" at (http://\S+/) ", line)
        if not found:
            self.stop()
            raise SystemExit(f"kg serve did not start: {line.strip() or 'no output'}")
        self.url = found.group(1)

    def pids(self) -> list:
        return process_tree(self.proc.pid)

    def rss_kb(self) -> int:
        return rss_kb(self.pids())

    def cpu_s(self) -> float:
        return cpu_s(self.pids(), reaped=True)

    def stop(self) -> None:
        import signal
        import subprocess

        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


def own_cpu_s() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def measure(graph: Path, options: list, clients: int, seconds: float, rounds: int, workloads: list,
            keep_alive: bool = False) -> None:
    """Start a server over ``graph``, warm it up, then run ``rounds`` rounds of each workload,
    printing one line per round: latency, errors, RSS of the server's process tree after the
    round, and the CPU seconds the server (with its workers) and this load generator used."""
    server = ServerProcess(graph, *options)
    try:
        url = server.url
        mixed = MixedQueries(url)
        run_load(url, 10, 2)  # warm up: the pool at its working size, the named queries parsed
        run_load(url, 10, 2, mixed)
        print(f"{graph}: server pid {server.proc.pid}, {len(server.pids()) - 1} workers after warm-up, "
              f"RSS {server.rss_kb() // 1024} MB; {clients} clients{' on kept-alive connections' if keep_alive else ''}, "
              f"{seconds:g} s a round; load average "
              f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
        for name in workloads:
            queries = None if name == "repeated" else mixed
            for n in range(1, rounds + 1):
                before, server_cpu, own = server.rss_kb(), server.cpu_s(), own_cpu_s()
                stats = run_load(url, clients, seconds, queries, keep_alive)
                after, server_cpu, own = server.rss_kb(), server.cpu_s() - server_cpu, own_cpu_s() - own
                print(f"  {name} {n}: {stats['requests']} requests ({stats['per_s']}/s), {stats['errors']} errors; "
                      f"p50 {stats['p50_ms']} ms, p99 {stats['p99_ms']} ms, max {stats['max_ms']} ms; "
                      f"RSS {before // 1024} -> {after // 1024} MB ({len(server.pids())} processes); "
                      f"CPU s: server {server_cpu:.1f}, load generator {own:.1f}", flush=True)
                if name == "mixed":
                    print("    p50/p99 ms by kind: " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in stats["kinds"].items()))
                if stats["errors"]:
                    print("    first errors:", stats["first_errors"])
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", type=Path, action="append", help="a build (repeat for several; default: out)")
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--rounds", type=int, default=3, help="rounds of each workload (RSS after each)")
    ap.add_argument("--workload", choices=("repeated", "mixed", "both"), default="both")
    ap.add_argument("--keep-alive", action="store_true",
                    help="each client keeps its connection open (default: a new one per request)")
    ap.add_argument("--serve-option", action="append", default=[], metavar="OPT",
                    help="passed to kg serve, e.g. --serve-option=--workers=4")
    args = ap.parse_args()
    workloads = [w for w in ("repeated", "mixed") if args.workload in (w, "both")]
    for graph in args.graph or [Path("out")]:
        measure(graph, args.serve_option, args.clients, args.seconds, args.rounds, workloads, args.keep_alive)


if __name__ == "__main__":
    main()
