"""Direct quotations and who said them.

The grammar of news and minutes, not patterns fitted to sentences:

- quote marks, curly or straight, double or single, delimit the words; a
  paragraph that leaves its quote open and a next paragraph that reopens the
  mark continue the same quotation (one row for the run);
- a single-quoted or short double-quoted phrase ('serious failures', "good")
  is a scare quote, not a quotation;
- the speaker is the subject of the reporting clause before the quote
  ("X said:", "inspectors found a “...”"), after it (", said X.", ", X added."),
  "according to X", a "X said:" line closing the paragraph before, or, for a
  paragraph that is nothing but a quote, the speaker of the quote just before;
- he/she is the last named person; they/it is Ofsted where inspectors or their
  report were the last subject; the report, inspectors, the watchdog are Ofsted;
  "the council" is the council.

Helpers here (paragraphs, quote spans, sentence splitting that keeps quotes
whole) are shared with the findings extractor.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..model import Document, Evidence, Quote
from ..nlp.lexicon import load_word_lists
from ..nlp.person_words import honorifics, pronouns
from ..nlp.reporting import forms as verb_forms
from .base import Extractor
from .text_utils import clean_person_name, evidence

DATA = Path(__file__).resolve().parent.parent / "data"
MIN_WORDS = 6  # fewer words between the marks and no reporting clause: a scare quote
MIN_PERSON_WORDS = 3  # the shortest quotation a reporting clause can give (the corpus convention: three words)
MAX_WORDS = 400  # one quotation row at most (the eval's limit)
OFSTED = "Ofsted"

# --------------------------------------------------------------------------- lexicons


def load_lexicon(path: Path, required: tuple) -> dict:
    """A JSON lexicon whose ``required`` keys are non-empty lists of valid regular expressions."""
    return load_word_lists(path, required)


def alternation(patterns) -> str:
    """One non-capturing group, longest alternatives first."""
    return "(?:" + "|".join(sorted(patterns, key=len, reverse=True)) + ")"


QUOTE_KEYS = ("finding_frames", "ofsted_speakers", "council_speakers", "relative_words", "report_nouns")


def first_person_regex() -> re.Pattern:
    """"I", "we", "our" ... as whole words, any case: the speaker's own voice (``kg/data/pronouns.json``,
    the one list of pronouns)."""
    p = pronouns()
    return re.compile(rf"(?<![\w’']){alternation(p['first_person'] + p['first_person_plural'])}(?![\w’'])", re.I)


@lru_cache(maxsize=1)
def _lex() -> dict:
    data = load_lexicon(DATA / "quotes_lexicon.json", QUOTE_KEYS)
    w = lambda key: re.compile(rf"\b{alternation(data[key])}\b", re.I)  # noqa: E731
    # the verbs' families from reporting_verbs.jsonl: "speech" verbs anyone uses, "finding" verbs inspectors use
    speech, finding = verb_forms("speech"), verb_forms("finding_quote") + data["finding_frames"]
    return {
        "speech": re.compile(rf"\b{alternation(speech)}\b", re.I),
        "finding": re.compile(rf"\b{alternation(finding)}\b", re.I),
        "verb": re.compile(rf"\b{alternation(speech + finding)}\b", re.I),
        "ofsted": w("ofsted_speakers"),
        "council": w("council_speakers"),
        "relative": {s.lower() for s in data["relative_words"]},
        "report_noun": w("report_nouns"),
        "first_person": first_person_regex(),
        "subject_pronoun": alternation(pronouns()["third_person_subject"]),
    }


# --------------------------------------------------------------------------- layout

DOUBLE_OPEN, DOUBLE_CLOSE, SINGLE_OPEN, SINGLE_CLOSE = "“", "”", "‘", "’"
QUOTE_CHARS = "“”‘’\"'«»"
_LEFT = set("([{—–-/:;,…") | set(QUOTE_CHARS)
_RIGHT = set(".,;:!?)]}—–-…") | set(QUOTE_CHARS)


@dataclass
class QSpan:
    """The words between one pair of quote marks (or from an opening mark to the paragraph end)."""

    open: int  # offset of the opening mark
    start: int  # content start
    end: int  # content end
    close: Optional[int]  # offset of the closing mark; None when the paragraph ends first
    kind: str  # "d" double, "s" single
    para: int

    @property
    def after(self) -> int:
        return self.close + 1 if self.close is not None else self.end


def paragraphs(text: str) -> list:
    """(start, end) of each non-blank line: after hard-wrap repair a line is a paragraph."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


def _word(ch: Optional[str]) -> bool:
    return ch is not None and ch.isalnum()


def _role(ch: str, prev: Optional[str], nxt: Optional[str], state) -> Optional[tuple]:
    left = prev is None or prev.isspace() or prev in _LEFT
    right = nxt is None or nxt.isspace() or nxt in _RIGHT
    if ch in "“«":
        return ("d", "close") if (right and not left and state) else ("d", "open")
    if ch in "”»":
        return ("d", "open") if (state is None and left and not right) else ("d", "close")
    if ch == '"':
        if state is not None and state[0] == "d":
            return ("d", "close")
        return ("d", "open") if (left and not right) else None
    if ch == SINGLE_OPEN:
        return None if (_word(prev) and _word(nxt)) else ("s", "open")
    if ch in "’'":
        if _word(prev) and _word(nxt):
            return None  # apostrophe: children’s, Ofsted's
        if state is not None and state[0] == "s" and prev is not None and not prev.isspace() and right:
            return ("s", "close")
        if left and _word(nxt):
            return ("s", "open")
    return None


_FUNCTION_WORDS = {
    "a", "an", "the", "and", "or", "but", "nor", "in", "on", "at", "to", "for", "with", "within", "by", "from", "of",
    "as", "is", "was", "were", "are", "be", "been", "has", "have", "had", "that", "which", "who", "across", "after",
    "before", "since", "because", "into", "over", "under", "while", "when", "where", "if", "than", "then", "so",
    "it", "its", "they", "their", "he", "she", "we", "this", "these", "those", "there", "not", "also", "said",
    "says", "according", "despite", "about", "among", "between", "through", "during", "until", "rating", "status",
    "label", "tag", "grade", "judgement", "verdict"}


def _possessive(rest: str) -> bool:
    """After "…s’": a plural possessive when a content word follows ("workers’ ability"), a closing
    quote mark when a function word, punctuation or nothing does ("failures' within")."""
    m = re.match(r" ([a-z][\w-]*)", rest)
    return bool(m) and m.group(1) not in _FUNCTION_WORDS


