"""Running the ASGI application: uvicorn on a socket bound before it starts.

Binding first gives callers the real port (tests ask for port 0) and a clear
error for a taken port; :class:`Server` keeps the ``serve_forever`` /
``shutdown`` / ``server_close`` shape so a thread can run it.
"""
from __future__ import annotations

import os
import socket
import sys
import threading
from pathlib import Path
from typing import Optional

DEFAULT_TIMEOUT = 30.0          # seconds a query may run before its worker is killed
DEFAULT_MAX_BYTES = 64_000_000  # largest serialised result the server sends
DEFAULT_MEMORY_MB = 2048        # address space a query worker may use
DEFAULT_CACHE_MB = 64           # answers kept per build (see cache.py), in MB of their bodies
BACKLOG = 1024                  # connections the kernel queues before the server accepts them


def default_workers() -> int:
    """Query workers started with the server: one per core this process may use, at least two."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(2, cores)


def default_max_workers(workers: int) -> int:
    """How far the pool grows while slow queries hold workers: enough that ten slow queries
    leave room for quick ones."""
    return max(4 * workers, 16)


class Server:
    """uvicorn over one listening socket and the App behind it."""

    def __init__(self, sock: socket.socket, app) -> None:
        import uvicorn

        from .web import asgi_app

        self.socket = sock
        self.app = app
        self.server_address = sock.getsockname()
        # httptools (llhttp, in C) and uvloop: about half the server's CPU per request of h11 and
        # asyncio, which is what bounds answers from the cache (measured 2,400 against 770 per s)
        config = uvicorn.Config(asgi_app(app), lifespan="off", log_config=None, access_log=False,
                                http=_http(), loop=_loop(), ws="none", server_header=False, date_header=True,
                                timeout_keep_alive=60,  # a client that stalls frees its connection
                                timeout_graceful_shutdown=3, log_level="warning")
        self._uvicorn = uvicorn.Server(config)
        self._done = threading.Event()
        self._closed = False

    def serve_forever(self) -> None:
        try:
            self._uvicorn.run(sockets=[self.socket])
        finally:
            self._done.set()

    def shutdown(self) -> None:
        """Stop serving (from another thread) and wait until ``serve_forever`` has returned."""
        self._uvicorn.should_exit = True
        self._done.wait(10)

    def server_close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.socket.close()
        finally:
            self.app.close()


def _http() -> str:
    try:
        import httptools  # noqa: F401 - a project dependency; h11 serves where it is missing
    except ImportError:
        return "h11"
    return "httptools"


def _loop() -> str:
    try:
        import uvloop  # noqa: F401 - not built for every platform
    except ImportError:
        return "asyncio"
    return "uvloop"


def make_server(graph_dir: Path, host: str = "127.0.0.1", port: int = 0, *,
                timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
                workers: Optional[int] = None, max_workers: Optional[int] = None,
                memory_mb: int = DEFAULT_MEMORY_MB, allow_service: bool = False, log=None,
                cache_mb: float = DEFAULT_CACHE_MB) -> tuple:
    """A ready (not yet serving) server over ``graph_dir`` and its base URL.

    Call ``server.serve_forever()`` (in a thread if need be), then
    ``server.shutdown()`` and ``server.server_close()`` (which stops the workers).
    ``log``: a text stream for one line per request (None: quiet).
    """
    from .app import App

    if not cache_mb >= 0:  # NaN too
        from kg.errors import UsageError

        raise UsageError(f"--cache-mb must be 0 (keep no answers) or more, not {cache_mb:g}")
    workers = workers or default_workers()
    app = App(Path(graph_dir), timeout=timeout, max_bytes=max_bytes, workers=workers, host=host, log=log,
              allow_service=allow_service, max_workers=max_workers or default_max_workers(workers),
              memory_mb=memory_mb, cache_bytes=int(cache_mb * 1_000_000))
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
            sock.listen(BACKLOG)  # a burst of clients queues instead of being reset
            sock.set_inheritable(True)
        except BaseException:
            sock.close()
            raise
    except (OSError, OverflowError) as exc:
        app.close()
        from kg.errors import UsageError

        reason = getattr(exc, "strerror", None) or str(exc)
        raise UsageError(f"cannot listen on {host}:{port} ({reason}); pick another --port or --host") from exc
    server = Server(sock, app)
    shown = f"[{host}]" if ":" in host else host
    return server, f"http://{shown}:{server.server_address[1]}/"


def serve(graph_dir: Path, host: str = "127.0.0.1", port: int = 8000, *,
          timeout: float = DEFAULT_TIMEOUT, workers: Optional[int] = None, max_workers: Optional[int] = None,
          memory_mb: int = DEFAULT_MEMORY_MB, allow_service: bool = False, quiet: bool = False,
          cache_mb: float = DEFAULT_CACHE_MB) -> int:
    """Serve until Ctrl-C (or SIGTERM); prints the URL first. Returns 0."""
    import signal

    server, url = make_server(graph_dir, host, port, timeout=timeout, workers=workers, max_workers=max_workers,
                              memory_mb=memory_mb, allow_service=allow_service, cache_mb=cache_mb,
                              log=None if quiet else sys.stderr)
    if threading.current_thread() is threading.main_thread():
        def _term(signum, frame):
            raise KeyboardInterrupt
        signal.signal(signal.SIGTERM, _term)
    print(f"kg: serving {graph_dir} at {url} (SPARQL endpoint {url}sparql); Ctrl-C stops", flush=True)
    try:
        server.serve_forever()  # uvicorn handles Ctrl-C/SIGTERM itself, then re-raises the signal
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print("kg: stopped", file=sys.stderr, flush=True)
    return 0
