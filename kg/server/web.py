"""The HTTP layer of ``kg serve``: a Starlette application over an :class:`~kg.server.app.App`.

Routes (GET and HEAD unless noted):

    /                   home: search and every council with its latest grade
    /query              the query runner (a SPARQL box with the named queries)
    /id/..., /code/...  a node of the graph by its IRI's path: a page, or its triples as
                        Turtle, JSON-LD, N-Triples or RDF/XML (Accept or ?format=)
    /sparql             SPARQL 1.1 Protocol query endpoint (GET ?query=, POST form or
                        application/sparql-query); without a query: a service description
    /queries            the named queries as JSON (name -> description, parameters)
    /queries/NAME       a named query's text with its ?param_ values bound (?council=...)
    /resource?iri=IRI   the node's triples, as subject and as object, with labels
    /graph.html         the build's network view, if the build has one
    /network?focus=L    the network around the node labelled L (drawn from the store)
    /graph.trig         the build's graph as TriG (the VoID void:dataDump)
    /.well-known/void   the VoID description of the dataset (void:sparqlEndpoint, void:dataDump)

Everything is read-only: updates get 403 and other methods 405.  Handlers are
plain functions, so Starlette runs them in its thread pool while a query
worker answers.
"""
from __future__ import annotations

import json
import re
import time
import urllib.parse
from typing import Optional

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import protocol
from .protocol import ProtocolError

MAX_REQUEST_BYTES = 1_000_000   # largest request body (the query text)
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
READ_ONLY = ("this endpoint is read-only: SPARQL Update is not accepted "
             "(the graph is written by 'kg build' and 'kg import-outcomes')")
ALLOWED_METHODS = ("GET", "HEAD", "POST")
COMMON_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                  "Cache-Control": "no-store"}

PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'")
# graph.html carries its own hash-based CSP in a <meta>; this header adds a second fence
GRAPH_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
             "base-uri 'none'; form-action 'none'")
# the service description in every RDF syntax the endpoint gives CONSTRUCT results in, or a page
SD_FORMATS = [*protocol.RDF_FORMATS, ("text/html", "HTML", ())]
# a node of the graph: its page for browsers, its triples for RDF clients
NODE_FORMATS = [("text/html", "HTML", ("application/xhtml+xml",))] + protocol.RDF_FORMATS
IRI_PATH = re.compile(r"/(id|code)/[^<>\"{}|^`\\\s]+")


def text_response(status: int, message: str, headers: Optional[dict] = None) -> Response:
    return Response(message.rstrip("\n") + "\n", status, headers, media_type="text/plain; charset=utf-8")


def html_response(page, csp: str = PAGE_CSP) -> Response:
    return Response(page, 200, {"Content-Security-Policy": csp}, media_type="text/html; charset=utf-8")


def _params(request: Request) -> dict:
    return urllib.parse.parse_qs(request.url.query, keep_blank_values=True)


def _host_allowed(app, headers) -> bool:
    """Against DNS rebinding: a loopback-only server answers only to loopback host names."""
    if not app.loopback_only:
        return True
    host = (headers.get("host") or "").strip().lower()
    if host.startswith("["):
        name = host[: host.find("]") + 1]
    else:
        name = host.rsplit(":", 1)[0] if ":" in host else host
    return name in LOOPBACK


def _guarded(handler):
    """A handler whose ProtocolError becomes its status and any other failure a one-line 500."""
    def endpoint(request: Request) -> Response:
        try:
            return handler(request)
        except ProtocolError as exc:
            return text_response(exc.status, exc.message)
        except Exception as exc:  # noqa: BLE001 - one request's failure is its own
            msg = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
            return text_response(500, f"internal error: {msg}")
    endpoint.__name__ = handler.__name__
    return endpoint


def _read_body(request: Request) -> bytes:
    """The request body, refused when chunked or over MAX_REQUEST_BYTES (read from the thread pool)."""
    if "chunked" in (request.headers.get("transfer-encoding") or "").lower():
        raise ProtocolError(411, "send the request body with a Content-Length, not chunked")
    try:
        length = int(request.headers.get("content-length") or 0)
    except ValueError:
        raise ProtocolError(400, "bad Content-Length") from None
    if length > MAX_REQUEST_BYTES:
        raise ProtocolError(413, f"the request body is over {MAX_REQUEST_BYTES // 1000} kB")
    from anyio.from_thread import run as from_thread

    return from_thread(request.body) if length > 0 else b""


