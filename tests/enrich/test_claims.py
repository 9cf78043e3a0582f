from narrascope.enrich.attribution import attribute
from narrascope.enrich.claims import find_claims
from narrascope.enrich.hedges import mark_hedges
from narrascope.model import Quantity


def claims_of(doc, quantities=()):
    doc.quantities = list(quantities)
    mark_hedges(doc)
    attribute(doc)
    find_claims(doc)
    return doc.claims


def texts(doc):
    return [doc.text[c.start : c.end] for c in doc.claims]


def test_statements_become_claims_questions_and_fragments_do_not(make_doc):
    doc = make_doc(
        "Trade rose to 17 billion dollars in 2024.\n\nWho benefits from this?\n\nPhoto gallery\n\n"
        "The government has never joined the sanctions."
    )
    claims_of(doc)
    assert texts(doc) == [
        "Trade rose to 17 billion dollars in 2024.",
        "The government has never joined the sanctions.",
    ]
    assert [c.negated for c in doc.claims] == [False, True]
    assert all(c.id and c.article_id == doc.id for c in doc.claims)


def test_claim_carries_hedge_attribution_and_quantities(make_doc):
    text = "The memo reportedly says that exports fell by a third. Minister Anna Berg said that the plant will cost $12 billion."
    doc = make_doc(text)
    start = text.index("$12 billion")
    q = Quantity(doc.id, start, start + len("$12 billion"), "money", 12e9, "USD")
    first, second = claims_of(doc, [q])
    assert first.hedged and first.hedge_cue == "reportedly"
    assert not second.hedged
    assert second.attribution is not None and second.attribution.speaker == "Anna Berg"
    assert second.quantities == [q] and first.quantities == []


def test_semicolon_splits_clauses_but_not_lists(make_doc):
    doc = make_doc("The council approved the budget for roads; the mayor rejected the plan for bridges.")
    claims_of(doc)
    assert texts(doc) == [
        "The council approved the budget for roads",
        "the mayor rejected the plan for bridges.",
    ]


def test_bullets_are_stripped_and_russian_negation(make_doc):
    doc = make_doc("• Каравия никогда не присоединялась к антироссийским санкциям, заявил посол.", "ru")
    claims_of(doc)
    assert texts(doc) == ["Каравия никогда не присоединялась к антироссийским санкциям, заявил посол."]
    assert doc.claims[0].negated


def test_a_claim_keeps_its_attribution_when_the_speaker_was_named_before(make_doc):
    # "The memo" is resolved to the memo named in the sentence before: the claim still says who speaks.
    text = ("Officials read the Harbour Authority Memo on Monday. The memo, circulated among senior officials "
            "of the port and its tenants over the winter, acknowledges that cargo volumes fell by a fifth last year.")
    doc = make_doc(text)
    claims_of(doc)
    [claim] = [c for c in doc.claims if "acknowledges" in text[c.start : c.end]]
    assert claim.attribution is not None and claim.attribution.cue == "acknowledges"
