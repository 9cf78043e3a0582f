"""Who published an article: the outlet rules a user gives, and the order every clue is weighed in.

An article's outlet is the first of these that gives one:

1. ``--outlet NAME``, for every document read;
2. the first row of a ``--sources`` file that matches the document: a glob on its file path, or a
   domain matching its URL's host;
3. what the input states: a JSON record's ``outlet`` (or ``source_domain``...), a feed's title,
   an HTML page's site name, a ``sitename:`` line above a text;
4. with ``--outlet-from-folder``, the name of the folder the file sits in;
5. the domain of the article's URL (stated by the record, the page or a URL line of the text);
6. what the text says about itself: a copyright footer, "Discover more from X", a masthead, the
   site after the headline, a breadcrumb (see :class:`~narrascope.ingest.textclean.TextCleaner`).

What the user says comes first; then what the input states outright; then the site's address,
which names every page of a site alike; the text's own clues last, since a relayed story may
carry another outlet's footer. An article none of them names keeps no outlet: it is never given
a made-up one.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from urllib.parse import urlsplit

from ..errors import ConfigError

# A sources file is a few rows per outlet: anything this large is not one.
MAX_SOURCES_BYTES = 8 * 2**20
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", re.I)
_HEADER = (("pattern", "outlet"), ("path", "outlet"), ("domain", "outlet"))


@dataclass(frozen=True, slots=True)
class SourceRule:
    """One row of a sources file: documents matching ``pattern`` are published by ``outlet``.

    The pattern is tried two ways. As a glob on the file path: with a ``/`` against the whole path
    (as given, or absolute), without one against the file's name and each folder name, so
    ``tass.ru`` matches ``scrape/tass.ru/a.txt``. As a domain when it looks like one: it matches a
    URL host equal to it or ending in ``.`` + it (``*.`` and ``www.`` in front are ignored).
    """

    pattern: str
    outlet: str
    line: int = 0

    def matches(self, path: str | None, host: str | None) -> bool:
        domain = _as_domain(self.pattern)
        if host and domain and (host == domain or host.endswith("." + domain)):
            return True
        return bool(path) and _glob_matches(self.pattern, path)


@dataclass(frozen=True, slots=True)
class Sources:
    """The rules of one sources file, in file order: the first that matches names the outlet."""

    rules: tuple[SourceRule, ...]
    file: str = ""

    def outlet_for(self, path: str | None, url: str | None) -> str | None:
        host = url_host(url)
        return next((r.outlet for r in self.rules if r.matches(path, host)), None)


@dataclass(frozen=True, slots=True)
class OutletOptions:
    """What the command line says about outlets (steps 1, 2 and 4 of the order above)."""

    name: str | None = None  # --outlet
    sources: Sources | None = None  # --sources
    from_folder: bool = False  # --outlet-from-folder

    def named(self, path: str | None, url: str | None) -> str | None:
        """The outlet the user names for this document: ``--outlet``, else a matching sources row."""
        if self.name:
            return self.name
        return self.sources.outlet_for(path, url) if self.sources else None

    def folder(self, path: str | None) -> str | None:
        return folder_outlet(path) if self.from_folder else None


def folder_outlet(path: str | None) -> str | None:
    """The name of the folder ``path`` sits in (``scrape/tass/a.txt`` → ``tass``)."""
    if not path:
        return None
    name = Path(os.path.abspath(path)).parent.name.strip()
    return name or None


def url_host(url: str | None) -> str | None:
    """The host of ``url``, lower case, or None; a bare ``example.com/page`` counts as a URL."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:  # a malformed port or bracket: no host to trust
        return None
    host = (host or "").rstrip(".")
    return host or None


def domain_of(url: str | None) -> str | None:
    """The site an URL belongs to, as an outlet name: its host less ``www.``."""
    host = url_host(url) or ""
    return host.removeprefix("www.") or None


def read_sources(path: str | os.PathLike[str]) -> Sources:
    """Read a sources file: CSV rows of ``pattern,outlet``.

    A first row ``pattern,outlet`` is a header and skipped, as are empty rows and rows whose first
    cell starts with ``#``. Anything else that is not two non-empty cells is an error naming the
    file and line: a wrong mapping must never go in quietly.
    """
    name = os.fspath(path)
    try:
        with open(name, "rb") as fh:
            data = fh.read(MAX_SOURCES_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read the sources file ({exc.strerror or exc})", source=name) from exc
    if len(data) > MAX_SOURCES_BYTES:
        raise ConfigError(
            f"larger than {MAX_SOURCES_BYTES // 2**20} MB; a sources file is a CSV of pattern,outlet rows",
            source=name,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError("not UTF-8 text", source=f"{name}:{line}") from exc
    rules = list(_rules(text, name))
    if not rules:
        raise ConfigError("no pattern,outlet rows in the sources file", source=name)
    return Sources(tuple(rules), name)


def _rules(text: str, name: str) -> Iterable[SourceRule]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    first = True
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ConfigError(f"not valid CSV ({exc})", source=f"{name}:{reader.line_num}") from exc
        line = reader.line_num
        cells = [" ".join(c.split()) for c in row]
        while cells and not cells[-1]:
            cells.pop()  # a trailing comma, as spreadsheets write
        if not cells or cells[0].startswith("#"):
            continue
        if first and tuple(c.casefold() for c in cells) in _HEADER:
            first = False
            continue
        first = False
        if len(cells) != 2 or not all(cells):
            raise ConfigError(
                f"expected two cells, a pattern and an outlet name; found {_describe(cells)}",
                source=f"{name}:{line}",
            )
        yield SourceRule(cells[0], cells[1], line)


def _describe(cells: list[str]) -> str:
    if len(cells) == 1:
        return "one"
    if len(cells) == 2:
        return "an empty " + ("pattern" if not cells[0] else "outlet name")
    return str(len(cells))


def _as_domain(pattern: str) -> str | None:
    """The domain a pattern names, or None when it cannot be one (it holds a path or a wildcard)."""
    value = pattern.strip().casefold()
    if "://" in value:
        try:
            value = urlsplit(value).hostname or ""
        except ValueError:  # "http://[": a glob, not a domain
            return None
    value = value.removeprefix("*.").removeprefix("www.").rstrip(".")
    return value if "." in value and _HOST.fullmatch(value) else None


def _glob_matches(pattern: str, path: str) -> bool:
    path = path.replace(os.sep, "/")
    if "/" in pattern.rstrip("/"):
        absolute = os.path.abspath(path).replace(os.sep, "/")
        pattern = pattern.rstrip("/")
        # "scrape/tass" names a folder: everything under it matches.
        return any(
            fnmatch.fnmatchcase(p, pattern) or fnmatch.fnmatchcase(p, pattern + "/*")
            for p in (path, absolute)
        )
    parts = PurePath(path).parts
    return any(fnmatch.fnmatchcase(part, pattern.rstrip("/")) for part in parts)
