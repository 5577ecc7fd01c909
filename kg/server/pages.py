"""What the analyst's pages show: one SPARQL read per part of a page, shaped for the templates.

Every fact is shown once with all its sources; a source is "record" when it is
Ofsted's own (a report or the official statistics) and "news" otherwise, so a
page can tell a claim from the record and flag claims the record contradicts or
does not confirm.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from itertools import product
from pathlib import Path

from kg.rdf.namespace import BASE, PREFIXES
# the pages' dates read and shown as the network view does
from kg.viz.common import DATE_RE, best_date, show_date, values_batches

ID = BASE + "id/"
RECORD_KINDS = {"report", "statistics"}
GRADE_ORDER = ["outstanding", "good", "requires_improvement", "inadequate"]
GRADE_LABEL = {"outstanding": "Outstanding", "good": "Good",
               "requires_improvement": "Requires improvement", "inadequate": "Inadequate"}
LEADER_ROLES = ("leader", "elected_mayor", "cabinet_member_childrens", "chief_executive",
                "director_childrens_services")
COUNCILS_CSV = Path(__file__).resolve().parents[1] / "data" / "councils.csv"


def href(iri: str) -> str:
    """Where a node's page is on this server: its own path for the graph's IRIs."""
    if iri.startswith(BASE) and not iri.startswith(BASE + "def"):
        return "/" + iri[len(BASE):]
    from urllib.parse import quote

    return "/resource?iri=" + quote(iri, safe="")


def year_fraction(value: str):
    """A date's position on a time axis in years, or None when the year is unknown."""
    m = DATE_RE.match(value or "")
    if not m or m.group(4):
        return None
    y = int(m.group(1))
    mo = int(m.group(2) or 6)
    d = int(m.group(3) or 15)
    return y + (mo - 1) / 12 + (d - 1) / 365


def region_table() -> dict:
    """GSS code -> (region, type) from the package's council table."""
    with open(COUNCILS_CSV, newline="", encoding="utf-8") as fh:
        return {r["gss_code"]: (r.get("region", ""), r.get("type", "")) for r in csv.DictReader(fh)}


def _v(b: dict, key: str, default: str = "") -> str:
    return b[key]["value"] if key in b else default


