"""Reference documentation of the ontology, generated from the Turtle.

``python -m kg.rdf.docs`` writes:

* ``docs/ontology/README.md``: the overview (namespaces, a Mermaid diagram of
  the classes and their relations, the named-graph and evidence model, the
  dataset description, validation) with an index of every term;
* ``docs/ontology/classes/NAME.md`` and ``docs/ontology/properties/NAME.md``:
  one page per ``kgo:`` class and property, with its definition, its axioms,
  what the shapes require and an example;
* ``docs/ontology/codes.md``: every concept scheme and concept;
* ``docs/ontology/reused.md``: the W3C and common terms the graph reuses;
* ``docs/ontology/example.trig``: the worked example the pages quote. It is
  made by the real mapping (``DocumentMapper`` and ``resolve``) from a few
  illustrative facts, so it is exactly what a build emits for them;
* ``ontology/context.jsonld``: the JSON-LD context.

Everything is derived from ``ontology/kg.ttl``, ``codes.ttl`` and
``shapes.ttl`` and the mapping code, deterministically: ``--check`` (and
``tests/test_ontology.py``) fail when the checked-in files are not what
regenerating gives.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Optional

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD

from .namespace import (OA_URI as OA_NS, CONTEXT_FILE, ID, KGO_URI, ONTOLOGY_DIR, ONTOLOGY_IRI, PREFIXES, SHAPES_FILE, ontology_graph)

REPO = ONTOLOGY_DIR.parent
DOCS_DIR = REPO / "docs" / "ontology"
REGENERATE = "python -m kg.rdf.docs"

KGSH = "https://w3id.org/ofsted-kg/shapes#"
DOC_PREFIXES = {**PREFIXES, "kgsh": KGSH, "sh": str(SH), "rdf": str(RDF),
                "codesif": "https://w3id.org/ofsted-kg/code/sif/",
                "codeilacs2018": "https://w3id.org/ofsted-kg/code/ilacs-2018/",
                "codeilacs2023": "https://w3id.org/ofsted-kg/code/ilacs-2023/"}
VOCABULARIES = {  # namespace -> (name, specification)
    "http://www.w3.org/ns/org#": ("W3C Organization Ontology (ORG)", "https://www.w3.org/TR/vocab-org/"),
    "http://www.w3.org/ns/prov#": ("W3C PROV-O", "https://www.w3.org/TR/prov-o/"),
    "http://xmlns.com/foaf/0.1/": ("FOAF", "http://xmlns.com/foaf/spec/"),
    "https://schema.org/": ("schema.org", "https://schema.org/"),
    "http://www.w3.org/ns/oa#": ("W3C Web Annotation Vocabulary", "https://www.w3.org/TR/annotation-vocab/"),
    "http://rdfs.org/ns/void#": ("VoID", "https://www.w3.org/TR/void/"),
    "http://www.w3.org/ns/dcat#": ("W3C DCAT", "https://www.w3.org/TR/vocab-dcat-3/"),
    "http://purl.org/dc/terms/": ("DCMI Metadata Terms", "https://www.dublincore.org/specifications/dublin-core/dcmi-terms/"),
}


# ================================================================ the worked example


def example_facts() -> list:
    """Illustrative facts about Tameside's December 2023 ILACS inspection.

    The council, dates and grades are the public record; the two documents,
    their sentences and the people in them are made up for the example.
    """
    from ..model import (CouncilMention, Document, DocumentFacts, Evidence, Finding, Inspection, Judgement,
                         PersonRole, Quote)

    tameside = "E08000008"

    def span(doc: Document, phrase: str, page: Optional[int] = None) -> Evidence:
        start = doc.text.index(phrase)
        return Evidence(doc.source_id, start, start + len(phrase), phrase,
                        page if page is not None else doc.page_of(start))

    news = Document(
        source_id="example-news.txt", kind="news", title="Tameside children's services judged inadequate",
        url="https://news.example.org/2024/03/07/tameside-childrens-services", published="2024-03-07",
        publisher="Example Gazette",
        text=("Tameside children's services judged inadequate\nBy Pat Writer, reporter\n\n"
              "Ofsted has judged children's services in Tameside inadequate after inspectors visited the council "
              "in December 2023. Inspectors found that too many children waited too long for help. "
              "Council leader Jo Example said: \"We accept the findings and we are acting on them now.\" "
              "The council said leadership had been judged as requiring improvement.\n"))
    news_facts = DocumentFacts(document=news)
    news_facts.councils = [CouncilMention(tameside, "Tameside", span(news, "Tameside"))]
    news_facts.people = [PersonRole("Jo Example", "leader", "Council leader", "Tameside Council", tameside,
                                    "2024-03-07", span(news, "Council leader Jo Example")),
                         # a byline names no organisation the reporter belongs to: a person mention
                         PersonRole("Pat Writer", "other", "reporter", None, None, "2024-03-07",
                                    span(news, "Pat Writer, reporter"))]
    news_facts.inspections = [Inspection(
        tameside, "full_inspection", "ILACS", visit_start="2023-12",
        judgements=[
            Judgement("overall", "inadequate", "children's services", "inadequate",
                      span(news, "judged children's services in Tameside inadequate")),
            Judgement("leadership", "requires_improvement", "leadership", "requiring improvement",
                      span(news, "leadership had been judged as requiring improvement"))],
        evidence=span(news, "inspectors visited the council in December 2023"))]
    news_facts.findings = [Finding(tameside, "weakness", "too many children waited too long for help",
                                   span(news, "too many children waited too long for help"), 0)]
    news_facts.quotes = [Quote("Jo Example", "We accept the findings and we are acting on them now.",
                               span(news, "We accept the findings and we are acting on them now."), "leader")]

    report_text = ("Inspection of Tameside local authority children's services\n"
                   "Inspection dates: 4 to 15 December 2023\n"
                   "Lead inspector: Sam Sample, His Majesty's Inspector\n"
                   "Judgement | Grade\n"
                   "The impact of leaders on social work practice with children and families | Inadequate\n"
                   "Overall effectiveness | Inadequate\n")
    report = Document(source_id="example-report.pdf", kind="report",
                      title="Inspection of Tameside local authority children's services",
                      published="2024-02-13", publisher="Ofsted", text=report_text,
                      page_starts=[0, report_text.index("Judgement |")])
    report_facts = DocumentFacts(document=report)
    report_facts.councils = [CouncilMention(tameside, "Tameside", span(report, "Tameside"))]
    report_facts.inspections = [Inspection(
        tameside, "full_inspection", "ILACS", visit_start="2023-12-04", visit_end="2023-12-15",
        published="2024-02-13", lead_inspector="Sam Sample",
        judgements=[
            Judgement("leadership", "inadequate",
                      "The impact of leaders on social work practice with children and families", "Inadequate",
                      span(report, "The impact of leaders on social work practice with children and families | Inadequate")),
            Judgement("overall", "inadequate", "Overall effectiveness", "Inadequate",
                      span(report, "Overall effectiveness | Inadequate"))],
        evidence=span(report, "Inspection dates: 4 to 15 December 2023"))]

    stats = Document(source_id="example-outcomes.ods#history", kind="statistics",
                     title="Local authority inspection outcomes: ILACS inspection history (example rows)",
                     published="2025-09-25", publisher="Ofsted", text="")
    row_2019 = "E08000008 | Tameside | North West | 2019-05-13 | 2019-07-03 | Requires improvement to be good"
    row_2023 = "E08000008 | Tameside | North West | 2023-12-04 | 2024-02-13 | Inadequate"
    stats_facts = DocumentFacts(document=stats)
    stats_facts.councils = [CouncilMention(tameside, "Tameside", Evidence(stats.source_id, 0, 0, row_2019))]
    stats_facts.inspections = [
        Inspection(tameside, "full_inspection", "ILACS", visit_start="2019-05", published="2019-07-03",
                   judgements=[Judgement("overall", "requires_improvement", "Overall effectiveness",
                                         "Requires improvement to be good",
                                         Evidence(stats.source_id, 0, 0,
                                                  "Overall effectiveness: Requires improvement to be good"))],
                   evidence=Evidence(stats.source_id, 0, 0, row_2019)),
        Inspection(tameside, "full_inspection", "ILACS", visit_start="2023-12-04", published="2024-02-13",
                   judgements=[Judgement("overall", "inadequate", "Overall effectiveness", "Inadequate",
                                         Evidence(stats.source_id, 0, 0, "Overall effectiveness: Inadequate"))],
                   evidence=Evidence(stats.source_id, 0, 0, row_2023))]

    # a council paper that dates the inspection wrongly: the record has it three months earlier
    minutes = Document(source_id="example-minutes.txt", kind="minutes", title="Children's Scrutiny Panel, minutes",
                       published="2024-04-10", publisher="Tameside Council",
                       text="The panel noted the Ofsted inspection of children's services in March 2024.\n")
    minutes_facts = DocumentFacts(document=minutes)
    minutes_facts.councils = [CouncilMention(tameside, "Tameside", span(minutes, "the Ofsted inspection"))]
    minutes_facts.inspections = [Inspection(tameside, "full_inspection", "ILACS", visit_start="2024-03",
                                            evidence=span(minutes, "inspection of children's services in March 2024"))]

    # the leaders table: a closed term and an open one, each from the page it cites
    page = "https://reference.example.org/wiki/Tameside_Council"
    leaders = DocumentFacts(document=Document(source_id=page, kind="reference", url=page, text="",
                                              publisher="reference.example.org"))
    leaders.people = [
        PersonRole("Jo Example", "leader", "Leader of the council", "Tameside", tameside,
                   evidence=Evidence(page, 0, 0, "E08000008 | Tameside | leader | Jo Example | | 2022-05 | 2024-10-24 |"),
                   held_from="2022-05", held_until="2024-10-24"),
        PersonRole("Alex Specimen", "leader", "Leader of the council", "Tameside", tameside,
                   evidence=Evidence(page, 0, 0, "E08000008 | Tameside | leader | Alex Specimen | | 2024-10-24 | |"),
                   held_from="2024-10-24", known_until="2025-05-01")]
    return [news_facts, report_facts, stats_facts, minutes_facts, leaders]


EXAMPLE_COUNCILS = ("E08000008", "E10000021", "E06000061", "E06000062")  # Tameside; Northamptonshire and successors


def example_dataset() -> Dataset:
    """What a build emits for :func:`example_facts`, less the ontology graph and the dataset description;
    the reference graph keeps only the councils and organisations the example uses."""
    from ..nlp.gazetteer import default_gazetteer
    from ..resolve import resolve
    from .mapping import DocumentMapper, reference_graph

    facts = example_facts()
    ds = Dataset()
    ref = reference_graph(default_gazetteer())
    keep = {ID[f"council/{gss}"] for gss in EXAMPLE_COUNCILS}
    person_keys, insp_keys, resolved = resolve(facts)
    docs = [DocumentMapper(f, person_keys, insp_keys).map() for f in facts]
    for g in docs:
        for _s, _p, o in g:
            if isinstance(o, URIRef) and str(o).startswith(str(ID["org/"])):
                keep.add(o)
    ctx = ds.graph(ref.identifier)
    for s, p, o in ref:
        if s in keep:
            ctx.add((s, p, o))
    for g in (resolved, *docs):
        ctx = ds.graph(g.identifier)
        for t in g:
            ctx.add(t)
    _bind(ds)
    return ds


# ================================================================ reading the ontology


def _bind(g) -> None:
    for prefix, ns in DOC_PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)


class Terms:
    """The ontology, codes and shapes, with lookups the pages need."""

    def __init__(self):
        self.onto = ontology_graph()
        self.shapes = Graph()
        self.shapes.parse(SHAPES_FILE, format="turtle")
        self.g = Graph()
        for t in self.onto:
            self.g.add(t)
        _bind(self.g)
        self.nm = self.g.namespace_manager

    # -- names
    def q(self, term) -> str:
        if isinstance(term, URIRef):
            text = str(term)
            best = None
            for prefix, ns in DOC_PREFIXES.items():
                if text.startswith(ns) and (best is None or len(ns) > len(best[1])):
                    best = (prefix, ns)
            if best:
                return f"{best[0]}:{text[len(best[1]):]}"
            return f"<{text}>"
        if isinstance(term, Literal):
            return term.n3(self.nm)
        return "[]"

    def label(self, term) -> str:
        return str(self.onto.value(term, RDFS.label) or self.onto.value(term, SKOS.prefLabel) or self.q(term))

    def comment(self, term) -> str:
        return str(self.onto.value(term, RDFS.comment) or self.onto.value(term, SKOS.definition)
                   or self.onto.value(term, SKOS.scopeNote) or "")

    # -- terms
    def own(self, kind) -> list:
        return sorted((s for s in self.onto.subjects(RDF.type, kind)
                       if isinstance(s, URIRef) and str(s).startswith(KGO_URI)), key=str)

    @property
    def classes(self) -> list:
        return self.own(OWL.Class)

    @property
    def properties(self) -> list:
        props = set(self.own(OWL.ObjectProperty)) | set(self.own(OWL.DatatypeProperty))
        return sorted(props, key=str)

    def is_object_property(self, p) -> bool:
        return (p, RDF.type, OWL.ObjectProperty) in self.onto

    def reused(self) -> list:
        return sorted((s for s in self.onto.subjects(RDFS.isDefinedBy, None)
                       if isinstance(s, URIRef) and not str(s).startswith(KGO_URI)), key=str)

    def class_expr(self, node) -> str:
        """A class or datatype expression: a name, or the members of an owl:unionOf."""
        if node is None:
            return ""
        if isinstance(node, URIRef):
            return self.link(node)
        union = self.onto.value(node, OWL.unionOf)
        if union is not None:
            return " or ".join(self.class_expr(m) for m in Collection(self.onto, union))
        return "(anonymous)"

    def union_members(self, node) -> list:
        if node is None:
            return []
        if isinstance(node, URIRef):
            return [node]
        union = self.onto.value(node, OWL.unionOf)
        return list(Collection(self.onto, union)) if union is not None else []

    def link(self, term, depth: int = 1) -> str:
        """Markdown link to a term's page (own terms) or specification (reused terms)."""
        up = "../" * depth
        text = str(term)
        if text.startswith(KGO_URI):
            local = text[len(KGO_URI):]
            folder = "classes" if (term, RDF.type, OWL.Class) in self.onto else "properties"
            return f"[`kgo:{local}`]({up}{folder}/{local}.md)"
        if (term, RDFS.isDefinedBy, None) in self.onto:
            return f"[`{self.q(term)}`]({up}reused.md#{_anchor(self.q(term))})"
        return f"`{self.q(term)}`"

    # -- shapes
    def shapes_for_class(self, cls) -> list:
        return sorted(set(self.shapes.subjects(SH.targetClass, cls)), key=str)

    def shape_rows(self, cls) -> list:
        """(path, constraints, shape) rows for the property shapes of the shapes that target ``cls``."""
        rows = []
        for shape in self.shapes_for_class(cls):
            for ps in self.shapes.objects(shape, SH.property):
                rows.append((self.path_text(self.shapes.value(ps, SH.path)), self.constraints(ps), self.q(shape)))
            extra = self.node_constraints(shape)
            if extra:
                rows.append(("(node)", extra, self.q(shape)))
        return sorted(rows)

    def shape_rows_for_property(self, prop) -> list:
        rows = []
        for ps in set(self.shapes.subjects(SH.path, prop)):
            owners = list(self.shapes.subjects(SH.property, ps))
            for owner in owners:
                targets = [self.q(t) for t in self.shapes.objects(owner, SH.targetClass)] or [self.q(owner)]
                rows.append((", ".join(sorted(targets)), self.constraints(ps), self.q(owner)))
        return sorted(rows)

    def path_text(self, path) -> str:
        if isinstance(path, URIRef):
            return self.q(path)
        inverse = self.shapes.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + self.path_text(inverse)
        alternative = self.shapes.value(path, SH.alternativePath)
        if alternative is not None:
            return "(" + " | ".join(self.path_text(p) for p in Collection(self.shapes, alternative)) + ")"
        try:
            return " / ".join(self.path_text(p) for p in Collection(self.shapes, path))
        except Exception:
            return "?"

    def constraints(self, ps) -> str:
        s, parts = self.shapes, []
        lo, hi = s.value(ps, SH.minCount), s.value(ps, SH.maxCount)
        if lo is not None or hi is not None:
            parts.append(f"{lo.toPython() if lo is not None else 0}..{hi.toPython() if hi is not None else '*'}")
        for pred, word in ((SH.datatype, "datatype"), (SH["class"], "class"), (SH.node, "shape"),
                           (SH.hasValue, "has value"), (SH.nodeKind, "node kind"), (SH.pattern, "pattern"),
                           (SH.minLength, "min length"), (SH.minInclusive, "≥"), (SH.lessThanOrEquals, "≤"),
                           (SH.severity, "severity")):
            for v in sorted(s.objects(ps, pred), key=str):
                value = f"`{v}`" if pred == SH.pattern else self.q(v) if isinstance(v, URIRef) else str(v)
                parts.append(f"{word} {value}")
        for pred, word in ((SH["in"], "one of"), (SH["or"], "any of")):
            lst = s.value(ps, pred)
            if lst is not None:
                parts.append(f"{word} " + ", ".join(self._member(m) for m in Collection(s, lst)))
        qv = s.value(ps, SH.qualifiedValueShape)
        if qv is not None:
            qlo, qhi = s.value(ps, SH.qualifiedMinCount), s.value(ps, SH.qualifiedMaxCount)
            parts.append(f"{qlo or 0}..{qhi if qhi is not None else '*'} values in a code scheme")
        if s.value(ps, SH.sparql) is not None:
            parts.append("SPARQL check")
        msg = s.value(ps, SH.message)
        if msg is not None:
            parts.append(f"— “{msg}”")
        return "; ".join(parts) or "—"

    def node_constraints(self, shape) -> str:
        s, parts = self.shapes, []
        for pred, word in ((SH["or"], "any of"), (SH.xone, "exactly one of")):
            lst = s.value(shape, pred)
            if lst is not None:
                parts.append(f"{word} (" + "; ".join(self._member(m) for m in Collection(s, lst)) + ")")
        for c in s.objects(shape, SH.sparql):
            parts.append(f"SPARQL check: “{s.value(c, SH.message)}”")
        msg = s.value(shape, SH.message)
        if msg is not None and parts:
            parts.append(f"— “{msg}”")
        return "; ".join(parts)

    def _member(self, m) -> str:
        if isinstance(m, (URIRef, Literal)):
            return self.q(m) if isinstance(m, URIRef) else f'"{m}"'
        path = self.shapes.value(m, SH.path)
        inner = self.constraints(m)
        return f"{self.path_text(path)} {inner}" if path is not None else inner


