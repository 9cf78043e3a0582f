"""What a claim calls fake: the statement it dismisses ('"Karavia is drifting away from
Tarsk" – fake', "the myth that sanctions work"), so that a claim stating that statement can be
read against it.

The label itself is found by the persuasion-technique rule (:mod:`narrascope.narratives.techniques_fake`);
this module only takes the statement out of the labelled span: a quotation inside it, the clause
after "that" ("the myth that X", "it is false that X", "неправда, что X"), or a subject that is a
clause of its own in a headline's shape ("X – fake", "X — ложь"). A label with none of these ("these reports are lies",
"the story about X is propaganda") disputes nothing a reader could compare, so it gives nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..narratives.techniques_fake import FINITE_VERB, RELATIVE_START, STATEMENT_NOUN, find_fake_labels
from .pairmodel import PairInput, RelationModel
from .text import ClaimView

# A cheap first look: texts without any of the label words are not searched further.
_ANY_LABEL = re.compile(
    r"fake|myth|hoax|lie|propaganda|disinformation|misinformation|fabricat|nonsense|fairy|conspiracy|canard|"
    r"smear|falsehood|fiction|false|bogus|untrue|not\s+true|baseless|groundless|unfounded|made[\s-]up|фейк|миф|"
    r"вброс|домысл|ложь|лжи|пропаганд|дезинформац|выдумк|бред|чушь|вран|сказк|фальш|неправд|неверно",
    re.I,
)
_QUOTE = re.compile(r"[\"“«„]([^\"“”«»„\n]{3,})[\"”»“]")
_THAT = re.compile(r"\b(?:that|что)\s+(.+)$", re.I)
_COPULA = re.compile(r"\s(?:is|are|was|were|remains?|seems?|это|является|являются|—|–|-)\s", re.I)
_DASH = re.compile(r"\s[—–-]\s")
# "that is a lie" ("that" the pronoun), "a hoax that said X was found dead" ("that" the subject of a
# relative clause): no statement starts there.
# The statement must say something: at least this many words.
MIN_WORDS = 3
# A subject that points at something said ("what he said", "all this", "эти слова") states nothing.
_REFERENCE = re.compile(
    r"^\W*(?:what|everything|all|this|that|these|those|such|it|his|her|their|its|our|your|my|это|всё|все|эти|"
    r"этот|эта|такие|такой|такая|то|его|её|ее|их)(?!\w)",
    re.I,
)


def disputed_statement(text: str) -> str:
    """The statement ``text`` labels fake, or "" when it labels none (or none a reader could compare)."""
    if not _ANY_LABEL.search(text):
        return ""
    for start, end in find_fake_labels(text):
        span = text[start:end]
        quoted = [m.group(1).strip() for m in _QUOTE.finditer(span)]
        found = max(quoted, key=len) if quoted else ""
        if not found and (clause := _THAT.search(span)) and not RELATIVE_START.match(clause.group(1)):
            found = clause.group(1).strip(" .,;")
            if not _ANY_LABEL.search(span[: clause.start()]):  # "the claim that X is a myth"
                found = _without_label(found)  # not "the myth that X"
        if not found and start == 0 and not text[end:].strip(" .!?\"”»'"):
            found = _stated_subject(span)
        if len(found.split()) >= MIN_WORDS:
            return found
    return ""


def _stated_subject(span: str) -> str:
    """ "Karavia is closing its port — a lie" -> "Karavia is closing its port": a headline's shape,
    the whole claim a clause, a dash and the label. With a copula instead of the dash the label's
    subject is seldom the whole clause before it ("... has confirmed it is a hoax")."""
    cuts = list(_COPULA.finditer(span))
    if not cuts or not _DASH.fullmatch(cuts[-1].group(0)):
        return ""
    subject = _without_label(span)
    if subject == span or _REFERENCE.match(subject) or not FINITE_VERB.search(subject):
        return ""
    if STATEMENT_NOUN.search(" ".join(subject.split()[:3])):
        return ""
    return subject.strip(" ,;:")


def _without_label(clause: str) -> str:
    """ "sanctions are working is a myth" -> "sanctions are working": the clause up to its last
    copula, when what follows is short enough to be only the label."""
    cuts = [m.start() for m in _COPULA.finditer(clause)]
    if cuts and len(clause[cuts[-1]:].split()) <= 7:
        return clause[: cuts[-1]].strip()
    return clause


def read_disputed(model: RelationModel, pairs: Sequence[tuple[ClaimView, ClaimView]]) -> list[float]:
    """For each pair in which one claim calls a statement fake and the other does not, how surely
    the other claim states that statement: the model's entailment of the statement and the claim,
    either way round (0.0 for every other pair). Two claims that both call something fake are
    never read against each other here."""
    out = [0.0] * len(pairs)
    todo = [(n, (a, b) if a.disputed else (b, a)) for n, (a, b) in enumerate(pairs) if bool(a.disputed) != bool(b.disputed)]
    if not todo:
        return out
    forward = model.probabilities([PairInput(lab.disputed, other.text, lab.language, other.language)
                                   for _, (lab, other) in todo])
    backward = model.probabilities([PairInput(other.text, lab.disputed, other.language, lab.language)
                                    for _, (lab, other) in todo])
    for (n, _), f, r in zip(todo, np.asarray(forward), np.asarray(backward), strict=True):
        out[n] = float(max(f[0], r[0]))
    return out
