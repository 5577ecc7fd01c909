"""People and the roles they hold.

Per document:

1. Mentions. Named people come from the NER model (PERSON), from honorific-led
   names ("Cllr Jane Smith", "Mr Quinn"), from bylines ("By JANE SMITH") and,
   because the small model often tags a name it has not seen as ORG or GPE,
   from runs of capitalised words that sit where the grammar of a title puts a
   name ("appointed Jane Smith as commissioner"). Those last ones are kept
   only when a title is bound to them.
2. Titles. ``ROLE`` spans come from the domain ruler (``data/patterns/roles.jsonl``,
   file order = priority). Each is bound to the mention the grammar of news and
   minutes ties it to: before the name ("council leader Coun Ged Cooney",
   "Lead inspector Jane Smith", "the council's chief executive, Jane Smith"),
   in apposition after it ("Jane Smith, the council's director of ..."),
   a relative clause ("Jane Smith, who is the council's ..."), "as"
   ("appointed Jane Smith as commissioner") or a copula ("Jane Smith is the
   council's ..."). Plural titles spread over coordinated names; a
   first-person blog's author takes "As the new portfolio holder ..."; "my/his
   predecessor(s) X and Y" share their owner's role.
3. People. Surname-only mentions ("Mr Quinn", "Quinn said") join the full
   name; the most specific title wins.
4. Organisation. From the title itself (a possessor, "of/at/in X"), else a
   council named in the same sentence outside quotations, else the
   document's main council. A council title held at some other named body
   (a company, a union, a charity) is ``other`` there, and so are council
   titles of people named only in trailing web-page noise.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..model import Document, PersonRole
from .base import Extractor
from ..nlp.gazetteer import default_gazetteer, normalise, organisations
from ..nlp.lexicon import load_word_lists
from ..nlp.person_words import alternation, honorifics, plain_words, pronouns
from .text_utils import clean_person_name, evidence, name_key

# more specific roles win when one person is given several
ROLE_RANK = {
    "other": 0, "councillor": 1, "other_council_officer": 2, "cabinet_member_other": 3, "mp": 3,
    "commissioner_or_adviser": 4, "ofsted_official": 4, "minister": 4, "deputy_mayor": 5,
    "deputy_leader": 5, "chief_executive": 6, "director_childrens_services": 6,
    "cabinet_member_childrens": 6, "leader": 6, "elected_mayor": 6,
}
COUNCIL_ROLES = {"leader", "deputy_leader", "cabinet_member_childrens", "cabinet_member_other", "councillor",
                 "chief_executive", "director_childrens_services", "other_council_officer", "elected_mayor",
                 "deputy_mayor"}
# council titles that stay what they are at a named non-council body (the statutory DCS of a trust)
_KEEP_AT_OTHER_BODY = {"director_childrens_services"}

# honorifics and pronouns are data (kg/data/honorifics.json, pronouns.json)
HONORIFIC = alternation(honorifics()["honorifics"])
_HONORIFIC_WORDS = plain_words(honorifics()["honorifics"] + honorifics()["plural"] + honorifics()["styles"]) | {"the"}
_PARTY_WORDS = {"labour", "conservative", "conservatives", "tory", "liberal", "democrat", "democrats", "lib", "dem",
                "green", "independent", "reform", "uk", "plaid", "snp", "ukip", "co-operative"}
# a word of a name: "Smith", "Hurst-Knight", "O'Neill", "McKinlay", "Siân", or an initial "J."
_UP, _LO = r"[^\W\d_a-zà-ÿ]", r"[a-zß-ÿ]"
_NAME_TOKEN = re.compile(rf"^(?:(?:Mc|Mac|O['’]|D['’])?{_UP}{_LO}+(?:['’\-]{_UP}?{_LO}+)*|[A-Z]\.?)$")
_PARTICLES = {"de", "da", "van", "von", "der", "den", "le", "la", "du", "di", "al", "bin", "ben", "del", "dos"}
_CAPS_TOKEN = re.compile(r"^[A-Z][A-Z'’\-]+$")
_HON_NAME = re.compile(
    rf"\b{HONORIFIC}\s+((?:[A-Z][a-zA-Z'’\-]+|[A-Z]\.|[A-Z](?=\s+[A-Z][a-z]))(?:\s+(?:[A-Z][a-zA-Z'’\-]+|[A-Z]\.)){{0,2}})")
# an undotted initial right before a surname, after a list's separator or at a line's start
_INITIAL_BEFORE = re.compile(r"(^|[,(:;\n]\s*)([A-Z]) $", re.M)
# (a labelled byline may follow the headline on the same line once hard wraps are repaired)
_BYLINE = re.compile(r"(?:^[^\w\n]*(?:[A-Z][a-z]+\s+)?[Bb]y:?|\b(?:[Ww]ritten|[Pp]osted|[Ww]ords) by:?|\b(?:Reporter|Author|Correspondent):)"
                     r"\s+([A-Z][A-Za-z'’\-]+(?:\s+[A-Z][A-Za-z'’\-]+){1,2})(.*)$", re.M)
# photo credits: "(Credit: Jane Smith / Wikimedia Commons)", "Picture: Jane Smith", "Creative Commons - Jane Smith"
_CREDIT = re.compile(r"\b(?:[Cc]redit|[Pp]hoto(?:graph)?(?: credit)?|[Pp]icture(?: credit)?|[Ii]mage(?: credit)?|[Pp]ic|"
                     r"Creative Commons)s?\s*(?::|[-–—]|\bby\b)\s*([A-Z][a-z'’\-]+(?:\s+[A-Z][a-z'’\-]+){1,2})"
                     r"(?=\s*(?:[/|,)\n]|$))")
# words of picture agencies, papers and user names that a credit gives instead of a person
_NOT_CREDITED = {"stock", "images", "image", "getty", "alamy", "shutterstock", "istock", "unsplash", "pixabay", "pexels",
                 "adobe", "reuters", "pa", "wire", "photography", "photos", "library", "agency", "media", "engineer",
                 "gazette", "times", "post", "echo", "herald", "chronicle", "mail", "express", "standard",
                 "telegraph", "guardian", "observer", "journal", "mirror", "star", "commons", "wikimedia", "archive"}
# word lists read around names (kg/data/people_lexicon.json)
_LEXICON = load_word_lists(Path(__file__).resolve().parent.parent / "data" / "people_lexicon.json",
                           ("body_nouns", "site_bodies", "staff_byline_words", "paper_name_words",
                            "building_words", "region_words"))


def _any_of(key: str) -> str:
    return "(?:" + "|".join(_LEXICON[key]) + ")"


# a common noun for a body right before a capitalised run: the run is the body's name
_BODY_NOUN_BEFORE = re.compile(r"\b" + _any_of("body_nouns") + r"\s+$")
# a byline that names the paper's staff, not a person
_STAFF_BYLINE = re.compile(r"\s*" + _any_of("staff_byline_words") + r"\b", re.I)
_PAPER_WORDS = re.compile(r"\b" + _any_of("paper_name_words") + "$")
# caption text glued to the last name by page extraction: "Cllr Tom ArcherImage: Wigan Council"
_GLUED_CAPTION = re.compile(r"^([A-Z][a-z'’\-]+?)(?:Image|Photo|Picture|Credit|Pic)s?$")
# a double-barrelled surname split around its dash: "Quirke –Thornton", "Hurst- Knight"
_SPLIT_DASH = re.compile(r"(?:([-–]) | ([-–]))([A-Z][a-z'’]+)\b")

# words that are never part of a person's name (checked on every candidate)
_NEVER_NAME = {
    "council", "councils", "councillor", "councillors", "cllr", "cabinet", "portfolio", "holder", "member", "members",
    "director", "directors", "executive", "services", "service", "children", "childrens", "people", "ofsted",
    "committee", "board", "trust", "department", "authority", "minister", "inspector", "inspectors", "officer",
    "report", "leader", "mayor", "commissioner", "secretary", "chief", "government", "education", "safeguarding",
    "partnership", "panel", "scrutiny", "agency", "news", "press", "borough", "county", "district", "city",
    "association", "university", "college", "academy", "school", "ltd", "limited", "plc", "inspection",
    "inspections", "care", "social", "improvement", "the", "of", "and", "for", "in", "on", "at", "by", "said",
    "says", "holder", "hub", "unit", "team", "directorate", "cllrs", "mps", "mp", "hmi", "dcs", "delivery",
    "labour", "conservative", "conservatives", "tory", "tories", "lib", "dem", "ukip", "snp", "reform",
    "facebook", "twitter", "email", "instagram", "linkedin", "whatsapp", "youtube", "tiktok", "share", "print",
    "newsletter", "cookie", "cookies", "subscribe", "comments", "login", "menu", "home", "advertisement",
    # the furniture of minutes: "Appendix A", "Civic Suite", "Vice Chair", "the Main Opposition Group"
    "appendix", "annex", "suite", "chamber", "room", "vice", "chair", "opposition", "learning", "skills", "item",
    # titles in an attendance list that the model reads as a name: "Ms J Wexley, Diocesan Representative"
    "representative", "representatives", "coordinator", "co-ordinator", "clerk", "governor", "governors",
    "trustee", "trustees", "diocesan", "archdiocese", "diocese",
    # officers' job nouns ("Principal Accountant", "Senior Solicitor")
    "accountant", "solicitor", "lawyer", "analyst", "auditor", "administrator", "surveyor", "practitioner",
    "officers", "accountants", "solicitors", "lawyers", "analysts", "auditors", "administrators", "surveyors",
    "practitioners",
}
# and these are not name words when a name is guessed from capitalisation alone (no NER, no honorific)
_GUESS_STOP = _NEVER_NAME | {
    "lead", "deputy", "interim", "acting", "strategic", "corporate", "assistant", "senior", "principal", "group",
    "head", "manager", "chair", "chairman", "chairwoman", "adviser", "advisor", "families", "family",
    "local", "public", "health", "learning", "skills", "schools", "practice", "worker", "workers", "labour",
    "conservative", "tory", "liberal", "democrat", "independent", "party", "street", "road", "house",
    "town", "england", "english", "britain", "british", "uk", "northern",
    "southern", "eastern", "western", "january", "february", "march", "april", "june", "july", "august",
    "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "christmas", "covid", "inadequate", "good", "outstanding", "requires", "new",
    "national", "regional", "majesty", "majesty's", "her", "his", "hm", "we", "our", "it", "this", "that", "a",
    "an", "as", "he", "she", "they", "i", "mr", "mrs", "ms", "dr", "sir", "dame", "lord", "lady", "baroness",
    "professor", "coun", "councillor", "appointed", "today", "yesterday", "bbc", "itv", "online", "website",
}
# portfolio and service words ("Cabinet Member for Aspiration, Children and Lifelong Learning")
_PORTFOLIO_WORDS = {
    "lifelong", "aspiration", "housing", "finance", "adult", "adults", "transport", "environment", "communities",
    "community", "culture", "leisure", "resources", "regeneration", "economy", "employment", "equalities",
    "equality", "wellbeing", "inclusion", "achievement", "planning", "customer", "digital", "governance",
    "policy", "performance", "highways", "waste", "sport", "tourism", "heritage", "development", "growth",
    "partnerships", "neighbourhoods", "safety", "strategy", "delivery", "support", "standards", "quality",
    "integration", "commissioning", "transformation", "operations", "prevention", "protection", "help",
    "early", "years", "special", "needs", "send", "disabilities", "youth", "justice", "attainment", "learning",
    "skills",
}
_NEVER_NAME |= _PORTFOLIO_WORDS
# last words of a building's name in an address ("Sand Martin House"), never of a person's
_BUILDING = frozenset(_LEXICON["building_words"])
# the words of England's regions, which a capitalised run alone does not make a person
_COMPASS = frozenset(_LEXICON["region_words"])
_GUESS_STOP |= _PORTFOLIO_WORDS
# words of a title that the NER model sometimes takes into a PERSON span ("Lead inspector Matt Reed")
_TITLE_WORDS = {"hmi", "lead", "inspector", "senior", "councillor", "cllr", "coun", "leader", "director", "minister",
                "secretary", "mayor", "deputy", "chief", "executive", "commissioner", "chair", "chairman",
                "chairwoman", "head", "interim", "acting", "council", "education", "children's", "childrens",
                "ofsted", "shadow", "mp", "by",
                # police ranks ("Chief Constable John Campbell", "Superintendent Ian Ross")
                "constable", "superintendent", "sergeant", "detective", "commander", "pc", "dci"}
_POSTNOMINALS = {"MP", "HMI", "OBE", "CBE", "MBE", "QC", "KC", "DBE", "JP"}
_SENT_END = {".", "!", "?", ";"}
_QUOTES = set("\"“”‘’'«»")

# words allowed between a name and a title after it (besides separators, possessors and modifiers)
_POST_FILLER = {
    "the", "a", "an", "its", "their", "his", "her", "our", "who", "is", "was", "has", "had", "have", "been", "being",
    "also", "now", "then", "currently", "recently", "newly", "previously", "formerly", "as", "became", "becomes",
    "become", "took", "takes", "over", "joined", "joins", "appointed", "named", "elected", "re-elected", "serves",
    "serving", "served", "remains", "remained", "acting", "interim", "new", "current", "former", "permanent",
    "incoming", "outgoing", "will", "be", "would", "council", "authority", "borough", "county", "city", "town",
    "department", "government", "watchdog", "regulator", "inspectorate", "cabinet", "'s", "’s", "'", "’",
    "in", "role", "capacity", "newly-appointed", "recently-appointed", "then-", "still", "both", "later", "soon",
}
# words that introduce a title after a name: "X, who is the ...", "X has been appointed as ...", "X, in her role as"
_INTRO_WORDS = {"who", "is", "was", "has", "had", "have", "been", "being", "as", "became", "becomes", "become",
                "took", "takes", "over", "joined", "joins", "appointed", "named", "elected", "serves", "serving",
                "served", "remains", "remained", "will", "be", "would", "also", "now", "then", "in", "role",
                "capacity", "still", "both", "later", "soon", "recently", "previously", "formerly", "currently",
                "her", "his", "their"}
_ADVERBS = {"also", "now", "then", "still", "currently"}
# a gap after the name must open with a separator or one of these
_POST_OPENERS = {"who", "as", "is", "was", "has", "had", "became", "becomes", "joined", "took", "will", "remains",
                 "serves", "served", "now", "then", "in"}
_SEPARATORS = {",", "(", "–", "—", "-", ":"}
_PLURAL_TITLE = re.compile(r"\b(?:councillors|cllrs|members|holders|directors|leaders|commissioners|inspectors|"
                           r"ministers|advis[eo]rs|officers|executives|MPs|mayors|chairs|predecessors)\b", re.I)
_FIRST_PERSON = re.compile(r"(?:^|[^\w’'])" + alternation(pronouns()["first_person"]) + r"(?=[^\w’']|$)")
_CABINET_TITLE = re.compile(r"(?:cabinet|executive|lead|council|portfolio) member|portfolio[- ]holder|cabinet lead|"
                            r"executive lead|lead councillor|executive councillor|cabinet councillor", re.I)
# a capitalised body right before a title: "Wigan Council leader", "Sandwell Children's Trust chief executive"
_BODY_BEFORE = re.compile(r"(?:(?:[A-Z][\w'’&-]*(?:'s|’s)?|and|of|upon|on|for)\s+)*?"
                          r"((?:[A-Z][\w'’&-]*(?:'s|’s)?\s+(?:(?:and|of|upon|on)\s+)?)+)$")
_CONJOINED = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)"
                        r"(?:(?:Cllr\.?|Councillor|Coun\.?|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+)?")
_AS_THE_NEW = re.compile(r"(?:^|[.!?\n]\s*)As\s+(?:the\s+|a\s+)?"
                         r"(?:new\s+|newly[- ]appointed\s+|current\s+|incoming\s+)?$")
_I_AM_THE = re.compile(r"\b(?:I\s+am|I'm|I’m|I\s+was\s+(?:appointed|elected|named)(?:\s+as)?|I\s+became|"
                       r"I\s+took\s+over\s+as|my\s+(?:role|job)\s+as)\s+(?:the\s+|a\s+)?(?:new\s+)?$")
_OF_BODY = re.compile(r"\s(at|of)\s+(?:the\s+)?([A-Z][\w'’&-]*(?:\s+(?:(?:and|of|for|upon|on|the|&)\s+)?"
                      r"[A-Z][\w'’&-]*)*)$")
# verbs that predicate a title of their subject ("X has been appointed commissioner", "X is the director")
_PREDICATING_VERBS = {"is", "was", "are", "were", "be", "been", "'s", "’s", "appointed", "named", "made", "became",
                      "become", "becomes", "elected", "re-elected", "installed", "promoted", "confirmed", "remains",
                      "remained", "serves", "served", "joined", "joins", "took", "returns", "returned", "starts",
                      "started", "stays", "continues", "chosen", "selected", "hired", "recruited", "seconded"}
_PAST_TITLE = re.compile(r"^(?:(?:the|a|an)\s+)?(?:former|ex-|previous|then|one-time|erstwhile|late)\b", re.I)
_PAST_CONTEXT = re.compile(r"\b(?:previously|formerly|former|once|until\s+recently|ex-)\b|"
                           r"\b(?:was|were|had\s+been)\s+(?!(?:appointed|named|made|elected|re-elected|confirmed|"
                           r"promoted|chosen|selected|installed|recruited|hired)\b)(?:\w+\s+)?$", re.I)
_EDUCATION_MINISTER = re.compile(r"\b(?:children|education|schools|families|skills|early years|universities)\b|"
                                 r"^(?:the\s+)?minister$", re.I)
_EXPLICIT_ELECTED = re.compile(r"\b(?:elected|city|executive)\s+mayor\b", re.I)
_REMIT = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?[a-z][\w'’-]*(?:\s+(?:and\s+)?[a-z][\w'’-]*){0,4}(?=\s)")
_BARE_DIRECTOR = re.compile(r"\b(?:strategic|executive|corporate|group) director$", re.I)
_HAS_PORTFOLIO = re.compile(r"\b(?:for|responsib\w*)\s+\w{3,}|:\s*\w{3,}", re.I)
_TOPIC = re.compile(
    r"\b(?:council|councils|councillors?|cllr|authority|ofsted|inspect\w*|children(?:'s|’s)? services|social care|"
    r"safeguarding|cabinet|monitoring visit|judged|rated|rating|care leavers|looked[- ]after|child protection|"
    r"director of|minister|department for education|dfe)\b", re.I)
_FAMILY_TOPIC = re.compile(r"\b(?:child|children|famil\w+|parents?|mother|father|son|daughter|school\w*|young "
                           r"people|foster\w*|adopt\w*|social workers?)\b", re.I)
_COUNCIL_WORDS = re.compile(r"^(?:the )?(?:council|authority|local authority|borough|county|city council|county "
                            r"council|town hall|cabinet)$", re.I)
# last words of bodies that are not councils, though they may start with a council's name
_ORG_SUFFIX = {"trust", "partnership", "college", "university", "hospital", "nhs", "police", "constabulary",
               "foundation", "ccg", "academy", "school", "group", "ltd", "limited", "plc", "fc", "afc", "united",
               "rovers", "city fc", "news", "echo", "post", "gazette", "times", "herald", "telegraph", "argus",
               "chronicle", "mercury", "observer", "live", "radio", "tv", "chamber", "union", "association",
               "society", "charity", "network", "forum", "alliance", "centre", "cathedral", "church", "diocese",
               "airport", "council's"}
# words that may follow a council's name inside a title and leave it the council ("Wigan Council leader")
_COUNCILISH = {"council", "city", "county", "borough", "metropolitan", "district", "children's", "childrens",
               "executive", "leader", "director", "cabinet", "councillor", "mayor", "deputy", "chief", "lead",
               "member", "portfolio", "labour", "conservative", "tory", "ofsted", "social", "safeguarding",
               "services", "and", "cc", "mbc", "bc", "dc", "cbc", "mdc", "scc", "mayor's", "ceo", "dcs", "lmcs"}


@dataclass
class Link:
    category: str
    start: int  # title as written (char offsets)
    end: int
    strength: int  # 3 title right before the name, 2 after it, 1 before it across a comma, 0 inferred
    org: Optional[tuple] = None  # ("council", gss, name) | ("org", label)
    past: bool = False  # "former director", "who was previously director": not the role held now
    appointed: bool = False  # "has been appointed commissioner": the role the news is about
    title: Optional[str] = None  # the title when the text has none beside the name (an attendance list)


@dataclass
class PersonMention:
    name: str
    start: int
    end: int
    strong: bool = True  # NER, honorific or byline; weak ones need a title bound to them
    roles: list = field(default_factory=list)  # Link
    byline_org: Optional[str] = None
    honorific: bool = False  # "Mr Quinn": a surname that is surely a person

    @property
    def solid(self) -> bool:
        """Sure enough to cut a title short or to stand between a name and its title."""
        return not self.surname_only or self.honorific

    @property
    def surname_only(self) -> bool:
        return len(self.name.split()) == 1


# ----------------------------------------------------------------------------------------- mentions

class PeopleDoc:
    """The spaCy doc as the people rules read it, built once per document (on the extraction
    context's memo, never in module state): its text kept (spaCy joins every token anew on each
    ``Doc.text``) and, once names are found, the council spans less those inside a person's name
    ("Brenda Warrington"). Everything else is the doc's own."""

    __slots__ = ("_doc", "text", "councils")

    def __init__(self, doc):
        self._doc = doc
        self.text = doc.text
        self.councils = None

    def __getattr__(self, name):
        return getattr(self._doc, name)

    def __len__(self):
        return len(self._doc)

    def __iter__(self):
        return iter(self._doc)

    def __getitem__(self, i):
        return self._doc[i]


