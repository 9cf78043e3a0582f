"""How claim b bears on claim a: same, supports, contradicts, related or unrelated — and why.

Precision first: a finding an analyst cannot defend is worse than none. So:

* Two claims are compared for agreement or conflict only when they are *about the same thing*:
  in the same story (when stories are known), sharing a named entity or reading alike, and with
  no year or day of one missing from the other. Otherwise they are at most ``related``.
* ``contradicts`` needs the relation model's contradiction probability, read both ways round, at
  or above ``contradicts``; or two aligned figures that differ (:mod:`~narrascope.link.figures`:
  same measure, subject and period, neither claim stating both values) while the model sees no
  entailment.
* ``same`` needs entailment both ways; ``supports`` entailment one way (or aligned figures that
  agree and a model leaning to entailment). Between claims that read far apart, an agreement also
  needs something a reader can check that both share: a person, body or event both name, a figure
  or a date both give, or two in five of one's content words, names aside (:func:`checkable_agreement`). The model alone
  reads "Russia will build thermal power plants in Kazakhstan" as entailing "Moscow could build
  Kazakhstan's first nuclear power plant". And two English claims agree only when they share a
  word beyond the names (or a figure), as for a conflict: in a story about Medicare, "we offer a plan to
  save Medicare" and "the savings come from fraud in Medicare Advantage" share only the name.
* Two claims that move their subject opposite ways ("rose" / "fell", :mod:`.direction`) never
  agree, whatever the model reads; nor do two that put someone on opposite sides ("supports" /
  "opposes", "поддерживает" / "выступает против": the multilingual reader reads that Russian pair
  as entailment at .94); nor does a claim that reports a denial ("police denied using
  excessive force") with one that does not ("police used excessive force": entailment .69).
* Opposed positions on one question ("Trump says social media discriminates against conservatives"
  against "Facebook denies being biased"), which the relation model, trained on SICK-style
  contradictions, does not read: ``contradicts`` when the opposition reader
  (:mod:`~narrascope.link.opposition`) is at or above ``opposed`` and nothing else was found; the
  reason quotes both positions and who holds each.
* A claim that only says someone would not comment ("declined to comment", "не стал
  комментировать") agrees or conflicts with nothing.
* Everything else is ``related`` (same story or close in meaning) or ``unrelated``.

Every relation carries a reason a reader can check: the two figures with measure and subject, the
two differing stretches of text quoted, or the words both claims share. The model's probability
is appended to a reason, never the reason itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .direction import denies, opposite, opposite_sides, says_nothing
from .figures import aligned_figures
from .opposition import opposed_reason
from .text import (
    ClaimView,
    content_stems,
    differing_span,
    name_words,
    shared_terms,
    short,
    span_text,
    word_cover,
)

RELATIONS = ("same", "supports", "contradicts", "related", "unrelated")
AGREEMENT = frozenset({"same", "supports"})
NEUTRAL = (0.0, 1.0, 0.0)


@dataclass(frozen=True, slots=True)
class RelateParams:
    # Relation-model probabilities, chosen on the tuning parts (SICK, XNLI and the audit's tuning
    # events); `narrascope bench relations` prints the precision they give on the reporting parts.
    contradicts: float = 0.80
    same: float = 0.60
    supports: float = 0.60
    # Cosine of the USE sentence vectors: below `related`, a pair is unrelated; claims that share
    # no name are about the same thing only from `same_topic` up.
    related: float = 0.45
    same_topic: float = 0.60
    # Values differing by less than this share are the same figure, rounded.
    value_tolerance: float = 0.03
    # The confidence given to two aligned figures that differ (same measure, subject and period):
    # a checkable conflict, shown as a finding unless the model reads a paraphrase both ways.
    figures: float = 0.95
    # Entailment both ways that outweighs a figure conflict (a paraphrase with rounded figures).
    paraphrase: float = 0.90
    # Two counts conflict only between claims this close: "three Republican state senators" and
    # "the state's two Republican senators" count different groups in sentences that differ.
    count_similarity: float = 0.75
    # Pairs not English on both sides (Russian, mixed and other languages) are read by the weaker
    # reader: its agreement or contradiction counts only from this probability, and its agreement
    # only between claims this close. Chosen for the USE pair head on held-out XNLI tune pairs
    # (models/README.md: at 0.7-0.8 its agreements were right two to three times in four); kept for
    # the multilingual cross-encoder that replaced it (2026-12-08), which was trained on every XNLI
    # tune pair, so no untrained Russian three-way pairs were left to choose a lower level on.
    weak: float = 0.90
    weak_similarity: float = 0.70
    # Below this cosine, an agreement needs a shared anchor (a specific name, a figure or a date both
    # give) or `anchor_cover` of one claim's content words (names aside) in the other. Set on the audit's tuning
    # events, where no agreement a reader confirms falls below both.
    anchor_similarity: float = 0.60
    anchor_cover: float = 0.40
    # The opposition reader's probability (link/opposition.py) from which two claims that neither
    # agree nor conflict otherwise are read as opposed positions on one question: `contradicts`.
    # Above 1 it never fires. Chosen on the audit's tuning events, leave one event out: 9 of 10 right
    # there, 9 of 35 found (models/README.md).
    opposed: float = 0.80


DEFAULT_PARAMS = RelateParams()
# Changed with the decision rules below, so that stored links are judged again (link_version).
RULES = "2026-12-08.3"


@dataclass(frozen=True, slots=True)
class Relation:
    relation: str
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class Judgement:
    """The relation model's view of a pair: (entailment, neutral, contradiction) of b given a
    (``forward``) and of a given b (``backward``)."""

    forward: tuple[float, float, float] = NEUTRAL
    backward: tuple[float, float, float] = NEUTRAL
    weak: bool = False  # read by the weak model (see RelateParams.weak)
    # When one claim calls a statement fake: how surely the other states it (link/disputed.py).
    disputed: float = 0.0
    # How surely the two hold opposed positions on one question (link/opposition.py).
    opposed: float = 0.0

    @property
    def contradiction(self) -> float:
        return (self.forward[2] + self.backward[2]) / 2

    @property
    def entails_both(self) -> float:
        return min(self.forward[0], self.backward[0])

    @property
    def entails_either(self) -> float:
        return max(self.forward[0], self.backward[0])


def about_same_thing(a: ClaimView, b: ClaimView, similarity: float, params: RelateParams = DEFAULT_PARAMS,
                     same_story: bool | None = None, given: bool = False) -> bool:
    """Whether a and b may agree or conflict at all: the gate before any finding. A ``given``
    pair (one a user put together, as in ``narrascope relate``) is taken to be about one thing
    unless its dates conflict."""
    if same_story is False or _times_conflict(a, b):
        return False
    return given or bool(a.names & b.names) or similarity >= params.same_topic


def relate(a: ClaimView, b: ClaimView, similarity: float, judgement: Judgement | None = None,
           params: RelateParams = DEFAULT_PARAMS, same_story: bool | None = None, given: bool = False) -> Relation:
    """The relation of b to a; ``judgement`` is the relation model's, None when no model read it."""
    # "The ministry declined to comment" states nothing another claim could agree or conflict with
    # (the multilingual reader gave such a pair contradiction .93 across languages).
    if about_same_thing(a, b, similarity, params, same_story, given) and not (says_nothing(a.text) or says_nothing(b.text)):
        j = judgement or Judgement()
        if j.weak:
            params = replace(params, contradicts=max(params.contradicts, params.weak),
                             same=max(params.same, params.weak), supports=max(params.supports, params.weak))
            if similarity < params.weak_similarity:  # no agreement from the weak model alone
                j = Judgement((0.0, 1.0 - j.forward[2], j.forward[2]), (0.0, 1.0 - j.backward[2], j.backward[2]), True)
        found = _finding(a, b, j, params, similarity)
        if found is not None:
            return found
    return _background(a, b, similarity, params, same_story)


