"""Stance toward a user's thesis, article by article: BASIL theses, and English-Russian pairs.

``--set basil`` (default): ``audits/stances.jsonl`` holds one-line theses written by hand from
BASIL events (and two from the seed articles, ../shared/seeds, read as one more event), with each article of the thesis' own event judged (support / oppose / discuss, and
why). Every thesis is read against all 150 BASIL articles: the articles of the other events are
off topic by construction and must come out ``unrelated``; those of its own event must never.
Printed per half (tune / report, by event hash): the off-topic unrelated share, the same-event
never-unrelated share and the label accuracy on the judged articles, for the FNC-trained stance
model alone ("before") and for the full reader (relevance gate, sentences read by the relation
model, attribution: "after"). ``--fit-gate`` refits the relevance gates on the tune half (with
FNC-1 tune bodies) and prints them.

``--set xnli``: XNLI dev pairs of the reporting part (English and Russian are parallel) as a
one-sentence article (the premise) and a thesis (the hypothesis), across languages both ways: entailment should read
support, contradiction oppose, neutral discuss (never unrelated: the hypothesis was written about
the premise).

``--set perspectrum``: Perspectrum's test claims against the one-sentence perspectives judged to
support or undermine them, the setting of a headline's stance on the claim it reports.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click
import numpy as np

from ..embeddings import USEEmbedder
from . import datasets_root

LABELS = ("support", "oppose", "discuss", "unrelated")


def default_audit() -> Path:
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "audits" / "stances.jsonl").is_file():
            return folder / "audits" / "stances.jsonl"
    return Path(__file__).resolve().parents[3] / "audits" / "stances.jsonl"


def article_texts(records: list[dict], languages: dict[str, str] | None = None) -> dict:
    """BASIL records → ArticleText with the sentences, attributions and hedges enrichment finds."""
    from ..enrich.doc import Doc
    from ..enrich.runner import build_pipeline
    from ..model import Article
    from ..narratives.theses import article_text

    pipeline = build_pipeline(["nlp", "hedges", "attribution"])
    out = {}
    for n in range(0, len(records), 16):
        chunk = records[n:n + 16]
        docs = [Doc.of(Article(r["id"], r["text"], title=r.get("title"), language=(languages or {}).get(r["id"], "en")))
                for r in chunk]
        pipeline(docs)
        for r, d in zip(chunk, docs, strict=True):
            out[r["id"]] = article_text(d.article, d.annotations())
    return out


def load_seeds(folder: Path) -> list[dict]:
    """The seed articles (one event of their own, "seeds"), as BASIL records: they are judged
    against their own theses and are off topic for every BASIL thesis, as BASIL's are for theirs."""
    records = []
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        title = next((line.strip() for line in text.splitlines() if line.strip()), "")
        records.append({"id": path.stem, "event": "seeds", "title": title, "outlet": "seeds", "published": None,
                        "text": text})
    return records


def _share(hits: int, n: int) -> str:
    return f"{hits}/{n} = {hits / n:.1%}" if n else "0/0"


def report_basil(rows: list[dict], say) -> dict:
    """``rows``: per (thesis, article) pair: split, same (event), gold (or None), before, after."""
    figures = {}
    for part in ("tune", "report"):
        mine = [r for r in rows if r["split"] == part]
        if not mine:
            continue
        off = [r for r in mine if not r["same"]]
        same = [r for r in mine if r["same"]]
        judged = [r for r in same if r["gold"]]
        say(f"-- {part}: {len({r['thesis'] for r in mine})} theses, {len(off):,} off-topic pairs, "
            f"{len(same)} same-event pairs ({len(judged)} judged)")
        for key in ("before", "after"):
            unrel = sum(r[key] == "unrelated" for r in off)
            kept = sum(r[key] != "unrelated" for r in same)
            right = sum(r[key] == r["gold"] for r in judged)
            taken = " | ".join(f"{side} precision {_share(sum(r[key] == side == r['gold'] for r in judged), said)}"
                               for side in ("support", "oppose")
                               for said in [sum(r[key] == side for r in judged)])
            say(f"   {key:<6} off-topic unrelated {_share(unrel, len(off))} | same-event never unrelated "
                f"{_share(kept, len(same))} | label accuracy {_share(right, len(judged))} | {taken}")
            figures[(part, key)] = (unrel / max(len(off), 1), kept / max(len(same), 1), right / max(len(judged), 1))
        confusion = Counter((r["gold"], r["after"]) for r in judged)
        say("   after, gold \\ predicted: " + "; ".join(
            f"{g}: " + " ".join(f"{p[:4]} {confusion[(g, p)]}" for p in LABELS if confusion[(g, p)])
            for g in LABELS[:3] if any(confusion[(g, p)] for p in LABELS)))
        for r in judged:
            if r["after"] != r["gold"]:
                say(f"   wrong: [{r['gold']} → {r['after']}] {r['thesis'][:60]!r} / {r['outlet']}: {r['evidence'][:110]!r}")
        passed = sorted((r for r in off if r["after"] != "unrelated"), key=lambda r: -r["relevance"])
        for r in passed[:8]:
            say(f"   off-topic {r['after']} ({r['relevance']:.2f}): {r['thesis'][:50]!r} / {r['title'][:60]!r}")
    return figures


