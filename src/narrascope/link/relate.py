"""How claim b bears on claim a: same, supports, contradicts, related or unrelated — and why.

Structured checks come first, because they can say *why* in words a reader can verify:

* the same measure with different values ("17.4 vs 27.1 billion dollars for trade turnover"),
  or the same values ("both say 3 thermal power plants");
* opposite polarity or antonymic predicates about the same thing ("complies with sanctions vs
  never joined sanctions");
* the same event put on different days ("March 3 vs March 10").

Failing those, semantic similarity of the two sentences (multilingual vectors) decides between
a paraphrase, a supporting statement that shares names, a related one and an unrelated one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Quantity, TimeExpression

if TYPE_CHECKING:  # learned.py builds on this module's checks
    from .learned import RelationScorer

RELATIONS = ("same", "supports", "contradicts", "related", "unrelated")
_WORD = re.compile(r"\w+", re.UNICODE)
# Function words and reporting verbs: they say nothing about the measure or the predicate.
_STOP = frozenset(
    """a an the of to in on at by for with from and or but as is are was were be been being has have had it its
    this that these those their his her our your they he she we you i not no never than then there which who
    whom whose what when where why how also only just about over under more most less least very so such
    said says say according told reported reports claims claimed will would could should may might can must
    do does did done up down out into onto per year years last first new one two three between among
    against within during after before since until while because
    и в во на с со по к из за от до не ни что это как а но или же бы ли то его ее их он она они мы вы""".split()
)
# Pairs of words that assert opposite things about the same subject.
ANTONYMS = [
    ("comply", "violate"),
    ("comply", "ignore"),
    ("join", "leave"),
    ("join", "quit"),
    ("win", "lose"),
    ("won", "lost"),
    ("open", "closed"),
    ("open", "close"),
    ("rise", "fall"),
    ("rose", "fell"),
    ("increase", "decrease"),
    ("increased", "decreased"),
    ("grow", "shrink"),
    ("growing", "falling"),
    ("growing", "declining"),
    ("up", "down"),
    ("confirm", "deny"),
    ("confirmed", "denied"),
    ("support", "oppose"),
    ("supports", "opposes"),
    ("approve", "reject"),
    ("approved", "rejected"),
    ("accept", "refuse"),
    ("accepted", "refused"),
    ("allow", "ban"),
    ("allowed", "banned"),
    ("true", "false"),
    ("legal", "illegal"),
    ("strengthen", "weaken"),
    ("closer", "away"),
    ("ally", "enemy"),
    ("more", "fewer"),
    ("higher", "lower"),
    ("gain", "loss"),
    ("success", "failure"),
    ("alignment", "nonalignment"),
    ("рост", "падение"),
    ("вырос", "упал"),
    ("выросла", "упала"),
    ("увеличился", "сократился"),
    ("подтвердил", "опроверг"),
    ("выиграл", "проиграл"),
    ("открыт", "закрыт"),
    ("поддерживает", "выступает"),
]
_ANTONYM_OF: dict[str, set[str]] = {}
for _x, _y in ANTONYMS:
    _ANTONYM_OF.setdefault(_x, set()).add(_y)
    _ANTONYM_OF.setdefault(_y, set()).add(_x)


@dataclass(frozen=True, slots=True)
class RelateParams:
    # Cosine thresholds of the multilingual sentence vectors (USE); `narrascope bench relate`
    # measures the relations they give on ClaimDiff.
    same: float = 0.86
    supports: float = 0.62
    related: float = 0.45
    # Structured checks apply only between statements at least this close: two claims about the
    # same measure of the same thing read alike.
    same_topic: float = 0.55
    # Values differing by less than this share are the same figure, rounded.
    value_tolerance: float = 0.03


DEFAULT_PARAMS = RelateParams()


@dataclass(slots=True)
class ClaimView:
    """What relation checks need of one claim."""

    text: str
    negated: bool = False
    quantities: list[Quantity] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    names: frozenset[str] = frozenset()
    hedged: bool = False
    offset: int = 0  # where ``text`` starts in its article: quantities and times are article offsets


@dataclass(frozen=True, slots=True)
class Relation:
    relation: str
    score: float
    reason: str


def relate(a: ClaimView, b: ClaimView, similarity: float, params: RelateParams = DEFAULT_PARAMS,
           scorer: RelationScorer | None = None) -> Relation:
    """The relation of b to a. With a learned ``scorer`` (``narrascope.link.learned``), a pair the
    checks and the similarity bands leave "related" or "unrelated" can still be called
    supporting or contradicting when the scorer is confident (its thresholds were set for
    precision of 0.9 on ClaimDiff; see models/README.md)."""
    found = _by_rules(a, b, similarity, params)
    if scorer is None or found.relation not in ("related", "unrelated"):
        return found
    p_supports, p_contradicts = scorer.score(a, b, similarity)
    if p_contradicts >= scorer.thresholds["contradicts"]:
        return Relation("contradicts", p_contradicts, f"likely at odds (learned p={p_contradicts:.2f})")
    if p_supports >= scorer.thresholds["supports"]:
        return Relation("supports", p_supports, f"likely agrees (learned p={p_supports:.2f})")
    return found


def _by_rules(a: ClaimView, b: ClaimView, similarity: float, params: RelateParams) -> Relation:
    if similarity >= params.same_topic:
        for check in (_quantities, _polarity, _dates):
            found = check(a, b, similarity, params)
            if found is not None:
                return found
    shared = sorted(a.names & b.names)
    if similarity >= params.same:
        return Relation("same", similarity, f"says the same thing (similarity {similarity:.2f})")
    if similarity >= params.supports and shared:
        return Relation(
            "supports", similarity, f"agrees about {_names(shared)} (similarity {similarity:.2f})"
        )
    if similarity >= params.related:
        what = f" about {_names(shared)}" if shared else ""
        return Relation("related", similarity, f"on the same subject{what} (similarity {similarity:.2f})")
    return Relation("unrelated", similarity, f"different subjects (similarity {similarity:.2f})")


def _quantities(a: ClaimView, b: ClaimView, sim: float, params: RelateParams) -> Relation | None:
    for qa in a.quantities:
        for qb in b.quantities:
            if qa.kind != qb.kind or (qa.unit or "") != (qb.unit or ""):
                continue
            measure = _shared_context(a, qa, b, qb)
            if measure is None or _different_periods(a, b):
                continue
            ta, tb = _span_text(a, qa), _span_text(b, qb)
            scale = max(abs(qa.value), abs(qb.value), 1e-9)
            close = abs(qa.value - qb.value) <= params.value_tolerance * scale
            relation = ("supports" if sim < params.same else "same") if close else "contradicts"
            if qa.kind == "count":  # "two reactors": the counted word says what is measured
                ta, tb = _with_next_word(a, qa), _with_next_word(b, qb)
                reason = f"both say {ta}" if close else f"{ta} vs {tb}"
            else:
                reason = f"both say {ta} for {measure}" if close else f"{ta} vs {tb} for the same {measure}"
            return Relation(relation, sim, reason)
    return None


def _polarity(a: ClaimView, b: ClaimView, sim: float, params: RelateParams) -> Relation | None:
    wa, wb = _content(a.text), _content(b.text)
    for word in wa - wb:
        # an antonym only one side uses: "neither confirmed nor denied" on both sides is no conflict
        opposite = (_ANTONYM_OF.get(word, set()) & wb) - wa
        if opposite:
            topic = _names(sorted(wa & wb)[:3]) or "the same thing"
            return Relation("contradicts", sim, f"{word} vs {sorted(opposite)[0]} about {topic}")
    neg_a, neg_b = a.negated, b.negated
    shared = wa & wb - {n.lower() for n in a.names | b.names}
    if neg_a != neg_b and shared:
        topic = _names(sorted(shared)[:4]) or "the same thing"
        yes, no = (a, b) if not neg_a else (b, a)
        return Relation(
            "contradicts",
            sim,
            f'affirmed vs denied: "{_short(yes.text)}" vs "{_short(no.text)}" about {topic}',
        )
    return None


def _dates(a: ClaimView, b: ClaimView, sim: float, params: RelateParams) -> Relation | None:
    days_a = {t.value for t in a.times if t.granularity == "day"}
    days_b = {t.value for t in b.times if t.granularity == "day"}
    if days_a and days_b and not days_a & days_b and sim >= params.supports:
        return Relation("contradicts", sim, f"{min(days_a)} vs {min(days_b)} for the same event")
    return None


def _different_periods(a: ClaimView, b: ClaimView) -> bool:
    years_a = {t.value[:4] for t in a.times if t.granularity == "year"}
    years_b = {t.value[:4] for t in b.times if t.granularity == "year"}
    return bool(years_a and years_b and not years_a & years_b)


def _shared_context(a: ClaimView, qa: Quantity, b: ClaimView, qb: Quantity) -> str | None:
    """The words both claims use around the figures: what is being measured, or None."""
    if qa.kind == "count" and qa.unit and qa.unit == qb.unit:
        return qa.unit
    shared = _content(a.text) & _content(b.text)
    shared -= _content(_span_text(a, qa)) | _content(_span_text(b, qb))
    shared -= {w for name in a.names | b.names for w in _content(name)}  # the measure, not whose it is
    if not shared:
        return None
    order = [w for w in _WORD.findall(a.text.lower()) if w in shared]
    seen: list[str] = []
    for w in order:
        if w not in seen:
            seen.append(w)
    return " ".join(seen[:3])


def _with_next_word(view: ClaimView, q: Quantity) -> str:
    after = _WORD.search(view.text, q.end - view.offset)
    return f"{_span_text(view, q)} {after.group(0)}" if after else _span_text(view, q)


def _span_text(view: ClaimView, span: Quantity | TimeExpression) -> str:
    return view.text[span.start - view.offset : span.end - view.offset]


def _content(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and not w.isdigit() and len(w) > 2}


def _names(items: list[str]) -> str:
    return ", ".join(items)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
