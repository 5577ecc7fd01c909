"""A council page's quotes: the one-query read the pages used before, against the three
narrow reads of ``Pages.quotes`` (documents mentioning the council, the quotes derived
from them, then the quotes' facts by IRI), on a build (best on a big one).

    .venv/bin/python benchmarks/quotes.py --graph BUILD [--councils 5] [--rounds 2]

Opens the build's store in this process, takes Tameside, Middlesbrough, Birmingham and
the ``--councils`` councils the most documents mention, and prints each read's seconds
(best of ``--rounds``), the quotes found, and whether both reads give the same quotes.
Prints numbers; asserts nothing.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAMED = ("E08000008", "E06000002", "E08000025")  # Tameside, Middlesbrough, Birmingham


def one_query(rows, where: str) -> list:
    """The read the pages used before 3-step quotes: one join, where ``where`` binds ?doc."""
    from kg.server.pages import ID, href

    found = rows(f"""
SELECT DISTINCT ?q ?text ?speaker ?speakerName ?doc ?source WHERE {{
  {where}
  GRAPH ?g {{ ?q a kgo:Quote ; kgo:text ?text ; prov:wasDerivedFrom ?doc . ?doc kgo:sourceId ?source .
             OPTIONAL {{ ?q kgo:speaker ?speaker }} OPTIONAL {{ ?q kgo:speakerName ?speakerName }} }}
}} ORDER BY ?source ?text""")
    return [{"iri": r["q"], "text": r["text"], "speaker": r.get("speakerName", ""),
             "speaker_href": href(r["speaker"]) if r.get("speaker", "").startswith(ID + "person/") else "",
             "doc": {"iri": r["doc"], "href": href(r["doc"]), "source": r["source"]}} for r in found]


def best(fn, rounds: int):
    took = []
    for _ in range(rounds):
        t = time.perf_counter()
        out = fn()
        took.append(time.perf_counter() - t)
    return min(took), took[0], out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", required=True, type=Path, help="a build folder")
    ap.add_argument("--councils", type=int, default=5, help="also the N councils the most documents mention")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)

    from kg.server.index import store_rows
    from kg.server.pages import ID, Pages
    from kg.store import open_store

    store = open_store(args.graph)
    rows = store_rows(store)
    top = rows(f"""SELECT ?c (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d kgo:mentions ?c . ?c a kgo:Council }}
GROUP BY ?c ORDER BY DESC(?n) LIMIT {args.councils}""")
    councils = [ID + "council/" + code for code in NAMED] + [r["c"] for r in top]
    pages = Pages(rows=rows, index={})
    print(f"{'council':44} {'docs':>5} {'quotes':>6} {'before s':>9} {'(first)':>8} {'after s':>8} {'(first)':>8}  same")
    for c in dict.fromkeys(councils):
        where = f"?doc kgo:mentions <{c}> ."
        n = len(rows(f"SELECT DISTINCT ?d WHERE {{ ?d kgo:mentions <{c}> }}"))
        # the new read first, so the old one never warms the store's caches for it
        after, after1, new = best(lambda: pages.quotes(where), args.rounds)
        before, before1, old = best(lambda: one_query(rows, where), args.rounds)
        key = lambda q: (q["doc"]["source"], q["text"], q["iri"], q["speaker"], q["speaker_href"], q["doc"]["iri"])  # noqa: E731
        same = sorted(old, key=key) == sorted(new, key=key)
        print(f"{c.rsplit('/', 1)[-1]:44} {n:5d} {len(new):6d} {before:9.2f} {before1:8.2f} {after:8.2f} {after1:8.2f}  {same}",
              flush=True)
    del store
    return 0


if __name__ == "__main__":
    sys.exit(main())
