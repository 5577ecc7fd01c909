"""A remote SPARQL 1.1 store kept in step with the build (`--store`), and named queries run anywhere
(`--endpoint`): against real Oxigraph servers on loopback (one whose default graph is the union of
the named graphs, one whose default graph is its own), and Apache Jena ARQ over the TriG export."""
from __future__ import annotations

import shutil

import pytest

from kg.cli import main
from kg.errors import StoreError
from kg.query import bind_params, named_queries, rows_of, run_query, solutions
from kg.rdf.mapping import doc_graph_iri
from kg.store import open_store
from kg.store.remote import RemoteStore, RemoteSyncError, sync

from remote_servers import OxigraphServer, copy_sources, jena_selects

def _rows(result):
    columns, rows = rows_of(result)
    return columns, sorted(rows, key=repr)


def _local_graphs(out) -> set:
    return {g.value for g in open_store(out).named_graphs()}


def _remote_graphs(server) -> set:
    return RemoteStore(server.update_url).graphs()


@pytest.fixture(scope="module")
def servers():
    plain, union = OxigraphServer(), OxigraphServer(union=True)
    yield {"plain": plain, "union": union}
    plain.stop()
    union.stop()


@pytest.fixture(scope="module")
def synced(servers, corpus, tmp_path_factory):
    """The seeds built with --store into the plain server, then copied to the union server."""
    root = tmp_path_factory.mktemp("remote")
    src = root / "src"
    shutil.copytree(corpus / "seeds", src, ignore=shutil.ignore_patterns("*.gold.json"))
    out = root / "out"
    assert main(["build", str(src), "--out", str(out), "--no-viz", "--store", servers["plain"].update_url]) == 0
    sync(out, servers["union"].update_url)
    return src, out


def test_build_sends_every_graph(synced, servers):
    _src, out = synced
    local = _local_graphs(out)
    assert len(local) >= 8  # ontology, reference, resolved and one per document
    assert _remote_graphs(servers["plain"]) == local
    assert _remote_graphs(servers["union"]) == local


@pytest.mark.parametrize("kind", ["plain", "union"])
@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_query_same_rows_through_endpoint(synced, servers, kind, name):
    _src, out = synced
    local = _rows(solutions(out, named_queries()[name][1]))
    remote = _rows(solutions(None, named_queries()[name][1], endpoint=servers[kind].query_url))
    assert remote == local
    if name in ("councils", "inspections", "judgements", "findings", "quotes", "people"):
        assert local[1], f"{name}: no rows to compare"


def test_named_queries_same_rows_in_jena(synced, tmp_path):
    """Jena reads the TriG export into a dataset whose default graph is empty: the shipped queries
    must not lean on a union default graph."""
    _src, out = synced
    texts = {name: bind_params(text, {}) for name, (_desc, text) in named_queries().items()}
    for name, result in jena_selects(out / "graph.trig", texts, tmp_path).items():
        assert _rows(result) == _rows(solutions(out, texts[name])), name


def test_cli_endpoint_formats(synced, servers, capsys):
    _src, out = synced
    assert main(["query", "councils", "--endpoint", servers["plain"].query_url, "--format", "csv"]) == 0
    remote = capsys.readouterr().out
    assert main(["query", "councils", "--graph", str(out), "--format", "csv"]) == 0
    local = capsys.readouterr().out
    assert "Tameside" in remote
    assert sorted(remote.splitlines()) == sorted(local.splitlines())


def test_removed_document_dropped_remotely(servers, corpus, tmp_path):
    server = OxigraphServer()
    try:
        src = tmp_path / "src"
        shutil.copytree(corpus / "seeds", src, ignore=shutil.ignore_patterns("*.gold.json"))
        out = tmp_path / "out"
        assert main(["build", str(src), "--out", str(out), "--no-viz", "--store", server.update_url]) == 0
        before = _remote_graphs(server)
        gone = sorted(src.glob("*.txt"))[0]
        gone.unlink()
        assert main(["build", str(src), "--out", str(out), "--no-viz", "--store", server.update_url]) == 0
        after = _remote_graphs(server)
        assert after == _local_graphs(out)
        dropped = before - after
        assert dropped == {str(doc_graph_iri(gone.name))}
        sources = {r[-1] for r in run_query(None, named_queries()["councils"][1], endpoint=server.query_url)[1]}
        assert sources and gone.name not in sources
        for name in ("councils", "inspections", "coverage"):
            assert _rows(solutions(None, named_queries()[name][1], endpoint=server.query_url)) == \
                _rows(solutions(out, named_queries()[name][1])), name
    finally:
        server.stop()


def test_import_outcomes_arrives(servers, corpus, tmp_path, capsys):
    from pathlib import Path

    stats = Path(corpus).parent / "data" / "ofsted" / "latest-as-at-2025-03-31.csv"
    assert stats.is_file(), stats
    server = OxigraphServer()
    try:
        src = copy_sources(corpus / "seeds", tmp_path / "src", ["000_"])
        out = tmp_path / "out"
        assert main(["build", str(src), "--out", str(out), "--no-viz", "--store", server.update_url]) == 0
        capsys.readouterr()
        assert main(["import-outcomes", str(stats), "--graph", str(out), "--store", server.update_url]) == 0
        said = capsys.readouterr().out
        assert f"store {server.update_url}: sent" in said
        assert _remote_graphs(server) == _local_graphs(out)
        assert any("latest-as-at" in g for g in _remote_graphs(server))
        query = named_queries()["inspections"][1]
        remote = _rows(solutions(None, query, endpoint=server.query_url))
        assert len(remote[1]) > 100  # the statistics' inspections, one per council
        assert remote == _rows(solutions(out, query))
    finally:
        server.stop()


def test_unreachable_store_fails_before_extraction(tmp_path, capsys):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Tameside Council's leader is Jane Smith.\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["build", str(src), "--out", str(out), "--store", f"http://127.0.0.1:{port}/update"])
    err = capsys.readouterr().err
    assert code == StoreError.exit_code
    assert f"127.0.0.1:{port}" in err and "nothing was built" in err
    assert not out.exists()


def test_server_dying_mid_sync_keeps_local_build_and_rerun_completes(corpus, tmp_path):
    data = tmp_path / "oxigraph-data"
    server = OxigraphServer(location=data)
    try:
        src = tmp_path / "src"
        shutil.copytree(corpus / "seeds", src, ignore=shutil.ignore_patterns("*.gold.json"))
        out = tmp_path / "out"
        assert main(["build", str(src), "--out", str(out), "--no-viz"]) == 0
        local = _local_graphs(out)
        remote = RemoteStore(server.update_url, backoff=0.05)

        def kill_after_three(done, total):
            if done == 3:
                server.stop()

        with pytest.raises(RemoteSyncError) as caught:
            sync(out, server.update_url, remote=remote, progress=kill_after_three)
        message = str(caught.value)
        assert f"sent 3 of {len(local)} graphs" in message and "run the same command again" in message
        assert (out / "report.json").is_file() and _local_graphs(out) == local  # the local build stands
        server = OxigraphServer(location=data, port=server.port)  # the same store back, on the same URL
        held = _remote_graphs(server)
        assert len(held) == 3
        assert "https://w3id.org/ofsted-kg/id/graph/reference" not in held  # the reference graph goes last
        done = sync(out, server.update_url, remote=RemoteStore(server.update_url, backoff=0.05))
        assert done["sent"] == len(local) - 3
        assert _remote_graphs(server) == local
        again = sync(out, server.update_url)
        assert again["sent"] == 1 and again["dropped"] == 0  # only the reference graph, every time
    finally:
        server.stop()
