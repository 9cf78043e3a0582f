"""Stance of an article toward a thesis, in three steps: is it about it, which side, whose side.

1. **Relevance** (:mod:`.relevance`): an article that does not share the thesis' subject is
   ``unrelated``, whatever a stance model would say about it.
2. **Side**: the FNC-trained stance model (:mod:`.stance`) chooses among support, oppose and
   discuss.
3. **Sentences** (:mod:`.evidence`): the sentences closest to the thesis are read against it by
   the relation model; the side stands when a sentence in the article's own voice (or, failing
   any, its headline) carries it, and becomes discuss when only sources the article reports, or
   hedged sentences, carry it, or when no sentence does. The evidence is the sentences that carry
   it. (With ``link.relation_model = "none"`` no sentence is read and the stance model's side
   stands, with its own evidence sentences.)

:class:`StanceReader` does this for many (thesis, article) pairs at once: every thesis and
sentence is embedded once, and all candidate sentences go to the relation model in one batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..embeddings import Embedder
from ..model import Evidence
from .evidence import CARRY, TITLE, Decision, SentenceReading, body_of, candidates, decide, voice_of
from .relevance import (
    CROSS_LANGUAGE,
    SAME_LANGUAGE,
    SHIPPED_CROSS,
    SHIPPED_SAME,
    Gate,
    Vocabulary,
    gate_rows,
    same_language,
)
from .stance import LABELS, StanceModel
from .stance_features import cosines, pair_features, prepare_claim, prepare_text
from .techniques_candidates import split_sentences

# Sentences read by the relation model per relevant article: the cross-encoder costs 15-20 ms a
# sentence on two cores; stance-bearing sentences of FNC-1 bodies lie among the closest few.
CANDIDATES = 4
# A text of at most this many sentences (headline aside) is read whole by the relation model, and
# its reading chooses the side: the stance model reads whole articles (FNC-1 bodies), and on
# one-sentence texts (XNLI pairs) it said "support" for most (`narrascope bench stance --set xnli`).
SHORT = 2
# A short text the gate turned away is still about the thesis when one of its sentences entails or
# contradicts it at least this much (a rewording shares few words; XNLI's hypotheses often do).
SHORT_RELEVANT = 0.8


@dataclass(slots=True)
class ArticleText:
    """What the reader needs of one article; spans are character offsets into ``text``."""

    text: str
    spans: list[tuple[int, int]] | None = None  # sentences; found by punctuation when None
    language: str | None = "en"
    vectors: np.ndarray | None = None  # unit sentence vectors, when already known
    reported: Sequence[tuple] = ()  # (start, end, speaker): stretches the article attributes to a source
    distanced: Sequence[tuple[int, int]] = ()  # hedge and question cues
    title: tuple[int, int] | None = None  # the headline's span, when the text starts with it


@dataclass(slots=True)
class ThesisStance:
    label: str
    score: float
    relevance: float
    model: dict[str, float]  # the FNC stance model's probabilities
    evidence: list[Evidence] = field(default_factory=list)
    readings: list[SentenceReading] = field(default_factory=list)  # the candidate sentences, closest first
    signals: dict[str, float] = field(default_factory=dict)  # what the relevance gates read


@dataclass(slots=True)
class Pair:
    thesis: str
    thesis_language: str | None
    article: ArticleText


class StanceReader:
    """``relation`` may be None: then only the gate and the stance model decide."""

    def __init__(self, model: StanceModel, relation, embedder: Embedder, *, same: Gate = SHIPPED_SAME,
                 cross: Gate = SHIPPED_CROSS, carry: float = CARRY, k: int = CANDIDATES) -> None:
        model.check_embedder(embedder)
        self.model, self.relation, self.embedder = model, relation, embedder
        self.same, self.cross, self.carry, self.k = same, cross, carry, k

    def read(self, pairs: Sequence[Pair], *, vocabulary: Vocabulary | None = None,
             read_all: bool = False) -> list[ThesisStance]:
        """``vocabulary``: word counts of the corpus the articles come from (by default, of the
        articles in ``pairs``); ``read_all`` reads the sentences of irrelevant pairs too (benches
        that tune the gate)."""
        if not pairs:
            return []
        claims, texts = self._prepare(pairs)
        prepared = [(claims[p.thesis], texts[id(p.article)]) for p in pairs]
        if vocabulary is None:
            vocabulary = Vocabulary(t.all_stems for t in texts.values())
        results = self.model.predict_prepared(prepared)
        features = [pair_features(c, t) for c, t in prepared]
        related = [1.0 - r.probabilities["unrelated"] for r in results]
        weighted = [vocabulary.overlap(c.stems, t.all_stems) for c, t in prepared]
        same = np.array([same_language(p.thesis_language, p.article.language) for p in pairs])
        relevance = np.zeros(len(pairs))
        rows_same = gate_rows(features, related, SAME_LANGUAGE, weighted)
        rows_cross = gate_rows(features, related, CROSS_LANGUAGE, weighted)
        relevance[same] = self.same.probability(rows_same[same])
        relevance[~same] = self.cross.probability(rows_cross[~same])
        passed = np.where(same, relevance >= self.same.threshold, relevance >= self.cross.threshold)
        short = np.array([_body_sentences(p.article) <= SHORT for p in pairs])
        readings = self._read_sentences(pairs, prepared, passed | read_all | short)
        for i in np.flatnonzero(short & ~passed):
            if any(max(r.entail, r.contra) >= SHORT_RELEVANT for r in readings[i] if r.voice != TITLE):
                passed[i] = True
        out = []
        for i, r in enumerate(results):
            signals = {**dict(zip(SAME_LANGUAGE, rows_same[i], strict=True)),
                       **dict(zip(CROSS_LANGUAGE, rows_cross[i], strict=True))}
            stance = ThesisStance("unrelated", round(float(1 - relevance[i]), 4), round(float(relevance[i]), 4),
                                  dict(r.probabilities), [], readings[i], signals)
            if passed[i]:
                self._label(stance, r.evidence, bool(short[i]))
            elif not read_all:
                stance.readings = []
            out.append(stance)
        return out

    def _label(self, stance: ThesisStance, model_evidence, short: bool = False) -> None:
        related = {k: v for k, v in stance.model.items() if k != "unrelated"}
        side = max(related, key=related.get)
        if short:
            side = _read_side(stance.readings, self.carry)
        # Without a relation model no sentence can be read for the side: the stance model's stands.
        decision = decide(stance.readings, side, self.carry) if self.relation is not None else Decision(side, [])
        stance.label = decision.label
        confidence = related[side] / max(sum(related.values()), 1e-9)
        if short:
            confidence = decision.score if decision.score is not None else max(
                (r.neutral for r in stance.readings), default=0.5)
        stance.score = round(stance.relevance * confidence, 4)
        stance.evidence = [Evidence(r.start, r.end, label, round(_strength(r, label), 4), why)
                           for r, label, why in decision.evidence]
        # No sentence read for the side: the stance model's own sentences, or the closest one. They
        # carry the stance's label (a `discuss` is never shown with "support" evidence) and say
        # which way the stance model leaned when that differs.
        leaned = "" if side == stance.label else f"; the stance model leans {side}"
        if not stance.evidence:
            stance.evidence = [Evidence(e.start, e.end, stance.label, round(float(e.score), 4),
                                        f"{'the stance model leans ' + side if leaned else 'the stance model reads it'}"
                                        "; no sentence states it outright")
                               for e in model_evidence if e.label == side][:2]
        if not stance.evidence and stance.readings:
            body = body_of(stance.readings)
            stance.evidence = [Evidence(body[0].start, body[0].end, stance.label, round(related[side], 4),
                                        f"the sentence closest to the thesis{leaned}")]

    def _prepare(self, pairs: Sequence[Pair]):
        theses = list(dict.fromkeys(p.thesis for p in pairs))
        articles = list({id(p.article): p.article for p in pairs}.values())
        for a in articles:
            if a.spans is None:
                a.spans = split_sentences(a.text)
        strings = list(theses)
        for a in articles:
            if a.vectors is None:
                strings += [a.text[s:e] for s, e in a.spans]
        vectors = self.embedder.embed(strings) if strings else np.zeros((0, self.embedder.dim), np.float32)
        claims = {t: prepare_claim(t, vectors[i]) for i, t in enumerate(theses)}
        texts, pos = {}, len(theses)
        for a in articles:
            if a.vectors is None:
                a.vectors = vectors[pos:pos + len(a.spans)]
                pos += len(a.spans)
            texts[id(a)] = prepare_text(a.text, a.spans, a.vectors)
        return claims, texts

    def _read_sentences(self, pairs, prepared, wanted: np.ndarray) -> list[list[SentenceReading]]:
        from ..link.pairmodel import PairInput

        jobs, inputs = [], []
        for i, (p, (claim, text)) in enumerate(zip(pairs, prepared, strict=True)):
            if not wanted[i] or not text.spans:
                continue
            cos = cosines(claim, text)
            for row in candidates(cos, self.k):
                s, e = text.spans[int(row)]
                voice = voice_of((s, e), p.article.reported, p.article.distanced, p.article.title, p.thesis)
                jobs.append((i, s, e, float(cos[row]), voice))
                inputs.append(PairInput(p.article.text[s:e], p.thesis, p.article.language or "en",
                                        p.thesis_language or "en", text.vectors[int(row)], claim.vector))
        out: list[list[SentenceReading]] = [[] for _ in pairs]
        if not jobs:
            return out
        probs = (self.relation.probabilities(inputs) if self.relation is not None
                 else np.tile([0.0, 1.0, 0.0], (len(inputs), 1)))
        for (i, s, e, cos, voice), (pe, pn, pc) in zip(jobs, probs, strict=True):
            out[i].append(SentenceReading(s, e, round(cos, 4), voice, float(pe), float(pn), float(pc)))
        return out


def build_reader(settings, embedder: Embedder, model: StanceModel | None = None, relation=None) -> StanceReader:
    """The reader the settings name (``link.relation_model``); ``model``: an FNC stance model
    other than the shipped one (benchmarks that retrain it); ``relation``: a relation model other
    than the one the settings name (with ``link.relation_model = "none"`` none is used)."""
    from ..models.registry import load_relation_model

    name = settings.link.relation_model
    if name == "none":
        relation = None
    elif relation is None:
        relation = load_relation_model(name)
    from ..models.registry import MODELS

    return StanceReader(model or MODELS.get("stance"), relation, embedder)


def thesis_language_of(text: str, languages: tuple[str, ...], detect) -> str:
    """A thesis' language. Under four words identification guesses ("Akin quit" reads as French),
    so a short thesis takes the language its script most likely means: Russian for Cyrillic,
    English otherwise."""
    if len(text.split()) < 4:
        cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in text)
        return "ru" if cyrillic > sum(ch.isalpha() for ch in text) / 2 else "en"
    return detect(text, languages) or "en"


def reader_records(batch: list[dict], reader: StanceReader, languages: tuple[str, ...] = ("en", "ru")) -> list[dict]:
    """``{"id", "claim", "text"}`` records → ``{"id", "label", "score"}``, in order, read as the
    narratives stage reads an article (gate, side, sentences), with each text's language
    identified and the batch's texts as the corpus whose word rarity the gate weighs."""
    from ..ingest.language import detect_language

    pairs = [Pair(r["claim"], thesis_language_of(r["claim"], languages, detect_language),
                  ArticleText(r["text"], language=detect_language(r["text"], languages) or "en")) for r in batch]
    results = reader.read(pairs)
    return [{"id": rec.get("id"), "label": r.label, "score": r.score} for rec, r in zip(batch, results, strict=True)]


def _body_sentences(article: ArticleText) -> int:
    spans = article.spans or []
    return sum(1 for s, e in spans if article.title is None or not (s < article.title[1] and article.title[0] < e))


def _read_side(readings: Sequence[SentenceReading], carry: float) -> str:
    """The side a short text takes, as the relation model reads its sentences."""
    body = body_of(readings)
    best = max(body, key=lambda r: max(r.entail, r.contra), default=None)
    if best is not None and best.carries("support", carry):
        return "support"
    if best is not None and best.carries("oppose", carry):
        return "oppose"
    return "discuss"


def _strength(r: SentenceReading, label: str) -> float:
    if label == "support":
        return r.entail
    if label == "oppose":
        return r.contra
    return max(r.entail, r.contra)


__all__ = ["CANDIDATES", "LABELS", "ArticleText", "Pair", "StanceReader", "ThesisStance", "build_reader", "reader_records",
           "thesis_language_of"]
