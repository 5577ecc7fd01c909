"""HTML pages: main text without navigation or cookie banners, plus metadata."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..errors import InputError
from ..model import Document
from .text import read_text_file


def load_html(path: Path, info: Optional[dict] = None) -> Document:
    import trafilatura

    html = read_text_file(path, info)
    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True, deduplicate=True
    )
    if not text or not text.strip():
        raise InputError(f"{path}: no article text found in the HTML")
    meta = trafilatura.extract_metadata(html)
    doc = Document(source_id=path.name, text=text, path=str(path))
    if meta is not None:
        doc.title = meta.title or None
        doc.url = meta.url or None
        doc.published = meta.date or None
        doc.publisher = meta.sitename or None
    return doc
