"""Load on ``kg serve``: many clients querying at once for a while.

    .venv/bin/python benchmarks/load.py --graph out [--clients 100] [--seconds 30]
                                        [--workload repeated|mixed|both]

Starts the server over the build on a free loopback port and runs CLIENTS threads, each
sending queries in turn for SECONDS, then prints requests, errors, latency percentiles and the
memory (RSS) of the server and its workers at the start and the end. Two workloads:

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

    def next(self) -> tuple:
        """(query text, Accept) of the next request."""
        with self._lock:
            n = next(self._n)
        iri, name = self.councils[n % len(self.councils)]
        limit = 100_000 + n
        kind = (n // len(self.councils) + n) % 6
        if kind == 0:
            return f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT {limit}", RESULTS_JSON
        if kind == 1:
            return f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }} LIMIT {limit}", RESULTS_JSON
        if kind == 2:
            return f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }} LIMIT {limit}", "text/turtle"
        if kind == 3:
            return f"ASK {{ <{iri}> ?p ?o FILTER(?o != {limit}) }}", RESULTS_JSON
        if kind == 4:
            return self.judgements(name) + f"\nLIMIT {limit}", RESULTS_JSON
        return self.findings(name) + f"\nLIMIT {limit}", RESULTS_JSON


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


def run_load(url: str, clients: int, seconds: float, queries=None) -> dict:
    """Drive ``url`` (the server's base URL) with ``clients`` threads for ``seconds``.

    ``queries``: a list of query texts taken in turn (default: QUERIES), or an object whose
    ``next()`` gives (query text, Accept) for each request (MixedQueries)."""
    queries = queries or QUERIES
    if isinstance(queries, (list, tuple)):
        texts = list(queries)
        pick = lambda i: (texts[i % len(texts)], RESULTS_JSON)  # noqa: E731
    else:
        pick = lambda i: queries.next()  # noqa: E731
    latencies: list = []
    errors: list = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    start = threading.Barrier(clients)

    def client(n: int) -> None:
        start.wait()
        i = n
        while time.monotonic() < stop:
            q, accept = pick(i)
            i += 1
            req = urllib.request.Request(url + "sparql?" + urllib.parse.urlencode({"query": q}),
                                         headers={"Accept": accept})
            t = time.monotonic()
            why = None
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    r.read()
                    if r.status != 200:
                        why = f"HTTP {r.status}"
            except (urllib.error.URLError, OSError) as exc:
                why = str(exc)
            took = time.monotonic() - t
            with lock:
                latencies.append(took)
                if why is not None:
                    errors.append(why)

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
            "per_s": round(len(lat) / seconds, 1)}


def server_rss_kb(server) -> int:
    """RSS of this process (which runs the server) and of the server's query workers."""
    import os

    app = server.app
    return rss_kb([os.getpid()] + [w.proc.pid for w in list(app.pool.workers) if w.proc])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", type=Path, default=Path("out"))
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--workload", choices=("repeated", "mixed", "both"), default="both")
    args = ap.parse_args()

    from kg.server import make_server

    server, url = make_server(args.graph, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    runs = []
    try:
        mixed = MixedQueries(url)
        run_load(url, 10, 2)  # warm up
        run_load(url, 10, 2, mixed)
        for name in ("repeated", "mixed"):
            if args.workload not in (name, "both"):
                continue
            before = server_rss_kb(server)
            stats = run_load(url, args.clients, args.seconds, None if name == "repeated" else mixed)
            after = server_rss_kb(server)
            cache = getattr(server.app.pool, "results", None)  # None: a server without the answer cache
            runs.append((name, stats, before, after, len(server.app.pool.workers),
                         cache.hits if cache else "-", cache.misses if cache else "-"))
    finally:
        server.shutdown()
        server.server_close()
    for name, stats, before, after, workers, hits, misses in runs:
        print(f"{name}: {args.clients} clients for {args.seconds:g} s: {stats['requests']} requests "
              f"({stats['per_s']}/s), {stats['errors']} errors; latency p50 {stats['p50_ms']} ms, "
              f"p99 {stats['p99_ms']} ms, max {stats['max_ms']} ms; memory (server and {workers} workers) "
              f"{before // 1024} MB -> {after // 1024} MB; cache so far {hits} hits, {misses} misses")
        if stats["errors"]:
            print("  first errors:", stats["first_errors"])


if __name__ == "__main__":
    main()
