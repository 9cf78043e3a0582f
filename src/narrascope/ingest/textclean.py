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

Metadata (title, author, date, outlet) is recorded per line first and lifted only once the zones
are known: a date in a related-headlines list or a name in a comment is not the article's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..model import RemovedLine
from . import cues
from .dates import dateline
from .textlines import (
    CleanOptions,
    Line,
    credit_cue,
    credit_end,
    is_credit,
    is_prompt,
    is_prose,
    line_key,
    make_line,
    normalize_line,
    offer_site,
    site_of,
    titled_with_site,
)

_WORD = cues.WORD
# Lines of a header (above the article, not page furniture) in which a masthead is looked for:
# the masthead, the headline, a standfirst.
MASTHEAD_HEADER_LINES = 3
# The footer: the page's last lines. On the trafilatura evaluation pages (judged by hand) a "©"
# without a year in the last 10 lines names the site or its publisher in 49 of 52 pages; further
# up, in 7 of 20: there it is mostly a picture's credit in a list of other articles.
FOOTER_LINES = 10


@dataclass(slots=True)
class Cleaned:
    paragraphs: list[str]
    removed: list[RemovedLine] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    outlet: str | None = None  # what the text says of its site (a footer, a masthead, a crumb)
    site: str | None = None  # a site name the text states under a label ("sitename: ...")
    url: str | None = None  # the page's address on a line of its own at the top

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


# Zones whose lines belong to the page, not the article: no metadata is taken from them.
_PAGE_ZONES = frozenset({"tail", "comments"})


def repeated_lines(texts: Iterable[str], min_files: int, opts: CleanOptions | None = None) -> frozenset[str]:
    """Keys of the non-prose lines that occur in at least ``min_files`` of ``texts``."""
    opts = opts or CleanOptions()
    counts: Counter[str] = Counter()
    for text in texts:
        keys = set()
        for raw in text.splitlines():
            line = make_line(0, normalize_line(raw))
            if line.text and not is_prose(line, opts):
                keys.add(line_key(line.text))
        counts.update(keys)
    return frozenset(k for k, n in counts.items() if n >= min_files)


