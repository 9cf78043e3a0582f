"""Time expressions in a sentence, resolved to calendar periods against the publication date.

Each kind of expression ("2025-02-10", "November 9", "in April 2024", "two months ago", "last week",
"on Monday", "в прошлом году"...) is one rule: a precompiled regex registered with the function that
turns its match into a period. All rules run over the text; where matches overlap the longest wins.
A last pass joins neighbours: "since X" runs from X to publication, "from X to Y" from X to Y.

Conventions where language is vague (all general, none tuned to a text):
- spans leave out a plain leading preposition ("on", "in", "в", "на") but keep words that change
  the period ("since", "last", "early", "the past");
- early/mid/late split a month into days 1-10, 11-20, 21-end and a year into Jan-Apr, May-Aug,
  Sep-Dec; "beginning/start of" reads as early, "end of" as late; halves are halves; the
  granularity stays that of the period named ("early November" is a "month" expression);
- a date or month without a year takes the latest year that puts it no more than ~6 months after
  publication; in a sentence about the future ("will") the first one on or after publication;
- a bare weekday is the latest one on or before publication (news says "on Monday" on Monday), or
  the first on or after it in a sentence about the future; "last Monday" is strictly before;
- "N weeks/months/years ago" is the whole calendar week (Mon-Sun), month or year N units back;
  "the past N years" is the rolling range from that day to publication;
- ``relative`` is True whenever the publication date was needed, yearless dates included.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from . import lexicon as lx
from .calendar_math import containing, month_end, narrow, shift, year_for


@dataclass(frozen=True, slots=True)
class TimeMatch:
    start: int
    end: int
    value: date  # first day of the period meant
    end_value: date  # last day of the period (== value for a single day)
    granularity: str  # "day" | "week" | "month" | "year"
    relative: bool  # True when resolved against the publication date


_Period = tuple[date, date, str, bool]  # value, end_value, granularity, relative

# --- context: is the sentence about the future? -----------------------------------------------------
_FUTURE = re.compile(rf"(?i:(?<!\w)(?:{lx.alternation(lx.FUTURE_MARKERS)})(?!\w)|'ll\b)")
# A verb in the past tense ("said", "confirmed", "заявил") between the future marker and the
# expression makes the marker belong to another clause ("X will build..., he said on Monday").
# A participle after "be"/"been"/"have" ("will be held") is no past tense.
_PAST = re.compile(
    rf"(?<!be )(?<!been )(?<!have )(?<!has )(?i:\b(?:\w+ed|{lx.alternation(lx.PAST_VERBS)})\b)"
    r"|(?<!\w)[а-яё]+(?:л|ла|ло|ли)(?!\w)"
)
_SENTENCE_END = re.compile(r"[.!?…](?:\s|$)|\n")
_SENTENCE_LEAD = re.compile(r"[\W_]*(?i:on|в|во)?\s*")


def _is_future(text: str, start: int, end: int) -> bool:
    """Whether the sentence around [start, end) speaks of the future: the nearest marker such as
    "will" before the expression or, when the expression opens the sentence, the first after it,
    with no verb in the past tense in between ("On Monday, X said he will..." is about the past)."""
    window = max(0, start - 300)
    lo = max(window, *(text.rfind(b, window, start) + 1 for b in (". ", "! ", "? ", "\n")))
    before = [m.end() for m in _FUTURE.finditer(text, lo, start)]
    if before:
        return _PAST.search(text, before[-1], start) is None
    if not _SENTENCE_LEAD.fullmatch(text, lo, start):
        return False
    stop = _SENTENCE_END.search(text, end)
    future = _FUTURE.search(text, end, stop.start() if stop else len(text))
    return future is not None and _PAST.search(text, end, future.start()) is None


# --- rules: a pattern and the function that turns its match into a period, or None ------------------
_Rule = Callable[[str, date | None, re.Match[str]], _Period | None]
_RULES: list[tuple[re.Pattern[str], _Rule, re.Pattern[str] | None]] = []


def _rule(trigger: re.Pattern[str] | None, *patterns: str) -> Callable[[_Rule], _Rule]:
    """Register a rule. ``trigger`` is a cheap search the text must pass for the patterns to have a
    chance: a sentence with no digit and no month name skips most rules."""

    def register(fn: _Rule) -> _Rule:
        _RULES.extend((re.compile(rf"(?<!\w){p}"), fn, trigger) for p in patterns)
        return fn

    return register


_WEEKDAY_EN = rf"(?:{lx.alternation(lx.EN_WEEKDAYS)})(?![a-z])"
_WEEKDAY_RU = rf"(?i:{lx.alternation(lx.RU_WEEKDAYS)})(?!\w)"
_QUAL = rf"(?:(?P<q>(?i:{lx.alternation(lx.QUALIFIERS)}))(?:-|\s+))?"
_YEAR = r"(?:1[89]|20)\d{2}(?![\d,.]?\d)"
_GOD = r"(?:\s*(?:года|году|год|г\.|року|рік))"  # Ukrainian "року" costs nothing
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<d2>\d{1,2}))?"
_NUMBER = rf"(?:an?|{lx.alternation(lx.NUMBER_STARTS)})"
_NUM = rf"(?P<n>(?i:\d+|{_NUMBER}(?:-{_NUMBER})?))"
_PREPOSITIONS = "in since by until till from through during before after of for в во с со до к по за от"
_PREP = rf"(?:(?P<prep>(?i:{lx.alternation(_PREPOSITIONS.split())}))\s+)?"
_UNIT_EN = r"(?P<u>(?i:days?|weeks?|months?|years?|decades?))(?!\w)"
_UNIT_RU = r"(?P<u>(?i:дн(?:я|ей|и)|день|недел[июья]|недель|месяц(?:а|ев|ы)?|год(?:а|ы)?|лет|полгода))(?!\w)"
_NOT_A_FIGURE = r"(?!\s*(?i:%|percent|per\s+cent|million|billion|thousand|тыс|млн|млрд))"
_T_DIGIT = re.compile(r"\d")
_T_MONTH = re.compile(rf"(?<!\w){lx.MONTH_PATTERN}")


def _month_of(name: str) -> int:
    return lx.EN_MONTHS.get(name.rstrip(".")) or lx.RU_MONTHS[name.lower()]


def _number(s: str) -> int | None:
    return int(s) if s.isdigit() else lx.number_from_words(re.split(r"[-\s]+", s))


_UNIT_PREFIXES = {"day": ("дн", "день", "day"), "week": ("week", "недел"), "month": ("month", "месяц")}


def _unit(u: str) -> tuple[str, int]:
    """(granularity, multiplier) of a written unit: "decades" -> ("year", 10)."""
    u = u.lower()
    if u in ("полгода", "decade", "decades"):
        return ("month", 6) if u == "полгода" else ("year", 10)
    return next((gran for gran, prefixes in _UNIT_PREFIXES.items() if u.startswith(prefixes)), "year"), 1


def _day(text: str, pub: date | None, m: re.Match[str], mon: int, d: int) -> _Period | None:
    try:
        if m["y"]:
            first, relative = date(int(m["y"]), mon, d), False
        else:
            found = pub and year_for(pub, mon, d, _is_future(text, m.start(), m.end()))
            if not found:
                return None
            first, relative = found, True
        last = first.replace(day=int(m["d2"])) if m.groupdict().get("d2") else first
    except ValueError:  # 31 November, 9-41 ноября
        return None
    return (first, last, "day", relative) if last >= first else None


@_rule(_T_DIGIT, r"(?<![\d.])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
def _r_iso(text: str, pub: date | None, m: re.Match[str]) -> _Period | None:
    return _day(text, pub, m, int(m["m"]), int(m["d"])) if 1 <= int(m["m"]) <= 12 else None


@_rule(_T_DIGIT, r"(?<![\d.])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d.]\d)")
def _r_numeric(text: str, pub: date | None, m: re.Match[str]) -> _Period | None:
    a, b = int(m["a"]), int(m["b"])
    # 10.02.2025 is day first; 9/11/2024 month first in English text, unless that is impossible.
    month_first = b > 12 or (a <= 12 and m["sep"] == "/" and not re.search("[\u0400-\u04ff]", text))
    mon, d = (a, b) if month_first else (b, a)
    return _day(text, pub, m, mon, d) if 1 <= mon <= 12 else None


@_rule(
    _T_MONTH,
    rf"(?:{_WEEKDAY_EN},?\s+)?(?P<mon>{lx.MONTH_PATTERN})\s+{_DAY}(?![\d:])(?:,?\s+(?P<y>{_YEAR}))?",
    rf"(?:{_WEEKDAY_EN},?\s+)?(?:the\s+)?(?<![\d.,]){_DAY}\s+(?:of\s+)?(?P<mon>{lx.MONTH_PATTERN})(?:,?\s+(?P<y>{_YEAR}){_GOD}?)?",
)
def _r_month_day(text: str, pub: date | None, m: re.Match[str]) -> _Period | None:
    return _day(text, pub, m, _month_of(m["mon"]), int(m["d"]))


@_rule(_T_MONTH, rf"{_QUAL}(?P<mon>{lx.MONTH_PATTERN}),?\s+(?P<y>{_YEAR}){_GOD}?")
def _r_month_year(text: str, pub: date | None, m: re.Match[str]) -> _Period | None:
    y, mon = int(m["y"]), _month_of(m["mon"])
    return (*narrow(date(y, mon, 1), month_end(y, mon), "month", m["q"], pub), "month", False)


@_rule(
    _T_MONTH,
    rf"{_PREP}(?P<x>(?<!\w)(?:(?P<w>(?i:last|this|next|прошлом|этом|следующем))\s+)?{_QUAL}(?P<mon>{lx.MONTH_PATTERN}))(?!\s*\d)",
)
def _r_month(text: str, pub: date | None, m: re.Match[str]) -> _Period | None:
    """A month without a year needs something that makes it a time: "in April", "early April"."""
    if pub is None or not (m["prep"] or m["q"] or m["w"]):
        return None
    mon, which = _month_of(m["mon"]), (m["w"] or "").lower()
    if which in ("last", "прошлом"):
        y = pub.year if mon < pub.month else pub.year - 1
    elif which in ("next", "следующем"):
        y = pub.year if mon > pub.month else pub.year + 1
    elif which in ("this", "этом"):
        y = pub.year
    else:
        y = (year_for(pub, mon, 1, _is_future(text, m.start("x"), m.end())) or pub).year
    return (*narrow(date(y, mon, 1), month_end(y, mon), "month", m["q"], pub), "month", True)


@_rule(
    _T_DIGIT,
    rf"{_PREP}(?P<x>(?<!\w){_QUAL}(?P<y>{_YEAR})(?:-?(?:м|ом)(?!\w))?(?P<god>{_GOD}|\s*гг\.)?){_NOT_A_FIGURE}",
)
def _r_year(text: str, pub: date | None, m: re.Match[str]) -> _Period | None:
    """A bare year needs a preposition, "год" or a qualifier: "2024 people" is no time."""
    if not (m["prep"] or m["q"] or m["god"]):
        return None
    y = int(m["y"])
    return (*narrow(date(y, 1, 1), date(y, 12, 31), "year", m["q"], pub), "year", False)


@_rule(
    _T_DIGIT,
    rf"(?:(?P<pre>(?i:from|between|с|со|от))\s+)?(?P<y>{_YEAR})\s*(?P<c>[-–—]|(?i:to|until|and|по|до)(?!\w))"
    rf"\s*(?P<y2>{_YEAR})(?:\s*(?:годах|годы|годов|гг\.|года|году|год))?",
)
def _r_year_range(text: str, pub: date | None, m: re.Match[str]) -> _Period | None:
    y, y2 = int(m["y"]), int(m["y2"])
    if y2 <= y or not (m["pre"] or m["c"] in "-–—"):
        return None
    return date(y, 1, 1), date(y2, 12, 31), "year", False


# "the day before the vote" and "накануне выборов" (a genitive noun follows) name another event's eve.
_ANCHORED = re.compile(
    r"\s+(?:(?i:the|a|an|his|her|their|its|this|that)\b|[а-яё]+(?:ов|ев|ей|ий|ия|ии|ых|их|а|я|ы)(?![а-яё]))"
)


@_rule(None, rf"(?i:{lx.alternation(lx.DAY_WORDS)})(?!\w)")
def _r_day_word(text: str, pub: date | None, m: re.Match[str]) -> _Period | None:
    word = lx.normalise(m[0])
    if pub is None or (word in ("the day before", "накануне") and _ANCHORED.match(text, m.end())):
        return None
    d = pub + timedelta(days=lx.DAY_WORDS[word])
    return d, d, "day", True


@_rule(
    re.compile(r"(?i:\bago\b|назад)"),
    rf"{_NUM}\s+{_UNIT_EN}\s+(?i:ago)(?!\w)",
    rf"(?:{_NUM}\s+)?{_UNIT_RU}\s+(?i:назад)(?!\w)",
)
def _r_ago(text: str, pub: date | None, m: re.Match[str]) -> _Period | None:
    u = m["u"].lower()
    if pub is None or (m["n"] is None and u not in ("день", "неделю", "месяц", "год", "полгода")):
        return None  # "много лет назад"
    gran, mult = _unit(u)
    n = _number(m["n"]) if m["n"] else 1
    return (*containing(shift(pub, gran, -n * mult), gran), gran, True) if n else None


@_rule(
    re.compile(r"(?i:\b(?:past|last)\b|последн|прошедш)"),
    rf"(?:(?P<the>(?i:the))\s+)?(?P<w>(?i:past|last))\s+(?:{_NUM}\s+)?{_UNIT_EN}",
    rf"(?P<w>(?i:последн(?:ие|их|ий|юю|ей|его|ее)|прошедш(?:ие|их|ий)))\s+(?:{_NUM}\s+)?{_UNIT_RU}",
)
def _r_past(text: str, pub: date | None, m: re.Match[str]) -> _Period | None:
    """The rolling range "the past three years"; plain "last year" is the calendar year before."""
    w = m["w"].lower()
    if pub is None or not (m["n"] or w == "past" or m.groupdict().get("the") or not w.startswith("last")):
        return None
    gran, mult = _unit(m["u"])
    n = _number(m["n"]) if m["n"] else 1
    return (shift(pub, gran, -n * mult), pub, gran, True) if n else None


_OFFSETS = {"last": -1, "the previous": -1, "прошл": -1, "минувш": -1, "next": 1, "the next": 1}
_OFFSETS |= {"the coming": 1, "следующ": 1, "будущ": 1, "наступающ": 1}


@_rule(
    re.compile(r"(?i:\b(?:week|month|year)\b|году|года|месяц|недел)"),
    rf"{_QUAL}(?:(?P<w>(?i:last|this|next|the\s+(?:previous|coming|current|next)))|(?<=of\s)(?i:the))"
    r"\s+(?i:(?P<u>week|month|year))(?!\w)",
    rf"{_QUAL}(?P<w>(?i:прошл|минувш|эт|текущ|нынешн|следующ|будущ|наступающ)(?:ом|ой|ого|ем|ей|его|у))?"
    r"\s*(?<!\w)(?i:(?P<u>году|года|месяце|месяца|неделе|недели))(?!\w)",
)
def _r_calendar(text: str, pub: date | None, m: re.Match[str]) -> _Period | None:
    """Calendar periods next to publication: "last week", "в прошлом году", "the end of the year"."""
    if pub is None or not (m["w"] or m["q"]):
        return None
    gran, _ = _unit(m["u"])
    w = lx.normalise(m["w"] or "")
    offset = next((off for prefix, off in _OFFSETS.items() if w.startswith(prefix)), 0)
    first, last = containing(shift(pub, gran, offset), gran)
    return (*narrow(first, last, gran, m["q"], pub), gran, True)


@_rule(
    re.compile(rf"{_WEEKDAY_EN}|{_WEEKDAY_RU}"),
    rf"(?P<x>(?:(?P<w>(?i:last|this|next|this\s+coming|this\s+past|coming|past))\s+)?(?P<wd>{_WEEKDAY_EN}))",
    rf"(?i:в|во)\s+(?P<x>(?:(?P<w>(?i:(?:прошл|минувш|эт|следующ|будущ|ближайш)\w*))\s+)?(?P<wd>{_WEEKDAY_RU}))",
)
def _r_weekday(text: str, pub: date | None, m: re.Match[str]) -> _Period | None:
    if pub is None:
        return None
    wd = lx.EN_WEEKDAYS.get(m["wd"], lx.RU_WEEKDAYS.get(m["wd"].lower(), 0))
    which, back, ahead = lx.normalise(m["w"] or ""), (pub.weekday() - wd) % 7, (wd - pub.weekday()) % 7
    if which.startswith(("this past", "past", "last", "прошл", "минувш")):
        days = -(back or 7)
    elif which.startswith(("next", "this coming", "coming", "следующ", "будущ", "ближайш")):
        days = ahead or 7
    elif which.startswith(("this", "эт")):
        days = wd - pub.weekday()
    else:
        days = ahead if _is_future(text, m.start("x"), m.end()) else -back
    d = pub + timedelta(days=days)
    return d, d, "day", True


# --- putting it together ----------------------------------------------------------------------------
_SINCE = re.compile(r"(?i:(?<!\w)(?:ever\s+since|since|начиная\s+с|с|со))\s+$")
_FROM = re.compile(r"(?i:(?<!\w)(?:from|between|с|со|от))\s+$")
_TO = re.compile(r"\s*(?:[-–—]|(?i:to|until|till|through|and|по|до)(?!\w))\s*")


def _join_neighbours(found: list[TimeMatch], text: str, pub: date | None) -> list[TimeMatch]:
    """Join "from X to Y" into one range from X to Y; then let "since X" run from X to publication."""
    joined: list[TimeMatch] = []
    for t in found:
        prev = joined[-1] if joined else None
        opener = prev and _FROM.search(text, max(0, prev.start - 16), prev.start)
        if prev and opener and _TO.fullmatch(text, prev.end, t.start) and t.end_value >= prev.value:
            relative = prev.relative or t.relative
            joined[-1] = dataclasses.replace(
                prev, start=opener.start(), end=t.end, end_value=t.end_value, relative=relative
            )
        else:
            joined.append(t)
    out = []
    for t in joined:
        since = _SINCE.search(text, max(0, t.start - 16), t.start)
        if since and pub is not None and t.value <= pub and t.end_value != pub:
            t = dataclasses.replace(t, start=since.start(), end_value=pub, relative=True)
        out.append(t)
    return out


def find_times(text: str, published: datetime | date | None, language: str | None = None) -> list[TimeMatch]:
    """Every time expression in ``text`` that can be resolved, sorted by start and non-overlapping.
    Without ``published``, relative expressions and dates without a year are left out. English and
    Russian rules always both run; ``language`` is accepted for symmetry with the other finders."""
    pub = published.date() if isinstance(published, datetime) else published
    if pub is not None and not 1 < pub.year < 9999:  # placeholder dates (0001-01-01, 9999-12-31) anchor nothing
        pub = None
    present = {trigger: trigger.search(text) is not None for trigger in {t for _, _, t in _RULES if t}}
    candidates: list[tuple[int, int, _Period]] = []
    for pattern, rule, trigger in _RULES:
        if trigger is not None and not present[trigger]:
            continue
        for m in pattern.finditer(text):
            try:
                period = rule(text, pub, m)
            except (ValueError, OverflowError):  # a date past the calendar's ends ("31 December 9999" + 1 day)
                continue
            if period is not None:
                start = m.start("x") if "x" in pattern.groupindex else m.start()
                candidates.append((start, m.end(), period))
    chosen: list[tuple[int, int, _Period]] = []
    taken = bytearray(len(text))  # where the longest matches are, so a shorter overlapping one is dropped
    for cand in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if taken.find(1, cand[0], cand[1]) == -1:
            taken[cand[0] : cand[1]] = b"\x01" * (cand[1] - cand[0])
            chosen.append(cand)
    found = [TimeMatch(s, e, *period) for s, e, period in sorted(chosen, key=lambda c: c[0])]
    return _join_neighbours(found, text, pub)
