"""Query workers: each SPARQL query runs in a separate process that can be killed.

pyoxigraph has no way to cancel a running query (measured: a cross product
``SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f }`` over the 5k-quad seeds
store runs 92 s inside ``Store.query`` and nothing in the process can stop
it).  So the server keeps a small pool of worker processes, each with the
build's store opened read-only, and sends each query to a free one.  If the
answer is not back within the timeout the worker is killed and replaced;
the server and the other workers are untouched.

The child side imports nothing but pyoxigraph and the standard library, so
a worker (re)starts in a fraction of a second.
"""
from __future__ import annotations

import collections
import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Optional


class ResultTooLarge(Exception):
    pass


class _CappedBuffer(io.RawIOBase):
    """A bytes sink that stops the serialiser once it has ``cap`` bytes."""

    def __init__(self, cap: int):
        super().__init__()
        self.cap = cap
        self.buf = bytearray()

    def writable(self):
        return True

    def write(self, data):
        self.buf += data
        if len(self.buf) > self.cap:
            raise ResultTooLarge()
        return len(data)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def _run(store, ox, req: dict) -> tuple:
    """One query -> ("ok", media_type, body) or ("error", http_status, message)."""
    kwargs = {"prefixes": req["prefixes"]}
    if req.get("default_graph") is not None or req.get("named_graphs") is not None:
        # the SPARQL Protocol's default-graph-uri / named-graph-uri: exactly that dataset
        kwargs["default_graph"] = [ox.NamedNode(g) for g in req.get("default_graph") or []]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in req.get("named_graphs") or []]
    elif req.get("union", True):
        kwargs["use_default_graph_as_union"] = True
    try:
        result = store.query(req["query"], **kwargs)
    except SyntaxError as exc:
        return ("error", 400, f"malformed SPARQL query: {_first_line(exc)}")
    except ValueError as exc:
        return ("error", 400, f"bad query: {_first_line(exc)}")
    except (OSError, RuntimeError) as exc:
        return ("error", 500, f"query failed: {_first_line(exc)}")

    if isinstance(result, ox.QueryTriples):
        choice = req.get("rdf_format")
        if choice is None:
            return ("error", 406, req["rdf_406"])
        media, fmt_name = choice
        fmt = getattr(ox.RdfFormat, fmt_name)
    else:
        choice = req.get("results_format")
        if choice is None:
            return ("error", 406, req["results_406"])
        media, fmt_name = choice
        fmt = getattr(ox.QueryResultsFormat, fmt_name)
    sink = _CappedBuffer(req["max_bytes"])
    try:
        if isinstance(result, ox.QueryTriples):
            if fmt_name in ("TURTLE", "RDF_XML"):
                ox.serialize(result, sink, fmt, prefixes=req.get("out_prefixes", req["prefixes"]))
            else:
                result.serialize(sink, fmt)
        else:
            result.serialize(sink, fmt)
    except ResultTooLarge:
        mb = req["max_bytes"] / 1e6
        return ("error", 503, f"the result is larger than this server's limit of {mb:g} MB; "
                              "narrow the query (LIMIT/OFFSET) or use 'kg export' for the whole graph")
    except (OSError, RuntimeError, ValueError) as exc:
        return ("error", 500, f"query failed: {_first_line(exc)}")
    return ("ok", media, bytes(sink.buf))


def _end_with_parent() -> None:
    """Exit as soon as the server process is gone, even killed (SIGKILL): the worker is then
    adopted by another process. A thread, as pyoxigraph lets go of the interpreter while it queries."""
    import threading
    import time

    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="end-with-parent").start()


