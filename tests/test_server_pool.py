"""The query worker pool of ``kg serve``: requests served first come, first served; the pool grows
only while slow queries hold workers, and goes back to its size after them."""
from __future__ import annotations

import threading
import time

from kg.server import worker as workers_module
from kg.server.worker import GROW_AFTER, PoolBusy, WorkerPool

# about 3 s on the seeds store (as in test_server_hardening): slow, but it ends
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { ?a ?b ?c } LIMIT 30 } "
        "?d ?e ?f FILTER(?a != ?f) }")


def request(text: str) -> dict:
    return {"query": text, "prefixes": {}, "max_bytes": 10_000_000, "union": True,
            "results_format": ("application/sparql-results+json", "JSON"), "rdf_format": None,
            "results_406": "no", "rdf_406": "no"}


def store_of(seeds_build) -> str:
    return str(seeds_build[0] / "store")


def test_a_freed_worker_goes_to_the_longest_waiting_request_not_a_newcomer(seeds_build):
    pool = WorkerPool(store_of(seeds_build), size=1, max_size=1)
    try:
        worker = pool._acquire(5)  # the only worker, taken
        got = []
        first = threading.Thread(target=lambda: got.append(pool._acquire(5)))
        first.start()
        deadline = time.monotonic() + 5
        while not pool._waiters and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(pool._waiters) == 1
        pool._release(worker)
        # a request arriving as the worker comes free waits its turn: the worker is the first's
        try:
            late = pool._acquire(0.2)
        except PoolBusy:
            late = None
        first.join(5)
        assert got == [worker] and late is None
    finally:
        pool.close()


def test_many_quick_queries_at_once_do_not_grow_the_pool(seeds_build):
    pool = WorkerPool(store_of(seeds_build), size=2, max_size=16)
    errors = []

    def client(n: int) -> None:
        for i in range(10):
            reply = pool.run(request(f"ASK {{ ?s ?p ?o FILTER(?o != {n * 100 + i}) }}"), 30)
            if reply[0] != "ok":
                errors.append(reply)

    try:
        threads = [threading.Thread(target=client, args=(n,)) for n in range(40)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
        # quick queries wait in line for the two workers; growing (16 under this load before)
        # would only add memory. A query slowed past GROW_AFTER on a busy machine may add one.
        assert len(pool.workers) <= 3, len(pool.workers)
    finally:
        pool.close()


def test_the_pool_grows_for_a_slow_query_then_goes_back_to_its_size(seeds_build, monkeypatch):
    monkeypatch.setattr(workers_module, "SHRINK_AFTER", 0.5)
    pool = WorkerPool(store_of(seeds_build), size=1, max_size=4)
    try:
        slow = threading.Thread(target=lambda: pool.run(request(SLOW), 60))
        slow.start()
        time.sleep(GROW_AFTER + 0.1)
        # the slow query holds the only worker: one more serves the others, ready or starting
        assert len(pool.workers) == 2
        t = time.monotonic()
        assert pool.run(request("ASK { ?s ?p ?o }"), 30)[0] == "ok"
        assert time.monotonic() - t < 5
        slow.join(60)
        time.sleep(0.6)
        pool.run(request("ASK { ?s ?p ?o FILTER(?o != 1) }"), 30)
        pool.run(request("ASK { ?s ?p ?o FILTER(?o != 2) }"), 30)
        assert len(pool.workers) == 1
    finally:
        pool.close()
