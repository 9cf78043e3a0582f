"""The data model: plain dataclasses, no I/O, nothing else of ours imported.

An :class:`Article` owns its text. Everything found *in* the text later on (sentences,
entity mentions, quantities, attributions, claims, technique spans) is a :class:`Span`:
a pair of character offsets into ``Article.text``, never a copy of the words.

Ids are derived from content (see :func:`content_id`), so ingesting the same file twice
yields the same ids and changes nothing.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

ID_LENGTH = 16


def content_id(kind: str, *parts: object) -> str:
    """A stable id for a record of ``kind`` made from the values that identify it.

    The kind is part of the hash so an article and a claim with the same text differ.
    """
    h = hashlib.sha1(kind.encode())
    for part in parts:
        h.update(b"\x1f")
        h.update("" if part is None else str(part).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:ID_LENGTH]


def normalize_for_hash(text: str) -> str:
    """Text reduced to what decides "same content": NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets ``[start, end)`` into the text of one article."""

    article_id: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span offsets {self.start}..{self.end}")

    def text_in(self, article: Article) -> str:
        return article.text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line the cleaner dropped, kept so the user can see what was removed and why."""

    text: str
    reason: str  # navigation, byline, dateline, photo-credit, prompt, tail or repeated
    line_no: int = 0


DuplicateKind = Literal["exact", "near"]


@dataclass(slots=True)
class Article:
    """One article as ingested. ``text`` is the cleaned body, title first when known."""

    id: str
    text: str
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    outlet: str | None = None
    url: str | None = None
    path: str | None = None
    language: str | None = None
    source_format: str | None = None
    external_id: str | None = None  # the id a JSON record carried, kept for the user's own joins
    removed: list[RemovedLine] = field(default_factory=list)
    duplicate_of: str | None = None
    duplicate_kind: DuplicateKind | None = None
    duplicate_similarity: float | None = None

    @property
    def content_hash(self) -> str:
        return content_id("content", normalize_for_hash(self.text))

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def article_id(raw: str, url: str | None, outlet: str | None) -> str:
    """The id of the article read from ``raw``, the document as given (decoded, before cleaning).

    ``raw`` is what the input holds: a text file's content, an HTML page, a JSON record's text
    field, a feed item's body. ``url`` and ``outlet`` are the ones the input *states* (a record
    field, ``--outlet``), never ones lifted from the text. The cleaned text would be a worse key:
    it depends on cleaner settings and on the other files of the same run (lines repeated across
    a folder are removed), so one file would get a new id when ingested alone. Same document from
    the same place is the same article; a copy elsewhere is a new one (linked by dedup).
    """
    return content_id("article", normalize_for_hash(raw), url or "", (outlet or "").casefold())


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    domain: str | None = None

    @property
    def id(self) -> str:
        return content_id("outlet", self.name.casefold())


# -- enrichment: spans found in an article's text ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Sentence:
    article_id: str
    start: int
    end: int
    index: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A named entity as written at one place; ``entity_id`` is its canonical entity."""

    article_id: str
    start: int
    end: int
    label: str  # PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, PRODUCT, LAW, WORK_OF_ART
    entity_id: str | None = None
    normal: str | None = (
        None  # the dictionary form where the language inflects names ("Каравии" -> "Каравия")
    )


@dataclass(slots=True)
class Entity:
    """One real-world thing across the corpus, with every spelling it was written in."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Quantity:
    article_id: str
    start: int
    end: int
    kind: str  # money, percent, count, measure
    value: float
    unit: str | None


@dataclass(frozen=True, slots=True)
class TimeExpression:
    article_id: str
    start: int
    end: int
    value: str  # ISO date: first day of the period meant
    end_value: str  # ISO date: last day of the period
    granularity: str  # day, week, month, year
    relative: bool


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who says a stretch of text: ``[start, end)`` is what is said, the speaker span who says it."""

    article_id: str
    start: int
    end: int
    speaker: str
    speaker_start: int
    speaker_end: int
    cue: str  # the verb or phrase that attributes: "said", "according to", "told"
    kind: str  # quote, reported, according-to
    listener: str | None = None  # "X told Y that": Y


@dataclass(frozen=True, slots=True)
class Citation:
    """A source the article relies on: ``[start, end)`` is the citing phrase."""

    article_id: str
    start: int
    end: int
    source: str
    cue: str
    source_start: int = -1
    source_end: int = -1


@dataclass(frozen=True, slots=True)
class Hedge:
    article_id: str
    start: int
    end: int
    cue: str
    kind: str  # hedge (distances the writer), certainty (insists), question (rhetorical)


@dataclass(slots=True)
class Claim:
    """A check-worthy statement: a sentence or clause, with what was found inside it."""

    id: str
    article_id: str
    start: int
    end: int
    checkworthiness: float
    negated: bool = False
    hedged: bool = False
    hedge_cue: str | None = None
    attribution: Attribution | None = None
    entity_ids: list[str] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)


def claim_id(article_id: str, start: int, end: int) -> str:
    return content_id("claim", article_id, start, end)


@dataclass(slots=True)
class Annotations:
    """Everything enrichment found in one article, as spans into its text."""

    article_id: str
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    hedges: list[Hedge] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# -- linking: across articles -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimLink:
    """How claim ``b`` bears on claim ``a``: same, supports, contradicts or related, and why."""

    a: str
    b: str
    relation: str
    score: float
    reason: str


@dataclass(slots=True)
class ClaimGroup:
    """Claims that say the same thing (or contradict it), where it came from, and its standing."""

    id: str
    claims: list[str]
    status: str  # corroborated, single-origin, contradicted, unverified
    origins: list[dict]
    first_seen: datetime | None = None
    summary: str | None = None


@dataclass(slots=True)
class StoryRecord:
    id: str
    label: str
    articles: list[str]
    first_seen: datetime | None = None
    last_seen: datetime | None = None


# -- narratives ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Thesis:
    """A statement the user wants every article and outlet placed against."""

    id: str
    text: str


def thesis_id(text: str) -> str:
    return content_id("thesis", " ".join(text.casefold().split()))


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence that shows an article's stance, with its own label and why it counts."""

    start: int
    end: int
    label: str
    score: float
    why: str = ""


@dataclass(slots=True)
class Stance:
    """Where an article stands on a thesis: support, oppose, discuss or unrelated."""

    thesis_id: str
    article_id: str
    label: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TechniqueSpan:
    article_id: str
    start: int
    end: int
    technique: str
    score: float