class Pages:
    """Page data over an App (which runs the SPARQL in its worker pool), or over any
    ``rows(query)`` function; what pages share comes from the build's index
    (:mod:`kg.server.index`)."""

    def __init__(self, app=None, *, rows=None, index=None) -> None:
        self.app = app
        if app is not None:
            self.pool = app.current_pool()  # every query of a page on one build, even mid-rebuild
        self._rows = rows
        self._index = index

    @property
    def index(self) -> dict:
        if self._index is None:
            self._index = self.app.page_index(self.pool)
        return self._index

    def rows(self, text: str) -> list:
        if self._rows is not None:
            return self._rows(text)
        return [{k: v["value"] for k, v in b.items()}
                for b in self.app.select_json(text, pool=self.pool)["results"]["bindings"]]

    def inspections(self, iris) -> list:
        """Copies of the index's inspections (each with its judgements and sources) of ``iris``."""
        known = self.index["inspections"]
        return [dict(known[i]) for i in dict.fromkeys(iris) if i in known]

    # -- what kind of node -------------------------------------------------
    def kind_of(self, iri: str) -> str:
        types = {r["t"] for r in self.rows(f"SELECT DISTINCT ?t WHERE {{ <{iri}> a ?t }}")}
        for t, kind in (("def#Council", "council"), ("def#Inspection", "inspection"),
                        ("def#SourceDocument", "document"), ("http://xmlns.com/foaf/0.1/Person", "person")):
            if any(x.endswith(t) if t.startswith("def#") else x == t for x in types):
                return kind
        return "resource"

    # -- judgements and inspections, once per fact ---------------------------
    def judgements(self) -> dict:
        """{inspection IRI: inspection dict} for every inspection, each fact with the sources
        of the graphs that state it (a grade's sources: the documents its graph reports the
        inspection in)."""
        # a few narrow reads joined here: one query joining them all took 15-25 s at 1,000
        # documents (the union default graph repeats a triple once per graph stating it, and
        # every OPTIONAL multiplied the rows), these take about a second
        base = defaultdict(lambda: defaultdict(dict))  # i -> graph -> doc -> (council, source, kind)
        for r in self.rows("""
SELECT DISTINCT ?i ?g ?council ?doc ?source ?dkind WHERE {
  GRAPH ?g { ?i a kgo:Inspection ; kgo:council ?council ; kgo:reportedIn ?doc . ?doc kgo:sourceId ?source .
             OPTIONAL { ?doc kgo:documentKind ?dkind } } }"""):
            base[r["i"]][r["g"]].setdefault(r["doc"], []).append((r["council"], r["source"], r.get("dkind", "")))
        names = _values(self.rows, sorted({c for gs in base.values() for ds in gs.values() for x in ds.values()
                                           for c, _, _ in x}), ["skos:prefLabel"])
        kinds = defaultdict(set)
        for r in self.rows("SELECT DISTINCT ?i ?kind ?kindLabel WHERE { ?i kgo:inspectionKind ?k . "
                           "?k skos:notation ?kind ; skos:prefLabel ?kindLabel }"):
            kinds[r["i"]].add((r["kind"], r["kindLabel"]))
        best = defaultdict(set)
        for r in self.rows(f"SELECT DISTINCT ?i ?best WHERE {{ GRAPH <{ID}graph/resolved> {{ ?i kgo:inspectionDate ?best }} }}"):
            best[r["i"]].add(r["best"])
        stated = defaultdict(set)  # (i, graph, what) -> values
        for r in self.rows("SELECT DISTINCT ?i ?g ?p ?v WHERE { VALUES ?p { kgo:visitStart kgo:visitEnd kgo:published } "
                           "GRAPH ?g { ?i ?p ?v } }"):
            stated[(r["i"], r["g"], r["p"].rsplit("#", 1)[-1])].add(r["v"])
        graded = defaultdict(set)  # (i, graph) -> (area concept, grade concept)
        for r in self.rows("SELECT DISTINCT ?i ?g ?a ?gr WHERE { GRAPH ?g { ?j kgo:area ?a ; kgo:grade ?gr . ?i kgo:judgement ?j } }"):
            graded[(r["i"], r["g"])].add((r["a"], r["gr"]))
        codes = _values(self.rows, sorted({x for pairs in graded.values() for pair in pairs for x in pair}),
                        ["skos:notation", "skos:prefLabel"])
        out = {}
        for iri in sorted(base):
            i = None
            for g, docs in sorted(base[iri].items()):
                facts = [(c, cname, doc, source, dkind) for doc, xs in sorted(docs.items())
                         for c, source, dkind in xs for cname in names.get((c, "skos:prefLabel"), ())]
                if not facts:  # a council with no name: the graph says nothing shown
                    continue
                if i is None:
                    c, cname = min((c, cname) for c, cname, *_ in facts)
                    kind, label = min(kinds[iri]) if kinds[iri] else ("", "")
                    i = out[iri] = {"iri": iri, "href": href(iri), "council": c, "council_name": cname,
                                    "kind": kind, "kind_label": label or kind, "date": "", "dates": set(best[iri]),
                                    "end": "", "published": "", "sources": {}, "judgements": {}}
                i["dates"] |= stated[(iri, g, "visitStart")]
                i["end"] = max([i["end"], *stated[(iri, g, "visitEnd")]])
                i["published"] = max([i["published"], *stated[(iri, g, "published")]])
                here = {}
                for _, _, doc, source, dkind in facts:
                    here[doc] = i["sources"][doc] = {"iri": doc, "href": href(doc), "source": source, "kind": dkind,
                                                     "record": dkind in RECORD_KINDS}
                for a, gr in sorted(graded[(iri, g)]):
                    for area in codes.get((a, "skos:notation"), ()):
                        for area_label in codes.get((a, "skos:prefLabel"), ()):
                            for grade in codes.get((gr, "skos:notation"), ()):
                                j = i["judgements"].setdefault(area, {"area": area, "area_label": area_label, "grades": {}})
                                j["grades"].setdefault(grade, {"grade": grade, "sources": {}})["sources"].update(here)
        for i in out.values():
            i["date"] = best_date(i["dates"])
            i["date_shown"] = show_date(i["date"]) or "date unknown"
            i["record"] = any(s["record"] for s in i["sources"].values())
            i["sources"] = sorted(i["sources"].values(), key=lambda s: s["source"])
            judgements = []
            for area, j in sorted(i["judgements"].items(), key=lambda kv: (kv[0] != "overall", kv[0])):
                record_grades = {g for g, x in j["grades"].items() if any(s["record"] for s in x["sources"].values())}
                area_judgements = []
                for g, x in j["grades"].items():
                    srcs = sorted(x["sources"].values(), key=lambda s: s["source"])
                    rec = any(s["record"] for s in srcs)
                    flag = "" if rec else ("contradicts the record" if record_grades else "not confirmed by a record")
                    area_judgements.append({"area": area, "area_label": j["area_label"], "grade": g,
                                            "grade_label": GRADE_LABEL.get(g, g), "record": rec, "flag": flag,
                                            "sources": srcs})
                # an area's grades: the record's first, then by how many sources give them (the
                # first is the one shown as the inspection's)
                area_judgements.sort(key=lambda j: (not j["record"], -len(j["sources"]),
                                                    GRADE_ORDER.index(j["grade"]) if j["grade"] in GRADE_ORDER else 9, j["grade"]))
                judgements += area_judgements
            i["judgements"] = judgements
            overall = [j for j in judgements if j["area"] == "overall"]
            best = [j for j in overall if j["record"]] or overall
            i["overall"] = best[0]["grade"] if best else ""
            del i["dates"]
        return out

    # -- council ---------------------------------------------------------------
    def council(self, iri: str) -> dict:
        info = self.rows(f"""
SELECT ?name ?gss ?dfe ?urn ?from ?to ?alt ?by ?byName WHERE {{
  <{iri}> skos:prefLabel ?name .
  OPTIONAL {{ <{iri}> kgo:gssCode ?gss }} OPTIONAL {{ <{iri}> kgo:dfeCode ?dfe }}
  OPTIONAL {{ <{iri}> kgo:ofstedUrn ?urn }} OPTIONAL {{ <{iri}> kgo:validFrom ?from }}
  OPTIONAL {{ <{iri}> kgo:validTo ?to }} OPTIONAL {{ <{iri}> skos:altLabel ?alt }}
  OPTIONAL {{ <{iri}> kgo:replacedBy ?by . ?by skos:prefLabel ?byName }}
}}""")
        if not info:
            return {}
        first = info[0]
        gss = first.get("gss", "")
        region, ctype = region_table().get(gss, ("", ""))
        mine = [i for i, x in self.index["inspections"].items() if x["council"] == iri]
        inspections = sorted(self.inspections(mine),
                             key=lambda i: (year_fraction(i["date"]) or 9999, i["date"], i["kind"]))
        graded = [i for i in inspections if i["overall"] and year_fraction(i["date"]) is not None]
        latest = max(graded, key=lambda i: (i["record"], year_fraction(i["date"])), default=None)
        record_graded = [i for i in graded if i["record"]]
        if record_graded:
            latest = max(record_graded, key=lambda i: year_fraction(i["date"]))
        return {
            "iri": iri, "name": first["name"], "gss": gss, "dfe": first.get("dfe", ""), "urn": first.get("urn", ""),
            "region": region, "type": ctype,
            "valid_from": first.get("from", ""), "valid_to": first.get("to", ""),
            "alt": sorted({r["alt"] for r in info if r.get("alt")}),
            "replaced_by": sorted({(r["by"], r["byName"]) for r in info if r.get("by")}),
            "latest": latest, "inspections": inspections,
            "chart": chart(inspections),
            "people": self.people_of(iri),
            "findings": self.findings(f"?f kgo:council <{iri}> ."),
            "quotes": self.quotes(f"?doc kgo:mentions <{iri}> ."),
            "documents": self.documents(f"?d kgo:mentions <{iri}> ."),
        }

    def membership_rows(self, where: str) -> list:
        """One row per membership ``where`` binds as ?m and combination of its facts (what one
        SPARQL join of them gives, less its repeats), source and dates included, in a fixed order."""
        # the memberships, then their facts and those of their people, councils, sources and
        # roles by IRI, joined here: one query joining them all gave each row once per graph
        # stating each of its triples (1,400 memberships: 17 s; 2,200: 24,000 rows, 14 s)
        ms = sorted({r["m"] for r in self.rows(f"SELECT DISTINCT ?m WHERE {{ {where} ?m a org:Membership }}")})
        facts = _values(self.rows, ms, ["org:member", "org:organization", "prov:wasDerivedFrom", "org:role",
                                        "kgo:roleTitle", "kgo:heldOn", "kgo:heldFrom", "kgo:heldUntil", "kgo:knownUntil"])
        linked = sorted({v for (_, k), vs in facts.items() if k in ("org:member", "org:organization", "prov:wasDerivedFrom", "org:role")
                         for v in vs})
        more = _values(self.rows, linked, ["foaf:name", "skos:prefLabel", "kgo:sourceId", "kgo:documentKind", "skos:notation"])

        def of(table, s, key, optional=False):
            return table.get((s, key)) or ([None] if optional else [])

        out = []
        for m in ms:
            roles = [(n, label) for r in of(facts, m, "org:role") for n in of(more, r, "skos:notation")
                     for label in of(more, r, "skos:prefLabel")] or [None]
            for p, c, doc in product(*(of(facts, m, k) for k in ("org:member", "org:organization", "prov:wasDerivedFrom"))):
                names = sorted(of(more, p, "foaf:name"), key=lambda n: (-len(n), n))  # the fullest name first
                for name, cname, source, dkind, title, held, hf, hu, ku, role in product(
                        names, of(more, c, "skos:prefLabel", True), of(more, doc, "kgo:sourceId"),
                        of(more, doc, "kgo:documentKind", True),
                        *(of(facts, m, "kgo:" + k, True) for k in ("roleTitle", "heldOn", "heldFrom", "heldUntil", "knownUntil")),
                        roles):
                    row = {"m": m, "p": p, "name": name, "c": c, "doc": doc, "source": source}
                    for key, value in (("cname", cname), ("dkind", dkind), ("title", title), ("held", held), ("hf", hf),
                                       ("hu", hu), ("ku", ku)):
                        if value is not None:
                            row[key] = value
                    if role is not None:
                        row["role"], row["roleLabel"] = role
                    out.append(row)
        return out

    def people_of(self, council: str) -> list:
        return _memberships(self.membership_rows(f"?m org:organization <{council}> ."), key="p")

    def findings(self, where: str) -> list:
        """Findings matched by ``where`` (binds ?f), each with its evidence sentence, page and source."""
        # the findings first, then their facts looked up by IRI: one query joining both took
        # 1-10 s for a council's 850 findings on a corpus build (Oxigraph scanned every
        # finding's graph), this way 0.2 s
        iris = sorted({r["f"] for r in self.rows(f"SELECT DISTINCT ?f WHERE {{ {where} ?f a kgo:Finding }}")})
        seen, docs = {}, {}
        for values in values_batches(iris):
            for r in self.rows(f"""
SELECT ?f ?text ?polarity ?i ?area ?areaLabel ?doc ?source ?page ?exact WHERE {{
  VALUES ?f {{ {values} }}
  ?f kgo:text ?text ; prov:wasDerivedFrom ?doc . ?doc kgo:sourceId ?source .
  OPTIONAL {{ ?f kgo:aboutInspection ?i }}
  OPTIONAL {{ ?f kgo:evidence ?e . OPTIONAL {{ ?e kgo:page ?page }} OPTIONAL {{ ?e oa:hasSelector/oa:exact ?exact }} }}
  OPTIONAL {{ ?f kgo:polarity/skos:notation ?polarity }}
  OPTIONAL {{ ?f kgo:area ?a . ?a skos:notation ?area OPTIONAL {{ ?a skos:prefLabel ?areaLabel }} }}
}}"""):
                doc = docs.setdefault(r["doc"], {"iri": r["doc"], "href": href(r["doc"]), "source": r["source"], "title": ""})
                f = seen.setdefault(r["f"], {
                    "iri": r["f"], "href": href(r["f"]), "text": r["text"], "polarity": "", "inspection": "",
                    "area": "", "area_label": "", "page": "", "evidence": "", "doc": doc})
                for key, col in (("polarity", "polarity"), ("inspection", "i"), ("area", "area"),
                                 ("area_label", "areaLabel"), ("page", "page"), ("evidence", "exact")):
                    f[key] = f[key] or r.get(col, "")
        for values in values_batches(sorted(docs)):
            for r in self.rows(f"SELECT ?d ?title WHERE {{ VALUES ?d {{ {values} }} ?d schema:name ?title }}"):
                docs[r["d"]]["title"] = docs[r["d"]]["title"] or r["title"]
        return sorted(seen.values(), key=lambda f: (f["inspection"], f["area"], f["doc"]["source"], f["text"]))

    def quotes(self, where: str) -> list:
        """Quotes matched by ``where`` (binds ?q, or ?doc: the quotes derived from those documents)."""
        # three narrow reads: the documents (or quotes) ``where`` names, the quotes derived
        # from those documents, then each quote's facts by IRI. One query joining them took
        # 4-12 s for a council's page at 1,000 documents (Oxigraph walked every quote's graph
        # for each mention)
        if "?q" in where:
            docs = None
            iris = sorted({r["q"] for r in self.rows(f"SELECT DISTINCT ?q WHERE {{ {where} ?q a kgo:Quote }}")})
        else:
            docs = sorted({r["doc"] for r in self.rows(f"SELECT DISTINCT ?doc WHERE {{ {where} }}") if "doc" in r})
            found = set()
            for values in values_batches(docs):
                found |= {r["q"] for r in self.rows(f"SELECT DISTINCT ?q WHERE {{ VALUES ?doc {{ {values} }} "
                                                    f"GRAPH ?g {{ ?q prov:wasDerivedFrom ?doc ; a kgo:Quote }} }}")}
            iris = sorted(found)
        # each quote's text and document, speakers and the documents' source ids read apart
        # and joined here on their graph (as one GRAPH pattern would): with the OPTIONALs in
        # one query Oxigraph read every quote's speaker for each batch (0.3 s a batch)
        core, speakers, names, sources = [], defaultdict(set), defaultdict(set), defaultdict(set)
        for values in values_batches(iris):
            core += self.rows(f"SELECT ?q ?g ?text ?doc WHERE {{ VALUES ?q {{ {values} }} "
                              f"GRAPH ?g {{ ?q a kgo:Quote ; kgo:text ?text ; prov:wasDerivedFrom ?doc }} }}")
            for table, p in ((speakers, "kgo:speaker"), (names, "kgo:speakerName")):
                for r in self.rows(f"SELECT ?q ?g ?v WHERE {{ VALUES ?q {{ {values} }} GRAPH ?g {{ ?q {p} ?v }} }}"):
                    table[(r["q"], r["g"])].add(r["v"])
        wanted = set(docs) if docs is not None else {r["doc"] for r in core}
        for values in values_batches(sorted(wanted)):
            for r in self.rows(f"SELECT ?doc ?g ?source WHERE {{ VALUES ?doc {{ {values} }} GRAPH ?g {{ ?doc kgo:sourceId ?source }} }}"):
                sources[(r["doc"], r["g"])].add(r["source"])
        found = {(source, r["text"], r["q"], speaker, name, r["doc"])
                for r in core if r["doc"] in wanted
                for source in sources[(r["doc"], r["g"])]
                for speaker in speakers[(r["q"], r["g"])] or [""]
                for name in names[(r["q"], r["g"])] or [""]}
        return [{"iri": q, "text": text, "speaker": name,
                 "speaker_href": href(speaker) if speaker.startswith(ID + "person/") else "",
                 "doc": {"iri": doc, "href": href(doc), "source": source}}
                for source, text, q, speaker, name, doc in sorted(found)]

    def documents(self, where: str) -> list:
        rows = self.rows(f"""
SELECT ?d ?source (SAMPLE(?k) AS ?kind) (SAMPLE(?t) AS ?title) (SAMPLE(?pub) AS ?published) (SAMPLE(?u) AS ?url) WHERE {{
  {where}
  ?d a kgo:SourceDocument ; kgo:sourceId ?source .
  OPTIONAL {{ ?d kgo:documentKind ?k }} OPTIONAL {{ ?d schema:name ?t }}
  OPTIONAL {{ ?d schema:datePublished ?pub }} OPTIONAL {{ ?d schema:url ?u }}
}} GROUP BY ?d ?source ORDER BY ?published ?source""")
        return [{"iri": r["d"], "href": href(r["d"]), "source": r["source"], "kind": r.get("kind", ""),
                 "record": r.get("kind", "") in RECORD_KINDS, "title": r.get("title", ""),
                 "published": show_date(r.get("published", "")), "url": _safe_url(r.get("url", ""))} for r in rows]

    # -- person ------------------------------------------------------------------
    def person(self, iri: str) -> dict:
        names = self.rows(f"SELECT DISTINCT ?name WHERE {{ <{iri}> foaf:name ?name }}")
        if not names:
            return {}
        rows = [{**r, "name": ""} for r in self.membership_rows(f"?m org:member <{iri}> .")]
        led = sorted(self.inspections(self.index["lead"].get(iri, [])), key=lambda i: i["date"])
        return {"iri": iri, "name": names[0]["name"], "roles": _memberships(rows, key="c"),
                "quotes": self.quotes(f"?q kgo:speaker <{iri}> ."), "led": led,
                "documents": self.documents(f"GRAPH ?g {{ ?x org:member <{iri}> ; prov:wasDerivedFrom ?d }}")}

    # -- inspection ------------------------------------------------------------------
    def inspection(self, iri: str) -> dict:
        found = self.inspections([iri])
        if not found:
            return {}
        i = found[0]
        i["leaders"] = self.index.get("leaders", {}).get(iri, [])
        i["findings"] = self.findings(f"?f kgo:aboutInspection <{iri}> .")
        i["areas"] = _group(i["findings"], "area_label", "no area given")
        return i

    # -- document --------------------------------------------------------------------
    def document(self, iri: str) -> dict:
        docs = self.documents(f"BIND(<{iri}> AS ?d)")
        if not docs:
            return {}
        d = docs[0]
        d["publisher"] = next((r["p"] for r in self.rows(f"SELECT ?p WHERE {{ <{iri}> schema:publisher ?p }}")), "")
        d["councils"] = self.rows(f"SELECT DISTINCT ?c ?name WHERE {{ <{iri}> kgo:mentions ?c . ?c skos:prefLabel ?name }} ORDER BY ?name")
        for c in d["councils"]:
            c["href"] = href(c["c"])
        reported = self.rows(f"SELECT DISTINCT ?i WHERE {{ ?i kgo:reportedIn <{iri}> }}")
        d["inspections"] = sorted(self.inspections(r["i"] for r in reported), key=lambda i: i["date"])
        d["findings"] = self.findings(f"GRAPH ?gd {{ ?f prov:wasDerivedFrom <{iri}> }}")
        d["quotes"] = self.quotes(f"BIND(<{iri}> AS ?doc)")
        rows = self.rows(f"""
SELECT ?p ?name ?c ?cname ?role ?roleLabel ?title ?held WHERE {{
  GRAPH ?g {{ ?m a org:Membership ; org:member ?p ; org:organization ?c ; prov:wasDerivedFrom <{iri}> .
             OPTIONAL {{ ?m kgo:roleTitle ?title }} OPTIONAL {{ ?m kgo:heldOn ?held }} }}
  ?p foaf:name ?name . OPTIONAL {{ ?c skos:prefLabel ?cname }}
  OPTIONAL {{ GRAPH ?g {{ ?m org:role ?r }} ?r skos:notation ?role ; skos:prefLabel ?roleLabel }}
}} ORDER BY ?name""")
        d["people"] = [{"href": href(r["p"]), "name": r["name"], "council": r.get("cname", ""),
                        "council_href": href(r["c"]), "role": r.get("roleLabel", r.get("role", "")),
                        "title": r.get("title", ""), "held": show_date(r.get("held", ""))} for r in rows]
        return d

    # -- home ----------------------------------------------------------------------------
    def home(self) -> dict:
        regions = region_table()
        ix = self.index
        every = ix["inspections"]
        latest = {}
        for i in every.values():
            if not i["overall"] or year_fraction(i["date"]) is None:
                continue
            key = (i["record"], year_fraction(i["date"]))
            if i["council"] not in latest or key > latest[i["council"]][0]:
                latest[i["council"]] = (key, i)
        docs = ix["documents"]
        table = []
        for c in ix["councils"]:
            region, ctype = regions.get(c["gss"], ("", ""))
            i = latest.get(c["c"], (None, None))[1]
            table.append({"href": href(c["c"]), "name": c["name"], "gss": c["gss"], "region": region, "type": ctype,
                          "current": not c.get("validTo"),
                          "grade": i["overall"] if i else "", "grade_label": GRADE_LABEL.get(i["overall"], "") if i else "",
                          "date": i["date"] if i else "", "date_shown": show_date(i["date"]) if i else "",
                          "record": i["record"] if i else False, "inspection_href": i["href"] if i else "",
                          "documents": docs.get(c["c"], 0)})
        inspections = sorted(every.values(), key=lambda i: (i["council_name"], i["date"]))
        changes = []
        for ch in ix.get("changes", []):
            to, before = every.get(ch["to"]), every.get(ch["from"])
            if not to or not before or not to["overall"] or not before["overall"]:
                continue
            changes.append({"council": to["council_name"], "council_href": href(to["council"]),
                            "from": before, "to": to, "direction": ch["direction"],
                            "year": int(year_fraction(to["date"]) or 0),
                            "leaders": ix.get("leaders", {}).get(ch["to"], [])})
        changes.sort(key=lambda c: (-(year_fraction(c["to"]["date"]) or 0), c["council"]))
        return {"councils": table, "changes": changes, "people": [{"href": href(p["p"]), "name": p["name"]} for p in ix["people"]],
                "inspections": inspections,
                "regions": sorted({c["region"] for c in table if c["region"]}), "grades": GRADE_ORDER}


