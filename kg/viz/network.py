"""The knowledge graph as a ``networkx`` graph: the network view and Gephi export.

:func:`to_networkx` reads a build (an rdflib ``Dataset``/``ConjunctiveGraph``
or ``Graph``, or a ``pyoxigraph.Store``) and returns a ``MultiDiGraph`` whose
nodes are councils, people, organisations, inspections, documents, findings
and quotes.  Judgements are folded into their inspection's attributes;
memberships become person -> organisation edges labelled by role code.

Node and edge attributes are plain ``str``/``int``/``float`` so that
``networkx.write_graphml`` and ``write_gexf`` accept the graph as it is.
Node ids are the resources' IRIs.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Optional

import networkx as nx

from kg.rdf.namespace import FOAF, KGO_URI, OA, ORG, PROV, SDO
from kg.viz.common import (GRADE_COLOURS, NODE_TYPES, TYPE_COLOURS, atomic_write, best_date, show_date,
                           values_batches)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS_URI = "http://www.w3.org/2004/02/skos/core#"

# documents whose word is the record, preferred when sources disagree on a grade
RECORD_KINDS = ("report", "statistics")

_CLASSES = {
    KGO_URI + "Council": "council",
    str(ORG) + "Organization": "organisation",
    str(FOAF) + "Person": "person",
    str(SDO) + "Person": "person",
    KGO_URI + "SourceDocument": "document",
    KGO_URI + "StatisticsRelease": "document",
    KGO_URI + "Inspection": "inspection",
    KGO_URI + "Finding": "finding",
    KGO_URI + "Quote": "quote",
    str(ORG) + "Membership": "membership",
}

_K = KGO_URI
_PREDICATES = {
    "prefLabel": SKOS_URI + "prefLabel",
    "notation": SKOS_URI + "notation",
    "gssCode": _K + "gssCode",
    "sourceId": _K + "sourceId",
    "name": str(SDO) + "name",
    "headline": str(SDO) + "headline",
    "datePublished": str(SDO) + "datePublished",
    "documentKind": _K + "documentKind",
    "mentions": _K + "mentions",
    "foafName": str(FOAF) + "name",
    "member": str(ORG) + "member",
    "organization": str(ORG) + "organization",
    "role": str(ORG) + "role",
    "roleTitle": _K + "roleTitle",
    "heldOn": _K + "heldOn",
    "derivedFrom": str(PROV) + "wasDerivedFrom",
    "council": _K + "council",
    "inspectionKind": _K + "inspectionKind",
    "framework": _K + "framework",
    "visitStart": _K + "visitStart",
    "visitEnd": _K + "visitEnd",
    "published": _K + "published",
    "inspectionDate": _K + "inspectionDate",
    "judgement": _K + "judgement",
    "leadInspector": _K + "leadInspector",
    "area": _K + "area",
    "grade": _K + "grade",
    "polarity": _K + "polarity",
    "text": _K + "text",
    "aboutInspection": _K + "aboutInspection",
    "speaker": _K + "speaker",
    "speakerName": _K + "speakerName",
    "evidence": _K + "evidence",
    "hasSource": str(OA) + "hasSource",
}


# ---------------------------------------------------------------- reading RDF


def _is_oxigraph(source) -> bool:
    return type(source).__module__.startswith("pyoxigraph")


def _term(t):
    """(value, language) of an rdflib or pyoxigraph term."""
    lang = getattr(t, "language", None)
    value = getattr(t, "value", None) if _is_oxigraph(t) else None
    if value is None:
        value = str(t)
    return value, (lang or None)


def _pairs(source, predicate: str):
    """(subject, object term) for every statement with ``predicate``, in any graph."""
    if _is_oxigraph(source):
        import pyoxigraph as ox

        for q in source.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            yield q.subject.value, q.object
        return
    from rdflib import URIRef

    p = URIRef(predicate)
    if hasattr(source, "quads") and hasattr(source, "store") and source.store.context_aware:
        for s, _p, o, _g in source.quads((None, p, None, None)):
            yield str(s), o
    else:
        for s, _p, o in source.triples((None, p, None)):
            yield str(s), o


# read as one joined set (a fact's documents), never one by one
_SOURCE_KEYS = ("derivedFrom", "evidence", "hasSource")


class _Facts:
    """Property values of the resources the network needs, read once.

    ``values[key][s]`` holds the distinct ``(value, language)`` pairs of ``s``'s
    ``key`` property over all graphs, and ``sources[s]`` the documents ``s`` was
    derived from, directly or through its evidence."""

    def __init__(self, source, later: tuple = (), subjects=None):
        """``later``: keys not read from a store now, but by :meth:`read_later` for the
        subjects that turn out to need them. ``subjects`` (IRIs; a store only): read the
        facts of these alone (and the documents they come from), not of the whole store."""
        self.types: dict[str, set] = defaultdict(set)
        self.values: dict[str, dict[str, list]] = {}
        self.sources: dict[str, set] = defaultdict(set)
        self._store = source if _is_oxigraph(source) and later else None
        self._later = later if self._store is not None else ()
        self._blank: set = set()
        if subjects is not None:
            self._read_subjects(source, sorted(subjects))
        elif _is_oxigraph(source):
            self._read_oxigraph(source)
        else:
            self._read_pairs(source)

    def _read_pairs(self, source) -> None:
        for s, o in _pairs(source, RDF_TYPE):
            kind = _CLASSES.get(_term(o)[0])
            if kind:
                self.types[s].add(kind)
        for key, pred in _PREDICATES.items():
            table: dict[str, list] = defaultdict(list)
            seen = set()
            for s, o in _pairs(source, pred):
                value = _term(o)
                if (s, value) not in seen:
                    seen.add((s, value))
                    table[s].append(value)
            self.values[key] = table
        evidence, has_source = self.values["evidence"], self.values["hasSource"]
        for s, docs in self.values["derivedFrom"].items():
            self.sources[s].update(v for v, _lang in docs)
        for s, evs in evidence.items():
            for ev, _lang in evs:
                self.sources[s].update(v for v, _lang in has_source.get(ev, ()))

    def _read_oxigraph(self, store) -> None:
        """The same values through three SPARQL queries: Oxigraph filters and joins, so
        Python sees only the statements the network uses (not every rdf:type, nor each
        evidence node) and pays no per-quad call."""
        def rows(query: str):
            return store.query(query, use_default_graph_as_union=True)

        classes = " ".join(f"<{c}>" for c in _CLASSES)
        for s, c in rows(f"SELECT DISTINCT ?s ?c WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c }}"):
            self.types[s.value].add(_CLASSES[c.value])
            if type(s).__name__ == "BlankNode":
                self._blank.add(s.value)
        by_iri = {pred: key for key, pred in _PREDICATES.items()
                  if key not in _SOURCE_KEYS and key not in self._later}
        self.values = {key: defaultdict(list) for key in _PREDICATES}
        self._read_values(store, by_iri)
        p = _PREDICATES
        # the evidence hop as two hash-joined scans, not one lookup per evidence node
        for s, d in rows(f"SELECT DISTINCT ?s ?d WHERE {{ {{ ?s <{p['derivedFrom']}> ?d }} UNION "
                         f"{{ {{ SELECT ?s ?ev WHERE {{ ?s <{p['evidence']}> ?ev }} }} "
                         f"{{ SELECT ?ev ?d WHERE {{ ?ev <{p['hasSource']}> ?d }} }} }} }}"):
            self.sources[s.value].add(d.value)

    def _read_subjects(self, store, subjects: list) -> None:
        """What :meth:`_read_oxigraph` reads, for ``subjects`` only (400 named at a time)."""
        p = _PREDICATES
        by_iri = {pred: key for key, pred in p.items() if key not in _SOURCE_KEYS}
        self.values = {key: defaultdict(list) for key in p}

        def read(names):
            for part in values_batches(names):
                # every statement of each subject, filtered here (naming predicates too makes Oxigraph loop)
                for s, pr, o in store.query(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?s {{ {part} }} ?s ?p ?o }}",
                                            use_default_graph_as_union=True):
                    if pr.value == RDF_TYPE:
                        kind = _CLASSES.get(o.value)
                        if kind:
                            self.types[s.value].add(kind)
                    elif pr.value in by_iri:
                        values = self.values[by_iri[pr.value]][s.value]
                        value = (o.value, getattr(o, "language", None) or None)
                        if value not in values:
                            values.append(value)

        read(subjects)
        docs = set()
        for part in values_batches(subjects):
            for s, d in store.query(
                    f"SELECT DISTINCT ?s ?d WHERE {{ VALUES ?s {{ {part} }} {{ ?s <{p['derivedFrom']}> ?d }} UNION "
                    f"{{ ?s <{p['evidence']}> ?ev . ?ev <{p['hasSource']}> ?d }} }}", use_default_graph_as_union=True):
                self.sources[s.value].add(d.value)
                docs.add(d.value)
        read(sorted(docs - set(subjects)))  # a source's id and title name it in its facts' tips

    def _read_values(self, store, by_iri: dict) -> None:
        tables = self.values
        preds = " ".join(f"<{p}>" for p in by_iri)
        for p, s, o in store.query(f"SELECT DISTINCT ?p ?s ?o WHERE {{ VALUES ?p {{ {preds} }} ?s ?p ?o }}",
                                   use_default_graph_as_union=True):
            values = tables[by_iri[p.value]][s.value]
            value = (o.value, getattr(o, "language", None) or None)
            if value not in values:  # "x" and "x"^^xsd:string are one value
                values.append(value)

    def read_later(self, subjects=None) -> None:
        """Read the ``later`` keys of ``subjects`` (node ids), or of every subject."""
        if not self._later:
            return
        later, self._later = self._later, ()  # once
        if subjects is not None:
            subjects = sorted(set(subjects))
            if not self._blank.isdisjoint(subjects):
                subjects = None  # a blank node cannot be named in a query: read them all
        if subjects is None:
            self._read_values(self._store, {_PREDICATES[key]: key for key in later})
        elif subjects:
            named = " ".join(f"<{s}>" for s in subjects)
            for key in later:  # one predicate at a time, named: a second VALUES makes Oxigraph loop
                table = self.values[key]
                for s, o in self._store.query(f"SELECT DISTINCT ?s ?o WHERE {{ VALUES ?s {{ {named} }} "
                                              f"?s <{_PREDICATES[key]}> ?o }}", use_default_graph_as_union=True):
                    values = table[s.value]
                    value = (o.value, getattr(o, "language", None) or None)
                    if value not in values:
                        values.append(value)

    def all(self, key: str, s: str) -> list[str]:
        return sorted(v for v, _lang in self.values[key].get(s, ()))

    def one(self, key: str, s: str, default: str = "") -> str:
        """One value, preferring English or untagged literals, then the smallest."""
        vals = self.values[key].get(s)
        if not vals:
            return default
        if len(vals) == 1:
            return vals[0][0]
        rank = {"en": 0, "en-gb": 0, None: 1}
        return min(vals, key=lambda v: (rank.get((v[1] or "").lower() or None, 2), v[0]))[0]

    def of_type(self, kind: str) -> list[str]:
        return sorted(s for s, kinds in self.types.items() if kind in kinds)


# ---------------------------------------------------------------- labels


# characters XML 1.0 cannot hold (GraphML/GEXF): control characters, surrogates
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value):
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def _clean(text: str) -> str:
    return " ".join(str(text).split())


def _short(text: str, n: int) -> str:
    text = _clean(text)
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


# ---------------------------------------------------------------- the graph


def to_networkx(dataset, *, include_isolated: bool = False) -> nx.MultiDiGraph:
    """The network of a build.

    ``dataset`` is an rdflib ``Dataset``/``ConjunctiveGraph`` (all named graphs
    are read, whatever its ``default_union``), an rdflib ``Graph`` or a
    ``pyoxigraph.Store``.  Councils and organisations with no edge (the
    reference graph describes every council) are left out unless
    ``include_isolated``.
    """
    g, _fill = _build(_Facts(dataset), include_isolated, lazy=False)
    return _clean_for_xml(g)


class _Eager(Exception):
    """A lazy build met a case (one IRI with two roles) whose attributes depend on the order
    of the build: build eagerly instead."""


def _build(f: _Facts, include_isolated: bool, lazy: bool):
    """(graph, fill).  With ``lazy``, findings and quotes (and their edges) get only their
    ``type`` and no edge attributes; ``fill(h)`` then sets those attributes on the ones in
    ``h`` (the graph itself or a copy of part of it), exactly as an eager build sets them.
    Raises :class:`_Eager` when a lazy build could not give the same result."""
    g = nx.MultiDiGraph()
    light: dict[str, tuple] = {}  # lazy: finding/quote -> what its attributes need

    def concept_code(iri: str) -> str:
        return f.one("notation", iri) or _tail(iri)

    def concept_label(iri: str) -> str:
        return f.one("prefLabel", iri) or concept_code(iri)

    # documents --------------------------------------------------------
    doc_kind: dict[str, str] = {}
    doc_source: dict[str, str] = {}

    def add_document(d: str) -> None:
        if d in g:
            return
        source_id = f.one("sourceId", d) or _tail(d)
        title = f.one("name", d) or f.one("headline", d) or source_id
        kind = f.one("documentKind", d)
        published = f.one("datePublished", d)
        doc_kind[d], doc_source[d] = kind, source_id
        lines = [f"Document: {_clean(title)}", f"Source: {source_id}"]
        if kind:
            lines.append(f"Kind: {kind}")
        if published:
            lines.append(f"Published: {published}")
        g.add_node(d, type="document", label=_short(title, 60), title="\n".join(lines),
                   source_id=source_id, document_kind=kind, published=published,
                   color=TYPE_COLOURS["document"])

    for d in f.of_type("document"):
        add_document(d)

    def sources_of(fact: str) -> list[str]:
        return sorted(f.sources.get(fact, ()))

    def derived_attrs(d: str) -> dict:
        return dict(relation="derived_from", label="derived from", title="derived from " + doc_source[d],
                    color="#c8c8c8")

    def link_sources(fact: str, docs: list[str], bare: bool = False) -> None:
        for d in docs:
            add_document(d)
            if g.nodes[d].get("type") != "document":
                continue
            if not g.has_edge(fact, d, key="derived_from"):
                g.add_edge(fact, d, key="derived_from", **({} if bare else derived_attrs(d)))

    def source_ids(docs) -> str:
        return ", ".join(sorted({doc_source.get(d, _tail(d)) for d in docs}))

    # councils and organisations (added lazily: only those with edges) -----
    councils = set(f.of_type("council"))

    def add_org(o: str) -> None:
        if o in g:
            return
        if o in councils:
            label = f.one("prefLabel", o) or _tail(o)
            gss = f.one("gssCode", o)
            title = f"Council: {_clean(label)}" + (f"\nGSS code: {gss}" if gss else "")
            g.add_node(o, type="council", label=_short(label, 60), title=title, gss_code=gss,
                       color=TYPE_COLOURS["council"])
        else:
            label = f.one("prefLabel", o) or f.one("name", o) or _tail(o)
            g.add_node(o, type="organisation", label=_short(label, 60),
                       title=f"Organisation: {_clean(label)}", color=TYPE_COLOURS["organisation"])

    if include_isolated:
        for c in sorted(councils):
            add_org(c)
        for o in f.of_type("organisation"):
            add_org(o)

    # people -----------------------------------------------------------
    def add_person(p: str, fallback: str = "") -> None:
        if p in g:
            return
        name = f.one("foafName", p) or f.one("name", p) or fallback or _tail(p)
        g.add_node(p, type="person", label=_short(name, 60), title=f"Person: {_clean(name)}",
                   color=TYPE_COLOURS["person"])

    for p in f.of_type("person"):
        add_person(p)

    # memberships: person -> organisation, one edge per role ------------
    roles: dict[tuple, dict] = {}
    for m in f.of_type("membership"):
        for person in f.all("member", m):
            if not f.all("organization", m):  # a role at no named body: keep its source
                add_person(person)
                link_sources(person, sources_of(m))
            for o in f.all("organization", m):
                role_iris = f.all("role", m) or [""]
                for r in role_iris:
                    code = concept_code(r) if r else "other"
                    entry = roles.setdefault((person, o, code), {
                        "titles": set(), "held": set(), "docs": set(),
                        "role_label": concept_label(r) if r else "other role"})
                    entry["titles"].update(f.all("roleTitle", m))
                    entry["held"].update(f.all("heldOn", m))
                    entry["docs"].update(sources_of(m))
    for (person, o, code), e in sorted(roles.items()):
        add_person(person)
        add_org(o)
        titles = "; ".join(sorted(_clean(t) for t in e["titles"]))
        held = ", ".join(sorted(e["held"]))
        tip = [f"{g.nodes[person]['label']}: {e['role_label']} ({code})",
               f"at {g.nodes[o]['label']}"]
        if titles:
            tip.append(f"As written: {titles}")
        if held:
            tip.append(f"Held on: {held}")
        if e["docs"]:
            tip.append(f"Sources: {source_ids(e['docs'])}")
        g.add_edge(person, o, key=f"role:{code}", relation="role", label=code, role=code,
                   role_title=titles, held_on=held, sources=source_ids(e["docs"]),
                   title="\n".join(tip), color="#999999")
        link_sources(person, sorted(e["docs"]))

    # inspections, judgements folded in ---------------------------------
    for insp in f.of_type("inspection"):
        council = f.one("council", insp)
        kind_iri, fw_iri = f.one("inspectionKind", insp), f.one("framework", insp)
        kind = concept_code(kind_iri) if kind_iri else ""
        framework = concept_code(fw_iri) if fw_iri else ""
        # sources may give a visit's start as a year, a month or a day without its year:
        # the most precise is shown, as on the pages
        start, end = best_date(f.all("visitStart", insp)), f.one("visitEnd", insp)
        published = f.one("published", insp)
        date = best_date(f.all("visitStart", insp) + f.all("inspectionDate", insp)) or published
        if council:
            add_org(council)
        council_label = g.nodes[council]["label"] if council else ""
        kind_label = concept_label(kind_iri) if kind_iri else "inspection"
        label = " ".join(x for x in (council_label, kind_label, show_date(date)) if x)

        # area -> [(grade code, document kinds)]
        stated: dict[str, list] = defaultdict(list)
        for j in f.all("judgement", insp):
            a, gr = f.one("area", j), f.one("grade", j)
            if not (a and gr):
                continue
            kinds = {doc_kind.get(d, f.one("documentKind", d)) for d in sources_of(j)}
            stated[concept_code(a)].append((concept_code(gr), kinds))
        attrs = {}
        judgement_lines = []
        for area_code in sorted(stated, key=lambda a: (a != "overall", a)):
            grades = sorted({gr for gr, _ in stated[area_code]})
            attrs[area_code] = "|".join(grades)
            judgement_lines.append(f"  {area_code}: {' / '.join(grades)}")
        overall = ""
        if stated.get("overall"):
            record = [gr for gr, kinds in stated["overall"] if kinds & set(RECORD_KINDS)]
            pool = record or [gr for gr, _ in stated["overall"]]
            overall = Counter(pool).most_common(1)[0][0] if pool else ""
        docs = sources_of(insp)
        tip = [f"Inspection: {label}"]
        if framework:
            tip.append(f"Framework: {framework}")
        if start or end:
            tip.append(f"Visit: {show_date(start) or '?'} to {show_date(end) or '?'}")
        elif date:
            tip.append(f"Date: {show_date(date)}")
        if published:
            tip.append(f"Published: {show_date(published)}")
        if judgement_lines:
            tip.append("Judgements:")
            tip.extend(judgement_lines)
        if docs:
            tip.append(f"Sources: {source_ids(docs)}")
        # judgement area codes never clash with these names
        node_attrs = dict(type="inspection", label=_short(label, 80), title="\n".join(tip),
                          grade=overall, kind=kind, framework=framework, council=council_label,
                          visit_start=start, visit_end=end, published=published, date=date,
                          color=TYPE_COLOURS["inspection"])
        for area_code, value in attrs.items():
            node_attrs.setdefault(area_code, value)
        g.add_node(insp, **node_attrs)
        if council:
            g.add_edge(council, insp, key="inspection", relation="inspection",
                       label=overall.replace("_", " "), grade=overall,
                       title=f"{council_label}: {kind_label} {date}" +
                             (f", overall {overall}" if overall else ""),
                       color=GRADE_COLOURS.get(overall, GRADE_COLOURS["other"]))
        for lead in f.all("leadInspector", insp):
            add_person(lead)
            g.add_edge(insp, lead, key="lead_inspector", relation="lead_inspector",
                       label="lead inspector", title=f"lead inspector: {g.nodes[lead]['label']}",
                       color="#999999")
        link_sources(insp, docs)

    def label_of(n: str) -> str:
        if n in light:  # a finding or quote as another's target: its label is not made yet
            raise _Eager
        return g.nodes[n]["label"]

    def add_light(n: str, kind: str, needs: tuple) -> None:
        if n in g:  # the eager build would overwrite that node's attributes here
            raise _Eager
        g.add_node(n, type=kind)
        light[n] = needs

    # findings ---------------------------------------------------------
    def finding_attrs(fd: str, sources: Optional[str]) -> dict:
        pol_iri = f.one("polarity", fd)
        polarity = concept_code(pol_iri) if pol_iri else ""
        text = f.one("text", fd)
        label = (f"{polarity}: " if polarity else "") + _short(text, 40)
        tip = [f"Finding ({polarity or 'no polarity'})", _clean(text)]
        if sources is not None:
            tip.append(f"Source: {sources}")
        return dict(type="finding", label=label, title="\n".join(tip), polarity=polarity,
                    text=_clean(text), color=TYPE_COLOURS["finding"])

    def about_attrs(target_label: str) -> dict:
        return dict(relation="about", label="about", title="finding about " + target_label, color="#c8c8c8")

    for fd in f.of_type("finding"):
        target = f.one("aboutInspection", fd)
        if target and target not in g:
            target = ""
        council = f.one("council", fd)
        target = target or council
        docs = sources_of(fd)
        sources = source_ids(docs) if docs else None
        if lazy:
            add_light(fd, "finding", ("finding", sources, target, docs, ""))
        else:
            g.add_node(fd, **finding_attrs(fd, sources))
        if target:
            if target in councils:
                add_org(target)
            if lazy:
                label_of(target)  # as the eager build would, fail here if it has no label
                g.add_edge(fd, target, key="about")
            else:
                g.add_edge(fd, target, key="about", **about_attrs(g.nodes[target]["label"]))
        link_sources(fd, docs, bare=lazy)

    # quotes -----------------------------------------------------------
    def quote_attrs(q: str, speaker_name: str, sources: Optional[str]) -> dict:
        text = f.one("text", q)
        label = "\u201c" + _short(text, 36) + "\u201d"
        tip = [f"Quote from {_clean(speaker_name) or 'unknown speaker'}", _clean(text)]
        if sources is not None:
            tip.append(f"Source: {sources}")
        return dict(type="quote", label=label, title="\n".join(tip), speaker=_clean(speaker_name),
                    text=_clean(text), color=TYPE_COLOURS["quote"])

    def speaker_attrs(speaker_label: str) -> dict:
        return dict(relation="speaker", label="said by", title="said by " + speaker_label, color="#c8c8c8")

    for q in f.of_type("quote"):
        speaker = f.one("speaker", q)
        speaker_name = f.one("speakerName", q)
        if speaker:
            if speaker in councils or "organisation" in f.types.get(speaker, ()):
                add_org(speaker)  # "Ofsted said ..."
            else:
                add_person(speaker, speaker_name)
            speaker_name = speaker_name or label_of(speaker)
        docs = sources_of(q)
        sources = source_ids(docs) if docs else None
        if lazy:
            add_light(q, "quote", ("quote", sources, speaker, docs, speaker_name))
            if speaker:
                label_of(speaker)
                g.add_edge(q, speaker, key="speaker")
        else:
            g.add_node(q, **quote_attrs(q, speaker_name, sources))
            if speaker:
                g.add_edge(q, speaker, key="speaker", **speaker_attrs(g.nodes[speaker]["label"]))
        link_sources(q, docs, bare=lazy)

    # documents -> councils they mention ---------------------------------
    for d in [n for n, t in g.nodes(data="type") if t == "document"]:
        for c in f.all("mentions", d):
            if c in councils or c in g:
                add_org(c)
                g.add_edge(d, c, key="mentions", relation="mentions", label="mentions",
                           title=f"{doc_source[d]} mentions {label_of(c)}",
                           color="#dddddd")

    if not include_isolated:
        g.remove_nodes_from([n for n, t in list(g.nodes(data="type"))
                             if t in ("council", "organisation") and g.degree(n) == 0])

    def fill(h: nx.MultiDiGraph) -> None:
        for n, (kind, sources, other, docs, speaker_name) in light.items():
            if n not in h:
                continue
            if kind == "finding":
                h.nodes[n].update(finding_attrs(n, sources))
                if other and h.has_edge(n, other, "about"):
                    h.edges[n, other, "about"].update(about_attrs(g.nodes[other]["label"]))
            else:
                h.nodes[n].update(quote_attrs(n, speaker_name, sources))
                if other and h.has_edge(n, other, "speaker"):
                    h.edges[n, other, "speaker"].update(speaker_attrs(g.nodes[other]["label"]))
            for d in docs:
                if h.has_edge(n, d, "derived_from"):
                    h.edges[n, d, "derived_from"].update(derived_attrs(d))

    return g, fill


def _clean_for_xml(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Drop the characters XML cannot hold from every string attribute, in place."""
    node_attrs = [attrs for _n, attrs in g.nodes(data=True)]
    edge_attrs = [attrs for _u, _v, attrs in g.edges(data=True)]
    # one search over all the text first: almost always nothing needs cleaning
    if _NOT_XML.search("".join(v for attrs in node_attrs + edge_attrs for v in attrs.values()
                               if isinstance(v, str))):
        for attrs in node_attrs + edge_attrs:
            for k, v in attrs.items():
                attrs[k] = _xml_safe(v)
    return g