def _anchor(text: str) -> str:
    return "".join(ch for ch in text.lower().replace(":", "").replace(" ", "-") if ch.isalnum() or ch in "-_")


# ================================================================ Turtle snippets


def _fmt_triples(ds: Dataset, rows: Iterable[tuple], nm, limit: int = 0, shorten: bool = True) -> str:
    """``GRAPH <g> { s p o . }`` blocks in TriG, grouped by graph and subject."""
    by_graph: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o, g in rows:
        by_graph[g][s].append((p, o))
    out = []
    for g in sorted(by_graph, key=str):
        out.append(f"GRAPH {_n3(g, nm)} {{")
        for s in sorted(by_graph[g], key=str):
            pos = sorted(set(by_graph[g][s]), key=lambda po: (po[0] != RDF.type, str(po[0]), str(po[1])))
            if limit:
                pos = pos[:limit]
            lines = []
            for i, (p, o) in enumerate(pos):
                pred = "a" if p == RDF.type else _n3(p, nm)
                lines.append(f"        {pred} {_n3(o, nm, shorten)}")
            out.append(f"    {_n3(s, nm)}\n" + " ;\n".join(lines) + " .")
        out.append("}")
    return "\n".join(out)


def _n3(term, nm, shorten: bool = True) -> str:
    if isinstance(term, Literal):
        text = str(term)
        if shorten and len(text) > 100:
            term = Literal(text[:97] + "...", lang=term.language, datatype=term.datatype)
        if term.datatype == XSD.string:
            term = Literal(str(term))
    return term.n3(nm)


