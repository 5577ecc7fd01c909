"""The HTTP side of ``kg serve``: routes, SPARQL Protocol handling and pages.

Routes (GET and HEAD unless noted):

    /                   the explorer (a SPARQL box with the named queries)
    /sparql             SPARQL 1.1 Protocol query endpoint (GET ?query=, POST form or
                        application/sparql-query); without a query: a service description
    /queries            the named queries as JSON (name -> description, parameters)
    /queries/NAME       a named query's text with its ?param_ values bound (?council=...)
    /resource?iri=IRI   the node's triples, as subject and as object, with labels
    /graph.html         the build's network view, if the build has one

Everything is read-only: updates get 403 and other methods 405.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import socket
import sys
import time
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional

from . import protocol
from .protocol import ProtocolError
from .worker import PoolBusy, QueryTimeout, WorkerPool

DEFAULT_TIMEOUT = 30.0          # seconds a query may run before its worker is killed
DEFAULT_MAX_BYTES = 64_000_000  # largest serialised result the server sends
DEFAULT_WORKERS = 2             # query worker processes
MAX_REQUEST_BYTES = 1_000_000   # largest request body (the query text)
RESOURCE_LIMIT = 1000           # triples listed per side on /resource

EXPLORER = Path(__file__).with_name("explorer.html")
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
READ_ONLY = ("this endpoint is read-only: SPARQL Update is not accepted "
             "(the graph is written by 'kg build' and 'kg import-outcomes')")
LABEL_PREDICATES = ("skos:prefLabel", "rdfs:label", "foaf:name", "schema:name", "dcterms:title")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
IRI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\s]*")


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


PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'")
# graph.html carries its own hash-based CSP in a <meta>; this header adds a second fence
GRAPH_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
             "base-uri 'none'; form-action 'none'")


class App:
    """What the handler needs: the build, the worker pool and the pages."""

    def __init__(self, graph_dir: Path, *, timeout: float, max_bytes: int, workers: int, host: str,
                 log) -> None:
        from kg.rdf.namespace import PREFIXES
        from kg.store import STORE_DIR, open_store

        self.graph_dir = Path(graph_dir)
        store = open_store(self.graph_dir)  # GraphNotFoundError / StoreError, as every command
        del store
        self.prefixes = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", **PREFIXES}
        # Turtle output: kgid: would print as kgid:council\/E08000008, so IRIs under it stay whole
        self.out_prefixes = {p: ns for p, ns in self.prefixes.items() if p != "kgid"}
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.loopback_only = host in LOOPBACK
        self.log = log
        self.queries = self._load_named()
        self.explorer, self.explorer_csp = self._explorer_page()
        try:
            self.pool = WorkerPool(str(self.graph_dir / STORE_DIR), size=workers)
        except OSError as exc:
            from kg.errors import StoreError

            raise StoreError(str(exc)) from exc

    def close(self) -> None:
        self.pool.close()

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
            "title": f"build: {self.graph_dir.resolve().name}",
            "start": "judgements",
        }
        page = EXPLORER.read_text(encoding="utf-8").replace("{{DATA}}", json_for_script(data))
        return page.encode("utf-8"), _script_csp(page, connect=True)

    # -- queries -------------------------------------------------------------
    def query(self, text: str, *, accept: Optional[str], fmt=None,
              default_graph=None, named_graphs=None) -> tuple:
        """(status, content type, body) of one SPARQL query."""
        results, rdf, r406, g406 = protocol.choose_formats(accept, fmt)
        req = {"query": text, "prefixes": self.prefixes, "out_prefixes": self.out_prefixes,
               "max_bytes": self.max_bytes,
               "default_graph": default_graph, "named_graphs": named_graphs,
               # the default graph is the union of the named graphs, unless the query names its own
               "union": not protocol.has_dataset_clause(text),
               "results_format": results, "rdf_format": rdf, "results_406": r406, "rdf_406": g406}
        try:
            reply = self.pool.run(req, self.timeout)
        except QueryTimeout:
            return 503, None, f"the query did not finish within {self.timeout:g} s and was stopped; narrow it or add a LIMIT"
        except PoolBusy:
            return 503, None, f"the server is busy: no query worker came free within {self.timeout:g} s; try again"
        except OSError as exc:
            return 500, None, f"the store failed: {exc}"
        if reply[0] == "ok":
            return 200, protocol.CONTENT_TYPES[reply[1]], reply[2]
        return reply[1], None, reply[2]

    def select_json(self, text: str) -> dict:
        status, _, body = self.query(text, accept="application/sparql-results+json")
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

    def labels(self, iris) -> dict:
        iris = sorted({i for i in iris if IRI_RE.fullmatch(i)})
        if not iris:
            return {}
        out = {}
        for start in range(0, len(iris), 500):
            values = " ".join(f"<{i}>" for i in iris[start:start + 500])
            optionals = " ".join(f"OPTIONAL {{ ?x {p} ?l{n} }}" for n, p in enumerate(LABEL_PREDICATES))
            coalesce = ", ".join(f"?l{n}" for n in range(len(LABEL_PREDICATES)))
            res = self.select_json(f"SELECT ?x (SAMPLE(STR(COALESCE({coalesce}))) AS ?label) WHERE {{ "
                                   f"VALUES ?x {{ {values} }} {optionals} }} GROUP BY ?x")
            for b in res["results"]["bindings"]:
                if "label" in b:
                    out[b["x"]["value"]] = b["label"]["value"]
        return out

    def resource_page(self, iri: str) -> bytes:
        if not iri or not IRI_RE.fullmatch(iri):
            raise ProtocolError(400, "give ?iri= an absolute IRI, e.g. /resource?iri=https://w3id.org/ofsted-kg/id/council/E08000008")
        node = f"<{iri}>"
        sides = {}
        for side, pattern in (("out", f"{node} ?p ?other"), ("in", f"?other ?p {node}")):
            res = self.select_json(
                f"SELECT ?p ?other (GROUP_CONCAT(DISTINCT STR(?g); separator=' ') AS ?graphs) "
                f"WHERE {{ GRAPH ?g {{ {pattern} }} }} GROUP BY ?p ?other ORDER BY ?p ?other LIMIT {RESOURCE_LIMIT + 1}")
            sides[side] = res["results"]["bindings"]
        iris = {iri}
        for rows in sides.values():
            for b in rows:
                iris.add(b["p"]["value"])
                if b["other"]["type"] == "uri":
                    iris.add(b["other"]["value"])
        labels = self.labels(iris)
        return self._render_resource(iri, labels, sides).encode("utf-8")

    def _term_html(self, b: dict, labels: dict) -> str:
        e = html.escape
        kind, value = b["type"], b["value"]
        if kind == "uri":
            label = labels.get(value)
            shown = self.compact(value)
            inner = (f"{e(label)} <span class=dt>{e(shown)}</span>" if label else e(shown))
            return f'<a href="/resource?iri={e(urllib.parse.quote(value, safe=""))}" title="{e(value)}">{inner}</a>'
        if kind == "bnode":
            return f"<span>_:{e(value)}</span>"
        extra = ""
        if b.get("xml:lang"):
            extra = f' <span class=dt>@{e(b["xml:lang"])}</span>'
        elif b.get("datatype") and b["datatype"] not in (XSD_STRING, RDF_LANGSTRING):
            extra = f' <span class=dt>{e(self.compact(b["datatype"]))}</span>'
        return f"<span class=lit>{e(value)}</span>{extra}"

    def _graphs_html(self, graphs: str) -> str:
        e = html.escape
        links = []
        for g in graphs.split():
            q = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} LIMIT 1000"
            href = "/?" + urllib.parse.urlencode({"query": q})
            links.append(f'<a href="{e(href)}" title="{e(g)}">{e(g.rsplit("/", 1)[-1] or g)}</a>')
        return " ".join(links)

    def _render_resource(self, iri: str, labels: dict, sides: dict) -> str:
        e = html.escape
        title = labels.get(iri) or self.compact(iri)
        describe = f"DESCRIBE <{iri}>"
        parts = [
            "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
            '<meta name=viewport content="width=device-width, initial-scale=1"><meta name=referrer content=no-referrer>',
            f'<link rel=icon href="data:,"><title>{e(title)} — kg</title><style>{RESOURCE_CSS}</style></head><body>',
            '<header><a href="/">kg explorer</a>',
            ' <a href="/graph.html">network view</a>' if (self.graph_dir / "graph.html").is_file() else "",
            "</header><main>",
            f"<h1>{e(title)}</h1><p><code>{e(iri)}</code></p>",
            '<p>As: <a href="/sparql?' + e(urllib.parse.urlencode({"query": describe, "format": "ttl"})) + '">Turtle</a>'
            ' · <a href="/?' + e(urllib.parse.urlencode({"query": describe})) + '">DESCRIBE in the explorer</a></p>',
        ]
        for side, heading, cols in (("out", "As subject", ("predicate", "object", "graphs")),
                                    ("in", "As object", ("subject", "predicate", "graphs"))):
            rows = sides[side]
            parts.append(f"<h2>{heading} ({len(rows) if len(rows) <= RESOURCE_LIMIT else f'first {RESOURCE_LIMIT}'})</h2>")
            if not rows:
                parts.append("<p class=none>none</p>")
                continue
            parts.append("<table><thead><tr>" + "".join(f"<th>{c}</th>" for c in cols) + "</tr></thead><tbody>")
            for b in rows[:RESOURCE_LIMIT]:
                p = self._term_html(b["p"], labels)
                other = self._term_html(b["other"], labels)
                graphs = self._graphs_html(b.get("graphs", {}).get("value", ""))
                cells = (p, other, graphs) if side == "out" else (other, p, graphs)
                parts.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            parts.append("</tbody></table>")
        parts.append("</main></body></html>")
        return "".join(parts)

    def endpoint_page(self, base: str) -> bytes:
        """What a browser gets at /sparql without a query: how to use the endpoint."""
        e = html.escape
        endpoint = base + "sparql"
        example = 'SELECT ?council ?grade WHERE { ?i kgo:council/skos:prefLabel ?council ; kgo:judgement/kgo:grade/skos:notation ?grade }'
        text = f"""<!DOCTYPE html><html lang=en><head><meta charset=utf-8><link rel=icon href="data:,">
