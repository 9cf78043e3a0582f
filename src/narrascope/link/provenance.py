"""Provenance: where each claim came from, and whether its confirmations are independent.

Claims linked as ``same`` or ``supports`` form a claim group. Each appearance of a claim has an
*origin*, decided in this order:

1. a source the claim's own sentence cites ("as reported by the Baltic Ledger");
2. the speaker the claim is attributed to ("Temirkhanov said ...": two outlets quoting him rely
   on one origin, Temirkhanov);
3. the source the article relays, when its lead cites one (the first it names: an article
   relaying a newspaper's report) and the claim is not attributed to anyone else;
4. the original, when the article is a syndicated copy of another (a copy adds no source);
5. otherwise the outlet itself (its own reporting).

Names are read through the canonical entities, then compared by name key (transliterated,
spelling-folded), so "the Ledger" and "The Baltic Ledger", in Russian or English, are one origin. A group's status:
*contradicted* if any claim in it is contradicted by a claim elsewhere; *unverified* if every
appearance is hedged; *corroborated* with two or more independent origins; otherwise
*single-origin*.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from ..enrich.canonical import clean_name, phonetic_key
from ..model import Annotations, Article, Claim, ClaimGroup, ClaimLink, content_id
from .stories import as_utc

# Per article: (start, end, canonical entity name) of each mention.
SpanNames = dict[str, list[tuple[int, int, str]]]
# An article relays a source when it names it in its first sentences, as relays do ("...,
# reports steppecourier.example", "as reported by the Baltic Ledger" in the lead).
LEAD_SENTENCES = 3


@dataclass(frozen=True, slots=True)
class Origin:
    key: str
    name: str
    kind: str  # copy-of, cited, speaker, article-source, outlet


def origin_of(
    claim: Claim,
    article: Article,
    ann: Annotations,
    originals: dict[str, Article],
    names: SpanNames | None = None,
) -> Origin:
    names = names or {}
    own = [
        c
        for c in ann.citations
        if claim.start <= c.start < claim.end or claim.start <= c.source_start < claim.end
    ]
    if own:
        name = _canonical(names, article.id, own[0].source_start, own[0].source_end, own[0].source)
        return Origin(_key(name), name, "cited")
    if claim.attribution is not None and not _self_reference(claim.attribution.speaker):
        a = claim.attribution
        name = _canonical(names, article.id, a.speaker_start, a.speaker_end, clean_name(a.speaker))
        return Origin(_key(name), name, "speaker")
    lead_end = (
        ann.sentences[LEAD_SENTENCES - 1].end if len(ann.sentences) >= LEAD_SENTENCES else len(article.text)
    )
    lead = [c for c in ann.citations if c.start < lead_end]
    if lead:  # the source a relay names first is the one it relays
        name = _canonical(names, article.id, lead[0].source_start, lead[0].source_end, lead[0].source)
        return Origin(_key(name), name, "article-source")
    if article.duplicate_of and article.duplicate_of in originals:
        source = originals[article.duplicate_of]
        name = source.outlet or source.title or source.id
        return Origin(_key(name), name, "copy-of")
    name = article.outlet or article.id
    return Origin(_key(name), name, "outlet")


def _canonical(names: SpanNames, article_id: str, start: int, end: int, fallback: str) -> str:
    """The canonical entity name of the mention inside a span, so "the Ledger" and "The Baltic
    Ledger" are one origin."""
    for m_start, m_end, name in names.get(article_id, ()):
        # the mention must be the phrase, not a word inside it ("the administration in Tarsk")
        if start <= m_start and m_end <= end and m_end - m_start >= 0.6 * len(clean_name(fallback)):
            return name
    return clean_name(fallback)


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


def _key(name: str) -> str:
    return phonetic_key(clean_name(name)) or clean_name(name).casefold()


def build_groups(
    links: list[ClaimLink],
    claims: dict[str, tuple[Claim, Article, Annotations]],
    originals: dict[str, Article],
    names: SpanNames | None = None,
) -> list[ClaimGroup]:
    parent = {cid: cid for cid in claims}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        if link.relation in ("same", "supports") and link.a in parent and link.b in parent:
            ra, rb = find(link.a), find(link.b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = defaultdict(list)
    for cid in claims:
        members[find(cid)].append(cid)
    contradicted = {cid for link in links if link.relation == "contradicts" for cid in (link.a, link.b)}

    groups = []
    for ids in members.values():
        ids.sort()
        appearances = []
        for cid in ids:
            claim, article, ann = claims[cid]
            origin = origin_of(claim, article, ann, originals, names)
            appearances.append((claim, article, origin))
        origins: dict[str, dict] = {}
        for claim, article, origin in sorted(appearances, key=lambda x: _date_key(x[1])):
            record = origins.setdefault(
                origin.key,
                {
                    "origin": origin.name,
                    "kind": origin.kind,
                    "claims": [],
                    "outlets": [],
                    "first_seen": _iso(article.published),
                },
            )
            record["claims"].append(claim.id)
            if article.outlet and article.outlet not in record["outlets"]:
                record["outlets"].append(article.outlet)
        first = min(appearances, key=lambda x: _date_key(x[1]))
        if any(cid in contradicted for cid in ids):
            status = "contradicted"
        elif all(claim.hedged for claim, _, _ in appearances):
            status = "unverified"
        elif len(origins) >= 2:
            status = "corroborated"
        else:
            status = "single-origin"
        summary = first[1].text[first[0].start : first[0].end]
        groups.append(
            ClaimGroup(
                content_id("claim-group", ids[0]),
                ids,
                status,
                list(origins.values()),
                first[1].published,
                summary,
            )
        )
    return groups


def _date_key(article: Article) -> tuple:
    return (article.published is None, as_utc(article.published) if article.published else datetime.min)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