@click.command("stance")
@click.option("--set", "which", type=click.Choice(["basil", "xnli", "perspectrum"]), default="basil", show_default=True,
              help="BASIL theses (audits/stances.jsonl), XNLI English-Russian pairs, or Perspectrum claims")
@click.option("--data", default=None, metavar="DIR", help="the shared datasets folder [default: found]")
@click.option("--audit", default=None, metavar="FILE", help="the judged theses [default: audits/stances.jsonl]")
@click.option("--pairs", "limit", type=click.IntRange(30, 2490), default=600, show_default=True,
              help="XNLI: pairs read in each direction; Perspectrum: pairs read")
@click.option("--fit-gate", is_flag=True, help="refit the relevance gates on the tune half and print them")
@click.option("--config", default=None, metavar="FILE", help="settings file (e.g. link.relation_model)")
@click.option("--threads", type=click.IntRange(1, 64), default=1, show_default=True,
              help="threads of the sentence encoder")
def command(which: str, data: str | None, audit: str | None, limit: int, fit_gate: bool, config: str | None,
            threads: int) -> None:
    """Stance toward theses: off-topic BASIL articles, judged ones, and English-Russian pairs."""
    from ..config import load_settings
    from ..narratives.thesis_stance import build_reader

    root = datasets_root(data)
    embedder = USEEmbedder(threads=threads)
    reader = build_reader(load_settings(config), embedder)
    if which == "xnli":
        _xnli(reader, root, limit)
        return
    if which == "perspectrum":
        _perspectrum(reader, root, limit)
        return
    _basil(reader, root, Path(audit) if audit else default_audit(), fit_gate)


def _basil(reader, root: Path, audit: Path, fit: bool) -> None:
    from ..errors import ConfigError
    from ..narratives.relevance import Vocabulary
    from ..narratives.thesis_stance import Pair
    from .stories import load_basil

    if not audit.is_file():
        raise ConfigError(f"no judged theses at {audit}; pass --audit FILE")
    judged = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = load_basil(root / "basil") + load_seeds(root.parent / "seeds")
    theses = list(dict.fromkeys((j["thesis"], j["event"], j["split"]) for j in judged))
    gold = {(j["thesis"], j["article"]): j["label"] for j in judged}
    click.echo(f"basil: {len(theses)} theses from {len({t[1] for t in theses})} events, each read against "
               f"{len(records)} articles; {len(judged)} same-event articles judged ({audit})")
    texts = article_texts(records)
    vocabulary = Vocabulary.of_texts(r["text"] for r in records)
    pairs = [Pair(t, "en", texts[r["id"]]) for t, _, _ in theses for r in records]
    same_event = [r["event"] == event for _, event, _ in theses for r in records]
    split = [part for _, _, part in theses for _ in records]
    if fit:
        relation, reader.relation = reader.relation, None  # the gates read no sentence
        signals = [s.signals for s in reader.read(pairs, vocabulary=vocabulary)]
        reader.relation = relation
        tune = [i for i, part in enumerate(split) if part == "tune"]
        reader.same, reader.cross = fit_gates([signals[i] for i in tune], [same_event[i] for i in tune],
                                              reader, root)
    stances = reader.read(pairs, vocabulary=vocabulary)
    rows = []
    for (thesis, event, part), n in zip(theses, range(0, len(pairs), len(records)), strict=True):
        for r, s in zip(records, stances[n:n + len(records)], strict=True):
            model_label = max(s.model, key=s.model.get)
            evidence = " | ".join(texts[r["id"]].text[e.start:e.end] for e in s.evidence)
            rows.append({"thesis": thesis, "split": part, "same": r["event"] == event, "outlet": r["outlet"],
                         "title": r["title"], "gold": gold.get((thesis, r["id"])), "before": model_label,
                         "after": s.label, "relevance": s.relevance, "evidence": evidence})
    figures = report_basil(rows, click.echo)
    off, same, acc = figures.get(("report", "after"), (0.0, 0.0, 0.0))
    click.echo(f"stance: report_offtopic_unrelated={off:.4f} same_event_kept={same:.4f} accuracy={acc:.4f}")


