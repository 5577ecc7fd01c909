"""The council table's later columns (domains, statistical neighbours, elected mayors) and their checks."""
import pytest

from kg.errors import DataFileError
from kg.nlp.gazetteer import default_gazetteer, load_gazetteer

HEADER = ("gss_code,name,type,region,dfe_code,ofsted_urn,valid_from,valid_to,replaced_by,alt_names,"
          "domain,stat_neighbours,elected_mayor\n")


@pytest.mark.parametrize("url,gss", [
    ("https://www.rbwm.gov.uk/news/ofsted-letter", "E06000040"),          # initialism
    ("https://democracy.n-somerset.gov.uk/ieListDocuments.aspx", "E06000024"),  # hyphenated contraction
    ("https://www.hants.gov.uk/socialcareandhealth", "E10000014"),        # contraction
    ("https://www.lbbd.gov.uk/council/news", "E09000002"),                # London borough initialism
    ("https://www.birminghamchildrenstrust.co.uk/news/1", "E08000025"),   # a council's children's trust
    ("https://www.stoke.gov.uk/news/article/1", "E06000021"),
])
def test_from_url_reads_the_domain_table(url, gss):
    assert default_gazetteer().from_url(url)[0] == gss


def test_from_url_still_guesses_hosts_not_in_the_table():
    assert default_gazetteer().from_url("https://bradford.moderngov.co.uk/x")[0] == "E08000032"
    assert default_gazetteer().from_url("https://www.example.com/kent") is None


def test_neighbours_and_mayors_are_council_facts():
    gaz = default_gazetteer()
    tameside = gaz.councils["E08000008"]
    assert len(tameside.stat_neighbours) == 10
    assert all(n in gaz.councils and not gaz.councils[n].valid_to for n in tameside.stat_neighbours)
    hartlepool = gaz.councils["E06000001"]
    assert hartlepool.has_elected_mayor("2010-05-01") and not hartlepool.has_elected_mayor("2018")
    assert gaz.councils["E06000002"].has_elected_mayor("2019")      # Middlesbrough
    assert not gaz.councils["E08000008"].has_elected_mayor()        # Tameside never had one
    # retired councils keep empty cells where the crosswalk has nothing of theirs
    assert gaz.councils["E06000029"].domains == ()


def test_every_council_table_problem_is_reported_with_its_line(tmp_path):
    bad = tmp_path / "councils.csv"
    bad.write_text(HEADER +
                   "E06000001,Aton,unitary,R,1,2,,,,,https://aton.gov.uk,E06000009,2002\n"
                   "E06000002,Beton,unitary,R,3,4,,,,,aton.gov.uk,E06000002;E06000001;E06000001,2010-2005\n")
    with pytest.raises(DataFileError) as exc:
        load_gazetteer(bad)
    msg = str(exc.value)
    for expected in ("line 2: bad domain 'https://aton.gov.uk'",
                     "line 2: bad elected_mayor '2002'",
                     "line 2 (E06000001): stat_neighbours names unknown code E06000009",
                     "line 3: bad elected_mayor '2010-2005'",
                     "line 3 (E06000002): stat_neighbours names E06000002, itself",
                     "line 3 (E06000002): stat_neighbours repeats a code"):
        assert expected in msg


def test_two_live_councils_cannot_share_a_domain(tmp_path):
    bad = tmp_path / "councils.csv"
    bad.write_text(HEADER + "E06000001,Aton,unitary,R,1,2,,,,,shared.gov.uk,,\n"
                   "E06000002,Beton,unitary,R,3,4,,,,,shared.gov.uk,,\n")
    with pytest.raises(DataFileError, match="line 3 \\(E06000002\\): domain shared.gov.uk is also E06000001's"):
        load_gazetteer(bad)


# ----------------------------------------------------------------------------------- wrong councils

