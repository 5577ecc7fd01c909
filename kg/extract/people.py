"""People and the roles they hold, from NER persons linked to role-title spans."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..model import Document, PersonRole
from ..nlp.gazetteer import default_gazetteer, normalise, organisations
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
_NAME_TOKEN = re.compile(r"^[A-Z][a-zA-Z'’\-]+$|^[A-Z]\.?$")
_HONORIFIC_NAME = re.compile(
    r"\b(?:Councillor|Cllr\.?|Coun\.?)\s+((?:[A-Z][a-zA-Z'’\-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-zA-Z'’\-]+|[A-Z]\.)){1,2})"
)
_NOT_NAMES = {"ofsted", "council", "children", "the council", "inspectors", "cabinet", "executive"}


@dataclass
class PersonMention:
    name: str
    start: int
    end: int
    roles: list = field(default_factory=list)  # (category, span)


def _is_name(text: str) -> bool:
    tokens = text.split()
    if not 2 <= len(tokens) <= 4:
        return False
    if text.lower() in _NOT_NAMES or any(ch.isdigit() for ch in text):
        return False
    return all(_NAME_TOKEN.match(t) for t in tokens)


def person_mentions(doc) -> list:
    """Named people in the doc: NER persons plus honorific-led names NER missed."""
    gaz = default_gazetteer()
    org_names = {normalise(o.name) for o in organisations().values()}
    found: dict = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        name = clean_person_name(ent.text)
        if not _is_name(name) or gaz.by_name.get(normalise(name)) or normalise(name) in org_names:
            continue
        offset = ent.text.find(name.split()[0])
        start = ent.start_char + max(offset, 0)
        found[start] = PersonMention(name, start, start + len(name))
    for m in _HONORIFIC_NAME.finditer(doc.text):
        name = clean_person_name(m.group(1))
        if _is_name(name) and not any(p.start <= m.start(1) < p.end for p in found.values()):
            found[m.start(1)] = PersonMention(name, m.start(1), m.end(1))
    return [found[k] for k in sorted(found)]


def _sentence_bounds(doc, char: int):
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None:
        return 0, len(doc.text)
    sent = span.sent
    return sent.start_char, sent.end_char


def link_roles(doc, mentions: list) -> None:
    """Attach role spans adjacent to each person mention in the same sentence."""
    text = doc.text
    roles = list(doc.spans["ROLE"])
    for pm in mentions:
        s0, s1 = _sentence_bounds(doc, pm.start)
        for role in roles:
            if not (s0 <= role.start_char < s1):
                continue
            if role.start_char >= pm.end:  # "Jane Smith, the council's director of ..."
                gap = text[pm.end:role.start_char]
                if re.fullmatch(r"\s*(?:\(|,|–|-|—)?\s*(?:the\s+)?(?:[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*)*(?:'s|’s)?\s+|council(?:'s|’s)\s+|(?:authority|borough)(?:'s|’s)\s+|who is\s+(?:the\s+)?|and\s+)?", gap):
                    pm.roles.append((role.kb_id_, role))
            elif role.end_char <= pm.start:  # "council leader Coun Ged Cooney"
                gap = text[role.end_char:pm.start]
                if re.fullmatch(r"\s*(?:,\s*)?(?:(?:Councillor|Cllr\.?|Coun\.?|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sir|Dame|Professor)\s+)*", gap):
                    pm.roles.append((role.kb_id_, role))


def _organisation(doc, category: str, role_span, main_council) -> tuple:
    """(label, council gss) of the body a role belongs to."""
    gaz = default_gazetteer()
    published = doc._.published
    if role_span is not None:
        for c in doc.spans["councils"]:
            if role_span.start_char <= c.start_char and c.end_char <= role_span.end_char + 12:
                hit = gaz.lookup(c.text, published)
                if hit:
                    return f"{hit[1]} Council", hit[0]
        if category in COUNCIL_ROLES:
            s0, s1 = _sentence_bounds(doc, role_span.start_char)
            near = [c for c in doc.spans["councils"] if s0 <= c.start_char < s1]
            if near:
                best = min(near, key=lambda c: abs(c.start_char - role_span.start_char))
                hit = gaz.lookup(best.text, published)
                if hit:
                    return f"{hit[1]} Council", hit[0]
    if category == "ofsted_official":
        return "Ofsted", None
    if category in ("minister", "commissioner_or_adviser"):
        return "Department for Education", None
    if category in COUNCIL_ROLES and main_council:
        return f"{main_council[1]} Council", main_council[0]
    return None, None


def extract_people(doc, document: Document, main_council) -> tuple:
    """Return (PersonRole list, name resolver) for the document.

    The resolver maps a surname or full-name mention to the canonical full
    name given earlier in the same document.
    """
    mentions = person_mentions(doc)
    link_roles(doc, mentions)
    people: dict = {}
    order: list = []
    for pm in mentions:
        key = name_key(pm.name)
        # "Mr Quinn" / "Quinn" after "Kieran Quinn": same person
        canonical = next((k for k in order if k.split()[-1] == key.split()[-1] and (
            len(key.split()) == 1 or k.split()[0][0] == key.split()[0][0])), key)
        if canonical not in people:
            people[canonical] = {"name": pm.name, "roles": [], "mention": pm}
            order.append(canonical)
        people[canonical]["roles"].extend(pm.roles)
    out = []
    for key in order:
        entry = people[key]
        roles = entry["roles"]
        if roles:
            category, span = max(roles, key=lambda r: (ROLE_RANK.get(r[0], 0), len(r[1].text)))
            title = span.text
        else:
            category, span, title = "other", None, None
        org, gss = _organisation(doc, category, span, main_council)
        pm = entry["mention"]
        ev_start = min(pm.start, span.start_char) if span is not None else pm.start
        ev_end = max(pm.end, span.end_char) if span is not None else pm.end
        out.append(PersonRole(
            name=entry["name"], role_category=category, role_title=title, organisation=org,
            council_gss=gss, held_on=document.published, evidence=evidence(document, ev_start, ev_end),
        ))
    return out, _resolver(out)


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