# The gates' calibration targets, on the tune half: a same-language thesis leaves at least this
# share of the other events' articles unrelated (and every article of its own event related); the
# cross-language gate, which cannot see names, keeps at least this share of FNC-1's related pairs.
OFF_TOPIC_TARGET = 0.98
CROSS_RELATED_TARGET = 0.95
FNC_WEIGHT = 1.0  # FNC-1 tune pairs weigh as much, in all, as the BASIL tune pairs


def fit_gates(signals: list[dict], same: list[bool], reader, root: Path):
    """Both relevance gates, fitted on BASIL tune pairs and FNC-1 tune pairs (related vs unrelated;
    the held-out bodies of the shipped stance model whose sha256("fnc1-tune-<id>") is even), with
    their thresholds calibrated as OFF_TOPIC_TARGET and CROSS_RELATED_TARGET say."""
    from ..narratives.relevance import CROSS_LANGUAGE, SAME_LANGUAGE, Gate, Vocabulary, fit_gate
    from ..narratives.thesis_stance import ArticleText, Pair
    from ..training import stance as st

    fnc = st.load_fnc(root / "fnc-1")
    _, held = st.split(fnc, "bodies")
    rows = [i for i in np.flatnonzero(held) if fnc_half(int(fnc.body[i])) == "tune"]
    click.echo(f"fitting the gates: {len(signals):,} BASIL tune pairs, {len(rows):,} FNC-1 tune pairs")
    bodies = {b: ArticleText(fnc.bodies[b]) for b in {int(fnc.body[i]) for i in rows}}
    vocabulary = Vocabulary.of_texts(fnc.bodies.values())
    relation, reader.relation = reader.relation, None
    fnc_signals = [s.signals for s in reader.read([Pair(fnc.headlines[fnc.head[i]], "en", bodies[int(fnc.body[i])])
                                                   for i in rows], vocabulary=vocabulary)]
    reader.relation = relation
    related = fnc.y[rows] != st.UNRELATED
    y_basil = np.array(same, dtype=float)
    w_basil = np.where(y_basil == 1, (1 - y_basil).sum() / max(y_basil.sum(), 1), 1.0)
    weight = np.concatenate([w_basil, np.full(len(rows), FNC_WEIGHT * w_basil.sum() / max(len(rows), 1))])
    y = np.concatenate([y_basil, related.astype(float)])
    gates = []
    for names in (SAME_LANGUAGE, CROSS_LANGUAGE):
        x = np.array([[s[n] for n in names] for s in [*signals, *fnc_signals]])
        gate = fit_gate(x, y, names, weight=weight)
        p = gate.probability(x)
        pb, pf = p[:len(signals)], p[len(signals):]
        click.echo(f"  {'same' if names is SAME_LANGUAGE else 'cross'}-language gate: "
                   f"{dict(zip(names, gate.weights, strict=True))}, bias {gate.bias}")
        fitting = []
        for t in np.round(np.arange(0.05, 0.96, 0.05), 2):
            kept = float((pb[y_basil == 1] >= t).mean())
            off = float((pb[y_basil == 0] < t).mean())
            fnc_kept = float((pf[related] >= t).mean())
            click.echo(f"    threshold {t:.2f}: BASIL same-event kept {kept:.3f}, off-topic unrelated {off:.4f}; "
                       f"FNC-1 related kept {fnc_kept:.4f}, unrelated {float((pf[~related] < t).mean()):.4f}")
            if kept == 1.0 and (off >= OFF_TOPIC_TARGET if names is SAME_LANGUAGE else fnc_kept >= CROSS_RELATED_TARGET):
                fitting.append(float(t))
        # the lowest threshold that meets the off-topic target; the highest that keeps FNC's related
        chosen = (min(fitting) if names is SAME_LANGUAGE else max(fitting)) if fitting else 0.5
        gates.append(Gate(names, gate.weights, gate.bias, chosen))
        click.echo(f"    chosen threshold {gates[-1].threshold}")
    return gates[0], gates[1]


def fnc_half(body: int) -> str:
    """Halves of FNC-1's held-out bodies: "tune" ones calibrate the gates, "report" ones do not."""
    import hashlib

    return "tune" if int(hashlib.sha256(f"fnc1-tune-{body}".encode()).hexdigest()[:8], 16) % 2 == 0 else "report"


