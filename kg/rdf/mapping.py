"""Facts -> RDF quads: one named graph per document, plus reference and resolved graphs."""
from __future__ import annotations

import datetime
import hashlib
import re
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
}


def slug(text: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._~-]+", "-", text).strip("-")
    return s or "x"


def doc_graph_iri(source_id: str) -> URIRef:
    return ID[f"graph/{slug(source_id)}"]


def doc_iri(source_id: str) -> URIRef:
    return ID[f"doc/{slug(source_id)}"]


def council_iri(gss: str) -> URIRef:
    return ID[f"council/{gss}"]


def person_iri(key: str) -> URIRef:
    return ID[f"person/{slug(key)}"]


def org_iri(key: str) -> URIRef:
    return ID[f"org/{slug(key)}"]


def date_literal(value: Optional[str]) -> Optional[Literal]:
    """ISO date at its known precision -> xsd:date, xsd:gYearMonth or xsd:gYear."""
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return None
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    return None


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
    for key, o in organisations().items():
        node = org_iri(key)
        g.add((node, RDF.type, ORG.Organization))
        g.add((node, SKOS.prefLabel, Literal(o.name, lang="en")))
        g.add((node, RDFS.label, Literal(o.name, lang="en")))
        for alt in o.aliases:
            g.add((node, SKOS.altLabel, Literal(alt, lang="en")))
    return g