def councils_of(nlp, text: str, published: str = "2021-06-01", **meta) -> list:
    from kg.extract.councils import council_mentions
    from kg.model import Document
    from kg.nlp.pipeline import make_docs

    document = Document("t.txt", text, published=published, **meta)
    doc = next(nlp.pipe(make_docs(nlp, [document])))
    return [m.name for m in council_mentions(doc, document)]


@pytest.mark.parametrize("text", [
    "Officers from Surrey Police joined the review of Medway's children's services.",
    "Medway's director told the Kent Online website that the service had turned a corner.",
    "The case was heard at Leeds Crown Court before Medway's social workers gave evidence.",
    "Medway Council said a corner of Kent had waited too long for a good service.",
    "Write to Medway Council, Gun Wharf, Dock Road, Chatham, Kent, ME4 4TR.",
    "The Duke of Kent opened Medway Council's new family hub.",
    "Researchers at Canterbury Christ Church University and Medway's social workers met.",
    "Medway Council worked with Kent Community Hospitals on the review.",
])
def test_places_inside_other_names_are_not_councils(nlp, text):
    assert councils_of(nlp, text) == ["Medway"]


def test_a_county_named_as_a_council_still_counts(nlp):
    assert councils_of(nlp, "Kent and Medway were both inspected in the spring.") == ["Kent", "Medway"]


def test_an_abolished_councils_informal_name_is_its_successor(nlp):
    # a single successor takes the name; a compass word picks one of two
    assert councils_of(nlp, "Children's services across Bournemouth were judged good.") == \
        ["Bournemouth, Christchurch and Poole"]
    assert councils_of(nlp, "Social workers in West Cheshire welcomed the report.", "2012-01-10") == \
        ["Cheshire West and Chester"]
    # a county split in two, with nothing to choose between them, names neither
    assert councils_of(nlp, "Families in Northamptonshire waited months for help.", "2023-03-01") == []
    # before its abolition, or called "former", it is the old council
    assert councils_of(nlp, "Families in Northamptonshire waited months for help.", "2018-03-01") == \
        ["Northamptonshire"]
    assert councils_of(nlp, "The former Cumbria County Council was rated requires improvement.", "2024-01-01") == \
        ["Cumbria"]


def test_a_local_papers_council_is_the_one_its_title_names(nlp):
    text = "Children's services at the Royal Borough were found to require improvement."
    assert councils_of(nlp, text, "2016-02-01", publisher="Windsor Gazette") == ["Windsor and Maidenhead"]
    # a paper named after no single council adds nothing
    assert councils_of(nlp, text, "2016-02-01", publisher="The Northern Echo") == []


def main_of(nlp, text: str, published: str = "2021-06-01", **meta):
    from kg.extract.councils import council_mentions, main_council
    from kg.model import Document
    from kg.nlp.pipeline import make_docs

    document = Document("t.txt", text, published=published, **meta)
    doc = next(nlp.pipe(make_docs(nlp, [document])))
    mentions = council_mentions(doc, document)
    main = main_council(doc, document, mentions)
    return [m.name for m in mentions], main and main[1]


def test_a_councils_own_press_release_names_it_by_its_publisher(nlp):
    # the council never names itself, and "The council" opens the sentence
    assert main_of(nlp, "The council has welcomed the inspectors' letter.", publisher="Rochdale Borough Council") \
        == (["Rochdale"], "Rochdale")
    # a neighbour named twice does not outvote the publisher
    got = main_of(nlp, "Oldham's service was rated good; Oldham was praised. The council will learn from it.",
                  publisher="Rochdale Borough Council press office")
    assert got == (["Oldham", "Rochdale"], "Rochdale")


def test_minutes_header_names_the_councils_own_meeting(nlp):
    text = ("Dorset Council – Cabinet\n\nThe cabinet noted that Somerset had been visited. Somerset's plan was "
            "discussed, and Somerset officers attended.")
    assert main_of(nlp, text) == (["Dorset", "Somerset"], "Dorset")
