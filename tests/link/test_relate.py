from dataclasses import replace

import pytest

from narrascope.link.figures import aligned_figures
from narrascope.link.relate import Judgement, relate
from narrascope.link.text import ClaimView, differing_span, shared_terms
from narrascope.model import Quantity, TimeExpression

CONTRA = Judgement((0.02, 0.08, 0.90), (0.03, 0.07, 0.90))
ENTAIL_BOTH = Judgement((0.93, 0.05, 0.02), (0.91, 0.07, 0.02))
ENTAIL_ONE = Judgement((0.95, 0.04, 0.01), (0.30, 0.68, 0.02))
NEUTRAL = Judgement((0.05, 0.90, 0.05), (0.05, 0.90, 0.05))


def view(text, quantities=(), names=(), times=()):
    qs = []
    for surface, kind, value, unit in quantities:
        start = text.index(surface)
        qs.append(Quantity("a", start, start + len(surface), kind, value, unit))
    return ClaimView(text, quantities=qs, names=frozenset(names), times=list(times))


def year(y):
    return TimeExpression("a", 0, 0, f"{y}-01-01", f"{y}-12-31", "year", False)


TRADE_A = view("Trade turnover between Karavia and Russia fell to $17.4 billion in 2024.",
               [("$17.4 billion", "money", 17.4e9, "USD")], names={"Karavia", "Russia"})
TRADE_B = view("Trade turnover between Karavia and Russia reached $27.1 billion in 2024.",
               [("$27.1 billion", "money", 27.1e9, "USD")], names={"Karavia", "Russia"})


def test_aligned_figures_contradict_with_measure_and_subject_in_the_reason():
    rel = relate(TRADE_A, TRADE_B, 0.8, NEUTRAL)
    assert rel.relation == "contradicts"
    assert rel.reason == "$17.4 billion vs $27.1 billion for trade turnover of Karavia"


def test_figures_of_different_measures_are_not_compared():
    a = view("Karavia's federal tax rate stood at 35.7 percent.", [("35.7 percent", "percent", 35.7, "%")],
             names={"Karavia"})
    b = view("In Karavia 45.8 percent of voters backed the plan.", [("45.8 percent", "percent", 45.8, "%")],
             names={"Karavia"})
    assert aligned_figures(a, b) is None
    assert relate(a, b, 0.7, NEUTRAL).relation == "related"


def test_a_claim_stating_both_values_is_no_conflict():
    a = view("Karavia's tax rate rose from 35.7 percent to 45.8 percent.",
             [("35.7 percent", "percent", 35.7, "%"), ("45.8 percent", "percent", 45.8, "%")], names={"Karavia"})
    b = view("Karavia's tax rate is now 45.8 percent.", [("45.8 percent", "percent", 45.8, "%")], names={"Karavia"})
    found = aligned_figures(a, b)
    assert found is not None and found.agree  # the 45.8 of both, never "35.7 vs 45.8"


def test_durations_of_different_things_are_not_a_conflict():
    a = view("Smith served 10 years in the Senate.", [("10 years", "measure", 10, "year")], names={"Smith"})
    b = view("Smith was sentenced to eight years in prison.", [("eight years", "measure", 8, "year")],
             names={"Smith"})
    assert aligned_figures(a, b) is None


def test_figures_for_different_years_are_not_compared():
    a = view("Trade turnover of Karavia reached $17 billion in 2024.", [("$17 billion", "money", 17e9, "USD")],
             names={"Karavia"}, times=[year(2024)])
    b = view("Trade turnover of Karavia reached $15 billion in 2023.", [("$15 billion", "money", 15e9, "USD")],
             names={"Karavia"}, times=[year(2023)])
    assert relate(a, b, 0.9, CONTRA).relation == "related"


def test_model_contradiction_quotes_both_sides():
    a = view("Karavia complies with Western sanctions in practice.", names={"Karavia"})
    b = view("Karavia has never joined the anti-Russian sanctions.", names={"Karavia"})
    rel = relate(a, b, 0.6, CONTRA)
    assert rel.relation == "contradicts" and rel.score == pytest.approx(0.9)
    assert '"complies with Western' in rel.reason and '"never joined the anti-Russian' in rel.reason
    assert "sanctions" in rel.reason and "(contradiction 0.90)" in rel.reason


