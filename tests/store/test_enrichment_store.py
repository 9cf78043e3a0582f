from narrascope.model import (
    Annotations,
    Article,
    Attribution,
    Citation,
    Claim,
    Entity,
    Hedge,
    Mention,
    Quantity,
    Sentence,
    TimeExpression,
)

TEXT = "Minister Anna Berg said the plant will cost $12 billion. The memo reportedly leaked in March 2025."


def annotations(aid):
    attr = Attribution(aid, 24, 55, "Anna Berg", 9, 18, "said", "reported")
    q = Quantity(aid, 44, 55, "money", 12e9, "USD")
    return Annotations(
        article_id=aid,
        sentences=[Sentence(aid, 0, 56, 0), Sentence(aid, 57, len(TEXT), 1)],
        mentions=[Mention(aid, 9, 18, "PERSON")],
        quantities=[q],
        times=[TimeExpression(aid, 86, 96, "2025-03-01", "2025-03-31", "month", False)],
        attributions=[attr],
        citations=[Citation(aid, 0, 10, "Ledger", "according to", 0, 5)],
        hedges=[Hedge(aid, 66, 76, "reportedly", "hedge")],
        claims=[
            Claim("c1", aid, 0, 56, 0.81, attribution=attr, quantities=[q]),
            Claim("c2", aid, 57, len(TEXT), 0.4, hedged=True, hedge_cue="reportedly"),
        ],
        notes=["a note"],
    )


def test_annotations_round_trip_and_replace(store):
    store.add_article(Article(id="a1", text=TEXT))
    ann = annotations("a1")
    store.save_annotations(ann)
    assert store.annotations("a1") == ann
    store.save_annotations(Annotations(article_id="a1", notes=["again"]))  # a re-run replaces, never adds
    again = store.annotations("a1")
    assert again.claims == [] and again.sentences == [] and again.notes == ["again"]


def test_stage_bookkeeping(store):
    for aid in ("a1", "a2"):
        store.add_article(Article(id=aid, text=f"Text {aid}."))
    assert store.articles_needing("enrich", "1") == ["a1", "a2"]
    store.mark_done("enrich", "a1", "1")
    assert store.articles_needing("enrich", "1") == ["a2"]
    assert store.articles_needing("enrich", "2") == ["a1", "a2"]  # a new version redoes everything


def test_entities_replace_and_claim_entity_ids(store):
    store.add_article(Article(id="a1", text=TEXT))
    store.save_annotations(annotations("a1"))
    store.replace_entities([Entity("e1", "Anna Berg", "PERSON", ["Berg"])], [("a1", 9, 18, "e1")])
    [(entity, mentions)] = list(store.iter_entities())
    assert entity.aliases == ["Berg"] and [(m.start, m.end, m.entity_id) for m in mentions] == [(9, 18, "e1")]
    claim = store.annotations("a1").claims[0]
    assert claim.entity_ids == ["e1"]
    rows = list(store.mention_rows())
    assert rows[0][1][9:18] == "Anna Berg"
