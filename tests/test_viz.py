"""The network view: RDF -> networkx, GraphML/GEXF export, and the offline HTML page.

The browser tests drive Debian's chromium through Playwright.  They fail
(never skip) when either is missing, saying what to install:

    .venv/bin/pip install playwright          # the Python package only
    apt-get install -y chromium               # /usr/bin/chromium; no `playwright install`

``KG_CHROMIUM`` overrides the browser's path.
"""
from __future__ import annotations

import contextlib
import json
import math
import os
import random
import re
import time
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from kg.errors import UsageError
from kg.viz import render_html, render_page, to_networkx, write_gexf, write_graphml
from kg.viz.common import GRADE_COLOURS, atomic_write
from kg.viz.layout import compute_layout
from kg.viz.render import json_for_script, vis_network_js

FIXTURE = Path(__file__).parent / "fixtures" / "viz_sample.trig"
KGID = "https://w3id.org/ofsted-kg/id/"
TAMESIDE = KGID + "council/E08000008"
BIRMINGHAM = KGID + "council/E08000025"
TAMESIDE_2016 = KGID + "inspection/E08000008-full_inspection-2016-09"

HOSTILE = [
    "<script>alert(1)</script>",
    '</script><script>alert("quote")</script>',
    "<img src=x onerror=alert(2)>",
    "<b>risk</b>",
]

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    return ds


@pytest.fixture(scope="module")
def graph(dataset) -> nx.MultiDiGraph:
    return to_networkx(dataset)


def _by_label(g, label):
    found = [n for n, lab in g.nodes(data="label") if lab == label]
    assert len(found) == 1, (label, found)
    return found[0]


def _page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


# ---------------------------------------------------------------- RDF -> networkx


def test_nodes_by_type(graph):
    counts = {}
    for _n, kind in graph.nodes(data="type"):
        counts[kind] = counts.get(kind, 0) + 1
    # Hartlepool is only in the reference graph: no edge, left out
    assert counts == {"council": 2, "person": 5, "organisation": 2, "inspection": 2,
                      "document": 3, "finding": 3, "quote": 3}
    assert KGID + "council/E06000001" not in graph


def test_include_isolated_keeps_every_council(dataset):
    g = to_networkx(dataset, include_isolated=True)
    assert g.nodes[KGID + "council/E06000001"]["label"] == "Hartlepool"


def test_inspection_node_folds_judgements(graph):
    attrs = graph.nodes[TAMESIDE_2016]
    assert attrs["type"] == "inspection"
    assert attrs["label"] == "Tameside full inspection 12 Sep 2016"  # dates as people write them
    assert attrs["grade"] == "inadequate"
    assert attrs["overall"] == "inadequate" and attrs["leadership"] == "inadequate"
    assert attrs["kind"] == "full_inspection" and attrs["framework"] == "SIF"
    assert attrs["visit_start"] == "2016-09-12" and attrs["published"] == "2016-12"
    assert "leadership: inadequate" in attrs["title"]
    # no node for judgements or evidence
    assert not any("/judgement/" in n or "/evidence/" in n for n in graph)
    visit = graph.nodes[KGID + "inspection/E08000025-monitoring_visit-2019-03"]
    assert visit["label"] == "Birmingham monitoring visit Mar 2019" and visit["grade"] == ""


