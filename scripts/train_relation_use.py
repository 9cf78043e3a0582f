"""Train the multilingual relation model: a small network over two USE vectors (any language pair).

    pip install -e '.[train]'      # torch==2.13.0 (CPU build)
    python scripts/train_relation_use.py --out src/narrascope/models/relation_use.npz

The English cross-encoder reads English only; this model covers Russian, Russian-English and the
other languages USE embeds. Its input is :func:`narrascope.link.pairmodel.pair_features` of the
two sentences' USE vectors (``[u, v, |u-v|, u*v]``), its output entailment / neutral /
contradiction. Training data: the ``tune`` parts of XNLI dev (Russian, English, and the two
crossed: a Russian premise with the English hypothesis and the reverse), SICK and ParaPhraser; the
SNLI subset, TERRa, MSRP train, FEVER-Symmetric and FNC-1 headlines against other stories' bodies.
``narrascope bench relations`` reports on the ``report`` parts.

``--choose`` is how the recipe was chosen: it holds out a third of the XNLI and SICK ``tune``
groups (never a ``report`` pair), trains on the rest and prints accuracy on that third after each
epoch; it writes no model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

LABELS = ("entailment", "neutral", "contradiction")
CACHE = Path.home() / ".cache" / "narrascope" / "embeddings" / "use_pairs.npz"


def chosen_on(group: str) -> bool:
    """The third of the ``tune`` groups ``--choose`` holds out."""
    return hashlib.sha1(("usehead-dev:" + group).encode()).digest()[0] % 3 == 0


def xnli_views(root: Path, split: str) -> dict[str, list]:
    """XNLI dev's ``split`` part as Russian, English and crossed pairs (the two files are parallel)."""
    from narrascope.training import pairs as pd

    ru = pd.in_split(pd.xnli(root / "pairs", "ru"), split)
    en = pd.in_split(pd.xnli(root / "pairs", "en"), split)
    return {"ru": ru, "en": en,
            "ru-en": [pd.LabeledPair(r.a, e.b, r.label, r.group, "ru-en") for r, e in zip(ru, en, strict=True)],
            "en-ru": [pd.LabeledPair(e.a, r.b, r.label, r.group, "en-ru") for r, e in zip(ru, en, strict=True)]}


def training_rows(root: Path, held_out=lambda group: False) -> list:
    from narrascope.training import pairs as pd

    pr = root / "pairs"
    rows = [p for view in xnli_views(root, "tune").values() for p in view]
    rows += pd.in_split(pd.sick(pr), "tune")
    rows = [p for p in rows if not held_out(p.group)]
    rows += pd.snli(pr) + pd.terra(pr) + pd.fever_symmetric(pr)
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


class Encoded:
    """Pairs turned into :func:`pair_features` rows and label indices, through the vector cache."""

    def __init__(self, embed, cache: Path) -> None:
        self.embed, self.cache = embed, cache

    def __call__(self, rows: list) -> tuple[np.ndarray, np.ndarray]:
        from narrascope.link.pairmodel import pair_features

        texts = sorted({t for r in rows for t in (r.a, r.b)})
        index = {t: i for i, t in enumerate(texts)}
        vectors = cached_vectors(texts, self.embed, self.cache)
        x = pair_features(vectors[[index[r.a] for r in rows]], vectors[[index[r.b] for r in rows]])
        return x, np.array([LABELS.index(r.label) for r in rows])


