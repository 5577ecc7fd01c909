"""Time the analyst's pages of ``kg serve`` on a build (best on a big one: the whole corpus
with the statistics imported).

    .venv/bin/python benchmarks/pages.py --graph BUILD [--rounds 2] [--queries]

Starts the server in this process on a free port, fetches each page ``--rounds`` times
(the first fetch is the cold one: a fresh server on this build) and prints the seconds
of each fetch, the page's size and how many SPARQL queries it ran and for how long.
``--queries`` also lists each page's slowest queries. Prints numbers; asserts nothing.
"""
from __future__ import annotations

import argparse
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    ("home", "/"),
    ("council Tameside", "/id/council/E08000008"),
    ("council Middlesbrough", "/id/council/E06000002"),
    ("council Birmingham", "/id/council/E08000025"),
    ("network Tameside", "/network?focus=Tameside"),
    ("network Middlesbrough", "/network?focus=Middlesbrough"),
    # a focus that is no council, inspection or person: read from the store around it
    ("network Ofsted", "/network?focus=Ofsted"),
    ("network unknown label", "/network?focus=Atlantis"),
    ("query runner", "/query"),
]


def _extra_pages(app) -> list:
    """An inspection, a person and a document page of this build (the first of each)."""
    out = []
    for label, query in (
        ("inspection", "SELECT ?x WHERE { ?x a kgo:Inspection ; kgo:council <https://w3id.org/ofsted-kg/id/council/E08000008> } ORDER BY ?x LIMIT 1"),
        ("person", "SELECT ?x WHERE { ?m org:member ?x ; org:organization <https://w3id.org/ofsted-kg/id/council/E08000008> } ORDER BY ?x LIMIT 1"),
        ("document", "SELECT ?x WHERE { ?x a kgo:SourceDocument ; kgo:documentKind 'report' ; "
                     "kgo:mentions <https://w3id.org/ofsted-kg/id/council/E08000008> } ORDER BY ?x LIMIT 1"),
    ):
        rows = app.select_json(query)["results"]["bindings"]
        if rows:
            from kg.server.pages import href

            out.append((label, href(rows[0]["x"]["value"])))
            if label == "document":
                out.append(("network document", "/network?focus=" + urllib.parse.quote(rows[0]["x"]["value"], safe="")))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", required=True, type=Path, help="a build folder")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--queries", action="store_true", help="list each page's slowest SPARQL queries")
    ap.add_argument("--only", nargs="*", help="page labels to time (default: all)")
    args = ap.parse_args(argv)

    from kg.server import make_server
    from kg.server.app import App

    log: list = []
    real = App.select_json

    def timed(self, text, pool=None):
        t = time.perf_counter()
        try:
            return real(self, text, pool=pool)
        finally:
            log.append((time.perf_counter() - t, " ".join(text.split())[:110]))

    App.select_json = timed
    t0 = time.perf_counter()
    server, url = make_server(args.graph, port=0)
    print(f"server up in {time.perf_counter() - t0:.2f} s on {args.graph}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        pages = PAGES + _extra_pages(server.app)
        if args.only:
            pages = [p for p in pages if p[0] in args.only]
        log.clear()
        print(f"{'page':24} {'round':>5} {'seconds':>8} {'kB':>7} {'queries':>7} {'query s':>8}  path")
        for rnd in range(1, args.rounds + 1):
            for label, path in pages:
                log.clear()
                t = time.perf_counter()
                try:
                    with urllib.request.urlopen(url.rstrip("/") + path, timeout=600) as resp:
                        body = resp.read()
                except urllib.error.HTTPError as exc:  # a 404 is timed too
                    body = exc.read()
                took = time.perf_counter() - t
                qs = sum(d for d, _ in log)
                print(f"{label:24} {rnd:5d} {took:8.2f} {len(body) / 1000:7.0f} {len(log):7d} {qs:8.2f}  "
                      f"{urllib.parse.unquote(path)}", flush=True)
                if args.queries and rnd == 1:
                    for d, q in sorted(log, reverse=True)[:6]:
                        print(f"{'':30}{d:7.2f}s  {q}")
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
