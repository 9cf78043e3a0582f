"""One settings object. Shipped defaults live in ``defaults.toml`` next to this file.

A user file (``--config FILE``, or ``narrascope.toml`` in the working directory) overrides
any of them. The defaults file is the schema: an unknown key, a value of the wrong type or one
out of its range is a :class:`~narrascope.errors.ConfigError` naming the key, so a typo never
silently does nothing and a zero never turns into a division by zero deep in a run.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError

USER_FILE = "narrascope.toml"


class Section:
    """Read-only attribute access over one table of settings."""

    __slots__ = ("_name", "_values")

    def __init__(self, name: str, values: Mapping[str, Any]) -> None:
        self._name = name
        self._values = {
            k: Section(f"{name}.{k}" if name else k, v) if isinstance(v, Mapping) else v
            for k, v in values.items()
        }

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            where = f"[{self._name}]" if self._name else "settings"
            raise AttributeError(f"{where} has no setting {key!r}") from None

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def to_dict(self) -> dict[str, Any]:
        return {k: v.to_dict() if isinstance(v, Section) else v for k, v in self._values.items()}

    def __repr__(self) -> str:
        return f"Section({self._name!r}, {self.to_dict()!r})"


class Settings(Section):
    def __init__(self, values: Mapping[str, Any]) -> None:
        super().__init__("", values)

    def replace(self, overrides: Mapping[str, Any], *, source: str = "override") -> Settings:
        """A copy with ``overrides`` merged in, checked against the defaults' keys, types, ranges."""
        merged = Settings(_merge(self.to_dict(), overrides, source, ""))
        _check_ranges(merged, source)
        return merged


def _positive(v: Any) -> bool:
    return v > 0


def _at_least(n: int) -> Callable[[Any], bool]:
    return lambda v: v >= n


def _fraction(v: Any) -> bool:
    return 0 <= v <= 1


def _language_codes(v: Any) -> bool:
    return all(isinstance(c, str) and re.fullmatch(r"[a-z]{2,3}", c) for c in v)


def _engine_kind(v: Any) -> bool:
    from .engine import valid_kind

    return valid_kind(v)


# (key, test, what the value must be). Keys not listed take any value of their type.
RANGES: tuple[tuple[str, Callable[[Any], bool], str], ...] = (
    ("ingest.max_article_mb", _positive, "greater than 0"),
    ("ingest.languages", _language_codes, 'a list of 2- or 3-letter lowercase codes such as "en"'),
    ("ingest.workers", _positive, "at least 1"),
    ("ingest.parallel_min_documents", _at_least(0), "0 or more"),
    ("ingest.batch_size", _positive, "at least 1"),
    ("ingest.clean.prose_min_words", _positive, "at least 1"),
    ("ingest.clean.prose_long_words", _positive, "at least 1"),
    ("ingest.clean.short_max_words", _positive, "at least 1"),
    ("ingest.clean.credit_max_words", _positive, "at least 1"),
    ("ingest.clean.title_min_words", _positive, "at least 1"),
    ("ingest.clean.title_max_words", _positive, "at least 1"),
    ("ingest.clean.trailing_run_min", _positive, "at least 1"),
    ("ingest.clean.comments_min_share", _fraction, "between 0 and 1"),
    ("ingest.clean.block_line_penalty", _at_least(0), "0 or more"),
    # One file cannot show that a line repeats across an outlet's pages: 1 would drop every line.
    ("ingest.clean.repeat_min_files", _at_least(2), "at least 2"),
    # 0 would make every pair of articles copies of each other.
    ("ingest.dedup.near_threshold", lambda v: 0 < v <= 1, "greater than 0 and at most 1"),
    ("ingest.dedup.num_perm", _positive, "at least 1"),
    ("ingest.dedup.bands", _positive, "at least 1"),
    ("ingest.dedup.shingle", _positive, "at least 1"),
    ("report.confident_contradiction", _fraction, "between 0 and 1"),
    ("engine.kind", _engine_kind, "local, serial, dask or dask://HOST:PORT"),
    ("engine.dask_workers", _positive, "at least 1"),
    ("web.page_cache_mb", _at_least(0), "0 or more"),
    ("web.render_threads", _positive, "at least 1"),
)


def _check_ranges(settings: Settings, source: str) -> None:
    values = settings.to_dict()
    for key, ok, what in RANGES:
        value = _lookup(values, key)
        if value is not _MISSING and not ok(value):
            raise ConfigError(f"{key!r} must be {what}, got {value!r}", source=source)
    dedup = values.get("ingest", {}).get("dedup", {})
    if dedup and dedup["num_perm"] % dedup["bands"]:
        raise ConfigError(
            f"'ingest.dedup.bands' ({dedup['bands']}) must divide 'ingest.dedup.num_perm' "
            f"({dedup['num_perm']}) into equal bands",
            source=source,
        )


_MISSING = object()


def _lookup(values: Mapping[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(values, Mapping) or part not in values:
            return _MISSING
        values = values[part]
    return values


def _merge(base: dict[str, Any], new: Mapping[str, Any], source: str, prefix: str) -> dict[str, Any]:
    out = dict(base)
    for key, value in new.items():
        dotted = f"{prefix}{key}"
        if key not in base:
            raise ConfigError(f"unknown setting {dotted!r}", source=source)
        old = base[key]
        if isinstance(old, dict):
            if not isinstance(value, Mapping):
                raise ConfigError(f"{dotted!r} must be a table", source=source)
            out[key] = _merge(old, value, source, dotted + ".")
        else:
            out[key] = _coerce(old, value, dotted, source)
    return out


def _coerce(old: Any, value: Any, dotted: str, source: str) -> Any:
    if isinstance(old, bool) or isinstance(value, bool):
        if isinstance(old, bool) and isinstance(value, bool):
            return value
    elif isinstance(old, float) and isinstance(value, int | float):
        return float(value)
    elif (isinstance(old, list) and isinstance(value, list)) or type(old) is type(value):
        return value
    raise ConfigError(f"{dotted!r} must be {type(old).__name__}, got {type(value).__name__}", source=source)


def default_settings() -> Settings:
    text = resources.files(__package__).joinpath("defaults.toml").read_text(encoding="utf-8")
    return Settings(tomllib.loads(text))


def load_settings(path: str | Path | None = None) -> Settings:
    """Defaults, then ``path`` (or ``./narrascope.toml`` when it exists) on top."""
    settings = default_settings()
    if path is None:
        if not Path(USER_FILE).is_file():
            return settings
        path = USER_FILE
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read settings file ({exc.strerror or exc})", source=str(path)) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid TOML ({exc})", source=str(path)) from exc
    return settings.replace(data, source=str(path))
