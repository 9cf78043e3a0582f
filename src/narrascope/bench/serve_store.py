"""The store `narrascope bench serve` measures: editions of the analyzed demo corpus.

The demo corpus is analyzed once for real (ingest, enrich, link and, when its models are present,
narratives). Running enrich and link on 100,000 articles would take far longer than the benchmark
itself on two cores, so the analysis rows are copied instead: each copy ("edition") of the demo
corpus gets new ids, its names re-spelled by a letter cipher of the same length (so every span
offset stays right), its figures changed by a digit permutation, its dates shifted a day per
edition and its outlets renamed per edition; its claims, links (with their reasons), claim groups
(with their origins), stories, stances, technique spans and the outlet views the narratives stage
stores are the demo's with the same changes. The store then has the shape of a real one: ~1,500
stories of 5-9 articles per 10,000, ~70 outlets per 10,000, one thesis over every article. It is
written in one transaction of bulk inserts.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import time
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import insert

from ..config import default_settings
from ..link.stories import as_utc
from ..model import Annotations, ClaimGroup, ClaimLink, Stance, TechniqueSpan, content_id
from ..store import SQLStore
from ..store.articles import _article_row
from ..store.schema import articles as articles_table
from ..store.schema_narratives import outlet_views, stances

EDITIONS = ("North", "South", "East", "West", "Coast", "Valley", "Metro", "Weekend", "Evening", "Morning")
NAME_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
_VOWELS = ("aeiou", "AEIOU", "аеиоуыэюя", "АЕИОУЫЭЮЯ")
_CONSONANTS = ("bcdfghjklmnprstvz", "BCDFGHJKLMNPRSTVZ", "бвгджзклмнпрстфхцчшщ", "БВГДЖЗКЛМНПРСТФХЦЧШЩ")


class Edition:
    """One copy of the demo corpus: its cipher for names, its digits, its date shift, its ids."""

    def __init__(self, n: int, names: list[str]) -> None:
        rng = random.Random(n)
        self.n = n
        self.shift = timedelta(days=n)
        table: dict[str, str] = {}
        for group in (*_VOWELS, *_CONSONANTS):
            shuffled = rng.sample(group, len(group))
            table.update(zip(group, shuffled, strict=True))
        self.letters = str.maketrans(table)
        self.digits = str.maketrans("123456789", "".join(rng.sample("123456789", 9)))
        self.names = {name: name.translate(self.letters) for name in names}
        self._names_re = re.compile("|".join(rf"\b{re.escape(n)}\b" for n in sorted(names, key=len, reverse=True)))

    def id(self, kind: str, old: str) -> str:
        return content_id(f"bench-{kind}", self.n, old)

    def outlet(self, name: str | None) -> str | None:
        return f"{name} {EDITIONS[self.n % len(EDITIONS)]}" if name else name

    def phrase(self, text: str | None) -> str | None:
        """Names and figures in free text (a reason, a summary, a label) changed as in the articles."""
        if not text:
            return text
        return self._names_re.sub(lambda m: self.names[m.group(0)], text).translate(self.digits)

    def text(self, text: str, ann: Annotations) -> str:
        chars = list(text.translate(self.digits))
        for m in ann.mentions:
            if m.label in NAME_LABELS:
                chars[m.start : m.end] = list("".join(chars[m.start : m.end]).translate(self.letters))
        return "".join(chars)


def _moved(obj, aid: str):
    return dataclasses.replace(obj, article_id=aid)


def analyzed_demo(say) -> SQLStore:
    """The demo corpus in a private store, ingested and analyzed."""
    from ..analysis import analyze
    from ..demo import DEMO_THESIS, corpus_path
    from ..ingest import ingest_paths

    settings = default_settings()
    base = SQLStore.memory()
    started = time.perf_counter()
    with corpus_path() as corpus:
        ingest_paths([str(corpus)], base, settings)
    analyze(base, settings, stages=("enrich", "link"))
    note = "theses and techniques analyzed"
    try:
        analyze(base, settings, [DEMO_THESIS], stages=("narratives",))
    except Exception as exc:  # the narratives stage's models may not be built in this checkout
        note = (f"narratives stage unavailable ({type(exc).__name__}), so stances and technique spans are "
                "placeholders of the same volume")
        _placeholder_narratives(base, DEMO_THESIS)
    say(f"demo corpus analyzed in {time.perf_counter() - started:.0f}s; {note}")
    return base


def build_store(db: str, articles: int, say, base: SQLStore | None = None) -> dict:
    """Write the benchmark store to ``db``; returns what was made and how. ``base``: an analyzed
    store to copy (default: the demo corpus, ingested and analyzed now)."""
    if base is None:
        base = analyzed_demo(say)
    pairs = list(zip(base.iter_articles(), base.iter_annotations(), strict=True))
    names = sorted({a.text[m.start : m.end] for a, ann in pairs for m in ann.mentions
                    if m.label in NAME_LABELS and len(a.text[m.start : m.end]) > 2})
    groups, links, stories = base.claim_groups(), base.claim_links(), base.load_stories()
    members = base.stories_with_articles()
    theses, base_stances, techniques = base.list_theses(), base.list_stances(), base.list_techniques()
    if not base.outlet_view_records("profile"):
        from ..narratives.profiles import store_outlet_views

        store_outlet_views(base)
    views = OutletViews({kind: base.outlet_view_records(kind) for kind in ("stance", "profile")})
    outlets = {a.outlet for a, _ in pairs}
    store = SQLStore(db)
    started = time.perf_counter()
    editions = -(-articles // len(pairs))
    all_links: list[ClaimLink] = []
    all_groups: list[ClaimGroup] = []
    made = 0
    stored: set[str] = set()
    with store.transaction(), store._connect() as conn:  # one transaction, rows inserted in bulk
        store.add_theses(theses)
        for n in range(editions):
            ed = Edition(n, names)
            aid = {a.id: ed.id("article", a.id) for a, _ in pairs}
            cid = {c.id: ed.id("claim", c.id) for _, ann in pairs for c in ann.claims}
            batch = pairs[: articles - made]
            rows, anns = [], []
            for article, ann in batch:
                new = aid[article.id]
                text = ed.text(article.text, ann)
                title = text[: len(article.title)] if article.title and article.text.startswith(article.title) else article.title
                row = _article_row(dataclasses.replace(
                    article, id=new, text=text, title=title, outlet=ed.outlet(article.outlet),
                    published=article.published + ed.shift if article.published else None,
                    duplicate_of=aid.get(article.duplicate_of) if article.duplicate_of else None))
                rows.append({**row, "seq": made + len(rows) + 1})
                anns.append(Annotations(
                    new, [_moved(s, new) for s in ann.sentences],
                    [dataclasses.replace(m, article_id=new, entity_id=None) for m in ann.mentions],
                    [_moved(q, new) for q in ann.quantities], [_moved(t, new) for t in ann.times],
                    [_moved(a, new) for a in ann.attributions], [_moved(c, new) for c in ann.citations],
                    [_moved(h, new) for h in ann.hedges],
                    [dataclasses.replace(c, id=cid[c.id], article_id=new,
                                         attribution=_moved(c.attribution, new) if c.attribution else None,
                                         quantities=[_moved(q, new) for q in c.quantities]) for c in ann.claims],
                    list(ann.notes)))
            conn.execute(insert(articles_table), rows)
            store.save_annotations_batch(anns, version="bench")
            stored.update(c.id for ann in anns for c in ann.claims)
            kept = {aid[a.id] for a, _ in batch}
            store.save_stories(
                [dataclasses.replace(s, id=ed.id("story", s.id), label=ed.phrase(s.label),
                                     first_seen=s.first_seen + ed.shift if s.first_seen else None,
                                     last_seen=s.last_seen + ed.shift if s.last_seen else None) for s in stories],
                [(aid[a], ed.id("story", s.id), 1.0) for s in members for a in s.articles if aid.get(a) in kept])
            found = [s for s in base_stances if aid[s.article_id] in kept]
            if found:
                conn.execute(insert(stances), [{
                    "thesis_id": s.thesis_id, "article_id": aid[s.article_id], "label": s.label, "score": s.score,
                    "evidence": json.dumps([dataclasses.asdict(e) for e in s.evidence]), "version": "bench"}
                    for s in found])
            store.replace_techniques([], [TechniqueSpan(aid[t.article_id], t.start, t.end, t.technique, t.score)
                                          for t in techniques if aid[t.article_id] in kept])
            views.add(ed, aid, kept)
            all_links += [ClaimLink(cid[k.a], cid[k.b], k.relation, k.score, ed.phrase(k.reason)) for k in links]
            for g in groups:
                origins = [{**o, "origin": ed.outlet(o["origin"]) if o["origin"] in outlets else ed.phrase(o["origin"]),
                            "claims": [cid[c] for c in o.get("claims", [])],
                            "outlets": [ed.outlet(x) for x in o.get("outlets", [])]} for o in g.origins]
                all_groups.append(ClaimGroup(ed.id("group", g.id), [cid[c] for c in g.claims], g.status, origins,
                                             g.first_seen + ed.shift if g.first_seen else None, ed.phrase(g.summary)))
            made += len(batch)
            if n % 20 == 19:
                say(f"  {made} articles written")
        # The last edition may be cut short: links and groups keep only the claims it stored.
        all_links = [k for k in all_links if k.a in stored and k.b in stored]
        all_groups = [dataclasses.replace(g, claims=[c for c in g.claims if c in stored]) for g in all_groups]
        all_groups = [g for g in all_groups if g.claims]
        store.replace_claim_links(all_links)
        store.replace_claim_groups(all_groups)
        conn.execute(insert(outlet_views), views.rows())
        store.recount_summary()  # the articles and stances went in by bulk inserts, past the store's counting
    info = {"articles": made, "editions": editions, "claims": len(stored),
            "links": len(all_links), "groups": len(all_groups), "seconds": time.perf_counter() - started}
    store.close()
    return info


class OutletViews:
    """The outlet views the narratives stage would store for the whole generated store: the demo's,
    per edition outlet, summed over the editions that share an outlet name."""

    def __init__(self, views: dict[str, list[dict]]) -> None:
        self.views = views
        self.stances: dict[tuple[str, str], dict] = {}
        self.profiles: dict[str, dict] = {}

    def add(self, ed: Edition, aid: dict[str, str], kept: set[str]) -> None:
        for r in self.views["stance"]:
            key = (ed.outlet(r["outlet"]), r["thesis"])
            into = self.stances.setdefault(key, {"outlet": key[0], "thesis": key[1], "label": "unrelated", "counts": {},
                                                 "by_month": {}, "articles": [], "unrelated": 0})
            _add_counts(into["counts"], r["counts"])
            for month, counts in r["by_month"].items():
                _add_counts(into["by_month"].setdefault(month, {}), counts)
            into["articles"] += [aid[a] for a in r["articles"] if aid[a] in kept]
            into["unrelated"] += r["unrelated"]
        for r in self.views["profile"]:
            name = ed.outlet(r["outlet"]) if r["outlet"] != "(unknown outlet)" else r["outlet"]
            into = self.profiles.setdefault(name, {"outlet": name, "articles": 0, "languages": {}, "first_published": None,
                                                   "last_published": None, "stances": [], "claim_statuses": {},
                                                   "cited_sources": {}, "techniques": {}, "copies_of_others": 0})
            into["articles"] += r["articles"]
            into["copies_of_others"] += r["copies_of_others"]
            for key in ("languages", "claim_statuses", "techniques"):
                _add_counts(into[key], r[key])
            _add_counts(into["cited_sources"], {ed.phrase(k): v for k, v in r["cited_sources"].items()})
            for key, pick in (("first_published", min), ("last_published", max)):
                if r[key]:
                    when = datetime.fromisoformat(r[key]) + ed.shift
                    into[key] = pick(filter(None, [into[key], when]), key=as_utc)

    def rows(self) -> list[dict]:
        from ..narratives.theses import _verdict

        rows = []
        for record in self.stances.values():
            record["label"] = _verdict(Counter(record["counts"])) if record["counts"] else "unrelated"
            rows.append({"kind": "stance", "outlet": record["outlet"], "thesis_id": record["thesis"],
                         "record": json.dumps(record, ensure_ascii=False)})
        for p in sorted(self.profiles.values(), key=lambda p: (-p["articles"], p["outlet"])):
            p["stances"] = [{"thesis": s["thesis"], "label": s["label"], "counts": s["counts"], "by_month": s["by_month"]}
                            for (outlet, _), s in self.stances.items() if outlet == p["outlet"]]
            record = {**p, **{k: p[k].isoformat() if p[k] else None for k in ("first_published", "last_published")}}
            rows.append({"kind": "profile", "outlet": p["outlet"], "thesis_id": None,
                         "record": json.dumps(record, ensure_ascii=False)})
        return rows


def _add_counts(into: dict, more: dict) -> None:
    for k, v in more.items():
        into[k] = into.get(k, 0) + v


def _placeholder_narratives(store: SQLStore, thesis_text: str) -> None:
    """A stance per article (with two evidence sentences) and spans on a few loaded words: rows of
    the size the narratives stage writes, for pages to show when its models are missing."""
    from ..model import Evidence
    from ..narratives.runner import parse_theses

    labels = ("support", "oppose", "discuss", "unrelated")
    with store.transaction():
        store.add_theses(parse_theses([thesis_text]))
        thesis = store.list_theses()[0]
        pairs = list(zip(store.iter_articles(), store.iter_annotations(), strict=True))
        store.save_stances([Stance(thesis.id, a.id, labels[i % 4], 0.6,
                                   [Evidence(s.start, s.end, labels[i % 4], 0.6) for s in ann.sentences[1:3]])
                            for i, (a, ann) in enumerate(pairs)], "placeholder")
        store.replace_techniques([a.id for a, _ in pairs], [
            TechniqueSpan(a.id, m.start(), m.end(), "loaded_language", 0.5)
            for a, _ in pairs for m in re.finditer(r"\b(fake|so-called|hysteria|absolute record)\b", a.text, re.I)])
