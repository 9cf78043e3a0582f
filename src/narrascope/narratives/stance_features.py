"""What the stance model reads off a (claim, text) pair: numbers, no model.

A text is prepared once (:func:`prepare_text`: its sentences, their vectors, their cue counts and
word stems) and a claim once (:func:`prepare_claim`), so one article scored against many theses,
or one FNC body against many headlines, pays for its sentences only once.

Two kinds of input come out of a pair:

* :func:`pair_features`, one row of :data:`PAIR_FEATURES`: how close the claim is to the text
  (USE cosine to each sentence: best, top three, mean, lead, whole text; shared word stems, word
  pairs, names and figures), and the cue words of the sentences closest to the claim, of the lead
  and of the whole text (refuting, hedging, confirming, negation, questions);
* :func:`sentence_inputs`, one row per sentence for the sentence-level model: the sentence vector,
  its elementwise product with the claim vector, the sentence's cues and its cosine;
* :func:`text_inputs`, one row for the text-level model: the mean vector of the whole text and of
  the sentences closest to the claim, each also multiplied elementwise by the claim vector.

Cue lists are English and Russian and name kinds of words (denial, distance, confirmation),
never a topic, so they carry across subjects. Stems are the first letters of a word, crude but
language-blind: "denied" and "denies", "заявил" and "заявила" meet.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def _cues(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)", re.I)


REFUTE = _cues(
    r"fakes?", r"faked", r"fraud\w*", r"hoax\w*", r"false(?:ly|hood)?", r"den(?:y|ies|ied|ying|ial)",
    r"debunk\w*", r"bogus", r"untrue", r"myths?", r"fabricat\w*", r"satir\w*", r"prank\w*",
    r"retract\w*", r"refut\w*", r"dismiss\w*", r"reject\w*", r"misleading", r"incorrect", r"wrong",
    r"not\s+true", r"no\s+evidence", r"not\s+real", r"nonsense", r"baseless", r"unfounded",
    r"doubts?", r"doubtful", r"despite", r"contrary", r"(?:photo)?shopped", r"spoof\w*", r"parody",
    r"фейк\w*", r"ложн\w*", r"ложь", r"опроверг\w*", r"отрица\w*", r"неправд\w*", r"выдумк\w*",
    r"мистификаци\w*", r"миф\w*", r"сфабрикова\w*", r"не\s+соответству\w*", r"слух\w*\s+не",
    r"не\s+подтвердил\w*", r"дезинформаци\w*", r"пропаганд\w*",
)
HEDGE = _cues(
    r"reportedly", r"allegedly", r"alleged", r"purportedly", r"supposedly", r"apparently",
    r"unconfirmed", r"unverified", r"rumou?r\w*", r"speculat\w*", r"claim(?:s|ed|ing)?",
    r"may", r"might", r"could", r"possibly", r"perhaps", r"likely", r"unclear", r"suggest\w*",
    r"according\s+to", r"sources?", r"said\s+to", r"believed\s+to", r"appears?\s+to", r"seems?",
    r"report(?:s|ed)?", r"if\s+true", r"not\s+(?:yet\s+)?(?:been\s+)?(?:verified|confirmed)",
    r"якобы", r"предположительно", r"возможно", r"вероятно", r"по\s+слухам", r"по\s+данным",
    r"как\s+утверждается", r"сообщ\w*", r"утвержда\w*", r"не\s+подтвержден\w*", r"по\s+словам",
)
CONFIRM = _cues(
    r"confirm(?:s|ed|ing)?", r"announc\w*", r"official(?:ly)?", r"verified", r"indeed", r"revealed",
    r"proved?n?", r"evidence", r"true", r"actually", r"in\s+fact", r"statement", r"now",
    r"подтверди\w*", r"официально", r"объяви\w*", r"действительно", r"доказа\w*", r"заяви\w*",
)
NEGATION = _cues(
    r"not", r"no", r"never", r"nothing", r"nobody", r"none", r"neither", r"nor", r"without",
    r"\w+n't", r"cannot", r"не", r"нет", r"никогда", r"ни", r"ничего", r"никто", r"без",
)
CUES = {"refute": REFUTE, "hedge": HEDGE, "confirm": CONFIRM, "negation": NEGATION}
CUE_NAMES = (*CUES, "question")

_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_STOP = frozenset(
    """a an the of to in on at for from by with and or but as is are was were be been being it its this
    that these those he she they them his her their we you i has have had do does did will would can
    into over after about than so if not no up out new says said say just more after also who what which
    и в во на с со по к о об от до за из у не что как это то же для а но или ли бы был была были быть
    его ее её их он она они мы вы я при под над так также уже еще ещё""".split()
)
STOPWORDS = _STOP
STEM = 5  # letters kept of a word: long enough to tell most words apart, short enough to drop endings


def stems(text: str) -> list[str]:
    return [w[:STEM] for w in _WORD.findall(text.casefold()) if w not in _STOP and (len(w) > 1 or w.isdigit())]


def cue_counts(text: str) -> np.ndarray:
    """Counts of each cue kind in ``text``, then whether it is a question: one row of CUE_NAMES."""
    row = [len(p.findall(text)) for p in CUES.values()]
    row.append(float(text.rstrip(" \"'”»)").endswith("?")))
    return np.asarray(row, dtype=np.float32)


@dataclass(slots=True)
class PreparedText:
    spans: list[tuple[int, int]]
    vectors: np.ndarray  # (n, dim), unit rows
    cues: np.ndarray  # (n, len(CUE_NAMES))
    stems: list[set[str]]
    all_stems: set[str]
    bigrams: set[tuple[str, str]]
    numbers: set[str]
    lowered: str


@dataclass(slots=True)
class PreparedClaim:
    text: str
    vector: np.ndarray
    stems: list[str]
    cues: np.ndarray
    numbers: set[str]
    names: set[str]


def prepare_text(text: str, spans: Sequence[tuple[int, int]], vectors: np.ndarray) -> PreparedText:
    sentences = [text[s:e] for s, e in spans]
    vectors = np.asarray(vectors, dtype=np.float32)
    vectors = vectors.reshape(len(sentences), vectors.shape[-1] if vectors.ndim == 2 else -1)
    word_lists = [stems(s) for s in sentences]
    bigrams = {pair for words in word_lists for pair in itertools.pairwise(words)}
    cues = np.vstack([cue_counts(s) for s in sentences]) if sentences else np.zeros((0, len(CUE_NAMES)), np.float32)
    return PreparedText(
        spans=list(spans),
        vectors=vectors,
        cues=cues,
        stems=[set(w) for w in word_lists],
        all_stems={w for words in word_lists for w in words},
        bigrams=bigrams,
        numbers=set(_NUMBER.findall(text)),
        lowered=text.casefold(),
    )


def prepare_claim(text: str, vector: np.ndarray) -> PreparedClaim:
    words = _WORD.findall(text)
    names = {w.casefold() for w in words[1:] if w[:1].isupper() and w.casefold() not in _STOP}
    return PreparedClaim(text, np.asarray(vector, dtype=np.float32), list(dict.fromkeys(stems(text))),
                         cue_counts(text), set(_NUMBER.findall(text)), names)


TOP = 3  # sentences closest to the claim whose cues and per-sentence stances are read
LEAD = 3  # first sentences: where a news story says what it stands by
_SIM = ("cos_max", "cos_top", "cos_mean", "cos_lead", "cos_text", "share_cos_50", "share_cos_35",
        "best_position", "log_sentences")
_LEX = ("overlap_text", "overlap_lead", "overlap_best", "overlap_top", "overlap_bigrams", "overlap_names",
        "has_names", "overlap_numbers", "has_numbers", "log_claim_words")
_CUE_PLACES = ("claim", "top", "best", "lead", "text")
PAIR_FEATURES = (*_SIM, *_LEX, *(f"{c}_{p}" for p in _CUE_PLACES for c in CUE_NAMES))


def _share(wanted, have) -> float:
    wanted = list(wanted)
    return sum(1 for w in wanted if w in have) / len(wanted) if wanted else 0.0


def cosines(claim: PreparedClaim, text: PreparedText) -> np.ndarray:
    return text.vectors @ claim.vector if len(text.spans) else np.zeros(0, np.float32)


def top_sentences(cos: np.ndarray, k: int = TOP) -> np.ndarray:
    """Indices of the ``k`` sentences closest to the claim, closest first."""
    return np.argsort(-cos, kind="stable")[:k]


def pair_features(claim: PreparedClaim, text: PreparedText, cos: np.ndarray | None = None) -> np.ndarray:
    n = len(text.spans)
    if cos is None:
        cos = cosines(claim, text)
    if n == 0:
        return np.zeros(len(PAIR_FEATURES), dtype=np.float32)
    top = top_sentences(cos)
    best = int(top[0])
    mean_vec = text.vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean_vec)) or 1.0
    lead = slice(0, LEAD)
    sim = [
        float(cos[best]), float(cos[top].mean()), float(cos.mean()), float(cos[lead].max()),
        float(mean_vec @ claim.vector) / norm, float((cos > 0.5).mean()), float((cos > 0.35).mean()),
        best / max(n - 1, 1), float(np.log1p(n)),
    ]
    words = claim.stems
    lead_stems = set().union(*text.stems[:LEAD])
    top_stems = set().union(*(text.stems[i] for i in top))
    claim_bigrams = list(itertools.pairwise(words))
    lex = [
        _share(words, text.all_stems), _share(words, lead_stems),
        max(_share(words, s) for s in text.stems), _share(words, top_stems),
        _share(claim_bigrams, text.bigrams),
        _share(claim.names, text.lowered) if claim.names else 0.0, float(bool(claim.names)),
        _share(claim.numbers, text.numbers) if claim.numbers else 0.0, float(bool(claim.numbers)),
        float(np.log1p(len(words))),
    ]
    cue = [claim.cues, text.cues[top].sum(axis=0), text.cues[best], text.cues[lead].sum(axis=0),
           text.cues.sum(axis=0) / n]
    return np.concatenate([np.asarray(sim + lex, dtype=np.float32), *cue]).astype(np.float32)


def sentence_inputs(claim: PreparedClaim, text: PreparedText, rows: np.ndarray, cos: np.ndarray) -> np.ndarray:
    """Inputs of the sentence-level model for sentences ``rows`` of ``text``."""
    v = text.vectors[rows]
    return np.hstack([v, v * claim.vector, np.log1p(text.cues[rows]), cos[rows, None],
                      np.broadcast_to(np.log1p(claim.cues), (len(rows), len(CUE_NAMES)))]).astype(np.float32)


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def text_inputs(claim: PreparedClaim, text: PreparedText, cos: np.ndarray) -> np.ndarray:
    """Input of the text-level model: what the whole text and its closest sentences say, and how
    that lines up with the claim, dimension by dimension."""
    dim = claim.vector.shape[0]
    if not len(text.spans):
        return np.zeros(4 * dim, dtype=np.float32)
    whole = _unit(text.vectors.mean(axis=0))
    near = _unit(text.vectors[top_sentences(cos)].mean(axis=0))
    return np.concatenate([whole, whole * claim.vector, near, near * claim.vector]).astype(np.float32)
