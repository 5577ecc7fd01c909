"""The record to June 2026: D2I's ILACS overview beside Ofsted's statistics in one build."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED, rows
from kg.sources.outcomes import council_names, load_outcomes

D2I = SHARED / "data" / "d2i" / "ofsted_csc_ilacs_overview.xlsx"
ODS = SHARED / "data" / "ofsted" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"


# inspections that both the D2I overview and the statistics release report (one node each)
SHARED_NODES = """SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {
  GRAPH ?g1 { ?i a kgo:Inspection ; kgo:reportedIn ?d1 . ?d1 kgo:sourceId ?s1 }
  GRAPH ?g2 { ?i kgo:reportedIn ?d2 . ?d2 kgo:sourceId ?s2 }
  FILTER(?s1 = "ofsted_csc_ilacs_overview.xlsx#overview" && STRSTARTS(?s2, "LA_Inspection_Outcomes"))
}"""


@pytest.fixture(scope="module")
def d2i():
    (facts,) = load_outcomes(D2I)
    return facts


@pytest.fixture(scope="module")
def record_build(tmp_path_factory):
    """The seed documents, then the statistics and the D2I overview imported."""
    from kg.build import build
    from kg.config import Config
    from kg.imports import import_outcomes

    root = tmp_path_factory.mktemp("record")
    out = root / "out"
    build(Config().with_(sources=(str(SHARED / "corpus" / "seeds"),), out=out, viz=False))
    import_outcomes(ODS, out)
    import_outcomes(D2I, out)
    return out


def test_d2i_overview_is_read_as_it_is(d2i):
    doc = d2i.document
    assert doc.source_id == "ofsted_csc_ilacs_overview.xlsx#overview"
    assert doc.kind == "statistics" and doc.publisher == "Data to Insight"
    assert doc.published == "2026-06-29"  # the workbook's last-modified date
    assert d2i.errors == []
    assert len(d2i.inspections) == 153
    assert len({i.council_gss for i in d2i.inspections}) == 153
    assert {i.kind for i in d2i.inspections} == {"full_inspection"}
    assert {i.framework for i in d2i.inspections} == {"ILACS"}
    assert len([i for i in d2i.inspections if i.published > "2025-03-31"]) == 53


def test_d2i_row_values(d2i):
    names = {v: k for k, v in council_names().items() if k.startswith("E0")}
    by = {i.council_gss: i for i in d2i.inspections}
    barnsley = by[names["Barnsley"]]
    # dd/mm/yyyy starts and dd/mm/yy publication dates (not the year 23)
    assert (barnsley.visit_start, barnsley.visit_end, barnsley.published) == ("2023-09-11", "2023-09-15", "2023-10-27")
    assert barnsley.lead_inspector == "Anna Gravelle"
    assert sorted((j.area, j.grade) for j in barnsley.judgements) == [
        ("care_leavers", "good"), ("children_in_care", "good"), ("help_and_protection", "requires_improvement"),
        ("leadership", "good"), ("overall", "good")]
    # April 2026: sub-judgements only, no overall and no 'nan'
    for name in ("Brent", "Somerset"):
        insp = by[names[name]]
        assert insp.visit_start == "2026-04-27"
        assert "overall" not in {j.area for j in insp.judgements}
        assert len(insp.judgements) == 4
        assert "nan" not in insp.evidence.text.split(" | ")
    # a row dated only by its publication is kept
    assert by[names["Brighton and Hove"]].visit_start is None
    assert by[names["Brighton and Hove"]].published == "2024-05-16"
    # the sheet files both of Cumbria's successors under Cumbria's retired code: the DfE code decides
    assert by[names["Cumberland"]].visit_start == "2024-10-07"
    assert by[names["Westmorland and Furness"]].visit_start == "2024-04-22"
    # care leavers judged only from 2023: an older inspection has no such judgement, not a grade 'other'
    assert all(j.grade != "other" for i in d2i.inspections for j in i.judgements)


def test_d2i_gives_each_councils_latest_and_shares_nodes_with_the_statistics(record_build, d2i):
    names = council_names()
    coverage = {}
    for r in rows(record_build, "coverage"):
        coverage.setdefault(r["council"], []).append(r)
    agree = 0
    for insp in d2i.inspections:
        (row,) = coverage[names[insp.council_gss]]
        overall = next((j.grade for j in insp.judgements if j.area == "overall"), None)
        assert row["latest_grade"] == overall, (row, insp)
        assert insp.visit_start is None or row["latest_inspection_date"] == insp.visit_start, (row, insp)
        agree += 1
    assert agree == 153
    from kg.query import run_query

    _, ((shared,),) = run_query(record_build, SHARED_NODES)
    assert int(shared) == 109


def test_grade_changes_do_not_invent_a_decline_without_an_overall_grade(record_build):
    changes = rows(record_build, "grade-changes")
    assert changes
    for r in changes:
        assert r["from_grade"] and r["to_grade"] and "nan" not in (r["from_grade"], r["to_grade"])
    assert not [r for r in changes if r["council"] in ("Brent", "Somerset") and r["to_date"] == "2026-04-27"]


# ---------------------------------------------------------------- who led the council


def test_leaders_table_loads_as_dated_role_facts():
    from kg.sources.leaders import KNOWN_UNTIL, leader_facts, load_leaders

    rows_ = load_leaders()
    facts = leader_facts()
    assert len(rows_) == sum(len(f.people) for f in facts) == 797
    assert len(facts) == len({r["source_url"] for r in rows_})
    for f in facts:
        assert f.document.kind == "reference" and f.document.source_id == f.document.url
        for p in f.people:
            assert p.role_category in ("leader", "elected_mayor") and p.council_gss
            assert p.held_until or p.known_until >= KNOWN_UNTIL  # an open term says how far it is known


def test_leaders_table_problems_are_all_reported_with_their_rows(tmp_path):
    from kg.errors import DataFileError
    from kg.sources.leaders import COLUMNS, load_leaders

    path = tmp_path / "leaders.csv"
    path.write_text(",".join(COLUMNS) + "\n"
                    "E06000001,Hartlepool,leader,A Person,,2019-05-21,2023-05-16,https://example.org/a,\n"
                    "E99999999,Nowhere,mayor,,,2019-13,2018,ftp://x,\n"
                    "E06000001,Hartlepool,leader,B Person,,2020-01-01,2019-12-31,https://example.org/b,\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        load_leaders(path)
    problems = exc.value.problems
    assert any(p.startswith("row 3: unknown gss_code 'E99999999'") for p in problems)
    assert any(p.startswith("row 3: unknown role 'mayor'") for p in problems)
    assert "row 3: no person" in problems
    assert any(p.startswith("row 3: from '2019-13' is not an ISO date") for p in problems)
    assert any(p.startswith("row 3: source_url 'ftp://x'") for p in problems)
    assert "row 4: term ends (2019-12-31) before it begins (2020-01-01)" in problems
    assert not any(p.startswith("row 2") for p in problems)


def test_a_leader_in_the_news_and_in_the_table_is_one_person(seeds_build):
    from kg.query import run_query

    out, _ = seeds_build
    _, found = run_query(out, 'SELECT DISTINCT ?p WHERE { GRAPH ?g { ?p foaf:name "Kieran Quinn" } }')
    assert len(found) == 1
    _, sources = run_query(out, 'SELECT DISTINCT ?s WHERE { GRAPH ?g { ?m org:member ?p ; prov:wasDerivedFrom ?d . '
                                '?p foaf:name "Kieran Quinn" . ?d kgo:sourceId ?s } }')
    kinds = {s.startswith("https://") for (s,) in sources}
    assert kinds == {True, False}  # the table's page and a news text


def test_leaders_at_inspection_answers_every_inspection(record_build):
    from kg.query import run_query
    from kg.sources.leaders import term_at

    got = rows(record_build, "leaders-at-inspection")
    _, dated = run_query(record_build, "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a kgo:Inspection . "
                                       "GRAPH <https://w3id.org/ofsted-kg/id/graph/resolved> { ?i kgo:inspectionDate ?d } }")
    assert len({(r["council"], r["inspection_date"]) for r in got}) == int(dated[0][0])
    names = {v: k for k, v in council_names().items()}
    named = gaps = 0
    for r in got:
        if r["note"] == "leaders table":
            named += 1
            assert r["person"] and r["source"].startswith("http") and r["term_from"]
        elif not r["person"]:
            gaps += 1
            assert r["note"].startswith("gap: ") and r["role_category"] == "leader"
        else:  # a role a news text or minutes shows
            assert r["note"] == "named in the source within 12 months" and not r["source"].startswith("http")
    assert named > 300 and gaps
    # the term the table gives is the one the query names
    hartlepool = [r for r in got if r["council"] == "Hartlepool" and r["note"] == "leaders table"]
    assert hartlepool
    for r in hartlepool:
        assert term_at(names["Hartlepool"], r["inspection_date"])["person"] == r["person"]


# ---------------------------------------------------------------- claims checked against the record

TAMESIDE = "E08000008"
HISTORY = SHARED / "data" / "ofsted" / "ilacs-history-2018-2025.csv"


def _claims(*inspections):
    """Statuses of a news text's inspections beside the real ILACS history table."""
    from kg.model import Document, DocumentFacts
    from kg.resolve import cluster_inspections
    from kg.resolve.claims import claim_statuses, coverage

    (history,) = load_outcomes(HISTORY)
    news = DocumentFacts(document=Document(source_id="claims-news.txt", text="", kind="news"))
    news.inspections = list(inspections)
    facts = [history, news]
    kinds = {f.document.source_id: f.document.kind for f in facts}
    out = {}
    for sid, idx, k, status, against, near, c in claim_statuses(cluster_inspections(facts), kinds, coverage(facts)):
        out[(idx, k)] = (status, against, near)
    return out


