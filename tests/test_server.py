"""``kg serve``: the SPARQL 1.1 Protocol endpoint and the web explorer.

A real client (SPARQLWrapper) queries the seeds build over loopback; the
explorer is driven in Debian's chromium through Playwright (never skipped:
a missing browser fails, saying what to install; ``KG_CHROMIUM`` overrides
the path).
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph

from kg.errors import GraphNotFoundError
from kg.query import named_queries
from kg.server import make_server

TAMESIDE = "https://w3id.org/ofsted-kg/id/council/E08000008"
RESOLVED = "https://w3id.org/ofsted-kg/id/graph/resolved"
HOSTILE = ('<img src=x onerror="window.__pwned=1">"quoted" & \'single\' '
           '</script><script>window.__pwned=2</script>')
HOSTILE_IRI = "javascript:window.__pwned=3"
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # runs for minutes


@contextlib.contextmanager
def running(graph_dir, **options):
    server, url = make_server(graph_dir, port=0, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def url(seeds_build):
    with running(seeds_build[0]) as base:
        yield base


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    """A tiny build whose only facts carry hostile text and a javascript: IRI."""
    import pyoxigraph as ox

    out = tmp_path_factory.mktemp("hostile")
    store = ox.Store(str(out / "store"))
    g = ox.NamedNode("https://w3id.org/ofsted-kg/id/graph/hostile.txt")
    node = ox.NamedNode(HOSTILE_IRI)
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    text = ox.NamedNode("https://w3id.org/ofsted-kg/def#text")
    store.extend([ox.Quad(node, label, ox.Literal(HOSTILE), g),
                  ox.Quad(ox.NamedNode(TAMESIDE), text, ox.Literal(HOSTILE), g),
                  ox.Quad(ox.NamedNode(TAMESIDE), ox.NamedNode("https://w3id.org/ofsted-kg/def#about"), node, g)])
    store.flush()
    del store
    return out


def http(url, path="", *, data=None, headers=None, method=None):
    """(status, content type, body text) of one request."""
    req = urllib.request.Request(url.rstrip("/") + path if path else url, data=data, headers=headers or {},
                                 method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode("utf-8")


def q(text):
    return "/sparql?" + urllib.parse.urlencode({"query": text})


def client(url, query, fmt="json"):
    from SPARQLWrapper import SPARQLWrapper

    sw = SPARQLWrapper(url + "sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    return sw


# ---------------------------------------------------------------- set-up


def test_missing_build(tmp_path):
    from kg.store import open_store

    with pytest.raises(GraphNotFoundError) as expected:
        open_store(tmp_path)
    with pytest.raises(GraphNotFoundError) as got:
        make_server(tmp_path)
    assert str(got.value) == str(expected.value)


def _workers_of(store_dir) -> list:
    """PIDs of live query workers over ``store_dir``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"kg.server.worker" in cmd and str(Path(store_dir).resolve()).encode() in cmd:
            found.append(int(proc.name))
    return found


def test_serve_prints_url_and_ctrl_c_stops_cleanly(seeds_build):
    out = seeds_build[0]
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from kg.server import serve; sys.exit(serve(sys.argv[1], port=0, workers=2))", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert m, line + proc.stderr.read() if proc.poll() is not None else line
        assert http(m.group(0), q("ASK { ?s ?p ?o }"))[0] == 200
        assert len(_workers_of(out / "store")) == 2
        proc.send_signal(signal.SIGINT)
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    err = proc.stderr.read()
    assert "Traceback" not in err and "stopped" in err
    assert " 200 " in err  # one log line per request, on stderr
    assert _workers_of(out / "store") == []


def test_binds_loopback_by_default(seeds_build):
    server, url = make_server(seeds_build[0])
    try:
        assert server.server_address[0] == "127.0.0.1" and url.startswith("http://127.0.0.1:")
        assert server.server_address[1] > 0
    finally:
        server.server_close()


# ---------------------------------------------------------------- SPARQL with a real client


def test_select_named_query_with_sparqlwrapper(url, seeds_build):
    from kg.query import run_query

    text = named_queries()["judgements"][1]
    result = client(url, text).queryAndConvert()
    rows = [{k: v["value"] for k, v in b.items()} for b in result["results"]["bindings"]]
    assert {("Tameside", "inadequate"), ("Tameside", "requires_improvement")} <= {
        (r["council"], r.get("grade")) for r in rows}
    # the same rows as the CLI's query over the same store (default graph = union of named graphs)
    columns, cli_rows = run_query(seeds_build[0], text)
    assert len(rows) == len(cli_rows) and result["head"]["vars"] == columns


