"""Entity canonicalisation against entities assigned by hand (``audits/entities.jsonl``).

The gold file lists the PERSON/ORG/GPE/NORP mentions of 18 BASIL articles and the five seeds, each
with the entity a reader gives it ("Donald Trump", "Donald Trump Jr.", "House of Representatives")
or null for a span that names no entity (those are counted, not scored). The whole BASIL corpus and
the seeds go through the enrich stage's ``nlp`` component and corpus-wide canonicalisation, as
``analyze`` would run them; the gold mentions are then found among the stored mentions by span
and scored: B-cubed precision/recall/F1 over mentions (how much of each mention's predicted entity
is its gold entity, and the reverse) and pairwise precision/recall over pairs of mentions. Events
are split in two halves by a hash of their id, as in ``bench stories``: rules are tuned on the
"tune" half and the "report" half is the headline. The wrong merges (gold entities sharing a
predicted entity) and the worst splits are listed with their surfaces.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import click

from ..config import load_settings
from ..enrich.runner import enrich_articles
from ..errors import ConfigError
from ..ingest import ingest_paths
from ..store import SQLStore
from . import dataset_dir, datasets_root
from .stories import load_basil

GOLD_NAME = Path("audits") / "entities.jsonl"
SEEDS = "seeds"
LISTED = 25


def find_gold(given: str | None = None) -> Path:
    """--gold, or audits/entities.jsonl in the working directory or a folder above it."""
    if given:
        path = Path(given)
    else:
        here = Path.cwd().resolve()
        path = next((f / GOLD_NAME for f in (here, *here.parents) if (f / GOLD_NAME).is_file()), here / GOLD_NAME)
    if not path.is_file():
        raise ConfigError(f"gold file not found at {path}; pass --gold FILE")
    return path


def seeds_dir(given: str | None = None) -> Path:
    path = Path(given) if given else datasets_root().parent / SEEDS
    if not path.is_dir():
        raise ConfigError(f"seed articles not found at {path}; pass --seeds DIR")
    return path


def read_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predict(basil: list[dict], seeds: Path, settings, only: set[str] | None = None,
            batches: int = 1) -> tuple[dict, dict]:
    """Run ``nlp`` and canonicalisation over the BASIL records and the seed files, ingested and
    enriched in ``batches`` slices (the first canonicalised from scratch, the others incrementally).
    Returns the article texts by key (BASIL uuid or seed file name) and, per key, its mentions as
    ``(start, end, label, entity id, entity name)``."""
    settings = settings.replace({"enrich": {"components": ["nlp"], "workers": 1}})
    with tempfile.TemporaryDirectory(prefix="narrascope-bench-") as tmp:
        keep = [r for r in basil if only is None or r["id"] in only]
        store = SQLStore(str(Path(tmp) / "entities.db"))
        size = -(-len(keep) // batches)
        for n in range(batches):
            source = Path(tmp) / f"basil{n}.jsonl"
            source.write_text("".join(json.dumps({k: r[k] for k in ("id", "title", "outlet", "published", "text")})
                                      + "\n" for r in keep[n * size : (n + 1) * size]), encoding="utf-8")
            ingest_paths([str(source), *(sorted(str(p) for p in seeds.glob("*.txt")) if n == 0 else ())],
                         store, settings)
            enrich_articles(store, settings)  # canonicalises what is new at its end
        key_of, texts = {}, {}
        for article in store.iter_articles():
            key = article.external_id or Path(article.path or article.id).name
            key_of[article.id] = key
            texts[key] = article.text
        mentions: dict[str, list[tuple]] = defaultdict(list)
        for entity, found in store.iter_entities():
            for m in found:
                mentions[key_of[m.article_id]].append((m.start, m.end, m.label, entity.id, entity.name))
        store.close()
    for found in mentions.values():
        found.sort()
    return texts, mentions


def anchor(text: str, gold: dict) -> tuple[int, int] | None:
    """The gold span in this run's text: where the file says, or the nearest occurrence of its
    surface (a change to the text cleaner may shift a seed's offsets)."""
    start, end, surface = gold["start"], gold["end"], gold["text"]
    if text[start:end] == surface:
        return start, end
    hits = [i for i in range(len(text)) if text.startswith(surface, i)]
    if not hits:
        return None
    best = min(hits, key=lambda i: abs(i - start))
    return best, best + len(surface)


def align(gold: list[dict], texts: dict, mentions: dict) -> tuple[list[str | None], int]:
    """For each gold mention, the predicted entity of the stored mention overlapping it most
    (None when no stored mention overlaps: the mention then counts as an entity of its own)."""
    out, missing = [], 0
    for g in gold:
        span = anchor(texts.get(g["article"], ""), g)
        best, best_overlap = None, 0
        if span:
            for start, end, _, entity_id, _ in mentions.get(g["article"], ()):
                overlap = min(end, span[1]) - max(start, span[0])
                if overlap > best_overlap:
                    best, best_overlap = entity_id, overlap
        missing += best is None
        out.append(best)
    return out, missing


def bcubed(gold: list[str], pred: list[str]) -> tuple[float, float, float]:
    if not gold:
        return 0.0, 0.0, 0.0
    cells = Counter(zip(gold, pred, strict=True))
    by_gold, by_pred = Counter(gold), Counter(pred)
    # every mention of a (gold, pred) cell has the same precision and recall: sum them per cell
    p = sum(n * n / by_pred[pr] for (_, pr), n in cells.items()) / len(gold)
    r = sum(n * n / by_gold[g] for (g, _), n in cells.items()) / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(gold: list[str], pred: list[str]) -> tuple[float, float, float]:
    def pairs(counts) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter(zip(gold, pred, strict=True)))
    same_pred, same_gold = pairs(Counter(pred)), pairs(Counter(gold))
    p = both / same_pred if same_pred else 1.0
    r = both / same_gold if same_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def wrong_merges(rows: list[dict], pred: list[str]) -> list[tuple[int, str, str, str]]:
    """Pairs of gold entities put in one predicted entity: (mention pairs, name, gold a, gold b)."""
    by_pred: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    names = {}
    for row, p in zip(rows, pred, strict=True):
        by_pred[p][row["gold"]].append(row["text"])
        names[p] = row.get("predicted_name", "")
    out = []
    for p, golds in by_pred.items():
        for a, b in itertools.combinations(sorted(golds), 2):
            out.append((len(golds[a]) * len(golds[b]), names[p], _show(a, golds[a]), _show(b, golds[b])))
    return sorted(out, reverse=True)


