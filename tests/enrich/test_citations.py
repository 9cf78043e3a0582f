from narrascope.enrich.citations import find_citations


def cited(doc):
    find_citations(doc)
    return [(c.source, c.cue, doc.text[c.start : c.end]) for c in doc.citations]


def test_reporting_cues_before_and_after_the_source(make_doc):
    doc = make_doc(
        "A presentation recently obtained by The Financial Times shows concern, reports Orda.kz. "
        "The ambassador said so in an interview with RIA Novosti. "
        "Exports fell sharply, according to Reuters."
    )
    sources = [(s, c) for s, c, _ in cited(doc)]
    assert ("Financial Times", "obtained by") in sources
    assert ("Orda.kz", "reports") in sources
    assert ("RIA Novosti", "in an interview with") in sources
    assert ("Reuters", "according to") in sources


def test_people_and_places_are_not_citations(make_doc):
    doc = make_doc("According to Igor Yakovenko, relations are close. According to Moscow, nothing changed.")
    assert cited(doc) == []


def test_the_outlet_itself_is_not_cited(make_doc):
    doc = make_doc("The mayor told Harbour Weekly that the port would grow.", outlet="Harbour Weekly")
    assert cited(doc) == []


def test_russian_cues(make_doc):
    doc = make_doc("Сделка сорвалась, сообщает ТАСС. По данным Интерфакса, переговоры продолжатся.", "ru")
    sources = {s for s, _, _ in cited(doc)}
    assert {"ТАСС", "Интерфакса"} <= sources


def test_a_person_the_tagger_reads_as_an_organisation_is_not_a_citation():
    # Built by hand: the tagger reads the surname alone as an organisation, as it sometimes does.
    from narrascope.enrich.doc import Doc
    from narrascope.model import Article, Mention, Sentence

    text = ("The session was led by Prime Minister Oleg Vasnetsov. "
            "Vasnetsov reported to the president that output had grown, as reported by the Harbour Ledger.")
    doc = Doc.of(Article(id="a1", text=text, language="en"))
    second = text.index("Vasnetsov reported")
    doc.sentences = [Sentence("a1", 0, second - 1, 0), Sentence("a1", second, len(text), 1)]
    name = text.index("Oleg")
    ledger = text.index("Harbour Ledger")
    doc.mentions = [Mention("a1", name, name + len("Oleg Vasnetsov"), "PERSON"),
                    Mention("a1", second, second + len("Vasnetsov"), "ORG"),
                    Mention("a1", ledger, ledger + len("Harbour Ledger"), "ORG")]
    assert [(s, c) for s, c, _ in cited(doc)] == [("Harbour Ledger", "as reported by")]