<title>kg SPARQL endpoint</title><style>{RESOURCE_CSS}</style></head><body>
<header><a href="/">kg explorer</a></header><main><h1>SPARQL 1.1 query endpoint</h1>
<p><code>{e(endpoint)}</code>, read-only, over <code>{e(self.graph_dir.resolve().name)}</code>.
The default graph is the union of all named graphs (one per source document); the kg prefixes are predeclared.
Queries taking over {self.timeout:g} s are stopped; results over {self.max_bytes / 1e6:g} MB are refused.</p>
<h2>Examples</h2><pre>curl -H 'Accept: text/csv' --data-urlencode {e(repr("query=" + example))} {e(endpoint)}

from SPARQLWrapper import SPARQLWrapper, JSON
sw = SPARQLWrapper({e(repr(endpoint))}); sw.setQuery("ASK {{ ?s ?p ?o }}"); sw.setReturnFormat(JSON)
print(sw.queryAndConvert())</pre>
<p>SELECT/ASK: SPARQL JSON, XML, CSV, TSV. CONSTRUCT/DESCRIBE: Turtle, N-Triples, RDF/XML, JSON-LD
(by <code>Accept</code>, or <code>format=</code> json, xml, csv, tsv, ttl, nt, jsonld).</p>
<h2>Service description</h2><pre>{e(self.service_description(base).decode("utf-8"))}</pre></main></body></html>"""
        return text.encode("utf-8")

    def service_description(self, base: str) -> bytes:
        fmts = ", ".join(f"<{u}>" for u in (
            "http://www.w3.org/ns/formats/SPARQL_Results_JSON", "http://www.w3.org/ns/formats/SPARQL_Results_XML",
            "http://www.w3.org/ns/formats/SPARQL_Results_CSV", "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
            "http://www.w3.org/ns/formats/Turtle", "http://www.w3.org/ns/formats/N-Triples",
            "http://www.w3.org/ns/formats/RDF_XML", "http://www.w3.org/ns/formats/JSON-LD"))
        text = (
            "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
            f"# kg: read-only SPARQL 1.1 query endpoint over {_one_line(self.graph_dir.resolve().name)}.\n"
            "# The default graph is the union of all named graphs (one per source document).\n"
            f"# Predeclared prefixes: {', '.join(self.prefixes)}\n"
            f"[] a sd:Service ;\n  sd:endpoint <{base}sparql> ;\n  sd:supportedLanguage sd:SPARQL11Query ;\n"
            f"  sd:feature sd:UnionDefaultGraph ;\n  sd:resultFormat {fmts} .\n")
        return text.encode("utf-8")


def _one_line(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)


SD_FORMATS = [("text/turtle", "TURTLE", ()), ("text/html", "HTML", ())]

RESOURCE_CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1f2328; }
header { padding: .6em 1em; background: #24292f; } header a { color: #9cd3ff; margin-right: 1.5em; }
main { padding: .5em 1em; } h1 { font-size: 1.3em; margin: .4em 0; } h2 { font-size: 1.05em; margin-top: 1.2em; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: .2em .5em; vertical-align: top; text-align: left; max-width: 50em; overflow-wrap: anywhere; }
th { background: #f6f8fa; } .dt { color: #8c959f; font-size: 11px; } .none { color: #8c959f; }
code { font-family: ui-monospace, monospace; }
"""


