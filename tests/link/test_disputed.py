"""A claim that calls a statement fake, read against a claim that states it."""

from __future__ import annotations

import pytest

from narrascope.embeddings import HashingEmbedder
from narrascope.link.disputed import disputed_statement
from narrascope.link.pairmodel import FixedRelationModel
from narrascope.link.views import relate_texts

DEBUNK = "“The harbour of Karavia is closing for good” – fake"
STATES = "Officials confirmed that the harbour of Karavia will close for good next year."
EMBED = HashingEmbedder(dim=64).embed


@pytest.mark.parametrize(("text", "statement"), [
    (DEBUNK, "The harbour of Karavia is closing for good"),
    ("The claim that grain exports collapsed is a myth.", "grain exports collapsed"),
    ("Experts debunked the myth that the bridge was sold abroad.", "the bridge was sold abroad"),
    ("Тезис «Каравия закрывает порт навсегда» — очередной фейк.", "Каравия закрывает порт навсегда"),
    ("It is false that grain exports collapsed.", "grain exports collapsed"),
    ("It's not true that the bridge was sold abroad.", "the bridge was sold abroad"),
    ("“The harbour of Karavia is closing for good” is a lie.", "The harbour of Karavia is closing for good"),
    ("The press office has confirmed it is a hoax.", ""),  # the label's subject is "it", not the clause
    ("The hoax that said the singer was found dead spread quickly.", ""),  # "that" opens a relative clause
    ("The claim that grain exports collapsed is baseless.", "grain exports collapsed"),
    ("The claim that grain exports collapsed is untrue.", "grain exports collapsed"),
    ("Неправда, что Каравия закрывает порт навсегда.", "Каравия закрывает порт навсегда"),
    ("Каравия закрывает порт навсегда — ложь.", "Каравия закрывает порт навсегда"),
    ("The myth that sanctions do not work has been repeated for years.", "sanctions do not work"),
    ("The myth that the bridge was sold abroad was repeated by state television.", "the bridge was sold abroad"),
    ("These reports are lies.", ""),  # a label with no statement to compare
    ("The story about secret laboratories is pure disinformation.", ""),  # a reference, not a statement
    ("The parade in the capital is propaganda.", ""),  # a thing, not a statement
    ("The war is going well, and that is a lie.", ""),  # "that" the pronoun
    ("Визит президента в столицу — пропаганда.", ""),
    ("The fire turned out to be a false alarm.", ""),
    ("He checked into the hotel under a false name.", ""),
    ("Fake passports were seized at the border.", ""),  # an object, not a claim
    ("The harbour of Karavia is closing for good.", ""),
])
def test_the_statement_a_claim_calls_fake(text, statement):
    assert disputed_statement(text) == statement


def model(entailment: float) -> FixedRelationModel:
    statement = disputed_statement(DEBUNK)
    probs = (entailment, 1.0 - entailment, 0.0)
    return FixedRelationModel({(statement, STATES): probs, (STATES, statement): probs})


def test_stating_what_another_claim_calls_fake_contradicts_it_with_both_quoted():
    found = relate_texts([(DEBUNK, STATES)], model(0.85), EMBED)[0]
    assert found.relation == "contradicts"
    assert found.reason.startswith('one calls "The harbour of Karavia is closing for good" fake, the other states it: '
                                   '"Officials confirmed')
    assert "(entailment 0.85)" in found.reason
    assert relate_texts([(STATES, DEBUNK)], model(0.85), EMBED)[0].relation == "contradicts"  # either order


def test_no_conflict_when_the_other_claim_does_not_clearly_state_it_or_calls_it_fake_too():
    assert relate_texts([(DEBUNK, STATES)], model(0.4), EMBED)[0].relation != "contradicts"
    both = "The story that the harbour of Karavia is closing for good is a hoax."
    table = FixedRelationModel(default=(0.95, 0.05, 0.0))  # whatever the model says of the texts
    assert relate_texts([(DEBUNK, both)], table, EMBED)[0].relation != "contradicts"
