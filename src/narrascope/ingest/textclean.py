"""The plain-text cleaner: a scraped page as text in, article body + metadata + removed lines out.

It works on lines, the unit a scraper leaves behind, and decides each one from general traits:

* what the line is like: words, closing punctuation, bullets, separators, all-caps, a date;
* where it sits: before the first sentence of prose (the header zone: crumbs, menu items,
  bylines, datelines, credits), after a list label ("Latest news", "Related") or a comment
  prompt (the tail zone), or between sentences (the body, where almost everything is kept);
* cue phrases of page furniture in several languages (:mod:`narrascope.ingest.cues`);
* repetition: a short line found in several files of the same outlet is furniture.

Prose — a line of eight or more words that ends like a sentence — is removed only inside a
tail or comment zone, so the cleaner keeps every sentence of the article.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..model import RemovedLine
from . import cues
from .dates import dateline

_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
_TERMINAL = re.compile(r"""[.!?…;:。！？]["'”»“)\]」』]*$|[.!?…]\s*\[\d+\]$""")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_DIGITS = re.compile(r"\d+")
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
    # Header-zone lines of at most this many words, without punctuation, are menu items.
    menu_max_words: int = 3
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
class Cleaned:
    paragraphs: list[str]
    removed: list[RemovedLine] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    outlet: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(slots=True)
class _Line:
    no: int
    text: str
    words: int
    terminal: bool
    bullet: bool
    reason: str | None = None


def normalize_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    return _SPACES.sub(" ", line).strip()


def line_key(line: str) -> str:
    """What makes two lines "the same line" across files: case, digits and spacing ignored."""
    return _DIGITS.sub("0", " ".join(normalize_line(line).casefold().split()))


def repeated_lines(texts: Iterable[str], min_files: int, opts: CleanOptions | None = None) -> frozenset[str]:
    """Keys of the non-prose lines that occur in at least ``min_files`` of ``texts``."""
    opts = opts or CleanOptions()
    counts: Counter[str] = Counter()
    for text in texts:
        keys = set()
        for raw in text.splitlines():
            line = _make_line(0, normalize_line(raw))
            if line.text and not _is_prose(line, opts):
                keys.add(line_key(line.text))
        counts.update(keys)
    return frozenset(k for k, n in counts.items() if n >= min_files)


