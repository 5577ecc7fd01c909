"""kg.sources.outcomes against Ofsted's real outcome statistics (../shared/data/ofsted)."""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.model import DocumentFacts
from kg.rdf.namespace import codes
from kg.sources.outcomes import load_outcomes

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
OFSTED = DATA / "ofsted"
ODS = OFSTED / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
CSVS = {
    "latest": OFSTED / "latest-as-at-2025-03-31.csv",
    "history": OFSTED / "ilacs-history-2018-2025.csv",
    "in-year": OFSTED / "in-year-2024-25.csv",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

pytestmark = pytest.mark.skipif(not ODS.is_file(), reason=f"shared data not found at {OFSTED}")


@pytest.fixture(scope="module")
def ods_tables() -> dict:
    # reading the ODS takes ~0.6 s here; once per module is enough
    return {f.document.source_id.split("#")[1]: f for f in load_outcomes(ODS)}


@pytest.fixture(scope="module")
def csv_tables() -> dict:
    out = {}
    for table, path in CSVS.items():
        (facts,) = load_outcomes(path)
        out[table] = facts
    return out


def inspection_set(facts: DocumentFacts) -> set:
    return {
        (
            i.council_gss,
            i.kind,
            i.visit_start,
            i.published,
            i.theme,
            tuple(sorted((j.area, j.grade) for j in i.judgements)),
        )
        for i in facts.inspections
    }


def find(facts: DocumentFacts, gss: str, visit_start: str):
    (hit,) = [i for i in facts.inspections if i.council_gss == gss and i.visit_start == visit_start]
    return hit


def grades(inspection) -> dict:
    return {j.area: j.grade for j in inspection.judgements}


# --- tables, documents and counts -------------------------------------------


def test_ods_has_three_tables_in_sheet_order(ods_tables):
    assert list(ods_tables) == ["latest", "in-year", "history"]
    doc = ods_tables["latest"].document
    assert doc.source_id == "LA_Inspection_Outcomes_as_at_31_March_2025.ods#latest"
    assert doc.kind == "statistics"
    assert doc.title == "Local authority inspection outcomes as at 31 March 2025: Inspections as at 31 March"
    assert doc.publisher == "Ofsted"
    assert doc.published == "2025-09-25"
    assert doc.url is None and doc.text == ""


@pytest.mark.parametrize("table", list(CSVS))
def test_csv_table_recognised_by_columns(csv_tables, ods_tables, table):
    doc = csv_tables[table].document
    assert doc.source_id == f"{CSVS[table].name}#{table}"
    # CSV copies carry no metadata of their own: same title and date as the ODS
    assert (doc.title, doc.published, doc.publisher, doc.kind) == (
        ods_tables[table].document.title,
        "2025-09-25",
        "Ofsted",
        "statistics",
    )


@pytest.mark.parametrize("source", ["ods", "csv"])
def test_counts(ods_tables, csv_tables, source):
    tables = ods_tables if source == "ods" else csv_tables
    latest, history, in_year = tables["latest"], tables["history"], tables["in-year"]

    assert len(latest.inspections) == 153
    assert len({i.council_gss for i in latest.inspections}) == 153
    assert len(latest.councils) == 153
    assert {i.kind for i in latest.inspections} == {"full_inspection"}
    # the release's own snapshot check (DOMAIN.md §5)
    assert Counter(grades(i)["overall"] for i in latest.inspections) == {
        "good": 67,
        "outstanding": 36,
        "requires_improvement": 31,
        "inadequate": 19,
    }

    assert len(history.inspections) == 271
    assert {i.kind for i in history.inspections} == {"full_inspection"}
    assert len(history.councils) == 156  # 153 of today + Bournemouth, Cumbria, Northamptonshire

    assert len(in_year.inspections) == 112
    assert Counter(i.kind for i in in_year.inspections) == {
        "full_inspection": 52,
        "focused_visit": 36,
        "monitoring_visit": 24,
    }
    for i in in_year.inspections:
        assert "2024-04-01" <= i.visit_start <= "2025-03-31"
        if i.kind == "full_inspection":
            assert i.theme is None and len(i.judgements) == 5
        else:  # visits have themes and no grades
            assert i.theme and i.judgements == []

    for facts in tables.values():
        assert facts.errors == [] and facts.status == "ok"


@pytest.mark.parametrize("table", list(CSVS))
def test_ods_and_csv_agree(ods_tables, csv_tables, table):
    ods, csv_ = ods_tables[table], csv_tables[table]
    assert inspection_set(ods) == inspection_set(csv_)
    assert len(inspection_set(ods)) == len(ods.inspections)  # no two rows alike
    assert [(c.gss_code, c.name) for c in ods.councils] == [(c.gss_code, c.name) for c in csv_.councils]
    # evidence renders a row the same way from either file
    assert [i.evidence.text for i in ods.inspections] == [i.evidence.text for i in csv_.inspections]


# --- spot checks (values read by hand from the CSV copies) -------------------


def test_tameside_latest(csv_tables):
    # latest-as-at-2025-03-31.csv: E08000008,Tameside,North West,2023-12-04,2024-02-13,
    #   Inadequate,Inadequate,Inadequate,Inadequate,Requires improvement to be good
    t = find(csv_tables["latest"], "E08000008", "2023-12-04")
    assert (t.kind, t.framework, t.published, t.visit_end) == ("full_inspection", "ILACS", "2024-02-13", None)
    assert grades(t) == {
        "overall": "inadequate",
        "leadership": "inadequate",
        "help_and_protection": "inadequate",
        "children_in_care": "inadequate",
        "care_leavers": "requires_improvement",
    }
    written = {j.area: (j.area_as_written, j.grade_as_written) for j in t.judgements}
    assert written["care_leavers"] == (
        "The experiences and progress of care leavers",
        "Requires improvement to be good",
    )
    assert written["leadership"][0] == "The impact of leaders on social work practice with children and families"
    assert t.evidence.text == (
        "E08000008 | Tameside | North West | 2023-12-04 | 2024-02-13 | Inadequate | Inadequate"
        " | Inadequate | Inadequate | Requires improvement to be good"
    )
    assert (t.evidence.start, t.evidence.end, t.evidence.source_id) == (0, 0, "latest-as-at-2025-03-31.csv#latest")


def test_tameside_history_and_in_year(ods_tables):
    history = ods_tables["history"]
    tameside = sorted((i.visit_start, i.published, grades(i)["overall"]) for i in history.inspections if i.council_gss == "E08000008")
    assert tameside == [
        ("2019-05-13", "2019-07-01", "requires_improvement"),
        ("2023-12-04", "2024-02-13", "inadequate"),
    ]
    # 2019: before the separate care-leavers line (blank cell -> no judgement)
    assert "care_leavers" not in grades(find(history, "E08000008", "2019-05-13"))

    (visit,) = [i for i in ods_tables["in-year"].inspections if i.council_gss == "E08000008"]
    assert (visit.kind, visit.visit_start, visit.published, visit.theme, visit.judgements) == (
        "monitoring_visit",
        "2025-02-13",
        "2025-03-25",
        "Children in need/subject to a plan",
        [],
    )


def test_other_spot_checks(csv_tables):
    history, in_year = csv_tables["history"], csv_tables["in-year"]
    # Barnet 2024 short inspection: children in care Outstanding, rest Good
    barnet = find(history, "E09000003", "2024-06-10")
    assert barnet.published == "2024-07-23"
    assert grades(barnet) == {
        "overall": "good",
        "leadership": "good",
        "help_and_protection": "good",
        "children_in_care": "outstanding",
        "care_leavers": "good",
    }
    # a council that no longer exists keeps its own code
    assert grades(find(history, "E10000006", "2022-09-20"))["overall"] == "requires_improvement"  # Cumbria
    # Barnsley focused visit on children in care
    barnsley = find(in_year, "E08000016", "2024-11-05")
    assert (barnsley.kind, barnsley.theme, barnsley.published) == ("focused_visit", "Children in care", "2024-12-05")


def test_names_come_from_english_las(csv_tables):
    names = {c.gss_code: c.name for c in csv_tables["latest"].councils}
    # Ofsted writes "Durham", "Telford & Wrekin", "Bournemouth, Christchurch & Poole", "Hammersmith & Fulham"
    assert names["E06000047"] == "County Durham"
    assert names["E06000020"] == "Telford and Wrekin"
    assert names["E06000058"] == "Bournemouth, Christchurch and Poole"
    assert names["E09000013"] == "Hammersmith and Fulham"
    assert names["E08000008"] == "Tameside"
    with open(DATA / "english-las.csv", newline="", encoding="utf-8") as fh:
        las = {r["gss_code"]: r["name"] for r in csv.DictReader(fh)}
    for facts in csv_tables.values():
        for c in facts.councils:
            assert las[c.gss_code] == c.name
            assert c.evidence.start == c.evidence.end == 0 and c.gss_code in c.evidence.text


def test_every_code_and_date_is_valid(ods_tables, csv_tables):
    kinds, frameworks, areas, grade_codes = codes("kind"), codes("framework"), codes("area"), codes("grade")
    for facts in [*ods_tables.values(), *csv_tables.values()]:
        assert ISO_DATE.match(facts.document.published)
        for i in facts.inspections:
            assert i.kind in kinds and i.framework in frameworks
            assert ISO_DATE.match(i.visit_start) and ISO_DATE.match(i.published)
            assert i.visit_start <= i.published
            assert i.visit_end is None  # the tables give one date: the first day on site
            for j in i.judgements:
                assert j.area in areas and j.grade in grade_codes and j.grade != "other"
                assert j.grade_as_written and j.area_as_written
            assert len({j.area for j in i.judgements}) == len(i.judgements)
        # round-trips through the JSON cache format
        assert DocumentFacts.from_dict(facts.to_dict()) == facts


# --- bad input ----------------------------------------------------------------

LATEST_HEADER = (
    "Local authority area code,Local authority name,Ofsted region,Inspection date,Publication date,"
    "Overall effectiveness,The impact of leaders on social work practice with children and families,"
    "The experiences and progress of children who need help and protection,"
    "The experiences and progress of children in care,The experiences and progress of care leavers\n"
)


def test_bad_rows_are_skipped_and_reported(tmp_path):
    path = tmp_path / "latest.csv"
    path.write_text(
        LATEST_HEADER
        + "E08000008,Tameside,North West,2023-12-04,2024-02-13,Inadequate,Inadequate,Inadequate,Inadequate,Not yet inspected\n"
        + "E99999999,Nowhere,North West,2023-12-04,2024-02-13,Good,Good,Good,Good,Good\n"
        + "E09000003,Barnet,London,10 June 2024,23/07/2024,Good,Good,Good,Outstanding,-\n"
        + "E09000002,Barking and Dagenham,London,2023-13-45,2023-09-04,Good,Good,Good,Good,Good\n"
        + "E09000004,Bexley,London,2023-01-09,soon,Good,Good,Good,Good,Good\n"
        + ",,,,,,,,,\n"
        + ",Someone,London,2023-01-09,2023-02-09,Good,Good,Good,Good,Good\n",
        encoding="utf-8",
    )
    (facts,) = load_outcomes(path)
    assert facts.document.source_id == "latest.csv#latest"
    assert facts.errors == [
        "latest.csv latest table row 3: unknown local authority area code 'E99999999'; row skipped",
        "latest.csv latest table row 5: unparsable 'Inspection date' '2023-13-45'; row skipped",
        "latest.csv latest table row 6: unparsable 'Publication date' 'soon'; row skipped",
        "latest.csv latest table row 8: no local authority area code; row skipped",
    ]
    assert [(i.council_gss, i.visit_start, i.published) for i in facts.inspections] == [
        ("E08000008", "2023-12-04", "2024-02-13"),
        ("E09000003", "2024-06-10", "2024-07-23"),  # other date forms are read
    ]
    # "Not yet inspected" and "-" are no judgement
    assert [sorted(grades(i)) for i in facts.inspections] == [
        ["children_in_care", "help_and_protection", "leadership", "overall"],
        ["children_in_care", "help_and_protection", "leadership", "overall"],
    ]
    assert [c.gss_code for c in facts.councils] == ["E08000008", "E09000003"]


def test_missing_column(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(
        "Local authority area code,Local authority name,Local authority status,Inspection date,Overall effectiveness\n"
        "E08000008,Tameside,Current,2019-05-13,Requires improvement to be good\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        load_outcomes(path)
    assert str(exc.value) == f"{path}: history table lacks column(s) 'Publication date', 'Inspection type'"
    assert exc.value.exit_code == 3


def test_unrecognised_table(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"other\.csv: not an Ofsted inspection outcomes table \(columns: a, b\)$"):
        load_outcomes(path)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("outcomes.xls", b"\xd0\xcf\x11\xe0", "unknown file type '.xls'; expected .ods, .xlsx or .csv"),
        ("outcomes.xlsx", b"PK\x03\x04", "cannot read XLSX ("),
        ("outcomes.ods", b"this is not a zip file", "cannot read ODS ("),
        ("empty.csv", b"", "empty file, no header row"),
    ],
)
def test_unreadable_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as exc:
        load_outcomes(path)
    text = str(exc.value)
    assert text.startswith(f"{path}: {message}")
    assert "\n" not in text


def test_missing_file(tmp_path):
    path = tmp_path / "nothing.csv"
    with pytest.raises(InputError) as exc:
        load_outcomes(path)
    assert str(exc.value) == f"{path}: no such file"


def test_ods_without_tables(tmp_path):
    pd = pytest.importorskip("pandas")
    path = tmp_path / "notes.ods"
    pd.DataFrame({"Notes": ["nothing here"]}).to_excel(path, engine="odf", index=False)
    with pytest.raises(InputError) as exc:
        load_outcomes(path)
    assert str(exc.value) == (
        f"{path}: no inspection outcomes table found (no sheet has a 'Local authority area code' column)"
    )
