"""What the analyst's pages show: one SPARQL read per part of a page, shaped for the templates.

Every fact is shown once with all its sources; a source is "record" when it is
Ofsted's own (a report or the official statistics) and "news" otherwise, so a
page can tell a claim from the record and flag claims the record contradicts or
does not confirm.
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

from kg.rdf.namespace import BASE
from kg.viz.common import show_date  # noqa: F401 - the pages' date format, shared with the network view

ID = BASE + "id/"
RECORD_KINDS = {"report", "statistics"}
GRADE_ORDER = ["outstanding", "good", "requires_improvement", "inadequate"]
GRADE_LABEL = {"outstanding": "Outstanding", "good": "Good",
               "requires_improvement": "Requires improvement", "inadequate": "Inadequate"}
LEADER_ROLES = ("leader", "elected_mayor", "cabinet_member_childrens", "chief_executive",
                "director_childrens_services")
COUNCILS_CSV = Path(__file__).resolve().parents[1] / "data" / "councils.csv"
DATE_RE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$|--(\d{2})-(\d{2})$")


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
    def judgements(self, where: str) -> dict:
        """{inspection IRI: inspection dict} for the inspections matched by ``where`` (binds ?i)."""
        rows = self.rows(f"""
SELECT ?i ?council ?cname ?kind ?kindLabel ?best ?vs ?ve ?pub ?doc ?source ?dkind ?area ?areaLabel ?grade WHERE {{
  {where}
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
        out = {}
        for r in rows:
            i = out.setdefault(r["i"], {
                "iri": r["i"], "href": href(r["i"]), "council": r["council"], "council_name": r["cname"],
                "kind": r.get("kind", ""), "kind_label": r.get("kindLabel", r.get("kind", "")),
                "date": "", "dates": set(), "end": "", "published": "", "sources": {}, "judgements": {}})
            for key in ("best", "vs"):
                if r.get(key):
                    i["dates"].add(r[key])
            if r.get("ve"):
                i["end"] = max(i["end"], r["ve"])
            if r.get("pub"):
                i["published"] = max(i["published"], r["pub"])
            record = r.get("dkind", "") in RECORD_KINDS
            i["sources"][r["doc"]] = {"iri": r["doc"], "href": href(r["doc"]), "source": r["source"],
                                      "kind": r.get("dkind", ""), "record": record}
            if r.get("area"):
                j = i["judgements"].setdefault(r["area"], {"area": r["area"], "area_label": r["areaLabel"],
                                                           "grades": {}})
                g = j["grades"].setdefault(r["grade"], {"grade": r["grade"], "sources": {}})
                g["sources"][r["doc"]] = i["sources"][r["doc"]]
        for i in out.values():
            i["date"] = _best_date(i["dates"])
            i["date_shown"] = show_date(i["date"]) or "date unknown"
            i["record"] = any(s["record"] for s in i["sources"].values())
            i["sources"] = sorted(i["sources"].values(), key=lambda s: s["source"])
            judgements = []
            for area, j in sorted(i["judgements"].items(), key=lambda kv: (kv[0] != "overall", kv[0])):
                record_grades = {g for g, x in j["grades"].items() if any(s["record"] for s in x["sources"].values())}
                for g, x in j["grades"].items():
                    srcs = sorted(x["sources"].values(), key=lambda s: s["source"])
                    rec = any(s["record"] for s in srcs)
                    flag = "" if rec else ("contradicts the record" if record_grades else "not confirmed by a record")
                    judgements.append({"area": area, "area_label": j["area_label"], "grade": g,
                                       "grade_label": GRADE_LABEL.get(g, g), "record": rec, "flag": flag,
                                       "sources": srcs})
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

    def people_of(self, council: str) -> list:
        rows = self.rows(f"""
SELECT ?p ?name ?role ?roleLabel ?title ?held ?doc ?source ?dkind WHERE {{
  GRAPH ?g {{ ?m a org:Membership ; org:member ?p ; org:organization <{council}> ; prov:wasDerivedFrom ?doc .
             ?doc kgo:sourceId ?source . OPTIONAL {{ ?doc kgo:documentKind ?dkind }}
             OPTIONAL {{ ?m kgo:roleTitle ?title }} OPTIONAL {{ ?m kgo:heldOn ?held }} }}
  ?p foaf:name ?name .
  OPTIONAL {{ GRAPH ?g {{ ?m org:role ?r }} ?r skos:notation ?role ; skos:prefLabel ?roleLabel }}
}}""")
        return _memberships(rows, key="p")

    def findings(self, where: str) -> list:
        """Findings matched by ``where`` (binds ?f), each with its evidence sentence, page and source."""
        # the findings first, then their facts looked up by IRI: one query joining both took
        # 1-10 s for a council's 850 findings on a corpus build (Oxigraph scanned every
        # finding's graph), this way 0.2 s
        iris = sorted({r["f"] for r in self.rows(f"SELECT DISTINCT ?f WHERE {{ {where} ?f a kgo:Finding }}")})
        seen, docs = {}, {}
        for start in range(0, len(iris), 400):
            values = " ".join(f"<{i}>" for i in iris[start:start + 400])
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
        names = sorted(docs)
        for start in range(0, len(names), 400):
            values = " ".join(f"<{d}>" for d in names[start:start + 400])
            for r in self.rows(f"SELECT ?d ?title WHERE {{ VALUES ?d {{ {values} }} ?d schema:name ?title }}"):
                docs[r["d"]]["title"] = docs[r["d"]]["title"] or r["title"]
        return sorted(seen.values(), key=lambda f: (f["inspection"], f["area"], f["doc"]["source"], f["text"]))

    def quotes(self, where: str) -> list:
        """Quotes matched by ``where`` (binds ?q or ?doc)."""
        rows = self.rows(f"""
SELECT DISTINCT ?q ?text ?speaker ?speakerName ?doc ?source WHERE {{
  {where}
  GRAPH ?g {{ ?q a kgo:Quote ; kgo:text ?text ; prov:wasDerivedFrom ?doc . ?doc kgo:sourceId ?source .
             OPTIONAL {{ ?q kgo:speaker ?speaker }} OPTIONAL {{ ?q kgo:speakerName ?speakerName }} }}
}} ORDER BY ?source ?text""")
        return [{"iri": r["q"], "text": r["text"], "speaker": r.get("speakerName", ""),
                 "speaker_href": href(r["speaker"]) if r.get("speaker", "").startswith(ID + "person/") else "",
                 "doc": {"iri": r["doc"], "href": href(r["doc"]), "source": r["source"]}} for r in rows]

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
        rows = self.rows(f"""
SELECT ?c ?cname ?role ?roleLabel ?title ?held ?doc ?source ?dkind WHERE {{
  GRAPH ?g {{ ?m a org:Membership ; org:member <{iri}> ; org:organization ?c ; prov:wasDerivedFrom ?doc .
             ?doc kgo:sourceId ?source . OPTIONAL {{ ?doc kgo:documentKind ?dkind }}
             OPTIONAL {{ ?m kgo:roleTitle ?title }} OPTIONAL {{ ?m kgo:heldOn ?held }} }}
  OPTIONAL {{ ?c skos:prefLabel ?cname }}
  OPTIONAL {{ GRAPH ?g {{ ?m org:role ?r }} ?r skos:notation ?role ; skos:prefLabel ?roleLabel }}
}}""")
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
        leaders = []
        if year_fraction(i["date"]) is not None:
            at = year_fraction(i["date"])
            for p in self.people_of(i["council"]):
                for r in p["roles"]:
                    held = [year_fraction(h) for h in r["held"] if year_fraction(h) is not None]
                    if r["role"] in LEADER_ROLES and any(abs(h - at) <= 1 for h in held):
                        leaders.append({**p, "role": r})
        i["leaders"] = leaders
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
        return {"councils": table, "people": [{"href": href(p["p"]), "name": p["name"]} for p in ix["people"]],
                "inspections": inspections,
                "regions": sorted({c["region"] for c in table if c["region"]}), "grades": GRADE_ORDER}


def _best_date(dates: set) -> str:
    """The most precise of a fact's dates; a full date beats a month, a month a year."""
    def precision(d):
        m = DATE_RE.match(d)
        if not m:
            return (-1, d)
        if m.group(4):
            return (0, d)
        return (1 + bool(m.group(2)) + bool(m.group(3)), d)
    return max(dates, key=precision) if dates else ""


def _memberships(rows: list, key: str) -> list:
    """Rows of memberships -> one entry per person (or council) with each role once and its dates and sources."""
    out = {}
    for r in rows:
        who = out.setdefault(r[key], {"iri": r[key], "href": href(r[key]),
                                      "name": r.get("name") or r.get("cname") or r[key], "roles": {}})
        role = r.get("role", "") or r.get("title", "")
        entry = who["roles"].setdefault(role, {"role": r.get("role", ""), "label": r.get("roleLabel", "") or role,
                                               "titles": set(), "held": set(), "sources": {}})
        if r.get("title"):
            entry["titles"].add(r["title"])
        if r.get("held"):
            entry["held"].add(r["held"])
        entry["sources"][r["doc"]] = {"href": href(r["doc"]), "source": r["source"], "kind": r.get("dkind", ""),
                                      "record": r.get("dkind", "") in RECORD_KINDS}
    result = []
    for who in out.values():
        roles = []
        for entry in who["roles"].values():
            held = sorted(entry["held"], key=lambda h: year_fraction(h) or 0)
            roles.append({"role": entry["role"], "label": entry["label"], "titles": sorted(entry["titles"]),
                          "held": held, "held_shown": [show_date(h) for h in held],
                          "sources": sorted(entry["sources"].values(), key=lambda s: s["source"])})
        roles.sort(key=lambda r: (min((year_fraction(h) or 0 for h in r["held"]), default=0), r["label"]))
        first = min((year_fraction(h) for r in roles for h in r["held"] if year_fraction(h)), default=9999)
        result.append({**who, "roles": roles, "first": first})
    return sorted(result, key=lambda w: (w["first"], w["name"]))


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
