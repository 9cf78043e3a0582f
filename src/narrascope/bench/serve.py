"""Dashboard latency: p50/p95 of the main pages over a 10,000-article store under 20 clients.

The store is made from the demo corpus, analyzed once for real (ingest, enrich, link and, when
its models are present, narratives). Running enrich and link on 10,000 articles would take far
longer than the benchmark itself on two cores, so the analysis rows are copied instead: each
copy ("edition") of the demo corpus gets new ids, its names re-spelled by a letter cipher of the
same length (so every span offset stays right), its figures changed by a digit permutation, its
dates shifted a day per edition and its outlets renamed per edition; its claims, links (with
their reasons), claim groups (with their origins), stories, stances and technique spans are the
demo's with the same changes. The store then has the shape of a real one: ~1,500 stories of 5-9
articles, ~70 outlets, one thesis over every article.

The dashboard runs under uvicorn in its own process on loopback; the clients (httpx, asyncio)
run in this one, each sending its requests one after another over one page of every kind in
turn, the ids drawn at random.
"""

from __future__ import annotations

import asyncio
import dataclasses
import multiprocessing
import random
import re
import socket
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import click

from ..config import default_settings
from ..model import Annotations, ClaimGroup, ClaimLink, Stance, TechniqueSpan, content_id
from ..store import SQLStore

EDITIONS = ("North", "South", "East", "West", "Coast", "Valley", "Metro", "Weekend", "Evening", "Morning")
NAME_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
PAGES = ("overview", "search", "article", "claim", "outlet", "story", "thesis")
# Words found in many editions (names are re-spelled per edition, so they would not be).
QUERIES = ("trade turnover", "sanctions", "nuclear tender", "memo", "\"foreign policy\"", "reactors", "bank*")
_VOWELS = ("aeiou", "AEIOU", "аеиоуыэюя", "АЕИОУЫЭЮЯ")
_CONSONANTS = ("bcdfghjklmnprstvz", "BCDFGHJKLMNPRSTVZ", "бвгджзклмнпрстфхцчшщ", "БВГДЖЗКЛМНПРСТФХЦЧШЩ")


# -- the store ----------------------------------------------------------------------------------


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