def _scan_paragraph(text: str, ps: int, pe: int, p_idx: int) -> list:
    out, state = [], None
    first = ps + (len(text[ps:pe]) - len(text[ps:pe].lstrip(" \t\u00a0·•*-–")))
    for i in range(ps, pe):
        ch = text[i]
        if ch not in QUOTE_CHARS:
            continue
        prev = text[i - 1] if i > ps else None
        nxt = text[i + 1] if i + 1 < pe else None
        role = _role(ch, prev, nxt, state)
        if role is None:
            continue
        kind, what = role
        if state is None:
            if what == "open":
                state = (kind, i)
            elif kind == "d" and not out:
                orphan = _orphan_close(text, ps, first, i, p_idx)
                if orphan is not None:
                    out.append(orphan)
            continue
        if kind == state[0] and what == "close":
            if kind == "s" and prev == "s" and _possessive(text[i + 1:pe]):
                continue  # "social workers’ ability": a plural possessive, not the closing mark
            out.append(QSpan(state[1], state[1] + 1, i, i, kind, p_idx))
            state = None
        elif kind == "d" == state[0] and what == "open" and ch == DOUBLE_OPEN:
            state = (kind, i)  # a new opening before any close: the earlier mark was stray
    if state is not None:
        kind, o = state
        # a single mark left open is an apostrophe unless it opens the paragraph, follows "said:",
        # or the text is cut off inside it
        if kind == "d" or o == first or text[ps:o].rstrip().endswith(":") or not text[pe:].strip():
            end = pe
            while end > o + 1 and text[end - 1].isspace():
                end -= 1
            out.append(QSpan(o, o + 1, end, None, kind, p_idx))
    return out


def _orphan_close(text: str, ps: int, first: int, close: int, p_idx: int) -> Optional[QSpan]:
    """A closing double mark with no opening one: the quotation runs from the colon that
    introduces it ('Ofsted said: Leaders act quickly.”'), or from the paragraph's start when the
    paragraph before ends with one ('X said:' then a paragraph of their words)."""
    colon = text.rfind(":", first, close)
    sent = max(text.rfind(". ", first, close), text.rfind("? ", first, close), text.rfind("! ", first, close))
    verb = None
    if colon < 0:
        # "the lead inspector wrote that leaders act quickly.”": from the reporting verb of its sentence
        verb = next(reversed(list(_lex()["verb"].finditer(text, max(first, sent + 1), close))), None)
    if colon >= 0:
        start = colon + 1
    elif verb is not None and re.match(r"\s+that\s", text[verb.end():close]):
        start = verb.end() + re.match(r"\s+that\s", text[verb.end():close]).end()
    else:
        before = text[:ps].rstrip()
        if not before.endswith(":"):
            return None
        start = first
    while start < close and text[start].isspace():
        start += 1
    if len(text[start:close].split()) < 3:
        return None
    return QSpan(start, start, close, close, "d", p_idx)


def quote_spans(text: str) -> list:
    spans = []
    for p_idx, (ps, pe) in enumerate(paragraphs(text)):
        spans.extend(_scan_paragraph(text, ps, pe, p_idx))
    return spans


def masked(text: str, spans: list) -> str:
    """The text with every quote's words blanked to 'x' (same length), so quoted full stops
    and verbs do not count as the narrative's."""
    chars = list(text)
    for s in spans:
        end = s.end
        while end > s.start and text[end - 1] in ".!?…,":
            end -= 1  # the quote's closing full stop still ends the narrative's sentence
        for i in range(s.start, end):
            if not chars[i].isspace():
                chars[i] = "X" if chars[i].isupper() else "x"  # case kept: "But" still starts a sentence
    return "".join(chars)


_ABBREV = {"mr", "mrs", "ms", "dr", "st", "cllr", "coun", "no", "prof", "rev", "sr", "jr", "vs", "etc", "inc", "ltd",
           "co", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "gov", "approx",
           "cf", "fig", "p", "pp", "para", "e.g", "i.e", "cllrs", "hon", "rt"}
_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9•·])")
_BULLET = re.compile(r"(?:^|\s)([·•▪●◦]|(?<![\d.,])\d{1,2}\.(?=\s+[A-Z]))\s+")


def split_sentences(text: str, start: int, end: int, mask: Optional[str] = None) -> list:
    """(start, end) of the sentences in text[start:end]; boundaries are read on ``mask``
    (quote words blanked) so a quotation stays inside its sentence."""
    probe = (mask or text)[start:end]
    cuts = [0]
    for m in _END.finditer(probe):
        if m.group().strip() == "":
            continue
        word = re.search(r"([\w.]+)[.!?…]*[\"”’')\]]*$", probe[max(0, m.start() - 40):m.end()])
        if word and probe[m.start()] == "." and word.group(1).lower().rstrip(".") in _ABBREV:
            continue
        if word and probe[m.start()] == "." and re.fullmatch(r"[A-Z]", word.group(1).rstrip(".")):
            continue  # an initial
        cuts.append(m.end())
    for m in _BULLET.finditer(probe):
        cuts.append(m.start(1))
    cuts = sorted(set(cuts)) + [len(probe)]
    out = []
    for a, b in zip(cuts, cuts[1:]):
        seg = text[start + a:start + b]
        lead = len(seg) - len(seg.lstrip(" \t\u00a0·•▪●◦"))
        s, e = start + a + lead, start + b
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


@dataclass
class Layout:
    """Paragraphs, quote spans and sentences of a text, with offset indexes (bisect, so that a
    long set of minutes costs no more per sentence than a short article)."""

    text: str
    paras: list
    spans: list
    mask: str
    sents: list  # (start, end, para index)

    def __post_init__(self):
        self._para_starts = [p[0] for p in self.paras]
        self._sent_starts = [s[0] for s in self.sents]
        self._span_opens = [s.open for s in self.spans]

    def para_of(self, pos: int) -> int:
        i = bisect_right(self._para_starts, pos) - 1
        return i if i >= 0 and pos < self.paras[i][1] else -1

    def sent_index(self, pos: int) -> Optional[int]:
        """Index of the sentence holding ``pos``."""
        i = bisect_right(self._sent_starts, pos) - 1
        return i if i >= 0 and pos < self.sents[i][1] else None

    def spans_from(self, a: int, b: int) -> list:
        """Quote spans whose opening mark lies in [a, b)."""
        return self.spans[bisect_left(self._span_opens, a):bisect_left(self._span_opens, b)]


def layout(text: str) -> Layout:
    spans = quote_spans(text)
    mask = masked(text, spans)
    paras = paragraphs(text)
    sents = []
    for i, (ps, pe) in enumerate(paras):
        sents.extend((s, e, i) for s, e in split_sentences(text, ps, pe, mask))
    return Layout(text, paras, spans, mask, sents)


def words(s: str) -> int:
    return len(re.findall(r"\w+", s))


# --------------------------------------------------------------------------- speakers