def _text(doc) -> str:
    return doc.text


def _councils(doc) -> list:
    """Council spans, less those inside a person's name (once the names are found)."""
    got = getattr(doc, "councils", None) if isinstance(doc, PeopleDoc) else None
    return got if got is not None else list(doc.spans["councils"])


def _name_ok(tokens: list, stop: set) -> bool:
    if not tokens or len(tokens) > 4:
        return False
    if any(t.lower().strip(".") in stop for t in tokens):
        return False
    if not all(_NAME_TOKEN.match(t) or 0 < i < len(tokens) - 1 and t in _PARTICLES for i, t in enumerate(tokens)):
        return False
    # "J." alone or a run of initials is no name
    return any(len(t.strip(".")) > 1 for t in tokens)


@lru_cache(maxsize=1)
def _body_names() -> frozenset:
    """Normalised names and aliases of the known organisations, built once."""
    return frozenset(normalise(n) for o in organisations().values() for n in (o.name, *o.aliases))


def _known_body(name: str) -> bool:
    n = normalise(name)
    return bool(default_gazetteer().by_name.get(n)) or n in _body_names()


def _strip_to_name(text: str, start: int):
    """The name inside an NER span: honorifics, titles before it and junk after it dropped.

    Returns (name, start, end) with offsets of the name as written, or None.
    """
    words = [(m.group(0), m.start()) for m in re.finditer(r"\S+", text)]
    cleaned = [(clean_person_name(w), o) for w, o in words]
    cleaned = [(w, o) for w, o in cleaned if w]
    while cleaned and (cleaned[0][0].lower().strip(".") in _TITLE_WORDS | _HONORIFIC_WORDS | _PARTY_WORDS
                       or not cleaned[0][0][:1].isupper()):
        cleaned.pop(0)
    while cleaned and cleaned[-1][0].strip(".") in _POSTNOMINALS:
        cleaned.pop()
    if cleaned and _GLUED_CAPTION.match(cleaned[-1][0]):
        cleaned[-1] = (_GLUED_CAPTION.match(cleaned[-1][0]).group(1), cleaned[-1][1])
    if not cleaned:
        return None
    name = " ".join(w for w, _ in cleaned)
    first_off = cleaned[0][1]
    last_w, last_off = cleaned[-1]
    last_written = text[last_off:].split()[0]
    end = last_off + last_written.find(last_w) + len(last_w) if last_w in last_written else last_off + len(last_written)
    return name, start + first_off + max(text[first_off:].find(cleaned[0][0]), 0), start + end


