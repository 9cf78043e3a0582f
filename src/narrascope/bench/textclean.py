"""How well the plain-text cleaner keeps article text and drops page furniture.

Each page of trafilatura's evaluation set is rendered to plain text, one line per block
element (what a scraper that saves text leaves behind), then cleaned. The set's own metric
scores the result: a 'with' snippet found is a true positive, missed a false negative; a
'without' snippet found is a false positive. Precision, recall and F1 are pooled over pages.
The uncleaned text is scored the same way as the baseline; ``--reference`` also scores
trafilatura's own HTML extraction on the same pages for comparison.
"""

from __future__ import annotations

import gzip
import json
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import click

from ..errors import InputError
from ..ingest.decode import decode_bytes
from ..ingest.html import html_to_lines
from ..ingest.textclean import CleanOptions, TextCleaner, repeated_lines
from . import dataset_dir


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def add(self, output: str | None, with_: list[str], without: list[str]) -> None:
        if output is None:  # a crash or an empty result misses everything
            self.fn += len(with_)
            self.tn += len(without)
            return
        text = " ".join(output.split())
        for snippet in with_:
            if " ".join(snippet.split()) in text:
                self.tp += 1
            else:
                self.fn += 1
        for snippet in without:
            if " ".join(snippet.split()) in text:
                self.fp += 1
            else:
                self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self, name: str, seconds: float) -> str:
        return (
            f"{name:<22} precision={self.precision:.3f} recall={self.recall:.3f} f1={self.f1:.3f} "
            f"(tp={self.tp} fn={self.fn} fp={self.fp} tn={self.tn}) {seconds:.1f}s"
        )


def load_pages(root: Path, limit: int | None = None) -> list[tuple[str, dict, str | None]]:
    """(url, gold entry, page text or None when unreadable) for each page of the set."""
    gold = json.loads((root / "tests" / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, entry in list(gold.items())[:limit]:
        html = None
        for folder in ("cache", "eval"):
            path = root / "tests" / folder / (entry["file"] + ".gz")
            if path.is_file():
                try:
                    html = decode_bytes(gzip.decompress(path.read_bytes())).text
                except (OSError, EOFError, InputError):
                    html = None
                break
        pages.append((url, entry, html))
    return pages


def page_lines(html: str | None) -> str | None:
    if html is None:
        return None
    try:
        return "\n".join(html_to_lines(html))
    except InputError:
        return None


@click.command("textclean")
@click.option(
    "--data", default=None, metavar="DIR", help="trafilatura evaluation set [default: shared datasets]"
)
@click.option("--limit", type=int, default=None, help="only the first N pages")
@click.option("--reference/--no-reference", default=False, help="also score trafilatura's own extraction")
def command(data: str | None, limit: int | None, reference: bool) -> None:
    """Plain-text cleaner on trafilatura's evaluation pages, with the uncleaned baseline."""
    root = dataset_dir("trafilatura-eval", data)
    pages = load_pages(root, limit)
    click.echo(f"pages: {len(pages)} from {root}")
    texts = {url: page_lines(html) for url, _, html in pages}

    # Pages of one site share furniture lines, as files of one outlet do in a scrape folder.
    opts = CleanOptions()
    by_site: dict[str, list[str]] = defaultdict(list)
    for url, text in texts.items():
        if text:
            by_site[urlsplit(url).hostname or ""].append(text)
    repeated = {
        site: repeated_lines(group, opts.repeat_min_files, opts)
        for site, group in by_site.items()
        if len(group) >= opts.repeat_min_files
    }

    baseline, cleaned = Score(), Score()
    cleaner = TextCleaner(opts)
    start = time.perf_counter()
    for url, entry, _ in pages:
        baseline.add(texts[url], entry["with"], entry["without"])
    t_base = time.perf_counter() - start
    start = time.perf_counter()
    for url, entry, _ in pages:
        text = texts[url]
        out = None
        if text is not None:
            result = cleaner.clean(text, repeated=repeated.get(urlsplit(url).hostname or "", frozenset()))
            out = result.text or None
        cleaned.add(out, entry["with"], entry["without"])
    t_clean = time.perf_counter() - start

    click.echo(baseline.row("uncleaned text", t_base))
    click.echo(cleaned.row("narrascope textclean", t_clean))
    if reference:
        import trafilatura

        ref = Score()
        start = time.perf_counter()
        for _, entry, html in pages:
            out = trafilatura.extract(html, include_comments=False) if html else None
            ref.add(out, entry["with"], entry["without"])
        click.echo(ref.row("trafilatura (HTML)", time.perf_counter() - start))
    click.echo(f"textclean: f1={cleaned.f1:.3f}")
