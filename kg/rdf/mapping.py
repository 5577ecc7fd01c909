"""Facts -> RDF quads: one named graph per document, plus reference and resolved graphs."""
from __future__ import annotations

import calendar
import datetime
import hashlib
import re
from functools import lru_cache
from typing import Iterable, Optional

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from ..model import DocumentFacts, Evidence
from ..nlp.gazetteer import Gazetteer, organisations
from .namespace import (FOAF, ID, KGO, OA, ONS_GEOGRAPHY, ORG, PROV, SDO, concept)

REFERENCE_GRAPH = ID["graph/reference"]
ONTOLOGY_GRAPH = ID["graph/ontology"]
RESOLVED_GRAPH = ID["graph/resolved"]
DOC_CLASS = {
    "news": SDO.NewsArticle, "press_release": SDO.NewsArticle, "blog": SDO.BlogPosting,
    "minutes": SDO.DigitalDocument, "report": SDO.Report, "statistics": SDO.Dataset,
    "reference": SDO.CreativeWork,  # a reference page a shipped table cites (the leaders table)
}


def slug(text: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._~-]+", "-", text).strip("-")
    return s or "x"


def doc_graph_iri(source_id: str) -> URIRef:
    return ID[f"graph/{slug(source_id)}"]


LEADERS_GRAPH = ID["graph/council-leaders"]  # every page the leaders table cites, in one graph


def graph_iri_of(document) -> URIRef:
    """The named graph of a document's facts: its own, or for a page a shipped table cites, the table's."""
    return LEADERS_GRAPH if document.kind == "reference" else doc_graph_iri(document.source_id)


def doc_iri(source_id: str) -> URIRef:
    return ID[f"doc/{slug(source_id)}"]


def council_iri(gss: str) -> URIRef:
    return ID[f"council/{gss}"]


def person_iri(key: str) -> URIRef:
    return ID[f"person/{slug(key)}"]


def org_iri(key: str) -> URIRef:
    return ID[f"org/{slug(key)}"]


def date_datatype(value: Optional[str]):
    """The XSD type of an ISO date at its known precision (date, gYearMonth, gYear, gMonthDay), or None."""
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return None
        return XSD.date
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return XSD.gYearMonth
    if re.fullmatch(r"\d{4}", value):
        return XSD.gYear
    if re.fullmatch(r"--\d{2}-\d{2}", value):
        return XSD.gMonthDay  # a day the source gives without its year
    return None


def date_bounds(value: Optional[str]) -> Optional[tuple]:
    """(first day, last day) as ISO dates of a date at year, month or day precision, or None
    (a day without its year, or no date): what a range filter compares, whatever the precision."""
    kind = date_datatype(value)
    if kind == XSD.date:
        return value, value
    if kind == XSD.gYearMonth:
        year, month = int(value[:4]), int(value[5:7])
        if not 1 <= month <= 12:
            return None
        return f"{value}-01", f"{value}-{calendar.monthrange(year, month)[1]:02d}"
    if kind == XSD.gYear:
        return f"{value}-01-01", f"{value}-12-31"
    return None


def date_literal(value: Optional[str]) -> Optional[Literal]:
    """ISO date at its known precision -> xsd:date, xsd:gYearMonth or xsd:gYear."""
    datatype = date_datatype(value)
    return None if datatype is None else Literal(value, datatype=datatype)


