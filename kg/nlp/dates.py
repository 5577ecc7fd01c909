"""Date expressions: found in text, resolved against a document's date.

Values are ISO strings at their known precision (YYYY, YYYY-MM, YYYY-MM-DD).
A year is filled in from the base date only when the text gives none and a
base date is known. A day and month with no year to be had ("from September
26 to October 20" in an undated text) stay as they are, in the form of
xsd:gMonthDay (--MM-DD); a month alone with no year is dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
_MONTH_NUM = {m: i + 1 for i, m in enumerate(MONTHS)}
_MONTH_NUM.update({m[:3]: i + 1 for i, m in enumerate(MONTHS)})
_MONTH_NUM["sept"] = 9
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MON = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?:19[89]\d|20[0-4]\d)"
NUMWORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1}
RANGE_SEP = r"\s*(?:-|–|—|to|until|and|/)\s*"

# Ordered: longest forms first so a range is not read as two dates.
_PATTERNS = [
    # 17 to 28 September 2018 | 29/30 March 2022 | 28-29 April
    ("dd_range", re.compile(rf"\b(?P<d1>{DAY}){RANGE_SEP}(?P<d2>{DAY})\s+(?P<m>{MON})\b,?(?:\s+(?P<y>{YEAR}))?", re.I)),
    # 26 September to 20 October 2016
    ("dm_range", re.compile(rf"\b(?P<d1>{DAY})\s+(?P<m1>{MON})(?:\s+(?P<y1>{YEAR}))?{RANGE_SEP}(?P<d2>{DAY})\s+(?P<m2>{MON})\b,?(?:\s+(?P<y>{YEAR}))?", re.I)),
    # September 26 to October 20(, 2016)
    ("md_range", re.compile(rf"\b(?P<m1>{MON})\s+(?P<d1>{DAY}){RANGE_SEP}(?P<m2>{MON})\s+(?P<d2>{DAY})\b(?:,?\s+(?P<y>{YEAR}))?", re.I)),
    # September 26-28, 2016
    ("mdd_range", re.compile(rf"\b(?P<m>{MON})\s+(?P<d1>{DAY}){RANGE_SEP}(?P<d2>{DAY})\b(?:,?\s+(?P<y>{YEAR}))?", re.I)),
    # June and July (2017) | June to July 2017
    ("mm_range", re.compile(rf"\b(?P<m1>{MON}){RANGE_SEP}(?P<m2>{MON})\b(?:\s+(?P<y>{YEAR}))?", re.I)),
    # 26 September 2016 | 26th of September
    ("dmy", re.compile(rf"\b(?P<d>{DAY})\s+(?:of\s+)?(?P<m>{MON})\b,?(?:\s+(?P<y>{YEAR}))?", re.I)),
    # September 26(, 2016)
    ("mdy", re.compile(rf"\b(?P<m>{MON})\s+(?P<d>{DAY})\b(?!\s*(?:per|%))(?:,?\s+(?P<y>{YEAR}))?", re.I)),
    # 26/09/2016, 26.09.16
    ("numeric", re.compile(r"\b(?P<d>[0-3]?\d)[/.](?P<mo>[01]?\d)[/.](?P<y>(?:19|20)?\d\d)\b")),
    # May 2019 | May of 2019
    ("my", re.compile(rf"\b(?P<m>{MON})\s+(?:of\s+)?(?P<y>{YEAR})\b", re.I)),
    # 2019/20 | 2016
    ("y", re.compile(rf"(?<![\d/£$.,])\b(?P<y>{YEAR})\b(?![\d%/]|\.\d)")),
    # on Friday | last Tuesday: the latest such day before the publication date
    ("weekday", re.compile(r"\b(?P<which>(?i:on|last|this|since))\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    # Tuesday's report: the latest such day before the publication date
    ("weekday", re.compile(r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?=['’]s\b)")),
    # January last year | March this year
    ("m_rel", re.compile(rf"\b(?P<m>{MON})\s+(?P<which>last|this|next)\s+year\b", re.I)),
    # relative expressions
    ("later", re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|a)\s+(?P<unit>years?|months?)\s+(?:later|afterwards)\b", re.I)),
    ("ago", re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an)\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b", re.I)),
    ("last", re.compile(r"\b(?P<which>last|this|next|earlier this|later this)\s+(?P<unit>week|month|year|summer|spring|autumn|winter)\b", re.I)),
    ("deictic", re.compile(r"\b(?P<word>yesterday|today|tomorrow)\b", re.I)),
    # a bare month: "in May", "on July 1" handled above
    # "in January of that year", "later that year", "the same year": the year of the date before it
    ("m_same", re.compile(r"\b(?P<m>January|February|March|April|May|June|July|August|September|October|November|December)"
                          r"\s+(?:of\s+)?(?:that|the same)\s+year\b")),
    ("same_year", re.compile(r"\b(?:(?:later|earlier)\s+(?:in\s+)?(?:that|the same)\s+year|(?:in\s+)?the same year)\b", re.I)),
    # "the following year", "the previous year": counted from the date before it in the text
    ("following", re.compile(r"\bthe\s+(?P<which>following|subsequent|next|previous|preceding)\s+(?P<unit>year|month)\b", re.I)),
    # a bare month: "in May", "in early May", "by mid-June" ("on July 1" handled above)
    ("m", re.compile(r"\b(?:(?:in|during|since|from|until|by|of|last|this)\s+(?:(?:early|late|mid-?)\s*)?|(?:early|late|mid-?)\s*)"
                     r"(?P<m>January|February|March|April|May|June|July|August|September|October|November|December)\b")),
]


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    kind: str
    groups: dict

    def resolve(self, base: Optional[str]) -> tuple:
        """(start, end) ISO strings at known precision, or (None, None)."""
        return resolve(self, base)


def find_dates(text: str) -> list:
    taken: list = []
    out = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if kind == "deictic" and m.group("word")[0].isupper() and re.search(r"[A-Z][\w'’]*\s+$", text[max(0, s - 30):s]):
                continue  # "Social Work Practice Today": part of a name
            if kind == "m" and m.group("m") == "May" and not re.match(r"(in|during|since|from|until|by|of|early|late|mid)\b",
                                                                       m.group(0), re.I):
                continue
            groups = {k: v for k, v in m.groupdict().items() if v}
            if kind in ("dmy", "dd_range", "mdd_range") and kind != "mdd_range":
                pass
            if not _valid(kind, groups):
                continue
            taken.append((s, e))
            out.append(DateMention(s, e, m.group(0), kind, groups))
    out.sort(key=lambda d: d.start)
    return out


def compatible(a: Optional[str], b: Optional[str]) -> bool:
    """Two ISO dates at any precision that may be the same day ("2016" ~ "2016-09-26"); a missing one fits.

    A day with no year ("--09-26") fits any date that has that month and day, or names no month."""
    if not a or not b:
        return True
    if a.startswith("--") or b.startswith("--"):
        x, y = (a[2:] if a.startswith("--") else a[5:]), (b[2:] if b.startswith("--") else b[5:])
        return x.startswith(y) or y.startswith(x)
    return a.startswith(b) or b.startswith(a)


def has_year(value: Optional[str]) -> bool:
    return bool(value) and not value.startswith("--")


def resolve_all(mentions: list, base: Optional[str]) -> list:
    """Resolve mentions in text order; "three years later" counts from the date before it."""
    out, anchor = [], None
    for dm in mentions:
        if dm.kind == "following":
            value = (None, None)
            if anchor:
                step = 1 if dm.groups["which"].lower() in ("following", "subsequent", "next") else -1
                if dm.groups["unit"].lower() == "year":
                    value = (f"{int(anchor[:4]) + step:04d}", None)
                elif len(anchor) >= 7:
                    y, m = _shift_months(int(anchor[:4]), int(anchor[5:7]), step)
                    value = (_iso(y, m), None)
        elif dm.kind in ("m_same", "same_year"):
            value = (None, None)
            if anchor:
                value = (_iso(int(anchor[:4]), _month(dm.groups["m"])) if dm.kind == "m_same" else anchor[:4], None)
        elif dm.kind == "later":
            value = (None, None)
            if anchor:
                n = dm.groups["n"].lower()
                n = int(n) if n.isdigit() else NUMWORDS[n]
                if dm.groups["unit"].lower().startswith("year"):
                    value = (f"{int(anchor[:4]) + n:04d}", None)
                elif len(anchor) >= 7:
                    y, m = _shift_months(int(anchor[:4]), int(anchor[5:7]), n)
                    value = (_iso(y, m), None)
        else:
            value = dm.resolve(base)
        if has_year(value[0]):
            anchor = value[0]
        out.append(value)
    return out


def _day(value: str) -> int:
    return int(re.match(r"\d+", value).group(0))


def _month(value: str) -> int:
    return _MONTH_NUM[value.lower()[:4] if value.lower().startswith("sept") else value.lower()[:3]]


def _valid(kind: str, g: dict) -> bool:
    for key in ("d", "d1", "d2"):
        if key in g and not 1 <= _day(g[key]) <= 31:
            return False
    if kind == "numeric" and not 1 <= int(g["mo"]) <= 12:
        return False
    if kind == "mdy" and "y" not in g and _day(g["d"]) > 31:
        return False
    return True


def _base_parts(base: Optional[str]):
    """[year, month or None, day or None] of a publication date, keeping only the parts that
    make a real date: relative dates count from it, and "30 February" has no day after it."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", base or "")
    if not m:
        return None
    y, mo, d = (int(p) if p else None for p in m.groups())
    if mo is not None and not 1 <= mo <= 12:
        return [y, None, None]
    if d is not None:
        try:
            date(y, mo, d)
        except ValueError:
            d = None
    return [y, mo, d]


