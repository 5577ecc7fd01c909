"""The project's spaCy components, registered under versioned factory names.

Each is keyword-configured and maps ``Doc -> Doc``, writing span groups:
``councils`` and ``orgs`` (kb_id_ = GSS code / organisation key), ``GRADE``,
``AREA``, ``KIND``, ``FRAMEWORK``, ``ROLE`` (kb_id_ = the code) and ``dates``.
"""
from __future__ import annotations

import re


from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .dates import find_dates, resolve_all
from .gazetteer import default_gazetteer, organisations
from .patterns import load_patterns

if not Span.has_extension("date_value"):
    Span.set_extension("date_value", default=None)  # (start_iso, end_iso)
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)


def _variants(name: str) -> set:
    # headlines write "TAMESIDE COUNCIL"; possessives keep the base form; "Telford & Wrekin"
    forms = {name, name.replace(" and ", " & ")}
    return forms | {f.upper() for f in forms}


class ParagraphSplitter:
    """Line breaks end sentences: headlines, datelines and list items are not run together.

    Runs before the parser, which keeps sentence starts it is given."""

    def __init__(self, nlp: Language, name: str = "kg_paragraph_splitter"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        for i, token in enumerate(doc[:-1]):
            if "\n" in token.text_with_ws and not token.is_space or (token.is_space and "\n" in token.text):
                doc[i + 1].is_sent_start = True
        # a table row ("Overall effectiveness: Good") is one sentence: the parser must not cut at its colon
        text = doc.text
        for m in _TABLE_LINE.finditer(text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="contract")
            if span is not None:
                for token in span[1:]:
                    token.is_sent_start = False
        return doc


_TABLE_LINE = re.compile(r"(?m)^[^:\n]{3,120}(?:[:–—]|[ \t]-)[ \t]*\S+(?:[ \t]+\S+){0,4}[ \t]*$")


class CouncilRuler:
    """Gazetteer matching of councils and known organisations."""

    def __init__(self, nlp: Language, name: str = "kg_council_ruler"):
        self.name = name
        self.councils = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.orgs = PhraseMatcher(nlp.vocab, attr="ORTH")
        gaz = default_gazetteer()
        by_key: dict = {}
        for surface, gss in gaz.surface_forms():
            for v in _variants(surface):
                by_key.setdefault(gss, set()).add(v)
        for gss, forms in by_key.items():
            self.councils.add(gss, [nlp.make_doc(f) for f in sorted(forms)])
        for key, org in organisations().items():
            forms = set()
            for f in (org.name, *org.aliases):
                forms |= _variants(f)
            self.orgs.add(key, [nlp.make_doc(f) for f in sorted(forms)])

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        doc.spans["councils"] = [s for s in self._longest(doc, self.councils) if not _other_body(text, s)]
        doc.spans["orgs"] = self._longest(doc, self.orgs)
        if not doc.has_annotation("DEP"):
            # before the parser: a council's name is never cut by a sentence end ("Westmorland | and Furness")
            for span in doc.spans["councils"]:
                for token in span[1:]:
                    token.is_sent_start = False
        return doc

    @staticmethod
    def _longest(doc: Doc, matcher: PhraseMatcher) -> list:
        spans = []
        for match_id, start, end in matcher(doc):
            key = doc.vocab.strings[match_id]
            spans.append(Span(doc, start, end, label="COUNCIL", kb_id=key))
        spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
        out, last_end = [], -1
        for s in spans:
            if s.start >= last_end:
                out.append(s)
                last_end = s.end
        return out


# a place name inside another body's name: "Devon and Cornwall Police", "NHS Devon Clinical Commissioning Group",
# "Nottingham Trent University" (one word between for universities, hospitals and forces)
# newspapers ("Manchester Evening News", "Kent Online"), clubs, airports and peers' titles likewise
_BODY_AFTER = re.compile(r"(?:\s+(?:and|&)\s+[A-Z][\w’'-]+)*(?:\s+(?!(?:City|County|Borough|Council|and)\b)[A-Z][\w’'-]+"
                         r"(?=\s+(?:University|College|Hospitals?|Healthcare|NHS|Police|Constabulary)\b))?\s+(?:Police|Constabulary|Fire|Clinical Commissioning Group|CCG|"
                         r"Integrated Care|Healthcare|Partnership NHS|NHS|Hospitals?|University|College|Magistrates|"
                         r"Crown Court|Family Court|Ambulance|Evening News|Evening Standard|Daily Mail|Echo|Telegraph|"
                         r"Chronicle|Gazette|Herald|Post|Express|Live|Online|Observer|Advertiser|Argus|Examiner|Mercury|"
                         r"Star|Journal|Citizen|Courier|Sentinel|Football Club|FC|(?:City|United|Town|Rovers|Athletic|"
                         r"Wanderers|County) (?:FC|Football)|Cricket Club|Rugby|Airport|Cathedral|Prison|Grammar School|"
                         r"Combined Authority|City Region)\b")
_BODY_BEFORE = re.compile(r"\b(?:Greater|NHS|University of|(?:Arch)?[Dd]iocese of|(?:Arch)?[Bb]ishop of|"
                          r"Police and Crime Commissioner for|HMP|BBC Radio|Radio|(?:Duke|Duchess|Earl|Countess|Baron|"
                          r"Baroness|Viscount|Marquess|Dean) of)\s+"
                          r"(?:[A-Z][\w’'-]+\s+(?:and|&)\s+)*$")


def _other_body(text: str, span) -> bool:
    return bool(_BODY_AFTER.match(text, span.end_char) or _BODY_BEFORE.search(text[max(0, span.start_char - 60):span.start_char]))


class DomainRuler:
    """Regular-expression patterns from ``kg/data/patterns.jsonl``."""

    def __init__(self, nlp: Language, name: str = "kg_domain_ruler"):
        self.name = name
        self.patterns = load_patterns()

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        groups: dict = {label: [] for label in ("GRADE", "AREA", "KIND", "FRAMEWORK", "ROLE")}
        taken: dict = {label: [] for label in groups}
        for p in self.patterns:  # file order = priority
            for m in p.regex.finditer(text):
                s, e = m.span()
                if any(s < te and ts < e for ts, te in taken[p.label]):
                    continue
                span = doc.char_span(s, e, label=p.label, kb_id=p.code, alignment_mode="expand")
                if span is None:
                    continue
                taken[p.label].append((s, e))
                groups[p.label].append(span)
        for label, spans in groups.items():
            doc.spans[label] = sorted(spans, key=lambda sp: sp.start_char)
        return doc


class DateFinder:
    """Date expressions, resolved against the document's publication date."""

    def __init__(self, nlp: Language, name: str = "kg_date_finder"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        base = doc._.published
        spans = []
        mentions = find_dates(doc.text)
        for dm, value in zip(mentions, resolve_all(mentions, base)):
            span = doc.char_span(dm.start, dm.end, label="DATE", alignment_mode="expand")
            if span is None:
                continue
            span._.date_value = value + (dm.kind,)
            spans.append(span)
        doc.spans["dates"] = spans
        return doc


@Language.factory("kg_paragraph_splitter_v1")
def make_paragraph_splitter(nlp: Language, name: str):
    return ParagraphSplitter(nlp, name)


@Language.factory("kg_council_ruler_v1")
def make_council_ruler(nlp: Language, name: str):
    return CouncilRuler(nlp, name)


@Language.factory("kg_domain_ruler_v1")
def make_domain_ruler(nlp: Language, name: str):
    return DomainRuler(nlp, name)


@Language.factory("kg_date_finder_v1")
def make_date_finder(nlp: Language, name: str):
    return DateFinder(nlp, name)