def reference_graph(gaz: Gazetteer) -> Graph:
    """Councils and other organisations: the gazetteer as RDF."""
    g = Graph(identifier=REFERENCE_GRAPH)
    for gss, c in gaz.councils.items():
        node = council_iri(gss)
        g.add((node, RDF.type, KGO.Council))
        g.add((node, RDF.type, ORG.Organization))
        g.add((node, RDF.type, ORG.FormalOrganization))
        g.add((node, RDF.type, SDO.GovernmentOrganization))
        g.add((node, SKOS.prefLabel, Literal(c.name, lang="en")))
        g.add((node, RDFS.label, Literal(c.name, lang="en")))
        for alt in c.names[1:]:
            g.add((node, SKOS.altLabel, Literal(alt, lang="en")))
        g.add((node, KGO.gssCode, Literal(gss)))
        g.add((node, KGO.statisticalGeography, ONS_GEOGRAPHY[gss]))
        if c.dfe_code:
            g.add((node, KGO.dfeCode, Literal(c.dfe_code)))
        if c.ofsted_urn:
            g.add((node, KGO.ofstedUrn, Literal(c.ofsted_urn)))
        if c.valid_from:
            g.add((node, KGO.validFrom, Literal(c.valid_from, datatype=XSD.date)))
        if c.valid_to:
            g.add((node, KGO.validTo, Literal(c.valid_to, datatype=XSD.date)))
        for succ in c.replaced_by:
            g.add((node, KGO.replacedBy, council_iri(succ)))
        for n in c.stat_neighbours:
            g.add((node, KGO.statisticalNeighbour, council_iri(n)))
    for key, o in organisations().items():
        node = org_iri(key)
        g.add((node, RDF.type, ORG.Organization))
        g.add((node, SKOS.prefLabel, Literal(o.name, lang="en")))
        g.add((node, RDFS.label, Literal(o.name, lang="en")))
        for alt in o.aliases:
            g.add((node, SKOS.altLabel, Literal(alt, lang="en")))
    return g


# ---------------------------------------------------------------- N-Triples text
#
# Document graphs are the bulk of a build: they are written as N-Triples text
# directly (rdflib Graph.add and its serialiser were most of the mapping time).

_ECHARS = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"))
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def nt_iri(iri: str) -> str:
    """An IRI as an N-Triples term; characters an IRIREF cannot hold are refused."""
    if _BAD_IRI.search(iri):
        raise ValueError(f"not a valid IRI: {iri!r}")
    return f"<{iri}>"


def nt_literal(value, datatype: str = "", lang: str = "") -> str:
    """A literal as an N-Triples term (STRING_LITERAL_QUOTE: only \\ " LF CR need escapes)."""
    text = str(value)
    for raw, escaped in _ECHARS:
        if raw in text:
            text = text.replace(raw, escaped)
    if lang:
        return f'"{text}"@{lang}'
    return f'"{text}"^^<{datatype}>' if datatype else f'"{text}"'


def nt_date(value: Optional[str]) -> Optional[str]:
    """:func:`date_literal` as an N-Triples term."""
    datatype = date_datatype(value)
    return None if datatype is None else nt_literal(value, str(datatype))


class _Terms:
    """N-Triples forms of a closed namespace's terms, formatted once (typos still raise)."""

    def __init__(self, namespace):
        self._ns = namespace

    def __getattr__(self, name: str) -> str:
        value = nt_iri(str(getattr(self._ns, name)))
        setattr(self, name, value)
        return value


_KGO, _ORG, _PROV, _FOAF, _SDO, _OA = (_Terms(ns) for ns in (KGO, ORG, PROV, FOAF, SDO, OA))
_A, _LABEL = nt_iri(str(RDF.type)), nt_iri(str(RDFS.label))
_PREF_LABEL = nt_iri(str(SKOS.prefLabel))
_INTEGER = str(XSD.integer)
_DATE = str(XSD.date)
_ID = str(ID)


def _id(local: str) -> str:
    return nt_iri(_ID + local)


@lru_cache(maxsize=None)
def _concept(scheme: str, code: str) -> str:
    return nt_iri(str(concept(scheme, code)))


