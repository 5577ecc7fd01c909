"""One self-contained, offline HTML page drawing a network with vis-network.

The vis-network library is read from the copy bundled inside the ``pyvis``
package and inlined; the page's own template (``template.html``) replaces
pyvis's, which links Bootstrap and other files from CDNs.  Nothing on the
page is fetched: a Content-Security-Policy with ``default-src 'none'`` and
script hashes forbids any request and any script but the page's own two.

Untrusted text (labels and tooltips read from articles) is only ever:

* embedded as JSON in a ``<script type="application/json">`` block, with
  ``<``, ``>``, ``&`` and U+2028/9 written as ``\\uXXXX`` escapes, so no
  ``</script>`` or ``<!--`` can end the block;
* put into the page with ``textContent``/``innerText`` (vis-network shows a
  string ``title`` with ``innerText``), never parsed as HTML.

The page title is HTML-escaped with :func:`html.escape`.
"""
from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import math
import re
from functools import lru_cache
from pathlib import Path

import networkx as nx

from kg.errors import KgError, UsageError
from kg.rdf.namespace import BASE
from kg.viz.layout import reused_layout
from kg.viz.common import GRADE_COLOURS, NODE_TYPES, TYPE_COLOURS, atomic_write, date_year, show_date

TEMPLATE = Path(__file__).with_name("template.html")

NODE_SIZES = {"council": 18, "organisation": 15, "inspection": 12, "person": 10,
              "document": 7, "finding": 6, "quote": 6}
BIG = 1500  # above this many edges: no edge labels or arrows, edges hidden while dragging

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def json_for_script(value) -> str:
    """JSON that is safe inside a ``<script>`` element, whatever its strings hold."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """The vis-network standalone build shipped inside pyvis (newest version there)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise KgError("the network view needs the pyvis package (pip install pyvis)")
    found = []
    for root in spec.submodule_search_locations:
        for path in Path(root).glob("**/vis-*/vis-network.min.js"):
            version = tuple(int(x) for x in re.findall(r"\d+", path.parent.name.split("-", 1)[1]))
            found.append((version, str(path)))
    if not found:
        raise KgError("pyvis has no bundled vis-network.min.js; reinstall pyvis")
    text = Path(max(found)[1]).read_text(encoding="utf-8")
    lowered = text.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise KgError("the bundled vis-network.min.js cannot be inlined safely")
    return text


def _label_matches(g: nx.Graph, focus: str) -> list:
    want = focus.strip().casefold()
    return [n for n, label in g.nodes(data="label")
            if str(label if label is not None else n).strip().casefold() == want
            or str(n) == focus]


# a focus walks only through these: a statistics table or an organisation names every
# council, so a hop through a document or Ofsted says nothing about the council in focus
MEANING_TYPES = ("council", "inspection", "person")


def focus_subgraph(g: nx.Graph, focus: str, depth: int = 2) -> tuple[nx.Graph, list]:
    """The council (or other node) labelled ``focus`` and what is linked to it by meaning:
    its inspections (with their judgements), its people, and the councils, inspections and
    people within ``depth`` hops of it through those; no documents, findings or quotes."""
    centres = _label_matches(g, focus)
    if not centres:
        raise UsageError(f"no node labelled {focus!r} in the graph")
    if depth < 0:
        raise UsageError(f"--depth must be 0 or more, not {depth}")
    through = {n for n, t in g.nodes(data="type") if t in MEANING_TYPES} | set(centres)
    walk = g.to_undirected(as_view=True).subgraph(through)
    keep = set()
    for c in centres:
        keep.update(nx.single_source_shortest_path_length(walk, c, cutoff=depth))
    return g.subgraph(keep).copy(), centres


def _latest_grades(g: nx.Graph) -> dict:
    """council -> (overall grade, date) of its latest graded inspection in ``g``."""
    latest = {}
    for u, v, attrs in g.edges(data=True):
        if attrs.get("relation") != "inspection":
            continue
        grade, date = g.nodes[v].get("grade") or "", str(g.nodes[v].get("date") or "")
        year = date_year(date)
        if not grade or year is None:
            continue
        if u not in latest or date > latest[u][1]:
            latest[u] = (grade, date)
    return latest


def _csp(page: str) -> str:
    hashes = []
    for m in re.finditer(r"<script(?![^>]*application/json)[^>]*>(.*?)</script>", page, re.S):
        digest = hashlib.sha256(m.group(1).encode("utf-8")).digest()
        hashes.append("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    return ("default-src 'none'; script-src " + " ".join(hashes) +
            "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")


