"""Train the shipped persuasion-technique model and print the figures it reaches.

    .venv/bin/python scripts/train_techniques.py --data /work/shared/datasets/ptc

Cross-validates the recipes of ``narrascope.bench.techniques.RECIPES`` over the PTC articles (5
folds by article; thresholds for each fold chosen on the other folds), then trains each route on
all articles with the thresholds chosen on all out-of-fold scores, and writes
``src/narrascope/models/techniques.npz``. The figures printed are stored in the model's metadata.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))  # run from a checkout without installing

from narrascope.bench.techniques import RECIPES, report  # noqa: E402
from narrascope.embeddings import USEEmbedder  # noqa: E402
from narrascope.errors import NarrascopeError  # noqa: E402
from narrascope.narratives.techniques import MODEL_TECHNIQUES, TechniqueDetector  # noqa: E402
from narrascope.training.ptc import (  # noqa: E402
    CachedEmbedder,
    build_corpus,
    cross_validate,
    load_ptc,
)
from narrascope.training.techniques import fit_route  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "datasets" / "ptc")
    parser.add_argument(
        "--output", type=Path, default=REPO / "src" / "narrascope" / "models" / "techniques.npz"
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--no-cache", action="store_true", help="parse and embed again instead of using ~/.cache"
    )
    args = parser.parse_args(argv)

    import sklearn

    try:
        articles = load_ptc(args.data)
    except NarrascopeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"ptc: {len(articles)} articles, {sum(len(a.gold) for a in articles)} technique spans")
    began = time.perf_counter()
    embedder = CachedEmbedder(USEEmbedder(), use_cache=not args.no_cache)
    routes, figures = {}, {}
    for route, params in RECIPES.items():
        start = time.perf_counter()
        corpus = build_corpus(articles, embedder, route, params.buckets)
        print(f"- {route}: {len(corpus.dense)} candidates ({time.perf_counter() - start:.0f}s); {params}")
        result = cross_validate(corpus, params, args.folds)
        report(result, print)
        figures[route] = {
            "span_f1": round(result.span["F1"], 4),
            "span_p": round(result.span["P"], 4),
            "span_r": round(result.span["R"], 4),
            "typed_f1": round(result.typed["all"]["F1"], 4),
            "technique_accuracy": round(result.technique_accuracy, 4),
            "per_technique_f1": {
                t: round(result.typed.get(t, {}).get("F1", 0.0), 4) for t in MODEL_TECHNIQUES
            },
        }
        words = corpus.words()
        model = fit_route(corpus.dense, words, corpus.iou, params)
        model.thresholds = result.thresholds
        routes[route] = model
        print(
            f"  trained on all {len(corpus.dense)} candidates; thresholds "
            + ", ".join(f"{t}={v:.2f}" for t, v in zip(MODEL_TECHNIQUES, result.thresholds, strict=True))
        )
        del corpus, words

    detector = TechniqueDetector(
        routes,
        embedder.name,
        embedder.dim,
        {
            "trained": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "data": "PTC v2 train: 300 articles, train-task2-TC.labels (gangeshwark/PropagandaNews 817089ff)",
            "command": "python scripts/train_techniques.py --data DATASETS/ptc",
            "params": {route: vars(params) for route, params in RECIPES.items()},
            "evaluation": {"folds": args.folds, **figures},
            "versions": {
                "python": platform.python_version(),
                "numpy": np.__version__,
                "scikit-learn": sklearn.__version__,
            },
        },
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    detector.save(args.output)
    print(
        f"wrote {args.output} ({args.output.stat().st_size / 1024:.0f} KiB) "
        f"in {(time.perf_counter() - began) / 60:.0f} minutes"
    )
    for route, f in figures.items():
        print(f"{route}: span_f1={f['span_f1']:.4f} typed_f1={f['typed_f1']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
