"""Claim linking with a relation-model double: what the model reads, and what comes of it."""

from datetime import datetime

from narrascope.embeddings import HashingEmbedder
from narrascope.link.claims import ClaimItem, link_claims
from narrascope.link.pairmodel import FixedRelationModel
from narrascope.link.text import ClaimView
from narrascope.model import Article, Claim

TEXTS = [
    ("Karavia complies with Western sanctions in practice.", "s1", {"Karavia"}),
    ("Karavia has never joined the Western sanctions in practice.", "s1", {"Karavia"}),
    ("Karavia complies with Western sanctions on exports in practice.", "s2", {"Karavia"}),
]


def items():
    out = []
    for n, (text, story, names) in enumerate(TEXTS):
        article = Article(id=f"a{n}", text=text, outlet=f"Outlet {n}", published=datetime(2025, 1, n + 1))
        claim = Claim(f"c{n}", article.id, 0, len(text), 0.9)
        out.append(ClaimItem(claim, article, ClaimView(text, names=frozenset(names)), story))
    return out


def test_the_model_reads_gated_pairs_only_and_its_verdict_names_the_relation():
    its = items()
    vectors = HashingEmbedder().embed([i.view.text for i in its])
    model = FixedRelationModel({(TEXTS[0][0], TEXTS[1][0]): (0.02, 0.08, 0.9),
                                (TEXTS[1][0], TEXTS[0][0]): (0.02, 0.08, 0.9)})
    links = {(x.a, x.b): x for x in link_claims(its, vectors, model=model)}
    assert links[("c0", "c1")].relation == "contradicts"
    assert "never" in links[("c0", "c1")].reason
    # c2 is in another story: the model never reads a pair with it, and it is at most related
    assert all("exports" not in a and "exports" not in b for a, b in model.calls)
    assert links[("c0", "c2")].relation == "related"


def test_without_a_model_nothing_is_agreement_or_conflict():
    its = items()
    vectors = HashingEmbedder().embed([i.view.text for i in its])
    relations = {x.relation for x in link_claims(its, vectors, model=None)}
    assert relations <= {"related"}