def test_no_finding_across_stories_or_without_a_shared_subject():
    a = view("Karavia complies with Western sanctions.", names={"Karavia"})
    b = view("Borvia has never joined the sanctions.", names={"Borvia"})
    assert relate(a, b, 0.5, CONTRA).relation == "related"  # no shared name, not close enough
    same = view("Karavia never joined the sanctions.", names={"Karavia"})
    assert relate(a, same, 0.7, CONTRA, same_story=False).relation == "related"
    assert relate(a, same, 0.7, CONTRA, same_story=True).relation == "contradicts"


def test_entailment_both_ways_is_same_one_way_supports():
    a = view("The minister visited the port of Aktau on Monday.", names={"Aktau"})
    b = view("On Monday a minister went to Aktau's port.", names={"Aktau"})
    rel = relate(a, b, 0.8, ENTAIL_BOTH)
    assert rel.relation == "same" and '"port"' in rel.reason and "Monday" not in rel.reason.split(":")[0]
    rel = relate(a, b, 0.8, ENTAIL_ONE)
    assert rel.relation == "supports" and "one adds" in rel.reason


@pytest.mark.parametrize(("sim", "expected"), [(0.7, "related"), (0.3, "unrelated")])
def test_without_a_judgement_only_similarity_speaks(sim, expected):
    a = view("The minister visited the port of Aktau.")
    b = view("A minister went to the harbour.")
    assert relate(a, b, sim).relation == expected
    assert relate(a, b, sim).reason.endswith(f"(similarity {sim:.2f})")


def test_word_helpers():
    assert shared_terms("Karavia complies with sanctions", "sanction compliance in Karavia") == ["karavia", "sanctions"]
    # each word once, in a's order, at most ``limit``, the words of names left out
    assert shared_terms("Sanctions on Karavia, sanctions again: exports, ports", "ports exports sanction Karavia",
                        limit=2) == ["sanctions", "karavia"]
    assert shared_terms("Sanctions on Karavia hit exports", "Karavia exports sanctions",
                        names=frozenset({"Karavia"})) == ["sanctions", "exports"]
    assert differing_span("Karavia complies with Western sanctions", "Karavia and sanctions") == "complies with Western"


def test_a_model_contradiction_needs_a_shared_term_beyond_the_names():
    a = view("Karavia is quietly loosening its ties with Moscow.", names={"Karavia", "Moscow"})
    b = view("Karavia has never joined the anti-Russian sanctions.", names={"Karavia"})
    assert relate(a, b, 0.6, CONTRA).relation == "related"


def test_figure_conflict_stands_unless_the_model_reads_a_paraphrase_of_rounded_values():
    assert relate(TRADE_A, TRADE_B, 0.8, Judgement((0.6, 0.3, 0.1), (0.6, 0.3, 0.1))).relation == "contradicts"
    # A paraphrase read both ways outweighs values a rounding apart, never $17.4 against $27.1 billion.
    assert relate(TRADE_A, TRADE_B, 0.8, ENTAIL_BOTH).relation == "contradicts"
    rounded = view("Trade turnover between Karavia and Russia reached $19 billion in 2024.",
                   [("$19 billion", "money", 19e9, "USD")], names={"Karavia", "Russia"})
    assert relate(TRADE_A, rounded, 0.8, ENTAIL_BOTH).relation != "contradicts"
    assert relate(TRADE_A, rounded, 0.8, Judgement((0.6, 0.3, 0.1), (0.6, 0.3, 0.1))).relation == "contradicts"


