"""Ofsted's official statistics "Local authority inspection outcomes".

Reads the release *Local authority inspection outcomes as at 31 March 2025*
(Ofsted, published 2025-09-25): the ``.ods`` as published, or a CSV copy of
one of its three tables.  Each table becomes one :class:`DocumentFacts`:

=========  ===============================  ====================================
table      ODS sheet                        rows
=========  ===============================  ====================================
latest     Inspections_as_at_31_March       each LA's most recent ILACS judgements
in-year    In-year_inspections              every inspection and visit of the year
history    ILACS_inspection_history         every ILACS short/standard inspection
=========  ===============================  ====================================

A table is recognised by its columns, never by its file or sheet name:
``Inspection type`` or ``Local authority status`` -> history;
``Inspection/Visit type`` or ``Visit Theme`` -> in-year; otherwise a table
with ``Inspection date`` -> latest.  In the ODS the header row is found by
looking for the ``Local authority area code`` cell (it is row 3, not row 1);
sheets without one (Cover, Contents, Notes) are not tables.

The document of a table: ``source_id`` is ``"<file name>#<table>"``
(``LA_Inspection_Outcomes_as_at_31_March_2025.ods#latest``), ``kind`` is
``statistics``, ``text`` is empty (statistics have no body text), ``title``
is the release title plus the table's name from the release's Contents
sheet, publisher ``Ofsted``.  The release title and publication date are
read from the ODS Cover sheet when there is one; CSV copies carry no
metadata and get those of the 2025 release.

Facts:

* ``councils``: one :class:`CouncilMention` per local authority in the table
  (first row it appears on), keyed by the GSS code in ``Local authority area
  code`` and named with the short ``name`` of ``english-las.csv``, shipped
  as ``kg/data/councils.csv``.  Ofsted writes "Durham", "Telford & Wrekin",
  ...; the name as written stays in the evidence.
* ``inspections``: one :class:`Inspection` per row, framework ``ILACS``.
  ``kind``: ILACS Standard/Short Inspection -> ``full_inspection`` (the
  latest table holds only those), ILACS Focused Visit -> ``focused_visit``,
  LA Monitoring visit -> ``monitoring_visit``.  The tables give a single
  date per row (``Inspection date`` / ``Inspection/Visit date``), the first
  day on site, so it is ``visit_start`` and ``visit_end`` stays ``None``.
  ``published`` is ``Publication date``; ``theme`` is ``Visit Theme``.
* judgements: one per graded cell, ``area_as_written`` the column heading
  and ``grade_as_written`` the cell.  Before 2023 the line headed "The
  experiences and progress of children in care" was the combined "children
  in care and care leavers" judgement (the release uses the 2023 wording for
  all years); both map to ``children_in_care``.  Blank, "Not yet inspected"
  and "-" cells are no judgement.

Evidence (the same convention for every fact of a statistics table): an
:class:`Evidence` whose ``source_id`` is the table's source id and whose
``start`` and ``end`` are both 0, since there is no body text to point
into.  For a council mention and an inspection its ``text`` is the row's
cells in column order joined by `` | `` (the ODS-only ``Web link`` column
left out; ODS dates written ``YYYY-MM-DD``), so ODS and CSV give the same
text; for a judgement it is ``"<column heading>: <cell>"``.

D2I's ILACS overview (``.xlsx``, or a CSV copy): the spreadsheet that the
Data to Insight "Ofsted ILACS scrape tool" publishes, one row per council
with its most recent ILACS inspection (``overview`` table).  Recognised by
an ``inspection_start_date`` column; underscores in its headings read as
spaces, so ``overall_effectiveness_grade`` is the overall judgement and
``in_care_grade`` children in care.  The council is ``ltla23cd`` (GSS).
Every row is a full inspection (``inspection_framework`` says short or
standard, or nothing); ``inspector_name`` is the lead inspector.  Start
dates are ``dd/mm/yyyy``, publication dates ``dd/mm/yy``; a row with a
publication date but no start date is kept (the publication dates it).
Cells ``nan``, ``None`` and ``inspection_pre_dates_judgement`` are no
judgement: an inspection may have sub-judgements and no overall grade
(Ofsted gave none from April 2026).  Its document is the spreadsheet's own
(``ofsted_csc_ilacs_overview.xlsx#overview``, publisher Data to Insight,
dated by the workbook's last-modified date, or else its latest publication
date).

Errors: a file that cannot be read, is of an unknown type, holds no
recognised table, or lacks a needed column raises :class:`InputError` with
one line naming the file.  A row whose GSS code is unknown, or whose date
cannot be parsed, is skipped and a message naming file, table and row is
added to ``DocumentFacts.errors``.  Row numbers are those a spreadsheet
shows: the CSV line number (header = 1) or the ODS sheet row (header = 3).
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Optional

from kg.errors import DataFileError, InputError
from kg.model import CouncilMention, Document, DocumentFacts, Evidence, Inspection, Judgement
from kg.rdf.namespace import codes

RELEASE_TITLE = "Local authority inspection outcomes as at 31 March 2025"
RELEASE_PUBLISHED = "2025-09-25"
PUBLISHER = "Ofsted"
FRAMEWORK = "ILACS"

# table id -> its worksheet title in the release's Contents sheet
TABLE_TITLES = {
    "latest": "Inspections as at 31 March",
    "overview": "ILACS inspections overview",
    "in-year": "In-year inspections",
    "history": "ILACS inspection history",
}

CODE_COL = "local authority area code"
# GSS code columns, first found wins (D2I's overview: ltla23cd)
GSS_COLS = (CODE_COL, "ltla23cd", "la code new", "gss code")
START_COL = "inspection start date"
DFE_COL = "la code"
END_COL = "inspection end date"
OVERVIEW_TITLE = "Ofsted ILACS inspections overview (Data to Insight ILACS scrape tool)"
OVERVIEW_PUBLISHER = "Data to Insight"
LEAD_INSPECTOR_COL = "inspector name"
# D2I columns that are not about the row's inspection: left out of the evidence text
EVIDENCE_SKIP = {"web link", "inspection link", "local link to all inspections", "stat neighbours",
                 "stat neighbour judgement", "inspectors inspections count"}
NAME_COL = "local authority name"
PUBLISHED_COL = "publication date"
DATE_COLS = ("inspection date", "inspection/visit date", START_COL)
TYPE_COLS = ("inspection type", "inspection/visit type")
THEME_COL = "visit theme"
STATUS_COL = "local authority status"
OVERALL_COL = "overall effectiveness"
WEB_LINK_COL = "web link"

# column heading (normalised) -> area code; first match wins, so the
# combined 2018-22 line is tested before its parts.
AREA_PATTERNS = (
    ("overall effectiveness", "overall"),
    ("impact of leaders", "leadership"),
    ("help and protection", "help_and_protection"),
    ("children in care and care leavers", "children_in_care"),
    ("children in care", "children_in_care"),
    ("care leavers", "care_leavers"),
    ("in care grade", "children_in_care"),  # D2I's in_care_grade
)

GRADES = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement to be good": "requires_improvement",
    "requires improvement": "requires_improvement",
    "inadequate": "inadequate",
}
NO_GRADE = {"", "-", "–", "—", "not yet inspected", "n/a", "na", "not applicable",
            # D2I's overview: pandas' and Python's words for an empty cell, and a line the inspection predates
            "nan", "none", "inspection pre dates judgement"}

# inspection/visit type (normalised) -> kind; first keyword found wins
KIND_KEYWORDS = (
    ("focused visit", "focused_visit"),
    ("monitoring visit", "monitoring_visit"),
    ("joint targeted", "jtai"),
    ("standard inspection", "full_inspection"),
    ("short inspection", "full_inspection"),
)

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%y", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%d-%b-%Y", "%d-%b-%y")

HEADER_SCAN_ROWS = 30
LAS_FILE = "english-las.csv"
PACKAGE_LAS_FILE = "councils.csv"


def load_outcomes(path: Path, councils: Optional[Mapping[str, str]] = None) -> list:
    """Read an outcomes ODS (all its tables) or one CSV table.

    ``councils`` maps GSS code -> short name; by default it is read from
    ``kg/data/councils.csv`` (see :func:`council_names`).
    Returns one :class:`DocumentFacts` per table, in file order.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".ods", ".csv", ".xlsx"):
        what = f"unknown file type {path.suffix!r}" if path.suffix else "unknown file type (no extension)"
        raise InputError(f"{path}: {what}; expected .ods, .xlsx or .csv")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    names = dict(councils) if councils is not None else council_names(path)
    if suffix == ".csv":
        header, rows = _read_csv(path)
        table = _classify(path, header)
        return [_table_facts(path, table, header, rows, header_row=1, meta=(RELEASE_TITLE, RELEASE_PUBLISHED), names=names)]
    return _load_ods(path, names, engine="openpyxl" if suffix == ".xlsx" else "odf")