def splits(rows: list[dict], pred: list[str]) -> list[tuple[int, str, list[str]]]:
    """Gold entities spread over several predicted entities, by the mention pairs they lose."""
    by_gold: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row, p in zip(rows, pred, strict=True):
        by_gold[row["gold"]][p].append(row["text"])
    out = []
    for g, parts in by_gold.items():
        if len(parts) > 1:
            sizes = [len(v) for v in parts.values()]
            lost = (sum(sizes) ** 2 - sum(s * s for s in sizes)) // 2
            out.append((lost, g, [_show("", v).strip() for v in sorted(parts.values(), key=len, reverse=True)]))
    return sorted(out, key=lambda t: (-t[0], t[1]))


def _show(key: str, surfaces: list[str]) -> str:
    forms = Counter(" ".join(s.split()) for s in surfaces)
    listed = ", ".join(f"{f!r}x{n}" if n > 1 else repr(f) for f, n in forms.most_common(4))
    more = f", +{len(forms) - 4} more" if len(forms) > 4 else ""
    return f"{key} [{listed}{more}]"


def evaluate(gold: list[dict], pred: list[str | None]) -> dict:
    rows, labels = [], []
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        if g["gold"] is not None:
            rows.append(g)
            labels.append(p if p is not None else f"unaligned:{i}")
    gold_keys = [r["gold"] for r in rows]
    bp, br, bf = bcubed(gold_keys, labels)
    pp, pr, pf = pairwise(gold_keys, labels)
    return {"mentions": len(rows), "skipped": len(gold) - len(rows), "gold_entities": len(set(gold_keys)),
            "pred_entities": len(set(labels)), "b3_p": bp, "b3_r": br, "b3_f1": bf,
            "pair_p": pp, "pair_r": pr, "pair_f1": pf,
            "merges": wrong_merges(rows, labels), "splits": splits(rows, labels)}


@click.command("entities")
@click.option("--gold", "gold_path", default=None, metavar="FILE",
              help="gold mentions [default: audits/entities.jsonl found from the working directory]")
@click.option("--data", default=None, metavar="DIR", help="BASIL folder [default: shared datasets]")
@click.option("--seeds", default=None, metavar="DIR", help="seed articles [default: ../shared/seeds]")
@click.option("--corpus", type=click.Choice(["basil", "gold"]), default="basil", show_default=True,
              help="canonicalise over all of BASIL and the seeds, or over the gold articles only")
@click.option("--batches", type=click.IntRange(1), default=1, show_default=True,
              help="ingest and analyze the articles in this many slices (canonicalised incrementally after the first)")
@click.option("--config", default=None, metavar="FILE", help="settings file")
def command(gold_path: str | None, data: str | None, seeds: str | None, corpus: str, batches: int,
            config: str | None) -> None:
    """Entity canonicalisation: B-cubed and pairwise precision/recall against hand-assigned entities."""
    gold = read_gold(find_gold(gold_path))
    basil = load_basil(dataset_dir("basil", data))
    only = {g["article"] for g in gold} if corpus == "gold" else None
    texts, mentions = predict(basil, seeds_dir(seeds), load_settings(config), only, batches)
    click.echo(f"gold: {len(gold)} mentions in {len({g['article'] for g in gold})} articles; "
               f"canonicalised over {len(texts)} articles" + (f" in {batches} batches" if batches > 1 else ""))
    pred, missing = align(gold, texts, mentions)
    names = {eid: name for found in mentions.values() for *_, eid, name in found}
    for g, p in zip(gold, pred, strict=True):
        g["predicted_name"] = names.get(p, "")
    if missing:
        click.echo(f"{missing} gold mention(s) found no stored mention: each counts as an entity of its own")
    results = {}
    for half in ("tune", "report"):
        idx = [i for i, g in enumerate(gold) if g["split"] == half]
        m = results[half] = evaluate([gold[i] for i in idx], [pred[i] for i in idx])
        click.echo(f"{half:<6} half: {m['mentions']} mentions ({m['skipped']} not entities, unscored), "
                   f"{m['gold_entities']} gold / {m['pred_entities']} predicted entities | "
                   f"B-cubed P {m['b3_p']:.4f} R {m['b3_r']:.4f} F1 {m['b3_f1']:.4f} | "
                   f"pairwise P {m['pair_p']:.4f} R {m['pair_r']:.4f} F1 {m['pair_f1']:.4f}")
    for half, m in results.items():
        click.echo(f"wrong merges, {half} half ({len(m['merges'])}):")
        for pairs, name, a, b in m["merges"][:LISTED]:
            click.echo(f"  {pairs:>4} pair(s) in {name!r}: {a} + {b}")
        click.echo(f"worst splits, {half} half ({len(m['splits'])} gold entities split):")
        for lost, key, parts in m["splits"][:10]:
            click.echo(f"  {lost:>4} pair(s) lost: {key}: {' | '.join(parts)}")
    click.echo(f"entities: bcubed_precision={results['report']['b3_p']:.4f}")