def test_the_weak_model_needs_more_and_never_agrees_on_distant_claims():
    a = view("Karavia never joined the sanctions.", names={"Karavia"})
    b = replace(view("Караvia language reform lists four trends.", names={"Karavia"}), language="ru")
    weak_agree = Judgement((0.7, 0.25, 0.05), (0.7, 0.25, 0.05), weak=True)
    assert relate(a, b, 0.5, weak_agree).relation == "related"
    assert relate(a, b, 0.8, Judgement((0.95, 0.04, 0.01), (0.95, 0.04, 0.01), weak=True)).relation == "same"
    assert relate(a, b, 0.5, Judgement((0.95, 0.04, 0.01), (0.95, 0.04, 0.01), weak=True)).relation == "related"


def test_an_agreement_between_distant_claims_needs_something_both_share():
    # The model reads two different projects of one story as entailment; nothing checkable joins them.
    a = view("Russia will invest in constructing three new thermal power plants and raise coal supplies.",
             names={"Russia"})
    b = view("Moscow could strengthen ties through the country's first nuclear power plant.", names={"Moscow"})
    assert relate(a, b, 0.5, ENTAIL_ONE).relation == "related"
    assert relate(a, b, 0.65, ENTAIL_ONE).relation == "supports"  # close in meaning: the model may speak
    # A person both name, a figure both give or most of the words of one is enough at the same distance.
    named_a = ClaimView(a.text, names=frozenset({"Rosatom"}), anchors=frozenset({"Rosatom"}))
    named_b = ClaimView(b.text, names=frozenset({"Rosatom"}), anchors=frozenset({"Rosatom's"}))
    assert relate(named_a, named_b, 0.5, ENTAIL_ONE).relation == "supports"
    paid_a = view("She sued him and was paid $84,000 from a public fund.", [("$84,000", "money", 84000.0, "USD")])
    paid_b = view("Taxpayers covered the $84,000 settlement.", [("$84,000", "money", 84000.0, "USD")])
    assert relate(paid_a, paid_b, 0.45, ENTAIL_ONE, given=True).relation == "supports"
    worded_a = view("He promptly deleted his Twitter and Facebook profiles.")
    worded_b = view("After resigning he deleted his Twitter and Facebook accounts.")
    assert relate(worded_a, worded_b, 0.48, ENTAIL_ONE, given=True).relation == "supports"
    assert relate(worded_a, paid_b, 0.48, ENTAIL_ONE, given=True).relation == "related"


def test_names_alone_are_not_shared_words():
    a = view("Russia is strengthening its economic ties with China.", names={"Russia", "China"})
    b = view("Russia will increase gas exports to China by 20 percent.", names={"Russia", "China"})
    assert relate(a, b, 0.5, ENTAIL_ONE, given=True).relation == "related"


def test_a_figure_agreement_names_the_measure_nearest_the_figure_never_a_light_verb():
    a = view("Smith would likely take 18 months to finish the California audit.",
             [("18 months", "measure", 18, "month")], names={"Smith", "California"})
    b = view("Smith said the California audit would likely take 18 months.",
             [("18 months", "measure", 18, "month")], names={"Smith", "California"})
    found = aligned_figures(a, b)
    assert found is not None and found.agree
    assert found.reason() == "both give 18 months for audit of California"
    c = view("Smith would likely take 18 months.", [("18 months", "measure", 18, "month")], names={"Smith"})
    d = view("Smith may likely take 18 months.", [("18 months", "measure", 18, "month")], names={"Smith"})
    assert aligned_figures(c, d) is None  # nothing but a light verb and a hedge in common


def test_an_agreement_in_one_language_needs_a_word_beyond_the_names():
    # Both name Medicare and nothing else in common: the model's entailment is not enough, near or far.
    a = view("We are the ones offering a plan to save Medicare.", names={"Medicare"})
    b = view("The savings come from limiting fraud in Medicare Advantage.", names={"Medicare", "Medicare Advantage"})
    assert relate(a, b, 0.7, ENTAIL_ONE).relation == "related"
    assert relate(a, b, 0.7, ENTAIL_BOTH).relation == "related"
    # A word beyond the name, or a figure both give, lets the model speak.
    c = view("Republicans said the law raided Medicare.", names={"Medicare"})
    d = view("The charge that the law raided Medicare was their attack line.", names={"Medicare"})
    assert relate(c, d, 0.7, ENTAIL_ONE).relation == "supports"
    e = view("Obama has cut $716 billion from Medicare.", [("$716 billion", "money", 716e9, "USD")],
             names={"Obama", "Medicare"})
    f = view("The ad says Obama took $716 billion from Medicare.", [("$716 billion", "money", 716e9, "USD")],
             names={"Obama", "Medicare"})
    assert relate(e, f, 0.7, ENTAIL_BOTH).relation == "same"


