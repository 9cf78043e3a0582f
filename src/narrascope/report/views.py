"""What the report and the dashboard show, assembled from the store as plain data.

:class:`CorpusView` reads the store once and answers the questions both front ends ask: the
overview counts, each story's outlets and timeline, the claim matrix (claim groups × outlets),
contradictions with their reasons, stances by outlet, and each article's text cut into segments
that carry the spans covering them (entities, claims, techniques) for highlighting.

Contradictions are split once, by :func:`split_contradictions`, at ``report.confident_contradiction``:
the confident ones are the findings (counted, listed, marked in the matrix); the rest are
unconfirmed candidates, which both front ends show collapsed and never count.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..model import (
    Annotations,
    Article,
    Claim,
    ClaimGroup,
    ClaimLink,
    Stance,
    StoryRecord,
    TechniqueSpan,
    Thesis,
)

STATUS_ORDER = {"contradicted": 0, "corroborated": 1, "single-origin": 2, "unverified": 3}


def split_contradictions(links: Iterable[ClaimLink], confident: float) -> tuple[list[ClaimLink], list[ClaimLink]]:
    """The ``contradicts`` links among ``links`` as (confident, candidates).

    A link is confident when its score (the confidence of the contradiction) is at least
    ``confident``; the others are unconfirmed candidates. Each list is most confident first, ties
    by reason, then by claim ids. Links of other relations are left out.
    """
    found = sorted((link for link in links if link.relation == "contradicts"),
                   key=lambda link: (-link.score, link.reason, link.a, link.b))
    return [k for k in found if k.score >= confident], [k for k in found if k.score < confident]


@dataclass(slots=True)
class Segment:
    """A stretch of article text and the spans that cover all of it."""

    start: int
    end: int
    text: str
    claims: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # entity types
    techniques: list[str] = field(default_factory=list)
    starts: list[str] = field(default_factory=list)  # claims that begin here (their anchors)

    @property
    def classes(self) -> str:
        names = (["claim"] if self.claims else []) + [f"ent-{t.lower()}" for t in self.entities[:1]]
        names += [f"tech tech-{t.replace('_', '-')}" for t in self.techniques[:1]]
        return " ".join(names)


@dataclass(slots=True)
class MatrixCell:
    state: str  # agrees, contradicts, silent
    article_id: str | None = None
    claim_id: str | None = None


def paragraph_segments(text: str, ann, group_of, techniques) -> list[list[Segment]]:
    """The text's paragraphs, each cut into segments at every span boundary: its grouped claims
    (those ``group_of`` knows), entity mentions and technique spans."""
    spans = [(c.start, c.end, "claim", c.id) for c in ann.claims if c.id in group_of]
    spans += [(m.start, m.end, "entity", m.label) for m in ann.mentions]
    spans += [(t.start, t.end, "technique", t.technique) for t in techniques]
    paragraphs, pos = [], 0
    for chunk in text.split("\n\n"):
        paragraphs.append(_cut(text, pos, pos + len(chunk), spans))
        pos += len(chunk) + 2
    return paragraphs


def claim_matrix(groups: list[ClaimGroup], contra: dict[str, list[str]], view) -> dict[str, dict[str, MatrixCell]]:
    """For each group and outlet of ``view`` (its ``outlets``, ``claims``, ``group_of`` and
    ``outlet(article_id)``): the outlet's claim agreeing with the group, contradicting it (a claim
    of another group that ``contra`` pairs with one of its claims), or none."""
    out: dict[str, dict[str, MatrixCell]] = {}
    for g in groups:
        row = {o: MatrixCell("silent") for o in view.outlets}
        for cid in g.claims:
            for other in contra.get(cid, []):
                if other in view.claims and view.group_of.get(other) != g.id:
                    aid = view.claims[other].article_id
                    row[view.outlet(aid)] = MatrixCell("contradicts", aid, other)
        for cid in g.claims:
            if cid in view.claims:
                aid = view.claims[cid].article_id
                row[view.outlet(aid)] = MatrixCell("agrees", aid, cid)
        out[g.id] = row
    return out


class CorpusView:
    def __init__(self, store, min_checkworthiness: float = 0.5, confident_contradiction: float | None = None) -> None:
        """``confident_contradiction``: None takes ``report.confident_contradiction`` from the defaults."""
        if confident_contradiction is None:
            from ..config import default_settings

            confident_contradiction = default_settings().report.confident_contradiction
        self.store = store
        self.confident_contradiction = confident_contradiction
        pairs = list(zip(store.iter_articles(), store.iter_annotations(), strict=True))
        self.articles: dict[str, Article] = {a.id: a for a, _ in pairs}
        self.annotations: dict[str, Annotations] = {a.id: ann for a, ann in pairs}
        # the check-worthy claims: the ones the link stage compares and the export lists
        self.claims: dict[str, Claim] = {c.id: c for ann in self.annotations.values() for c in ann.claims
                                         if c.checkworthiness >= min_checkworthiness}
        self.stories: list[StoryRecord] = store.stories_with_articles()
        self.groups: list[ClaimGroup] = store.claim_groups()
        self.links: list[ClaimLink] = store.claim_links()
        # the one split of contradictions both front ends show: findings, and candidates shown collapsed
        self.confident_links, self.candidate_links = split_contradictions(self.links, confident_contradiction)
        self._candidate_ids = {id(link) for link in self.candidate_links}
        self._rows: dict[bool, list[dict]] = {}
        self.theses: list[Thesis] = store.list_theses()
        self.stances: list[Stance] = store.list_stances()
        self.techniques: dict[str, list[TechniqueSpan]] = defaultdict(list)
        for t in store.list_techniques():
            self.techniques[t.article_id].append(t)
        self.entity_names = {e.id: e.name for e, _ in store.iter_entities()}
        self.group_of = {c: g.id for g in self.groups for c in g.claims}
        self.story_of = {a: s.id for s in self.stories for a in s.articles}
        self.outlets = sorted({a.outlet or "(unknown outlet)" for a in self.articles.values()})
        from ..narratives.profiles import outlet_views

        # what the narratives stage concluded per outlet, as it stored it
        self.outlet_stance_list, self.profiles = outlet_views(store)

    # -- small helpers ---------------------------------------------------------------------------

    def outlet(self, article_id: str) -> str:
        return self.articles[article_id].outlet or "(unknown outlet)"

    def claim_text(self, claim_id: str) -> str:
        claim = self.claims[claim_id]
        return self.articles[claim.article_id].text[claim.start : claim.end]

    # -- overview ----------------------------------------------------------------------------------

    def overview(self) -> dict:
        """Counts over the whole store, each by the definition the JSON export's records give it.

        Claims are the check-worthy ones (the export's ``claims``); statuses count every claim
        group (``claim_groups``), not only the recurring ones the matrix shows; contradictions
        are the confident ``contradicts`` links between two of those claims; copies are the
        articles with a ``duplicate_of``. tests/report/test_cards.py checks each against an export.
        """
        statuses = Counter(g.status for g in self.groups)
        statuses = {s: statuses[s] for s in sorted(statuses, key=lambda s: (STATUS_ORDER.get(s, 9), s))}
        dates = sorted((a.published for a in self.articles.values() if a.published), key=_sort_date)
        return {
            "articles": len(self.articles),
            "outlets": len(self.outlets),
            "languages": dict(Counter(a.language or "unknown" for a in self.articles.values())),
            "stories": len(self.stories),
            "claims": len(self.claims),
            "claim_groups": len(self.groups),
            "statuses": statuses,
            "contradictions": len(self.contradictions()),  # confident ones only: candidates are no findings
            "contradiction_candidates": len(self.contradiction_candidates()),
            "theses": len(self.theses),
            "techniques": sum(len(v) for v in self.techniques.values()),
            "copies": sum(1 for a in self.articles.values() if a.duplicate_of),
            "first": dates[0] if dates else None,
            "last": dates[-1] if dates else None,
        }

    def cards(self) -> list[tuple[int, str]]:
        """The overview's cards as (count, what), in the order both front ends show them."""
        o = self.overview()
        out = [(o["stories"], "stories"), (o["claims"], "check-worthy claims"), (o["claim_groups"], "claim groups")]
        out += [(n, f"{status} claim groups") for status, n in o["statuses"].items()]
        out += [(o["contradictions"], f"contradictions (confidence ≥ {self.confident_contradiction:g})"),
                (o["copies"], "syndicated copies"), (o["techniques"], "technique spans")]
        return out

    # -- stories -----------------------------------------------------------------------------------

    def story_timeline(self, story: StoryRecord) -> list[Article]:
        members = [self.articles[a] for a in story.articles if a in self.articles]
        return sorted(members, key=lambda a: (a.published is None, _sort_date(a.published), a.outlet or ""))

    # -- claims ------------------------------------------------------------------------------------

    def recurring_groups(self) -> list[ClaimGroup]:
        """Groups worth a row: carried by more than one article, or contradicted; contradicted first."""
        rows = [g for g in self.groups if len(g.claims) > 1 or g.status == "contradicted"]
        return sorted(rows, key=lambda g: (STATUS_ORDER.get(g.status, 9), -len(g.claims), g.id))

    def matrix(self, groups: list[ClaimGroup]) -> dict[str, dict[str, MatrixCell]]:
        """For each group and outlet: the outlet's claim agreeing with it, contradicting it, or none.

        Only confident contradictions mark a cell: a candidate never shows as "contradicts it".
        """
        contra: dict[str, list[str]] = defaultdict(list)
        for link in self.confident_links:
            contra[link.a].append(link.b)
            contra[link.b].append(link.a)
        return claim_matrix(groups, contra, self)

    def contradictions(self) -> list[dict]:
        """The confident contradictions (the findings) as rows to show, most confident first."""
        return self._contradiction_rows(confident=True)

    def contradiction_candidates(self) -> list[dict]:
        """The unconfirmed candidates, most confident first: shown collapsed, never as findings."""
        return self._contradiction_rows(confident=False)

    def is_candidate(self, link: ClaimLink) -> bool:
        """Whether ``link`` (one of :attr:`links`) is a contradiction below the confident level."""
        return id(link) in self._candidate_ids

    def _contradiction_rows(self, confident: bool) -> list[dict]:
        if confident not in self._rows:
            out = []
            for link in self.confident_links if confident else self.candidate_links:
                if link.a not in self.claims or link.b not in self.claims:
                    continue
                a, b = self.claims[link.a], self.claims[link.b]
                out.append({"a": link.a, "b": link.b, "reason": link.reason, "score": link.score,
                            "a_text": self.claim_text(link.a), "b_text": self.claim_text(link.b),
                            "a_article": a.article_id, "b_article": b.article_id,
                            "a_title": self.articles[a.article_id].title or a.article_id,
                            "b_title": self.articles[b.article_id].title or b.article_id,
                            "a_outlet": self.outlet(a.article_id), "b_outlet": self.outlet(b.article_id)})
            self._rows[confident] = out
        return self._rows[confident]

    def links_of(self, claim_id: str) -> list[ClaimLink]:
        return [link for link in self.links if claim_id in (link.a, link.b)]

    # -- theses ------------------------------------------------------------------------------------

    def outlet_stances(self, thesis: Thesis):
        return [s for s in self.outlet_stance_list if s.thesis_id == thesis.id]

    def article_stances(self, thesis: Thesis) -> list[Stance]:
        return sorted((s for s in self.stances if s.thesis_id == thesis.id),
                      key=lambda s: (self.outlet(s.article_id), s.article_id))

    # -- article text with highlights ------------------------------------------------------------------

    def segments(self, article_id: str) -> list[list[Segment]]:
        """The article's paragraphs, each cut into segments at every span boundary."""
        ann = self.annotations[article_id]
        return paragraph_segments(self.articles[article_id].text, ann, self.group_of,
                                  self.techniques.get(article_id, []))


def _cut(text: str, start: int, end: int, spans: list[tuple[int, int, str, str]]) -> list[Segment]:
    inside = [s for s in spans if s[0] < end and start < s[1]]
    bounds = sorted({start, end, *(max(start, s[0]) for s in inside), *(min(end, s[1]) for s in inside)})
    out = []
    for a, b in itertools.pairwise(bounds):
        if b <= a:
            continue
        seg = Segment(a, b, text[a:b])
        for s_start, s_end, kind, value in inside:
            if s_start <= a and b <= s_end:
                {"claim": seg.claims, "entity": seg.entities, "technique": seg.techniques}[kind].append(value)
                if kind == "claim" and s_start == a:
                    seg.starts.append(value)
        out.append(seg)
    return out


def _sort_date(value: datetime | None) -> datetime:
    from ..link.stories import as_utc

    return as_utc(value) if value else datetime.min