def _mentions(doc) -> list:
    text = _text(doc)
    found: dict = {}  # start -> PersonMention
    taken: list = []

    def overlaps(s, e):
        return any(s < te and ts < e for ts, te in taken)

    def add(pm: PersonMention):
        if overlaps(pm.start, pm.end):
            return
        found[pm.start] = pm
        taken.append((pm.start, pm.end))

    for m in _CREDIT.finditer(text):
        if _name_ok(m.group(1).split(), _GUESS_STOP | _NOT_CREDITED) and not _known_body(m.group(1)):
            add(PersonMention(m.group(1), m.start(1), m.end(1)))

    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        got = _strip_to_name(ent.text, ent.start_char)
        if not got:
            continue
        name, s, e = got
        toks = name.split()
        if len(toks) == 1 and len(ent) == 1 and s == ent.start_char and ent.start > 1 \
                and any(r.end == ent.start - 1 for r in doc.spans["ROLE"]):
            # the model tags only the surname of a name it half knows right after a title ("Mayor of
            # London Sadiq Khan"): the capitalised word between them, no entity of its own, is the first name
            prev = doc[ent.start - 1]
            if _NAME_TOKEN.match(prev.text) and len(prev.text) > 1 and not prev.ent_type_ and prev.pos_ == "PROPN" \
                    and prev.whitespace_ == " " and prev.text.lower() not in _GUESS_STOP \
                    and not any(c.start <= prev.i < c.end for c in doc.spans["councils"]):
                name, s, toks = prev.text + " " + name, prev.idx, [prev.text] + toks
        initial = _INITIAL_BEFORE.search(text, 0, s) if len(toks) == 1 else None
        if initial and not (initial.group(2) in "AI" and initial.group(1) in ("", "\n")):
            # "J Brown (Director of ...)" in an attendance list: the model tags only the surname
            name, s, toks = initial.group(2) + " " + name, initial.start(2), [initial.group(2)] + toks
        if toks[0] == "Greater":
            continue
        if not _name_ok(toks, _NEVER_NAME) or _known_body(name) or _known_body(toks[0]) \
                or len(toks) > 1 and toks[-1].lower() in _BUILDING:
            # "Coventry Knowsley": a list of councils, not a person
            continue
        add(PersonMention(name, s, e))

    # bylines: "By JANE SMITH Local Democracy Reporting Service" (all capitals is beyond the NER model)
    for m in _BYLINE.finditer(text):
        toks = m.group(1).split()
        n = 0
        while n < len(toks) and _CAPS_TOKEN.match(toks[n]):
            n += 1
        if n >= 2:
            name = " ".join(t.capitalize() for t in toks[:n])
        else:
            n = 2
            name = " ".join(toks[:n])
        written_end = m.start(1) + len(" ".join(toks[:n]))
        hit = next((pm for pm in found.values() if pm.start == m.start(1)), None)
        rest = text[hit.end:m.end()] if hit is not None else " ".join(toks[n:]) + m.group(2)
        if _STAFF_BYLINE.match(rest) or _PAPER_WORDS.search(name):
            # "By Wearside Daily newsroom", "By Echo Reporters": the paper's staff, no person
            if hit is not None:
                del found[hit.start]
                taken.remove((hit.start, hit.end))
            continue
        org = re.sub(r"^[\s,|–—-]+|[\s,|–—-]+$", "", rest)
        org = org if org and re.fullmatch(r"(?:[A-Z][\w'’&-]*\s*)+", org) and not _known_body(org) else None
        if hit is not None:
            hit.byline_org = hit.byline_org or org
        elif _name_ok(name.split(), _NEVER_NAME | _NOT_CREDITED) and not _known_body(name):
            add(PersonMention(name, m.start(1), written_end, byline_org=org))

    for m in _HON_NAME.finditer(text):
        toks = m.group(1).split()
        while toks and toks[-1].lower().strip(".") in _GUESS_STOP:
            toks.pop()
        if not toks or not _name_ok(toks, _NEVER_NAME):
            continue
        name = " ".join(toks)
        s = m.start(1)
        if s in found:
            found[s].honorific = True
        add(PersonMention(name, s, s + len(name), honorific=True))

    # guessed names: capitalised runs the NER missed (weak)
    councils = [(c.start_char, c.end_char) for c in doc.spans["councils"]] + \
               [(o.start_char, o.end_char) for o in doc.spans["orgs"]]
    run: list = []
    for tok in list(doc) + [None]:
        if tok is not None and tok.text == "-" and run and not run[-1].whitespace_ and not tok.whitespace_ \
                and run[-1].text != "-":
            run.append(tok)  # the tokenizer splits a double-barrelled name: "Sacks", "-", "Jones"
            continue
        if tok is not None and _NAME_TOKEN.match(tok.text) and tok.text.lower() not in _GUESS_STOP:
            if run and (run[-1].whitespace_ != " " or "\n" in run[-1].whitespace_) and run[-1].text != "-":
                _flush_guess(run, add, overlaps, councils)
                run = []
            run.append(tok)
            continue
        _flush_guess(run, add, overlaps, councils)
        run = []
    for pm in found.values():
        m = _SPLIT_DASH.match(text, pm.end)
        if m and not pm.surname_only:
            pm.name = pm.name + (m.group(1) or m.group(2)) + m.group(3)
            pm.end = m.end()
    return [found[k] for k in sorted(found)]


