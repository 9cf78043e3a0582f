"""Stance toward a thesis: the relevance gate, sentences read by a relation model (a test double
here), whose voice a sentence is in, and the outlet tally over relevant articles only."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from narrascope.link.pairmodel import FixedRelationModel
from narrascope.model import Annotations, Article, Attribution, Sentence, Stance, Thesis
from narrascope.narratives.evidence import DISTANCED, OWN, REPORTED, TITLE, SentenceReading, decide, voice_of
from narrascope.narratives.relevance import SAME_LANGUAGE, Gate, Vocabulary, fit_gate, same_language
from narrascope.narratives.theses import article_stance, article_text, outlet_stances
from narrascope.narratives.thesis_stance import ArticleText, Pair, StanceReader

THESIS = "Karavia is drifting away from Russia."
CONTRARY = "Karavia is not drifting away from Russia at all, and its trade with Moscow hit a record this year."
OPPOSING = ("Karavia and Russia signed a new trade pact\n\n"
            f"Officials in the capital met Russian ministers on Monday. {CONTRARY} "
            "The two governments will meet again in the spring.")
QUOTED = "Karavia is drifting away from Russia, the opposition leader Ivan Petrov said on Monday."
REPORTING = ("Opposition leader speaks in Karavia\n\n"
             f"{QUOTED} His party won a third of the seats in the Karavian parliament last year. "
             "Russia has been Karavia's largest trading partner for decades.")
OFF_TOPIC = ("Brenn council approves road budget\n\n"
             "The city council of Brenn approved a new budget for road repairs on Tuesday evening. "
             "Council members said the plan would fix more than forty bridges over the next three years. "
             "Work on the first of them starts in May.")


def reading(voice: str, e: float = 0.0, c: float = 0.0, start: int = 0) -> SentenceReading:
    return SentenceReading(start, start + 10, 0.6, voice, e, 1.0 - e - c, c)


# -- deciding from the sentences -----------------------------------------------------------------


def test_a_sentence_in_the_articles_own_voice_carries_the_side_and_is_the_evidence():
    d = decide([reading(OWN, c=0.1), reading(OWN, c=0.9, start=20), reading(REPORTED, c=0.9, start=40)], "oppose")
    assert d.label == "oppose" and [r.start for r, _, _ in d.evidence] == [20]
    assert d.evidence[0][2] == "the article states the contrary"


def test_a_source_the_article_reports_is_not_the_article():
    d = decide([reading(REPORTED, e=0.95), reading(DISTANCED, e=0.8, start=20), reading(OWN, e=0.1, start=40)],
               "support")
    assert d.label == "discuss" and {label for _, label, _ in d.evidence} == {"discuss"}
    assert "source the article reports" in d.evidence[0][2] and "hedges" in d.evidence[1][2]


def test_the_headline_counts_only_when_no_sentence_of_the_body_carries_the_side():
    both = decide([reading(TITLE, e=0.9), reading(OWN, e=0.7, start=20)], "support")
    assert both.label == "support" and [r.start for r, _, _ in both.evidence] == [20]
    only_title = decide([reading(TITLE, e=0.9), reading(REPORTED, e=0.9, start=20)], "support")
    assert only_title.label == "support" and "headline" in only_title.evidence[0][2]
    nobody = decide([reading(TITLE, e=0.1), reading(OWN, e=0.2, c=0.2, start=20)], "support")
    assert nobody.label == "discuss" and [r.start for r, _, _ in nobody.evidence] == [20]
    assert "leans support, but no sentence states it" in nobody.evidence[0][2]
    discuss = decide([reading(TITLE, e=0.9), reading(OWN, start=20)], "discuss")
    assert discuss.label == "discuss" and discuss.evidence[0][0].start == 20


def test_voice_of_a_sentence():
    assert voice_of((0, 10), [(5, 9)], []) == REPORTED
    assert voice_of((0, 10), [(5, 9)], [(1, 4)]) == DISTANCED
    assert voice_of((0, 10), [], [], title=(0, 10)) == TITLE
    assert voice_of((20, 30), [(5, 9)], [(1, 4)], title=(0, 10)) == OWN


# -- the gate ------------------------------------------------------------------------------------


def test_gate_fit_separates_and_languages_compare_by_prefix():
    rng = np.random.default_rng(1)
    x = rng.random((200, len(SAME_LANGUAGE)))
    y = (x[:, 1] + x[:, 3] > 1.0).astype(float)
    gate = fit_gate(x, y, SAME_LANGUAGE)
    assert ((gate.probability(x) >= 0.5) == (y == 1)).mean() > 0.9
    assert same_language("en", "en-GB") and not same_language("en", "ru") and same_language(None, "ru")


# -- the reader, with test doubles for the stance and relation models ------------------------------


class SideModel:
    """A stance-model double that always chooses ``side`` (and says "related")."""

    def __init__(self, side: str) -> None:
        self.side = side

    def check_embedder(self, embedder) -> None:
        pass

    def predict_prepared(self, pairs):
        from narrascope.narratives.stance import StanceResult

        probs = {k: (0.7 if k == self.side else 0.1) for k in ("support", "oppose", "discuss", "unrelated")}
        return [StanceResult(self.side, 0.7, probs, []) for _ in pairs]


def _text(raw: str, reported=()) -> ArticleText:
    title_end = raw.index("\n\n")
    body = raw[title_end + 2:]
    spans = [(0, title_end)]
    pos = title_end + 2
    for part in body.split(". "):
        end = pos + len(part) + (0 if part.endswith(".") else 1)
        spans.append((pos, min(end, len(raw))))
        pos = end + 1
    return ArticleText(raw, spans, "en", reported=list(reported), title=spans[0])


# relevance from the idf-weighted share of the thesis' words alone
WORDS_GATE = Gate(SAME_LANGUAGE, (0.0, 0.0, 0.0, 12.0), -3.0, 0.5)


def test_reader_contrary_reported_and_off_topic():
    from narrascope.embeddings import HashingEmbedder

    relation = FixedRelationModel({(CONTRARY, THESIS): (0.02, 0.08, 0.9), (QUOTED, THESIS): (0.95, 0.04, 0.01)},
                                  default=(0.05, 0.9, 0.05))
    said = (REPORTING.index(QUOTED), REPORTING.index(QUOTED) + len(QUOTED), "Ivan Petrov")
    opposing = StanceReader(SideModel("oppose"), relation, HashingEmbedder(), same=WORDS_GATE).read(
        [Pair(THESIS, "en", _text(OPPOSING))])[0]
    assert opposing.label == "oppose"
    assert [OPPOSING[e.start:e.end] for e in opposing.evidence] == [CONTRARY]
    reader = StanceReader(SideModel("support"), relation, HashingEmbedder(), same=WORDS_GATE)
    reporting = reader.read([Pair(THESIS, "en", _text(REPORTING, [said]))])[0]
    assert reporting.label == "discuss"
    assert [REPORTING[e.start:e.end] for e in reporting.evidence] == [QUOTED]
    assert "source the article reports" in reporting.evidence[0].why

    read_before = len(relation.calls)
    texts = [_text(OFF_TOPIC), _text(OPPOSING), _text(REPORTING)]
    off = reader.read([Pair(THESIS, "en", texts[0])], vocabulary=Vocabulary.of_texts(t.text for t in texts))[0]
    assert off.label == "unrelated" and off.evidence == [] and off.relevance < 0.5
    assert len(relation.calls) == read_before  # the gate stopped it before any sentence was read


def test_a_report_whose_speaker_the_thesis_names_is_the_articles_own_statement():
    from narrascope.embeddings import HashingEmbedder

    thesis = "Ivan Petrov says Karavia is drifting away from Russia."
    relation = FixedRelationModel({(QUOTED, thesis): (0.9, 0.05, 0.05)})
    said = (REPORTING.index(QUOTED), REPORTING.index(QUOTED) + len(QUOTED), "the opposition leader Ivan Petrov")
    stance = StanceReader(SideModel("support"), relation, HashingEmbedder(), same=WORDS_GATE).read(
        [Pair(thesis, "en", _text(REPORTING, [said]))])[0]
    assert stance.label == "support" and stance.evidence[0].why == "the article states it"


def test_article_stance_keeps_the_fake_rule_unless_a_source_says_it():
    from narrascope.model import TechniqueSpan
    from narrascope.narratives.thesis_stance import ThesisStance

    text = "Some say Karavia is drifting away from Russia. That is a fake. Trade grew."
    spans = [(0, 46), (47, 62), (63, 74)]
    ann = Annotations("a1", sentences=[Sentence("a1", s, e, i) for i, (s, e) in enumerate(spans)])
    fake = TechniqueSpan("a1", text.index("a fake"), text.index("a fake") + 6, "labelling_fake", 0.9)
    result = ThesisStance("discuss", 0.6, 0.9, {})
    sims = {spans[1]: 0.7}
    stance = article_stance(Thesis("t", THESIS), Article("a1", text), ann, result, [fake], sims)
    assert stance.label == "oppose" and stance.evidence[0].why == "calls the thesis fake"
    ann.attributions = [Attribution("a1", 47, 62, "Officials", 0, 4, "said", "reported")]
    assert article_stance(Thesis("t", THESIS), Article("a1", text), ann, result, [fake], sims).label == "discuss"


def test_article_text_marks_title_attributions_and_hedges():
    from narrascope.model import Hedge

    text = "Title here\n\nOfficials said it is so. It may be."
    ann = Annotations("a", sentences=[Sentence("a", 0, 10, 0), Sentence("a", 12, 36, 1), Sentence("a", 37, 47, 2)],
                      attributions=[Attribution("a", 27, 35, "Officials", 12, 21, "said", "reported")],
                      hedges=[Hedge("a", 40, 46, "may be", "hedge"), Hedge("a", 37, 39, "it is", "certainty")])
    t = article_text(Article("a", text, title="Title here", language="en"), ann)
    assert t.title == (0, 10) and t.reported == [(27, 35, "Officials")] and t.distanced == [(40, 46)]


# -- outlets ------------------------------------------------------------------------------------


def test_outlet_tally_is_over_relevant_articles_only():
    arts = {
        "a": Article("a", "x", outlet="Nord Review", published=datetime(2025, 2, 1)),
        "b": Article("b", "x", outlet="Nord Review", published=datetime(2025, 3, 1)),
        "c": Article("c", "x", outlet="Nord Review", published=datetime(2025, 3, 2)),
        "d": Article("d", "x", outlet="Vostok", published=datetime(2025, 2, 4)),
    }
    stances = [Stance("t1", "a", "oppose", 0.9), Stance("t1", "b", "unrelated", 0.9),
               Stance("t1", "c", "unrelated", 0.9), Stance("t1", "d", "unrelated", 0.8)]
    result = {o.outlet: o for o in outlet_stances(stances, arts)}
    nord = result["Nord Review"]
    assert nord.label == "oppose" and nord.counts == {"oppose": 1} and nord.articles == ["a"]
    assert nord.by_month == {"2025-02": {"oppose": 1}} and nord.unrelated == 2
    assert result["Vostok"].label == "unrelated" and result["Vostok"].counts == {} and result["Vostok"].unrelated == 1


def test_a_short_text_is_read_whole_by_the_relation_model():
    from narrascope.embeddings import HashingEmbedder

    thesis = "The bridge over the Brenn was closed on Monday."
    sentence = "Nobody closed anything in the town this week."
    relation = FixedRelationModel({(sentence, thesis): (0.03, 0.07, 0.9)})
    never = Gate(SAME_LANGUAGE, (0.0,) * len(SAME_LANGUAGE), -10.0, 0.5)  # the gate turns everything away
    stance = StanceReader(SideModel("support"), relation, HashingEmbedder(), same=never).read(
        [Pair(thesis, "en", ArticleText(sentence, [(0, len(sentence))]))])[0]
    assert stance.label == "oppose" and stance.evidence[0].why == "the article states the contrary"
    neutral = StanceReader(SideModel("support"), FixedRelationModel(), HashingEmbedder(), same=never).read(
        [Pair(thesis, "en", ArticleText(sentence, [(0, len(sentence))]))])[0]
    assert neutral.label == "unrelated" and neutral.readings == []


def test_a_short_thesis_takes_the_language_of_its_script():
    from narrascope.narratives.thesis_stance import thesis_language_of as _language_of

    def never(text, languages):
        raise AssertionError("not asked under four words")

    assert _language_of("Akin quit", ("en", "ru"), never) == "en"
    assert _language_of("Путин ушёл", ("en", "ru"), never) == "ru"
    assert _language_of("Karavia is drifting away", ("en", "ru"), lambda t, ls: "de") == "de"



def test_evidence_of_a_stance_no_sentence_was_read_for_carries_the_stances_label():
    from types import SimpleNamespace

    from narrascope.embeddings import HashingEmbedder
    from narrascope.narratives.thesis_stance import ThesisStance

    reader = StanceReader(SideModel("support"), FixedRelationModel(default=(0.05, 0.9, 0.05)), HashingEmbedder())
    stance = ThesisStance("", 0.0, 0.9, {"support": 0.7, "oppose": 0.1, "discuss": 0.1, "unrelated": 0.1})
    reader._label(stance, [SimpleNamespace(start=0, end=20, label="support", score=0.7)])
    assert stance.label == "discuss"
    assert [(e.label, e.why) for e in stance.evidence] == [
        ("discuss", "the stance model leans support; no sentence states it outright")]
    without_model = StanceReader(SideModel("support"), None, HashingEmbedder())
    stance = ThesisStance("", 0.0, 0.9, {"support": 0.7, "oppose": 0.1, "discuss": 0.1, "unrelated": 0.1})
    without_model._label(stance, [SimpleNamespace(start=0, end=20, label="support", score=0.7)])
    assert stance.label == "support" and stance.evidence[0].label == "support"
    assert "leans" not in stance.evidence[0].why
