"""The whole analysis next to the models' floor: words/s, the ratio, CPU time and peak memory per stage.

BASIL's 150 articles (../shared/datasets/basil), then FNC-1's article bodies (../shared/datasets/fnc-1)
until there are ``--articles`` of them, each a different article (copies would flatter what the
stages remember from one article to the next; past the end of both sets copies are marked and
counted), are stored and analysed by :func:`narrascope.analyze` stage by stage (enrich, link,
narratives with ``--theses`` one-line theses from audits/stances.jsonl).

The floor is what the models alone cost on the same texts, with the same batching and the same
process pool: spaCy (same model, same components, ``nlp.pipe``) on the English texts and natasha
on the Russian ones, in the enrich stage's chunks; the sentence embedder on every sentence the
enrich stage found, once, in the same chunks on the same pool with one thread a worker, as the
stage embeds them; the relation model on exactly the pairs the analysis sent it, in the same
batches (a counting proxy records them). The ratio is the analysis' wall time over
the floor's. Peak memory is the largest resident size of this process and its workers together
while a step ran. Wall time is the figure; CPU seconds of all processes are printed beside it.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import click

from . import datasets_root
from .corpora import distinct_news
from .enrich_speed import _cpu, _embed_chunk, _natasha_chunk, _spacy_chunk

WORDS_PER_ARTICLE = 600  # the yardstick for "articles a day"


@dataclass(slots=True)
class Step:
    name: str
    wall: float
    cpu: float
    peak_mb: float


class PeakMemory:
    """Polls the resident size of this process and its descendants (Linux /proc) while in use."""

    def __init__(self, every: float = 0.05) -> None:
        self.every, self.peak, self._stop = every, 0, threading.Event()

    def __enter__(self) -> PeakMemory:
        self.peak = _tree_rss()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, _tree_rss())


def _tree_rss() -> int:
    """Bytes resident in this process and every process below it (0 where /proc is missing)."""
    me, parent_of, rss = os.getpid(), {}, {}
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent_of[int(entry.name)] = int(fields[1])
        rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid, size in rss.items():
        p, seen = pid, 0
        while p and p != me and seen < 64:
            p, seen = parent_of.get(p, 0), seen + 1
        total += size if p == me else 0
    return total


def timed(name: str, fn) -> tuple[Step, object]:
    with PeakMemory() as memory:
        start, cpu = time.perf_counter(), _cpu()
        value = fn()
        step = Step(name, time.perf_counter() - start, _cpu() - cpu, memory.peak / 2**20)
    return step, value


class Recorder:
    """Keeps every batch of pairs ``model`` is asked about while in use, so the floor can replay
    them; the model object itself is kept (the link stage asks what kind of reader it is)."""

    def __init__(self, model) -> None:
        self.model, self.batches, self.original = model, [], model.probabilities

    def __enter__(self) -> Recorder:
        def probabilities(pairs):
            self.batches.append(list(pairs))
            return self.original(pairs)

        self.model.probabilities = probabilities
        return self

    def __exit__(self, *exc) -> None:
        del self.model.probabilities  # the class's own method again


def audit_theses(n: int) -> list[str]:
    from .stance_theses import default_audit

    path = default_audit()
    if not path.is_file() or n == 0:
        return []
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return list(dict.fromkeys(j["thesis"] for j in lines))[:n]


def floor(articles, sentences: list[list[str]], settings, workers: int, relation: Recorder) -> list[Step]:
    """The models alone on the same texts: spaCy/natasha, the embedder (``sentences``: those the
    enrich stage found, per article), the relation model."""
    from ..engine import LocalEngine

    chunk = settings.enrich.chunk_size
    engine = LocalEngine(workers)
    by_language = [[a.text for a in articles if a.language == lang] for lang in ("en", "ru")]

    def parse() -> None:
        for fn, texts in zip((_spacy_chunk, _natasha_chunk), by_language, strict=True):
            list(engine.map(fn, [texts[i:i + chunk] for i in range(0, len(texts), chunk)]))

    # each worker loads the embedder, as the stage's workers do (and as the parse loads spaCy)
    chunks = [[t for said in sentences[i:i + chunk] for t in said] for i in range(0, len(sentences), chunk)]
    steps = [timed("parse (spaCy + natasha)", parse)[0],
             timed(f"embed {sum(map(len, chunks)):,} sentences", lambda: list(engine.map(_embed_chunk, chunks)))[0]]
    pairs = sum(len(b) for b in relation.batches)
    steps.append(timed(f"relation model, {pairs:,} pairs",
                       lambda: [relation.original(b) for b in relation.batches])[0])
    return steps


@click.command("pipeline")
@click.option("--data", default=None, metavar="DIR", help="the shared datasets folder [default: found]")
@click.option("--articles", "at_least", type=click.IntRange(1, 100_000), default=300, show_default=True,
              help="articles: BASIL's, then FNC-1 bodies")
@click.option("--theses", type=click.IntRange(0, 50), default=5, show_default=True,
              help="one-line theses (from audits/stances.jsonl) read against every article")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("--config", default=None, metavar="FILE", help="settings file")
def command(data: str | None, at_least: int, theses: int, workers: int, config: str | None) -> None:
    """The whole analysis on BASIL and FNC-1 bodies next to the models' floor on the same texts."""
    from ..analysis import analyze
    from ..config import load_settings
    from ..embeddings import get_embedder
    from ..engine import LocalEngine
    from ..models.registry import load_relation_model
    from ..store import SQLStore

    settings = load_settings(config)
    articles, copies = distinct_news(datasets_root(data), articles=at_least)
    words = sum(len(a.text.split()) for a in articles)
    chosen = audit_theses(theses)
    click.echo(f"corpus: {len(articles)} articles, {words:,} words (BASIL, then FNC-1 bodies; {copies} copies), "
               f"{len(chosen)} theses, {workers} processes")
    embedder = get_embedder(settings.link.embedder)
    model = load_relation_model(settings.link.relation_model)
    embedder.embed(["Warm up."])  # models load before anything is timed, on both sides
    model.probabilities([])
    ours: list[Step] = []
    with tempfile.TemporaryDirectory(prefix="narrascope-bench-") as tmp, Recorder(model) as relation:
        store = SQLStore(str(Path(tmp) / "pipeline.db"))

        def add() -> None:
            with store.transaction():
                for a in articles:
                    store.add_article(a)

        ours.append(timed("store the articles", add)[0])
        for stage in ("enrich", "link", "narratives"):
            step, report = timed(stage, lambda s=stage: analyze(
                store, settings, chosen, engine=LocalEngine(workers), embedder=embedder, relation_model=model,
                stages=[s]))
            ours.append(step)
            click.echo(f"  {stage}: {report.summary()}")
        sentences = [[a.text[s.start:s.end] for s in store.annotations(a.id).sentences] for a in articles]
        store.close()
    base = floor(articles, sentences, settings, workers, relation)
    _table("narrascope analyze", ours, words)
    _table("floor: the models alone", base, words)
    t_ours, t_floor = sum(s.wall for s in ours), sum(s.wall for s in base)
    ratio = t_ours / max(t_floor, 1e-9)
    per_day = words / max(t_ours, 1e-9) * 86_400 / WORDS_PER_ARTICLE
    click.echo(f"whole pipeline {words / t_ours:,.0f} words/s, floor {words / t_floor:,.0f} words/s: "
               f"ratio {ratio:.2f}x (target <= 2x); {per_day:,.0f} articles of {WORDS_PER_ARTICLE} words a day "
               f"(target >= 100,000)")
    click.echo(f"enrich over the parse alone: {ours[1].wall / max(base[0].wall, 1e-9):.2f}x (target <= 1.3x); "
               f"over the parse and the sentence vectors it now makes for every later stage: "
               f"{ours[1].wall / max(base[0].wall + base[1].wall, 1e-9):.2f}x")
    click.echo(f"pipeline: ratio={ratio:.3f}")


def _table(title: str, steps: list[Step], words: int) -> None:
    click.echo(f"{title}:")
    for s in steps:
        click.echo(f"  {s.name:<34} {s.wall:7.1f}s wall {s.cpu:7.1f}s CPU  peak {s.peak_mb:7.0f} MB  "
                   f"{words / max(s.wall, 1e-9):10,.0f} words/s")
    click.echo(f"  {'all':<34} {sum(s.wall for s in steps):7.1f}s wall {sum(s.cpu for s in steps):7.1f}s CPU  "
               f"peak {max(s.peak_mb for s in steps):7.0f} MB")
