"""JSON Lines: one article per line (text, title, url, published, ...)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator, Optional, Union

from ..errors import InputError
from ..model import Document
from .text import read_text_file

_FIELDS = {"title": "title", "url": "url", "published": "published", "date": "published",
           "publisher": "publisher", "source": "publisher"}


def load_jsonl(path: Path, info: Optional[dict] = None) -> Iterator[Union[Document, InputError]]:
    """Yield a Document per good line and an InputError per bad one (a repeated id too)."""
    seen: dict = {}
    for lineno, line in enumerate(read_text_file(path, info).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"{path}:{lineno}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
            yield InputError(f"{path}:{lineno}: record has no 'text' string")
            continue
        rid = record.get("id")
        source_id = f"{path.name}#{rid}" if rid not in (None, "") else f"{path.name}#{lineno}"
        if source_id in seen:  # two records with one id would share one graph
            yield InputError(f"{path}:{lineno}: id {rid!r} already used on line {seen[source_id]}")
            continue
        seen[source_id] = lineno
        doc = Document(source_id=source_id, text=record["text"], path=str(path))
        for key, attr in _FIELDS.items():
            value = record.get(key)
            if isinstance(value, str) and value.strip() and getattr(doc, attr) is None:
                setattr(doc, attr, value.strip())
        yield doc
