"""Raw document to :class:`~narrascope.model.Article`: extraction, cleaning, metadata, language.

Metadata a record states outright (a JSON field, a feed item's date) wins over what the
cleaner lifts from the text, which wins over what trafilatura guesses from a page. The outlet
has an order of its own (see :mod:`narrascope.ingest.outlets`). The article id comes from the
raw document and the URL and outlet it states or the user gives (see ``model.article_id``); the
cleaned text only decides what counts as an exact copy (``Article.content_hash``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from .. import safetext
from ..errors import EmptyInput, InputError
from ..model import Article, RemovedLine, article_id
from .dates import parse_iso
from .dedup import MinHasher
from .html import extract_article, html_to_lines
from .language import detect_language
from .outlets import OutletOptions, domain_of
from .raw import RawDoc
from .textclean import CleanOptions, TextCleaner

# Years a stated publication date may have: dates in text are read in the same range (dates.py).
PUBLISHED_YEARS = (1900, 2100)


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    languages: tuple[str, ...]
    clean: CleanOptions = field(default_factory=CleanOptions)
    hasher: MinHasher = field(default_factory=MinHasher)
    outlets: OutletOptions = field(default_factory=OutletOptions)  # what the command line says
    language: str | None = None


@dataclass(slots=True)
class Prepared:
    article: Article
    minhash: np.ndarray
    source: str
    warnings: list[str] = field(default_factory=list)
    # Title, author, published, language and outlet where the input (or the command line) states
    # them: re-ingesting the same document with other values updates the stored article.
    stated: dict[str, Any] = field(default_factory=dict)


def prepare(
    raw: RawDoc, opts: ExtractOptions, repeated: frozenset[str] = frozenset()
) -> Prepared | InputError:
    try:
        return _prepare(raw, opts, repeated)
    except InputError as exc:
        return exc


def _prepare(raw: RawDoc, opts: ExtractOptions, repeated: frozenset[str]) -> Prepared:
    raw, cleaned_note = storable(raw)
    meta = raw.meta
    warnings = list(raw.warnings) + ([cleaned_note] if cleaned_note else [])
    cleaner = TextCleaner(opts.clean)
    lifted_title = lifted_author = lifted_outlet = page_outlet = None
    lifted_date: datetime | None = None
    lifted_url: str | None = None
    removed: list[RemovedLine] = []
    if raw.kind == "html":
        found = extract_article(raw.body, url=meta.get("url"), source=raw.source)
        if found is not None:
            text, lifted_title, lifted_author = found.text, found.title, found.author
            lifted_date, page_outlet, lifted_url = found.published, found.sitename, found.url
        else:  # trafilatura found nothing: read the page as lines and clean those
            cleaned = cleaner.clean("\n".join(html_to_lines(raw.body, source=raw.source)))
            text, removed = cleaned.text, cleaned.removed
            lifted_title, lifted_author, lifted_date, lifted_outlet = (
                cleaned.title,
                cleaned.author,
                cleaned.published,
                cleaned.outlet,
            )
            page_outlet, lifted_url = cleaned.site, cleaned.url
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
        page_outlet, lifted_url = cleaned.site, cleaned.url

    if not text.strip():
        raise EmptyInput("no article text left after removing page furniture", source=raw.source)

    stated: dict[str, Any] = {}
    for key in ("title", "author", "language"):
        if value := _clean_str(meta.get(key)):
            stated[key] = value
    if opts.language:
        stated["language"] = opts.language
    if meta.get("published"):
        date = parse_iso(str(meta["published"]))
        if date is None:
            warnings.append(f"published {meta['published']!r} is not a date I can read; left empty")
        elif not PUBLISHED_YEARS[0] <= date.year <= PUBLISHED_YEARS[1]:
            # A database's placeholder (0001-01-01, 9999-12-31) dates nothing; 1970-01-01 is in range.
            warnings.append(f"published {meta['published']!r} is no publication date (year outside "
                            f"{PUBLISHED_YEARS[0]}-{PUBLISHED_YEARS[1]}); left empty")
        else:
            stated["published"] = date

    title = stated.get("title") or lifted_title
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    given_url = _clean_str(meta.get("url"))
    url = given_url or lifted_url
    # The outlet, in the order of narrascope.ingest.outlets: what the user says, what the input
    # states, the folder (when asked), the URL's domain, what the text says.
    domain = domain_of(url)
    if url and domain is None:
        warnings.append(f"url {url!r} names no host I can read; kept as given, no outlet taken from it")
    if page_outlet and page_outlet.casefold() in (domain, _netloc(url)):
        page_outlet = None  # trafilatura names a page with no site name after its address
    stated_outlet = (
        _clean_str(opts.outlets.named(raw.path, url))
        or _clean_str(meta.get("outlet"))
        or (None if page_outlet else _clean_str(opts.outlets.folder(raw.path)))
    )
    outlet = stated_outlet or page_outlet or domain or lifted_outlet
    if stated_outlet:
        stated["outlet"] = stated_outlet
    language = stated.get("language") or detect_language(text, opts.languages)

    article = Article(
        id=article_id(raw.body, given_url, stated_outlet),
        text=text,
        title=title,
        author=stated.get("author") or lifted_author,
        published=stated.get("published") or lifted_date,
        outlet=outlet,
        url=url,
        path=raw.source,
        language=language,
        source_format=raw.kind if raw.kind != "fragment" else "html-fragment",
        external_id=_clean_str(meta.get("id")),
        removed=removed,
    )
    return Prepared(article, opts.hasher.signature(text), raw.source, [w for w in warnings if w], stated)


def storable(raw: RawDoc) -> tuple[RawDoc, str | None]:
    """``raw`` with its body and every text field made storable (:mod:`narrascope.safetext`), and
    the warning saying what changed (None when nothing did)."""
    counts = [0, 0]

    def fix(value):
        if not isinstance(value, str):
            return value
        fixed, nul, surrogates = safetext.storable(value)
        counts[0] += nul
        counts[1] += surrogates
        return fixed

    body, meta = fix(raw.body), {k: fix(v) for k, v in raw.meta.items()}
    note = safetext.describe(*counts)
    return (dataclasses.replace(raw, body=body, meta=meta) if note else raw), note


def _netloc(url: str | None) -> str | None:
    """What stands between ``//`` and the path, as written (``[`` for ``http://[``), lower case."""
    if not url or "//" not in url:
        return None
    rest = url.split("//", 1)[1]
    for sep in "/?#":
        rest = rest.split(sep, 1)[0]
    return rest.casefold().removeprefix("www.")


def _clean_str(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None
