"""RSS/Atom feeds: one bad item, or one bad character in it, never costs the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.config import default_settings
from narrascope.ingest import ingest_paths
from narrascope.ingest.feeds import read_feed
from narrascope.ingest.raw import RawDoc
from narrascope.store.sql import SQLStore

ITEM = (
    "<item><title>{title}</title><link>https://coast.example/{n}</link>"
    "<description>{body}</description></item>"
)
BODY = "The coastal road reopened on {day} after storm repairs that lasted three weeks, the council said."


def feed(*bodies: str) -> str:
    items = "".join(
        ITEM.format(title=f"Item {n}", n=n, body=body.format(day=day))
        for n, (body, day) in enumerate(zip(bodies, ["Monday", "Tuesday", "Friday"], strict=False), 1)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Coast News</title>{items}</channel></rss>'


@pytest.mark.parametrize("ref", ["&#x110000;", "&#1114112;", "&#xD800;", "&#99999999999999999999;", "&#0;"])
def test_a_reference_to_no_character_costs_a_warning_not_the_feed(ref: str) -> None:
    docs = list(read_feed(feed(BODY + f" Bad {ref} here.", BODY), "coast.rss"))

    assert [type(d) for d in docs] == [RawDoc, RawDoc], docs
    assert "\ufffd" in docs[0].body and ref not in docs[0].body
    assert docs[0].warnings == ["invalid character reference(s) replaced by U+FFFD (1 in the feed)"]
    assert docs[1].warnings == []


def test_valid_references_are_kept() -> None:
    [doc] = read_feed(feed(BODY + " Prices rose 5&#x20AC; &#8212; and &#x1F600; &amp; more."), "coast.rss")

    assert "5€ — and 😀 & more" in doc.body
    assert doc.warnings == []


def test_bad_reference_in_a_title_is_replaced_too() -> None:
    text = feed(BODY).replace("<title>Item 1</title>", "<title>Item &#x110000; one</title>")

    [doc] = read_feed(text, "coast.rss")

    assert doc.meta["title"] == "Item \ufffd one" and doc.warnings


def test_ingest_keeps_every_item_of_a_feed_with_a_bad_reference(tmp_path: Path) -> None:
    path = tmp_path / "coast.xml"
    path.write_text(feed(BODY + " Bad &#x110000; here.", BODY, BODY), encoding="utf-8")
    store = SQLStore.memory()

    report = ingest_paths([str(path)], store, default_settings())

    assert not report.errors
    assert len(list(store.iter_articles())) == 3
    assert any("invalid character reference" in w for w in report.warnings)
