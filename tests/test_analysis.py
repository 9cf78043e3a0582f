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
