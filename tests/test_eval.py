"""Extraction quality floors on the real corpus: a regression fails CI.

Floors sit just under the figures measured when they were set; raise them as
extraction improves.
"""
import pytest

from kg.eval import covers, evaluate, same_person

FLOORS = {
    "seeds": {"councils": 0.95, "people": 0.95, "people+role": 0.80, "inspections": 0.75, "judgements": 0.85,
              "findings": 0.50, "quotes": 0.60},
    "dev": {"councils": 0.93, "people": 0.88, "people+role": 0.57, "inspections": 0.55, "judgements": 0.62,
            "findings": 0.52, "quotes": 0.58},
}


@pytest.mark.parametrize("folder", sorted(FLOORS))
def test_f1_floors(corpus, folder):
    result = evaluate(corpus / folder)
    print(folder, "\n" + result.table())
    for category, floor in FLOORS[folder].items():
        assert result.scores[category].f1 >= floor, (category, result.scores[category].f1)


def test_matching_rules():
    assert same_person("Kieran Quinn", "K Quinn") and not same_person("Kieran Quinn", "Peter Quinn")
    assert covers("inspectors found the pace of change and improvement remains too slow",
                  "the pace of change and improvement remains too slow", 40)
    assert not covers("the pace of change", "the pace of change and improvement remains too slow", 40)
