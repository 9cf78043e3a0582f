"""The library's analyze(): the stages in their order, only those asked for."""

from __future__ import annotations

import pytest

from narrascope import ConfigError, SQLStore, analyze, default_settings
from narrascope.model import Article


def test_only_the_stages_asked_for_run_and_unknown_ones_are_named():
    store = SQLStore.memory()
    store.add_article(Article("a1", "The council of Brenn approved the road budget on Tuesday. Work starts in May.",
                              outlet="Brenn Daily", language="en"))
    report = analyze(store, default_settings(), stages=("enrich",))
    assert report.link is None and report.narratives is None
    assert report.enrich.summary() == report.summary()
    assert len(next(iter(store.iter_annotations())).sentences) == 2
    with pytest.raises(ConfigError, match="unknown analysis stage 'links'"):
        analyze(store, default_settings(), stages=("links",))


ARTICLES = [
    ("m1", "Brenn Daily", "The council of Brenn approved a road budget of $4 million on Tuesday, mayor Ada Lind said. "
     "Work on the northern road starts in May. The corrupt opposition keeps spreading lies about the budget."),
    ("m2", "Valley Post", "Brenn's council approved the $4 million road budget on Tuesday, according to mayor Ada Lind. "
     "Critics said the northern road will not be finished before winter."),
    ("m3", "Valley Post", "The Brenn football club won its third match in a row on Sunday. Fans celebrated downtown."),
]


def test_the_in_memory_double_serves_every_stage_as_the_database_does():
    from narrascope.store.memory import MemoryStore
    from narrascope.store.protocols import EnrichStore, LinkStore, NarrativesStore, satisfies

    memory, sql = MemoryStore(), SQLStore.memory()
    assert satisfies(memory, [EnrichStore, LinkStore, NarrativesStore]) == []
    settings = default_settings().replace({"enrich": {"workers": 1}})
    results = []
    for store in (memory, sql):
        for aid, outlet, text in ARTICLES:
            store.add_article(Article(aid, text, outlet=outlet, language="en"))
        analyze(store, settings, ["Brenn's council approved the road budget."])
        results.append({
            "claims": [[(c.start, c.end, c.checkworthiness) for c in a.claims] for a in store.iter_annotations()],
            "entities": sorted((e.name, e.type, len(ms)) for e, ms in store.iter_entities()),
            "stories": sorted(store.story_of_articles().items()),
            "links": [(k.a, k.b, k.relation) for k in store.claim_links()],
            "groups": [(g.claims, g.status) for g in store.claim_groups()],
            "stances": [(s.article_id, s.label) for s in store.list_stances()],
            "techniques": [(t.article_id, t.start, t.end, t.technique) for t in store.list_techniques()],
        })
    assert results[0] == results[1]
    got = results[0]
    assert got["claims"][0] and got["techniques"] and got["stances"]
    assert dict(got["stances"])["m3"] == "unrelated"
    assert not MemoryStore().articles_needing("enrich", "1")
