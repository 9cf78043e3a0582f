"""Train the multilingual relation model: a small network over two USE vectors (any language pair).

    python scripts/train_relation_use.py --out src/narrascope/models/relation_use.npz

The English cross-encoder reads English only; this model covers Russian, Russian-English and the
other languages USE embeds. Its input is :func:`narrascope.link.pairmodel.pair_features` of the
two sentences' USE vectors, its output entailment / neutral / contradiction. Training data: the
``tune`` parts of XNLI dev (Russian, English, and the two crossed: a Russian premise with the
English hypothesis and the reverse), SICK and ParaPhraser; the SNLI subset, TERRa, MSRP train,
FEVER-Symmetric and FNC-1 headlines against other stories' bodies. ``narrascope bench relations``
reports on the ``report`` parts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

LABELS = ("entailment", "neutral", "contradiction")


def training_rows(root: Path):
    from narrascope.training import pairs as pd

    pr = root / "pairs"
    ru = pd.in_split(pd.xnli(pr, "ru"), "tune")
    en = pd.in_split(pd.xnli(pr, "en"), "tune")
    crossed = [pd.LabeledPair(r.a, e.b, r.label, r.group, "ru-en") for r, e in zip(ru, en, strict=True)]
    crossed += [pd.LabeledPair(e.a, r.b, r.label, r.group, "en-ru") for r, e in zip(ru, en, strict=True)]
    rows = ru + en + crossed
    rows += pd.in_split(pd.sick(pr), "tune") + pd.snli(pr) + pd.terra(pr) + pd.fever_symmetric(pr)
    rows += [pd.LabeledPair(p.a, p.b, "entailment" if p.label == "paraphrase" else "neutral", p.group, p.language)
             for p in pd.in_split(pd.paraphraser(pr), "tune") + pd.msrp(pr, "train")]
    rows += pd.fnc_unrelated(root, limit=1500)
    return [r for r in rows if r.label in LABELS]


def cached_vectors(texts: list[str], embed, cache: Path) -> np.ndarray:
    known: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache, allow_pickle=False) as data:
            known = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
    missing = sorted({t for t in texts if t not in known})
    for i in range(0, len(missing), 512):
        for t, v in zip(missing[i : i + 512], embed(missing[i : i + 512]), strict=True):
            known[t] = v
        if i % 5120 == 0 or i + 512 >= len(missing):
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.savez(cache, texts=np.array(list(known)), vectors=np.vstack(list(known.values())))
            print(f"embedded {min(i + 512, len(missing))}/{len(missing)}", flush=True)
    return np.vstack([known[t] for t in texts])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="../shared/datasets")
    ap.add_argument("--out", type=Path, default=Path("src/narrascope/models/relation_use.npz"))
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--cache", type=Path, default=Path("build/use_vectors.npz"),
                    help="sentence vectors kept between runs (a rerun embeds only new sentences)")
    args = ap.parse_args(argv)

    from sklearn.neural_network import MLPClassifier

    from narrascope.bench import datasets_root
    from narrascope.embeddings import USEEmbedder
    from narrascope.link.pairmodel import pair_features
    from narrascope.training import pairs as pd

    root = args.data or datasets_root()
    started = time.time()
    rows = training_rows(root)
    embed = USEEmbedder().embed
    texts = sorted({t for r in rows for t in (r.a, r.b)})
    print(f"training pairs: {len(rows)}; sentences to embed: {len(texts)}", flush=True)
    index = {t: i for i, t in enumerate(texts)}
    vectors = cached_vectors(texts, embed, args.cache)
    x = pair_features(vectors[[index[r.a] for r in rows]], vectors[[index[r.b] for r in rows]])
    y = np.array([LABELS.index(r.label) for r in rows])
    net = MLPClassifier(hidden_layer_sizes=(args.hidden,), alpha=1e-3, batch_size=128, learning_rate_init=1e-3,
                        max_iter=60, early_stopping=True, validation_fraction=0.1, n_iter_no_change=6,
                        random_state=args.seed)
    net.fit(x, y)
    scores = {}
    for name, pairs in (("xnli_ru_report", pd.in_split(pd.xnli(root / "pairs", "ru"), "report")),
                        ("sick_report", pd.in_split(pd.sick(root / "pairs"), "report"))):
        u = cached_vectors([p.a for p in pairs], embed, args.cache)
        v = cached_vectors([p.b for p in pairs], embed, args.cache)
        pred = net.predict(pair_features(u, v))
        scores[name] = round(float(np.mean(pred == np.array([LABELS.index(p.label) for p in pairs]))), 4)
        print(f"{name} accuracy: {scores[name]:.4f}", flush=True)
    arrays = {}
    for i, (w, b) in enumerate(zip(net.coefs_, net.intercepts_, strict=True)):
        arrays[f"w{i}"], arrays[f"b{i}"] = w.astype(np.float16), b.astype(np.float16)
    meta = {"format": 1, "layers": len(net.coefs_), "labels": list(LABELS), "training_pairs": len(rows),
            "minutes": round((time.time() - started) / 60, 1), **scores}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **arrays)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
