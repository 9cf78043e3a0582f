"""The whole pipeline on the demo corpus, checked against what MANIFEST.md says was planted."""

import json

import jsonschema
import pytest

from narrascope.config import default_settings
from narrascope.demo import corpus_path
from narrascope.enrich.runner import enrich_articles
from narrascope.ingest import ingest_paths
from narrascope.link.runner import link_all
from narrascope.report import export, export_schema
from narrascope.store import SQLStore


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = SQLStore(str(tmp_path_factory.mktemp("demo") / "demo.db"))
    settings = default_settings()
    with corpus_path() as corpus:
        ingest_paths([str(corpus)], store, settings)
    enrich_articles(store, settings)
    link_all(store, settings)
    out = tmp_path_factory.mktemp("export") / "demo.json"
    with out.open("w") as fh:
        export(store, "json", fh, settings)
    return store, json.loads(out.read_text())


def test_export_is_valid_and_complete(demo):
    _, data = demo
    jsonschema.validate(data, export_schema())
    for key in ("entities", "claims", "claim_links", "claim_groups", "citations", "stories"):
        assert data[key], key


def test_two_stories_memo_and_nuclear_plant(demo):
    _, data = demo
    outlets = {a["id"]: a["outlet"] for a in data["articles"]}
    texts = {a["id"]: a["text"] for a in data["articles"]}
    assert len(data["stories"]) == 2
    for story in data["stories"]:
        nuclear = [
            "nuclear" in texts[a][:300].lower() or "ядерн" in texts[a][:300] for a in story["articles"]
        ]
        assert all(nuclear) or not any(nuclear), [outlets[a] for a in story["articles"]]


def _links(data, relation):
    claims = {c["id"]: c["text"] for c in data["claims"]}
    return [
        (claims[link["a"]], claims[link["b"]], link["reason"])
        for link in data["claim_links"]
        if link["relation"] == relation
    ]


def test_trade_figures_contradict_with_the_reason_in_words(demo):
    _, data = demo
    reasons = [r for _, _, r in _links(data, "contradicts")]
    assert any("$17.4 billion vs $27.1 billion" in r for r in reasons), reasons


def test_findings_stay_within_a_story_and_every_reason_shows_what_was_compared(demo):
    _, data = demo
    story_of = {a: s["id"] for s in data["stories"] for a in s["articles"]}
    article_of = {c["id"]: c["article"] for c in data["claims"]}
    for link in data["claim_links"]:
        if link["relation"] in ("same", "supports", "contradicts"):
            assert story_of[article_of[link["a"]]] == story_of[article_of[link["b"]]], link
            assert not link["reason"].startswith(("likely", "learned")), link
            assert any(w in link["reason"] for w in (" vs ", "both", "says the same")), link["reason"]


def test_groups_hold_claims_linked_to_their_representative(demo):
    _, data = demo
    agree = {frozenset((x["a"], x["b"])) for x in data["claim_links"] if x["relation"] in ("same", "supports")}
    for group in data["claim_groups"]:
        if len(group["claims"]) > 2:
            hubs = [c for c in group["claims"]
                    if all(frozenset((c, o)) in agree for o in group["claims"] if o != c)]
            assert hubs, group["claims"]


def test_relays_of_one_newspaper_are_one_origin(demo):
    _, data = demo
    ledger = [
        g
        for g in data["claim_groups"]
        if len(g["claims"]) > 1 and g["origins"] and all("Ledger" in o["origin"] for o in g["origins"])
    ]
    assert ledger, "no claim group traced to the newspaper the relays cite"
    relayed = max(ledger, key=lambda g: len(g["origins"][0]["outlets"]))
    assert relayed["status"] in ("single-origin", "contradicted", "unverified")
    assert len(relayed["origins"][0]["outlets"]) >= 2


def test_a_syndicated_copy_adds_no_origin(demo):
    _, data = demo
    copies = {a["id"] for a in data["articles"] if a["duplicate_of"]}
    claims = {c["id"]: c for c in data["claims"]}
    for group in data["claim_groups"]:
        members = [claims[c] for c in group["claims"]]
        outlets_of_copies = {c["article"] for c in members} & copies
        if outlets_of_copies and len(members) == 2:
            assert group["status"] != "corroborated" or len(group["origins"]) >= 2
            assert all(o["kind"] != "outlet" or o["origin"] != "Caspian Wire" for o in group["origins"])


def test_entities_across_spellings_and_scripts(demo):
    _, data = demo
    aliases = {e["name"]: set(e["aliases"]) for e in data["entities"]}
    president = max((n for n in aliases if "Sultanbekov" in n), key=lambda n: len(aliases[n]))
    assert {"Daniar Sultanbekov", "Данияр Султанбеков"} <= aliases[president] | {president}
    city = next(n for n, a in aliases.items() if {"Belogor", "Byelogor"} <= a | {n})
    assert city


def test_adding_an_article_keeps_story_ids(demo, tmp_path):
    store, data = demo
    before = {s["id"] for s in data["stories"]}
    extra = tmp_path / "extra.txt"
    extra.write_text(
        "Karavia's energy ministry confirms nuclear plant shortlist\n\n"
        "The energy ministry of Karavia said on Friday that three bidders remain in the tender for "
        "the nuclear power plant near Belogor, and that a decision is expected in the summer.\n"
    )
    settings = default_settings()
    ingest_paths([str(extra)], store, settings)
    enrich_articles(store, settings)
    report = link_all(store, settings)
    assert report.new_articles == 1
    after = {s.id for s in store.stories_with_articles()}
    assert before <= after


def test_an_ingest_is_not_kept_waiting_while_the_relation_model_reads(tmp_path, monkeypatch):
    """The stage works out its links before it takes the store's write lock: a writer arriving
    while the model reads goes straight in (here with a busy timeout of one second)."""
    import narrascope.store.sql as sql
    from narrascope.link.pairmodel import FixedRelationModel
    from narrascope.model import Article

    db = str(tmp_path / "n.db")
    store = SQLStore(db)
    settings = default_settings()
    for aid, outlet, text in (
        ("a", "Harbour Times", "Karavia's parliament approved a budget of 4 billion dollars on Monday, "
                               "the finance minister Ivan Petrov said."),
        ("b", "Tarsk Daily", "The finance minister Ivan Petrov said Karavia's parliament approved a budget "
                             "of 4 billion dollars on Monday."),
    ):
        store.add_article(Article(aid, text, title=f"Budget {aid}", outlet=outlet, language="en"))
    enrich_articles(store, settings.replace({"enrich": {"workers": 1}}))

    class Interrupting(FixedRelationModel):
        def probabilities(self, pairs):
            if not self.calls:
                monkeypatch.setattr(sql, "SQLITE_BUSY_MS", 1000)
                other = SQLStore(db)
                assert other.add_article(Article("c", "A late story about the harbour.", outlet="Wire"))
                other.close()
            return super().probabilities(pairs)

    model = Interrupting(default=(0.95, 0.04, 0.01))
    report = link_all(store, settings, model=model)
    assert model.calls and report.links >= 1 and report.new_articles == 2  # "c" came after the plan
    assert {a.id for a in store.iter_articles()} == {"a", "b", "c"}
    again = link_all(store, settings, model=FixedRelationModel(default=(0.95, 0.04, 0.01)))
    assert again.new_articles == 1 and again.links == report.links
