from narrascope.enrich.hedges import find_hedges


def cues(doc):
    return [(h.kind, h.cue) for h in find_hedges(doc)]


def test_distancing_cues(make_doc):
    doc = make_doc(
        "The memo has not been verified. Officials reportedly met twice. The report claims that "
        "exports fell. The minister is believed to have resigned."
    )
    assert cues(doc) == [
        ("hedge", "has not been verified"),
        ("hedge", "reportedly"),
        ("hedge", "the report claims"),
        ("hedge", "is believed to"),
    ]


def test_certainty_and_rhetorical_questions(make_doc):
    doc = make_doc(
        'It is obvious that the plan works. Who benefits from this? He asked: "Where is the money?" '
        "There is no doubt about it."
    )
    found = cues(doc)
    assert ("certainty", "it is obvious that") in found
    assert ("certainty", "there is no doubt") in found
    assert found.count(("question", "?")) == 1  # the quoted question is the speaker's, not the writer's


def test_russian_cues(make_doc):
    doc = make_doc("Подлинность документа не подтверждена. Он якобы уехал. Очевидно, что это ложь.", "ru")
    assert ("hedge", "не подтверждена") in cues(doc)
    assert ("hedge", "якобы") in cues(doc)
    assert ("certainty", "очевидно") in cues(doc)


def test_plain_statements_have_none(make_doc):
    assert cues(make_doc("The council approved the budget on Tuesday. Roads will be repaired.")) == []
