"""Direct quotations and who said them."""
from __future__ import annotations

import re
from typing import Optional

from ..model import Document, Quote
from .text_utils import evidence

SPEECH = r"(?:said|says|added|adds|told|stated|states|explained|commented|warned|concluded|concludes|continued|noted|notes|wrote|writes|reported|reports|remarked)"
_OPEN, _CLOSE = "“\"", "”\""
_OFSTED_SUBJECT = re.compile(
    r"\b(?:inspectors?|ofsted|the (?:monitoring |inspection |ofsted )?(?:report|letter|inspectors?|watchdog|regulator)|"
    r"(?:the )?(?:report|letter))\b", re.I)
_PRONOUN = re.compile(r"\b(?:he|she)\b", re.I)
_THEY = re.compile(r"\bthey\b", re.I)
MIN_WORDS = 5


def _segments(text: str):
    """(start, end, closed) of each double-quoted stretch; an unclosed one runs to the paragraph end."""
    i, n = 0, len(text)
    while i < n:
        if text[i] in _OPEN:
            j = i + 1
            while j < n and text[j] not in _CLOSE and text[j] != "\n":
                if text[j] == "“":  # a new opening before a close: the last quote was unclosed
                    break
                j += 1
            closed = j < n and text[j] in _CLOSE and text[j] != "\n"
            yield i + 1, j, closed
            i = j + 1
        else:
            i += 1


def _speaker_in(window: str, people_resolver, person_names) -> Optional[str]:
    """A speaker named in a stretch of text around the quote."""
    for name in person_names:
        if name in window:
            return name
    for name in person_names:
        if re.search(rf"\b{re.escape(name.split()[-1])}\b", window):
            return name
    m = _OFSTED_SUBJECT.search(window)
    if m:
        return "Ofsted"
    return None


def extract_quotes(doc, document: Document, people: list, people_resolver) -> list:
    text = document.text
    names = [p.name for p in people]
    quotes: list = []
    last_speaker: Optional[str] = None
    last_was_quote = False
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    for p_start, p_end in paragraphs:
        para = text[p_start:p_end]
        segs = list(_segments(para))
        if not segs:
            last_was_quote = False
            continue
        outside = re.sub(r"“[^”]*”|\"[^\"]*\"", " ", para)
        speaker = None
        if re.search(rf"\b{SPEECH}\b", outside, re.I):
            speaker = _speaker_in(outside, people_resolver, names)
            if speaker is None and _PRONOUN.search(outside):
                speaker = last_speaker
            if speaker is None and _THEY.search(outside) and last_speaker == "Ofsted":
                speaker = "Ofsted"
        if speaker is None and para.lstrip()[:1] in _OPEN and last_was_quote:
            speaker = last_speaker
        if speaker is None:
            # "X said:" closing the previous paragraph
            prev = text[max(0, p_start - 300):p_start].rstrip()
            if prev.endswith(":") and re.search(rf"\b{SPEECH}:?$", prev, re.I):
                line = prev.splitlines()[-1] if prev.splitlines() else prev
                speaker = _speaker_in(line, people_resolver, names)
        for s, e, closed in segs:
            words = len(text[p_start + s:p_start + e].split())
            if words < MIN_WORDS or speaker is None:
                continue
            quotes.append(Quote(speaker=speaker, text=text[p_start + s:p_start + e].strip(" ,"),
                                evidence=evidence(document, p_start + s, p_start + e)))
        if speaker is not None:
            last_speaker = speaker
        last_was_quote = bool(segs) and not segs[-1][2]
        last_was_quote = last_was_quote or para.rstrip().endswith(("”", "\""))
    return merge_continued(quotes, text)


def merge_continued(quotes: list, text: str) -> list:
    """One quote per run of paragraphs where each reopens the same speaker's quote mark."""
    out: list = []
    for q in quotes:
        prev = out[-1] if out else None
        if prev is not None and prev.speaker == q.speaker and re.fullmatch(
                r"[\s“”\"]*", text[prev.evidence.end:q.evidence.start]) and len(prev.text.split()) + len(q.text.split()) <= 400:
            prev.evidence = evidence_span(prev.evidence, q.evidence.end, text)
            prev.text = prev.evidence.text
            continue
        out.append(q)
    return out


def evidence_span(ev, end: int, text: str):
    from ..model import Evidence

    return Evidence(source_id=ev.source_id, start=ev.start, end=end, text=text[ev.start:end], page=ev.page)
