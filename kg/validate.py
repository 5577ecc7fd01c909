"""``validate``: check a build against its SHACL shapes (``ontology/shapes.ttl``) with pySHACL.

The union of the build's named graphs (documents, reference, resolved and
ontology) is the data graph; no inference is run. SHACL Advanced Features
are on for the two SPARQL-targeted checks in the shapes. Each result is reported
with its focus node, path, message and severity, and with the source
document(s) whose named graph describes the focus node, so a bad fact leads
back to the file it was read from.

:func:`validate` returns a :class:`ValidationReport`; :func:`check` raises
:class:`kg.errors.ValidationFailed` when a build has violations (warnings do
not fail).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from .errors import ValidationFailed
from .rdf.namespace import ID, KGO, OA, PREFIXES, SHAPES_FILE

VIOLATION, WARNING, INFO = "Violation", "Warning", "Info"
_SEVERITY = {SH.Violation: VIOLATION, SH.Warning: WARNING, SH.Info: INFO}
_SPECIAL_GRAPHS = {"reference", "resolved", "ontology"}


@dataclass
class ValidationReport:
    """The outcome of validating one build.

    ``violations`` holds every result, one dict each, with keys ``focus_node``,
    ``path``, ``value``, ``message``, ``severity`` (``Violation``, ``Warning``
    or ``Info``), ``shape``, ``constraint``, ``source`` (the first source id,
    or ``reference``/``resolved``/``ontology`` for nodes only those graphs
    describe) and ``sources`` (all of them). ``conforms`` is true when no
    result has severity ``Violation``.
    """

    conforms: bool
    violations: list = field(default_factory=list)
    graph_dir: Optional[Path] = None

    @property
    def errors(self) -> list:
        return [v for v in self.violations if v["severity"] == VIOLATION]

    @property
    def warnings(self) -> list:
        return [v for v in self.violations if v["severity"] != VIOLATION]

    def to_dict(self) -> dict:
        """For ``--json``: conformance, counts and every result."""
        return {"conforms": self.conforms, "violations": len(self.errors), "warnings": len(self.warnings),
                "graph": str(self.graph_dir) if self.graph_dir else None, "results": self.violations}

    @property
    def text(self) -> str:
        """One line per result (``SEVERITY source: focus path: message``), then a summary line."""
        lines = []
        for v in self.violations:
            path = f" {v['path']}" if v["path"] else ""
            value = f" (value {v['value']})" if v["value"] and v["value"] not in v["message"] else ""
            lines.append(f"{v['severity']} {v['source']}: {v['focus_node']}{path}: {v['message']}{value}")
        n, w = len(self.errors), len(self.warnings)
        where = f" {self.graph_dir}" if self.graph_dir else ""
        if self.conforms:
            lines.append(f"conforms:{where} 0 violations, {w} warnings")
        else:
            lines.append(f"does not conform:{where} {n} violations, {w} warnings")
        return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    g = Graph()
    g.parse(SHAPES_FILE, format="turtle")
    return g


def validate(graph_dir: Path) -> ValidationReport:
    """Validate the build at ``graph_dir`` (the ``--out`` of ``kg build``) against ``ontology/shapes.ttl``."""
    from .export import load_dataset

    graph_dir = Path(graph_dir)
    report = validate_dataset(load_dataset(graph_dir))
    report.graph_dir = graph_dir
    return report


def validate_dataset(ds: Dataset) -> ValidationReport:
    """Validate an rdflib ``Dataset`` shaped like a build (all named graphs merged)."""
    data = Graph()
    for s, p, o, _g in ds.quads((None, None, None, None)):
        data.add((s, p, o))
    results = run_shacl(data)
    sources = _source_index(ds)
    for r in results:
        r["sources"] = _sources_of(r.pop("_focus"), data, sources)
        r["source"] = r["sources"][0] if r["sources"] else "?"
    results.sort(key=lambda r: (r["severity"] != VIOLATION, r["source"], r["focus_node"], r["path"], r["message"]))
    return ValidationReport(conforms=not any(r["severity"] == VIOLATION for r in results), violations=results)


def validate_graph(data: Graph) -> ValidationReport:
    """Validate one merged graph (e.g. ``ontology/examples.ttl`` plus the ontology)."""
    results = run_shacl(data)
    for r in results:
        r.pop("_focus")
        r["sources"], r["source"] = [], "?"
    return ValidationReport(conforms=not any(r["severity"] == VIOLATION for r in results), violations=results)


def run_shacl(data: Graph) -> list:
    """pySHACL over ``data``: one dict per validation result (focus node kept as ``_focus``)."""
    import pyshacl

    _conforms, report_graph, _text = pyshacl.validate(
        data, shacl_graph=shapes_graph(), inference="none", advanced=True, allow_warnings=True,
        allow_infos=True, abort_on_first=False)
    out = []
    nested = set(report_graph.objects(None, SH.detail))  # details of a failed sh:node/sh:or: reported by their parent
    for res in report_graph.subjects(RDF.type, SH.ValidationResult):
        if res in nested:
            continue
        focus = report_graph.value(res, SH.focusNode)
        path = report_graph.value(res, SH.resultPath)
        value = report_graph.value(res, SH.value)
        messages = sorted(str(m) for m in report_graph.objects(res, SH.resultMessage))
        out.append({
            "focus_node": _show(focus, data),
            "path": _show_path(path, report_graph),
            "value": _show(value, data) if value is not None else "",
            "message": "; ".join(messages) or "constraint not met",
            "severity": _SEVERITY.get(report_graph.value(res, SH.resultSeverity), VIOLATION),
            "shape": _show(report_graph.value(res, SH.sourceShape), report_graph),
            "constraint": _local(report_graph.value(res, SH.sourceConstraintComponent)),
            "_focus": focus,
        })
    return out


def check(graph_dir: Path) -> ValidationReport:
    """Validate and raise :class:`ValidationFailed` (exit code 9) on any violation; return the report otherwise.

    The exception's message is one line (``N violations in DIR (first: ...)``);
    its ``report`` attribute holds the full :class:`ValidationReport`.
    """
    report = validate(graph_dir)
    if not report.conforms:
        first = report.errors[0]
        exc = ValidationFailed(
            f"{len(report.errors)} violations of the shapes in {graph_dir} "
            f"(first: {first['source']}: {first['focus_node']}: {first['message']})")
        exc.report = report
        raise exc
    return report


# ---------------------------------------------------------------- reporting helpers


def _source_index(ds: Dataset) -> dict:
    """Named graph IRI -> source id (file name) of the document it holds, or its own name."""
    index = {}
    for ctx in ds.contexts():
        gid = ctx.identifier
        if not isinstance(gid, URIRef):
            continue
        name = str(gid)[len(str(ID["graph/"])):] if str(gid).startswith(str(ID["graph/"])) else str(gid)
        sid = next((str(o) for _s, _p, o in ctx.triples((None, KGO.sourceId, None))), None)
        index[gid] = sid or name
    return {"names": index, "ds": ds}


def _sources_of(focus, data: Graph, sources: dict) -> list:
    """Source ids of the named graphs that describe ``focus`` (for a blank or literal focus: of its subject)."""
    ds, names = sources["ds"], sources["names"]
    nodes = [focus]
    if not isinstance(focus, URIRef):
        nodes = [s for s, _p in data.subject_predicates(focus)] or nodes
    found, special = [], []
    for node in nodes:
        for _s, _p, _o, g in ds.quads((node, None, None, None)):
            gid = getattr(g, "identifier", g)
            name = names.get(gid, str(gid))
            bucket = special if name in _SPECIAL_GRAPHS else found
            if name not in bucket:
                bucket.append(name)
        # evidence and selectors: the document they select from
        for doc in data.objects(node, OA.hasSource):
            for _s, _p, sid in data.triples((doc, KGO.sourceId, None)):
                if str(sid) not in found:
                    found.append(str(sid))
    return sorted(found) + sorted(special)


def _show(term, graph: Graph) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _qname(term)
    if isinstance(term, Literal):
        text = str(term)
        return repr(text if len(text) <= 60 else text[:57] + "...")
    if isinstance(term, BNode):
        return "[]"
    return str(term)


def _show_path(path, g: Graph) -> str:
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return _qname(path)
    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _show_path(inverse, g)
    alternative = g.value(path, SH.alternativePath)
    if alternative is not None:
        return "(" + "|".join(_show_path(p, g) for p in _rdf_list(alternative, g)) + ")"
    items = _rdf_list(path, g)
    if items:
        return "/".join(_show_path(p, g) for p in items)
    return str(path)


def _rdf_list(node, g: Graph) -> list:
    from rdflib.collection import Collection

    try:
        return list(Collection(g, node))
    except Exception:  # not a list
        return []


def _qname(iri: URIRef) -> str:
    text = str(iri)
    best = None
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and (best is None or len(ns) > len(best[1])):
            best = (prefix, ns)
    if best:
        return f"{best[0]}:{text[len(best[1]):]}"
    return f"<{text}>"


def _local(iri) -> str:
    if iri is None:
        return ""
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
