"""Search on a hand-built store's index: Russian stemming, English as before, bounded queries,
searches that run side by side, and an index kept up to date with the store a change at a time."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from narrascope.model import Annotations, Article, Claim, Stance
from narrascope.store import SQLStore
from narrascope.web import search as search_module
from narrascope.web.search import (
    MAX_EXPANSIONS,
    MAX_WORDS,
    Filters,
    IndexVocabulary,
    QueryRefused,
    SearchIndex,
    fts_query,
)
from narrascope.web.stemming import stem_ru

ARTICLES = [
    Article("ru1", "Каравия отказалась от российских кредитов. Правительство Каравии заявило об этом в среду.",
            title="Каравия и кредиты", outlet="Орда", language="ru"),
    Article("ru2", "Власти говорят о Каравийском пути и о газе, а не о газетах.", outlet="Орда", language="ru"),
    Article("ru3", "Береговая охрана пришла к берёзовой роще.", outlet="Орда", language="ru"),
    Article("en1", "The council approved new sanctions on Tuesday. Sanctioning banks was discussed.",
            title="Sanctions approved", outlet="Brenn Daily", language="en"),
    # Many words starting with "a": a prefix standing for more than the bound.
    Article("en2", " ".join(f"a{n}" for n in range(MAX_EXPANSIONS + 5)), outlet="Brenn Daily", language="en"),
]


def _store(folder, articles: list[Article], claims: dict[str, list[Claim]]) -> SQLStore:
    store = SQLStore(str(folder / "store.db"))
    for a in articles:
        store.add_article(a)
    for aid, found in claims.items():
        store.save_annotations(Annotations(aid, claims=found))
    return store


def _index(folder) -> SearchIndex:
    folder.mkdir(parents=True, exist_ok=True)
    store = _store(folder, ARTICLES, {"ru1": [Claim("c1", "ru1", 0, 41, 0.9)]})
    index = SearchIndex(str(folder / "index.db"))
    index.refresh(store, 0.5)
    store.close()
    return index


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return _index(tmp_path_factory.mktemp("search"))


def _found(index, query: str) -> set[str]:
    return {h.ref for h in index.search(query, Filters(), limit=50).articles}


def test_a_russian_word_finds_its_other_forms(index):
    assert stem_ru("каравии") == stem_ru("каравия") == "карав"
    assert _found(index, "Каравии") == {"ru1"}
    assert _found(index, "каравию") == {"ru1"}  # a form the corpus never uses
    results = index.search("Каравии", Filters())
    marked = {text for hit in results.articles for text, hit_word in hit.parts if hit_word}
    assert {"Каравия", "Каравии"} <= marked
    assert [h.ref for h in results.claims] == ["c1"]
    # Words sharing letters but not the stem stay apart: "газ" is not "газета", an adjective is not the name.
    assert _found(index, "газом") == {"ru2"}
    assert "газетах" not in {t for h in index.search("газом", Filters()).articles for t, w in h.parts if w}
    assert _found(index, "Каравийский") == {"ru2"}


def test_english_search_is_unchanged(index):
    assert _found(index, "sanction") == {"en1"}
    assert _found(index, "sanctions OR Каравия") == {"en1", "ru1"}
    assert _found(index, '"new sanctions"') == {"en1"}
    assert _found(index, '"sanctions new"') == set()
    assert _found(index, "sanct*") == {"en1"}
    with index._connection(time.monotonic() + 2) as db:
        assert fts_query("trade turnover", IndexVocabulary(db)) == '"trade" "turnover"'


def test_a_query_with_too_many_words_is_refused(index):
    with pytest.raises(QueryRefused, match=f"more than {MAX_WORDS} words") as refused:
        index.search(" ".join(["a*"] * 500), Filters())
    assert refused.value.status_code == 400
    assert len(_found(index, " ".join(["council"] * MAX_WORDS))) == 1


def test_a_prefix_standing_for_too_many_words_is_refused(index):
    with pytest.raises(QueryRefused, match=rf"'a\*' stands for more than {MAX_EXPANSIONS} words; give more letters"):
        index.search("a*", Filters())
    assert _found(index, "a1*") == {"en2"}  # a1, a10-a19, a100-a199: within the bound


def test_a_search_past_its_time_is_stopped_with_a_400(index, monkeypatch):
    monkeypatch.setattr(search_module, "SEARCH_SECONDS", 0.0)
    monkeypatch.setattr(search_module, "_PROGRESS_STEPS", 1)
    with pytest.raises(QueryRefused, match=r"took more than 0 s and was stopped"):
        index.search("council", Filters())
    monkeypatch.undo()
    assert _found(index, "council") == {"en1"}  # the connection answers again


def test_a_stuck_search_does_not_hold_up_another(monkeypatch, tmp_path):
    index = _index(tmp_path)
    entered, release = threading.Event(), threading.Event()
    deadline_passed = search_module._deadline_passed
    slow_thread: list[int] = []

    def stall_one_thread(deadline: float) -> bool:
        if threading.get_ident() in slow_thread:
            entered.set()
            release.wait(10)
        return deadline_passed(deadline)

    monkeypatch.setattr(search_module, "_deadline_passed", stall_one_thread)
    monkeypatch.setattr(search_module, "_PROGRESS_STEPS", 1)
    done: list[set[str]] = []

    def slow() -> None:
        slow_thread.append(threading.get_ident())
        done.append(_found(index, "sanctions"))

    worker = threading.Thread(target=slow)
    worker.start()
    try:
        assert entered.wait(10)  # the other thread is inside SQLite, mid-search
        assert _found(index, "Каравии") == {"ru1"}  # answered meanwhile, not queued behind it
        assert not done
    finally:
        release.set()
        worker.join(10)
    assert done == [{"en1"}]


def test_the_dashboard_answers_a_refused_search_with_one_line_of_json(dashboard_app):
    with TestClient(dashboard_app, base_url="http://127.0.0.1") as client:
        response = client.get("/search", params={"q": " ".join(["a*"] * 500)},
                              headers={"Accept": "application/json"})
        assert response.status_code == 400
        assert response.json() == {"error": {"status": 400, "title": "Bad request", "message":
                                             f"the query has more than {MAX_WORDS} words; search for fewer at once"}}
        page = client.get("/search", params={"q": " ".join(["a*"] * 500)})
        assert page.status_code == 400 and "search for fewer at once" in page.text


def test_e_and_yo_are_one_letter_to_search(index):
    from narrascope.web.search import _yo_spellings

    assert _yo_spellings("берез") == ["берез", "берёз", "бёрез", "бёрёз"]
    assert _found(index, "березовой") == {"ru3"}  # typed with е, written with ё
    assert _found(index, "берёзовая") == {"ru3"}
    marked = {t for h in index.search("березовой", Filters()).articles for t, w in h.parts if w}
    assert marked == {"берёзовой"}  # "Береговая" shares the letters бере- but not the stem



def test_marker_characters_in_an_article_do_not_move_the_highlight(tmp_path):
    """U+E000/U+E001 are search's own hit marks; scraped icon-font text may hold them too."""
    icons = Article("icon1", "bridge \ue000will open in May. Icon \ue001 text",
                    title="Icon \ue001 news \ue000", outlet="Brenn Daily", language="en")
    store = _store(tmp_path, [icons], {"icon1": [Claim("c1", "icon1", 0, len(icons.text), 0.9)]})
    index = SearchIndex(str(tmp_path / "index.db"))
    index.refresh(store, 0.5)
    for field_name in ("articles", "claims"):
        hits = getattr(index.search("bridge", Filters()), field_name)
        assert len(hits) == 1, field_name
        assert [t for t, w in hits[0].parts if w] == ["bridge"], (field_name, hits[0].parts)
        text = "".join(t for t, _ in hits[0].parts)
        assert "will open in May. Icon" in text and "\ue000" not in text and "\ue001" not in text
    title_hits = index.search("news", Filters()).articles
    assert [[t for t, w in h.parts if w] for h in title_hits] == [["news"]]
    assert _found(index, "will") == {"icon1"}  # the mark no longer glues itself to the next word


