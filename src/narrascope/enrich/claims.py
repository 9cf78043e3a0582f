"""Claims: the statements of an article that could be checked, one sentence or clause each.

A candidate is a declarative sentence (not a question, at least ``MIN_WORDS`` words, with a verb
where the parse can tell) or a clause of one split at a semicolon. Each carries what was found
inside it — quantities, the attribution covering it, a hedge — and whether it is negated; the
``checkworthiness`` component then scores every candidate with the trained model.
"""

from __future__ import annotations

import re

from ..model import Attribution, Claim, claim_id
from ..pipeline import component
from .doc import Doc

# Shorter sentences are datelines, captions or fragments, not statements.
MIN_WORDS = 5
_WORD = re.compile(r"\w+")
_LEAD = re.compile(r"^\s*(?:[-–—•·*▪►●◦]|\d{1,2}[.)])\s+")
_CLAUSE = re.compile(r";\s+")
# Main verbs that say "no" without a "not": "declined to comment" agrees with "did not reply".
DENIAL_VERBS = frozenset({"decline", "refuse", "fail", "deny", "reject"})
_NEGATION = {
    "ru": re.compile(r"(?<!\w)(?:не|ни|нет|никогда|никакой|никакого)(?!\w)", re.I),
    "": re.compile(r"(?<!\w)(?:not|n't|never|no longer|neither|nor|none|no)(?!\w)", re.I),
}


@component(
    "claims", requires=("sentences", "parse", "quantities", "attributions", "hedges"), provides=("claims",)
)
def find_claims(doc: Doc) -> None:
    """Candidate claims with their quantities, attribution, hedge and polarity."""
    claims = []
    for start, end in _candidates(doc):
        hedge = next((h for h in doc.hedges if h.kind == "hedge" and start <= h.start < end), None)
        claims.append(
            Claim(
                id=claim_id(doc.id, start, end),
                article_id=doc.id,
                start=start,
                end=end,
                checkworthiness=0.0,
                negated=_negated(doc, start, end),
                hedged=hedge is not None,
                hedge_cue=hedge.cue if hedge else None,
                attribution=_covering(doc.attributions, start, end, doc.text),
                quantities=[q for q in doc.quantities if start <= q.start and q.end <= end],
            )
        )
    doc.claims = claims


def _candidates(doc: Doc) -> list[tuple[int, int]]:
    text = doc.text
    out = []
    for sentence in doc.sentences:
        start, end = sentence.start, sentence.end
        if lead := _LEAD.match(text, start, end):
            start = lead.end()
        pieces, pos = [], start
        for sep in _CLAUSE.finditer(text, start, end):
            pieces.append((pos, sep.start()))
            pos = sep.end()
        pieces.append((pos, end))
        if len(pieces) > 1 and any(_words(text, s, e) < MIN_WORDS for s, e in pieces):
            pieces = [(start, end)]  # a semicolon inside a list, not between clauses
        for s, e in pieces:
            if (
                _words(text, s, e) >= MIN_WORDS
                and not text[s:e].rstrip(" \"'”»)").endswith("?")
                and _has_verb(doc, s, e)
            ):
                out.append((s, e))
    return out


def _words(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text, start, end))


def _has_verb(doc: Doc, start: int, end: int) -> bool:
    if doc.parsed is None:
        return True
    span = doc.parsed.char_span(start, end, alignment_mode="expand")
    return span is None or any(t.pos_ in ("VERB", "AUX") for t in span)


def _negated(doc: Doc, start: int, end: int) -> bool:
    """Negation of the statement itself: of its main verb where there is a parse."""
    if doc.parsed is not None:
        span = doc.parsed.char_span(start, end, alignment_mode="expand")
        if span is not None:
            root = span.root
            heads = {root} | {c for c in root.children if c.dep_ in ("conj", "ccomp", "xcomp")}
            return any(
                c.dep_ == "neg" or (c.lower_ in ("never", "no") and c.dep_ in ("neg", "advmod", "det"))
                for h in heads
                for c in h.children
            )
    pattern = _NEGATION.get(doc.article.language or "", _NEGATION[""])
    return bool(pattern.search(doc.text, start, end))


def _covering(attributions: list[Attribution], start: int, end: int, text: str) -> Attribution | None:
    """The attribution of the claim: one whose speaker and words both sit inside it ("X noted
    that Y"), or one whose reported words cover most of it. A speaker named earlier ("The report,
    presented at ..., acknowledges that Y", the report being one the article named before) sits
    inside as its speech verb does."""
    best, best_overlap = None, 0
    for a in attributions:
        overlap = min(end, a.end) - max(start, a.start)
        named_here = start <= a.speaker_start and a.speaker_end <= end
        named_before = a.speaker_end <= start and a.cue in text[start : a.start].lower()
        inside = (named_here or named_before) and start <= a.start and a.end <= end
        if overlap > best_overlap and (inside or overlap >= 0.5 * (end - start)):
            best, best_overlap = a, overlap
    return best
