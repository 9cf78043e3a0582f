"""Exceptions. The CLI and the web layer turn every one of them into a single line.

::

    NarrascopeError
     ├── InputError            a file or record the user gave cannot be used
     │    ├── UnreadableInput  missing path, permission denied, I/O failure
     │    ├── BinaryInput      bytes that are not text of any encoding
     │    ├── EmptyInput       nothing left once whitespace and boilerplate are gone
     │    ├── TooLarge         one article bigger than ``ingest.max_article_mb``
     │    ├── CorruptInput     truncated gzip, malformed JSON/WARC/feed
     │    ├── MissingField     a JSON record without ``text``
     │    └── UnsupportedInput a file narrascope cannot take articles from (an OPML list,
     │                         Parquet without pyarrow)
     ├── ConfigError           bad settings file or value
     ├── StoreError            database cannot be opened or written
     ├── PipelineError         components asked to run in an order that cannot work
     ├── EngineError           the engine cannot start, or reach its scheduler or workers
     └── MissingDependency     an optional package is not installed (message has the install hint)

Each class carries a short code so a message can be searched for in the docs.
"""

from __future__ import annotations


class NarrascopeError(Exception):
    code = "N000"

    def __init__(self, reason: str, *, source: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}" if self.source else self.reason


class InputError(NarrascopeError):
    code = "N100"


class UnreadableInput(InputError):
    code = "N101"


class BinaryInput(InputError):
    code = "N102"


class EmptyInput(InputError):
    code = "N103"


class TooLarge(InputError):
    code = "N104"


class CorruptInput(InputError):
    code = "N105"


class MissingField(InputError):
    code = "N106"


class UnsupportedInput(InputError):
    code = "N107"


class ConfigError(NarrascopeError):
    code = "N200"


class StoreError(NarrascopeError):
    code = "N300"


class PipelineError(NarrascopeError):
    code = "N400"


class EngineError(NarrascopeError):
    code = "N600"


class MissingDependency(NarrascopeError):
    code = "N500"

    def __init__(self, package: str, extra: str | None = None, *, purpose: str = "") -> None:
        hint = f"pip install 'narrascope[{extra}]'" if extra else f"pip install {package}"
        what = f" (needed for {purpose})" if purpose else ""
        super().__init__(f"{package} is not installed{what}; install it with: {hint}")
        self.package = package