def test_claim_statuses_against_the_ilacs_history():
    from kg.model import Inspection, Judgement

    got = _claims(
        # 0: the record's 2019 inspection with its grade
        Inspection(TAMESIDE, "full_inspection", visit_start="2019-05",
                   judgements=[Judgement("overall", "requires_improvement"), Judgement("overall", "good")]),
        # 1: an inspection three months after the record's December 2023 one
        Inspection(TAMESIDE, "full_inspection", visit_start="2024-03", judgements=[Judgement("overall", "inadequate")]),
        # 2: ILACS years, no inspection of Tameside within months of it
        Inspection(TAMESIDE, "full_inspection", visit_start="2021-06"),
        # 3: before ILACS; 4: no date; 5: a kind the statistics do not list
        Inspection(TAMESIDE, "full_inspection", visit_start="2013-09"),
        Inspection(TAMESIDE, "full_inspection"),
        Inspection(TAMESIDE, "jtai", visit_start="2021-06"),
    )
    history = "ilacs-history-2018-2025.csv#history"
    assert got[(0, None)][:2] == ("confirmed", [history])
    assert got[(0, 0)][0] == "confirmed" and got[(0, 1)][0] == "contradicted"
    status, against, near = got[(1, None)]
    assert status == "contradicted" and against == [history] and near.when == "2023-12-04"
    assert got[(1, 0)][0] == "contradicted"  # the grade of an inspection dated wrongly
    assert got[(2, None)][:2] == ("unconfirmed", [history])
    assert got[(3, None)] == ("beyond_record", [], None)
    assert got[(4, None)] == ("beyond_record", [], None)
    assert got[(5, None)] == ("beyond_record", [], None)


