"""``kg eval``: score extraction against ``*.gold.json`` files.

Builds the corpus folder, runs the named queries and matches their rows per
document with the gold, as the corpus README describes.
"""
from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..config import Config
from ..errors import InputError, UsageError
from ..extract.text_utils import name_key
from ..nlp.dates import compatible

CATEGORIES = ("councils", "people", "people+role", "inspections", "judgements", "findings", "quotes")
REPORT_CATEGORIES = ("report_councils", "report_inspection", "report_dates", "report_judgements")


@dataclass
class Score:
    tp_pred: int = 0  # predicted rows that are right
    pred: int = 0
    tp_gold: int = 0  # gold items found
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp_pred / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp_gold / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, tp_pred, pred, tp_gold, gold):
        self.tp_pred += tp_pred
        self.pred += pred
        self.tp_gold += tp_gold
        self.gold += gold


@dataclass
class EvalResult:
    scores: dict = field(default_factory=dict)
    dated: list = field(default_factory=lambda: [0, 0])  # matched inspections with gold date: [with a date, all]
    documents: int = 0
    misses: dict = field(default_factory=dict)  # doc -> category -> list of missed gold / wrong rows

    def table(self) -> str:
        lines = [f"{'category':<20}{'precision':>10}{'recall':>10}{'f1':>8}{'gold':>7}{'rows':>7}"]
        for name, s in self.scores.items():
            if s.gold == 0 and s.pred == 0:
                continue
            lines.append(f"{name:<20}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>8.3f}{s.gold:>7}{s.pred:>7}")
        if self.dated[1]:
            lines.append(f"inspections dated: {self.dated[0]}/{self.dated[1]} = {self.dated[0] / self.dated[1]:.3f}")
        lines.append(f"documents: {self.documents}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {k: {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                    "gold": s.gold, "rows": s.pred} for k, s in self.scores.items()}


def _norm_council(name: Optional[str]) -> str:
    from ..nlp.gazetteer import normalise

    return normalise(name or "")


def _words(text: str) -> list:
    return re.findall(r"[a-z0-9]+", (text or "").lower().replace("’", "'"))


def covers(row_text: str, gold_text: str, max_words: int) -> bool:
    gw = _words(gold_text)
    rw = _words(row_text)
    if not gw or len(rw) > max_words:
        return False
    rs = set(rw)
    return sum(1 for w in gw if w in rs) / len(gw) >= 0.6


def same_person(a: str, b: str) -> bool:
    ka, kb = name_key(a).split(), name_key(b).split()
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    return ka[-1] == kb[-1] and ka[0][0] == kb[0][0]


def match_one_to_one(gold: list, rows: list, same, affinity=None) -> tuple:
    """One-to-one matching; returns (matched pairs, unmatched gold, unmatched rows).

    Candidate pairs are taken best first (``affinity``: how much of the two
    agree beyond the match rule), so a vague row does not take the place of
    a precise one.
    """
    cands = [(-(affinity(g, r) if affinity else 0), gi, ri)
             for gi, g in enumerate(gold) for ri, r in enumerate(rows) if same(g, r)]
    cands.sort()
    used_g, used_r, pairs = set(), set(), []
    for _, gi, ri in cands:
        if gi in used_g or ri in used_r:
            continue
        used_g.add(gi)
        used_r.add(ri)
        pairs.append((gold[gi], rows[ri]))
    return (pairs, [g for i, g in enumerate(gold) if i not in used_g],
            [r for i, r in enumerate(rows) if i not in used_r])


def _date_affinity(g: dict, r: dict) -> int:
    """Count date fields both give and agree on (longer agreement scores higher)."""
    score = 0
    for key in ("visit_start", "published"):
        a, b = g.get(key), r.get(key)
        if a and b and (a.startswith(b) or b.startswith(a)):
            score += min(len(a), len(b))
    return score


def _many(gold: list, rows: list, same) -> tuple:
    found = [g for g in gold if any(same(g, r) for r in rows)]
    right = [r for r in rows if any(same(g, r) for g in gold)]
    return len(right), len(rows), len(found), len(gold), [g for g in gold if g not in found], [r for r in rows if r not in right]


def load_gold(corpus: Path) -> dict:
    golds = {}
    for p in sorted(corpus.glob("*.gold.json")):
        try:
            golds[p.name[: -len(".gold.json")]] = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"{p}: cannot read gold ({exc})") from exc
    return golds