def to_networkx_capped(dataset, max_nodes: int, *, include_isolated: bool = False, types: tuple = ()):
    """``cap_nodes(to_networkx(dataset), max_nodes)`` (the same nodes, edges, attributes and
    order), but the text of findings and quotes is made only for those kept.

    The ranking needs every node's type and degree, so the whole network is still built,
    but its findings and quotes (most of its nodes, and the first to go) and their edges
    get no attributes until the cap has chosen. With ``types`` (node types, not findings
    or quotes), returns ``(capped, the whole network's subgraph of those types)``: one
    reading of the store for both."""
    from kg.viz.render import cap_nodes

    # the text of findings and quotes is read only for the ones kept
    f = _Facts(dataset, later=("text", "polarity"))
    try:
        g, fill = _build(f, include_isolated, lazy=True)
    except (_Eager, KeyError):  # an IRI in two roles (or a missing label): as to_networkx does
        f.read_later()
        g, fill = _build(f, include_isolated, lazy=False)
    capped = cap_nodes(g, max_nodes)
    f.read_later(n for n, t in capped.nodes(data="type") if t in ("finding", "quote"))
    fill(capped)
    if not types:
        return _clean_for_xml(capped)
    part = g.subgraph([n for n, t in g.nodes(data="type") if t in types]).copy()
    fill(part)
    return _clean_for_xml(capped), _clean_for_xml(part)



