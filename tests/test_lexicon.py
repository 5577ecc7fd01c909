"""The one data-file loader: every problem of a file reported at once, each with its location."""
import pytest

from kg.errors import DataFileError
from kg.nlp.lexicon import Problems, load_word_lists, read_csv, read_json, read_jsonl


def test_json_syntax_error_names_line_and_column(tmp_path):
    bad = tmp_path / "lex.json"
    bad.write_text('{\n  "speech_verbs": ["said",\n  "told"\n', encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        read_json(bad)
    assert err.value.path == str(bad) and "line 4" in str(err.value)


def test_word_lists_report_every_bad_key_and_item(tmp_path):
    bad = tmp_path / "lex.json"
    bad.write_text('{"speech_verbs": ["said", "(told", ""], "finding_verbs": [], "extra": 3}', encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_word_lists(bad, ("speech_verbs", "finding_verbs", "honorifics"))
    problems = err.value.problems
    assert any(p.startswith("key 'speech_verbs'[1]: bad pattern '(told'") for p in problems)
    assert any(p.startswith("key 'speech_verbs'[2]:") for p in problems)
    assert "key 'finding_verbs': must be a non-empty list" in problems
    assert "key 'honorifics': must be a non-empty list" in problems
    assert len(problems) == 4


def test_word_lists_run_an_extra_check_on_other_keys(tmp_path):
    path = tmp_path / "lex.json"
    path.write_text('{"verbs": ["said"], "limit": "six"}', encoding="utf-8")

    def check(key, value, problems):
        if key == "limit" and not isinstance(value, int):
            problems.add(f"key {key!r}", "must be a whole number")

    with pytest.raises(DataFileError, match="key 'limit': must be a whole number"):
        load_word_lists(path, ("verbs",), check)
    path.write_text('{"verbs": ["said"], "limit": 6}', encoding="utf-8")
    assert load_word_lists(path, ("verbs",), check)["limit"] == 6


def test_jsonl_rows_keep_line_numbers_and_bad_lines_are_all_recorded(tmp_path):
    path = tmp_path / "rules.jsonl"
    path.write_text('{"a": 1}\n\nnot json\n[1, 2]\n{"a": 2}\n', encoding="utf-8")
    problems = Problems(path)
    rows = read_jsonl(path, problems)
    assert rows == [(1, {"a": 1}), (5, {"a": 2})]
    assert problems.items == ["line 3: not JSON (Expecting value)", "line 4: not a JSON object"]
    with pytest.raises(DataFileError):
        problems.check()


def test_csv_missing_column_and_bad_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("code,name\nE1,One\nE2,\nE3,Three,extra\n", encoding="utf-8")
    problems = Problems(path)
    assert read_csv(path, ("code", "name"), problems) == [(2, {"code": "E1", "name": "One"})]
    assert problems.items == ["line 3: empty 'name'", "line 4: 3 fields, the header has 2"]
    problems = Problems(path)
    assert read_csv(path, ("code", "region"), problems) == []
    assert problems.items == ["line 1: missing column(s) 'region'"]


def test_unreadable_file_is_a_data_file_error(tmp_path):
    with pytest.raises(DataFileError, match="cannot read"):
        read_json(tmp_path / "absent.json")


def test_shipped_lexicons_load():
    from kg.extract.context import LEXICONS

    assert LEXICONS.patterns and LEXICONS.quotes["speech"].search("she said") and LEXICONS.findings["subject"]


def test_cue_patterns_join_their_pieces_and_report_every_bad_entry(tmp_path):
    from kg.nlp.lexicon import load_cues

    good = tmp_path / "cues.json"
    good.write_text('{"_about": "x", "past": {"pattern": ["\\\\bprevious(?:ly)?|", "\\\\blast"], "flags": "i"}}',
                    encoding="utf-8")
    cues = load_cues(good)
    assert set(cues) == {"past"} and cues["past"].search("LAST year") and not cues["past"].search("past")
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": {"pattern": "(open"}, "b": {"pattern": []}, "c": {"pattern": "x", "flags": "iz"}, '
                   '"d": ["x"], "e": {"pattern": "ok"}}', encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_cues(bad)
    problems = err.value.problems
    assert [p.split(":")[0] for p in problems] == ["key 'a' pattern", "key 'b' pattern", "key 'c' flags", "key 'd'"]


def test_the_inspection_cues_load():
    from kg.extract.inspections.cues import CUES

    assert CUES["negated"].search("the council has shed its '") and CUES["aimed"].search("its goal of being rated '")
    assert not CUES["negated"].search("the council was rated '")
