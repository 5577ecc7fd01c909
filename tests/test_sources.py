import json

import pytest

from kg.errors import InputError
from kg.sources import discover, iter_documents, load_one
from kg.sources.dates_meta import published_from_text, published_from_url
from kg.sources.text import split_metadata


def test_leading_date_line_is_metadata_not_body():
    meta, body, offset = split_metadata(" date 2024-03-07 Following a damning report.\nMore.")
    assert meta == {"published": "2024-03-07"}
    assert body.startswith("Following a damning report.")
    assert offset == len(" date 2024-03-07 ")


def test_title_and_url_lines(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("title: Council rated good\nurl: https://example.org/2019/05/02/x\n\nBody text here.\n")
    doc = load_one(p)
    assert doc.title == "Council rated good"
    assert doc.url == "https://example.org/2019/05/02/x"
    assert doc.text.strip() == "Body text here."
    assert doc.published == "2019-05-02"  # from the URL path


def test_sidecar_overrides_and_gold_is_not_a_document(tmp_path):
    (tmp_path / "a.txt").write_text("Body.")
    (tmp_path / "a.meta.json").write_text(json.dumps({"title": "T", "published": "2020-01-02"}))
    (tmp_path / "a.gold.json").write_text("{}")
    files, errors = discover([tmp_path])
    assert [f.name for f in files] == ["a.txt"] and errors == []
    doc = load_one(tmp_path / "a.txt")
    assert (doc.title, doc.published) == ("T", "2020-01-02")


def test_jsonl_good_and_bad_lines(tmp_path):
    p = tmp_path / "feed.jsonl"
    p.write_text('{"id": "x1", "text": "Hello Tameside.", "published": "2019-07-01"}\nnot json\n{"title": "no text"}\n')
    items = list(iter_documents([p]))
    docs = [i for i in items if not isinstance(i, InputError)]
    errs = [str(i) for i in items if isinstance(i, InputError)]
    assert [d.source_id for d in docs] == ["feed.jsonl#x1"]
    assert docs[0].published == "2019-07-01"
    assert errs[0].startswith(f"{p}:2: not valid JSON")
    assert errs[1] == f"{p}:3: record has no 'text' string"


def test_html_main_text_without_navigation(tmp_path):
    p = tmp_path / "page.html"
    p.write_text("""<html><head><title>Ofsted rates Kent good</title>
    <meta property="article:published_time" content="2017-06-14">
    <link rel="canonical" href="https://news.example.org/kent-good"></head><body>
    <nav><a href="/">Home</a> <a href="/news">News</a> Cookie settings accept all cookies</nav>
    <article><h1>Ofsted rates Kent good</h1><p>Kent County Council's children's services were rated good by Ofsted
    inspectors in a report published yesterday, a big change from the inadequate rating of 2010.</p>
    <p>Inspectors found that social workers knew their children well and that leaders had a clear plan.</p></article>
    <footer>Copyright. Privacy policy.</footer></body></html>""")
    doc = load_one(p)
    assert "rated good" in doc.text
    assert "Cookie" not in doc.text and "Privacy policy" not in doc.text
    assert doc.title == "Ofsted rates Kent good"
    assert doc.published == "2017-06-14"
    assert doc.url == "https://news.example.org/kent-good"


def test_missing_path_is_reported():
    files, errors = discover(["/nonexistent/folder"])
    assert files == [] and str(errors[0]) == "/nonexistent/folder: no such file or folder"


@pytest.mark.parametrize("url,expected", [
    ("http://www.communitycare.co.uk/2017/09/04/x/", "2017-09-04"),
    ("https://www.hackneycitizen.co.uk/2022/11/09/y/", "2022-11-09"),
    ("http://roger-gough.blogspot.co.uk/2017/06/", "2017-06"),
    ("https://example.org/news/item", None),
])
def test_published_from_url(url, expected):
    assert published_from_url(url) == expected


def test_dateline_in_text():
    assert published_from_text("Roger Gough\n\nWednesday 14 June 2017\n\nKent's services") == "2017-06-14"


def test_seed_dateline(corpus):
    doc = load_one(corpus / "seeds" / "000_efe9e54a5b9a4011.txt")
    assert doc.published == "2024-03-07"
    assert doc.text.startswith("Following a damning Ofsted report")


@pytest.mark.parametrize("text,expected", [
    ("Children's Services Scrutiny Panel\nDate of meeting: Tuesday, 14 March 2023\nVenue: Room 2", "2023-03-14"),
    ("Press release\nIssued on 5 June 2019\n\nThe council welcomed the letter.", "2019-06-05"),
    ("Agenda\nMeeting date: 3rd October 2016\n", "2016-10-03"),
    ("Decision notice\nDate of decision: 21 January 2021\n", "2021-01-21"),
    # a date later in a sentence is not the document's own
    ("The panel last met on 5 June 2019 to discuss the report.", None),
])
def test_documents_own_date_in_its_text(text, expected):
    assert published_from_text(text) == expected
