"""The analyst's pages served by ``kg serve``, in Debian's chromium through Playwright.

A build of the seed documents, one Ofsted report (Tameside, 2024) and the bundled
statistics.  Every page type renders offline with no console error; screenshots of
each go to ``test-artifacts/screenshots/`` (``KG_ARTIFACTS`` overrides the folder).
"""
from __future__ import annotations

import os
import shutil
import urllib.parse
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from conftest import REPO
from test_server import TAMESIDE, browser, http, running

ARTIFACTS = Path(os.environ.get("KG_ARTIFACTS", REPO / "test-artifacts")) / "screenshots"
REPORT = "tameside-2024-02-13"


@pytest.fixture(scope="module")
def report_build(tmp_path_factory, corpus):
    from kg.build import build
    from kg.config import Config
    from kg.imports import import_outcomes

    src = tmp_path_factory.mktemp("src")
    for p in (corpus / "seeds").glob("*.txt"):
        shutil.copy(p, src)
    for suffix in (".pdf", ".meta.json"):
        shutil.copy(corpus / "reports" / (REPORT + suffix), src)
    out = tmp_path_factory.mktemp("report") / "out"
    build(Config().with_(sources=(str(src),), out=out))
    import_outcomes(REPO / Config().outcomes[0], out)
    return out


@pytest.fixture(scope="module")
def base(report_build):
    with running(report_build) as url:
        yield url.rstrip("/")


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-top.png"))  # the first screenful, as a reader sees it


def test_council_page(base):
    with browser(base) as b:
        page = b.page
        page.goto(base + "/id/council/E08000008")
        assert page.locator("h1").inner_text() == "Tameside"
        text = page.locator("main").inner_text()
        assert "E08000008" in text and "357" in text  # GSS code and DfE number
        rows = page.locator("table.inspections tbody tr")
        dates = rows.locator("td:first-child").all_inner_texts()
        assert any(d.endswith("2016") for d in dates)
        assert any("2019" in d for d in dates) and any("2023" in d for d in dates)
        row2016 = rows.filter(has_text="2016").first.inner_text()
        assert "Inadequate" in row2016
        assert page.locator("svg.chart circle").count() >= 5
        people = page.locator("#people ~ table").first.inner_text()
        assert "Peter Robinson" in people or "Bill Fairfoull" in people
        assert page.locator(".evidence").count() > 0
        findings = "\n".join(page.locator("#findings-list ul").all_inner_texts())
        assert f"{REPORT}.pdf, page " in findings or "children's services inspection report, page " in findings
        # an area shown is a judgement area, never another code's label
        areas = set(page.locator("#findings-list h4").all_inner_texts())
        assert areas and all(a.startswith(("experiences", "impact", "overall", "no area", "help", "leadership"))
                             or "care" in a for a in areas), areas
        # one judgement area across every inspection: only its findings stay shown
        page.select_option("#f-area", "care_leavers")
        shown = page.locator("#findings-list li:visible")
        assert shown.count() > 0
        assert set(shown.evaluate_all("ls => ls.map(l => l.dataset.area)")) == {"care_leavers"}
        assert set(page.locator("#findings-list h4:visible").all_inner_texts()) == {"experiences and progress of care leavers"}
        page.select_option("#f-area", "")
        # its network inline: the council, its inspections and people, each a link to its page
        nodes = page.locator("svg.network a")
        assert 5 < nodes.count() < 100
        links = nodes.evaluate_all("as => as.map(a => a.getAttribute('href'))")
        assert "/id/council/E08000008" in links and all(h.startswith("/id/") for h in links)
        assert any(h.startswith("/id/inspection/") for h in links) and any(h.startswith("/id/person/") for h in links)
        shot(page, "council-tameside")
        b.check_clean()


