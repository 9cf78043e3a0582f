"""Provenance: where each appearance of a claim came from.

An appearance of a claim has one or more *origin keys*, the sources it rests on, and one
*origin* shown for it, chosen in this order:

1. a source the claim's own sentence cites ("as reported by the Baltic Ledger");
2. the source the article relays, when its lead cites one (an article relaying a newspaper's
   report) and the claim's sentence cites nothing else;
3. the speaker the claim is attributed to ("Temirkhanov said ...": two outlets quoting him rely
   on one origin, Temirkhanov);
4. the original, when the article is a syndicated copy of another (a copy adds no source);
5. otherwise the outlet itself (its own reporting); an article with no known outlet stands for
   itself, by its title.

Only names count as origins: a cited source or a speaker must be one of the corpus's canonical
entities (a mention inside the phrase) or read as a proper name; pronouns, fragments ("who",
"Her comments") and ids never do. Names are compared by name key (transliterated,
spelling-folded), so "the Ledger" and "The Baltic Ledger", in Russian or English, are one
origin. Every source an appearance names (the cited outlet *and* the quoted person) is kept in
its keys, so that :mod:`~narrascope.link.groups` can join the two into one chain: a person quoted
through one outlet is one origin, not two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..enrich.canonical import clean_name, phonetic_key
from ..model import Annotations, Article, Claim

# Per article: (start, end, canonical entity name) of each mention.
SpanNames = dict[str, list[tuple[int, int, str]]]
# An article relays a source when it names it in its first sentences, as relays do ("...,
# reports steppecourier.example", "as reported by the Baltic Ledger" in the lead).
LEAD_SENTENCES = 3
# Words that open a phrase that is no name: pronouns, determiners, question words.
_NOT_A_NAME = frozenset(
    """he she it they we you i who whom which that this these those his her its their our your my
    one some someone somebody people officials official sources source critics experts analysts
    он она оно они мы вы я кто который которая эти этот его ее их""".split()
)
_CAPITALISED = re.compile(r"^[A-ZА-ЯЁ0-9]")


@dataclass(frozen=True, slots=True)
class Origin:
    key: str
    name: str
    kind: str  # cited, article-source, speaker, copy-of, outlet, article
    keys: frozenset[str] = frozenset()  # every source this appearance names (its chain)


def origin_of(
    claim: Claim,
    article: Article,
    ann: Annotations,
    originals: dict[str, Article],
    names: SpanNames | None = None,
) -> Origin:
    names = names or {}
    found: list[tuple[str, str]] = []  # (kind, name), in the order of precedence
    own = [c for c in ann.citations
           if claim.start <= c.start < claim.end or claim.start <= c.source_start < claim.end]
    for c in own[:1]:
        if name := _source_name(names, article.id, c.source_start, c.source_end, c.source):
            found.append(("cited", name))
    lead_end = (
        ann.sentences[LEAD_SENTENCES - 1].end if len(ann.sentences) >= LEAD_SENTENCES else len(article.text)
    )
    lead = [c for c in ann.citations if c.start < lead_end]
    if not found:
        for c in lead[:1]:  # the source a relay names first is the one it relays
            if name := _source_name(names, article.id, c.source_start, c.source_end, c.source):
                found.append(("article-source", name))
    a = claim.attribution
    if (a is not None and not _self_reference(a.speaker)
            and (name := _source_name(names, article.id, a.speaker_start, a.speaker_end, a.speaker,
                                      _opens_sentence(article.text, a.speaker_start)))):
        found.append(("speaker", name))
    if found:
        kind, name = found[0]
        return Origin(_key(name), name, kind, frozenset(_key(n) for _, n in found))
    if article.duplicate_of and article.duplicate_of in originals:
        source = originals[article.duplicate_of]
        if source.outlet:
            return Origin(_key(source.outlet), source.outlet, "copy-of", frozenset({_key(source.outlet)}))
        title = source.title or "untitled article"
        return Origin(f"article:{source.id}", title, "article", frozenset({f"article:{source.id}"}))
    if article.outlet:
        return Origin(_key(article.outlet), article.outlet, "outlet", frozenset({_key(article.outlet)}))
    key = f"article:{article.id}"
    return Origin(key, article.title or "untitled article", "article", frozenset({key}))


def _source_name(names: SpanNames, article_id: str, start: int, end: int, fallback: str,
                 opens_sentence: bool = False) -> str | None:
    """The canonical entity name of the mention inside a span (so "the Ledger" and "The Baltic
    Ledger" are one origin), else the phrase itself when it reads as a proper name, else None. One
    word that opens its sentence is capitalised for that alone ("Prosecutors said"): no name."""
    phrase = clean_name(fallback)
    for m_start, m_end, name in names.get(article_id, ()):
        # the mention must be the phrase, not a word inside it ("the administration in Tarsk")
        if start <= m_start and m_end <= end and m_end - m_start >= 0.6 * len(phrase):
            return name
    if opens_sentence and len(phrase.split()) == 1:
        return None
    return phrase if is_proper_name(phrase) else None


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \t\"“«'‘")
    return not before or before[-1] in ".!?\n"


def is_proper_name(phrase: str) -> bool:
    """Whether a phrase can stand as a source: capitalised words, none of them a pronoun."""
    words = phrase.split()
    if not words or len(words) > 6:
        return False
    if any(w.lower() in _NOT_A_NAME for w in words):
        return False
    return all(_CAPITALISED.match(w) or w.lower() in ("of", "the", "de", "von", "van", "al") for w in words)


def _self_reference(speaker: str) -> bool:
    """ "The document says" points back at the relayed source, not at a new speaker."""
    return clean_name(speaker).lower().split()[-1:] in (
        ["document"],
        ["memo"],
        ["report"],
        ["paper"],
        ["presentation"],
        ["newspaper"],
        ["article"],
    )


def origin_key(name: str) -> str:
    return _key(name)


def _key(name: str) -> str:
    return phonetic_key(clean_name(name)) or clean_name(name).casefold()