def _cap_memory(megabytes: int) -> None:
    """Limit the worker's address space: a query that needs more fails (its worker dies and is
    replaced) instead of taking the machine's memory."""
    if megabytes <= 0:
        return
    import resource

    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def worker_main(conn, store_path: str, memory_mb: int = 0) -> None:
    """The child process: open the store, then answer requests until the socket closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _end_with_parent()
    try:
        import pyoxigraph as ox

        store = ox.Store.read_only(store_path)
        _cap_memory(memory_mb)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        conn.send(("failed", f"{store_path}: cannot open the store ({_first_line(exc)})"))
        return
    conn.send(("ready",))
    while True:
        try:
            req = conn.recv()
        except (EOFError, OSError):
            return
        if req is None:
            return
        try:
            reply = _run(store, ox, req)
        except Exception as exc:  # noqa: BLE001 - never let one query end the worker
            reply = ("error", 500, f"query failed: {_first_line(exc)}")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


GROW_AFTER = 0.25  # s a query may hold its worker before the pool starts another for the rest
SHRINK_AFTER = 5.0  # s without a slow query before the pool stops the workers it grew
SLOW_S = 1.0      # a query running longer than this is slow: its worker yields the CPU
SLOW_NICE = 10    # the niceness a slow query's worker runs at (quick queries and the server keep 0)


class QueryTimeout(Exception):
    pass


class PoolBusy(Exception):
    pass


class _Worker:
    """One child process (``python -m kg.server.worker FD STORE``) over a socket pair.

    A plain subprocess rather than multiprocessing's spawn, which re-imports the
    caller's ``__main__`` and so fails from scripts without a main guard.
    """

    def __init__(self, store_path: str, memory_mb: int = 0):
        self.store_path = store_path
        self.memory_mb = memory_mb
        self.proc = None
        self.conn = None
        self.busy_since = None  # monotonic time its current query was sent, None while idle

    def start(self, timeout: float = 60) -> None:
        self.launch()
        self.wait_ready(timeout)

    def launch(self) -> None:
        import kg

        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        root = str(Path(kg.__file__).resolve().parents[1])
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "kg.server.worker", str(theirs.fileno()), self.store_path, str(self.memory_mb)],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env,
                start_new_session=True)  # Ctrl-C in the terminal is the server's, not the worker's
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())

    def wait_ready(self, timeout: float = 60) -> None:
        proc, conn = self.proc, self.conn
        try:
            if not conn.poll(timeout):
                raise OSError(f"{self.store_path}: the query worker did not start within {timeout:g} s")
            try:
                msg = conn.recv()
            except EOFError:
                proc.wait(5)
                raise OSError(f"{self.store_path}: the query worker exited on start (code {proc.returncode})") from None
            if msg[0] != "ready":
                raise OSError(msg[1])
        except BaseException:
            self.stop(kill=True)
            raise

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, kill: bool = False) -> None:
        proc, conn = self.proc, self.conn
        self.proc = self.conn = None
        if proc is None:
            return
        if not kill:
            try:
                conn.send(None)
                proc.wait(2)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
        _end(proc)
        conn.close()

    def ask(self, req: dict, timeout: float, on_held=None) -> tuple:
        """The worker's reply to ``req``; ``on_held()`` is called once the query has run
        GROW_AFTER seconds (the pool then starts a worker for the queries behind it)."""
        if not self.alive():
            self.stop(kill=True)
            self.start()
        self.conn.send(req)
        waited = 0.0
        ready = False
        if on_held is not None and min(SLOW_S, timeout) > GROW_AFTER:
            ready = self.conn.poll(GROW_AFTER)
            waited = GROW_AFTER
            if not ready:
                on_held()
        if not ready:
            ready = self.conn.poll(min(SLOW_S, timeout) - waited)
        demoted = False
        if not ready and timeout > SLOW_S:
            # slow queries share the cores at a lower priority, so quick ones (and the server
            # itself) are answered at once while they run
            demoted = self._renice(SLOW_NICE)
            ready = self.conn.poll(timeout - SLOW_S)
        if not ready:
            self.stop(kill=True)  # the only way to stop a running pyoxigraph query
            try:
                self.start()  # the timed-out request pays for the restart, not the next one
            except OSError:
                pass  # retried by the next ask()
            raise QueryTimeout()
        try:
            reply = self.conn.recv()
        except EOFError:
            try:
                code = self.proc.wait(2) if self.proc else None
            except subprocess.TimeoutExpired:
                code = None
            self.stop(kill=True)
            return ("error", 500, f"the query worker died (exit code {code}); the query may need too much memory")
        if demoted and not self._renice(0):
            # without the right to raise priority again, a fresh worker takes its place
            # (the slow query's caller waits for it, not the next query)
            self.stop()
            try:
                self.start()
            except OSError:
                pass  # retried by the next ask()
        return reply

    def _renice(self, niceness: int) -> bool:
        try:
            os.setpriority(os.PRIO_PROCESS, self.proc.pid, niceness)
            return True
        except (OSError, AttributeError):
            return False


def _end(proc) -> None:
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        pass


class _Waiter:
    """A request waiting for a worker: the pool hands it one (first come, first served)."""

    __slots__ = ("event", "worker", "since")

    def __init__(self) -> None:
        self.event = threading.Event()
        self.worker = None
        self.since = time.monotonic()


class WorkerPool:
    """Worker processes over one store; ``run`` gives each query a free one.

    ``size`` workers start with the pool and serve quick queries in turn: a query that finds
    none free waits in line, and a worker coming free goes to the one that has waited longest
    (no request overtakes another). Only while slow queries hold workers (busy over GROW_AFTER
    seconds) does the pool grow, up to ``max_size``: ``size`` workers for the others and one
    spare started ahead, so a quick query does not wait behind slow ones nor for a worker to
    start. SHRINK_AFTER seconds after the last slow query, the grown workers stop as they come
    free. (Growing whenever all were busy gave 16 workers under quick load on 2 cores: four
    times the memory and more CPU per query, and long queries stretched by sharing the cores.)"""

    def __init__(self, store_path: str, size: int = 2, max_size: Optional[int] = None, memory_mb: int = 0):
        self.store_path = store_path
        self.memory_mb = memory_mb
        self.size = max(1, size)
        self.max_size = max(self.size, max_size or 0)
        self.idle: list = []  # free workers, most recently used last; touched only under _lock
        self._waiters: "collections.deque[_Waiter]" = collections.deque()
        self.workers: list = []
        self.closed = False
        self._lock = threading.Lock()
        self._busy = 0
        self._retired = None  # set by retire(): called once the last running query is done
        self._last_held = 0.0  # when a slow query was last seen holding a worker
        try:
            self.workers = [_Worker(store_path, memory_mb) for _ in range(self.size)]
            for w in self.workers:  # start them side by side
                w.launch()
            for w in self.workers:
                w.wait_ready()
                self.idle.append(w)
        except BaseException:
            self.close()
            raise

    def run(self, req: dict, timeout: float) -> tuple:
        """Wait up to ``timeout`` for a free worker, then up to ``timeout`` for its answer."""
        with self._lock:
            self._busy += 1
        try:
            return self._run(req, timeout)
        finally:
            with self._lock:
                self._busy -= 1
                last = self._busy == 0 and self._retired is not None
            if last:
                self._close_retired()

    def retire(self, then) -> None:
        """Close the pool once its running queries are done (now, if none), then call ``then``."""
        with self._lock:
            self._retired = then
            idle = self._busy == 0
        if idle:
            self._close_retired()

    def _close_retired(self) -> None:
        with self._lock:
            then, self._retired = self._retired, None
        if then is not None:
            self.close()
            then()

    def _run(self, req: dict, timeout: float) -> tuple:
        worker = self._acquire(timeout)
        try:
            if self.closed:
                raise PoolBusy()
            worker.busy_since = time.monotonic()
            return worker.ask(req, timeout, on_held=self._grow_if_held)
        finally:
            worker.busy_since = None
            if not self._shrink(worker):
                self._release(worker)

    def _acquire(self, timeout: float) -> "_Worker":
        with self._lock:
            if not self._waiters and self.idle:
                return self.idle.pop()
            waiter = _Waiter()
            self._waiters.append(waiter)
        deadline = waiter.since + timeout
        while True:
            # a query that becomes slow starts a worker itself (on_held); this look is for a
            # worker that failed to start meanwhile
            self._grow_if_held()
            left = deadline - time.monotonic()
            if waiter.event.wait(max(0.0, min(left, 1.0))) or left <= 0:
                break
        with self._lock:
            if waiter.worker is None:
                self._waiters.remove(waiter)
                raise PoolBusy()
        return waiter.worker

    def _release(self, worker: "_Worker") -> None:
        """A worker is free (or newly started): to the longest-waiting request, else idle."""
        with self._lock:
            if self._waiters:
                waiter = self._waiters.popleft()
                waiter.worker = worker
                waiter.event.set()
            else:
                self.idle.append(worker)

    def _shrink(self, worker: "_Worker") -> bool:
        """Stop ``worker`` (in the background) if the pool has grown past ``size`` and no slow
        query holds a worker any more: the pool goes back to its size after a burst."""
        now = time.monotonic()
        with self._lock:
            if self.closed or len(self.workers) <= self.size or now - self._last_held < SHRINK_AFTER:
                return False
            if any(w.busy_since is not None and now - w.busy_since >= GROW_AFTER for w in self.workers):
                self._last_held = now
                return False
            self.workers.remove(worker)
        threading.Thread(target=worker.stop, daemon=True, name="stop-worker").start()
        return True

    def _grow_if_held(self) -> None:
        """While slow queries hold workers, keep ``size`` workers for the others plus one spare,
        starting at most one more now (up to ``max_size``)."""
        now = time.monotonic()
        with self._lock:
            if self.closed or len(self.workers) >= self.max_size:
                return
            held = sum(1 for w in self.workers if w.busy_since is not None and now - w.busy_since >= GROW_AFTER)
            if not held:
                return
            self._last_held = now
            if len(self.workers) - held >= self.size + 1:
                return
            worker = _Worker(self.store_path, self.memory_mb)
            self.workers.append(worker)

        def start():
            try:
                worker.start()
            except OSError:
                with self._lock:
                    self.workers.remove(worker)
                return
            if self.closed:
                worker.stop()
            else:
                self._release(worker)

        threading.Thread(target=start, daemon=True, name="start-worker").start()

    def close(self) -> None:
        with self._lock:
            if self.closed:
                return
            self.closed = True
            workers = list(self.workers)
            waiters, self._waiters = list(self._waiters), collections.deque()
        for waiter in waiters:  # nobody waits for a closed pool
            waiter.event.set()
        for w in workers:
            w.stop()


if __name__ == "__main__":  # python -m kg.server.worker FD STORE_PATH [MEMORY_MB]
    worker_main(Connection(int(sys.argv[1])), sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 0)
