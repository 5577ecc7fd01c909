"""Named-query latency on a store of ~1M triples.

    .venv/bin/python benchmarks/queries.py [--triples 1000000] [--base BUILD] [--keep DIR] [--timeout 300]

The large store is a real build replicated: by default the real corpus
(../shared/corpus seeds, dev and reports) is built first (or ``--base`` names
an existing build folder). Its reference and ontology graphs are kept once;
the resolved graph and every per-document graph are copied K times, copy k
renaming every document-local and resolved IRI (doc/, graph/, evidence/,
mention/, person-mention/, membership/, judgement/, finding/, quote/, inspection/, person/)
with a ``ck-`` prefix on its local part and the ``kgo:sourceId`` literals
likewise; councils, organisations and code lists stay shared. So copy k is an
independent "world" of the same documents about the same 150-odd councils:
each council gets K times the documents, inspections and people, the way a
bigger corpus would.

Each named query (kg/queries/*.rq, default parameters) then runs in its own
interpreter, through ``kg.query.run_query`` (the code path of ``kg query``:
parameter binding, Oxigraph evaluation, every row materialised as Python
strings), three times; the first (cold) and the best run (wall, and CPU
seconds of the process: Oxigraph evaluates in the calling thread, so CPU time
is the figure least disturbed by a busy machine) are printed with the row
count. A query over ``--timeout`` seconds is stopped and reported as such.

Target (DESIGN.md): each named query <= 1 s at 1M triples. Printed, never asserted.
"""
from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, ROOT, Timer, load_average  # noqa: E402

SCRIPT = Path(__file__).resolve()
RENAMED = ("doc", "graph", "evidence", "mention", "person-mention", "membership", "judgement", "finding", "quote",
           "inspection", "person")


def base_build(work: Path) -> Path:
    from kg.build import build
    from kg.config import Config

    out = work / "base"
    srcs = tuple(str(CORPUS / f) for f in ("seeds", "dev", "reports"))
    with Timer() as t:
        res = build(Config().with_(sources=srcs, out=out, viz=False))
    print(f"base build of the real corpus: {res.totals.get('documents')} documents, {res.failed} failed sources, "
          f"{res.totals.get('quads')} quads in {t.wall:.0f} s")
    return out


def replicate(base: Path, target_dir: Path, triples: int) -> dict:
    import pyoxigraph as ox

    from kg.rdf.mapping import ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from kg.rdf.namespace import ID, KGO
    from kg.store import STORE_DIR, open_store

    idp = str(ID)
    source_id = str(KGO.sourceId)
    shared_graphs = {str(REFERENCE_GRAPH), str(ONTOLOGY_GRAPH)}
    src = open_store(base)
    shared, copied = [], []
    for q in src.quads_for_pattern(None, None, None, None):
        g = q.graph_name
        if isinstance(g, ox.DefaultGraph) or g.value in shared_graphs:
            shared.append(q)
        else:
            copied.append(q)
    del src
    k_copies = max(1, math.ceil((triples - len(shared)) / max(1, len(copied))))

    def renamer(k: int):
        if k == 0:
            return lambda term: term
        memo: dict = {}

        def rename(term):
            if isinstance(term, ox.NamedNode):
                v = term.value
                if not v.startswith(idp):
                    return term
                hit = memo.get(v)
                if hit is None:
                    local = v[len(idp):]
                    head, _, rest = local.partition("/")
                    if head in RENAMED and rest and not (head == "graph" and rest in ("reference", "ontology", "resolved")):
                        hit = ox.NamedNode(f"{idp}{head}/c{k}-{rest}")
                    else:
                        hit = term
                    memo[v] = hit
                return hit
            if isinstance(term, ox.BlankNode):
                return memo.setdefault(("b", term.value), ox.BlankNode())
            return term
        return rename

    def quads():
        yield from shared
        for k in range(k_copies):
            rn = renamer(k)
            for q in copied:
                o = q.object
                if k and q.predicate.value == source_id and isinstance(o, ox.Literal):
                    o = ox.Literal(f"c{k}-{o.value}")
                else:
                    o = rn(o)
                g = q.graph_name
                g = rn(g) if isinstance(g, ox.NamedNode) else g
                yield ox.Quad(rn(q.subject), q.predicate, o, g)

    store_path = target_dir / STORE_DIR
    shutil.rmtree(store_path, ignore_errors=True)
    target_dir.mkdir(parents=True, exist_ok=True)
    with Timer() as t:
        store = ox.Store(str(store_path))
        store.bulk_extend(quads())
        store.flush()
        store.optimize()
    n = len(store)
    graphs = sum(1 for _ in store.named_graphs())
    del store
    return {"shared": len(shared), "per_copy": len(copied), "copies": k_copies, "quads": n, "graphs": graphs,
            "load_s": t.wall}


