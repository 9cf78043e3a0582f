"""Claim relations: the relation model and the decision on public pair sets and on the audit.

Printed, each on the ``report`` part only (:mod:`~narrascope.training.pairs`: the parts the
models were never trained on and no threshold was chosen on):

* SICK (English) and XNLI dev in Russian and crossed Russian-English: 3-way accuracy and
  contradiction F1 of the model's own argmax, and of ``narrascope relate``'s answer (same or
  supports = entailment, contradicts = contradiction, related or unrelated = neutral: the
  decision adds the gate and the thresholds, so it trades recall for precision);
* MSRP dev and ParaPhraser: paraphrase F1 of ``narrascope relate`` (same or supports = paraphrase);
* ClaimDiff (cross-outlet claim pairs): supports F1 against "strengthens", contradicts against
  "weakens";
* the audit (``audits/relations.jsonl``: claim pairs from real articles judged by reading):
  precision and recall of ``contradicts`` and of ``same``/``supports``, on its tuning events (where
  levels are chosen) and its reporting events, each with the opposition reader
  (:mod:`~narrascope.link.opposition`) as configured, off, and on at its level;
* claim-group purity on the audit's BASIL events run through the whole pipeline
  (:mod:`~narrascope.bench.audit`);
* the model's speed, pairs per second, each model on the same pairs.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import click
import numpy as np

from ..config import load_settings
from ..embeddings import USEEmbedder
from ..link.pairmodel import LABELS, PairInput
from ..link.runner import relate_params
from ..link.views import judge_texts, relate_texts
from ..models.registry import load_opposition, load_relation_model
from ..training import pairs as pd
from . import dataset_dir
from .audit import audit_rows, group_purity, prf

OFF = 1.01  # an opposition level that never fires
DECIDED = {"same": "entailment", "supports": "entailment", "contradicts": "contradiction",
           "related": "neutral", "unrelated": "neutral"}


@click.command("relations")
@click.option("--data", default=None, metavar="DIR", help="the datasets folder [default: shared datasets]")
@click.option("--config", default=None, metavar="FILE", help="settings file")
@click.option("--limit", default=600, show_default=True, help="pairs per public set (every k-th, 0 = all)")
@click.option("--audit", "audit_path", default=None, metavar="FILE", help="audit JSONL [default: audits/relations.jsonl]")
@click.option("--pipeline/--no-pipeline", default=True, show_default=True,
              help="run the audit's articles through the whole pipeline for claim-group purity")
@click.option("--split", type=click.Choice(pd.SPLITS), default="report", show_default=True,
              help="the part scored (tune only to choose thresholds)")
@click.option("--sweep", is_flag=True, help="also print the audit's precision and recall at other thresholds")
def command(data, config, limit, audit_path, pipeline, split, sweep) -> None:
    """Relation model and decisions: SICK, XNLI-ru, MSRP, ParaPhraser, ClaimDiff, the audit."""
    settings = load_settings(config)
    params = relate_params(settings)
    model = load_relation_model(settings.link.relation_model)
    opposition = load_opposition(settings.link.opposition)
    embed = USEEmbedder().embed
    root = dataset_dir("pairs", data and str(Path(data) / "pairs")).parent
    click.echo(f"relation model: {model.name}; thresholds: contradicts {params.contradicts}, same {params.same}, "
               f"supports {params.supports}; opposition reader: {settings.link.opposition} at {params.opposed}; "
               f"part scored: {split}")

    def every(rows: list) -> list:
        return rows if not limit or len(rows) <= limit else rows[:: len(rows) // limit][:limit]

    pairs_root = root / "pairs"
    ru, en = pd.in_split(pd.xnli(pairs_root, "ru"), split), pd.in_split(pd.xnli(pairs_root, "en"), split)
    crossed = [pd.LabeledPair(e.a, r.b, r.label, r.group, "en-ru") for r, e in zip(ru, en, strict=True)]
    three_way = {"SICK": every(pd.in_split(pd.sick(pairs_root), split)), "XNLI-ru": every(ru),
                 "XNLI en-ru": every(crossed)}
    figures: dict[str, float] = {}
    for name, rows in three_way.items():
        langs = {"XNLI-ru": ("ru", "ru"), "XNLI en-ru": ("en", "ru")}.get(name, ("en", "en"))
        probs = model.probabilities([PairInput(p.a, p.b, *langs) for p in rows])
        gold = [p.label for p in rows]
        argmax = [LABELS[i] for i in probs.argmax(axis=1)]
        decided = [DECIDED[r.relation] for r in relate_texts([(p.a, p.b) for p in rows], model, embed, params,
                                                                    opposition)]
        for how, pred in (("model argmax", argmax), ("narrascope relate", decided)):
            acc = float(np.mean([g == p for g, p in zip(gold, pred, strict=True)]))
            c = prf(gold, pred, "contradiction")
            click.echo(f"{name:<11} {how:<17} n={len(rows):>4} accuracy {acc:.3f} | contradiction "
                       f"P {c[0]:.3f} R {c[1]:.3f} F1 {c[2]:.3f}")
            figures[f"{name} {how}"] = acc

    for name, rows in (("MSRP dev", every(pd.msrp(pairs_root, "dev"))),
                       ("ParaPhraser", every(pd.in_split(pd.paraphraser(pairs_root), split)))):
        found = relate_texts([(p.a, p.b) for p in rows], model, embed, params, opposition)
        pred = ["paraphrase" if r.relation in ("same", "supports") else "neutral" for r in found]
        p, r, f, _ = prf([x.label for x in rows], pred, "paraphrase")
        click.echo(f"{name:<11} narrascope relate n={len(rows):>4} paraphrase P {p:.3f} R {r:.3f} F1 {f:.3f}")

    claimdiff = [x for x in pd.claimdiff(dataset_dir("claimdiff", data and str(Path(data) / "claimdiff")))
                 if pd.split_of("claimdiff:" + x.topic, 2) == ("report" if split == "report" else "tune")]
    claimdiff = every(claimdiff)
    found = [r.relation for r in relate_texts([(x.a, x.b) for x in claimdiff], model, embed, params,
                                                     opposition)]
    s = prf(["y" if x.strengthen else "n" for x in claimdiff],
            ["y" if f in ("same", "supports") else "n" for f in found], "y")
    w = prf(["y" if x.weaken else "n" for x in claimdiff], ["y" if f == "contradicts" else "n" for f in found], "y")
    click.echo(f"ClaimDiff   narrascope relate n={len(claimdiff):>4} strengthen->same/supports P {s[0]:.3f} "
               f"R {s[1]:.3f} F1 {s[2]:.3f} | weaken->contradicts P {w[0]:.3f} R {w[1]:.3f} F1 {w[2]:.3f}")

    headline = (float("nan"), float("nan"), 0)
    rows: list[dict] = []
    measured = opposition or load_opposition("shipped")
    configured = params if opposition is not None else replace(params, opposed=OFF)
    # Scoring the report part prints the tuning events' figures too, each part marked; choosing on the
    # tune part never reads the reporting events.
    for part in pd.SPLITS if split == "report" else (split,):
        mine = audit_rows(audit_path, part)
        if not mine:
            continue
        # the shipped reader is read even when the settings leave it off, so that it is measured
        judged = judge_texts([(x["a"], x["b"]) for x in mine], model, embed, params, measured)
        gold = [x["label"] for x in mine]
        click.echo(f"audit       narrascope relate n={len(mine):>4} ({part} events; labels {dict(Counter(gold))})")
        found = _audit(mine, gold, [r.relation for r in judged.relations(configured)], click.echo, True)
        off = replace(params, opposed=OFF)
        click.echo("            opposition reader off: " + _audit(mine, gold, [r.relation for r in judged.relations(off)],
                                                                   click.echo, False))
        level = getattr(measured, "meta", {}).get("level")  # the level its training chose
        if level is not None:
            with_it = replace(params, opposed=float(level))
            click.echo(f"            opposition reader on at its level {level:.2f}: " + _audit(
                mine, gold, [r.relation for r in judged.relations(with_it)], click.echo, False))
        for name in ("contradicts", "same", "supports", "opposed") if sweep and part == split else ():
            for value in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95):
                tried = replace(params, **{name: value})
                click.echo(f"  sweep {name}={value:.2f}: " + _audit(mine, gold, [r.relation for r in
                           judged.relations(tried)], click.echo, False))
        if part == split:
            headline, rows = found, mine
    if pipeline:
        group_purity(data, settings, click.echo)
        if opposition is None:  # and once with the reader on, at the level of link.relate.opposed
            click.echo(f"with the opposition reader on at {params.opposed:.2f}:")
            group_purity(data, settings.replace({"link": {"opposition": "shipped"}}, source="bench"), click.echo)

    english = getattr(model, "english", model)
    other = getattr(model, "other", None)
    other = getattr(other, "english", other)  # the shipped model: Russian pairs' reader, then the rest
    other = other.loaded() if hasattr(other, "loaded") else other
    _speed({"SICK": ([PairInput(p.a, p.b) for p in three_way["SICK"][:256]], english),
            "audit": ([PairInput(x["a"], x["b"]) for x in rows if x.get("corpus") == "basil"][:256], english),
            "XNLI-ru": ([PairInput(p.a, p.b, "ru", "ru") for p in three_way["XNLI-ru"][:256]], other or english)},
           click.echo)
    # Precision of nothing flagged is undefined: printed as nan, with the count beside it.
    click.echo(f"relations: audit_agreement_precision={headline[1]:.4f} "
               f"audit_contradicts_precision={headline[0]:.4f} contradicts_flagged={headline[2]}")


def _speed(samples: dict[str, tuple[list, object]], echo) -> None:
    """Pairs per second of the model that reads each sample; for a cross-encoder, in ONNX Runtime
    and in numpy on the same pairs, timed in turn, with the ratio (the same weights either way)."""
    for name, (sample, model) in samples.items():
        if not sample or model is None:
            continue
        runtimes = ["onnx", "numpy"] if getattr(model, "runtime", None) == "onnx" else [None]
        rates = {}
        for runtime in runtimes:
            if runtime is not None:
                model.use_runtime(runtime)
            started = time.perf_counter()
            model.probabilities(sample)
            rates[runtime] = len(sample) / (time.perf_counter() - started)
        if runtimes[0] is not None:
            model.use_runtime(runtimes[0])
        line = ", ".join(f"{rate:.1f} pairs/s" + (f" ({r})" if r else "") for r, rate in rates.items())
        ratio = f"; ONNX Runtime {rates['onnx'] / rates['numpy']:.2f}x numpy" if len(rates) == 2 else ""
        echo(f"speed: {line} ({model.name}, {name} pairs, {len(sample)} pairs){ratio}")


def _audit(rows, gold, found, echo, verbose):
    """Prints the audit's figures (and, ``verbose``, every wrong contradiction); returns
    (contradicts precision, agreement precision, contradictions flagged) or the line."""
    agree = {"same", "supports"}
    c = prf(gold, found, "contradicts")
    g = prf(["agree" if x in agree else x for x in gold], ["agree" if x in agree else x for x in found], "agree")
    line = (f"contradicts P {c[0]:.3f} R {c[1]:.3f} (flagged {c[3]}) | same/supports P {g[0]:.3f} R {g[1]:.3f} "
            f"(flagged {g[3]})")
    if verbose:
        echo("            " + line)
        for corpus in sorted({x.get("corpus") or "?" for x in rows}):
            mine = [i for i, x in enumerate(rows) if (x.get("corpus") or "?") == corpus]
            part = prf(["agree" if gold[i] in agree else gold[i] for i in mine],
                       ["agree" if found[i] in agree else found[i] for i in mine], "agree")
            echo(f"            of which {corpus} ({len(mine)} pairs): same/supports P {part[0]:.3f} R {part[1]:.3f} "
                 f"(flagged {part[3]})")
        for batch in sorted({(x.get("source") or "?").split(":")[0] for x in rows}):
            mine = [i for i, x in enumerate(rows) if (x.get("source") or "?").split(":")[0] == batch]
            part = prf(["agree" if gold[i] in agree else gold[i] for i in mine],
                       ["agree" if found[i] in agree else found[i] for i in mine], "agree")
            con = prf([gold[i] for i in mine], [found[i] for i in mine], "contradicts")
            echo(f"            source {batch} ({len(mine)} pairs): same/supports P {part[0]:.3f} (flagged {part[3]}), "
                 f"contradicts flagged {con[3]}, right {round(con[0] * con[3])}")
        for x, got in zip(rows, found, strict=True):
            if got == "contradicts" and x["label"] != "contradicts":
                echo(f"            wrong contradicts [{x['label']}]: {x['a'][:70]!r} / {x['b'][:70]!r}")
        return (c[0] if c[3] else float("nan")), (g[0] if g[3] else float("nan")), c[3]
    return line