def _all_quads(ds: Dataset) -> list:
    return [(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in ds.quads((None, None, None, None))]


def _quads_about(ds: Dataset, subject) -> list:
    return [(s, p, o, g.identifier if hasattr(g, "identifier") else g)
            for s, p, o, g in ds.quads((subject, None, None, None))]


def _quads_using(ds: Dataset, prop, limit: int = 3) -> list:
    rows = sorted(((s, p, o, g.identifier if hasattr(g, "identifier") else g)
                   for s, p, o, g in ds.quads((None, prop, None, None))), key=lambda q: (str(q[3]), str(q[0]), str(q[2])))
    return rows[:limit]


# ================================================================ pages


def render_docs() -> dict:
    """Relative path (under docs/ontology/) -> file content."""
    t = Terms()
    ex = example_dataset()
    ex_nm = ex.namespace_manager
    pages: dict = {}
    for cls in t.classes:
        pages[f"classes/{_local(cls)}.md"] = _class_page(t, ex, ex_nm, cls)
    for prop in t.properties:
        pages[f"properties/{_local(prop)}.md"] = _property_page(t, ex, ex_nm, prop)
    pages["codes.md"] = _codes_page(t)
    pages["reused.md"] = _reused_page(t)
    pages["README.md"] = _index_page(t, ex)
    used = {str(t) for q in ex.quads((None, None, None, None)) for t in q[:3]}
    used |= {str(q[2].datatype) for q in ex.quads((None, None, None, None)) if isinstance(q[2], Literal) and q[2].datatype}
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(DOC_PREFIXES.items())
                     if any(u.startswith(ns) for u in used))
    trig = header + "\n" + _fmt_triples(ex, _all_quads(ex), ex_nm, shorten=False) + "\n"
    pages["example.trig"] = ("# The worked example of docs/ontology: what kg's mapping emits for a few illustrative facts\n"
                             f"# (generated by `{REGENERATE}`; the people and the documents' words are made up).\n"
                             + trig)
    return pages