def test_select_post_form_and_direct_body(url):
    from SPARQLWrapper import POST, POSTDIRECTLY, URLENCODED

    text = ('SELECT ?grade WHERE { ?i kgo:council ?c ; kgo:judgement ?j . ?c skos:prefLabel "Tameside"@en . '
            '?j kgo:grade/skos:notation ?grade } ORDER BY ?grade')
    answers = []
    for method in (URLENCODED, POSTDIRECTLY):
        sw = client(url, text)
        sw.setMethod(POST)
        sw.setRequestMethod(method)
        answers.append([b["grade"]["value"] for b in sw.queryAndConvert()["results"]["bindings"]])
    assert answers[0] == answers[1] and "inadequate" in answers[0]


def test_ask_and_construct(url):
    assert client(url, 'ASK { ?c skos:prefLabel "Tameside"@en }').queryAndConvert()["boolean"] is True
    assert client(url, 'ASK { ?c skos:prefLabel "Atlantis"@en }').queryAndConvert()["boolean"] is False
    g = client(url, f"CONSTRUCT {{ <{TAMESIDE}> ?p ?o }} WHERE {{ <{TAMESIDE}> ?p ?o }}", "xml").queryAndConvert()
    assert isinstance(g, Graph)
    labels = {str(o) for _, p, o in g if str(p).endswith("prefLabel")}
    assert labels == {"Tameside"}
    ttl = client(url, f"DESCRIBE <{TAMESIDE}>", "turtle").queryAndConvert()
    assert len(Graph().parse(data=ttl, format="turtle")) == len(g)


def test_update_rejected(url):
    from SPARQLWrapper import POST, SPARQLWrapper

    for headers, body in (({"Content-Type": "application/sparql-update"}, b"INSERT DATA { <a:b> <a:c> 1 }"),
                          ({"Content-Type": "application/x-www-form-urlencoded"},
                           b"update=" + urllib.parse.quote("DELETE WHERE { ?s ?p ?o }").encode())):
        status, _, text = http(url, "/sparql", data=body, headers=headers)
        assert status == 403 and "read-only" in text
    status, _, text = http(url, "/sparql?update=CLEAR+ALL")
    assert status == 403
    assert http(url, "/sparql", data=b"x", method="PUT")[0] == 405
    sw = SPARQLWrapper(url + "sparql")
    sw.setMethod(POST)
    sw.setQuery("INSERT DATA { <a:b> <a:c> 1 }")
    with pytest.raises(urllib.error.HTTPError) as exc:
        sw.query()
    assert exc.value.code == 403
    assert client(url, "ASK { <a:b> ?p ?o }").queryAndConvert()["boolean"] is False


def test_malformed_query_is_400_with_the_parser_message(url):
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    with pytest.raises(QueryBadFormed) as exc:
        client(url, "SELECT ?x WHERE { ?x ").query()
    assert "malformed SPARQL query: error at 1:" in str(exc.value)
    status, ctype, text = http(url, q("SELEC ?x {}"))
    assert status == 400 and ctype.startswith("text/plain") and text.startswith("malformed SPARQL query")
    assert http(url, "/sparql", data=b"", headers={"Content-Type": "application/sparql-query"})[0] == 400


# ---------------------------------------------------------------- content negotiation


SELECT = 'SELECT ?council ?gss WHERE { ?c skos:prefLabel ?council ; kgo:gssCode ?gss } ORDER BY ?council'


@pytest.mark.parametrize("accept, ctype", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
])
def test_select_formats(url, accept, ctype):
    status, got, text = http(url, q(SELECT), headers={"Accept": accept} if accept else {})
    assert status == 200 and got.split(";")[0] == ctype
    if ctype.endswith("json"):
        rows = [(b["council"]["value"], b["gss"]["value"]) for b in json.loads(text)["results"]["bindings"]]
    elif ctype.endswith("xml"):
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        rows = [tuple(r.find(f"r:binding[@name='{v}']/r:literal", ns).text for v in ("council", "gss"))
                for r in ET.fromstring(text).iterfind(".//r:result", ns)]
    elif ctype == "text/csv":
        table = list(csv.reader(io.StringIO(text)))
        assert table[0] == ["council", "gss"]
        rows = [tuple(r) for r in table[1:]]
    else:
        lines = text.splitlines()
        assert lines[0] == "?council\t?gss"
        rows = [tuple(v.split("@")[0].strip('"') for v in line.split("\t")) for line in lines[1:]]
    assert ("Tameside", "E08000008") in rows


