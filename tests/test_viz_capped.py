"""``to_networkx_capped(store, n)`` gives exactly what ``cap_nodes(to_networkx(store), n)`` gives:
the same nodes, edges, keys and attributes, in the same order, and so the same page and layout.
Checked on real builds (the seeds, and the seeds with the dev corpus) with caps that cut into
each kind of node, and on small stores where one IRI has two roles."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from kg.viz import cap_nodes, to_networkx, to_networkx_capped
from kg.viz.render import _KEEP_ORDER, page_data

FIXTURE = Path(__file__).parent / "fixtures" / "viz_sample.trig"
KGO = "https://w3id.org/ofsted-kg/def#"
KGID = "https://w3id.org/ofsted-kg/id/"


def _full(g):
    return (list(g.nodes(data=True)), list(g.edges(keys=True, data=True)),
            [list(attrs) for _n, attrs in g.nodes(data=True)],  # attribute order too
            [list(attrs) for _u, _v, attrs in g.edges(data=True)])


def _caps(g) -> list[int]:
    """Caps that cut inside each node type's block of the ranking, and some at the edges."""
    n = g.number_of_nodes()
    rank = {t: i for i, t in enumerate(_KEEP_ORDER)}
    types = sorted(rank.get(t, len(rank)) for _n, t in g.nodes(data="type"))
    caps = {0, 1, n - 1, n, n + 7}
    start = 0
    for i in range(1, n + 1):  # the middle of each type's block
        if i == n or types[i] != types[start]:
            caps.add((start + i) // 2)
            start = i
    return sorted(c for c in caps if c >= 0)


def _assert_same(store, caps, *, include_isolated=False):
    full = to_networkx(store, include_isolated=include_isolated)
    for cap in caps:
        want = cap_nodes(to_networkx(store, include_isolated=include_isolated), cap)
        got = to_networkx_capped(store, cap, include_isolated=include_isolated)
        assert _full(got) == _full(want), cap
        assert got.graph == want.graph
    return full


def _check_build(out: Path, extra_caps=()):
    from kg.store import open_store

    store = open_store(out)
    full = to_networkx(store)
    assert {t for _n, t in full.nodes(data="type")} >= {"council", "document", "finding"}
    _assert_same(store, sorted(set(_caps(full)) | set(extra_caps)))
    _assert_same(store, [0, full.number_of_nodes() // 2], include_isolated=True)
    # the page the build draws, layout included
    cap = full.number_of_nodes() * 2 // 3
    assert page_data(to_networkx_capped(store, cap)) == page_data(cap_nodes(to_networkx(store), cap))


def test_capped_equals_cap_of_the_whole_on_the_seeds(seeds_build):
    out, _ = seeds_build
    _check_build(out)


@pytest.fixture(scope="module")
def seeds_and_dev_build(tmp_path_factory, corpus):
    from kg.build import build
    from kg.config import Config

    out = tmp_path_factory.mktemp("seeds-dev") / "out"
    build(Config().with_(sources=(str(corpus / "seeds"), str(corpus / "dev")), out=out))
    return out


def test_capped_equals_cap_of_the_whole_on_seeds_and_dev(seeds_and_dev_build):
    _check_build(seeds_and_dev_build, extra_caps=(500, 1000))


def _store(extra: str = "") -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)
    if extra:
        store.load(extra.encode(), format=pyoxigraph.RdfFormat.TRIG)
    return store


def _all_caps(store):
    n = to_networkx(store).number_of_nodes()
    return list(range(0, n + 2))


def test_capped_equals_cap_of_the_whole_on_the_fixture():
    store = _store()
    assert to_networkx(store).number_of_nodes() > 5
    _assert_same(store, _all_caps(store))


@pytest.mark.parametrize("extra", [
    # one IRI typed both finding and quote: the quote's attributes overwrite the finding's
    f"<{KGID}graph/two-roles> {{ <{KGID}finding/fq> a <{KGO}Finding>, <{KGO}Quote> ; "
    f"<{KGO}text> \"Both at once.\"@en . }}",
    # a finding about another finding (which is then its own target's label's source)
    f"<{KGID}graph/chain> {{ <{KGID}finding/a> a <{KGO}Finding> ; <{KGO}text> \"First.\"@en . "
    f"<{KGID}finding/b> a <{KGO}Finding> ; <{KGO}text> \"Second.\"@en ; "
    f"<{KGO}aboutInspection> <{KGID}finding/a> . }}",
    # a quote said by a finding
    f"<{KGID}graph/speaker> {{ <{KGID}finding/s> a <{KGO}Finding> ; <{KGO}text> \"Said.\"@en . "
    f"<{KGID}quote/s> a <{KGO}Quote> ; <{KGO}text> \"Quoted.\"@en ; <{KGO}speaker> <{KGID}finding/s> . }}",
    # a text with characters XML cannot hold
    f"<{KGID}graph/ctrl> {{ <{KGID}finding/c> a <{KGO}Finding> ; <{KGO}text> \"Bell\\u0007 here.\"@en . }}",
])
def test_capped_equals_cap_of_the_whole_when_an_iri_has_two_roles(extra):
    store = _store(extra)
    _assert_same(store, _all_caps(store))
