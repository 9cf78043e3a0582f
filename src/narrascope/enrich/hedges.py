"""Hedges and certainty: how firmly the writer stands behind a sentence.

Three kinds of cue: a *hedge* keeps the writer at a distance ("has not been verified",
"reportedly", "allegedly", "the memo claims"); a *certainty* cue insists ("it is obvious that",
"there is no doubt"); a *question* in the writer's own voice (outside quotation marks) asks the
reader to supply the answer. Cues are matched per sentence, in English and Russian.
"""

from __future__ import annotations

import re

from ..model import Hedge
from ..pipeline import component
from .doc import Doc


def _cues(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)", re.I)


HEDGE = _cues(
    r"(?:has|have|had)\s+not\s+(?:yet\s+)?been\s+(?:independently\s+)?(?:verified|confirmed)",
    r"(?:could|can|cannot|can't|could\s+not)\s+(?:not\s+)?be\s+(?:independently\s+)?(?:verified|confirmed)",
    r"not\s+(?:been\s+)?independently\s+(?:verified|confirmed)",
    r"unverified",
    r"unconfirmed",
    r"reportedly",
    r"allegedly",
    r"purportedly",
    r"supposedly",
    r"apparently",
    r"(?:is|are|was|were)\s+(?:believed|said|thought|rumou?red|alleged)\s+to",
    r"(?:the\s+)?(?:document|report|memo|paper|article|study|letter|presentation|source|sources)\s+"
    r"(?:claims?|alleges?|suggests?)",
    r"claim(?:s|ed)?\s+that",
    r"according\s+to\s+(?:unnamed|anonymous|unidentified)\s+sources?",
    r"it\s+(?:seems|appears)",
    r"(?:may|might)\s+(?:have\s+)?(?:be|been)",
    r"не\s+(?:был[аио]?\s+)?подтвержден[аоы]?",
    r"не\s+удалось\s+подтвердить",
    r"якобы",
    r"предположительно",
    r"по\s+(?:неподтвержденным|непроверенным|некоторым)\s+данным",
    r"как\s+утверждается",
    r"по\s+слухам",
    r"вероятно",
    r"возможно",
)
CERTAINTY = _cues(
    r"it\s+is\s+(?:obvious|clear|evident|undeniable|a\s+fact)(?:\s+to\s+[\w\s]{1,30}?)?\s+(?:that|how)",
    r"it\s+is\s+(?:obvious|clear|evident)",
    r"obviously",
    r"there\s+is\s+no\s+(?:doubt|question)",
    r"no\s+doubt",
    r"undoubtedly",
    r"undisputed",
    r"indisputabl[ey]",
    r"unquestionabl[ey]",
    r"certainly",
    r"of\s+course",
    r"definitely",
    r"without\s+(?:a\s+)?doubt",
    r"everyone\s+knows",
    r"clearly",
    r"очевидно",
    r"несомненно",
    r"безусловно",
    r"без\s+сомнения",
    r"разумеется",
    r"всем\s+известно",
    r"не\s+вызывает\s+сомнений",
)
_QUOTED = re.compile(r"[\"“«„][^\"“”«»„]*[\"”»“]")


def find_hedges(doc: Doc) -> list[Hedge]:
    out: list[Hedge] = []
    text = doc.text
    for sentence in doc.sentences:
        chunk = text[sentence.start : sentence.end]
        for pattern, kind in ((HEDGE, "hedge"), (CERTAINTY, "certainty")):
            for match in pattern.finditer(chunk):
                cue = " ".join(match.group(0).lower().split())
                out.append(
                    Hedge(doc.id, sentence.start + match.start(), sentence.start + match.end(), cue, kind)
                )
        bare = _QUOTED.sub("", chunk).rstrip(" \"'”»)")
        if bare.endswith("?"):
            end = sentence.start + len(chunk.rstrip())
            out.append(Hedge(doc.id, end - 1, end, "?", "question"))
    out.sort(key=lambda h: (h.start, h.end))
    return out


@component("hedges", requires=("sentences",), provides=("hedges",))
def mark_hedges(doc: Doc) -> None:
    """Hedge, certainty and rhetorical-question cues per sentence."""
    doc.hedges = find_hedges(doc)