def child(graph_dir: Path, name: str, repeat: int) -> dict:
    import hashlib

    from kg.query import resolve_query, run_query
    from kg.store import open_store

    store = open_store(graph_dir)
    text = resolve_query(name, None)  # a named query or a FILE.rq
    times, cpu, rows = [], [], 0
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        cols, result = run_query(graph_dir, text, store=store)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        rows = len(result)
    digest = hashlib.sha1(repr((cols, sorted(map(tuple, result), key=repr))).encode()).hexdigest()
    return {"times": times, "cpu": cpu, "rows": rows, "digest": digest}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--base", type=Path, help="an existing build folder to replicate (default: build the real corpus)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--timeout", type=float, default=300.0, help="stop a query after this many seconds")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", nargs="*", help="only these named queries")
    ap.add_argument("--proposed", type=Path, nargs="?", const=SCRIPT.parent / "proposed-queries",
                    help="also time the rewritten queries in this folder (default benchmarks/proposed-queries) "
                         "and check they return the same rows as the shipped ones")
    ap.add_argument("--reuse", action="store_true", help="reuse the big store in --keep DIR if present")
    ap.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        print(json.dumps(child(Path(args.child[0]), args.child[1], int(args.child[2]))))
        return

    from kg.query import named_queries

    work = args.keep or Path(tempfile.mkdtemp(prefix="kg-bench-queries-"))
    big = work / "big"
    if not (args.reuse and (big / "store").is_dir()):
        base = args.base or base_build(work)
        info = replicate(base, big, args.triples)
        print(f"store: {info['quads']:,} quads in {info['graphs']:,} named graphs = {info['shared']:,} shared "
              f"(reference, ontology) + {info['copies']} copies x {info['per_copy']:,} (resolved + document graphs); "
              f"loaded in {info['load_s']:.0f} s")
    print(f"load average before: {load_average()}")
    print(f"\n  {'query':35s} {'first (s)':>10s} {'best (s)':>10s} {'best CPU':>10s} {'rows':>8s}  target <= 1 s (best wall)")
    fails = []
    jobs = [(name, name) for name in named_queries()]
    if args.proposed:
        jobs += [(f"{p.stem} (proposed)", str(p)) for p in sorted(args.proposed.glob("*.rq"))]
    digests = {}
    for name, query in jobs:
        if args.only and name.split()[0] not in args.only:
            continue
        cmd = [sys.executable, str(SCRIPT), "--child", str(big), query, str(args.repeat)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, cwd=ROOT)
        except subprocess.TimeoutExpired:
            print(f"  {name:35s} {'> ' + str(int(args.timeout)):>10s} {'':>10s} {'?':>8s}  FAIL (stopped)", flush=True)
            fails.append(name)
            continue
        if proc.returncode != 0:
            print(f"  {name:35s} error: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}")
            fails.append(name)
            continue
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        best = min(res["times"])
        ok = best <= 1.0
        if not ok:
            fails.append(name)
        digests[name] = res["digest"]
        same = ""
        if name.endswith(" (proposed)"):
            shipped = digests.get(name.split()[0])
            same = "  same rows as shipped" if shipped == res["digest"] else "  ROWS DIFFER from shipped" if shipped else ""
        print(f"  {name:35s} {res['times'][0]:10.2f} {best:10.2f} {min(res['cpu']):10.2f} {res['rows']:8d}  "
              f"{'PASS' if ok else 'FAIL'}{same}", flush=True)
    print(f"\n  {len(fails)} over target: {', '.join(fails) or 'none'}  (load average after: {load_average()})")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