class TextCleaner:
    def __init__(self, options: CleanOptions | None = None) -> None:
        self.opts = options or CleanOptions()

    def clean(self, text: str, *, repeated: frozenset[str] = frozenset()) -> Cleaned:
        lines = [_make_line(no, normalize_line(raw)) for no, raw in enumerate(text.splitlines(), 1)]
        lines = [line for line in lines if line.text]
        out = Cleaned(paragraphs=[])
        prose = [i for i, line in enumerate(lines) if _is_prose(line, self.opts)]
        first_prose = prose[0] if prose else len(lines)

        for i, line in enumerate(lines):
            line.reason = self._furniture(line, out, in_header=i < first_prose, repeated=repeated)
        self._mark_tails(lines)
        start, end = self._main_block(lines)
        self._mark_header(lines, start, out)
        for line in lines[end:]:  # after the article: whatever is not a sentence
            if not line.reason and not _is_prose(line, self.opts):
                line.reason = "tail"
        self._mark_repeats_within(lines)

        for line in lines:
            if line.reason:
                out.removed.append(RemovedLine(line.text, line.reason, line.no))
            else:
                out.paragraphs.append(line.text)
        if out.title and out.paragraphs and out.paragraphs[0] != out.title and out.title in out.paragraphs:
            out.paragraphs.remove(out.title)
            out.paragraphs.insert(0, out.title)
        return out

    # -- single-line furniture -------------------------------------------------------------

    def _furniture(
        self, line: _Line, out: Cleaned, *, in_header: bool, repeated: frozenset[str]
    ) -> str | None:
        text, opts = line.text, self.opts
        prose = _is_prose(line, opts)
        short = line.words <= opts.short_max_words
        if not _WORD.search(text):
            return "navigation"  # separators, arrows, lone bullets
        if cues.COMMENTS_LINE.match(text) or cues.TAIL_LINE.match(text):
            if site := cues.SITE_FROM.match(text):
                out.outlet = out.outlet or _site_name(site.group("site"))
            return "tail"
        if not prose and _only_nav_words(text):
            return "prompt"
        if line.words <= 30 and (
            cues.COPYRIGHT_START.match(text) or (not prose and cues.COPYRIGHT.search(text))
        ):
            out.outlet = out.outlet or _outlet_from_copyright(text)
            return "prompt"
        if line.words <= 20 and (cues.PROMPT_START.match(text) or (short and cues.PROMPT_END.search(text))):
            if site := cues.SITE_FROM.match(text):
                out.outlet = out.outlet or _site_name(site.group("site"))
            return "prompt"
        if not prose and short and (cues.CREDIT_START.match(text) or cues.CREDIT_ANYWHERE.search(text)):
            return "photo-credit"
        if not prose and line.words <= 8 and (byline := cues.BYLINE.match(text)):
            name = _author_name(byline.group("name"))
            if name:
                out.author = out.author or name
                return "byline"
        if not prose and line.words <= 14 and (when := dateline(text)) is not None:
            out.published = out.published or when
            return "dateline"
        if not prose and _is_breadcrumb(text):
            out.outlet = out.outlet or _outlet_from_crumbs(text)
            return "navigation"
        if in_header and (domain := cues.DOMAIN.match(text)):
            out.outlet = out.outlet or domain.group("domain").lower()
            return "navigation"
        if not prose and repeated and line_key(text) in repeated:
            return "repeated"
        return None

    # -- zones -----------------------------------------------------------------------------

    def _main_block(self, lines: list[_Line]) -> tuple[int, int]:
        """The stretch of lines richest in prose: the article, with what sits inside it.

        Each prose line scores its word count, every other line a fixed penalty; the best
        scoring contiguous run (maximum subarray) is the body. A short caption or subheading
        inside the article costs little, a menu of twenty links separates two blocks.
        """
        best, best_span = 0.0, (0, len(lines))
        run, run_start = 0.0, 0
        for i, line in enumerate(lines):
            gain = (
                line.words
                if (not line.reason and _is_prose(line, self.opts))
                else -self.opts.block_line_penalty
            )
            if run <= 0:
                run, run_start = 0.0, i
            run += gain
            if run > best:
                best, best_span = run, (run_start, i + 1)
        return best_span

    def _mark_tails(self, lines: list[_Line]) -> None:
        """After a list label, drop the headline-like lines that follow; after comments, drop all."""
        n = len(lines)
        prose_words = [line.words if _is_prose(line, self.opts) else 0 for line in lines]
        total = sum(prose_words) or 1
        i = 0
        while i < n:
            line = lines[i]
            # A comments label opens the comment section only once most of the article is behind
            # it; near the top it is a link in the share bar ("Comments (12)").
            if (
                line.reason == "tail"
                and cues.COMMENTS_LINE.match(line.text)
                and sum(prose_words[:i]) >= self.opts.comments_min_share * total
            ):
                for rest in lines[i + 1 :]:
                    rest.reason = rest.reason or "tail"
                return
            if line.reason == "tail":
                j = i + 1
                while j < n and (lines[j].reason or self._headline_like(lines[j])):
                    lines[j].reason = lines[j].reason or "tail"
                    j += 1
                i = j
                continue
            i += 1
        # An unlabelled list of headlines closing the page is a related-links block too.
        run = 0
        for line in reversed(lines):
            if line.reason or self._headline_like(line):
                run += line.reason is None
                continue
            break
        if run >= self.opts.trailing_run_min:
            for line in reversed(lines):
                if not (line.reason or self._headline_like(line)):
                    break
                line.reason = line.reason or "tail"

    def _headline_like(self, line: _Line) -> bool:
        if line.bullet:
            return not line.terminal or line.words <= self.opts.short_max_words
        return not _is_prose(line, self.opts) and line.words <= 20

    def _mark_header(self, lines: list[_Line], start: int, out: Cleaned) -> None:
        """Before the body: the headline is the nearest non-sentence above it; other non-sentences go."""
        opts = self.opts
        header = [line for line in lines[:start] if not line.reason and not _is_prose(line, opts)]
        masthead = out.outlet.casefold() if out.outlet else None
        title_line = None
        for line in reversed(header):
            if masthead and masthead in line.text.casefold():
                continue  # the site's name or tagline printed above the headline
            if opts.title_min_words <= line.words <= opts.title_max_words:
                title_line = line
                break
        for line in header:
            if line is not title_line:
                line.reason = "navigation"
        if title_line is not None:
            out.title = title_line.text

    def _mark_repeats_within(self, lines: list[_Line]) -> None:
        """A short line printed twice on one page (a repeated title, a doubled credit) goes once."""
        seen: set[str] = set()
        for line in lines:
            if line.reason:
                continue
            key = line_key(line.text)
            if key in seen and not _is_prose(line, self.opts):
                line.reason = "repeated"
            seen.add(key)


