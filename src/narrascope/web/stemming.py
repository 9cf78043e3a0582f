"""Russian stemming for search: the Snowball Russian algorithm (snowballstem.org), in plain Python.

FTS5's Porter tokenizer stems English only; a Russian word reaches the index as written
(lowercased), so "Каравии" would never find "Каравия". Search stems the query word and the words
of the index's vocabulary with :func:`stem_ru` and looks for every form sharing the stem.

Snowball was chosen over pymorphy2 (installed with natasha) by speed and by what search needs:
10-20 µs a word against pymorphy2's 250 µs (a lemma per word, on the development machine), no
dictionary to load into the web process (pymorphy2 0.9 also needs a shim to start on Python 3.11),
and stems that are always a prefix of the (lowercased, ё-less) word, which lets search find every
form of a stem in one range of the sorted vocabulary. It gives the reference implementation's
stem for all 1,264 Russian words of this repository's sources and tests.
"""

from __future__ import annotations

import re

_VOWELS = "аеиоуыэюя"
_CYRILLIC_WORD = re.compile(r"[а-яё]+")


def _longest_first(*endings: str) -> tuple[str, ...]:
    return tuple(sorted(endings, key=len, reverse=True))


# Group 1 endings count only after "а" or "я" (which stays); group 2 endings need nothing before.
_GERUND_1 = _longest_first("в", "вши", "вшись")
_GERUND_2 = _longest_first("ив", "ивши", "ившись", "ыв", "ывши", "ывшись")
_ADJECTIVE = _longest_first(
    "ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом", "его", "ого",
    "ему", "ому", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею")
_PARTICIPLE_1 = _longest_first("ем", "нн", "вш", "ющ", "щ")
_PARTICIPLE_2 = _longest_first("ивш", "ывш", "ующ")
_REFLEXIVE = _longest_first("ся", "сь")
_VERB_1 = _longest_first("ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны",
                         "ть", "ешь", "нно")
_VERB_2 = _longest_first(
    "ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым", "ен", "ило",
    "ыло", "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю")
_NOUN = _longest_first(
    "а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой", "ий", "й", "иям",
    "ям", "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь", "ию", "ью", "ю", "ия", "ья", "я")
_DERIVATIONAL = _longest_first("ост", "ость")
_SUPERLATIVE = _longest_first("ейше", "ейш")


def is_russian_word(word: str) -> bool:
    """Whether ``word`` (lowercased) is all Cyrillic letters of the Russian alphabet."""
    return _CYRILLIC_WORD.fullmatch(word) is not None


def stem_ru(word: str) -> str:
    """The Snowball stem of a lowercased Russian word ("каравии" and "каравия": "карав")."""
    word = word.replace("ё", "е")
    rv = _region_after_vowel(word, 0)
    if rv >= len(word):
        return word
    r1 = _r(word, 0)
    r2 = _r(word, r1)
    head, tail = word[:rv], word[rv:]
    # Step 1: a perfective gerund; else an optional reflexive ending, then an adjectival, verb or noun one.
    cut = _strip(tail, _GERUND_1, _GERUND_2)
    if cut is None:
        unreflexive = _strip(tail, (), _REFLEXIVE)
        tail = tail if unreflexive is None else unreflexive
        cut = _adjectival(tail)
        if cut is None:
            cut = _strip(tail, _VERB_1, _VERB_2)
        if cut is None:
            cut = _strip(tail, (), _NOUN)
    tail = tail if cut is None else cut
    # Step 2: a final "и".
    if tail.endswith("и"):
        tail = tail[:-1]
    # Step 3: a derivational ending lying wholly in R2.
    for ending in _DERIVATIONAL:
        if tail.endswith(ending) and len(head) + len(tail) - len(ending) >= r2:
            tail = tail[: -len(ending)]
            break
    # Step 4: undouble "н", or drop a superlative ending (then undouble), or drop a soft sign.
    if tail.endswith("нн"):
        tail = tail[:-1]
    else:
        for ending in _SUPERLATIVE:
            if tail.endswith(ending):
                tail = tail[: -len(ending)]
                if tail.endswith("нн"):
                    tail = tail[:-1]
                break
        else:
            if tail.endswith("ь"):
                tail = tail[:-1]
    return head + tail


def _strip(tail: str, after_a: tuple[str, ...], plain: tuple[str, ...]) -> str | None:
    """``tail`` less its longest ending of either group, or None when it has none (as Snowball's
    ``among``: the longest ending decides; one of the first group needs "а" or "я" before it)."""
    found = max((e for e in (*after_a, *plain) if tail.endswith(e)), key=len, default=None)
    if found is None:
        return None
    rest = tail[: -len(found)]
    if found in after_a and found not in plain and not rest.endswith(("а", "я")):
        return None
    return rest


def _adjectival(tail: str) -> str | None:
    """An adjective ending, and a participle ending before it when there is one."""
    cut = _strip(tail, (), _ADJECTIVE)
    if cut is None:
        return None
    participle = _strip(cut, _PARTICIPLE_1, _PARTICIPLE_2)
    return cut if participle is None else participle


def _region_after_vowel(word: str, start: int) -> int:
    for i in range(start, len(word)):
        if word[i] in _VOWELS:
            return i + 1
    return len(word)


def _r(word: str, start: int) -> int:
    """Snowball's R1 (from 0) or R2 (from R1): after the first non-vowel that follows a vowel."""
    for i in range(start + 1, len(word)):
        if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
            return i + 1
    return len(word)
