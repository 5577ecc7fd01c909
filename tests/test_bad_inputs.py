"""One bad input never costs the others: each kind is reported by name and the rest is built."""
import json
import os
from pathlib import Path

import pytest

from kg import build as build_module
from kg.build import build, text_pieces
from kg.cli import main
from kg.config import Config
from kg.errors import BUILT_WITH_ERRORS
from kg.sources import discover_sources, load_file
from kg.sources.dates_meta import normalise_published, published_from_text, published_from_url

GOOD = "Ofsted rated Wigan Council's children's services good in June 2018, the council said.\n"


def write(path: Path, text: str, meta: dict = None, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    if meta is not None:
        path.with_name(path.stem + ".meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return path


def blank_pdf(path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    pdf.save(str(path))
    pdf.close()


@pytest.fixture(scope="module")
def battery(tmp_path_factory):
    """A folder of every kind of bad input beside one good document, built once through the CLI."""
    root = tmp_path_factory.mktemp("battery")
    src = root / "src"
    write(src / "good.txt", GOOD)
    # impossible dates, each with a relative date that counts from it
    write(src / "dateline.txt", "Tameside Council\n30 February 2021\n\nOfsted rated Tameside Council's children's "
                                "services inadequate last month, the council said yesterday.\n")
    write(src / "urldate.txt", "Ofsted rated Oldham Council's children's services good last month.\n",
          {"url": "https://news.example.org/2021/02/30/oldham-ofsted/"})
    write(src / "sidecardate.txt", "Ofsted rated Bury Council's children's services good three weeks ago.\n",
          {"published": "2024-13-45"})
    # sidecar fields of the wrong type, an unknown kind
    write(src / "badtypes.txt", "Ofsted rated Bolton Council's children's services good in 2019.\n",
          {"title": 5, "url": ["x"], "publisher": {"a": 1}, "kind": "podcast"})
    # encodings
    write(src / "utf16.txt", "\ufeffOfsted rated Tameside Council's children's services inadequate in 2019.\n",
          encoding="utf-16-le")
    write(src / "utf16-nobom.txt", "Ofsted rated Stockport Council's children's services outstanding in 2019.\n",
          encoding="utf-16-le")
    write(src / "cp1252.txt", "Ofsted rated Salford Council\u2019s children\u2019s services good \u2013 said the caf\xe9 "
                              "owner \u2013 in 2019, with the council\u2019s \u201cstrong\u201d leadership noted.\n",
          encoding="cp1252")
    # what is skipped: empty, image-only PDF, broken link, a link loop
    write(src / "empty.txt", "")
    blank_pdf(src / "scanned.pdf")
    os.symlink("nowhere.txt", src / "dangling.txt")
    (src / "sub").mkdir()
    os.symlink("..", src / "sub" / "loop")
    # errors: a binary file, bad and repeated JSON Lines records
    (src / "binary.txt").write_bytes(bytes(range(256)) * 8)
    write(src / "feed.jsonl", "\n".join([
        json.dumps({"id": "a", "text": "Ofsted rated Trafford Council's children's services good in 2019."}),
        "{not json",
        json.dumps({"id": "a", "text": "Ofsted rated Rochdale Council's children's services good in 2019."}),
    ]) + "\n")
    # a name with control characters
    write(src / "evil\x1b[31mname.txt", "Wirral\n30 February 2021\n\n" + GOOD.replace("Wigan", "Wirral"))
    out = root / "out"
    import io
    from contextlib import redirect_stderr, redirect_stdout

    err, std = io.StringIO(), io.StringIO()
    with redirect_stderr(err), redirect_stdout(std):
        code = main(["build", str(src), "--out", str(out), "--no-viz"])
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return {"code": code, "stderr": err.getvalue(), "stdout": std.getvalue(), "report": report, "src": src, "out": out}


def entry(report, source):
    return next(s for s in report["sources"] if s["source"] == source)


def warned(report, source, words):
    text = " ".join(entry(report, source).get("warnings", []) + entry(report, source).get("errors", []))
    return all(w in text for w in words)


def test_the_build_finishes_and_says_it_had_errors(battery):
    assert battery["code"] == BUILT_WITH_ERRORS
    assert "built with 3 input error(s)" in battery["stderr"]


def test_good_documents_are_built_beside_the_bad(battery):
    r = battery["report"]
    for source in ("good.txt", "dateline.txt", "urldate.txt", "sidecardate.txt", "badtypes.txt", "utf16.txt",
                   "utf16-nobom.txt", "cp1252.txt", "feed.jsonl#a"):
        assert entry(r, source)["status"] == "ok", source
        assert entry(r, source)["counts"]["councils"] >= 1, source


def test_impossible_dates_keep_their_real_part(battery):
    r = battery["report"]
    assert warned(r, "dateline.txt", ["'30 February 2021' is not a real date", "kept 2021-02"])
    assert warned(r, "urldate.txt", ["'/2021/02/30/' is not a real date", "kept 2021-02"])
    assert warned(r, "sidecardate.txt", ["'2024-13-45' is not a real date", "kept 2024"])


def test_sidecar_fields_of_the_wrong_type_and_unknown_kinds_are_named(battery):
    r = battery["report"]
    assert warned(r, "badtypes.txt", ["'title' is int", "'url' is list", "'publisher' is dict", "unknown kind 'podcast'"])


def test_encodings_are_detected_and_said(battery):
    r = battery["report"]
    assert entry(r, "utf16.txt")["encoding"] == "utf-16" and warned(r, "utf16.txt", ["byte-order mark"])
    assert entry(r, "utf16-nobom.txt")["encoding"].replace("_", "-").startswith("utf-16")
    assert entry(r, "cp1252.txt")["encoding"] == "cp1252"
    assert "encoding" not in entry(r, "good.txt")


def test_what_is_skipped_is_reported(battery):
    r, err = battery["report"], battery["stderr"]
    assert entry(r, "empty.txt")["status"] == "skipped" and warned(r, "empty.txt", ["empty"])
    assert entry(r, "scanned.pdf")["status"] == "skipped" and warned(r, "scanned.pdf", ["no text layer"])
    assert any("dangling.txt: broken symbolic link" in w for w in r["warnings"])
    assert any("loop: symbolic link loop" in w for w in r["warnings"])
    assert r["totals"]["warnings"] == len(r["warnings"]) + sum(len(s.get("warnings", [])) for s in r["sources"])
    for w in r["warnings"]:
        assert "warning: " + w in err


def test_bad_files_are_errors_naming_the_file(battery):
    r = battery["report"]
    assert entry(r, "binary.txt")["status"] == "error" and warned(r, "binary.txt", ["binary.txt: not text"])
    errors = [e for s in r["sources"] if s["source"] == "feed.jsonl" for e in s["errors"]]
    assert any("feed.jsonl:2: not valid JSON" in e for e in errors)
    assert any("feed.jsonl:3: id 'a' already used on line 1" in e for e in errors)


def test_control_characters_in_names_are_escaped_on_the_terminal(battery):
    assert "\x1b" not in battery["stderr"] + battery["stdout"]
    assert "evil\\x1b[31mname.txt" in battery["stderr"]  # escaped, still named
    assert entry(battery["report"], "evil\x1b[31mname.txt")["status"] == "ok"


def test_warnings_survive_a_cached_rebuild(battery, tmp_path):
    again = build(Config().with_(sources=(str(battery["src"]),), out=battery["out"], viz=False))
    first = {s["source"]: (s["status"], s.get("warnings"), s.get("encoding")) for s in battery["report"]["sources"]}
    second = {s["source"]: (s["status"], s.get("warnings"), s.get("encoding")) for s in again.sources}
    assert second == first
    # a file with bad records is read again each time (so they are reported again); the rest is cached
    assert all(s.get("cached") for s in again.sources if s["status"] == "ok" and s["source"] != "feed.jsonl#a")


def test_unreadable_folders_are_reported(tmp_path, monkeypatch):
    write(tmp_path / "src" / "a.txt", GOOD)
    write(tmp_path / "src" / "closed" / "b.txt", GOOD)
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("closed"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    warnings = []
    found, errors = discover_sources([tmp_path / "src"], warnings.append)
    assert [sid for _, sid in found] == ["a.txt"] and not errors
    assert warnings == [f"{tmp_path / 'src' / 'closed'}: cannot read folder (Permission denied); skipped"]


def test_date_helpers_refuse_impossible_dates():
    assert normalise_published("2021-02-29") == "2021-02"
    assert normalise_published("2020-02-29") == "2020-02-29"
    assert normalise_published("2024-00-10") == "2024"
    assert normalise_published(["2020"]) is None
    assert published_from_url("https://example.org/2023/04/31/x/") == "2023-04"
    assert published_from_url("https://example.org/20230431/x") == "2023-04"
    assert published_from_text("Wigan\n31 April 2023\nText") == "2023-04"
    assert published_from_text("Friday, February 30, 2018 text") == "2018-02"


def test_a_relative_date_after_an_impossible_dateline_resolves_from_what_is_real():
    from kg.nlp.dates import find_dates, resolve_all

    mentions = find_dates("The report came out yesterday, three years later than planned in May.")
    for base in ("2021-02-30", "2021-13-01", "0000-01-01", "2021-02", "garbage"):
        resolve_all(mentions, base)  # no exception
    assert resolve_all(find_dates("It happened yesterday."), "2021-02-30") == [("2021-02", None)]


def test_pieces_cover_the_text_in_bounded_lengths():
    text = ("word " * 3000 + "\n\n") * 10 + "x" * 25_000
    spans = text_pieces(text, 10_000)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a < b <= a + 10_000 for a, b in spans)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))
    assert text[spans[0][1] - 2:spans[0][1]] in ("\n\n", "d ")


def test_a_long_document_is_read_in_pieces_with_offsets_into_the_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(build_module, "LONG_CHARS", 2_000)
    monkeypatch.setattr(build_module, "PIECE_CHARS", 1_000)
    para = "Members discussed the budget for road maintenance and the opening hours of the library.\n\n"
    text = para * 30 + "Ofsted rated Tameside Council's children's services inadequate in March 2019.\n\n" + para * 30
    write(tmp_path / "src" / "long.txt", text)
    write(tmp_path / "src" / "short.txt", GOOD)
    result = build(Config().with_(sources=(str(tmp_path / "src"),), out=tmp_path / "out", viz=False, cache=False))
    assert entry({"sources": result.sources}, "long.txt")["status"] == "ok"
    from kg.query import named_queries, run_query

    cols, rows = run_query(tmp_path / "out", named_queries()["judgements"][1])
    assert any(dict(zip(cols, r))["source"] == "long.txt" and dict(zip(cols, r))["grade"] for r in rows)
    facts = [f for f in build_module.extract_sources(Config().with_(sources=(str(tmp_path / "src" / "long.txt"),), cache=False),
                                                     [], tmp_path / "cache", build_module.BuildResult(out=tmp_path))[0]]
    evidence = [c.evidence for c in facts[0].councils]
    assert evidence and all(text[e.start:e.end] == e.text for e in evidence)
    assert min(e.start for e in evidence) > 30 * len(para) - 1


def test_a_document_over_its_time_budget_is_reported_and_the_rest_built(tmp_path, monkeypatch):
    monkeypatch.setattr(build_module, "LONG_CHARS", 2_000)
    monkeypatch.setattr(build_module, "PIECE_CHARS", 1_000)
    import kg.extract

    real = kg.extract.extract
    calls = []

    def slow(sdoc, document):
        if document.source_id == "slow.txt":
            calls.append(1)
            if len(calls) == 3:  # the third piece hangs: the alarm stops it, the budget ends the document
                import time

                time.sleep(60)
        return real(sdoc, document)

    monkeypatch.setattr(kg.extract, "extract", slow)
    write(tmp_path / "src" / "slow.txt", ("Ofsted rated Bury Council's children's services good in 2019. " * 15 + "\n\n") * 10)
    write(tmp_path / "src" / "short.txt", GOOD)
    result = build(Config().with_(sources=(str(tmp_path / "src"),), out=tmp_path / "out", viz=False, cache=False,
                                  doc_time_budget=8.0))
    slow_entry = entry({"sources": result.sources}, "slow.txt")
    assert slow_entry["status"] == "error" and "over the time budget of 8 s" in slow_entry["errors"][0]
    assert 0 < slow_entry["counts"]["councils"]  # the pieces read in time are kept
    assert entry({"sources": result.sources}, "short.txt")["status"] == "ok"


def test_a_document_that_breaks_the_pipeline_costs_only_itself(tmp_path, monkeypatch):
    from kg.nlp import pipeline

    real = pipeline.make_docs

    def make_docs(nlp, documents):
        for doc, d in zip(real(nlp, documents), documents):
            if "POISON" in d.text:
                raise RuntimeError("poisoned document")
            yield doc

    monkeypatch.setattr(pipeline, "make_docs", make_docs)
    write(tmp_path / "src" / "a.txt", GOOD)
    write(tmp_path / "src" / "b.txt", "POISON " + GOOD)
    write(tmp_path / "src" / "c.txt", GOOD.replace("Wigan", "Wirral"))
    result = build(Config().with_(sources=(str(tmp_path / "src"),), out=tmp_path / "out", viz=False, cache=False))
    status = {s["source"]: s["status"] for s in result.sources}
    assert status == {"a.txt": "ok", "b.txt": "error", "c.txt": "ok"}
    assert "poisoned document" in entry({"sources": result.sources}, "b.txt")["errors"][0]


def test_load_file_names_the_file_for_each_warning(tmp_path):
    p = write(tmp_path / "x.txt", "Wigan\n30 February 2021\n\nText.", {"title": 3})
    warnings = []
    docs = list(load_file(p, warnings.append))
    assert len(docs) == 1 and docs[0].published == "2021-02"
    assert all(w.startswith(str(tmp_path)) for w in warnings) and len(warnings) == 2


def test_a_document_over_a_million_characters_is_built(tmp_path):
    """spaCy refuses texts over 1,000,000 characters: the document is read in pieces and its
    evidence points into the whole text. Long made-up words keep the token count (and time) low."""
    import random

    rng = random.Random(7)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(40)) for _ in range(500)]
    filler = "\n\n".join(" ".join(rng.choice(words) for _ in range(40)) + "." for _ in range(620))
    text = filler + "\n\nOfsted rated Tameside Council's children's services inadequate in March 2019.\n"
    assert len(text) > 1_000_000
    write(tmp_path / "src" / "huge.txt", text)
    write(tmp_path / "src" / "good.txt", GOOD)
    result = build_module.BuildResult(out=tmp_path)
    facts = build_module.extract_sources(Config().with_(sources=(str(tmp_path / "src"),), cache=False),
                                         [], tmp_path / "cache", result)[0][1]
    assert {s["source"]: s["status"] for s in result.sources} == {"good.txt": "ok", "huge.txt": "ok"}
    assert [c.name for c in facts.councils] == ["Tameside"]
    e = facts.councils[0].evidence
    assert e.start > 1_000_000 and text[e.start:e.end] == e.text


