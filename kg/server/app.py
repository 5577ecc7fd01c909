"""The build-facing side of ``kg serve``: named queries, SPARQL through the worker pool, pages.

The HTTP layer is :mod:`kg.server.web` (Starlette); pages are Jinja2 templates
in ``templates/`` with autoescaping on, so every value from the store is text.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import threading
import urllib.parse
from collections import OrderedDict
from pathlib import Path
from typing import Optional

from . import protocol
from .guard import check_query
from .protocol import ProtocolError
from .runner import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, default_workers  # noqa: F401 - re-exported
from .web import LOOPBACK, PAGE_CSP
from kg.rdf.namespace import BASE
from kg.viz.common import values_batches

from .cache import DEFAULT_CACHE_BYTES, ResultCache
from .worker import PoolBusy, QueryTimeout, WorkerPool

PAGE_CACHE = 64                 # rendered pages kept per server (a big council page is ~0.4 MB)
RESOURCE_LIMIT = 1000           # triples listed per side on /resource
TEMPLATES = Path(__file__).with_name("templates")
LABEL_PREDICATES = ("skos:prefLabel", "rdfs:label", "foaf:name", "schema:name", "dcterms:title")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
IRI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\s]*")


def templates():
    """The Jinja2 environment of the server's pages (autoescaped)."""
    global _ENV
    if _ENV is None:
        import jinja2

        _ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                                  autoescape=True, trim_blocks=True, lstrip_blocks=True,
                                  undefined=jinja2.StrictUndefined)
        _ENV.filters["script_json"] = lambda v: jinja2.utils.markupsafe.Markup(json_for_script(v))
        from .pages import href, show_date

        _ENV.globals.update(href=href, show_date=show_date)  # macros see these too
    return _ENV


_ENV = None


