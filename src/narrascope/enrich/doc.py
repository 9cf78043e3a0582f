"""The document the enrichment components share: one article and the layers found in it.

Everything here is a span into ``article.text``. ``parsed`` holds the language backend's own
analysis (a spaCy ``Doc`` for English) while the components run in a worker; it never leaves
the worker, only the plain layers do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Annotations, Article, Mention, Sentence


@dataclass(slots=True)
class Doc(Annotations):
    article: Article = None  # type: ignore[assignment]  # always given; dataclass order needs a default
    parsed: Any = None
    techniques: list | None = None  # TechniqueSpans, when the "techniques" component ran
    # (start, end) -> unit vector of that stretch, by the USE embedder, for spans a component
    # embedded (sentences, claims): the enrich stage stores them, so link and stance reuse them
    vectors: dict | None = None

    def keep_vectors(self, spans, vectors) -> None:
        if self.vectors is None:
            self.vectors = {}
        for span, vector in zip(spans, vectors, strict=True):
            self.vectors[(int(span[0]), int(span[1]))] = vector

    @classmethod
    def of(cls, article: Article) -> Doc:
        return cls(article_id=article.id, article=article)

    @property
    def text(self) -> str:
        return self.article.text

    @property
    def id(self) -> str:
        return self.article.id

    def span_text(self, start: int, end: int) -> str:
        return self.article.text[start:end]

    def sentence_at(self, offset: int) -> Sentence | None:
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end]

    def annotations(self) -> Annotations:
        """The plain layers: what goes back from a worker to the store."""
        return Annotations(**{f: getattr(self, f) for f in Annotations.__dataclass_fields__})