def test_a_document_with_one_very_long_paragraph_is_read_in_pieces(tmp_path, monkeypatch):
    """Some rules rescan a paragraph for each match: a paragraph of tens of thousands of
    characters is read in pieces even when the document is short of LONG_CHARS."""
    calls = []
    real = build_module._extract_long
    monkeypatch.setattr(build_module, "_extract_long", lambda *a: calls.append(a[1].source_id) or real(*a))
    line = "Members discussed the budget for road maintenance and the opening hours of the library. " * 300
    text = line + "Ofsted rated Tameside Council's children's services inadequate in March 2019.\n"
    assert build_module.LONG_LINE < len(text) < build_module.LONG_CHARS and "\n" not in text[:-1]
    write(tmp_path / "src" / "one-line.txt", text)
    write(tmp_path / "src" / "short.txt", GOOD)
    result = build_module.BuildResult(out=tmp_path)
    facts = build_module.extract_sources(Config().with_(sources=(str(tmp_path / "src"),), cache=False),
                                         [], tmp_path / "cache", result)[0]
    assert calls == ["one-line.txt"]
    one = next(f for f in facts if f.document.source_id == "one-line.txt")
    assert [c.name for c in one.councils] == ["Tameside"]
    e = one.councils[0].evidence
    assert e.start > len(line) - 1 and text[e.start:e.end] == e.text