def _local(term) -> str:
    return str(term)[len(KGO_URI):]


def _header(t: Terms, term, kind: str) -> list:
    return [f"# {t.label(term)} (`kgo:{_local(term)}`)", "",
            f"{kind} of the [kg ontology](../README.md). IRI: `{term}`", "",
            t.comment(term), ""]


def _class_page(t: Terms, ex: Dataset, nm, cls) -> str:
    o = t.onto
    lines = _header(t, cls, "Class")
    supers = sorted(o.objects(cls, RDFS.subClassOf), key=str)
    subs = sorted(o.subjects(RDFS.subClassOf, cls), key=str)
    if supers:
        lines += ["**Subclass of:** " + ", ".join(t.link(s) for s in supers), ""]
    if subs:
        lines += ["**Superclass of:** " + ", ".join(t.link(s) for s in subs), ""]
    dom = [p for p in t.properties if cls in t.union_members(o.value(p, RDFS.domain))]
    rng = [p for p in t.properties if cls in t.union_members(o.value(p, RDFS.range))]
    if dom:
        lines += ["## Properties", "", "| property | range | definition |", "| --- | --- | --- |"]
        for p in dom:
            lines.append(f"| {t.link(p)} | {t.class_expr(o.value(p, RDFS.range)) or '—'} | {_cell(t.comment(p))} |")
        lines.append("")
    if rng:
        lines += ["## Used as the value of", "", "| property | domain |", "| --- | --- |"]
        for p in rng:
            lines.append(f"| {t.link(p)} | {t.class_expr(o.value(p, RDFS.domain)) or '—'} |")
        lines.append("")
    rows = t.shape_rows(cls)
    for sup in supers:
        rows += [r for r in t.shape_rows(sup) if r not in rows]
    if rows:
        lines += ["## Shape (what `kg validate` checks)", "", "| path | constraints | shape |", "| --- | --- | --- |"]
        for path, cons, shape in rows:
            lines.append(f"| `{path}` | {_cell(cons)} | `{shape}` |")
        lines.append("")
    # the richest instance shows the most
    instances = sorted({s for s, _p, _o, _g in ex.quads((None, RDF.type, cls, None))},
                       key=lambda i: (-len({p for _s, p, _o, _g in ex.quads((i, None, None, None))}), str(i)))
    lines += ["## Example", ""]
    if instances:
        lines += [f"From [the worked example](../example.trig) ({len(instances)} node(s) of this class there):", "",
                  "```trig", _fmt_triples(ex, _quads_about(ex, instances[0]), nm), "```", ""]
    else:
        concepts = sorted(t.onto.subjects(RDF.type, cls), key=str)
        if concepts:
            g = Graph()
            for s, p, v in t.onto.triples((concepts[0], None, None)):
                if p != SKOS.hasTopConcept:
                    g.add((s, p, v))
            lines += ["From [the code schemes](../codes.md):", "", "```turtle",
                      _fmt_triples(ex, ((s, p, v, ID["graph/ontology"]) for s, p, v in g), nm), "```", ""]
        else:
            lines += ["No build node of this class in the worked example.", ""]
    return "\n".join(lines).rstrip() + "\n"