class Persons:
    """Where each named person is mentioned: full names, surnames, honorific + surname."""

    def __init__(self, doc, text: str, people: list, resolver):
        self.roles = {p.name: p.role_category for p in people}
        found: dict = {}
        for p in people:
            parts = p.name.split()
            forms = {p.name}
            if len(parts) > 1 and len(parts[-1]) > 2:
                forms.add(parts[-1])
            for form in forms:
                for m in re.finditer(rf"(?<![\w’']){re.escape(form)}(?![\w])", text):
                    found.setdefault(m.start(), (m.start(), m.end(), p.name))
        named = sorted(found.values())
        named_starts = [m[0] for m in named]

        def covered(pos: int) -> bool:
            i = bisect_right(named_starts, pos) - 1
            return i >= 0 and named[i][1] > pos

        for ent in getattr(doc, "ents", ()):
            if ent.label_ != "PERSON":
                continue
            name = resolver(ent.text) if resolver else None
            if name is None:
                cleaned = clean_person_name(ent.text)
                if len(cleaned.split()) >= 2 and cleaned[0].isupper():
                    name = cleaned
            if name and not covered(ent.start_char):
                found[ent.start_char] = (ent.start_char, ent.end_char, name)
        self.mentions = sorted(found.values())
        self._starts = [m[0] for m in self.mentions]
        self.gender = _genders(text, self.mentions)

    def within(self, a: int, b: int) -> list:
        i = bisect_left(self._starts, a)
        out = []
        while i < len(self.mentions) and self.mentions[i][0] < b:
            if self.mentions[i][1] <= b:
                out.append(self.mentions[i])
            i += 1
        return out

    def last_before(self, pos: int) -> Optional[tuple]:
        i = bisect_right(self._starts, pos) - 1
        while i >= 0 and self.mentions[i][1] > pos:
            i -= 1
        return self.mentions[i] if i >= 0 else None


@lru_cache(maxsize=1)
def _gender_words() -> tuple:
    """(masculine, feminine) honorifics before a name and pronouns, as regular expressions."""
    h, p = honorifics(), pronouns()
    hon = {g: re.compile(rf"(?<![\w’']){alternation(h[g])}\s+$") for g in ("masculine", "feminine")}
    pro = {g: re.compile(rf"(?<![\w’']){alternation(p[g])}(?![\w’'])") for g in ("masculine", "feminine")}
    return hon, pro


def _genders(text: str, mentions: list) -> dict:
    """Name -> "masculine" | "feminine" where the text tells: an honorific before any mention ("Mrs
    Lowe"), else the pronouns of the one sentence that names only that person ("Jo Hart thanked her
    team"); a name with evidence both ways is left unknown."""
    hon, pro = _gender_words()
    seen: dict = {}
    for s, e, name in mentions:
        for g, rx in hon.items():
            if rx.search(text, max(0, s - 12), s):
                seen.setdefault(name, set()).add(g)
    told = dict((n, gs.pop()) for n, gs in seen.items() if len(gs) == 1)
    unquoted = masked(text, quote_spans(text))
    by_sentence: dict = {}
    for s, e, name in mentions:
        a = max(unquoted.rfind(". ", 0, s), unquoted.rfind("\n", 0, s)) + 1
        by_sentence.setdefault(a, set()).add(name)
    pron: dict = {}
    for a, names in by_sentence.items():
        if len(names) != 1:
            continue
        m = re.search(r"[.!?](?:\s|$)|\n", unquoted[a:])
        sentence = unquoted[a:a + (m.start() if m else len(unquoted))]
        gs = {g for g, rx in pro.items() if rx.search(sentence)}
        if len(gs) == 1:
            pron.setdefault(next(iter(names)), set()).update(gs)
    for n, gs in pron.items():
        if n not in told and n not in seen and len(gs) == 1:
            told[n] = next(iter(gs))
    return told


class Attribution:
    """Everything attribution needs about one document, on top of the extraction context's layout."""

    def __init__(self, doc, document: Document, people: list, resolver, lay: Optional[Layout] = None):
        self.text = document.text
        self.doc = doc
        self.lay = lay if lay is not None else layout(self.text)
        self.persons = Persons(doc, self.text, people, resolver)
        self.council_name = _main_council_name(doc, self.text)
        lex = _lex()
        self.orgs = [(e.start_char, e.end_char, re.sub(r"^the\s+", "", e.text, flags=re.I))
                     for e in getattr(doc, "ents", ()) if e.label_ == "ORG" and not lex["ofsted"].search(e.text)]
        self.ofsted_mentions = [m.start() for m in lex["ofsted"].finditer(self.lay.mask)]


def _main_council_name(doc, text: str) -> Optional[str]:
    spans = list(getattr(doc, "spans", {}).get("councils", [])) if hasattr(doc, "spans") else []
    if not spans:
        return None
    counts = Counter(s.kb_id_ for s in spans if s.kb_id_)
    if not counts:
        return None
    gss = counts.most_common(1)[0][0]
    forms = [s.text for s in spans if s.kb_id_ == gss]
    full = [f for f in forms if re.search(r"\bCouncil$", f)]
    if full:
        return max(full, key=len)
    try:
        from ..nlp.gazetteer import default_gazetteer

        council = default_gazetteer().councils.get(gss)
        if council:
            named = [n for n in council.names if n.endswith("Council")]
            return named[0] if named else f"{council.name} Council"
    except Exception:  # pragma: no cover - the gazetteer is optional here
        pass
    return f"{forms[0]} Council"


@lru_cache(maxsize=1)
def _pronoun_subject() -> re.Pattern:
    """A subject pronoun (``pronouns.json``) right before the reporting verb, auxiliaries between."""
    return re.compile(rf"\b({_lex()['subject_pronoun']})\s+(?:(?:also|later|then|further|have|has|had|would|was|is|"
                      rf"were|been|did|does|do|will|could|can|previously|clearly|however|went on to)\s+)*$", re.I)
_ADVERBS = {"also", "later", "then", "further", "previously", "clearly", "however", "have", "has", "had", "would",
            "repeatedly", "often", "rightly", "recently", "once", "again", "now", "today", "yesterday", "both",
            "all", "had", "did", "does", "do", "will", "could", "can", "may", "might", "last", "this", "week"}
_DETERMINERS = {"a", "an", "the", "its", "their", "this", "that", "his", "her", "our", "these", "those", "whose",
                "of", "in", "to", "for", "on", "with", "my", "your"}
_ACCORDING = re.compile(r"\baccording to\s+((?:[\w’'-]+\s*){1,8})", re.I)


def _word_before(s: str, pos: int) -> tuple:
    """(word, start) of the last word before ``pos`` skipping adverbs and auxiliaries."""
    i = pos
    while True:
        lo = max(0, i - 60)
        m = re.search(r"([\w’'-]+)[\s,]*$", s[lo:i])
        if not m:
            return "", -1
        w = m.group(1).lower()
        if w in _ADVERBS or w.endswith("ly") and len(w) > 4:
            i = lo + m.start(1)
            continue
        return w, lo + m.start(1)


class Speaker:
    """A resolved speaker: a person's name, Ofsted, or a council."""

    def __init__(self, name: str, how: str):
        self.name, self.how = name, how


