"""Opposed positions on one question: "Trump says social media is discriminating against
conservatives" against "Facebook denies being biased against conservatives".

The relation model was trained on SICK-style pairs, where a contradiction is a changed word in one
scene; news rarely contradicts itself that way. Its conflicts are two speakers taking opposite
sides: one asserts, the other denies, disputes or calls it false. :class:`OppositionHead` reads
that from what the pipeline already has of a pair, so it costs no extra model pass: the relation
model's probabilities both ways round, the two claims' closeness, and cue words on each side —
denial or dispute ("denies", "disputed", "unfounded", "no evidence", "отрицает"), plain negation,
accusation ("claims", "accuses", "condemns") and who says each (:func:`pair_features`). It is a
logistic regression (``models/opposition_en.npz``, built by ``scripts/train_opposition.py``;
models/README.md gives its data and figures), read at run time in numpy.

It only speaks inside the relation decision's gate (:func:`~narrascope.link.relate.about_same_thing`:
same story, a shared name or close meaning) and only where no agreement was found; below its level
the pair stays ``related``. Its reason quotes the two positions and who holds each
(:func:`opposed_reason`), never a bare probability.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import ConfigError
from ..models import ShippedModel, read_arrays
from .text import ClaimView, name_words, short, word_cover

# Denial, dispute or rejection: the side that says "no" to the other's position.
DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ying|ial)|disput\w*|reject\w*|refut\w*|rebut\w*|challeng\w*|contest\w*|"
    r"false(?:ly|hood)?|untrue|unfounded|baseless|bogus|wrong|lies?|lying|myth|hoax|fake|nonsense|"
    r"no (?:evidence|proof|basis)|not true|no way|never|disagree\w*|oppos\w*|"
    r"отрица\w*|опроверг\w*|оспарива\w*|отверг\w*|лож\w*|неправд\w*|фейк\w*|миф\w*|вброс\w*|"
    r"не соответству\w*|нет (?:доказательств|оснований))\b",
    re.I,
)
# Plain negation: alone it is weak (a negation about another thing), with a denial cue strong.
NEGATION = re.compile(r"\b(?:not|no|never|none|nor|neither|without|won't|cannot|can't|isn't|aren't|wasn't|"
                      r"weren't|doesn't|don't|didn't|hasn't|haven't|не|нет|ни|никогда|без)\b|n't\b", re.I)
# The asserting side of a dispute: an accusation or a claim someone stands by.
ASSERTION = re.compile(
    r"\b(?:claim\w*|accus\w*|alleg\w*|condemn\w*|insist\w*|assert\w*|charg\w*|blam\w*|call(?:s|ed|ing)? (?:on|for)|"
    r"argu\w*|maintain\w*|contend\w*|warn\w*|обвин\w*|утвержда\w*|настаива\w*|заявля\w*|осуди\w*)\b",
    re.I,
)

FEATURES = (
    "contradiction_forward", "contradiction_backward", "contradiction_max", "entailment_max", "neutral_min",
    "similarity", "denial_a", "denial_b", "denial_one_side", "negation_one_side", "assertion_one_side",
    "denial_vs_assertion", "contradiction_x_denial", "contradiction_x_negation", "word_cover", "shared_name",
    "speakers_differ", "flip_entailment",
)

# What :func:`flipped` takes out: the negation of a one-sided negated claim.
_NOT = re.compile(r"\b(?:not|never|no longer)\s+|n't\b|\bno\s+(?=\w)|\bне\s+|\bникогда\s+", re.I)
# What a denial is said to deny, in words to skip: "claims that", "allegations of", "being".
_DENIED = re.compile(r"^\s*(?:(?:the|any|all)\s+)?(?:(?:claims?|allegations?|accusations?|reports?|suggestions?|charges?|"
                     r"notion|idea|assertions?)\s+(?:that|of)\s+|that\s+|of\s+|being\s+|it\s+(?:is|was)\s+|"
                     r"(?:утверждени\w*|обвинени\w*|сообщени\w*)\s+(?:о\s+том,?\s+)?что\s+|что\s+)", re.I)
# A denial followed by fewer words than this denies nothing a reader could compare.
MIN_DENIED = 3
_MODAL = ((re.compile(r"\bwon't\b", re.I), "will"), (re.compile(r"\bcan't\b|\bcannot\b", re.I), "can"))


def cues(view: ClaimView) -> tuple[str, str, str]:
    """The first denial, negation and assertion cue of a claim (its text and, when the speech verb
    was cut off as attribution, that verb: "Facebook denied ..." is compared as "...")."""
    text = f"{view.cue} {view.text}" if view.cue else view.text
    found = []
    for pattern in (DENIAL, NEGATION, ASSERTION):
        m = pattern.search(text)
        found.append(m.group(0) if m else "")
    return found[0], found[1], found[2]


def flipped(text: str) -> str:
    """What ``text`` says no to, stated: after a denial cue, what is denied ("Tea Party members
    challenged claims that their activists accosted black lawmakers" -> "their activists accosted
    black lawmakers"); else ``text`` with its negations taken out ("Mexico will not pay for the
    wall" -> "Mexico will pay for the wall"). A claim that, so flipped, states what the other claim
    says, opposes it."""
    m = DENIAL.search(text)
    if m:
        rest = _DENIED.sub("", text[m.end():]).strip(" ,.;:\"'“”")
        if len(rest.split()) >= MIN_DENIED:
            return rest
    for pattern, word in _MODAL:
        text = pattern.sub(word, text)
    return _NOT.sub("", text)


def one_polar(a: ClaimView, b: ClaimView) -> ClaimView | None:
    """The claim of the two that alone denies or negates, if one does."""
    pol_a = bool(_NOT.search(a.text) or DENIAL.search(f"{a.cue} {a.text}"))
    pol_b = bool(_NOT.search(b.text) or DENIAL.search(f"{b.cue} {b.text}"))
    return (a if pol_a else b) if pol_a != pol_b else None


def read_flips(model, pairs: Sequence[tuple[ClaimView, ClaimView]]) -> list[float]:
    """For each pair where one claim alone is negated: how surely that claim, its negation taken
    out (:func:`flipped`), and the other state the same (the relation model's entailment, either
    way round); 0.0 for every other pair."""
    from .pairmodel import PairInput

    out = [0.0] * len(pairs)
    todo = []
    for n, (a, b) in enumerate(pairs):
        neg = one_polar(a, b)
        if neg is not None:
            other = b if neg is a else a
            todo.append((n, flipped(neg.text), other))
    if not todo:
        return out
    forward = model.probabilities([PairInput(t, o.text, o.language, o.language) for _, t, o in todo])
    backward = model.probabilities([PairInput(o.text, t, o.language, o.language) for _, t, o in todo])
    for (n, _, _), f, r in zip(todo, np.asarray(forward), np.asarray(backward), strict=True):
        out[n] = float(max(f[0], r[0]))
    return out


def pair_features(a: ClaimView, b: ClaimView, forward: Sequence[float], backward: Sequence[float],
                  similarity: float, flip: float = 0.0) -> np.ndarray:
    """What :class:`OppositionHead` reads of a pair (in the order of :data:`FEATURES`); ``flip``
    is :func:`read_flips`'s reading."""
    deny_a, neg_a, claim_a = (bool(x) for x in cues(a))
    deny_b, neg_b, claim_b = (bool(x) for x in cues(b))
    c_max = max(forward[2], backward[2])
    deny_one = float(deny_a != deny_b)
    neg_one = float(neg_a != neg_b)
    speakers = float(bool(a.speaker and b.speaker and a.speaker.lower() != b.speaker.lower()))
    return np.array([
        forward[2], backward[2], c_max, max(forward[0], backward[0]), min(forward[1], backward[1]),
        similarity, float(deny_a), float(deny_b), deny_one, neg_one, float(claim_a != claim_b),
        float((deny_a and claim_b and not deny_b) or (deny_b and claim_a and not deny_a)),
        c_max * deny_one, c_max * neg_one, word_cover(a.text, b.text, a.names | b.names),
        float(bool(name_words(a.names) & name_words(b.names))), speakers, flip,
    ], dtype=np.float32)


class OppositionReader(Protocol):
    name: str

    def probability(self, features: np.ndarray) -> np.ndarray:
        """(n,) probability that each row's pair holds opposed positions on one question."""
        ...


class FixedOpposition:
    """The test double: the same probability for every pair (0.0: never opposed)."""

    name = "fixed"

    def __init__(self, value: float = 0.0) -> None:
        self.value = value
        self.calls = 0

    def probability(self, features: np.ndarray) -> np.ndarray:
        self.calls += len(features)
        return np.full(len(features), self.value, dtype=np.float32)


class OppositionHead(ShippedModel):
    """Logistic regression over :func:`pair_features` (standardised inside the file's weights)."""

    __slots__ = ("bias", "meta", "weights")
    _model_file = "opposition_en.npz"
    _shipped = "shipped opposition model"
    name = "opposition-head"

    def __init__(self, weights: np.ndarray, bias: float, meta: dict | None = None) -> None:
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = float(bias)
        self.meta = meta or {"features": list(FEATURES)}

    @classmethod
    def _read(cls, path: Path, source: str) -> OppositionHead:
        arrays, meta = read_arrays(path, source, "opposition model")
        if list(meta.get("features", [])) != list(FEATURES) or "weights" not in arrays:
            raise ConfigError(f"{source}: an opposition model over other features: rebuild it with "
                              "scripts/train_opposition.py")
        return cls(arrays["weights"], float(arrays["bias"]), meta)

    def probability(self, features: np.ndarray) -> np.ndarray:
        x = np.asarray(features, dtype=np.float32).reshape(-1, len(FEATURES))
        return (1.0 / (1.0 + np.exp(-(x @ self.weights + self.bias)))).astype(np.float32)


def build_opposition(name: str = "shipped") -> OppositionReader | None:
    """The reader ``link.opposition`` names: ``shipped`` (the head) or ``none`` (no reader)."""
    if name == "shipped":
        return OppositionHead.load()
    if name == "none":
        return None
    raise ConfigError(f"link.opposition: unknown reader {name!r} (shipped or none)")


# A first reading below this for both entailment and contradiction is not read the other way round
# by the link stage (link/claims.py, SECOND_READING): the features take the first reading for both,
# on every path, so that ``narrascope relate`` and the link stage give the head the same.
SECOND_READING = 0.25


def opposition_features(model, views: Sequence[tuple[ClaimView, ClaimView]],
                        readings: Sequence[tuple[Sequence[float], Sequence[float]]],
                        similarities: Sequence[float]) -> np.ndarray:
    """(n, len(FEATURES)): each pair's features from the relation model's (forward, backward)
    reading; ``model`` reads the flipped claims (:func:`read_flips`)."""
    if not views:
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    flips = read_flips(model, views)
    rows = []
    for (a, b), (forward, backward), sim, flip in zip(views, readings, similarities, flips, strict=True):
        if max(forward[0], forward[2]) < SECOND_READING:
            backward = forward
        rows.append(pair_features(a, b, forward, backward, float(sim), flip))
    return np.vstack(rows)


def read_opposition(reader: OppositionReader | None, model, views: Sequence[tuple[ClaimView, ClaimView]],
                    judgements: Sequence, similarities: Sequence[float]) -> list[float]:
    """The reader's probability for each pair the relation model read (``judgements``: each with
    ``forward``, ``backward`` and ``weak``); 0.0 for a pair the weak model read (the head learned the
    English cross-encoder's outputs) and for every pair when there is no reader."""
    out = [0.0] * len(views)
    todo = [n for n, j in enumerate(judgements) if not j.weak]
    if reader is None or not todo:
        return out
    x = opposition_features(model, [views[n] for n in todo], [(judgements[n].forward, judgements[n].backward)
                                                               for n in todo], [similarities[n] for n in todo])
    for n, p in zip(todo, reader.probability(x), strict=True):
        out[n] = float(p)
    return out


def opposed_reason(a: ClaimView, b: ClaimView, probability: float) -> str:
    """Who holds each position and the two positions quoted, with the cue that marks the denial."""
    def side(view: ClaimView, fallback: str) -> str:
        deny = cues(view)[0]
        who = view.speaker or fallback
        verb = f' ({deny.lower()})' if deny else ""
        return f'{who}{verb}: "{short(view.text, 90)}"'

    return (f"opposed positions: {side(a, 'one report')} vs {side(b, 'the other')} "
            f"(opposition {probability:.2f})")
