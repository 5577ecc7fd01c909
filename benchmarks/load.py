"""Load on ``kg serve``: many clients querying at once for a while.

    .venv/bin/python benchmarks/load.py --graph out [--clients 100] [--seconds 30]

Starts the server over the build on a free loopback port, runs CLIENTS threads that each send
the shipped named queries and a few ASK/SELECT queries in turn for SECONDS, and prints requests,
errors, latency percentiles and the memory (RSS) of the server and its workers at the start and
the end. tests/test_server_hardening.py runs a short version in CI.
"""
from __future__ import annotations

import argparse
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
    """Drive ``url`` (the server's base URL) with ``clients`` threads for ``seconds``."""
    queries = queries or QUERIES
    latencies: list = []
    errors: list = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    start = threading.Barrier(clients)

    def client(n: int) -> None:
        start.wait()
        i = n
        while time.monotonic() < stop:
            q = queries[i % len(queries)]
            i += 1
            req = urllib.request.Request(url + "sparql?" + urllib.parse.urlencode({"query": q}),
                                         headers={"Accept": "application/sparql-results+json"})
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


def main() -> None:
    import os

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", type=Path, default=Path("out"))
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=30)
    args = ap.parse_args()

    from kg.server import make_server

    server, url = make_server(args.graph, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        pids = lambda: [os.getpid()] + [w.proc.pid for w in server.app.pool.workers if w.proc]  # noqa: E731
        run_load(url, 10, 2)  # warm up
        before = rss_kb(pids())
        stats = run_load(url, args.clients, args.seconds)
        after = rss_kb(pids())
    finally:
        server.shutdown()
        server.server_close()
    print(f"{args.clients} clients for {args.seconds:g} s: {stats['requests']} requests ({stats['per_s']}/s), "
          f"{stats['errors']} errors; latency p50 {stats['p50_ms']} ms, p99 {stats['p99_ms']} ms, "
          f"max {stats['max_ms']} ms; memory (server and workers) {before // 1024} MB -> {after // 1024} MB")
    if stats["errors"]:
        print("first errors:", stats["first_errors"])


if __name__ == "__main__":
    main()
