"""Namespaces whose terms come from the ontology files.

A mistyped term (``KGO.visitStrat``, ``ORG.Membershp``) raises instead of
minting a new IRI: the closed namespaces are built from what
``ontology/kg.ttl`` declares, both the domain's own ``kgo:`` terms and the
W3C and common terms it reuses. To use a new term, declare it there first.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD, ClosedNamespace

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
ONTOLOGY_FILES = ("kg.ttl", "codes.ttl")  # loaded into every build's ontology graph
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"
EXAMPLES_FILE = ONTOLOGY_DIR / "examples.ttl"

BASE = "https://w3id.org/ofsted-kg/"
ONTOLOGY_IRI = URIRef(BASE + "def")
SHAPES_IRI = URIRef(BASE + "shapes")
KGO_URI = BASE + "def#"
CODE_URI = BASE + "code/"
ID = Namespace(BASE + "id/")
ONS_GEOGRAPHY = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")

ORG_URI = "http://www.w3.org/ns/org#"
PROV_URI = "http://www.w3.org/ns/prov#"
FOAF_URI = "http://xmlns.com/foaf/0.1/"
SDO_URI = "https://schema.org/"
OA_URI = "http://www.w3.org/ns/oa#"
VOID_URI = "http://rdfs.org/ns/void#"
DCTERMS_URI = "http://purl.org/dc/terms/"
DCAT_URI = "http://www.w3.org/ns/dcat#"

# code schemes: python name -> folder in the code namespace
SCHEMES = {
    "kind": "kind",
    "framework": "framework",
    "area": "area",
    "grade": "grade",
    "role": "role",
    "polarity": "polarity",
    "direction": "direction",
    "status": "claim-status",
}

PREFIXES = {
    "kgo": KGO_URI,
    "kgid": str(ID),
    "skos": str(SKOS),
    "org": ORG_URI,
    "prov": PROV_URI,
    "foaf": FOAF_URI,
    "schema": SDO_URI,
    "oa": OA_URI,
    "owl": str(OWL),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "dcterms": DCTERMS_URI,
    "dcat": DCAT_URI,
    "void": VOID_URI,
    "ons": str(ONS_GEOGRAPHY),
    **{f"code{name}": CODE_URI + folder + "/" for name, folder in SCHEMES.items()},
}


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology and its code schemes (what every build stores in its ontology graph)."""
    g = Graph()
    for name in ONTOLOGY_FILES:
        g.parse(ONTOLOGY_DIR / name, format="turtle")
    return g


def declared_terms(namespace: str) -> list:
    """Local names of the terms ``kg.ttl``/``codes.ttl`` declare (give a type) in ``namespace``."""
    g = ontology_graph()
    terms = set()
    for s in g.subjects(RDF.type, None):
        if isinstance(s, URIRef) and str(s).startswith(namespace):
            local = str(s)[len(namespace):]
            if local:
                terms.add(local)
    return sorted(terms)


KGO = ClosedNamespace(KGO_URI, declared_terms(KGO_URI))
ORG = ClosedNamespace(ORG_URI, declared_terms(ORG_URI))
PROV = ClosedNamespace(PROV_URI, declared_terms(PROV_URI))
FOAF = ClosedNamespace(FOAF_URI, declared_terms(FOAF_URI))
SDO = ClosedNamespace(SDO_URI, declared_terms(SDO_URI))
OA = ClosedNamespace(OA_URI, declared_terms(OA_URI))
VOID = ClosedNamespace(VOID_URI, declared_terms(VOID_URI))
DCTERMS = ClosedNamespace(DCTERMS_URI, declared_terms(DCTERMS_URI))
DCAT = ClosedNamespace(DCAT_URI, declared_terms(DCAT_URI))


def scheme_iri(scheme: str) -> URIRef:
    """The concept scheme of a code scheme, e.g. ``.../code/grade/scheme``."""
    return URIRef(CODE_URI + SCHEMES[scheme] + "/scheme")


@lru_cache(maxsize=None)
def codes(scheme: str) -> frozenset:
    """The notations (codes) of a code scheme, read from ``codes.ttl``."""
    g = ontology_graph()
    base = CODE_URI + SCHEMES[scheme] + "/"
    out = set()
    for concept in g.subjects(SKOS.inScheme, scheme_iri(scheme)):
        notation = g.value(concept, SKOS.notation)
        if notation is not None and str(concept) == base + str(notation):
            out.add(str(notation))
    return frozenset(out)


def concept(scheme: str, code: str) -> URIRef:
    """The concept IRI of a code; unknown codes raise rather than mint IRIs."""
    if code not in codes(scheme):
        raise KeyError(f"{code!r} is not a code of the {scheme} scheme")
    return URIRef(CODE_URI + SCHEMES[scheme] + "/" + code)
