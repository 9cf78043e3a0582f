"""What relation checks read of a claim (:class:`ClaimView`), and the word helpers they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Quantity, TimeExpression

WORD = re.compile(r"\w+", re.UNICODE)
# Function words and reporting verbs: they say nothing about the measure or the predicate.
STOP = frozenset(
    """a an the of to in on at by for with from and or but as is are was were be been being has have had it its
    this that these those their his her our your they he she we you i not no never than then there which who
    whom whose what when where why how also only just about over under more most less least very so such
    said says say according told reported reports claims claimed will would could should may might can must
    do does did done up down out into onto per year years last first new one two three between among
    against within during after before since until while because them him us me my mr mrs ms
    и в во на с со по к из за от до не ни что это как а но или же бы ли то его ее их он она они мы вы""".split()
)

# Entity labels that single out one person, body, place, event or document: a name of one of these both claims
# give is something a reader can check two claims share. Countries, cities and peoples are left out: "Russia" or
# "Kazakhstan" runs through every claim of a story about them.
SPECIFIC = frozenset({"PERSON", "ORG", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"})

# A negation one side has and the other lacks is often the whole difference.
NEGATIONS = frozenset("not no never none neither nor without не нет ни никогда без".split())


@dataclass(slots=True)
class ClaimView:
    """What relation checks need of one claim."""

    text: str
    negated: bool = False
    quantities: list[Quantity] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    names: frozenset[str] = frozenset()
    hedged: bool = False
    anchors: frozenset[str] = frozenset()  # names of a SPECIFIC label (people, bodies, events...)
    offset: int = 0  # where ``text`` starts in its article: quantities and times are article offsets
    language: str = "en"
    disputed: str = ""  # the statement the claim calls fake (link/disputed.py), if any
    speaker: str = ""  # who says it, when an attribution covers the claim
    cue: str = ""  # the attribution's verb ("denied"): cut off with the speaker, it can be the denial


def content_words(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if w not in STOP and not w.isdigit() and len(w) > 2}


# Texts whose words and stems are kept: the link stage compares each claim with ten or more others,
# a batch of queries at a time (at 100,000 claims, stemming the same words again took half of
# judging the pairs).
TEXT_CACHE = 1 << 16


@lru_cache(maxsize=TEXT_CACHE)
def _words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(text.lower()))


@lru_cache(maxsize=TEXT_CACHE)
def _terms(text: str) -> tuple[tuple[str, str], ...]:
    """``text``'s content words, each once, in order, with their stems."""
    return tuple((w, stem(w)) for w in dict.fromkeys(_words(text)) if w not in STOP and not w.isdigit() and len(w) > 2)


@lru_cache(maxsize=TEXT_CACHE)
def content_stems(text: str) -> frozenset[str]:
    """The stems of ``text``'s content words."""
    return frozenset(s for _, s in _terms(text))


def word_cover(a: str, b: str, names: frozenset[str] | set[str] = frozenset()) -> float:
    """The larger share of one text's content words (by stem) that the other text also uses, the
    words of ``names`` left out: two claims naming Russia and China share no words by that alone."""
    skip = name_words(names)
    stems_a = content_stems(a) - skip
    stems_b = content_stems(b) - skip
    if not stems_a or not stems_b:
        return 0.0
    both = len(stems_a & stems_b)
    return max(both / len(stems_a), both / len(stems_b))


def name_words(names: frozenset[str] | set[str]) -> set[str]:
    """The words of names, by stem ("Hunters" meets "Duncan Hunter"), honorifics and short words left out."""
    return {stem(w) for name in names for w in content_words(name)}


def span_text(view: ClaimView, span: Quantity | TimeExpression) -> str:
    return view.text[span.start - view.offset : span.end - view.offset]


def short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@lru_cache(maxsize=TEXT_CACHE)
def stem(word: str) -> str:
    """A crude common stem, so "sanctions" and "sanction", "complies" and "comply" meet."""
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def shared_terms(a: str, b: str, limit: int = 4, names: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Content words both texts use (by stem), in a's order; words of ``names`` left out."""
    stems_b = content_stems(b)
    skip = {w for name in names for w, _ in _terms(name)} if names else ()
    out: list[str] = []
    for w, s in _terms(a):
        if s in stems_b and w not in skip:
            out.append(w)
            if len(out) == limit:
                break
    return out


def differing_span(a: str, b: str, max_words: int = 9) -> str:
    """The stretch of ``a`` that holds the content words ``b`` lacks: what a says that b does not,
    quoted from a ("complies with Western sanctions in practice")."""
    stems_b = content_stems(b)
    negations_b = {w.lower() for w in WORD.findall(b)} & NEGATIONS
    tokens = list(WORD.finditer(a))
    own = [i for i, m in enumerate(tokens)
           if ((w := m.group(0).lower()) not in STOP and len(w) > 2 and stem(w) not in stems_b)
           or (w in NEGATIONS and w not in negations_b)]
    if not own:
        return short(a, 60)
    first, last = own[0], min(own[-1], own[0] + max_words - 1)
    return a[tokens[first].start() : tokens[last].end()]
