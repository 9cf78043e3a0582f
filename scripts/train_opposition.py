"""Train the opposition head (narrascope.link.opposition): opposed positions on one question.

    python scripts/train_opposition.py --out src/narrascope/models/opposition_en.npz

Reads Perspectrum (train and dev claims; with ``--extra`` also FNC-1 same-body pairs and
Climate-FEVER) and the audit's tuning events (``audits/relations.jsonl``; the reporting events are never read), computes each
pair's features through the run-time path (narrascope.training.opposition.features: the shipped
relation model, the views ``narrascope relate`` builds), and prints, for each candidate recipe, the
audit tuning events' precision and recall of "opposed" at each level, leave one event out: each
event is scored by a head fitted on the public pairs and the other events. The recipe written is
``--c`` / ``--audit-weight``; the level to ship goes in defaults.toml (``link.relate.opposed``)
by the rule models/README.md states. Needs scikit-learn (a dev dependency).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

LEVELS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "datasets"))
    parser.add_argument("--out", default=None, help="where to write the model (default: print figures only)")
    parser.add_argument("--c", type=float, default=0.1, help="inverse L2 strength")
    parser.add_argument("--audit-weight", type=float, default=3.0, help="weight of an audit pair against a public one")
    parser.add_argument("--level", type=float, default=None,
                        help="the level chosen by the ship rule (models/README.md), recorded in the file")
    parser.add_argument("--extra", action="store_true",
                        help="also train on FNC-1 same-body and Climate-FEVER pairs (tried; lower figures)")
    parser.add_argument("--cache", default=str(Path.home() / ".cache" / "narrascope" / "opposition_features.npz"))
    args = parser.parse_args()

    from narrascope.bench.audit import audit_rows
    from narrascope.embeddings import USEEmbedder
    from narrascope.link.opposition import FEATURES
    from narrascope.models.registry import load_relation_model
    from narrascope.training import opposition as op

    root = Path(args.data)
    if not (root / "pairs" / "perspectrum").is_dir():
        print(f"error: {root}: no pairs/perspectrum folder (give --data)", file=sys.stderr)
        return 2
    started = time.time()
    sets = {"perspectrum": op.perspectrum(root / "pairs")}
    if args.extra:
        sets |= {"same_body": op.same_body(root), "climate": op.climate(root)}
    sets["audit"] = op.audit(audit_rows(None, "tune"))
    pairs = [p for rows in sets.values() for p in rows]
    model = load_relation_model("shipped")
    x = _cached_features(Path(args.cache), pairs, lambda todo: op.features(todo, model, USEEmbedder().embed, echo=print))
    y = np.array([p.opposed for p in pairs])
    groups = np.array([p.group for p in pairs])
    audit = np.array([p.source == "audit" for p in pairs])
    weight = np.where(audit, args.audit_weight, 1.0)
    print(f"pairs: {', '.join(f'{k} {len(v)} ({sum(p.opposed for p in v)} opposed)' for k, v in sets.items())}")

    figures = {}
    for c in (0.1, 1.0):
        for aw in (1.0, 3.0, 5.0):
            oof = op.grouped_oof(x, y, groups, np.ones(len(y), bool), audit, c, np.where(audit, aw, 1.0))
            line = _levels(oof[audit], y[audit])
            print(f"C={c} audit weight={aw}: " + "  ".join(f"{t}: {tp}/{fl}" for t, (tp, fl) in line.items()))
            if c == args.c and aw == args.audit_weight:
                figures = {str(t): {"right": tp, "flagged": fl} for t, (tp, fl) in line.items()}
    oof_public = op.grouped_oof(x, y, groups, ~audit, audit, args.c)
    print("public pairs only: " + "  ".join(f"{t}: {tp}/{fl}" for t, (tp, fl) in _levels(oof_public[audit], y[audit]).items()))

    head = op.fit(x, y, args.c, weight)
    for name, w in zip(FEATURES, head.weights, strict=True):
        print(f"  {name:<26} {w:+.3f}")
    if args.out:
        meta = {"format": 1, "features": list(FEATURES), "c": args.c, "audit_weight": args.audit_weight,
                "rows": {k: len(v) for k, v in sets.items()}, "opposed": int(y.sum()),
                "audit_tune_leave_one_event_out": {"positives": int(y[audit].sum()), "levels": figures},
                "level": args.level, "trained": time.strftime("%Y-%m-%d"), "seconds": round(time.time() - started)}
        np.savez_compressed(args.out, weights=head.weights, bias=np.float32(head.bias),
                            meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8))
        print(f"wrote {args.out}")
    return 0


def _levels(p: np.ndarray, y: np.ndarray) -> dict[float, tuple[int, int]]:
    return {t: (int(((p >= t) & (y == 1)).sum()), int((p >= t).sum())) for t in LEVELS}


def _cached_features(path: Path, pairs, compute) -> np.ndarray:
    """Features by pair text, kept between runs (computing them reads the relation model)."""
    import hashlib

    from narrascope.link.opposition import FEATURES

    keys = [hashlib.sha1(f"{p.a}\t{p.b}".encode()).hexdigest() for p in pairs]
    known: dict[str, np.ndarray] = {}
    if path.is_file():
        with np.load(path) as data:
            if list(data["features"]) == list(FEATURES):
                known = dict(zip(data["keys"], data["x"], strict=True))
    todo = [n for n, k in enumerate(keys) if k not in known]
    if todo:
        for n, row in zip(todo, compute([pairs[n] for n in todo]), strict=True):
            known[keys[n]] = row
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, keys=np.array(list(known)), x=np.vstack(list(known.values())), features=np.array(FEATURES))
    return np.vstack([known[k] for k in keys])


if __name__ == "__main__":
    sys.exit(main())
