"""Ingest speed: articles per second, and the cost of our code around trafilatura.

Two corpora of the requested size are built from trafilatura's evaluation pages: the pages as
HTML files, and the same pages rendered to plain text. When more articles are asked for than
there are pages, pages repeat with a marker that changes the raw document but not the article
text, so each repeat is read, extracted and stored like any file, as an exact copy of its first
appearance (the way syndicated copies are), never skipped as "already stored". Each is ingested into a fresh SQLite store. The reference is
trafilatura's own extraction of the same HTML pages, in the same run, in one process; the
ratio of our single-process HTML ingest time to it is the overhead figure.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import click

from ..config import default_settings
from ..engine import LocalEngine, SerialEngine
from ..ingest import ingest_paths
from ..store import SQLStore
from . import dataset_dir
from .textclean import load_pages, page_lines


@click.command("ingest")
@click.option(
    "--data", default=None, metavar="DIR", help="trafilatura evaluation set [default: shared datasets]"
)
@click.option("-n", "--articles", "count", type=int, default=1000, show_default=True)
@click.option("--workers", type=int, default=2, show_default=True, help="processes for the parallel run")
def command(data: str | None, count: int, workers: int) -> None:
    """Plain-text and HTML ingest speed next to trafilatura's extraction speed."""
    import trafilatura

    root = dataset_dir("trafilatura-eval", data)
    pages = [(url, html) for url, _, html in load_pages(root) if html]
    settings = default_settings()
    with tempfile.TemporaryDirectory(prefix="narrascope-bench-") as tmp:
        html_dir, text_dir = Path(tmp, "html"), Path(tmp, "text")
        html_dir.mkdir()
        text_dir.mkdir()
        htmls = []
        for i in range(count):
            url, html = pages[i % len(pages)]
            # Article ids come from the raw document: an attribute makes a repeated page a new
            # document. Its text is unchanged, so it is stored as an exact copy of the first one.
            html = html.replace("<body", f"<body data-copy='{i}'", 1) if i >= len(pages) else html
            htmls.append((url, html))
            (html_dir / f"page{i:05d}.html").write_text(html, encoding="utf-8")
            text = page_lines(html) or ""
            (text_dir / f"page{i:05d}.txt").write_text(
                f"{text}\nCopy {i} of the benchmark corpus.\n", encoding="utf-8"
            )
        click.echo(
            f"corpus: {count} HTML pages and {count} plain-text files from {len(pages)} evaluation pages"
        )

        start = time.perf_counter()
        for url, html in htmls:
            trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
        t_ref = time.perf_counter() - start
        click.echo(f"trafilatura extraction alone, 1 process: {count / t_ref:7.1f} pages/s ({t_ref:.1f}s)")

        results = {}
        for label, folder, engine in (
            ("html, 1 process", html_dir, SerialEngine()),
            (f"html, {workers} processes", html_dir, LocalEngine(workers)),
            ("text, 1 process", text_dir, SerialEngine()),
            (f"text, {workers} processes", text_dir, LocalEngine(workers)),
        ):
            store = SQLStore(str(Path(tmp, label.replace(" ", "_").replace(",", "") + ".db")))
            start = time.perf_counter()
            report = ingest_paths([str(folder)], store, settings, engine=engine)
            seconds = time.perf_counter() - start
            store.close()
            results[label] = seconds
            # Every document read counts, whatever became of it: stored (copies included),
            # found already stored, or refused with an error (a page with no article text).
            done = len(report.added) + report.updated + report.unchanged + len(report.errors)
            click.echo(
                f"narrascope ingest, {label:<20} {done / seconds:7.1f} articles/s "
                f"({seconds:.1f}s; {len(report.added)} stored, {report.duplicates} of them copies, "
                f"{report.unchanged} already stored, {len(report.errors)} errors)"
            )
    overhead = results["html, 1 process"] / t_ref - 1
    click.echo(f"overhead of HTML ingest over trafilatura alone (1 process each): {overhead:+.1%}")
    click.echo(f"ingest: html_overhead={overhead:.3f}")
