"""The claim vector folder next to the store: a later run reads only new vectors from the store,
and a folder that is stale, cut short or deleted is rebuilt from the store, never trusted."""

import json

import numpy as np
import pytest

from narrascope.embeddings import HashingEmbedder
from narrascope.enrich.runner import STAGE as ENRICH
from narrascope.enrich.runner import VERSION as ENRICH_VERSION
from narrascope.link.claimindex import ClaimIndex
from narrascope.link.vectorfile import VectorFile, folder_for
from narrascope.link.vectors import VectorCache, span_key
from narrascope.model import Annotations, Article, Claim, claim_id
from narrascope.store import SQLStore
from narrascope.store.memory import MemoryStore

EMBEDDER = HashingEmbedder(dim=32)
WORDS = "grain port sanctions tariff pipeline election court drought bank strike census".split()


def add(store, first: int, count: int, cache: bool = True) -> None:
    """``count`` one-claim articles numbered from ``first``, their vectors cached (or not)."""
    vectors = {}
    for n in range(first, first + count):
        text = f"Report {n} on the {WORDS[n % len(WORDS)]} and the {WORDS[(n * 7) % len(WORDS)]} in region {n % 13}."
        aid = f"a{n}"
        store.add_article(Article(aid, text, title=f"t{n}", outlet="Outlet", language="en"))
        ann = Annotations(aid)
        ann.claims.append(Claim(claim_id(aid, 0, len(text)), aid, 0, len(text), 0.9))
        store.save_annotations_batch([ann], stage=ENRICH, version=ENRICH_VERSION)
        vectors[span_key(aid, 0, len(text))] = EMBEDDER.embed([text])[0]
    if cache:
        store.save_vectors(EMBEDDER.name, "span", vectors)


class Counting:
    """The store, counting the vectors read from it."""

    def __init__(self, store) -> None:
        self.store, self.keys_read, self.scans = store, [], 0
        self.db = getattr(store, "db", None)

    def __getattr__(self, name):
        return getattr(self.store, name)

    def load_vectors(self, model, kind, keys):
        self.keys_read += keys
        return self.store.load_vectors(model, kind, keys)

    def iter_vectors(self, model, kind, batch=20_000):
        self.scans += 1
        yield from self.store.iter_vectors(model, kind, batch)


def fill(store, exact_max=None) -> ClaimIndex:
    return ClaimIndex.scan(store, 0.5).fill(store, VectorCache(store, EMBEDDER), exact_max=exact_max)


def stored(store, index: ClaimIndex) -> np.ndarray:
    found = store.load_vectors(EMBEDDER.name, "span", [index.key(p) for p in range(len(index))])
    return np.stack([found[index.key(p)] for p in range(len(index))])


@pytest.fixture
def store(tmp_path):
    made = SQLStore(str(tmp_path / "news.db"))
    yield made
    made.close()


@pytest.mark.parametrize("exact_max", [None, 40])
def test_a_later_run_reads_only_the_new_claims_vectors_from_the_store(store, tmp_path, exact_max):
    add(store, 0, 200)
    first = Counting(store)
    index = fill(first, exact_max)
    assert first.scans == 1 and not first.keys_read  # one bulk scan, nothing read by key
    assert (tmp_path / "news.db.claimvectors" / "meta.json").exists()
    np.testing.assert_array_equal(index.vectors(np.arange(200)), stored(store, index))
    add(store, 200, 5)
    again = Counting(store)
    index = fill(again, exact_max)
    new = {index.key(p) for p in range(200, 205)}
    assert again.scans == 0
    assert new <= set(again.keys_read) and len(set(again.keys_read) - new) <= 64  # the new ones and a sample
    np.testing.assert_array_equal(index.vectors(np.arange(205)), stored(store, index))
    assert json.loads((tmp_path / "news.db.claimvectors" / "meta.json").read_text())["rows"] == 205


def test_the_buckets_are_kept_between_runs_and_new_claims_sorted_into_them(store, tmp_path):
    add(store, 0, 300)
    fill(store, exact_max=40)
    folder = tmp_path / "news.db.claimvectors"
    centres = (folder / "centroids.f32").read_bytes()
    add(store, 300, 10)
    index = fill(store, exact_max=40)
    assert (folder / "centroids.f32").read_bytes() == centres
    lists = np.fromfile(folder / "lists.i32", dtype=np.int32)
    assert len(lists) == 310 and lists.min() >= 0
    found = index.search(np.arange(310), 3)
    assert all(row not in found[row] for row in range(310)) and (found >= 0).all()