# --- council names --------------------------------------------------------


def council_names(path: Optional[Path] = None) -> dict:
    """GSS code -> short name (``gss_code`` and ``name`` columns).

    Read from the package's ``kg/data/councils.csv`` (the project's copy of
    ``english-las.csv``); failing that from ``english-las.csv`` in
    ``../shared/data`` beside the repository, or in the folder above the
    input file (the shared layout: ``data/ofsted/*.ods``).
    """
    candidates = [
        Path(__file__).resolve().parents[1] / "data" / PACKAGE_LAS_FILE,
        Path(__file__).resolve().parents[3] / "shared" / "data" / LAS_FILE,
    ]
    if path is not None:
        candidates.append(Path(path).resolve().parent.parent / LAS_FILE)
    for candidate in candidates:
        if candidate.is_file():
            return dict(_read_las(str(candidate)))
    raise DataFileError(LAS_FILE, [f"not found (looked in {', '.join(str(c.parent) for c in candidates)})"])


def dfe_councils() -> dict:
    """DfE LA code -> [(gss, valid_from, valid_to)] from the package's council table."""
    path = Path(__file__).resolve().parents[1] / "data" / PACKAGE_LAS_FILE
    out: dict = {}
    if path.is_file():
        with open(path, newline="", encoding="utf-8-sig") as fh:
            for r in csv.DictReader(fh):
                if (r.get("dfe_code") or "").strip():
                    out.setdefault(r["dfe_code"].strip(), []).append(
                        (r["gss_code"].strip(), (r.get("valid_from") or "").strip(), (r.get("valid_to") or "").strip()))
    return out