def _property_page(t: Terms, ex: Dataset, nm, prop) -> str:
    o = t.onto
    kind = "Object property" if t.is_object_property(prop) else "Datatype property"
    lines = _header(t, prop, kind)
    facts = [("domain", t.class_expr(o.value(prop, RDFS.domain)) or "—"),
             ("range", t.class_expr(o.value(prop, RDFS.range)) or "—")]
    supers = sorted(o.objects(prop, RDFS.subPropertyOf), key=str)
    if supers:
        facts.append(("sub-property of", ", ".join(t.link(s) for s in supers)))
    chars = [c for c, name in ((OWL.FunctionalProperty, "functional"), (OWL.InverseFunctionalProperty, "inverse functional"),
                               (OWL.SymmetricProperty, "symmetric")) if (prop, RDF.type, c) in o]
    if chars:
        facts.append(("characteristics", ", ".join(_local_any(c).replace("Property", "").lower() for c in chars)))
    lines += ["| | |", "| --- | --- |"] + [f"| {k} | {v} |" for k, v in facts] + [""]
    rows = t.shape_rows_for_property(prop)
    if rows:
        lines += ["## Shapes (what `kg validate` checks)", "", "| on | constraints | shape |", "| --- | --- | --- |"]
        for on, cons, shape in rows:
            lines.append(f"| `{on}` | {_cell(cons)} | `{shape}` |")
        lines.append("")
    quads = _quads_using(ex, prop)
    lines += ["## Example", ""]
    if quads:
        lines += ["From [the worked example](../example.trig):", "", "```trig",
                  _fmt_triples(ex, quads, nm), "```", ""]
    else:
        lines += ["Not emitted for the worked example: " + ("declared for data a build may carry (see the definition)."), ""]
    return "\n".join(lines).rstrip() + "\n"


