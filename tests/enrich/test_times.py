import itertools
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narrascope.enrich.times import TimeMatch, find_times

PUB = date(2025, 3, 12)  # a Wednesday


def found(text, published=PUB):
    return [
        (text[t.start : t.end], t.value.isoformat(), t.end_value.isoformat(), t.granularity, t.relative)
        for t in find_times(text, published)
    ]


def one(text, span, first, last, granularity, relative, published=PUB):
    assert found(text, published) == [(span, first, last, granularity, relative)]


ABSOLUTE_DAYS = [
    ("Talks began on February 10, 2025.", "February 10, 2025", "2025-02-10"),
    ("Talks began on 10 February 2025.", "10 February 2025", "2025-02-10"),
    ("Talks began on 2025-02-10.", "2025-02-10", "2025-02-10"),
    ("Переговоры начались 10.02.2025.", "10.02.2025", "2025-02-10"),
    ("Выборы прошли 9 ноября 2024 года.", "9 ноября 2024 года", "2024-11-09"),
    ("On Friday, November 8, 2024, he left.", "Friday, November 8, 2024", "2024-11-08"),
    ("It opened on Nov. 8, 2024.", "Nov. 8, 2024", "2024-11-08"),
    ("It opened on the 8th of November 2024.", "the 8th of November 2024", "2024-11-08"),
    ("It opened on 9/11/2024.", "9/11/2024", "2024-09-11"),  # English: month first
    ("It opened on 25/11/2024.", "25/11/2024", "2024-11-25"),  # impossible as month-first
]


@pytest.mark.parametrize(("text", "span", "day"), ABSOLUTE_DAYS)
def test_absolute_dates(text, span, day):
    one(text, span, day, day, "day", False)
    one(text, span, day, day, "day", False, published=None)  # a full date needs no publication date


YEARLESS = [
    # (published, text, span, day): the nearest such day, unless it is more than ~6 months ahead
    (PUB, "Talks began on November 9.", "November 9", "2024-11-09"),
    (PUB, "Переговоры начались 9 ноября.", "9 ноября", "2024-11-09"),
    (PUB, "It happened on 9 November.", "9 November", "2024-11-09"),
    (date(2025, 6, 1), "It is planned for November 9.", "November 9", "2025-11-09"),
    (PUB, "It opened on October 1.", "October 1", "2024-10-01"),  # 2025-10-01 would be 203 days ahead
    (date(2025, 12, 20), "The summit is on January 3.", "January 3", "2026-01-03"),
    (PUB, "It opened on March 12.", "March 12", "2025-03-12"),
    # a sentence about the future takes the first such day on or after publication
    (PUB, "The summit will open on January 20.", "January 20", "2026-01-20"),
]


@pytest.mark.parametrize(("published", "text", "span", "day"), YEARLESS)
def test_dates_without_a_year_take_the_year_from_publication(published, text, span, day):
    one(text, span, day, day, "day", True, published=published)


def test_day_ranges():
    one("Talks ran November 9-11.", "November 9-11", "2024-11-09", "2024-11-11", "day", True)
    one(
        "Переговоры прошли 9–11 ноября 2024 года.",
        "9–11 ноября 2024 года",
        "2024-11-09",
        "2024-11-11",
        "day",
        False,
    )


MONTHS_AND_YEARS = [
    ("It grew in April 2024.", "April 2024", "2024-04-01", "2024-04-30", "month", False),
    ("Рост начался в апреле 2024 года.", "апреле 2024 года", "2024-04-01", "2024-04-30", "month", False),
    ("It grew in 2024.", "2024", "2024-01-01", "2024-12-31", "year", False),
    ("Рост был в 2024 году.", "2024 году", "2024-01-01", "2024-12-31", "year", False),
    ("Это было в 2024-м году.", "2024-м году", "2024-01-01", "2024-12-31", "year", False),
    ("Prices fell in December.", "December", "2024-12-01", "2024-12-31", "month", True),
    ("Prices fell in March.", "March", "2025-03-01", "2025-03-31", "month", True),
    ("Prices fell last April.", "last April", "2024-04-01", "2024-04-30", "month", True),
    ("Цены упали в феврале.", "феврале", "2025-02-01", "2025-02-28", "month", True),
    ("It ran from 2022 to 2024.", "from 2022 to 2024", "2022-01-01", "2024-12-31", "year", False),
    ("It ran between 2019 and 2021.", "between 2019 and 2021", "2019-01-01", "2021-12-31", "year", False),
    ("The 2022-2024 plan.", "2022-2024", "2022-01-01", "2024-12-31", "year", False),
    ("В 2022–2024 годах.", "2022–2024 годах", "2022-01-01", "2024-12-31", "year", False),
]


