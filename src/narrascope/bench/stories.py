"""Story clustering on BASIL: 50 events, each told by three outlets (Fox News, NYT, HuffPost).

The 150 articles go through the real pipeline (JSONL ingest, enrichment for the names, article
vectors, incremental clustering in publication order). Clusters are compared with the gold
events (``triplet-uuid``): pairwise precision/recall/F1, B-cubed F1 and the adjusted Rand index.
Events are split in two halves by a hash of their id: parameters are chosen on the "tune" half
(a small grid, printed) and the headline figure is the "report" half with those parameters.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import click

from ..config import load_settings
from ..embeddings import get_embedder
from ..enrich.runner import enrich_articles
from ..ingest import ingest_paths
from ..link.runner import story_names, story_params
from ..link.stories import Item, StoryParams, assign
from ..link.vectors import VectorCache
from ..store import SQLStore
from . import dataset_dir

GRID = {"threshold": (0.4, 0.45, 0.5, 0.55, 0.6), "text_weight": (0.5, 0.6, 0.7, 0.8)}


def pairwise(gold: list[str], pred: list[str]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(gold)), 2):
        same_gold, same_pred = gold[i] == gold[j], pred[i] == pred[j]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bcubed(gold: list[str], pred: list[str]) -> tuple[float, float, float]:
    n = len(gold)
    precision = recall = 0.0
    for i in range(n):
        same_pred = [j for j in range(n) if pred[j] == pred[i]]
        same_gold = [j for j in range(n) if gold[j] == gold[i]]
        both = sum(1 for j in same_pred if gold[j] == gold[i])
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    p, r = precision / n, recall / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def adjusted_rand(gold: list[str], pred: list[str]) -> float:
    def comb2(x: float) -> float:
        return x * (x - 1) / 2

    table = Counter(zip(gold, pred, strict=True))
    sum_cells = sum(comb2(v) for v in table.values())
    sum_gold = sum(comb2(v) for v in Counter(gold).values())
    sum_pred = sum(comb2(v) for v in Counter(pred).values())
    expected = sum_gold * sum_pred / comb2(len(gold)) if len(gold) > 1 else 0.0
    maximum = (sum_gold + sum_pred) / 2
    return (sum_cells - expected) / (maximum - expected) if maximum != expected else 1.0


def half_of(event: str) -> str:
    return "tune" if hashlib.sha256(event.encode()).digest()[0] % 2 == 0 else "report"


def load_basil(root: Path) -> list[dict]:
    records = []
    for path in sorted((root / "articles").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        body = "\n\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in data["body-paragraphs"])
        records.append({"id": data["uuid"], "event": data["triplet-uuid"], "title": data["title"],
                        "outlet": data["source"], "published": data["date"], "text": f"{data['title']}\n\n{body}"})
    return records


def cluster(items: list[Item], params: StoryParams) -> dict[str, str]:
    return {aid: sid for aid, sid, _ in assign(items, [], params)}


def score(records: list[dict], assignment: dict[str, str]) -> dict[str, float]:
    gold = [r["event"] for r in records]
    pred = [assignment[r["article"]] for r in records]
    p, r, f = pairwise(gold, pred)
    bp, br, bf = bcubed(gold, pred)
    return {"pair_p": p, "pair_r": r, "pair_f1": f, "b3_p": bp, "b3_r": br, "b3_f1": bf,
            "ari": adjusted_rand(gold, pred), "stories": len(set(pred))}


def row(name: str, m: dict[str, float], events: int) -> str:
    return (f"{name:<26} pairwise P {m['pair_p']:.3f} R {m['pair_r']:.3f} F1 {m['pair_f1']:.3f} | "
            f"B-cubed F1 {m['b3_f1']:.3f} | ARI {m['ari']:.3f} | {m['stories']} stories for {events} events")


@click.command("stories")
@click.option("--data", default=None, metavar="DIR", help="BASIL folder [default: shared datasets]")
@click.option("--config", default=None, metavar="FILE", help="settings file")
def command(data: str | None, config: str | None) -> None:
    """Story clustering on BASIL, with pairwise F1, B-cubed F1 and adjusted Rand index."""
    root = dataset_dir("basil", data)
    settings = load_settings(config)
    basil = load_basil(root)
    click.echo(f"articles: {len(basil)}, events: {len({r['event'] for r in basil})} from {root}")
    with tempfile.TemporaryDirectory(prefix="narrascope-bench-") as tmp:
        source = Path(tmp) / "basil.jsonl"
        source.write_text("".join(json.dumps({k: r[k] for k in ("id", "title", "outlet", "published", "text")})
                                  + "\n" for r in basil), encoding="utf-8")
        store = SQLStore(str(Path(tmp) / "basil.db"))
        ingest_paths([str(source)], store, settings)
        enrich_articles(store, settings)
        pairs = list(zip(store.iter_articles(), store.iter_annotations(), strict=True))
        with store.transaction():
            vectors = VectorCache(store, get_embedder(settings.link.embedder)).article_vectors(pairs)
        store.close()
    by_external = {r["id"]: r for r in basil}
    items, records = [], []
    for (article, ann), vec in zip(pairs, vectors, strict=True):
        record = dict(by_external[article.external_id], article=article.id)
        records.append(record)
        items.append(Item(article.id, vec, story_names(article, ann), article.published))
    halves = {h: [i for i, r in enumerate(records) if half_of(r["event"]) == h] for h in ("tune", "report")}
    for h, idx in halves.items():
        click.echo(f"{h} half: {len({records[i]['event'] for i in idx})} events, {len(idx)} articles")

    base = story_params(settings)
    best, best_f1 = base, -1.0
    tune = halves["tune"]
    for threshold, text_weight in itertools.product(GRID["threshold"], GRID["text_weight"]):
        params = replace(base, threshold=threshold, text_weight=text_weight, entity_weight=1 - text_weight)
        m = score([records[i] for i in tune], cluster([items[i] for i in tune], params))
        click.echo(f"  tune: threshold {threshold:.2f} text_weight {text_weight:.1f} -> "
                   f"pairwise F1 {m['pair_f1']:.3f}, B-cubed F1 {m['b3_f1']:.3f}, ARI {m['ari']:.3f}")
        if m["pair_f1"] > best_f1:
            best, best_f1 = params, m["pair_f1"]
    click.echo(f"chosen on the tune half: threshold {best.threshold}, text_weight {best.text_weight}")
    results = {}
    for name, params in (("shipped settings", base), ("chosen on tune half", best)):
        for h, idx in (*halves.items(), ("all", list(range(len(records))))):
            m = score([records[i] for i in idx], cluster([items[i] for i in idx], params))
            results[(name, h)] = m
            click.echo(row(f"{name}, {h}", m, len({records[i]['event'] for i in idx})))
    m = results[("shipped settings", "report")]
    click.echo(f"stories: pairwise_f1={m['pair_f1']:.3f} bcubed_f1={m['b3_f1']:.3f} ari={m['ari']:.3f}")


