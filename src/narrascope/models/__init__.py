"""The small trained models narrascope ships (README.md here says how each was built).

:class:`ShippedModel` is what the model classes share: ``load()`` reads the packaged file, or the
file at ``path``, through the class's own ``_read(path, source)``; ``source`` names the file in
error messages ("shipped stance model", or the path given).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Self


class ShippedModel:
    """Mixin: a model class sets ``_model_file`` (a file of this package) and ``_shipped`` (how
    errors name that file), and defines ``_read(path, source)``."""

    __slots__ = ()
    _model_file = ""
    _shipped = "shipped model"

    @classmethod
    def shipped_version(cls) -> str:
        """A digest of the packaged file's metadata (its training run), read without building the
        model: what a relation model's ``version`` is."""
        ref = resources.files(__name__) / cls._model_file
        with resources.as_file(ref) as real:
            return meta_digest(read_arrays(Path(real), cls._shipped)[1])

    @classmethod
    def load(cls, path: str | Path | None = None) -> Self:
        """The model at ``path``, or the one shipped with narrascope."""
        if path is None:
            ref = resources.files(__name__) / cls._model_file
            with resources.as_file(ref) as real:
                return cls._read(Path(real), cls._shipped)
        return cls._read(Path(path), str(path))


def meta_digest(meta: dict) -> str:
    import hashlib

    return hashlib.sha1(json.dumps(meta, sort_keys=True, default=str).encode()).hexdigest()[:12]


def read_arrays(path: Path, source: str, what: str = "relation model") -> tuple[dict, dict]:
    """The arrays of an ``.npz`` model file and its JSON ``meta`` array, or a one-line error."""
    from ..errors import ConfigError

    if not path.is_file():
        raise ConfigError(f"{source}: no such file")
    try:
        import numpy as np

        with np.load(path) as data:
            arrays = {k: data[k] for k in data.files}
        return arrays, json.loads(bytes(arrays.pop("meta")).decode())
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"{source}: not a {what} file ({exc})") from exc
