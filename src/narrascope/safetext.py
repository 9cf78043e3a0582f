"""Characters no store or UTF-8 file can hold, removed or replaced where input is read.

NUL (PostgreSQL refuses it in text, and it is never content) is removed; a lone UTF-16 surrogate
(a JSON escape such as ``"\\ud83d"`` without its pair: it cannot be encoded as UTF-8 at all) is
replaced by U+FFFD. Ingest and the batch commands pass every string they read through
:func:`storable`, so one such character costs nothing but a warning.
"""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: str) -> tuple[str, int, int]:
    """``value`` made storable, with how many NUL characters were removed and how many lone
    surrogates replaced."""
    if not _UNSTORABLE.search(value):
        return value, 0, 0
    nul = value.count("\x00")
    fixed = _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", value)
    return fixed, nul, len(_UNSTORABLE.findall(value)) - nul


def describe(nul: int, surrogates: int) -> str | None:
    """The warning for what :func:`storable` changed, or None when nothing was."""
    parts = ([f"{nul} NUL character(s) removed"] if nul else []) + (
        [f"{surrogates} lone surrogate(s) replaced by U+FFFD"] if surrogates else [])
    return "unstorable characters: " + ", ".join(parts) if parts else None
