"""One settings object. Shipped defaults live in ``defaults.toml`` next to this file.

A user file (``--config FILE``, or ``narrascope.toml`` in the working directory) overrides
any of them. The defaults file is the schema: an unknown key or a value of the wrong type is
a :class:`~narrascope.errors.ConfigError`, so a typo never silently does nothing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
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
        """A copy with ``overrides`` merged in, checked against the defaults' keys and types."""
        return Settings(_merge(self.to_dict(), overrides, source, ""))


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