# -- the index follows the store a change at a time -----------------------------------------------------


def test_the_index_follows_the_store_a_change_at_a_time(tmp_path):
    import numpy as np

    store = _store(tmp_path, ARTICLES[:4], {"en1": [Claim("c-en", "en1", 0, 47, 0.8)]})
    index = SearchIndex(str(tmp_path / "index.db"))
    first = index.refresh(store, 0.5)
    assert (first.added, first.dropped) == (5, 0)  # four articles and one claim
    again = index.refresh(store, 0.5)
    assert (again.added, again.dropped) == (0, 0)  # nothing changed: nothing read but the keys

    store.add_article(ARTICLES[4])
    assert (index.refresh(store, 0.5).added, _found(index, "a17")) == (1, {"en2"})

    changed = Article("en1", "The council lifted the ferry embargo on Friday.", title="Embargo lifted",
                      outlet="Brenn Daily", language="en")
    store.update_article(changed, minhash=np.zeros(4, dtype=np.uint64), band_keys=[])
    store.save_annotations(Annotations("en1", claims=[Claim("c-en", "en1", 0, 47, 0.8)]))
    refreshed = index.refresh(store, 0.5)
    assert refreshed.added == 2  # the article and its claim, whose text is the new one
    assert _found(index, "embargo") == {"en1"} and _found(index, "sanctions") == set()
    assert [h.ref for h in index.search("embargo", Filters()).claims] == ["c-en"]

    store.save_annotations(Annotations("en1", claims=[]))  # enriched again: the claim is gone
    assert index.refresh(store, 0.5).dropped == 1
    assert index.search("embargo", Filters()).claims == []