def build_store(db: str, articles: int, say) -> dict:
    """Write the benchmark store to ``db``; returns what was made and how."""
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

    pairs = list(zip(base.iter_articles(), base.iter_annotations(), strict=True))
    names = sorted({a.text[m.start : m.end] for a, ann in pairs for m in ann.mentions
                    if m.label in NAME_LABELS and len(a.text[m.start : m.end]) > 2})
    groups, links, stories = base.claim_groups(), base.claim_links(), base.load_stories()
    members = base.stories_with_articles()
    theses, stances, techniques = base.list_theses(), base.list_stances(), base.list_techniques()
    outlets = {a.outlet for a, _ in pairs}
    store = SQLStore(db)
    store.add_theses(theses)
    started = time.perf_counter()
    editions = -(-articles // len(pairs))
    all_links: list[ClaimLink] = []
    all_groups: list[ClaimGroup] = []
    made = 0
    stored: set[str] = set()
    for n in range(editions):
        ed = Edition(n, names)
        aid = {a.id: ed.id("article", a.id) for a, _ in pairs}
        cid = {c.id: ed.id("claim", c.id) for _, ann in pairs for c in ann.claims}
        batch = pairs[: articles - made]
        with store.transaction():
            anns = []
            for article, ann in batch:
                new = aid[article.id]
                text = ed.text(article.text, ann)
                title = text[: len(article.title)] if article.title and article.text.startswith(article.title) else article.title
                store.add_article(dataclasses.replace(
                    article, id=new, text=text, title=title, outlet=ed.outlet(article.outlet),
                    published=article.published + ed.shift if article.published else None,
                    duplicate_of=aid.get(article.duplicate_of) if article.duplicate_of else None))
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
            store.save_annotations_batch(anns, version="bench")
            stored.update(c.id for ann in anns for c in ann.claims)
            kept = {aid[a.id] for a, _ in batch}
            store.save_stories(
                [dataclasses.replace(s, id=ed.id("story", s.id), label=ed.phrase(s.label),
                                     first_seen=s.first_seen + ed.shift if s.first_seen else None,
                                     last_seen=s.last_seen + ed.shift if s.last_seen else None) for s in stories],
                [(aid[a], ed.id("story", s.id), 1.0) for s in members for a in s.articles if aid.get(a) in kept])
            store.save_stances([Stance(s.thesis_id, aid[s.article_id], s.label, s.score, s.evidence)
                                for s in stances if aid[s.article_id] in kept], "bench")
            store.replace_techniques([], [TechniqueSpan(aid[t.article_id], t.start, t.end, t.technique, t.score)
                                          for t in techniques if aid[t.article_id] in kept])
        all_links += [ClaimLink(cid[k.a], cid[k.b], k.relation, k.score, ed.phrase(k.reason)) for k in links]
        for g in groups:
            origins = [{**o, "origin": ed.outlet(o["origin"]) if o["origin"] in outlets else ed.phrase(o["origin"]),
                        "claims": [cid[c] for c in o.get("claims", [])],
                        "outlets": [ed.outlet(x) for x in o.get("outlets", [])]} for o in g.origins]
            all_groups.append(ClaimGroup(ed.id("group", g.id), [cid[c] for c in g.claims], g.status, origins,
                                         g.first_seen + ed.shift if g.first_seen else None, ed.phrase(g.summary)))
        made += len(batch)
    # The last edition may be cut short: links and groups keep only the claims it stored.
    all_links = [k for k in all_links if k.a in stored and k.b in stored]
    all_groups = [dataclasses.replace(g, claims=[c for c in g.claims if c in stored]) for g in all_groups]
    all_groups = [g for g in all_groups if g.claims]
    with store.transaction():
        store.replace_claim_links(all_links)
        store.replace_claim_groups(all_groups)
    info = {"articles": made, "editions": editions, "claims": len(stored),
            "links": len(all_links), "groups": len(all_groups), "seconds": time.perf_counter() - started}
    store.close()
    return info


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


# -- the server and the clients ------------------------------------------------------------------


def _serve(db: str, port: int) -> None:
    import logging

    import uvicorn

    from ..web import create_app

    logging.getLogger("narrascope.web").setLevel(logging.WARNING)
    uvicorn.run(create_app(db), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _targets(db: str, count: int, seed: int = 0) -> list[tuple[str, str]]:
    """(page kind, URL) for ``count`` requests: the kinds in turn, ids drawn at random."""
    from urllib.parse import quote

    store = SQLStore(db, create=False)
    with store._connect() as conn:
        def column(sql: str) -> list[str]:
            return [r[0] for r in conn.exec_driver_sql(sql)]

        ids = {
            "article": column("SELECT id FROM articles"),
            "claim": column("SELECT claim_id FROM claim_group_members"),
            "outlet": column("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL"),
            "story": column("SELECT id FROM stories"),
            "thesis": column("SELECT id FROM theses"),
        }
    store.close()
    rng = random.Random(seed)
    out = []
    for i in range(count):
        kind = PAGES[i % len(PAGES)]
        if kind == "overview":
            out.append((kind, "/"))
        elif kind == "search":
            out.append((kind, f"/search?q={quote(rng.choice(QUERIES))}"))
        elif ids[kind]:
            prefix = {"thesis": "theses", "story": "stories"}.get(kind, f"{kind}s")
            out.append((kind, f"/{prefix}/{quote(rng.choice(ids[kind]), safe='')}"))
    return out


async def _load(base: str, clients: int, per_client: list[list[tuple[str, str]]]) -> list[tuple[str, float, int]]:
    import httpx

    results: list[tuple[str, float, int]] = []
    # One connection pool with a connection per client, made before the clock starts: making an
    # httpx client costs tens of milliseconds, which would count against the first requests.
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:

        async def client(targets: list[tuple[str, str]]) -> None:
            for kind, url in targets:
                start = time.perf_counter()
                response = await http.get(url)
                results.append((kind, (time.perf_counter() - start) * 1000, response.status_code))

        await asyncio.gather(*(client(t) for t in per_client[:clients]))
    return results


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


@click.command("serve")
@click.option("--articles", default=10_000, show_default=True, help="articles in the generated store")
@click.option("--clients", default=20, show_default=True, help="concurrent clients")
@click.option("--requests", "per_client", default=35, show_default=True, help="requests per client")
@click.option("--store", "store_path", default=None, metavar="FILE",
              help="build the store here and keep it (reused when it exists) instead of a temporary file")
def command(articles: int, clients: int, per_client: int, store_path: str | None) -> None:
    """Dashboard page latency (p50/p95) under concurrent clients over a generated store."""
    with tempfile.TemporaryDirectory() as tmp:
        db = store_path or str(Path(tmp) / "serve-bench.db")
        if not Path(db).exists():
            info = build_store(db, articles, click.echo)
            click.echo(f"store: {info['articles']} articles ({info['editions']} editions of the demo corpus), "
                       f"{info['claims']} claims, {info['links']} claim links, {info['groups']} claim groups, "
                       f"written in {info['seconds']:.0f}s; analysis rows copied from the demo's with new ids "
                       "(enrich+link on every article would take too long on 2 cores for a benchmark)")
        else:
            click.echo(f"store: reusing {db}")
        port = _free_port()
        server = multiprocessing.get_context("spawn").Process(target=_serve, args=(db, port), daemon=True)
        started = time.perf_counter()
        server.start()
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(base, server)
            click.echo(f"server: uvicorn, one process, {base}; dashboard read the store and answered in "
                       f"{time.perf_counter() - started:.1f}s")
            targets = _targets(db, clients * per_client + len(PAGES) * 2)
            warm, rest = targets[: len(PAGES) * 2], targets[len(PAGES) * 2 :]
            asyncio.run(_load(base, 1, [warm]))  # first use of each template and code path
            per = [rest[i::clients] for i in range(clients)]
            wall = time.perf_counter()
            results = asyncio.run(_load(base, clients, per))
            wall = time.perf_counter() - wall
        finally:
            server.terminate()
            server.join(10)
    _report(results, clients, wall)


def _wait(base: str, server) -> None:
    import httpx

    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if not server.is_alive():
            raise click.ClickException("the dashboard server exited before answering")
        try:
            if httpx.get(base + "/", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise click.ClickException("the dashboard server did not answer within 10 minutes")


def _report(results: list[tuple[str, float, int]], clients: int, wall: float) -> None:
    bad = [r for r in results if r[2] != 200]
    click.echo(f"{len(results)} requests from {clients} concurrent clients in {wall:.1f}s "
               f"({len(results) / wall:.0f} requests/s); {len(bad)} not 200")
    click.echo(f"{'page':<10} {'n':>5} {'p50_ms':>8} {'p95_ms':>8} {'max_ms':>8}")
    for kind in PAGES:
        times = [ms for k, ms, _ in results if k == kind]
        if times:
            click.echo(f"{kind:<10} {len(times):>5} {statistics.median(times):>8.1f} "
                       f"{_percentile(times, 0.95):>8.1f} {max(times):>8.1f}")
    every = [ms for _, ms, _ in results]
    click.echo(f"{'all':<10} {len(every):>5} {statistics.median(every):>8.1f} {_percentile(every, 0.95):>8.1f} "
               f"{max(every):>8.1f}")
    if bad:
        raise click.ClickException(f"{len(bad)} requests failed, e.g. {bad[0]}")
    click.echo(f"serve: p95_ms={_percentile(every, 0.95):.0f}")
