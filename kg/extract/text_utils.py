"""Small text helpers shared by the extractors."""
from __future__ import annotations

import re

from ..model import Document, Evidence
from ..nlp.person_words import alternation, honorifics

TERMINAL = set(".:;!?\"”’)]|")


def repair_hard_wraps(text: str) -> str:
    """Join lines broken inside a sentence (minutes pasted from PDFs).

    A single newline after a line that does not end a sentence becomes a
    space. Same length in and out, so offsets stay valid against the source.
    """
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch != "\n" or i == 0 or i + 1 >= len(chars):
            continue
        prev, nxt = chars[i - 1], chars[i + 1]
        j = i + 1
        while j + 1 < len(chars) and chars[j] in " \t" and chars[j + 1] in " \t":
            j += 1  # an indented line: its first word is what follows the indent
        if nxt in " \t" and j + 1 < len(chars) and text[text.rfind("\n", 0, i) + 1] in " \t":
            nxt = chars[j + 1]  # both lines indented (minutes set in a block)
        if nxt == "\n" or prev == "\n":
            continue
        if prev.strip() and prev not in TERMINAL and (nxt.isalnum() or nxt in "(‘'“\""):
            line = text[text.rfind("\n", 0, i) + 1:i]
            if _TABLE_ROW.fullmatch(line):
                continue  # "Overall effectiveness: Good": a row of a table, not a broken sentence
            nxt_end = text.find("\n", i + 1)
            if _NAME_LINE.fullmatch(line) and _NAME_LINE.fullmatch(text[i + 1:len(text) if nxt_end == -1 else nxt_end]):
                continue  # a list of names, one a line
            if _SECTION_HEADING.fullmatch(line):
                continue  # "2. Bury": a numbered heading over its section
            nxt_line = text[i + 1:len(text) if nxt_end == -1 else nxt_end]
            if _BYLINE_LINE.match(nxt_line) or _BARE_NAME_LINE.fullmatch(nxt_line) and nxt_end != -1 \
                    or _BARE_NAME_LINE.fullmatch(line) and text.rfind("\n", 0, i) != -1:
                continue  # a byline under its headline, alone on its line
            chars[i] = " "
    return "".join(chars)


_SECTION_HEADING = re.compile(r"\s*\d{1,2}[.)]\s+[A-Z][\w’'&-]*(?:\s+(?:(?:and|of|upon|on|the|&)\s+)?[A-Z][\w’'&-]*){0,5}\s*")
_NAME_LINE = re.compile(r"\s*(?:[A-Z][\w’'.-]*\s+){1,3}[A-Z][\w’'-]*\s*(?:\([^)]*\))?\s*")
_BYLINE_LINE = re.compile(r"\s*(?:By|Reporter|Author|Written by|Posted by|Words by)\b:?\s+[A-Z]")
_BARE_NAME_LINE = re.compile(r"\s*[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){1,2}\s*|\s*[A-Z’'-]{2,}(?:\s+[A-Z’'-]{2,}){1,2}\s*")
# a label and a short value: the rows of a judgement table or a list of fields
_TABLE_ROW = re.compile(r"[^:\n]{3,120}(?:[:–—]|\s-)\s*\S+(?:\s+\S+){0,4}\s*")


def evidence(document: Document, start: int, end: int) -> Evidence:
    # trim whitespace so the evidence text is exactly the span's words
    text = document.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Evidence(source_id=document.source_id, start=start, end=end, text=text[start:end],
                    page=document.page_of(start))


HONORIFICS = re.compile(  # one or more forms of address (kg/data/honorifics.json) before a name
    r"^(?:" + alternation(honorifics()["honorifics"] + honorifics()["styles"]) + r"\s+)+"
)


def clean_person_name(name: str) -> str:
    name = name.replace("’", "'").strip(" ,.;:'\"“”‘")
    name = HONORIFICS.sub("", name)
    name = re.sub(r"'s$", "", name)
    name = re.sub(r"\s+(?:MP|OBE|CBE|MBE|QC|KC)$", "", name)
    return re.sub(r"\s+", " ", name).strip()


def name_key(name: str) -> str:
    return re.sub(r"[^a-z ]", "", clean_person_name(name).lower()).strip()