_TITLE_CATEGORIES = {
    "cabinet member": {"cabinet_member_childrens"}, "lead member": {"cabinet_member_childrens"},
    "portfolio holder": {"cabinet_member_childrens"}, "executive member": {"cabinet_member_childrens"},
    "leader": {"leader"}, "deputy leader": {"deputy_leader"}, "chief executive": {"chief_executive"},
    "director": {"director_childrens_services"}, "strategic director": {"director_childrens_services"},
    "executive director": {"director_childrens_services"}, "mayor": {"elected_mayor"},
}
_TITLE_REFERENCE = re.compile(r"\b[Tt]he (" + "|".join(sorted(map(re.escape, _TITLE_CATEGORIES), key=len, reverse=True))
                              + r")\b(?!\s+(?:of|for)\s+(?!children|young people))", re.I)  # not "the Director of Public Health"


_LED_BY = re.compile(r"\b(?:led|chaired|headed) by\s+(?:(?:Her|His) Majesty['’]s Inspector\s+|HMI\s+|lead inspector\s+)?(?-i:[A-Z][\w’'-]+\s+){0,2}$",
                     re.I)


_ADDRESSEE = re.compile(r"\b(?:to|for|with|against|towards)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,4}$", re.I)


def _candidates(ctx: Attribution, a: int, b: int, finding_verb: bool, verb_at: int) -> Optional[Speaker]:
    """The speaker named in text[a:b], the subject side of a reporting verb at ``verb_at``."""
    if b <= a:
        return None
    seg = ctx.lay.mask[a:b]
    lex = _lex()
    m = _pronoun_subject().search(seg)
    if m:
        # "he added", "she continued": the one who spoke last goes on speaking
        goes_on = re.match(r"\s*(?:added|adds|continued|continues|went on)\b", ctx.lay.mask[verb_at:verb_at + 20], re.I)
        return _pronoun(ctx, m.group(1).lower(), a + m.start(1), bool(goes_on))
    # "the inspection team, led by Jo Hart, said": the leader named in a modifier is not the subject
    people = [p for p in ctx.persons.within(a, b) if not _LED_BY.search(ctx.text, max(a, p[0] - 30), p[0])]
    # "a letter to Sam Cole, the council leader, from Mary Finch said": whom it was written or said to
    # does not speak
    spoken_to = [p for p in people if _ADDRESSEE.search(ctx.text[max(a, p[0] - 60):p[0]])]
    if spoken_to and len(spoken_to) < len(people):
        people = [p for p in people if p not in spoken_to]
    if people:
        # the name right before the verb, else the first name (the head of "X, the ..., said")
        tight = [p for p in people if p[1] <= verb_at and (re.fullmatch(r"[\s,]*", ctx.text[p[1]:verb_at]) or
                 re.fullmatch(r"(?:['’]s)?[\s,]*", ctx.text[p[1]:verb_at]))]
        person = tight[-1] if tight else people[0]
        if person is not people[0] and re.match(r"\s*,", ctx.text[people[0][1]:person[0]]) \
                and "," in ctx.text[person[1]:verb_at]:
            # "Jo Hart, chief executive of the charity Next Steps, said": a name closing an apposition
            # is part of the description; the head of the phrase speaks
            person = people[0]
        if finding_verb and ctx.persons.roles.get(person[2]) != "ofsted_official":
            return None
        return Speaker(person[2], "name")
    # "The Cabinet Member replied:", "The Leader stated:": the one person the text gives that role
    titled = _TITLE_REFERENCE.search(seg)
    if titled and not finding_verb:
        holders = {n for n, cat in ctx.persons.roles.items() if cat in _TITLE_CATEGORIES[titled.group(1).lower()]}
        if len(holders) == 1:
            return Speaker(holders.pop(), "name")
    # the body named nearest the verb: "there was a review and the local authority found ..."
    bodies = [(m.end(), OFSTED, "noun") for m in lex["ofsted"].finditer(seg)]
    bodies += [(m.end(), None, "council") for m in lex["council"].finditer(seg) if not _governed(seg, m.start())]
    bodies += [(m.end(), m.group(1), "council") for m in re.finditer(r"((?:[A-Z][\w’'-]+\s+){1,4}Council)\b", ctx.text[a:b])
               if not _governed(seg, m.start())]
    bodies += [(e - a, name, "council" if re.search(r"\b(?:Council|Borough|County)\b", name) else "org")
               for s, e, name in ctx.orgs if a <= s and e <= b and not _governed(seg, s - a)]
    if not bodies:
        return None
    _, name, how = max(bodies, key=lambda x: (x[0], x[2] != "org"))
    if how in ("council", "org"):
        if finding_verb:
            return None
        if how == "org":
            return Speaker(name, "org")
        if name is None:
            name = ctx.council_name or _last_council(ctx.text, a)
        return Speaker(name or "the council", "council")
    return Speaker(OFSTED, "noun")


_PREPOSITION = re.compile(r"\b(?:in|on|at|of|for|from|to|with|by|across|within|into|about|than|like|under)\s+(?:the\s+)?$",
                          re.I)


def _governed(seg: str, pos: int) -> bool:
    """A body named after a preposition ("improvements in Hull City Council's services", "services on
    Teesside") is not the subject of the clause: it cannot be the speaker."""
    return bool(_PREPOSITION.search(seg[max(0, pos - 20):pos]))


def _last_council(text: str, pos: int) -> Optional[str]:
    """The last "X Council" named before ``pos`` (for "the council said" where the gazetteer knows none)."""
    found = re.findall(r"((?:[A-Z][\w’'-]+\s+){1,4}Council)\b", text[:pos])
    return found[-1].strip() if found else None


def _pronoun(ctx: Attribution, pronoun: str, at: int, goes_on: bool = False) -> Optional[Speaker]:
    if pronoun in ("he", "she"):
        gender = "masculine" if pronoun == "he" else "feminine"
        last = _pronoun_antecedent(ctx, gender, at)
        spoke = _last_speaker(ctx, at, gender) if goes_on else None
        if spoke and not (last and ctx.persons.gender.get(last[2]) == gender != ctx.persons.gender.get(spoke[2])):
            last = spoke  # unless only the one named since is known to be a "she" (or a "he")
        return Speaker(last[2], "pronoun") if last else None
    # they / it: Ofsted when inspectors or their report were the last subject, in this or the last two sentences
    sent_idx = ctx.lay.sent_index(at)
    if sent_idx is None:
        return None
    window_start = ctx.lay.sents[max(0, sent_idx - 2)][0]
    k = bisect_left(ctx.ofsted_mentions, at) - 1
    if k < 0 or ctx.ofsted_mentions[k] < window_start:
        return None
    last_ofsted = ctx.ofsted_mentions[k]
    last_person = ctx.persons.last_before(at)
    if last_person and last_person[0] > last_ofsted and pronoun == "they":
        return None
    return Speaker(OFSTED, "pronoun")


