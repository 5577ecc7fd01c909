"""Inspectors' findings: what Ofsted, its inspectors or its report said about the service.

A finding is a statement whose source is the inspection, told in the grammar
news and minutes use for it, with a polarity read from the domain's
evaluative vocabulary (``kg/data/findings_lexicon.json``):

- a reporting clause with inspectors or their report as subject: "inspectors
  found ...", "the report said ...", "..., Ofsted said.", "according to Ofsted";
- a passive with the inspection as agent or context: "was praised by
  inspectors", "has been criticised for", "were raised as concerns in the
  report";
- the words of a quotation whose speaker is Ofsted;
- a list announced as the report's areas for improvement (or strengths);
- the next sentence of a report summary: a sentence right after a finding,
  in the same or the next paragraph, that evaluates the service and is
  nobody else's voice.

Not findings: councillors' and officers' words about themselves (first person,
quotes by council people), grades alone ("rated good", which are judgements),
bare statistics, and anything far from a reporting clause (cookie banners,
navigation, trailing blog text).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from spacy.lang.en.stop_words import STOP_WORDS

from ..model import Document, Finding
from .base import Extractor
from ..nlp.reporting import forms as verb_forms, sign_of
from .quotes import DATA, OFSTED, alternation, first_person_regex, layout, load_lexicon, split_sentences, words
from .text_utils import evidence

MAX_WORDS = 80  # longer "sentences" are run-together navigation or lists
FINDING_KEYS = (
    "ofsted_subjects", "reporting_frames", "passive_frames", "passive_reporting", "nominal_cues",
    "negative", "positive", "weak_positive", "weak_negative", "negators", "concessive", "contrast",
    "improvement_lists", "strength_lists", "grade_words", "rating_words", "statistic",
    "copula_evaluations", "neutral", "intent", "domain", "generic",
)
# between a subject and its reporting verb: adverbs, auxiliaries, "that"/"which", one parenthetical,
# or what inspectors did first ("inspectors visited in March and found ...")
_MID = (r"(?:\s+(?:also|further|have|has|had|previously|however|then|later|now|clearly|rightly|recently|"
        r"could|would|did|both|all|too|again|subsequently|ultimately|that|which|who|\w+ly)\b|,\s+[^,.;:“”\"]{1,90}?,"
        r"|\s+\([^()]{1,60}\)"
        r"|\s+(?:visited|spent|examined|reviewed|looked|met|spoke|talked|interviewed|sampled|tracked|observed|"
        r"audited|considered|went|scrutinised)\b[^,.;:“”\"]{0,100}?\s+and)*")


_q = "[\"“”‘’']?"


@lru_cache(maxsize=1)
def _lex() -> dict:
    data = load_lexicon(DATA / "findings_lexicon.json", FINDING_KEYS)
    alt = lambda key: alternation(data[key])  # noqa: E731
    subj = alt("ofsted_subjects")
    # the verbs' families from reporting_verbs.jsonl, and the frames that are no one verb's forms
    verbs = alternation(verb_forms("finding") + data["reporting_frames"])
    passive = alternation(verb_forms("passive") + data["passive_frames"])
    return {
        "subj_alt": subj,
        "verbs_alt": verbs,
        "subject": re.compile(rf"\b{subj}\b", re.I),
        "passive": re.compile(rf"\b(?:is|are|was|were|been|being|be)\s+(?:(?:also|widely|particularly|highly|strongly|"
                              rf"rightly|repeatedly|previously|not|now|further)\s+)*(?P<verb>{passive})\b",
                              re.I),
        # a participle with its agent, not an active verb with its object ("the council set out its plans in a report")
        "agent": re.compile(rf"\b(?:{alternation(verb_forms('agent'))})\s+(?!(?:its|their|his|her|our|the|a|an|this|these|those|"
                            rf"them|it)\b)(?:[\w’'-]+\s+){{0,3}}?(?:by|in)\s+(?:the\s+)?{subj}\b", re.I),
        "according": re.compile(rf"\baccording to\s+(?:the\s+)?{subj}\b", re.I),
        "passive_reporting": re.compile(rf"\b{alt('passive_reporting')}\b(?:\s+that\b)?", re.I),
        "nominal": re.compile(rf"\b{alt('nominal_cues')}\b", re.I),
        "negative": re.compile(rf"\b{alt('negative')}(?!\w)", re.I),
        "positive": re.compile(rf"\b{alt('positive')}(?!\w)", re.I),
        "weak_positive": re.compile(rf"{alt('weak_positive')}", re.I),
        "weak_negative": re.compile(rf"{alt('weak_negative')}", re.I),
        "negators": re.compile(rf"\b{alt('negators')}\b", re.I),
        "concessive": alt("concessive"),
        "contrast": alt("contrast"),
        "improvement_lists": re.compile(rf"\b{alt('improvement_lists')}\b", re.I),
        "strength_lists": re.compile(rf"\b{alt('strength_lists')}\b", re.I),
        "first_person": first_person_regex(),
        "statistic": re.compile(alt("statistic"), re.I),
        "copula": re.compile(rf"\b{subj}\b(?:,\s*(?:which|that))?\s+(?:was|were|is|are|has been|have been)\s+"
                             rf"(?:(?:\w+ly|very|largely|mostly|broadly|overwhelmingly|highly)\s+){{0,3}}"
                             rf"(?P<adj>{alt('copula_evaluations')})\b", re.I),
        "neutral": re.compile(rf"\b{alt('neutral')}\b", re.I),
        "intent": re.compile(rf"\b{alt('intent')}\b", re.I),
        "domain": re.compile(rf"\b{alt('domain')}", re.I),
        "generic": re.compile(rf"\b(?:{alt('generic')}|{alternation(verb_forms('all'))}|{subj})(?!\w)", re.I),
        # a grade stated as a grade: "rated 'good'", "downgraded from X to Y", "an 'inadequate' rating"
        "grade_after_rating": re.compile(
            rf"\b{alt('rating_words')}\b(?:\s+[\w’'-]+){{0,8}}?\s+{_q}{alt('grade_words')}\b"
            rf"(?:{_q}\s+(?:to|and|or|from)\s+{_q}{alt('grade_words')}\b)*"
            rf"|\bfrom\s+{_q}{alt('grade_words')}{_q}\s+to\s+{_q}{alt('grade_words')}\b"
            rf"|{_q}{alt('grade_words')}{_q}\s+(?:[\w-]+\s+)?(?:rating|grade|judge?ment|status|label|tag|verdict)s?\b"
            rf"|\brequire[sd]? improvement to be good\b"
            rf"|\bno longer\s+(?:(?:rated|judged|graded|considered|deemed)\s+(?:as\s+)?)?{_q}{alt('grade_words')}\b", re.I),
    }


# --------------------------------------------------------------------------- polarity

_CLAUSE_END = re.compile(r"[,;:–—()]|\b(?:that|which|who|because|but|while|whilst|whereas|although|though|so)\b", re.I)


def _blank(text: str, pattern) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _terms(text: str) -> list:
    """(start, end, sign, weight) of evaluative terms, longest first, no overlaps. Names of
    judgement areas, grades stated as grades, and plan names do not evaluate."""
    lex = _lex()
    text = _blank(_blank(text, lex["grade_after_rating"]), lex["neutral"])
    cands = []
    for key, sign in (("negative", -1), ("positive", 1)):
        for m in lex[key].finditer(text):
            if m.end() > m.start():
                weak = lex["weak_positive" if sign > 0 else "weak_negative"].fullmatch(m.group())
                cands.append((m.start(), m.end(), sign, 0.5 if weak else 1.0))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list = []
    for c in cands:
        if all(c[1] <= t[0] or c[0] >= t[1] for t in taken):
            taken.append(c)
    return sorted(taken)


_FLIP_NEGATIVE = ("no", "none", "without", "never", "neither", "nor", "fewer", "less", "lower")


def _score(text: str) -> float:
    """Sum of term weights; a negator within the clause before a term turns it round ("not
    consistently good", "no priority actions", "without delay", "a reduction in turnover")."""
    lex = _lex()
    terms = _terms(text)
    text = _blank(text, lex["neutral"])
    inside = lambda pos: any(s <= pos < e for s, e, _, _ in terms)  # noqa: E731
    negs = [(m.start(), m.end(), m.group().lower()) for m in lex["negators"].finditer(text) if not inside(m.start())]
    # a negative phrase opening with "not" ("not consistently") also negates the word after it ("... good")
    negs += [(s, e, "not-phrase") for s, e, sign, _ in terms if sign < 0 and re.match(r"(?:not|never)\b", text[s:e], re.I)]
    negs.sort()
    score = 0.0
    used = set()
    for s, e, sign, weight in terms:
        for ns, ne, word in negs:
            if ne > s:
                break
            gap = text[ne:s]
            if len(gap.split()) > 8 or _CLAUSE_END.search(gap):
                continue
            if sign > 0 and word.startswith(("reduc", "fall", "decrease", "drop")) and re.search(r"\band\b", gap, re.I):
                continue  # "a reduction in caseloads and positive morale": the fall is of the first noun only
            if sign > 0 or word in _FLIP_NEGATIVE or word.startswith(("reduc", "fall", "decrease", "drop")):
                sign = -sign
                used.add(ns)
                break
        score += sign * weight
    for ns, ne, word in negs:
        if ns not in used and word in ("no", "not", "never", "without", "cannot", "n't", "n’t") \
                and not any(ne <= s and len(text[ne:s].split()) <= 8 for s, _, _, _ in terms):
            score -= 0.5  # "there was no attempt at preventative work", "were not being protected"
    return score


def _focus(text: str) -> str:
    """The clause a contrast or concession puts the weight on."""
    lex = _lex()
    t = text.strip()
    m = re.match(rf"^\W*(?:(?:however|but|and|yet),?\s+)?(?:{lex['concessive']})\b[^,]*,\s*(?P<rest>.+)$", t, re.I | re.S)
    if m and words(m.group("rest")) >= 3:
        t = m.group("rest")
    t = re.sub(r",?\s+\b(?:despite|in spite of|notwithstanding|even though)\b[^,;]*$", "", t, flags=re.I)
    # "X, but Y" / "X; however, Y": the weight is on Y ("not yet effective" is no contrast)
    parts = re.split(rf"(?:[,;]\s*|\s+(?=but\b))\b(?:{lex['contrast']})\b,?\s+", t, flags=re.I)
    if len(parts) > 1 and words(parts[-1]) >= 3:
        t = parts[-1]
    return t


# where a sentence turns from one judgement to its opposite: ", however", "; but", " but " (a concession,
# "although ...", leans on its main clause and stays with it)
_TURN = re.compile(r"(?:[,;:–—]\s*|\s+(?=but\b))(?:but|however|yet|nevertheless)\b,?\s+", re.I)
MIN_CLAUSE_WORDS = 6


def mixed_clauses(text: str, start: int, end: int, lead: float = 0.0) -> Optional[tuple]:
    """((start, end, polarity), (start, end, polarity)) when text[start:end] turns at a contrast
    from one polarity to the other ("leaders know the service well, however plans drift"), else None.
    ``lead`` (the reporting verb's own sign) counts for the first clause only."""
    body = text[start:end]
    for m in _TURN.finditer(body):
        first, second = body[:m.start()].rstrip(" ,;"), body[m.end():]
        if words(first) < MIN_CLAUSE_WORDS or words(second) < MIN_CLAUSE_WORDS:
            continue
        if _TURN.search(second):
            return None  # more than one turn: left whole
        p1, p2 = polarity(first, lead), polarity(second)
        if p1 and p2 and p1 != p2:
            return (start, start + len(first), p1), (start + m.end(), end, p2)
        return None
    return None


def polarity(text: str, lead: float = 0.0) -> Optional[str]:
    """'strength', 'weakness' or None (no evaluation) for a clause about the service; ``lead`` is the
    sign the reporting verb itself carries ("praised" +1, "criticised" -1)."""
    focus = _focus(text)
    score = _score(focus)
    if re.match(r"\W*not (?:all|every)\b", focus, re.I):
        score -= 1  # "Not all care leavers have an adviser who knows them well": what falls short leads
    if score == 0 and focus != text:
        score = _score(text)
    score += lead
    if score == 0:
        return None
    return "strength" if score > 0 else "weakness"


def _headline_end(text: str) -> int:
    """End of the first line when it is a headline (no sentence-final stop), else 0."""
    m = re.match(r"\s*([^\n]+)", text)
    line = m.group(1) if m else ""
    if not line or re.search(r"[.!?…:;]['’\"”]?\s*$", line) or words(line) > 25 or re.match(r"\s*\d", line):
        return 0  # a sentence, a list's lead-in or a numbered paragraph
    return m.end()


# "judged the impact of leaders, ... and the experiences of children in care all to be inadequate"
_GRADE_LIST = re.compile(r"\b(?:judged|rated|graded|found|assessed)\b[^.;]{0,240}?\b(?:all |each |both )?(?:to be|as)\s+"
                         r"(?:inadequate|good|outstanding|requires? improvement(?: to be good)?)\b", re.I)


def vacuous(text: str) -> bool:
    """A statement that names evaluations without saying what they are about ("the report identified a
    number of strengths", "inspectors found areas for development"): once reporting verbs, the
    inspectors, generic words, stop words and names are set aside, nothing is left."""
    rest = _blank(text, _lex()["generic"])
    for w in re.findall(r"[\w’'-]+", rest):
        if w.lower() in STOP_WORDS or re.fullmatch(r"[A-Z][a-z’'-]+", w) or w.isdigit():
            continue
        return False
    return True


# "the safeguarding board requires improvement", "services were found to Require Improvement": the grade
# given to a service or area, the sentence's last words
_GRADED_BODY = re.compile(r"\b(?:services?|council|authority|board|lscb|partnership|arrangements|department|"
                          r"effectiveness|leadership|leaders)\b(?:\s+[\w’'-]+){0,6}?\s+(?:(?:now|still|also|overall)\s+)?"
                          r"(?:(?:was|were|is|are|been|be)\s+(?:found|judged|deemed|considered)\s+to\s+)?"
                          r"['‘\"“]?(?:requires?|required|require) improvement(?: to be good)?['’\"”]?(?:\s+overall)?"
                          r"\s*[.;,]?\s*$", re.I)


# "... was also found to require improvement.", "found child protection to be 'inadequate'": a grade the
# sentence closes on
_FOUND_GRADE = re.compile(r"\b(?:found|judged|deemed|considered|assessed)\s+(?:[\w’'-]+\s+){0,10}?(?:to\s+(?:be\s+)?|as\s+)"
                          r"['‘\"“]?(?:requires?|require|required) improvement(?: to be good)?|\b(?:found|judged|deemed|"
                          r"considered|assessed)\s+(?:[\w’'-]+\s+){0,10}?to\s+be\s+(?:rated\s+)?['‘\"“]?"
                          r"(?:good|outstanding|inadequate|adequate)['’\"”]?(?:\s+overall)?\s*[.;]?['’\"”]?\s*$", re.I)


def _judgement_only(text: str) -> bool:
    """A sentence that only states grades ("rated good", "judged inadequate") is a judgement."""
    lex = _lex()
    for graded in (_GRADED_BODY, _FOUND_GRADE):
        if graded.search(text) and polarity(_blank(text, graded)) is None:
            return True
    if _GRADE_LIST.search(text):
        rest = _blank(_blank(text, _GRADE_LIST), lex["neutral"])
        if polarity(rest) is None:
            return True
    if not lex["grade_after_rating"].search(text):
        return False
    stripped = _blank(text, lex["grade_after_rating"])
    stripped = re.sub(r"\b(?:top|lowest|overall|rating|grade)\b", " ", stripped, flags=re.I)
    return polarity(stripped) is None


# --------------------------------------------------------------------------- cues


@dataclass
class Cue:
    start: int  # where the finding's row starts (the reporting clause's subject, or the sentence)
    end: int
    scope: tuple  # (start, end) of the words the polarity is read from
    kind: str
    lead: float = 0.0  # what the reporting verb itself says ("praised", "criticised")
    turn: Optional[tuple] = None  # (end of the first clause, start of the second) around a parenthetical attribution


def _inspector_names(text: str, person_texts: list) -> tuple:
    """Surnames of people the text introduces as inspectors ("Lead inspector Matt Reed"), where the
    words after "inspector" are a person the NER found."""
    names = set()
    for m in re.finditer(r"\b(?:[Ll]ead|[Ss]enior|[Ss]ocial [Cc]are|Ofsted)?\s*(?<![Cc]hief )[Ii]nspector,?\s+"
                         r"((?:[A-Z][\w’'-]+\s+){0,2}[A-Z][\w’'-]+)", text):
        if any(m.group(1) in p or p in m.group(1) for p in person_texts):
            names.add(m.group(1).split()[-1])
    return tuple(sorted(names))


@lru_cache(maxsize=64)
def _subject_regex(names: tuple):
    """Inspectors or their report as the subject of a reporting verb; ``names`` adds the surnames of
    inspectors the text names."""
    lex = _lex()
    people = ""
    if names:
        people = "|" + "|".join(rf"(?:(?:lead |senior )?inspector\s+)?(?:(?:Mr|Mrs|Ms|Dr)\.?\s+|[A-Z][\w’'-]+\s+)?{re.escape(n)}"
                                for n in names)
    return re.compile(rf"\b(?P<subj>{lex['subj_alt']}{people}|they|it|he|she)\b{_MID}\s+(?P<verb>{lex['verbs_alt']})\b"
                      rf"(?:\s+in (?:its|their|the) report)?(?:\s+that\b)?[:,]?", re.I)


class FindingScene:
    """What the cues need about one document, on top of the extraction context's layout."""

    def __init__(self, doc, document: Document, quotes: list, lay=None):
        self.text = document.text
        self.lay = lay if lay is not None else layout(self.text)
        self.spacy = doc
        person_texts = [e.text for e in getattr(doc, "ents", ()) if e.label_ == "PERSON"]
        self.inspectors = _inspector_names(self.text, person_texts)
        self.cue = _subject_regex(self.inspectors)
        self.persons = [(e.start_char, e.end_char) for e in getattr(doc, "ents", ())
                        if e.label_ == "PERSON" and not _lex()["subject"].search(e.text)]
        spans = sorted((q for q in quotes if q.evidence is not None), key=lambda q: q.evidence.start)
        inside = lambda q: any(o is not q and o.evidence.start <= q.evidence.start  # noqa: E731
                               and q.evidence.end <= o.evidence.end for o in spans)
        # Ofsted's words quoted inside someone's quotation: findings of their own, but no one's voice for a
        # sentence (the quotation around them is the speaker's)
        self.nested = [q for q in spans if inside(q)]
        self.quotes = [q for q in spans if not inside(q)]
        self._quote_starts = [q.evidence.start for q in self.quotes]
        spans = doc.spans["councils"] if hasattr(doc, "spans") and "councils" in doc.spans else []
        # a council named after "with", "and", "from" is a partner or a comparison, not the subject
        self.councils = sorted((c.start_char, c.kb_id_) for c in spans if c.kb_id_ and not re.search(
            r"\b(?:with|and|alongside|from|than|to|like)\s+(?:the\s+)?$", self.text[max(0, c.start_char - 20):c.start_char],
            re.I))
        self._council_starts = [c[0] for c in self.councils]

    def opens_with_verb(self, start: int) -> bool:
        """The clause at ``start`` opens with its verb ("but remains inconsistent"): it shares
        the subject of the clause before, so the two are one statement."""
        if not hasattr(self.spacy, "char_span"):
            return False
        span = self.spacy.char_span(start, min(len(self.text), start + 40), alignment_mode="expand")
        toks = [t for t in span if not t.is_punct][:2] if span is not None else []
        while toks and toks[0].pos_ == "ADV":
            toks = toks[1:]
        return bool(toks) and toks[0].pos_ in ("VERB", "AUX")

    def inspectors_speak(self, quote) -> bool:
        """A quotation in the inspectors' voice: Ofsted's or a named inspector's."""
        return quote is not None and (quote.speaker == OFSTED or quote.speaker.split()[-1] in self.inspectors)

    def quote_at(self, start: int, end: int):
        """The extracted quotation overlapping text[start:end], if any."""
        i = bisect_right(self._quote_starts, end - 1) - 1  # quotations do not overlap
        if i >= 0 and start < self.quotes[i].evidence.end:
            return self.quotes[i]
        return None

    def council_in(self, a: int, b: int):
        """GSS code of the first council named in text[a:b], or None."""
        i = bisect_left(self._council_starts, a)
        return self.councils[i][1] if i < len(self.councils) and self.councils[i][0] < b else None


def _context_has_inspection(d: FindingScene, idx: int) -> bool:
    """This sentence, the one before, or its paragraph speaks of inspectors or the report."""
    s0, s1, para = d.lay.sents[idx]
    lo = d.lay.sents[idx - 1][0] if idx > 0 else s0
    ps, pe = d.lay.paras[para]
    window = d.text[min(lo, ps):max(s1, pe)]
    return bool(_lex()["subject"].search(window))


def _refers_to_inspection(d: FindingScene, idx: int, pos: int) -> bool:
    """"they"/"it" at ``pos`` stands for inspectors or their report: the last subject-like mention in
    this or the previous sentence is theirs, and no person is named after it."""
    lo = d.lay.sents[idx - 1][0] if idx > 0 else d.lay.sents[idx][0]
    found = list(_lex()["subject"].finditer(d.text, lo, pos))
    if not found:
        return False
    last = found[-1].end()
    return not any(last <= a < pos for a, _ in d.persons)


def _refers_to_inspector(d: FindingScene, idx: int, pos: int) -> bool:
    """"he"/"she" at ``pos`` is an inspector: the last person or inspection subject named in this or
    the previous sentence is a named inspector or "the (lead) inspector"."""
    lo = d.lay.sents[idx - 1][0] if idx > 0 else d.lay.sents[idx][0]
    person = next((p for p in reversed(d.persons) if lo <= p[0] < pos), None)
    subject = next(reversed(list(_lex()["subject"].finditer(d.text, lo, pos))), None)
    if person is not None and (subject is None or person[0] > subject.start()):
        return any(d.text[person[0]:person[1]].split()[-1] == n for n in d.inspectors)
    return subject is not None and re.search(r"\binspector\b", subject.group(), re.I) is not None


_SUBORDINATE = re.compile(r"[–—(:]\s*|\b(?:after|when|while|whilst|because|since|although|though|once|until|where|"
                          r"following|said|says|added|told|stated|explained|reported|noted)(?:\s+that)?\s+", re.I)


def _clause_start(mask: str, s0: int, pos: int) -> int:
    """Start of the clause holding a passive verb at ``pos``: after the last subordinator, reporting
    verb or dash (not a comma or "and": a passive's subject may be a list)."""
    cut = 0
    for m in _SUBORDINATE.finditer(mask[s0:pos]):
        cut = m.end()
    return s0 + cut


def _lead(verb: str) -> float:
    """The sign a reporting verb carries on its own (its line in reporting_verbs.jsonl, else its words)."""
    sign = sign_of(verb)
    if sign:
        return float(sign)
    return max(-1.0, min(1.0, _score(verb)))


_TURN_WORD = re.compile(r"(?:although|though|but|while|whilst|however|yet|whereas)\b", re.I)
# what may follow a sentence-final attribution: when and why it was said, not what
_AFTER_ATTRIBUTION = re.compile(r"\s*(?:after|following|when|as|in (?:its|their|a|the) (?:latest |new )?(?:report|letter|"
                                r"inspection|visit)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|today|"
                                r"yesterday|this week|last (?:week|month))\b", re.I)


def _second_verb(d: FindingScene, cue: Cue) -> Optional[tuple]:
    """(end of the first clause, start of the second, polarity of each) when the subject of an active
    reporting clause goes on to a second reporting verb that evaluates the other way ("inspectors
    praised the fostering team but criticised delays in adoption"), else None."""
    lex = _lex()
    a, b = cue.scope
    m = re.search(rf"(?:,\s*|\s+)(?:but|and|while|whilst|although|though|yet)\s+(?:also\s+|then\s+)?"
                  rf"(?P<verb>{lex['verbs_alt']})\b", d.lay.mask[a:b], re.I)
    if m is None or words(d.text[a:a + m.start()]) < 2 or words(d.text[a + m.end():b]) < 2:
        return None
    lead2 = _lead(m.group("verb"))
    if not cue.lead or not lead2 or cue.lead * lead2 > 0:
        return None  # only verbs that themselves praise and criticise turn the sentence round
    p1 = polarity(d.text[a:a + m.start()], cue.lead)
    p2 = polarity(d.text[a + m.end():b], lead2)
    if p1 and p2 and p1 != p2:
        return a + m.start(), a + m.start("verb"), p1, p2
    return None


def _find_cue(d: FindingScene, idx: int, chained: bool = False) -> Optional[Cue]:
    """The reporting clause of sentence ``idx``; ``chained``: the sentence before was the report's."""
    lex = _lex()
    s0, s1, _ = d.lay.sents[idx]
    mask = d.lay.mask[s0:s1]
    for m in d.cue.finditer(mask):
        subj = m.group("subj").lower()
        if subj in ("they", "it") and not _refers_to_inspection(d, idx, s0 + m.start()):
            continue
        if subj in ("he", "she") and not _refers_to_inspector(d, idx, s0 + m.start()):
            continue
        if subj == "inspection" and not _context_has_inspection(d, idx):
            continue
        if subj == "it" and re.match(r"\s+(?:is|was)\b", mask[m.end("subj"):]):
            continue
        between = mask[m.end("subj"):m.start("verb")]
        if not between.strip() and (re.search(r"['’]s?$", subj) or (m.group("verb").lower().endswith("ing") and not
                                                                     re.search(r"\bwith\s+$", mask[:m.start()], re.I))):
            # "Ofsted's remarks", "the report's findings": a possessive makes the word after it a noun;
            # "a report recognising ...": a participle right after its noun describes it, nobody reports
            # (but "..., with inspectors saying ...")
            continue
        if _first_person(mask[:m.start()]):
            continue  # "I would describe Ofsted's ...": the speaker's own view of the report
        if re.search(r"\b(?:whether|if)\s+$", mask[:m.start()], re.I):
            continue  # "asked whether Ofsted had found ...": a question, not what inspectors found
        verb_end = s0 + m.end()
        after = d.text[verb_end:s1]
        lead = _lead(m.group("verb"))
        if re.search(r"\b(?:which|who|whom)\s*$", mask[:m.start()], re.I):
            # "good practice in adoption, which the inspectors said was well led": the whole sentence
            return Cue(s0, s1, (s0, s1), "relative", lead)
        before = d.text[s0:s0 + m.start()]
        if words(before) >= 3 and re.search(r",\s*$", before) and words(after) >= 3 and \
                re.match(r"\s*,", d.text[s0 + m.end("verb"):s1]):
            # "Caseloads were high, they noted, well above the target.": an attribution inside the sentence;
            # "X, the letter said, although Y": two statements, each its own finding
            rest = s0 + m.end("verb") + re.match(r"\s*,\s*", d.text[s0 + m.end("verb"):s1]).end()
            turn = (s0 + len(before.rstrip(" ,")), rest) if _TURN_WORD.match(d.text[rest:s1]) else None
            return Cue(s0, s1, (s0, s1), "parenthetical", lead, turn)
        if words(before) >= 5 and re.search(r",\s*$", before) and _AFTER_ATTRIBUTION.match(after):
            # "..., Ofsted has warned after its inspection.": the attribution closes the sentence
            return Cue(s0, s1, (s0, s0 + m.start()), "trailing", lead)
        if words(after) >= 3:
            return Cue(s0 + m.start(), s1, (verb_end, s1), "active", lead)
        if words(before) >= 3:
            return Cue(s0, s1, (s0, s0 + m.start()), "trailing", lead)
    m = lex["copula"].search(mask)
    if m and not _other_voice(d, s0, s1):
        return Cue(s0, s1, (s0 + m.start("adj"), s0 + m.end("adj")), "copula")
    m = lex["according"].search(mask)
    if m:
        before = d.text[s0:s0 + m.start()]
        if words(before) >= 3:
            return Cue(s0, s1, (s0, s0 + m.start()), "according")
        return Cue(s0, s1, (s0 + m.end(), s1), "according")
    m = lex["passive_reporting"].search(mask)
    if m and (chained or lex["subject"].search(mask, m.end())):
        # "It was also stated that ..." carries on the report; "It was noted that ..." after an officer's
        # account in minutes is the meeting's own record, unless it names the inspectors
        return Cue(s0 + m.start(), s1, (s0 + m.end(), s1), "passive_reporting")
    m = lex["agent"].search(mask)
    if m:
        start = _clause_start(d.lay.mask, s0, s0 + m.start())
        return Cue(start, s1, (start, s1), "agent")
    m = lex["nominal"].search(mask)
    if m and _context_has_inspection(d, idx):
        return Cue(s0 + m.start(), s1, (s0 + m.start(), s1), "nominal")
    m = lex["passive"].search(mask)
    if m and re.search(r"\b(?:will|would|could|should|may|might|must|to)\s+$", mask[:m.start()], re.I):
        m = None  # "would be considered by the committee": what may happen, not what inspectors found
    if m and _context_has_inspection(d, idx):
        start = _clause_start(d.lay.mask, s0, s0 + m.start())
        # the subject of the passive starts the clause: "the local authority was found to ..."
        return Cue(start, s1, (start, s1), "passive")
    return None


# --------------------------------------------------------------------------- lists

_ANNOUNCES_POINTS = re.compile(r"\b(?:main|key|principal) (?:points|findings|messages)\b|\b(?:points|findings|conclusions) "
                               r"(?:of|in|from) (?:the|its|their)\b|\bthe following\b", re.I)


def _list_items(d: FindingScene, idx: int) -> list:
    """(start, end, polarity) of the items of a list the sentence announces as the report's."""
    lex = _lex()
    s0, s1, para = d.lay.sents[idx]
    sent = d.lay.mask[s0:s1]
    colon = sent.rfind(":")
    if colon < 0:
        return []
    head = sent[:colon]
    if not (lex["subject"].search(head) or _context_has_inspection(d, idx)):
        return []
    if lex["improvement_lists"].search(head):
        pol = "weakness"
    elif lex["strength_lists"].search(head):
        pol = "strength"
    elif lex["subject"].search(head) and (_ANNOUNCES_POINTS.search(head[-80:]) or _reports_at_end(d, head)):
        # "the main points of the letter:", "Ofsted had stated that:": each item carries its own polarity
        pol = None
    else:
        return []
    items = []
    tail_start = s0 + colon + 1
    if words(d.text[tail_start:s1]) >= 3:
        pos = tail_start
        for part in re.split(r";", d.text[tail_start:s1]):
            lead = re.match(r"[\s\u00a0]*(?:(?:and|or)\s+)?", part).end()
            a = pos + lead
            b = pos + len(part.rstrip(" .\u00a0"))
            pos += len(part) + 1
            seg = d.text[a:b]
            seg_trim = re.sub(r"\s+and\s*$", "", seg)
            b = a + len(seg_trim)
            if words(seg_trim) >= 2:
                items.append((a, b, pol))
        return _own_polarity(d, items) if pol is None else items
    # bullets in the following paragraphs
    for j in range(idx + 1, len(d.lay.sents)):
        a, b, p = d.lay.sents[j]
        raw = d.text[d.lay.paras[p][0]:d.lay.paras[p][1]]
        bullet = re.match(r"\s*(?:[·•▪●◦*–-]|\(?(?:\d{1,2}|[a-z])[.)])\s", raw)
        fragment = p == para + 1 and words(raw) <= 15 and not re.search(r"[.!?:]\W*$", raw)
        if not (bullet or fragment) or words(raw) > 40:
            break
        a += re.match(r"(?:[·•▪●◦*–-]|\(?(?:\d{1,2}|[a-z])[.)])?\s*", d.text[a:b]).end()
        if words(d.text[a:b]) >= 2:
            items.append((a, b, pol))
        para = p
    return _own_polarity(d, items) if pol is None else items


def _reports_at_end(d: FindingScene, head: str) -> bool:
    """A list's lead-in closes on inspectors or their report as subject of a reporting verb ("In its
    letter, Ofsted had stated that:"), not on someone else's ("..., the chief executive said:")."""
    head = head.rstrip()
    for m in d.cue.finditer(head):
        if m.end() >= len(head) - 1 and m.group("subj").lower() not in ("they", "it", "he", "she"):
            return words(head[m.end("subj"):m.start("verb")]) <= 3
    return False


def _own_polarity(d: FindingScene, items: list) -> list:
    """Items of a neutral list, each with the polarity of its own words; those with none dropped."""
    scored = [(a, b, polarity(d.text[a:b])) for a, b, _ in items]
    return [it for it in scored if it[2] is not None]


# --------------------------------------------------------------------------- extraction


def _first_person(text: str) -> bool:
    return bool(_lex()["first_person"].search(text))


def _quote_led(d: FindingScene, s0: int, s1: int):
    """The quote span a sentence opens with and that makes up most of it, or None."""
    for span in d.lay.spans_from(s0, s1):
        if not d.text[s0:span.open].strip(" \t\u00a0·•*-–"):
            inner = words(d.text[span.start:min(span.end, s1)])
            if inner >= 0.6 * max(1, words(d.text[s0:s1])):
                return span
    return None


_VOICE = re.compile(r"\b(?:he|she|the (?:local )?(?:council|authority)|(?:[A-Z][\w’'-]+\s+){1,3}Council|"
                    r"(?:council )?spokes(?:man|woman|person)|members|councillors?|the (?:cabinet|committee)|"
                    r"(?:the )?(?:director|leader|chief executive|mayor|minister|portfolio holder)\b[^,.;]{0,60}?)"
                    r"(?:\s+(?:also|had|has|have|then|later))*\s+(?:said|says|added|adds|told|stated|explained|"
                    r"commented|responded|replied|found|highlighted|noted|recognised|acknowledged|welcomed|"
                    r"insisted|admitted|confirmed|reported|thanked)\b", re.I)


def _other_voice(d: FindingScene, s0: int, s1: int) -> bool:
    """Someone other than the inspectors speaks in this sentence: a named person, a council body or
    he/she as subject of a reporting verb, a first-person pronoun, or their quotation."""
    mask = d.lay.mask[s0:s1]
    if any(s0 <= a < s1 for a, _ in d.persons) and not d.cue.search(mask):
        return True
    if _VOICE.search(mask) or _first_person(mask):
        return True
    for span in d.lay.spans_from(s0, s1):
        q = d.quote_at(span.start, span.end)
        if q is not None and not d.inspectors_speak(q):
            return True
    return False


def _council(d: FindingScene, s0: int, s1: int, fallback):
    return d.council_in(s0, s1) or fallback


class FindingExtractor(Extractor):
    """Inspectors' findings; reads the quotations found before it (Ofsted's words are findings)."""

    name, assigns, requires = "findings", "findings", ("quotes",)

    def __call__(self, ctx) -> list:
        return extract_findings(ctx)


def extract_findings(ctx) -> list:
    """The inspectors' findings of one document (an :class:`~kg.extract.context.ExtractionContext`
    whose quotes are found), each with its polarity and the area its sentence names."""
    lex = _lex()
    document, main_council = ctx.document, ctx.main_council
    d = ctx.memo("findings.scene", lambda: FindingScene(ctx.doc, document, ctx.quotes, ctx.layout))
    text = d.text
    main = main_council[0] if main_council else None
    findings: list = []
    seen: set = set()
    taken: list = []  # sorted (start, end) of the findings so far
    last_council = main
    chain_para = None  # paragraph of the last finding, while a report summary runs on

    def add(start: int, end: int, pol: str, council) -> bool:
        ev = evidence(document, start, end)
        ev_text = ev.text.rstrip(" ,;:")
        if not ev_text or words(ev_text) < 3 or vacuous(ev_text):
            return False
        key = (ev.start, ev.start + len(ev_text))
        i = bisect_right(taken, key)
        if key in seen or any(a <= key[0] and key[1] <= b for a, b in taken[max(0, i - 4):i]):
            return False  # already inside a finding
        seen.add(key)
        insort(taken, key)
        ev = evidence(document, key[0], key[1])
        findings.append(Finding(council_gss=council, polarity=pol, text=ev.text, evidence=ev))
        return True

    def para_council(idx: int):
        s0, s1, para = d.lay.sents[idx]
        ps = d.lay.paras[para][0]
        return _council(d, ps, s1, None)

    list_until = -1
    neutral_run = 0  # plain sentences the report summary ran through since its last finding
    headline_end = _headline_end(text)
    for idx, (s0, s1, para) in enumerate(d.lay.sents):
        if s1 <= headline_end:
            continue  # a headline restates the story; the findings are in its body
        sent_words = words(text[s0:s1])
        if _RELATED_LINK.fullmatch(text[d.lay.paras[para][0]:d.lay.paras[para][1]].strip("\n")):
            continue  # "- Ofsted finds serious failures in X (September 2022)": a link to another story
        council = _council(d, s0, s1, None) or para_council(idx) or last_council or main
        if idx <= list_until:
            continue
        # a list of the report's areas for improvement or strengths
        items = _list_items(d, idx)
        if items:
            for a, b, pol in items:
                add(a, b, pol, council)
            list_until = max(list_until, d.lay.sent_index(items[-1][0]) or idx)
            chain_para, last_council = d.lay.sents[list_until][2], council
            continue
        span = _quote_led(d, s0, s1)
        if span is not None:
            q = d.quote_at(span.start, span.end)
            inner = split_sentences(text, span.start, min(span.end, s1))
            found = False
            if d.inspectors_speak(q):
                for a, b in inner:
                    body = text[a:b]
                    if _first_person(body) or _judgement_only(body):
                        continue
                    pol = polarity(body)
                    if pol and add(a, b, pol, council):
                        found = True
            else:
                # someone else quoted: only a sentence that itself opens with the inspectors' verdict
                for a, b in inner:
                    body = text[a:b]
                    lead = re.match(r"\W*(?:(?:\w+ly|however|but|and|also),?\s+)?", body).end()
                    m = d.cue.match(body, lead)
                    if m is None or m.group("subj").lower() in ("they", "it", "he", "she") or _first_person(body):
                        continue
                    pol = polarity(body[m.start("verb"):])
                    if pol and add(a + m.start(), b, pol, council):
                        found = True
            if found:
                chain_para, last_council = para, council
            else:
                chain_para = None
            continue
        if sent_words > MAX_WORDS:
            chain_para = None
            continue
        cue = _find_cue(d, idx, chain_para is not None and para - chain_para <= 1)
        if cue is not None:
            body = text[cue.start:cue.end]
            scope = text[cue.scope[0]:cue.scope[1]]
            if _first_person(body) or _judgement_only(body) or (
                    cue.kind in ("passive", "agent", "nominal") and lex["intent"].search(body)):
                chain_para = None
                continue
            if lex["statistic"].search(scope) and words(scope) < 15:
                continue
            pol = polarity(scope, cue.lead)
            if pol is None or vacuous(body):
                # the report still speaks, without evaluating or without saying what of ("inspectors
                # recognised some positive practice:" leads into what they recognised)
                chain_para = para
                continue
            parts = mixed_clauses(text, cue.scope[0], cue.end, cue.lead)
            second = _second_verb(d, cue) if cue.kind == "active" else None
            if second is not None:
                # "Inspectors praised X but criticised Y": each verb its own finding
                end1, verb_at, p1, p2 = second
                added = add(cue.start, end1, p1, council)
                added = add(verb_at, cue.end, p2, council) or added
            elif cue.turn is not None:
                p1, p2 = polarity(text[cue.start:cue.turn[0]]), polarity(text[cue.turn[1]:cue.end])
                added = bool(p1) and add(cue.start, cue.turn[0], p1, council)
                added = (bool(p2) and add(cue.turn[1], cue.end, p2, council)) or added
            elif parts and not d.opens_with_verb(parts[1][0]):
                # "X, however Y": each clause its own finding; the first from the reporting clause
                (_, b1, p1), (a2, b2, p2) = parts
                added = add(cue.start, b1, p1, council)
                added = add(a2, b2, p2, council) or added
            else:
                added = add(cue.start, cue.end, pol, council)
            if added:
                chain_para, last_council, neutral_run = para, council, 0
            continue
        if _heading(text, d.lay.paras[para]):
            if chain_para is not None and para - chain_para <= 1:
                chain_para = para  # a subheading inside a report summary does not end it
            continue
        # the report summary runs on: the next sentence, same or next paragraph, nobody else's voice
        if chain_para is not None and para - chain_para <= 1 and not _other_voice(d, s0, s1):
            body = text[s0:s1]
            pol = None if (lex["grade_after_rating"].search(body) or lex["intent"].search(body)
                           or not lex["domain"].search(body) or not _terms(body)
                           or (lex["statistic"].search(body) and sent_words < 15)) else polarity(body)
            if pol is not None and add(s0, s1, pol, council):
                chain_para, last_council = para, council
                neutral_run = 0
                continue
            if pol is None and neutral_run == 0 and para == chain_para and lex["domain"].search(body) \
                    and not lex["intent"].search(body):
                neutral_run = 1  # one plain sentence of the summary ("They visit monthly.") does not end it
                continue
        chain_para = None
        neutral_run = 0
    # Ofsted's quoted words that no reporting sentence above carried
    for q in d.quotes + d.nested:
        if not d.inspectors_speak(q):
            continue
        for a, b in split_sentences(text, q.evidence.start, q.evidence.end):
            body = text[a:b]
            if _first_person(body) or _judgement_only(body) or words(body) < 4:
                continue
            pol = polarity(body)
            if pol:
                add(a, b, pol, _council(d, a, b, None) or main)
    for f in findings:
        f.area = named_area(f.text)
    return findings


def named_area(text: str) -> Optional[str]:
    """The one judgement area a sentence names ("care leavers were well supported"), else None:
    several areas, or only "overall", say nothing about which one the finding is on."""
    hits = []
    for p in _area_patterns():
        hits += [(m.start(), m.end(), p.code) for m in p.regex.finditer(text)]
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    taken: list = []
    for h in hits:  # longest first: "children in care and care leavers" is one area
        if all(h[1] <= t[0] or h[0] >= t[1] for t in taken):
            taken.append(h)
    codes = {code for _, _, code in taken} - {"overall"}
    return codes.pop() if len(codes) == 1 else None


@lru_cache(maxsize=1)
def _area_patterns() -> tuple:
    from ..nlp.patterns import load_patterns

    return tuple(p for p in load_patterns() if p.label == "AREA")


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# a line of a page's list of other stories: a title closing on the date in brackets, no full stop
_RELATED_LINK = re.compile(rf"[ \t]*(?:[-•·*][ \t]*)?[^\n.!?]{{10,200}}\((?:\d{{1,2}} )?(?:{_MONTHS}) (?:19|20)\d\d\)[ \t]*")


def _heading(text: str, para: tuple) -> bool:
    line = text[para[0]:para[1]].strip()
    return 0 < words(line) <= 10 and not re.search(r"[.!?:;][”\"’']?$", line)
