"""Named and ad-hoc SPARQL queries over a build, and result formatting."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Optional
from xml.sax.saxutils import escape

from .errors import QueryError
from .store import open_store, select

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


def run_query(graph_dir: Path, text: str, params: Optional[dict] = None, store=None) -> tuple:
    """(columns, rows) of a SELECT query; ``params`` bind ``?param_NAME`` variables."""
    store = store if store is not None else open_store(graph_dir)
    return select(store, bind_params(text, params or {}))


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


def format_rows(columns: list, rows: list, fmt: str) -> str:
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    cells = [["" if v is None else v for v in row] for row in rows]
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(cells)
        return buf.getvalue()
    if fmt == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], indent=2, ensure_ascii=False) + "\n"
    if fmt == "xml":
        # SPARQL Query Results XML Format
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
        out += [f'    <variable name="{escape(c)}"/>' for c in columns]
        out += ["  </head>", "  <results>"]
        for row in rows:
            out.append("    <result>")
            for c, v in zip(columns, row):
                if v is not None:
                    out.append(f'      <binding name="{escape(c)}"><literal>{escape(v)}</literal></binding>')
            out.append("    </result>")
        out += ["  </results>", "</sparql>"]
        return "\n".join(out) + "\n"
    widths = [min(60, max([len(c)] + [len(str(r[i])) for r in cells])) for i, c in enumerate(columns)]

    def line(values):
        return "  ".join(str(v)[:w].ljust(w) for v, w in zip(values, widths)).rstrip()

    body = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
    return "\n".join(body) + f"\n({len(rows)} rows)\n"