def _rows_by_doc(graph_dir: Path, name: str, store) -> dict:
    from ..query import named_queries, run_query

    columns, rows = run_query(graph_dir, named_queries()[name][1], store=store)
    out: dict = {}
    for row in rows:
        rec = dict(zip(columns, row))
        doc = re.sub(r"\.(txt|md|html?|pdf|jsonl)$", "", rec["source"] or "")
        out.setdefault(doc, []).append(rec)
    return out


def score_build(graph_dir: Path, golds: dict) -> EvalResult:
    from ..store import open_store

    store = open_store(graph_dir)
    res = EvalResult()
    for c in CATEGORIES + REPORT_CATEGORIES:
        res.scores[c] = Score()
    rows = {n: _rows_by_doc(graph_dir, n, store) for n in ("councils", "people", "inspections", "judgements", "findings", "quotes")}
    for doc_id, gold in golds.items():
        res.documents += 1
        misses = res.misses.setdefault(doc_id, {})
        get = lambda name: rows[name].get(doc_id, [])  # noqa: E731
        if gold.get("scope") == "report":
            _score_report(res, gold, get, misses)
            continue
        _score_news(res, gold, get, misses)
    return res


def _score_news(res: EvalResult, gold: dict, get, misses: dict) -> None:
    # councils
    gc = sorted({_norm_council(c) for c in gold.get("councils", [])})
    rc = sorted({_norm_council(r["council"]) for r in get("councils")})
    pairs, missed, extra = match_one_to_one(gc, rc, lambda g, r: g == r)
    res.scores["councils"].add(len(pairs), len(rc), len(pairs), len(gc))
    misses["councils"] = {"missed": missed, "extra": extra}
    # people
    gp = gold.get("people", [])
    rp = get("people")
    pairs, missed, extra = match_one_to_one(gp, rp, lambda g, r: same_person(g["name"], r["person"]))
    res.scores["people"].add(len(pairs), len(rp), len(pairs), len(gp))
    pairs2, missed2, extra2 = match_one_to_one(
        gp, rp, lambda g, r: same_person(g["name"], r["person"]) and g.get("role_category") == r["role_category"])
    res.scores["people+role"].add(len(pairs2), len(rp), len(pairs2), len(gp))
    misses["people"] = {"missed": [(g["name"], g.get("role_category")) for g in missed2],
                        "extra": [(r["person"], r["role_category"], r.get("role_title")) for r in extra2]}
    # inspections
    gi = gold.get("inspections", [])
    ri = get("inspections")

    def same_insp(g, r):
        return (_norm_council(g["council"]) == _norm_council(r["council"]) and g["kind"] == r["kind"]
                and compatible(g.get("visit_start"), r.get("visit_start"))
                and compatible(g.get("published"), r.get("published")))

    pairs, missed, extra = match_one_to_one(gi, ri, same_insp, _date_affinity)
    res.scores["inspections"].add(len(pairs), len(ri), len(pairs), len(gi))
    for g, r in pairs:
        if g.get("visit_start") or g.get("published"):
            res.dated[1] += 1
            if r.get("visit_start") or r.get("published"):
                res.dated[0] += 1
    misses["inspections"] = {
        "missed": [(g["council"], g["kind"], g.get("visit_start"), g.get("published")) for g in missed],
        "extra": [(r["council"], r["kind"], r.get("visit_start"), r.get("published")) for r in extra]}
    # judgements
    gj = [(_norm_council(i["council"]), j["area"], j["grade"]) for i in gi for j in i.get("judgements", [])]
    rj = [(_norm_council(r["council"]), r["area"], r["grade"]) for r in get("judgements")]
    pairs, missed, extra = match_one_to_one(gj, rj, lambda g, r: g == r)
    res.scores["judgements"].add(len(pairs), len(rj), len(pairs), len(gj))
    misses["judgements"] = {"missed": missed, "extra": extra}
    # findings: many-to-one
    gf = gold.get("findings", [])
    rf = get("findings")

    def same_finding(g, r):
        return g["polarity"] == r["polarity"] and covers(r["text"], g["evidence"], 4 * len(_words(g["evidence"])) + 40)

    a, b, c, d, missed, extra = _many(gf, rf, same_finding)
    res.scores["findings"].add(a, b, c, d)
    misses["findings"] = {"missed": [(g["polarity"], g["evidence"][:100]) for g in missed],
                          "extra": [(r["polarity"], r["text"][:100]) for r in extra]}
    gq = gold.get("quotes", [])
    rq = get("quotes")

    def same_quote(g, r):
        speaker_ok = same_person(g["speaker"], r["speaker"]) or name_key(g["speaker"]) == name_key(r["speaker"])
        return speaker_ok and covers(r["text"], g["evidence"], 400)

    a, b, c, d, missed, extra = _many(gq, rq, same_quote)
    res.scores["quotes"].add(a, b, c, d)
    misses["quotes"] = {"missed": [(g["speaker"], g["evidence"][:80]) for g in missed],
                        "extra": [(r["speaker"], r["text"][:80]) for r in extra]}