def _xnli(reader, root: Path, limit: int) -> None:
    from ..narratives.thesis_stance import ArticleText, Pair
    from ..training import pairs as pd

    # The reporting part only (the relation readers were trained on the tuning part, in both
    # languages); the two files are parallel, so line n is one pair in either language.
    parallel = [(e, r) for e, r in zip(pd.xnli(root / "pairs", "en"), pd.xnli(root / "pairs", "ru"), strict=True)
                if pd.split_of(e.group) == "report"]
    n = min(limit, len(parallel))
    pick = np.linspace(0, len(parallel) - 1, n).astype(int)
    rows = {"en": [e for e, _ in parallel], "ru": [r for _, r in parallel]}
    expected = {"entailment": "support", "contradiction": "oppose", "neutral": "discuss"}
    click.echo(f"xnli-ru dev, reporting part: {n} parallel pairs in each direction; thesis = the hypothesis, "
               "article = the premise")
    headline = {}
    for thesis_lang, article_lang in (("en", "ru"), ("ru", "en"), ("en", "en"), ("ru", "ru")):
        pairs, gold = [], []
        for i in pick:
            premise = rows[article_lang][i].a
            hypothesis = rows[thesis_lang][i].b
            pairs.append(Pair(hypothesis, thesis_lang, ArticleText(premise, [(0, len(premise))], article_lang)))
            gold.append(expected[rows["en"][i].label])
        got = [s.label for s in reader.read(pairs)]
        right = sum(g == p for g, p in zip(gold, got, strict=True))
        per = {lab: (sum(1 for g, p in zip(gold, got, strict=True) if g == lab and p == lab), gold.count(lab))
               for lab in ("support", "oppose", "discuss")}
        kept = sum(p != "unrelated" for p in got)
        click.echo(f"thesis {thesis_lang}, article {article_lang}: accuracy {_share(right, n)}; "
                   + ", ".join(f"{k} recall {a}/{b}" for k, (a, b) in per.items())
                   + f"; not unrelated {_share(kept, n)}")
        headline[(thesis_lang, article_lang)] = right / n
    cross = (headline[("en", "ru")] + headline[("ru", "en")]) / 2
    click.echo(f"stance: xnli_cross_language_accuracy={cross:.4f}")


def _perspectrum(reader, root: Path, limit: int) -> None:
    """Perspectrum's test claims, each against the perspectives judged to support or undermine it
    (one sentence each, the first of each cluster): a claim and a short text that takes a side on
    it, as a headline does on the claim it reports (Emergent's setting)."""
    from ..narratives.thesis_stance import ArticleText, Pair

    folder = root / "pairs" / "perspectrum"
    claims = json.loads((folder / "perspectrum_with_answers_v1.0.json").read_text(encoding="utf-8"))
    pool = {p["pId"]: p["text"] for p in json.loads((folder / "perspective_pool_v1.0.json").read_text(encoding="utf-8"))}
    split = json.loads((folder / "dataset_split_v1.0.json").read_text(encoding="utf-8"))
    expected = {"SUPPORT": "support", "UNDERMINE": "oppose"}
    items = [(c["text"], pool[cluster["pids"][0]], expected[cluster["stance_label_3"].upper()])
             for c in claims if split.get(str(c["cId"])) == "test"
             for cluster in c["perspectives"] if cluster["stance_label_3"].upper() in expected and cluster["pids"]]
    pick = np.linspace(0, len(items) - 1, min(limit, len(items))).astype(int)
    chosen = [items[i] for i in pick]
    click.echo(f"perspectrum test: {len(chosen)} of {len(items)} claim-perspective pairs; thesis = the claim, "
               "article = the perspective")
    got = [s.label for s in reader.read([Pair(c, "en", ArticleText(t, [(0, len(t))], "en")) for c, t, _ in chosen])]
    gold = [g for _, _, g in chosen]
    right = sum(g == p for g, p in zip(gold, got, strict=True))
    for lab in ("support", "oppose"):
        hits = sum(1 for g, p in zip(gold, got, strict=True) if g == lab and p == lab)
        said = got.count(lab)
        click.echo(f"  {lab}: recall {_share(hits, gold.count(lab))}, precision {_share(hits, said)}")
    click.echo("  answers: " + ", ".join(f"{lab} {got.count(lab)}" for lab in LABELS))
    click.echo(f"stance: perspectrum_accuracy={right / max(len(chosen), 1):.4f}")