def _by_dfe(dfe: dict, code: str, when: Optional[str]) -> Optional[str]:
    """The council that had this DfE code on the date (the open one when undated), if exactly one."""
    found = [g for g, lo, hi in dfe.get(code, ())
             if (when and (not lo or lo <= when) and (not hi or when <= hi)) or (not when and not hi)]
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=4)
def _read_las(path: str) -> tuple:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "gss_code" not in reader.fieldnames or "name" not in reader.fieldnames:
            raise DataFileError(path, ["needs columns gss_code and name"])
        return tuple((r["gss_code"].strip(), r["name"].strip()) for r in reader if r["gss_code"].strip())


# --- reading --------------------------------------------------------------


def _norm(heading: str) -> str:
    # D2I writes headings and words in snake_case: "in_care_grade", "inspection_pre_dates_judgement"
    return re.sub(r"[\s_]+", " ", heading).strip().lower()


def _cell(value) -> str:
    """A cell as text: ODS dates as ISO dates, blanks as ''."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, dt.datetime):  # includes pandas.Timestamp
        if value != value:  # NaT
            return ""
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s+", " ", str(value)).strip()


def _read_csv(path: Path):
    data = None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            data = path.read_text(encoding=encoding)
            break
        except UnicodeDecodeError:
            continue
        except OSError as exc:
            raise InputError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    if data is None:
        raise InputError(f"{path}: cannot read file (not UTF-8 or Windows-1252 text)")
    try:
        rows = list(csv.reader(data.splitlines()))
    except csv.Error as exc:
        raise InputError(f"{path}: cannot read CSV ({exc})") from None
    if not rows or not any(c.strip() for c in rows[0]):
        raise InputError(f"{path}: empty file, no header row")
    header = [_cell(c) for c in rows[0]]
    return header, [[_cell(c) for c in r] for r in rows[1:]]


def _load_ods(path: Path, names: dict, engine: str = "odf") -> list:
    what = "ODS" if engine == "odf" else "XLSX"
    try:
        import pandas as pd

        sheets = pd.read_excel(path, sheet_name=None, header=None, engine=engine, dtype=object)
    except ImportError as exc:
        raise InputError(f"{path}: cannot read {what} ({exc}; install pandas and {'odfpy' if engine == 'odf' else engine})") from None
    except Exception as exc:  # zip, XML and reader errors all mean the same to the user
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{path}: cannot read {what} ({detail})") from None

    meta = _cover_meta(sheets)
    if engine == "openpyxl":
        meta = (OVERVIEW_TITLE, _modified(path))
    out, seen = [], {}
    for sheet_name, frame in sheets.items():
        grid = [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]
        found = _find_header(grid)
        if found is None:
            continue
        index, header = found
        # trailing empty columns of the sheet are not part of the table
        while header and not header[-1]:
            header.pop()
        table = _classify(path, header, where=f"sheet {sheet_name!r}")
        if table in seen:
            raise InputError(f"{path}: sheets {seen[table]!r} and {sheet_name!r} both hold the {table} table")
        seen[table] = sheet_name
        rows = [r[: len(header)] for r in grid[index + 1:]]
        out.append(_table_facts(path, table, header, rows, header_row=index + 1, meta=meta, names=names))
    if not out:
        raise InputError(f"{path}: no inspection outcomes table found (no sheet has a 'Local authority area code' column)")
    return out


def _modified(path: Path) -> Optional[str]:
    """The workbook's last-modified date (the day the D2I tool refreshed it), if it records one."""
    try:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True)
        stamp = wb.properties.modified
        wb.close()
    except Exception:  # the table itself was read: a missing date is no reason to fail
        return None
    return stamp.date().isoformat() if isinstance(stamp, dt.datetime) else None


