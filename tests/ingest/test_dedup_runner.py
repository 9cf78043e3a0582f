from datetime import datetime

import numpy as np
import pytest

from narrascope.engine import SerialEngine
from narrascope.ingest import ingest_paths
from narrascope.ingest.dedup import MinHasher, earlier, similarity

STORY = [
    "The energy ministry announced on Monday that three companies had been shortlisted for the new plant.",
    "According to the ministry, the plant will cost about twelve billion dollars and produce 2.4 gigawatts.",
    "A final decision is expected before the end of the year, the minister told reporters in the capital.",
    "Environmental groups said they would challenge the project in court if the site is not moved.",
    "Local residents remain divided, with many hoping for jobs and others worried about safety.",
]
OTHER = [
    "Heavy snow closed the northern highway for the second time this week, police said on Friday.",
    "Drivers were advised to avoid the mountain pass until the ploughs have cleared the road.",
    "The weather service expects temperatures to rise again from Sunday onwards.",
]


def write(path, lines, outlet=None, date=None):
    head = [f"{date}"] if date else []
    tail = [f"© 2025 {outlet}"] if outlet else []
    path.write_text(
        "\n".join(["Ministry shortlists three bidders", *head, *lines, *tail]) + "\n", encoding="utf-8"
    )
    return path


def by_outlet(store):
    return {a.outlet: a for a in store.iter_articles()}


def test_exact_copy_from_another_outlet_links_to_the_earlier_original(tmp_path, store, settings):
    write(tmp_path / "a.txt", STORY, "Alpha Post", "10.03.2025")
    write(tmp_path / "b.txt", STORY, "Beta Daily", "12.03.2025")
    report = ingest_paths([str(tmp_path)], store, settings)
    assert len(report.added) == 2 and report.duplicates == 1
    arts = by_outlet(store)
    assert arts["Beta Daily"].duplicate_of == arts["Alpha Post"].id
    assert arts["Beta Daily"].duplicate_kind == "exact"
    assert arts["Alpha Post"].duplicate_of is None


def test_near_copy_with_an_added_line(tmp_path, store, settings):
    write(tmp_path / "a.txt", STORY, "Alpha Post", "10.03.2025")
    write(
        tmp_path / "b.txt",
        [*STORY, "This article first appeared in Alpha Post and is republished here."],
        "Beta Daily",
        "11.03.2025",
    )
    ingest_paths([str(tmp_path)], store, settings)
    copy = by_outlet(store)["Beta Daily"]
    assert copy.duplicate_kind == "near"
    assert 0.8 <= copy.duplicate_similarity < 1


def test_different_stories_are_not_duplicates(tmp_path, store, settings):
    write(tmp_path / "a.txt", STORY, "Alpha Post")
    write(tmp_path / "b.txt", OTHER, "Beta Daily")
    report = ingest_paths([str(tmp_path)], store, settings)
    assert report.duplicates == 0


def test_an_earlier_original_arriving_later_takes_over(tmp_path, store, settings):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "three").mkdir()
    write(tmp_path / "one" / "copy.txt", STORY, "Beta Daily", "12.03.2025")
    write(tmp_path / "two" / "copy2.txt", STORY, "Gamma News", "13.03.2025")
    ingest_paths([str(tmp_path / "one"), str(tmp_path / "two")], store, settings)
    write(tmp_path / "three" / "orig.txt", STORY, "Alpha Post", "10.03.2025")
    ingest_paths([str(tmp_path / "three")], store, settings)  # a later run: the index lives in the store
    arts = by_outlet(store)
    assert arts["Alpha Post"].duplicate_of is None
    assert arts["Beta Daily"].duplicate_of == arts["Alpha Post"].id
    assert arts["Gamma News"].duplicate_of == arts["Alpha Post"].id


def test_reingest_adds_nothing(tmp_path, store, settings):
    write(tmp_path / "a.txt", STORY, "Alpha Post")
    first = ingest_paths([str(tmp_path)], store, settings)
    again = ingest_paths([str(tmp_path)], store, settings)
    assert len(first.added) == 1
    assert len(again.added) == 0 and again.unchanged == 1
    assert store.count_articles() == 1


def test_interrupted_ingest_keeps_whole_batches_and_resumes(tmp_path, store, settings):
    for i in range(7):
        write(
            tmp_path / f"a{i}.txt",
            [f"Item {i}: {line}" for line in (STORY if i % 2 else OTHER)],
            f"Outlet {i}",
        )
    settings = settings.replace({"ingest": {"batch_size": 3}})
    calls = []

    def interrupt_after_five(done, total):
        calls.append(done)
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_paths([str(tmp_path)], store, settings, engine=SerialEngine(), progress=interrupt_after_five)
    # the batch of 3 committed; the two extracted after it were never half-written
    assert store.count_articles() == 3
    resumed = ingest_paths([str(tmp_path)], store, settings)
    assert len(resumed.added) == 4 and resumed.unchanged == 3
    assert store.count_articles() == 7


def test_failure_inside_a_batch_rolls_the_batch_back(tmp_path, store, settings, monkeypatch):
    for i in range(4):
        write(tmp_path / f"a{i}.txt", [f"Item {i}: {line}" for line in OTHER], f"Outlet {i}")
    real_add = store.add_article
    seen = []

    def failing_add(article, **kw):
        seen.append(article.id)
        if len(seen) == 3:
            raise RuntimeError("disk full")
        return real_add(article, **kw)

    monkeypatch.setattr(store, "add_article", failing_add)
    with pytest.raises(RuntimeError):
        ingest_paths([str(tmp_path)], store, settings)
    assert store.count_articles() == 0


