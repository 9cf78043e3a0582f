"""Name keys: one string for every way a name is spelled, cleaned and folded.

A key is the name transliterated to ASCII (``anyascii``), lower-cased, with the spelling variants of
transliteration folded (y/i, kh/h, doubled letters, ...), spaces and hyphens dropped and, for names,
final vowels (Russian case endings: "Каравии" is "Karavia") cut. "Daniiar"/"Daniar",
"Byelogor"/"Belogor" and "Султанбеков"/"Sultanbekov" get one key each.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

_LEADING = re.compile(r"^(?:the|a|an)\s+", re.I)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_FOLD = [
    (r"([a-z])\1+", r"\1"),
    (r"kh", "h"),
    (r"zh", "j"),
    (r"ts", "c"),
    (r"x", "ks"),
    (r"w", "v"),
    (r"ph", "f"),
    (r"ck", "k"),
    (r"y", "i"),
    (r"ii+", "i"),
    (r"ie", "e"),
    (r"yo|io", "e"),
]
_FOLD_RE = [(re.compile(a), b) for a, b in _FOLD]
_FINAL_VOWELS = re.compile(r"(?<=[a-z]{2})[aeiou]+$")


# Names repeat across a corpus far more than they vary: each spelling is cleaned and keyed once.
@lru_cache(maxsize=1 << 16)
def clean_name(text: str) -> str:
    name = " ".join(text.replace("\n", " ").split()).strip(" \"'“”«».,:;()")
    name = _LEADING.sub("", name)
    return _POSSESSIVE.sub("", name).strip()


@lru_cache(maxsize=1 << 16)
def fold(name: str, cut_vowels: bool = True) -> str:
    tokens = []
    for token in re.split(r"[\s\-‐–]+", anyascii(name).lower()):
        token = re.sub(r"[^a-z0-9]", "", token)
        for pattern, repl in _FOLD_RE:
            token = pattern.sub(repl, token)
        if cut_vowels:
            token = _FINAL_VOWELS.sub("", token)
        if token:
            tokens.append(token)
    return "".join(tokens)


def phonetic_key(name: str) -> str:
    return fold(name, True)