def test_edges(graph):
    edge = graph.get_edge_data(TAMESIDE, TAMESIDE_2016)
    assert list(edge) == ["inspection"]
    assert edge["inspection"]["grade"] == "inadequate"
    assert edge["inspection"]["color"] == GRADE_COLOURS["inadequate"]

    brenda = _by_label(graph, "Brenda Warrington")
    role = graph.get_edge_data(brenda, TAMESIDE)["role:leader"]
    assert role["label"] == "leader" and role["role_title"] == "leader of Tameside Council"
    assert role["held_on"] == "2017-01-20" and role["sources"] == "news-tameside.txt"
    assert graph.get_edge_data(_by_label(graph, "Jane Inspector"), KGID + "org/ofsted")
    assert graph.get_edge_data(_by_label(graph, "Nadhim Minister"), KGID + "org/dfe")

    weakness = KGID + "finding/ofsted-tameside-2016/1"
    assert graph.has_edge(weakness, TAMESIDE_2016, key="about")
    assert graph.has_edge(weakness, KGID + "doc/ofsted-tameside-2016", key="derived_from")
    # a finding about no inspection hangs off its council
    assert graph.has_edge(KGID + "finding/birmingham-minutes-2019/1", BIRMINGHAM, key="about")
    # a finding whose document is known only through its evidence
    assert graph.has_edge(KGID + "finding/ofsted-tameside-2016/2",
                          KGID + "doc/ofsted-tameside-2016", key="derived_from")
    quote = KGID + "quote/news-tameside/1"
    assert graph.has_edge(quote, KGID + "person/evil", key="speaker")
    assert graph.has_edge(quote, KGID + "doc/news-tameside", key="derived_from")
    # a body can be quoted ("Ofsted said ..."); an inspection names its lead inspector
    assert graph.has_edge(KGID + "quote/ofsted-tameside-2016/1", KGID + "org/ofsted", key="speaker")
    assert graph.nodes[KGID + "org/ofsted"]["type"] == "organisation"
    assert graph.has_edge(TAMESIDE_2016, KGID + "person/jane-inspector", key="lead_inspector")
    assert graph.has_edge(TAMESIDE_2016, KGID + "doc/news-tameside", key="derived_from")
    assert graph.has_edge(TAMESIDE_2016, KGID + "doc/ofsted-tameside-2016", key="derived_from")
    assert graph.has_edge(KGID + "doc/news-tameside", TAMESIDE, key="mentions")


def test_attributes_are_plain(graph):
    for _n, attrs in graph.nodes(data=True):
        assert {"type", "label", "title"} <= set(attrs)
        assert all(type(v) in (str, int, float) for v in attrs.values()), attrs
    for _u, _v, attrs in graph.edges(data=True):
        assert all(type(v) in (str, int, float) for v in attrs.values()), attrs


def _signature(g):
    return (sorted((n, d["type"], d["label"]) for n, d in g.nodes(data=True)),
            sorted((u, v, k) for u, v, k in g.edges(keys=True)))


def test_same_graph_from_every_source_kind(dataset, graph):
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)
    union = Dataset(store=dataset.store, default_union=True)
    merged = Graph()
    for triple in union.triples((None, None, None)):
        merged.add(triple)
    want = _signature(graph)
    assert _signature(to_networkx(store)) == want
    assert _signature(to_networkx(union)) == want
    assert _signature(to_networkx(merged)) == want


