"""The one place where the models a run uses are built and kept.

Each model is named (``relation``, ``checkworthiness``, ``checkworthiness_parse``, ``techniques``,
``stance``, ``use``) and built on first use by its factory below, from the shipped file (or the
choice a setting names, passed as ``key``); later calls get the same object. Nothing is loaded at
import time. A test, a benchmark or a user who wants another model for a name gives it with
:meth:`Registry.override` (restored on leaving) or :meth:`Registry.put`; a process pool forked
afterwards sees it too.

    from narrascope.models.registry import MODELS
    with MODELS.override("relation", my_double):
        analyze(store, settings)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_ANY = "*"  # an override given without a key serves every key of its name


def _relation(name: str = "shipped"):
    from ..link.pairmodel import build_relation_model

    return build_relation_model(name)


def _opposition(name: str = "shipped"):
    from ..link.opposition import build_opposition

    return build_opposition(name)


def _checkworthiness(_: str = ""):
    from ..enrich.checkworthy import CheckworthinessModel

    return CheckworthinessModel.load()


def _checkworthiness_parse(_: str = ""):
    from ..enrich.checkworthy_parse import ParseCheckworthinessModel

    return ParseCheckworthinessModel.load()


def _techniques(_: str = ""):
    from ..narratives.techniques import TechniqueDetector

    return TechniqueDetector.load()


def _stance(_: str = ""):
    from ..narratives.stance import StanceModel

    return StanceModel.load()


def _use(threads: str = "1"):
    from ..embeddings import USEEmbedder

    return USEEmbedder(threads=int(threads))


FACTORIES: dict[str, Callable[[str], Any]] = {
    "relation": _relation,
    "opposition": _opposition,
    "checkworthiness": _checkworthiness,
    "checkworthiness_parse": _checkworthiness_parse,
    "techniques": _techniques,
    "stance": _stance,
    "use": _use,
}


class Registry:
    def __init__(self, factories: dict[str, Callable[[str], Any]]) -> None:
        self.factories = dict(factories)
        self._given: dict[tuple[str, str], Any] = {}  # put or overridden: ahead of what was built
        self._built: dict[tuple[str, str], Any] = {}

    def get(self, name: str, key: str = "") -> Any:
        """The model ``name`` (built now if it was not yet); ``key`` picks among its variants."""
        if name not in self.factories:
            raise KeyError(f"no model named {name!r} (known: {', '.join(sorted(self.factories))})")
        for wanted in ((name, key), (name, _ANY)):
            if wanted in self._given:
                return self._given[wanted]
        if (name, key) in self._built:
            return self._built[(name, key)]
        model = self.factories[name](key) if key else self.factories[name]()
        self._built[(name, key)] = model
        return model

    def put(self, name: str, model: Any, key: str | None = None) -> None:
        """Use ``model`` for ``name`` (for ``key`` only, or for every key when none is given)."""
        if name not in self.factories:
            raise KeyError(f"no model named {name!r}")
        self._given[(name, _ANY if key is None else key)] = model

    @contextmanager
    def override(self, name: str, model: Any, key: str | None = None) -> Iterator[Any]:
        slot = (name, _ANY if key is None else key)
        before = self._given.get(slot, _MISSING)
        self.put(name, model, key)
        try:
            yield model
        finally:
            if before is _MISSING:
                self._given.pop(slot, None)
            else:
                self._given[slot] = before

    def loaded(self) -> list[str]:
        """Names (with their key) of the models built or given so far."""
        return sorted({f"{n}:{k}" if k else n for n, k in (*self._built, *self._given)})

    def clear(self) -> None:
        """Forget what was built and given (the next use builds again)."""
        self._built.clear()
        self._given.clear()


_MISSING = object()
MODELS = Registry(FACTORIES)


def load_relation_model(name: str = "shipped"):
    """The relation model ``name`` names, built once per process (a test gives a double with
    :meth:`Registry.override`): ``shipped`` (the English cross-encoder for English pairs, the
    multilingual one for Russian and Russian-English pairs, the USE head for the rest), ``use``
    (the USE head for every pair) or ``none`` (no model: relations from similarity and figures only)."""
    from ..errors import ConfigError

    if name not in ("shipped", "use", "none"):
        raise ConfigError(f"link.relation_model: unknown model {name!r} (shipped, use or none)")
    return MODELS.get("relation", name)



def load_opposition(name: str = "shipped"):
    """The opposition reader ``link.opposition`` names, built once per process: ``shipped`` (the head
    of :mod:`narrascope.link.opposition`) or ``none`` (None: no pair is read as opposed)."""
    from ..errors import ConfigError

    if name not in ("shipped", "none"):
        raise ConfigError(f"link.opposition: unknown reader {name!r} (shipped or none)")
    return MODELS.get("opposition", name)