def page_data(g: nx.Graph, *, focus_nodes=(), positions=None, layouts=(None, None)) -> dict:
    """The JSON the page draws: compact arrays, in node order. ``layouts``: (the last
    build's saved layout, where to save this one), see :func:`kg.viz.layout.reused_layout`."""
    if positions is None:
        # small graphs get room for their labels; big ones stay compact
        spacing = max(60.0, 150.0 - 25.0 * math.log10(max(g.number_of_nodes(), 1)))
        positions = reused_layout(g, spacing=spacing, last=layouts[0], save=layouts[1])
    index = {n: i for i, n in enumerate(g.nodes())}
    latest = _latest_grades(g)
    counts = {}
    nodes = []
    for n, attrs in g.nodes(data=True):
        kind = str(attrs.get("type") or "other")
        counts[kind] = counts.get(kind, 0) + 1
        label = str(attrs.get("label") if attrs.get("label") is not None else n)
        title = str(attrs.get("title") if attrs.get("title") is not None else label)
        x, y = positions.get(n, (0.0, 0.0))
        border, grade, year = "", "", None
        if kind == "inspection":
            grade = str(attrs.get("grade") or "")
            border = GRADE_COLOURS.get(grade, GRADE_COLOURS["other"])
            year = date_year(str(attrs.get("date") or ""))
        elif kind == "council" and n in latest:
            # a council shows its latest overall grade: border colour and a line of its details
            grade, when = latest[n]
            border = GRADE_COLOURS.get(grade, GRADE_COLOURS["other"])
            title += f"\nLatest grade: {grade.replace('_', ' ')} ({show_date(when)})"
        # [label, title, type, x, y, size, border, iri, year or null, grade]
        nodes.append([label, title, kind, x, y, NODE_SIZES.get(kind, 8), border, str(n), year, grade])
    edges = []
    for u, v, attrs in g.edges(data=True):
        label = str(attrs.get("label") or "")
        title = str(attrs.get("title") or label or attrs.get("relation") or "")
        edges.append([index[u], index[v], label, title, str(attrs.get("color") or "#bbbbbb")])
    known = [t for t in NODE_TYPES if t in counts] + sorted(t for t in counts if t not in NODE_TYPES)
    types = [{"name": t, "color": TYPE_COLOURS.get(t, "#555555"), "count": counts[t]} for t in known]
    grades = [{"name": name.replace("_", " ") or "not stated", "color": colour}
              for name, colour in GRADE_COLOURS.items()]
    big = len(edges) > BIG
    return {"nodes": nodes, "edges": edges, "types": types, "grades": grades,
            "focus": [index[n] for n in focus_nodes if n in index],
            "edgeLabels": not big, "arrows": not big, "big": big, "base": BASE}


def render_page(g: nx.Graph, *, focus: str | None = None, depth: int = 2,
                title: str = "kg network", layouts=(None, None)) -> str:
    """The HTML text of the network page (see :func:`render_html`)."""
    if not isinstance(g, nx.Graph):  # an RDF dataset or store
        from kg.viz.network import to_networkx

        g = to_networkx(g)
    centres = []
    if focus is not None:
        g, centres = focus_subgraph(g, focus, depth)
    data = page_data(g, focus_nodes=centres, layouts=layouts)
    parts = {
        "TITLE": html.escape(str(title), quote=True),
        "DATA": json_for_script(data),
        "VIS": vis_network_js(),
        "CSP": "__KG_CSP__",
    }
    template = TEMPLATE.read_text(encoding="utf-8")
    # one pass: text put in is never scanned for placeholders again
    page = re.sub(r"__KG_(TITLE|DATA|VIS|CSP)__", lambda m: parts[m.group(1)], template)
    return page.replace("__KG_CSP__", _csp(page), 1)


# the order node types give way in when a graph is too big to draw
_KEEP_ORDER = ("council", "inspection", "person", "organisation", "document", "quote", "finding")


def cap_nodes(nx_graph: nx.Graph, max_nodes: int) -> nx.Graph:
    """At most ``max_nodes`` nodes: councils, inspections and people first, then the
    best-connected of the rest (findings go first when something must)."""
    if nx_graph.number_of_nodes() <= max_nodes:
        return nx_graph
    rank = {t: i for i, t in enumerate(_KEEP_ORDER)}
    degree = dict(nx_graph.degree())
    ordered = sorted(nx_graph.nodes(data="type"), key=lambda nt: (rank.get(nt[1], len(rank)), -degree[nt[0]],
                                                                  str(nt[0])))
    keep = {n for n, _t in ordered[:max_nodes]}
    # the induced subgraph, nodes and edges in the graph's own order (as subgraph().copy()
    # gives when it keeps most nodes), built directly: a filtered view's copy costs more
    capped = nx_graph.__class__()
    capped.graph.update(nx_graph.graph)
    capped.add_nodes_from((n, dict(attrs)) for n, attrs in nx_graph.nodes(data=True) if n in keep)
    if capped.is_multigraph():
        capped.add_edges_from((u, v, k, dict(d)) for u, nbrs in nx_graph.adj.items() if u in keep
                              for v, keyed in nbrs.items() if v in keep for k, d in keyed.items())
    else:
        capped.add_edges_from((u, v, dict(d)) for u, nbrs in nx_graph.adj.items() if u in keep
                              for v, d in nbrs.items() if v in keep)
    return capped


def render_html(nx_graph: nx.Graph, out_path, *, focus: str | None = None, depth: int = 2,
                title: str = "kg network", layouts=(None, None)) -> Path:
    """Write ``nx_graph`` as one self-contained offline HTML page; returns the path.

    ``focus`` keeps only the ego graph (``depth`` hops, edges in either
    direction) of the node whose label equals it, case-insensitively;
    :class:`kg.errors.UsageError` if no node has that label.  The file is
    replaced atomically. ``layouts``: (the last build's saved layout, where to save this
    one): the layout is computed only when the nodes and edges differ from the last.
    """
    page = render_page(nx_graph, focus=focus, depth=depth, title=title, layouts=layouts)
    return atomic_write(out_path, lambda fh: fh.write(page.encode("utf-8")))