def _local_any(term) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _codes_page(t: Terms) -> str:
    o = t.onto
    from rdflib.namespace import SKOS as S

    code_schemes = sorted(o.subjects(RDF.type, URIRef(KGO_URI + "CodeScheme")), key=str)
    finer = sorted((s for s in o.subjects(RDF.type, S.ConceptScheme) if s not in code_schemes), key=str)
    lines = ["# Code schemes", "",
             "Controlled values are SKOS concepts, in [`ontology/codes.ttl`](../../ontology/codes.ttl).", "",
             "* A **code scheme** (`kgo:CodeScheme`) holds the codes of the named queries: each concept has exactly "
             "one `skos:notation`, the code. The mapping emits only these concepts.",
             "* A **finer scheme** (a framework's own judgement lines, an older grade scale, Ofsted's visit types, "
             "detailed roles) has concepts with no notation, each mapped to exactly one code concept by "
             "`skos:exactMatch`, `skos:closeMatch` or `skos:broadMatch`; so every concept has one code:", "",
             "```sparql",
             "?concept (skos:exactMatch|skos:closeMatch|skos:broadMatch)? ?c .",
             "?c skos:inScheme/a kgo:CodeScheme ; skos:notation ?code .",
             "```", "",
             "`skos:altLabel` holds other wordings that texts use, `skos:hiddenLabel` the loose shorthand of news.", ""]
    lines += ["## Contents", ""]
    for s in code_schemes + finer:
        lines.append(f"* [{o.value(s, S.prefLabel)}](#{_anchor(str(o.value(s, S.prefLabel)))})"
                     + (" (code scheme)" if s in code_schemes else ""))
    lines.append("")
    for s in code_schemes + finer:
        lines += [f"## {o.value(s, S.prefLabel)}", "", f"`{s}` — {o.value(s, S.definition)}", ""]
        concepts = sorted(o.subjects(S.inScheme, s), key=lambda c: str(c))
        if s in code_schemes:
            lines += ["| code | concept | label | other wordings | definition |", "| --- | --- | --- | --- | --- |"]
            for c in concepts:
                lines.append(f"| `{o.value(c, S.notation)}` | `{t.q(c)}` | {o.value(c, S.prefLabel)} | "
                             f"{_cell(_labels(o, c))} | {_cell(o.value(c, S.definition))} |")
        else:
            lines += ["| concept | label | other wordings | code (mapping) | definition |", "| --- | --- | --- | --- | --- |"]
            for c in concepts:
                lines.append(f"| `{t.q(c)}` | {_cell(o.value(c, S.prefLabel))} | {_cell(_labels(o, c))} | "
                             f"{_code_of(o, c)} | {_cell(o.value(c, S.definition))} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _labels(o: Graph, c) -> str:
    alt = sorted(str(v) for v in o.objects(c, SKOS.altLabel))
    hidden = sorted(str(v) for v in o.objects(c, SKOS.hiddenLabel))
    return ", ".join([f"“{a}”" for a in alt] + [f"“{h}” (hidden)" for h in hidden])


def _code_of(o: Graph, c) -> str:
    for rel in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch):
        for target in o.objects(c, rel):
            notation = o.value(target, SKOS.notation)
            if notation is not None:
                return f"`{notation}` ({_local_any(rel)})"
    return "—"


def _reused_page(t: Terms) -> str:
    lines = ["# Reused terms", "",
             "The W3C and common terms the graph uses, declared in [`ontology/kg.ttl`](../../ontology/kg.ttl) "
             "(so that code naming any other term fails) with how kg uses each. Their definitions are the "
             "vocabularies' own.", ""]
    by_ns: dict = defaultdict(list)
    for term in t.reused():
        ns = str(t.onto.value(term, RDFS.isDefinedBy))
        by_ns[ns].append(term)
    for ns in sorted(by_ns):
        name, spec = VOCABULARIES.get(ns, (ns, ns))
        lines += [f"## {name}", "", f"Namespace `{ns}` — specification: <{spec}>", "",
                  "| term | kind | how kg uses it |", "| --- | --- | --- |"]
        for term in by_ns[ns]:
            kinds = sorted(_local_any(k) for k in t.onto.objects(term, RDF.type))
            q = t.q(term)
            lines.append(f"| <a id=\"{_anchor(q)}\"></a>`{q}` | {', '.join(kinds)} | "
                         f"{_cell(t.onto.value(term, SKOS.scopeNote) or '')} |")
        lines.append("")
    lines += ["## Also used", "",
              "* SKOS (`http://www.w3.org/2004/02/skos/core#`): `skos:prefLabel`/`skos:altLabel` for the names of "
              "councils and organisations; the whole of the [code schemes](codes.md).",
              "* RDFS: `rdfs:label` on councils, organisations and people.",
              "* XML Schema datatypes: `xsd:date`, `xsd:gYearMonth` and `xsd:gYear` by the precision a source gives "
              "(`xsd:gMonthDay` for an inspection's day given without its year); "
              "`xsd:integer`, `xsd:anyURI`, `xsd:dateTime`.", ""]
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- the overview and the diagram


