"""Word lists shared by the quantity and time finders: number words, scale words, currencies,
units, months, weekdays and time words, in English and Russian (plus a few Ukrainian and German
forms that cost nothing and turn up in the same feeds).

Everything here is data. Tables are written as ``"form form = value; form = value"`` strings so
that a line holds a whole entry; ``_`` inside a form stands for a space ("us_dollars"). The only
code turns a list into a regex and a run of number words into a value, which both finders need.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal


def _table(spec: str) -> dict[str, str]:
    """``"a b = X; c = Y"`` -> ``{"a": "X", "b": "X", "c": "Y"}``."""
    out = {}
    for entry in spec.split(";"):
        forms, _, value = entry.rpartition("=")
        out |= {form.replace("_", " "): value.strip() for form in forms.split()}
    return out


def alternation(words: Iterable[str]) -> str:
    """Regex matching any of the literal ``words``, built as a prefix tree ("март(?:а|е)?") because
    the regex engine tries a flat alternation branch by branch at every position, which made a
    sentence cost a millisecond. Longer words are tried before their prefixes; a space in an entry
    matches any run of whitespace."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    branches = [
        (r"\s+" if ch == " " else re.escape(ch)) + _trie_regex(kid) for ch, kid in sorted(node.items()) if ch
    ]
    if not branches:
        return ""
    optional = "" in node
    if len(branches) == 1 and not optional:
        return branches[0]
    group = branches[0] if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{'|'.join(branches)})"
    return group + "?" if optional else group


def normalise(surface: str) -> str:
    """Key under which a matched phrase is looked up: lowercase, whitespace collapsed."""
    return " ".join(surface.lower().split())


# --- number words --------------------------------------------------------------------------------
# role "unit" adds to the current group, "mult" multiplies it (hundred, dozen), "scale" closes a
# group of thousands/millions. Russian needs its case forms: "в двух странах", "пяти реакторов".
_EN_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    " seventeen eighteen nineteen"
).split()
_EN_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_RU_UNITS = _table(  # "семью" is left out: it is also "family"
    "один одна одно одного одной одному одним одном одну = 1; два две двух двум двумя = 2;"
    " три трёх трех трём трем тремя = 3; четыре четырёх четырех четырём четырем четырьмя = 4;"
    " пять пяти пятью = 5; шесть шести шестью = 6; семь семи = 7; восемь восьми восемью = 8;"
    " девять девяти девятью = 9; десять десяти десятью = 10; одиннадцать одиннадцати = 11;"
    " двенадцать двенадцати = 12; тринадцать тринадцати = 13; четырнадцать четырнадцати = 14;"
    " пятнадцать пятнадцати = 15; шестнадцать шестнадцати = 16; семнадцать семнадцати = 17;"
    " восемнадцать восемнадцати = 18; девятнадцать девятнадцати = 19; двадцать двадцати = 20;"
    " тридцать тридцати = 30; сорок сорока = 40; пятьдесят пятидесяти = 50; шестьдесят шестидесяти = 60;"
    " семьдесят семидесяти = 70; восемьдесят восьмидесяти = 80; девяносто девяноста = 90; сто ста = 100;"
    " двести двухсот = 200; триста трёхсот трехсот = 300; четыреста четырёхсот четырехсот = 400;"
    " пятьсот пятисот = 500; шестьсот шестисот = 600; семьсот семисот = 700; восемьсот восьмисот = 800;"
    " девятьсот девятисот = 900"
)
_RU_SCALES = _table(
    "тысяча тысячи тысяч тысячу тысячам тысячами тысячах = 1000;"
    " миллион миллиона миллионов миллионам миллионами миллионах = 1000000;"
    " миллиард миллиарда миллиардов миллиардам миллиардами миллиардах = 1000000000;"
    " триллион триллиона триллионов = 1000000000000"
)
NUMBER_WORDS: dict[str, tuple[int, str]] = {
    **{w: (i, "unit") for i, w in enumerate(_EN_UNITS)},
    **{w: (20 + 10 * i, "unit") for i, w in enumerate(_EN_TENS)},
    **{w: (int(v), "unit") for w, v in _RU_UNITS.items()},
    **{w: (int(v), "scale") for w, v in _RU_SCALES.items()},
    "hundred": (100, "mult"),
    "dozen": (12, "mult"),
    **{w: (10 ** (3 * i + 3), "scale") for i, w in enumerate(["thousand", "million", "billion", "trillion"])},
}
# A phrase may open with any of these. English scale words and Russian plurals need a number in
# front ("millions of people" is not a figure), but Russian singular "тысяча"/"миллион" means one.
NUMBER_STARTS = [w for w, (_, role) in NUMBER_WORDS.items() if role == "unit"]
NUMBER_STARTS += ["тысяча", "тысячу", "миллион", "миллиард", "триллион"]
# Words that carry on a phrase: "two hundred", "twelve million", "пять тысяч" (English singular only).
NUMBER_CONTINUATIONS = [w for w, (_, role) in NUMBER_WORDS.items() if role != "unit"]