def _values(rows, subjects: list, predicates: list) -> dict:
    """{(subject, predicate as ``prefix:name``): sorted distinct values} of these IRIs."""
    wanted = {}
    for curie in predicates:
        prefix, name = curie.split(":", 1)
        wanted[PREFIXES[prefix] + name] = curie
    out = defaultdict(set)
    # every triple of each subject, filtered here: naming the predicates too made Oxigraph
    # take ten times as long
    for values in values_batches(subjects):
        for r in rows(f"SELECT ?s ?p ?v WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?v }}"):
            if r["p"] in wanted:
                out[(r["s"], wanted[r["p"]])].add(r["v"])
    return {k: sorted(v) for k, v in out.items()}


def _memberships(rows: list, key: str) -> list:
    """Rows of memberships -> one entry per person (or council) with each role once and its dates and sources."""
    out = {}
    for r in rows:
        who = out.setdefault(r[key], {"iri": r[key], "href": href(r[key]),
                                      "name": r.get("name") or r.get("cname") or r[key], "roles": {}})
        role = r.get("role", "") or r.get("title", "")
        entry = who["roles"].setdefault(role, {"role": r.get("role", ""), "label": r.get("roleLabel", "") or role,
                                               "titles": set(), "held": set(), "terms": set(), "sources": {}})
        if r.get("title"):
            entry["titles"].add(r["title"])
        if r.get("held"):
            entry["held"].add(r["held"])
        if r.get("hf"):  # a term the leaders table gives
            entry["terms"].add((r["hf"], r.get("hu", ""), r.get("ku", "")))
        entry["sources"][r["doc"]] = {"href": href(r["doc"]), "source": r["source"], "kind": r.get("dkind", ""),
                                      "record": r.get("dkind", "") in RECORD_KINDS}
    result = []
    for who in out.values():
        roles = []
        for entry in who["roles"].values():
            held = sorted(entry["held"], key=lambda h: year_fraction(h) or 0)
            terms = sorted(entry["terms"])
            shown = [_term(*t) for t in terms] + [show_date(h) for h in held]
            held = [t[0] for t in terms] + held
            roles.append({"role": entry["role"], "label": entry["label"], "titles": sorted(entry["titles"]),
                          "held": held, "held_shown": shown,
                          "sources": sorted(entry["sources"].values(), key=lambda s: s["source"])})
        roles.sort(key=lambda r: (min((year_fraction(h) or 0 for h in r["held"]), default=0), r["label"]))
        first = min((year_fraction(h) for r in roles for h in r["held"] if year_fraction(h)), default=9999)
        result.append({**who, "roles": roles, "first": first})
    return sorted(result, key=lambda w: (w["first"], w["name"]))


