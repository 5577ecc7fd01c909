"""Loading documents: files in, ``Document`` objects out (or one error per bad input)."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from ..errors import InputError
from ..model import Document
from .dates_meta import normalise_published, published_from_text, published_from_url

DOCUMENT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".jsonl")


@dataclass
class SourceFile:
    path: Path
    sha256: str


def is_document(path: Path) -> bool:
    name = path.name
    if name.startswith(".") or name.endswith(".meta.json") or name.endswith(".gold.json"):
        return False
    if name.upper() in ("README.MD", "INDEX.MD"):
        return False
    return path.suffix.lower() in DOCUMENT_SUFFIXES


def discover(paths: Iterable[Union[str, Path]]) -> tuple[list, list]:
    """Return (document files, errors) under the given files and folders, sorted."""
    files, errors = [], []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(f for f in sorted(p.rglob("*")) if f.is_file() and is_document(f))
        elif p.is_file():
            if is_document(p):
                files.append(p)
            else:
                errors.append(InputError(f"{p}: not a document type kg reads ({', '.join(DOCUMENT_SUFFIXES)})"))
        else:
            errors.append(InputError(f"{p}: no such file or folder"))
    seen, unique = set(), []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique, errors


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    h.update(path.read_bytes())
    sidecar = sidecar_path(path)
    if sidecar.exists():
        h.update(sidecar.read_bytes())
    return h.hexdigest()


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name[: -len(path.suffix)] + ".meta.json")


def read_sidecar(path: Path) -> dict:
    side = sidecar_path(path)
    if not side.exists():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{side}: sidecar is not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise InputError(f"{side}: sidecar must hold a JSON object")
    return {k: v for k, v in data.items() if k in ("title", "url", "published", "publisher", "kind") and v}


def _guess_kind(doc: Document) -> str:
    if doc.kind in ("report", "statistics"):
        return doc.kind
    hay = " ".join(filter(None, [doc.url, doc.title, doc.source_id, doc.publisher])).lower()
    head = doc.text[:400].lower()
    if "moderngov" in hay or "mgai.aspx" in hay or "democracy." in hay or "minutes" in hay or "minutes:" in head:
        return "minutes"
    if "blogspot" in hay or "blog" in hay or "wordpress" in hay:
        return "blog"
    if re.search(r"\.gov\.uk/(news|newsroom)", hay) or "press release" in hay:
        return "press_release"
    return "news"


def load_file(path: Path) -> Iterator[Union[Document, InputError]]:
    """Yield the documents in one file (several for .jsonl) with metadata completed."""
    from .html import load_html
    from .jsonl import load_jsonl
    from .text import load_text

    suffix = path.suffix.lower()
    try:
        side = read_sidecar(path)
        if suffix in (".txt", ".md"):
            docs = [load_text(path)]
        elif suffix in (".html", ".htm"):
            docs = [load_html(path)]
        elif suffix == ".pdf":
            from .pdf import load_pdf

            docs = [load_pdf(path)]
        elif suffix == ".jsonl":
            docs = list(load_jsonl(path))
        else:
            raise InputError(f"{path}: not a document type kg reads")
    except InputError as exc:
        yield exc
        return
    for doc in docs:
        if isinstance(doc, InputError):
            yield doc
            continue
        for key, value in side.items():
            setattr(doc, key, value)
        finish_metadata(doc)
        yield doc


def finish_metadata(doc: Document) -> Document:
    """Normalise the publication date and fill it from the URL or text if missing."""
    doc.published = normalise_published(doc.published)
    if not doc.published:
        from_url, from_text = published_from_url(doc.url), published_from_text(doc.text)
        # a dateline in the text is more precise than /2017/06/ in a blog URL
        if from_url and from_text and from_text.startswith(from_url):
            doc.published = from_text
        else:
            doc.published = from_url or from_text
    doc.kind = _guess_kind(doc)
    return doc


def iter_documents(paths: Iterable[Union[str, Path]]) -> Iterator[Union[Document, InputError]]:
    files, errors = discover(paths)
    yield from errors
    for f in files:
        yield from load_file(f)


def load_one(path: Union[str, Path]) -> Optional[Document]:
    for item in load_file(Path(path)):
        if isinstance(item, InputError):
            raise item
        return item
    return None