def _find_header(grid: list):
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        keys = {_norm(c) for c in row}
        if keys & set(GSS_COLS) and (CODE_COL in keys or START_COL in keys) or (NAME_COL in keys and PUBLISHED_COL in keys):
            return i, list(row)
    return None


def _cover_meta(sheets: dict) -> tuple:
    """Release title and publication date from the Cover sheet, if any."""
    title, published = RELEASE_TITLE, RELEASE_PUBLISHED
    cover = next((f for name, f in sheets.items() if _norm(str(name)) == "cover"), None)
    if cover is None:
        return title, published
    grid = [[_cell(v) for v in row] for row in cover.itertuples(index=False, name=None)]
    if grid and grid[0] and grid[0][0]:
        title = grid[0][0]
    for row in grid:
        if len(row) > 1 and _norm(row[0]).rstrip(":") == "published on":
            published = _parse_date(row[1]) or published
    return title, published


# --- tables ---------------------------------------------------------------


def _classify(path: Path, header: list, where: str = "") -> str:
    keys = {_norm(h) for h in header if h}
    at = f" ({where})" if where else ""
    if START_COL in keys:
        gss = next((c for c in GSS_COLS if c in keys), GSS_COLS[1])
        table, needed = "overview", [gss, START_COL, PUBLISHED_COL]
    elif "inspection type" in keys or STATUS_COL in keys:
        table, needed = "history", [CODE_COL, "inspection date", PUBLISHED_COL, "inspection type", OVERALL_COL]
    elif "inspection/visit type" in keys or THEME_COL in keys:
        table, needed = "in-year", [CODE_COL, "inspection/visit date", PUBLISHED_COL, "inspection/visit type", OVERALL_COL, THEME_COL]
    elif "inspection date" in keys:
        table, needed = "latest", [CODE_COL, "inspection date", PUBLISHED_COL, OVERALL_COL]
    else:
        shown = ", ".join(h for h in header if h)[:200]
        raise InputError(f"{path}: not an Ofsted inspection outcomes table{at} (columns: {shown})")
    missing = [n for n in needed if n not in keys]
    if missing:
        wanted = {_norm(h): h for h in _CANONICAL}
        raise InputError(
            f"{path}: {table} table{at} lacks column(s) " + ", ".join(repr(wanted.get(m, m)) for m in missing)
        )
    return table


_CANONICAL = (
    "Local authority area code",
    "Inspection date",
    "Inspection/Visit date",
    "Publication date",
    "Inspection type",
    "Inspection/Visit type",
    "Overall effectiveness",
    "Visit Theme",
    "ltla23cd",
    "inspection_start_date",
)


def _area_of(heading: str) -> Optional[str]:
    key = _norm(heading)
    for pattern, area in AREA_PATTERNS:
        if pattern in key:
            return area
    return None


def _kind_of(type_as_written: str) -> Optional[str]:
    key = _norm(type_as_written)
    for pattern, kind in KIND_KEYWORDS:
        if pattern in key:
            return kind
    return None


