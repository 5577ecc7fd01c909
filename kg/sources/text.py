"""Plain text and Markdown: leading metadata lines are metadata, not body."""
from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Optional

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


# Longest first: UTF-32's little-endian mark begins with UTF-16's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(raw: bytes) -> tuple:
    """(text, encoding, how it was found): a byte-order mark, then UTF-8, then charset-normalizer's
    best guess. UTF-16 without a mark is valid UTF-8 byte by byte (NULs included), so text with
    NULs goes to the detector. None for the text when no encoding fits (a binary file)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding.replace("-sig", ""), "byte-order mark"
            except UnicodeDecodeError:
                break
    if b"\x00" not in raw:
        try:
            return raw.decode("utf-8"), "utf-8", "valid UTF-8"
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        return None, None, "no encoding fits"
    text = str(best)
    try:  # English text reads the same in several code pages: name the one it was likely saved in
        if raw.decode("cp1252") == text:
            return text, "cp1252", "detected"
    except UnicodeDecodeError:
        pass
    return text, best.encoding, "detected"


def read_text_file(path: Path, info: Optional[dict] = None) -> str:
    """The file's text; ``info`` (if given) receives the encoding used and how it was found."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    text, encoding, how = decode_text(raw)
    if text is None:
        raise InputError(f"{path}: not text (no character encoding fits; a binary file?)")
    if info is not None:
        info["encoding"], info["encoding_by"] = encoding, how
    return text.replace("\x00", "")


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


def load_text(path: Path, info: Optional[dict] = None) -> Document:
    text = read_text_file(path, info)
    meta, body, _ = split_metadata(text)
    return Document(source_id=path.name, text=body, path=str(path), **meta)
