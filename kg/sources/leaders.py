"""Who led each council: the leaders table shipped as ``kg/data/council-leaders.csv``.

Each row is one term of office: the leader of a council, or its directly
elected mayor, with ISO dates at the precision the source gives (``to`` empty:
in office at the source's date), the page the fact comes from and a note.
Every build loads the table as role facts: one document per source page
(source id its URL, kind ``reference``), and per row a membership of the
person in the council with ``held_from``/``held_until``. The person is the
same node as the same name in news or minutes (a person key from the full
name).

Limits the data has, and the graph keeps: the pages predate most May 2025
elections, so an open term is known only up to :data:`KNOWN_UNTIL`, or the
latest date the council's rows give if later; after it who led is unknown
(``known_until`` on the membership says so). About thirty
councils have gaps before 2010, listed in the notes.

The loader checks every row and reports every problem with its row number
(:class:`DataFileError`): unknown GSS code, unknown role, no person, a date
that is not ISO at year, month or day precision, a term that ends before it
begins, a source that is not an http(s) URL.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from kg.errors import DataFileError
from kg.model import Document, DocumentFacts, Evidence, PersonRole

LEADERS_FILE = Path(__file__).resolve().parents[1] / "data" / "council-leaders.csv"
COLUMNS = ("gss_code", "council", "role", "person", "party", "from", "to", "source_url", "note")
# the pages were read before the May 2025 elections' results reached most of them
KNOWN_UNTIL = "2025-05-01"
ROLES = {"leader": "Leader of the council", "elected_mayor": "Elected mayor"}
ISO = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def _start(value: str) -> str:
    return value + "-01-01"[len(value) - 4:] if value else ""


def _end(value: str) -> str:
    return value + "-12-31"[len(value) - 4:] if value else ""


@lru_cache(maxsize=4)
def load_leaders(path: Path = LEADERS_FILE) -> tuple:
    """The table's rows as dicts (with ``row``, the spreadsheet row number), checked."""
    from kg.sources.outcomes import council_names

    names = council_names()
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = tuple(reader.fieldnames or ())
            data = list(reader)
    except OSError as exc:
        raise DataFileError(path, [f"cannot read ({exc.strerror or exc})"]) from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise DataFileError(path, [f"lacks column(s) {', '.join(missing)}"])
    problems, rows = [], []
    for n, r in enumerate(data, start=2):
        r = {k: (r.get(k) or "").strip() for k in COLUMNS}
        where = f"row {n}"
        if r["gss_code"] not in names:
            problems.append(f"{where}: unknown gss_code {r['gss_code']!r}")
        if r["role"] not in ROLES:
            problems.append(f"{where}: unknown role {r['role']!r} (expected {' or '.join(ROLES)})")
        if not r["person"]:
            problems.append(f"{where}: no person")
        for col in ("from", "to"):
            if r[col] and not ISO.match(r[col]):
                problems.append(f"{where}: {col} {r[col]!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
        if r["from"] and r["to"] and ISO.match(r["from"]) and ISO.match(r["to"]) and _end(r["to"]) < _start(r["from"]):
            problems.append(f"{where}: term ends ({r['to']}) before it begins ({r['from']})")
        if urlsplit(r["source_url"]).scheme not in ("http", "https") or not urlsplit(r["source_url"]).netloc:
            problems.append(f"{where}: source_url {r['source_url']!r} is not an http(s) URL")
        rows.append({**r, "row": n})
    if problems:
        raise DataFileError(path, problems)
    return tuple(rows)


@lru_cache(maxsize=4)
def leader_facts(path: Path = LEADERS_FILE) -> tuple:
    """The table as facts: one :class:`DocumentFacts` per source page, in the table's order."""
    from kg.sources.outcomes import council_names

    names = council_names()
    pages: dict = {}
    known = known_until(path)
    for r in load_leaders(path):
        url = r["source_url"]
        facts = pages.get(url)
        if facts is None:
            facts = pages[url] = DocumentFacts(document=Document(
                source_id=url, text="", path=str(path), kind="reference", title=None, url=url,
                publisher=urlsplit(url).netloc))
        text = " | ".join(r[c] for c in COLUMNS if c != "source_url")
        facts.people.append(PersonRole(
            name=r["person"], role_category=r["role"], role_title=ROLES[r["role"]],
            organisation=names[r["gss_code"]], council_gss=r["gss_code"],
            held_from=r["from"] or None, held_until=r["to"] or None,
            known_until=None if r["to"] else known[r["gss_code"]],
            evidence=Evidence(source_id=url, start=0, end=0, text=text)))
    return tuple(pages.values())


def known_until(path: Path = LEADERS_FILE) -> dict:
    """GSS code -> the date up to which the table knows who led: :data:`KNOWN_UNTIL`, or the
    latest date the council's own rows give, if later (its page had caught up with a change)."""
    out: dict = {}
    for r in load_leaders(path):
        latest = max(_start(r["from"]), _start(r["to"]), KNOWN_UNTIL)
        out[r["gss_code"]] = max(out.get(r["gss_code"], KNOWN_UNTIL), latest)
    return out


def term_at(gss: str, when: str, path: Path = LEADERS_FILE) -> Optional[dict]:
    """The row whose term covers the ISO date ``when`` at council ``gss`` (the last to begin), if any."""
    hits = [r for r in load_leaders(path) if r["gss_code"] == gss and r["from"]
            and _start(r["from"]) <= when <= (_end(r["to"]) if r["to"] else known_until(path)[gss])]
    return max(hits, key=lambda r: _start(r["from"])) if hits else None