def test_stances_in_the_index_follow_the_store(tmp_path):
    store = _store(tmp_path, ARTICLES[:4], {})
    index = SearchIndex(str(tmp_path / "index.db"))
    store.save_stances([Stance("t1", "ru1", "support", 0.9, []), Stance("t1", "en1", "unrelated", 0.9, [])], "v")
    index.refresh(store, 0.5)

    def taking(stance=None) -> set[str]:
        return {h.ref for h in index.search(None, Filters(thesis="t1", stance=stance), limit=50).articles}

    assert taking() == {"ru1"} and taking("support") == {"ru1"}
    store.save_stances([Stance("t1", "ru1", "oppose", 0.9, []), Stance("t1", "en1", "discuss", 0.6, [])], "v2")
    index.refresh(store, 0.5)
    assert taking() == {"ru1", "en1"} and taking("support") == set() and taking("oppose") == {"ru1"}


def test_claims_are_listed_most_check_worthy_first(tmp_path):
    text = "The port reopened. The port closed. The port was sold."
    store = _store(tmp_path, [Article("p1", text, outlet="Port News", language="en")],
                   {"p1": [Claim("low", "p1", 0, 18, 0.55), Claim("high", "p1", 19, 35, 0.97),
                           Claim("mid", "p1", 36, 54, 0.7), Claim("unworthy", "p1", 36, 54, 0.2)]})
    index = SearchIndex(str(tmp_path / "index.db"))
    index.refresh(store, 0.5)
    assert [h.ref for h in index.search("port", Filters()).claims] == ["high", "mid", "low"]


def test_the_index_is_kept_between_runs_and_remade_when_its_layout_changes(tmp_path):
    store = _store(tmp_path, ARTICLES[:2], {})
    path = str(tmp_path / "index.db")
    assert SearchIndex(path).refresh(store, 0.5).added == 2
    reopened = SearchIndex(path)  # a server started again reads nothing it has already indexed
    assert reopened.refresh(store, 0.5).added == 0 and _found(reopened, "Каравии") == {"ru1"}
    reopened._writer.execute("UPDATE state SET value = 'old' WHERE key = 'version'")
    reopened._writer.commit()
    remade = SearchIndex(path)
    assert remade.indexed_articles() == 0 and remade.refresh(store, 0.5).added == 2


