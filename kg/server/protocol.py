"""SPARQL 1.1 Protocol details: parameters, content negotiation, dataset rules."""
from __future__ import annotations

import re
import urllib.parse
from typing import Optional

# (canonical media type, pyoxigraph format name, other media types accepted for it)
RESULTS_FORMATS = [
    ("application/sparql-results+json", "JSON", ("application/json",)),
    ("application/sparql-results+xml", "XML", ("application/xml", "text/xml")),
    ("text/csv", "CSV", ()),
    ("text/tab-separated-values", "TSV", ()),
]
RDF_FORMATS = [
    ("text/turtle", "TURTLE", ("application/x-turtle",)),
    ("application/n-triples", "N_TRIPLES", ("text/plain",)),
    ("application/rdf+xml", "RDF_XML", ("application/xml", "text/xml")),
    ("application/ld+json", "JSON_LD", ("application/json",)),
]
# ?format= short names (as Fuseki and others take them), per kind of result
RESULTS_SHORT = {"json": "application/sparql-results+json", "srj": "application/sparql-results+json",
                 "xml": "application/sparql-results+xml", "srx": "application/sparql-results+xml",
                 "csv": "text/csv", "tsv": "text/tab-separated-values"}
RDF_SHORT = {"ttl": "text/turtle", "turtle": "text/turtle", "nt": "application/n-triples",
             "ntriples": "application/n-triples", "n-triples": "application/n-triples",
             "n3": "text/turtle",  # Turtle is N3's RDF subset
             "xml": "application/rdf+xml", "rdf": "application/rdf+xml", "rdfxml": "application/rdf+xml",
             "rdf+xml": "application/rdf+xml",
             "json": "application/ld+json", "jsonld": "application/ld+json", "json-ld": "application/ld+json"}

CONTENT_TYPES = {  # what the response's Content-Type says
    "application/sparql-results+json": "application/sparql-results+json; charset=utf-8",
    "application/sparql-results+xml": "application/sparql-results+xml; charset=utf-8",
    "text/csv": "text/csv; charset=utf-8",
    "text/tab-separated-values": "text/tab-separated-values; charset=utf-8",
    "text/turtle": "text/turtle; charset=utf-8",
    "application/n-triples": "application/n-triples; charset=utf-8",
    "application/rdf+xml": "application/rdf+xml; charset=utf-8",
    "application/ld+json": "application/ld+json; charset=utf-8",
}


class ProtocolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def parse_accept(header: Optional[str]) -> list:
    """[(media range, q, position)] of an Accept header; [] when absent or empty."""
    out = []
    for pos, part in enumerate((header or "").split(",")):
        bits = [b.strip() for b in part.split(";")]
        media = bits[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = media + "/*" if media == "*" else media
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(b[2:])))
                except ValueError:
                    q = 0.0
        out.append((media, q, pos))
    return out


def negotiate(accept: Optional[str], formats: list) -> Optional[tuple]:
    """Pick (canonical media type, format name) from ``formats`` for an Accept header.

    The most specific matching range gives a type its q (RFC 9110); the highest q
    wins, then an exact match over a wildcard, then the client's order, then ours.
    ``None`` means nothing offered is acceptable (406).
    """
    ranges = parse_accept(accept)
    if not ranges:
        return formats[0][0], formats[0][1]
    best = None
    for pref, (media, name, aliases) in enumerate(formats):
        match = None  # (specificity, q, position)
        for rng, q, pos in ranges:
            names = (media,) + tuple(aliases)
            if rng in names:
                spec = 3 if rng == media else 2
            elif rng == media.split("/")[0] + "/*":
                spec = 1
            elif rng == "*/*":
                spec = 0
            else:
                continue
            if match is None or spec > match[0]:
                match = (spec, q, pos)
        if match is None or match[1] <= 0:
            continue
        key = (match[1], match[0] >= 2, -match[2], -pref)
        if best is None or key > best[0]:
            best = (key, (media, name))
    return best[1] if best else None


def _from_names(values: list, short: dict, formats: list) -> Optional[tuple]:
    for value in values:
        media = short.get(value, value)
        for m, name, aliases in formats:
            if media == m or media in aliases:
                return m, name
    return None


def choose_formats(accept: Optional[str], fmt_values=None) -> tuple:
    """(results choice, rdf choice, 406 message for each).

    ``format``/``output`` parameter values (short names such as json, csv, ttl, or
    media types; clients such as SPARQLWrapper send several) beat the Accept header:
    the first one that fits the kind of result is used.
    """
    if isinstance(fmt_values, str):
        fmt_values = [fmt_values]
    tokens = [t.split(";")[0].strip().lower() for v in (fmt_values or []) for t in v.split(",")]
    tokens = [t for t in tokens if t]
    if tokens:
        results = _from_names(tokens, RESULTS_SHORT, RESULTS_FORMATS)
        rdf = _from_names(tokens, RDF_SHORT, RDF_FORMATS)
        if results is None and rdf is None:
            raise ProtocolError(400, f"unknown format {', '.join(tokens)!r}; use json, xml, csv, tsv (SELECT/ASK) "
                                     "or ttl, nt, xml, jsonld (CONSTRUCT/DESCRIBE), or a media type")
        why = f"format={','.join(tokens)!r}"
    else:
        results = negotiate(accept, RESULTS_FORMATS)
        rdf = negotiate(accept, RDF_FORMATS)
        why = f"Accept: {accept!r}"
    r406 = (f"cannot give SELECT/ASK results as {why}; available: "
            + ", ".join(m for m, _, _ in RESULTS_FORMATS))
    g406 = (f"cannot give CONSTRUCT/DESCRIBE results as {why}; available: "
            + ", ".join(m for m, _, _ in RDF_FORMATS))
    return results, rdf, r406, g406


# Strings, IRIs and comments, so that a FROM inside them is not mistaken for a clause
_LEXICAL = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\s]*>|#[^\n]*|(?<![?$:\w-])(FROM)(?![\w:-])', re.I | re.S)


def has_dataset_clause(query: str) -> bool:
    """True if the query names its own dataset (FROM / FROM NAMED)."""
    return any(m.group(1) for m in _LEXICAL.finditer(query))


def parse_form(body: bytes) -> dict:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the request body is not UTF-8") from None
    return urllib.parse.parse_qs(text, keep_blank_values=True)


def single(params: dict, name: str) -> Optional[str]:
    values = params.get(name) or []
    if len(values) > 1:
        raise ProtocolError(400, f"give the '{name}' parameter once, not {len(values)} times")
    return values[0] if values else None


def dataset(params: dict) -> tuple:
    """(default graphs, named graphs) from default-graph-uri / named-graph-uri; (None, None) if absent."""
    dg = params.get("default-graph-uri")
    ng = params.get("named-graph-uri")
    if dg is None and ng is None:
        return None, None
    for iri in (dg or []) + (ng or []):
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\s]*", iri):
            raise ProtocolError(400, f"default-graph-uri/named-graph-uri must be absolute IRIs, got {iri!r}")
    return list(dg or []), list(ng or [])