def _flush_guess(run, add, overlaps, councils):
    if run and run[-1].text == "-":
        run = run[:-1]
    # "Sacks", "-", "Jones" is one word of the name
    # a council's name glued to the name after it ("Mayor of Hackney Jane Smith"): the name is what follows
    while run and any(cs <= run[0].idx < ce for cs, ce in councils):
        run = run[1:]
    if not run:
        return
    name = "".join(t.text + (" " if t.whitespace_ and i < len(run) - 1 else "") for i, t in enumerate(run))
    if not 2 <= len(name.split()) <= 3:
        return
    if _BODY_NOUN_BEFORE.search(run[0].doc.text[max(0, run[0].idx - 30):run[0].idx]):
        return  # "the charity Safe Haven", "the campaign group Care Matters": a body's name
    s, e = run[0].idx, run[-1].idx + len(run[-1].text)
    if overlaps(s, e) or any(s < ce and cs < e for cs, ce in councils):
        return
    if all(w.lower() in _COMPASS for w in name.split()) or name.split()[0] == "Greater":
        return  # "the North West", "West Midlands", "Greater Manchester": a region, not a person
    if _name_ok(name.split(), _GUESS_STOP) and not _known_body(name):
        add(PersonMention(name, s, e, strong=False))


# ----------------------------------------------------------------------------------------- titles

def _role_spans(doc, mentions: list) -> list:
    """(start, end, category) of titles, cut where they run into a name."""
    out = []
    for r in doc.spans["ROLE"]:
        s, e = r.start_char, r.end_char
        for pm in mentions:
            if not pm.solid or not pm.strong and pm.end <= e and (
                    pm.start == s or re.search(r"\b(?:of|at|for)\s+(?:the\s+)?$", _text(doc)[s:pm.start])):
                # a capitalised title the name guesser took for a name ("Management Accountant"), or the
                # body a title names ("CEO of Careleaver Aid")
                continue
            if s < pm.start < e:
                e = pm.start
            if pm.start <= s < pm.end:
                s = e  # a title inside a name ("Lord Mayor" read from "Mayor")
        piece = re.sub(r"(?:[\s,;:–—(-]+|\s+(?:and|or|&))+$", "", _text(doc)[s:e])
        if piece.strip():
            out.append((s, s + len(piece), r.kb_id_))
    return out


def _tokens_between(doc, a: int, b: int) -> list:
    span = doc.char_span(a, b, alignment_mode="contract")
    return [t for t in span if not t.is_space] if span is not None else []


def _inside_body_name(toks: list, j: int) -> bool:
    """Is toks[j] ("and", "of") inside a capitalised name, as in "Barking and Dagenham Council's"?"""
    return 0 < j < len(toks) - 1 and toks[j - 1].text[:1].isupper() and toks[j + 1].text[:1].isupper()


def _post_gap(doc, gap_start: int, gap_end: int, role_text: str):
    """Is the text between a name and a title after it an apposition, a relative clause, "as" or a copula?

    Returns the char offset where the title as written starts (after the
    relative and copular words), or None.
    """
    text = _text(doc)[gap_start:gap_end]
    if "\n" in text or len(text) > 80:
        return None
    toks = _tokens_between(doc, gap_start, gap_end)
    if not toks:
        # postnominals: "Jane Smith MP", "Jane Smith HMI"
        return gap_end if role_text.isupper() else None
    toks = _drop_brackets(toks)
    while toks and toks[0].text.strip(".") in _POSTNOMINALS:
        toks = toks[1:]  # honours after the name: "Jane Smith CBE, chief executive"
    if not toks:
        return gap_end
    i = 0
    while i < len(toks) and toks[i].text in _SEPARATORS:
        i += 1
    if i == 0 and toks[0].lower_ not in _POST_OPENERS:
        return None
    title_start = None
    modifiers = 0
    for j in range(i, len(toks)):
        t = toks[j]
        low = t.lower_
        if low in ("and", "&", "of", "for", "upon", "on", "under") and _inside_body_name(toks, j):
            continue
        if t.text in _SENT_END or t.text in _QUOTES or low in ("said", "says", "told", "and", "or", "but"):
            return None
        if low in _INTRO_WORDS:
            if title_start is not None and low not in _ADVERBS:
                return None  # a clause after the title began: "Jane Smith, the mother who is ..."
            continue
        if title_start is None:
            title_start = t.idx
        if low in _POST_FILLER or t.text in ("'s", "’s", "'", "’") or t.text[:1].isupper():
            continue  # determiners, possessors, body names: "the council's", "City of York Council's"
        if t.pos_ in ("ADJ", "NOUN", "PROPN") or (t.tag_ == "VBN" and "-" in t.text):
            modifiers += 1  # "the Town Hall's group director", "newly-appointed"
            if modifiers <= 2:
                continue
        return None
    return title_start if title_start is not None else gap_end


