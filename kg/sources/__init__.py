"""Loading documents: files in, ``Document`` objects out (or one error per bad input)."""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

from ..errors import InputError
from ..model import Document
from .dates_meta import normalise_published, published_from_text, published_from_url

DOCUMENT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".jsonl")
KINDS = ("news", "minutes", "press_release", "blog", "report", "statistics")
SIDECAR_FIELDS = ("title", "url", "published", "publisher", "kind")
Warn = Optional[Callable[[str], None]]


def _ignore(message: str) -> None:
    pass


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


def discover(paths: Iterable[Union[str, Path]], warn: Warn = None) -> tuple[list, list]:
    """Return (document files, errors) under the given files and folders, sorted."""
    found, errors = discover_sources(paths, warn)
    return [p for p, _ in found], errors


def discover_sources(paths: Iterable[Union[str, Path]], warn: Warn = None) -> tuple[list, list]:
    """Return ([(file, source id)], errors). A file's source id is its path relative to the folder
    given (the file name for a file given itself), so equal names in different folders stay apart
    and a flat folder's ids are its file names. What is skipped is reported through ``warn``:
    symbolic-link loops, broken links, folders that cannot be read."""
    warn = warn or _ignore
    found, errors = [], []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(_walk(p, warn))
        elif p.is_file():
            if is_document(p):
                found.append((p, p.name))
            else:
                errors.append(InputError(f"{p}: not a document type kg reads ({', '.join(DOCUMENT_SUFFIXES)})"))
        elif p.is_symlink():
            errors.append(InputError(f"{p}: broken symbolic link (to {os.readlink(p)})"))
        else:
            errors.append(InputError(f"{p}: no such file or folder"))
    seen, unique = set(), []
    for f, sid in found:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append((f, sid))
    return unique, errors


def _walk(root: Path, warn: Callable) -> list:
    """Document files under ``root`` with their ids, following linked folders once each."""
    out = []
    visited = set()

    def unreadable(exc: OSError) -> None:
        warn(f"{exc.filename}: cannot read folder ({exc.strerror}); skipped")

    for folder, dirs, names in os.walk(root, followlinks=True, onerror=unreadable):
        try:
            st = os.stat(folder)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in visited:  # a link back to a folder already read
            warn(f"{folder}: symbolic link loop (to {os.path.realpath(folder)}); not followed")
            dirs[:] = []
            continue
        visited.add((st.st_dev, st.st_ino))
        dirs.sort()
        for name in sorted(names):
            f = Path(folder, name)
            if not is_document(f):
                continue
            if f.is_symlink() and not f.exists():
                warn(f"{f}: broken symbolic link (to {os.readlink(f)}); skipped")
                continue
            if not f.is_file():
                continue
            out.append((f, f.relative_to(root).as_posix()))
    return sorted(out, key=lambda item: item[1])


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    h.update(path.read_bytes())
    sidecar = sidecar_path(path)
    if sidecar.exists():
        h.update(sidecar.read_bytes())
    return h.hexdigest()


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name[: -len(path.suffix)] + ".meta.json")


def read_sidecar(path: Path, warn: Warn = None) -> dict:
    """The sidecar's fields kg uses; a field of the wrong type or an unknown kind is
    reported through ``warn`` and left out, so the document still builds."""
    warn = warn or _ignore
    side = sidecar_path(path)
    if not side.exists():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{side}: sidecar is not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise InputError(f"{side}: sidecar must hold a JSON object")
    out = {}
    for key in SIDECAR_FIELDS:
        value = data.get(key)
        if value in (None, ""):
            continue
        if key == "published" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # a bare year
        if not isinstance(value, str):
            warn(f"{side}: '{key}' is {type(value).__name__}, not a string; ignored")
            continue
        if key == "kind" and value not in KINDS:
            warn(f"{side}: unknown kind {value!r} (kinds: {', '.join(KINDS)}); guessed from the text instead")
            continue
        out[key] = value.strip() if key != "published" else value
    return out


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


def load_file(path: Path, warn: Warn = None, *, source_id: Optional[str] = None,
              info: Optional[dict] = None) -> Iterator[Union[Document, InputError]]:
    """Yield the documents in one file (several for .jsonl) with metadata completed.

    ``source_id`` replaces the file name as the documents' id; ``info`` receives the text
    encoding used; what is odd but not fatal (an empty file, a PDF with no text layer, an
    impossible date) goes to ``warn``."""
    from .html import load_html
    from .jsonl import load_jsonl
    from .text import load_text

    warn = warn or _ignore
    suffix = path.suffix.lower()
    try:
        side = read_sidecar(path, warn)
        if suffix in (".txt", ".md"):
            docs = [load_text(path, info)]
        elif suffix in (".html", ".htm"):
            docs = [load_html(path, info)]
        elif suffix == ".pdf":
            from .pdf import load_pdf

            docs = [load_pdf(path)]
        elif suffix == ".jsonl":
            docs = list(load_jsonl(path, info))
        else:
            raise InputError(f"{path}: not a document type kg reads")
    except InputError as exc:
        yield exc
        return
    if info is not None and info.get("encoding") not in (None, "utf-8", "ascii"):
        warn(f"{path}: read as {info['encoding']} ({info['encoding_by']})")
    for doc in docs:
        if isinstance(doc, InputError):
            yield doc
            continue
        if not doc.text.strip():
            warn(f"{path}: " + ("no text layer (an image-only PDF?); skipped" if suffix == ".pdf"
                                 else "empty; skipped" if suffix != ".jsonl" else f"{doc.source_id}: no text; skipped"))
            continue
        if source_id is not None and source_id != path.name:
            doc.source_id = source_id + doc.source_id[len(path.name):]
        for key, value in side.items():
            setattr(doc, key, value)
        finish_metadata(doc, lambda m, doc=doc: warn(f"{path}: {m}"))
        yield doc


def finish_metadata(doc: Document, warn: Warn = None) -> Document:
    """Normalise the publication date and fill it from the URL or text if missing; an
    impossible date keeps the part of it that is real (and is reported through ``warn``)."""
    for key in ("title", "url", "publisher"):  # loaders and sidecars give strings; anything else is dropped
        if getattr(doc, key) is not None and not isinstance(getattr(doc, key), str):
            setattr(doc, key, None)
    doc.published = normalise_published(doc.published, warn)
    if not doc.published:
        from_url, from_text = published_from_url(doc.url, warn), published_from_text(doc.text, warn)
        # a dateline in the text is more precise than /2017/06/ in a blog URL
        if from_url and from_text and from_text.startswith(from_url):
            doc.published = from_text
        else:
            doc.published = from_url or from_text
    doc.kind = _guess_kind(doc)
    return doc


def iter_documents(paths: Iterable[Union[str, Path]]) -> Iterator[Union[Document, InputError]]:
    files, errors = discover_sources(paths)
    yield from errors
    for f, sid in files:
        yield from load_file(f, source_id=sid)


def load_one(path: Union[str, Path]) -> Optional[Document]:
    for item in load_file(Path(path)):
        if isinstance(item, InputError):
            raise item
        return item
    return None