def _pronoun_antecedent(ctx: Attribution, gender: str, at: int) -> Optional[tuple]:
    """Who "he"/"she" at ``at`` is: the last person of that gender (or of none known) named as the subject
    of a sentence, or in a sentence where someone speaks; failing that the last such person named."""
    speech = _lex()["speech"]
    fits = lambda m: ctx.persons.gender.get(m[2], gender) == gender  # noqa: E731
    pos, fallback = at, None
    for _ in range(50):
        m = ctx.persons.last_before(pos)
        if m is None:
            break
        pos = m[0]
        if not fits(m) or _in_apposition(ctx, m):
            continue
        fallback = fallback or m
        i = ctx.lay.sent_index(m[0])
        if i is not None:
            s0, s1, _ = ctx.lay.sents[i]
            if speech.search(ctx.lay.mask, s0, s1) or _is_subject(ctx.doc, m[0], m[1]):
                return m
    return fallback


def _in_apposition(ctx: Attribution, mention: tuple) -> bool:
    """A name closing the description of the person before it ("Jo Hart, chief executive of the
    charity Next Steps, said"): the description's name is not who "he" or "she" is."""
    before = ctx.persons.last_before(mention[0])
    return before is not None and bool(re.fullmatch(r"\s*,[^,.;:!?\n]*", ctx.text[before[1]:mention[0]])) \
        and bool(re.match(r"\s*,", ctx.text[mention[1]:]))


def _is_subject(doc, start: int, end: int) -> bool:
    """Is the name at text[start:end] the subject of its clause: no verb before it in its sentence, or
    the parse says so, itself or through an apposition ("Jo Hart, the director, thanked staff")?"""
    if not hasattr(doc, "char_span"):
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    try:
        sent = span.sent
    except ValueError:  # a doc without sentence boundaries
        return False
    if not any(t.pos_ in ("VERB", "AUX") for t in doc[sent.start:span.start]):
        return True  # nothing but a title before it: "The council's director, Ann Lowe, ..."
    tok = span.root
    for _ in range(4):
        if tok.dep_ in ("nsubj", "nsubjpass"):
            return True
        if tok.dep_ not in ("compound", "appos", "flat", "conj") or tok.head is tok:
            return False
        tok = tok.head
    return False


def _last_speaker(ctx: Attribution, at: int, gender: Optional[str] = None) -> Optional[tuple]:
    """The last person named before ``at`` in a sentence where someone speaks (a reporting verb
    outside quotes); failing that, the last person named. With ``gender``: of that gender or of none
    known, and None rather than a fallback."""
    speech = _lex()["speech"]
    pos = at
    for _ in range(50):
        m = ctx.persons.last_before(pos)
        if m is None:
            break
        if gender is not None and (ctx.persons.gender.get(m[2], gender) != gender or _in_apposition(ctx, m)):
            pos = m[0]
            continue
        i = ctx.lay.sent_index(m[0])
        if i is not None:
            s0, s1, _ = ctx.lay.sents[i]
            if speech.search(ctx.lay.mask, s0, s1):
                return m
        pos = m[0]
    return None if gender is not None else ctx.persons.last_before(at)


def _verb_before(ctx: Attribution, a: int, b: int) -> Optional[tuple]:
    """(verb match start, end, is_finding_verb) of the reporting verb governing a quote opening at ``b``."""
    lex = _lex()
    seg = ctx.lay.mask[a:b]
    for m in reversed(list(lex["verb"].finditer(seg))):
        prev_word, _ = _word_before(seg, m.start())
        if prev_word in _DETERMINERS or prev_word in lex["relative"]:
            continue  # "a report published", "who repeatedly states ..."
        return a + m.start(), a + m.end(), not lex["speech"].fullmatch(m.group())
    return None


def _attribute_before(ctx: Attribution, a: int, b: int) -> Optional[Speaker]:
    seg = ctx.lay.mask[a:b]
    acc = list(_ACCORDING.finditer(seg))
    if acc:
        m = acc[-1]
        sp = _candidates(ctx, a + m.start(1), a + m.end(1), False, a + m.end(1))
        if sp:
            return sp
    v = _verb_before(ctx, a, b)
    if v is None:
        return None
    vs, ve, finding = v
    verb = ctx.lay.mask[vs:ve].lower()
    if verb.endswith("ing") and re.search(r",\s*$", ctx.lay.mask[a:vs]):
        # "The report praised the board, noting that members 'know every child'": a participle shares
        # the subject of the clause it hangs on
        comma = ctx.lay.mask.rfind(",", a, vs)
        main = _attribute_before(ctx, a, comma) if comma > a else None
        if main is not None:
            return main
    # the subject lies between the clause start and the verb
    clause = max(ctx.lay.mask.rfind(";", a, vs), ctx.lay.mask.rfind("(", a, vs), a - 1) + 1
    sp = _candidates(ctx, clause, vs, finding, vs)
    if sp is None and _passive_report(ctx, clause, vs, ve, b):
        return Speaker(OFSTED, "context")
    return sp


def _passive_report(ctx: Attribution, clause: int, vs: int, ve: int, b: int) -> bool:
    """A reporting verb in the passive with no agent ("social workers are described as '...'"), where
    the sentence or the two before speak of inspectors or their report: the report's words."""
    if not re.search(r"\b(?:is|are|was|were|been|being)\s+(?:\w+ly\s+)?$", ctx.lay.mask[clause:vs], re.I):
        return False
    if re.search(r"\bby\b", ctx.lay.mask[ve:b], re.I) or ctx.persons.within(clause, b):
        return False
    idx = ctx.lay.sent_index(vs) or 0
    window = ctx.lay.mask[ctx.lay.sents[max(0, idx - 2)][0]:b]
    return bool(_lex()["ofsted"].search(window))


