"""Components and the pipeline that runs them in an order it has checked.

A component is a callable over a batch of documents that declares the layers it needs and the
layers it adds (``requires`` / ``provides``). :class:`Pipeline` refuses an order in which a
component would run before something it needs, so a mistake in configuration fails at start,
not halfway through a corpus.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import PipelineError

REGISTRY: dict[str, Component] = {}


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    requires: frozenset[str]
    provides: frozenset[str]
    fn: Callable[[list[Any]], None]
    doc: str = ""

    def __call__(self, docs: list[Any]) -> None:
        self.fn(docs)


def component(
    name: str, *, requires: Iterable[str] = (), provides: Iterable[str] = (), per_doc: bool = True
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register ``fn`` as a component. ``per_doc`` components take one document at a time."""

    def register(fn: Callable[..., None]) -> Callable[..., None]:
        if name in REGISTRY:
            raise PipelineError(f"component {name!r} is registered twice")

        def run(docs: list[Any]) -> None:
            if per_doc:
                for doc in docs:
                    fn(doc)
            else:
                fn(docs)

        REGISTRY[name] = Component(
            name, frozenset(requires), frozenset(provides), run, (fn.__doc__ or "").strip()
        )
        return fn

    return register


class Pipeline:
    def __init__(self, components: Sequence[Component | str], *, given: Iterable[str] = ()) -> None:
        resolved = []
        for item in components:
            if isinstance(item, str):
                if item not in REGISTRY:
                    known = ", ".join(sorted(REGISTRY))
                    raise PipelineError(f"unknown component {item!r} (known: {known})")
                item = REGISTRY[item]
            resolved.append(item)
        available = set(given)
        for comp in resolved:
            missing = comp.requires - available
            if missing:
                raise PipelineError(
                    f"component {comp.name!r} needs {', '.join(sorted(missing))}, "
                    "which no component before it provides"
                )
            available |= comp.provides
        self.components = resolved
        self.provides = frozenset(available)
        self.timings: dict[str, float] = dict.fromkeys(self.names, 0.0)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def __call__(self, docs: list[Any]) -> list[Any]:
        for comp in self.components:
            start = time.perf_counter()
            comp(docs)
            self.timings[comp.name] += time.perf_counter() - start
        return docs
