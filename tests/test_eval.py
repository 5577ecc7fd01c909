"""Extraction quality floors on the real corpus: a regression fails CI.

Floors sit just under the figures measured when they were set; raise them as
extraction improves.
"""
from pathlib import Path

import pytest

from kg.eval import covers, evaluate, same_person

HELDOUT = Path(__file__).parent / "heldout"

FLOORS = {
    "seeds": {"councils": 0.97, "people": 0.97, "people+role": 0.97, "inspections": 0.95, "judgements": 0.95,
              "findings": 0.98, "quotes": 0.96, "dated": 0.95},
    # dev grew from 20 to 70 texts (December 2026): floors reset to the figures measured on all 70
    "dev": {"councils": 0.97, "people": 0.97, "people+role": 0.92, "inspections": 0.88, "judgements": 0.90,
            "findings": 0.84, "quotes": 0.88, "dated": 0.95},
}
# texts the team wrote with their own gold, in the corpus format, after the rules above were set.
# news and minutes were used to find general rules; web was kept aside (scored, not read) until the rules on
# grades of other councils, earlier years and other services, whose misses it was read for; fresh likewise.
HELDOUT_FLOORS = {
    "news": {"councils": 0.98, "people": 0.97, "people+role": 0.99, "inspections": 0.97, "judgements": 0.98,
             "findings": 0.95, "quotes": 0.96, "dated": 0.95},
    "minutes": {"councils": 0.98, "people": 0.97, "people+role": 0.97, "inspections": 0.98, "judgements": 0.94,
                "findings": 0.93, "quotes": 0.55, "dated": 0.98},
    "web": {"councils": 0.98, "people": 0.97, "people+role": 0.83, "inspections": 0.90, "judgements": 0.96,
            "findings": 0.86, "quotes": 0.92, "dated": 0.95},
    # written last and scored once, before and after this set of rules: never read to find rules
    "fresh": {"councils": 0.98, "people": 0.94, "people+role": 0.86, "inspections": 0.90, "judgements": 0.98,
              "findings": 0.87, "quotes": 0.90, "dated": 0.98},
    # twelve more, written in December 2026 by someone who had not seen the rules; scored before and after
    # that session's rule changes (councils 1.0, people+role .848 -> .861, inspections .836 -> .889,
    # judgements .844 -> .862, findings .798 -> .812, quotes .667 -> .846) and never read to find rules
    "fresh2": {"councils": 0.98, "people": 0.95, "people+role": 0.86, "inspections": 0.90, "judgements": 0.89,
               "findings": 0.84, "quotes": 0.88, "dated": 0.98},
    # twelve more, written later in December 2026 by someone who had not seen the rules; at the
    # start of the session that added them: councils 1.0, people+role .877, inspections .828,
    # judgements .798, findings .829, quotes .842, dated .896
    "fresh3": {"councils": 0.98, "people": 0.93, "people+role": 0.87, "inspections": 0.82, "judgements": 0.84,
               "findings": 0.83, "quotes": 0.91, "dated": 0.88},
    # twelve more (2013-2026), written in the session after fresh3's by someone who had not seen
    # the rules; at the start of that session: councils .971, people+role .933, inspections .819,
    # judgements .770, findings .762, quotes .853, dated .912; at its end: inspections .843,
    # judgements .800, findings .770, the rest the same
    "fresh4": {"councils": 0.96, "people": 0.94, "people+role": 0.92, "inspections": 0.84, "judgements": 0.79,
               "findings": 0.76, "quotes": 0.84, "dated": 0.90},
}


def _check(result, floors):
    for category, floor in floors.items():
        if category == "dated":  # matched inspections whose gold has a date that have one too
            assert result.dated[0] / result.dated[1] >= floor, result.dated
            continue
        assert result.scores[category].f1 >= floor, (category, result.scores[category].f1)


@pytest.mark.parametrize("folder", sorted(FLOORS))
def test_f1_floors(corpus, folder):
    result = evaluate(corpus / folder)
    print(folder, "\n" + result.table())
    _check(result, FLOORS[folder])


@pytest.mark.parametrize("folder", sorted(HELDOUT_FLOORS))
def test_f1_floors_on_texts_written_for_a_held_out_check(folder):
    result = evaluate(HELDOUT / folder)
    print(folder, "\n" + result.table())
    _check(result, HELDOUT_FLOORS[folder])


def test_matching_rules():
    assert same_person("Kieran Quinn", "K Quinn") and not same_person("Kieran Quinn", "Peter Quinn")
    assert covers("inspectors found the pace of change and improvement remains too slow",
                  "the pace of change and improvement remains too slow", 40)
    assert not covers("the pace of change", "the pace of change and improvement remains too slow", 40)


def test_blind_set_selection(tmp_path):
    from kg.errors import UsageError
    from kg.eval import read_id_list, select_golds

    ids = tmp_path / "ids.txt"
    ids.write_text("# chosen by rule\na\nc  # trailing note\n\n", encoding="utf-8")
    golds = {"a": 1, "b": 2, "c": 3}
    assert read_id_list(ids) == {"a", "c"}
    assert select_golds(golds, only={"a", "c"}) == {"a": 1, "c": 3}
    assert select_golds(golds, exclude={"a", "c"}) == {"b": 2}
    with pytest.raises(UsageError, match="no gold for z"):
        select_golds(golds, only={"a", "z"}, where="dev")


def test_blind_list_names_fifteen_dev_texts(corpus):
    from kg.eval import load_gold, read_id_list

    blind = read_id_list(Path(__file__).parent / "blind" / "dev-blind15.txt")
    assert len(blind) == 15 and blind <= set(load_gold(corpus / "dev"))