# ---------------------------------------------------------------- one node's neighbourhood


_REGEX_CHARS = set("\\.^$|?*+()[]{}")


def _focus_regex(focus: str) -> str:
    """A case-insensitive SPARQL regex for the text a node labelled ``focus`` was labelled
    from: all of it, or its start when the label was cut (``…``); a finding's label less
    its polarity prefix, a quote's less its quote marks."""
    core = focus.strip().strip("\u201c\u201d").strip()
    cut = core.endswith("\u2026")
    core = core.rstrip("\u2026").strip()
    texts = [core]
    head, _, rest = core.partition(": ")
    if rest and head.replace("_", "").isalpha():  # "strength: ..." of a finding (or a title with a colon)
        texts.append(rest)

    def words(text):  # regex characters escaped; any run of spaces as in the text
        return "\\s+".join("".join("\\" + ch if ch in _REGEX_CHARS else ch for ch in w) for w in text.split())

    if not core:
        return ""
    pattern = "^\\s*(?:" + "|".join(words(t) for t in texts) + ")" + ("" if cut else "\\s*$")
    return pattern.replace("\\", "\\\\").replace('"', '\\"')  # as a SPARQL string


def focus_network(store, focus: str, meaning: nx.Graph, depth: int = 2) -> tuple:
    """``focus_subgraph(to_networkx(store), focus, depth)`` for a focus that is not a council,
    inspection or person, reading only the store around it: the nodes whose text could give
    that label, what links to them and what those link to. ``meaning`` is the whole
    network's subgraph of councils, inspections and people (the page index has it), which
    the walk goes through. Raises :class:`kg.errors.UsageError` when no node has the label."""
    from kg.errors import UsageError
    from kg.viz.render import _label_matches

    if depth < 0:
        raise UsageError(f"--depth must be 0 or more, not {depth}")

    def rows(query: str):
        return store.query(query, use_default_graph_as_union=True)

    def iris(query: str, var: str = "x") -> set:
        return {s[var].value for s in rows(query) if type(s[var]).__name__ == "NamedNode"}

    candidates = set()
    if re.fullmatch(r"[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+", focus.strip()):
        candidates.add(focus.strip())
    pattern = _focus_regex(focus)
    if pattern:
        preds = " ".join(f"<{_PREDICATES[k]}>" for k in ("prefLabel", "name", "headline", "sourceId", "text", "foafName"))
        candidates |= iris(f'SELECT DISTINCT ?x WHERE {{ VALUES ?p {{ {preds} }} ?x ?p ?v '
                           f'FILTER(isLiteral(?v) && REGEX(STR(?v), "{pattern}", "i")) }}')
    if not candidates:
        raise UsageError(f"no node labelled {focus!r} in the graph")

    def around(nodes, incoming: bool) -> set:
        found = set()
        for part in values_batches(sorted(nodes)):
            found |= iris(f"SELECT DISTINCT ?x WHERE {{ VALUES ?s {{ {part} }} ?s ?p ?x }}")
            if incoming:
                # only memberships and inspections link a node to a person, council or
                # inspection (a role at it, or a fact drawn from it); one quote of a speaker
                # says it is in the network, as every other would
                facts = f"VALUES ?t {{ <{ORG}Membership> <{_K}Inspection> }} ?x a ?t"
                p = _PREDICATES
                found |= iris(f"SELECT DISTINCT ?x WHERE {{ VALUES ?o {{ {part} }} ?x ?p ?o . {facts} }}")
                found |= iris(f"SELECT DISTINCT ?x WHERE {{ VALUES ?d {{ {part} }} "
                              f"?ev <{p['hasSource']}> ?d . ?x <{p['evidence']}> ?ev . {facts} }}")
                found |= iris(f"SELECT (SAMPLE(?q) AS ?x) WHERE {{ VALUES ?o {{ {part} }} ?q <{p['speaker']}> ?o }} GROUP BY ?o")
        return found

    # what the candidates' node and edges are made of: their facts, what links to them,
    # and what those link to (a membership's person, role and documents; an inspection's council)
    near = candidates | around(candidates, True)
    subjects = near | around(near - candidates, False)
    local = _Facts(store, subjects=subjects)
    g, _fill = _build(local, False, lazy=False)
    centres = [n for n in _label_matches(g, focus) if n in candidates and n not in meaning]
    if not centres:
        raise UsageError(f"no node labelled {focus!r} in the graph")
    walk = meaning.to_undirected(as_view=True)
    keep = set()
    if depth > 0:
        for c in centres:
            for n in nx.all_neighbors(g, c):
                if n in meaning:
                    keep.update(nx.single_source_shortest_path_length(walk, n, cutoff=depth - 1))
    out = nx.MultiDiGraph()
    out.add_nodes_from((c, g.nodes[c]) for c in centres)
    out.add_nodes_from((n, meaning.nodes[n]) for n in meaning if n in keep)
    inner = meaning.subgraph(keep)
    out.add_edges_from((u, v, k, d) for u, v, k, d in inner.edges(keys=True, data=True))
    ends = keep | set(centres)
    out.add_edges_from((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True)
                       if (u in centres or v in centres) and u in ends and v in ends)
    return _clean_for_xml(out), centres