def _attribute_after(ctx: Attribution, a: int, b: int) -> Optional[Speaker]:
    """Attribution in the words after a closing mark: ", said X." / ", X added." / "according to X"."""
    lex = _lex()
    seg = ctx.lay.mask[a:b]
    m = re.match(r"[\s,.;:!?—–-]*", seg)
    off = m.end()
    body = seg[off:]
    acc = re.match(r"according to\s+", body, re.I)
    if acc:
        sp = _candidates(ctx, a + off + acc.end(), b, False, b)
        if sp:
            return sp
    # X said / X has said / X, who ..., said
    v = next((m for m in lex["verb"].finditer(body)
              if _word_before(body, m.start())[0] not in _DETERMINERS | lex["relative"]), None)
    if v is None:
        return None
    head = body[:v.start()]
    if (words(head) > 9 or re.search(r"[.;:!?]", head)) and not re.search(r"[.;:!?]", body[:v.start()].rstrip(" .")):
        # the sentence closes on its attribution after a longer clause: "..., leaving children at risk,
        # Ofsted has warned."
        tail = re.search(r",\s*((?:[\w’'-]+\s+){1,6}?)(?:(?:has|have|had|also)\s+)*$", head)
        if tail and re.fullmatch(r"(?:\s+(?:after|following|in|when|as|on|today|yesterday|this|last)\b.*)?\W*",
                                 body[v.end():]):
            finding = not lex["speech"].fullmatch(v.group())
            s0 = a + off + tail.start(1)
            return _candidates(ctx, s0, a + off + v.start(), finding, a + off + v.start())
        return None
    if words(head) <= 9 and not re.search(r"[.;:!?]", head):
        finding = not lex["speech"].fullmatch(v.group())
        if head.strip():
            return _candidates(ctx, a + off, a + off + v.start(), finding, a + off + v.start())
        # said X (not "identified by inspectors": a passive's agent is no speaker)
        tail = re.match(r"[^.;:!?]{1,120}", body[v.end():])
        if tail and not finding:
            # the verb comes first: its subject is the first name after it, not one inside its title
            s0 = a + off + v.end()
            return _candidates(ctx, s0, s0 + tail.end(), finding, s0)
    return None


def _sentence_of(ctx: Attribution, pos: int) -> tuple:
    i = ctx.lay.sent_index(pos)
    if i is not None:
        return ctx.lay.sents[i]
    p = ctx.lay.para_of(pos)
    ps, pe = ctx.lay.paras[p] if p >= 0 else (0, len(ctx.text))
    return ps, pe, p


def _para_start(ctx: Attribution, span: QSpan) -> bool:
    ps, _ = ctx.lay.paras[span.para]
    return not ctx.text[ps:span.open].strip(" \t\u00a0·•*-–")


def attribute(ctx: Attribution, group: list, previous: Optional[tuple]) -> Optional[Speaker]:
    """Speaker of a run of quote spans (one quotation); ``previous`` = (para index, Speaker) of the last quote."""
    first, last = group[0], group[-1]
    s0, s1, _ = _sentence_of(ctx, first.open)
    pre_empty = not ctx.lay.mask[s0:first.open].strip(" \t\u00a0·•*-–")
    before = None if pre_empty else _attribute_before(ctx, s0, first.open)
    after_end = _sentence_of(ctx, last.after - 1 if last.close is None else last.close)[1]
    after = _attribute_after(ctx, last.after, max(after_end, last.after))
    if pre_empty:
        sp = after or before
    else:
        sp = before or after
    if sp is not None:
        return sp
    if _para_start(ctx, first) and first.para > 0:
        # "X said:" closing the paragraph before
        pps, ppe = ctx.lay.paras[first.para - 1]
        prev_text = ctx.text[pps:ppe].rstrip()
        if prev_text.endswith(":"):
            ls, le, _ = _sentence_of(ctx, pps + len(prev_text) - 1)
            sp = _attribute_before(ctx, ls, pps + len(prev_text) - 1)
            if sp is not None:
                return sp
        # a paragraph that is only a quote continues the speaker of the quote just before
        if previous is not None and previous[0] == first.para - 1:
            return previous[1]
    if pre_empty and previous is not None and previous[0] == first.para:
        return previous[1]  # '"X," she said. "Y."': the second sentence is hers too
    return _report_fallback(ctx, group, s0)


def _report_fallback(ctx: Attribution, group: list, s0: int) -> Optional[Speaker]:
    """A whole sentence quoted with no reporting clause, right after talk of the report: the report's words."""
    first, last = group[0], group[-1]
    pre = ctx.lay.mask[s0:first.open].strip()
    content = ctx.text[first.start:last.end]
    if pre and not pre.endswith((",", ":")):
        return _continues_report(ctx, group, s0)
    if words(content) < 8 or not content.strip()[:1].isupper() or _lex()["first_person"].search(content):
        return None
    post = ctx.lay.mask[last.after:_sentence_of(ctx, last.after - 1)[1]].strip(" ,.;:!?”\"’'")
    if post and not pre:
        return None
    idx = ctx.lay.sent_index(first.open) or 0
    window = ctx.lay.mask[ctx.lay.sents[max(0, idx - 2)][0]:first.open]
    if re.search(r"\b(?:the|this|its|their|ofsted['’]s) (?:\w+ )?(?:report|letter)\b|\binspectors?\b|\bofsted\b", window, re.I):
        last_person = ctx.persons.last_before(first.open)
        if last_person and last_person[0] >= ctx.lay.sents[max(0, idx - 2)][0]:
            return None
        return Speaker(OFSTED, "fallback")
    return None


def _continues_report(ctx: Attribution, group: list, s0: int) -> Optional[Speaker]:
    """A quoted phrase in a sentence with no reporting clause of its own, right after a sentence of the
    same paragraph where inspectors or the report are the subject of a reporting verb:
    'The inspectors also criticised X. The work was "limited to ..."'."""
    first, last = group[0], group[-1]
    s1 = _sentence_of(ctx, last.after - 1)[1]
    lex = _lex()
    if _verb_before(ctx, s0, first.open) or lex["verb"].search(ctx.lay.mask[last.after:s1]):
        return None
    if words(ctx.text[first.start:last.end]) < MIN_PERSON_WORDS:
        return None
    idx = ctx.lay.sent_index(s0)
    # the sentence before, in this paragraph or closing the one before (news gives a sentence a paragraph)
    if not idx or ctx.lay.sents[idx - 1][2] < ctx.lay.sents[idx][2] - 1:
        return None
    p0, p1, _ = ctx.lay.sents[idx - 1]
    prev = ctx.lay.mask[p0:p1]
    if ctx.persons.within(p0, s1):
        return None
    if re.search(rf"{lex['ofsted'].pattern}(?:\s+[\w’']+){{0,2}}\s+{lex['verb'].pattern}", prev, re.I):
        return Speaker(OFSTED, "context")
    return None


# --------------------------------------------------------------------------- extraction


def groups_of(ctx: Attribution) -> list:
    """Runs of quote spans that form one quotation: an open quote continued by the next paragraph's
    opening mark."""
    spans = ctx.lay.spans
    out: list = []
    for i, s in enumerate(spans):
        if out:
            prev = out[-1][-1]
            if prev.close is None and s.para == prev.para + 1 and _para_start(ctx, s) \
                    and not any(o.para == prev.para and o.open > prev.open for o in spans):
                out[-1].append(s)
                continue
        out.append([s])
    return out


class QuoteExtractor(Extractor):
    """Quotations and their speakers; reads the people found before it."""

    name, assigns, requires = "quotes", "quotes", ("people",)

    def __call__(self, ctx) -> list:
        return extract_quotes(ctx)


