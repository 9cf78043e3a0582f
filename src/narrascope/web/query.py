"""What a search asks: the user's words turned into a bounded FTS5 expression, and the filters.

The user's query is never handed to FTS5 as syntax: words become quoted terms (all must
match), ``"a phrase"`` stays a phrase, ``word*`` is a prefix and ``OR`` between two terms is
kept; everything else is text. Porter stemming makes "sanction" find "sanctions"; a Russian
word stands for every form of the index's vocabulary with its Snowball stem ("Каравии" finds
"Каравия", :mod:`.stemming`), since FTS5 stems English only.

A query is bounded, so that one search cannot hold the server (issue 13: 500 ``a*`` terms took
15-60 s): at most ``MAX_WORDS`` words, a prefix or stem standing for at most ``MAX_EXPANSIONS``
words of the vocabulary (and ``SEARCH_SECONDS`` of SQLite time, :mod:`.search`); past any of
them the search is refused with a 400 saying what to change (:class:`QueryRefused`).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field

from starlette.exceptions import HTTPException

from .stemming import is_russian_word, stem_ru

# Bounds on one query. A real query has a few words and phrases; 24 words is a paragraph.
MAX_WORDS = 24
# Words of the vocabulary one prefix (`econ*`) or one Russian stem may stand for. A Russian word
# has a few dozen forms at most. In BASIL's 150 articles (5,722 words) one letter stands for up to
# 592 words, two letters for up to 219, three for at most 86; more articles, more words.
MAX_EXPANSIONS = 200
# A Russian stem shorter than this ("в", "на") is searched as written: every word shares it.
_MIN_STEM = 3

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")

# Marks around matched words in snippets: private-use characters, turned into <mark> by the
# template after escaping (never inserted as markup here). Scraped icon-font text may hold them
# too, so the index gets its titles and texts through :func:`unmarked`: these marks are search's only.
HIT_OPEN, HIT_CLOSE = "\ue000", "\ue001"
_NOT_A_MARK = str.maketrans({HIT_OPEN: "\ufffd", HIT_CLOSE: "\ufffd"})


def unmarked(text: str) -> str:
    """``text`` with the hit marks' characters replaced (U+FFFD), so a snippet's marks are search's own."""
    return text.translate(_NOT_A_MARK)


