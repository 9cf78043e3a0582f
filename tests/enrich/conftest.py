import pytest

from narrascope.enrich.doc import Doc
from narrascope.enrich.nlp import annotate_language
from narrascope.model import Article, article_id


@pytest.fixture
def make_doc():
    """A document run through the language backend (spaCy for English, natasha for Russian)."""

    def make(text, language="en", outlet=None, published=None):
        article = Article(
            id=article_id(text, None, outlet),
            text=text,
            language=language,
            outlet=outlet,
            published=published,
        )
        doc = Doc.of(article)
        annotate_language([doc])
        return doc

    return make