def test_person_inspection_document_pages(base):
    with browser(base) as b:
        page = b.page
        page.goto(base + "/id/council/E08000008")
        page.locator("#people ~ table a").first.click()
        page.wait_for_load_state("load")
        assert "/id/person/" in page.url and page.locator("h1").inner_text()
        assert page.locator("text=Roles").count() == 1
        shot(page, "person")
        page.goto(base + "/id/council/E08000008")
        page.locator("table.inspections a", has_text="2023").first.click()
        page.wait_for_load_state("load")
        assert "/id/inspection/" in page.url
        assert page.locator("table.judgements tr", has_text="Inadequate").count() >= 1
        assert "Tameside" in page.locator("h1").inner_text()
        shot(page, "inspection")
        page.goto(base + f"/id/doc/{REPORT}.pdf")
        assert page.locator("h1").inner_text()
        assert page.locator("main").inner_text().count("page ") >= 1
        shot(page, "document")
        b.check_clean()


def test_home_search_and_table(base):
    with browser(base) as b:
        page = b.page
        page.goto(base + "/")
        rows = page.locator("#councils tbody tr:not([hidden])")
        assert rows.count() == 153
        page.select_option("#f-grade", "inadequate")
        n_inadequate = rows.count()
        assert 0 < n_inadequate < 153
        assert set(rows.locator("td:nth-child(3)").all_inner_texts()) == {"Inadequate"}
        page.select_option("#f-grade", "")
        page.select_option("#f-region", "North West")
        assert 0 < rows.count() < 153 and "Tameside" in page.locator("#councils").inner_text()
        page.click("th[data-sort=date]")
        # how grades moved: good to inadequate since 2018, with who led the council then
        changes = page.locator("#changes-table tbody tr:not([hidden])")
        page.select_option("#c-from", "good")
        page.select_option("#c-to", "inadequate")
        assert changes.count() > 0
        assert {(r.get_attribute("data-from"), r.get_attribute("data-to")) for r in changes.all()} == {("good", "inadequate")}
        assert all(int(r.get_attribute("data-year")) >= 2018 for r in changes.all())
        assert changes.locator("td:nth-child(4) a[href^='/id/person/']").count() > 0
        page.fill("#search", "tameside 2023")
        hit = page.locator("#hits a").first
        assert "Tameside" in hit.inner_text()
        shot(page, "home")
        hit.click()
        page.wait_for_load_state("load")
        assert "/id/inspection/" in page.url
        b.check_clean()


def test_every_page_carries_a_csp(base):
    for path in ("/", "/query", "/id/council/E08000008", f"/id/doc/{REPORT}.pdf", "/code/grade/good"):
        req = __import__("urllib.request").request.Request(base + path)
        with __import__("urllib.request").request.urlopen(req) as r:
            csp = r.headers["Content-Security-Policy"]
            assert "default-src 'none'" in csp and "connect-src" not in csp or path == "/query"


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                         ("application/n-triples", "nt")])
def test_id_content_negotiation_equals_the_nodes_triples(base, accept, fmt):
    from kg.store import open_store

    status, ctype, body = http(base, "/id/council/E08000008", headers={"Accept": accept})
    assert status == 200 and ctype.startswith(accept)
    got = Graph().parse(data=body, format=fmt)
    assert len(got) > 5