@pytest.mark.parametrize(("text", "span", "first", "last", "granularity", "relative"), MONTHS_AND_YEARS)
def test_months_and_years(text, span, first, last, granularity, relative):
    one(text, span, first, last, granularity, relative)


PARTS = [
    ("It started early November.", "early November", "2024-11-01", "2024-11-10", "month", True),
    ("It started in early November.", "early November", "2024-11-01", "2024-11-10", "month", True),
    ("It started mid-March.", "mid-March", "2025-03-11", "2025-03-20", "month", True),
    ("It started in late November 2024.", "late November 2024", "2024-11-21", "2024-11-30", "month", False),
    ("It started at the end of November.", "the end of November", "2024-11-21", "2024-11-30", "month", True),
    ("Это было в начале ноября.", "начале ноября", "2024-11-01", "2024-11-10", "month", True),
    ("Это было в середине марта.", "середине марта", "2025-03-11", "2025-03-20", "month", True),
    ("Это было в конце ноября.", "конце ноября", "2024-11-21", "2024-11-30", "month", True),
    ("It started in early 2024.", "early 2024", "2024-01-01", "2024-04-30", "year", False),
    ("It started in mid-2024.", "mid-2024", "2024-05-01", "2024-08-31", "year", False),
    ("It started in late 2024.", "late 2024", "2024-09-01", "2024-12-31", "year", False),
    ("It started at the end of 2024.", "the end of 2024", "2024-09-01", "2024-12-31", "year", False),
    ("In the first half of 2024.", "the first half of 2024", "2024-01-01", "2024-06-30", "year", False),
    ("In the second half of 2024.", "the second half of 2024", "2024-07-01", "2024-12-31", "year", False),
    ("Это было в конце 2024 года.", "конце 2024 года", "2024-09-01", "2024-12-31", "year", False),
    ("Это было в начале этого года.", "начале этого года", "2025-01-01", "2025-04-30", "year", True),
    ("Это было в конце прошлого года.", "конце прошлого года", "2024-09-01", "2024-12-31", "year", True),
    ("Это будет в конце года.", "конце года", "2025-09-01", "2025-12-31", "year", True),
    ("It is due by the end of the year.", "the end of the year", "2025-09-01", "2025-12-31", "year", True),
    ("It happened early last year.", "early last year", "2024-01-01", "2024-04-30", "year", True),
]


@pytest.mark.parametrize(("text", "span", "first", "last", "granularity", "relative"), PARTS)
def test_early_mid_late(text, span, first, last, granularity, relative):
    one(text, span, first, last, granularity, relative)


RELATIVE = [
    ("He spoke yesterday.", "yesterday", "2025-03-11", "2025-03-11", "day"),
    ("He speaks today.", "today", "2025-03-12", "2025-03-12", "day"),
    ("He speaks tomorrow.", "tomorrow", "2025-03-13", "2025-03-13", "day"),
    ("He had spoken the day before.", "the day before", "2025-03-11", "2025-03-11", "day"),
    ("He spoke last night.", "last night", "2025-03-11", "2025-03-11", "day"),
    ("It fell two months ago.", "two months ago", "2025-01-01", "2025-01-31", "month"),
    ("It fell three years ago.", "three years ago", "2022-01-01", "2022-12-31", "year"),
    ("It fell 5 years ago.", "5 years ago", "2020-01-01", "2020-12-31", "year"),
    ("It fell a week ago.", "a week ago", "2025-03-03", "2025-03-09", "week"),
    ("It fell ten days ago.", "ten days ago", "2025-03-02", "2025-03-02", "day"),
    ("It fell last week.", "last week", "2025-03-03", "2025-03-09", "week"),
    ("It fell last month.", "last month", "2025-02-01", "2025-02-28", "month"),
    ("It fell last year.", "last year", "2024-01-01", "2024-12-31", "year"),
    ("It falls this year.", "this year", "2025-01-01", "2025-12-31", "year"),
    ("It falls next year.", "next year", "2026-01-01", "2026-12-31", "year"),
    ("It fell earlier this month.", "earlier this month", "2025-03-01", "2025-03-12", "month"),
    ("It fell earlier this year.", "earlier this year", "2025-01-01", "2025-03-12", "year"),
    ("It falls later this year.", "later this year", "2025-03-12", "2025-12-31", "year"),
    ("It fell over the past three years.", "the past three years", "2022-03-12", "2025-03-12", "year"),
    ("It fell in the last two weeks.", "the last two weeks", "2025-02-26", "2025-03-12", "week"),
    ("It fell over the past year.", "the past year", "2024-03-12", "2025-03-12", "year"),
    ("Он выступил вчера.", "вчера", "2025-03-11", "2025-03-11", "day"),
    ("Он выступает сегодня.", "сегодня", "2025-03-12", "2025-03-12", "day"),
    ("Накануне министр заявил об этом.", "Накануне", "2025-03-11", "2025-03-11", "day"),
    ("Это было позавчера.", "позавчера", "2025-03-10", "2025-03-10", "day"),
    ("Цены упали два месяца назад.", "два месяца назад", "2025-01-01", "2025-01-31", "month"),
    ("Это было месяц назад.", "месяц назад", "2025-02-01", "2025-02-28", "month"),
    ("Это было пять лет назад.", "пять лет назад", "2020-01-01", "2020-12-31", "year"),
    ("Это было полгода назад.", "полгода назад", "2024-09-01", "2024-09-30", "month"),
    ("Цены упали в прошлом году.", "прошлом году", "2024-01-01", "2024-12-31", "year"),
    ("Цены упали в этом году.", "этом году", "2025-01-01", "2025-12-31", "year"),
    ("Цены упадут в следующем году.", "следующем году", "2026-01-01", "2026-12-31", "year"),
    ("Цены упали на прошлой неделе.", "прошлой неделе", "2025-03-03", "2025-03-09", "week"),
    ("Цены упали в прошлом месяце.", "прошлом месяце", "2025-02-01", "2025-02-28", "month"),
    ("Цены росли за последние три года.", "последние три года", "2022-03-12", "2025-03-12", "year"),
    ("Цены росли в течение последних двух лет.", "последних двух лет", "2023-03-12", "2025-03-12", "year"),
]


