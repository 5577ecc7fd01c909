"""Named and ad-hoc SPARQL queries over a build, and result formatting."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional
from .errors import QueryError
from .store import open_store, select_solutions

QUERY_DIR = Path(__file__).resolve().parent / "queries"
FORMATS = ("csv", "tsv", "json", "xml", "table")


def named_queries() -> dict:
    """name -> (description, SPARQL text), from the .rq files shipped with kg."""
    out = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        out[path.stem] = (first.lstrip("# ").strip(), text)
    return out


def resolve_query(name_or_file: Optional[str], sparql: Optional[str]) -> str:
    if sparql:
        return sparql
    if not name_or_file:
        raise QueryError("give a query NAME, a FILE.rq or --sparql TEXT (see 'kg queries')")
    queries = named_queries()
    if name_or_file in queries:
        return queries[name_or_file][1]
    path = Path(name_or_file)
    if path.suffix == ".rq":
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"{path}: cannot read query file ({exc.strerror})") from exc
    raise QueryError(f"unknown query {name_or_file!r}; named queries: {', '.join(queries)}")


def run_query(graph_dir: Path, text: str, params: Optional[dict] = None, store=None,
              endpoint: Optional[str] = None) -> tuple:
    """(columns, rows) of a SELECT query; ``params`` bind ``?param_NAME`` variables.

    With ``endpoint`` the query runs on that SPARQL 1.1 endpoint instead of the build."""
    return rows_of(solutions(graph_dir, text, params, store=store, endpoint=endpoint))


def solutions(graph_dir: Optional[Path], text: str, params: Optional[dict] = None, store=None,
              endpoint: Optional[str] = None):
    """A SELECT query's results as pyoxigraph ``QuerySolutions`` (terms kept), from the
    build's store or from a SPARQL endpoint."""
    import pyoxigraph

    text = bind_params(text, params or {})
    if endpoint:
        from .store.remote import RemoteStore, with_prefixes

        result = RemoteStore(endpoint).query(with_prefixes(text))
    else:
        result = select_solutions(store if store is not None else open_store(graph_dir), text)
    if not isinstance(result, pyoxigraph.QuerySolutions):
        raise QueryError("only SELECT queries can be tabulated; use --format with a SELECT query")
    return result


def rows_of(result) -> tuple:
    """(column names, rows of python strings or None) of ``QuerySolutions``."""
    columns = [v.value for v in result.variables]
    rows = [[None if (term := solution[v]) is None else term.value for v in columns] for solution in result]
    return columns, rows


def bind_params(text: str, params: dict) -> str:
    """Replace ``?param_NAME`` by the given value (or the ``# param NAME DEFAULT`` line's default)."""
    defaults = dict(re.findall(r"^# param (\w+) (\S+)", text, re.M))
    for key in params:
        if key not in defaults:
            raise QueryError(f"this query takes no parameter {key!r}")
    for key, default in defaults.items():
        value = params.get(key, default)
        literal = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        text = text.replace(f"?param_{key}", literal)
    return text


RESULT_FORMATS = {"xml": "XML", "json": "JSON", "csv": "CSV", "tsv": "TSV"}


def format_results(result, fmt: str) -> bytes:
    """SPARQL 1.1 Query Results in XML, JSON, CSV or TSV, written by pyoxigraph's serialisers
    (IRIs, blank nodes and literals told apart; datatypes and languages kept)."""
    import pyoxigraph

    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return result.serialize(format=getattr(pyoxigraph.QueryResultsFormat, RESULT_FORMATS[fmt]))


def format_table(columns: list, rows: list) -> str:
    """Rows as a plain-text table for the terminal."""
    cells = [["" if v is None else v for v in row] for row in rows]
    widths = [min(60, max([len(c)] + [len(str(r[i])) for r in cells])) for i, c in enumerate(columns)]

    def line(values):
        return "  ".join(str(v)[:w].ljust(w) for v, w in zip(values, widths)).rstrip()

    body = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
    return "\n".join(body) + f"\n({len(rows)} rows)\n"
