"""Train the stance model on FNC-1 and write src/narrascope/models/stance.npz.

The model is trained on the pairs of about 80% of the bodies; the other bodies (chosen by a hash
of the body id, never by content) are held out, scored here, and their figures stored in the
model's metadata. ``narrascope bench fnc1`` scores the shipped file on the same held-out bodies.
``--claims`` also trains and scores a throwaway model with whole claims held out (new headlines
and new bodies, as in the competition's test set); that figure is stored too.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))  # run from a checkout without installing

from narrascope.embeddings import USEEmbedder  # noqa: E402
from narrascope.errors import NarrascopeError  # noqa: E402
from narrascope.narratives.stance import StanceModel  # noqa: E402
from narrascope.training import stance as st  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "datasets" / "fnc-1",
                        help="the fnc-1 folder (train_bodies.csv, train_stances.csv) [default: ../shared/datasets/fnc-1]")
    parser.add_argument("--output", type=Path, default=REPO / "src" / "narrascope" / "models" / "stance.npz")
    parser.add_argument("--claims", action="store_true", help="also score a model with whole claims held out")
    parser.add_argument("--no-cache", action="store_true", help="embed again instead of using ~/.cache")
    parser.add_argument("--threads", type=int, default=2, help="threads of the sentence encoder [default: 2]")
    args = parser.parse_args(argv)

    import sklearn

    total = time.perf_counter()
    embedder = USEEmbedder(threads=args.threads)
    try:
        data = st.load_fnc(args.data)
    except NarrascopeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"fnc-1: {len(data.bodies):,} bodies, {len(data.y):,} pairs, {len(data.headlines):,} headlines")
    inputs = st.build_inputs(data, embedder, use_cache=not args.no_cache)

    evaluation = {}
    if args.claims:
        train, held = st.split(data, "claims")
        print(f"claims split: training on {train.sum():,} pairs, scoring {held.sum():,} pairs of unseen claims")
        throwaway = st.fit(data, inputs, train, embedder)
        evaluation["held_out_claims"] = fig = st.figures(data.y[held], st.predict_inputs(
            throwaway, inputs, np.flatnonzero(held)).argmax(axis=1))
        print("\n".join(st.describe(fig)))

    train, held = st.split(data, "bodies")
    print(f"bodies split: training on {train.sum():,} pairs ({len(set(data.body[train].tolist())):,} bodies), "
          f"holding out {held.sum():,} pairs ({len(set(data.body[held].tolist())):,} bodies)")
    model = st.fit(data, inputs, train, embedder)
    held_rows = np.flatnonzero(held)
    probs = st.predict_inputs(model, inputs, held_rows)
    evaluation["held_out_bodies"] = fig = st.figures(data.y[held], probs.argmax(axis=1))
    print("held-out bodies:")
    print("\n".join(st.describe(fig)))

    # The figures above come from precomputed inputs; the run-time path must agree with them.
    picks = np.arange(0, len(held_rows), max(1, len(held_rows) // 40))[:40]
    pairs = [(data.headlines[data.head[i]], data.bodies[data.body[i]]) for i in held_rows[picks]]
    results = model.predict_many(pairs, embedder)
    gap = max(abs(r.probabilities[label] - probs[j, k])
              for r, j in zip(results, picks, strict=True) for k, label in enumerate(r.probabilities))
    print(f"run-time path vs training inputs on {len(picks)} held-out pairs: largest probability gap {gap:.2e}")
    if gap > 1e-3:
        print("error: run-time features differ from the training features", file=sys.stderr)
        return 1

    model.metadata.update({
        "data": "fnc-1 train_bodies.csv + train_stances.csv (FakeNewsChallenge/fnc-1 29d473af)",
        "split": f"held out: bodies whose sha256('fnc1-body-<id>') % 100 < {st.HELD_OUT_PERCENT}",
        "command": "python scripts/train_stance.py --claims",
        "evaluation": evaluation,
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "scikit-learn": sklearn.__version__},
    })
    args.output.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.output)
    StanceModel.load(args.output)  # what was written loads
    print(f"wrote {args.output} ({args.output.stat().st_size / 1024:.0f} KiB) in {time.perf_counter() - total:.0f}s total")
    print(f"fnc1: relative_score={fig['relative_score']:.2f} macro_f1={fig['macro_f1']:.4f} "
          f"disagree_f1={fig['f1']['disagree']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
