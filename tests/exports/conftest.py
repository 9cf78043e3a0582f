"""A small store built by hand (no pipeline): three outlets, claims with a speaker, a hedge and a
negation, a citation, an entity with a Cyrillic alias, links, groups whose origins relay, a story,
a stance and a technique. Texts hold commas, quotes, a newline and Cyrillic, as scraped news does."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from narrascope.link.stories import Story
from narrascope.model import (
    Annotations,
    Article,
    Attribution,
    Citation,
    Claim,
    ClaimGroup,
    ClaimLink,
    Entity,
    Evidence,
    Mention,
    Sentence,
    Stance,
    TechniqueSpan,
    Thesis,
)
from narrascope.store import SQLStore

WHEN = datetime(2025, 3, 1, tzinfo=UTC)
A_SENTENCES = ['Мэр Тарска said the budget "grew, again".', "According to the Baltic Ledger,\ntrade reached $17 billion."]
B_SENTENCES = ["Trade reached $27 billion, officials reportedly said.", "Tarsk never joined the sanctions."]
C_SENTENCES = ["According to the Baltic Ledger,\ntrade reached $17 billion."]


def _sentences(aid: str, parts: list[str]) -> tuple[str, list[Sentence]]:
    text, spans, pos = "", [], 0
    for i, part in enumerate(parts):
        spans.append(Sentence(aid, pos, pos + len(part), i))
        text += part + " "
        pos += len(part) + 1
    return text.rstrip(), spans


def span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def fill(store: SQLStore) -> SQLStore:
    texts = {}
    for aid, outlet, title, parts in (
        ("art-a", "Alpha Daily", "Budget, trade", A_SENTENCES),
        ("art-b", "Beta News", "Trade record", B_SENTENCES),
        ("art-c", "Gamma Post", "Trade (copy)", C_SENTENCES),
    ):
        text, sentences = _sentences(aid, parts)
        texts[aid] = (text, sentences)
        store.add_article(Article(aid, text, title=title, outlet=outlet, published=WHEN, language="en",
                                  duplicate_of="art-a" if aid == "art-c" else None,
                                  duplicate_kind="near" if aid == "art-c" else None,
                                  duplicate_similarity=0.8 if aid == "art-c" else None))
    a_text, a_sent = texts["art-a"]
    said = Attribution("art-a", *span(a_text, A_SENTENCES[0]), "Мэр Тарска", 0, 10, "said", "reported")
    cited = Citation("art-a", *span(a_text, "According to the Baltic Ledger"), "Baltic Ledger", "According to")
    store.save_annotations(Annotations(
        "art-a", sentences=a_sent,
        mentions=[Mention("art-a", *span(a_text, "Тарска"), "GPE", normal="Тарск")],
        attributions=[said], citations=[cited],
        claims=[
            Claim("a0", "art-a", *span(a_text, A_SENTENCES[0]), 0.7, attribution=said),
            Claim("a1", "art-a", *span(a_text, "trade reached $17 billion."), 0.9),
        ],
    ))
    b_text, b_sent = texts["art-b"]
    store.save_annotations(Annotations(
        "art-b", sentences=b_sent,
        mentions=[Mention("art-b", *span(b_text, "Tarsk"), "GPE")],
        claims=[
            Claim("b0", "art-b", *span(b_text, B_SENTENCES[0]), 0.8, hedged=True, hedge_cue="reportedly"),
            Claim("b1", "art-b", *span(b_text, B_SENTENCES[1]), 0.6, negated=True),
            Claim("b-low", "art-b", *span(b_text, "officials reportedly said"), 0.1),
        ],
    ))
    c_text, c_sent = texts["art-c"]
    store.save_annotations(Annotations(
        "art-c", sentences=c_sent,
        citations=[Citation("art-c", *span(c_text, "According to the Baltic Ledger"), "Baltic Ledger",
                            "According to")],
        claims=[Claim("c0", "art-c", *span(c_text, "trade reached $17 billion."), 0.9)],
    ))
    store.replace_entities(
        [Entity("e-tarsk", "Tarsk", "GPE", ["Тарск", "Tarsk"])],
        [("art-a", *span(a_text, "Тарска"), "e-tarsk"), ("art-b", *span(b_text, "Tarsk"), "e-tarsk")],
    )
    store.replace_claim_links([
        ClaimLink("a1", "b0", "contradicts", 0.9, "$17 billion vs $27 billion"),
        ClaimLink("a1", "c0", "same", 0.99, "same words"),
        ClaimLink("a0", "b1", "related", 0.4, "both about Tarsk"),
    ])
    store.replace_claim_groups([
        ClaimGroup("g1", ["a1", "c0"], "single-origin", [
            {"origin": "Baltic Ledger", "kind": "cited", "claims": ["a1", "c0"],
             "outlets": ["Alpha Daily", "Gamma Post"], "first_seen": WHEN.isoformat()},
        ], WHEN, "trade reached $17 billion."),
        ClaimGroup("g2", ["b0"], "contradicted", [
            {"origin": "Beta News", "kind": "outlet", "claims": ["b0"], "outlets": ["Beta News"]},
        ], WHEN, B_SENTENCES[0]),
        ClaimGroup("g3", ["b1"], "single-origin", [
            {"origin": "Alpha Daily", "kind": "copy-of", "claims": ["b1"], "outlets": ["Beta News"]},
        ], WHEN, B_SENTENCES[1]),
    ])
    store.save_stories([Story("story-1", np.zeros(4, dtype=np.float32), 2, WHEN, WHEN, label="Trade")],
                       [("art-a", "story-1", 0.9), ("art-b", "story-1", 0.8)])
    store.add_theses([Thesis("t1", "Trade is growing")])
    store.save_stances([Stance("t1", "art-b", "support", 0.7,
                               [Evidence(*span(b_text, B_SENTENCES[0]), "support", 0.7)])], "v1")
    store.replace_techniques(["art-b"], [TechniqueSpan("art-b", *span(b_text, "never"), "doubt", 0.6)])
    return store


@pytest.fixture
def filled(store):
    return fill(store)
