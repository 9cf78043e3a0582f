"""The link stage over a store at 10k, 100k and 1M claims: from scratch, then 1% new claims added.

The claims are `bench link`'s synthetic ones (demo-corpus claims with their names swapped, figures
changed, negated or reordered), eight to an article, with their figures and names stored as
enrichment would store them, in a fresh SQLite store per size. Their vectors are put in the store's
vector cache first, as a previous run would have left them (the embedding time is printed apart);
by default they are words hashed into 512 dimensions (:func:`bench_embedder` says why), ``--embedder
use`` embeds them with USE.
The relation model is off, as in `bench link` (``link.relation_model = "none"``: relations from
figures and similarity only) and stories are not placed (the synthetic articles have none): what is
timed is the claim part of the stage, the part that grows with the corpus. For each size the stage
runs from scratch in a fresh process, then again after 1% more claims were ingested and enriched
(incremental), each printing its time, its steps and its peak memory (the process's, imports
included). A size that runs past ``--budget`` seconds is stopped; the line says how far it got and
which step it was in. The headline is the incremental run's time as a share of the from-scratch
run's at the largest size that finished both.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_module
import resource
import shutil
import tempfile
import threading
import time
from pathlib import Path

import click
import numpy as np

from ..config import default_settings
from ..embeddings import HashingEmbedder, get_embedder
from ..enrich.quantities import find_quantities
from ..enrich.runner import STAGE as ENRICH
from ..enrich.runner import VERSION as ENRICH_VERSION
from ..link.vectorfile import folder_for
from ..link.vectors import span_key
from ..model import Annotations, Article, Claim, Entity, Mention, Quantity, Sentence, claim_id
from .link_scale import synthesize
from .recall import candidate_recall

PER_ARTICLE = 8
STEPS = ("read", "index", "search", "load", "model", "relations", "groups", "write")
# Seconds between the progress lines of a run of the stage.
PROGRESS_EVERY = 60.0


def settings():
    return default_settings().replace({"link": {"relation_model": "none"}})


def add_claims(store, claims: list[tuple[str, bool, list[str]]], vectors: np.ndarray, first: int, model: str,
               entity_names: set[str]) -> None:
    """Articles of eight claims each, enriched and with their vectors cached, numbered from
    ``first``; ``entity_names``: every name of the store's claims, the entities."""
    for lo in range(0, len(claims), 1000 * PER_ARTICLE):
        batch, cached, new = [], {}, []
        with store.transaction():
            for n in range(lo, min(len(claims), lo + 1000 * PER_ARTICLE), PER_ARTICLE):
                aid = f"s{first + n // PER_ARTICLE}"
                chunk = claims[n : n + PER_ARTICLE]
                text = " ".join(c[0] for c in chunk)
                new.append(Article(aid, text, title=f"synthetic {aid}", outlet=f"Outlet {(first + n) % 97}",
                                   language="en"))
                ann, at = Annotations(aid), 0
                for m, (sentence, negated, names) in enumerate(chunk):
                    end = at + len(sentence)
                    quantities = [Quantity(aid, at + q.start, at + q.end, q.kind, q.value, q.unit)
                                  for q in find_quantities(sentence)]
                    ann.sentences.append(Sentence(aid, at, end, m))
                    ann.quantities += quantities
                    ann.claims.append(Claim(claim_id(aid, at, end), aid, at, end, 0.9, negated=negated,
                                            quantities=quantities))
                    for name in names:
                        if (i := sentence.find(name)) >= 0:
                            ann.mentions.append(Mention(aid, at + i, at + i + len(name), "GPE", f"e-{name}"))
                    cached[span_key(aid, at, end)] = vectors[n + m]
                    at = end + 1
                batch.append(ann)
            store.add_articles(new)
            store.save_annotations_batch(batch, stage=ENRICH, version=ENRICH_VERSION)
            store.save_vectors(model, "span", cached)
    store.replace_entities([Entity(f"e-{n}", n, "GPE", []) for n in sorted(entity_names)], [])