def _parse_date(text: str) -> Optional[str]:
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?", text):
        text = text[:10]
    # strptime's %Y takes "23" as the year 23: two-digit years only through %y
    formats = [f for f in DATE_FORMATS if ("%y" in f) == bool(re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2}", text))]
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _table_facts(path: Path, table: str, header: list, rows: list, header_row: int, meta: tuple, names: dict) -> DocumentFacts:
    release_title, published = meta
    source_id = f"{path.name}#{table}"
    overview = table == "overview"
    doc = Document(
        source_id=source_id,
        text="",
        path=str(path),
        kind="statistics",
        title=release_title if overview else f"{release_title}: {TABLE_TITLES[table]}",
        url=None,
        published=published,
        publisher=OVERVIEW_PUBLISHER if overview else PUBLISHER,
    )
    facts = DocumentFacts(document=doc)

    col = {}
    for i, h in enumerate(header):
        if h and _norm(h) not in col:
            col[_norm(h)] = i
    date_col = next(col[c] for c in DATE_COLS if c in col)
    type_col = next((col[c] for c in TYPE_COLS if c in col), None)
    theme_col = col.get(THEME_COL)
    graded = [(i, h, _area_of(h)) for i, h in enumerate(header) if h and _area_of(h)]
    shown_cols = [i for i, h in enumerate(header) if _norm(h) not in EVIDENCE_SKIP]
    gss_col = next(col[c] for c in GSS_COLS if c in col)
    end_col = col.get(END_COL)
    inspector_col = col.get(LEAD_INSPECTOR_COL)
    # D2I's ltla23cd keeps retired county codes (Cumbria for both its successors): its DfE code decides
    dfe_col = col.get(DFE_COL) if overview else None
    dfe = dfe_councils() if dfe_col is not None else {}

    area_codes, grade_codes, kind_codes = codes("area"), codes("grade"), codes("kind")
    where = f"{path.name} {table} table"
    mentioned = set()

    for offset, raw in enumerate(rows):
        row_no = header_row + 1 + offset
        cells = list(raw) + [""] * (len(header) - len(raw))
        if not any(cells):
            continue
        get = lambda i: cells[i] if i is not None else ""  # noqa: E731

        gss = get(gss_col)
        if dfe_col is not None and not gss:
            gss = _by_dfe(dfe_councils(), get(dfe_col), None) or ""
        if not gss:
            facts.errors.append(f"{where} row {row_no}: no local authority area code; row skipped")
            continue
        if gss not in names:
            facts.errors.append(f"{where} row {row_no}: unknown local authority area code {gss!r}; row skipped")
            continue
        visit_raw = get(date_col)
        visit_start = _parse_date(visit_raw)
        if dfe_col is not None:
            gss = _by_dfe(dfe, get(dfe_col), visit_start or _parse_date(get(col[PUBLISHED_COL]))) or gss
        if visit_start is None and not (overview and not visit_raw and get(col[PUBLISHED_COL])):
            what = f"unparsable {header[date_col]!r} {visit_raw!r}" if visit_raw else f"no {header[date_col]!r}"
            facts.errors.append(f"{where} row {row_no}: {what}; row skipped")
            continue
        pub_raw = get(col[PUBLISHED_COL])
        pub = _parse_date(pub_raw) if pub_raw else None
        if pub_raw and pub is None:
            facts.errors.append(f"{where} row {row_no}: unparsable {header[col[PUBLISHED_COL]]!r} {pub_raw!r}; row skipped")
            continue

        kind = "full_inspection"
        if type_col is not None and not overview:  # the overview's every row is a full inspection
            type_raw = get(type_col)
            kind = _kind_of(type_raw)
            if kind is None:
                kind = "other"
                facts.errors.append(f"{where} row {row_no}: unknown inspection type {type_raw!r}; kept as 'other'")
        assert kind in kind_codes, kind

        row_text = " | ".join(cells[i] for i in shown_cols)
        evidence = Evidence(source_id=source_id, start=0, end=0, text=row_text)

        judgements = []
        for i, heading, area in graded:
            value = cells[i]
            key = _norm(value)
            if key in NO_GRADE:
                continue
            grade = GRADES.get(key)
            if grade is None:
                grade = "other"
                facts.errors.append(f"{where} row {row_no}: unknown grade {value!r} in {heading!r}; kept as 'other'")
            assert area in area_codes and grade in grade_codes, (area, grade)
            judgements.append(
                Judgement(
                    area=area,
                    grade=grade,
                    area_as_written=heading,
                    grade_as_written=value,
                    evidence=Evidence(source_id=source_id, start=0, end=0, text=f"{heading}: {value}"),
                )
            )

        theme = get(theme_col) or None
        visit_end = _parse_date(get(end_col)) if end_col is not None else None
        inspector = get(inspector_col) if inspector_col is not None else ""
        if _norm(inspector) in NO_GRADE:
            inspector = ""
        facts.inspections.append(
            Inspection(
                council_gss=gss,
                kind=kind,
                framework=FRAMEWORK,
                visit_start=visit_start,
                visit_end=visit_end,
                published=pub,
                judgements=judgements,
                theme=theme,
                # D2I writes names in lower case ("anna gravelle")
                lead_inspector=(inspector.title() if inspector.islower() else inspector) or None,
                evidence=evidence,
            )
        )
        if gss not in mentioned:
            mentioned.add(gss)
            facts.councils.append(CouncilMention(gss_code=gss, name=names[gss], evidence=evidence))
    if doc.published is None:  # an undated workbook: as at its latest publication
        doc.published = max((i.published for i in facts.inspections if i.published), default=None)
    return facts
