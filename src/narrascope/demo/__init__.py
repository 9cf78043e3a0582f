"""The bundled demo corpus: fictional articles written for narrascope (see corpus/MANIFEST.md)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

DEMO_THESIS = "Karavia is drifting away from Russia"


@contextmanager
def corpus_path() -> Iterator[Path]:
    with resources.as_file(resources.files(__package__).joinpath("corpus")) as path:
        yield path
