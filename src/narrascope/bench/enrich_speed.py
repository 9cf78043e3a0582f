"""Enrichment speed: words per second of the enrich stage next to the language models alone.

The demo corpus is repeated (each copy marked, so every article is distinct) until it holds at
least ``--words`` words. The reference runs the same models on the same texts, in chunks of the same
size with the same parallelism: spaCy (same model, same components, ``nlp.pipe``) for English and
natasha (segmentation, NER, morphology) for Russian. Then the whole stage runs — models, our
components, the check-worthiness models, entity canonicalisation and the store writes — and the
overhead is the extra time it takes over the reference, which runs once before the stage and
once after and counts as their mean. Both use the same process pool (one native thread per
worker) and, with ``--workers 1``, models loaded before either is timed. Wall time is the
figure; CPU seconds of all processes are printed next to it, because on a shared machine they
move less with what else is running.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import click

from ..config import default_settings, load_settings
from ..engine import LocalEngine
from ..model import Article, article_id
from ..store import SQLStore


def demo_articles(min_words: int) -> list[Article]:
    from ..demo import corpus_path
    from ..ingest import ingest_paths

    base = SQLStore.memory()
    with corpus_path() as corpus:
        ingest_paths([str(corpus)], base, default_settings())
    originals = [a for a in base.iter_articles() if not a.duplicate_of]
    out, words, copy = [], 0, 0
    while words < min_words:
        copy += 1
        for a in originals:
            text = f"{a.text}\n\nCopy {copy}."
            out.append(Article(id=article_id(text, a.url, a.outlet), text=text, title=a.title, outlet=a.outlet,
                               published=a.published, language=a.language))
            words += len(text.split())
    return out


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (pool workers are joined)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _spacy_chunk(texts: list[str]) -> int:
    from ..enrich.nlp import spacy_english

    return sum(1 for _ in spacy_english().pipe(texts, batch_size=32))


def _natasha_chunk(texts: list[str]) -> int:
    from natasha import Doc

    from ..enrich.nlp import natasha_tools

    tools = natasha_tools()
    for text in texts:
        doc = Doc(text)
        doc.segment(tools["segmenter"])
        doc.tag_ner(tools["ner"])
        doc.tag_morph(tools["morph"])
    return len(texts)


@click.command("enrich")
@click.option("--words", "min_words", type=int, default=200_000, show_default=True)
@click.option("--workers", type=int, default=2, show_default=True)
@click.option("--config", default=None, metavar="FILE", help="settings file")
def command(min_words: int, workers: int, config: str | None) -> None:
    """Enrich-stage speed next to spaCy/natasha alone on the same texts."""
    from ..enrich.runner import enrich_articles

    settings = load_settings(config)
    articles = demo_articles(min_words)
    words = sum(len(a.text.split()) for a in articles)
    chunk = settings.enrich.chunk_size
    click.echo(f"corpus: {len(articles)} articles, {words} words (demo corpus repeated), {workers} processes")

    if workers == 1:
        # One process runs everything in this one, where a model loaded by the reference would
        # serve the stage for free: load both first, so neither run pays for it.
        _spacy_chunk(["Warm up."])
        _natasha_chunk(["Разогрев."])
    by_language = [[a.text for a in articles if a.language == lang] for lang in ("en", "ru")]
    before = _reference(by_language, chunk, workers)
    with tempfile.TemporaryDirectory(prefix="narrascope-bench-") as tmp:
        store = SQLStore(str(Path(tmp) / "enrich.db"))
        with store.transaction():
            for a in articles:
                store.add_article(a)
        start, cpu = time.perf_counter(), _cpu()
        report = enrich_articles(store, settings, engine=LocalEngine(workers))
        t_ours, cpu_ours = time.perf_counter() - start, _cpu() - cpu
        store.close()
    after = _reference(by_language, chunk, workers)
    # The reference runs before and after the stage and counts as their mean, so a change in what
    # else the machine runs weighs on both sides alike.
    t_ref, cpu_ref = (before[0] + after[0]) / 2, (before[1] + after[1]) / 2
    click.echo(f"reference: spaCy (en) + natasha (ru) alone   {words / t_ref:8.0f} words/s ({t_ref:.1f}s: "
               f"{before[0]:.1f}s before the stage, {after[0]:.1f}s after)")
    click.echo(f"narrascope enrich stage                     {words / t_ours:8.0f} words/s ({t_ours:.1f}s; "
               f"{report.claims} candidate claims, {report.entities} entities)")
    overhead = t_ours / t_ref - 1
    click.echo(f"overhead of the stage over the models alone: {overhead:+.1%}")
    # CPU seconds of this process and its workers: steadier than wall time on a shared machine.
    click.echo(f"CPU time, all processes: reference {cpu_ref:.1f}s, stage {cpu_ours:.1f}s "
               f"({cpu_ours / cpu_ref - 1:+.1%})")
    _breakdown(articles[: max(1, len(articles) // 10)], settings)
    click.echo(f"enrich: overhead={overhead:.3f}")


def _reference(by_language: list[list[str]], chunk: int, workers: int) -> tuple[float, float]:
    """Wall and CPU seconds of spaCy on the English texts and natasha on the Russian ones, in
    the stage's chunks on the same number of processes."""
    engine = LocalEngine(workers)
    start, cpu = time.perf_counter(), _cpu()
    for fn, texts in zip((_spacy_chunk, _natasha_chunk), by_language, strict=True):
        list(engine.map(fn, [texts[i : i + chunk] for i in range(0, len(texts), chunk)]))
    return time.perf_counter() - start, _cpu() - cpu


def _breakdown(sample: list[Article], settings) -> None:
    """Where a single process spends its time, component by component, on a sample."""
    from ..enrich.doc import Doc
    from ..enrich.runner import build_pipeline

    pipeline = build_pipeline(tuple(settings.enrich.components))
    pipeline([Doc.of(a) for a in sample[:4]])  # load the models first
    pipeline.timings = dict.fromkeys(pipeline.names, 0.0)
    pipeline([Doc.of(a) for a in sample])
    total = sum(pipeline.timings.values())
    nlp = pipeline.timings.get("nlp", 0.0) or total
    parts = ", ".join(f"{name} {t / nlp:.0%}" for name, t in pipeline.timings.items() if name != "nlp")
    click.echo(f"single process, {len(sample)} articles: per component, as a share of the models' own time: {parts}")
