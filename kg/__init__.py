"""kg: a knowledge graph of English councils and Ofsted inspections of their children's services.

The Python API, for notebooks and scripts (the ``kg`` command is a thin shell over the same code)::

    import kg
    result = kg.build(["sources/"], out="out")         # -> BuildResult (totals, timings, per-source report)
    rows = kg.query("inspections", graph="out")        # -> list of dicts, one per row
    df = kg.query("judgements", graph="out", dataframe=True)   # -> pandas DataFrame
    ds = kg.load("out")                                # -> rdflib Dataset, named graphs kept

``query`` takes a named query (see ``kg.queries()``), a ``.rq`` file or SPARQL text, and runs it
on a build or, with ``endpoint=URL``, on any SPARQL 1.1 endpoint.
"""

__version__ = "0.1.0"

__all__ = ["build", "query", "queries", "load", "__version__"]


def _build(sources=None, out="out", *, store=None, processes=1, viz=True, cache=True):
    """Build documents (files or folders; default ``sources/``) into a graph in ``out``.

    ``store`` is a SPARQL 1.1 Update endpoint to keep in step with the build. Returns the
    ``BuildResult``: ``.totals`` (counts), ``.timings`` and ``.sources`` (the report's rows)."""
    from pathlib import Path

    from .build import build as _build
    from .config import Config

    if isinstance(sources, (str, Path)):
        sources = [sources]
    config = Config().with_(sources=tuple(str(s) for s in sources) if sources else None, out=Path(out),
                            store=store, n_process=processes, viz=viz, cache=cache)
    return _build(config)


def queries() -> dict:
    """Named queries that ship with kg: name -> one-line description."""
    from .query import named_queries

    return {name: desc for name, (desc, _text) in named_queries().items()}


def _query(name_or_sparql, graph="out", *, endpoint=None, params=None, dataframe=False):
    """Run a named query, a ``.rq`` file or SPARQL SELECT text.

    Returns a list of dicts (column -> string, or None where unbound), or with
    ``dataframe=True`` a pandas DataFrame with those columns. ``params`` fills a named
    query's parameters (e.g. ``{"council": "Tameside"}``)."""
    from pathlib import Path

    from .query import named_queries, resolve_query, run_query

    text = str(name_or_sparql)
    if text in named_queries() or text.endswith(".rq"):
        text = resolve_query(text, None)
    columns, rows = run_query(Path(graph), text, dict(params or {}), endpoint=endpoint)
    if dataframe:
        import pandas as pd

        return pd.DataFrame(rows, columns=columns)
    return [dict(zip(columns, row)) for row in rows]


def load(graph="out"):
    """A build's graph as an rdflib ``Dataset`` (one named graph per source document, plus the
    resolved, reference and ontology graphs)."""
    from pathlib import Path

    from .export import load_dataset

    return load_dataset(Path(graph))


_API = {"build": _build, "query": _query}


def __getattr__(name: str):
    # kg.build and kg.query are submodules too: the attribute is the submodule, made callable
    if name in _API:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _callable_submodules() -> None:
    """``kg.build`` and ``kg.query`` are modules that can be called: calling one runs the API
    function above, while ``kg.build.NAME``, ``from kg import build`` and ``import kg.build``
    reach the module as ever. The package's attribute is set when the submodule loads (by
    whatever imports it first); that is when it is made callable."""
    import sys
    import types

    class CallableModule(types.ModuleType):
        def __call__(self, *args, **kwargs):
            return _API[self.__name__.rsplit(".", 1)[1]](*args, **kwargs)

    class Package(types.ModuleType):
        def __setattr__(self, name, value):
            if name in _API and isinstance(value, types.ModuleType) and not isinstance(value, CallableModule):
                value.__class__ = CallableModule
            super().__setattr__(name, value)

    sys.modules[__name__].__class__ = Package


_callable_submodules()