def diagram(t: Terms) -> str:
    """A Mermaid class diagram: classes, subclass links, and the relations and attributes the shapes require."""
    s = t.shapes
    names: dict = {}

    def node(cls) -> str:
        if cls not in names:
            names[cls] = t.q(cls).replace(":", "_")
        return names[cls]

    code_shapes = {shape for shape in s.subjects(RDF.type, SH.NodeShape)
                   for ps in s.objects(shape, SH.property)
                   if s.value(ps, SH.path) == SKOS.inScheme and s.value(ps, SH.hasValue) is not None}
    date_shapes = {URIRef(KGSH + "DateAtPrecision"), URIRef(KGSH + "VisitDateAtPrecision")}
    edges, attrs = set(), defaultdict(dict)
    target_classes = sorted({c for c in s.objects(None, SH.targetClass)
                             if c not in (SKOS.Concept, SKOS.ConceptScheme) and not str(c).startswith(str(OA_NS))}, key=str)
    for cls in target_classes:
        for shape in t.shapes_for_class(cls):
            for ps in s.objects(shape, SH.property):
                path = s.value(ps, SH.path)
                if not isinstance(path, URIRef) or path == RDF.type:
                    continue
                hi = s.value(ps, SH.maxCount)
                card = "1" if hi is not None and int(hi) == 1 else "*"
                classes = list(s.objects(ps, SH["class"]))
                alternatives = s.value(ps, SH["or"])
                if alternatives is not None:
                    classes += [c for m in Collection(s, alternatives) for c in s.objects(m, SH["class"])]
                target = s.value(ps, SH.node)
                label = _local_any(path)
                if classes:
                    for c in classes:
                        edges.add((node(cls), node(c), label, card))
                elif target in code_shapes:
                    edges.add((node(cls), node(SKOS.Concept), label, card))
                elif target in date_shapes:
                    attrs[node(cls)][label] = "date"
                elif s.value(ps, SH.datatype) is not None:
                    attrs[node(cls)][label] = _local_any(s.value(ps, SH.datatype))
                elif s.value(ps, SH.nodeKind) == SH.IRI:
                    attrs[node(cls)][label] = "IRI"
                elif s.value(ps, SH["in"]) is not None:
                    attrs[node(cls)][label] = "string"
    for cls in sorted(set(t.classes) | set(target_classes), key=str):
        for sup in t.onto.objects(cls, RDFS.subClassOf):
            edges.add((node(sup), node(cls), "", "isa"))
    lines = ["classDiagram", "    direction LR"]
    for cls, name in sorted(names.items(), key=lambda kv: kv[1]):
        lines.append(f'    class {name}["{t.q(cls)}"]')
    for name in sorted(attrs):
        for label, kind in sorted(attrs[name].items()):
            lines.append(f"    {name} : +{kind} {label}")
    for a, b, label, card in sorted(edges):
        if card == "isa":
            lines.append(f"    {a} <|-- {b}")
        else:
            lines.append(f'    {a} --> "{card}" {b} : {label}')
    return "\n".join(lines)


def _index_page(t: Terms, ex: Dataset) -> str:
    o = t.onto
    title = o.value(ONTOLOGY_IRI, RDFS.label)
    version = o.value(ONTOLOGY_IRI, OWL.versionInfo)
    lines = [f"# {title}", "",
             f"Reference documentation of the kg ontology (version {version}), generated from "
             f"[`ontology/kg.ttl`](../../ontology/kg.ttl), [`codes.ttl`](../../ontology/codes.ttl) and "
             f"[`shapes.ttl`](../../ontology/shapes.ttl) by `{REGENERATE}` (a test keeps it in step).", "",
             str(o.value(ONTOLOGY_IRI, RDFS.comment)), "",
             "## Files", "",
             "| file | what |", "| --- | --- |",
             "| [`ontology/kg.ttl`](../../ontology/kg.ttl) | the OWL ontology: the domain's own classes and properties (`kgo:`), and the reused terms it declares |",
             "| [`ontology/codes.ttl`](../../ontology/codes.ttl) | SKOS concept schemes of the controlled values ([codes](codes.md)) |",
             "| [`ontology/shapes.ttl`](../../ontology/shapes.ttl) | SHACL shapes of a build; `kg validate` checks them |",
             "| [`ontology/context.jsonld`](../../ontology/context.jsonld) | JSON-LD context: short names for the terms |",
             "| [`example.trig`](example.trig) | the worked example every page quotes, as the mapping emits it |",
             "", "## Namespaces", "", "| prefix | namespace |", "| --- | --- |"]
    for prefix, ns in sorted(PREFIXES.items()):
        lines.append(f"| `{prefix}:` | `{ns}` |")
    lines += ["", "## Classes and their relations", "",
              "Classes of the graph with the relations and attributes the shapes require of them "
              "(`A --> B : p` is a property `p` from `A` to `B`; `<|--` is a subclass link).", "",
              "```mermaid", diagram(t), "```", "",
              "## Model in brief", "",
              "* **Named graphs.** Each source document's facts are in a named graph of its own "
              "(`kgid:graph/<source id>`). `kgid:graph/reference` holds the councils (with ONS links) and other "
              "organisations and the dataset description; `kgid:graph/resolved` the facts resolution derives across "
              "documents (best inspection date, previous inspection, grade change, conflicting judgements); "
              "`kgid:graph/ontology` this ontology and the code schemes.",
              "* **Provenance.** Every fact node (judgement, finding, quote, council mention, membership) "
              "`prov:wasDerivedFrom` its document; an inspection, a `prov:Activity` (which PROV-O keeps apart "
              "from entities), is `kgo:reportedIn` its document instead. `kgo:evidence` points at a Web Annotation "
              "`oa:SpecificResource` on that document with one selector giving the exact text (`oa:exact`) and "
              "its character offsets (`oa:start`, `oa:end`); PDF evidence adds `kgo:page`.",
              "* **Dates** are `xsd:date`, `xsd:gYearMonth` or `xsd:gYear`, by the precision the source gives; an "
              "inspection's dates may also be `xsd:gMonthDay` when a source gives the day but not the year.",
              "* **Controlled values** are SKOS concepts whose `skos:notation` is the code the named queries "
              "return; finer concepts map to exactly one code ([codes](codes.md)).",
              "* **Councils** link to the ONS statistical geography of their GSS code "
              "(`kgo:statisticalGeography <http://statistics.data.gov.uk/id/statistical-geography/E08000008>`), "
              "the key to other UK linked data.",
              "* **Dataset description.** Every build describes itself as `kgid:dataset`, a `void:Dataset` and "
              "`dcat:Dataset` in the reference graph: title, build time (`dcterms:created`), software version, "
              "every source (`dcterms:source`), exact triple counts of the build and of each named graph "
              "(`void:subset`, named by the graph's IRI), and node counts per class (`void:classPartition`).",
              "", "## Classes", "", "| class | definition |", "| --- | --- |"]
    for cls in t.classes:
        lines.append(f"| {t.link(cls, 0)} | {_cell(t.comment(cls))} |")
    lines += ["", "## Properties", "", "| property | kind | domain | range |", "| --- | --- | --- | --- |"]
    for p in t.properties:
        kind = "object" if t.is_object_property(p) else "datatype"
        lines.append(f"| {t.link(p, 0)} | {kind} | {_cell(_relink(t.class_expr(o.value(p, RDFS.domain))))} | "
                     f"{_cell(_relink(t.class_expr(o.value(p, RDFS.range))))} |")
    lines += ["", "## Shapes", "",
              "[`ontology/shapes.ttl`](../../ontology/shapes.ttl) holds the SHACL shapes `kg validate` checks with "
              "pySHACL over the union of a build's named graphs (no inference; SHACL Advanced Features on for the "
              "SPARQL-targeted checks). A `sh:Violation` fails validation; a `sh:Warning` is reported.", "",
              "| shape | applies to | what it checks |", "| --- | --- | --- |"]
    for shape, target, comment in _shape_index(t):
        lines.append(f"| `{shape}` | {target} | {_cell(comment)} |")
    lines += ["", "## Also", "", "* [Code schemes](codes.md): every controlled value, its code and the wordings texts use.",
              "* [Reused terms](reused.md): the W3C and common terms the graph uses, and how.",
              "* Validate a build: `kg validate --graph out/` checks it against the shapes and names the source "
              "document of each violation.", ""]
    return "\n".join(lines).rstrip() + "\n"


