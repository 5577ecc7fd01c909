"""Day-precision bounds (kgo:earliest, kgo:latest as xsd:date) beside dates kept at their precision,
so a range filter compares every inspection in any SPARQL store and pandas parses the column."""
from __future__ import annotations

import pandas as pd
import pytest

from kg.rdf.mapping import date_bounds


@pytest.mark.parametrize("value,bounds", [
    ("2019", ("2019-01-01", "2019-12-31")),
    ("2019-02", ("2019-02-01", "2019-02-28")),
    ("2020-02", ("2020-02-01", "2020-02-29")),  # a leap year
    ("2019-11", ("2019-11-01", "2019-11-30")),
    ("2019-03-04", ("2019-03-04", "2019-03-04")),
    ("--09-26", None),  # a day without its year has no bounds
    ("2019-13", None),
    ("", None),
    (None, None),
])
def test_date_bounds(value, bounds):
    assert date_bounds(value) == bounds


def test_every_dated_inspection_has_bounds_in_its_graph(seeds_build):
    import kg

    out, _ = seeds_build
    rows = kg.query("""
        SELECT ?g ?i ?d ?e ?l (DATATYPE(?e) AS ?te) (DATATYPE(?l) AS ?tl) WHERE {
          GRAPH ?g { ?i a kgo:Inspection . { ?i kgo:visitStart ?d } UNION { ?i kgo:published ?d } }
          FILTER(!STRSTARTS(STR(?d), "--"))
          OPTIONAL { GRAPH ?g { ?i kgo:earliest ?e ; kgo:latest ?l } }
        }""", graph=out)
    assert rows
    xsd_date = "http://www.w3.org/2001/XMLSchema#date"
    for r in rows:
        assert r["te"] == xsd_date and r["tl"] == xsd_date, r
        assert r["e"] <= r["l"]
    # the bounds hold the precise visit start (a date given to the day is its own bounds)
    starts = kg.query("SELECT ?d ?e ?l WHERE { GRAPH ?g { ?i kgo:visitStart ?d ; kgo:earliest ?e ; kgo:latest ?l } }",
                      graph=out)
    assert starts and all(r["e"][:len(r["d"])] == r["d"] or r["d"].startswith("--") for r in starts)


def test_bounds_column_parses_in_pandas_and_filters(seeds_build):
    import kg

    out, _ = seeds_build
    df = kg.query("inspections", graph=out, dataframe=True)
    dated = df.dropna(subset=["earliest"])
    assert len(dated) >= len(df) // 2
    parsed = pd.to_datetime(dated["earliest"], format="%Y-%m-%d")
    assert (pd.to_datetime(dated["latest"], format="%Y-%m-%d") >= parsed).all()
    # a range filter on the bounds keeps every inspection that overlaps the period
    n = kg.query("""SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?i kgo:earliest ?e ; kgo:latest ?l }
                    FILTER(?e <= "2100-01-01"^^xsd:date && ?l >= "1990-01-01"^^xsd:date) }""", graph=out)
    total = kg.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?i kgo:earliest ?e } }", graph=out)
    assert n == total and int(n[0]["n"]) > 0


def test_bounds_add_columns_not_rows(seeds_build):
    """Two dates of one inspection in one source give one pair of bounds (their envelope)."""
    import kg

    out, _ = seeds_build
    rows = kg.query("inspections", graph=out)
    without = {tuple(v for k, v in r.items() if k not in ("earliest", "latest")) for r in rows}
    assert len(without) == len(rows)
