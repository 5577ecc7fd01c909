"""Extraction quality floors on the real corpus: a regression fails CI.

Floors sit just under the figures measured when they were set; raise them as
extraction improves.
"""
import pytest

from kg.eval import covers, evaluate, same_person

FLOORS = {
    "seeds": {"councils": 0.97, "people": 0.97, "people+role": 0.97, "inspections": 0.95, "judgements": 0.95,
              "findings": 0.77, "quotes": 0.60, "dated": 0.85},
    "dev": {"councils": 0.97, "people": 0.97, "people+role": 0.97, "inspections": 0.90, "judgements": 0.93,
            "findings": 0.92, "quotes": 0.97, "dated": 0.93},
}

@pytest.mark.parametrize("folder", sorted(FLOORS))
def test_f1_floors(corpus, folder):
    result = evaluate(corpus / folder)
    print(folder, "\n" + result.table())
    for category, floor in FLOORS[folder].items():
        if category == "dated":  # matched inspections whose gold has a date that have one too
            assert result.dated[0] / result.dated[1] >= floor, result.dated
            continue
        assert result.scores[category].f1 >= floor, (category, result.scores[category].f1)


def test_matching_rules():
    assert same_person("Kieran Quinn", "K Quinn") and not same_person("Kieran Quinn", "Peter Quinn")
    assert covers("inspectors found the pace of change and improvement remains too slow",
                  "the pace of change and improvement remains too slow", 40)
    assert not covers("the pace of change", "the pace of change and improvement remains too slow", 40)
