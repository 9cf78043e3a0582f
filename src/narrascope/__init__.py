"""narrascope: how a story is told across outlets.

The library is what the ``narrascope`` command runs; every command is a thin layer over these names.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .analysis import AnalysisReport, analyze
from .config import Settings, default_settings, load_settings
from .errors import (
    BinaryInput,
    ConfigError,
    CorruptInput,
    EmptyInput,
    EngineError,
    InputError,
    MissingDependency,
    MissingField,
    NarrascopeError,
    PipelineError,
    StoreError,
    TooLarge,
    UnreadableInput,
    UnsupportedInput,
)
from .ingest import IngestReport, TextCleaner, ingest_paths
from .model import Article, RemovedLine, Span, article_id, content_id
from .report import export
from .store import SQLStore, Store

__all__ = [
    "AnalysisReport",
    "Article",
    "BinaryInput",
    "ConfigError",
    "CorruptInput",
    "EmptyInput",
    "EngineError",
    "IngestReport",
    "InputError",
    "MissingDependency",
    "MissingField",
    "NarrascopeError",
    "PipelineError",
    "RemovedLine",
    "SQLStore",
    "Settings",
    "Span",
    "Store",
    "StoreError",
    "TextCleaner",
    "TooLarge",
    "UnreadableInput",
    "UnsupportedInput",
    "__version__",
    "analyze",
    "article_id",
    "content_id",
    "default_settings",
    "export",
    "ingest_paths",
    "load_settings",
]
