"""Load a PDF (an Ofsted report or a council paper) as a ``Document``.

pypdfium2 gives the text of each page in reading order, one physical line per
``\\r\\n``, and the box of every character. Three repairs make that text fit
for sentence-level extraction:

* running headers/footers and page numbers are dropped: they recur in the
  margins of many pages and would otherwise land in the middle of sentences;
* hard line breaks inside a paragraph are joined (also across page breaks),
  while paragraph ends, headings, table cells and list items stay on their
  own lines. Geometry decides: a line was wrapped when the next word would
  not have fitted before the right margin, and paragraphs are set apart by
  a larger gap than the line pitch;
* words hyphenated across a line break are rejoined. Ofsted's reports come
  from Word, which breaks lines only at real hyphens, so the hyphen is kept
  ("multi-agency"); soft hyphens are dropped. Footnote references that pdfium
  puts on rows of their own go back to the end of their line.

``Document.page_starts`` records where each page's text starts so that every
piece of evidence can name its page.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from ..errors import InputError
from ..model import Document

# How many lines at the top and bottom of a page count as its margin, where
# running headers, footers and page numbers live.
MARGIN_LINES = 3
# A margin line is "running" when it recurs on at least this share of pages.
RUNNING_SHARE = 0.3
RUNNING_MIN_PAGES = 3
# A gap this many times the usual line pitch separates two paragraphs.
PARAGRAPH_GAP = 1.5
# Lines whose type sizes differ by more than this share are not one paragraph.
SIZE_CHANGE = 0.1
# Slack (points) when asking whether the next word would have fitted.
FIT_SLACK = 4.0

# pdfium writes U+0002 for a hyphen at which it broke a line (Word's hard
# hyphens at the end of a line): the word really has a hyphen ("multi-agency").
PDFIUM_LINE_HYPHEN = "\x02"

BULLET_RE = re.compile(
    r"^(?:[\u25aa\u25fc\u25a0\u2022\u25cf\u25e6\u27a2\u2013\u2014\u2015\u2212*]\s?"
    r"|[-o]\s|\(?[a-z]\)\s|\(?[ivx]{1,4}\)\s|\d{1,3}\.\s|\d\.\d\.?\s)"
)
PRIVATE_USE_RE = re.compile(r"^[\ue000-\uf8ff]")
PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?(\d{1,3})(?:\s+of\s+\d{1,3})?$", re.IGNORECASE)
TERMINAL_RE = re.compile(r"[.!?:;]['\u2019\u201d)]?$")
FOOTNOTE_MARK_RE = re.compile(r"^\d{1,2}$")
NUMBER_RANGE_START_RE = re.compile(r"\d-$")
RANGE_WORDS = ("and ", "to ", "or ")


@dataclass
class Line:
    """One physical line of a page and where it sits (PDF points, y upwards)."""

    text: str
    left: float = 0.0  # of the first character
    right: float = 0.0  # of the last character
    # pdfium merges a row that ends in a hyphen with the next one, so a
    # "line" can span rows: keep the baselines of its first and last rows
    first_bottom: float = 0.0
    last_bottom: float = 0.0
    height: float = 0.0

    @property
    def char_width(self):
        if abs(self.first_bottom - self.last_bottom) > 1:
            return None  # spans rows: its width says nothing
        return (self.right - self.left) / max(len(self.text), 1)


@dataclass
class Layout:
    """Document-wide measures the joining rules compare against."""

    right_margin: float
    pitch: float  # of body text
    height: float  # of body text
    char_width: float


def load_pdf(path: Path) -> Document:
    """Read a PDF file into a ``Document`` of kind ``report``."""
    path = Path(path)
    _check_is_pdf(path)
    pages = _page_lines(path)
    pages = _drop_running_lines(pages)
    text, page_starts = _assemble(pages, _layout(pages))
    return Document(
        source_id=path.name,
        text=text,
        path=str(path),
        kind="report",
        page_starts=page_starts,
    )


def _check_is_pdf(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    if head.lstrip().startswith(b"%PDF"):
        return
    # Scrapers save HTML error pages under a .pdf name: say so plainly.
    if re.search(rb"<(?:!doctype\s+html|html|head|body)\b", head, re.IGNORECASE):
        raise InputError(f"{path}: not a PDF (looks like an HTML page)")
    raise InputError(f"{path}: not a PDF (no %PDF header)")


def _page_lines(path: Path) -> list:
    """Physical lines of each page, as pdfium lays them out."""
    import pypdfium2 as pdfium  # imported here so that loading kg stays light

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pdfium raises its own PdfiumError, or OSError
        raise InputError(f"{path}: corrupt or unreadable PDF ({exc})") from exc
    pages = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            pages.append(_lines_of(textpage))
            textpage.close()
            page.close()
    except Exception as exc:
        raise InputError(f"{path}: corrupt PDF, page {len(pages) + 1} unreadable ({exc})") from exc
    finally:
        pdf.close()
    return pages


def _lines_of(textpage) -> list:
    """Lines with the boxes of their first and last characters.

    ``get_text_range`` returns one character per pdfium char index (the line
    breaks pdfium generates included), so a line's offset in the page string
    is also the index its character boxes are looked up by.
    """
    raw = textpage.get_text_range()
    lines = []
    pos = 0
    for piece in raw.split("\r\n"):
        body = piece.rstrip()
        lead = len(body) - len(body.lstrip())
        text = _clean(body)
        if text:
            first = textpage.get_charbox(pos + lead, loose=True)  # (left, bottom, right, top)
            last = textpage.get_charbox(pos + len(body) - 1, loose=True)
            size = _type_size(textpage, pos + lead, pos + len(body))
            lines.append(Line(text, first[0], last[2], first[1], last[1], size))
        pos += len(piece) + 2
    return lines


def _type_size(textpage, start: int, end: int) -> float:
    """Height of the line's type: the median of a few characters' boxes, as
    a line may start with a symbol-font bullet or end with a superscript."""
    span = end - 1 - start
    heights = []
    for k in (0, span // 4, span // 2, 3 * span // 4, span):
        box = textpage.get_charbox(start + k, loose=True)
        heights.append(box[3] - box[1])
    return median(heights)


def _clean(text: str) -> str:
    text = text.replace(PDFIUM_LINE_HYPHEN, "-").replace("\u00ad", "")
    text = re.sub(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]", "", text)
    text = re.sub(r"[ \t\u00a0]+", " ", text).strip()
    # Bullets set in symbol fonts come out as private-use code points
    # (Wingdings U+F06E, U+F0A7, ...): show them as the bullets they are.
    return PRIVATE_USE_RE.sub("\u2022", text)


EDGE_NUMBER_RE = re.compile(r"^\d{1,3}\s+|\s+\d{1,3}$")


def _margin_key(line: Line) -> str:
    """Lines that differ only in numbers (page numbers, dates) share a key."""
    return re.sub(r"\d+", "#", EDGE_NUMBER_RE.sub("", line.text).lower())


def _margin_indexes(lines: list) -> list:
    n = len(lines)
    return sorted(set(range(min(MARGIN_LINES, n))) | set(range(max(n - MARGIN_LINES, 0), n)))


def _running_keys(pages: list) -> set:
    """Margin lines that recur: on many pages, or on a few with a page number.

    A report bound with another (an LSCB review after the council's report)
    has a header of its own on fewer pages; its page number gives it away.
    """
    counts = Counter()
    numbered = Counter()
    for lines in pages:
        seen = {}
        for i in _margin_indexes(lines):
            key = _margin_key(lines[i])
            seen[key] = seen.get(key, False) or bool(EDGE_NUMBER_RE.search(lines[i].text))
        counts.update(seen.keys())
        numbered.update(k for k, has in seen.items() if has)
    threshold = max(RUNNING_MIN_PAGES, RUNNING_SHARE * len(pages))
    running = set()
    for key, n in counts.items():
        if not re.search(r"[a-z]", key):
            continue  # bare numbers are judged as page numbers, one by one
        if n >= threshold or (n >= RUNNING_MIN_PAGES and numbered[key] >= 0.8 * n and len(key) > 10):
            running.add(key)
    return running


def _drop_running_lines(pages: list) -> list:
    running = _running_keys(pages)
    out = []
    for number, lines in enumerate(pages, start=1):
        drop = set()
        for i in _margin_indexes(lines):
            # the cover page's first lines are its title, not a running header
            if number > 1 and _margin_key(lines[i]) in running:
                drop.add(i)
            elif (i < 2 or i >= len(lines) - 2) and _is_page_number(lines[i].text, number):
                drop.add(i)
        out.append([line for i, line in enumerate(lines) if i not in drop])
    return out


def _is_page_number(text: str, page_number: int) -> bool:
    m = PAGE_NUMBER_RE.match(text)
    # the printed number may be offset from the PDF's (unnumbered cover pages)
    return bool(m) and abs(int(m.group(1)) - page_number) <= 2


def _layout(pages: list) -> Layout:
    rights = sorted(line.right for lines in pages for line in lines)
    pitches = [
        a.last_bottom - b.first_bottom
        for lines in pages
        for a, b in zip(lines, lines[1:])
        if 0 < a.last_bottom - b.first_bottom < 3 * max(a.height, 1)
    ]
    widths = [line.char_width for lines in pages for line in lines if line.char_width]
    return Layout(
        right_margin=rights[int(len(rights) * 0.95)] if rights else 0.0,
        pitch=median(pitches) if pitches else 0.0,
        height=median(line.height for lines in pages for line in lines) if rights else 0.0,
        char_width=median(widths) if widths else 5.0,
    )


def _joins(prev: Line, nxt: Line, layout: Layout, same_page: bool) -> bool:
    """Whether ``nxt`` continues the paragraph that ``prev`` ends."""
    if _superscript(prev, nxt):
        return True
    if BULLET_RE.match(nxt.text):
        return False
    if FOOTNOTE_MARK_RE.match(prev.text) and prev.height < nxt.height:
        return True  # a superscript footnote number on a line of its own
    if abs(prev.height - nxt.height) > SIZE_CHANGE * max(prev.height, nxt.height):
        return False  # another type size: a heading and its body, or a footnote
    if same_page and _apart(prev, nxt, layout):
        return False
    if prev.text.endswith("-"):
        return nxt.text[:1].isalnum()
    if _wrapped(prev, nxt, layout):
        return True  # the next word did not fit: a soft line break
    # The line ended on purpose (paragraph end, heading, table cell), unless
    # the next one carries on a sentence: sentences never start in lowercase.
    return nxt.text[:1].islower() and not TERMINAL_RE.search(prev.text)


def _apart(prev: Line, nxt: Line, layout: Layout) -> bool:
    """A paragraph gap, or a line that is not below its predecessor (a table cell)."""
    drop = prev.last_bottom - nxt.first_bottom
    if drop <= 0.3 * max(prev.height, 1):
        return True  # same row or higher up: another column or cell
    if layout.pitch <= 0 or layout.height <= 0:
        return False
    # larger type (titles) has a proportionally larger pitch
    scale = max(1.0, max(prev.height, nxt.height) / layout.height)
    return drop > PARAGRAPH_GAP * layout.pitch * scale


def _wrapped(prev: Line, nxt: Line, layout: Layout) -> bool:
    first_word = nxt.text.split(" ", 1)[0]
    needed = (len(first_word) + 1) * (prev.char_width or layout.char_width)
    return prev.right + needed > layout.right_margin + FIT_SLACK


def _superscript(prev: Line, nxt: Line) -> bool:
    """A footnote reference that pdfium put on a row of its own: small type,
    just after the end of the previous line and level with it."""
    return (
        bool(FOOTNOTE_MARK_RE.match(nxt.text))
        and nxt.height < prev.height
        and nxt.left >= prev.right - 1
        and abs(prev.last_bottom - nxt.first_bottom) < prev.height
    )


def _glue(prev: Line, nxt: Line) -> str:
    if _superscript(prev, nxt):
        return ""
    prev, nxt = prev.text, nxt.text
    if not prev.endswith("-"):
        return " "
    if NUMBER_RANGE_START_RE.search(prev) and nxt.lower().startswith(RANGE_WORDS):
        return " "  # "16- and 17-year-olds"
    return ""  # a word broken at its hyphen: keep the hyphen, no space


def _assemble(pages: list, layout: Layout):
    """One string for the document: a paragraph, heading or item per line."""
    parts = []
    page_starts = []
    length = 0
    prev = None
    for lines in pages:
        first = True
        for line in lines:
            if prev is None:
                sep = ""
            elif _joins(prev, line, layout, same_page=not first):
                sep = _glue(prev, line)
            else:
                sep = "\n"
            if first:
                page_starts.append(length + len(sep))
                first = False
            parts.append(sep + line.text)
            length += len(sep) + len(line.text)
            prev = line
        if first:  # an empty page still has a start
            page_starts.append(length)
    return "".join(parts), page_starts