@pytest.mark.parametrize(("text", "span", "first", "last", "granularity"), RELATIVE)
def test_relative_expressions(text, span, first, last, granularity):
    one(text, span, first, last, granularity, True)
    assert find_times(text, None) == []


WEEKDAYS = [
    ("He spoke on Monday.", "Monday", "2025-03-10"),
    ("He spoke Monday.", "Monday", "2025-03-10"),
    ("He spoke last Monday.", "last Monday", "2025-03-10"),
    ("He spoke on Wednesday.", "Wednesday", "2025-03-12"),  # the publication day itself
    ("He spoke last Wednesday.", "last Wednesday", "2025-03-05"),
    ("He speaks this Friday.", "this Friday", "2025-03-14"),
    ("He speaks next Monday.", "next Monday", "2025-03-17"),
    ("He will travel to Astana on Monday.", "Monday", "2025-03-17"),
    ("He'll travel to Astana on Monday.", "Monday", "2025-03-17"),
    ("The talks will be held on Monday.", "Monday", "2025-03-17"),
    ("Kazakhstan will build a plant, the president said on Monday.", "Monday", "2025-03-10"),
    ("The summit is scheduled to open on Friday.", "Friday", "2025-03-14"),
    ("On Monday, the minister will visit Astana.", "Monday", "2025-03-17"),
    ("On Monday, the minister said he will visit Astana.", "Monday", "2025-03-10"),
    ("Monday's talks failed.", "Monday", "2025-03-10"),
    ("Он выступил в понедельник.", "понедельник", "2025-03-10"),
    ("Он выступил во вторник.", "вторник", "2025-03-11"),
    ("Он выступил в прошлую пятницу.", "прошлую пятницу", "2025-03-07"),
    ("Он выступит в следующий вторник.", "следующий вторник", "2025-03-18"),
    ("Встреча состоится в пятницу.", "пятницу", "2025-03-14"),
]


@pytest.mark.parametrize(("text", "span", "day"), WEEKDAYS)
def test_weekdays(text, span, day):
    one(text, span, day, day, "day", True)


SINCE = [
    ("Prices rose since the beginning of 2022.", "since the beginning of 2022", "2022-01-01", "year"),
    ("Prices rose since 2022.", "since 2022", "2022-01-01", "year"),
    ("Prices rose since March.", "since March", "2025-03-01", "month"),
    ("Prices rose since last year.", "since last year", "2024-01-01", "year"),
    ("Цены растут с 2022 года.", "с 2022 года", "2022-01-01", "year"),
    ("Цены растут с начала 2022 года.", "с начала 2022 года", "2022-01-01", "year"),
    ("Prices rose since November 9.", "since November 9", "2024-11-09", "day"),
]


@pytest.mark.parametrize(("text", "span", "first", "granularity"), SINCE)
def test_since_runs_to_publication(text, span, first, granularity):
    one(text, span, first, PUB.isoformat(), granularity, True)


def test_from_to_joins_two_expressions():
    one(
        "It ran from March 1, 2024 to April 5, 2024.",
        "from March 1, 2024 to April 5, 2024",
        "2024-03-01",
        "2024-04-05",
        "day",
        False,
    )


