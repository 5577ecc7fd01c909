"""Interoperability: an independent RDF implementation (Apache Jena's riot) reads every RDF export, and
reads it to the same content as the store; GraphML and GEXF keep node types and labels in networkx.

riot comes from Debian's libapache-jena-java (installed by `scripts/setup.sh --test`) and runs through
`scripts/riot`. If it is missing these tests fail with an install hint; they do not skip.
"""
import runpy
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.export import export_bytes, load_dataset

REPO = Path(__file__).resolve().parents[1]
RIOT = REPO / "scripts" / "riot"
QUAD_FORMATS = ("nq", "trig", "jsonld")
TRIPLE_FORMATS = ("ttl", "xml")
SUFFIX = {"nq": "nq", "trig": "trig", "jsonld": "jsonld", "ttl": "ttl", "xml": "rdf"}


def _riot_available() -> None:
    gone = runpy.run_path(str(RIOT), run_name="riot_wrapper")["missing"]()
    if gone:
        pytest.fail(f"Apache Jena's riot is not installed (missing: {', '.join(gone)}). Install it with "
                    "`bash scripts/setup.sh --test` (Debian: apt-get install libapache-jena-java default-jre-headless)",
                    pytrace=False)


@pytest.fixture(scope="module")
def riot_runs(seeds_build, tmp_path_factory):
    """Each RDF export of the seeds build, read by riot in strict mode and written back as N-Quads.

    The riot processes run side by side (each is a JVM start); one more reads the ontology files and
    the documentation's worked example."""
    _riot_available()
    out, _ = seeds_build
    folder = tmp_path_factory.mktemp("riot")
    procs = {}
    for fmt in QUAD_FORMATS + TRIPLE_FORMATS:
        path = folder / f"graph.{SUFFIX[fmt]}"
        path.write_bytes(export_bytes(out, fmt))
        procs[fmt] = subprocess.Popen(
            [sys.executable, str(RIOT), "--strict", "--check", "--output=nquads", str(path)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    files = [REPO / "ontology" / name for name in ("kg.ttl", "codes.ttl", "shapes.ttl")]
    files.append(REPO / "docs" / "ontology" / "example.trig")
    procs["ontology"] = subprocess.Popen([sys.executable, str(RIOT), "--validate", *map(str, files)],
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    runs = {}
    for fmt, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=240)
        runs[fmt] = (proc.returncode, stdout.decode("utf-8"), stderr.decode("utf-8", "replace"))
    return out, load_dataset(out), runs


@pytest.mark.parametrize("fmt", QUAD_FORMATS + TRIPLE_FORMATS)
def test_riot_reads_export_without_error_or_warning(riot_runs, fmt):
    _out, _ds, runs = riot_runs
    code, stdout, stderr = runs[fmt]
    assert code == 0, f"riot exit {code} on {fmt}:\n{stderr[:3000]}"
    problems = [l for l in stderr.splitlines() if " WARN " in l or " ERROR " in l]
    assert not problems, "\n".join(problems[:20])
    assert stdout.count("\n") > 1000


@pytest.mark.parametrize("fmt", QUAD_FORMATS)
def test_riot_reads_quad_exports_to_the_store_content(riot_runs, fmt):
    _out, ds, runs = riot_runs
    back = Dataset()
    back.parse(data=runs[fmt][1], format="nquads")
    named = {c.identifier for c in ds.graphs() if len(c)}
    assert {c.identifier for c in back.graphs() if len(c)} == named
    for gid in named:
        assert isomorphic(back.graph(gid), ds.graph(gid)), gid


@pytest.mark.parametrize("fmt", TRIPLE_FORMATS)
def test_riot_reads_triple_exports_to_the_merged_store_content(riot_runs, fmt):
    _out, ds, runs = riot_runs
    back = Graph()
    back.parse(data=runs[fmt][1], format="nt")
    merged = Graph()
    for s, p, o, _g in ds.quads((None, None, None, None)):
        merged.add((s, p, o))
    assert isomorphic(back, merged)


def test_riot_reads_the_ontology_files_and_the_worked_example(riot_runs):
    code, _stdout, stderr = riot_runs[2]["ontology"]
    problems = [l for l in stderr.splitlines() if " WARN " in l or " ERROR " in l]
    assert code == 0 and not problems, stderr[:3000]


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_exports_keep_node_types_and_labels(seeds_build, tmp_path, fmt, reader):
    from kg.viz.network import to_networkx

    out, _ = seeds_build
    expected = to_networkx(load_dataset(out))
    path = tmp_path / f"graph.{fmt}"
    path.write_bytes(export_bytes(out, fmt))
    g = reader(path)
    if fmt == "graphml":  # ids are NMTOKENs there; the IRI is the node's "iri" attribute
        g = nx.relabel_nodes(g, {n: d["iri"] for n, d in g.nodes(data=True)})
    assert g.number_of_nodes() == expected.number_of_nodes()
    for node, data in expected.nodes(data=True):
        got = g.nodes[node]
        assert got.get("type") == data.get("type"), node
        assert got.get("label") == data.get("label"), node
    assert {d.get("type") for _n, d in g.nodes(data=True)} >= {"council", "person", "inspection", "document"}