def _infer_year(month: int, base) -> Optional[int]:
    """Latest year in which ``month`` is not after the base month (texts report the past)."""
    if not base:
        return None
    by, bm, _ = base
    if bm is None:
        return by
    return by if month <= bm + 1 else by - 1


def _iso(y, m=None, d=None) -> Optional[str]:
    if y is None:
        if m is None or d is None:
            return None
        try:
            date(2000, m, d)  # a leap year: 29 February is a day of the year
        except ValueError:
            return None
        return f"--{m:02d}-{d:02d}"
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    try:
        return date(y, m, d).isoformat()
    except ValueError:  # "31 February": not a date
        return None


def _shift_months(y: int, m: int, delta: int) -> tuple:
    total = y * 12 + (m - 1) + delta
    return total // 12, total % 12 + 1


def resolve(dm: DateMention, base: Optional[str]) -> tuple:
    g, kind = dm.groups, dm.kind
    b = _base_parts(base)
    year = int(g["y"]) if g.get("y") else None
    if year is not None and year < 100:
        year += 2000
    if kind == "y":
        return _iso(year), None
    if kind == "my":
        return _iso(year, _month(g["m"])), None
    if kind == "m":
        m = _month(g["m"])
        return _iso(_infer_year(m, b), m), None
    if kind in ("dmy", "mdy"):
        m = _month(g["m"])
        y = year or _infer_year(m, b)
        return _iso(y, m, _day(g["d"])), None
    if kind == "numeric":
        return _iso(year, int(g["mo"]), _day(g["d"])), None
    if kind in ("dd_range", "mdd_range"):
        m = _month(g["m"])
        y = year or _infer_year(m, b)
        return _iso(y, m, _day(g["d1"])), _iso(y, m, _day(g["d2"]))
    if kind in ("dm_range", "md_range"):
        m1, m2 = _month(g["m1"]), _month(g["m2"])
        y2 = year or _infer_year(m2, b)
        y1 = int(g["y1"]) if g.get("y1") else (y2 - 1 if y2 is not None and m1 > m2 else y2)
        return _iso(y1, m1, _day(g["d1"])), _iso(y2, m2, _day(g["d2"]))
    if kind == "mm_range":
        m1, m2 = _month(g["m1"]), _month(g["m2"])
        y2 = year or _infer_year(m2, b)
        y1 = y2 - 1 if y2 is not None and m1 > m2 else y2
        return _iso(y1, m1), _iso(y2, m2)
    if b is None:
        return None, None
    by, bm, bd = b
    if kind == "weekday":
        if bd is None:
            return None, None
        from datetime import timedelta

        today = date(by, bm, bd)
        back = (today.weekday() - _WEEKDAYS.index(g["wd"].lower())) % 7
        if back == 0 and g.get("which", "on").lower() == "last":
            back = 7
        return (today - timedelta(days=back)).isoformat(), None
    if kind == "m_rel":
        y = by + {"last": -1, "this": 0, "next": 1}[g["which"].lower()]
        return _iso(y, _month(g["m"])), None
    if kind == "deictic":
        word = g["word"].lower()
        if bd is None:
            return _iso(by, bm), None
        from datetime import timedelta

        d = date(by, bm, bd) + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[word])
        return d.isoformat(), None
    if kind == "ago":
        n = g["n"].lower()
        n = int(n) if n.isdigit() else NUMWORDS[n]
        unit = g["unit"].lower().rstrip("s")
        if unit == "year":
            return _iso(by - n), None
        if unit == "month" and bm:
            y, m = _shift_months(by, bm, -n)
            return _iso(y, m), None
        if unit in ("week", "day") and bm:
            if bd is None:
                return _iso(by, bm), None
            from datetime import timedelta

            d = date(by, bm, bd) - timedelta(days=n * (7 if unit == "week" else 1))
            return (_iso(d.year, d.month) if unit == "week" else d.isoformat()), None
        return None, None
    if kind == "last":
        which, unit = g["which"].lower(), g["unit"].lower()
        if unit == "year":
            return _iso(by - 1 if which == "last" else by + 1 if which == "next" else by), None
        if unit == "month" and bm:
            delta = {"last": -1, "next": 1}.get(which, 0)
            y, m = _shift_months(by, bm, delta)
            return _iso(y, m), None
        if unit == "week" and bm:
            return _iso(by, bm), None
        return _iso(by), None
    return None, None
