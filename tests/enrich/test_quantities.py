import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narrascope.enrich.quantities import QuantityMatch, find_quantities


def found(text, language=None):
    return [(text[q.start : q.end], q.kind, q.value, q.unit) for q in find_quantities(text, language)]


def check(text, expected, language=None):
    got = found(text, language)
    assert [(s, k, u) for s, k, _, u in got] == [(s, k, u) for s, k, _, u in expected], got
    for (_, _, value, _), (_, _, want, _) in zip(got, expected, strict=True):
        assert value == pytest.approx(want, rel=1e-12)


MONEY = [
    ("Trade reached $ 27.8 billion last year.", [("$ 27.8 billion", "money", 27.8e9, "USD")]),
    ("It pledged $10 billion.", [("$10 billion", "money", 10e9, "USD")]),
    ("The fund holds €5m.", [("€5m", "money", 5e6, "EUR")]),
    ("Билет стоит 5 000 ₽.", [("5 000 ₽", "money", 5000, "RUB")]),
    ("Fares rose to 100 ₸ and ₸150.", [("100 ₸", "money", 100, "KZT"), ("₸150", "money", 150, "KZT")]),
    ("Exports were worth 52.9 billion dollars.", [("52.9 billion dollars", "money", 52.9e9, "USD")]),
    ("A grant of 100M Tenge was approved.", [("100M Tenge", "money", 100e6, "KZT")]),
    ("The EU gave 3 million euros.", [("3 million euros", "money", 3e6, "EUR")]),
    ("Оборот составил 17,4 млрд долларов.", [("17,4 млрд долларов", "money", 17.4e9, "USD")]),
    ("Выделено 5 млн рублей.", [("5 млн рублей", "money", 5e6, "RUB")]),
    ("It raised USD 4bn in bonds.", [("USD 4bn", "money", 4e9, "USD")]),
    ("A 4 bn USD loan.", [("4 bn USD", "money", 4e9, "USD")]),
    ("They spent US$5.5bn.", [("US$5.5bn", "money", 5.5e9, "USD")]),
    ("It cost £3.4bn.", [("£3.4bn", "money", 3.4e9, "GBP")]),
    ("Kyiv paid 2 billion hryvnias.", [("2 billion hryvnias", "money", 2e9, "UAH")]),
    ("China lent 1.5 trillion yuan.", [("1.5 trillion yuan", "money", 1.5e12, "CNY")]),
    ("It was sold for 52.9 billion U.S. dollars.", [("52.9 billion U.S. dollars", "money", 52.9e9, "USD")]),
    ("Долг — 1,5 трлн рублей.", [("1,5 трлн рублей", "money", 1.5e12, "RUB")]),
    ("Кредит на 3 млрд долларов США.", [("3 млрд долларов США", "money", 3e9, "USD")]),
    ("A billion dollars was lost.", [("A billion dollars", "money", 1e9, "USD")]),
    ("Three million euros went missing.", [("Three million euros", "money", 3e6, "EUR")]),
    ("Они потратили три миллиона долларов.", [("три миллиона долларов", "money", 3e6, "USD")]),
    ("Budget: 1,234.56 dollars.", [("1,234.56 dollars", "money", 1234.56, "USD")]),
    ("It cost 5$ each.", [("5$", "money", 5, "USD")]),
    ("Nearly $5 m was paid.", [("$5 m", "money", 5e6, "USD")]),
]

COORDINATED = [
    (
        "They invested 3.2 billion and 2 billion dollars.",
        [("3.2 billion", "money", 3.2e9, "USD"), ("2 billion dollars", "money", 2e9, "USD")],
    ),
    (
        "Инвестиции составят от 2 до 3 млрд долларов.",
        [("2", "money", 2e9, "USD"), ("3 млрд долларов", "money", 3e9, "USD")],
    ),
    ("A $2-3 billion deal.", [("$2", "money", 2e9, "USD"), ("3 billion", "money", 3e9, "USD")]),
    ("Growth of 5 to 10 percent.", [("5", "percent", 5, "%"), ("10 percent", "percent", 10, "%")]),
    ("Between 2 and 3 GW of power.", [("2", "measure", 2, "GW"), ("3 GW", "measure", 3, "GW")]),
    (
        "From 2 to 3 million people left.",
        [("2", "count", 2e6, "people"), ("3 million", "count", 3e6, "people")],
    ),
]