def _drop_brackets(toks: list) -> list:
    """The gap less short closed brackets: party, ward or age between a name and its title
    ("Jane Smith (Labour, Hindley), cabinet member for ...")."""
    out, k = [], 0
    while k < len(toks):
        if toks[k].text == "(":
            close = next((j for j in range(k + 1, min(len(toks), k + 9)) if toks[j].text == ")"), None)
            if close is not None:
                k = close + 1
                continue
        out.append(toks[k])
        k += 1
    return out


def _pre_gap(doc, gap_start: int, gap_end: int):
    """Strength of a title bound to the name after it: 3 tight, 1 across a comma or dash, None."""
    text = _text(doc)[gap_start:gap_end]
    if "\n" in text or len(text) > 40:
        return None
    toks = _tokens_between(doc, gap_start, gap_end)
    # "director of children's services (DCS) Jane Smith": the title's acronym in brackets
    toks = [t for k, t in enumerate(toks) if not (t.text in "()" or re.fullmatch(r"[A-Z]{2,6}", t.text)
                                                 and 0 < k < len(toks) - 1 and toks[k - 1].text == "("
                                                 and toks[k + 1].text == ")")]
    strength = 3
    for k, t in enumerate(toks):
        low = t.lower_.strip(".")
        if t.text in (",", "–", "—", "-", ":"):
            strength = 1
            continue
        if t.text == "." and not (k and toks[k - 1].lower_ in _HONORIFIC_WORDS):
            return None  # a full stop ends the title's sentence ("..., the council leader. Jane Smith ...")
        if low in _HONORIFIC_WORDS or low in _PARTY_WORDS or t.text == ".":
            continue
        return None
    return strength


def _link_titles(doc, mentions: list, roles: list) -> None:
    text = _text(doc)
    taken = [(pm.start, pm.end) for pm in mentions if pm.solid]
    last = None  # (title end, mention, strength) of the last title bound to a name before it
    for rs, re_, cat in sorted(roles):
        role_text = text[rs:re_]
        if last is not None and _SECOND_TITLE.fullmatch(text, last[0], rs):
            # two titles in one: "X, chief executive and director of children's services"
            end = _title_end(doc, re_)
            last[1].roles.append(Link(cat, rs, end, last[2]))
            last = (end, last[1], last[2])
            continue
        last = None
        best = None  # (strength, -distance, mention, title_start)
        for pm in mentions:
            if pm.end <= rs - 80 or pm.start >= re_ + 60:
                continue  # too far for any gap the grammar allows
            if pm.end <= rs:
                if any(pm.end <= s and e <= rs for s, e in taken):
                    continue
                ts = _post_gap(doc, pm.end, rs, role_text)
                if ts is not None:
                    cand = (2, -(rs - pm.end), pm, min(ts, rs))
                    if best is None or cand[:2] > best[:2]:
                        best = cand
            elif pm.start >= re_:
                if any(re_ <= s and e <= pm.start for s, e in taken):
                    continue
                # a lower-case remit the title pattern left behind: "national director for social care Jo Bloggs"
                cont = _REMIT.match(text, re_, pm.start)
                after = cont.end() if cont else _title_end(doc, re_)  # "... at Walsall, Ken Amis"
                st = _pre_gap(doc, after, pm.start) if after <= pm.start else None
                if st is not None:
                    cand = (st, -(pm.start - re_), pm, rs, None, after if after > re_ else None)
                    if best is None or cand[:2] > best[:2]:
                        best = cand
        if best is None:
            best = _link_by_parse(doc, mentions, rs, re_)
        if best is None:
            continue
        strength, _, pm, title_start = best[:4]
        title_start = _possessor_start(doc, title_start, rs, pm)
        title_start = _body_before(doc, title_start)
        end = _title_end(doc, best[5] if len(best) > 5 and best[5] else re_)
        if len(best) > 4 and best[4] is not None:
            context = best[4]
        else:
            context = text[min(pm.end, title_start):rs] if pm.end <= rs else text[max(0, rs - 25):rs]
        past = bool(_PAST_TITLE.search(text[title_start:re_]) or _PAST_CONTEXT.search(context))
        appointed = bool(re.search(r"\b(?:appointed|named|made|elected|installed|promoted|became|becomes|"
                                   r"takes over|took over|joins|joined)\b", context, re.I))
        pm.roles.append(Link(cat, title_start, end, strength, past=past, appointed=appointed))
        if pm.end <= rs:
            last = (end, pm, strength)


_SECOND_TITLE = re.compile(r"\s*,?\s*(?:and|&)\s+(?:also\s+)?(?:the\s+|its\s+|their\s+)?")


def _link_by_parse(doc, mentions: list, rs: int, re_: int):
    """A title predicated of a subject further away: "X, who ..., has been appointed commissioner",
    "X ... is the council's director of ..."; (strength, distance, mention, title start) or None."""
    span = doc.char_span(rs, re_, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    verb = None
    if root.dep_ in ("attr", "oprd", "xcomp", "acomp", "appos") and root.head.i < root.i:
        verb = root.head
    elif root.dep_ == "pobj" and root.head.lower_ == "as":
        verb = root.head.head
    if verb is None or verb.lower_ not in _PREDICATING_VERBS:
        return None
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and verb.dep_ == "conj":
        subjects = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    for subj in subjects:
        if subj.lower_ in ("who", "that") and verb.dep_ == "relcl":
            subj = verb.head
        for pm in mentions:
            if pm.start <= subj.idx < pm.end and pm.end <= rs:
                sent = subj.sent
                if sent.start_char <= rs < sent.end_char:
                    first = min([verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "advmod")
                                          and c.i < verb.i], key=lambda t: t.i)
                    return (2, -(rs - pm.end), pm, rs, _text(doc)[first.idx:rs])
    return None


def _possessor_start(doc, title_start: int, role_start: int, pm) -> int:
    """Widen a title bound before the name to its possessor: "the council's chief executive, X"."""
    if title_start < role_start or pm.start < role_start:
        return title_start
    before = _text(doc)[max(0, role_start - 60):role_start]
    m = re.search(r"(?:\bthe\s+)?(?:[A-Z][\w'’&-]*(?:\s+(?:of|and|upon|on)\s+|\s+))*(?:[A-Z][\w'’&-]*|council|"
                  r"authority|borough|county|town hall|government|department)(?:'s|’s)\s+$", before)
    return role_start - len(m.group(0)) if m else title_start


def _body_before(doc, start: int) -> int:
    """Widen a title over the body named right before it: "Wigan Council leader", "KCC Leader"."""
    before = _text(doc)[max(0, start - 80):start].rsplit("\n", 1)[-1]
    m = _BODY_BEFORE.search(before)
    if not m:
        return start
    s = start - len(m.group(1))
    words = m.group(1).split()
    last = words[-1].rstrip("'’s").lower() if words else ""
    known = any(s <= c.start_char < start for c in _councils(doc) + list(doc.spans["orgs"]))
    if known or last in _ORG_SUFFIX | {"council"} or re.fullmatch(r"[A-Z]{2,5}", words[-1]):
        # drop leading words that are no part of the body ("When Wigan Council leader ...")
        while words and not any(s <= c.start_char for c in _councils(doc) + list(doc.spans["orgs"])
                                if c.start_char < start) and words[0].lower() in _GUESS_STOP:
            s += len(words.pop(0)) + 1
        return s
    return start


def _title_end(doc, end: int) -> int:
    """Widen a title over "at Doncaster Council", "in Cornwall", "of the council"."""
    text = _text(doc)
    m = re.match(r"\s+(?:at|of|in|for)\s+(?:the\s+)?", text[end:end + 12])
    if not m:
        return end
    after = end + m.end()
    for c in _councils(doc) + list(doc.spans["orgs"]):
        if c.start_char == after:
            return c.end_char + (len(" Council") if text[c.end_char:c.end_char + 8] == " Council" else 0)
    m2 = re.match(r"(?:council|authority|town hall)\b", text[after:after + 12], re.I)
    return after + m2.end() if m2 else end


# ----------------------------------------------------------------------------------------- discourse

