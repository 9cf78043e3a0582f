"""The speed benchmarks' corpus: distinct real articles, BASIL's then FNC-1's, copies only past the end."""

import csv
import json

import pytest

from narrascope.bench.corpora import distinct_news
from narrascope.errors import ConfigError
from narrascope.model import Article


def _datasets(tmp_path, basil=2, fnc=2):
    folder = tmp_path / "basil" / "articles" / "2016"
    folder.mkdir(parents=True)
    for i in range(basil):
        (folder / f"{i}.json").write_text(json.dumps({
            "uuid": f"u{i}", "triplet-uuid": "t", "title": f"Council vote {i}", "source": "fox",
            "date": "2016-05-01", "body-paragraphs": [[f"The council met on day {i}.", "It voted."]]}))
    if fnc:
        (tmp_path / "fnc-1").mkdir()
        with (tmp_path / "fnc-1" / "train_bodies.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["Body ID", "articleBody"])
            for i in range(fnc):
                writer.writerow([i, f"A body about storm number {i}, with several words in it."])
            writer.writerow([fnc, "A body about storm number 0, with several words in it."])  # the same text
            writer.writerow([fnc + 1, "  "])
    return tmp_path


def test_first_then_basil_then_fnc1_bodies_each_once(tmp_path):
    root = _datasets(tmp_path)
    demo = Article(id="d", text="A demo article.", language="en")
    got, copies = distinct_news(root, articles=5, first=[demo])
    assert copies == 0 and got[0].id == "d"
    assert got[1].outlet == "fox" and got[1].text.startswith("Council vote")
    assert [a.text for a in got[3:]] == [f"A body about storm number {i}, with several words in it." for i in (0, 1)]
    assert len({a.id for a in got}) == 5


def test_past_the_end_copies_are_marked_distinct_and_counted(tmp_path):
    root = _datasets(tmp_path, basil=1, fnc=0)
    got, copies = distinct_news(root, articles=3)
    assert copies == 2 and got[1].text.endswith("Copy 2.") and got[2].text.endswith("Copy 3.")
    assert len({a.id for a in got}) == 3


def test_words_decide_and_sets_not_needed_are_not_read(tmp_path):
    demo = Article(id="d", text="one two three four", language="en")
    assert distinct_news(tmp_path / "nowhere", words=4, first=[demo]) == ([demo], 0)
    got, _ = distinct_news(_datasets(tmp_path), words=20)
    assert sum(len(a.text.split()) for a in got) >= 20


def test_without_basil_a_one_line_error(tmp_path):
    with pytest.raises(ConfigError, match="no BASIL articles found"):
        distinct_news(tmp_path, articles=1)
