"""Ingest: files in, :class:`~narrascope.model.Article` records in the store out.

``sources`` finds files and hands each to its format's reader (``jsonrecords``, ``csvfiles``,
``parquet``, ``warc``, ``feeds``; ``records`` maps a record's fields), ``decode`` turns bytes into text, ``html`` and
``textclean`` extract the article body, ``dates`` and ``language`` fill metadata, ``dedup``
links copies to their originals and ``runner`` ties them together (``report`` says what it did).
"""

from __future__ import annotations

from .runner import IngestReport, ingest_paths
from .textclean import Cleaned, CleanOptions, TextCleaner

__all__ = ["CleanOptions", "Cleaned", "IngestReport", "TextCleaner", "ingest_paths"]