def train(x: np.ndarray, y: np.ndarray, args, report=None) -> list[tuple[np.ndarray, np.ndarray]]:
    """A ReLU network (dropout on the input and the hidden layer, AdamW, one-cycle learning rate);
    ``report(epoch, predict)`` is called after each epoch. Returns (weight (in, out), bias) per layer."""
    import torch

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    layers, width = [torch.nn.Dropout(args.input_dropout)], x.shape[1]
    for hidden in args.hidden:
        layers += [torch.nn.Linear(width, hidden), torch.nn.ReLU(), torch.nn.Dropout(args.dropout)]
        width = hidden
    net = torch.nn.Sequential(*layers, torch.nn.Linear(width, len(LABELS)))
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    xs, ys = torch.tensor(x), torch.tensor(y)
    per_epoch = (len(y) + args.batch - 1) // args.batch
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, args.lr, total_steps=args.epochs * per_epoch, pct_start=0.1)
    order = torch.Generator().manual_seed(args.seed)

    def predict(features: np.ndarray) -> np.ndarray:
        net.eval()
        with torch.no_grad():
            return net(torch.tensor(features)).argmax(dim=1).numpy()

    for epoch in range(1, args.epochs + 1):
        net.train()
        perm = torch.randperm(len(y), generator=order)
        for i in range(0, len(y), args.batch):
            idx = perm[i : i + args.batch]
            loss = torch.nn.functional.cross_entropy(net(xs[idx]), ys[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            schedule.step()
        if report:
            report(epoch, predict)
    linear = [m for m in net if isinstance(m, torch.nn.Linear)]
    return [(m.weight.detach().numpy().T.copy(), m.bias.detach().numpy().copy()) for m in linear]


def probabilities(weights, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """What :class:`narrascope.link.pairmodel.USEPairHead` computes, from the weights in memory."""
    from narrascope.link.pairmodel import pair_features

    h = pair_features(u, v)
    for i, (w, b) in enumerate(weights):
        h = h @ w + b
        h = np.maximum(h, 0.0) if i < len(weights) - 1 else h
    p = np.exp(h - h.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def decision_sweep(name: str, rows: list, weights, encode: Encoded) -> None:
    """How the link stage's use of this model (``RelateParams.weak``: contradiction read both ways,
    agreement only between vectors at least ``weak_similarity`` = 0.70 close) would do at each
    threshold on held-out pairs: what it flags and how many of those are right."""
    texts = sorted({t for r in rows for t in (r.a, r.b)})
    index = {t: i for i, t in enumerate(texts)}
    vectors = cached_vectors(texts, encode.embed, encode.cache)
    u, v = vectors[[index[r.a] for r in rows]], vectors[[index[r.b] for r in rows]]
    forward, backward = probabilities(weights, u, v), probabilities(weights, v, u)
    gold = np.array([r.label for r in rows])
    contradiction = (forward[:, 2] + backward[:, 2]) / 2
    agreement = np.where((u * v).sum(axis=1) >= 0.70, np.maximum(forward[:, 0], backward[:, 0]), 0.0)
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
        said = []
        for what, score, label in (("contradicts", contradiction, "contradiction"), ("agrees", agreement, "entailment")):
            flagged = score >= threshold
            right = int(np.sum(flagged & (gold == label)))
            said.append(f"{what} {right} right of {int(flagged.sum())} flagged ({int(np.sum(gold == label))} in all)")
        print(f"xnli {name} held out, threshold {threshold:.2f}: " + "; ".join(said), flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="../shared/datasets")
    ap.add_argument("--out", type=Path, default=Path("src/narrascope/models/relation_use.npz"))
    ap.add_argument("--hidden", type=int, nargs="+", default=[256], help="hidden layer widths")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--input-dropout", type=float, default=0.2)
    ap.add_argument("--weight-decay", type=float, default=1e-2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest on a busy machine)")
    ap.add_argument("--cache", type=Path, default=CACHE,
                    help="sentence vectors kept between runs (a rerun embeds only new sentences)")
    ap.add_argument("--choose", action="store_true",
                    help="hold out a third of the XNLI and SICK tune groups, print accuracy on it each epoch, write nothing")
    args = ap.parse_args(argv)

    from narrascope.bench import datasets_root
    from narrascope.embeddings import USEEmbedder
    from narrascope.training import pairs as pd

    root = args.data or datasets_root()
    started = time.time()
    encode = Encoded(USEEmbedder().embed, args.cache)
    rows = training_rows(root, chosen_on if args.choose else lambda group: False)
    print(f"training pairs: {len(rows)}", flush=True)
    x, y = encode(rows)
    split = "tune" if args.choose else "report"
    views = xnli_views(root, split)
    sick = pd.in_split(pd.sick(root / "pairs"), split)
    scored = {f"xnli_ru_{split}": views["ru"], f"xnli_en_ru_{split}": views["en-ru"], f"sick_{split}": sick}
    if args.choose:
        scored = {name: [p for p in rows_ if chosen_on(p.group)] for name, rows_ in scored.items()}
    sets = {name: encode(rows_) for name, rows_ in scored.items()}
    scores: dict[str, float] = {}

    def report(epoch: int, predict) -> None:
        for name, (xs, ys) in sets.items():
            scores[name] = round(float(np.mean(predict(xs) == ys)), 4)
        if args.choose or epoch == args.epochs:
            print(f"epoch {epoch}: " + ", ".join(f"{k} accuracy {v:.4f} (n={len(sets[k][1])})"
                                                  for k, v in scores.items()), flush=True)

    weights = train(x, y, args, report)
    if args.choose:
        views = {name: [p for p in rows_ if chosen_on(p.group)] for name, rows_ in xnli_views(root, "tune").items()}
        for name in ("ru", "en-ru"):
            decision_sweep(name, views[name], weights, encode)
        return 0
    arrays = {}
    for i, (w, b) in enumerate(weights):
        arrays[f"w{i}"], arrays[f"b{i}"] = w.astype(np.float16), b.astype(np.float16)
    from narrascope.link.pairmodel import PAIR_FEATURES

    recipe = {k: getattr(args, k) for k in ("hidden", "epochs", "lr", "batch", "dropout", "input_dropout",
                                              "weight_decay", "seed")}
    meta = {"format": 2, "features": PAIR_FEATURES, "dim": int(x.shape[1] // 4), "layers": len(weights),
            "labels": list(LABELS), "training_pairs": len(rows), "recipe": recipe,
            "minutes": round((time.time() - started) / 60, 1), **scores}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **arrays)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
