"""`kg serve` describes itself in every RDF syntax it advertises, and publishes the dataset's VoID
description at /.well-known/void with where it is served: its SPARQL endpoint and its dump."""
from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.namespace import RDF

from test_server import http, running

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
DATASET = URIRef("https://w3id.org/ofsted-kg/id/dataset")
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
             "application/ld+json": "json-ld"}


@pytest.fixture(scope="module")
def served(seeds_build):
    with running(seeds_build[0]) as base:
        yield base, seeds_build[0]


@pytest.mark.parametrize("media", sorted(RDF_TYPES))
def test_service_description_in_every_advertised_rdf_type(served, media):
    url, _ = served
    status, ctype, text = http(url, "/sparql", headers={"Accept": media})
    assert status == 200, text
    assert ctype.split(";")[0] == media
    g = Graph().parse(data=text, format=RDF_TYPES[media])
    service = next(g.subjects(RDF.type, SD.Service))
    assert (service, SD.endpoint, URIRef(url + "sparql")) in g
    advertised = set(g.objects(service, SD.resultFormat))
    assert URIRef("http://www.w3.org/ns/formats/RDF_XML") in advertised


def test_service_description_refuses_what_it_cannot_give(served):
    url, _ = served
    status, _ctype, text = http(url, "/sparql", headers={"Accept": "image/png"})
    assert status == 406 and "application/rdf+xml" in text


@pytest.mark.parametrize("media", sorted(RDF_TYPES))
def test_void_at_well_known_uri(served, media):
    url, _ = served
    status, ctype, text = http(url, "/.well-known/void", headers={"Accept": media})
    assert status == 200, text
    assert ctype.split(";")[0] == media
    g = Graph().parse(data=text, format=RDF_TYPES[media])
    assert (DATASET, RDF.type, VOID.Dataset) in g
    assert (DATASET, VOID.sparqlEndpoint, URIRef(url + "sparql")) in g
    assert (DATASET, VOID.dataDump, URIRef(url + "graph.trig")) in g
    assert int(g.value(DATASET, VOID.triples)) > 1000
    assert len(set(g.objects(DATASET, VOID.classPartition))) >= 5
    # the description only: not the gazetteer that shares its graph
    assert len(g) < 2000


def test_void_data_dump_is_the_build(served):
    url, out = served
    status, ctype, text = http(url, "/graph.trig")
    assert status == 200 and ctype.startswith("application/trig")
    served_ds = Dataset()
    served_ds.parse(data=text, format="trig")
    local = Dataset()
    local.parse(out / "graph.trig", format="trig")
    assert len(served_ds) == len(local)
    assert {g.identifier for g in served_ds.graphs() if len(g)} == {g.identifier for g in local.graphs() if len(g)}
    # the endpoint the description names answers
    g = Graph().parse(data=http(url, "/.well-known/void", headers={"Accept": "text/turtle"})[2], format="turtle")
    endpoint = str(g.value(DATASET, VOID.sparqlEndpoint))
    status, _c, body = http(endpoint + "?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and "true" in body