def _base(request: Request) -> str:
    """The server's own base URL as the client reached it (a bad Host falls back to the socket)."""
    host = request.headers.get("host") or ""
    if not re.fullmatch(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?", host):
        server = request.scope.get("server") or ("127.0.0.1", 0)
        host = "%s:%s" % tuple(server[:2])
    return f"http://{host}/"


class Web:
    """The routes, bound to one App."""

    def __init__(self, app) -> None:
        self.app = app

    # -- SPARQL --------------------------------------------------------------
    def sparql(self, request: Request) -> Response:
        params = _params(request)
        if request.method == "POST":
            return self._sparql_post(request, params)
        if "update" in params:
            raise ProtocolError(403, READ_ONLY)
        if "query" not in params:
            base = _base(request)
            choice = protocol.negotiate(request.headers.get("accept"), SD_FORMATS)
            if choice is None:
                raise ProtocolError(406, "the service description is available as "
                                         + ", ".join(m for m, _, _ in SD_FORMATS))
            if choice[0] == "text/html":
                return html_response(self.app.endpoint_page(base))
            return Response(self.app.service_description(base, choice[1]), 200, {"Vary": "Accept"},
                            media_type=protocol.CONTENT_TYPES[choice[0]])
        return self._run(request, params)

    def void(self, request: Request) -> Response:
        """The dataset's VoID description (RFC 5785 well-known URI), in the negotiated RDF syntax."""
        params = _params(request)
        status, ctype, body = self.app.void_description(
            _base(request), accept=request.headers.get("accept"), fmt=params.get("format", []))
        if status == 200:
            return Response(body, 200, {"Vary": "Accept"}, media_type=ctype)
        return text_response(status, body if isinstance(body, str) else body.decode("utf-8", "replace"))

    def dump(self, request: Request) -> Response:
        """The whole build as TriG (the VoID description's void:dataDump), streamed from the file."""
        from starlette.responses import FileResponse

        target = self.app.graph_dir / "graph.trig"
        if not target.is_file():
            raise ProtocolError(404, "this build has no graph.trig")
        return FileResponse(str(target), media_type="application/trig; charset=utf-8")

    def _sparql_post(self, request: Request, params: dict) -> Response:
        body = _read_body(request)
        ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
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
            return self._run(request, merged)
        if ctype == "application/sparql-query":
            if "update" in params:
                raise ProtocolError(403, READ_ONLY)
            if "query" in params:
                raise ProtocolError(400, "with a application/sparql-query body, do not also give ?query=")
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise ProtocolError(400, "the query is not UTF-8") from None
            return self._run(request, {**params, "query": [text]})
        raise ProtocolError(415, "POST a query as application/x-www-form-urlencoded (query=...) "
                                 f"or application/sparql-query, not {ctype or 'no Content-Type'!r}")

    def _run(self, request: Request, params: dict) -> Response:
        text = protocol.single(params, "query")
        if not text or not text.strip():
            raise ProtocolError(400, "the 'query' parameter is empty")
        default_graph, named_graphs = protocol.dataset(params)
        conditional = request.headers.get("if-none-match") if request.method in ("GET", "HEAD") else None
        status, ctype, body, etag = self.app.answer(
            text, accept=request.headers.get("accept"), fmt=params.get("format", []) + params.get("output", []),
            default_graph=default_graph, named_graphs=named_graphs, if_none_match=conditional)
        if status in (200, 304):
            # an answer fixed by the build: clients may keep it and ask again with If-None-Match,
            # which a rebuild (a new ETag) answers in full
            headers = {"Vary": "Accept", **({"ETag": etag, "Cache-Control": "no-cache"} if etag else {})}
            if status == 304:
                return Response(None, 304, headers)
            return Response(body, 200, headers, media_type=ctype)
        return text_response(status, body if isinstance(body, str) else body.decode("utf-8", "replace"))

    # -- pages ----------------------------------------------------------------
    def home(self, request: Request) -> Response:
        if request.url.query:  # links of the earlier explorer (/?query=..., /?name=...) go to the runner
            return Response(b"", 307, {"Location": "/query?" + request.url.query})
        page, csp = self.app.home_page()
        return html_response(page, csp)

    def runner(self, request: Request) -> Response:
        return html_response(self.app.explorer, self.app.explorer_csp)

    def node(self, request: Request) -> Response:
        """GET /id/... and /code/...: the node the path names, as a page or (by negotiation) as RDF."""
        from kg.rdf.namespace import BASE

        path = (request.scope.get("raw_path") or request.url.path.encode()).decode("latin-1")
        iri = BASE + path[1:]
        if not IRI_PATH.fullmatch(path):
            raise ProtocolError(400, f"{path!r} is not the path of an IRI of this graph")
        fmt = [t.strip().lower() for v in _params(request).get("format", []) for t in v.split(",") if t.strip()]
        if fmt:
            choice = protocol._from_names(fmt, protocol.RDF_SHORT, protocol.RDF_FORMATS)
            if choice is None and fmt != ["html"]:
                raise ProtocolError(400, f"unknown format {', '.join(fmt)!r}; use ttl, nt, jsonld, xml or html")
        else:
            choice = protocol.negotiate(request.headers.get("accept"), NODE_FORMATS)
            if choice is None:
                raise ProtocolError(406, "available: " + ", ".join(m for m, _, _ in NODE_FORMATS))
        if choice is None or choice[0] == "text/html":
            found = self.app.node_page(iri)
            if found is None:
                raise ProtocolError(404, f"the graph has no node <{iri}>")
            page, csp = found
            response = html_response(page, csp)
        else:
            status, ctype, body = self.app.node_rdf(iri, choice[0])
            if status != 200:
                return text_response(status, body if isinstance(body, str) else body.decode("utf-8", "replace"))
            response = Response(body, 200, media_type=ctype)
        response.headers["Vary"] = "Accept"
        return response

    def queries(self, request: Request) -> Response:
        listing = {n: {"description": q["description"], "params": q["params"]} for n, q in self.app.named().items()}
        return Response(json.dumps(listing, indent=1), 200, media_type="application/json; charset=utf-8")

    def named_query(self, request: Request) -> Response:
        name = request.path_params["name"]
        values = {k: v[-1] for k, v in _params(request).items()}
        return Response(self.app.bound_query(name, values), 200,
                        media_type="application/sparql-query; charset=utf-8")

    def resource(self, request: Request) -> Response:
        iri = protocol.single(_params(request), "iri")
        return html_response(self.app.resource_page(iri or ""))

    def graph_html(self, request: Request) -> Response:
        target = self.app.graph_dir / "graph.html"
        if not target.is_file():
            raise ProtocolError(404, "this build has no network view (built with --no-viz?); run 'kg viz'")
        return html_response(target.read_bytes(), GRAPH_CSP)

    def network(self, request: Request) -> Response:
        """GET /network?focus=LABEL: the network view around one node, drawn from the store."""
        focus = protocol.single(_params(request), "focus")
        if not focus:
            return Response(b"", 307, {"Location": "/graph.html"})
        from kg.errors import UsageError

        try:
            page = self.app.network_page(focus)
        except UsageError as exc:
            raise ProtocolError(404, str(exc)) from None
        return html_response(page, GRAPH_CSP)

    def favicon(self, request: Request) -> Response:
        return Response(b"", 204, media_type="image/x-icon")

    def not_found(self, request: Request) -> Response:
        if request.method == "POST":
            raise ProtocolError(404, f"POST goes to /sparql, not {request.url.path!r}")
        raise ProtocolError(404, f"no page {request.url.path!r}; try / (councils), /query, /sparql, /queries, /id/...")

    def routes(self) -> list:
        get = ["GET"]  # Starlette adds HEAD to GET routes
        table = [("/", self.home, get), ("/index.html", self.home, get), ("/query", self.runner, get),
                 ("/id/{rest:path}", self.node, get), ("/code/{rest:path}", self.node, get),
                 ("/sparql", self.sparql, ["GET", "POST"]), ("/queries", self.queries, get),
                 ("/queries/{name:path}", self.named_query, get), ("/resource", self.resource, get),
                 ("/graph.html", self.graph_html, get), ("/network", self.network, get), ("/favicon.ico", self.favicon, get),
                 ("/.well-known/void", self.void, get), ("/graph.trig", self.dump, get),
                 ("/{rest:path}", self.not_found, ["GET", "POST"])]
        return [Route(path, _guarded(fn), methods=methods) for path, fn, methods in table]


class Guard:
    """Outermost ASGI layer: Host check, method check, common headers and the request log."""

    def __init__(self, inner, app) -> None:
        self.inner = inner
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.inner(scope, receive, send)
        t0 = time.monotonic()
        status = {"code": "-"}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for k, v in COMMON_HEADERS.items():
                    if k.lower().encode() not in present:
                        headers.append((k.lower().encode(), v.encode()))
                message = {**message, "headers": headers}
            await send(message)

        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            if not _host_allowed(self.app, headers):
                response = text_response(403, "this server answers only to 127.0.0.1/localhost host names")
            elif scope["method"] not in ALLOWED_METHODS:
                # the body, if any, is not read
                response = text_response(405, f"{scope['method']} is not allowed: {READ_ONLY}",
                                         {"Allow": ", ".join(ALLOWED_METHODS), "Connection": "close"})
            else:
                response = None
            if response is not None:
                await response(scope, receive, send_with_headers)
            else:
                await self.inner(scope, receive, send_with_headers)
        finally:
            self._log(scope, status["code"], t0)

    def _log(self, scope, code, t0) -> None:
        log = self.app.log
        if log is None:
            return
        target = scope.get("raw_path") or scope["path"].encode()
        if scope.get("query_string"):
            target += b"?" + scope["query_string"]
        line = f"{scope['method']} {target.decode('latin-1')} HTTP/{scope.get('http_version', '1.1')}"
        line = line if len(line) <= 200 else line[:200] + "…"
        line = line.encode("ascii", "backslashreplace").decode("ascii")
        line = "".join(c if c.isprintable() else "?" for c in line)
        client = (scope.get("client") or ("-",))[0]
        took = (time.monotonic() - t0) * 1000
        print(f"{client} {code} {took:.0f}ms {line}", file=log, flush=True)


def asgi_app(app):
    """The ASGI application serving ``app`` (an :class:`~kg.server.app.App`)."""
    return Guard(Starlette(routes=Web(app).routes()), app)