class DocumentMapper:
    """Maps one DocumentFacts to its named graph."""

    def __init__(self, facts: DocumentFacts, person_keys: dict, inspection_keys: dict):
        self.facts = facts
        self.sid = facts.document.source_id
        self.s = slug(self.sid)
        self.doc = doc_iri(self.sid)
        self.g = Graph(identifier=doc_graph_iri(self.sid))
        self.person_keys = person_keys  # name -> canonical key
        self.inspection_keys = inspection_keys  # (source_id, index) -> key

    def _evidence(self, subject: URIRef, ev: Optional[Evidence]) -> None:
        self.g.add((subject, PROV.wasDerivedFrom, self.doc))
        if ev is None:
            return
        span = f"{ev.start}-{ev.end}"
        if ev.start == ev.end:  # statistics rows have no body text: tell rows apart by content
            span += "-" + hashlib.sha1(ev.text.encode("utf-8")).hexdigest()[:10]
        node = ID[f"evidence/{self.s}/{span}"]
        sel = ID[f"evidence/{self.s}/{span}/selector"]
        g = self.g
        g.add((subject, KGO.evidence, node))
        g.add((node, RDF.type, KGO.Evidence))
        g.add((node, RDF.type, OA.SpecificResource))
        g.add((node, OA.hasSource, self.doc))
        g.add((node, OA.hasSelector, sel))
        g.add((sel, RDF.type, OA.TextQuoteSelector))
        g.add((sel, RDF.type, OA.TextPositionSelector))
        g.add((sel, OA.exact, Literal(ev.text)))
        g.add((sel, OA.start, Literal(ev.start, datatype=XSD.integer)))  # as the store keeps it
        g.add((sel, OA.end, Literal(ev.end, datatype=XSD.integer)))
        if ev.page is not None:
            g.add((node, KGO.page, Literal(ev.page, datatype=XSD.integer)))

    def _person(self, name: str) -> URIRef:
        key = self.person_keys.get(name, name)
        node = person_iri(key)
        self.g.add((node, RDF.type, FOAF.Person))
        self.g.add((node, RDF.type, SDO.Person))
        self.g.add((node, FOAF.name, Literal(name)))
        self.g.add((node, RDFS.label, Literal(name)))
        return node

    def _org_node(self, label: Optional[str], gss: Optional[str]) -> Optional[URIRef]:
        if gss:
            return council_iri(gss)
        if not label:
            return None
        for key, o in organisations().items():
            if label == o.name or label in o.aliases:
                return org_iri(key)
        node = org_iri(label.lower())
        self.g.add((node, RDF.type, ORG.Organization))
        self.g.add((node, SKOS.prefLabel, Literal(label, lang="en")))
        return node

    def map(self) -> Graph:
        f, g, d = self.facts, self.g, self.facts.document
        g.add((self.doc, RDF.type, KGO.SourceDocument))
        g.add((self.doc, RDF.type, DOC_CLASS.get(d.kind, SDO.CreativeWork)))
        if d.kind == "statistics":
            g.add((self.doc, RDF.type, KGO.StatisticsRelease))
        g.add((self.doc, KGO.sourceId, Literal(self.sid)))
        g.add((self.doc, KGO.documentKind, Literal(d.kind)))
        if d.title:
            g.add((self.doc, SDO.name, Literal(d.title)))
        if d.url:
            g.add((self.doc, SDO.url, Literal(d.url, datatype=XSD.anyURI)))
        if date_literal(d.published) is not None:
            g.add((self.doc, SDO.datePublished, date_literal(d.published)))
        if d.publisher:
            g.add((self.doc, SDO.publisher, Literal(d.publisher)))
        for c in f.councils:
            node = council_iri(c.gss_code)
            g.add((self.doc, KGO.mentions, node))
            mention = ID[f"mention/{self.s}/{c.gss_code}"]
            g.add((mention, RDF.type, KGO.CouncilMention))
            g.add((mention, KGO.mentionOf, node))
            self._evidence(mention, c.evidence)
        for n, p in enumerate(f.people):
            person = self._person(p.name)
            m = ID[f"membership/{self.s}/{n}"]
            g.add((m, RDF.type, ORG.Membership))
            g.add((m, ORG.member, person))
            org = self._org_node(p.organisation, p.council_gss)
            if org is not None:
                g.add((m, ORG.organization, org))
            g.add((m, ORG.role, concept("role", p.role_category)))
            if p.role_title:
                g.add((m, KGO.roleTitle, Literal(p.role_title)))
            if date_literal(p.held_on) is not None:
                g.add((m, KGO.heldOn, date_literal(p.held_on)))
            self._evidence(m, p.evidence)
        insp_nodes = []
        for n, insp in enumerate(f.inspections):
            key = self.inspection_keys.get((self.sid, n)) or f"{self.s}-{n}"
            node = ID[f"inspection/{slug(key)}"]
            insp_nodes.append(node)
            g.add((node, RDF.type, KGO.Inspection))
            g.add((node, RDF.type, PROV.Activity))
            # linked mentions share their cluster's authority (a renamed council's successor code)
            council = key.split("-", 1)[0] if re.match(r"E\d{8}-", key) else insp.council_gss
            g.add((node, KGO.council, council_iri(council)))
            g.add((node, KGO.inspectionKind, concept("kind", insp.kind)))
            if insp.framework:
                g.add((node, KGO.framework, concept("framework", insp.framework)))
            for prop, value in ((KGO.visitStart, insp.visit_start), (KGO.visitEnd, insp.visit_end),
                                (KGO.published, insp.published)):
                lit = date_literal(value)
                if lit is not None:
                    g.add((node, prop, lit))
            if insp.theme:
                g.add((node, KGO.visitTheme, Literal(insp.theme)))
            if insp.lead_inspector:
                g.add((node, KGO.leadInspector, self._person(insp.lead_inspector)))
            self._evidence(node, insp.evidence)
            for k, j in enumerate(insp.judgements):
                jn = ID[f"judgement/{self.s}/{n}-{k}"]
                g.add((node, KGO.judgement, jn))
                g.add((jn, RDF.type, KGO.Judgement))
                g.add((jn, KGO.area, concept("area", j.area)))
                g.add((jn, KGO.grade, concept("grade", j.grade)))
                if j.area_as_written:
                    g.add((jn, KGO.areaAsWritten, Literal(j.area_as_written)))
                if j.grade_as_written:
                    g.add((jn, KGO.gradeAsWritten, Literal(j.grade_as_written)))
                self._evidence(jn, j.evidence)
        for n, fi in enumerate(f.findings):
            node = ID[f"finding/{self.s}/{n}"]
            g.add((node, RDF.type, KGO.Finding))
            if fi.council_gss:
                g.add((node, KGO.council, council_iri(fi.council_gss)))
            g.add((node, KGO.polarity, concept("polarity", fi.polarity)))
            g.add((node, KGO.text, Literal(fi.text)))
            if fi.inspection_index is not None and fi.inspection_index < len(insp_nodes):
                g.add((node, KGO.aboutInspection, insp_nodes[fi.inspection_index]))
            self._evidence(node, fi.evidence)
        for n, q in enumerate(f.quotes):
            node = ID[f"quote/{self.s}/{n}"]
            g.add((node, RDF.type, KGO.Quote))
            g.add((node, RDF.type, SDO.Quotation))
            if q.speaker == "Ofsted":
                g.add((node, KGO.speaker, org_iri("ofsted")))
            else:
                g.add((node, KGO.speaker, self._person(q.speaker)))
            g.add((node, KGO.speakerName, Literal(q.speaker)))
            g.add((node, KGO.text, Literal(q.text)))
            self._evidence(node, q.evidence)
        return g


def ontology_graphs() -> Iterable[Graph]:
    from .namespace import ontology_graph

    g = Graph(identifier=ONTOLOGY_GRAPH)
    for t in ontology_graph():
        g.add(t)
    yield g
