"""Figures compared only when they measure the same thing: aligned figures of two claims.

Two figures are aligned when all of this holds, or they are not compared at all:

* same kind and unit (money in dollars, a percentage, a count);
* the same *measure*: a content word near each figure (:data:`BEFORE` before, :data:`AFTER` after, in the
  same clause) is shared, that is neither a name nor a bare unit ("years", "percent", "million")
  — "35.7 percent of the tax rate" and "45.8 percent of voters" share no measure;
* the same *subject*: the two claims share a named entity;
* the same *period*: checked before, by :func:`~narrascope.link.relate.about_same_thing`;
* neither claim states both values ("the rate rose from 35.7 to 45.8 percent" against "45.8
  percent" is no conflict: the first claim holds both figures);
* equal values agree unless the words of change next to them go opposite ways ("rose by 5%"
  against "fell by 5%" conflict; :mod:`~narrascope.link.direction`);
* for a conflict, neither figure belongs to someone the claim only points at: "his plan would cut
  Medicare by $800 billion" against "Obama has cut $716 billion from Medicare" may be about two
  people (a pronoun before the figure, in its clause, leaves whose figure it is open).

Then equal values (within a rounding tolerance) agree, and different values conflict, and the
reason names both figures, the measure and the subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Quantity
from .direction import word_direction
from .text import ClaimView, content_words, span_text

# Content words (names aside) searched for a figure's measure, before and after it: "trade
# turnover between Karavia and Russia fell to $17.4 billion" reaches "turnover" five back, "35.7
# percent of the vote" reaches "vote" one after.
BEFORE, AFTER = 5, 3
# Values this close may be one figure rounded two ways, which a paraphrase read both ways outweighs.
ROUNDING = 0.15
_CLAUSE = re.compile(r"[;:()\u2014]|,\s+(?:and|but|while|whereas|which|who)\b")
_WORD = re.compile(r"\w+", re.UNICODE)
# Units and scale words say how a figure is counted, not what it measures.
_UNITS = frozenset(
    """percent per cent percentage points point points dollar dollars usd euro euros eur pound pounds ruble
    rubles roubles tenge hryvnia yuan million millions billion billions trillion thousand thousands hundred
    hundreds year years month months week weeks day days hour hours minute minutes time times total
    процент процента процентов млн млрд тыс миллион миллиона миллионов миллиард миллиарда миллиардов
    тысяч тысячи год года лет месяц месяца месяцев день дня дней рубль рубля рублей доллар доллара долларов""".split()
)

# Light verbs, hedges and quantifiers stand near figures of every kind ("would likely take 18
# months", "nearly 18 people"): they never name what a figure measures.
_NOT_MEASURES = frozenset(
    """take takes took taken taking make makes made making get gets got getting give gives gave given
    go goes went gone come comes came put puts set see sees saw seen know knows knew known think thinks
    thought want wants wanted need needs needed use uses used like likely unlikely probably possibly
    nearly almost around roughly approximately estimated expected some many much several each every
    other another same own still even already now well january february march april may june july august
    september october november december monday tuesday wednesday thursday friday saturday sunday""".split()
)


# Pronouns that stand for someone named outside the claim.
_POINTERS = frozenset(
    """he him his she her hers they them their theirs it its он его него она её ее неё нее они их них оно""".split()
)


@dataclass(frozen=True, slots=True)
class FigureMatch:
    agree: bool
    text_a: str
    text_b: str
    measure: str
    subject: str
    opposed: bool = False  # equal or not, the figures moved opposite ways ("rose" / "fell")
    pointed: bool = False  # a conflict left open: a pronoun stands for the owner of one figure
    near: bool = True  # the values differ by less than a rounding would ("$9.6 billion" / "$10 billion")

    def reason(self) -> str:
        about = f" of {self.subject}" if self.subject else ""
        if self.agree:
            return f"both give {self.text_a} for {self.measure}{about}"
        return f"{self.text_a} vs {self.text_b} for {self.measure}{about}"


def aligned_figures(a: ClaimView, b: ClaimView, tolerance: float = 0.03, counts: bool = True,
                    subject_needed: bool = True) -> FigureMatch | None:
    """The first aligned pair of figures of a and b (a conflict before an agreement), or None;
    without ``counts``, counts may agree but never conflict. Without ``subject_needed``, figures
    are aligned on their measure alone (enough to stop an agreement, never to make a conflict)."""
    subject = sorted(a.names & b.names) or ([""] if not subject_needed else [])
    if not subject:
        return None
    found = open_owner = None
    for qa in a.quantities:
        for qb in b.quantities:
            if qa.kind != qb.kind or (qa.unit or "") != (qb.unit or ""):
                continue
            if qa.kind == "count" and min(qa.value, qb.value) < 2:
                continue  # "one partner at the expense of another" counts nothing
            way_a, way_b = _direction(a, qa), _direction(b, qb)
            equal = _close(qa.value, qb.value, tolerance)
            agree = equal and way_a * way_b != -1
            if not agree and qa.kind == "count" and not counts:
                continue
            if not equal and (_states(a, qb.value, qa.kind, tolerance) or _states(b, qa.value, qb.kind, tolerance)):
                continue  # one claim holds both values: a change over time, a comparison
            measure = _shared_measure(a, qa, b, qb)
            if measure is None:
                continue
            if not agree and (_pointed(a, qa) or _pointed(b, qb)):
                # whose figure it is lies outside the claim: no conflict, and no agreement either
                open_owner = open_owner or FigureMatch(False, span_text(a, qa), span_text(b, qb), measure,
                                                       subject[0], pointed=True)
                continue
            text_a, text_b = span_text(a, qa), span_text(b, qb)
            if way_a * way_b == -1:  # "rose by 5%" and "fell by 5%": the moves are the figures
                text_a, text_b = _moved(a, qa), _moved(b, qb)
            match = FigureMatch(agree, text_a, text_b, measure, subject[0], way_a * way_b == -1,
                                near=_close(qa.value, qb.value, ROUNDING))
            if not agree:
                return match
            found = found or match
    return found or open_owner


def _close(x: float, y: float, tolerance: float) -> bool:
    return abs(x - y) <= tolerance * max(abs(x), abs(y), 1e-9)


def _states(view: ClaimView, value: float, kind: str, tolerance: float) -> bool:
    return any(q.kind == kind and _close(q.value, value, tolerance) for q in view.quantities)


def _clause(view: ClaimView, q: Quantity) -> tuple[str, str]:
    """The figure's clause before it and after it, as text."""
    start, end = q.start - view.offset, q.end - view.offset
    return _CLAUSE.split(view.text[:start])[-1], _CLAUSE.split(view.text[end:])[0]


