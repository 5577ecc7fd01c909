"""A remote SPARQL 1.1 store kept in step with a build.

The remote is written with SPARQL 1.1 Update only, so any conforming store
takes it: each graph is replaced by one request (``DROP SILENT GRAPH`` then
``INSERT DATA``), which the store applies as one transaction, so a reader sees
a document's old graph or its new one, never a mix. The build is made and kept
locally first; the remote is brought to it afterwards: graphs the remote lacks
or holds in an older version are sent, graphs of documents no longer built
are dropped, and the reference graph, which describes the build, is sent last.
What was sent is recorded in ``OUT/remote.json`` (graph keys per store URL), so
a rerun after a failure sends only what is still missing.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable, Optional

from ..errors import QueryError, StoreError
from ..rdf.namespace import PREFIXES

STATE_FILE = "remote.json"
RETRIES = 4  # attempts per request
BACKOFF = 0.5  # seconds before the second attempt, doubled for each after it
RESULTS_JSON = "application/sparql-results+json"


def endpoints(url: str) -> tuple:
    """(update URL, query URL) of a store URL.

    Oxigraph server answers updates at ``/update`` and queries at ``/query``; Fuseki's
    dataset URL (``/ds``) takes both, as do ``/ds/update`` and ``/ds/query``. So a URL
    ending in ``/update`` is queried at the sibling ``/query``; any other URL takes both."""
    url = url.rstrip("/")
    if url.endswith("/update"):
        return url, url[: -len("update")] + "query"
    return url, url


def with_prefixes(sparql: str) -> str:
    """The query with PREFIX lines for the project's prefixes it uses but does not declare
    (a remote store knows none of them)."""
    import re

    declared = {m.lower() for m in re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", sparql)}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()
             if p.lower() not in declared and re.search(rf"(?<![\w<#/]){re.escape(p)}:", sparql)]
    return "\n".join(lines + [sparql]) if lines else sparql


class RemoteStore:
    """A SPARQL 1.1 Query and Update service reached over HTTP."""

    def __init__(self, url: str, *, timeout: float = 60, retries: int = RETRIES, backoff: float = BACKOFF):
        if not url.startswith(("http://", "https://")):
            raise StoreError(f"{url}: a store URL must start with http:// or https://")
        self.url = url.rstrip("/")
        self.update_url, self.query_url = endpoints(url)
        self.timeout, self.retries, self.backoff = timeout, retries, backoff

    # -- HTTP ---------------------------------------------------------------
    def _post(self, url: str, body: bytes, content_type: str, accept: Optional[str] = None) -> bytes:
        """POST with retries: a refused connection, a timeout or a 5xx answer is tried again
        after a growing pause; a 4xx answer (the request is wrong) is not."""
        headers = {"Content-Type": content_type}
        if accept:
            headers["Accept"] = accept
        delay, last = self.backoff, None
        for attempt in range(self.retries):
            if attempt:
                time.sleep(delay)
                delay *= 2
            req = urllib.request.Request(url, data=body, method="POST", headers=headers)
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    return resp.read()
            except urllib.error.HTTPError as exc:
                detail = exc.read()[:300].decode("utf-8", "replace").strip().replace("\n", " ")
                last = f"HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
                if exc.code < 500:
                    break
            except (urllib.error.URLError, OSError) as exc:
                last = str(getattr(exc, "reason", exc))
        raise StoreError(f"{url}: {last}")

    def update(self, sparql: str) -> None:
        self._post(self.update_url, sparql.encode("utf-8"), "application/sparql-update")

    def query(self, sparql: str):
        """A query's results as pyoxigraph ``QuerySolutions`` (or a boolean for ASK)."""
        import pyoxigraph

        data = self._post(self.query_url, sparql.encode("utf-8"), "application/sparql-query", RESULTS_JSON)
        try:
            return pyoxigraph.parse_query_results(data, format=pyoxigraph.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"{self.query_url}: unreadable results ({exc})") from exc

    # -- what the build needs -----------------------------------------------
    def check(self) -> None:
        """Fail early, before any extraction, if the store cannot be queried and updated."""
        try:
            self.query("ASK {}")
            self.update("INSERT DATA {}")
        except (StoreError, QueryError) as exc:
            raise StoreError(f"the store at {self.url} cannot be used ({exc}); nothing was built") from exc

    def graphs(self) -> set:
        """IRIs of the named graphs the store holds."""
        return {s["g"].value for s in self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")}

    def replace_graph(self, iri: str, ntriples: bytes) -> None:
        # one request, so the store applies the drop and the insert as one transaction
        body = ntriples.decode("utf-8")
        self.update(f"DROP SILENT GRAPH <{iri}> ;\nINSERT DATA {{ GRAPH <{iri}> {{\n{body}}} }}")

    def drop_graph(self, iri: str) -> None:
        self.update(f"DROP SILENT GRAPH <{iri}>")


class RemoteSyncError(StoreError):
    """The local build is complete but the remote store has only part of it."""


def _load_state(out: Path) -> dict:
    try:
        return json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_state(out: Path, state: dict) -> None:
    tmp = out / f".{STATE_FILE}.tmp"
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(out / STATE_FILE)


def sync(out: Path, url: str, *, remote: Optional[RemoteStore] = None,
         progress: Optional[Callable[[int, int], None]] = None) -> dict:
    """Bring the store at ``url`` to the build in ``out``; returns counts of what was done.

    Graphs are compared by the keys the build gives them (``cache/rdf/index.json``): a graph is
    sent when the remote lacks it or was last sent another version; a graph of the project's
    namespace that the build no longer has is dropped; the reference graph is always sent, last."""
    import pyoxigraph

    from ..publish import INDEX, RDF_CACHE
    from ..rdf.mapping import REFERENCE_GRAPH
    from ..rdf.namespace import ID
    from . import open_store

    out = Path(out)
    remote = remote or RemoteStore(url)
    store = open_store(out)
    try:
        index = json.loads((out / "cache" / RDF_CACHE / INDEX).read_text(encoding="utf-8"))["graphs"]
    except (OSError, ValueError, KeyError):
        index = {}
    local = sorted(g.value for g in store.named_graphs() if isinstance(g, pyoxigraph.NamedNode))
    state = _load_state(out)
    sent_keys: dict = state.setdefault(remote.url, {})
    reference = str(REFERENCE_GRAPH)
    try:
        on_remote = remote.graphs()
    except (StoreError, QueryError) as exc:
        raise RemoteSyncError(f"the local build in {out} is complete, but nothing was sent to {remote.url} "
                              f"({exc}); run the same command again to send it") from exc
    ours = str(ID["graph/"])
    to_drop = sorted(g for g in on_remote if g.startswith(ours) and g not in set(local))
    to_send = [g for g in local if g != reference
               and (g not in on_remote or g not in index or sent_keys.get(g) != index[g]["key"])]
    to_send.append(reference)
    done_drop, done_send = 0, 0
    total = len(to_drop) + len(to_send)
    try:
        for g in to_drop:
            remote.drop_graph(g)
            sent_keys.pop(g, None)
            done_drop += 1
            if progress:
                progress(done_drop, total)
        for g in to_send:
            data = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.NamedNode(g))
            remote.replace_graph(g, data)
            if g in index:
                sent_keys[g] = index[g]["key"]
            done_send += 1
            if progress:
                progress(done_drop + done_send, total)
    except StoreError as exc:
        _save_state(out, state)
        left = to_send[done_send:]
        raise RemoteSyncError(
            f"the local build in {out} is complete, but {remote.url} has only part of it: "
            f"dropped {done_drop} of {len(to_drop)} removed graphs, sent {done_send} of {len(to_send)} graphs; "
            f"not sent: {', '.join(left[:3])}{' ...' if len(left) > 3 else ''} ({exc}); "
            f"run the same command again to send the rest") from exc
    _save_state(out, state)
    return {"sent": done_send, "dropped": done_drop, "unchanged": len(local) - done_send}