SCALES_AND_SEPARATORS = [
    ("About 2,500 people came.", [("2,500", "count", 2500, "people")]),
    ("Пришли 1 000 000 человек.", [("1 000 000", "count", 1e6, "человек")]),
    ("Пришли 1\u202f000\u00a0000 человек.", [("1\u202f000\u00a0000", "count", 1e6, "человек")]),
    ("There were 1.000.000 visitors.", [("1.000.000", "count", 1e6, "visitors")]),
    ("Some 10k runners took part.", [("10k", "count", 10_000, "runners")]),
    ("Около 5 тыс. человек.", [("5 тыс.", "count", 5000, "человек")]),
    ("Более 10 тысяч солдат.", [("10 тысяч", "count", 10_000, "солдат")]),
    ("Ещё 2 миллиарда рублей.", [("2 миллиарда рублей", "money", 2e9, "RUB")]),
    ("Потеряно 3 миллионов тонн.", [("3 миллионов тонн", "measure", 3e6, "t")]),
    ("It has 100M users.", [("100M", "count", 100e6, "users")]),
    ("The app has 5mn users.", [("5mn", "count", 5e6, "users")]),
    ("Debt hit $1.2tn.", [("$1.2tn", "money", 1.2e12, "USD")]),
    ("Valued at 5B.", [("5B", "count", 5e9, None)]),
    ("Убытки — 2 миллиардов рублей.", [("2 миллиардов рублей", "money", 2e9, "RUB")]),
    ("Долг 3 трлн рублей.", [("3 трлн рублей", "money", 3e12, "RUB")]),
    ("Some 7 thousand people came.", [("7 thousand", "count", 7000, "people")]),
]

NUMBER_WORDS = [
    ("It will build three thermal power plants.", [("three", "count", 3, "thermal")]),
    ("There are twelve million foreigners.", [("twelve million", "count", 12e6, "foreigners")]),
    ("Two hundred soldiers crossed.", [("Two hundred", "count", 200, "soldiers")]),
    ("About one hundred and fifty troops.", [("one hundred and fifty", "count", 150, "troops")]),
    ("It lasted twenty-five years.", [("twenty-five", "count", 25, "years")]),
    ("Sixty thousand voted.", [("Sixty thousand", "count", 60_000, "voted")]),
    (
        "A dozen ministers and two dozen aides.",
        [("A dozen", "count", 12, "ministers"), ("two dozen", "count", 24, "aides")],
    ),
    ("A hundred people waited.", [("A hundred", "count", 100, "people")]),
    ("He lost a billion dollars.", [("a billion dollars", "money", 1e9, "USD")]),
    ("Строятся пять реакторов.", [("пять", "count", 5, "реакторов")]),
    ("Базы в двух странах.", [("двух", "count", 2, "странах")]),
    ("Пришли десять тысяч человек.", [("десять тысяч", "count", 10_000, "человек")]),
    ("Пришла тысяча человек.", [("тысяча", "count", 1000, "человек")]),
    ("They built one reactor.", [("one", "count", 1, "reactor")]),
    ("Ten of them stayed.", [("Ten", "count", 10, None)]),
]

PERCENT = [
    ("Inflation hit 5%.", [("5%", "percent", 5, "%")]),
    ("Inflation hit 5 %.", [("5 %", "percent", 5, "%")]),
    ("Inflation hit 5 percent.", [("5 percent", "percent", 5, "%")]),
    ("Inflation hit 5 per cent.", [("5 per cent", "percent", 5, "%")]),
    ("Inflation hit 5 pct.", [("5 pct", "percent", 5, "%")]),
    ("Инфляция достигла 5 процентов.", [("5 процентов", "percent", 5, "%")]),
    ("Инфляция достигла 5,5%.", [("5,5%", "percent", 5.5, "%")]),
    ("Rates rose 3 percentage points.", [("3 percentage points", "measure", 3, "pp")]),
]

