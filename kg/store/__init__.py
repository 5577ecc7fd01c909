"""The RDF store: embedded Oxigraph on disk, or a remote SPARQL 1.1 store."""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Optional

from ..errors import GraphNotFoundError, QueryError, StoreError
from ..rdf.namespace import PREFIXES

STORE_DIR = "store"


def open_store(graph_dir: Path, *, read_only: bool = True):
    """The embedded store of a build (``OUT/store``)."""
    import pyoxigraph

    path = Path(graph_dir) / STORE_DIR
    if not path.is_dir():
        raise GraphNotFoundError(f"{graph_dir}: no build found (run 'kg build' first, or pass --graph DIR)")
    try:
        return pyoxigraph.Store.read_only(str(path)) if read_only else pyoxigraph.Store(str(path))
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the store ({exc})") from exc


LOAD_CHUNK = 16 * 1024 * 1024  # bytes of N-Quads per transaction


def write_store(path: Path, nquads: Path) -> None:
    """A new store at ``path`` loaded from an N-Quads file, a chunk at a time.

    Oxigraph keeps written data in memory until flushed (bulk loading 1.8M
    quads peaked at 1.3 GB, growing with the corpus); a flush after each
    bounded chunk keeps the peak flat (about 200 MB at any size)."""
    import pyoxigraph

    store = pyoxigraph.Store(str(path))
    with open(nquads, "rb") as handle:
        rest = b""
        while True:
            block = handle.read(LOAD_CHUNK)
            if not block:
                break
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            if cut:
                store.load(block[:cut], format=pyoxigraph.RdfFormat.N_QUADS)
                store.flush()
        if rest.strip():
            store.load(rest, format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    store.optimize()
    del store


def select(store, sparql: str, *, substitutions: Optional[dict] = None) -> tuple:
    """Run a SELECT; return (column names, rows of python strings or None)."""
    import pyoxigraph

    try:
        result = store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True,
                             substitutions=substitutions)
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL: {str(exc).splitlines()[0]}") from exc
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"query failed: {str(exc).splitlines()[0]}") from exc
    if not isinstance(result, pyoxigraph.QuerySolutions):
        raise QueryError("only SELECT queries can be tabulated; use --format with a SELECT query")
    columns = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row = []
        for v in columns:
            term = solution[v]
            row.append(None if term is None else term.value)
        rows.append(row)
    return columns, rows


class RemoteStore:
    """A SPARQL 1.1 store reached over HTTP (Graph Store Protocol for writes)."""

    def __init__(self, url: str, *, timeout: float = 60):
        self.url = url.rstrip("/")
        self.timeout = timeout

    def put_graph(self, graph_iri: str, ntriples: bytes) -> None:
        # PUT replaces the named graph, so re-sending a document replaces its facts
        target = self.url + "?" + urllib.parse.urlencode({"graph": graph_iri})
        req = urllib.request.Request(target, data=ntriples, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                resp.read()
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"{self.url}: cannot store graph {graph_iri} ({exc})") from exc
