"""Entity canonicalisation a batch of articles at a time, against the entities already stored.

A run from scratch (``analyze --redo``, a new store, a new version of the rules) reads every mention
(``canonical.canonicalize``). Otherwise only the mentions of new or changed articles are read,
together with the stored mentions they could join, found through indexed lookup keys (the store's
``name_keys``): the same name key, a surname or the last words of a name ("Obama", "the Ledger"),
a given name for a lone one ("Hillary"), an acronym and the names whose initials spell it, keys a
letter or two apart. Every mention of each stored entity those belong to is read too, and the
rules run over that neighbourhood, the story around each article being found over the whole store
(``StoredStories``). The entities of the neighbourhood are then replaced by what the rules make of
it; the rest of the store is not read.

An alias a later article makes ambiguous (a second name whose initials spell a stored acronym, a
second person of a stored surname) is found through its keys and read again. Where this can still
differ from a run from scratch: what the rules count over the corpus is counted over the
neighbourhood. An article the batch shares no name key with keeps what its short names were
resolved to, even when the batch changes how rare its names are and so which articles make up its
story; a lone given name stored before its full name appears stays a name of its own; a name's
type, and the gender a given name implies, are voted over the neighbourhood. ``analyze --redo``
canonicalises from scratch.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache

from rapidfuzz import fuzz

from ..model import content_id
from .canonical import (
    FUZZY_MIN_LENGTH,
    FUZZY_MIN_RATIO,
    MentionRef,
    canonicalize_corpus,
    find_definitions,
    find_title,
    initials,
    is_acronym,
    read_names,
    significant,
    story_keys,
)
from .keys import phonetic_key
from .name_graph import Corpus
from .names import given_key, is_suffix
from .stories_near import COMMON_MIN_ARTICLES, COMMON_SHARE, STORY_MIN_SIMILARITY

STAGE = "entities"
# Bumped when the lookup keys change, so that the next run starts from scratch.
VERSION = "1"


def mention_refs(rows: Iterable[tuple[dict, str]]) -> tuple[list[MentionRef], list[tuple[str, int, int]]]:
    """Mention rows (with their article's text) as canonicalisation reads them, and where each is."""
    refs, where = [], []
    for row, text in rows:
        start, end = row["start"], row["end"]
        refs.append(MentionRef(row["article_id"], start, end, row["label"], text[start:end], row["normal"],
                               find_definitions(text, end), find_title(text, start)))
        where.append((row["article_id"], start, end))
    return refs, where


def lookup_keys(corpus: Corpus, i: int) -> Iterator[tuple[str, str]]:
    """The (kind, value) keys mention ``i`` is found by, and finds others by (see ``store.schema.name_keys``)."""
    yield from _name_lookups(corpus.names[i], corpus.keys[i])
    if corpus.refs[i].defines:
        yield "a", corpus.refs[i].defines.upper()


@lru_cache(maxsize=1 << 16)
def _name_lookups(name: str, key: str) -> tuple[tuple[str, str], ...]:
    out = []
    words = [w for w in name.split() if not is_suffix(w)]
    for k in range(len(words)):  # the whole name and its last words
        if value := phonetic_key(" ".join(words[k:])):
            out.append(("n", value))
    if key:
        out.append(("n", key))
    if len(words) > 1 and (given := given_key(words[0])):
        out.append(("g", given))
    if is_acronym(name):
        out.append(("a", name.replace(".", "").upper()))
    if len(significant(name)) >= 2:
        out.append(("a", initials(name)))
    return tuple(out)


def key_rows(corpus: Corpus, idx: Iterable[int]) -> list[tuple[str, str, str, int]]:
    """The rows of ``name_keys`` for these mentions: their lookup keys and story keys."""
    rows = set()
    for i in idx:
        ref = corpus.refs[i]
        rows.update((kind, value, ref.article_id, ref.start) for kind, value in lookup_keys(corpus, i))
        if corpus.story_keys[i]:
            rows.add(("s", corpus.story_keys[i], ref.article_id, ref.start))
    return sorted(rows)


def canonicalize_batch(store, article_ids: list[str]) -> int:
    """Canonicalise the mentions of ``article_ids`` against the stored entities; returns how many
    entities the neighbourhood holds."""
    wanted = set(article_ids)
    new_refs, new_where = mention_refs(store.mention_rows(article_ids))
    batch = read_names(new_refs)
    spots = _neighbours(store, batch, wanted)
    touched = store.entity_ids_at(spots)
    spots |= _outside(store.spots_of_entities(touched), wanted)
    first = True
    while True:
        old_refs, old_where = mention_refs(store.mention_rows_at(spots))
        corpus = read_names(new_refs + old_refs)
        # a stored entity, apart, with an id the neighbourhood may give one of its own: read it in
        # too (before the rules run, which then run once in nearly every batch)
        clash = store.existing_entities(_possible_ids(corpus)) - touched
        if not clash:
            if first:  # the batch's story keys count in the story statistics the rules read
                _story_only(corpus)
                store.replace_name_keys(article_ids, key_rows(corpus, range(len(new_refs))))
                first = False
            stories = StoredStories(store)
            stories.prefetch(r.article_id for r in corpus.refs)
            found, ids = canonicalize_corpus(corpus, stories)
            clash = store.existing_entities(e.id for e in found) - touched
            if not clash:
                break
        touched |= clash
        spots |= _outside(store.spots_of_entities(clash), wanted)
    with store.transaction():
        store.replace_name_keys(article_ids, key_rows(corpus, range(len(new_refs))))
        store.drop_entities(touched)
        where = new_where + old_where
        store.save_entities(found, [(*w, eid) for w, eid in zip(where, ids, strict=True)])
        store.mark_done_many(STAGE, article_ids, VERSION)
    return len(found)


def _possible_ids(corpus: Corpus) -> set[str]:
    """The ids an entity named by one of these names could take (``canonical._make_entity``)."""
    groups = {*corpus.groups, "person"}
    return {content_id("entity", group, phonetic_key(name) or name.casefold())
            for name in set(corpus.names) for group in groups}


def _story_only(corpus: Corpus) -> None:
    corpus.story_keys = [key for _, key in story_keys(corpus)]


def _neighbours(store, batch: Corpus, wanted: set[str]) -> set[tuple[str, int]]:
    """The stored mentions (outside the batch's articles) the batch's mentions could join."""
    values: dict[str, set[str]] = {"n": set(), "a": set(), "g": set()}
    for i in range(len(batch.refs)):
        for kind, value in lookup_keys(batch, i):
            values["n" if kind == "g" else kind].add(value)
        name = batch.names[i]
        if len(name.split()) == 1 and (given := given_key(name)):
            values["g"].add(given)  # a lone word may be a given name ("Hillary")
    values["n"] |= _fuzzy_keys(store, batch)
    spots: set[tuple[str, int]] = set()
    for kind, found in values.items():
        spots |= store.spots_with_keys(kind, found)
    return _outside(spots, wanted)


def _outside(spots: set[tuple[str, int]], articles: set[str]) -> set[tuple[str, int]]:
    return {s for s in spots if s[0] not in articles}


def _fuzzy_keys(store, batch: Corpus) -> set[str]:
    """Stored keys a letter or two from a long key of the batch (what ``canonical._fuzzy`` joins)."""
    out: set[str] = set()
    by_prefix: dict[str, list[str]] = {}
    for key, group in zip(batch.keys, batch.groups, strict=True):
        if len(key) >= FUZZY_MIN_LENGTH and group != "person":
            stored = by_prefix.setdefault(key[:2], store.key_values_from("n", key[:2]))
            out.update(k for k in stored if len(k) >= FUZZY_MIN_LENGTH and fuzz.ratio(key, k) >= FUZZY_MIN_RATIO)
    return out


class StoredStories:
    """The story around an article (``stories_near.neighbours``), found on demand over the story
    keys of the whole store: the article's bag, the articles sharing its rarer keys, their bags."""

    def __init__(self, store) -> None:
        self.store = store
        self.n = store.count_story_articles()
        self.common = max(COMMON_MIN_ARTICLES, COMMON_SHARE * self.n)
        self._bags: dict[str, Counter[str]] = {}
        self._df: dict[str, int] = {}
        self._postings: dict[str, list[str]] = {}
        self._found: dict[str, frozenset[str]] = {}
        self._vectors_of: dict[str, dict[str, float]] = {}

    def prefetch(self, articles: Iterable[str]) -> None:
        """Read what the stories of ``articles`` need in a few bulk queries instead of a few per
        article: their bags, the articles sharing their rarer keys, and those articles' bags."""
        articles = sorted(set(articles) - self._bags.keys())
        self._vectors(articles)
        rare = {k for a in articles for k in self._bags[a] if self._df[k] <= self.common} - self._postings.keys()
        found = self.store.story_postings(rare)
        self._postings.update({k: found.get(k, []) for k in rare})
        self._vectors(sorted({o for k in rare for o in self._postings[k]}))

    def get(self, article: str, default=frozenset()) -> frozenset[str]:
        if article not in self._found:
            self._found[article] = self._neighbours(article)
        return self._found[article] or default

    def _neighbours(self, article: str) -> frozenset[str]:
        mine = self._vectors([article]).get(article)
        if not mine:
            return frozenset()
        others: set[str] = set()
        for key in mine:
            if self._df[key] <= self.common:
                if key not in self._postings:
                    self._postings[key] = self.store.story_articles(key)
                others.update(self._postings[key])
        others.discard(article)
        vectors = self._vectors(sorted(others))
        scores = {o: sum(w * v.get(k, 0.0) for k, w in mine.items() if self._df[k] <= self.common)
                  for o, v in vectors.items()}
        return frozenset(o for o, s in scores.items() if s >= STORY_MIN_SIMILARITY)

    def _vectors(self, articles: list[str]) -> dict[str, dict[str, float]]:
        missing = [a for a in articles if a not in self._bags]
        if missing:
            found = self.store.story_bags(missing)
            for a in missing:
                self._bags[a] = found.get(a, Counter())
        keys = {k for a in articles for k in self._bags[a]} - self._df.keys()
        if keys:
            self._df.update(self.store.story_key_counts(keys))
        for a in articles:
            if a not in self._vectors_of:
                weights = {k: (1 + math.log(c)) * math.log((self.n + 1) / self._df[k])
                           for k, c in self._bags[a].items()}
                norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
                self._vectors_of[a] = {k: w / norm for k, w in weights.items()}
        return {a: self._vectors_of[a] for a in articles}