def extract_quotes(ectx) -> list:
    """The quotations of one document (an :class:`~kg.extract.context.ExtractionContext` whose
    people are found): its layout's quote spans, each run attributed to a speaker."""
    document, people = ectx.document, ectx.people
    ctx = ectx.memo("quotes.attribution", lambda: Attribution(ectx.doc, document, people, ectx.people_resolver,
                                                              ectx.layout))
    text = ctx.text
    lex = _lex()
    attributed: list = []  # (group, Speaker)
    previous: Optional[tuple] = None
    for group in groups_of(ctx):
        sp = attribute(ctx, group, previous)
        if sp is None:
            continue
        if sp.name == OFSTED and sp.how in ("pronoun", "fallback") and \
                lex["first_person"].search(" ".join(text[s.start:s.end] for s in group)):
            continue  # inspectors do not speak of "we" and "our": the pronoun meant someone else
        previous = (group[-1].para, sp)
        attributed.append((group, sp))
    quotes: list = []
    for groups, sp in _quotation_acts(ctx, attributed):
        n = sum(words(text[s.start:s.end]) for g in groups for s in g)
        # a few words a reporting clause gives to someone are theirs ("said she was 'really encouraged'",
        # "inspectors found practice 'too variable'"); a few words with no one reported saying them, a
        # quoted heading or a grade or area label are scare quotes
        cut_off = groups[-1][-1].close is None and not text[groups[-1][-1].end:].strip()
        # a few words left open where the saved text stops ("The report adds: “The voice of") are no quotation
        if n < MIN_WORDS and (sp.how not in _REPORTED or n < MIN_PERSON_WORDS or cut_off or _stands_alone(ctx, groups)
                              or _names_a_thing(ctx, groups) or _in_headline(ctx, groups)):
            continue
        if sp.how != "name" and _label_only(" ".join(text[s.start:s.end] for g in groups for s in g)):
            continue
        for piece in _pieces(text, groups):
            quotes.append(_quote(document, text, piece, sp, ctx))
    quoted = [(q.evidence.start, q.evidence.end) for q in quotes if q is not None and q.evidence is not None]
    quotes.extend(a for a in _interview_answers(ctx, document, people) + _block_quotes(ctx, document)
                  if not any(s < a.evidence.end and a.evidence.start < e for s, e in quoted))
    quotes = [q for q in quotes if q is not None]
    return quotes + _nested_ofsted(ctx, document, quotes)


# a quotation inside someone's quoted words: the other kind of mark, or the same kind of straight mark
_INNER = re.compile(r"(?<![\w’'])[‘'“\"](?=\w)(?P<q>[^‘’“”\"\n]{8,}?[\w.,!?])[’'”\"](?![\w’'])")


def _nested_ofsted(ctx: Attribution, document: Document, quotes: list) -> list:
    """Ofsted's words quoted inside someone else's quotation ("We accept that inspectors found
    ‘too many children wait too long’"): a quotation of Ofsted when the quoted sentence attributes them
    to inspectors or their report before the inner marks, with a reporting verb, and names nobody else."""
    lex = _lex()
    text = ctx.text
    out = []
    for q in quotes:
        if q.speaker == OFSTED or q.evidence is None:
            continue
        a, b = q.evidence.start, q.evidence.end
        for m in _INNER.finditer(text, a, b):
            if words(m.group("q")) < MIN_PERSON_WORDS:
                continue
            lead = text[a:m.start()]
            cut = max(lead.rfind(". "), lead.rfind("? "), lead.rfind("! "))
            lead = lead[cut + 1:]
            who = list(lex["ofsted"].finditer(lead))
            if not who or not (lex["verb"].search(lead, who[-1].end()) or lex["report_noun"].search(lead, who[-1].start())):
                continue
            if ctx.persons.within(a + cut + 1 + who[-1].end(), m.start()):
                continue
            ev = evidence(document, m.start("q"), m.end("q"))
            trimmed = ev.text.rstrip(" ,")
            out.append(Quote(speaker=OFSTED, text=m.group("q").strip().rstrip(","),
                             evidence=Evidence(ev.source_id, ev.start, ev.start + len(trimmed), trimmed, ev.page)))
    return out


# how a speaker was found when a reporting clause names them (not a fallback on the paragraph before)
_REPORTED = ("name", "noun", "pronoun", "org", "council", "context")
_LABEL_FILLER = re.compile(r"\b(?:the|a|an|and|or|of|for|its|their|rating|grade|judge?ments?|verdict|overall|"
                           r"services?|to be|as|in|all|areas?)\b|[^\w\s]", re.I)


def _label_only(body: str) -> bool:
    """Quoted words that only name grades or judgement areas ("requires improvement to be good",
    "help and protection"): a label in quote marks, not a quotation."""
    from ..nlp.patterns import load_patterns

    rest = body
    for p in load_patterns():
        if p.label in ("GRADE", "AREA"):
            rest = p.regex.sub(" ", rest)
    rest = re.sub(r"\b(?:good|outstanding|adequate|inadequate|poor|excellent)\b", " ", rest, flags=re.I)
    return not _LABEL_FILLER.sub(" ", rest).strip()


def _in_headline(ctx: Attribution, groups: list) -> bool:
    """A quotation in a headline (a short line without a closing full stop, wherever the page puts
    it): a headline's few quoted words repeat the story's own."""
    if groups[-1][-1].close is None:
        return False  # a page cut off inside the quotation
    ps, pe = ctx.lay.paras[groups[0][0].para]
    line = ctx.text[ps:pe].strip()
    return words(line) <= 20 and not re.search(r"[.!?:;…][\"”’')\]]*$", line)


def _names_a_thing(ctx: Attribution, groups: list) -> bool:
    """A short quotation used as a modifier between a determiner and its noun ("the 'edge of care'
    team", "a 'no wrong door' approach"): the name of a team, service or scheme, not words said.
    An evaluation so placed ("a 'strong and stable' team") is still the speaker's words."""
    from .findings import polarity

    first, last = groups[0][0], groups[-1][-1]
    if polarity(ctx.text[first.start:last.end]) is not None:
        return False
    if last.close is None or not re.search(r"\b(?:the|a|an|its|their|this|our|his|her)\s*$",
                                            ctx.text[max(0, first.open - 8):first.open], re.I):
        return False
    doc = ctx.doc
    if doc is None or not hasattr(doc, "char_span"):
        return False
    after = re.match(r"\s*[\w-]+", ctx.text[last.close + 1:last.close + 40])
    if after is None or not after.group().strip():
        return False
    span = doc.char_span(last.close + 1, last.close + 1 + after.end(), alignment_mode="expand")
    return span is not None and len(span) > 0 and span[-1].pos_ in ("NOUN", "PROPN")


def _stands_alone(ctx: Attribution, groups: list) -> bool:
    """A quotation that is its whole paragraph: a heading in quote marks, not words someone said."""
    first, last = groups[0][0], groups[-1][-1]
    ps, pe = ctx.lay.paras[first.para]
    rest = ctx.text[ps:first.open] + ctx.text[last.after:pe] if first.para == last.para else ctx.text[ps:first.open]
    return words(rest) < 3