def number_from_words(words: Sequence[str]) -> int | None:
    """Value of a run of number words ("two hundred fifty thousand", "двадцать пять"); "a"/"an"
    count as one. None when a word is unknown."""
    total = current = 0
    for word in words:
        value, role = (1, "unit") if word.lower() in ("a", "an") else NUMBER_WORDS.get(word.lower(), (0, ""))
        if role == "unit":
            current += value
        elif role == "mult":
            current = max(current, 1) * value
        elif role == "scale":
            total += max(current, 1) * value
            current = 0
        else:
            return None
    return total + current


# --- scale words after digits -----------------------------------------------------------------------
# Case matters for the one-letter abbreviations: "100M" is a hundred million, "300m" is metres
# unless money is involved, so the quantity finder decides "m" and "b" from context.
SCALES_EXACT = {"M": 10**6, "B": 10**9, "K": 10**3, "k": 10**3, "m": 10**6, "b": 10**9}
SCALES = _table(
    "thousand тыс тыс. тысяч тысячи тысяча тис. тис = 1e3;"
    " million mn mln mio mio. млн миллион миллиона миллионов мільйон мільйона мільйонів millionen = 1e6;"
    " billion bn bln mrd mrd. млрд миллиард миллиарда миллиардов мільярд мільярда мільярдів milliarden = 1e9;"
    " trillion tn trn трлн триллион триллиона триллионов трильйон трильйонів = 1e12"
)
SCALE_VALUES = {k: Decimal(v) for k, v in SCALES.items()}

# --- currencies -------------------------------------------------------------------------------------
# "¥" alone is the yen: that is how English financial press uses it; the yuan is written "yuan",
# "CN¥" or "RMB".
CURRENCY_SYMBOLS = _table(
    "US$ $ = USD; C$ = CAD; A$ = AUD; HK$ = HKD; € = EUR; £ = GBP; ¥ = JPY; CN¥ = CNY; ₽ = RUB; ₸ = KZT;"
    " ₴ = UAH; ₹ = INR; ₩ = KRW; ₺ = TRY; ₼ = AZN; ₾ = GEL"
)
CURRENCY_CODES = {
    c: c
    for c in (
        "USD EUR GBP JPY CNY RUB KZT UAH INR KRW TRY AZN GEL CHF CAD AUD HKD SGD UZS KGS TJS TMT BYN AMD"
        " MDL PLN CZK SEK NOK DKK HUF RON BGN RSD AED SAR QAR ILS BRL MXN ZAR"
    ).split()
} | {"RMB": "CNY"}
CURRENCY_WORDS = _table(
    "dollar dollars usd us_dollars u.s._dollars us_dollar u.s._dollar american_dollars = USD;"
    " euro euros = EUR; pound pounds sterling pounds_sterling pound_sterling = GBP;"
    " rouble roubles ruble rubles = RUB; tenge = KZT; yuan renminbi = CNY;"
    " hryvnia hryvnias hryvnya hryvnas hryvnyas = UAH; rupee rupees = INR; yen = JPY; lira liras lire = TRY;"
    " lari = GEL; som soms = KGS; somoni = TJS; dram drams = AMD; zloty zlotys = PLN; dirham dirhams = AED;"
    " riyal riyals = SAR; swiss_francs swiss_franc = CHF;"
    " доллар доллара долларов долларах долларам долларами долл. доларів долари долларов_сша доллара_сша = USD;"
    " евро євро = EUR; рубль рубля рублей рублях рублям рублями руб. рублів = RUB; тенге = KZT;"
    " юань юаня юаней юанях юанями = CNY; гривна гривны гривен гривнах гривну гривень гривні = UAH;"
    " сом сома сомов = KGS; сум сума сумов = UZS; сомони = TJS; иена иены иен = JPY; лари = GEL;"
    " фунтов_стерлингов фунта_стерлингов фунт_стерлингов = GBP"
)

