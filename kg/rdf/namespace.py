"""Namespaces whose terms come from the ontology files.

A mistyped term (``KGO.visitStrat``) raises instead of minting a new IRI:
the closed namespaces are built from what ``ontology/*.ttl`` declares.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, ClosedNamespace

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
BASE = "https://w3id.org/ofsted-kg/"
KGO_URI = BASE + "def#"
CODE_URI = BASE + "code/"
ID = Namespace(BASE + "id/")
ONS_GEOGRAPHY = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")

ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SDO = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCTERMS = Namespace("http://purl.org/dc/terms/")

# code schemes: python name -> folder in the code namespace
SCHEMES = {
    "kind": "kind",
    "framework": "framework",
    "area": "area",
    "grade": "grade",
    "role": "role",
    "polarity": "polarity",
    "direction": "direction",
}

PREFIXES = {
    "kgo": KGO_URI,
    "kgid": str(ID),
    "skos": str(SKOS),
    "org": str(ORG),
    "prov": str(PROV),
    "foaf": str(FOAF),
    "schema": str(SDO),
    "oa": str(OA),
    "owl": str(OWL),
    "rdfs": str(RDFS),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": str(DCTERMS),
    "void": str(VOID),
    **{f"code{name}": CODE_URI + folder + "/" for name, folder in SCHEMES.items()},
}


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    g = Graph()
    for name in ("kg.ttl", "codes.ttl"):
        g.parse(ONTOLOGY_DIR / name, format="turtle")
    return g


def _local_terms(prefix: str) -> list:
    g = ontology_graph()
    terms = set()
    for s in g.subjects(RDF.type, None):
        if isinstance(s, URIRef) and str(s).startswith(prefix):
            terms.add(str(s)[len(prefix):])
    return sorted(terms)


KGO = ClosedNamespace(KGO_URI, _local_terms(KGO_URI))


@lru_cache(maxsize=None)
def codes(scheme: str) -> frozenset:
    """The notations (codes) of a scheme, read from ``codes.ttl``."""
    g = ontology_graph()
    base = CODE_URI + SCHEMES[scheme] + "/"
    out = set()
    for concept in g.subjects(RDF.type, SKOS.Concept):
        if str(concept).startswith(base):
            out.add(str(g.value(concept, SKOS.notation)))
    return frozenset(out)


def concept(scheme: str, code: str) -> URIRef:
    """The concept IRI of a code; unknown codes raise rather than mint IRIs."""
    if code not in codes(scheme):
        raise KeyError(f"{code!r} is not a code of the {scheme} scheme")
    return URIRef(CODE_URI + SCHEMES[scheme] + "/" + code)
