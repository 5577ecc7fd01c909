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