def test_id_rdf_is_the_stores_triples(base, report_build):
    from rdflib.compare import isomorphic

    from kg.query import run_query

    for path in ("/id/council/E08000008", f"/id/doc/{REPORT}.pdf"):
        iri = "https://w3id.org/ofsted-kg" + path
        status, _, body = http(base, path, headers={"Accept": "application/n-triples"})
        assert status == 200
        got = Graph().parse(data=body, format="nt")
        columns, rows = run_query(report_build, f"SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
        assert len(got) == len(rows) > 0
        assert {(str(p), str(o)) for s, p, o in got} == {(p, o) for p, o in rows}
        assert all(s == URIRef(iri) for s in got.subjects())
    assert http(base, "/id/council/E08000008?format=jsonld")[1].startswith("application/ld+json")
    assert http(base, "/id/council/E08000008", headers={"Accept": "text/html"})[1].startswith("text/html")
    assert http(base, "/id/council/NOPE")[0] == 404
    assert http(base, "/id/council/E08000008", headers={"Accept": "image/png"})[0] == 406


def test_old_explorer_links_go_to_the_runner(base):
    status, _, page = http(base, "/?" + urllib.parse.urlencode({"query": "ASK {}"}))
    assert status == 200 and 'id="query"' in page


def test_runner_applies_parameters_on_first_run_and_on_enter(base):
    with browser(base) as b:
        page = b.page
        for how in ("run", "enter"):
            page.goto(base + "/query")
            page.wait_for_function("() => document.getElementById('query').value.includes('SELECT')")
            page.select_option("#named", "timeline")
            page.wait_for_selector("#param-council")
            page.fill("#param-council", "Middlesbrough")  # typed, no change event yet
            if how == "run":
                page.click("#run")
            else:
                page.press("#param-council", "Enter")
            page.wait_for_function("() => document.getElementById('status').textContent.includes('rows')")
            councils = page.locator("#results tbody tr td:first-child").all_inner_texts()
            assert councils and set(councils) == {"Middlesbrough"}, how
        # IRIs show as labels linking to their pages; the table sorts and filters
        page.fill("#query", "SELECT ?c ?name WHERE { ?c a kgo:Council ; skos:prefLabel ?name } ORDER BY ?name")
        page.click("#run")
        page.wait_for_selector("#results a[href='/id/council/E08000008'] .label")
        assert page.locator("#results a[href='/id/council/E08000008'] .label").inner_text() == "Tameside"
        page.click("#results th:nth-child(2)")
        page.click("#results th:nth-child(2)")  # descending
        assert page.locator("#results tbody tr td:nth-child(2)").first.inner_text() > "Tameside"
        page.fill("#filter", "tameside")
        assert page.locator("#results tbody tr:not([hidden])").count() == 1
        hrefs = page.locator("#downloads a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
        assert {h.rsplit("=", 1)[1] for h in hrefs} == {"csv", "tsv", "json", "xml"}
        shot(page, "query-runner")
        b.check_clean()
        # (Chromium logs the 400 below as a console error, so the page was checked before it)
        # a parser error names its line and column and puts the cursor there
        page.fill("#query", "SELECT ?x WHERE {\n  ?x ?y \n}")
        page.click("#run")
        page.wait_for_function("() => document.getElementById('error').textContent.includes('line')")
        assert page.locator("#error").inner_text().startswith("line 3, column")
        assert page.evaluate("document.activeElement.id") == "query"


def test_network_views(base, report_build):
    with browser(base) as b:
        page = b.page
        page.goto(base + "/graph.html")
        page.wait_for_selector("body[data-ready='1']")
        visible = "window.kgNodes.get({filter: n => !n.hidden}).map(n => n.group)"
        shown = page.evaluate(visible)
        assert shown and "finding" not in shown and "quote" not in shown and "document" not in shown
        shot(page, "network")
        # the council page's network: the council by meaning, under 100 nodes, no documents
        page.goto(base + "/id/council/E08000008")
        page.click("text=Network around Tameside >> nth=0")
        page.wait_for_selector("body[data-ready='1']")
        groups = page.evaluate("window.kgNodes.get().map(n => n.group)")
        assert 1 < len(groups) < 100 and set(groups) <= {"council", "inspection", "person"}
        labels = page.evaluate("window.kgNodes.get().map(n => n.label)")
        assert "Tameside" in labels and not any("--" in label for label in labels)
        page.evaluate("window.kgSearch('Tameside')")
        assert "Latest grade: inadequate (4 Dec 2023)" in page.text_content("#kg-details")
        # the details panel lists what the council's page lists: its inspections and people,
        # each selecting its node
        panel = page.text_content("#kg-details")
        assert "Inspections and visits (" in panel and "People (" in panel
        page.click("#kg-details li a >> nth=0")
        chosen = page.evaluate("window.kgNetwork.getSelectedNodes().map(i => window.kgNodes.get(i).group)")
        assert chosen == ["inspection"] and "Councils (1)" in page.text_content("#kg-details")
        page.click("#kg-details li a >> text=Tameside")  # back to the council, through the panel
        assert "Latest grade: inadequate (4 Dec 2023)" in page.text_content("#kg-details")
        shot(page, "network-details")
        page.click("#kg-details a")
        page.wait_for_load_state("load")
        assert page.url.endswith("/id/council/E08000008")
        page.go_back()
        page.wait_for_selector("body[data-ready='1']")
        shot(page, "network-tameside")
        b.check_clean()
    assert http(base, "/network?focus=Atlantis")[0] == 404


def test_named_query_parameters_and_one_row_per_fact(report_build):
    from conftest import rows

    tl = rows(report_build, "timeline", council="Tameside")
    facts = [(r["inspection"], r["area"], r["grade"]) for r in tl]
    assert len(facts) == len(set(facts))  # one row per fact
    inadequate_2016 = [r for r in tl if (r["date"] or "").startswith("2016") and r["area"] == "overall"]
    assert len(inadequate_2016) == 1 and inadequate_2016[0]["grade"] == "inadequate"
    assert len(inadequate_2016[0]["sources"].split("; ")) >= 2
    assert inadequate_2016[0]["source"] == min(inadequate_2016[0]["sources"].split("; "))
    assert len(rows(report_build, "timeline", council="Tameside", per_source="yes")) > len(tl)
    picked = rows(report_build, "timeline", council="Tameside", **{"from": "2019", "to": "2023"}, area="overall")
    assert picked and all("2019" <= (r["date"] or "")[:4] <= "2023" and r["area"] == "overall" for r in picked)
    judged = rows(report_build, "judgements", council="tameside", grade="inadequate", **{"from": "2023"})
    assert judged and {(r["council"], r["grade"]) for r in judged} == {("Tameside", "inadequate")}
    assert all((r["visit_start"] or r["published"] or "") >= "2023" for r in judged)
    care = rows(report_build, "findings", council="Tameside", area="care_leavers")
    assert care and all(r["area"] == "care_leavers" and r["council"] == "Tameside" for r in care)
    weak = rows(report_build, "findings", council="Tameside", polarity="weakness")
    assert weak and {r["polarity"] for r in weak} == {"weakness"}


def test_page_index_is_written_with_the_build_and_equals_the_store(report_build):
    """The index the build writes beside the store is what the store gives now (never stale)."""
    import json

    from kg.server.index import compute, read_index, store_rows
    from kg.store import open_store

    index = read_index(report_build)
    assert index is not None
    tameside_2016 = [i for iri, i in index["inspections"].items() if "E08000008-full_inspection-2016" in iri]
    assert tameside_2016 and tameside_2016[0]["overall"] == "inadequate"
    assert {n["type"] for n in index["network"]["nodes"]} == {"council", "inspection", "person"}
    store = open_store(report_build)
    try:
        fresh = json.loads(json.dumps(compute(store_rows(store), store)))
    finally:
        del store
    assert fresh == index


def test_page_index_reads_agree_with_one_join_of_the_facts(report_build):
    """The index reads inspections and memberships in narrow parts joined in Python; one
    SPARQL join of all their facts (the plain way, far slower on a big build) gives the same."""
    from collections import defaultdict

    from kg.server.index import store_rows
    from kg.server.pages import ID, Pages
    from kg.store import open_store

    store = open_store(report_build)
    try:
        rows = store_rows(store)
        pages = Pages(rows=rows, index={})
        inspections = pages.judgements()
        memberships = pages.membership_rows("")
        joined = rows(f"""
SELECT ?i ?council ?cname ?kind ?best ?vs ?ve ?pub ?doc ?source ?dkind ?area ?grade WHERE {{
  GRAPH ?g {{ ?i a kgo:Inspection ; kgo:council ?council ; kgo:reportedIn ?doc . ?doc kgo:sourceId ?source .
             OPTIONAL {{ ?doc kgo:documentKind ?dkind }} }}
  ?council skos:prefLabel ?cname .
  OPTIONAL {{ ?i kgo:inspectionKind ?k . ?k skos:notation ?kind ; skos:prefLabel ?kindLabel }}
  OPTIONAL {{ GRAPH <{ID}graph/resolved> {{ ?i kgo:inspectionDate ?best }} }}
  OPTIONAL {{ GRAPH ?g {{ ?i kgo:visitStart ?vs }} }}
  OPTIONAL {{ GRAPH ?g {{ ?i kgo:visitEnd ?ve }} }}
  OPTIONAL {{ GRAPH ?g {{ ?i kgo:published ?pub }} }}
  OPTIONAL {{ GRAPH ?g {{ ?i kgo:judgement ?j . ?j kgo:area ?a ; kgo:grade ?gr }}
             ?a skos:notation ?area ; skos:prefLabel ?areaLabel . ?gr skos:notation ?grade }}
}}""")
        member_join = rows("""
SELECT DISTINCT ?m ?p ?name ?c ?cname ?role ?roleLabel ?title ?held ?hf ?hu ?ku ?doc ?source ?dkind WHERE {
  ?m a org:Membership ; org:member ?p ; org:organization ?c ; prov:wasDerivedFrom ?doc . ?doc kgo:sourceId ?source .
  ?p foaf:name ?name .
  OPTIONAL { ?c skos:prefLabel ?cname } OPTIONAL { ?doc kgo:documentKind ?dkind } OPTIONAL { ?m kgo:roleTitle ?title }
  OPTIONAL { ?m kgo:heldOn ?held } OPTIONAL { ?m kgo:heldFrom ?hf } OPTIONAL { ?m kgo:heldUntil ?hu }
  OPTIONAL { ?m kgo:knownUntil ?ku }
  OPTIONAL { ?m org:role ?r . ?r skos:notation ?role ; skos:prefLabel ?roleLabel }
}""")
    finally:
        del store
    expect = defaultdict(lambda: defaultdict(set))
    for r in joined:
        e = expect[r["i"]]
        e["council"].add((r["council"], r["cname"]))
        e["kind"].add(r.get("kind", ""))
        e["dates"] |= {r[k] for k in ("best", "vs") if r.get(k)}
        e["end"].add(r.get("ve", ""))
        e["published"].add(r.get("pub", ""))
        e["sources"].add((r["source"], r.get("dkind", "")))
        if r.get("area"):
            e["grades"].add((r["area"], r["grade"], r["source"]))
    assert len(expect) > 30 and set(inspections) == set(expect)
    for iri, i in inspections.items():
        e = expect[iri]
        assert (i["council"], i["council_name"]) in e["council"] and i["kind"] in e["kind"]
        assert i["date"] in e["dates"] | {""} and bool(i["date"]) == bool(e["dates"])
        assert (i["end"], i["published"]) == (max(e["end"]), max(e["published"]))
        assert {(s["source"], s["kind"]) for s in i["sources"]} == e["sources"]
        assert {(j["area"], j["grade"], s["source"]) for j in i["judgements"] for s in j["sources"]} == e["grades"]
        overall = [j for j in i["judgements"] if j["area"] == "overall"]
        assert i["overall"] == (overall[0]["grade"] if overall else "")
        assert not overall or overall[0]["record"] or not any(j["record"] for j in overall)
    assert any(i["judgements"] for i in inspections.values())
    assert len(member_join) > 10
    assert sorted(map(sorted, (r.items() for r in memberships))) == sorted(map(sorted, (r.items() for r in member_join)))


def test_a_build_without_a_page_index_is_served_the_same(report_build, tmp_path):
    """A build from before the index (or one whose index is of another format): the server
    computes it once from the store, and the pages say the same."""
    import os
    import re

    from kg.server.index import INDEX_FILE

    copy = tmp_path / "old"
    shutil.copytree(os.path.realpath(report_build), copy)
    (copy / INDEX_FILE).unlink()

    def main_of(page):  # the pages' text, whichever build (and server) drew them
        return re.sub(r"\s+", " ", page.split("<main>", 1)[1].split("</main>", 1)[0])

    with running(report_build) as with_index, running(copy) as without:
        for path in ("/", "/id/council/E08000008", "/id/inspection/E08000008-full_inspection-2023-12-04",
                     "/network?focus=Tameside"):
            a, b = http(with_index, path), http(without, path)
            assert a[0] == b[0] == 200, path
            if path.startswith("/network"):
                assert "Tameside" in b[2]
            else:
                assert main_of(a[2]) == main_of(b[2]), path
    assert not (copy / INDEX_FILE).exists()  # the server never writes into a build


def test_quotes_read_in_three_steps_equal_the_one_join(report_build):
    """``Pages.quotes`` reads documents, then their quotes, then the quotes' facts (one join
    took seconds a council on a big build); for every council, speaker and document of the
    build it gives what the one join gives."""
    from kg.server.index import store_rows
    from kg.server.pages import ID, Pages, href
    from kg.store import open_store

    def one_join(where):
        return [{"iri": r["q"], "text": r["text"], "speaker": r.get("speakerName", ""),
                 "speaker_href": href(r["speaker"]) if r.get("speaker", "").startswith(ID + "person/") else "",
                 "doc": {"iri": r["doc"], "href": href(r["doc"]), "source": r["source"]}} for r in rows(f"""
SELECT DISTINCT ?q ?text ?speaker ?speakerName ?doc ?source WHERE {{
  {where}
  GRAPH ?g {{ ?q a kgo:Quote ; kgo:text ?text ; prov:wasDerivedFrom ?doc . ?doc kgo:sourceId ?source .
             OPTIONAL {{ ?q kgo:speaker ?speaker }} OPTIONAL {{ ?q kgo:speakerName ?speakerName }} }}
}} ORDER BY ?source ?text""")]

    store = open_store(report_build)
    try:
        rows = store_rows(store)
        pages = Pages(rows=rows, index={})
        councils = [r["c"] for r in rows("SELECT DISTINCT ?c WHERE { ?d kgo:mentions ?c . ?c a kgo:Council }")]
        speakers = [r["s"] for r in rows("SELECT DISTINCT ?s WHERE { ?q a kgo:Quote ; kgo:speaker ?s }")]
        docs = [r["d"] for r in rows("SELECT DISTINCT ?d WHERE { ?q a kgo:Quote ; prov:wasDerivedFrom ?d }")]
        wheres = ([f"?doc kgo:mentions <{c}> ." for c in councils] + [f"?q kgo:speaker <{s}> ." for s in speakers]
                  + [f"BIND(<{d}> AS ?doc)" for d in docs])
        seen = 0
        for where in wheres:
            new, old = pages.quotes(where), one_join(where)
            # the one join orders by source and text only; ties come in any order
            assert [(q["doc"]["source"], q["text"]) for q in new] == [(q["doc"]["source"], q["text"]) for q in old], where
            assert sorted(map(repr, new)) == sorted(map(repr, old)), where
            seen += len(new)
        assert len(councils) > 5 and speakers and docs and seen > 20
        # a speaker who is a person links to their page
        assert any(q["speaker_href"].startswith("/id/person/") for w in wheres[:len(councils)] for q in pages.quotes(w))
    finally:
        del store


def test_a_focus_on_any_other_node_reads_only_around_it(report_build):
    """``/network?focus=`` on a document, organisation, finding or quote reads the store
    around that node (not the whole network) and draws what the whole network would."""
    import random

    from kg.errors import UsageError
    from kg.server.index import network_graph, read_index
    from kg.viz.network import _Facts, focus_network, to_networkx
    from kg.viz.render import focus_subgraph

    meaning = network_graph(read_index(report_build)["network"])
    store = open_store_of(report_build)
    try:
        whole = to_networkx(store)
        by_type = {}
        for n, attrs in whole.nodes(data=True):
            if attrs["type"] not in ("council", "inspection", "person"):
                by_type.setdefault(attrs["type"], []).append(attrs["label"])
        assert {"document", "organisation", "finding", "quote"} <= set(by_type)
        labels = [label for kind in sorted(by_type) for label in random.Random(7).sample(sorted(by_type[kind]),
                                                                                         min(6, len(by_type[kind])))]
        labels.append(next(n for n, t in whole.nodes(data="type") if t == "document"))  # an IRI as the focus
        read = []
        real = _Facts._read_subjects
        _Facts._read_subjects = lambda self, st, subjects: (read.append(len(subjects)), real(self, st, subjects))[1]
        try:
            for label in labels:
                expect, centres = focus_subgraph(whole, label, 2)
                if any(whole.nodes[c]["type"] in ("council", "inspection", "person") for c in centres):
                    continue  # a label a council, inspection or person shares: the index's network answers
                got, got_centres = focus_network(store, label, meaning)
                assert sorted(got_centres) == sorted(centres), label
                assert dict(got.nodes(data=True)) == dict(expect.nodes(data=True)), label
                assert (sorted((u, v, k, sorted(d.items())) for u, v, k, d in got.edges(keys=True, data=True))
                        == sorted((u, v, k, sorted(d.items())) for u, v, k, d in expect.edges(keys=True, data=True))), label
            with pytest.raises(UsageError):
                focus_network(store, "Atlantis", meaning)
        finally:
            _Facts._read_subjects = real
        # each focus read a part of the store's subjects, never all of them
        assert len(read) >= 10 and max(read) < whole.number_of_nodes() / 2, read
    finally:
        del store


def open_store_of(build):
    from kg.store import open_store

    return open_store(build)


def test_a_rebuild_keeps_the_page_index_where_what_it_reads_is_unchanged(tmp_path, corpus, monkeypatch):
    """A document changed in what the index does not read (a council mentioned): the rebuild
    keeps the last index, counts the mentions again and takes the new network; a change in
    what it reads (a leader named) computes it afresh. Either way it equals the store's."""
    import json

    from kg.build import build
    from kg.config import Config
    from kg.server import index as pages_index
    from kg.store import open_store

    src = tmp_path / "src"
    src.mkdir()
    for p in (corpus / "seeds").glob("*.txt"):
        shutil.copy(p, src)
    out = tmp_path / "out"
    config = Config().with_(sources=(str(src),), out=out)
    build(config)
    computed = []
    real = pages_index.compute
    monkeypatch.setattr(pages_index, "compute", lambda *a, **k: computed.append(1) or real(*a, **k))

    def fresh():
        store = open_store(out)
        try:
            return json.loads(json.dumps(real(pages_index.store_rows(store), store)))
        finally:
            del store

    doc = sorted(src.glob("*.txt"))[0]
    before = pages_index.read_index(out)
    doc.write_text(doc.read_text(encoding="utf-8") + "\n\nRutland County Council was mentioned here as well.\n",
                   encoding="utf-8")
    build(config)
    kept = pages_index.read_index(out)
    assert computed == [] and kept == fresh()
    rutland = "https://w3id.org/ofsted-kg/id/council/E06000017"
    assert kept["documents"].get(rutland, 0) == before["documents"].get(rutland, 0) + 1
    doc.write_text(doc.read_text(encoding="utf-8") + "\nJane Example, leader of Rutland County Council, was named.\n",
                   encoding="utf-8")
    build(config)
    assert computed == [1] and pages_index.read_index(out) == fresh()
