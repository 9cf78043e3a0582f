"""FNC-1 stance: the relative score, macro-F1, per-class F1 and confusion matrix on held-out bodies.

By default the shipped model (``narrascope/models/stance.npz``) is scored on the bodies
``scripts/train_stance.py`` held out when it trained that file (a hash of the body id picks about
20% of them), through the run-time path: raw headline and body text in, embeddings and all. With
``--retrain`` a model is trained here on the other bodies first and scored on the same held-out
ones; ``--split claims`` (implies ``--retrain``) holds out whole claims, new headlines and new
bodies alike, which is closer to the competition's test set than a split by body.

FNC's relative score rewards the majority classes (unrelated alone is 73% of pairs), so macro-F1
and the F1 of disagree (1.7% of pairs) are printed next to it.
"""

from __future__ import annotations

import time

import click
import numpy as np

from ..embeddings import USEEmbedder
from . import dataset_dir


@click.command("fnc1")
@click.option("--data", default=None, metavar="DIR", help="the fnc-1 folder [default: shared datasets]")
@click.option("--retrain", is_flag=True, help="train on the other bodies here instead of scoring the shipped model")
@click.option("--split", "how", type=click.Choice(["bodies", "claims"]), default="bodies", show_default=True,
              help="what is held out: bodies, or whole claims (implies --retrain)")
@click.option("--cache/--no-cache", default=True, help="keep embeddings in ~/.cache/narrascope between runs")
@click.option("--threads", type=click.IntRange(1, 64), default=2, show_default=True,
              help="threads of the sentence encoder (1 on a busy machine)")
def command(data: str | None, retrain: bool, how: str, cache: bool, threads: int) -> None:
    """Stance: FNC-1 relative score, macro-F1 and confusion on held-out bodies."""
    from ..narratives import stance_train as st
    from ..narratives.stance import StanceModel

    root = dataset_dir("fnc-1", data)
    fnc = st.load_fnc(root)
    embedder = USEEmbedder(threads=threads)
    train, held = st.split(fnc, how)
    rows = np.flatnonzero(held)
    click.echo(f"fnc-1: {len(fnc.y):,} pairs, {len(fnc.bodies):,} bodies from {root}")
    click.echo(f"held out ({how}): {len(rows):,} pairs of {len(set(fnc.body[rows].tolist())):,} bodies; "
               f"{int(train.sum()):,} pairs to train on")
    start = time.perf_counter()
    if retrain or how == "claims":
        click.echo("model: trained now on the training part (scikit-learn), scored on the held-out part")
        inputs = st.build_inputs(fnc, embedder, use_cache=cache, say=click.echo)
        model = st.fit(fnc, inputs, train, embedder, say=click.echo)
        scored = time.perf_counter()
        predicted = st.predict_inputs(model, inputs, rows).argmax(axis=1)
    else:
        model = StanceModel.load()
        trained_on = model.metadata.get("split", "")
        expected = f"held out: bodies whose sha256('fnc1-body-<id>') % 100 < {st.HELD_OUT_PERCENT}"
        click.echo("model: the shipped stance.npz, which was trained without these bodies "
                   f"({model.metadata.get('trained', '?')}), scored through predict_many on raw text")
        if trained_on != expected:
            click.echo(f"warning: the shipped model was trained with another split ({trained_on!r}); "
                       "it may have seen some of these bodies")
        scored = time.perf_counter()
        pairs = [(fnc.headlines[fnc.head[i]], fnc.bodies[fnc.body[i]]) for i in rows]
        order = np.argsort(fnc.body[rows], kind="stable")  # one body's pairs together: embedded once
        predicted = np.zeros(len(rows), dtype=np.int64)
        for chunk in np.array_split(order, max(1, len(order) // 512)):
            results = model.predict_many([pairs[i] for i in chunk], embedder)
            predicted[chunk] = [st.LABELS.index(r.label) for r in results]
    seconds = time.perf_counter() - scored
    fig = st.figures(fnc.y[rows], predicted)
    for line in st.describe(fig):
        click.echo(line)
    click.echo(f"time: {time.perf_counter() - start:.0f}s in all; scoring {len(rows):,} pairs took {seconds:.1f}s "
               f"({len(rows) / max(seconds, 1e-9):,.0f} pairs/s)")
    click.echo(f"fnc1: relative_score={fig['relative_score']:.2f}")