class TextCleaner:
    def __init__(self, options: CleanOptions | None = None) -> None:
        self.opts = options or CleanOptions()

    def clean(self, text: str, *, repeated: frozenset[str] = frozenset()) -> Cleaned:
        lines = [make_line(no, normalize_line(raw)) for no, raw in enumerate(text.splitlines(), 1)]
        lines = [line for line in lines if line.text]
        out = Cleaned(paragraphs=[])
        prose = [i for i, line in enumerate(lines) if is_prose(line, self.opts)]
        first_prose = prose[0] if prose else len(lines)

        for i, line in enumerate(lines):
            line.reason = self._furniture(
                line, in_header=i < first_prose, near_end=i >= len(lines) - 3, repeated=repeated
            )
        self._mark_tails(lines)
        start, end = self._main_block(lines)
        self._mark_after(lines, end)
        self._mark_credits(lines, start, end)
        self._mark_masthead(lines, start, end)
        self._lift_metadata(lines, start, out)
        self._mark_header(lines, start, out)
        self._mark_repeats_within(lines)

        for line in lines:
            if line.reason:
                out.removed.append(RemovedLine(line.text, line.reason, line.no))
            else:
                out.paragraphs.append(line.text)
                if line.cut:
                    out.removed.append(RemovedLine(line.cut, "navigation", line.no))
        if out.title and out.paragraphs and out.paragraphs[0] != out.title and out.title in out.paragraphs:
            out.paragraphs.remove(out.title)
            out.paragraphs.insert(0, out.title)
        return out

    # -- single-line furniture -------------------------------------------------------------

    def _furniture(
        self, line: Line, *, in_header: bool, near_end: bool, repeated: frozenset[str]
    ) -> str | None:
        """Why ``line`` is furniture on its own (or None); notes the metadata it offers."""
        text, opts = line.text, self.opts
        prose = is_prose(line, opts)
        short = line.words <= opts.short_max_words
        if not _WORD.search(text):
            return "navigation"  # separators, arrows, lone bullets
        if cues.COMMENTS_LINE.match(text) or cues.TAIL_LINE.match(text):
            offer_site(line)
            return "tail"
        if not prose and cues.only_nav_words(text):
            return "prompt"
        if credit_cue(line, opts):  # before footers: a credit may carry a "©"
            line.outlet = cues.outlet_from_collage(text)
            return "photo-credit"
        if line.words <= 30 and (
            cues.COPYRIGHT_START.match(text) or (not prose and cues.COPYRIGHT.search(text))
        ):
            line.outlet, line.outlet_stated = cues.outlet_from_copyright(text), True
            # "© Jane Doe", with neither a year nor "all rights reserved", may be a picture's
            # credit: decided once the article's place is known (see _mark_credits).
            line.credit_like = not cues.FOOTER_NOTICE.search(text)
            return "prompt"
        if line.words <= 20 and is_prompt(text, prose=prose, short=short, near_end=near_end):
            offer_site(line)
            return "prompt"
        if credit_end(line, opts):
            line.outlet = cues.outlet_from_collage(text)
            return "photo-credit"
        if not prose and line.words <= 8 and (byline := cues.BYLINE.match(text)):
            name = cues.author_name(byline.group("name"))
            if name:
                line.author = name
                return "byline"
        if not prose and line.words <= 14 and (when := dateline(text)) is not None:
            line.date = when
            return "dateline"
        if not prose and cues.TAGS_LINE.match(text):
            return "navigation"
        if not prose and cues.is_breadcrumb(text) and not titled_with_site(text):
            line.outlet = cues.outlet_from_crumbs(text)
            return "navigation"
        if in_header and cues.DOMAIN.match(text):
            # A domain alone on a line above the article is the site's only where a masthead would
            # be (see _mark_masthead): menus and adverts print other sites' domains too.
            line.masthead = True
            return None
        # A bare address only above the article: below it, a link is a reference.
        address = cues.URL_LINE.match(text) if in_header or near_end else None
        if address and (in_header or address.group("label")):
            line.url = address.group("url")
            return "navigation"
        label = cues.SITE_LABEL.match(text) if in_header and not prose else None
        if label and (site := cues.site_from_label(label.group("site"))):
            line.site = site
            return "navigation"
        if not prose and repeated and line_key(text) in repeated:
            return "repeated"
        line.masthead = not prose and not line.bullet and cues.is_masthead(text)
        return None

    # -- zones -----------------------------------------------------------------------------

    def _main_block(self, lines: list[Line]) -> tuple[int, int]:
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
                if (not line.reason and is_prose(line, self.opts))
                else -self.opts.block_line_penalty
            )
            if run <= 0:
                run, run_start = 0.0, i
            run += gain
            if run > best:
                best, best_span = run, (run_start, i + 1)
        return best_span

    def _mark_tails(self, lines: list[Line]) -> None:
        """After a list label, drop the headline-like lines that follow; after comments, drop all."""
        n = len(lines)
        prose_words = [line.words if is_prose(line, self.opts) else 0 for line in lines]
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
                for rest in lines[i:]:
                    rest.reason = rest.reason or "tail"
                    rest.zone = "comments"
                return
            if line.reason == "tail":
                line.zone = "tail"
                j = i + 1
                while j < n and (lines[j].reason or self._headline_like(lines[j])):
                    # A dateline or byline in the list keeps its reason; the zone says where it is.
                    lines[j].reason = lines[j].reason or "tail"
                    lines[j].zone = "tail"
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
                line.zone = line.zone or "tail"

    def _headline_like(self, line: Line) -> bool:
        if line.bullet:
            return not line.terminal or line.words <= self.opts.short_max_words
        return not is_prose(line, self.opts) and line.words <= 20

    def _mark_after(self, lines: list[Line], end: int) -> None:
        """After the body: non-sentences are page tail; once a labelled tail opens, so is the rest.

        A byline right after the last sentence ("Original author: ...") is still the article's;
        what follows a "Latest news" list at the foot of the page is not.
        """
        opened = False
        for line in lines[end:]:
            opened = opened or line.zone is not None
            if opened:
                line.zone = line.zone or "tail"
            if not line.reason and not is_prose(line, self.opts):
                line.reason = "tail"

    def _lift_metadata(self, lines: list[Line], start: int, out: Cleaned) -> None:
        """Author and date from the first line offering one outside the page's tails and comments.

        A menu label near the top ("Trending", "Sections") opens a run that reaches the first
        sentence through the article's own headline, byline and dateline. That run is the
        article's header, read from the body upwards so that its byline and dateline come before
        those of headlines listed further up.

        The outlet comes first from what states it (a copyright footer, "Discover more from X"),
        wherever it sits; then from what suggests it (a breadcrumb, a domain) outside the tails,
        where crumbs and names belong to other articles.
        """
        run = _header_run(lines, start)
        article = [
            *(line for line in lines[:run] if line.zone not in _PAGE_ZONES),
            *reversed(lines[run:start]),
            *(line for line in lines[start:] if line.zone not in _PAGE_ZONES),
        ]
        out.author = next((line.author for line in article if line.author), None)
        out.published = next((line.date for line in article if line.date), None)
        stated = (line.outlet for line in lines if line.outlet and line.outlet_stated)
        suggested = (line.outlet for line in article if line.outlet)
        out.outlet = next(stated, None) or next(suggested, None)
        out.site = next((line.site for line in lines[:start] if line.site), None)
        out.url = next((line.url for line in article if line.url), None)

    def _mark_credits(self, lines: list[Line], start: int, end: int) -> None:
        """A "©" line without a year credits a picture unless it is in the page's footer."""
        footer = max(end, len(lines) - FOOTER_LINES)
        for line in lines[:footer]:
            if line.credit_like:
                line.reason, line.outlet, line.outlet_stated = "photo-credit", None, False

    def _mark_masthead(self, lines: list[Line], start: int, end: int) -> None:
        """The site's name printed on a line of its own: at the top of the page, or as its last line.

        At the top only when it is the first line not already page furniture and a headline
        follows it, so that a short headline ("Kazakhstan Bans Foreign Media") is never taken
        for a masthead; at the foot only when no list or comment section holds it.
        """
        header = [line for line in lines[:start] if not line.reason]
        # The masthead, then the headline (and perhaps a standfirst): a page whose header holds
        # more is a whole page with its menus, where a first line such as "Formel 1 News" is one.
        if (
            2 <= len(header) <= MASTHEAD_HEADER_LINES
            and header[0].masthead
            and any(self._title_like(line) for line in header[1:])
        ):
            header[0].outlet = site_of(header[0].text)
        last = lines[-1] if lines else None
        if last is not None and last.masthead and len(lines) - 1 >= end and last.zone is None:
            last.outlet = site_of(last.text)

    def _title_like(self, line: Line) -> bool:
        opts = self.opts
        return (
            not line.masthead
            and opts.title_min_words <= line.words <= opts.title_max_words
            and not is_credit(line, opts, any_length=True)
        )

    def _mark_header(self, lines: list[Line], start: int, out: Cleaned) -> None:
        """Before the body: the headline is the nearest non-sentence above it; other non-sentences go."""
        opts = self.opts
        header = [line for line in lines[:start] if not line.reason and not is_prose(line, opts)]
        # The site's name as a whole word: "St" must not rule out a headline with "St.-Georgs".
        masthead = re.compile(rf"(?<!\w){re.escape(out.outlet)}(?!\w)", re.I) if out.outlet else None
        title_line = None
        for line in reversed(header):
            # "Headline | Example News": the site's name after the headline is not part of it.
            split = cues.site_suffix(line.text, known=out.outlet)
            text = split[0] if split else line.text
            if masthead and masthead.search(text):
                continue  # the site's name or tagline printed above the headline
            if line.zone in _PAGE_ZONES or is_credit(line, opts, any_length=True):
                continue  # a caption or a listed headline is never the article's title
            if opts.title_min_words <= line.words <= opts.title_max_words:
                title_line = line
                if split:
                    line.text, line.cut = split[0], split[2]
                    out.outlet = out.outlet or split[1]
                break
        for line in header:
            if line is not title_line:
                line.reason = "navigation"
        if title_line is not None:
            out.title = title_line.text

    def _mark_repeats_within(self, lines: list[Line]) -> None:
        """A short line printed twice on one page (a repeated title, a doubled credit) goes once."""
        seen: set[str] = set()
        for line in lines:
            if line.reason:
                continue
            key = line_key(line.text)
            if key in seen and not is_prose(line, self.opts):
                line.reason = "repeated"
            seen.add(key)


def _header_run(lines: list[Line], start: int) -> int:
    """Where the tail run that reaches the body's first line begins (``start`` when none does)."""
    run = start
    while run > 0 and lines[run - 1].zone == "tail":
        run -= 1
    return run


