"""Raw document to :class:`~narrascope.model.Article`: extraction, cleaning, metadata, language.

Metadata a record states outright (a JSON field, a feed item's date) wins over what the
cleaner lifts from the text, which wins over what trafilatura guesses from a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import numpy as np

from ..errors import EmptyInput, InputError
from ..model import Article, RemovedLine, article_id
from .dates import parse_iso
from .dedup import MinHasher
from .html import extract_article, html_to_lines
from .language import detect_language
from .sources import RawDoc
from .textclean import CleanOptions, TextCleaner


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    languages: tuple[str, ...]
    clean: CleanOptions = field(default_factory=CleanOptions)
    hasher: MinHasher = field(default_factory=MinHasher)
    outlet: str | None = None  # given on the command line: applies to every document
    language: str | None = None


@dataclass(slots=True)
class Prepared:
    article: Article
    minhash: np.ndarray
    source: str
    warnings: list[str] = field(default_factory=list)


def prepare(
    raw: RawDoc, opts: ExtractOptions, repeated: frozenset[str] = frozenset()
) -> Prepared | InputError:
    try:
        return _prepare(raw, opts, repeated)
    except InputError as exc:
        return exc


def _prepare(raw: RawDoc, opts: ExtractOptions, repeated: frozenset[str]) -> Prepared:
    meta = raw.meta
    warnings = [raw.warning] if raw.warning else []
    cleaner = TextCleaner(opts.clean)
    lifted_title = lifted_author = lifted_outlet = None
    lifted_date: datetime | None = None
    lifted_url: str | None = None
    removed: list[RemovedLine] = []
    if raw.kind == "html":
        found = extract_article(raw.body, url=meta.get("url"), source=raw.source)
        if found is not None:
            text, lifted_title, lifted_author = found.text, found.title, found.author
            lifted_date, lifted_outlet, lifted_url = found.published, found.sitename, found.url
        else:  # trafilatura found nothing: read the page as lines and clean those
            cleaned = cleaner.clean("\n".join(html_to_lines(raw.body, source=raw.source)))
            text, removed = cleaned.text, cleaned.removed
            lifted_title, lifted_author, lifted_date, lifted_outlet = (
                cleaned.title,
                cleaned.author,
                cleaned.published,
                cleaned.outlet,
            )
    else:
        body = "\n".join(html_to_lines(raw.body, source=raw.source)) if raw.kind == "fragment" else raw.body
        cleaned = cleaner.clean(body, repeated=repeated)
        text, removed = cleaned.text, cleaned.removed
        lifted_title, lifted_author, lifted_date, lifted_outlet = (
            cleaned.title,
            cleaned.author,
            cleaned.published,
            cleaned.outlet,
        )

    if not text.strip():
        raise EmptyInput("no article text left after removing page furniture", source=raw.source)

    title = _clean_str(meta.get("title")) or lifted_title
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    published = lifted_date
    if meta.get("published"):
        stated = parse_iso(str(meta["published"]))
        if stated is None:
            warnings.append(f"published {meta['published']!r} is not a date I can read; left empty")
        published = stated or published
    url = _clean_str(meta.get("url")) or lifted_url
    outlet = opts.outlet or _clean_str(meta.get("outlet")) or lifted_outlet or _domain(url)
    language = opts.language or _clean_str(meta.get("language")) or detect_language(text, opts.languages)

    article = Article(
        id=article_id(text, url, outlet),
        text=text,
        title=title,
        author=_clean_str(meta.get("author")) or lifted_author,
        published=published,
        outlet=outlet,
        url=url,
        path=raw.source,
        language=language,
        source_format=raw.kind if raw.kind != "fragment" else "html-fragment",
        external_id=_clean_str(meta.get("id")),
        removed=removed,
    )
    return Prepared(article, opts.hasher.signature(text), raw.source, [w for w in warnings if w])


def _clean_str(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.") or None
