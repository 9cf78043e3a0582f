"""FNC-1 stance: the relative score, macro-F1, per-class F1 and confusion matrix on held-out bodies.

By default the shipped model (``narrascope/models/stance.npz``) is scored on the bodies
``scripts/train_stance.py`` held out when it trained that file (a hash of the body id picks about
20% of them), through the run-time path: raw headline and body text in, embeddings and all. With
``--retrain`` a model is trained here on the other bodies first and scored on the same held-out
ones; ``--split claims`` (implies ``--retrain``) holds out whole claims, new headlines and new
bodies alike, which is closer to the competition's test set than a split by body.

``--reader`` scores through what the narratives stage runs (:mod:`narrascope.narratives.thesis_stance`):
the bodies are enriched (sentences, attributions, hedges), the relevance gate decides unrelated,
and the closest sentences are read by the relation model; the stance model alone, on the same
sentences, is printed first for comparison. ``--corpus arc`` scores ARC (reader comments against
claims, in FNC's format), which the stance model never saw: a hash of the body id picks 20% of it.

FNC's relative score rewards the majority classes (unrelated alone is 73% of pairs), so macro-F1
and the F1 of disagree (1.7% of pairs) are printed next to it.
"""

from __future__ import annotations

import time

import click
import numpy as np

from ..embeddings import USEEmbedder
from . import dataset_dir

READER_LABELS = {"support": 0, "oppose": 1, "discuss": 2, "unrelated": 3}  # FNC class order


@click.command("fnc1")
@click.option("--data", default=None, metavar="DIR", help="the fnc-1 (or arc-stance) folder [default: shared datasets]")
@click.option("--corpus", type=click.Choice(["fnc-1", "arc"]), default="fnc-1", show_default=True,
              help="FNC-1, or ARC (comments vs claims; all of it unseen by the model)")
@click.option("--retrain", is_flag=True, help="train on the other bodies here instead of scoring the shipped model")
@click.option("--split", "how", type=click.Choice(["bodies", "claims"]), default="bodies", show_default=True,
              help="what is held out: bodies, or whole claims (implies --retrain)")
@click.option("--reader", is_flag=True, help="score through the relevance gate and the relation model too")
@click.option("--config", default=None, metavar="FILE", help="settings file (e.g. link.relation_model)")
@click.option("--cache/--no-cache", default=True, help="keep embeddings in ~/.cache/narrascope between runs")
@click.option("--threads", type=click.IntRange(1, 64), default=2, show_default=True,
              help="threads of the sentence encoder (1 on a busy machine)")
def command(data: str | None, corpus: str, retrain: bool, how: str, reader: bool, config: str | None, cache: bool,
            threads: int) -> None:
    """Stance: FNC-1 relative score, macro-F1 and confusion on held-out bodies."""
    from ..narratives.stance import StanceModel
    from ..training import stance as st

    embedder = USEEmbedder(threads=threads)
    if corpus == "arc":
        root = dataset_dir("pairs/arc-stance", data)
        fnc = st.load_fnc(root, "arc_bodies.csv", "arc_stances_train.csv")
        held = np.array([st._hashed(f"arc-body-{b}") for b in fnc.body])
        train = ~held
        how = "bodies"
    else:
        root = dataset_dir("fnc-1", data)
        fnc = st.load_fnc(root)
        train, held = st.split(fnc, how)
    rows = np.flatnonzero(held)
    click.echo(f"{corpus}: {len(fnc.y):,} pairs, {len(fnc.bodies):,} bodies from {root}")
    click.echo(f"held out ({how}): {len(rows):,} pairs of {len(set(fnc.body[rows].tolist())):,} bodies; "
               f"{int(train.sum()):,} pairs to train on")
    start = time.perf_counter()
    if corpus == "fnc-1" and (retrain or how == "claims"):
        click.echo("model: trained now on the training part (scikit-learn), scored on the held-out part")
        inputs = st.build_inputs(fnc, embedder, use_cache=cache, say=click.echo)
        model = st.fit(fnc, inputs, train, embedder, say=click.echo)
        scored = time.perf_counter()
        if not reader:
            predicted = st.predict_inputs(model, inputs, rows).argmax(axis=1)
    else:
        model = StanceModel.load()
        trained_on = model.metadata.get("split", "")
        expected = f"held out: bodies whose sha256('fnc1-body-<id>') % 100 < {st.HELD_OUT_PERCENT}"
        click.echo("model: the shipped stance.npz, which was trained without these bodies "
                   f"({model.metadata.get('trained', '?')}), scored through predict_many on raw text")
        if corpus == "fnc-1" and trained_on != expected:
            click.echo(f"warning: the shipped model was trained with another split ({trained_on!r}); "
                       "it may have seen some of these bodies")
        scored = time.perf_counter()
        if not reader:
            predicted = _plain(model, fnc, rows, embedder, st)
    if reader:
        before, predicted = _through_reader(model, fnc, rows, embedder, config)
        click.echo("the stance model alone, on the enriched sentences:")
        for line in st.describe(st.figures(fnc.y[rows], before)):
            click.echo("  " + line)
        click.echo("through the reader (relevance gate, relation model, attribution):")
    seconds = time.perf_counter() - scored
    fig = st.figures(fnc.y[rows], predicted)
    for line in st.describe(fig):
        click.echo(line)
    click.echo(f"time: {time.perf_counter() - start:.0f}s in all; scoring {len(rows):,} pairs took {seconds:.1f}s "
               f"({len(rows) / max(seconds, 1e-9):,.0f} pairs/s)")
    click.echo(f"fnc1: relative_score={fig['relative_score']:.2f}")


def _plain(model, fnc, rows: np.ndarray, embedder, st) -> np.ndarray:
    pairs = [(fnc.headlines[fnc.head[i]], fnc.bodies[fnc.body[i]]) for i in rows]
    order = np.argsort(fnc.body[rows], kind="stable")  # one body's pairs together: embedded once
    predicted = np.zeros(len(rows), dtype=np.int64)
    for chunk in np.array_split(order, max(1, len(order) // 512)):
        results = model.predict_many([pairs[i] for i in chunk], embedder)
        predicted[chunk] = [st.LABELS.index(r.label) for r in results]
    return predicted


def _through_reader(model, fnc, rows: np.ndarray, embedder, config: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(the stance model's own labels, the reader's labels) for ``rows``, one body's pairs together."""
    from ..config import load_settings
    from ..narratives.relevance import Vocabulary
    from ..narratives.thesis_stance import Pair, build_reader
    from .stance_theses import article_texts

    ids = sorted({int(b) for b in fnc.body[rows]})
    click.echo(f"enriching {len(ids):,} bodies (sentences, attributions, hedges)")
    texts = article_texts([{"id": str(b), "text": fnc.bodies[b]} for b in ids])
    reader = build_reader(load_settings(config), embedder, model)
    vocabulary = Vocabulary.of_texts(fnc.bodies.values())  # word rarity over the whole corpus, as calibrated
    before = np.zeros(len(rows), dtype=np.int64)
    after = np.zeros(len(rows), dtype=np.int64)
    order = np.argsort(fnc.body[rows], kind="stable")
    for chunk in np.array_split(order, max(1, len(order) // 256)):
        pairs = [Pair(fnc.headlines[fnc.head[rows[i]]], "en", texts[str(int(fnc.body[rows[i]]))]) for i in chunk]
        for i, s in zip(chunk, reader.read(pairs, vocabulary=vocabulary), strict=True):
            before[i] = READER_LABELS[max(s.model, key=s.model.get)]
            after[i] = READER_LABELS[s.label]
    return before, after
