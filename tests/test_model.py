import pytest

from narrascope.model import Article, Span, article_id, content_id, normalize_for_hash


def test_content_id_is_stable_and_kind_specific():
    assert content_id("article", "x") == content_id("article", "x")
    assert content_id("article", "x") != content_id("claim", "x")
    assert len(content_id("article", "x")) == 16


def test_article_id_ignores_spacing_and_case_but_not_outlet():
    a = article_id("Hello  World.", None, "Nord Review")
    assert a == article_id("hello world.", None, "nord review")
    assert a != article_id("hello world.", None, "Other Outlet")
    assert a != article_id("hello world!", None, "Nord Review")


def test_normalize_for_hash_folds_unicode_forms():
    assert normalize_for_hash("Ｆｕｌｌ\u00a0width") == "full width"


def test_span_is_a_view_into_article_text():
    art = Article(id="a1", text="Alpha beta gamma.")
    span = Span("a1", 6, 10)
    assert span.text_in(art) == "beta"
    with pytest.raises(ValueError):
        Span("a1", 5, 2)


def test_content_hash_follows_text():
    a = Article(id="1", text="Same words here.")
    b = Article(id="2", text="same   words here.")
    assert a.content_hash == b.content_hash
