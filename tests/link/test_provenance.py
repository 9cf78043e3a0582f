from datetime import datetime

from narrascope.link.provenance import build_groups, origin_of
from narrascope.model import Annotations, Article, Attribution, Citation, Claim, ClaimLink, Sentence

TEXT = "Moscow fears losing Karavia, as reported by the Baltic Ledger. Trade fell to $17 billion."


def article(aid, outlet, day, text=TEXT, duplicate_of=None):
    return Article(
        id=aid, text=text, outlet=outlet, published=datetime(2025, 2, day), duplicate_of=duplicate_of
    )


def relay(aid, outlet, day):
    art = article(aid, outlet, day)
    cite = TEXT.index("Baltic Ledger")
    ann = Annotations(
        aid,
        sentences=[Sentence(aid, 0, 62, 0), Sentence(aid, 63, len(TEXT), 1)],
        citations=[Citation(aid, 29, 61, "Baltic Ledger", "as reported by", cite, cite + 13)],
    )
    claim = Claim(f"c-{aid}", aid, 63, len(TEXT), 0.9)
    return claim, art, ann


def test_two_outlets_relaying_one_newspaper_are_one_origin():
    claims = {
        c.id: (c, a, ann) for c, a, ann in (relay("a1", "Nord Review", 1), relay("a2", "Eurasia Monitor", 2))
    }
    links = [ClaimLink("c-a1", "c-a2", "same", 0.95, "paraphrase")]
    [group] = build_groups(links, claims, {})
    assert group.status == "single-origin"
    assert [o["origin"] for o in group.origins] == ["Baltic Ledger"]
    assert group.origins[0]["outlets"] == ["Nord Review", "Eurasia Monitor"]
    assert group.first_seen == datetime(2025, 2, 1)


def test_independent_reporting_corroborates_and_contradiction_wins():
    own = "Trade fell to $17 billion this year, officials confirmed."
    a = article("b1", "Steppe Courier", 1, own)
    b = article("b2", "Tarsk Times", 2, own)
    c = article("b3", "Vostok Vestnik", 3, "Trade rose to $27 billion.")
    claims = {
        "x1": (Claim("x1", "b1", 0, len(own), 0.9), a, Annotations("b1")),
        "x2": (Claim("x2", "b2", 0, len(own), 0.9), b, Annotations("b2")),
        "x3": (Claim("x3", "b3", 0, 26, 0.9), c, Annotations("b3")),
    }
    links = [ClaimLink("x1", "x2", "supports", 0.8, "both say")]
    groups = {tuple(g.claims): g for g in build_groups(links, claims, {})}
    assert groups[("x1", "x2")].status == "corroborated"
    links.append(ClaimLink("x1", "x3", "contradicts", 0.8, "17 vs 27"))
    groups = {tuple(g.claims): g for g in build_groups(links, claims, {})}
    assert groups[("x1", "x2")].status == "contradicted" and groups[("x3",)].status == "contradicted"


def test_hedged_everywhere_is_unverified():
    text = "The memo reportedly lists four trends."
    a, b = article("h1", "A", 1, text), article("h2", "B", 2, text)
    claims = {
        "y1": (
            Claim("y1", "h1", 0, len(text), 0.9, hedged=True, hedge_cue="reportedly"),
            a,
            Annotations("h1"),
        ),
        "y2": (
            Claim("y2", "h2", 0, len(text), 0.9, hedged=True, hedge_cue="reportedly"),
            b,
            Annotations("h2"),
        ),
    }
    [group] = build_groups([ClaimLink("y1", "y2", "same", 1.0, "same")], claims, {})
    assert group.status == "unverified"


def test_origins_speaker_copy_and_outlet():
    text = "Peskov said that relations are close."
    original = article("o1", "Steppe Courier", 1, "Relations are close and improving every year.")
    copy = article("o2", "Caspian Wire", 2, original.text, duplicate_of="o1")
    said = Attribution("o3", 17, len(text) - 1, "Peskov", 0, 6, "said", "reported")
    quoted = article("o3", "Nord Review", 2, text)
    assert (
        origin_of(Claim("q", "o3", 0, len(text), 0.9, attribution=said), quoted, Annotations("o3"), {}).kind
        == "speaker"
    )
    got = origin_of(Claim("r", "o2", 0, 20, 0.9), copy, Annotations("o2"), {"o1": original})
    assert (got.kind, got.name) == ("copy-of", "Steppe Courier")
    got = origin_of(Claim("s", "o1", 0, 20, 0.9), original, Annotations("o1"), {})
    assert (got.kind, got.name) == ("outlet", "Steppe Courier")