def test_russian_from_to_is_one_range_not_a_since():
    one(
        "Акция шла с 1 марта 2024 года по 5 апреля 2024 года.",
        "с 1 марта 2024 года по 5 апреля 2024 года",
        "2024-03-01",
        "2024-04-05",
        "day",
        False,
    )


def test_without_publication_date_only_absolute_expressions_with_a_year_remain():
    text = "On November 9, yesterday, in 2024, in April 2024 and since 2022 on Monday."
    assert found(text, None) == [
        ("2024", "2024-01-01", "2024-12-31", "year", False),
        ("April 2024", "2024-04-01", "2024-04-30", "month", False),
        ("2022", "2022-01-01", "2022-12-31", "year", False),
    ]


def test_published_may_be_a_datetime():
    assert find_times("He spoke yesterday.", datetime(2025, 3, 12, 23, 59)) == [
        TimeMatch(9, 18, date(2025, 3, 11), date(2025, 3, 11), "day", True)
    ]


def test_times_of_day_are_ignored():
    assert found("At 6:48 on Monday it fell.") == [("Monday", "2025-03-10", "2025-03-10", "day", True)]


def test_several_expressions_in_order():
    text = "On Monday, a year after the deal of 9 ноября 2024 года, trade grew 5% in 2024."
    assert [s for s, *_ in found(text)] == ["Monday", "9 ноября 2024 года", "2024"]


@pytest.mark.parametrize(
    "text",
    [
        "Mondays are hard.",
        "The Marchers and the Mayor met.",
        "Saint Augustine wrote it.",
        "The Sundays played.",
        "Maybe it works.",
        "May I ask?",
        "В среднем маяк светит.",
        "Мартовские иды.",
        "He spoke the day before the vote.",
        "Накануне выборов он молчал.",
        "It rose 2024 percent.",
        "A 2024 budget.",  # a bare year needs a preposition, "год" or a qualifier
        "COVID-19 cases.",
        "In the past, things differed.",
        "много лет назад",
        "It fell on November 31.",  # no such day
        "in recent years",
    ],
)
def test_not_times(text):
    assert find_times(text, PUB) == []


# --- properties -------------------------------------------------------------------------------------

_DATES = st.dates(min_value=date(1950, 1, 1), max_value=date(2060, 12, 31))
_RU_GENITIVE = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()


@given(_DATES)
def test_written_dates_round_trip(d):
    for text in (
        f"{d:%B} {d.day}, {d.year}",
        f"{d.day} {d:%B} {d.year}",
        d.isoformat(),
        f"{d:%d.%m.%Y}",
        f"{d.day} {_RU_GENITIVE[d.month - 1]} {d.year} года",
    ):
        assert find_times(text, None) == [TimeMatch(0, len(text), d, d, "day", False)], text


@given(_DATES, st.integers(min_value=1, max_value=20))
def test_days_ago(pub, n):
    for text in (f"{n} days ago", f"{n} дней назад"):
        [t] = find_times(text, pub)
        assert (t.start, t.end, t.value, t.granularity) == (0, len(text), pub - timedelta(days=n), "day")


@given(_DATES, st.sampled_from(list(range(7))))
def test_bare_weekday_is_the_latest_on_or_before_publication(pub, weekday):
    name = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][weekday]
    [t] = find_times(f"He spoke on {name}.", pub)
    assert t.value.weekday() == weekday and timedelta(0) <= pub - t.value < timedelta(days=7)


_TOKENS = st.sampled_from(
    "on in since from to the last next this early late mid- Monday November 9 2024 2025 года ноября в "
    "году yesterday вчера ago назад two months years week , . - – 6:48 2025-02-10 of end beginning".split()
)


@given(st.lists(_TOKENS, max_size=25), st.one_of(st.none(), _DATES))
def test_matches_are_sorted_inside_the_text_and_disjoint(tokens, pub):
    text = " ".join(tokens)
    got = find_times(text, pub)
    for t in got:
        assert 0 <= t.start < t.end <= len(text)
        assert t.value <= t.end_value
        assert t.granularity in {"day", "week", "month", "year"}
        assert pub is not None or not t.relative
    for a, b in itertools.pairwise(got):
        assert a.end <= b.start


@pytest.mark.parametrize("published", [date(1, 1, 1), date(9999, 12, 31), datetime(1, 1, 1, 0, 0)])
def test_a_placeholder_publication_date_anchors_nothing_and_breaks_nothing(published):
    text = "The bridge opens in May, next week, and on 31 December 2026; it closed on 1 January 2001, last year."
    got = find_times(text, published)
    assert all(not t.relative for t in got)  # nothing resolved against a placeholder date
    assert {(text[t.start:t.end], t.value.isoformat()) for t in got} == {
        ("31 December 2026", "2026-12-31"), ("1 January 2001", "2001-01-01")}