def test_queries_go_in_the_order_of_the_bucket_each_claim_was_sorted_into(store, tmp_path):
    add(store, 0, 300)
    index = fill(store, exact_max=40)
    nearest = index.index.quantizer.search(index.vectors(np.arange(300)), 1)[1][:, 0]
    np.testing.assert_array_equal(index.buckets, nearest)  # what the folder kept is each claim's nearest centre
    order = index.by_bucket(np.arange(299, -1, -1))
    assert sorted(order.tolist()) == list(range(300))
    assert (np.diff(nearest[order]) >= 0).all()
    assert fill(store).buckets is None  # an exact index has no buckets: queries stay as given


def test_a_stale_folder_is_rebuilt_from_the_store_never_trusted(store, tmp_path):
    add(store, 0, 50)
    fill(store)
    path = tmp_path / "news.db.claimvectors" / "vectors.f32"
    path.write_bytes(np.ones(50 * 32, dtype=np.float32).tobytes())  # not what the store holds
    file = VectorFile.open(store, EMBEDDER.name, 32, wanted=50)
    assert "is not the store's" in file.rebuilt_because and file.rows == 0
    file.close()
    index = fill(store)
    np.testing.assert_array_equal(index.vectors(np.arange(50)), stored(store, index))


@pytest.mark.parametrize("damage", ["delete", "meta", "short", "other store"])
def test_a_missing_cut_or_foreign_folder_is_rebuilt(store, tmp_path, damage):
    add(store, 0, 50)
    fill(store)
    folder = tmp_path / "news.db.claimvectors"
    if damage == "delete":
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()
    elif damage == "meta":
        (folder / "meta.json").write_text("{not json")
    elif damage == "short":
        (folder / "vectors.f32").write_bytes(b"\0" * 100)
    else:
        other = SQLStore(str(tmp_path / "other.db"))
        add(other, 1000, 50)
        other.close()
        (tmp_path / "news.db.claimvectors").rename(tmp_path / "other.db.claimvectors")
        (tmp_path / "news.db").unlink()
        store = SQLStore(str(tmp_path / "news.db"))  # a new store where the old one was
        add(store, 0, 50)
        (tmp_path / "other.db.claimvectors").rename(folder)
    index = fill(store)
    np.testing.assert_array_equal(index.vectors(np.arange(50)), stored(store, index))
    assert json.loads((folder / "meta.json").read_text())["rows"] == 50


def test_an_interrupted_append_is_overwritten_by_the_next(store, tmp_path):
    add(store, 0, 20)
    fill(store)
    with open(tmp_path / "news.db.claimvectors" / "vectors.f32", "ab") as fh:
        fh.write(b"\x01" * 1000)  # rows written, meta.json never updated
    add(store, 20, 2)
    index = fill(store)
    np.testing.assert_array_equal(index.vectors(np.arange(22)), stored(store, index))
    assert (tmp_path / "news.db.claimvectors" / "vectors.f32").stat().st_size == 22 * 32 * 4


def test_spans_never_embedded_are_embedded_and_a_store_without_a_place_uses_a_temporary_folder():
    store = MemoryStore()
    add(store, 0, 12, cache=False)
    index = fill(store)
    texts = [store.get_articles([f"a{n}"])[0].text for n in range(12)]
    np.testing.assert_allclose(index.vectors(np.arange(12)), EMBEDDER.embed(texts), atol=1e-6)
    assert folder_for(None) is None and folder_for(":memory:") is None


def test_the_folder_of_a_file_is_beside_it_and_of_a_url_in_the_cache(tmp_path, monkeypatch):
    assert folder_for(str(tmp_path / "news.db")) == tmp_path / "news.db.claimvectors"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    one, two = folder_for("postgresql://u:p@h/a"), folder_for("postgresql://u:p@h/b")
    assert one.parent == tmp_path / "cache" / "narrascope" and one != two


def test_a_folder_another_run_holds_is_left_alone(store, tmp_path):
    add(store, 0, 10)
    fill(store)
    held = VectorFile.open(store, EMBEDDER.name, 32, wanted=10)
    try:
        other = VectorFile.open(store, EMBEDDER.name, 32, wanted=10)
        assert other.folder != held.folder and other.rows == 0
        other.close()
        assert not other.folder.exists()
    finally:
        held.close()