def _memory_mb(field: str = "VmHWM") -> float:
    """This process's peak (VmHWM) or current (VmRSS) resident memory, from /proc: unlike
    ru_maxrss, the peak of a spawned process does not carry its parent's."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_embedder(name: str):
    """USE as the stage uses it, or words hashed into as many dimensions (512), so that the index
    and its search cost what USE's vectors cost: USE embeds about 100 claims/s on a busy 2-core
    machine, a million would take hours before the stage even starts."""
    return get_embedder("use") if name == "use" else HashingEmbedder(dim=get_embedder("use").dim)


def _link(db: str, embedder_name: str, queue) -> None:
    """One run of the stage in this (fresh) process; what it has done is sent every few seconds."""
    from ..link.runner import link_all
    from ..store import SQLStore

    timings: dict[str, float] = {}
    embedder = bench_embedder(embedder_name)
    at_start = _memory_mb("VmRSS")
    started = time.perf_counter()
    stop = threading.Event()

    def report() -> None:
        while not stop.wait(5):
            queue.put(("progress", dict(timings), time.perf_counter() - started, _memory_mb()))

    threading.Thread(target=report, daemon=True).start()
    store = SQLStore(db)
    result = link_all(store, settings(), embedder=embedder, stories=False, timings=timings)
    stop.set()
    timings["memory at start"] = at_start
    queue.put(("done", dict(timings), time.perf_counter() - started, _memory_mb(), result))


def run_stage(db: str, embedder_name: str, budget: float, label: str = "",
              every: float = PROGRESS_EVERY) -> tuple[str, dict, float, float, object]:
    """("done" or "stopped", step timings, seconds, peak MB, report or None) of one run in a fresh
    interpreter (spawned, not forked: its peak memory is the stage's and its imports' alone).
    Every ``every`` seconds a line (starting with ``label``) says how far it is."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_link, args=(db, embedder_name, queue))
    proc.start()
    last: tuple = ("progress", {}, 0.0, 0.0)
    deadline = time.monotonic() + budget
    shown = time.monotonic()
    while True:
        if time.monotonic() - shown >= every and last[0] == "progress":
            shown = time.monotonic()
            click.echo(f"  {label}: {last[2]:.0f}s so far, in '{_under_way(last[1])}' (finished: "
                       f"{_steps(last[1]) or 'nothing'}); peak memory {last[3]:.0f} MB")
        try:
            last = queue.get(timeout=max(0.1, min(5.0, deadline - time.monotonic())))
        except queue_module.Empty:
            if not proc.is_alive() and queue.empty():
                raise click.ClickException(
                    f"the link stage stopped unexpectedly (exit code {proc.exitcode})") from None
        if last[0] == "done":
            proc.join()
            return "done", last[1], last[2], last[3], last[4]
        if time.monotonic() >= deadline:
            proc.terminate()
            proc.join()
            return "stopped", last[1], budget, last[3], None


def _names(claims) -> set[str]:
    return {name for _, _, found in claims for name in found}


def _steps(timings: dict) -> str:
    return ", ".join(f"{name} {timings[name]:.1f}s" for name in STEPS if name in timings)


def _under_way(timings: dict) -> str:
    """The step a stopped run was in: read, index, search, groups and write are timed when they
    end, the judging of pairs (load, model, relations) batch by batch between search and groups."""
    for step in ("read", "index", "search"):
        if step not in timings:
            return step
    return "judging pairs (load, model, relations)" if "groups" not in timings else "groups or write"


def describe(n: int, kind: str, outcome: tuple) -> str:
    state, timings, seconds, peak, result = outcome
    if state == "stopped":
        under_way = _under_way(timings)
        done = _steps(timings) or "nothing finished"
        return (f"{n:>8} claims, {kind}: stopped at the budget of {seconds:.0f}s during '{under_way}' (finished: "
                f"{done}; peak memory {peak:.0f} MB)")
    return (f"{n:>8} claims, {kind}: {seconds:8.1f}s ({_steps(timings)}), peak memory {peak:6.0f} MB "
            f"({timings['memory at start']:.0f} MB before the stage); "
            f"{result.new_claims} claims linked, {result.new_links} links, {result.groups_rebuilt} groups written")


@click.command("scale")
@click.option("--sizes", default="10000,100000,1000000", show_default=True, help="claim counts, comma-separated")
@click.option("--new", "new_share", default=0.01, show_default=True, type=click.FloatRange(0, 1, min_open=True),
              help="share of new claims added before the incremental run")
@click.option("--budget", default=1800.0, show_default=True, type=click.FloatRange(min=1),
              help="seconds each run of the stage may take before it is stopped")
@click.option("--embedder", "embedder_name", type=click.Choice(["hashing", "use"]), default="hashing",
              show_default=True, help="vectors of the synthetic claims: words hashed into 512 dimensions, or USE (slow)")
@click.option("--workdir", type=click.Path(file_okay=False), default=None,
              help="folder for the stores (default: a temporary folder, removed after); each size's store "
                   "as built is kept there (scale-N.base.db) and copied by later runs instead of built again")