def _clause_words(view: ClaimView, q: Quantity) -> tuple[list[str], list[str]]:
    """The words of the figure's clause before it (nearest last) and after it (nearest first)."""
    before, after = _clause(view, q)
    return _WORD.findall(before), _WORD.findall(after)


def _direction(view: ClaimView, q: Quantity) -> int:
    """Which way the figure's clause says its measure moved, from the words nearest it; 0 when it
    says neither or both."""
    before, after = _clause_words(view, q)
    found = {word_direction(w) for w in before[-BEFORE:] + after[:AFTER]} - {0}
    return found.pop() if len(found) == 1 else 0


def _moved(view: ClaimView, q: Quantity) -> str:
    """The figure with the word of change nearest before it: "rose by 5%"."""
    before, _ = _clause_words(view, q)
    for n in range(len(before) - 1, max(len(before) - BEFORE, 0) - 1, -1):
        if word_direction(before[n]):
            return " ".join([*before[n:], span_text(view, q)])
    return span_text(view, q)


def _pointed(view: ClaimView, q: Quantity) -> bool:
    """Whether a pronoun stands before the figure in its clause ("his plan would cut ... by $800
    billion") with no name before it in the claim that it could stand for ("Kazakhstan said its
    exports rose to $9 billion" names its owner)."""
    clause, _ = _clause(view, q)
    offset = q.start - view.offset - len(clause)
    for m in _WORD.finditer(clause):
        if m.group().lower() in _POINTERS:
            before = view.text[: offset + m.start()]
            if not any(name and name in before for name in view.names):
                return True
    return False


def _shared_measure(a: ClaimView, qa: Quantity, b: ClaimView, qb: Quantity) -> str | None:
    names = {w for name in a.names | b.names for w in content_words(name)}
    near_a, near_b = _near(a, qa, names), {w for w, _ in _near(b, qb, names)}
    shared: dict[str, int] = {}
    for w, d in near_a:  # each word at its nearest place
        if w in near_b:
            shared[w] = min(d, shared.get(w, d))
    if not shared:
        return None
    # The two shared words nearest the figure in ``a``, in the order ``a`` gives them: the measure,
    # not a list of the clause.
    chosen = set(sorted(shared, key=shared.get)[:2])
    return " ".join(dict.fromkeys(w for w, _ in near_a if w in chosen))


def _near(view: ClaimView, q: Quantity, names: set[str]) -> list[tuple[str, int]]:
    """Content words near the figure, not crossing a clause boundary, with their distance from it;
    names, units, light verbs and hedges left out."""
    def words(part: str) -> list[str]:
        keep = content_words(part)
        return [w for w in (m.lower() for m in _WORD.findall(part))
                if w in keep and w not in names and w not in _UNITS and w not in _NOT_MEASURES]

    clause_before, clause_after = _clause(view, q)
    before = words(clause_before)[-BEFORE:]
    after = words(clause_after)[:AFTER]
    # (word, how many words away), in the text's order
    return [(w, len(before) - n) for n, w in enumerate(before)] + [(w, n + 1) for n, w in enumerate(after)]