class DocumentMapper:
    """Maps one DocumentFacts to its named graph, as distinct N-Triples statements."""

    def __init__(self, facts: DocumentFacts, person_keys: dict, inspection_keys: dict):
        self.facts = facts
        self.sid = facts.document.source_id
        self.s = slug(self.sid)
        self.doc = _id(f"doc/{self.s}")
        self.graph = graph_iri_of(facts.document)
        self.person_keys = person_keys  # name -> canonical key
        self.inspection_keys = inspection_keys  # (source_id, index) -> key
        self._lines: dict = {}  # "s p o" -> None: a graph is a set, kept in insertion order

    def add(self, s: str, p: str, o: str) -> None:
        self._lines[f"{s} {p} {o}"] = None

    def _evidence(self, subject: str, ev: Optional[Evidence], link: Optional[str] = None) -> None:
        add = self.add
        add(subject, link or _PROV.wasDerivedFrom, self.doc)
        if ev is None:
            return
        span = f"{ev.start}-{ev.end}"
        if ev.start == ev.end:  # statistics rows have no body text: tell rows apart by content
            span += "-" + hashlib.sha1(ev.text.encode("utf-8")).hexdigest()[:10]
        node = _id(f"evidence/{self.s}/{span}")
        sel = _id(f"evidence/{self.s}/{span}/selector")
        add(subject, _KGO.evidence, node)
        add(node, _A, _KGO.Evidence)
        add(node, _A, _OA.SpecificResource)
        add(node, _OA.hasSource, self.doc)
        add(node, _OA.hasSelector, sel)
        add(sel, _A, _OA.TextQuoteSelector)
        add(sel, _A, _OA.TextPositionSelector)
        add(sel, _OA.exact, nt_literal(ev.text))
        add(sel, _OA.start, nt_literal(int(ev.start), _INTEGER))  # as the store keeps it
        add(sel, _OA.end, nt_literal(int(ev.end), _INTEGER))
        if ev.page is not None:
            add(node, _KGO.page, nt_literal(int(ev.page), _INTEGER))

    def _person(self, name: str) -> str:
        node = _id(f"person/{slug(self.person_keys.get(name, name))}")
        self.add(node, _A, _FOAF.Person)
        self.add(node, _A, _SDO.Person)
        self.add(node, _FOAF.name, nt_literal(name))
        self.add(node, _LABEL, nt_literal(name))
        return node

    def _org_node(self, label: Optional[str], gss: Optional[str]) -> Optional[str]:
        if gss:
            return _id(f"council/{gss}")
        if not label:
            return None
        for key, o in organisations().items():
            if label == o.name or label in o.aliases:
                return _id(f"org/{slug(key)}")
        node = _id(f"org/{slug(label.lower())}")
        self.add(node, _A, _ORG.Organization)
        self.add(node, _PREF_LABEL, nt_literal(label, lang="en"))
        return node

    def statements(self) -> list:
        """The graph's distinct statements, each an N-Triples line without its final ' .'."""
        self._lines.clear()
        self._map()
        return list(self._lines)

    def nquads(self) -> str:
        suffix = f" <{self.graph}> .\n"
        return "".join(line + suffix for line in self.statements())

    def map(self) -> Graph:
        """The graph as rdflib (the ontology docs and tests read it); parsed from the same text."""
        g = Graph(identifier=self.graph)
        text = "".join(line + " .\n" for line in self.statements())
        if text:
            g.parse(data=text, format="nt")
        return g

    def _map(self) -> None:
        f, add, d, doc = self.facts, self.add, self.facts.document, self.doc
        add(doc, _A, _KGO.SourceDocument)
        add(doc, _A, nt_iri(str(DOC_CLASS.get(d.kind, SDO.CreativeWork))))
        if d.kind == "statistics":
            add(doc, _A, _KGO.StatisticsRelease)
        add(doc, _KGO.sourceId, nt_literal(self.sid))
        add(doc, _KGO.documentKind, nt_literal(d.kind))
        if d.title:
            add(doc, _SDO.name, nt_literal(d.title))
        if d.url:
            add(doc, _SDO.url, nt_literal(d.url, str(XSD.anyURI)))
        if nt_date(d.published) is not None:
            add(doc, _SDO.datePublished, nt_date(d.published))
        if d.publisher:
            add(doc, _SDO.publisher, nt_literal(d.publisher))
        for c in f.councils:
            node = _id(f"council/{c.gss_code}")
            add(doc, _KGO.mentions, node)
            mention = _id(f"mention/{self.s}/{c.gss_code}")
            add(mention, _A, _KGO.CouncilMention)
            add(mention, _KGO.mentionOf, node)
            self._evidence(mention, c.evidence)
        for n, p in enumerate(f.people):
            person = self._person(p.name)
            org = self._org_node(p.organisation, p.council_gss)
            if org is None:
                # no organisation known: not a membership (org:Membership relates a person to
                # one), but the document still names the person, with the role category it gave
                m = _id(f"person-mention/{self.s}/{n}")
                add(m, _A, _KGO.PersonMention)
                add(m, _KGO.mentionOf, person)
                add(m, _KGO.mentionedAs, _concept("role", p.role_category))
                dates = ((_KGO.heldOn, p.held_on),)
            else:
                m = _id(f"membership/{self.s}/{n}")
                add(m, _A, _ORG.Membership)
                add(m, _ORG.member, person)
                add(m, _ORG.organization, org)
                add(m, _ORG.role, _concept("role", p.role_category))
                dates = ((_KGO.heldOn, p.held_on), (_KGO.heldFrom, p.held_from),
                         (_KGO.heldUntil, p.held_until), (_KGO.knownUntil, p.known_until))
            if p.role_title:
                add(m, _KGO.roleTitle, nt_literal(p.role_title))
            for prop, value in dates:
                if nt_date(value) is not None:
                    add(m, prop, nt_date(value))
            self._evidence(m, p.evidence)
        insp_nodes = []
        for n, insp in enumerate(f.inspections):
            key = self.inspection_keys.get((self.sid, n)) or f"{self.s}-{n}"
            node = _id(f"inspection/{slug(key)}")
            insp_nodes.append(node)
            add(node, _A, _KGO.Inspection)
            add(node, _A, _PROV.Activity)
            # linked mentions share their cluster's authority (a renamed council's successor code)
            council = key.split("-", 1)[0] if re.match(r"E\d{8}-", key) else insp.council_gss
            add(node, _KGO.council, _id(f"council/{council}"))
            add(node, _KGO.inspectionKind, _concept("kind", insp.kind))
            if insp.framework:
                add(node, _KGO.framework, _concept("framework", insp.framework))
            for prop, value in ((_KGO.visitStart, insp.visit_start), (_KGO.visitEnd, insp.visit_end),
                                (_KGO.published, insp.published)):
                lit = nt_date(value)
                if lit is not None:
                    add(node, prop, lit)
            # day-precision bounds of the date this source gives (visit start, else publication)
            bounds = date_bounds(insp.visit_start) or date_bounds(insp.published)
            if bounds:
                add(node, _KGO.earliest, nt_literal(bounds[0], _DATE))
                add(node, _KGO.latest, nt_literal(bounds[1], _DATE))
            if insp.theme:
                add(node, _KGO.visitTheme, nt_literal(insp.theme))
            if insp.lead_inspector:
                add(node, _KGO.leadInspector, self._person(insp.lead_inspector))
            # an inspection is a prov:Activity, which prov:wasDerivedFrom (an Entity's) cannot describe
            self._evidence(node, insp.evidence, _KGO.reportedIn)
            for k, j in enumerate(insp.judgements):
                jn = _id(f"judgement/{self.s}/{n}-{k}")
                add(node, _KGO.judgement, jn)
                add(jn, _A, _KGO.Judgement)
                add(jn, _KGO.area, _concept("area", j.area))
                add(jn, _KGO.grade, _concept("grade", j.grade))
                if j.area_as_written:
                    add(jn, _KGO.areaAsWritten, nt_literal(j.area_as_written))
                if j.grade_as_written:
                    add(jn, _KGO.gradeAsWritten, nt_literal(j.grade_as_written))
                self._evidence(jn, j.evidence)
        for n, fi in enumerate(f.findings):
            node = _id(f"finding/{self.s}/{n}")
            add(node, _A, _KGO.Finding)
            if fi.council_gss:
                add(node, _KGO.council, _id(f"council/{fi.council_gss}"))
            add(node, _KGO.polarity, _concept("polarity", fi.polarity))
            add(node, _KGO.text, nt_literal(fi.text))
            if fi.area:
                add(node, _KGO.area, _concept("area", fi.area))
            if fi.inspection_index is not None and fi.inspection_index < len(insp_nodes):
                add(node, _KGO.aboutInspection, insp_nodes[fi.inspection_index])
            self._evidence(node, fi.evidence)
        for n, q in enumerate(f.quotes):
            node = _id(f"quote/{self.s}/{n}")
            add(node, _A, _KGO.Quote)
            add(node, _A, _SDO.Quotation)
            if q.speaker == "Ofsted":
                add(node, _KGO.speaker, _id("org/ofsted"))
            else:
                add(node, _KGO.speaker, self._person(q.speaker))
            add(node, _KGO.speakerName, nt_literal(q.speaker))
            add(node, _KGO.text, nt_literal(q.text))
            self._evidence(node, q.evidence)


def ontology_graphs() -> Iterable[Graph]:
    from .namespace import ontology_graph

    g = Graph(identifier=ONTOLOGY_GRAPH)
    for t in ontology_graph():
        g.add(t)
    yield g