def _finding(a: ClaimView, b: ClaimView, j: Judgement, params: RelateParams, similarity: float) -> Relation | None:
    # One claim calls a statement fake and the model reads the other as agreeing with that
    # statement (at the level any agreement needs): the two conflict, and the reason quotes both.
    if j.disputed >= params.supports and bool(a.disputed) != bool(b.disputed):
        labeller, other = (a, b) if a.disputed else (b, a)
        return Relation("contradicts", round(j.disputed, 4),
                        f'one calls "{short(labeller.disputed, 80)}" fake, the other states it: '
                        f'"{short(other.text, 80)}" (entailment {j.disputed:.2f})')
    figures = aligned_figures(a, b, params.value_tolerance, counts=similarity >= params.count_similarity)
    # A paraphrase read both ways outweighs a figure conflict of values a rounding apart, or of one
    # move told from either side ("the ruble fell 10% against the dollar" / "the dollar rose 10%
    # against the ruble"); never "$5 billion" against "$8 billion".
    if figures is not None and figures.pointed:
        return None  # whose figure one of them is lies outside the claim: neither conflict nor agreement
    if figures is not None and not figures.agree and (j.entails_both < params.paraphrase or not figures.near):
        return Relation("contradicts", round(max(j.contradiction, params.figures), 4), figures.reason())
    # The model's contradiction counts only between claims that share a term beyond the names
    # (in one language): "loosening ties with Moscow" and "never joined the sanctions" share only
    # the country, and are two facts, not one fact told two ways.
    terms = shared_terms(a.text, b.text, names=a.names | b.names)
    if (j.contradiction >= params.contradicts and not (figures is not None and figures.agree)
            and (terms or a.language != b.language)):
        what = terms or sorted(a.names & b.names)
        about = f" about {', '.join(what)}" if what else ""
        return Relation(
            "contradicts", round(j.contradiction, 4),
            f'at odds{about}: "{differing_span(a.text, b.text)}" vs "{differing_span(b.text, a.text)}"'
            f" (contradiction {j.contradiction:.2f})",
        )
    agreement = _agreement(a, b, j, params, similarity, figures)
    if agreement is not None:
        return agreement
    # Opposed positions: only where nothing above was found, so an agreement is never taken away.
    if j.opposed >= params.opposed and not (figures is not None and figures.agree):
        return Relation("contradicts", round(j.opposed, 4), opposed_reason(a, b, j.opposed))
    return None


