"""A day and month with no year: kept as xsd:gMonthDay and completed from Ofsted's record in the graph."""
from kg.nlp.dates import compatible, find_dates, has_year, resolve_all


def test_a_range_without_a_year_in_an_undated_text_keeps_its_days():
    text = "The inspection took place from September 26 to October 20. In March it was seen again."
    assert resolve_all(find_dates(text), None) == [("--09-26", "--10-20")]
    assert resolve_all(find_dates("It ran from 31 February to 2 March."), None) == [(None, "--03-02")]


def test_a_day_without_a_year_fits_dates_with_that_day():
    assert compatible("--09-26", "2016-09-26") and compatible("2016-09", "--09-26") and compatible("2016", "--09-26")
    assert not compatible("--09-26", "2016-10-01") and not compatible("--09-26", "--09-27")
    assert not has_year("--09-26") and has_year("2016")


def test_news_without_a_year_links_to_the_report_of_that_visit(tmp_path, corpus):
    from conftest import rows
    from kg.build import build
    from kg.config import Config
    from kg.validate import validate

    src = tmp_path / "src"
    src.mkdir()
    (src / "news.txt").write_text((corpus / "seeds" / "002_2e19480df4b66f4b.txt").read_text(encoding="utf-8"),
                                  encoding="utf-8")
    for name in ("tameside-2016-12-09.pdf", "tameside-2016-12-09.meta.json"):
        (src / name).write_bytes((corpus / "reports" / name).read_bytes())
    out = tmp_path / "out"
    build(Config().with_(sources=(str(src),), out=out, viz=False))
    found = {(r["source"], r["visit_start"]): r["inspection"] for r in rows(out, "inspections")}
    assert found[("news.txt", "--09-26")] == found[("tameside-2016-12-09.pdf", "2016-09-26")]
    assert validate(out).conforms


def test_pages_pick_an_inspections_date_as_the_network_view_does():
    """The pages use the view's ``best_date``; it drops empty values where the pages' own
    copy ranked them last: every set of dates gets the date it got before."""
    from itertools import combinations

    from kg.server import pages
    from kg.viz.common import DATE_RE, best_date

    def ranked_last(dates):  # the pages' former rule
        def precision(d):
            m = DATE_RE.match(d)
            if not m:
                return (-1, d)
            return (0, d) if m.group(4) else (1 + bool(m.group(2)) + bool(m.group(3)), d)
        return max(dates, key=precision) if dates else ""

    pool = ["", "2019", "2019-05", "2019-05-04", "2019-05-31", "2018-12-31", "--09-26", "--10-01", "soon"]
    for k in range(len(pool) + 1):
        for dates in combinations(pool, k):
            assert best_date(set(dates)) == ranked_last(set(dates)), dates
    assert best_date({"", "--09-26", "2016"}) == "2016" and best_date({""}) == "" and best_date(set()) == ""
    assert pages.best_date is best_date and pages.DATE_RE is DATE_RE
