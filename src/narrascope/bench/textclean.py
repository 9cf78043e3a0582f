"""How well the plain-text cleaner keeps article text and drops page furniture.

Each page of trafilatura's evaluation set is rendered to plain text, one line per block
element (what a scraper that saves text leaves behind), then cleaned. The set's own metric
scores the result: a 'with' snippet found is a true positive, missed a false negative; a
'without' snippet found is a false positive. Precision, recall and F1 are pooled over pages.
The uncleaned text is scored the same way as the baseline; ``--reference`` also scores
trafilatura's own HTML extraction on the same pages for comparison.

The cleaner's constants are tuned on these pages, so they are split by site (a stable hash of
the hostname, so one site's pages never straddle the halves) into a "dev" half, the one to tune
on, and a "held-out" half, the one to report:
every figure is printed for all pages and for each half, and the headline is the held-out F1.
The options come from the settings (``--config FILE``, else ``./narrascope.toml``, else the
shipped defaults), so the bench scores what ``narrascope ingest`` would run.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import click

from ..config import load_settings
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

    def row(self, name: str) -> str:
        return (
            f"{name:<32} precision={self.precision:.3f} recall={self.recall:.3f} f1={self.f1:.3f} "
            f"(tp={self.tp} fn={self.fn} fp={self.fp} tn={self.tn})"
        )


SPLITS = ("all", "dev", "held-out")


def site_of(url: str) -> str:
    """The site a page comes from: its hostname, or the whole entry when it has none."""
    return urlsplit(url).hostname or url


def split_of(site: str) -> str:
    """'dev' or 'held-out', fixed for a site: pages of one site never straddle the halves."""
    return "dev" if hashlib.sha256(site.encode("utf-8")).digest()[0] % 2 == 0 else "held-out"


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
@click.option(
    "--config",
    default=None,
    metavar="FILE",
    help="settings file whose [ingest.clean] is scored [default: ./narrascope.toml or the shipped defaults]",
)
def command(*, data: str | None, limit: int | None, reference: bool, config: str | None) -> None:
    """Plain-text cleaner on trafilatura's evaluation pages, with the uncleaned baseline."""
    opts = CleanOptions(**load_settings(config).ingest.clean.to_dict())
    root = dataset_dir("trafilatura-eval", data)
    pages = load_pages(root, limit)
    texts = {url: page_lines(html) for url, _, html in pages}
    halves = {url: split_of(site_of(url)) for url, _, _ in pages}
    click.echo(f"pages: {len(pages)} from {root}")
    for half in SPLITS[1:]:
        urls = [url for url in texts if halves[url] == half]
        click.echo(f"{half}: {len(urls)} pages from {len({site_of(u) for u in urls})} sites")

    # Pages of one site share furniture lines, as files of one outlet do in a scrape folder.
    by_site: dict[str, list[str]] = defaultdict(list)
    for url, text in texts.items():
        if text:
            by_site[site_of(url)].append(text)
    repeated = {
        site: repeated_lines(group, opts.repeat_min_files, opts)
        for site, group in by_site.items()
        if len(group) >= opts.repeat_min_files
    }

    scores: dict[tuple[str, str], Score] = defaultdict(Score)

    def add(method: str, url: str, output: str | None, entry: dict) -> None:
        for half in ("all", halves[url]):
            scores[half, method].add(output, entry["with"], entry["without"])

    cleaner = TextCleaner(opts)
    start = time.perf_counter()
    for url, entry, _ in pages:
        text = texts[url]
        add("uncleaned text", url, text, entry)
        out = None
        if text is not None:
            result = cleaner.clean(text, repeated=repeated.get(site_of(url), frozenset()))
            out = result.text or None
        add("narrascope textclean", url, out, entry)
    click.echo(f"cleaned in {time.perf_counter() - start:.1f}s")
    methods = ["uncleaned text", "narrascope textclean"]
    if reference:
        import trafilatura

        for url, entry, html in pages:
            add(
                "trafilatura (HTML)",
                url,
                trafilatura.extract(html, include_comments=False) if html else None,
                entry,
            )
        methods.append("trafilatura (HTML)")

    for half in SPLITS:
        for method in methods:
            click.echo(scores[half, method].row(f"{half:<9} {method}"))
    # The held-out half is the figure to report; tune on the dev half only, so that it stays unseen.
    click.echo(f"textclean: f1={scores['held-out', 'narrascope textclean'].f1:.3f}")
