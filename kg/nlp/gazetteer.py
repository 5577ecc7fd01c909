"""The council gazetteer: every English children's-services authority and its names.

Built from ``kg/data/councils.csv`` (ONS GSS codes, validity dates, common
name variants, each council's web domains, its ten statistical neighbours as
GSS codes and the years it had a directly elected mayor; the domains and
neighbours come from the d2i provider look-up, checked against our DfE codes
and Ofsted URNs). Variants by council type ("X Metropolitan Borough Council",
"London Borough of X") are generated here so the CSV holds facts only.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..errors import DataFileError

DATA = Path(__file__).resolve().parents[1] / "data"
_GSS = re.compile(r"^E(06|07|08|09|10)\d{6}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HOST_NOISE = {"www", "democracy", "moderngov", "committees", "council", "gov", "uk", "co", "org", "cmis",
               "modgov", "mgov", "meetings", "decisions", "minutes", "news", "www2"}
REQUIRED = ("gss_code", "name", "type", "region", "dfe_code", "ofsted_urn",
            "valid_from", "valid_to", "replaced_by", "alt_names")
# later columns; a table without them still loads (every cell empty)
OPTIONAL = ("domain", "stat_neighbours", "elected_mayor")
_DOMAIN = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$")
_MAYOR = re.compile(r"^(\d{4})-(\d{4})?$")
_TYPE_VARIANTS = {
    "metropolitan_district": ("{n} Metropolitan Borough Council", "{n} MBC", "{n} Borough Council",
                              "{n} City Council", "{n} Council", "Metropolitan Borough of {n}", "City of {n}"),
    "london_borough": ("London Borough of {n}", "{n} London Borough Council", "{n} Borough Council",
                       "{n} Council", "LB {n}", "Royal Borough of {n}"),
    "county": ("{n} County Council", "{n} Council"),
    "unitary": ("{n} Council", "{n} Borough Council", "{n} City Council", "{n} Unitary Authority"),
}


@dataclass(frozen=True)
class Council:
    gss_code: str
    name: str
    type: str
    region: str
    dfe_code: str
    ofsted_urn: str
    valid_from: Optional[str]
    valid_to: Optional[str]
    replaced_by: tuple
    names: tuple  # every surface form, preferred first
    domains: tuple = ()  # web domains, the council's own first (then e.g. its children's trust)
    stat_neighbours: tuple = ()  # GSS codes of its DfE statistical neighbours, nearest first
    elected_mayor: Optional[tuple] = None  # (first year, last year or None) of a directly elected mayor

    @property
    def iri_code(self) -> str:
        return self.gss_code

    def valid_on(self, date: Optional[str]) -> bool:
        if not date:
            return self.valid_to is None
        d = (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10] if len(date) == 7 else date
        if self.valid_from and d < self.valid_from:
            return False
        if self.valid_to and d > self.valid_to:
            return False
        return True

    def has_elected_mayor(self, date: Optional[str] = None) -> bool:
        """Whether the council's mayor was directly elected on a date (undated: ever)."""
        if self.elected_mayor is None:
            return False
        first, last = self.elected_mayor
        year = int(date[:4]) if date and date[:4].isdigit() else None
        return year is None or (first <= year and (last is None or year <= last))


@dataclass
class Gazetteer:
    councils: dict = field(default_factory=dict)  # gss -> Council
    by_name: dict = field(default_factory=dict)  # normalised name -> [gss]

    def lookup(self, name: str, on_date: Optional[str] = None):
        """(gss_code, preferred name) of the council a name denotes on a date, or None."""
        codes = self.by_name.get(normalise(name))
        if not codes:
            return None
        valid = [c for c in codes if self.councils[c].valid_on(on_date)]
        # an undated text names today's authority; a dated one the authority of its day
        chosen = (valid or codes)[0]
        return chosen, self.councils[chosen].name

    def from_url(self, url: Optional[str], on_date: Optional[str] = None):
        """(gss, name) of the council whose own site a URL is on (bradford.moderngov.co.uk,
        democracy.telford.gov.uk), or None. Council papers often name their council only there."""
        if not url:
            return None
        host = re.sub(r"^[a-z]+://", "", url.lower()).split("/")[0].split(":")[0]
        # the council table's domains first: sites are named by initialism or contraction
        # (rbwm, lbbd, hants, n-somerset) that no guess from the name recovers
        owners = [gss for gss, c in self.councils.items()
                  if any(host == d or host.endswith("." + d) for d in c.domains)]
        if owners:
            valid = [c for c in owners if self.councils[c].valid_on(on_date)] or owners
            valid.sort(key=lambda c: self.councils[c].valid_to is not None)
            return valid[0], self.councils[valid[0]].name
        if not (host.endswith(".gov.uk") or ".moderngov." in host or host.endswith(".moderngov.co.uk")):
            return None
        labels = [lab for lab in host.split(".") if lab not in _HOST_NOISE]
        keys = self._host_keys()
        for lab in labels:
            codes = keys.get(lab.replace("-", ""))
            if codes:
                valid = [c for c in codes if self.councils[c].valid_on(on_date)] or codes
                return valid[0], self.councils[valid[0]].name
        return None

    def _host_keys(self) -> dict:
        if not hasattr(self, "_hosts"):
            keys: dict = {}
            first_words: dict = {}
            for gss, c in self.councils.items():
                squashed = re.sub(r"[^a-z]", "", c.name.lower())
                keys.setdefault(squashed, []).append(gss)
                first = re.sub(r"[^a-z]", "", c.name.lower().split()[0])
                first_words.setdefault(first, set()).add(c.name)
            for gss, c in self.councils.items():
                first = re.sub(r"[^a-z]", "", c.name.lower().split()[0])
                # "telford" stands for Telford and Wrekin only if no other council starts so
                if len(first_words[first]) == 1 and first not in ("north", "south", "east", "west", "city"):
                    keys.setdefault(first, []).append(gss)
            self._hosts = keys
        return self._hosts

    def surface_forms(self):
        for gss, council in self.councils.items():
            for n in council.names:
                yield n, gss


