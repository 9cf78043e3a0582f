"""Provenance: where each claim came from, and whether its confirmations are independent.

Claims linked as ``same`` or ``supports`` form a claim group. Each appearance of a claim has an
*origin*, decided in this order:

1. the original, when the article is a syndicated copy of another (a copy adds no source);
2. a source the claim's own sentence cites ("as reported by the Financial Times");
3. the speaker the claim is attributed to ("Peskov said ...": two outlets quoting Peskov rely
   on one origin, Peskov);
4. the source the article as a whole relies on, when it cites exactly one and the claim is not
   attributed to anyone else (an article relaying a newspaper's report);
5. otherwise the outlet itself (its own reporting).

Origins are compared by name key (transliterated, spelling-folded), so "the Ledger" cited in
Russian and in English is one origin. A group's status:
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


@dataclass(frozen=True, slots=True)
class Origin:
    key: str
    name: str
    kind: str  # copy-of, cited, speaker, article-source, outlet


def origin_of(claim: Claim, article: Article, ann: Annotations, originals: dict[str, Article]) -> Origin:
    if article.duplicate_of and article.duplicate_of in originals:
        source = originals[article.duplicate_of]
        name = source.outlet or source.title or source.id
        return Origin(_key(name), name, "copy-of")
    own = [c for c in ann.citations if claim.start <= c.start < claim.end or claim.start <= c.source_start < claim.end]
    if own:
        return Origin(_key(own[0].source), own[0].source, "cited")
    if claim.attribution is not None and not _self_reference(claim.attribution.speaker):
        return Origin(_key(claim.attribution.speaker), clean_name(claim.attribution.speaker), "speaker")
    sources = {_key(c.source): c.source for c in ann.citations}
    if len(sources) == 1:
        key, name = next(iter(sources.items()))
        return Origin(key, name, "article-source")
    name = article.outlet or article.id
    return Origin(_key(name), name, "outlet")


def _self_reference(speaker: str) -> bool:
    """"The document says" points back at the relayed source, not at a new speaker."""
    return clean_name(speaker).lower().split()[-1:] in (["document"], ["memo"], ["report"], ["paper"],
                                                        ["presentation"], ["newspaper"], ["article"])


def _key(name: str) -> str:
    return phonetic_key(clean_name(name)) or clean_name(name).casefold()


def build_groups(
    links: list[ClaimLink],
    claims: dict[str, tuple[Claim, Article, Annotations]],
    originals: dict[str, Article],
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
            origin = origin_of(claim, article, ann, originals)
            appearances.append((claim, article, origin))
        origins: dict[str, dict] = {}
        for claim, article, origin in sorted(appearances, key=lambda x: _date_key(x[1])):
            record = origins.setdefault(origin.key, {"origin": origin.name, "kind": origin.kind, "claims": [],
                                                     "outlets": [], "first_seen": _iso(article.published)})
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
        groups.append(ClaimGroup(content_id("claim-group", ids[0]), ids, status, list(origins.values()),
                                 first[1].published, summary))
    return groups


def _date_key(article: Article) -> tuple:
    return (article.published is None, as_utc(article.published) if article.published else datetime.min)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