def _coordinate(doc, mentions: list) -> None:
    """A plural title spreads over names joined by commas and "and"."""
    text = _text(doc)
    for i, pm in enumerate(mentions):
        for link in list(pm.roles):
            if link.strength == 0 or not _PLURAL_TITLE.search(text[link.start:link.end]):
                continue
            step = 1 if link.start < pm.start else -1
            j, cur = i + step, pm
            while 0 <= j < len(mentions):
                nxt = mentions[j]
                gap = text[cur.end:nxt.start] if step == 1 else text[nxt.end:cur.start]
                if not _CONJOINED.fullmatch(gap):
                    break
                if not any(r.start == link.start for r in nxt.roles):
                    nxt.roles.append(Link(link.category, link.start, link.end, 0))
                cur, j = nxt, j + step


def _author(doc, mentions: list) -> Optional[PersonMention]:
    """The writer of a blog or article: a byline, or a name alone on a line near the top."""
    text = _text(doc)
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)][:10]
    for s, e in lines:
        line = text[s:e].strip(" -–—|")
        for pm in mentions:
            if s <= pm.start < e and pm.strong and not pm.surname_only:
                rest = line.replace(text[pm.start:pm.end], "", 1)
                if re.fullmatch(rf"(?:(?:[A-Z][a-z]+\s+)?[Bb]y:?)?\s*(?:{HONORIFIC}\s*)?(?:[,–—|]\s*[^,]*)?", rest) \
                        or pm.byline_org and pm.byline_org in rest:
                    return pm
    return None


def _first_person_roles(doc, mentions: list, roles: list, author: Optional[PersonMention]) -> None:
    """'As the new portfolio holder ...' in a first-person text: the author's title."""
    if author is None:
        return
    text = _text(doc)
    quoted = _quoted_ranges(text)
    outside, last = [], 0
    for q0, q1 in quoted:
        outside.append(text[last:q0])
        last = max(last, q1)
    outside = " ".join(outside + [text[last:]])
    if not _FIRST_PERSON.search(outside):
        return
    for rs, re_, cat in roles:
        if any(q0 <= rs < q1 for q0, q1 in quoted):
            continue  # someone else's words
        before = text[max(0, rs - 60):rs]
        if _AS_THE_NEW.search(before) or _I_AM_THE.search(before):
            if not any(r.start <= rs < r.end for pm in mentions for r in pm.roles):
                author.roles.append(Link(cat, rs, re_, 0))


_SUCCESSION = re.compile(
    r"\b(?:(?P<poss>my|his|her|their|our|its)\s+(?:immediate\s+|two\s+|three\s+|recent\s+)?"
    r"(?P<rel>predecessors?|successors?|replacements?)"
    r"|(?P<rel2>previous|former|past)\s+(?:incumbents?|holders?|occupants?)(?=\s+(?:in|of)\s)"
    # "left in March, and an interim, X": the post just named, held now
    r"|(?P<interim>an?\s+(?:interim|acting|temporary|permanent)(?:\s+(?:one|replacement|successor|appointment))?)(?=\s*,))"
    r"(?:\s+(?:in|as|of)\s+(?:this|the|that|her|his)\s+(?:job|role|post|position|portfolio|office))?"
    r"\s*,?\s*(?:(?:Councillors?|Cllrs?\.?|Couns?\.?|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+)?", re.I)


def _predecessors(doc, mentions: list, author: Optional[PersonMention]) -> None:
    """'my predecessors in this job, A and B', 'her successor, A', 'previous incumbents in the role
    Councillors A and B': the owner's role passes on (as a past role to predecessors)."""
    text = _text(doc)
    quoted = _quoted_ranges(text)
    for m in _SUCCESSION.finditer(text):
        if any(q0 <= m.start() < q1 for q0, q1 in quoted):
            continue  # "my predecessor" in a quotation is the speaker's
        if (m.group("poss") or "").lower() in ("my", "our"):
            owner = author
        else:
            prev = [pm for pm in mentions if pm.end <= m.start() and pm.roles and "\n" not in text[pm.end:m.start()]]
            owner = prev[-1] if prev else None
        if owner is None or not owner.roles:
            continue
        best = max(owner.roles, key=lambda r: (not r.past, ROLE_RANK.get(r.category, 0)))
        first = next((pm for pm in mentions if pm.start == m.end()), None)
        if first is None:
            continue
        group = [first]
        k = mentions.index(first)
        while k + 1 < len(mentions) and _CONJOINED.fullmatch(text[mentions[k].end:mentions[k + 1].start]):
            k += 1
            group.append(mentions[k])
        earlier = not m.group("interim") and not (m.group("rel") or "").lower().startswith(("successor", "replacement"))
        for pm in group:
            pm.roles.append(Link(best.category, best.start, best.end, 0, best.org, past=earlier))


# ----------------------------------------------------------------------------------------- organisation

def _quoted_ranges(text: str) -> list:
    """Quotations: double quotes, and single curly quotes around at least a few words."""
    return [(m.start(), m.end()) for m in re.finditer(r"“[^”]*”|\"[^\"\n]*\"|‘[^’\n]{20,}’", text)]


def _sentence_bounds(doc, char: int) -> tuple:
    span = doc.char_span(char, min(char + 1, len(_text(doc))), alignment_mode="expand")
    if span is None:
        return 0, len(_text(doc))
    return span.sent.start_char, span.sent.end_char


def _council_at(doc, c, limit: Optional[int] = None):
    """(gss, name) of a council span, unless it only starts another body's name ("Sunderland AFC",
    "Sandwell Children's Trust", "Kent Police"). ``limit``: where the words that may continue it end."""
    after = _text(doc)[c.end_char:min(c.end_char + 60, limit if limit is not None else len(_text(doc)))]
    m = re.match(r"((?:[ \t]+(?:[A-Z][\w'’&-]*|and|of|for))*)", after)
    words = [w.lower() for w in (m.group(1) if m else "").split()]
    if words and any(w in _ORG_SUFFIX or w.rstrip("'’s") in _ORG_SUFFIX for w in words[:4]) \
            and words[0] not in ("council", "city", "county", "borough", "metropolitan"):
        return None
    if words and words[0].replace("’", "'").removesuffix("'s") not in _COUNCILISH \
            and words[0] not in _HONORIFIC_WORDS | _PARTY_WORDS:
        return None
    return default_gazetteer().lookup(c.text, doc._.published)


def _title_org(doc, link: Link):
    """The body a title names: a council, a known organisation, or another named body."""
    text = _text(doc)
    s, e = link.start, link.end
    for c in _councils(doc):
        if s <= c.start_char and c.end_char <= e:
            hit = _council_at(doc, c, e)
            if hit:
                return ("council", hit[0], hit[1])
            return ("org", _body_name(doc, c.start_char))
    for o in doc.spans["orgs"]:
        if s <= o.start_char and o.end_char <= e:
            return ("org", organisations()[o.kb_id_].name) if o.kb_id_ in organisations() else ("org", o.text)
    title = text[s:e]
    m = re.match(r"(?:the\s+)?(.+?)(?:'s|’s)\s", title)
    if m:
        owner = m.group(1).strip()
        if _COUNCIL_WORDS.match(owner) or owner.lower() in ("the town hall", "town hall"):
            return ("main",)
        if re.fullmatch(r"(?:Her|His) Majesty|HM", owner):
            return None  # "Her Majesty's Chief Inspector"
        if re.search(r"\b(?:Council|CC|MBC|BC|DC|CBC)$", owner):
            return ("councilish", owner)  # a council the gazetteer does not know by this name
        if owner[:1].isupper() and not re.search(r"\b(?:children|young|people|services)\b", owner, re.I):
            return ("org", owner)
    m = _OF_BODY.search(title)
    if m and link.category in COUNCIL_ROLES:
        body = m.group(2).strip()
        last = body.split()[-1].lower()
        # "at X", "of X Trust", and the body a chief executive or leader heads ("chief executive of Achieving
        # for Children"); not a function ("Head of Practice", "Director of Children's Services")
        if re.search(r"\b(?:Council|CC|MBC|BC|DC|CBC)$", body):
            return ("councilish", body)  # "leader of the Conservative County Council"
        if m.group(1) == "at" or last in _ORG_SUFFIX or re.fullmatch(r"[A-Z]{2,6}", body) or \
                link.category in ("chief_executive", "leader", "deputy_leader", "elected_mayor", "deputy_mayor"):
            return ("org", body)
    return None


def _body_name(doc, start: int) -> str:
    m = re.match(r"(?:[A-Z][\w'’&-]*)(?:\s+(?:[A-Z][\w'’&-]*|and|of|for))*", _text(doc)[start:start + 80])
    return m.group(0).rstrip() if m else _text(doc)[start:start + 20]