def _make_line(no: int, text: str) -> _Line:
    return _Line(
        no=no,
        text=text,
        words=_count_words(text),
        terminal=bool(_TERMINAL.search(text)),
        bullet=bool(cues.BULLET.match(text)),
    )


def _count_words(text: str) -> int:
    words = len(_WORD.findall(text))
    if _CJK.search(text):  # no spaces between words: about two characters make a word
        words = max(words, len(_CJK.findall(text)) // 2)
    return words


def _is_prose(line: _Line, opts: CleanOptions) -> bool:
    return line.words >= opts.prose_min_words and (line.terminal or line.words >= opts.prose_long_words)


def _only_nav_words(text: str) -> bool:
    words = [w.casefold() for w in _WORD.findall(text)]
    return 0 < len(words) <= 6 and all(w in cues.NAV_WORDS for w in words)


def _is_breadcrumb(text: str) -> bool:
    parts = [p for p in cues.BREADCRUMB_SEPARATORS.split(text) if p.strip()]
    if len(parts) >= 2 and (
        len(parts) > len(text.split()) / 6 or cues.GENERIC_CRUMBS.match(parts[0].strip())
    ):
        return True
    dashed = [p for p in cues.DASH_SEPARATORS.split(text) if p.strip()]
    return len(dashed) >= 3 and all(len(p.split()) <= 6 for p in dashed)


def _outlet_from_crumbs(text: str) -> str | None:
    parts = [p.strip() for p in cues.BREADCRUMB_SEPARATORS.split(text) if p.strip()]
    if len(parts) < 2:
        parts = [p.strip() for p in cues.DASH_SEPARATORS.split(text) if p.strip()]
    first = parts[0] if parts else ""
    if not first or cues.GENERIC_CRUMBS.match(first) or len(first.split()) > 4:
        return None
    return _site_name(first)


def _outlet_from_copyright(text: str) -> str | None:
    name = cues.COPYRIGHT.sub(" ", text)
    name = re.sub(r"\b\d{4}\b(?:\s*[-–]\s*\d{4})?", " ", name)
    name = re.split(r"[.|,;]\s|\s[-–—]\s", name.strip(" .,-"))[0]
    name = name.strip(" .,-–—")
    if not name or len(name.split()) > 5 or not _WORD.search(name):
        return None
    return _site_name(name)


def _site_name(name: str) -> str:
    name = name.strip(" .,:;-–—«»\"'")
    letters = [c for c in name if c.isalpha()]
    # Shouted names ("EURASIA NEWS") read better in title case; short acronyms stay as they are.
    if len(letters) > 4 and all(c.isupper() for c in letters):
        name = name.title()
    return name


def _author_name(name: str) -> str | None:
    name = re.split(r"\s*(?:[|,;]|\s[-–—]\s|\bfor\b|\bin\b)\s*", name.strip())[0].strip(" .:-–—")
    words = name.split()
    if not 1 <= len(words) <= 5 or not all(_WORD.fullmatch(w.strip(".")) for w in words):
        return None
    if dateline(name) is not None:
        return None
    return name
