"""Peak memory of a build against corpus size.

    .venv/bin/python benchmarks/memory.py [--sizes 1000 3000 10000] [--keep DIR] [--limit-gb 14]

Each size is built from scratch (cache off, n_process=1, all outputs as
``kg build`` writes them) in its own interpreter; the child reports
``ru_maxrss`` (peak resident set) and, from a 0.25 s RSS sampler, the peak
within each build stage (extract, resolve+map, store, viz, serialise), so a
peak can be pinned to the stage that causes it. The parent also watches the
child and stops it past ``--limit-gb`` (reported as "> limit"), so a build
that grows without bound cannot push the shared machine into swap/OOM.

Target (DESIGN.md): peak <= 2 GB at 10,000 documents and not growing with
corpus size. Printed, never asserted.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, load_average, peak_rss_mb, write_corpus  # noqa: E402
from kg.output import remove_output  # noqa: E402

SCRIPT = Path(__file__).resolve()
# the view is drawn first; serialise_s is what serialising (beside it, in a fork) adds after
STAGES = ("extract_s", "resolve_map_s", "store_s", "viz_s", "serialise_s")


def child(corpus: Path, out: Path, n_process: int) -> dict:
    import psutil

    from kg.build import build
    from kg.config import Config

    proc = psutil.Process()
    samples: list = []  # (seconds since build start, rss MiB)
    stop = threading.Event()
    t0 = time.perf_counter()

    def sample():
        while not stop.is_set():
            samples.append((time.perf_counter() - t0, proc.memory_info().rss / 2**20))
            stop.wait(0.25)

    base = proc.memory_info().rss / 2**20
    th = threading.Thread(target=sample, daemon=True)
    th.start()
    result = build(Config().with_(sources=(str(corpus),), out=out, n_process=n_process, cache=False))
    wall = time.perf_counter() - t0
    stop.set()
    th.join()
    # stage boundaries from the build's own timings (they run in this order)
    bounds, t = {}, 0.0
    for s in STAGES:
        if s in result.timings:
            bounds[s] = (t, t + result.timings[s])
            t += result.timings[s]
    by_stage = {s: max((m for ts, m in samples if lo <= ts < hi), default=None) for s, (lo, hi) in bounds.items()}
    return {"wall": wall, "docs": result.totals.get("documents"), "quads": result.totals.get("quads"),
            "timings": result.timings, "maxrss_mb": peak_rss_mb(), "before_build_mb": base,
            "peak_by_stage_mb": by_stage}


def run_watched(args: list, limit_mb: float) -> dict:
    import psutil

    cmd = [sys.executable, str(SCRIPT), "--child", *map(str, args)]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    ps = psutil.Process(p.pid)
    seen = 0.0
    killed = False
    while p.poll() is None:
        try:
            rss = sum(x.memory_info().rss for x in [ps, *ps.children(recursive=True)]) / 2**20
        except psutil.NoSuchProcess:
            break
        seen = max(seen, rss)
        if rss > limit_mb:
            p.kill()  # only the child this script started
            killed = True
            break
        time.sleep(0.5)
    out, err = p.communicate()
    if killed:
        return {"killed": True, "seen_mb": seen}
    if p.returncode != 0:
        sys.stderr.write(err[-3000:])
        return {"failed": p.returncode, "seen_mb": seen}
    res = json.loads(out.strip().splitlines()[-1])
    res["seen_mb"] = seen
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--limit-gb", type=float, default=14.0, help="stop a build past this RSS (default 14)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1]), int(args.child[2]))))
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="kg-bench-memory-"))
    rows = []
    print(f"load average before: {load_average()}; n_process={args.processes}; cache off; RSS limit {args.limit_gb} GB")
    for n in args.sizes:
        corpus = work / f"corpus-{n}"
        if not corpus.is_dir():
            write_corpus(corpus, n)
        res = run_watched([corpus, work / f"out-{n}", args.processes], args.limit_gb * 1024)
        remove_output(work / f"out-{n}")
        if not args.keep:
            shutil.rmtree(corpus, ignore_errors=True)
        rows.append((n, res))
        if res.get("killed"):
            print(f"  {n:>6} docs: stopped at > {args.limit_gb} GB RSS (seen {res['seen_mb']:.0f} MiB)", flush=True)
            continue
        if res.get("failed"):
            print(f"  {n:>6} docs: build failed (exit {res['failed']}), seen {res['seen_mb']:.0f} MiB", flush=True)
            continue
        stages = ", ".join(f"{k[:-2]} {v:.0f}" for k, v in res["peak_by_stage_mb"].items() if v is not None)
        print(f"  {n:>6} docs: peak RSS {res['maxrss_mb']:>7.0f} MiB (ru_maxrss; {res['maxrss_mb'] / 1024:.2f} GiB), "
              f"{res['quads']} quads, {res['wall']:.0f} s; peak MiB by stage: {stages}; timings {res['timings']}",
              flush=True)
    ok = [(n, r["maxrss_mb"]) for n, r in rows if "maxrss_mb" in r]
    if len(ok) >= 2:
        (n0, m0), (n1, m1) = ok[0], ok[-1]
        slope = (m1 - m0) / (n1 - n0) * 1000
        print(f"\n  growth {n0}->{n1} docs: {m1 / m0:.2f}x peak for {n1 / n0:.1f}x documents "
              f"(~{slope:.0f} MiB per 1,000 documents)")
    last_n, last = rows[-1]
    at = last.get("maxrss_mb", last.get("seen_mb"))
    over = last.get("killed") or at > 2048
    print(f"  target <= 2 GB at {last_n} docs: {'FAIL' if over else 'PASS'} ({at:.0f} MiB{'+' if last.get('killed') else ''})")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
