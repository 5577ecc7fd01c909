"""Plain text and Markdown: leading metadata lines are metadata, not body."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..model import Document

# "date 2024-03-07", "title: ...", "url: ...": metadata lines at the top of a file.
# Some scraped files run the first paragraph on after the date, so only the
# date token itself is taken from such a line.
_META_LINE = re.compile(
    r"^\s*(?P<key>date|published|title|url|publisher|source)\s*[:=]?\s+(?P<value>.*?)\s*$", re.I
)
_LEADING_DATE = re.compile(r"^\s*(?:date|published)\s*[:=]?\s+(\d{4}-\d{2}-\d{2})\b\s*", re.I)
_KEYS = {"date": "published", "published": "published", "title": "title", "url": "url",
         "publisher": "publisher", "source": "publisher"}


def read_text_file(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: not text in UTF-8 or Windows-1252")


def split_metadata(text: str) -> tuple[dict, str, int]:
    """Return (metadata, body, offset of body in text).

    Offsets of evidence are into the body, which is what the Document holds.
    """
    meta: dict = {}
    pos = 0
    while pos < len(text):
        eol = text.find("\n", pos)
        line = text[pos: eol if eol != -1 else len(text)]
        if not line.strip():
            if meta:
                pos = eol + 1 if eol != -1 else len(text)
                continue
            break
        lead = _LEADING_DATE.match(line)
        if lead and "published" not in meta:
            meta["published"] = lead.group(1)
            rest = line[lead.end():]
            if rest.strip():  # body starts on the same line
                return meta, text[pos + lead.end():], pos + lead.end()
            pos = eol + 1 if eol != -1 else len(text)
            continue
        m = _META_LINE.match(line)
        if m and m.group("key").lower() in ("title", "url", "publisher", "source") and ":" in line[:12]:
            meta[_KEYS[m.group("key").lower()]] = m.group("value")
            pos = eol + 1 if eol != -1 else len(text)
            continue
        break
    return meta, text[pos:], pos


def load_text(path: Path) -> Document:
    text = read_text_file(path)
    meta, body, _ = split_metadata(text)
    return Document(source_id=path.name, text=body, path=str(path), **meta)
