"""Train the shipped relation scorer and print the figures it reaches.

    .venv/bin/python scripts/train_relate.py --data /work/shared/datasets/claimdiff

First runs ``narrascope bench relate``'s evaluation (tuning half / reporting half split by topic),
so the figures printed belong to exactly this recipe; then fits the two regressions of
``narrascope.link.learned`` on all 1,857 ClaimDiff train pairs and writes
``src/narrascope/models/relate.npz``. Each task's threshold is the lowest at which 9 in 10 of the
scorer's out-of-fold positives over all pairs (5 folds by topic) were right, infinity where no
threshold gets there; the F1-best thresholds are kept in the metadata for reference.
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

from narrascope.bench.relate import POSITIVE, evaluate, load_pairs, prepare  # noqa: E402
from narrascope.config import default_settings  # noqa: E402
from narrascope.errors import NarrascopeError  # noqa: E402
from narrascope.link.learned import (  # noqa: E402
    DEFAULT_C,
    FEATURES,
    MIN_PRECISION,
    TASKS,
    best_threshold,
    build,
    out_of_fold,
    precision_threshold,
)
from narrascope.link.relate import RelateParams  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "datasets" / "claimdiff")
    parser.add_argument("--output", type=Path, default=REPO / "src" / "narrascope" / "models" / "relate.npz")
    parser.add_argument("--no-eval", action="store_true", help="skip the evaluation (faster; no figures)")
    args = parser.parse_args(argv)

    import sklearn

    try:
        pairs = load_pairs(args.data)
    except (OSError, KeyError, ValueError, NarrascopeError) as exc:
        print(f"error: {args.data}: cannot read ClaimDiff ({exc})", file=sys.stderr)
        return 2
    print(f"pairs: {len(pairs)} from {args.data}")
    prep = prepare(pairs)
    figures = {}
    if not args.no_eval:
        params = RelateParams(**default_settings().link.relate.to_dict())
        table = evaluate(prep, params, tune=False)
        figures = {
            half: {
                method: {task: round(cells[task].f1, 4) for task in POSITIVE}
                for method, cells in by_method.items()
                if not method.startswith("majority")
            }
            for half, by_method in table.items()
        }

    start = time.perf_counter()
    x = prep.features(with_nli=False)
    labels = {task: prep.y[task] for task in TASKS}
    thresholds, f1_best = {}, {}
    for task in TASKS:
        oof = out_of_fold(x, labels[task], prep.topic, DEFAULT_C)
        thresholds[task] = precision_threshold(labels[task], oof, MIN_PRECISION)
        f1_best[task] = round(best_threshold(labels[task], oof), 4)
        shown = "none reaches it" if np.isinf(thresholds[task]) else f"{thresholds[task]:.3f}"
        print(f"{task}: threshold at precision >= {MIN_PRECISION} {shown}; F1-best {f1_best[task]:.3f}")
    scorer = build(
        x,
        labels,
        thresholds,
        FEATURES,
        DEFAULT_C,
        metadata={
            "data": "claimdiff ClaimDiff-S/-W train (kaistAI/ClaimDiff 19d033c1): 1,857 pairs, "
            "strengthen -> supports, weaken -> contradicts",
            "rows": {"pairs": len(pairs), **{t: int(labels[t].sum()) for t in TASKS}},
            "thresholds": f"lowest with out-of-fold precision >= {MIN_PRECISION} (5 folds by topic); "
            "inf (never) where none is",
            "f1_best_thresholds": f1_best,
            "command": "python scripts/train_relate.py --data DATASETS/claimdiff",
            "evaluation_f1": figures,
            "versions": {
                "python": platform.python_version(),
                "numpy": np.__version__,
                "scikit-learn": sklearn.__version__,
            },
        },
    )
    scorer.save(args.output)
    print(f"wrote {args.output} ({args.output.stat().st_size} bytes) in {time.perf_counter() - start:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