def _term(start: str, until: str, known: str) -> str:
    end = show_date(until) if until else (f"still in post when last known ({show_date(known)})" if known else "")
    return f"{show_date(start)} – {end}" if end else f"from {show_date(start)}"


def _day(value: str, pad: str) -> str:
    """A date as a day for comparing: a year or month padded (``pad`` '-01-01' or '-12-31')."""
    value = value or ""
    return value + pad[len(value) - 4:] if DATE_RE.match(value) and not value.startswith("--") else ""


def leaders_at(inspections: dict, memberships: list, replaced: list) -> dict:
    """inspection -> the people in leading roles at its date: a leaders-table term that holds
    the date (a council renamed 1:1 keeps its leaders), or a source naming them in the role
    within a year of it. As the ``leaders-at-inspection`` query, in one pass over the rows."""
    before = defaultdict(set)
    for old, new in replaced:
        before[new].add(old)
    # each row's dates read once: (start day, end day) of a term, or the year a source names
    by_council = defaultdict(dict)
    for r in memberships:
        if r.get("hf"):
            end = _day(r["hu"], "-12-31") if r.get("hu") else r.get("ku", "")
            if not end:
                continue
            test = (_day(r["hf"], "-01-01"), end, None)
            how = "term " + _term(r["hf"], r.get("hu", ""), r.get("ku", ""))
        elif r.get("held") and r.get("role") in LEADER_ROLES:
            h = year_fraction(r["held"])
            if h is None:
                continue
            test = (None, None, h)
            how = "named " + show_date(r["held"])
        else:
            continue
        key = (test, how, r["p"], r["name"], r.get("role", ""), r.get("roleLabel", ""), r["doc"], r["source"], r.get("dkind", ""))
        by_council[r["c"]].setdefault(key, r)  # rows differing only in what is not shown here count once
    order = {role: n for n, role in enumerate(LEADER_ROLES)}
    out = {}
    for iri, i in inspections.items():
        at = year_fraction(i["date"])
        if at is None:
            continue
        day = i["date"] + {4: "-07-01", 7: "-15"}.get(len(i["date"]), "")  # a year or a month: its middle
        found = {}
        for c in [i["council"], *sorted(before[i["council"]])]:
            for ((first, last, h), how, *_), r in by_council[c].items():
                if (not first <= day <= last) if h is None else abs(h - at) > 1:
                    continue
                who = found.setdefault((r["p"], r.get("role", "")), {
                    "iri": r["p"], "href": href(r["p"]), "name": r["name"],
                    "role": {"role": r.get("role", ""), "label": r.get("roleLabel", "") or r.get("role", "") or "leader",
                             "held_shown": [], "sources": []}})
                if how not in who["role"]["held_shown"]:
                    who["role"]["held_shown"].append(how)
                if all(s["source"] != r["source"] for s in who["role"]["sources"]):
                    who["role"]["sources"].append({"href": href(r["doc"]), "source": r["source"], "kind": r.get("dkind", ""),
                                                   "record": r.get("dkind", "") in RECORD_KINDS})
        if found:
            out[iri] = sorted(found.values(), key=lambda w: (order.get(w["role"]["role"], 9), w["name"]))
    return out