# an interview set out as questions and answers: "Q: ..." / "A: ...", or the interviewee's name before each answer
_QUESTION = re.compile(r"(?m)^[ \t]*(?:Q|Question)[ \t]*[:.)–—-][ \t]*\S")
_ANSWER = re.compile(r"(?m)^[ \t]*(?:(?P<a>A|Answer)|(?P<who>[A-Z][\w’'-]+(?:[ \t]+[A-Z][\w’'-]+){0,2}))[ \t]*:[ \t]*(?=\S)")


def _interview_answers(ctx: Attribution, document: Document, people: list) -> list:
    """The answers of an interview, each a quotation of the person interviewed.

    They carry no quotation marks. The speaker is the person an answer is headed with ("Helen Marsh:",
    "Marsh:"), or for "A:" the person named last before the first question ("we spoke to Helen Marsh")."""
    text = ctx.text
    questions = list(_QUESTION.finditer(text))
    if len(questions) < 2:
        return []
    named = {}
    for p in people:
        named[p.name.lower()] = p.name
        named.setdefault(p.name.split()[-1].lower(), p.name)
    first_q = questions[0].start()
    intro = ctx.persons.last_before(first_q)
    answers = list(_ANSWER.finditer(text, first_q))
    heads = sorted([q.start() for q in questions] + [a.start() for a in answers])
    out = []
    for m in answers:
        if m.group("a"):
            if intro is None:
                continue
            speaker = intro[2]
        else:
            speaker = named.get(m.group("who").lower())
            if speaker is None:
                continue  # "Note:", "Source:": not a speaker
        # the answer runs to the next question or the next answer
        nxt = heads[bisect_right(heads, m.start()):]
        if nxt:
            end = nxt[0]
        else:  # the last answer: its paragraph, not whatever the page has after the interview
            end = text.find("\n\n", m.end())
            end = len(text) if end == -1 else end
        body = text[m.end():end].rstrip()
        if words(body) < MIN_WORDS or words(body) > 400:
            continue
        ev = evidence(document, m.end(), m.end() + len(body))
        out.append(Quote(speaker=speaker, text=re.sub(r"\s+", " ", body), evidence=ev,
                         speaker_role=ctx.persons.roles.get(speaker)))
    return out


def _block_quotes(ctx: Attribution, document: Document) -> list:
    """A person's words set out as a block without quote marks (a page's blockquote loses them): a
    paragraph that is only a short reporting clause ending in a colon ("She added:", "Jo Hart, the
    director, said:") and the paragraphs after it, up to one with quote marks, a speaker of its own or
    a heading. Only a named person's (or a pronoun's) words: a report's extracts are findings."""
    text, lay, lex = ctx.text, ctx.lay, _lex()
    out = []
    for i, (ps, pe) in enumerate(lay.paras[:-1]):
        line = text[ps:pe].rstrip()
        if not line.endswith(":") or words(line) > 16 or any(c in line for c in QUOTE_CHARS if c not in "’'"):
            continue
        if _QUESTION.match(line) or _ANSWER.match(line) and words(line) <= 3 and not lex["speech"].search(line):
            continue
        sp = _attribute_before(ctx, ps, ps + len(line) - 1)
        if sp is None or sp.how not in ("name", "pronoun"):
            continue
        start = end = None
        for qs, qe in lay.paras[i + 1:]:
            body = text[qs:qe].strip()
            if any(c in body for c in "“”\"«»") or body.endswith(":") or words(body) < MIN_WORDS \
                    or not body[:1].isupper() or (start is not None and not lex["first_person"].search(body)):
                break
            start = qs if start is None else start
            end = qe
            if words(text[start:end]) > MAX_WORDS:
                break
        if start is None:
            continue
        body = text[start:end].rstrip()
        if words(body) > MAX_WORDS:
            continue
        ev = evidence(document, start, start + len(body))
        out.append(Quote(speaker=sp.name, text=re.sub(r"\s+", " ", body), evidence=ev,
                         speaker_role=ctx.persons.roles.get(sp.name)))
    return out


def _quotation_acts(ctx: Attribution, attributed: list) -> list:
    """Fragments one reporting clause governs, in one sentence ('they said “A” and that leaders “B”'),
    are one quotation: ([group, ...], Speaker) per act."""
    text = ctx.text
    long_enough = lambda g: sum(words(text[s.start:s.end]) for s in g) >= MIN_WORDS  # noqa: E731
    acts: list = []
    for group, sp in attributed:
        if acts:
            prev_groups, prev_sp = acts[-1]
            last, first = prev_groups[-1][-1], group[0]
            gap = ctx.lay.mask[last.after:first.open]
            same = prev_sp.name == sp.name and last.close is not None and len(group) == 1 \
                and _sentence_of(ctx, last.open)[0] == _sentence_of(ctx, first.open)[0]
            # '“A,” she added, “B.”': one quotation interrupted by its attribution
            interrupted = same and "," in text[last.end - 1:last.after + 1] \
                and _lex()["speech"].search(gap) and gap.rstrip().endswith(",") and words(gap) <= 10
            fragments = same and words(gap) <= 15 and not re.search(r"[.!?]\s", gap) \
                and long_enough(group) and all(long_enough(g) for g in prev_groups)
            if interrupted or fragments:
                prev_groups.append(group)
                continue
        acts.append(([group], sp))
    return acts


def _quote(document: Document, text: str, groups: list, sp: Speaker, ctx: Attribution) -> Optional[Quote]:
    """One Quote row: the evidence runs from the first word to the last; the text is the quoted words
    only, paragraphs joined by a space and separate fragments by an ellipsis."""
    parts = []
    for g in groups:
        parts.append(" ".join(text[s.start:s.end].strip() for s in g))
    body = " … ".join(p.strip().rstrip(",").strip() for p in parts if p.strip())
    filled = [s for g in groups for s in g if text[s.start:s.end].strip()]
    if not filled:
        return None
    first, last = filled[0], filled[-1]
    ev = evidence(document, first.start, last.end)
    trimmed = ev.text.rstrip(" ,")
    if not trimmed or not body:
        return None
    ev = Evidence(ev.source_id, ev.start, ev.start + len(trimmed), trimmed, ev.page)
    return Quote(speaker=sp.name, text=body, evidence=ev, speaker_role=ctx.persons.roles.get(sp.name))


def _pieces(text: str, groups: list) -> list:
    """Split a quotation longer than MAX_WORDS at paragraph boundaries (lists of groups)."""
    if len(groups) > 1:
        return [groups]  # fragments of one sentence are short
    out, cur, n = [], [], 0
    for s in groups[0]:
        w = words(text[s.start:s.end])
        if cur and n + w > MAX_WORDS:
            out.append([cur])
            cur, n = [], 0
        cur.append(s)
        n += w
    if cur:
        out.append([cur])
    return out
