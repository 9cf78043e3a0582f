"""The model registry: each model built once, on first use; a double given for a name is what
every component then gets."""

import pytest

from narrascope.enrich.doc import Doc
from narrascope.enrich.techniques import find_techniques
from narrascope.link.pairmodel import FixedRelationModel
from narrascope.model import Article
from narrascope.models.registry import MODELS, Registry, load_relation_model


def test_each_model_is_built_once_and_a_key_picks_a_variant():
    built = []
    registry = Registry({"m": lambda key="plain": built.append(key) or f"model {key}"})
    assert registry.get("m") == registry.get("m") == "model plain"
    assert registry.get("m", "big") == "model big"
    assert built == ["plain", "big"] and registry.loaded() == ["m", "m:big"]
    with pytest.raises(KeyError, match="no model named 'n'"):
        registry.get("n")


def test_an_override_wins_over_what_was_built_and_is_undone_on_leaving():
    registry = Registry({"m": lambda key="plain": f"model {key}"})
    assert registry.get("m", "big") == "model big"
    with registry.override("m", "double"):
        assert registry.get("m") == registry.get("m", "big") == "double"
        with registry.override("m", "only big", key="big"):
            assert registry.get("m", "big") == "only big" and registry.get("m") == "double"
    assert registry.get("m", "big") == "model big"
    registry.put("m", "given")
    assert registry.get("m") == "given"
    registry.clear()
    assert registry.get("m") == "model plain"


def test_components_take_their_models_from_the_registry():
    double = FixedRelationModel(default=(0.0, 0.0, 1.0))
    with MODELS.override("relation", double):
        assert load_relation_model("shipped") is double

    class Detector:
        def detect(self, text, spans, language=None, embedder=None, parse=None):
            from narrascope.narratives.techniques import TechniqueSpan

            return [TechniqueSpan(0, 4, "slogans", 0.9)]

    class Embedder:
        name, dim = "none", 1

    doc = Doc.of(Article("a1", "Make it great.", language="en"))
    with MODELS.override("techniques", Detector()), MODELS.override("use", Embedder()):
        find_techniques([doc])
    assert [(t.article_id, t.start, t.end, t.technique) for t in doc.techniques] == [("a1", 0, 4, "slogans")]
