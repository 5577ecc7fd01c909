"""Export a build's graph in RDF and network formats."""
from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path
from typing import Optional

from rdflib import Dataset

from .errors import UsageError
from .rdf.namespace import PREFIXES
from .store import open_store

EXPORT_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld", "xml", "graphml", "gexf", "csv")


def load_dataset(graph_dir: Path) -> Dataset:
    """The build's store as an rdflib Dataset (named graphs kept)."""
    import pyoxigraph

    store = open_store(graph_dir)
    buf = io.BytesIO()
    store.dump(buf, format=pyoxigraph.RdfFormat.N_QUADS)
    ds = Dataset()
    ds.parse(data=buf.getvalue().decode("utf-8"), format="nquads")
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    return ds


def export_bytes(graph_dir: Path, fmt: str) -> bytes:
    """The build's graph in one format; RDF formats come straight from the store."""
    import pyoxigraph

    from .publish import _prefixes, dump_merged

    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
    store = open_store(graph_dir)
    if fmt in ("nq", "trig"):
        kind = pyoxigraph.RdfFormat.N_QUADS if fmt == "nq" else pyoxigraph.RdfFormat.TRIG
        return store.dump(format=kind, **({"prefixes": _prefixes()} if fmt == "trig" else {}))
    if fmt in ("ttl", "nt", "xml"):
        buf = io.BytesIO()
        dump_merged(store, buf, {"ttl": "turtle", "nt": "nt", "xml": "xml"}[fmt])
        return buf.getvalue()
    if fmt == "csv":
        return quads_csv(store)
    if fmt == "jsonld":
        # compacted with the published context, so keys read as kgo:/schema: terms
        return load_dataset(graph_dir).serialize(format="json-ld", context=jsonld_context(), encoding="utf-8")
    from .viz import write_gexf, write_graphml

    with tempfile.TemporaryDirectory(prefix="kg-export-") as tmp:
        path = Path(tmp) / f"graph.{fmt}"
        (write_graphml if fmt == "graphml" else write_gexf)(store, path)
        return path.read_bytes()


CSV_COLUMNS = ["subject", "predicate", "object", "object_kind", "datatype", "language", "graph"]


def quads_csv(store) -> bytes:
    """One row per quad. Blank nodes are written ``_:label`` (in subject, object and graph), so
    they are told from IRIs; ``object_kind`` is ``iri``, ``blank`` or ``literal``, and a literal
    keeps its datatype IRI and language tag, so the CSV reads back to the same RDF terms."""
    import pyoxigraph

    def node(term) -> str:
        return f"_:{term.value}" if isinstance(term, pyoxigraph.BlankNode) else term.value

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for q in store:
        o = q.object
        if isinstance(o, pyoxigraph.Literal):
            kind, datatype, language = "literal", o.datatype.value, o.language or ""
        else:
            kind, datatype, language = ("blank" if isinstance(o, pyoxigraph.BlankNode) else "iri"), "", ""
        graph = "" if isinstance(q.graph_name, pyoxigraph.DefaultGraph) else node(q.graph_name)
        writer.writerow([node(q.subject), q.predicate.value, node(o) if kind != "literal" else o.value,
                         kind, datatype, language, graph])
    return out.getvalue().encode("utf-8")


def jsonld_context() -> dict:
    import json

    from .rdf.namespace import ONTOLOGY_DIR

    data = json.loads((ONTOLOGY_DIR / "context.jsonld").read_text(encoding="utf-8"))
    return data.get("@context", data)


def export(graph_dir: Path, fmt: str, out: Optional[Path] = None) -> Optional[bytes]:
    data = export_bytes(graph_dir, fmt)
    if out is None:
        return data
    write_atomic(Path(out), data)
    return None


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