def _agreement(a: ClaimView, b: ClaimView, j: Judgement, params: RelateParams, similarity: float,
               figures) -> Relation | None:
    # Two figures of one measure that differ stop an agreement even when no name aligns them as a
    # conflict: "its profit reached $5 billion" / "Gazprom's profit reached $8 billion".
    loose = aligned_figures(a, b, params.value_tolerance, subject_needed=False) if figures is None else None
    if (not checkable_agreement(a, b, similarity, params) or opposite(a.text, b.text)
            or opposite_sides(a.text, b.text)
            or denies(a.text, a.cue) != denies(b.text, b.cue) or (loose is not None and not loose.agree)):
        # nothing both share that a reader can check; one says up and the other down, or for and
        # against; or one reports a denial of what the other states ("denied using excessive force")
        return None
    if figures is not None and figures.agree and j.entails_either >= 0.5:
        relation = "same" if j.entails_both >= params.same else "supports"
        return Relation(relation, round(j.entails_either, 4), figures.reason())
    if j.entails_both >= params.same:
        return Relation("same", round(j.entails_both, 4),
                        f"says the same: {_shared(a, b)} (entailment both ways {j.entails_both:.2f})")
    if j.entails_either >= params.supports:
        more = a if j.forward[0] >= j.backward[0] else b  # the claim that says more entails the other
        added = differing_span(more.text, (b if more is a else a).text)
        return Relation("supports", round(j.entails_either, 4),
                        f'agrees: {_shared(a, b)}; one adds "{short(added, 60)}" (entailment {j.entails_either:.2f})')
    return None


def checkable_agreement(a: ClaimView, b: ClaimView, similarity: float, params: RelateParams = DEFAULT_PARAMS) -> bool:
    """Whether an agreement of a and b would rest on something a reader can check: close meaning,
    or, between claims that read far apart, a specific name both give (a person, body or event:
    countries run through a whole story), a figure or a date both state, or two in five of one's
    content words, names aside. Between two English claims, also a word beyond the names (or a
    figure both give), whatever the distance (words are matched by a crude English stem, which
    would miss a Russian word in another case)."""
    if a.language == b.language == "en" and not (shared_terms(a.text, b.text, names=a.names | b.names)
                                         or _same_figure(a, b)):
        return False
    if similarity >= params.anchor_similarity or name_words(a.anchors) & name_words(b.anchors):
        return True
    if _same_figure(a, b):
        return True
    if _dates(a) & _dates(b):
        return True
    return word_cover(a.text, b.text, a.names | b.names) >= params.anchor_cover


def _same_figure(a: ClaimView, b: ClaimView) -> bool:
    return bool({round(q.value, 6) for q in a.quantities} & {round(q.value, 6) for q in b.quantities})


def _dates(view: ClaimView) -> set[str]:
    return {f"{t.granularity}:{t.value[:10]}" for t in view.times if not t.relative}


def _background(a: ClaimView, b: ClaimView, similarity: float, params: RelateParams,
                same_story: bool | None) -> Relation:
    names = sorted(a.names & b.names)
    if similarity >= params.related or (same_story and names):
        where = "same story" if same_story else "close in meaning"
        about = f", both name {', '.join(names[:3])}" if names else ""
        return Relation("related", round(similarity, 4),
                        f"{where}{about}; no agreement or conflict found (similarity {similarity:.2f})")
    return Relation("unrelated", round(similarity, 4), f"different subjects (similarity {similarity:.2f})")


def _shared(a: ClaimView, b: ClaimView) -> str:
    terms = shared_terms(a.text, b.text) or sorted(a.names & b.names)
    return "both use " + ", ".join(f'"{t}"' for t in terms) if terms else "different words, same meaning"


def _times_conflict(a: ClaimView, b: ClaimView) -> bool:
    for granularity, width in (("year", 4), ("day", 10)):
        got_a = {t.value[:width] for t in a.times if t.granularity == granularity and not t.relative}
        got_b = {t.value[:width] for t in b.times if t.granularity == granularity and not t.relative}
        if got_a and got_b and not got_a & got_b:
            return True
    # "since 2002" against "since 2003": runs up to publication (so marked relative), but each
    # starts in a year the text gives.
    since_a, since_b = _since_years(a, b), _since_years(b, a)
    return bool(since_a and since_b and not since_a & since_b)


def _since_years(view: ClaimView, other: ClaimView) -> set[str]:
    """The start years of the since-ranges of ``view`` whose predicate ``other`` shares a word of
    ("has led House Democrats since 2002" / "since 2003"; not "in Congress since 1987")."""
    out = set()
    for t in view.times:
        if t.granularity != "year" or not span_text(view, t).lower().startswith(
                ("since", "ever since", "с ", "со ", "начиная")):
            continue
        before = view.text[: t.start - view.offset].split()[-4:]
        if content_stems(" ".join(before)) & content_stems(other.text):
            out.add(t.value[:4])
    return out
