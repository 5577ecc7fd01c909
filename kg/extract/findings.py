"""Inspectors' findings: what Ofsted or its report said about the service."""
from __future__ import annotations

import re

from ..model import Document, Finding
from .text_utils import evidence

_CUE = re.compile(
    r"\b(?:inspectors?|ofsted|the (?:monitoring |inspection |ofsted |full )?(?:report|letter|inspectors?|watchdog|regulator)|"
    r"they|it)\b(?:\s+(?:also|further|have|has|had|previously|however|then))*\s+"
    r"(?:found|find|finds|said|say|says|noted|notes|highlighted|highlights|identified|identifies|reported|reports|"
    r"praised|praises|criticised|criticises|concluded|concludes|added|adds|warned|warns|observed|observes|stated|states|"
    r"saw|see|sees|recognised|recognises|acknowledged|acknowledges|pinpointed|described|describes|raised|raises|"
    r"commended|judged|discovered|revealed|reveals|flagged|pointed out|went on to say|mentioned)\b(?:\s+that)?[:,]?\s*",
    re.I,
)
_NEG = re.compile(
    r"\b(?:not|no|never|too (?:slow|many|high|long)|weak\w*|poor\w*|inadequate\w*|fail\w*|delay\w*|drift|insufficient\w*|lack\w*|"
    r"absence|concern\w*|serious\w*|risk\w*|harm\w*|unacceptabl\w*|deteriorat\w*|inconsisten\w*|variable|limited|slow\w*|"
    r"imped\w*|barrier\w*|high (?:staff )?(?:turnover|workloads?|caseloads?)|reliance|shortcoming\w*|"
    r"requir\w* improvement|needs? to improve|widespread|vulnerable to|unclear|ineffective\w*|worse\w*|declin\w*|"
    r"backlog\w*|errors?|gaps?|missed|without|does not|do not|did not|has not|have not|cannot|unable)\b", re.I)
_POS = re.compile(
    r"\b(?:improv\w*|strong\w*|strength\w*|effective\w*|good|positive\w*|well|better|notable|manageable|appropriate\w*|"
    r"quickly|outstanding|prais\w*|committed|commitment|robust|progress|impressive|excellent|thorough|timely|"
    r"stable|stability|confident|clear|high[- ]quality|skilled|sustained|benefit\w*)\b", re.I)
_STAT = re.compile(r"\d+(?:\.\d+)?\s*(?:%|per cent)")
MAX_WORDS = 80


def polarity(text: str) -> str | None:
    neg = len(_NEG.findall(text))
    pos = len(_POS.findall(text))
    if neg == 0 and pos == 0:
        return None
    # a negation inside a positive phrase ("not robust") reads as a weakness
    return "weakness" if neg >= pos or re.search(r"\b(?:not|no|never)\b", text, re.I) else "strength"


def extract_findings(doc, document: Document, main_council, quotes: list) -> list:
    text = document.text
    findings: list = []
    seen: set = set()
    ofsted_quote_spans = [(q.evidence.start, q.evidence.end) for q in quotes if q.speaker == "Ofsted" and q.evidence]
    for sent in doc.sents:
        s0, s1 = sent.start_char, sent.end_char
        m = _CUE.search(sent.text)
        if not m:
            continue
        subject = m.group(0).split()[0].lower()
        if subject in ("they", "it") and not _inspection_context(text, s0):
            continue
        start = s0 + m.end()
        body = text[start:s1].strip()
        if len(body.split()) < 4 or len(body.split()) > MAX_WORDS:
            # a cue at the end ("..., inspectors said."): the finding precedes it
            before = text[s0:s0 + m.start()].strip(" ,")
            if 4 <= len(before.split()) <= MAX_WORDS:
                start, body = s0, before
            else:
                continue
        if _STAT.search(body) and len(body.split()) < 15:
            continue
        pol = polarity(body)
        if pol is None:
            continue
        end = start + len(text[start:s1].rstrip())
        key = (start, end)
        if key in seen:
            continue
        seen.add(key)
        findings.append(Finding(council_gss=_council(doc, s0, s1, main_council), polarity=pol,
                                text=text[start:end].strip(), evidence=evidence(document, start, end)))
    # quoted words of inspectors are findings too
    for qs, qe in ofsted_quote_spans:
        if any(f.evidence.start <= qs and qe <= f.evidence.end for f in findings):
            continue
        body = text[qs:qe]
        pol = polarity(body)
        if pol is None:
            continue
        findings.append(Finding(council_gss=_council(doc, qs, qe, main_council), polarity=pol,
                                text=body.strip(), evidence=evidence(document, qs, qe)))
    return findings


def _inspection_context(text: str, at: int) -> bool:
    window = text[max(0, at - 400):at].lower()
    return "inspector" in window or "ofsted" in window or "report" in window


def _council(doc, s0, s1, main_council):
    near = [c for c in doc.spans["councils"] if s0 <= c.start_char < s1]
    if near:
        return near[0].kb_id_
    return main_council[0] if main_council else None