# ---------------------------------------------------------------- export


def _as_graph(dataset_or_graph) -> nx.MultiDiGraph:
    if isinstance(dataset_or_graph, nx.Graph):
        return dataset_or_graph
    return to_networkx(dataset_or_graph)


def write_graphml(dataset, path) -> Path:
    """Write the network of ``dataset`` (or an already built networkx graph) as GraphML.

    Edge ids are made unique (``e0``, ``e1``, ...; the kind of edge stays in
    ``relation``) because Gephi drops edges whose id repeats; nodes get
    ``r``/``g``/``b`` attributes, which Gephi reads as their colour. GraphML node ids must be
    XML NMTOKENs, which an IRI is not (``/``, ``#``): nodes are ``n0``, ``n1``, ... and each
    node's IRI is its ``iri`` attribute.
    """
    g = _as_graph(dataset)
    h = nx.MultiDiGraph()
    ids = {n: f"n{i}" for i, n in enumerate(g.nodes)}
    for n, data in g.nodes(data=True):
        extra = _hex_rgb(data["color"]) if isinstance(data.get("color"), str) else {}
        h.add_node(ids[n], **data, iri=str(n), **{k: extra[k] for k in ("r", "g", "b") if k in extra})
    for i, (u, v, data) in enumerate(g.edges(data=True)):
        h.add_edge(ids[u], ids[v], key=f"e{i}", **data)
    return atomic_write(path, lambda fh: nx.write_graphml(h, fh, encoding="utf-8"))


def _hex_rgb(colour: str) -> dict:
    c = colour.lstrip("#")
    if len(c) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in c):
        return {}
    return {"r": int(c[0:2], 16), "g": int(c[2:4], 16), "b": int(c[4:6], 16), "a": 1.0}


def write_gexf(dataset, path) -> Path:
    """Write the network as GEXF 1.2, with node colours (``viz``) for Gephi."""
    g = _as_graph(dataset).copy()
    for _n, data in g.nodes(data=True):
        colour = data.get("color")
        if isinstance(colour, str) and _hex_rgb(colour):
            data["viz"] = {"color": _hex_rgb(colour)}
    for _u, _v, data in g.edges(data=True):
        colour = data.get("color")
        if isinstance(colour, str) and _hex_rgb(colour):
            data["viz"] = {"color": _hex_rgb(colour)}
    return atomic_write(path, lambda fh: nx.write_gexf(g, fh, encoding="utf-8"))


from kg.viz.render import render_html  # noqa: E402  (re-exported for callers of this module)

__all__ = ["to_networkx", "write_graphml", "write_gexf", "render_html",
           "NODE_TYPES", "TYPE_COLOURS", "GRADE_COLOURS"]
