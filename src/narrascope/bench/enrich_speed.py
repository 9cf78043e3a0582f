"""Enrichment speed: words per second of the enrich stage next to the language models alone.

The demo corpus is repeated (each copy marked, so every article is distinct) until it holds at
least ``--words`` words. The reference runs the same models on the same texts with the same
parallelism: spaCy (same model, same components, ``nlp.pipe``) for English and natasha
(segmentation, NER, morphology) for Russian. Then the whole stage runs — models, our
components, the check-worthiness model, entity canonicalisation and the store writes — and
the overhead is the extra time it takes over the reference.
"""

from __future__ import annotations

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

    engine = LocalEngine(workers)
    start = time.perf_counter()
    for fn, lang in ((_spacy_chunk, "en"), (_natasha_chunk, "ru")):
        texts = [a.text for a in articles if a.language == lang]
        list(engine.map(fn, [texts[i : i + chunk] for i in range(0, len(texts), chunk)]))
    t_ref = time.perf_counter() - start
    click.echo(f"reference: spaCy (en) + natasha (ru) alone   {words / t_ref:8.0f} words/s ({t_ref:.1f}s)")

    with tempfile.TemporaryDirectory(prefix="narrascope-bench-") as tmp:
        store = SQLStore(str(Path(tmp) / "enrich.db"))
        with store.transaction():
            for a in articles:
                store.add_article(a)
        start = time.perf_counter()
        report = enrich_articles(store, settings, engine=LocalEngine(workers))
        t_ours = time.perf_counter() - start
        store.close()
    click.echo(f"narrascope enrich stage                     {words / t_ours:8.0f} words/s ({t_ours:.1f}s; "
               f"{report.claims} candidate claims, {report.entities} entities)")
    overhead = t_ours / t_ref - 1
    click.echo(f"overhead of the stage over the models alone: {overhead:+.1%}")
    _breakdown(articles[: max(1, len(articles) // 10)], settings)
    click.echo(f"enrich: overhead={overhead:.3f}")


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