def _group(items: list, key: str, missing: str) -> list:
    groups = defaultdict(list)
    for it in items:
        groups[it.get(key) or missing].append(it)
    return sorted(groups.items(), key=lambda kv: (kv[0] == missing, kv[0]))


def _safe_url(url: str) -> str:
    return url if url.startswith(("https://", "http://")) else ""


# -- the inspections chart --------------------------------------------------------------

CHART_W, CHART_H, PAD_L, PAD_R, PAD_T, PAD_B = 760, 220, 150, 20, 16, 30
AREA_COLOURS = {"overall": "#24292f", "leadership": "#8250df", "help_and_protection": "#0969da",
                "children_in_care": "#1a7f37", "care_leavers": "#bf8700", "children_in_care_and_care_leavers": "#1a7f37",
                "adoption": "#cf222e"}


def chart(inspections: list) -> dict:
    """Positions for an inline SVG: each inspection a tick on a time axis, each judgement a dot
    at its grade (filled: the record says so; hollow: only news does), one line per judgement area."""
    dated = [(year_fraction(i["date"]), i) for i in inspections]
    dated = [(x, i) for x, i in dated if x is not None]
    if not dated:
        return {}
    lo = min(x for x, _ in dated)
    hi = max(x for x, _ in dated) + 0.5
    lo = int(lo) - 0.5 if hi - lo > 1 else lo - 1
    span = max(hi - lo, 1)

    def px(x):
        return PAD_L + (x - lo) / span * (CHART_W - PAD_L - PAD_R)

    def py(grade):
        return PAD_T + GRADE_ORDER.index(grade) * (CHART_H - PAD_T - PAD_B) / (len(GRADE_ORDER) - 1)

    rows = [{"label": GRADE_LABEL[g], "y": round(py(g), 1)} for g in GRADE_ORDER]
    years = [{"x": round(px(y), 1), "label": str(y)} for y in range(int(lo) + 1, int(hi) + 1)]
    step = max(1, len(years) // 10)
    years = years[::step]
    ticks, dots, lines = [], [], defaultdict(list)
    areas = sorted({j["area"] for _, i in dated for j in i["judgements"]}, key=lambda a: (a != "overall", a))
    # areas side by side around the inspection's line, so equal grades do not hide each other
    shift = {a: (n - (len(areas) - 1) / 2) * 5 for n, a in enumerate(areas)}
    for x, i in sorted(dated, key=lambda t: t[0]):
        ticks.append({"x": round(px(x), 1), "kind": i["kind"], "title": f"{i['kind_label']} {i['date_shown']}",
                      "href": i["href"], "record": i["record"]})
        for j in i["judgements"]:
            if j["grade"] not in GRADE_ORDER:
                continue
            colour = AREA_COLOURS.get(j["area"], "#57606a")
            dot = {"x": round(px(x) + shift[j["area"]], 1), "y": round(py(j["grade"]), 1), "colour": colour, "record": j["record"],
                   "r": 5 if j["area"] == "overall" else 3.5,
                   "title": f"{i['date_shown']}: {j['area_label']} {j['grade_label']} ({'record' if j['record'] else 'news only'})"}
            dots.append(dot)
            if j["record"] or not any(k["record"] and k["area"] == j["area"] for k in i["judgements"]):
                lines[j["area"]].append((dot["x"], dot["y"]))
    paths = [{"area": a, "colour": AREA_COLOURS.get(a, "#57606a"), "width": 2.5 if a == "overall" else 1.2,
              "points": " ".join(f"{x},{y}" for x, y in pts)} for a, pts in lines.items() if len(pts) > 1]
    legend = sorted({(j["area_label"], AREA_COLOURS.get(j["area"], "#57606a")) for _, i in dated for j in i["judgements"]})
    return {"w": CHART_W, "h": CHART_H, "left": PAD_L, "right": CHART_W - PAD_R, "bottom": CHART_H - PAD_B,
            "rows": rows, "years": years, "ticks": ticks, "dots": dots, "paths": paths, "legend": legend}


# -- the council's network, drawn inline -------------------------------------------------

NET_W, NET_H, NET_PAD = 760, 440, 70
NET_RADIUS = {"council": 11, "inspection": 7, "person": 6}


def network_picture(g, centres=(), dates=None) -> dict:
    """Positions for an inline SVG of a small network (a council's focus: its inspections,
    people and the councils linked through them): each node a link to its page, inspections
    ringed in their overall grade, councils in their latest one. No script: the page's
    Content-Security-Policy stays as it is. ``dates``: inspection -> its date as the pages show it."""
    from kg.viz.common import GRADE_COLOURS, TYPE_COLOURS
    from kg.viz.layout import compute_layout
    from kg.viz.render import _latest_grades

    if g.number_of_nodes() == 0:
        return {}
    pos = compute_layout(g, spacing=60.0)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    sx = (NET_W - 2 * NET_PAD) / max(x1 - x0, 1e-9)
    sy = (NET_H - 2 * 30) / max(y1 - y0, 1e-9)
    # stretched to the box on each axis: room for the labels matters more than angles
    sx, sy = min(sx, 4.0), min(sy, 4.0)
    ox = (NET_W - (x1 - x0) * sx) / 2
    oy = (NET_H - (y1 - y0) * sy) / 2

    def at(n):
        x, y = pos[n]
        return round(ox + (x - x0) * sx, 1), round(oy + (y - y0) * sy, 1)

    latest = _latest_grades(g)
    nodes, edges = [], []
    for u, v, attrs in g.edges(data=True):
        (ax, ay), (bx, by) = at(u), at(v)
        edges.append({"x1": ax, "y1": ay, "x2": bx, "y2": by, "colour": str(attrs.get("color") or "#bbbbbb"),
                      "title": str(attrs.get("title") or attrs.get("label") or "")})
    for n, attrs in g.nodes(data=True):
        kind = str(attrs.get("type") or "")
        x, y = at(n)
        grade = str(attrs.get("grade") or "") if kind == "inspection" else (latest.get(n, ("", ""))[0] if kind == "council" else "")
        label = str(attrs.get("label") or n)
        if kind == "inspection":  # its council is the centre: the date says which one
            label = (dates or {}).get(n) or show_date(str(attrs.get("date") or "")) or "undated"
        nodes.append({"x": x, "y": y, "r": NET_RADIUS.get(kind, 6) + (3 if n in centres else 0),
                      "fill": TYPE_COLOURS.get(kind, "#555555"), "stroke": GRADE_COLOURS.get(grade, "#ffffff") if grade else "#ffffff",
                      "kind": kind, "label": label, "title": str(attrs.get("title") or label), "href": href(str(n)),
                      "centre": n in centres})
    # the centre last, so it is drawn on top
    nodes.sort(key=lambda d: (d["centre"], d["kind"] == "council"))
    legend = [{"label": t, "colour": TYPE_COLOURS[t]} for t in ("council", "inspection", "person")]
    grades = [{"label": GRADE_LABEL[gr], "colour": GRADE_COLOURS[gr]} for gr in GRADE_ORDER]
    return {"w": NET_W, "h": NET_H, "nodes": nodes, "edges": edges, "legend": legend, "grades": grades,
            "count": g.number_of_nodes()}
