import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrascope.enrich.names import (
    _WORD_BEFORE,
    _word_before,
    find_title,
    parse_person,
    read_title,
    same_person,
    split_title,
)
from narrascope.enrich.stories_near import neighbours


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("said Vice President Biden", "Biden", "Vice President"),
        ("Mr. Cantor", "Cantor", "Mr."),
        ("Kazakh leader Kasim-Jomart Tokayev", "Kasim", "leader"),
        ("his wife Michelle Obama", "Michelle", "wife"),
        ("Senate Majority Leader Mitch McConnell", "Mitch", "Leader"),
        ("did not miss Obama", "Obama", None),  # "miss" is an honorific only when capitalised
        ("President of Kazakhstan, Kasim-Jomart Tokayev", "Kasim", None),
        ("Obama", "Obama", None),
    ],
)
def test_find_title(text, name, title):
    assert find_title(text, text.index(name)) == title


def test_read_title_gives_gender_and_office():
    assert read_title("Mrs.").gender == "f" and read_title("Mr.").gender == "m"
    assert read_title("Sen.").role == read_title("Senator").role == "senator"
    assert read_title("Vice President").role == "vice president" and read_title(None).gender is None


def test_split_title_inside_a_span():
    assert split_title("Sen. Tim Kaine") == ("Sen.", "Tim Kaine")
    assert split_title("General Motors", abbreviated_only=True) == (None, "General Motors")
    assert split_title("Tim Kaine") == (None, "Tim Kaine")


def test_parse_person():
    name = parse_person("George H.W. Bush")
    assert (name.given, name.middle, name.surname, name.suffix) == ("george", "hw", "bush", "")
    assert parse_person("Donald Trump Jr.").suffix == "jr"
    assert parse_person("Kevin de León").given == "kevin"
    assert parse_person("de León").given == ""
    assert parse_person("Debbie Wasserman Schultz").tails[-1] == parse_person("Schultz").surname


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("David Brat", "Dave Brat", True),
        ("Joseph Biden", "Joe Biden", True),
        ("Paul Ryan", "Paul D. Ryan", True),
        ("J. Smith", "John Smith", True),
        ("Kassym-Jomart Tokayev", "Kasim-Jomart Tokayev", True),
        ("Aleksandr Dugin", "Alexander Dugin", True),
        ("Jim Mattis", "James Mattis", True),
        ("Bob Etheridge", "Robert Etheridge", True),
        ("Misha Ivanov", "Mikhail Ivanov", True),
        ("Jim Smith", "John Smith", False),
        ("Jack Reed", "James Reed", False),
        ("Dan Smith", "Danielle Smith", False),
        ("Max Rose", "Maxine Rose", False),
        ("Jo Smith", "John Smith", False),
        ("Sam Smith", "Samantha Smith", False),
        ("Chris Smith", "Christopher Smith", True),
        ("Tom Smith", "Thomas Smith", True),
        ("Barack Obama", "Michelle Obama", False),
        ("Eric Holder", "Erica Holder", False),
        ("Michael Smith", "Michelle Smith", False),
        ("George W. Bush", "George H.W. Bush", False),
        ("Donald Trump", "Donald Trump Jr.", False),
    ],
)
def test_same_person(a, b, same):
    assert same_person(parse_person(a), parse_person(b)) is same


def test_articles_sharing_rare_names_are_neighbours():
    from collections import Counter

    bags = {
        "a": Counter({"biden": 3, "raddatz": 1, "danville": 1}),
        "b": Counter({"biden": 2, "raddatz": 1, "danville": 1}),
        "c": Counter({"brown": 2, "ferguson": 3}),
    }
    near = neighbours(bags)
    assert near["a"] == {"b"} and near["c"] == frozenset()


def test_find_title_after_a_long_text_and_in_a_word_longer_than_the_look_back():
    preamble = "The talks went on for hours, and reporters waited outside in the rain. " * 40
    text = preamble + "said Vice President Biden"
    assert find_title(text, text.index("Biden")) == "Vice President"
    # the word before "Smith" begins further back than the look-back: "ex-Senator", not "Senator"
    text = preamble + "ex-Senator" + " " * 57 + "Smith"
    assert find_title(text, text.index("Smith")) is None
    text = preamble + "ex Senator" + " " * 57 + "Smith"
    assert find_title(text, text.index("Smith")) == "Senator"


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="aB-. \t\n,", max_size=200)
    | st.tuples(st.text("aB- ", max_size=50), st.text("aB-", min_size=40, max_size=120), st.text(". \t", max_size=70))
    .map("".join),  # words longer than the look-back, and blanks
    st.data(),
)
def test_word_before_reads_as_a_search_from_the_start(text, data):
    end = data.draw(st.integers(0, len(text)))
    full, windowed = _WORD_BEFORE.search(text, 0, end), _word_before(text, end)
    assert (full and (full.span(), full.group(1))) == (windowed and (windowed.span(), windowed.group(1)))
