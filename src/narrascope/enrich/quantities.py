"""Figures stated in a sentence: money, percentages, counts and measures.

One precompiled regex finds every candidate in a single pass; the few candidates a sentence has
are then interpreted in Python (separators, scale words, units) and cleaned up by three general
rules: a bare four-digit number that reads as a year is a year, "one" used as a pronoun is not a
count, and a number coordinated with a later one shares its unit and scale ("3 and 2 billion
dollars", "от 2 до 3 млрд долларов", "$2-3 billion").

Dates, times of day, ordinals, identifiers ("COVID-19", "No. 5") and compound words ("5-year")
are matched by a "skip" branch of the same regex so that their digits never become figures.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from . import lexicon as lx


@dataclass(frozen=True, slots=True)
class QuantityMatch:
    start: int  # character offsets [start, end) into the text given
    end: int
    kind: str  # "money" | "percent" | "count" | "measure"
    value: float  # scale words applied: "27.8 billion" -> 27.8e9
    unit: str | None  # ISO 4217 code, "%", canonical unit symbol, or for counts the next word


# --- the pattern ------------------------------------------------------------------------------------
_SP = "[ \\t\\u00a0\\u202f\\u2009]"  # spaces inside a figure: plain, no-break, narrow no-break, thin
_END = r"(?:(?<=\w)(?!\w)|(?<!\w))"  # a word-ending token must end at a word boundary
_MONTH = lx.MONTH_PATTERN
_SCALE_WORDS = "hundred|thousand|million|billion|trillion|dozen"

_SKIP = "|".join(
    [
        r"\d{4}-\d{1,2}-\d{1,2}(?!\d)",  # 2025-02-10
        r"\d{1,2}\.\d{1,2}\.\d{2,4}(?!\d)",  # 10.02.2025
        r"\d+(?:[:/]\d+)+",  # 6:48, 24/7, 2024/25
        rf"\d{{1,2}}(?:[.:]\d{{2}})?{_SP}?(?:[ap]\.m\.|[ap]m\b|[AP]M\b)",  # 6 pm
        r"\d+(?:[.,]\d+)?-[^\W\d_]\w*",  # 5-year, 80-летие: part of a compound word
        r"\d+(?:st|nd|rd|th|s|'s)\b",  # 80th, 1990s
        rf"{_MONTH}{_SP}+\d{{1,2}}(?!\d)(?:st|nd|rd|th)?(?:,?{_SP}+\d{{4}}(?!\d))?",  # November 9, 2024
        rf"{_MONTH}{_SP}+\d{{4}}(?!\d)",  # April 2024
        rf"\d{{1,2}}(?:st|nd|rd|th)?(?:{_SP}*[-–]{_SP}*\d{{1,2}})?{_SP}+(?:of{_SP}+)?{_MONTH}(?:{_SP}+\d{{4}}(?!\d))?",
        rf"(?:№|No\.|#){_SP}?\d+",  # numbers that name rather than count
    ]
)

_PREFIX = (
    rf"(?P<pre>{lx.alternation(lx.CURRENCY_SYMBOLS)}"
    rf"|(?<![^\W\d_])(?:{lx.alternation(lx.CURRENCY_CODES)})(?={_SP}?\d)){_SP}?"
)
_NUM_START = r"(?<!\w)(?<![^\W\d_]-)(?<!\d[.,:/])"  # not inside a word, "Su-57" or "1.2.3"
_DIGITS = (
    rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?!\d)|\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?(?!\d)"
    rf"|\d{{1,3}}(?:{_SP}\d{{3}})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)?"
)
_WORD_HEAD = rf"(?i:an?{_SP}+(?:{_SCALE_WORDS})|{lx.alternation(lx.NUMBER_STARTS)})(?!\w)"
_WORD_NEXT = rf"(?i:{lx.alternation(set(lx.NUMBER_STARTS) | set(lx.NUMBER_CONTINUATIONS))})(?!\w)"
_WORDS = rf"{_WORD_HEAD}(?:(?:{_SP}+|-|(?<=[Hh]undred){_SP}+and{_SP}+){_WORD_NEXT})*"
_SCALE = rf"(?:(?i:{lx.alternation(lx.SCALES)})|{lx.alternation(lx.SCALES_EXACT)})(?!\w)"
_UNIT = (
    rf"(?P<pct>(?i:{lx.alternation(lx.PERCENT_WORDS)}))"
    rf"|(?P<cur>(?i:{lx.alternation(lx.CURRENCY_WORDS)}))"
    rf"|(?P<code>{lx.alternation(lx.CURRENCY_CODES)})"
    rf"|(?P<sym>{lx.alternation(lx.CURRENCY_SYMBOLS)})"
    rf"|(?P<meas>(?i:{lx.alternation(lx.MEASURE_WORDS)}))"
    rf"|(?P<measx>{lx.alternation(lx.MEASURES_EXACT)})"
)
# Every candidate starts a word and with one of these characters; checking that first lets the scan
# pass over ordinary text cheaply instead of trying every alternative at every position.
_STARTERS = ["a", *lx.NUMBER_STARTS, *lx.CURRENCY_SYMBOLS, *lx.CURRENCY_CODES, *lx.EN_MONTHS, *lx.RU_MONTHS]
_FIRST_CHARS = "".join(
    sorted({w[0] for w in _STARTERS} | {w[0].upper() for w in _STARTERS} | set("0123456789№#N"))
)
_PATTERN = re.compile(
    rf"(?<!\w)(?=[{re.escape(_FIRST_CHARS)}])"
    rf"(?:(?P<skip>{_SKIP})"
    rf"|(?:{_PREFIX}|{_NUM_START})(?P<num>{_DIGITS}|{_WORDS})"
    rf"(?:{_SP}?(?P<scale>{_SCALE}))?"
    rf"(?:{_SP}?(?P<unit>{_UNIT}){_END})?"
    rf"{_END}(?!-[^\W\d_]))"
)

# --- the rules around a candidate ---------------------------------------------------------------------
_CYRILLIC = re.compile("[\u0400-\u04ff]")
# Languages that write a decimal comma; of them, those that also group thousands with dots.
_COMMA_DECIMAL = set(
    "ru uk be kk ky uz tg bg sr mk pl cs sk fr de es it pt nl da sv no nb fi ro hu tr az ka".split()
)
_DOT_THOUSANDS = {"de", "es", "it", "pt", "nl", "da", "tr", "id", "ro"}
_SPACES = re.compile(f"{_SP}+")
_NEXT_WORD = re.compile(rf"{_SP}+([^\W\d_][\w'’-]*)")
_WORD = re.compile(r"[^\W\d_]+")
# Words after a number that say nothing about what is counted.
_STOPWORDS = set(
    "of the a an and or to in on at by for from with than per as is are was were be been has have had will"
    " would that which who it this these those и или в во на с со по до из от к за что как не же".split()
)
_ONE = {"one", "один", "одна", "одно"}
_ONE_AS_PRONOUN_AFTER = re.compile(
    rf"{_SP}*(?:[^\w\s]|$|(?i:of|the|a|an|this|that|these|those|his|her|its|their|our|my|your|another"
    rf"|из|этих|тех|них)(?!\w))"
)
_ONE_AS_PRONOUN_BEFORE = re.compile(
    r"(?i:\b(?:no|any|every|each|the|which|this|that|other|another|only)\s+)$"
)
_YEAR_WORD_AFTER = re.compile(rf"{_SP}*(?:год\w*|гг?\.)", re.I)
_YEAR_PREPOSITION = re.compile(r"(?i:\b(?:in|since|from|until|till|of|в|с|до|к)\s+)$")
_APPROXIMATELY = re.compile(
    r"(?i:\b(?:about|around|some|nearly|almost|over|more\s+than|less\s+than|fewer\s+than|at\s+least|roughly"
    r"|approximately|около|почти|более|свыше|менее|примерно|порядка)\s+)$"
)
_CONNECTOR = re.compile(rf"{_SP}*(?:[-–—]|(?i:to|and|or|и|или|до|по)(?!\w)){_SP}*")


class _Candidate:
    """A figure while the rules still adjust it; turned into a QuantityMatch at the end."""

    __slots__ = ("end", "factor", "kind", "next_word", "number", "prefixed", "scale", "start", "unit", "year")

    def __init__(self, start: int, end: int, number: Decimal) -> None:
        self.start, self.end, self.number = start, end, number
        self.scale: Decimal | None = None
        self.factor = Decimal(1)
        self.kind, self.unit = "count", None
        self.prefixed = False  # the currency came from a symbol or code before the number
        self.year = False
        self.next_word: str | None = None


def _conventions(text: str, language: str | None) -> tuple[bool, bool]:
    """(decimal comma?, dots group thousands?) for this text; unknown language: Cyrillic text is
    taken to follow Russian conventions, anything else English ones."""
    lang = (language or "").lower()[:2]
    if not lang:
        return bool(_CYRILLIC.search(text)), False
    return lang in _COMMA_DECIMAL, lang in _DOT_THOUSANDS


def _parse_digits(s: str, comma_decimal: bool, dot_thousands: bool) -> Decimal:
    s = _SPACES.sub("", s)
    if "," in s and "." in s:  # whichever comes last is the decimal mark
        last_comma = s.rfind(",") > s.rfind(".")
        s = s.replace(".", "").replace(",", ".") if last_comma else s.replace(",", "")
    elif s.count(",") > 1 or s.count(".") > 1:
        s = s.replace(",", "").replace(".", "")
    elif "," in s:  # "2,500" groups thousands in English; "17,4" and Russian "2,500" are decimals
        frac = s.partition(",")[2]
        s = s.replace(",", "" if len(frac) == 3 and not comma_decimal else ".")
    elif "." in s and dot_thousands and len(s.partition(".")[2]) == 3:
        s = s.replace(".", "")
    return Decimal(s)


def _scale_value(surface: str) -> Decimal:
    if surface in lx.SCALES_EXACT:
        return Decimal(lx.SCALES_EXACT[surface])
    return lx.SCALE_VALUES[lx.normalise(surface)]


def _candidate(m: re.Match[str], text: str, conv: tuple[bool, bool]) -> _Candidate | None:
    num = m.group("num")
    if num[0].isdigit():
        number = _parse_digits(num, *conv)
    else:
        words = [w for w in _WORD.findall(num) if w.lower() != "and"]
        number = Decimal(lx.number_from_words(words) or 0)
    c = _Candidate(m.start(), m.end(), number)
    c.year = num.isdigit() and len(num) == 4
    pre = m.group("pre")
    if pre:
        pre = pre.strip(" \t\u00a0\u202f\u2009")
        c.kind, c.unit, c.prefixed = "money", lx.CURRENCY_SYMBOLS.get(pre) or lx.CURRENCY_CODES[pre], True
    if m.group("pct"):
        c.kind, c.unit = "percent", "%"
    elif m.group("cur"):
        c.kind, c.unit = "money", lx.CURRENCY_WORDS[lx.normalise(m.group("cur"))]
    elif m.group("code") or m.group("sym"):
        unit = m.group("unit")
        c.kind, c.unit = "money", lx.CURRENCY_CODES.get(unit) or lx.CURRENCY_SYMBOLS[unit]
    elif m.group("meas") or m.group("measx"):
        found = lx.MEASURES_EXACT.get(m.group("unit")) or lx.MEASURE_WORDS[lx.normalise(m.group("unit"))]
        c.kind, c.unit, c.factor = "measure", found[0], Decimal(found[1])
    scale = m.group("scale")
    if scale and scale in ("m", "b") and c.kind == "count":
        # With neither money nor a unit around, "300m" is metres and "5b" is no figure at all.
        if scale == "b":
            return None
        c.kind, c.unit = "measure", "m"
    elif scale:
        c.scale = _scale_value(scale)
        c.year = False
    if c.kind == "count":
        nxt = _NEXT_WORD.match(text, c.end)
        word = nxt.group(1).lower() if nxt else None
        c.next_word = None if word in _STOPWORDS else word
    return c


def _is_pronoun_one(c: _Candidate, text: str) -> bool:
    if c.kind != "count" or c.scale is not None or text[c.start : c.end].lower() not in _ONE:
        return False
    before = text[max(0, c.start - 12) : c.start]
    return bool(_ONE_AS_PRONOUN_AFTER.match(text, c.end) or _ONE_AS_PRONOUN_BEFORE.search(before))


def _is_year(c: _Candidate, text: str) -> bool:
    """A plain four-digit count reads as a year when "год" follows it, when a preposition such as
    "in"/"since" precedes it, or when it lies in 1900-2099 and nothing like "about" precedes it."""
    if not c.year or c.kind != "count":
        return False
    if _YEAR_WORD_AFTER.match(text, c.end):
        return True
    before = text[max(0, c.start - 20) : c.start]
    if c.number <= 2099 and _YEAR_PREPOSITION.search(before):
        return True
    return 1900 <= c.number <= 2099 and not _APPROXIMATELY.search(before)


def _share_across_connectors(found: list[_Candidate], text: str) -> None:
    """Numbers joined by "and", "to", "до", a dash share what only one of them states. In "3 and 2
    billion dollars" the first takes the later unit and, lacking its own, the later scale; in "$2-3
    billion" the later takes the earlier currency symbol."""
    pairs = [(a, b) for a, b in itertools.pairwise(found) if _CONNECTOR.fullmatch(text, a.end, b.start)]
    for a, b in pairs:
        if a.prefixed and b.kind == "count":
            b.kind, b.unit = a.kind, a.unit
    for a, b in reversed(pairs):
        if a.kind == "count" and b.kind != "count" and not b.prefixed:
            a.kind, a.unit, a.factor = b.kind, b.unit, b.factor
        if (a.kind, a.unit) != (b.kind, b.unit):
            continue
        if a.scale is None:
            a.scale = b.scale
        if a.kind == "count":
            a.next_word = b.next_word


def find_quantities(text: str, language: str | None = None) -> list[QuantityMatch]:
    """Every figure in ``text``, sorted by start and non-overlapping. ``language`` (an ISO code)
    only settles whether "2,500" groups thousands; without it the script of the text decides."""
    conv = _conventions(text, language)
    found: list[_Candidate] = []
    for m in _PATTERN.finditer(text):
        if m.group("skip") is not None:
            continue
        c = _candidate(m, text, conv)
        if c is not None and not _is_pronoun_one(c, text) and not _is_year(c, text):
            found.append(c)
    _share_across_connectors(found, text)
    out = []
    for c in found:
        value = c.number * (c.scale if c.scale is not None else 1) * c.factor
        unit = c.next_word if c.kind == "count" else c.unit
        out.append(QuantityMatch(c.start, c.end, c.kind, float(value), unit))
    return out