class Handler(BaseHTTPRequestHandler):
    server_version = "kg-serve"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 60  # a client that stalls mid-request frees its thread
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms delayed-ACK stall

    @property
    def app(self) -> App:
        return self.server.app

    # -- plumbing ------------------------------------------------------------
    def log_message(self, fmt, *args):  # replaced by log_request below
        pass

    def log_request(self, code="-", size="-"):
        log = self.app.log
        if log is None:
            return
        line = self.requestline
        line = line if len(line) <= 200 else line[:200] + "…"
        line = line.encode("ascii", "backslashreplace").decode("ascii")
        line = "".join(c if c.isprintable() else "?" for c in line)
        code = code.value if isinstance(code, HTTPStatus) else code
        took = (time.monotonic() - getattr(self, "_t0", time.monotonic())) * 1000
        print(f"{self.address_string()} {code} {took:.0f}ms {line}", file=log, flush=True)

    def send_body(self, status: int, body, content_type: str, headers: Optional[dict] = None) -> None:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_error_text(self, status: int, message: str, headers: Optional[dict] = None) -> None:
        self.send_body(status, message.rstrip("\n") + "\n", "text/plain; charset=utf-8", headers)

    def _host_allowed(self) -> bool:
        """Against DNS rebinding: a loopback-only server answers only to loopback host names."""
        if not self.app.loopback_only:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):
            name = host[: host.find("]") + 1]
        else:
            name = host.rsplit(":", 1)[0] if ":" in host else host
        return name in LOOPBACK

    def _dispatch(self, method: str) -> None:
        self._t0 = time.monotonic()
        try:
            if not self._host_allowed():
                self.send_error_text(403, "this server answers only to 127.0.0.1/localhost host names")
                return
            url = urllib.parse.urlsplit(self.path)
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            getattr(self, "route_" + method)(url.path, params)
        except ProtocolError as exc:
            self.send_error_text(exc.status, exc.message)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # noqa: BLE001 - one request's failure is its own
            msg = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
            try:
                self.send_error_text(500, f"internal error: {msg}")
            except OSError:
                self.close_connection = True

    def do_GET(self):
        self._dispatch("GET")

    def do_HEAD(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def _not_allowed(self):
        self._t0 = time.monotonic()
        self.close_connection = True  # the body, if any, is not read
        self.send_error_text(405, f"{self.command} is not allowed: {READ_ONLY}", {"Allow": "GET, HEAD, POST"})

    do_PUT = do_DELETE = do_PATCH = _not_allowed

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            raise ProtocolError(411, "send the request body with a Content-Length, not chunked")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise ProtocolError(400, "bad Content-Length") from None
        if length > MAX_REQUEST_BYTES:
            self.close_connection = True
            raise ProtocolError(413, f"the request body is over {MAX_REQUEST_BYTES // 1000} kB")
        return self.rfile.read(length) if length > 0 else b""

    # -- routes --------------------------------------------------------------
    def route_GET(self, path: str, params: dict) -> None:
        app = self.app
        if path in ("/", "/index.html"):
            self.send_body(200, app.explorer, "text/html; charset=utf-8",
                           {"Content-Security-Policy": app.explorer_csp})
        elif path == "/sparql":
            if "update" in params:
                raise ProtocolError(403, READ_ONLY)
            if "query" not in params:
                host = self.headers.get("Host") or ""
                if not re.fullmatch(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?", host):
                    host = "%s:%s" % self.server.server_address[:2]
                base = f"http://{host}/"
                if protocol.negotiate(self.headers.get("Accept"), SD_FORMATS)[0] == "text/html":
                    self.send_body(200, app.endpoint_page(base), "text/html; charset=utf-8",
                                   {"Content-Security-Policy": PAGE_CSP})
                else:
                    self.send_body(200, app.service_description(base), "text/turtle; charset=utf-8")
                return
            self._sparql(params)
        elif path == "/queries":
            listing = {n: {"description": q["description"], "params": q["params"]} for n, q in app.named().items()}
            self.send_body(200, json.dumps(listing, indent=1), "application/json; charset=utf-8")
        elif path.startswith("/queries/"):
            name = urllib.parse.unquote(path[len("/queries/"):])
            values = {k: v[-1] for k, v in params.items()}
            self.send_body(200, app.bound_query(name, values), "application/sparql-query; charset=utf-8")
        elif path == "/resource":
            iri = protocol.single(params, "iri")
            self.send_body(200, app.resource_page(iri or ""), "text/html; charset=utf-8",
                           {"Content-Security-Policy": PAGE_CSP})
        elif path == "/graph.html":
            target = app.graph_dir / "graph.html"
            if not target.is_file():
                raise ProtocolError(404, "this build has no network view (built with --no-viz?); run 'kg viz'")
            self.send_body(200, target.read_bytes(), "text/html; charset=utf-8",
                           {"Content-Security-Policy": GRAPH_CSP})
        elif path == "/favicon.ico":
            self.send_body(204, b"", "image/x-icon")
        else:
            raise ProtocolError(404, f"no page {path!r}; try / (explorer), /sparql, /queries, /resource?iri=...")

    def route_POST(self, path: str, params: dict) -> None:
        body = self._read_body()  # always, so that a kept-alive connection stays in step
        if path != "/sparql":
            raise ProtocolError(404, f"POST goes to /sparql, not {path!r}")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            raise ProtocolError(403, READ_ONLY)
        if ctype == "application/x-www-form-urlencoded":
            form = protocol.parse_form(body)
            if "update" in form or "update" in params:
                raise ProtocolError(403, READ_ONLY)
            if "query" in params and "query" in form:
                raise ProtocolError(400, "give the query in the body or in the URL, not both")
            merged = {**params, **form}
            for key in ("default-graph-uri", "named-graph-uri"):
                if key in params and key in form:
                    merged[key] = params[key] + form[key]
            if "query" not in merged:
                raise ProtocolError(400, "the form has no 'query' parameter")
            self._sparql(merged)
        elif ctype == "application/sparql-query":
            if "update" in params:
                raise ProtocolError(403, READ_ONLY)
            if "query" in params:
                raise ProtocolError(400, "with a application/sparql-query body, do not also give ?query=")
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise ProtocolError(400, "the query is not UTF-8") from None
            self._sparql({**params, "query": [text]})
        else:
            raise ProtocolError(415, "POST a query as application/x-www-form-urlencoded (query=...) "
                                     f"or application/sparql-query, not {ctype or 'no Content-Type'!r}")

    def _sparql(self, params: dict) -> None:
        text = protocol.single(params, "query")
        if not text or not text.strip():
            raise ProtocolError(400, "the 'query' parameter is empty")
        default_graph, named_graphs = protocol.dataset(params)
        status, ctype, body = self.app.query(
            text, accept=self.headers.get("Accept"), fmt=params.get("format", []) + params.get("output", []),
            default_graph=default_graph, named_graphs=named_graphs)
        if status == 200:
            self.send_body(200, body, ctype, {"Vary": "Accept"})
        else:
            self.send_error_text(status, body if isinstance(body, str) else body.decode("utf-8", "replace"))


class KgHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address, app: App):
        self.app = app
        super().__init__(address, Handler)

    def server_close(self):
        super().server_close()
        self.app.close()


class KgHTTPServer6(KgHTTPServer):
    address_family = socket.AF_INET6


def make_server(graph_dir: Path, host: str = "127.0.0.1", port: int = 0, *,
                timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
                workers: int = DEFAULT_WORKERS, log=None) -> tuple:
    """A ready (not yet serving) server over ``graph_dir`` and its base URL.

    Call ``server.serve_forever()`` (in a thread if need be), then
    ``server.shutdown()`` and ``server.server_close()`` (which stops the workers).
    ``log``: a text stream for one line per request (None: quiet).
    """
    app = App(Path(graph_dir), timeout=timeout, max_bytes=max_bytes, workers=workers, host=host, log=log)
    cls = KgHTTPServer6 if ":" in host else KgHTTPServer
    try:
        server = cls((host, port), app)
    except (OSError, OverflowError) as exc:
        app.close()
        from kg.errors import UsageError

        reason = getattr(exc, "strerror", None) or str(exc)
        raise UsageError(f"cannot listen on {host}:{port} ({reason}); pick another --port or --host") from exc
    bound_port = server.server_address[1]
    shown = f"[{host}]" if ":" in host else host
    return server, f"http://{shown}:{bound_port}/"


def serve(graph_dir: Path, host: str = "127.0.0.1", port: int = 8000, *,
          timeout: float = DEFAULT_TIMEOUT, workers: int = DEFAULT_WORKERS, quiet: bool = False) -> int:
    """Serve until Ctrl-C (or SIGTERM); prints the URL first. Returns 0."""
    import signal
    import threading

    server, url = make_server(graph_dir, host, port, timeout=timeout, workers=workers,
                              log=None if quiet else sys.stderr)
    if threading.current_thread() is threading.main_thread():
        def _term(signum, frame):
            raise KeyboardInterrupt
        signal.signal(signal.SIGTERM, _term)
    print(f"kg: serving {graph_dir} at {url} (SPARQL endpoint {url}sparql); Ctrl-C stops", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print("kg: stopped", file=sys.stderr, flush=True)
    return 0