# --- percentages and units of measure ---------------------------------------------------------------
_PERCENT = "% percent per_cent pct процент процента процентов проц. відсотків відсотка відсотки"
PERCENT_WORDS = [w.replace("_", " ") for w in _PERCENT.split()]
# "canonical" or "canonical*factor": the factor converts the written unit into the canonical one.
# Gas volumes are all reported in bcm, the unit the energy press uses, so "15 billion cubic metres"
# equals "15 bcm". Symbols are case-sensitive ("Mt" is not "mt"), words are not.
_MEASURE_SYMBOLS = _table(
    "GW ГВт = GW; MW МВт = MW; kW кВт = kW; TW ТВт = TW; GWh ГВт·ч = GWh; MWh МВт·ч = MWh; kWh кВт·ч = kWh;"
    " TWh ТВт·ч = TWh; km км = km; m м = m; t т т. = t; Mt = t*1e6; kg кг = kg; ha га = ha; bbl = barrels;"
    " km² km2 = km2; m³ m3 = bcm*1e-9; bpd b/d = barrels/day"
)
_MEASURE_WORDS = _table(
    "gigawatt gigawatts гигаватт гигаватта = GW; megawatt megawatts мегаватт мегаватта = MW;"
    " kilowatt kilowatts киловатт киловатта = kW; terawatt-hours terawatt-hour = TWh;"
    " gigawatt-hours gigawatt-hour = GWh; megawatt-hours megawatt-hour = MWh; kilowatt-hours kilowatt-hour = kWh;"
    " kilometres kilometers kilometre kilometer километров километра километр = km;"
    " metres meters metre meter метров метра = m; miles mile = mi;"
    " tonnes tons tonne ton metric_tons metric_tonnes тонн тонны тонна тонну = t;"
    " kilograms kilogrammes kilogram килограммов килограмма = kg; hectares hectare гектаров гектара = ha;"
    " barrels barrel баррелей барреля баррель = barrels;"
    " barrels_per_day barrels_a_day баррелей_в_сутки = barrels/day;"
    " bcm = bcm; tcm = bcm*1000; mcm = bcm*1e-3;"
    " cubic_metres cubic_meters кубометров кубометра куб._м кубических_метров = bcm*1e-9;"
    " square_kilometres square_kilometers sq_km кв._км квадратных_километров = km2;"
    # A change in a rate is not itself a percentage of anything.
    " percentage_points percentage_point п.п. процентных_пункта процентных_пунктов = pp"
)


def _measure(value: str) -> tuple[str, Decimal]:
    unit, _, factor = value.partition("*")
    return unit, Decimal(factor or 1)


MEASURES_EXACT = {k: _measure(v) for k, v in _MEASURE_SYMBOLS.items()}
MEASURE_WORDS = {k: _measure(v) for k, v in _MEASURE_WORDS.items()}