def _organisation(doc, link: Optional[Link], category: str, main_council, quoted: list) -> tuple:
    """(label, council gss, category) for a person's chosen title."""
    org = (link.org or _title_org(doc, link)) if link is not None else None
    kind = org[0] if org else None
    label = org[1] if kind in ("org", "councilish") else None
    if category == "ofsted_official":
        if kind == "org" and label != "Ofsted":
            return label, None, "other"  # a generic inspector's title at another body ("Kent Police inspector")
        return "Ofsted", None, category
    if category in ("minister", "commissioner_or_adviser"):
        # appointed by, or part of, national bodies even when the title names the council they work on
        if kind == "org" and label != "Department for Education":
            return label, None, category
        if category == "commissioner_or_adviser" or link is None or _EDUCATION_MINISTER.search(
                _text(doc)[link.start:link.end]):
            return "Department for Education", None, category
        return None, None, category
    if kind == "council":
        return f"{org[2]} Council", org[1], category
    if kind == "councilish":
        generic = _COUNCILISH | _PARTY_WORDS | {"the", "tory"}
        place = [w for w in label.split() if w.lower().strip("'’s") not in generic]
        if not place and main_council:  # "the Conservative County Council": the council of the story
            return f"{main_council[1]} Council", main_council[0], category
        return label, None, category
    if kind == "main":
        if main_council:
            return f"{main_council[1]} Council", main_council[0], category
        return None, None, category
    if kind == "org":
        if label == "Ofsted":
            return "Ofsted", None, ("ofsted_official" if category in COUNCIL_ROLES | {"other"} else category)
        if category in COUNCIL_ROLES and category not in _KEEP_AT_OTHER_BODY:
            return label, None, "other"
        return label, None, category
    if link is not None:
        if category in COUNCIL_ROLES:
            s0, s1 = _sentence_bounds(doc, link.start)
            near = [c for c in _councils(doc) if s0 <= c.start_char < s1
                    and not any(q0 <= c.start_char < q1 for q0, q1 in quoted)]
            hits = [(abs(c.start_char - link.start), _council_at(doc, c)) for c in near]
            hits = [h for h in hits if h[1]]
            if hits:
                gss, name = min(hits, key=lambda h: h[0])[1]
                return f"{name} Council", gss, category
    if category in COUNCIL_ROLES and main_council:
        return f"{main_council[1]} Council", main_council[0], category
    return None, None, category


# ----------------------------------------------------------------------------------------- noise

def _paragraphs(text: str) -> list:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]


def _on_topic(doc, s: int, e: int) -> bool:
    if _TOPIC.search(_text(doc)[s:e]):
        return True
    return any(s <= c.start_char < e for c in _councils(doc))


def _trailing_noise_start(doc) -> int:
    """Where unrelated trailing page text (sidebars, other articles) begins, or len(text)."""
    paras = _paragraphs(_text(doc))
    last = -1
    for i, (s, e) in enumerate(paras):
        if _on_topic(doc, s, e):
            last = i
    tail = paras[last + 1:]
    if last < 0 or len(tail) < 2 or sum(len(_text(doc)[s:e].split()) for s, e in tail) < 30:
        return len(_text(doc))
    return tail[0][0]


def _off_topic_paragraph(doc, pos: int) -> bool:
    """A long paragraph about something else entirely (a donation appeal, another story)."""
    for s, e in _paragraphs(_text(doc)):
        if s <= pos < e:
            words = len(_text(doc)[s:e].split())
            return words >= 25 and not _on_topic(doc, s, e) and not _FAMILY_TOPIC.search(_text(doc)[s:e])
    return False


# ----------------------------------------------------------------------------------------- people

def _same(a_key: str, b_key: str) -> bool:
    """Same person: same surname and compatible first names ("A Patel" ~ "Amit Patel", "Chris" ~ "Christopher")."""
    a, b = a_key.split(), b_key.split()
    if not a or not b or a[-1] != b[-1]:
        return False
    if len(a) == 1 or len(b) == 1:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) < len(long_) and long_[-len(short):] == short:
        return True  # a double surname without the first name: "Ms Rhodes White"
    fa, fb = a[0], b[0]
    if len(fa) == 1 or len(fb) == 1:
        return fa[0] == fb[0]
    return fa.startswith(fb) or fb.startswith(fa) or _nickname_of(fa, fb)


@lru_cache(maxsize=1)
def _nicknamer():
    from nicknames import NickNamer

    return NickNamer()


@lru_cache(maxsize=4096)
def _nickname_of(a: str, b: str) -> bool:
    """"Dave" ~ "David", "Steve" ~ "Stephen", "Liz" ~ "Beth" (both short for Elizabeth): one person's
    names, from the nicknames package's curated table of English given names."""
    nn = _nicknamer()
    a_forms = {a} | nn.canonicals_of(a)
    b_forms = {b} | nn.canonicals_of(b)
    return bool(a_forms & b_forms)


def extract_people(doc, document: Document, main_council) -> tuple:
    """Return (PersonRole list, name resolver) for the document.

    The resolver maps a surname or full-name mention to the canonical full
    name given earlier in the same document.
    """
    pdoc = doc if isinstance(doc, PeopleDoc) else PeopleDoc(doc)
    return _extract_people(pdoc, document, main_council, pdoc.text)


_REVIEW_BY = re.compile(r"\b(?:review|report|investigation|assessment|audit|diagnostic)\s+(?:\w+\s+){0,4}?"
                        r"(?:by|from|led by|carried out by|conducted by)\s+$", re.I)
_REVIEWERS = re.compile(r"^(?:'s|’s)\s+(?:\w+\s+){0,2}?(?:review|report|investigation|assessment|audit)\b", re.I)


def _reviewer(text: str, pm) -> bool:
    """Is the person named as the author of a review of the service?"""
    return bool(_REVIEW_BY.search(text[max(0, pm.start - 80):pm.start]) or _REVIEWERS.match(text, pm.end))


class PeopleExtractor(Extractor):
    """People and their roles; leaves the name resolver on the context for quote attribution."""

    name, assigns = "people", "people"

    def __call__(self, ctx) -> list:
        pdoc = ctx.memo("people.doc", lambda: PeopleDoc(ctx.doc))
        people, ctx.people_resolver = extract_people(pdoc, ctx.document, ctx.main_council)
        return people


def _elected_mayor_council(gss: Optional[str], date: Optional[str]) -> bool:
    """Whether a council had a directly elected mayor then (council table's elected_mayor);
    elsewhere "the Mayor of X" is the civic mayor, a councillor."""
    council = default_gazetteer().councils.get(gss) if gss else None
    return council is not None and council.has_elected_mayor(date)


