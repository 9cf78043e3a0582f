"""The English parse runs without spaCy's lemmatizer; lemmas are made on demand, the same."""

from __future__ import annotations

from narrascope.enrich.doc import Doc
from narrascope.enrich.nlp import LAZY_PIPES, SpacyBackend, lemma, spacy_english
from narrascope.model import Article

TEXT = ("The minister told reporters that the ministry had approved three new plants. "
        "Officials were saying the plants would open, the agency says.")


def test_the_parse_leaves_lemmas_to_be_made_on_demand_and_they_match_the_lemmatizer():
    doc = Doc.of(Article("a1", TEXT, language="en"))
    SpacyBackend().annotate([doc])
    assert "lemmatizer" in LAZY_PIPES
    assert sum(t.lemma_ == "" for t in doc.parsed) > len(doc.parsed) / 2  # not run (the attribute ruler sets a few)
    full = spacy_english()(TEXT)  # every pipe, the lemmatizer included
    assert [lemma(t) for t in doc.parsed] == [t.lemma_.lower() for t in full]
    assert {lemma(t) for t in doc.parsed if t.pos_ in ("VERB", "AUX")} >= {"tell", "say", "approve"}
