"""Publication dates from metadata strings, URLs and datelines."""
from __future__ import annotations

import calendar
import re
from typing import Callable, Optional

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})(?:/(\d{1,2}))?/")
_URL_COMPACT = re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/")
_MONTHS = {m[:3]: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
_DATELINE = re.compile(
    r"^[\s|•·\-–—]*(?:(?:published|posted|updated|first published|issued|released|dated|"
    r"date(?: of (?:meeting|publication|issue|decision))?|(?:meeting|publication|issue) date)(?: on)?:?\s+)?"
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+"
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*,?\s+((?:19|20)\d{2})\b",
    re.I | re.M,
)


def valid_date(y, m=None, d=None) -> Optional[str]:
    """The ISO date of the parts that make a real date, at the precision they support:
    (2021, 2, 30) gives '2021-02', (2024, 13, 45) gives '2024', a year out of range None."""
    y = int(y)
    if not 1 <= y <= 9999:
        return None
    if m is None or not 1 <= int(m) <= 12:
        return f"{y:04d}"
    m = int(m)
    if d is None or not 1 <= int(d) <= calendar.monthrange(y, m)[1]:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{int(d):02d}"


def _checked(given: str, parts: tuple, warn: Optional[Callable], where: str) -> Optional[str]:
    kept = valid_date(*parts)
    wanted = "-".join(f"{int(p):02d}" if i else str(p) for i, p in enumerate(parts) if p is not None)
    if warn is not None and kept != wanted:
        warn(f"{where} {given!r} is not a real date; kept {kept or 'no date'}")
    return kept


def normalise_published(value, warn: Optional[Callable] = None) -> Optional[str]:
    if value in (None, ""):
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        if warn is not None:
            warn(f"published date {value!r} is not a string; ignored")
        return None
    value = str(value).strip()
    m = _ISO.match(value)
    if m:
        return _checked(value, tuple(p for p in m.groups() if p), warn, "published date")
    try:
        import dateparser

        parsed = dateparser.parse(value, settings={"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY"})
    except Exception:  # dateparser raises assorted errors on odd input
        parsed = None
    return parsed.date().isoformat() if parsed else None


def published_from_url(url: Optional[str], warn: Optional[Callable] = None) -> Optional[str]:
    if not url or not isinstance(url, str):
        return None
    m = _URL_DATE.search(url)
    if m and 1 <= int(m.group(2)) <= 12:
        return _checked(m.group(0), m.groups(), warn, "date in the URL")
    m = _URL_COMPACT.search(url)
    if m and 1 <= int(m.group(2)) <= 12:
        return _checked(m.group(0), m.groups(), warn, "date in the URL")
    return None


_DATELINE_MDY = re.compile(
    r"(?:^|\s)(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)"
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\s+(\d{1,2}),?\s+((?:19|20)\d{2})\b",
    re.I | re.M,
)


def published_from_text(text: str, warn: Optional[Callable] = None) -> Optional[str]:
    """A dateline near the top ("Wednesday 14 June 2017", "Friday, January 19, 2018")."""
    head = text[:600]
    m = _DATELINE.search(head)
    if m:
        parts = (m.group(3), _MONTHS[m.group(2).lower()[:3]], m.group(1))
        return _checked(m.group(0).strip(), parts, warn, "dateline")
    m = _DATELINE_MDY.search(head)
    if m:
        parts = (m.group(3), _MONTHS[m.group(1).lower()[:3]], m.group(2))
        return _checked(m.group(0).strip(), parts, warn, "dateline")
    return None