def test_graphml_round_trip(dataset, graph, tmp_path):
    path = write_graphml(dataset, tmp_path / "g.graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    # node ids are XML NMTOKENs; the IRI is each node's "iri" attribute
    nmtoken = re.compile(r"^[\w.:-]+$")
    assert all(nmtoken.match(n) for n in back.nodes)
    back = nx.relabel_nodes(back, {n: d["iri"] for n, d in back.nodes(data=True)})
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    for n, attrs in graph.nodes(data=True):
        assert back.nodes[n]["type"] == attrs["type"]
        assert back.nodes[n]["label"] == attrs["label"]
    assert back.nodes[TAMESIDE_2016]["leadership"] == "inadequate"
    # Gephi drops edges whose id repeats; it reads r/g/b as a node's colour
    assert len({k for _u, _v, k in back.edges(keys=True)}) == back.number_of_edges()
    assert {d["relation"] for _u, _v, d in back.edges(data=True)} == {
        "inspection", "role", "about", "speaker", "derived_from", "mentions", "lead_inspector"}
    assert (back.nodes[TAMESIDE]["r"], back.nodes[TAMESIDE]["g"]) == (0x2b, 0x6c)
    # a control character from the source text is dropped, not written as broken XML
    assert back.nodes[KGID + "finding/ofsted-tameside-2016/2"]["text"] == \
        "Care leavers receive good support from personal advisers."


def test_gexf_round_trip(dataset, graph, tmp_path):
    path = write_gexf(dataset, tmp_path / "g.gexf")
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    for n, attrs in graph.nodes(data=True):
        assert back.nodes[n]["type"] == attrs["type"]
        assert back.nodes[n]["label"] == attrs["label"]
    assert back.nodes[TAMESIDE]["viz"]["color"]["b"] > 0


# ---------------------------------------------------------------- the page


def test_json_for_script_cannot_end_the_script():
    text = json_for_script({"a": "</script><!-- \u2028\u2029 & <b>"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028\u2029 & <b>"}


def test_fixture_renders(graph, tmp_path):
    out = render_html(graph, tmp_path / "sub" / "graph.html")
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    data = _page_data(page)
    assert len(data["nodes"]) == graph.number_of_nodes()
    assert len(data["edges"]) == graph.number_of_edges()
    assert {t["name"] for t in data["types"]} == {
        "council", "person", "organisation", "inspection", "document", "finding", "quote"}
    assert all(math.isfinite(n[3]) and math.isfinite(n[4]) for n in data["nodes"])
    assert [p.name for p in out.parent.iterdir()] == ["graph.html"]  # no temp file left


def _urls(text):
    return set(re.findall(r"https?://[^\s\"'<>()\\]+", text))


def test_page_references_nothing_remote(graph):
    page = render_page(graph)
    # nothing a browser would fetch: no src/href/url()/@import/srcset at all, no <link>
    fetching_attr = r"""\b(?:src|href|srcset|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//"""
    assert not re.search(fetching_attr, page, re.I)
    assert not re.search(r"url\(\s*[\"']?\s*(?:https?:)?//", page, re.I)
    assert "@import" not in page
    assert not re.search(r"<(?:link|iframe|img|object|embed|base)\b", page, re.I)
    # every http(s) string is a node IRI or their namespace (data) or one of vis-network's own
    # non-fetched strings (licence comment, SVG namespace, error-message links)
    assert _urls(page) <= _urls(vis_network_js()) | set(graph.nodes) | {"https://w3id.org/ofsted-kg/"}
    assert "default-src 'none'" in page


def test_hostile_labels_are_escaped(graph):
    page = render_page(graph, title='<script>alert("t")</script> & co')
    for bad in HOSTILE + ['<script>alert("t")</script>']:
        assert bad not in page
    assert page.count("</script>") == 3  # data block, vis-network, the page's own code
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; co" in page
    labels = {n[0] for n in _page_data(page)["nodes"]}
    titles = "\n".join(n[1] for n in _page_data(page)["nodes"])
    # the data round-trips exactly: escaping is only in the embedding
    assert "Tameside children's services <script>alert(1)</script> rate\u2026" in labels
    assert 'Eve "the quoter" <img src=x onerror=alert(2)>' in labels
    assert '</script><script>alert("quote")</script>' in titles


def test_focus_keeps_what_is_linked_by_meaning(graph):
    data = _page_data(render_page(graph, focus="tameside full INSPECTION 12 sep 2016", depth=1))
    labels = {n[0] for n in data["nodes"]}
    assert "Tameside full inspection 12 Sep 2016" in labels and "Tameside" in labels
    assert "Birmingham" not in labels and "Brenda Warrington" not in labels
    # its council and people, never a document, finding or quote (they link every council)
    near = {graph.nodes[n]["label"] for n in nx.all_neighbors(graph, TAMESIDE_2016)
            if graph.nodes[n]["type"] in ("council", "inspection", "person")}
    assert labels == near | {"Tameside full inspection 12 Sep 2016"}
    assert {n[2] for n in data["nodes"]} <= {"council", "inspection", "person"}
    focused = [data["nodes"][i][0] for i in data["focus"]]
    assert focused == ["Tameside full inspection 12 Sep 2016"]
    wider = _page_data(render_page(graph, focus="Tameside", depth=2))
    assert "Brenda Warrington" in {n[0] for n in wider["nodes"]}
    assert "Birmingham" not in {n[0] for n in wider["nodes"]}


def test_council_nodes_carry_their_latest_grade(graph):
    data = _page_data(render_page(graph))
    council = next(n for n in data["nodes"] if n[0] == "Tameside")
    assert council[9] and council[6] and "Latest grade: " in council[1]


def test_unknown_focus_raises(graph, tmp_path):
    with pytest.raises(UsageError) as err:
        render_html(graph, tmp_path / "g.html", focus="Nowhere")
    assert str(err.value) == "no node labelled 'Nowhere' in the graph"
    assert not (tmp_path / "g.html").exists()


def test_failed_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "graph.html"
    target.write_text("old")

    def boom(fh):
        fh.write(b"half a page")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        atomic_write(target, boom)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_layout_places_every_node_apart():
    g = nx.MultiDiGraph()
    for i in range(600):  # one component larger than the dense-layout limit, plus singletons
        g.add_edge(f"n{i}", f"n{(i * 7 + 1) % 600}")
    g.add_nodes_from(["alone1", "alone2"])
    pos = compute_layout(g)
    assert set(pos) == set(g.nodes)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    assert len(set(pos.values())) == len(pos)
    assert compute_layout(g) == pos  # deterministic


# ---------------------------------------------------------------- a real browser

SYN = Namespace(KGID)
KGO = Namespace("https://w3id.org/ofsted-kg/def#")
ORGNS = Namespace("http://www.w3.org/ns/org#")
PROVNS = Namespace("http://www.w3.org/ns/prov#")
FOAFNS = Namespace("http://xmlns.com/foaf/0.1/")
SDONS = Namespace("https://schema.org/")
CODE = Namespace("https://w3id.org/ofsted-kg/code/")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


def synthetic_dataset(seed: int = 5) -> Dataset:
    """A build-shaped dataset with exactly 5,000 network nodes."""
    rnd = random.Random(seed)
    ds = Dataset()
    onto = ds.graph(URIRef(KGID + "graph/ontology"))
    for scheme, codes in {"kind": ["full_inspection", "monitoring_visit", "focused_visit"],
                          "framework": ["SIF", "ILACS"],
                          "area": ["overall", "leadership"],
                          "grade": ["outstanding", "good", "requires_improvement", "inadequate"],
                          "role": ["leader", "director_childrens_services", "minister"],
                          "polarity": ["strength", "weakness"]}.items():
        for code in codes:
            c = CODE[f"{scheme}/{code}"]
            onto.add((c, RDF.type, SKOS.Concept))
            onto.add((c, SKOS.notation, Literal(code)))
            onto.add((c, SKOS.prefLabel, Literal(code.replace("_", " "), lang="en")))
    ref = ds.graph(URIRef(KGID + "graph/reference"))
    councils = [SYN[f"council/E0{i:07d}"] for i in range(150)]
    for i, c in enumerate(councils):
        ref.add((c, RDF.type, KGO.Council))
        ref.add((c, SKOS.prefLabel, Literal(f"Council {i}", lang="en")))
    orgs = [SYN[f"org/o{i}"] for i in range(5)]
    for i, o in enumerate(orgs):
        ref.add((o, RDF.type, ORGNS.Organization))
        ref.add((o, SKOS.prefLabel, Literal(f"Body {i}", lang="en")))

    docs, doc_council = [], {}
    for i in range(1000):
        d = SYN[f"doc/d{i}"]
        g = ds.graph(URIRef(KGID + f"graph/doc/d{i}"))
        home = rnd.randrange(150)
        g.add((d, RDF.type, KGO.SourceDocument))
        g.add((d, KGO.sourceId, Literal(f"d{i}.txt")))
        g.add((d, SDONS.name, Literal(f"Article {i} about council {home}")))
        g.add((d, KGO.documentKind, Literal(rnd.choice(["news", "minutes", "report"]))))
        for c in {home, (home + rnd.choice([0, 1, 2])) % 150}:  # neighbours: some structure
            g.add((d, KGO.mentions, councils[c]))
        docs.append((d, g))
        doc_council[i] = home

    by_council: dict[int, list] = {}
    for i, home in doc_council.items():
        by_council.setdefault(home, []).append(i)

    def doc_for(council_index):
        near = by_council.get(council_index)
        return docs[rnd.choice(near) if near else rnd.randrange(1000)]

    inspections = []
    for i in range(750):
        ci = i % 150
        d, g = doc_for(ci)
        insp = SYN[f"inspection/i{i}"]
        g.add((insp, RDF.type, KGO.Inspection))
        g.add((insp, KGO.council, councils[ci]))
        g.add((insp, KGO.inspectionKind, CODE[f"kind/{rnd.choice(['full_inspection', 'monitoring_visit'])}"]))
        g.add((insp, KGO.framework, CODE["framework/ILACS"]))
        g.add((insp, KGO.visitStart, Literal(f"{2010 + i % 14}-0{1 + i % 9}-1{i % 10}", datatype=XSD_DATE)))
        j = SYN[f"judgement/i{i}"]
        g.add((insp, KGO.judgement, j))
        g.add((j, KGO.area, CODE["area/overall"]))
        grade = rnd.choice(["outstanding", "good", "requires_improvement", "inadequate"])
        g.add((j, KGO.grade, CODE[f"grade/{grade}"]))
        g.add((j, PROVNS.wasDerivedFrom, d))
        g.add((insp, PROVNS.wasDerivedFrom, d))
        inspections.append((insp, ci))
    people = []
    for i in range(600):
        p = SYN[f"person/p{i}"]
        ci = rnd.randrange(150)
        d, g = doc_for(ci)
        g.add((p, RDF.type, FOAFNS.Person))
        g.add((p, FOAFNS.name, Literal(f"Person {i} <i>{i}</i>")))
        m = SYN[f"membership/p{i}"]
        g.add((m, RDF.type, ORGNS.Membership))
        g.add((m, ORGNS.member, p))
        to_org = i % 20 == 0
        g.add((m, ORGNS.organization, orgs[(i // 20) % 5] if to_org else councils[ci]))
        role = "minister" if to_org else rnd.choice(["leader", "director_childrens_services"])
        g.add((m, ORGNS.role, CODE[f"role/{role}"]))
        g.add((m, PROVNS.wasDerivedFrom, d))
        people.append((p, ci))
    for i in range(1750):
        insp, ci = inspections[rnd.randrange(750)]
        d, g = doc_for(ci)
        f = SYN[f"finding/f{i}"]
        g.add((f, RDF.type, KGO.Finding))
        g.add((f, KGO.council, councils[ci]))
        g.add((f, KGO.aboutInspection, insp))
        g.add((f, KGO.polarity, CODE[f"polarity/{rnd.choice(['strength', 'weakness'])}"]))
        g.add((f, KGO.text, Literal(f"Finding {i}: children's plans are </script> 'mostly' good.")))
        g.add((f, PROVNS.wasDerivedFrom, d))
    for i in range(745):
        p, ci = people[rnd.randrange(600)]
        d, g = doc_for(ci)
        q = SYN[f"quote/q{i}"]
        g.add((q, RDF.type, KGO.Quote))
        g.add((q, KGO.speaker, p))
        g.add((q, KGO.text, Literal(f"Quote {i}: we \"will\" improve")))
        g.add((q, PROVNS.wasDerivedFrom, d))
    return ds


def _require_browser():
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        pytest.fail("Playwright's Python package is missing: run `.venv/bin/pip install playwright` "
                    "(do not run `playwright install`; the tests use Debian's chromium)", pytrace=False)
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no chromium at {CHROMIUM}: run `apt-get update && apt-get install -y chromium` "
                    "(or set KG_CHROMIUM to a Chromium binary)", pytrace=False)


class Visit:
    """A page opened in chromium, recording every request, console message, error and dialog."""

    def __init__(self, pw, path: Path):
        self.browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.context = self.browser.new_context(viewport={"width": 1400, "height": 900})
        self.requests, self.blocked, self.console, self.errors, self.dialogs = [], [], [], [], []

        def route(r):
            url = r.request.url
            if url.startswith(("file:", "data:")):
                r.continue_()
            else:
                self.blocked.append(url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.on("console", lambda msg: self.console.append((msg.type, msg.text)))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        start = time.perf_counter()
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.kgDrawnAt !== undefined", timeout=60_000)
        self.load_seconds = time.perf_counter() - start

    def check_clean(self):
        assert not self.errors, self.errors
        assert not self.dialogs, f"script injected: {self.dialogs}"
        assert [c for c in self.console if c[0] == "error"] == []
        assert not self.blocked, f"requests left the file: {self.blocked}"
        assert all(u.startswith(("file:", "data:")) for u in self.requests), self.requests

    def drawn_pixels(self) -> int:
        return self.page.evaluate("""() => {
            const c = document.querySelector('#kg-network canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 0; i < d.length; i += 4)
                if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) n++;
            return n; }""")

    def close(self):
        self.browser.close()


@contextlib.contextmanager
def _playwright():
    _require_browser()  # inside the test, so a missing browser is a failure, not an error
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


def test_browser_fixture_page(graph, tmp_path):
    out = render_html(graph, tmp_path / "graph.html", title='kg <script>alert("t")</script>')
    with _playwright() as pw:
        _check_fixture_page(Visit(pw, out))


def _check_fixture_page(visit):
    try:
        page = visit.page
        assert visit.drawn_pixels() > 500, "the network canvas is blank"
        assert page.evaluate("document.querySelectorAll('script').length") == 3
        assert page.evaluate("document.querySelectorAll('img, iframe, link').length") == 0
        assert page.title() == 'kg <script>alert("t")</script>'

        # the tooltip shows hostile text as text
        evil = page.evaluate("""() => { const ns = window.kgNodes.get();
            return ns.find(n => n.label.startsWith('Eve ')).id; }""")
        page.evaluate(f"window.kgNetwork.focus({evil}, {{scale: 1.5, animation: false}})")
        xy = page.evaluate(f"""() => {{ const n = window.kgNetwork;
            const p = n.canvasToDOM(n.getPositions([{evil}])[{evil}]);
            const r = document.querySelector('#kg-network').getBoundingClientRect();
            return [p.x + r.left, p.y + r.top]; }}""")
        page.mouse.move(xy[0] - 30, xy[1] - 30)
        page.mouse.move(xy[0], xy[1], steps=5)
        page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
        tip = page.eval_on_selector("div.vis-tooltip", "e => [e.textContent, e.innerHTML]")
        assert tip[0].startswith('Person: Eve "the quoter" <img src=x onerror=alert(2)>')
        assert "&lt;img src=x onerror=alert(2)&gt;" in tip[1]

        # search finds and selects a node by label
        page.fill("#kg-search", "brenda")
        page.press("#kg-search", "Enter")
        assert page.text_content("#kg-status") == "1 of 1: Brenda Warrington"
        selected = page.evaluate("window.kgNetwork.getSelectedNodes().map(i => window.kgNodes.get(i).label)")
        assert selected == ["Brenda Warrington"]
        assert "https://w3id.org/ofsted-kg/id/person/brenda-warrington" in page.text_content("#kg-details")
        page.fill("#kg-search", "no such thing")
        page.press("#kg-search", "Enter")
        assert page.text_content("#kg-status").startswith("no node matches")

        # findings, quotes and documents start hidden; the type filter shows and hides them
        hidden = "window.kgNodes.get({filter: n => n.hidden === true}).length"
        assert page.evaluate(hidden) == 9
        assert page.evaluate("window.kgNodes.get({filter: n => !n.hidden && n.group === 'finding'}).length") == 0
        page.check('input[data-type="finding"]')
        assert page.evaluate(hidden) == 6
        page.uncheck('input[data-type="finding"]')
        assert page.evaluate(hidden) == 9
        # the year range and the grade hide inspections (and councils by latest grade)
        page.fill("#kg-from", "2017")
        assert page.evaluate("window.kgNodes.get({filter: n => !n.hidden && n.group === 'inspection'})"
                             ".every(n => !/20(0|1[0-6])/.test(n.label))")
        page.fill("#kg-from", "")
        page.select_option("#kg-grade", "inadequate")
        shown = page.evaluate("window.kgNodes.get({filter: n => !n.hidden && n.group === 'council'}).map(n => n.label)")
        assert "Tameside" in shown and "Birmingham" not in shown
        page.select_option("#kg-grade", "")
        visit.check_clean()
    finally:
        visit.close()


def test_browser_5000_nodes(tmp_path):
    with _playwright() as pw:
        _check_big_page(pw, tmp_path)


def _check_big_page(pw, tmp_path):
    t0 = time.perf_counter()
    g = to_networkx(synthetic_dataset())
    t1 = time.perf_counter()
    assert g.number_of_nodes() == 5000
    out = render_html(g, tmp_path / "big.html")
    t2 = time.perf_counter()
    visit = Visit(pw, out)
    try:
        page = visit.page
        in_page_ms = page.evaluate("window.kgDrawnAt")
        print(f"\n5,000 nodes / {g.number_of_edges()} edges: to_networkx {t1 - t0:.2f} s, "
              f"layout+render {t2 - t1:.2f} s, browser load to first draw {visit.load_seconds:.2f} s "
              f"(navigation start to first draw in page: {in_page_ms / 1000:.2f} s)")
        assert page.evaluate("window.kgNodes.length") == 5000
        assert visit.drawn_pixels() > 5000, "the network canvas is blank"
        redraw_ms = page.evaluate("() => { const t = performance.now(); window.kgNetwork.redraw(); "
                                  "return performance.now() - t; }")
        print(f"one redraw of 5,000 nodes: {redraw_ms:.0f} ms")
        page.fill("#kg-search", "Council 42")
        page.press("#kg-search", "Enter")
        assert page.text_content("#kg-status").endswith(": Council 42")
        visit.check_clean()
    finally:
        visit.close()


def test_cap_keeps_councils_and_inspections_first():
    import networkx as nx

    from kg.viz import cap_nodes

    g = nx.MultiDiGraph()
    for i in range(50):
        g.add_node(f"f{i}", type="finding", label=f"finding {i}")
    for i in range(5):
        g.add_node(f"c{i}", type="council", label=f"council {i}")
        g.add_node(f"i{i}", type="inspection", label=f"inspection {i}")
        g.add_edge(f"c{i}", f"i{i}")
    capped = cap_nodes(g, 12)
    types = [d["type"] for _, d in capped.nodes(data=True)]
    assert capped.number_of_nodes() == 12
    assert types.count("council") == 5 and types.count("inspection") == 5 and types.count("finding") == 2
    assert cap_nodes(g, 100) is g


def test_browser_seeds_build_page(seeds_build):
    """The graph.html a real build of the seeds writes: drawn, clean, offline."""
    out, _ = seeds_build
    with _playwright() as pw:
        visit = Visit(pw, out / "graph.html")
        try:
            assert visit.drawn_pixels() > 500, "the network canvas is blank"
            labels = visit.page.evaluate("window.kgNodes.get().map(n => n.label)")
            assert "Tameside" in labels and "Kieran Quinn" in labels
            visit.check_clean()
        finally:
            visit.close()


def test_the_view_is_laid_out_again_only_when_its_nodes_or_edges_change(graph, tmp_path, monkeypatch):
    """A build keeps its layout beside its chunks; the next one reuses it when the drawn nodes
    and edges are the same (a label or a grade changed) and draws the same page as without it."""
    import kg.viz.layout as layout

    laid = []
    real = layout.compute_layout
    monkeypatch.setattr(layout, "compute_layout", lambda g, **k: laid.append(1) or real(g, **k))

    def layouts_computed_by(render):
        before = len(laid)
        render()
        return len(laid) - before

    first, second, third = tmp_path / "1.json", tmp_path / "2.json", tmp_path / "3.json"
    assert layouts_computed_by(lambda: render_html(graph, tmp_path / "a.html", layouts=(None, first))) == 1
    assert first.is_file()
    relabelled = graph.copy()
    relabelled.nodes[TAMESIDE]["label"] = "Tameside (renamed)"
    relabelled.nodes[TAMESIDE_2016]["grade"] = "good"
    # the same nodes and edges: the last layout
    assert layouts_computed_by(lambda: render_html(relabelled, tmp_path / "b.html", layouts=(first, second))) == 0
    assert (tmp_path / "b.html").read_text(encoding="utf-8") == render_page(relabelled, title="kg network")
    grown = relabelled.copy()
    grown.add_edge(TAMESIDE, BIRMINGHAM, key="x", relation="x")
    assert layouts_computed_by(lambda: render_html(grown, tmp_path / "c.html", layouts=(second, third))) == 1
    assert (tmp_path / "c.html").read_text(encoding="utf-8") == render_page(grown, title="kg network")
    assert json.loads(third.read_text())["key"] != json.loads(second.read_text())["key"]
