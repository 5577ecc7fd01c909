"""The CLI in-process: exact messages and exit codes."""
import json

import pytest

from kg.cli import main, parser
from kg.errors import EXIT_CODES


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_query_without_build(capsys, tmp_path):
    code, out, err = run(capsys, "query", "councils", "--graph", str(tmp_path / "nope"))
    assert code == 6
    assert err == f"kg: error: {tmp_path / 'nope'}: no build found (run 'kg build' first, or pass --graph DIR)\n"


def test_unknown_query(capsys, seeds_build):
    out_dir, _ = seeds_build
    code, out, err = run(capsys, "query", "nonsense", "--graph", str(out_dir))
    assert code == 7 and err.startswith("kg: error: unknown query 'nonsense'; named queries: ")


def test_malformed_sparql_is_one_line(capsys, seeds_build):
    out_dir, _ = seeds_build
    code, out, err = run(capsys, "query", "--sparql", "SELECT WHERE {", "--graph", str(out_dir))
    assert code == 7 and err.startswith("kg: error: malformed SPARQL:") and err.count("\n") == 1


def test_unknown_param(capsys, seeds_build):
    out_dir, _ = seeds_build
    code, out, err = run(capsys, "query", "councils", "--param", "council=X", "--graph", str(out_dir))
    assert code == 7 and err == "kg: error: this query takes no parameter 'council'\n"


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml", "table"])
def test_query_formats(capsys, seeds_build, fmt):
    out_dir, _ = seeds_build
    code, out, err = run(capsys, "query", "councils", "--graph", str(out_dir), "--format", fmt)
    assert code == 0 and "Tameside" in out
    if fmt == "json":  # SPARQL 1.1 Query Results JSON
        data = json.loads(out)
        assert data["head"]["vars"][:3] == ["council", "gss_code", "source"]
        assert data["results"]["bindings"][0]["council"]["type"] == "literal"


def test_query_xml_results_keep_term_kinds(capsys, seeds_build):
    """Real SPARQL XML results: IRIs as <uri>, languages and datatypes kept (read back by rdflib)."""
    import xml.etree.ElementTree as ET

    from rdflib.query import Result

    out_dir, _ = seeds_build
    sparql = ('SELECT ?c ?label ?n WHERE { GRAPH ?g { ?c a kgo:Council ; skos:prefLabel ?label } '
              'BIND(STRLEN(?label) AS ?n) } LIMIT 3')
    code, out, err = run(capsys, "query", "--sparql", sparql, "--graph", str(out_dir), "--format", "xml")
    assert code == 0, err
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(out)
    binding = root.find("r:results/r:result", ns)
    assert binding.find("r:binding[@name='c']/r:uri", ns) is not None
    n = binding.find("r:binding[@name='n']/r:literal", ns)
    assert n.get("datatype") == "http://www.w3.org/2001/XMLSchema#integer"
    parsed = Result.parse(source=__import__("io").BytesIO(out.encode()), format="xml")
    assert len(list(parsed)) == 3
    code, out, err = run(capsys, "query", "--sparql", 'SELECT ?x WHERE { BIND(STRLANG("hello", "en") AS ?x) }',
                         "--graph", str(out_dir), "--format", "xml")
    assert '<literal xml:lang="en">hello</literal>' in out
    code, out, err = run(capsys, "query", "--sparql", 'SELECT ?x WHERE { BIND(STRLANG("hello", "en") AS ?x) }',
                         "--graph", str(out_dir), "--format", "tsv")
    assert out.splitlines() == ["?x", '"hello"@en']


def test_queries_lists_every_named_query(capsys):
    code, out, err = run(capsys, "queries")
    assert code == 0
    for name in ("councils", "people", "inspections", "judgements", "findings", "quotes", "timeline",
                 "leaders-at-inspection", "grade-changes", "contradictions", "coverage"):
        assert name in out


def test_bad_usage_exit_code(capsys):
    code, out, err = run(capsys, "query", "--format", "yaml")
    assert code == 2


def test_every_command_has_help():
    ap = parser()
    sub = next(a for a in ap._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert p.description, name
    assert set(EXIT_CODES) == {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