class QueryRefused(HTTPException):
    """A query too broad to answer in time: a 400 whose one-line message says what to change."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


@dataclass(frozen=True, slots=True)
class Filters:
    outlet: str | None = None
    language: str | None = None
    start: str | None = None  # YYYY-MM-DD, inclusive, UTC
    end: str | None = None
    thesis: str | None = None  # articles that take a position on it (any stance but "unrelated")
    stance: str | None = None  # with thesis: only this stance

    @property
    def active(self) -> bool:
        return any((self.outlet, self.language, self.start, self.end, self.thesis))


@dataclass(slots=True)
class Hit:
    kind: str  # article or claim
    ref: str  # the article's or the claim's id
    article_id: str
    parts: list[tuple[str, bool]]  # the matched passage: (text, is a matched word)


@dataclass(slots=True)
class Results:
    query: str | None
    articles: list[Hit] = field(default_factory=list)
    claims: list[Hit] = field(default_factory=list)
    article_total: int = 0  # at most search.MATCH_CAP; the *_more flags say there were more
    claim_total: int = 0
    articles_more: bool = False
    claims_more: bool = False


def fts_query(text: str, vocabulary: Vocabulary | None = None) -> str | None:
    """The FTS5 expression for what the user typed, or None when it holds no word.

    With the index's ``vocabulary``, a prefix is checked against :data:`MAX_EXPANSIONS` and a
    Russian word becomes the forms sharing its stem. Raises :class:`QueryRefused` past the bounds.
    """
    tokens = [(bare, _WORD.findall(phrase if phrase or not bare else bare)) for phrase, bare in _TOKEN.findall(text)]
    if sum(len(words) for bare, words in tokens if bare != "OR") > MAX_WORDS:  # before any lookup
        raise QueryRefused(f"the query has more than {MAX_WORDS} words; search for fewer at once")
    terms: list[str] = []
    for bare, words in tokens:
        if bare == "OR":
            if terms and terms[-1] != "OR":
                terms.append("OR")
            continue
        if not words:
            continue
        prefix = bare.endswith("*") and len(words) == 1
        if vocabulary is not None and len(words) == 1:
            terms.append(vocabulary.term(words[0], prefix))
            continue
        terms.append('"' + " ".join(words) + '"' + ("*" if prefix else ""))
    while terms and terms[-1] == "OR":
        terms.pop()
    return " ".join(terms) or None


class Vocabulary:
    """The index's words, sorted (as FTS5 stores them: lowercased, Porter-stemmed English): here a
    list; :class:`narrascope.web.search.IndexVocabulary` reads them from the index instead."""

    def __init__(self, terms: list[str]) -> None:
        self.terms = terms
        self._stems: dict[str, str] = {}

    def starting(self, prefix: str, limit: int) -> list[str]:
        """Up to ``limit`` words beginning with ``prefix``."""
        i = bisect_left(self.terms, prefix)
        out = []
        while i < len(self.terms) and len(out) < limit and self.terms[i].startswith(prefix):
            out.append(self.terms[i])
            i += 1
        return out

    def term(self, word: str, prefix: bool) -> str:
        """The FTS5 term for one word typed: a bounded prefix, a Russian stem's forms, or the word."""
        folded = _fold(word)
        if prefix:
            if len(self.starting(folded, MAX_EXPANSIONS + 1)) > MAX_EXPANSIONS:
                raise QueryRefused(f"'{word}*' stands for more than {MAX_EXPANSIONS} words; give more letters")
            return f'"{word}"*'
        forms = self.russian_forms(folded) if is_russian_word(folded) else []
        if not forms or forms == [folded]:
            return f'"{word}"'
        if len(forms) > MAX_EXPANSIONS:
            raise QueryRefused(f"'{word}' stands for more than {MAX_EXPANSIONS} words; give a longer word")
        return "(" + " OR ".join(f'"{f}"' for f in forms) + ")"

    def russian_forms(self, word: str) -> list[str]:
        """The words of the index with the Snowball stem of ``word`` (its inflected forms)."""
        stem = stem_ru(word)
        if len(stem) < _MIN_STEM:
            return []
        # Stems are prefixes of their words, written with е where the word may have ё ("всё",
        # "ещё"): each е of the stem is looked up both ways (at most 3 of them: 8 prefixes).
        candidates = []
        for prefix in _yo_spellings(stem):
            candidates += self.starting(prefix, 10 * MAX_EXPANSIONS)
        return [t for t in dict.fromkeys(candidates) if is_russian_word(t) and self._stem(t) == stem]

    def _stem(self, word: str) -> str:
        found = self._stems.get(word)
        if found is None:
            found = self._stems[word] = stem_ru(word)
        return found


def _yo_spellings(stem: str, most: int = 3) -> list[str]:
    """``stem`` with each of its first ``most`` е written as е and as ё."""
    spellings = [""]
    seen = 0
    for ch in stem:
        if ch == "е" and seen < most:
            seen += 1
            spellings = [s + v for s in spellings for v in ("е", "ё")]
        else:
            spellings = [s + ch for s in spellings]
    return spellings


def _fold(word: str) -> str:
    """``word`` as the index's tokenizer keeps it: lowercased, Latin letters without diacritics
    ("Café" -> "cafe"); Cyrillic letters such as й and ё are kept, as unicode61 keeps them."""
    out = []
    for ch in word.lower():
        if ord(ch) > 127 and "LATIN" in unicodedata.name(ch, ""):
            ch = unicodedata.normalize("NFD", ch)[0]
        out.append(ch)
    return "".join(out)
