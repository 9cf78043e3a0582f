import pytest

from narrascope.errors import PipelineError
from narrascope.pipeline import REGISTRY, Component, Pipeline, component


def make(name, requires=(), provides=()):
    calls = []
    comp = Component(
        name, frozenset(requires), frozenset(provides), lambda docs: calls.append((name, list(docs)))
    )
    return comp, calls


def test_components_run_in_order():
    a, calls_a = make("a", provides={"x"})
    b, calls_b = make("b", requires={"x"}, provides={"y"})
    pipe = Pipeline([a, b])
    pipe(["doc"])
    assert calls_a == [("a", ["doc"])] and calls_b == [("b", ["doc"])]
    assert pipe.provides == {"x", "y"}


def test_wrong_order_is_refused_before_running():
    a, calls = make("a", provides={"x"})
    b, _ = make("b", requires={"x"})
    with pytest.raises(PipelineError, match="component 'b' needs x, which no component before it provides"):
        Pipeline([b, a])
    assert calls == []


def test_given_layers_and_unknown_names():
    b, _ = make("b", requires={"text"})
    Pipeline([b], given={"text"})
    with pytest.raises(PipelineError, match="unknown component 'nope'"):
        Pipeline(["nope"])


def test_registered_per_doc_component():
    seen = []

    @component("test-upper", requires=("text",), provides=("upper",))
    def upper(doc):
        """Upper-cases."""
        seen.append(doc.upper())

    try:
        Pipeline(["test-upper"], given={"text"})(["a", "b"])
        assert seen == ["A", "B"]
        assert REGISTRY["test-upper"].doc == "Upper-cases."
        with pytest.raises(PipelineError, match="registered twice"):
            component("test-upper")(upper)
    finally:
        del REGISTRY["test-upper"]


def test_the_shipped_enrich_order_is_valid_and_a_shuffled_one_is_not():
    from narrascope.enrich.runner import DEFAULT_COMPONENTS, build_pipeline

    assert build_pipeline(DEFAULT_COMPONENTS).names == list(DEFAULT_COMPONENTS)
    with pytest.raises(PipelineError, match="'claims' needs"):
        build_pipeline(["claims", *[c for c in DEFAULT_COMPONENTS if c != "claims"]])
