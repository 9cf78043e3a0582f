"""Train the shipped English parse check-worthiness model and print the figures it reaches.

    .venv/bin/python scripts/train_checkworthy_parse.py --data /work/shared/datasets

Parses every ClaimBuster kfold_25ncs sentence and CLEF-2019 training line with the English spaCy
pipeline narrascope uses (``narrascope.enrich.nlp.spacy_english``), trains the recipe of
``narrascope.bench.checkworthy.PARSE_RECIPE`` on all of them and writes
``src/narrascope/models/checkworthy_en_parse.npz``. Before that it runs the benchmark's
evaluations (leave-one-debate-out on CLEF, 4-fold CV on ClaimBuster) so the figures printed belong
to exactly this recipe; they are also stored in the model's metadata.
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

from narrascope.bench.checkworthy import PARSE_RECIPE, PARSE_VARIANTS, evaluate, fit  # noqa: E402
from narrascope.enrich.nlp import spacy_english  # noqa: E402
from narrascope.errors import NarrascopeError  # noqa: E402
from narrascope.training.checkworthy_data import load_parse_corpus  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=REPO.parent / "shared" / "datasets",
        help="folder holding claimbuster/ and clef2019-checkthat/ [default: ../shared/datasets]",
    )
    parser.add_argument(
        "--output", type=Path, default=REPO / "src" / "narrascope" / "models" / "checkworthy_en_parse.npz"
    )
    parser.add_argument("--no-eval", action="store_true", help="skip the evaluations (faster; no figures)")
    parser.add_argument("--compare", action="store_true", help="also measure the variants the recipe beat")
    parser.add_argument("--no-cache", action="store_true", help="parse again instead of using ~/.cache")
    args = parser.parse_args(argv)

    import sklearn
    import spacy

    nlp = spacy_english()
    try:
        corpus = load_parse_corpus(args.data, nlp, use_cache=not args.no_cache)
    except NarrascopeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"claimbuster: {corpus.n_cb} sentences, {int(corpus.cb_labels.sum())} check-worthy; "
        f"clef2019: {len(corpus.debates)} debates, {len(corpus.clef_texts)} lines, "
        f"{int(corpus.clef_labels.sum())} check-worthy"
    )
    variants = PARSE_VARIANTS if args.compare else None
    figures = {} if args.no_eval else evaluate(corpus, PARSE_RECIPE, variants=variants)

    start = time.perf_counter()
    model = fit(
        corpus, np.ones(corpus.n_cb, dtype=bool), np.ones(len(corpus.clef_texts), dtype=bool), PARSE_RECIPE
    )
    model.metadata.update(
        {
            "data": {
                "claimbuster": "claimbuster/data/two_class/kfold_25ncs.json (idirlab/claimspotter f924a4c3)",
                "clef2019": "clef2019-checkthat/data/training/*.tsv, 19 debates (apepa/clef2019-factchecking-task1 "
                "7d463336); speaker column unused",
            },
            "command": "python scripts/train_checkworthy_parse.py --data DATASETS",
            "evaluation": {k: round(v, 4) for k, v in figures.items()},
            "versions": {
                "python": platform.python_version(),
                "numpy": np.__version__,
                "scikit-learn": sklearn.__version__,
                "spacy": spacy.__version__,
                "spacy_pipeline": f"{model.pipeline} {model.version}",
            },
        }
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.output)
    print(
        f"trained on all rows in {time.perf_counter() - start:.1f}s; wrote {args.output} "
        f"({args.output.stat().st_size / 1024:.1f} KiB)"
    )
    for name, value in figures.items():
        print(f"{name}={value:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
