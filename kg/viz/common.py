"""Shared by the network builder and the page renderer: node types, colours, atomic writes."""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

NODE_TYPES = ("council", "person", "organisation", "inspection", "document", "finding", "quote")

# colours by node type (legend of the HTML view; `color` attribute in exports)
TYPE_COLOURS = {
    "council": "#2b6cb0",
    "person": "#dd6b20",
    "organisation": "#805ad5",
    "inspection": "#319795",
    "document": "#8c8c8c",
    "finding": "#d69e2e",
    "quote": "#d53f8c",
}

# colours by overall grade (council -> inspection edges, inspection borders)
GRADE_COLOURS = {
    "outstanding": "#1a9850",
    "good": "#66bd63",
    "requires_improvement": "#f46d43",
    "inadequate": "#d73027",
    "other": "#7f7f7f",
    "": "#b0b0b0",
}


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# xsd:date, gYearMonth, gYear or gMonthDay (a day whose year is unknown)
DATE_RE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$|--(\d{2})-(\d{2})$")


def values_batches(iris, size: int = 400):
    """IRIs as the terms of a SPARQL ``VALUES`` block, ``size`` at a time (so no query grows
    without bound; a blank node cannot be named in a query and is left out)."""
    iris = [i for i in iris if ":" in i]
    for start in range(0, len(iris), size):
        yield " ".join(f"<{i}>" for i in iris[start:start + size])


def show_date(value: str) -> str:
    """A date as people write it: '4 Dec 2023', 'Dec 2016', '2016', or '26 Sep' when the
    year is unknown (``xsd:gMonthDay`` ``--09-26``); anything else as it is."""
    m = DATE_RE.match(value or "")
    if not m:
        return value or ""
    if m.group(4):
        return f"{int(m.group(5))} {MONTHS[int(m.group(4)) - 1]}"
    y, mo, d = m.group(1), m.group(2), m.group(3)
    if d:
        return f"{int(d)} {MONTHS[int(mo) - 1]} {y}"
    if mo:
        return f"{MONTHS[int(mo) - 1]} {y}"
    return y


def best_date(values) -> str:
    """The most precise of a fact's dates: a full date beats a month, a month a year, and a
    year any day without one (``--09-26``); ties go to the latest."""
    def precision(d):
        m = DATE_RE.match(d)
        if not m:
            return (-1, d)
        if m.group(4):
            return (0, d)
        return (1 + bool(m.group(2)) + bool(m.group(3)), d)
    values = [v for v in values if v]
    return max(values, key=precision) if values else ""


def date_year(value: str):
    """The year of a date, or None when it has none."""
    m = DATE_RE.match(value or "")
    return int(m.group(1)) if m and m.group(1) else None


def atomic_write(path, write) -> Path:
    """Write ``path`` through a temporary file in the same folder and ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".", suffix=".tmp")
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are meant to be shared
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path