@pytest.mark.parametrize("accept, ctype, rdf_format", [
    (None, "text/turtle", "turtle"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/ld+json", "application/ld+json", "json-ld"),
])
def test_construct_formats(url, accept, ctype, rdf_format):
    status, got, text = http(url, q(f"DESCRIBE <{TAMESIDE}>"), headers={"Accept": accept} if accept else {})
    assert status == 200 and got.split(";")[0] == ctype
    g = Graph().parse(data=text, format=rdf_format)
    assert any(str(o) == "Tameside" for o in g.objects())


def test_format_parameter_and_406(url):
    status, ctype, text = http(url, q(SELECT) + "&format=csv")
    assert status == 200 and ctype.startswith("text/csv") and text.startswith("council,gss")
    status, ctype, _ = http(url, q(f"DESCRIBE <{TAMESIDE}>") + "&format=nt")
    assert status == 200 and ctype.startswith("application/n-triples")
    status, _, text = http(url, q(SELECT), headers={"Accept": "image/png"})
    assert status == 406 and "text/csv" in text
    status, _, text = http(url, q(f"DESCRIBE <{TAMESIDE}>"), headers={"Accept": "text/csv"})
    assert status == 406 and "text/turtle" in text
    assert http(url, q(SELECT) + "&format=pdf")[0] == 400


def test_dataset_parameters(url):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n(path):
        status, _, text = http(url, path)
        assert status == 200, text
        return int(json.loads(text)["results"]["bindings"][0]["n"]["value"])

    everything = n(q(count))
    resolved = n(q(count) + "&" + urllib.parse.urlencode({"default-graph-uri": RESOLVED}))
    assert 0 < resolved < everything
    assert n(q(f"SELECT (COUNT(*) AS ?n) FROM <{RESOLVED}> WHERE {{ ?s ?p ?o }}")) == resolved
    named_only = n(q("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") + "&"
                   + urllib.parse.urlencode({"named-graph-uri": RESOLVED}))
    assert named_only == resolved
    assert http(url, q(count) + "&default-graph-uri=not-an-iri")[0] == 400


def test_host_header_checked(url):
    status, _, text = http(url, "/sparql", headers={"Host": "attacker.example"})
    assert status == 403 and "host" in text.lower()


# ---------------------------------------------------------------- limits


def test_timeout_stops_the_query_and_the_server_goes_on(seeds_build):
    with running(seeds_build[0], timeout=1, workers=1) as base:
        start = time.monotonic()
        status, _, text = http(base, q(CROSS))
        assert status == 503 and "did not finish within 1 s" in text
        assert time.monotonic() - start < 5
        assert client(base, "ASK { ?s ?p ?o }").queryAndConvert()["boolean"] is True


def test_result_size_cap(seeds_build):
    with running(seeds_build[0], max_bytes=10_000, workers=1) as base:
        status, _, text = http(base, q("CONSTRUCT WHERE { ?s ?p ?o }"))
        assert status == 503 and "larger than" in text and "LIMIT" in text
        assert http(base, q("SELECT * WHERE { ?s ?p ?o } LIMIT 5"))[0] == 200


# ---------------------------------------------------------------- explorer support


def test_named_query_text_with_params(url):
    status, _, listing = http(url, "/queries")
    params = json.loads(listing)["timeline"]["params"]
    assert status == 200 and params["council"] == "*" and {"from", "to", "area", "grade", "per_source"} <= set(params)
    status, _, text = http(url, "/queries/timeline?council=" + urllib.parse.quote('Tame"side'))
    assert status == 200 and '"Tame\\"side"' in text and "?param_council" not in text
    assert http(url, "/queries/timeline?nope=1")[0] == 400
    assert http(url, "/queries/nope")[0] == 404


def test_resource_page_escapes(hostile_dir):
    with running(hostile_dir, workers=1) as base:
        status, _, page = http(base, "/resource?" + urllib.parse.urlencode({"iri": HOSTILE_IRI}))
        assert status == 200
        assert "<img" not in page and "<script" not in page
        # escaped as Jinja2/MarkupSafe write it (&#34; for a double quote)
        assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in page
        assert 'href="javascript:' not in page
        assert http(base, "/resource?iri=not%20an%20iri")[0] == 400
        assert http(base, "/graph.html")[0] == 404  # this build has no network view


# ---------------------------------------------------------------- browser


class Browser:
    """One Chromium page that records console errors and every request's URL."""

    def __init__(self, pw, base):
        self.base = base.rstrip("/")
        self.browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.context = self.browser.new_context()
        self.requests, self.errors, self.dialogs = [], [], []

        def route(r):
            if r.request.url.startswith((self.base + "/", "data:")):
                r.continue_()
            else:
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def check_clean(self):
        assert self.errors == []
        assert self.dialogs == []
        outside = [u for u in self.requests if not u.startswith((self.base + "/", "data:"))]
        assert outside == []

    def close(self):
        self.browser.close()


@contextlib.contextmanager
def browser(base):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright's Python package is missing: run `.venv/bin/pip install playwright` "
                    "(not `playwright install`; the tests use Debian's chromium)", pytrace=False)
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"no browser at {CHROMIUM}: apt-get install -y chromium (or set KG_CHROMIUM)", pytrace=False)
    with sync_playwright() as pw:
        b = Browser(pw, base)
        try:
            yield b
        finally:
            b.close()


