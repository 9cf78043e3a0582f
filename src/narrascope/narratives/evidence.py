"""Which sentences carry an article's stance on a thesis, and whose stance it is.

The few sentences closest to the thesis (by sentence vector) are read against it by the relation
model (:mod:`narrascope.link.pairmodel`: entailment, neutral, contradiction of the thesis given
the sentence). Each sentence has a *voice*:

* ``own``: the article asserts it;
* ``reported``: the article reports what a source says (an attribution covers it: "X said that",
  "according to X", a quotation) — the article is not the source;
* ``distanced``: the article hedges it or asks it ("allegedly", "it is unclear whether", a
  rhetorical question);
* ``title``: the headline, which says least about where the article stands: it is evidence only
  when no sentence of the body carries the stance.

:func:`decide` takes the side the stance model chose (FNC-trained, :mod:`.stance`) and asks which
sentences carry it: those the relation model reads as entailing the thesis (for support) or
contradicting it (for oppose). Carried by a sentence in the article's own voice, the side stands
with that sentence as evidence; carried by the headline alone, it stands with the headline; carried
only by sources the article reports or by hedged sentences, the article *discusses* the thesis;
carried by no sentence at all, it *discusses* it too: a side no sentence states is one an analyst
could not defend (on the BASIL theses this raised the precision of "support" from about half to
three quarters, at the cost of FNC-1's looser "agree": see audits/README.md).

Why the relation model does not choose the side itself: on FNC-1 bodies and on the BASIL theses
(``audits/stances.jsonl``) its readings of single news sentences against a one-line claim were a
worse guide than the stance model's (see ``narrascope bench stance`` and models/README.md): it
reads most sentences as neutral, and among the FNC-1 pairs where an own sentence entailed the
headline at .5 or more, 77 of 107 were "discuss". It is precise enough to tell which of the closest
sentences state the claim, which is what the evidence and the attribution rule need.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .stance_features import STOPWORDS

OWN, REPORTED, DISTANCED, TITLE = "own", "reported", "distanced", "title"
# A sentence carries a side when the relation model gives entailment (support) or contradiction
# (oppose) at least this. On the FNC-1 tune bodies: .3 → relative score 87.66, .5 → 88.16,
# .7 → 88.40 (the stance model alone: 88.80); .5 is the lowest that reads "more likely than not".
CARRY = 0.5


@dataclass(frozen=True, slots=True)
class SentenceReading:
    """One candidate sentence: its span, closeness to the thesis, voice and relation probabilities."""

    start: int
    end: int
    cosine: float
    voice: str
    entail: float
    neutral: float
    contra: float

    def carries(self, label: str, carry: float = CARRY) -> float:
        """How strongly the sentence states ``label`` (0 when it does not)."""
        if label == "support" and self.entail >= carry and self.entail > self.contra:
            return self.entail
        if label == "oppose" and self.contra >= carry and self.contra > self.entail:
            return self.contra
        return 0.0


@dataclass(frozen=True, slots=True)
class Decision:
    label: str
    evidence: list[tuple[SentenceReading, str, str]]  # (sentence, its label, why); empty: the model's own
    score: float | None = None  # the strongest carrying sentence's probability, when one decided


def voice_of(span: tuple[int, int], reported: Sequence[tuple], distanced: Sequence[tuple[int, int]],
             title: tuple[int, int] | None = None, thesis: str = "") -> str:
    """``reported`` items are ``(start, end)`` or ``(start, end, speaker)``: what a source says;
    ``distanced`` spans are hedge or question cues. A report whose speaker the thesis names is the
    article's own statement about that speaker ("X called for Y", reported as "X said Y must go"):
    the thesis is about what X said, and the article asserts that X said it."""
    start, end = span
    if title is not None and start < title[1] and title[0] < end:
        return TITLE
    if any(s < end and start < e for s, e in distanced):
        return DISTANCED
    named = _words(thesis)
    for item in reported:
        s, e = item[0], item[1]
        if s < end and start < e and not (len(item) > 2 and _words(item[2]) & named):
            return REPORTED
    return OWN


def _words(text: str) -> set[str]:
    """Capitalised words of three letters or more: the names a thesis or a speaker span holds."""
    return {w.casefold() for w in re.findall(r"\w+", text or "")
            if len(w) > 2 and w[0].isupper() and w.casefold() not in STOPWORDS}


def body_of(readings: Sequence[SentenceReading]) -> list[SentenceReading]:
    """The readings of the body's sentences, or all of them when only the headline was read."""
    return [r for r in readings if r.voice != TITLE] or list(readings)


def candidates(cos: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` sentences closest to the thesis, closest first."""
    return np.argsort(-np.asarray(cos), kind="stable")[:k]


_WHY = {
    ("support", OWN): "the article states it",
    ("oppose", OWN): "the article states the contrary",
    ("support", TITLE): "the headline states it; no sentence of the body does",
    ("oppose", TITLE): "the headline states the contrary; no sentence of the body does",
    ("support", REPORTED): "a source the article reports affirms it; the article does not say it itself",
    ("oppose", REPORTED): "a source the article reports denies it; the article does not say it itself",
    ("support", DISTANCED): "affirmed, but the article hedges or questions it",
    ("oppose", DISTANCED): "denied, but the article hedges or questions it",
}


def decide(readings: Sequence[SentenceReading], label: str, carry: float = CARRY) -> Decision:
    """``label``: the side the stance model chose among support, oppose and discuss."""
    if label not in ("support", "oppose"):
        return Decision(label, _discussing(readings))
    carrying = [r for r in readings if r.carries(label, carry)]
    own = [r for r in carrying if r.voice == OWN]
    if own:
        return Decision(label, [(r, label, _WHY[(label, OWN)]) for r in own], max(r.carries(label, carry) for r in own))
    title = [r for r in carrying if r.voice == TITLE]
    if title:  # the headline, with the sources the body reports saying the same
        return Decision(label, [(r, label, _WHY[(label, r.voice)]) for r in carrying],
                        max(r.carries(label, carry) for r in title))
    if carrying:  # only sources the article reports, or hedged sentences, state it
        return Decision("discuss", [(r, "discuss", _WHY[(label, r.voice)]) for r in carrying],
                        max(r.carries(label, carry) for r in carrying))
    # No sentence states it: a side nobody can point to is not a finding.
    body = body_of(readings)
    return Decision("discuss", [(body[0], "discuss", f"about the thesis; the stance model leans {label}, "
                                 "but no sentence states it")] if body else [])


def _discussing(readings: Sequence[SentenceReading]) -> list[tuple[SentenceReading, str, str]]:
    """Evidence of "discuss": the closest sentence of the body (the headline only when there is
    no other), with what the relation model makes of it."""
    body = body_of(readings)
    if not body:
        return []
    r = body[0]
    side = "support" if r.carries("support") else "oppose" if r.carries("oppose") else None
    why = _WHY[(side, r.voice)] if side and r.voice in (REPORTED, DISTANCED) else "about the thesis; takes no side"
    return [(r, "discuss", why)]
