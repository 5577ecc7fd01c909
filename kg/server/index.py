"""A build's page index: what every page shares, read from the store once per build.

Every inspection with its judgements and sources, the councils, the people, lead
inspectors and the network of councils, inspections and people.  Computed from
the store in a few seconds on a corpus build, where each page asking again took
seconds of SPARQL.  ``kg build`` and ``kg import-outcomes`` write it beside the
store (``pages-index.json``), so it is swapped in with the build; a server whose
build has none (or one of another format) computes it once and keeps it in memory.
The build is read-only, so the index never goes stale.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable, Optional

from rdflib.namespace import RDF, SKOS

from kg.rdf.namespace import FOAF, KGO, ORG, PROV, SDO

INDEX_FILE = "pages-index.json"
FORMAT = 2  # bump when the index's shape changes: older files are then recomputed

Rows = Callable[[str], list]


def code_version() -> str:
    """A digest of the code the index is made by (this module, the pages', the network's):
    a rebuild reuses the last build's index only when it and the graphs are unchanged."""
    import hashlib

    here = Path(__file__).resolve().parent
    h = hashlib.sha256(str(FORMAT).encode())
    for path in [here / "index.py", here / "pages.py"] + sorted((here.parent / "viz").glob("*.py")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()[:16]


# what the index reads besides the councils' mentions (which it counts afresh each build):
# a graph whose lines of these are unchanged leaves every other part of the index as it was.
# Terms from the closed namespaces, as N-Triples, so a typo fails instead of never matching.
def _nt(*terms) -> set:
    return {f"<{t}>" for t in terms}


_TYPES = _nt(KGO.Inspection, KGO.Council, ORG.Membership, FOAF.Person, SDO.Person)
_READ = _nt(*(KGO[name] for name in (
    "council", "reportedIn", "sourceId", "documentKind", "inspectionKind", "visitStart", "visitEnd", "published",
    "judgement", "inspectionDate", "leadInspector", "replacedBy", "previousInspection", "overallGradeChange",
    "gssCode", "validTo", "roleTitle", "heldOn", "heldFrom", "heldUntil", "knownUntil")),
    FOAF.name, SKOS.prefLabel, SKOS.notation, ORG.member, ORG.organization, ORG.role)
_RDF_TYPE, _JUDGEMENT = f"<{RDF.type}>", f"<{KGO.judgement}>"
_OF_JUDGEMENTS = _nt(KGO.area, KGO.grade)  # findings have areas too: only a judgement's count
_OF_FACTS = _nt(PROV.wasDerivedFrom)  # only a membership's or an inspection's


def input_digest(lines) -> str:
    """A digest of the statements of one graph (N-Triples lines, no final " .") that the
    index reads: a rebuild whose graphs all give the digests of the last build reuses
    that build's index and counts only the documents mentioning each council again."""
    import hashlib

    split = [line.split(" ", 2) for line in lines]
    judgements = {o for s, p, o in split if p == _JUDGEMENT}
    facts = {s for s, p, o in split if p == _RDF_TYPE and o in _TYPES}
    kept = sorted(line for line, (s, p, o) in zip(lines, split)
                  if p in _READ or (p == _RDF_TYPE and o in _TYPES) or (p in _OF_JUDGEMENTS and s in judgements)
                  or (p in _OF_FACTS and s in facts))
    return hashlib.sha256("\n".join(kept).encode("utf-8")).hexdigest()[:32]


def store_rows(store) -> Rows:
    """SELECT rows (``{variable: lexical value}``) over a pyoxigraph store, its default graph
    the union of the named graphs (as the server queries it)."""
    from kg.rdf.namespace import PREFIXES

    prefixes = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", **PREFIXES}

    def rows(text: str) -> list:
        result = store.query(text, prefixes=prefixes, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        out = []
        for solution in result:
            row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = term.value
            out.append(row)
        return out

    return rows


def meaning_network(store) -> dict:
    """The network of councils, inspections and people (all a focused view walks through),
    as node-link data. Findings' text is never read."""
    from kg.viz.network import to_networkx_capped
    from kg.viz.render import MEANING_TYPES

    return network_data(to_networkx_capped(store, 0, types=MEANING_TYPES)[1])


def network_data(graph) -> dict:
    import networkx as nx

    return nx.node_link_data(graph, edges="links")


def network_graph(data: dict):
    import networkx as nx

    return nx.node_link_graph(data, directed=True, multigraph=True, edges="links")


def compute(rows: Rows, store=None, network=None) -> dict:
    """The index from SELECT rows and the network (node-link data; read from ``store`` when
    not given; None with neither)."""
    from .pages import ID, Pages, leaders_at

    pages = Pages(rows=rows, index={})
    inspections = pages.judgements()
    councils = rows("""
SELECT ?c ?name ?gss (SAMPLE(?to) AS ?validTo) WHERE {
  ?c a kgo:Council ; skos:prefLabel ?name ; kgo:gssCode ?gss . OPTIONAL { ?c kgo:validTo ?to }
} GROUP BY ?c ?name ?gss ORDER BY ?name""")
    documents = mentioned(rows)
    people = rows("SELECT ?p (SAMPLE(?n) AS ?name) WHERE { ?p a foaf:Person ; foaf:name ?n } GROUP BY ?p ORDER BY ?name")
    lead = {}
    for r in rows("SELECT DISTINCT ?i ?p WHERE { ?i kgo:leadInspector ?p }"):
        lead.setdefault(r["p"], []).append(r["i"])
    replaced = [(r["old"], r["new"]) for r in rows("SELECT DISTINCT ?old ?new WHERE { ?old kgo:replacedBy ?new }")]
    leaders = leaders_at(inspections, pages.membership_rows(""), replaced)
    # how each council's overall grade moved between consecutive graded inspections (the build's own reckoning)
    changes = rows(f"""SELECT DISTINCT ?to ?from ?direction WHERE {{
  GRAPH <{ID}graph/resolved> {{ ?to kgo:previousInspection ?from ; kgo:overallGradeChange ?d }} ?d skos:notation ?direction }}""")
    return {"format": FORMAT, "inspections": inspections, "councils": councils, "documents": documents,
            "people": people, "lead": lead, "leaders": leaders, "changes": changes, "network": network if network is not None or store is None else meaning_network(store)}


def mentioned(rows: Rows) -> dict:
    """council -> how many documents (not the statistics) mention it."""
    return {r["c"]: int(r["n"]) for r in rows(
        "SELECT ?c (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d kgo:mentions ?c . ?d kgo:documentKind ?k "
        "FILTER(?k != 'statistics') } GROUP BY ?c")}


def write_index(store, path: Path, network=None, last: Optional[Path] = None) -> None:
    """Compute the index from ``store`` and write it to ``path`` (whole or not at all);
    ``network``: the councils, inspections and people's graph when the caller has it;
    ``last``: an index whose inputs (:func:`input_digest`) were those of this store, whose
    parts but the mention counts and the network are then kept."""
    from kg.viz.common import atomic_write

    network = None if network is None else network_data(network)
    index = read_index(last.parent, last.name) if last is not None else None
    if index is not None:  # the last build's, where its inputs are unchanged: mentions counted again
        index["documents"] = mentioned(store_rows(store))
        # the network is not among those inputs (a council is in it once anything links to it)
        index["network"] = network if network is not None else meaning_network(store)
    else:
        index = compute(store_rows(store), store, network)
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    atomic_write(path, lambda fh: fh.write(data.encode("utf-8")))


def read_index(build: Path, name: str = INDEX_FILE) -> Optional[dict]:
    """The index a build carries, or None when it has none of this format."""
    try:
        with open(os.path.join(build, name), encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None
