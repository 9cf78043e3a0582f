"""Publication dates as pages print them, found by pattern, not by a general date parser.

A dateline is short and mostly date: "Feb.11 - 2025 6:48 AM CET", "12 February 2025, 09:30",
"2025-02-12T09:30:00+03:00", "12.02.2025", "12 февраля 2025". We recognise day, month (names in
English, Russian, German, French, Spanish, Ukrainian), year, an optional clock time with AM/PM and
an optional zone, and return a :class:`datetime` (aware when the zone is known).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

_MONTHS = {
    1: "jan january janv janvier januar jän jänner ene enero января январь янв січня січень",
    2: "feb february febr fév févr février februar febrero февраля февраль фев лютого лютий",
    3: "mar march mars märz mär marzo марта март мар березня березень",
    4: "apr april avr avril abr abril апреля апрель апр квітня квітень",
    5: "may mai mayo мая май травня травень",
    6: "jun june juin juni junio июня июнь июн червня червень",
    7: "jul july juil juillet juli julio июля июль июл липня липень",
    8: "aug august aoû août ago agosto августа август авг серпня серпень",
    9: "sep sept september septembre septiembre сентября сентябрь сен вересня вересень",
    10: "oct october okt oktober octobre octubre октября октябрь окт жовтня жовтень",
    11: "nov november novembre noviembre ноября ноябрь ноя листопада листопад",
    12: "dec december déc décembre dez dezember dic diciembre декабря декабрь дек грудня грудень",
}
MONTH_BY_NAME = {name: num for num, names in _MONTHS.items() for name in names.split()}
_MONTH = "(?P<month>" + "|".join(sorted(map(re.escape, MONTH_BY_NAME), key=len, reverse=True)) + r")\.?"
_ZONES = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "cet": 1,
    "cest": 2,
    "eet": 2,
    "eest": 3,
    "msk": 3,
    "bst": 1,
    "est": -5,
    "edt": -4,
    "cst": -6,
    "cdt": -5,
    "pst": -8,
    "pdt": -7,
    "мск": 3,
}
_TIME = (
    r"(?:[,\s]+(?:at\s+|в\s+|um\s+|à\s+)?(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?(?:\s*(?P<zone>[A-Za-zА-я]{1,5}|[+-]\d{2}:?\d{2}))?)?"
)
_SEP = r"[\s,.\-/]*"
_PATTERNS = [
    re.compile(
        r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})(?:[T\s](?P<hour>\d{2}):(?P<minute>\d{2})"
        r"(?::(?P<second>\d{2})(?:\.\d+)?)?(?P<zone>Z|[+-]\d{2}:?\d{2})?)?"
    ),
    re.compile(
        r"(?P<day>\d{1,2})" + _SEP + _MONTH + _SEP + r"(?P<year>\d{4})(?:\s*(?:г\.|года))?" + _TIME, re.I
    ),
    re.compile(_MONTH + _SEP + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?" + _SEP + r"(?P<year>\d{4})" + _TIME, re.I),
    re.compile(r"(?P<day>\d{1,2})[./](?P<mon>\d{1,2})[./](?P<year>\d{4})" + _TIME),
]
_WORD = re.compile(r"\w+")
_YEAR = re.compile(r"\d{4}")


def find_date(text: str) -> tuple[datetime, re.Match[str]] | None:
    """The first well-formed date in ``text`` and the match that found it."""
    best = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            value = _build(match)
            if value is not None and (best is None or match.start() < best[1].start()):
                best = (value, match)
                break
    return best


def dateline(line: str) -> datetime | None:
    """A date when ``line`` is mostly a date (a dateline), else None."""
    if len(line) > 80 or not _YEAR.search(line):  # every pattern needs a four-digit year
        return None
    found = find_date(line)
    if found is None:
        return None
    value, match = found
    rest = line[: match.start()] + " " + line[match.end() :]
    # A dateline may keep a label or a weekday ("Updated", "Published on Monday") but not a sentence.
    if len(_WORD.findall(rest)) > 4:
        return None
    return value


def _build(match: re.Match[str]) -> datetime | None:
    g = match.groupdict()
    try:
        month = int(g["mon"]) if g.get("mon") else MONTH_BY_NAME[g["month"].lower().rstrip(".")]
        year, day = int(g["year"]), int(g["day"])
        hour, minute = int(g.get("hour") or 0), int(g.get("minute") or 0)
        second = int(g.get("second") or 0)
        ampm = (g.get("ampm") or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if not 1900 <= year <= 2100:
            return None
        return datetime(year, month, day, hour, minute, second, tzinfo=_zone(g.get("zone")))
    except (KeyError, ValueError):
        return None


def _zone(zone: str | None) -> timezone | None:
    if not zone:
        return None
    zone = zone.strip()
    if zone[0] in "+-":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))
    hours = _ZONES.get(zone.lower())
    return None if hours is None else timezone(timedelta(hours=hours))


def parse_iso(value: str) -> datetime | None:
    """ISO 8601 (and the few near-ISO forms feeds and exports use), or None."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        found = find_date(value)
        return found[0] if found else None
