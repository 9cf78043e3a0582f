"""Which way a claim says a thing moved: up ("rose", "increased", "выросли") or down ("fell",
"declined", "снизились"); and whether it denies what it reports ("denied", "отрицает").

A relation model that reads "Prices rose by 5%" as entailing "Prices fell by 5%" (it does: .88)
is told apart by this: two claims that move their subject opposite ways do not agree, and two
aligned figures moved opposite ways conflict even when the numbers are equal. The word lists are
stems of verbs and adjectives of change only; "up", "down", "more" and "less" are left out, as are
words with other common senses ("cut ties", "raised concerns", "lost the vote").
"""

from __future__ import annotations

import re
from functools import lru_cache

UP, DOWN = 1, -1

_UP = (
    "rise", "rises", "rose", "risen", "rising", "increas", "grew", "grow", "gain", "jump", "climb", "surg",
    "soar", "higher", "expand", "doubl", "tripl", "accelerat",
    "вырос", "вырас", "увелич", "повыс", "повыш", "подорож", "прирост", "удвои",
)
_DOWN = (
    "fall", "fell", "fallen", "decreas", "declin", "drop", "shrank", "shrink", "shrunk", "plung",
    "plummet", "slump", "lower", "reduc", "tumbl", "slid", "halv",
    "снизи", "сниж", "сократ", "сокращ", "упал", "упад", "паден", "уменьш", "подешев", "спад",
)
_WORD = re.compile(r"\w+", re.UNICODE)


def word_direction(word: str) -> int:
    """UP, DOWN or 0 for one word."""
    w = word.lower()
    if w.startswith(_DOWN):
        return DOWN
    if w.startswith(_UP) and not w.startswith(("growl", "gainsa")):
        return UP
    return 0


@lru_cache(maxsize=1 << 14)
def directions(text: str) -> frozenset[int]:
    """The directions of change ``text`` states (empty, one, or both)."""
    return frozenset(d for d in map(word_direction, _WORD.findall(text)) if d)


def opposite(a: str, b: str) -> bool:
    """Whether one text moves things up and the other down, neither saying both."""
    da, db = directions(a), directions(b)
    return len(da) == len(db) == 1 and da != db


# A denial in so many words: the claim reports someone saying no to a statement. Narrower than the
# opposition reader's cues (link/opposition.py): "never", "wrong" or "challenged" deny nothing alone.
_DENIES = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)\s+(?:that|any|all|it|them|having|being|wrongdoing|responsibility|involvement|"
    r"(?:the\s+)?(?:claims?|allegations?|accusations?|charges?|reports?)|\w+ing)\b|denials?\b|"
    r"disput(?:e|es|ed|ing)\s+(?:that|the\s+|any\s+|claims?|allegations?|accusations?|reports?)|refut\w*|rebut\w*|"
    r"reject(?:s|ed|ing)?\s+(?:the\s+|any\s+|all\s+)?(?:claims?|allegations?|accusations?|charges?|reports?|suggestions?)|"
    r"отрица\w*|опроверг\w*|оспарива\w*|оспорил\w*)",
    re.I,
)


def denies(text: str, cue: str = "") -> bool:
    """Whether the claim (with the speech verb the attribution cut off, ``cue``) is a denial:
    "denied using force", "denies that ...", "disputed claims of ...", a cut-off "denied" — not
    "deny services to customers"."""
    if cue.lower().startswith(("den", "disput", "refut", "rebut", "отрица", "опроверг")):
        return True
    return bool(_DENIES.search(text))
