"""Lines of a scraped page, as the cleaner (:mod:`narrascope.ingest.textclean`) sees them: what
a line is like (its words, closing punctuation, bullet) and the traits the cleaner decides on
(prose, a reader prompt, a picture credit, a site's name). Each trait reads one line only; where
the line sits is the cleaner's business. :class:`CleanOptions` holds the thresholds both read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from . import cues

_WORD = cues.WORD
_TERMINAL = re.compile(r"""[.!?…;:。！？]["'”»“)\]」』]*$|[.!?…]\s*\[\d+\]$""")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_DIGITS = re.compile(r"\d+")
_URL = re.compile(r"https?://\S+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


@dataclass(slots=True)
class CleanOptions:
    # Prose starts at this many words. 8 separates sentences from headlines and menu rows in the
    # trafilatura evaluation pages (see `narrascope bench textclean`).
    prose_min_words: int = 8
    # A line with no closing punctuation still counts as prose when it is this long.
    prose_long_words: int = 25
    # Lines of up to this many words can be furniture (prompts, credits, crumbs).
    short_max_words: int = 12
    # A line with a credit prefix ("Photo: ...") or a closing "/ Agency" is a credit up to this
    # many words: captions run longer than prompts. Dev F1 .858 at 12, .859 from 20 to 40.
    credit_max_words: int = 30
    # Titles are lines of this many words (inclusive range).
    title_min_words: int = 2
    title_max_words: int = 30
    # A run of at least this many headline-like lines at the very end is a related-links list.
    trailing_run_min: int = 4
    # What a line that is not prose costs the main block. On the trafilatura pages F1 rises from
    # .833 (3) to .849 (8) and .852 (12), then flattens while recall keeps falling (bench textclean).
    block_line_penalty: float = 12.0
    # Share of the page's prose that must precede a "Comments" label for it to end the article.
    comments_min_share: float = 0.5
    # A short line present in this many files of one outlet is site furniture.
    repeat_min_files: int = 3


@dataclass(slots=True)
class Line:
    no: int
    text: str
    words: int
    terminal: bool
    bullet: bool
    reason: str | None = None  # why the line is removed (what it is)
    zone: str | None = None  # where it sits: "tail" or "comments" (kept apart from the reason)
    # Metadata this line offers; lifted once the zones are known.
    author: str | None = None
    date: datetime | None = None
    outlet: str | None = None
    outlet_stated: bool = False  # a footer or "Discover more from X" says it; a crumb only suggests
    site: str | None = None  # "sitename: X" in a metadata header
    url: str | None = None
    masthead: bool = False  # shaped like a site's name; where it sits decides (see _mark_masthead)
    credit_like: bool = False  # a "©" line that names no year: a footer below the article, else a credit
    cut: str | None = None  # the site's name cut off the end of the title line


def normalize_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    return _SPACES.sub(" ", line).strip()


def line_key(line: str) -> str:
    """What makes two lines "the same line" across files: case, digits and spacing ignored."""
    return _DIGITS.sub("0", " ".join(normalize_line(line).casefold().split()))


def make_line(no: int, text: str) -> Line:
    return Line(
        no=no,
        text=text,
        words=count_words(text),
        terminal=bool(_TERMINAL.search(text)),
        bullet=bool(cues.BULLET.match(text)),
    )


def count_words(text: str) -> int:
    words = len(_WORD.findall(_URL.sub("url", text)))  # an address is one word, however long
    if _CJK.search(text):  # no spaces between words: about two characters make a word
        words = max(words, len(_CJK.findall(text)) // 2)
    return words


def is_prose(line: Line, opts: CleanOptions) -> bool:
    return line.words >= opts.prose_min_words and (line.terminal or line.words >= opts.prose_long_words)


def is_prompt(text: str, *, prose: bool, short: bool, near_end: bool) -> bool:
    start = cues.PROMPT_START.match(text)
    if not (start or (short and cues.PROMPT_END.search(text))):
        return False
    if not prose:
        return True
    # A sentence may open with a cue word and be reporting ("Advertisement spending fell",
    # "Follow us on this story, the mayor told..."): it is a prompt only when the cue is a label
    # ("Advertisement: ..."), the rest speaks to the reader ("Subscribe to our newsletter...")
    # or it closes the page.
    rest = text[start.end() :] if start else text
    return near_end or bool(start and cues.LABEL_MARK.match(rest)) or bool(cues.READER.search(rest))


def is_credit(line: Line, opts: CleanOptions, *, any_length: bool = False) -> bool:
    return credit_cue(line, opts, any_length=any_length) or credit_end(line, opts, any_length=any_length)


def credit_cue(line: Line, opts: CleanOptions, *, any_length: bool = False) -> bool:
    """A picture credit by its words: a "Photo:" prefix, or an agency named in a short line."""
    # A prefix decides it even on a long caption: sentences do not open with "Photo:".
    if (any_length or line.words <= opts.credit_max_words) and cues.CREDIT_START.match(line.text):
        return True
    short = line.words <= opts.short_max_words
    return short and not is_prose(line, opts) and bool(cues.CREDIT_ANYWHERE.search(line.text))


def credit_end(line: Line, opts: CleanOptions, *, any_length: bool = False) -> bool:
    """A caption closed by "/ Agency" or "(c) Name"; sentences end in punctuation instead."""
    if line.terminal or not (any_length or line.words <= opts.credit_max_words):
        return False
    credit = cues.CREDIT_END.search(line.text)
    # The caption is a phrase, not a crumb ("Home / World") or a footer ("© 2025 Name").
    return credit is not None and count_words(line.text[: credit.start()].split(" / ")[0]) >= 4


def site_of(text: str) -> str:
    domain = cues.DOMAIN.match(text)
    return domain.group("domain").lower() if domain else cues.site_name(text)


def titled_with_site(text: str) -> bool:
    """A headline with the site's name after it ("Talks resume | The Harbour Times"), not a crumb."""
    split = cues.site_suffix(text)
    return split is not None and not cues.is_breadcrumb(split[0]) and len(split[0].split()) >= 3


def offer_site(line: Line) -> None:
    site = cues.SITE_FROM.match(line.text)
    if site and not cues.SUBSCRIPTION.search(site.group("site")):
        line.outlet, line.outlet_stated = cues.site_name(site.group("site")), True
