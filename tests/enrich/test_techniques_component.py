"""The techniques component: the detector run inside the enrich pass on the parse it already made."""

import numpy as np

from narrascope.enrich.doc import Doc
from narrascope.enrich.runner import enrich_articles
from narrascope.enrich.techniques import CachedWords
from narrascope.model import Article
from narrascope.narratives.runner import analyze_narratives
from narrascope.narratives.techniques import STAGE, VERSION, TechniqueDetector

LOADED = ("The corrupt, treacherous regime and its puppet media keep spreading the disgusting lie that the war is "
          "going well. Their claim that sanctions have failed is pure fake news. Officials met on Monday.")
RU = "Это очередной фейк западных СМИ. Наша великая страна никогда не сдастся врагам!"


def test_enrich_finds_the_same_techniques_as_a_second_parse(store, settings):
    store.add_article(Article(id="en1", text=LOADED, language="en", outlet="A"))
    store.add_article(Article(id="ru1", text=RU, language="ru", outlet="B"))
    enriched = enrich_articles(store, settings.replace({"enrich": {"workers": 1}}))
    assert not store.articles_needing(STAGE, VERSION)  # done in the enrich pass
    stored = {(t.article_id, t.start, t.end, t.technique) for t in store.list_techniques()}
    assert enriched.summary().endswith(f", {len(store.list_techniques())} technique span(s)")
    detector = TechniqueDetector.load()
    again = set()
    for aid, text, lang in (("en1", LOADED, "en"), ("ru1", RU, "ru")):
        spans = [(s.start, s.end) for s in store.annotations(aid).sentences]
        again |= {(aid, t.start, t.end, t.technique) for t in detector.detect(text, spans, language=lang)}
    assert stored == again
    assert ("en1", "labelling_fake") in {(a, t) for a, _, _, t in stored}
    report = analyze_narratives(store, settings)
    assert report.technique_articles == 0  # nothing left for the narratives stage
    assert "technique" not in report.summary()  # it says nothing of work it did not do


def test_without_the_component_the_narratives_stage_finds_them(store, settings):
    store.add_article(Article(id="en1", text=LOADED, language="en", outlet="A"))
    components = [c for c in settings.enrich.components if c != "techniques"]
    enriched = enrich_articles(store, settings.replace({"enrich": {"workers": 1, "components": components}}))
    assert store.articles_needing(STAGE, VERSION) == ["en1"] and not store.list_techniques()
    assert "technique" not in enriched.summary()
    report = analyze_narratives(store, settings)
    assert report.technique_articles == 1 and store.list_techniques()
    assert f"{len(store.list_techniques())} technique span(s) in 1 article(s)" in report.summary()


class Counting:
    name, dim = "counting", 2

    def __init__(self):
        self.seen = []

    def embed(self, texts):
        self.seen += list(texts)
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_cached_words_embeds_each_word_once_and_passes_sentences_through():
    inner = Counting()
    cached = CachedWords(inner, limit=2)
    first = cached.embed(["war", "lie", "war", "a whole sentence"])
    assert first.shape == (4, 2) and first[0, 0] == 3 and first[3, 0] == 16
    assert inner.seen == ["war", "lie", "a whole sentence"]
    second = cached.embed(["lie", "war", "fake", "a whole sentence"])
    assert inner.seen[3:] == ["fake", "a whole sentence"]  # sentences are never kept
    assert second[2, 0] == 4 and cached.embed([]).shape == (0, 2)
    assert list(cached.known) == ["war", "fake"]  # past the limit the least recently used goes


def test_prefetch_embeds_sentences_and_new_words_in_one_call_and_counts_hits():
    calls = []

    class Calls(Counting):
        def embed(self, texts):
            calls.append(list(texts))
            return super().embed(texts)

    cached = CachedWords(Calls(), limit=3)
    cached.embed(["war"])
    got = cached.prefetch(["One sentence.", "Another one here."], [["war", "lie", "war"], ["lie", "fake"]])
    assert calls[1:] == [["One sentence.", "Another one here.", "lie", "fake"]]
    assert got[:, 0].tolist() == [13, 17]
    assert (cached.hits, cached.misses) == (2, 2)  # "war" known, "lie" met in the first article
    assert list(cached.known) == ["war", "lie", "fake"]
    cached.prefetch([], [["war", "new"]])  # "war" used again: "lie" is now the least recent
    assert list(cached.known) == ["fake", "war", "new"] and calls[2:] == [["new"]]
    assert cached.prefetch([], []).shape == (0, 2) and len(calls) == 3


def test_sentences_and_claims_are_embedded_once_in_the_enrich_pass(store, settings):
    from narrascope.embeddings import USEEmbedder
    from narrascope.link.runner import link_all
    from narrascope.link.vectors import span_key

    text = ("Brenn's council approved a road budget of $4 million on Tuesday. Work starts in May. "
            "Critics said the road will not be finished before winter.")
    store.add_article(Article(id="en1", text=text, language="en", outlet="A"))
    enrich_articles(store, settings.replace({"enrich": {"workers": 1}}))
    ann = store.annotations("en1")
    keys = [span_key("en1", s.start, s.end) for s in ann.sentences] + [span_key("en1", c.start, c.end)
                                                                        for c in ann.claims]
    kept = store.load_vectors(USEEmbedder.name, "span", keys)
    assert set(kept) == set(keys)
    real = USEEmbedder()
    assert np.allclose(kept[keys[0]], real.embed([text[ann.sentences[0].start:ann.sentences[0].end]])[0], atol=1e-4)

    class Watching:
        name, dim = real.name, real.dim

        def __init__(self):
            self.seen = []

        def embed(self, texts):
            self.seen.extend(texts)
            return real.embed(texts)

    watching = Watching()
    link_all(store, settings, embedder=watching)
    sentences = {text[s.start:s.end] for s in ann.sentences}
    assert not sentences & set(watching.seen)  # the lead sentences' vectors came from the store
    enrich_articles(store, settings.replace({"enrich": {"workers": 1}}), redo=True)  # kept keys are not added twice


def test_a_sentence_a_claim_already_embedded_is_not_embedded_again():
    from narrascope.enrich.techniques import _sentence_vectors

    text = "Brenn's council approved a road budget. Work starts in May."
    doc = Doc.of(Article(id="a", text=text, language="en"))
    doc.keep_vectors([(0, 39)], np.array([[9.0, 9.0]], dtype=np.float32))  # the claim, embedded before
    empty = Doc.of(Article(id="b", text="", language="en"))
    counting = Counting()
    spans = [(0, 39), (40, 59)]
    got = _sentence_vectors([doc, empty], [spans, []], [[text[s:e] for s, e in spans], []], CachedWords(counting))
    # one call: the sentence no component embedded, then the article's words
    assert counting.seen[0] == "Work starts in May." and "brenn's" in counting.seen
    assert "Brenn's council approved a road budget." not in counting.seen
    assert got[0].tolist() == [[9.0, 9.0], [19.0, 1.0]] and got[1].shape == (0, 2)
