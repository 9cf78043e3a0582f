"""Which way a claim says a thing moved: up ("rose", "increased", "выросли") or down ("fell",
"declined", "снизились"); which side it says someone takes ("supports" / "opposes",
"поддерживает" / "выступает против"); and whether it denies what it reports ("denied", "отрицает").

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

# Whole word forms, not prefixes: "surgeon", "lower house", "higher education", "fallout" and
# "Ростов" move nothing; nor does "fall" ("in the fall of 2019"). A few stems that only make words of change stay stems (``_STEMS_*``).
_UP_WORDS = frozenset(
    """rise rises rose risen rising increase increased increases increasing grew grow grows growing gain gained
    gains gaining jump jumped jumps jumping climb climbed climbs climbing surge surged surges surging soar
    soared soars soaring expand expanded expands expanding doubled doubling tripled tripling accelerated
    accelerating вырос выросла выросло выросли растёт растет растут рост роста ростом""".split()
)
_DOWN_WORDS = frozenset(
    """falls fell fallen falling decrease decreased decreases decreasing decline declined declines declining
    drop dropped drops dropping shrank shrink shrinks shrinking shrunk plunge plunged plunges plunging plummet
    plummeted plummets slump slumped slumps lowered lowering reduce reduced reduces reducing tumble tumbled
    tumbles slid sliding halved halving упал упала упало упали падает падают падение падения""".split()
)
_STEMS_UP = ("увелич", "повыси", "повыша", "подорож", "удвои")
_STEMS_DOWN = ("снизи", "снижа", "снижен", "сократи", "сокраща", "сокращен", "уменьш", "подешев")
_WORD = re.compile(r"\w+", re.UNICODE)


def word_direction(word: str) -> int:
    """UP, DOWN or 0 for one word."""
    w = word.lower()
    if w in _DOWN_WORDS or w.startswith(_STEMS_DOWN):
        return DOWN
    if w in _UP_WORDS or w.startswith(_STEMS_UP):
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


# A side taken, in whole word forms. "against" and "против" alone are left out: "sanctions against
# Iran" takes no side; "выступает против" does, and "выступает за" the other.
_FOR_WORDS = frozenset(
    """support supports supported supporting endorse endorses endorsed endorsing favour favours favoured
    favouring favor favors favored favoring backs backed backing welcomes welcomed approve approves approved
    поддерживает поддерживают поддерживал поддерживала поддерживали поддерживало поддержал поддержала
    поддержали поддержало поддержит поддержат поддержать одобряет одобряют одобрял одобряли одобрил одобрила
    одобрили одобрило одобрит одобрят приветствует приветствуют приветствовал приветствовала приветствовали
    приветствовало""".split()
)
_AGAINST_WORDS = frozenset(
    """oppose opposes opposed opposing objects objected objecting reject rejects rejected rejecting condemn
    condemns condemned condemning отвергает отвергают отвергал отвергали отверг отвергла отвергли отвергло
    отвергнет отвергнут осуждает осуждают осуждал осуждали осудил осудила осудили осудило осудит осудят
    возражает возражают возражал возражала возражали возражало""".split()
)
# "выступает за" takes a side, "выступил за неделю до" does not: a time after "за" is no side.
_SIDE_PHRASE = re.compile(
    r"\b(?:выступа\w*|выступи\w*)\s+(за|против)\b(?!\s+(?:\d|неделю|недели|месяц|год|день|дня|час|минуту|"
    r"несколько|полгода|сутки|два|две|три|пять))|\b(in\s+favou?r\s+of)\b",
    re.I,
)


@lru_cache(maxsize=1 << 14)
def sides(text: str) -> frozenset[int]:
    """The sides ``text`` says someone takes: UP for, DOWN against (empty, one, or both)."""
    found = {DOWN if (m.group(1) or "").lower() == "против" else UP for m in _SIDE_PHRASE.finditer(text)}
    for w in _WORD.findall(text.lower()):
        if w in _FOR_WORDS:
            found.add(UP)
        elif w in _AGAINST_WORDS:
            found.add(DOWN)
    return frozenset(found)


def opposite_sides(a: str, b: str) -> bool:
    """Whether one text says someone is for a thing and the other against, neither saying both."""
    sa, sb = sides(a), sides(b)
    return len(sa) == len(sb) == 1 and sa != sb


# Saying nothing: "declined to comment", "did not respond to a request for comment", "не стал
# комментировать". Such a claim states no position on any fact, so it neither agrees nor conflicts.
_NO_COMMENT = re.compile(
    r"\b(?:(?:declin|refus)\w*\s+(?:to\s+)?comment|no\s+comment|(?:did\s+not|didn't|has\s+not|hasn't|have\s+not)\s+"
    r"(?:immediately\s+)?(?:respond|reply|return)\w*\s+(?:to\s+)?(?:a\s+|the\s+|our\s+|several\s+)?(?:request|call|e-?mail|"
    r"message|inquir)|could\s+not\s+be\s+reached|не\s+(?:стал[аио]?\s+|будут\s+|будет\s+)?комментир\w*|"
    r"отказал\w*\s+(?:от\s+)?комментари\w*|не\s+ответил\w*\s+на\s+(?:запрос|просьбу))",
    re.I,
)


@lru_cache(maxsize=1 << 14)
def says_nothing(text: str) -> bool:
    """Whether the claim only reports that someone would not comment or could not be reached."""
    return bool(_NO_COMMENT.search(text))


# A denial in so many words: the claim reports someone saying no to a statement. Narrower than the
# opposition reader's cues (link/opposition.py): "never", "wrong" or "challenged" deny nothing alone.
_DENIES = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)\s+(?:that|any|all|having|being|wrongdoing|responsibility|involvement|"
    r"(?:the\s+)?(?:claims?|allegations?|accusations?|charges?|reports?)|\w+ing)\b|denials?\b|"
    r"disput(?:ed|es|ing)\s+(?:that\b|the\s+|any\s+|claims?|allegations?|accusations?|reports?)|refut\w*|rebut\w*|"
    r"reject(?:s|ed|ing)?\s+(?:the\s+|any\s+|all\s+)?(?:claims?|allegations?|accusations?|charges?|reports?|suggestions?)|"
    r"отрица(?:ет|ют|л|ла|ли|ло|ние|ния|нии|нию)\b|опроверг\w*|оспарива\w*|оспорил\w*)",
    re.I,
)


def denies(text: str, cue: str = "") -> bool:
    """Whether the claim (with the speech verb the attribution cut off, ``cue``) is a denial:
    "denied using force", "denies that ...", "disputed claims of ...", a cut-off "denied" — not
    "deny services to customers"."""
    if cue.lower().startswith(("den", "disput", "refut", "rebut", "отрица", "опроверг")):
        return True
    return bool(_DENIES.search(text))
