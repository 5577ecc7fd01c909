"""The dataset description (VoID and DCAT) every build carries."""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .. import __version__
from ..config import PIPELINE_VERSION
from .mapping import doc_iri
from .namespace import DCTERMS, FOAF, ID, KGO, ORG, VOID

DESCRIBED_CLASSES = (KGO.Council, KGO.SourceDocument, KGO.Inspection, KGO.Judgement, KGO.Finding, KGO.Quote,
                     KGO.CouncilMention, KGO.PersonMention, KGO.Evidence, ORG.Membership, FOAF.Person,
                     ORG.Organization)


def describe_dataset(g: Graph, stats, all_facts: list, started: str) -> None:
    """A VoID (and DCAT) description of the build, in the reference graph.

    ``kgid:dataset`` is the whole build: title, description, build time, the
    software and pipeline versions, every source document, the vocabularies
    used, a class partition per main class with its node count, and one
    ``void:subset`` per named graph (named by the graph's own IRI) with its
    exact triple count. ``void:triples`` of the build is the number of
    statements in the store, i.e. the sum over its named graphs (the lines of
    an N-Quads export). Counts are taken after the description has been
    added, so they include it.
    """
    from .mapping import graph_iri_of
    from .namespace import DCAT, ONTOLOGY_IRI, PREFIXES, PROV, SDO

    def integer(n: int) -> Literal:
        return Literal(n, datatype=XSD.integer)

    def local_name(iri) -> str:
        return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    node, build_run, software = ID["dataset"], ID["dataset/build"], ID["software/kg"]
    g.add((node, RDF.type, VOID.Dataset))
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.title, Literal("kg: councils, people and Ofsted inspections of children's services")))
    g.add((node, DCTERMS.description, Literal(
        "English councils, the people who run them and what Ofsted inspections of their children's services "
        "found, read from news, council papers, Ofsted reports and statistics: one named graph per source "
        "document, every fact with its evidence span.")))
    g.add((node, DCTERMS.created, Literal(started, datatype=XSD.dateTime)))
    g.add((node, DCTERMS.hasVersion, Literal(f"kg {__version__} (pipeline {PIPELINE_VERSION})")))
    g.add((node, DCTERMS.conformsTo, ONTOLOGY_IRI))
    g.add((node, VOID.uriSpace, Literal(str(ID))))
    for prefix in ("kgo", "org", "prov", "foaf", "schema", "oa", "skos", "dcterms", "void"):
        g.add((node, VOID.vocabulary, URIRef(PREFIXES[prefix])))
    g.add((node, PROV.wasGeneratedBy, build_run))
    g.add((build_run, RDF.type, PROV.Activity))
    g.add((build_run, PROV.startedAtTime, Literal(started, datatype=XSD.dateTime)))
    g.add((build_run, PROV.wasAssociatedWith, software))
    g.add((software, RDF.type, PROV.SoftwareAgent))
    g.add((software, RDF.type, SDO.SoftwareApplication))
    g.add((software, SDO.name, Literal("kg")))
    g.add((software, SDO.softwareVersion, Literal(__version__)))
    g.add((node, VOID.documents, integer(len(all_facts))))
    for f in all_facts:
        g.add((node, DCTERMS.source, doc_iri(f.document.source_id)))

    # class partitions: how many nodes of each main class
    members = {c: set(stats.members[c]) for c in DESCRIBED_CLASSES}
    for s, o in g.subject_objects(RDF.type):
        if o in members:
            members[o].add(hash(s))
    for c in DESCRIBED_CLASSES:
        part = ID[f"dataset/class/{local_name(c)}"]
        g.add((node, VOID.classPartition, part))
        g.add((part, VOID["class"], c))
        g.add((part, VOID.entities, integer(len(members[c]))))

    # one subset per named graph; the counts replace placeholders at the end
    sources: dict = {}
    for f in all_facts:
        sources.setdefault(graph_iri_of(f.document), []).append(doc_iri(f.document.source_id))
    graphs = sorted(set(stats.triples) | {g.identifier})
    for gid in graphs:
        g.add((node, VOID.subset, gid))
        g.add((gid, RDF.type, VOID.Dataset))
        g.add((gid, VOID.triples, integer(0)))
        for source in sources.get(gid, ()):
            g.add((gid, DCTERMS.source, source))
    g.add((node, VOID.triples, integer(0)))
    for gid in graphs:
        if gid != g.identifier:
            g.set((gid, VOID.triples, integer(stats.triples[gid])))
    own = len(g)  # setting a count replaces a triple, so the size is final
    g.set((g.identifier, VOID.triples, integer(own)))
    g.set((node, VOID.triples, integer(stats.quads + own)))
