"""Commands that analyze: analyze (with theses) and narratives."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import NarrascopeError
from . import main
from .common import (
    Context,
    _common,
    _engine_option,
    _progress,
    _warn,
)


@main.command()
@click.option("--redo", is_flag=True, help="analyze every article again, not only the new ones")
@click.option(
    "--thesis",
    "theses",
    multiple=True,
    metavar="TEXT",
    help="a thesis to place every article and outlet against (repeatable; kept in the store)",
)
@click.option(
    "--theses",
    "theses_file",
    default=None,
    metavar="FILE",
    help="a YAML file of theses: a list of strings, or of {text: ...}, or {theses: [...]}",
)
@_engine_option
@_common
def analyze(ctx: Context, redo: bool, theses: tuple[str, ...], theses_file: str | None,
            engine_kind: str | None) -> int:
    """Enrich every article not analyzed yet (sentences, entities, figures, dates, attributions,
    cited sources, hedges, check-worthy claims), link across articles (stories, agreement and
    contradiction, provenance), then place articles and outlets against the theses and find the
    persuasion techniques."""
    from ..analysis import analyze as run_analysis

    texts = list(theses) + (read_theses(theses_file) if theses_file else [])
    engine = ctx.engine(engine_kind)
    with _progress(ctx, "analyzing") as progress:
        report = run_analysis(ctx.store, ctx.settings, texts, engine=engine, progress=progress, redo=redo)
    ctx.say(report.summary())
    for note in sorted({n.split(": ", 1)[1] for n in report.enrich.notes if "no entity model" in n}):
        _warn(note)
    return 0


def read_theses(path: str) -> list[str]:
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise NarrascopeError(f"cannot read ({exc.strerror or exc})", source=path) from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise NarrascopeError(f"not valid YAML ({str(exc).splitlines()[0]})", source=path) from exc
    if isinstance(data, dict):
        data = data.get("theses")
    if not isinstance(data, list):
        raise NarrascopeError("expected a list of theses (or a mapping with a 'theses' list)", source=path)
    texts = []
    for n, item in enumerate(data, 1):
        text = item.get("text") if isinstance(item, dict) else item
        if not isinstance(text, str) or not text.strip():
            raise NarrascopeError(f"thesis {n} has no text", source=path)
        texts.append(text)
    return texts


@main.command()
@click.option("--min-outlets", default=2, show_default=True, type=click.IntRange(min=1),
              help="outlets a claim must recur in")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="candidate theses to show")
@_common
def narratives(ctx: Context, min_outlets: int, limit: int) -> int:
    """Recurring claims across outlets, offered as candidate theses (adopt one with analyze --thesis)."""
    from ..embeddings import get_embedder
    from ..narratives.discover import discover
    from ..store import SQLStore

    ctx._store = SQLStore(ctx.db, create=False)  # only reads: never creates or adopts a database
    groups = ctx.store.claim_groups()
    if not groups:
        ctx.say("no claim groups yet: run `narrascope analyze` first")
        return 0
    vectors = get_embedder(ctx.settings.link.embedder).embed([g.summary or "" for g in groups])
    found = discover(groups, vectors, min_outlets=min_outlets)[:limit]
    if not found:
        ctx.say(f"no claim recurs in {min_outlets} or more outlets")
    for n, item in enumerate(found, 1):
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(item.statuses.items()))
        click.echo(f"{n:2d}. {item.thesis}")
        click.echo(
            f"    {len(item.outlets)} outlets ({', '.join(item.outlets)}); {item.appearances} appearances; "
            f"claim groups: {statuses}"
        )
    return 0