_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_for_script(value) -> str:
    """JSON safe inside a ``<script>`` element whatever its strings hold (as kg.viz.render does)."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


def _script_csp(page: str, connect: bool) -> str:
    hashes = []
    for m in re.finditer(r"<script(?![^>]*application/json)[^>]*>(.*?)</script>", page, re.S):
        digest = hashlib.sha256(m.group(1).encode("utf-8")).digest()
        hashes.append("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    scripts = " ".join(hashes) or "'none'"
    return ("default-src 'none'; script-src " + scripts + "; style-src 'unsafe-inline'; img-src data:; "
            + ("connect-src 'self'; " if connect else "")
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class App:
    """What the handler needs: the build, the worker pool and the pages."""

    def __init__(self, graph_dir: Path, *, timeout: float, max_bytes: int, workers: int, host: str,
                 log, allow_service: bool = False, max_workers: Optional[int] = None,
                 memory_mb: Optional[int] = None, cache_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        from kg.rdf.namespace import PREFIXES
        from kg.store import open_store

        self.graph_dir = Path(graph_dir)
        self.name = os.path.basename(os.path.abspath(self.graph_dir))
        store = open_store(self.graph_dir)  # GraphNotFoundError / StoreError, as every command
        del store
        self.prefixes = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", **PREFIXES}
        # Turtle output: kgid: would print as kgid:council\/E08000008, so IRIs under it stay whole
        self.out_prefixes = {p: ns for p, ns in self.prefixes.items() if p != "kgid"}
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allow_service = allow_service
        self.loopback_only = host in LOOPBACK
        self.log = log
        self.queries = self._load_named()
        self.explorer, self.explorer_csp = self._explorer_page()
        self._pool_options = {"size": workers, "max_size": max_workers, "memory_mb": memory_mb or 0}
        self.cache_bytes = cache_bytes
        self._switch = threading.Lock()
        self.pool, self._held, self.version, self._identity = self._open_current()
        self._cache_lock = threading.Lock()
        self._index_lock = threading.Lock()
        self._index = {}  # build version -> its page index (one build: the store is read-only)
        self._rendered = OrderedDict()  # (build version, page) -> (bytes, csp), the last few

    def _open_current(self) -> tuple:
        """(pool, held folder descriptor, version path, (device, inode) of the version folder)
        over the build the folder shows now.

        The build folder is held (kg.output.hold) so a rebuild leaves it in place while it is read."""
        from kg.errors import StoreError
        from kg.output import hold
        from kg.store import STORE_DIR

        for _ in range(5):
            version = os.path.realpath(self.graph_dir)
            try:
                fd = hold(Path(version))
            except OSError:
                continue  # removed under us by a build: look again
            if os.path.realpath(self.graph_dir) != version:
                os.close(fd)
                continue
            try:
                pool = WorkerPool(os.path.join(version, STORE_DIR), **self._pool_options)
            except OSError as exc:
                os.close(fd)
                raise StoreError(str(exc)) from exc
            # answers are kept per build: the pool (one build) carries its own cache, so a
            # request never gets an answer computed on another build
            st = os.fstat(fd)
            pool.results = ResultCache(self.cache_bytes, tag=f"{version}\0{st.st_ino}\0{st.st_mtime_ns}")
            return pool, fd, version, (st.st_dev, st.st_ino)
        raise StoreError(f"{self.graph_dir}: the build kept changing while the server opened it")

    def current_pool(self) -> WorkerPool:
        """The pool over the build the folder shows now: after a rebuild, new queries go to
        the new build while queries running on the old one finish there."""
        # one stat() a request: the folder (through its link) is still the held build, whose
        # inode cannot be reused while it is held (realpath() took a fifth of the server's CPU)
        if self._shows_held():
            return self.pool
        with self._switch:
            if not self._shows_held():
                try:
                    pool, held, version, identity = self._open_current()
                except Exception:  # noqa: BLE001 - a half-made build: go on serving the last one
                    return self.pool
                old, old_held = self.pool, self._held
                self.pool, self._held, self.version, self._identity = pool, held, version, identity
                old.retire(lambda: os.close(old_held))
            return self.pool

    def _shows_held(self) -> bool:
        try:
            st = os.stat(self.graph_dir)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) == self._identity

    def close(self) -> None:
        self.pool.close()
        if self._held is not None:
            os.close(self._held)
            self._held = None

    # -- named queries -------------------------------------------------------
    def named(self) -> dict:
        return self.queries

    @staticmethod
    def _load_named() -> dict:
        from kg.query import named_queries

        out = {}
        for name, (desc, text) in named_queries().items():
            params = dict(re.findall(r"^# param (\w+) (\S+)", text, re.M))
            out[name] = {"description": desc, "params": params, "text": text}
        return out

    def bound_query(self, name: str, params: dict) -> str:
        from kg.errors import QueryError
        from kg.query import bind_params

        q = self.named().get(name)
        if q is None:
            raise ProtocolError(404, f"unknown named query {name!r}; named queries: {', '.join(self.named())}")
        try:
            return bind_params(q["text"], params)
        except QueryError as exc:
            raise ProtocolError(400, str(exc)) from exc

    def _explorer_page(self) -> tuple:
        data = {
            "queries": {n: {"description": q["description"], "params": q["params"]} for n, q in self.named().items()},
            "prefixes": self.prefixes,
            "graph_html": (self.graph_dir / "graph.html").is_file(),
            "title": f"build: {self.name}",
            "start": "judgements",
            "base": BASE,
        }
        page = templates().get_template("explorer.html").render(data=data, graph_html=data["graph_html"])
        return page.encode("utf-8"), _script_csp(page, connect=True)

    # -- the analyst's pages ---------------------------------------------------
    def page_index(self, pool=None) -> dict:
        """The page index of the build ``pool`` reads (default: the current one): the file the
        build wrote beside its store, else computed once from the store and kept."""
        from .index import compute, read_index

        pool = pool or self.current_pool()
        version = os.path.dirname(pool.store_path)
        found = self._index.get(version)
        if found is not None:
            return found
        with self._index_lock:  # one computation per build, however many requests wait for it
            found = self._index.get(version)
            if found is None:
                found = read_index(version)
                if found is None:
                    from .pages import Pages

                    pages = Pages(self)
                    pages.pool = pool
                    found = compute(pages.rows)
                self._index = {version: found}  # an older build's index is dropped
        return found

    def cached_page(self, key: str, make) -> tuple:
        """``make()``'s (page, csp), kept per build: the store is read-only, so a page of one
        build never changes. The last PAGE_CACHE pages are kept."""
        version = os.path.dirname(self.current_pool().store_path)
        with self._cache_lock:
            hit = self._rendered.get((version, key))
            if hit is not None:
                self._rendered.move_to_end((version, key))
                return hit
        made = make()
        if made is not None:
            with self._cache_lock:
                self._rendered[(version, key)] = made
                while len(self._rendered) > PAGE_CACHE:
                    self._rendered.popitem(last=False)
        return made

    def render(self, name: str, **context) -> tuple:
        """(page bytes, its Content-Security-Policy) of one template."""
        page = templates().get_template(name).render(
            graph_html=(self.graph_dir / "graph.html").is_file(), **context)
        return page.encode("utf-8"), _script_csp(page, connect=False)

    def home_page(self) -> tuple:
        return self.cached_page("/", self._home_page)

    def _home_page(self) -> tuple:
        from .pages import Pages

        h = Pages(self).home()
        search = [{"kind": "council", "label": c["name"], "href": c["href"], "text": f"{c['name']} {c['gss']} {c['region']}"}
                  for c in h["councils"]]
        search += [{"kind": "person", "label": p["name"], "href": p["href"], "text": p["name"]} for p in h["people"]]
        search += [{"kind": "inspection", "label": f"{i['council_name']}: {i['kind_label']}, {i['date_shown']}",
                    "href": i["href"], "text": f"{i['council_name']} {i['kind_label']} {i['date']} {i['date_shown']}"}
                   for i in h["inspections"]]
        return self.render("home.html", h=h, search=search)

    def node_page(self, iri: str):
        """(page, csp) of a node of the graph by what it is, or None when the graph has no such node."""
        return self.cached_page(iri, lambda: self._node_page(iri))

    def _node_page(self, iri: str):
        from .pages import Pages, _group

        pages = Pages(self)
        kind = pages.kind_of(iri)
        if kind == "council":
            c = pages.council(iri)
            if c:
                by_inspection = {}
                for f in c["findings"]:
                    by_inspection.setdefault(f["inspection"], []).append(f)
                order = {i["iri"]: n for n, i in enumerate(c["inspections"])}
                grouped = [(k, _group(v, "area_label", "no area given"))
                           for k, v in sorted(by_inspection.items(), key=lambda kv: (order.get(kv[0], -1) * -1, kv[0]))]
                return self.render("council.html", c=c, findings_by_inspection=grouped,
                                   inspections_by_iri={i["iri"]: i for i in c["inspections"]},
                                   net=self.council_network(iri), area_counts=_area_counts(c["findings"]))
        elif kind == "person":
            p = pages.person(iri)
            if p:
                return self.render("person.html", p=p)
        elif kind == "inspection":
            i = pages.inspection(iri)
            if i:
                return self.render("inspection.html", i=i)
        elif kind == "document":
            d = pages.document(iri)
            if d:
                return self.render("document.html", d=d)
        if not self.select_json(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}", pool=pages.pool)["boolean"]:
            return None
        return self.resource_page(iri), PAGE_CSP

    def network_page(self, focus: str) -> bytes:
        """The network view focused on ``focus`` (a label), from the store read-only."""
        from kg.errors import UsageError
        from kg.viz.render import render_page

        def page(g) -> bytes:
            return render_page(g, focus=focus, title=f"kg network: {focus}").encode("utf-8")

        # the build's network of councils, inspections and people (what a focus walks
        # through) from its page index; any other node (a document, an organisation, a
        # finding) with what links it to them, read from the store around it alone
        meaning = self.network_graph()
        try:
            return self.cached_page("network:" + focus, lambda: (page(meaning), None))[0]
        except UsageError:
            pass
        return self.cached_page("network:" + focus, lambda: (page(self.network_around(focus, meaning)), None))[0]

    def council_network(self, iri: str) -> dict:
        """The inline picture of a council's network (empty when the build's index has none)."""
        from kg.viz.render import focus_subgraph

        from .pages import network_picture

        g = self.network_graph()
        if g is None or iri not in g:
            return {}
        sub, centres = focus_subgraph(g, iri, 2)
        known = self.page_index()["inspections"]
        return network_picture(sub, centres, {n: known[n]["date_shown"] for n in sub if n in known})

    def network_graph(self):
        """The index's network of councils, inspections and people as a graph (kept per build)."""
        from .index import network_graph

        index = self.page_index()
        data = index.get("network")
        if data is None:  # an index computed here (the build has none): the network read once
            from kg.store import open_store

            from .index import meaning_network

            with self._index_lock:
                data = index.get("network")
                if data is None:
                    store = open_store(os.path.dirname(self.current_pool().store_path))
                    try:
                        data = index["network"] = meaning_network(store)
                    finally:
                        del store
        graph = index.get("_graph")
        if graph is None:
            graph = index["_graph"] = network_graph(data)
        return graph

    def network_around(self, focus: str, meaning):
        """The network around a node labelled ``focus`` that is not a council, inspection or
        person, read from the store around it (bounded by its links, not the build's size)."""
        from kg.store import open_store
        from kg.viz.network import focus_network

        store = open_store(os.path.dirname(self.current_pool().store_path))
        try:
            return focus_network(store, focus, meaning)[0]
        finally:
            del store

    def node_rdf(self, iri: str, media: str) -> tuple:
        """(status, content type, body): the node's triples (as subject) in one RDF format."""
        return self.query(f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}", accept=media)

    # -- queries -------------------------------------------------------------
    def query(self, text: str, *, accept: Optional[str], fmt=None,
              default_graph=None, named_graphs=None, pool=None) -> tuple:
        """(status, content type, body) of one SPARQL query."""
        return self.answer(text, accept=accept, fmt=fmt, default_graph=default_graph,
                           named_graphs=named_graphs, pool=pool)[:3]

    def answer(self, text: str, *, accept: Optional[str], fmt=None, default_graph=None,
               named_graphs=None, pool=None, if_none_match: Optional[str] = None) -> tuple:
        """(status, content type, body, ETag or None) of one SPARQL query on one build.

        An answer fixed by the build (see guard.check_query) is kept in the build's cache and
        carries an ETag naming build and answer; a client that sends that ETag back in
        If-None-Match gets 304 with no body, without the query being run."""
        try:
            fixed = check_query(text, allow_service=self.allow_service)
        except ProtocolError as exc:
            return exc.status, None, exc.message, None
        results, rdf, r406, g406 = protocol.choose_formats(accept, fmt)
        union = not protocol.has_dataset_clause(text)
        pool = pool or self.current_pool()
        cache = getattr(pool, "results", None) if fixed else None
        key = etag = None
        if cache is not None:
            key = (text, results, rdf, union,
                   None if default_graph is None else tuple(default_graph),
                   None if named_graphs is None else tuple(named_graphs))
            etag = cache.etag(key)
            if if_none_match and _etag_matches(if_none_match, etag):
                return 304, None, b"", etag
            found = cache.get(key)
            if found is not None:
                return 200, found[0], found[1], etag
        req = {"query": text, "prefixes": self.prefixes, "out_prefixes": self.out_prefixes,
               "max_bytes": self.max_bytes,
               "default_graph": default_graph, "named_graphs": named_graphs,
               # the default graph is the union of the named graphs, unless the query names its own
               "union": union,
               "results_format": results, "rdf_format": rdf, "results_406": r406, "rdf_406": g406}
        try:
            reply = pool.run(req, self.timeout)
        except QueryTimeout:
            return 503, None, f"the query did not finish within {self.timeout:g} s and was stopped; narrow it or add a LIMIT", None
        except PoolBusy:
            return 503, None, f"the server is busy: no query worker came free within {self.timeout:g} s; try again", None
        except OSError as exc:
            return 500, None, f"the store failed: {exc}", None
        if reply[0] == "ok":
            ctype = protocol.CONTENT_TYPES[reply[1]]
            if cache is not None:
                cache.put(key, ctype, reply[2])
            return 200, ctype, reply[2], etag
        return reply[1], None, reply[2], None

    def select_json(self, text: str, pool=None) -> dict:
        status, _, body = self.query(text, accept="application/sparql-results+json", pool=pool)
        if status != 200:
            raise ProtocolError(status, body if isinstance(body, str) else body.decode("utf-8", "replace"))
        return json.loads(body)

    # -- pages ---------------------------------------------------------------
    def compact(self, iri: str) -> str:
        best = ""
        for p, ns in self.prefixes.items():
            if iri.startswith(ns) and len(iri) > len(ns) and len(ns) > len(best):
                best, name = ns, p
        return f"{name}:{iri[len(best):]}" if best else iri

    def labels(self, iris, pool=None) -> dict:
        iris = sorted({i for i in iris if IRI_RE.fullmatch(i)})
        if not iris:
            return {}
        out = {}
        for values in values_batches(iris, 500):
            optionals = " ".join(f"OPTIONAL {{ ?x {p} ?l{n} }}" for n, p in enumerate(LABEL_PREDICATES))
            coalesce = ", ".join(f"?l{n}" for n in range(len(LABEL_PREDICATES)))
            res = self.select_json(pool=pool, text=f"SELECT ?x (SAMPLE(STR(COALESCE({coalesce}))) AS ?label) WHERE {{ "
                                   f"VALUES ?x {{ {values} }} {optionals} }} GROUP BY ?x")
            for b in res["results"]["bindings"]:
                if "label" in b:
                    out[b["x"]["value"]] = b["label"]["value"]
        return out

    def resource_page(self, iri: str) -> bytes:
        if not iri or not IRI_RE.fullmatch(iri):
            raise ProtocolError(400, "give ?iri= an absolute IRI, e.g. /resource?iri=https://w3id.org/ofsted-kg/id/council/E08000008")
        node = f"<{iri}>"
        pool = self.current_pool()  # every query of the page on one build
        sides = {}
        for side, pattern in (("out", f"{node} ?p ?other"), ("in", f"?other ?p {node}")):
            res = self.select_json(pool=pool, text=
                f"SELECT ?p ?other (GROUP_CONCAT(DISTINCT STR(?g); separator=' ') AS ?graphs) "
                f"WHERE {{ GRAPH ?g {{ {pattern} }} }} GROUP BY ?p ?other ORDER BY ?p ?other LIMIT {RESOURCE_LIMIT + 1}")
            sides[side] = res["results"]["bindings"]
        iris = {iri}
        for rows in sides.values():
            for b in rows:
                iris.add(b["p"]["value"])
                if b["other"]["type"] == "uri":
                    iris.add(b["other"]["value"])
        labels = self.labels(iris, pool)
        return self._render_resource(iri, labels, sides).encode("utf-8")


    def _term(self, b: dict, labels: dict) -> dict:
        """One RDF term as the templates show it (kind, text, link, note)."""
        kind, value = b["type"], b["value"]
        if kind == "uri":
            return {"kind": "uri", "iri": value, "label": labels.get(value), "short": self.compact(value),
                    "href": "/resource?iri=" + urllib.parse.quote(value, safe="")}
        if kind == "bnode":
            return {"kind": "bnode", "text": "_:" + value}
        note = ""
        if b.get("xml:lang"):
            note = "@" + b["xml:lang"]
        elif b.get("datatype") and b["datatype"] not in (XSD_STRING, RDF_LANGSTRING):
            note = self.compact(b["datatype"])
        return {"kind": "literal", "text": value, "note": note}

    @staticmethod
    def _graph_links(graphs: str) -> list:
        links = []
        for g in graphs.split():
            q = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} LIMIT 1000"
            links.append({"href": "/query?" + urllib.parse.urlencode({"query": q}), "iri": g,
                          "text": g.rsplit("/", 1)[-1] or g})
        return links

    def _render_resource(self, iri: str, labels: dict, sides: dict) -> str:
        describe = f"DESCRIBE <{iri}>"
        tables = []
        for side, heading, cols in (("out", "As subject", ("predicate", "object", "graphs")),
                                    ("in", "As object", ("subject", "predicate", "graphs"))):
            rows = []
            for b in sides[side][:RESOURCE_LIMIT]:
                p, other = self._term(b["p"], labels), self._term(b["other"], labels)
                graphs = self._graph_links(b.get("graphs", {}).get("value", ""))
                rows.append((p, other, graphs) if side == "out" else (other, p, graphs))
            n = len(sides[side])
            tables.append({"heading": heading, "cols": cols, "rows": rows,
                           "count": n if n <= RESOURCE_LIMIT else f"first {RESOURCE_LIMIT}"})
        return templates().get_template("resource.html").render(
            title=labels.get(iri) or self.compact(iri), iri=iri, tables=tables,
            graph_html=(self.graph_dir / "graph.html").is_file(),
            turtle_href="/sparql?" + urllib.parse.urlencode({"query": describe, "format": "ttl"}),
            explorer_href="/query?" + urllib.parse.urlencode({"query": describe}))

    def endpoint_page(self, base: str) -> bytes:
        """What a browser gets at /sparql without a query: how to use the endpoint."""
        endpoint = base + "sparql"
        example = ('SELECT ?council ?grade WHERE { ?i kgo:council/skos:prefLabel ?council ; '
                   'kgo:judgement/kgo:grade/skos:notation ?grade }')
        return templates().get_template("endpoint.html").render(
            endpoint=endpoint, build=self.name, timeout=f"{self.timeout:g}",
            max_mb=f"{self.max_bytes / 1e6:g}", example=repr("query=" + example),
            endpoint_repr=repr(endpoint),
            description=self.service_description(base).decode("utf-8")).encode("utf-8")

    def void_description(self, base: str, *, accept: Optional[str], fmt=None) -> tuple:
        """(status, content type, body): the build's VoID description from the reference graph,
        with where it is served: its SPARQL endpoint and its dump."""
        from kg.rdf.mapping import REFERENCE_GRAPH
        from kg.rdf.namespace import ID

        ds = f"<{ID['dataset']}>"
        text = (
            "CONSTRUCT { ?s ?p ?o . "
            f"{ds} void:sparqlEndpoint <{base}sparql> ; void:dataDump <{base}graph.trig> . }}\n"
            f"WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{\n"
            f"  {{ BIND({ds} AS ?s) ?s ?p ?o }}\n"
            f"  UNION {{ {ds} void:classPartition|void:subset|prov:wasGeneratedBy ?s . ?s ?p ?o }}\n"
            f"  UNION {{ {ds} prov:wasGeneratedBy/prov:wasAssociatedWith ?s . ?s ?p ?o }}\n"
            "} }")
        return self.query(text, accept=accept, fmt=fmt)

    def service_description(self, base: str, fmt: str = "TURTLE") -> bytes:
        fmts = ", ".join(f"<{u}>" for u in (
            "http://www.w3.org/ns/formats/SPARQL_Results_JSON", "http://www.w3.org/ns/formats/SPARQL_Results_XML",
            "http://www.w3.org/ns/formats/SPARQL_Results_CSV", "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
            "http://www.w3.org/ns/formats/Turtle", "http://www.w3.org/ns/formats/N-Triples",
            "http://www.w3.org/ns/formats/RDF_XML", "http://www.w3.org/ns/formats/JSON-LD"))
        text = (
            "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
            f"# kg: read-only SPARQL 1.1 query endpoint over {_one_line(self.name)}.\n"
            "# The default graph is the union of all named graphs (one per source document).\n"
            f"# Predeclared prefixes: {', '.join(self.prefixes)}\n"
            f"[] a sd:Service ;\n  sd:endpoint <{base}sparql> ;\n  sd:supportedLanguage sd:SPARQL11Query ;\n"
            f"  sd:feature sd:UnionDefaultGraph ;\n  sd:resultFormat {fmts} .\n")
        if fmt == "TURTLE":
            return text.encode("utf-8")  # as written, comments kept
        import pyoxigraph

        triples = pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
        return pyoxigraph.serialize(triples, format=getattr(pyoxigraph.RdfFormat, fmt))


def _etag_matches(header: str, etag: str) -> bool:
    """If-None-Match holds ``etag`` (or ``*``); weak comparison, as RFC 9110 asks for GET."""
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/") == etag:
            return True
    return False


def _area_counts(findings: list) -> list:
    """(area code, label, how many findings) of the areas findings speak of, most first."""
    counts, labels = {}, {}
    for f in findings:
        if f["area"]:
            counts[f["area"]] = counts.get(f["area"], 0) + 1
            labels[f["area"]] = f["area_label"] or f["area"].replace("_", " ")
    return sorted(((a, labels[a], n) for a, n in counts.items()), key=lambda t: (-t[2], t[1]))


def _one_line(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)


