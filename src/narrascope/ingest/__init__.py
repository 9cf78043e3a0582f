"""Ingest: files in, :class:`~narrascope.model.Article` records in the store out.

``sources`` finds and reads files per format, ``decode`` turns bytes into text, ``html`` and
``textclean`` extract the article body, ``dates`` and ``language`` fill metadata, ``dedup``
links copies to their originals and ``runner`` ties them together.
"""

from __future__ import annotations

from .runner import IngestReport, ingest_paths
from .textclean import Cleaned, CleanOptions, TextCleaner

__all__ = ["CleanOptions", "Cleaned", "IngestReport", "TextCleaner", "ingest_paths"]
