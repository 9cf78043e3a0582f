"""Which way a claim says a thing moved: up ("rose", "increased", "выросли") or down ("fell",
"declined", "снизились").

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
