"""Benchmarks: each module measures one thing on data given by path and prints what it measured.

Every benchmark prints its figures as it runs and, as its last line, its headline figure as
``NAME: METRIC=VALUE``. Nothing here is a stored result: the numbers come from this run.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ConfigError

BENCHMARKS = {
    "textclean": "narrascope.bench.textclean",
    "ingest": "narrascope.bench.ingest_speed",
    "checkworthy": "narrascope.bench.checkworthy",
    "enrich": "narrascope.bench.enrich_speed",
    "stories": "narrascope.bench.stories",
    "link": "narrascope.bench.link_scale",
    "scale": "narrascope.bench.scale",
    "relations": "narrascope.bench.relations",
    "entities": "narrascope.bench.entities",
    "fnc1": "narrascope.bench.fnc1",
    "stance": "narrascope.bench.stance_theses",
    "techniques": "narrascope.bench.techniques",
    "serve": "narrascope.bench.serve",
    "pipeline": "narrascope.bench.pipeline",
}


def datasets_root(given: str | None = None) -> Path:
    """Where ../shared/datasets lives: --data, $NARRASCOPE_DATASETS, or found above the cwd."""
    if given:
        return Path(given)
    if env := os.environ.get("NARRASCOPE_DATASETS"):
        return Path(env)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        candidate = folder / "shared" / "datasets"
        if candidate.is_dir():
            return candidate
        candidate = folder.parent / "shared" / "datasets"
        if candidate.is_dir():
            return candidate
    return here.parent / "shared" / "datasets"


def dataset_dir(name: str, given: str | None = None) -> Path:
    """The folder of dataset ``name`` (or the folder given with --data), or a one-line error."""
    path = Path(given) if given else datasets_root() / name
    if not path.is_dir():
        raise ConfigError(
            f"dataset {name!r} not found at {path}; pass --data PATH or set NARRASCOPE_DATASETS"
        )
    return path
