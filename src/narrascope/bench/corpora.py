"""Distinct real news for the speed benchmarks: BASIL's articles, then FNC-1's article bodies.

A speed figure measured on copies of the same articles flatters whatever remembers something from
one article to the next (the word vectors the technique features read, above all: on copies every
word after the first pass is known). Each text here is a different article; a benchmark asked for
more than the two sets hold gets marked copies and says how many.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..errors import ConfigError
from ..model import Article, article_id


def basil_articles(root: Path) -> list[Article]:
    """BASIL's articles (``root``/basil), title first, with outlet and date."""
    from ..ingest.dates import parse_iso
    from .stories import load_basil

    records = load_basil(root / "basil")
    if not records:
        raise ConfigError(f"{root / 'basil'}: no BASIL articles found")
    return [Article(id=article_id(r["text"], None, r["outlet"]), text=r["text"], title=r["title"],
                    outlet=r["outlet"], published=parse_iso(r["published"] or ""), language="en")
            for r in records]


def fnc1_bodies(root: Path) -> list[Article]:
    """FNC-1's article bodies (``root``/fnc-1/train_bodies.csv), each text once; none when absent."""
    path = root / "fnc-1" / "train_bodies.csv"
    if not path.is_file():
        return []
    csv.field_size_limit(1 << 26)
    seen: set[str] = set()
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = (row.get("articleBody") or "").strip()
            if text and text not in seen:
                seen.add(text)
                out.append(Article(id=article_id(text, None, None), text=text, language="en"))
    return out


def distinct_news(root: Path, *, articles: int = 0, words: int = 0,
                  first: list[Article] | None = None) -> tuple[list[Article], int]:
    """``first``, then BASIL, then FNC-1 bodies (each set read only when the ones before fall
    short), until there are ``articles`` articles and ``words`` words; past the end of all of
    them, marked copies. Returns the articles and how many of them are copies."""
    pool = list(first or [])

    def enough(items: list[Article]) -> bool:
        return len(items) >= articles and sum(len(a.text.split()) for a in items) >= words

    for more in (basil_articles, fnc1_bodies):
        if not enough(pool):
            pool += more(root)
    out: list[Article] = []
    total = 0
    while len(out) < articles or total < words:
        copy, a = divmod(len(out), len(pool))[0], pool[len(out) % len(pool)]
        if copy:
            text = f"{a.text}\n\nCopy {copy + 1}."
            a = Article(id=article_id(text, a.url, a.outlet), text=text, title=a.title, outlet=a.outlet,
                        published=a.published, language=a.language)
        out.append(a)
        total += len(a.text.split())
    return out, max(0, len(out) - len(pool))