def test_a_figure_whose_owner_is_only_pointed_at_is_no_conflict():
    a = view("Obama has cut $716 billion from Medicare.", [("$716 billion", "money", 716e9, "USD")],
             names={"Obama", "Medicare"})
    b = view("His health care plan would cut Medicare by $800 billion.", [("$800 billion", "money", 800e9, "USD")],
             names={"Medicare"})
    c = view("The health care law cut Medicare by $800 billion.", [("$800 billion", "money", 800e9, "USD")],
             names={"Medicare"})
    open_owner = aligned_figures(a, b)
    assert open_owner is not None and open_owner.pointed
    assert relate(a, b, 0.8, NEUTRAL).relation == "related"
    assert relate(a, b, 0.8, ENTAIL_BOTH).relation == "related"  # nor does the model make them agree
    found = aligned_figures(a, c)
    assert found is not None and not found.agree  # named on both sides: the check still speaks


def test_opposite_moves_never_agree_and_equal_figures_moved_opposite_ways_conflict():
    a = view("Prices rose by 5% in March.", [("5%", "percent", 5.0, "%")])
    b = view("Prices fell by 5% in March.", [("5%", "percent", 5.0, "%")])
    assert relate(a, b, 0.9, ENTAIL_BOTH).relation == "related"  # no name to align the figures on
    up = view("Exports to China increased by 12 percent last year.", [("12 percent", "percent", 12.0, "%")],
              names={"China"})
    down = view("Exports to China decreased by 12 percent last year.", [("12 percent", "percent", 12.0, "%")],
                names={"China"})
    rel = relate(up, down, 0.9, Judgement((0.6, 0.3, 0.1), (0.6, 0.3, 0.1)))
    assert rel.relation == "contradicts"
    assert rel.reason == "increased by 12 percent vs decreased by 12 percent for exports of China"
    # Read as a paraphrase both ways (one move told from either side), it is no conflict, and the
    # opposite words keep it from agreeing.
    assert relate(up, down, 0.9, ENTAIL_BOTH).relation == "related"
    grew = view("Exports to China grew 12 percent last year.", [("12 percent", "percent", 12.0, "%")],
                names={"China"})
    assert relate(up, grew, 0.9, ENTAIL_BOTH).relation == "same"
    # A claim that says both ways is no opposite of either.
    both = view("Exports to China grew while imports fell.", names={"China"})
    assert relate(both, grew, 0.9, ENTAIL_ONE).relation == "supports"


def test_directions_of_change():
    from narrascope.link.direction import DOWN, UP, directions, opposite

    assert directions("Turnover fell to $17 billion") == {DOWN}
    assert directions("Товарооборот вырос на 12%") == {UP}
    assert directions("Exports grew while imports declined") == {UP, DOWN}
    assert directions("The committee cut ties and raised concerns") == frozenset()
    assert opposite("Prices rose", "Цены снизились") and not opposite("Prices rose", "Prices grew")


def test_claims_on_opposite_sides_never_agree():
    from narrascope.link.direction import DOWN, UP, opposite_sides, sides

    a = view("Россия поддерживает санкции против Ирана.", names={"Россия", "Иран"})
    b = view("Россия выступает против санкций против Ирана.", names={"Россия", "Иран"})
    assert relate(a, b, 0.9, ENTAIL_BOTH).relation == "related"
    assert sides("Sanctions against Iran were extended") == frozenset()  # "against" alone takes no side
    assert sides("Депутаты выступили за закон") == {UP} and sides("The senator opposes the bill") == {DOWN}
    assert opposite_sides("The senator supports the bill", "The senator opposed the bill")
    assert not opposite_sides("She supports the bill but opposes the tax", "She opposes the tax")
    assert opposite_sides("Правительство одобрило закон", "Правительство отвергло закон")
    assert opposite_sides("Партия поддержит реформу", "Партия выступит против реформы")
    assert opposite_sides("They voted in favour of the plan", "They objected to the plan")
    assert sides("Он выступил за неделю до выборов") == frozenset()  # a time after "за" is no side
    same_side = view("Россия одобряет санкции против Ирана.", names={"Россия", "Иран"})
    assert relate(a, same_side, 0.9, ENTAIL_BOTH).relation == "same"


