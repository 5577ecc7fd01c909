"""``kg serve --cache-mb``: how many MB of answers a server keeps per build (0: none)."""
from __future__ import annotations

import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path

from kg.server import make_server

ROOT = Path(__file__).resolve().parents[1]
SMALL = "ASK { ?s ?p ?o }"
LARGE = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 200"


def get(url: str, query: str) -> bytes:
    req = urllib.request.Request(url + "sparql?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        assert r.status == 200
        return r.read()


def serving(graph, **options):
    server, url = make_server(graph, port=0, workers=1, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, url


def stop(server) -> None:
    server.shutdown()
    server.server_close()


def test_cache_mb_bounds_the_answers_kept(seeds_build):
    server, url = serving(seeds_build[0], cache_mb=0.01)  # 10 kB; one answer at most 1.25 kB
    try:
        cache = server.app.pool.results
        assert cache.max_bytes == 10_000
        small = get(url, SMALL)
        large = get(url, LARGE)
        assert len(small) < 1250 < len(large)
        assert get(url, SMALL) == small and cache.hits == 1   # kept
        assert get(url, LARGE) == large and cache.hits == 1   # too large a share of 10 kB: run again
        assert cache.bytes == len(small)
    finally:
        stop(server)


def test_cache_mb_0_keeps_no_answer(seeds_build):
    server, url = serving(seeds_build[0], cache_mb=0)
    try:
        cache = server.app.pool.results
        first = get(url, SMALL)
        assert get(url, SMALL) == first
        assert cache.hits == 0 and cache.bytes == 0 and len(cache) == 0
    finally:
        stop(server)


def test_a_negative_cache_size_is_a_usage_error(seeds_build):
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "serve", "--graph", str(seeds_build[0]),
                           "--port", "0", "--cache-mb", "-1"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "--cache-mb" in proc.stderr and "Traceback" not in proc.stderr
