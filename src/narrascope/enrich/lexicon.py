"""Word lists shared by the quantity and time finders: number words, scale words, currencies,
units, months and weekdays, in English and Russian (plus a few Ukrainian and German forms that
cost nothing and turn up in the same feeds).

Everything here is data; the only code is what turns a list into a regex alternation and a
run of number words into a value, because both finders need exactly that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal


def alternation(words: Iterable[str]) -> str:
    """Regex alternation of literal words, longest first so a prefix ("m") never shadows a longer
    word ("mn"); a space in an entry matches any run of whitespace."""
    items = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


def normalise(surface: str) -> str:
    """Key under which a matched phrase is looked up: lowercase, whitespace collapsed."""
    return " ".join(surface.lower().split())


def _forms(table: dict[str, str]) -> dict[str, str]:
    """Expand ``{"dollar dollars": "USD"}`` into one entry per space-separated form."""
    return {form: value for forms, value in table.items() for form in forms.split()}


# --- number words --------------------------------------------------------------------------------
# role "unit" adds to the current group, "mult" multiplies it (hundred, dozen), "scale" closes a
# group of thousands/millions. Russian needs its case forms: "в двух странах", "пяти реакторов".
_EN_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    " seventeen eighteen nineteen".split()
)
_EN_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_RU_VALUES = {
    1: "один одна одно одного одной одному одним одном одну",
    2: "два две двух двум двумя",
    3: "три трёх трех трём трем тремя",
    4: "четыре четырёх четырех четырём четырем четырьмя",
    5: "пять пяти пятью",
    6: "шесть шести шестью",
    7: "семь семи",  # "семью" is also "family"
    8: "восемь восьми восемью",
    9: "девять девяти девятью",
    10: "десять десяти десятью",
    11: "одиннадцать одиннадцати",
    12: "двенадцать двенадцати",
    13: "тринадцать тринадцати",
    14: "четырнадцать четырнадцати",
    15: "пятнадцать пятнадцати",
    16: "шестнадцать шестнадцати",
    17: "семнадцать семнадцати",
    18: "восемнадцать восемнадцати",
    19: "девятнадцать девятнадцати",
    20: "двадцать двадцати",
    30: "тридцать тридцати",
    40: "сорок сорока",
    50: "пятьдесят пятидесяти",
    60: "шестьдесят шестидесяти",
    70: "семьдесят семидесяти",
    80: "восемьдесят восьмидесяти",
    90: "девяносто девяноста",
    100: "сто ста",
    200: "двести двухсот",
    300: "триста трёхсот трехсот",
    400: "четыреста четырёхсот четырехсот",
    500: "пятьсот пятисот",
    600: "шестьсот шестисот",
    700: "семьсот семисот",
    800: "восемьсот восьмисот",
    900: "девятьсот девятисот",
}
_RU_SCALES = {
    10**3: "тысяча тысячи тысяч тысячу тысячам тысячами тысячах",
    10**6: "миллион миллиона миллионов миллионам миллионами миллионах",
    10**9: "миллиард миллиарда миллиардов миллиардам миллиардами миллиардах",
    10**12: "триллион триллиона триллионов",
}
NUMBER_WORDS: dict[str, tuple[int, str]] = {
    **{w: (i, "unit") for i, w in enumerate(_EN_UNITS)},
    **{w: (20 + 10 * i, "unit") for i, w in enumerate(_EN_TENS)},
    "hundred": (100, "mult"),
    "dozen": (12, "mult"),
    "thousand": (10**3, "scale"),
    "million": (10**6, "scale"),
    "billion": (10**9, "scale"),
    "trillion": (10**12, "scale"),
    **{f: (v, "unit") for v, forms in _RU_VALUES.items() for f in forms.split()},
    **{f: (v, "scale") for v, forms in _RU_SCALES.items() for f in forms.split()},
}
# A phrase may open with any of these. English scale words and Russian plurals need a number in
# front ("millions of people" is not a figure), but Russian singular "тысяча"/"миллион" means one.
NUMBER_STARTS = [w for w, (_, role) in NUMBER_WORDS.items() if role == "unit"] + [
    "тысяча",
    "тысячу",
    "миллион",
    "миллиард",
    "триллион",
]
# English words that carry on a phrase: "two hundred", "twelve million" (singular only).
NUMBER_CONTINUATIONS = [w for w, (_, role) in NUMBER_WORDS.items() if role != "unit"]


def number_from_words(words: Sequence[str]) -> int | None:
    """Value of a run of number words ("two hundred fifty thousand", "двадцать пять"); "a"/"an"
    count as one. None when a word is unknown."""
    total = current = 0
    for word in words:
        w = word.lower()
        if w in ("a", "an"):
            current += 1
            continue
        entry = NUMBER_WORDS.get(w)
        if entry is None:
            return None
        value, role = entry
        if role == "unit":
            current += value
        elif role == "mult":
            current = max(current, 1) * value
        else:
            total += max(current, 1) * value
            current = 0
    return total + current


# --- scale words after digits -----------------------------------------------------------------------
# Case matters for the one-letter abbreviations: "100M" is a hundred million, "300m" is metres
# unless money is involved, so the quantity finder decides "m" and "b" from context.
SCALES_EXACT = {"M": 10**6, "B": 10**9, "K": 10**3, "k": 10**3, "m": 10**6, "b": 10**9}
SCALES = _forms(
    {
        "thousand": "1e3",
        "million": "1e6",
        "billion": "1e9",
        "trillion": "1e12",
        "mn mln mio mio.": "1e6",
        "bn bln mrd mrd.": "1e9",
        "tn trn": "1e12",
        "тыс тыс. тысяч тысячи тысяча тис. тис": "1e3",
        "млн миллион миллиона миллионов мільйон мільйона мільйонів millionen": "1e6",
        "млрд миллиард миллиарда миллиардов мільярд мільярда мільярдів milliarden": "1e9",
        "трлн триллион триллиона триллионов трильйон трильйонів": "1e12",
    }
)
SCALE_VALUES = {k: Decimal(v) for k, v in SCALES.items()}

# --- currencies -------------------------------------------------------------------------------------
# "¥" alone is the yen: that is how English financial press uses it; the yuan is written "yuan",
# "CN¥" or "RMB".
CURRENCY_SYMBOLS = {
    "US$": "USD",
    "$": "USD",
    "C$": "CAD",
    "A$": "AUD",
    "HK$": "HKD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "CN¥": "CNY",
    "₽": "RUB",
    "₸": "KZT",
    "₴": "UAH",
    "₹": "INR",
    "₩": "KRW",
    "₺": "TRY",
    "₼": "AZN",
    "₾": "GEL",
}
CURRENCY_CODES = {
    c: c
    for c in (
        "USD EUR GBP JPY CNY RUB KZT UAH INR KRW TRY AZN GEL CHF CAD AUD HKD SGD UZS KGS TJS TMT BYN AMD"
        " MDL PLN CZK SEK NOK DKK HUF RON BGN RSD AED SAR QAR ILS BRL MXN ZAR"
    ).split()
} | {"RMB": "CNY"}
CURRENCY_WORDS = _forms(
    {
        "dollar dollars usd": "USD",
        "euro euros": "EUR",
        "pound pounds sterling": "GBP",
        "rouble roubles ruble rubles": "RUB",
        "tenge": "KZT",
        "yuan renminbi": "CNY",
        "hryvnia hryvnias hryvnya hryvnas hryvnyas": "UAH",
        "rupee rupees": "INR",
        "yen": "JPY",
        "lira liras lire": "TRY",
        "lari": "GEL",
        "som soms": "KGS",
        "somoni": "TJS",
        "dram drams": "AMD",
        "zloty zlotys": "PLN",
        "dirham dirhams": "AED",
        "riyal riyals": "SAR",
        "доллар доллара долларов долларах долларам долларами долл. доларів долари": "USD",
        "евро євро": "EUR",
        "рубль рубля рублей рублях рублям рублями руб. рублів": "RUB",
        "тенге": "KZT",
        "юань юаня юаней юанях юанями": "CNY",
        "гривна гривны гривен гривнах гривну гривень гривні": "UAH",
        "сом сома сомов": "KGS",
        "сум сума сумов": "UZS",
        "сомони": "TJS",
        "иена иены иен": "JPY",
        "лари": "GEL",
    }
) | {
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "us dollar": "USD",
    "u.s. dollar": "USD",
    "american dollars": "USD",
    "pounds sterling": "GBP",
    "pound sterling": "GBP",
    "swiss francs": "CHF",
    "swiss franc": "CHF",
    "долларов сша": "USD",
    "доллара сша": "USD",
    "фунтов стерлингов": "GBP",
    "фунта стерлингов": "GBP",
    "фунт стерлингов": "GBP",
}

# --- percentages and units of measure ---------------------------------------------------------------
PERCENT_WORDS = [
    "%",
    "percent",
    "per cent",
    "pct",
    "процент",
    "процента",
    "процентов",
    "проц.",
    "відсотків",
    "відсотка",
    "відсотки",
]
# canonical unit and the factor that converts the written unit into it. Gas volumes are all
# reported in bcm, the unit the energy press uses, so "15 billion cubic metres" equals "15 bcm".
MEASURES_EXACT = {
    "GW": ("GW", 1),
    "MW": ("MW", 1),
    "kW": ("kW", 1),
    "TW": ("TW", 1),
    "GWh": ("GWh", 1),
    "MWh": ("MWh", 1),
    "kWh": ("kWh", 1),
    "TWh": ("TWh", 1),
    "km": ("km", 1),
    "m": ("m", 1),
    "t": ("t", 1),
    "Mt": ("t", "1e6"),
    "kg": ("kg", 1),
    "ha": ("ha", 1),
    "bbl": ("barrels", 1),
    "km²": ("km2", 1),
    "km2": ("km2", 1),
    "m³": ("bcm", "1e-9"),
    "m3": ("bcm", "1e-9"),
    "bpd": ("barrels/day", 1),
    "b/d": ("barrels/day", 1),
    "ГВт": ("GW", 1),
    "МВт": ("MW", 1),
    "кВт": ("kW", 1),
    "ТВт": ("TW", 1),
    "ГВт·ч": ("GWh", 1),
    "МВт·ч": ("MWh", 1),
    "кВт·ч": ("kWh", 1),
    "ТВт·ч": ("TWh", 1),
    "км": ("km", 1),
    "м": ("m", 1),
    "т": ("t", 1),
    "т.": ("t", 1),
    "кг": ("kg", 1),
    "га": ("ha", 1),
}
MEASURE_WORDS = {
    **{f: ("GW", 1) for f in "gigawatt gigawatts гигаватт гигаватта".split()},
    **{f: ("MW", 1) for f in "megawatt megawatts мегаватт мегаватта".split()},
    **{f: ("kW", 1) for f in "kilowatt kilowatts киловатт киловатта".split()},
    **{f: ("TWh", 1) for f in "terawatt-hours terawatt-hour".split()},
    **{f: ("GWh", 1) for f in "gigawatt-hours gigawatt-hour".split()},
    **{f: ("MWh", 1) for f in "megawatt-hours megawatt-hour".split()},
    **{f: ("kWh", 1) for f in "kilowatt-hours kilowatt-hour".split()},
    **{
        f: ("km", 1)
        for f in "kilometres kilometers kilometre kilometer километров километра километр".split()
    },
    **{f: ("m", 1) for f in "metres meters metre meter метров метра".split()},
    **{f: ("mi", 1) for f in "miles mile".split()},
    **{f: ("t", 1) for f in "tonnes tons tonne ton тонн тонны тонна тонну".split()},
    **{f: ("kg", 1) for f in "kilograms kilogrammes kilogram килограммов килограмма".split()},
    **{f: ("ha", 1) for f in "hectares hectare гектаров гектара".split()},
    **{f: ("barrels", 1) for f in "barrels barrel баррелей барреля баррель".split()},
    **{f: ("bcm", "1e-9") for f in "кубометров кубометра".split()},
    "bcm": ("bcm", 1),
    "tcm": ("bcm", 1000),
    "mcm": ("bcm", "1e-3"),
    "cubic metres": ("bcm", "1e-9"),
    "cubic meters": ("bcm", "1e-9"),
    "куб. м": ("bcm", "1e-9"),
    "кубических метров": ("bcm", "1e-9"),
    "metric tons": ("t", 1),
    "metric tonnes": ("t", 1),
    "barrels per day": ("barrels/day", 1),
    "barrels a day": ("barrels/day", 1),
    "баррелей в сутки": ("barrels/day", 1),
    "square kilometres": ("km2", 1),
    "square kilometers": ("km2", 1),
    "sq km": ("km2", 1),
    "кв. км": ("km2", 1),
    "квадратных километров": ("km2", 1),
    # A change in a rate is not itself a percentage of anything.
    "percentage points": ("pp", 1),
    "percentage point": ("pp", 1),
    "п.п.": ("pp", 1),
    "процентных пункта": ("pp", 1),
    "процентных пунктов": ("pp", 1),
}

# --- calendar -----------------------------------------------------------------------------------------
_EN_MONTHS = "January February March April May June July August September October November December".split()
EN_MONTHS = (
    {name: i + 1 for i, name in enumerate(_EN_MONTHS)}
    | {abbr: i + 1 for i, abbr in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}
    | {"Sept": 9}
)
# Russian stems with their endings (nominative, genitive, prepositional, dative), then Ukrainian
# nominative and genitive.
_RU_MONTHS = [
    ("январ", "ь я е ю"),
    ("феврал", "ь я е ю"),
    ("март", "_ а е у"),
    ("апрел", "ь я е ю"),
    ("ма", "й я е ю"),
    ("июн", "ь я е ю"),
    ("июл", "ь я е ю"),
    ("август", "_ а е у"),
    ("сентябр", "ь я е ю"),
    ("октябр", "ь я е ю"),
    ("ноябр", "ь я е ю"),
    ("декабр", "ь я е ю"),
]
_UK_MONTHS = (
    "січень січня лютий лютого березень березня квітень квітня травень травня червень червня липень липня"
    " серпень серпня вересень вересня жовтень жовтня листопад листопада грудень грудня"
).split()
RU_MONTHS = {
    stem + ("" if end == "_" else end): i + 1
    for i, (stem, ends) in enumerate(_RU_MONTHS)
    for end in ends.split()
} | {w: i // 2 + 1 for i, w in enumerate(_UK_MONTHS)}

EN_WEEKDAYS = {d: i for i, d in enumerate("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())}
# Russian weekdays as they follow "в"/"во" (accusative), plus the nominative forms after "прошлый".
RU_WEEKDAYS = {
    "понедельник": 0,
    "вторник": 1,
    "среду": 2,
    "среда": 2,
    "четверг": 3,
    "пятницу": 4,
    "пятница": 4,
    "субботу": 5,
    "суббота": 5,
    "воскресенье": 6,
}