def test_minhash_similarity_tracks_overlap():
    h = MinHasher()
    a = h.signature(" ".join(STORY))
    b = h.signature(" ".join([*STORY, "One more closing sentence added by the relaying outlet."]))
    c = h.signature(" ".join(OTHER))
    assert similarity(a, a) == 1.0
    assert similarity(a, b) > 0.8
    assert similarity(a, c) < 0.2
    assert a.dtype == np.uint32 and len(h.band_keys(a)) == h.bands


def test_earlier_needs_both_dates():
    assert earlier(datetime(2025, 1, 1), datetime(2025, 1, 2))
    assert not earlier(None, datetime(2025, 1, 2))
    assert not earlier(datetime(2025, 1, 3), None)


def test_parallel_engine_gives_the_same_articles(tmp_path, settings):
    from narrascope.engine import LocalEngine
    from narrascope.store import SQLStore

    for i in range(6):
        write(tmp_path / f"a{i}.txt", [f"Item {i}: {line}" for line in STORY], f"Outlet {i}")
    serial, parallel = SQLStore.memory(), SQLStore.memory()
    ingest_paths([str(tmp_path)], serial, settings, engine=SerialEngine())
    ingest_paths([str(tmp_path)], parallel, settings, engine=LocalEngine(2))
    assert [a.id for a in serial.iter_articles()] == [a.id for a in parallel.iter_articles()]


# -- ids come from the raw input, not the cleaned text ----------------------------------------

FURNITURE = "Harbour Gazette evening edition"


def test_a_file_ingested_alone_after_its_folder_is_already_stored(tmp_path, store, settings):
    # A short line shared by three files of one folder is furniture, removed only when the
    # folder is read together: the cleaned text of s1.txt differs between the two runs.
    grp = tmp_path / "grp"
    grp.mkdir()
    for i, lines in enumerate((STORY, OTHER, [f"Item two: {line}" for line in STORY])):
        (grp / f"s{i + 1}.txt").write_text("\n".join([FURNITURE, *lines, FURNITURE]) + "\n", encoding="utf-8")
    first = ingest_paths([str(grp)], store, settings)
    assert len(first.added) == 3
    texts = {a.path: a.text for a in store.iter_articles()}
    assert FURNITURE not in texts[str(grp / "s1.txt")]

    again = ingest_paths([str(grp / "s1.txt")], store, settings)

    assert again.added == [] and again.unchanged == 1
    assert store.count_articles() == 3


def test_article_id_does_not_depend_on_cleaner_settings_or_a_lifted_outlet(tmp_path, settings):
    from narrascope.ingest.extract import prepare
    from narrascope.ingest.raw import RawDoc
    from narrascope.ingest.runner import options_from
    from narrascope.model import article_id

    body = "\n".join([*STORY, "© 2025 Alpha Post"])
    doc = RawDoc("a.txt", body, "text", "a.txt")
    strict = options_from(settings.replace({"ingest": {"clean": {"prose_min_words": 12}}}))
    loose = options_from(settings)
    a, b = prepare(doc, strict), prepare(doc, loose)
    assert a.article.outlet == "Alpha Post"  # lifted from the © line...
    assert a.article.id == b.article.id == article_id(body, None, None)  # ...but not part of the id
    given = prepare(RawDoc("a.txt", body, "text", "a.txt", meta={"outlet": "Beta Daily"}), loose)
    assert given.article.id == article_id(body, None, "Beta Daily")  # an outlet stated is


# -- re-linking when the original arrives after its copies ------------------------------------

RELAYED = "This article first appeared in Alpha Post and is republished with permission here."
EXTRA = "A spokesman for the ministry declined to comment further on the shortlist on Tuesday."


def test_relinking_judges_every_copy_against_the_new_original(tmp_path, store, settings):
    from narrascope.ingest.dedup import similarity

    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    write(tmp_path / "one" / "beta.txt", [*STORY, RELAYED, EXTRA], "Beta Daily", "12.03.2025")
    write(tmp_path / "one" / "gamma.txt", [*STORY, RELAYED], "Gamma News", "13.03.2025")
    ingest_paths([str(tmp_path / "one")], store, settings)
    before = by_outlet(store)
    assert before["Gamma News"].duplicate_of == before["Beta Daily"].id
    assert before["Gamma News"].duplicate_kind == "near"

    # The original: published first, word for word what Gamma relayed.
    write(tmp_path / "two" / "alpha.txt", [*STORY, RELAYED], "Alpha Post", "10.03.2025")
    report = ingest_paths([str(tmp_path / "two")], store, settings)

    arts = by_outlet(store)
    alpha, beta, gamma = arts["Alpha Post"], arts["Beta Daily"], arts["Gamma News"]
    assert alpha.duplicate_of is None
    assert (gamma.duplicate_of, gamma.duplicate_kind, gamma.duplicate_similarity) == (alpha.id, "exact", 1.0)
    sigs = store.signatures_of([alpha.id, beta.id])
    expected = round(similarity(sigs[alpha.id], sigs[beta.id]), 4)
    assert (beta.duplicate_of, beta.duplicate_kind, beta.duplicate_similarity) == (alpha.id, "near", expected)
    assert expected < 1
    assert report.relinked == 2
    assert "2 stored article(s) re-linked" in report.summary()


def test_a_copy_read_before_its_original_in_one_run_is_reported_as_a_copy(tmp_path, store, settings):
    write(tmp_path / "a-copy.txt", STORY, "Beta Daily", "12.03.2025")
    write(tmp_path / "b-original.txt", STORY, "Alpha Post", "10.03.2025")
    report = ingest_paths([str(tmp_path)], store, settings)
    assert report.duplicates == 1 and report.relinked == 1
    copy = next(a for a in report.added if a.outlet == "Beta Daily")
    assert copy == store.get_article(copy.id)  # the report's article is the stored one
