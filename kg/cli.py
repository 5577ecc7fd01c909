"""The ``kg`` command: a thin shell over the library. Errors go to stderr as one line."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .config import DEFAULT, Config
from .errors import BUILT_WITH_ERRORS, EXIT_CODES, KgError, UsageError, printable


def _graph_arg(p):
    p.add_argument("--graph", type=Path, default=DEFAULT.out, help="build folder to read (the --out of build; default: out/)")


def parser() -> argparse.ArgumentParser:
    epilog = "exit codes: " + "; ".join(f"{code} {text}" for code, text in sorted(EXIT_CODES.items()))
    ap = argparse.ArgumentParser(prog="kg", description="Knowledge graph of English councils and Ofsted inspections of their children's services.",
                                 epilog=epilog)
    ap.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build", help="build documents into a graph (default: sources/ and the bundled Ofsted statistics -> out/)",
                       description="Build documents (.txt, .md, .html, .pdf, .jsonl) into RDF: store, graph.trig, graph.ttl, graph.html, report.json.")
    p.add_argument("sources", nargs="*", help="files or folders to read (default: sources/)")
    p.add_argument("--out", type=Path, default=DEFAULT.out, help="output folder (default: out/)")
    p.add_argument("--store", default=None, metavar="URL",
                   help="also keep this SPARQL 1.1 Update endpoint in step with the build (e.g. "
                        "http://127.0.0.1:7878/update for Oxigraph server, http://127.0.0.1:3030/ds for Fuseki)")
    p.add_argument("--processes", type=int, default=DEFAULT.n_process, help="NLP worker processes (default: 1)")
    p.add_argument("--no-viz", action="store_true", help="skip graph.html")
    p.add_argument("--no-cache", action="store_true", help="re-extract every document")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bars (they show only on a terminal, on stderr)")
    p.add_argument("--time-budget", type=float, default=DEFAULT.doc_time_budget, metavar="SECONDS",
                   help=f"time one document may take before it is reported and skipped (default: {DEFAULT.doc_time_budget:g}; 0: no limit)")

    p = sub.add_parser("query", help="run a named query, a .rq file or SPARQL text",
                       description="Run a named query (see 'kg queries'), a FILE.rq or --sparql TEXT against a build.")
    p.add_argument("name", nargs="?", help="named query or FILE.rq")
    p.add_argument("--sparql", help="SPARQL SELECT text")
    _graph_arg(p)
    p.add_argument("--endpoint", metavar="URL", help="query this SPARQL 1.1 endpoint instead of a build "
                                                     "(e.g. http://127.0.0.1:7878/query)")
    p.add_argument("--format", default="table", choices=("csv", "tsv", "json", "xml", "table"))
    p.add_argument("--param", action="append", default=[], metavar="K=V", help="query parameter, e.g. council=Tameside")

    sub.add_parser("queries", help="list the named queries", description="List the named queries that ship with kg.")

    p = sub.add_parser("export", help="export the graph (ttl, nt, nq, trig, jsonld, xml, graphml, gexf, csv)",
                       description="Export a build's graph in an RDF or network format.")
    p.add_argument("--format", required=True, choices=("ttl", "nt", "nq", "trig", "jsonld", "xml", "graphml", "gexf", "csv"))
    _graph_arg(p)
    p.add_argument("--out", type=Path, default=None, help="file to write (default: stdout)")

    p = sub.add_parser("viz", help="draw the network as one offline HTML file",
                       description="Draw the graph as an interactive, self-contained HTML network.")
    _graph_arg(p)
    p.add_argument("--focus", help="label of a node to centre on (e.g. Tameside)")
    p.add_argument("--depth", type=int, default=2, help="hops around --focus (default: 2)")
    p.add_argument("--out", type=Path, default=None, help="HTML file to write (default: GRAPH/graph.html)")

    p = sub.add_parser("serve", help="serve a read-only SPARQL endpoint and a web explorer (offline)",
                       description="Serve a build over HTTP: a read-only SPARQL 1.1 Protocol endpoint at /sparql "
                                   "and a web explorer at /. Ctrl-C stops.")
    _graph_arg(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0 picks a free one)")
    p.add_argument("--timeout", type=float, default=30, help="seconds a query may run before it is stopped (default: 30)")
    p.add_argument("--workers", type=int, default=None, help="query worker processes kept ready (default: one per core, at least 2)")
    p.add_argument("--max-workers", type=int, default=None,
                   help="workers the pool may grow to while slow queries run (default: 4 per worker, at least 16)")
    p.add_argument("--memory-mb", type=int, default=2048, help="address space each query worker may use, in MB (default: 2048; 0: no limit)")
    p.add_argument("--allow-service", action="store_true",
                   help="run SERVICE clauses, which make the server fetch from other URLs (default: refused)")
    p.add_argument("--cache-mb", type=float, default=64, metavar="MB",
                   help="answers kept per build so a repeated query skips the workers, in MB (default: 64; 0: none)")

    p = sub.add_parser("validate", help="check a build against the SHACL shapes (ontology/shapes.ttl)",
                       description="Validate a build with pySHACL; one line per violation naming its focus node and source document.")
    _graph_arg(p)
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    p = sub.add_parser("eval", help="score extraction against *.gold.json files",
                       description="Build CORPUS_DIR and print precision, recall and F1 per category against its gold files.")
    p.add_argument("corpus", type=Path, help="folder of documents with *.gold.json")
    p.add_argument("--json", action="store_true", help="print scores as JSON")
    p.add_argument("--misses", action="store_true", help="also print what was missed or extra, per document")
    p.add_argument("--only", type=Path, metavar="IDS", help="score only the documents listed in this file (one id a line)")
    p.add_argument("--exclude", type=Path, metavar="IDS", help="score all but the documents listed in this file")

    p = sub.add_parser("import-outcomes", help="add Ofsted's official outcome statistics (ODS or CSV) or D2I's ILACS overview (xlsx) to a build",
                       description="Load Ofsted's published inspection outcomes, or the Data to Insight ILACS "
                                   "overview, into a build as the record.")
    p.add_argument("file", type=Path, help="the .ods as published, one of its CSV tables, or D2I's ILACS overview .xlsx")
    _graph_arg(p)
    p.add_argument("--store", default=None, metavar="URL", help="also bring this SPARQL 1.1 Update endpoint in step (as build --store)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bars (they show only on a terminal, on stderr)")
    return ap


def _params(items: list) -> dict:
    out = {}
    for item in items:
        if "=" not in item:
            raise UsageError(f"--param takes K=V, got {item!r}")
        k, v = item.split("=", 1)
        out[k.strip()] = v
    return out


def _remote_line(url: str, done: dict) -> str:
    return (f"store {url}: sent {done['sent']} graphs, dropped {done['dropped']}, "
            f"{done['unchanged']} unchanged")


def run(args) -> int:
    cmd = args.command
    if cmd is None:
        parser().print_help()
        return 0
    if cmd == "build":
        from .build import build

        config = Config().with_(sources=tuple(args.sources) or None, out=args.out, store=args.store,
                                n_process=args.processes, viz=not args.no_viz, cache=not args.no_cache,
                                doc_time_budget=args.time_budget, progress=not args.quiet)
        result = build(config)
        t = result.totals
        print(printable(f"built {t.get('documents', 0)} documents into {result.out}: {t.get('councils', 0)} council mentions, "
                        f"{t.get('people', 0)} people, {t.get('inspections', 0)} inspections, {t.get('judgements', 0)} judgements, "
                        f"{t.get('findings', 0)} findings, {t.get('quotes', 0)} quotes; {t.get('quads', 0)} quads "
                        f"in {result.timings.get('total_s', 0)} s"))
        if result.remote is not None:
            print(_remote_line(args.store, result.remote))
        for w in result.all_warnings():
            print(f"warning: {printable(w)}", file=sys.stderr)
        for s in result.sources:
            for e in s.get("errors", []) if s["status"] == "error" else []:
                print(f"error: {printable(e)}", file=sys.stderr)
        if not args.sources:  # the default build: the national picture from the bundled statistics
            from .imports import import_outcomes

            for stats in map(Path, config.outcomes):
                if stats.is_file():
                    n = import_outcomes(stats, result.out, config)
                    print(f"imported {n['inspections']} inspections from {stats} ({n['tables']} tables)")
        if result.failed:
            print(f"kg: built with {result.failed} input error(s); the rest is in {printable(result.out)}", file=sys.stderr)
            return BUILT_WITH_ERRORS
        return 0
    if cmd == "queries":
        from .query import named_queries

        for name, (desc, _) in named_queries().items():
            print(f"{name:<24}{desc}")
        return 0
    if cmd == "query":
        from .query import format_results, format_table, resolve_query, rows_of, solutions

        text = resolve_query(args.name, args.sparql)
        result = solutions(args.graph, text, _params(args.param), endpoint=args.endpoint)
        if args.format == "table":
            sys.stdout.write(format_table(*rows_of(result)))
        else:
            sys.stdout.buffer.write(format_results(result, args.format))
        return 0
    if cmd == "export":
        from .export import export

        data = export(args.graph, args.format, args.out)
        if data is not None:
            sys.stdout.buffer.write(data)
        return 0
    if cmd == "viz":
        from .export import load_dataset
        from .viz.network import render_html, to_networkx

        out = args.out or args.graph / "graph.html"
        render_html(to_networkx(load_dataset(args.graph)), out, focus=args.focus, depth=args.depth)
        print(f"wrote {out}")
        return 0
    if cmd == "serve":
        from .server import serve

        return serve(args.graph, args.host, args.port, timeout=args.timeout, workers=args.workers,
                     max_workers=args.max_workers, memory_mb=args.memory_mb, allow_service=args.allow_service,
                     cache_mb=args.cache_mb)
    if cmd == "validate":
        from .errors import ValidationFailed
        from .validate import check

        def show(report):
            sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n" if args.json else report.text)

        try:
            report = check(args.graph)
        except ValidationFailed as exc:
            show(exc.report)
            raise
        show(report)
        return 0
    if cmd == "eval":
        from .eval import evaluate, read_id_list

        result = evaluate(args.corpus, only=read_id_list(args.only) if args.only else None,
                          exclude=read_id_list(args.exclude) if args.exclude else None)
        if args.json:
            print(json.dumps(result.to_dict(), indent=2))
        else:
            print(result.table())
        if args.misses:
            print(json.dumps(result.misses, indent=1, ensure_ascii=False))
        return 0
    if cmd == "import-outcomes":
        from .imports import import_outcomes

        n = import_outcomes(args.file, args.graph, Config().with_(store=args.store, progress=not args.quiet))
        print(f"imported {n['inspections']} inspections from {args.file.name} ({n['tables']} tables) into {args.graph}")
        if "remote" in n:
            print(_remote_line(args.store, n["remote"]))
        return 0
    raise UsageError(f"unknown command {cmd!r}")


def main(argv=None) -> int:
    ap = parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:  # argparse has printed its message
        return int(exc.code or 0) and UsageError.exit_code
    try:
        return run(args)
    except KgError as exc:
        print(f"kg: error: {printable(exc)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