def _score_report(res: EvalResult, gold: dict, get, misses: dict) -> None:
    gc = {_norm_council(c) for c in gold.get("councils", [])}
    rc = {_norm_council(r["council"]) for r in get("councils")}
    res.scores["report_councils"].add(len(gc & rc), len(rc), len(gc & rc), len(gc))
    for g in gold.get("inspections", []):
        cands = [r for r in get("inspections") if _norm_council(r["council"]) == _norm_council(g["council"])
                 and r["kind"] == g["kind"] and compatible(g.get("visit_start"), r.get("visit_start"))]
        res.scores["report_inspection"].add(bool(cands), 1, bool(cands), 1)
        if not cands:
            misses["report_inspection"] = [g]
            res.scores["report_dates"].add(0, 0, 0, 1)
            res.scores["report_judgements"].add(0, 0, 0, len(g.get("judgements", [])))
            continue
        best = max(cands, key=lambda r: (r.get("visit_start") == g.get("visit_start"), r.get("published") == g.get("published")))
        dates_ok = best.get("visit_start") == g.get("visit_start") and best.get("published") == g.get("published")
        res.scores["report_dates"].add(int(dates_ok), 1, int(dates_ok), 1)
        if not dates_ok:
            misses["report_dates"] = {"gold": (g.get("visit_start"), g.get("published")),
                                      "row": (best.get("visit_start"), best.get("published"))}
        gj = sorted((j["area"], j["grade"]) for j in g.get("judgements", []))
        rj = sorted({(r["area"], r["grade"]) for r in get("judgements") if r["inspection"] == best["inspection"]})
        pairs, missed, extra = match_one_to_one(gj, rj, lambda a, b: a == b)
        res.scores["report_judgements"].add(len(pairs), len(rj), len(pairs), len(gj))
        if missed or extra:
            misses["report_judgements"] = {"missed": missed, "extra": extra}


def read_id_list(path) -> set:
    """Document ids, one a line (``#`` starts a comment), as used by ``--only``/``--exclude``."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read id list ({exc})") from exc
    return {line.split("#", 1)[0].strip() for line in lines} - {""}


def select_golds(golds: dict, only: Optional[set] = None, exclude: Optional[set] = None, where: str = "") -> dict:
    """Keep the golds named by ``only`` and drop those in ``exclude``; an unknown id is an error."""
    unknown = sorted((only or set()) - set(golds)) + sorted((exclude or set()) - set(golds))
    if unknown:
        raise UsageError(f"{where}: no gold for {', '.join(unknown)}")
    return {k: v for k, v in golds.items() if (only is None or k in only) and k not in (exclude or set())}


def evaluate(corpus_dir, *, config: Optional[Config] = None, keep: Optional[Path] = None,
             only: Optional[set] = None, exclude: Optional[set] = None) -> EvalResult:
    """Build the corpus folder and score it against its gold files.

    ``only``/``exclude`` restrict which documents are scored (a blind set, or
    everything but it); the whole folder is still built, so cross-document
    resolution sees the same documents either way.
    """
    from ..build import build

    corpus = Path(corpus_dir)
    if not corpus.is_dir():
        raise UsageError(f"{corpus}: not a folder")
    golds = select_golds(load_gold(corpus), only, exclude, str(corpus))
    if not golds:
        raise UsageError(f"{corpus}: no *.gold.json files to score against")
    config = (config or Config()).with_(sources=(str(corpus),), viz=False, cache=True)
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as tmp:
        out = Path(keep) if keep else Path(tmp) / "out"
        config = config.with_(out=out)
        build(config)
        return score_build(out, golds)