def test_a_judgement_line_the_record_lacks_is_unconfirmed():
    from kg.model import Inspection, Judgement

    # care leavers were not judged apart before 2023; the statistics give every line an inspection had
    got = _claims(Inspection(TAMESIDE, "full_inspection", visit_start="2019-05-13",
                             judgements=[Judgement("care_leavers", "good")]))
    assert got[(0, None)][0] == "confirmed" and got[(0, 0)][0] == "unconfirmed"


def test_claims_query_gives_every_news_inspection_and_judgement_a_status(record_build):
    from kg.query import run_query

    got = rows(record_build, "claims")
    assert {r["status"] for r in got} <= {"confirmed", "contradicted", "unconfirmed", "beyond_record"}
    _, counted = run_query(record_build, """PREFIX kgo: <https://w3id.org/ofsted-kg/def#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH ?g { ?x prov:wasDerivedFrom ?d . ?d kgo:documentKind ?k .
          { ?x a kgo:Inspection } UNION { ?x a kgo:Judgement } } FILTER(?k IN ("news", "minutes", "press_release", "blog")) }""")
    assert len(got) >= int(counted[0][0]) > 0
    tameside_2019 = [r for r in got if r["council"] == "Tameside" and (r["inspection_date"] or "").startswith("2019")]
    assert tameside_2019 and {r["status"] for r in tameside_2019} == {"confirmed"}
    assert all("ilacs-history" in r["record_source"] or "LA_Inspection" in r["record_source"] for r in tameside_2019)
    # SIF-era inspections are beyond the record the build holds, with no record source
    for r in got:
        if (r["inspection_date"] or "")[:4] in ("2012", "2016"):
            assert r["status"] == "beyond_record" and not r["record_source"]


def test_grade_changes_follow_the_record_unless_asked(record_build):
    record = rows(record_build, "grade-changes")
    every = rows(record_build, "grade-changes", sources="all")
    # the seeds' Tameside 2016 grade comes from news only: in the chain only when asked for
    assert not [r for r in record if r["council"] == "Tameside" and (r["from_date"] or "").startswith("2016")]
    assert [r for r in every if r["council"] == "Tameside" and (r["from_date"] or "").startswith("2016")]