def test_explorer_runs_named_queries_offline(url):
    with browser(url) as b:
        page = b.page
        page.goto(url + "query")  # the home page (/) lists the councils; the runner is at /query
        page.wait_for_function("() => document.getElementById('query').value.includes('SELECT')")
        assert page.locator("#named").input_value() == "judgements"
        page.click("#run")
        page.wait_for_selector("#results tbody tr")
        rows = page.locator("#results tbody tr")
        assert rows.count() >= 5
        assert "Tameside" in page.locator("#results").inner_text()
        assert "inadequate" in page.locator("#results").inner_text()

        page.select_option("#named", "timeline")
        page.fill("#param-council", "Tameside")
        page.dispatch_event("#param-council", "change")
        page.wait_for_function("() => document.getElementById('query').value.includes('\"Tameside\"')")
        page.focus("#query")
        page.keyboard.press("Control+Enter")
        page.wait_for_function("() => document.getElementById('status').textContent.includes('rows')")
        councils = page.locator("#results tbody tr td:first-child").all_inner_texts()
        assert councils and set(councils) == {"Tameside"}
        assert "format=csv" in page.locator("#downloads a").first.get_attribute("href")

        # your own SPARQL; an IRI in the results links to its resource page, with labels
        page.fill("#query", 'SELECT ?council WHERE { ?council skos:prefLabel "Tameside"@en }')
        assert page.locator("#named").input_value() == ""
        page.click("#run")
        # shown as its label and compact IRI, linking to the node's page under its own path
        link = page.locator("#results a[href='/id/council/E08000008']").first
        page.wait_for_selector("#results a .label")
        assert link.inner_text() == "Tameside kgid:council/E08000008"
        link.click()
        page.wait_for_selector("h1")
        assert page.locator("h1").inner_text() == "Tameside"
        assert "Tameside Metropolitan Borough Council" in page.content()
        page.click("text=network view")
        page.wait_for_load_state("load")
        assert page.url.endswith("/graph.html")
        page.wait_for_timeout(300)
        b.check_clean()


def test_explorer_shows_hostile_values_as_text(hostile_dir):
    with running(hostile_dir, workers=1) as base, browser(base) as b:
        page = b.page
        query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
        page.goto(base + "?" + urllib.parse.urlencode({"query": query}))
        page.wait_for_selector("#results tbody tr")
        cells = page.locator("#results tbody td").all_inner_texts()
        assert HOSTILE in cells
        assert page.locator("#results img, #results script").count() == 0
        hrefs = page.locator("#results a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
        # the graph's own IRIs link to their pages, anything else (the javascript: one) to /resource
        assert hrefs and all(h.startswith(("/resource?iri=", "/id/")) for h in hrefs)
        assert any(h == "/resource?iri=" + urllib.parse.quote(HOSTILE_IRI, safe="") for h in hrefs)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        page.locator("#results a", has_text="javascript:").first.click()
        page.wait_for_selector("h1")
        assert page.locator("h1").inner_text() == HOSTILE
        assert page.locator("main img, main script").count() == 0
        assert page.evaluate("typeof window.__pwned") == "undefined"
        b.check_clean()


@pytest.mark.parametrize("fmt, expect", [("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
                                         ("json-ld", "application/ld+json"), ("rdf+xml", "application/rdf+xml")])
def test_sparqlwrapper_return_formats(url, fmt, expect):
    # SPARQLWrapper sends Accept and format=/output= (twice for tsv, json-ld, rdf+xml)
    kind = "CONSTRUCT" if expect.startswith("application/") else "SELECT"
    text = (f"CONSTRUCT {{ <{TAMESIDE}> ?p ?o }} WHERE {{ <{TAMESIDE}> ?p ?o }}" if kind == "CONSTRUCT"
            else 'SELECT ?c WHERE { ?c skos:prefLabel "Tameside"@en }')
    response = client(url, text, fmt).query()
    assert response.response.headers["Content-Type"].split(";")[0] == expect
    body = response.response.read().decode("utf-8")
    assert TAMESIDE in body


def test_endpoint_description(url):
    status, ctype, text = http(url, "/sparql")
    assert status == 200 and ctype.startswith("text/turtle") and "sd:UnionDefaultGraph" in text
    Graph().parse(data=text, format="turtle")
    status, ctype, page = http(url, "/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert status == 200 and ctype.startswith("text/html") and "SPARQLWrapper" in page