# --- calendar -----------------------------------------------------------------------------------------
_EN_MONTHS = "January February March April May June July August September October November December".split()
_EN_ABBREVIATIONS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
EN_MONTHS = {m: i % 12 + 1 for i, m in enumerate(_EN_MONTHS + _EN_ABBREVIATIONS)} | {"Sept": 9}
# Russian stems with their endings (nominative, genitive, prepositional, dative; "_" is none), then
# Ukrainian nominative and genitive.
_RU_STEMS = "январ феврал март апрел ма июн июл август сентябр октябр ноябр декабр".split()
_RU_ENDINGS = {"март": "_ а е у", "август": "_ а е у", "ма": "й я е ю"}
_UK_MONTHS = (
    "січень січня лютий лютого березень березня квітень квітня травень травня червень червня липень липня"
    " серпень серпня вересень вересня жовтень жовтня листопад листопада грудень грудня"
).split()
RU_MONTHS = {
    stem + end.strip("_"): i + 1
    for i, stem in enumerate(_RU_STEMS)
    for end in _RU_ENDINGS.get(stem, "ь я е ю").split()
} | {w: i // 2 + 1 for i, w in enumerate(_UK_MONTHS)}
# A month name as either finder looks for it. English names are capitalised ("may" is a verb); an
# abbreviation's dot belongs to it only before a day or year ("Nov. 9"), not at a sentence end.
MONTH_PATTERN = (
    rf"(?:(?:{alternation(_EN_MONTHS)})(?![a-z])|(?:{alternation([*_EN_ABBREVIATIONS, 'Sept'])})(?![a-z])"
    rf"(?:\.(?=\s*\d))?|(?i:{alternation(RU_MONTHS)})(?!\w))"
)

EN_WEEKDAYS = {d: i for i, d in enumerate("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())}
# Russian weekdays as they follow "в"/"во" (accusative), plus the nominative forms after "прошлый".
RU_WEEKDAYS = {
    w: int(v)
    for w, v in _table(
        "понедельник = 0; вторник = 1; среду среда = 2; четверг = 3; пятницу пятница = 4;"
        " субботу суббота = 5; воскресенье = 6"
    ).items()
}

# Days named relative to publication, with their offset in days.
DAY_WORDS = {
    w: int(v)
    for w, v in _table(
        "today tonight this_morning this_afternoon this_evening сегодня = 0;"
        " yesterday last_night the_day_before the_previous_day a_day_earlier вчера накануне = -1;"
        " tomorrow завтра = 1; the_day_before_yesterday позавчера = -2; the_day_after_tomorrow послезавтра = 2"
    ).items()
}
# Words that narrow a period, by the part they mean ("earlier"/"later" split it at publication).
QUALIFIERS = _table(
    "earlier = earlier; later = later; early beginning_of the_beginning_of start_of the_start_of = early;"
    " mid middle_of the_middle_of = mid; late end_of the_end_of = late;"
    " first_half_of the_first_half_of = h1; second_half_of the_second_half_of = h2;"
    " начале начала начало началу = early; середине середину середины = mid; конце конца концу конца = late;"
    " первой_половине первая_половина первую_половину первой_половины = h1;"
    " второй_половине вторая_половина вторую_половину второй_половины = h2"
)
# Words that put a sentence in the future, and common English past forms that are not "-ed".
FUTURE_MARKERS = [
    *"will won't shall будет будут состоится состоятся пройдет пройдёт планирует планируют намерен намерена"
    " намерены собирается собираются".split(),
    *(f"{be} {what} to" for be in ("is", "are") for what in ("due", "set", "scheduled", "expected", "going")),
    "plans to",
    "plan to",
    "to be held",
]
PAST_VERBS = "said told met held made took gave came went spoke wrote sent saw won lost left began was were had".split()