def command(sizes: str, new_share: float, budget: float, embedder_name: str, workdir: str | None) -> None:
    """Link-stage time and peak memory at growing numbers of claims, from scratch and incremental."""
    try:
        counts = sorted({int(s) for s in sizes.split(",") if s.strip()})
    except ValueError:
        raise click.BadParameter(f"{sizes!r}: give claim counts as numbers, comma-separated",
                                 param_hint="--sizes") from None
    if not counts or counts[0] < 2:
        raise click.BadParameter(f"{sizes!r}: each size must be 2 claims or more", param_hint="--sizes")
    extra = [max(1, round(n * new_share)) for n in counts]
    click.echo("relation model off (link.relation_model = none, as in `bench link`); stories not placed; "
               "SQLite store per size; vectors cached before the stage runs")
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        headline = None
        embedder = bench_embedder(embedder_name)
        claims = synthesize(counts[-1] + extra[-1])
        vectors = np.zeros((0, embedder.dim), dtype=np.float32)
        for n, more in zip(counts, extra, strict=True):
            need = n + more
            if len(vectors) < need:
                t, fresh = time.perf_counter(), need - len(vectors)
                vectors = np.concatenate([vectors, *(embedder.embed([c[0] for c in claims[i : min(need, i + 5000)]])
                                                     for i in range(len(vectors), need, 5000))])
                seconds = time.perf_counter() - t
                click.echo(f"{fresh} more synthetic claims embedded with {embedder.name} in {seconds:.0f}s "
                           f"({fresh / max(seconds, 1e-9):.0f} claims/s; not part of the stage)")
            headline = _size(Path(tmp), Path(workdir) if workdir else None, n, more, claims, vectors, embedder_name, embedder.name, budget) or headline
        if headline is None:
            click.echo("scale: incremental_share=n/a (no size finished both runs)")
        else:
            n, share = headline
            click.echo(f"scale: incremental_share={share:.3f} (at {n} claims)")


def _size(tmp: Path, keep: Path | None, n: int, more: int, claims, vectors, embedder_name: str, model: str,
          budget: float) -> tuple[int, float] | None:
    from ..store import SQLStore

    db = str(tmp / f"scale-{n}.db")
    kept = keep / f"scale-{n}.base.db" if keep is not None else None
    t = time.perf_counter()
    if kept is not None and kept.exists():
        shutil.copyfile(kept, db)
        click.echo(f"{n:>8} claims: store copied from {kept} in {time.perf_counter() - t:.0f}s")
    else:
        store = SQLStore(db)
        add_claims(store, claims[:n], vectors[:n], 0, model, _names(claims[:n]))
        store.close()
        click.echo(f"{n:>8} claims: store built in {time.perf_counter() - t:.0f}s "
                   f"({Path(db).stat().st_size / 2**20:.0f} MB)")
        if kept is not None:
            shutil.copyfile(db, f"{kept}.part")
            os.replace(f"{kept}.part", kept)
    scratch = run_stage(db, embedder_name, budget, f"{n} claims, from scratch")
    click.echo(describe(n, "from scratch", scratch))
    if scratch[0] != "done":
        _remove(db)
        return None
    store = SQLStore(db)
    click.echo(describe_recall(n, *candidate_recall(store, bench_embedder(embedder_name),
                                                   settings().enrich.min_checkworthiness,
                                                   settings().link.neighbours)))
    add_claims(store, claims[n : n + more], vectors[n : n + more], -(-n // PER_ARTICLE), model,
               _names(claims[: n + more]))
    store.close()
    incremental = run_stage(db, embedder_name, budget, f"{n} claims, incremental")
    click.echo(describe(n, f"incremental, {more} new claims", incremental))
    _remove(db)
    if incremental[0] != "done":
        return None
    return n, incremental[2] / scratch[2]


def describe_recall(n: int, recall: float, details: dict) -> str:
    index = (f"inverted file, {details['nlist']} buckets, {details['nprobe']} scanned" if details["nlist"]
             else "exact index")
    return (f"{n:>8} claims: candidate recall {recall:.3f} against exact search ({index}; "
            f"{details['sample']} sampled claims, measured in {details['seconds']:.0f}s, not part of the stage)")


def _remove(db: str) -> None:
    """The store and the vector folder the stage left next to it."""
    Path(db).unlink(missing_ok=True)
    shutil.rmtree(folder_for(db), ignore_errors=True)