def _shape_index(t: Terms) -> list:
    s, rows = t.shapes, []
    for shape in sorted(set(s.subjects(RDF.type, SH.NodeShape)), key=str):
        if not isinstance(shape, URIRef):
            continue
        targets = [f"instances of `{t.q(c)}`" for c in sorted(s.objects(shape, SH.targetClass), key=str)]
        targets += [f"subjects of `{t.q(p)}`" for p in s.objects(shape, SH.targetSubjectsOf)]
        if s.value(shape, SH.target) is not None:
            targets.append("nodes its SPARQL target selects")
        if not targets:
            targets = ["values it is applied to (`sh:node`)"]
        rows.append((t.q(shape), ", ".join(targets), str(s.value(shape, RDFS.comment) or "")))
    return rows


def _relink(text: str) -> str:
    return text.replace("](../", "](")


# ================================================================ JSON-LD context


def render_context() -> str:
    """The JSON-LD context (``ontology/context.jsonld``): prefixes, classes and properties by short name."""
    t = Terms()
    o = t.onto
    ctx: dict = {}
    for prefix, ns in sorted(PREFIXES.items()):
        ctx[prefix] = ns
    ctx["id"] = "@id"
    ctx["type"] = "@type"
    for cls in t.classes:
        ctx[_local(cls)] = f"kgo:{_local(cls)}"
    for p in t.properties:
        entry: dict = {"@id": f"kgo:{_local(p)}"}
        rng = o.value(p, RDFS.range)
        if t.is_object_property(p):
            entry["@type"] = "@id"
        elif isinstance(rng, URIRef) and rng not in (XSD.string,):
            entry["@type"] = t.q(rng)
        ctx[_local(p)] = entry
    reused = {
        "Organization": "org:Organization", "Membership": "org:Membership", "Person": "foaf:Person",
        "member": {"@id": "org:member", "@type": "@id"}, "organization": {"@id": "org:organization", "@type": "@id"},
        "role": {"@id": "org:role", "@type": "@id"}, "name": "foaf:name",
        "wasDerivedFrom": {"@id": "prov:wasDerivedFrom", "@type": "@id"},
        "hasSource": {"@id": "oa:hasSource", "@type": "@id"}, "hasSelector": {"@id": "oa:hasSelector", "@type": "@id"},
        "exact": "oa:exact", "start": {"@id": "oa:start", "@type": "xsd:integer"},
        "end": {"@id": "oa:end", "@type": "xsd:integer"},
        "prefLabel": {"@id": "skos:prefLabel", "@language": "en"}, "altLabel": {"@id": "skos:altLabel", "@language": "en"},
        "notation": "skos:notation", "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
        "title": "schema:name", "url": {"@id": "schema:url", "@type": "xsd:anyURI"},
        "datePublished": "schema:datePublished", "publisher": "schema:publisher",
    }
    for key, value in reused.items():
        assert key not in ctx, key
        ctx[key] = value
    return json.dumps({"@context": ctx}, indent=2, ensure_ascii=False) + "\n"


# ================================================================ writing and checking


def outputs() -> dict:
    """Every generated file: absolute path -> content."""
    files = {DOCS_DIR / rel: text for rel, text in render_docs().items()}
    files[CONTEXT_FILE] = render_context()
    return files


def stale(files: Optional[dict] = None) -> list:
    """Generated files that differ from what is on disk, and stray pages that would be removed."""
    files = files if files is not None else outputs()
    out = [p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    out += [p for p in _existing_pages() if p not in files]
    return sorted(out)


def _existing_pages() -> list:
    if not DOCS_DIR.is_dir():
        return []
    return [p for p in DOCS_DIR.rglob("*") if p.is_file()]


def write() -> list:
    files = outputs()
    changed = stale(files)
    for p in _existing_pages():
        if p not in files:
            p.unlink()
    for p, text in files.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        if not p.exists() or p.read_text(encoding="utf-8") != text:
            p.write_text(text, encoding="utf-8")
    return changed


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--check" in argv:
        out = stale()
        for p in out:
            print(f"out of date: {p.relative_to(REPO)}", file=sys.stderr)
        if out:
            print(f"regenerate with: {REGENERATE}", file=sys.stderr)
        return 1 if out else 0
    changed = write()
    print(f"wrote {DOCS_DIR.relative_to(REPO)} and {CONTEXT_FILE.relative_to(REPO)} ({len(changed)} files changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