MEASURES = [
    ("A 2.4 GW plant.", [("2.4 GW", "measure", 2.4, "GW")]),
    ("A 2.4GW plant.", [("2.4GW", "measure", 2.4, "GW")]),
    ("Capacity of 1,200 MW.", [("1,200 MW", "measure", 1200, "MW")]),
    ("Мощность 1 200 МВт.", [("1 200 МВт", "measure", 1200, "MW")]),
    ("A pipeline of 300 km.", [("300 km", "measure", 300, "km")]),
    ("It ships 2 million tonnes a year.", [("2 million tonnes", "measure", 2e6, "t")]),
    ("Сбор 12 млн тонн зерна.", [("12 млн тонн", "measure", 12e6, "t")]),
    ("Exports of 15 bcm of gas.", [("15 bcm", "measure", 15, "bcm")]),
    ("Exports of 15 billion cubic metres.", [("15 billion cubic metres", "measure", 15, "bcm")]),
    ("Поставки 10 млрд кубометров газа.", [("10 млрд кубометров", "measure", 10, "bcm")]),
    ("Output of 100 barrels.", [("100 barrels", "measure", 100, "barrels")]),
    ("Output of 300 000 barrels per day.", [("300 000 barrels per day", "measure", 3e5, "barrels/day")]),
    ("A 300m bridge.", [("300m", "measure", 300, "m")]),
    ("2,4 ГВт мощности.", [("2,4 ГВт", "measure", 2.4, "GW")]),
    ("Трасса 3,5 тыс. км.", [("3,5 тыс. км", "measure", 3500, "km")]),
    ("It used 5 kWh.", [("5 kWh", "measure", 5, "kWh")]),
]


@pytest.mark.parametrize(("text", "expected"), MONEY)
def test_money(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), COORDINATED)
def test_a_number_shares_the_unit_and_scale_of_a_coordinated_one(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), SCALES_AND_SEPARATORS)
def test_scale_words_and_separators(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), NUMBER_WORDS)
def test_number_words(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), PERCENT)
def test_percentages(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), MEASURES)
def test_measures(text, expected):
    check(text, expected)


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [
        ("2,500", None, 2500),  # English convention by default
        ("2,500", "en", 2500),
        ("2,500", "ru", 2.5),  # a Russian comma is a decimal mark
        ("Около 2,500 тонн", None, 2.5),  # Cyrillic text: Russian conventions without a language
        ("17,4", "en", 17.4),  # one or two digits after the comma can only be decimals
        ("1.234,5", "de", 1234.5),
        ("1.500", "de", 1500),
        ("1.500", "en", 1.5),
        ("1,234.5", "ru", 1234.5),  # both marks: the last one is the decimal
    ],
)
def test_decimal_comma_depends_on_language(text, language, value):
    [q] = find_quantities(text, language)
    assert q.value == pytest.approx(value)


