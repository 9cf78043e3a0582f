"""Claim linking at scale: time and memory for 10k, 30k and 100k synthetic claims.

The claims are made from the demo corpus's claims: each template sentence is varied by
replacing its names with others from a pool (so the collection does not collapse onto a few
points), changing its figures, negating it, or shuffling a clause — paraphrases, number
conflicts and polarity conflicts, as a large real corpus has. All are embedded once with the
real embedder; then linking (nearest neighbours with faiss, the relation model on the candidate
pairs that pass the gate, a relation for every candidate pair) runs on the first 10k, 30k and
100k, each in a fresh process so its peak memory is its own. The synthetic claims have no story,
so the gate is a shared name or close meaning: more pairs reach the model than in a corpus with
stories. Each size's time is split into the index build (exact up to 20k claims; beyond, an
inverted file trained on a sample), the search, the model (with the pairs it read per second) and
the relations; the headline is the growth of the time beyond the index build, per claim, from the
smallest size to the largest (1.0 is linear). ``--model`` runs the model too (try small sizes).
"""

from __future__ import annotations

import multiprocessing
import random
import re
import resource
import time

import click
import numpy as np

from ..config import default_settings
from ..embeddings import get_embedder
from ..enrich.quantities import find_quantities
from ..link.claims import ClaimItem, link_claims
from ..link.relate import ClaimView
from ..model import Article, Claim, Quantity
from ..models.registry import load_relation_model

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_NAMES = ("Aralia", "Borvia", "Celdor", "Dunmark", "Estavia", "Fendor", "Galicor", "Harvania", "Ilyria", "Jorvik",
          "Kestria", "Lunara", "Moravel", "Norveth", "Ostara", "Pellura", "Quenmar", "Rovania", "Selvir", "Tarnis")
_NEGATE = [(" is ", " is not "), (" has ", " has never "), (" will ", " will not "), (" was ", " was not "),
           (" are ", " are not ")]


def templates() -> list[tuple[str, list[str]]]:
    """(sentence, names in it) for the demo corpus's claims."""
    from ..demo import corpus_path
    from ..enrich.runner import enrich_articles
    from ..ingest import ingest_paths
    from ..store import SQLStore

    store = SQLStore.memory()
    settings = default_settings()
    with corpus_path() as corpus:
        ingest_paths([str(corpus)], store, settings)
    enrich_articles(store, settings)
    out = []
    for article, ann in zip(store.iter_articles(), store.iter_annotations(), strict=True):
        if article.language != "en":
            continue
        for claim in ann.claims:
            text = article.text[claim.start : claim.end]
            names = sorted({article.text[m.start : m.end] for m in ann.mentions
                            if claim.start <= m.start and m.end <= claim.end and m.label in ("GPE", "ORG", "PERSON")},
                           key=len, reverse=True)
            out.append((text, names))
    return out


def synthesize(n: int, seed: int = 0) -> list[tuple[str, bool, list[str]]]:
    """``n`` claims: (text, negated, names)."""
    rng = random.Random(seed)
    base = templates()
    out = []
    while len(out) < n:
        text, names = rng.choice(base)
        swapped = []
        for name in names:
            other = f"{rng.choice(_NAMES)} {rng.choice(_NAMES)}" if " " in name else rng.choice(_NAMES)
            text = text.replace(name, other)
            swapped.append(other)
        negated = False
        roll = rng.random()
        if roll < 0.3:
            text = _NUMBER.sub(lambda m: str(round(float(m.group(0).replace(",", "")) * rng.uniform(0.5, 1.8), 1)), text)
        elif roll < 0.5:
            for a, b in _NEGATE:
                if a in text:
                    text, negated = text.replace(a, b, 1), True
                    break
        elif roll < 0.6 and ", " in text:
            head, tail = text.split(", ", 1)
            text = f"{tail.rstrip('.')}, {head[0].lower()}{head[1:]}."
        out.append((text, negated, swapped))
    return out


def _items(claims: list[tuple[str, bool, list[str]]]) -> list[ClaimItem]:
    items = []
    for i, (text, negated, names) in enumerate(claims):
        aid = f"a{i // 8}"  # eight claims an article
        quantities = [Quantity(aid, q.start, q.end, q.kind, q.value, q.unit) for q in find_quantities(text)]
        claim = Claim(f"c{i}", aid, 0, len(text), 0.9, negated=negated, quantities=quantities)
        view = ClaimView(text, negated=negated, quantities=quantities, names=frozenset(names))
        items.append(ClaimItem(claim, Article(id=aid, text=text), view))
    return items


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _run(args: tuple[list[tuple[str, bool, list[str]]], np.ndarray, bool]) -> tuple[float, float, int, int, dict]:
    claims, vectors, with_model = args
    settings = default_settings()
    model = load_relation_model(settings.link.relation_model) if with_model else None
    items = _items(claims)
    before = _rss_mb()
    timings: dict[str, float] = {}
    start = time.perf_counter()
    links = link_claims(items, vectors, threads=2, timings=timings, model=model,
                        model_neighbours=settings.link.model_neighbours, screen=settings.link.screen)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    contradictions = sum(1 for link in links if link.relation == "contradicts")
    return seconds, peak_mb, len(links), contradictions, timings


@click.command("link")
@click.option("--sizes", default="10000,30000,100000", show_default=True, help="claim counts, comma-separated")
@click.option("--model/--no-model", "with_model", default=False, show_default=True,
              help="run the relation model on the candidate pairs, as the link stage does (slow: hours at 100k)")
def command(sizes: str, with_model: bool) -> None:
    """Linking time and peak memory at growing numbers of synthetic claims."""
    counts = sorted(int(s) for s in sizes.split(","))
    start = time.perf_counter()
    claims = synthesize(counts[-1])
    embedder = get_embedder(default_settings().link.embedder)
    vectors = np.concatenate([embedder.embed([c[0] for c in claims[i : i + 5000]])
                              for i in range(0, len(claims), 5000)])
    click.echo(f"{len(claims)} synthetic claims from the demo corpus embedded in {time.perf_counter() - start:.0f}s")
    ctx = multiprocessing.get_context("fork")
    results = []
    for n in counts:
        with ctx.Pool(1) as pool:  # a fresh process: its peak memory is this size's alone
            seconds, peak, links, contradictions, steps = pool.apply(_run, ((claims[:n], vectors[:n], with_model),))
        beyond = seconds - steps.get("index build", 0.0)
        results.append((n, seconds, beyond))
        read = int(steps.pop("model_pairs", 0))
        screened = int(steps.pop("screened_out", 0))
        parts = ", ".join(f"{name} {t:.1f}s" for name, t in steps.items())
        if with_model:
            rate = read / steps["model"] if steps.get("model") else 0.0
            parts += f"; model read {read} pairs ({rate:.0f} pairs/s), {screened} screened out"
        click.echo(f"{n:>7} claims: linked in {seconds:7.1f}s ({n / seconds:7.0f} claims/s; {parts}), memory added "
                   f"at peak {peak:6.0f} MB, {links} links ({contradictions} contradictions)")
    (n0, t0, b0), (n1, t1, b1) = results[0], results[-1]
    ratio = n1 / n0
    click.echo(f"time grew {t1 / t0:.1f}x for {ratio:.0f}x the claims, {b1 / b0:.1f}x beyond the index build "
               f"(linear: {ratio:.0f}x, quadratic: {ratio * ratio:.0f}x)")
    click.echo(f"link: growth_per_claim={(b1 / b0) / ratio:.2f}")