def _extract_people(doc, document: Document, main_council, text: str) -> tuple:
    mentions = _mentions(doc)
    names = [(pm.start, pm.end) for pm in mentions if not pm.surname_only]
    doc.councils = [c for c in doc.spans["councils"] if not any(s <= c.start_char < e for s, e in names)]
    roles = _role_spans(doc, mentions)
    _link_titles(doc, mentions, roles)
    _attendance(doc, mentions)
    # a full name the model took for an organisation counts once its surname is a person's elsewhere
    surnames = {pm.name.split()[-1] for pm in mentions if pm.strong or pm.roles}
    mentions = [pm for pm in mentions if pm.strong or any(r.strength > 0 for r in pm.roles)
                or (not pm.surname_only and pm.name.split()[-1] in surnames
                    and _name_ok(pm.name.split(), _GUESS_STOP | _NOT_CREDITED)
                    and any(q is not pm and q.strong and q.name.split()[-1] == pm.name.split()[-1] for q in mentions))]
    for pm in mentions:
        # "Ofsted's Yvette Stanley": named as the inspectorate's own
        m = re.search(r"\b(?:Ofsted|OFSTED)(?:'s|’s)\s+$", text[max(0, pm.start - 12):pm.start])
        if m and not pm.roles:
            start = pm.start - (len(text[max(0, pm.start - 12):pm.start]) - m.start())
            pm.roles.append(Link("ofsted_official", start, start + len(m.group(0).rstrip()), 1))
    _coordinate(doc, mentions)
    author = _author(doc, mentions)
    _first_person_roles(doc, mentions, roles, author)
    _predecessors(doc, mentions, author)

    # group mentions into people: full names first, then initials ("A. Patel"), then bare surnames
    people: dict = {}
    order: list = []
    keyed = [(pm, name_key(pm.name)) for pm in mentions]
    keyed = [(pm, k) for pm, k in keyed if k]
    full = [(pm, k) for pm, k in keyed if len(k.split()) > 1 and len(k.split()[0]) > 1]
    initials = [(pm, k) for pm, k in keyed if len(k.split()) > 1 and len(k.split()[0]) == 1]
    surnames = [(pm, k) for pm, k in keyed if len(k.split()) == 1]
    for pm, key in full + initials:
        canonical = next((k for k in order if k == key or _same(k, key)), None)
        if canonical is None:
            canonical = key
            people[key] = {"name": pm.name, "mentions": []}
            order.append(key)
        people[canonical]["mentions"].append(pm)
    for pm, key in surnames:
        # the nearest person before it with that surname, else the only one
        cands = [k for k in order if _same(k, key)]
        before = [k for k in cands if min(m.start for m in people[k]["mentions"]) <= pm.start]
        if before or len(cands) == 1:
            people[(before or cands)[-1]]["mentions"].append(pm)
        elif not cands and pm.honorific and pm.roles:
            # minutes name councillors by surname only: "Councillor Paffey, the Cabinet Member for ..."
            people[key] = {"name": pm.name, "mentions": [pm]}
            order.append(key)
    order.sort(key=lambda k: min(m.start for m in people[k]["mentions"]))

    quoted = _quoted_ranges(text)
    noise_from = _trailing_noise_start(doc)
    body_site = _body_site(document)
    main_name = f"{main_council[1]} Council" if main_council else None
    out = []
    for key in order:
        entry = people[key]
        ms = sorted(entry["mentions"], key=lambda m: m.start)
        links = [(r, m) for m in ms for r in m.roles]
        if links:
            # a title held now beats a former one, unless all that is held now is a seat on the council
            current = [x for x in links if not x[0].past and ROLE_RANK.get(x[0].category, 0) > 1]
            link, pm = max(current or links, key=lambda x: (
                x[0].appointed, ROLE_RANK.get(x[0].category, 0), not x[0].past, x[0].strength,
                x[0].end - x[0].start, -x[0].start))
            category = link.category
            title_text = text[link.start:link.end]
            if category == "cabinet_member_other" and _CABINET_TITLE.search(title_text) \
                    and not _HAS_PORTFOLIO.search(title_text):
                # a cabinet member with no portfolio named, in a text about children's services: the lead member
                category = "cabinet_member_childrens"
            elif category == "other_council_officer" and _BARE_DIRECTOR.search(title_text):
                # likewise a strategic/executive director with no directorate named is the DCS
                category = "director_childrens_services"
            if all(x[0].past for x in links) and any(_reviewer(text, m) for m in ms):
                # "a review by X, a former director of children's services": brought in to advise
                category = "commissioner_or_adviser"
        else:
            link, pm, category = None, ms[0], "other"
            if all(_off_topic_paragraph(doc, m.start) for m in ms):
                continue
        org, gss, category = _organisation(doc, link, category, main_council, quoted)
        if body_site and link is not None and category in _OFFICER_ROLES and org == main_name \
                and (_OUR_BEFORE.search(text[max(0, link.start - 12):link.start])
                     and not any(q0 <= link.start < q1 for q0, q1 in quoted)
                     or any(m is author for m in ms)):
            # "Our chief executive, X" and the byline's "X, head of policy" on a charity's or trust's
            # own page: titles at the body that publishes it, not at the council it writes about
            category, org, gss = "other", body_site, None
        if category in ("elected_mayor", "deputy_mayor") and link is not None \
                and not _EXPLICIT_ELECTED.search(text[link.start:link.end]) \
                and not _elected_mayor_council(gss, document.published):
            category = "councillor"
        if all(m.start >= noise_from for m in ms) and category in COUNCIL_ROLES:
            category = "other"
            if gss:
                org, gss = None, None
        if link is None:
            byline = next((m.byline_org for m in ms if m.byline_org), None)
            if byline:
                org = byline
        title = (link.title or re.sub(r"\s+", " ", text[link.start:link.end]).strip(" ,")) if link is not None else None
        # the name and its title; a title inferred from elsewhere ("my predecessors, X and Y") is not beside it
        near = link is not None and (link.strength > 0 or abs(link.start - pm.start) < 150)
        ev_start = min(pm.start, link.start) if near else pm.start
        ev_end = max(pm.end, link.end) if near else pm.end
        out.append(PersonRole(
            name=entry["name"], role_category=category, role_title=title, organisation=org,
            council_gss=gss, held_on=document.published, evidence=evidence(document, ev_start, ev_end),
        ))
    return out, _resolver(out)


_OFFICER_ROLES = {"chief_executive", "director_childrens_services", "other_council_officer"}
_OUR_BEFORE = re.compile(r"\b[Oo]ur\s+(?:new\s+|interim\s+|acting\s+)?$")
_BODY_SITE_WORDS = re.compile(r"\b" + _any_of("site_bodies") + r"\b", re.I)


def _body_site(document: Document) -> Optional[str]:
    """The name of the charity, trust or other body whose own page this is (a .org.uk address or a
    publisher so named), or None for councils' own sites, newspapers and pages of unknown origin."""
    gaz = default_gazetteer()
    url = document.url or ""
    if gaz.from_url(url, document.published) or re.search(r"\.gov\.uk(?:/|$)", url):
        return None
    host = re.sub(r"^[a-z]+://", "", url.lower()).split("/")[0]
    publisher = document.publisher or ""
    if publisher and gaz.lookup(publisher, document.published):
        return None
    if _BODY_SITE_WORDS.search(publisher):
        return publisher
    if re.search(r"\.org(?:\.uk)?$", host):
        # the page's own masthead names it best; else the address
        first = next((ln.strip() for ln in document.text.splitlines() if ln.strip()), "")
        name = re.split(r"\s+[|–—-]\s+", first)[0].strip()
        return name if 0 < len(name.split()) <= 6 else host.removeprefix("www.")
    return None


# minutes list their members: "Present: Councillors A Patel (Chair), B Jones and C Green"
_ATTENDANCE = re.compile(r"(?im)^[ \t]*(?:(?:(?:also )?present|attendance|in attendance|members present|committee members|"
                         r"apologies(?: for absence)?(?: were received from)?|councillors? present)\b[ \t]*:?[ \t]*"
                         r"(?:(?:Councillors?|Cllrs?\.?)[ \t]+)?|(?-i:Councillors|Cllrs)[ \t]+(?=[A-Z]))")
_LIST_ITEM = re.compile(r"^(?:(?:Councillors?|Cllrs?\.?|Coun\.?)\s+)?((?:[A-Z]\.?\s+){0,2}[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})$")


def _attendance(doc, mentions: list) -> None:
    """Members named in an attendance or apologies list are councillors, unless a title says otherwise."""
    text = _text(doc)
    for header in _ATTENDANCE.finditer(text):
        if re.match(r"(?i)[ \t]*(?:also|in attendance|co-opted)", header.group(0)) and "ouncillor" not in header.group(0):
            continue  # officers and guests attend too
        end = text.find("\n\n", header.end())
        end = len(text) if end == -1 else end
        if end - header.end() > 600:
            continue
        pos = header.end()
        for piece in re.split(r",|\band\b|\n", text[header.end():end]):
            start = text.find(piece, pos)
            pos = start + len(piece)
            bare = re.sub(r"\([^)]*\)?|\([^)]*$", "", piece).strip(" .;")
            if re.search(r"\([^)]*\b(?:Member|Director|Head|Officer|Chief|Leader|Mayor|Advis[eo]r|Manager|"
                         r"Representative|Superintendent|Inspector|Doctor|Nurse)\b", piece):
                continue  # a title in brackets is linked as any other title
            m = _LIST_ITEM.match(bare)
            if not m or not _name_ok(m.group(1).split(), _NEVER_NAME):
                continue
            name_start = start + piece.find(m.group(1))
            name_end = name_start + len(m.group(1))
            pm = next((x for x in mentions if x.start < name_end and name_start < x.end), None)
            if pm is not None and name_start <= pm.start and pm.end <= name_end and pm.end - pm.start < name_end - name_start:
                pm.name, pm.start, pm.end = m.group(1), name_start, name_end  # "P Wyatt-Hughes", not "P Wyatt"
            if pm is None:
                pm = PersonMention(m.group(1), name_start, name_end, strong=True)
                mentions.append(pm)
            if not pm.roles:
                pm.roles.append(Link("councillor", header.start(), header.end(), 1, title="Councillor"))


def _resolver(people: list):
    by_surname: dict = {}
    full = {name_key(p.name): p.name for p in people}
    for p in people:
        by_surname.setdefault(p.name.split()[-1].lower(), p.name)

    def resolve(name: str) -> Optional[str]:
        key = name_key(name)
        if key in full:
            return full[key]
        parts = key.split()
        if parts and parts[-1] in by_surname:
            return by_surname[parts[-1]]
        return None

    return resolve
