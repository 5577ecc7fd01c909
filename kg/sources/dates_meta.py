"""Publication dates from metadata strings, URLs and datelines."""
from __future__ import annotations

import re
from typing import Optional

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


def normalise_published(value) -> Optional[str]:
    if value in (None, ""):
        return None
    value = str(value).strip()
    m = _ISO.match(value)
    if m:
        return "-".join(p for p in m.groups() if p)
    try:
        import dateparser

        parsed = dateparser.parse(value, settings={"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY"})
    except Exception:  # dateparser raises assorted errors on odd input
        parsed = None
    return parsed.date().isoformat() if parsed else None


def published_from_url(url: Optional[str]) -> Optional[str]:
    if not url:
        return None
    m = _URL_DATE.search(url)
    if m:
        y, mo, d = m.group(1), int(m.group(2)), m.group(3)
        if 1 <= mo <= 12:
            return f"{y}-{mo:02d}-{int(d):02d}" if d and 1 <= int(d) <= 31 else f"{y}-{mo:02d}"
    m = _URL_COMPACT.search(url)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return None


_DATELINE_MDY = re.compile(
    r"(?:^|\s)(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)"
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\s+(\d{1,2}),?\s+((?:19|20)\d{2})\b",
    re.I | re.M,
)


def published_from_text(text: str) -> Optional[str]:
    """A dateline near the top ("Wednesday 14 June 2017", "Friday, January 19, 2018")."""
    head = text[:600]
    m = _DATELINE.search(head)
    if m:
        return f"{m.group(3)}-{_MONTHS[m.group(2).lower()[:3]]:02d}-{int(m.group(1)):02d}"
    m = _DATELINE_MDY.search(head)
    if m:
        return f"{m.group(3)}-{_MONTHS[m.group(1).lower()[:3]]:02d}-{int(m.group(2)):02d}"
    return None
