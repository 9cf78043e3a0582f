"""Cited sources: the outlets, agencies and documents an article says its information comes from.

A citation is a reporting cue next to a source name: "as reported by the Baltic Ledger",
"..., reports steppecourier.example", "in an interview with Vostok Vestnik", "according to a wire agency", "obtained by
the Ledger", "the Ledger reported", "сообщает ТАСС", "по данным Интерфакса". The source must
look like an organisation: an ORG entity, a web address, or a capitalised name that is not a
person or a place. People are speakers (see :mod:`attribution`), not citations; so is a name the
tagger reads as an organisation when the article names a person so ("Prime Minister Anna Berg ...
Berg reported to the president": Berg is a person).
"""

from __future__ import annotations

import re

from ..model import Citation, Mention
from ..pipeline import component
from .doc import Doc

# Cue, then the source.
BEFORE_SOURCE = re.compile(
    r"(?:(?<=,)\s*(?:reports?|writes?|(?:first\s+)?reported|according\s+to)|(?<!\w)(?:as\s+(?:first\s+)?reported\s+by|(?:first\s+)?reported\s+by|according\s+to|obtained\s+by|"
    r"published\s+by|cited\s+by|quoted\s+by|citing|in\s+an?\s+(?:interview|conversation)\s+with|"
    r"(?:said|told|wrote)\s+(?:in\s+a\s+statement\s+)?to|told|"
    r"сообщает|сообщило|сообщил[аи]?|пишет|передает|передаёт|по\s+данным|по\s+информации|со\s+ссылкой\s+на|"
    r"в\s+интервью|как\s+(?:сообщает|пишет|передает|передаёт|сообщил[аои]?)))\s+",
    re.I,
)
# Source, then the cue.
AFTER_SOURCE = re.compile(
    r"\s*(?:,\s*which\s+(?:obtained|published|first\s+reported|saw)|(?:first\s+)?reported|reports|wrote|writes|"
    r"published|revealed|cited|сообщил[аио]?|написал[аио]?|опубликовал[аио]?|пишет|сообщает)(?!\w)",
    re.I,
)
_DOMAIN = re.compile(
    r"(?:[A-Za-z0-9-]+\.)+(?:com|org|net|kz|ru|ua|uk|eu|de|fr|info|news|io|by|uz|kg|tj|am|ge|az"
    r"|example)(?!\w)"
)
_CAPITALISED = re.compile(r"(?:(?:the|The)\s+)?(?:[A-Z][\w&'’.-]*)(?:\s+(?:of\s+)?[A-Z][\w&'’.-]*){0,5}")
_POSSESSIVE = re.compile(r"['’]s?$")
_NON_SOURCES = frozenset({"PERSON", "GPE", "LOC", "NORP", "FAC"})


@component("citations", requires=("sentences", "mentions"), provides=("citations",))
def find_citations(doc: Doc) -> None:
    """Outlets and organisations cited as the source of what is reported."""
    out: list[Citation] = []
    text = doc.text
    people = _person_names(doc)
    for sentence in doc.sentences:
        s, e = sentence.start, sentence.end
        for cue in BEFORE_SOURCE.finditer(text, s, e):
            source = _source_at(doc, cue.end(), e)
            if source is not None and _name(text, source) not in people:
                start = cue.start() + len(cue.group(0)) - len(cue.group(0).lstrip(", "))
                out.append(_citation(doc, start, source[1], source, cue.group(0)))
        for mention in doc.mentions:
            if (
                s <= mention.start
                and mention.end <= e
                and mention.label not in _NON_SOURCES
                and _name(text, (mention.start, mention.end)) not in people
            ):
                cue = AFTER_SOURCE.match(text, mention.end, e)
                if cue is not None:
                    out.append(
                        _citation(doc, mention.start, cue.end(), (mention.start, mention.end), cue.group(0))
                    )
    own = (doc.article.outlet or "").casefold()
    # "X told Nord Review" in Nord Review is the outlet's own reporting, not a source it cites.
    doc.citations = [c for c in _dedupe(out) if c.source.casefold() != own]


def _source_at(doc: Doc, pos: int, limit: int) -> tuple[int, int] | None:
    """The organisation named right at ``pos``: a web address, an entity or a capitalised name."""
    text = doc.text
    if match := _DOMAIN.match(text, pos, limit):
        return match.start(), match.end()
    for mention in doc.mentions:
        if pos <= mention.start <= pos + 4 and mention.end <= limit:
            return None if mention.label in _NON_SOURCES else (mention.start, mention.end)
    match = _CAPITALISED.match(text, pos, limit)
    if match and not _is_person_or_place(doc.mentions, match.start(), match.end()):
        words = match.group(0).split()
        if words[-1][0].isupper() and not (
            len(words) == 1 and words[0] in ("The", "It", "He", "She", "They")
        ):
            return match.start(), match.end()
    return None


def _person_names(doc: Doc) -> frozenset[str]:
    """The names the article gives people, whole and by surname ("anna berg", "berg")."""
    names = set()
    for m in doc.mentions:
        if m.label == "PERSON":
            words = _name(doc.text, (m.start, m.end)).split()
            names.update((" ".join(words), words[-1]) if words else ())
    return frozenset(names)


def _name(text: str, span: tuple[int, int]) -> str:
    return _POSSESSIVE.sub("", " ".join(text[span[0] : span[1]].split())).casefold()


def _is_person_or_place(mentions: list[Mention], start: int, end: int) -> bool:
    return any(m.label in _NON_SOURCES and m.start < end and start < m.end for m in mentions)


def _citation(doc: Doc, start: int, end: int, source: tuple[int, int], cue: str) -> Citation:
    name = " ".join(doc.text[source[0] : source[1]].split())
    name = _POSSESSIVE.sub("", re.sub(r"^(?:the|The)\s+", "", name))
    return Citation(doc.id, start, end, name, " ".join(cue.lower().strip(" ,").split()), source[0], source[1])


def _dedupe(citations: list[Citation]) -> list[Citation]:
    seen: dict[tuple[int, int], Citation] = {}
    for c in sorted(citations, key=lambda c: (c.source_start, c.start)):
        key = (c.source_start, c.source_end)
        if key not in seen:
            seen[key] = c
    return sorted(seen.values(), key=lambda c: c.start)