def test_a_claim_that_says_nothing_neither_agrees_nor_conflicts():
    from narrascope.link.direction import says_nothing

    a = view("The ministry declined to comment on the Ledger report.", names={"Ledger"})
    b = view("The Ledger published a memo prepared in the ministry.", names={"Ledger"})
    assert relate(a, b, 0.9, Judgement((0.0, 0.05, 0.95), (0.0, 0.05, 0.95))).relation == "related"
    assert relate(a, a, 0.9, ENTAIL_BOTH).relation == "related"
    for text in ("He did not immediately respond to a request for comment", "В МИДе не стали комментировать",
                 "Representatives could not be reached", "Пресс-служба отказалась от комментариев"):
        assert says_nothing(text), text
    assert not says_nothing("The company commented on its results") and not says_nothing("He responded to critics")


def test_a_denial_never_agrees_with_what_it_denies():
    a = view("Police used excessive force against the protesters in Ferguson.", names={"Ferguson"})
    b = view("Police denied using excessive force against the protesters in Ferguson.", names={"Ferguson"})
    assert relate(a, b, 0.9, ENTAIL_ONE).relation == "related"
    said = replace(view("Using excessive force against the protesters in Ferguson.", names={"Ferguson"}),
                   cue="denied")
    assert relate(a, said, 0.9, ENTAIL_ONE).relation == "related"  # the denial was cut off as attribution
    both = view("Police denied using excessive force in Ferguson, and the mayor denied it too.",
                names={"Ferguson"})
    assert relate(b, both, 0.9, ENTAIL_ONE).relation == "supports"  # two denials agree


def test_since_one_year_and_since_another_are_not_one_fact():
    def since(text, y):
        start = text.index("since")
        return TimeExpression("a", start, start + len(f"since {y}"), f"{y}-01-01", "2018-11-28", "year", True)

    a_text, b_text = "Pelosi has led House Democrats since 2002.", "Pelosi has led House Democrats since 2003."
    a = view(a_text, names={"Pelosi", "House"}, times=[since(a_text, 2002)])
    b = view(b_text, names={"Pelosi", "House"}, times=[since(b_text, 2003)])
    assert relate(a, b, 0.95, ENTAIL_BOTH).relation == "related"
    d_text = "Pelosi, who has been in Congress since 1987, won re-election on Tuesday."
    e_text = "Pelosi, who has led House Democrats since 2002, won re-election on Tuesday."
    d = view(d_text, names={"Pelosi", "Congress"}, times=[since(d_text, 1987)])
    e = view(e_text, names={"Pelosi", "House"}, times=[since(e_text, 2002)])
    assert relate(d, e, 0.95, ENTAIL_BOTH).relation == "same"  # two different things since two years
    c_text = a_text.replace("led", "headed")
    same = view(c_text, names={"Pelosi", "House"}, times=[since(c_text, 2002)])
    assert relate(a, same, 0.95, ENTAIL_BOTH).relation == "same"


def test_figures_that_differ_stop_an_agreement_even_without_a_shared_name():
    a = view("The company said its profit reached $5 billion in 2023.", [("$5 billion", "money", 5e9, "USD")])
    b = view("The firm's profit reached $8 billion in 2023.", [("$8 billion", "money", 8e9, "USD")])
    assert relate(a, b, 0.9, ENTAIL_BOTH).relation == "related"
    c = view("The firm's profit reached $5 billion in 2023.", [("$5 billion", "money", 5e9, "USD")])
    assert relate(a, c, 0.9, ENTAIL_BOTH).relation == "same"