def test_a_refresh_can_be_stopped_between_batches(tmp_path, monkeypatch):
    from narrascope.web import search_sync

    monkeypatch.setattr(search_sync, "BATCH", 2)
    store = _store(tmp_path, ARTICLES, {})
    index = SearchIndex(str(tmp_path / "index.db"))
    stop = threading.Event()
    stop.set()
    stopped = index.refresh(store, 0.5, stop)
    assert stopped.stopped and stopped.added == 2  # one batch committed, then it stopped
    assert index.refresh(store, 0.5).added == 3  # the next refresh picks up where it left off


def test_the_index_file_lives_in_the_configured_folder(tmp_path, monkeypatch):
    from narrascope.web.dashboard import search_index_path

    here = search_index_path(str(tmp_path / "a.db"), str(tmp_path / "idx"))
    assert here.startswith(str(tmp_path / "idx")) and here != search_index_path(str(tmp_path / "b.db"), str(tmp_path / "idx"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert search_index_path("postgresql://u@h/db").startswith(str(tmp_path / "cache" / "narrascope"))


def test_a_damaged_index_file_is_made_again_from_the_store(tmp_path):
    store = _store(tmp_path, ARTICLES[:2], {})
    path = tmp_path / "index.db"
    path.write_bytes(b"this is not an SQLite database, just bytes " * 100)
    index = SearchIndex(str(path))
    assert index.refresh(store, 0.5).added == 2 and _found(index, "Каравии") == {"ru1"}


def test_a_word_in_more_articles_than_the_cap_ranks_and_counts_the_newest_only(tmp_path, monkeypatch):
    monkeypatch.setattr(search_module, "MATCH_CAP", 3)
    many = [Article(f"m{n}", f"Ferries sail again on day {n}." + (" Ferries, ferries." if n == 1 else ""),
                    outlet="Port News", language="en") for n in range(6)]
    store = _store(tmp_path, many, {"m0": [Claim("f0", "m0", 0, 16, 0.9)], "m5": [Claim("f5", "m5", 0, 16, 0.8)]})
    index = SearchIndex(str(tmp_path / "index.db"))
    index.refresh(store, 0.5)
    store.close()
    found = index.search("ferries", Filters(), limit=10)
    assert (found.article_total, found.articles_more) == (3, True)
    assert {h.ref for h in found.articles} == {"m3", "m4", "m5"}  # m1 says it three times, but is older than the cap
    assert (found.claim_total, found.claims_more, [h.ref for h in found.claims]) == (2, False, ["f0", "f5"])


def test_a_refresh_reads_only_the_articles_changed_since_the_last(tmp_path, monkeypatch):
    from narrascope.web import search_sync

    store = _store(tmp_path, ARTICLES[:4], {"en1": [Claim("c-en", "en1", 0, 47, 0.8)]})
    index = SearchIndex(str(tmp_path / "index.db"))
    index.refresh(store, 0.5)  # a new index: every key compared
    compared, read = [], []
    every_page = search_sync._pages

    def pages(store_, query, keys, to_key):
        for row in every_page(store_, query, keys, to_key):
            read.append(row)
            yield row

    monkeypatch.setattr(search_sync, "_compare_all", lambda *a: compared.append(a))
    monkeypatch.setattr(search_sync, "_pages", pages)
    assert index.refresh(store, 0.5).added == 0 and read == []  # nothing changed: nothing read
    store.save_stances([Stance("t1", "ru1", "support", 0.9, [])], "v")
    store.add_article(ARTICLES[4])
    assert index.refresh(store, 0.5).added == 3  # two articles and the stance
    assert sorted(r.id for r in read) == ["en2", "ru1"] and compared == []
    assert _found(index, "a17") == {"en2"}
    assert {h.ref for h in index.search(None, Filters(thesis="t1"), limit=50).articles} == {"ru1"}
    index.refresh(store, 0.7)  # another threshold: which claims belong in the index is compared again
    assert len(compared) == 1


def test_a_refresh_leaves_the_index_without_a_write_ahead_log(tmp_path):
    store = _store(tmp_path, ARTICLES, {"ru1": [Claim("c1", "ru1", 0, 41, 0.9)]})
    index = SearchIndex(str(tmp_path / "index.db"))
    index.refresh(store, 0.5)
    wal = tmp_path / "index.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    assert _found(index, "sanction") == {"en1"}
