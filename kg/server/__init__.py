"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint and a web explorer over a build.

Starlette application (:mod:`kg.server.web`) served by uvicorn
(:mod:`kg.server.runner`); pages are Jinja2 templates.  Each query runs in a
worker process holding the store read-only (:mod:`kg.server.worker`), so a
query that overruns its timeout is killed without touching the server.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["make_server", "serve"]


def make_server(graph_dir: Path, host: str = "127.0.0.1", port: int = 0, **options):
    """``(server, url)``: a server over the build at ``graph_dir``, bound but not yet serving.

    Run ``server.serve_forever()``; stop with ``server.shutdown()`` then
    ``server.server_close()``.  Options: ``timeout`` (s, default 30),
    ``max_bytes`` (largest result, default 64 MB), ``workers`` (default: one per core, at
    least 2), ``max_workers`` (how far the pool grows while slow queries run), ``memory_mb``
    (address space per worker, default 2048), ``allow_service`` (run SERVICE clauses; default
    refused), ``cache_mb`` (answers kept per build, default 64; 0: none), ``log`` (a text stream for one line per request).  Raises
    :class:`kg.errors.GraphNotFoundError` when there is no build.
    """
    from .runner import make_server as _make

    return _make(graph_dir, host, port, **options)


def serve(graph_dir: Path, host: str = "127.0.0.1", port: int = 8000, **options) -> int:
    """Serve until Ctrl-C, printing the URL first; returns 0 (see :func:`make_server`)."""
    from .runner import serve as _serve

    return _serve(graph_dir, host, port, **options)