def normalise(name: str) -> str:
    name = name.replace("’", "'").replace("&", "and")
    name = re.sub(r"[\s\-]+", " ", name).strip().lower()
    name = re.sub(r"^the ", "", name)
    return re.sub(r"'s$", "", name)


def _variants(row: dict) -> list:
    names = [row["name"]]
    names += [a.strip() for a in row["alt_names"].split(";") if a.strip()]
    for pattern in _TYPE_VARIANTS.get(row["type"], ()):
        names.append(pattern.format(n=row["name"]))
    out, seen = [], set()
    for n in names:
        if normalise(n) not in seen:
            seen.add(normalise(n))
            out.append(n)
    return out


def load_gazetteer(path: Path = DATA / "councils.csv") -> Gazetteer:
    problems = []
    gaz = Gazetteer()
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise DataFileError(path, [f"cannot read ({exc.strerror})"]) from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise DataFileError(path, [f"missing columns: {', '.join(missing)}"])
        lines: dict = {}
        for lineno, row in enumerate(reader, start=2):
            row = {**{c: "" for c in OPTIONAL}, **{k: (v or "") for k, v in row.items()}}
            lines[row["gss_code"]] = lineno
            if not _GSS.match(row["gss_code"] or ""):
                problems.append(f"line {lineno}: bad gss_code {row['gss_code']!r}")
            if not row["name"].strip():
                problems.append(f"line {lineno}: empty name")
            for col in ("valid_from", "valid_to"):
                if row[col] and not _DATE.match(row[col]):
                    problems.append(f"line {lineno}: bad {col} {row[col]!r}")
            if row["gss_code"] in gaz.councils:
                problems.append(f"line {lineno}: duplicate gss_code {row['gss_code']}")
            domains = tuple(d.strip() for d in row["domain"].split(";") if d.strip())
            for d in domains:
                if not _DOMAIN.match(d):
                    problems.append(f"line {lineno}: bad domain {d!r} (lower-case host name, no scheme)")
            mayor = None
            if row["elected_mayor"]:
                m = _MAYOR.match(row["elected_mayor"])
                if not m or (m.group(2) and m.group(2) < m.group(1)):
                    problems.append(f"line {lineno}: bad elected_mayor {row['elected_mayor']!r} (YYYY- or YYYY-YYYY)")
                else:
                    mayor = (int(m.group(1)), int(m.group(2)) if m.group(2) else None)
            council = Council(
                gss_code=row["gss_code"], name=row["name"].strip(), type=row["type"], region=row["region"],
                dfe_code=row["dfe_code"], ofsted_urn=row["ofsted_urn"],
                valid_from=row["valid_from"] or None, valid_to=row["valid_to"] or None,
                replaced_by=tuple(c for c in row["replaced_by"].split(";") if c),
                names=tuple(_variants(row)),
                domains=domains,
                stat_neighbours=tuple(c.strip() for c in row["stat_neighbours"].split(";") if c.strip()),
                elected_mayor=mayor,
            )
            gaz.councils[council.gss_code] = council
    domain_owner: dict = {}
    for gss, council in gaz.councils.items():
        where = f"line {lines.get(gss, '?')} ({gss})"
        for succ in council.replaced_by:
            if succ not in gaz.councils:
                problems.append(f"{where}: replaced_by names unknown code {succ}")
        for n in council.stat_neighbours:
            if n not in gaz.councils:
                problems.append(f"{where}: stat_neighbours names unknown code {n}")
            elif n == gss or gaz.councils[n].valid_to:
                problems.append(f"{where}: stat_neighbours names {n}, itself or a retired council")
        if len(set(council.stat_neighbours)) != len(council.stat_neighbours):
            problems.append(f"{where}: stat_neighbours repeats a code")
        for d in council.domains:
            other = domain_owner.setdefault(d, gss)
            # a domain may pass from a retired council to its successor, never be shared by two live ones
            if other != gss and not (council.valid_to or gaz.councils[other].valid_to):
                problems.append(f"{where}: domain {d} is also {other}'s")
        for n in council.names:
            gaz.by_name.setdefault(normalise(n), []).append(gss)
    if problems:
        raise DataFileError(path, problems)
    # open (current) authorities first, so undated look-ups prefer them
    for key, codes in gaz.by_name.items():
        codes.sort(key=lambda c: (gaz.councils[c].valid_to is not None, c))
    return gaz


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return load_gazetteer()


@dataclass(frozen=True)
class Organisation:
    key: str
    name: str
    aliases: tuple
    kind: str


@lru_cache(maxsize=1)
def organisations(path: Path = DATA / "organisations.csv") -> dict:
    problems, out = [], {}
    with path.open(encoding="utf-8", newline="") as handle:
        for lineno, row in enumerate(csv.DictReader(handle), start=2):
            if not row.get("key") or not row.get("name"):
                problems.append(f"line {lineno}: key and name are required")
                continue
            out[row["key"]] = Organisation(row["key"], row["name"],
                                           tuple(a for a in (row.get("aliases") or "").split(";") if a), row.get("kind") or "")
    if problems:
        raise DataFileError(path, problems)
    return out
