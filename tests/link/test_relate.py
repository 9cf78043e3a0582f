import pytest

from narrascope.link.relate import ClaimView, relate
from narrascope.model import Quantity, TimeExpression


def view(text, quantities=(), negated=False, names=(), times=()):
    qs = []
    for surface, kind, value, unit in quantities:
        start = text.index(surface)
        qs.append(Quantity("a", start, start + len(surface), kind, value, unit))
    return ClaimView(text, negated=negated, quantities=qs, names=frozenset(names), times=list(times))


def test_same_measure_different_values_contradicts_with_the_figures_in_the_reason():
    a = view(
        "Trade turnover between Karavia and Russia fell to $17.4 billion in 2024.",
        [("$17.4 billion", "money", 17.4e9, "USD")],
        names={"Karavia", "Russia"},
    )
    b = view(
        "Trade turnover between Karavia and Russia reached $27.1 billion in 2024.",
        [("$27.1 billion", "money", 27.1e9, "USD")],
        names={"Karavia", "Russia"},
    )
    rel = relate(a, b, 0.8)
    assert rel.relation == "contradicts"
    assert rel.reason == "$17.4 billion vs $27.1 billion for the same trade turnover"


def test_same_values_agree_and_counts_name_what_they_count():
    a = view("The plant will have two reactors near the city.", [("two", "count", 2, "reactor")])
    b = view("Two reactors are planned for the plant.", [("Two", "count", 2, "reactor")])
    rel = relate(a, b, 0.7)
    assert rel.relation == "supports" and rel.reason == "both say two reactors"


def test_figures_for_different_years_do_not_contradict():
    y24 = TimeExpression("a", 0, 0, "2024-01-01", "2024-12-31", "year", False)
    y23 = TimeExpression("a", 0, 0, "2023-01-01", "2023-12-31", "year", False)
    a = view(
        "Trade turnover reached $17 billion in 2024.", [("$17 billion", "money", 17e9, "USD")], times=[y24]
    )
    b = view(
        "Trade turnover reached $15 billion in 2023.", [("$15 billion", "money", 15e9, "USD")], times=[y23]
    )
    assert relate(a, b, 0.8).relation != "contradicts"


def test_opposite_polarity_about_the_same_thing():
    a = view("Karavia complies with Western sanctions.", names={"Karavia"})
    b = view("Karavia has never joined the sanctions.", negated=True, names={"Karavia"})
    rel = relate(a, b, 0.6)
    assert rel.relation == "contradicts" and "sanctions" in rel.reason


def test_antonyms_on_one_side_only():
    a = view("Exports rose sharply last year.")
    b = view("Exports fell sharply last year.")
    assert relate(a, b, 0.8).reason.startswith("rose vs fell")
    both = view("The ministry neither confirmed nor denied the report.")
    assert relate(both, both, 0.99).relation == "same"


@pytest.mark.parametrize(
    ("sim", "expected"), [(0.95, "same"), (0.7, "supports"), (0.5, "related"), (0.2, "unrelated")]
)
def test_similarity_bands(sim, expected):
    a = view("The minister visited the port of Aktau.", names={"Aktau"})
    b = view("A minister went to Aktau's harbour.", names={"Aktau"})
    assert relate(a, b, sim).relation == expected
