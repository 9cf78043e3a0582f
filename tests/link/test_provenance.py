from datetime import datetime

from narrascope.link.groups import build_groups
from narrascope.link.provenance import is_proper_name, origin_of
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
        origin_of(Claim("q", "o3", 0, len(text), 0.9, attribution=said), quoted, Annotations("o3"), {},
                  {"o3": [(0, 6, "Dmitry Peskov")]}).kind
        == "speaker"
    )
    got = origin_of(Claim("r", "o2", 0, 20, 0.9), copy, Annotations("o2"), {"o1": original})
    assert (got.kind, got.name) == ("copy-of", "Steppe Courier")
    got = origin_of(Claim("s", "o1", 0, 20, 0.9), original, Annotations("o1"), {})
    assert (got.kind, got.name) == ("outlet", "Steppe Courier")


def own(aid, outlet, day, text):
    return Claim(f"c-{aid}", aid, 0, len(text), 0.9), article(aid, outlet, day, text), Annotations(aid)


def test_groups_do_not_chain_through_a_middle_claim():
    texts = ["Trade fell to $17 billion.", "Trade dropped to $17 billion.", "Trade dropped sharply this year."]
    claims = {c.id: (c, a, ann) for c, a, ann in (own(f"g{i}", f"Outlet {i}", i + 1, t) for i, t in enumerate(texts))}
    links = [ClaimLink("c-g0", "c-g1", "same", 0.9, "same"), ClaimLink("c-g1", "c-g2", "supports", 0.9, "agrees")]
    groups = sorted(g.claims for g in build_groups(links, claims, {}))
    # c-g1 is the representative (two links); both its neighbours join it directly ...
    assert groups == [["c-g0", "c-g1", "c-g2"]]
    # ... but two claims that agree only through a third never share a group without it
    links = [ClaimLink("c-g0", "c-g1", "same", 0.9, "same"), ClaimLink("c-g0", "c-g2", "supports", 0.9, "x"),
             ClaimLink("c-g1", "c-g2", "related", 0.5, "x")]
    assert sorted(g.claims for g in build_groups(links, claims, {})) == [["c-g0", "c-g1", "c-g2"]]
    chain = [ClaimLink("c-g0", "c-g1", "same", 0.9, "same")]
    extra = {**claims}
    text = "Trade dropped sharply."
    extra["c-g3"] = (Claim("c-g3", "g3", 0, len(text), 0.9), article("g3", "Outlet 3", 4, text), Annotations("g3"))
    chain += [ClaimLink("c-g1", "c-g2", "same", 0.9, "x"), ClaimLink("c-g2", "c-g3", "same", 0.9, "x")]
    groups = build_groups(chain, extra, {})
    assert max(len(g.claims) for g in groups) == 3  # a representative and its two direct links, no more
    assert sum(len(g.claims) for g in groups) == 4


def test_pronouns_and_fragments_are_never_origins():
    text = "Her comments said that relations are close."
    said = Attribution("p1", 25, len(text) - 1, "Her comments", 0, 12, "said", "reported")
    got = origin_of(Claim("q", "p1", 0, len(text), 0.9, attribution=said), article("p1", "Nord Review", 2, text),
                    Annotations("p1"), {})
    assert (got.kind, got.name) == ("outlet", "Nord Review")
    assert not is_proper_name("who") and not is_proper_name("returns") and is_proper_name("Leigh Corfman")
    anonymous = Article(id="x9", text=text, title="Relations are close")
    got = origin_of(Claim("r", "x9", 0, 10, 0.9), anonymous, Annotations("x9"), {})
    assert (got.kind, got.name) == ("article", "Relations are close")


def test_a_person_quoted_through_one_outlet_is_one_chain():
    quote = "Corfman told the Baltic Ledger that she was 14."
    relay_text = "Corfman was 14 at the time, according to the Baltic Ledger."
    said = Attribution("m1", 30, len(quote) - 1, "Corfman", 0, 7, "told", "reported")
    cite = relay_text.index("Baltic Ledger")
    first = (Claim("m1c", "m1", 0, len(quote), 0.9, attribution=said), article("m1", "Daily One", 1, quote),
             Annotations("m1", citations=[Citation("m1", 8, 29, "Baltic Ledger", "told", 17, 30)]))
    second = (Claim("m2c", "m2", 0, len(relay_text), 0.9), article("m2", "Daily Two", 2, relay_text),
              Annotations("m2", citations=[Citation("m2", cite - 17, cite + 13, "Baltic Ledger", "according to",
                                                    cite, cite + 13)]))
    [group] = build_groups([ClaimLink("m1c", "m2c", "same", 0.9, "same")], {"m1c": first, "m2c": second}, {})
    assert group.status == "single-origin" and len(group.origins) == 1


def test_only_a_confident_contradiction_makes_a_group_contradicted():
    own_text = "Trade fell to $17 billion this year."
    a = article("k1", "Steppe Courier", 1, own_text)
    c = article("k2", "Vostok Vestnik", 2, "Trade rose to $27 billion.")
    claims = {"z1": (Claim("z1", "k1", 0, len(own_text), 0.9), a, Annotations("k1")),
              "z2": (Claim("z2", "k2", 0, 26, 0.9), c, Annotations("k2"))}
    weak = [ClaimLink("z1", "z2", "contradicts", 0.82, "at odds")]
    assert {g.status for g in build_groups(weak, claims, {}, confident=0.9)} == {"single-origin"}
    assert {g.status for g in build_groups(weak, claims, {}, confident=0.8)} == {"contradicted"}


def test_one_capitalised_word_opening_a_sentence_is_no_origin():
    text = "The charges came on Tuesday. Prosecutors said that the funds paid for trips."
    start = text.index("Prosecutors")
    said = Attribution("p2", start + 17, len(text) - 1, "Prosecutors", start, start + 11, "said", "reported")
    claim = Claim("s", "p2", start, len(text), 0.9, attribution=said)
    got = origin_of(claim, article("p2", "Nord Review", 2, text), Annotations("p2"), {})
    assert (got.kind, got.name) == ("outlet", "Nord Review")
    text = "The charges came on Tuesday, and Temirkhanov said that the funds paid for trips."
    start = text.index("Temirkhanov")
    said = Attribution("p3", start + 17, len(text) - 1, "Temirkhanov", start, start + 11, "said", "reported")
    got = origin_of(Claim("t", "p3", 0, len(text), 0.9, attribution=said), article("p3", "Nord Review", 2, text),
                    Annotations("p3"), {})
    assert (got.kind, got.name) == ("speaker", "Temirkhanov")
