"""Components for quantities and time expressions (the finders live in ``quantities`` and ``times``).

For English the parse improves what a count counts: "three new thermal power plants" counts
"plants" (the noun the number modifies), not the next word "new".
"""

from __future__ import annotations

from ..model import Quantity, TimeExpression
from ..pipeline import component
from .doc import Doc
from .quantities import find_quantities
from .times import find_times


@component("quantities", requires=("text", "language", "parse"), provides=("quantities",))
def mark_quantities(doc: Doc) -> None:
    """Money, percentages, counts and measures, normalised to a value and a unit."""
    found = []
    for q in find_quantities(doc.text, doc.article.language):
        unit = q.unit
        if q.kind == "count" and doc.parsed is not None:
            unit = _counted_noun(doc, q.start, q.end) or unit
        found.append(Quantity(doc.id, q.start, q.end, q.kind, q.value, unit))
    doc.quantities = found


def _counted_noun(doc: Doc, start: int, end: int) -> str | None:
    span = doc.parsed.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    for token in span:
        if token.dep_ == "nummod" and token.head.pos_ in ("NOUN", "PROPN") and token.head.i >= span.end - 1:
            return token.head.lemma_.lower()
    return None


@component("times", requires=("text", "language"), provides=("times",))
def mark_times(doc: Doc) -> None:
    """Dates and periods, resolved against the publication date."""
    doc.times = [
        TimeExpression(
            doc.id, t.start, t.end, t.value.isoformat(), t.end_value.isoformat(), t.granularity, t.relative
        )
        for t in find_times(doc.text, doc.article.published, doc.article.language)
    ]