def test_an_incremental_link_run_reads_only_the_new_vectors_and_links_as_without_the_folder(tmp_path, monkeypatch,
                                                                                          settings):
    import shutil

    from narrascope.link.runner import link_all

    settings = settings.replace({"link": {"relation_model": "none"}})
    db = tmp_path / "news.db"
    store = SQLStore(str(db))
    add(store, 0, 60)
    link_all(store, settings, embedder=EMBEDDER, stories=False)
    add(store, 60, 6)
    store.close()
    shutil.copyfile(db, tmp_path / "bare.db")  # the same store without a vector folder
    scans, keys = [], []
    real_iter, real_load = SQLStore.iter_vectors, SQLStore.load_vectors
    monkeypatch.setattr(SQLStore, "iter_vectors", lambda self, *a, **k: scans.append(1) or real_iter(self, *a, **k))
    monkeypatch.setattr(SQLStore, "load_vectors", lambda self, m, c, ks: keys.extend(ks) or real_load(self, m, c, ks))
    results = []
    for name in ("news.db", "bare.db"):
        scans.clear()
        keys.clear()
        store = SQLStore(str(tmp_path / name))
        report = link_all(store, settings, embedder=EMBEDDER, stories=False)
        assert report.incremental and report.new_claims == 6
        results.append(([(x.a, x.b, x.relation, x.reason) for x in store.claim_links()], report.groups))
        new = {f"a{n}:0:{len(store.get_articles([f'a{n}'])[0].text)}" for n in range(60, 66)}
        if name == "news.db":
            assert not scans and len(set(keys) - new) <= 64
        else:
            assert scans  # no folder: every vector read, in one scan
        store.close()
    assert results[0] == results[1] and results[0][0]


def test_a_claim_whose_article_text_changed_gets_its_new_vector(store, tmp_path):
    add(store, 0, 100)
    fill(store)
    old = store.get_article("a5")
    text = old.text.replace("Report", "Rumour")  # the same length: the claim keeps its span and key
    assert len(text) == len(old.text) and text != old.text
    store.update_article(Article("a5", text, title="t5", outlet="Outlet", language="en"),
                         minhash=np.zeros(128, dtype=np.uint32), band_keys=[])
    ann = Annotations("a5")
    ann.claims.append(Claim(claim_id("a5", 0, len(text)), "a5", 0, len(text), 0.9))
    store.save_annotations_batch([ann], stage=ENRICH, version=ENRICH_VERSION)
    fresh = EMBEDDER.embed([text])[0]
    store.replace_vectors(EMBEDDER.name, "span", {span_key("a5", 0, len(text)): fresh})
    assert np.array_equal(store.load_vectors(EMBEDDER.name, "span", [span_key("a5", 0, len(text))])
                          [span_key("a5", 0, len(text))], fresh)
    file = VectorFile.open(store, EMBEDDER.name, 32, wanted=100)
    assert file.rebuilt_because == "" and file.rows == 100  # kept: only the changed article's row is read again
    assert span_key("a5", 0, len(text)) not in file.row_of
    file.close()
    index = fill(store)
    np.testing.assert_array_equal(index.vectors(np.arange(100)), stored(store, index))
    assert json.loads((tmp_path / "news.db.claimvectors" / "meta.json").read_text())["rows"] == 101
    # read again, the folder is as of the store's present change number: nothing is forgotten
    file = VectorFile.open(store, EMBEDDER.name, 32, wanted=100)
    assert len(file.row_of) == 100 and file.rebuilt_because == ""
    file.close()


def test_articles_stamped_without_new_vectors_keep_their_rows(store, tmp_path):
    # Every link run is followed by stance writes that stamp its articles: the next run must not
    # read and append all their rows again.
    add(store, 0, 100)
    fill(store)
    for n in range(0, 100, 3):  # stamped, text and vectors unchanged
        old = store.get_article(f"a{n}")
        store.update_article(old, minhash=np.zeros(128, dtype=np.uint32), band_keys=[])
    again = Counting(store)
    index = fill(again)
    meta = json.loads((tmp_path / "news.db.claimvectors" / "meta.json").read_text())
    assert meta["rows"] == 100 and again.scans == 0
    np.testing.assert_array_equal(index.vectors(np.arange(100)), stored(store, index))
    file = VectorFile.open(store, EMBEDDER.name, 32, wanted=100)
    assert len(file.row_of) == 100 and file.rebuilt_because == ""
    file.close()