def test_offsets_point_into_the_text():
    text = "Мы знаем: в 2024 году Казахстан получил $ 27.8 billion, а Россия — 17,4 млрд долларов."
    got = find_quantities(text)
    assert got == [
        QuantityMatch(text.index("$"), text.index(", а"), "money", 27.8e9, "USD"),
        QuantityMatch(text.index("17,4"), text.rindex("."), "money", 17.4e9, "USD"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # years
        "It happened in 2024.",
        "2025 was a hard year.",
        "It grew in 2019 and 2020.",
        "В 2024 году.",
        "1812 год.",
        "in 1812 the army left",
        "the 2024-2025 season",
        "in the 1990s and the mid-2000s",
        # dates and times
        "on November 9",
        "On Nov. 9, 2024, talks began.",
        "on 9 November 2024",
        "the 9th of November",
        "9 ноября 2024 года",
        "in May 2024",
        "at 6:48 local time",
        "open 24/7",
        "on 10.02.2025",
        "on 2025-02-10",
        "at 6 pm or 5.30 p.m.",
        # ordinals and compounds
        "the 80th anniversary",
        "for the first time",
        "2nd place",
        "80-летие победы",
        "в 3-й раз",
        "a 5-year plan",
        "a 2.5-fold rise",
        "a three-day visit",
        # names and identifiers
        "COVID-19 spread",
        "Su-57 jets",
        "the G20 summit",
        "5G networks",
        "Resolution No. 5",
        "приказ № 5",
        "issue #5",
        # pronoun "one" and bare articles
        "one of the leaders",
        "No one came.",
        "the one who left",
        "the other one is China",
        "It is one.",
        "один из лидеров",
        "a plan and an idea",
        "someone, anyone, everyone",
        # scale words without a number
        "millions of people",
        "тысячи людей",
        # lowercase "b" without money is not a scale
        "model 5b",
    ],
)
def test_not_quantities(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("about 2000 people", [("2000", "count", 2000, "people")]),  # "about" makes a year a figure
        ("more than 2020 signatures", [("2020", "count", 2020, "signatures")]),
        ("In 2023 100 people died.", [("100", "count", 100, "people")]),
        ("In 2024, 5 million people moved.", [("5 million", "count", 5e6, "people")]),
        ("It costs 2024 dollars.", [("2024 dollars", "money", 2024, "USD")]),
        ("Inflation of 2024%", [("2024%", "percent", 2024, "%")]),
    ],
)
def test_year_like_numbers_with_a_unit_or_an_approximation_are_figures(text, expected):
    check(text, expected)


def test_count_unit_is_the_next_word_unless_it_is_a_function_word():
    assert found("27 member states") == [("27", "count", 27, "member")]
    assert found("27 of them") == [("27", "count", 27, None)]
    assert found("rose to 5.") == [("5", "count", 5, None)]
    assert found("one, two") == [("two", "count", 2, None)]  # "one" before punctuation is a pronoun


def test_empty_and_plain_text():
    assert find_quantities("") == []
    assert find_quantities("The minister met his counterparts in the capital.") == []


# --- properties -------------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=10**15))
def test_formatted_dollars_parse_back(n):
    text = f"{n:,} dollars"
    assert find_quantities(text) == [QuantityMatch(0, len(text), "money", float(n), "USD")]


@given(st.integers(min_value=0, max_value=10**12))
def test_russian_grouping_parses_back(n):
    text = f"{n:,}".replace(",", "\u00a0") + " рублей"
    assert find_quantities(text) == [QuantityMatch(0, len(text), "money", float(n), "RUB")]


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["billion", "bn", "млрд"]))
def test_dollar_sign_with_scale_parses_back(cents, scale):
    x = cents / 100
    text = f"${x:.2f} {scale}"
    [q] = find_quantities(text)
    assert (q.start, q.end, q.kind, q.unit) == (0, len(text), "money", "USD")
    assert q.value == pytest.approx(x * 1e9)


_TOKENS = st.sampled_from(
    "the in on of and to one two three twelve million billion тысяч млн млрд долларов рублей dollars euros "
    "$ € ₽ % percent GW km tonnes 5 17,4 2,500 27.8 1 000 2024 November 9 ноября 6:48 24/7 80th COVID-19 "
    "- – , . ( ) a an about около".split()
)


@given(st.lists(_TOKENS, max_size=25), st.sampled_from([" ", "", "\u00a0"]))
def test_matches_are_sorted_inside_the_text_and_disjoint(tokens, sep):
    text = sep.join(tokens)
    got = find_quantities(text)
    for q in got:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == text[q.start : q.end].strip()
        assert q.kind in {"money", "percent", "count", "measure"}
        assert q.value >= 0
    for a, b in itertools.pairwise(got):
        assert a.end <= b.start
