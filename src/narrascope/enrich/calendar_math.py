"""Calendar arithmetic for time expressions: month ends, shifts by a unit, the period of a unit
that contains a day, the part of a period that early/mid/late names, and the year a yearless date
falls in."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from . import lexicon as lx


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def shift(d: date, unit: str, n: int) -> date:
    if unit in ("day", "week"):
        return d + timedelta(days=n * (7 if unit == "week" else 1))
    y, m0 = divmod(d.month - 1 + (n if unit == "month" else 12 * n), 12)
    last = month_end(d.year + y, m0 + 1)
    return last.replace(day=min(d.day, last.day))


def containing(d: date, unit: str) -> tuple[date, date]:
    """The calendar period of granularity ``unit`` that contains ``d``."""
    if unit == "week":
        monday = d - timedelta(days=d.weekday())
        return monday, monday + timedelta(days=6)
    if unit == "month":
        return d.replace(day=1), month_end(d.year, d.month)
    return (date(d.year, 1, 1), date(d.year, 12, 31)) if unit == "year" else (d, d)


# Parts of a period: (first, last) day of a month, month of a year, and day offset in a week.
_MONTH_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31), "h1": (1, 15), "h2": (16, 31)}
_YEAR_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "h1": (1, 6), "h2": (7, 12)}
_WEEK_PARTS = {"early": (0, 1), "mid": (2, 3), "late": (4, 6), "h1": (0, 3), "h2": (4, 6)}


def narrow(start: date, end: date, gran: str, qualifier: str | None, pub: date | None) -> tuple[date, date]:
    part = lx.QUALIFIERS[lx.normalise(qualifier)] if qualifier else None
    if part in ("earlier", "later"):
        if pub is None or not start <= pub <= end:
            return start, end
        return (start, pub) if part == "earlier" else (pub, end)
    if part is None or gran == "day":
        return start, end
    if gran == "month":
        a, b = _MONTH_PARTS[part]
        return start.replace(day=a), start.replace(day=min(b, end.day))
    if gran == "year":
        a, b = _YEAR_PARTS[part]
        return date(start.year, a, 1), month_end(start.year, b)
    a, b = _WEEK_PARTS[part]
    return start + timedelta(days=a), start + timedelta(days=b)


def year_for(pub: date, month: int, day: int, future: bool) -> date | None:
    """The date with this month and day meant by a text published on ``pub``."""
    years = (pub.year + 1, pub.year, pub.year - 1)  # 29 February exists only in some of them
    candidates = [date(y, month, day) for y in years if day <= calendar.monthrange(y, month)[1]]
    if future:
        return next((d for d in reversed(candidates) if d >= pub), None)
    return next((d for d in candidates if d <= pub + timedelta(days=183)), None)
