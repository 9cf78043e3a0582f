"""Candidate spans a persuasion technique may cover: whole sentences, clauses, noun phrases, single
loaded words, quoted phrases.

The detector scores candidates instead of tagging characters: every technique in the Propaganda
Techniques Corpus is a phrase, a clause or a sentence (loaded language and name-calling: a median of
2-3 words; doubt, appeal to fear, causal oversimplification: a median of 13-18 words), so a small
set of parse-shaped units covers most gold spans (``narrascope bench techniques`` prints how well).

Two generators share one output shape. :func:`parsed_candidates` reads a spaCy parse (English);
:func:`plain_candidates` needs nothing but punctuation and word boundaries, so it serves any language
(Russian first) with coarser units: sentences, comma- and conjunction-delimited clauses, quotes,
single words and word pairs.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass

# The kinds, in the order of the one-hot feature block the model reads.
KINDS = ("sentence", "clause", "phrase", "chunk", "modified", "word", "quote")
# A noun phrase or clause longer than this is a sentence in all but name; the sentence candidate
# already covers it, and long subtrees multiply candidates without adding recall.
MAX_PHRASE_TOKENS = 12
MAX_CLAUSE_TOKENS = 40
MIN_CLAUSE_TOKENS = 3
MAX_QUOTE_CHARS = 200
# Without a tagger, a word this short is taken for a function word (English "the", "and"; Russian
# "и", "что", "это"): never a candidate alone nor the edge of a phrase.
MIN_PLAIN_WORD = 4
# Words a technique is carried by: content parts of speech. Determiners, pronouns and numbers alone
# never make a gold span.
CONTENT_POS = frozenset({"ADJ", "ADV", "NOUN", "VERB", "PROPN"})
CLAUSE_DEPS = frozenset(
    {"ccomp", "advcl", "relcl", "xcomp", "csubj", "acl", "conj", "parataxis", "pcomp", "ROOT"}
)

_QUOTE = re.compile(rf"[\"“”«»„]([^\"“”«»„\n]{{3,{MAX_QUOTE_CHARS}}})[\"“”«»„]")
_WORD = re.compile(r"\w[\w'’-]*")
# Where a plain clause ends: punctuation inside the sentence, or a coordinating or subordinating word
# (English and Russian) that starts a new clause.
_CLAUSE_BREAK = re.compile(
    r"[,;:—–()]|\s(?=(?:and|but|or|because|while|although|though|which|who|that|if|when|so|и|но|а|или|"
    r"потому|поскольку|хотя|который|которая|которые|которое|что|чтобы|если|когда|ведь)\b)",
    re.I,
)
_PUNCT_EDGE = ".,;:!?)]}\u2026"
# Titles and honorifics written with a name ("Mr. Grimm", "Senator Cruz").
_TITLES = frozenset(
    """mr mrs ms miss dr sir madam president senator rep representative governor gov sen mayor secretary
    judge justice general gen minister ambassador speaker chairman leader""".split()
)
_HONORIFICS = frozenset("mr mrs ms miss dr sir".split())


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    kind: str
    sentence: int  # index into the sentence list the candidates were made from


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Whitespace off both ends and sentence punctuation off the end (gold spans rarely keep it)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _PUNCT_EDGE):
        end -= 1
    return start, end


class _Collector:
    def __init__(self, text: str, names: list[tuple[int, int]] = ()) -> None:
        self.text = text
        self.seen: dict[tuple[int, int], Candidate] = {}
        self.names = names  # (start, end) of the words that are part of a person's name
        # how often each word stands in a person's name: a word met there once may be an epithet
        # the tagger swept into the name ("Lyin' Ted", "Tsar Putin")
        self.name_words = Counter(text[a:b].lower() for a, b in names)

    def add(self, start: int, end: int, kind: str, sentence: int) -> None:
        start, end = _trim(self.text, start, end)
        if end - start < 2 or (start, end) in self.seen:
            return  # the first kind to claim a span keeps it: sentence before clause before phrase
        if kind != "sentence" and self.names and self._only_a_name(start, end):
            return
        self.seen[(start, end)] = Candidate(start, end, kind, sentence)

    def _only_a_name(self, start: int, end: int) -> bool:
        """Whether every word of the span, titles aside, belongs to a person's name that the
        article gives more than once: "Mr. Grimm", "Mr. Trump" carry no technique (2 of 1,505 PTC gold spans in 120 articles were names alone,
        both tagger errors)."""
        every = list(_WORD.finditer(self.text, start, end))
        words = [m for m in every if m.group().lower().rstrip(".") not in _TITLES]
        if not words:  # "Mr" alone
            return all(m.group().lower().rstrip(".") in _HONORIFICS for m in every)
        first = bisect.bisect_right(self.names, (words[0].start(), float("inf"))) - 1
        for w in words:
            while first + 1 < len(self.names) and self.names[first + 1][0] <= w.start():
                first += 1
            if first < 0 or not (self.names[first][0] <= w.start() and w.end() <= self.names[first][1]):
                return False
            if self.name_words[w.group().lower()] < 2:
                return False
        return True

    def quotes(self, s: int, e: int, index: int) -> None:
        for m in _QUOTE.finditer(self.text, s, e):
            self.add(m.start(1), m.end(1), "quote", index)

    def result(self) -> list[Candidate]:
        return sorted(self.seen.values(), key=lambda c: (c.start, -c.end))


def parsed_candidates(text: str, doc, sentences: list[tuple[int, int]]) -> list[Candidate]:
    """Candidates from a spaCy ``doc`` of ``text``; every span stays inside one of ``sentences``."""
    out = _Collector(text, [(t.idx, t.idx + len(t.text)) for t in doc if t.ent_type_ == "PERSON"])
    tokens = list(doc)
    starts = [t.idx for t in tokens]
    # Noun chunks once for the whole text (spaCy finds them over the doc, not per sentence).
    chunks = [(c.start_char, c.end_char) for c in doc.noun_chunks if len(c) > 1]
    chunk_starts = [a for a, _ in chunks]
    for index, (s, e) in enumerate(sentences):
        out.add(s, e, "sentence", index)
        lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        inside = tokens[lo:hi]

        def span(first, last, s=s, e=e):
            return max(first.idx, s), min(last.idx + len(last.text), e)

        for tok in inside:
            if tok.pos_ in ("VERB", "AUX") and tok.dep_ in CLAUSE_DEPS:
                n = tok.right_edge.i - tok.left_edge.i + 1
                if MIN_CLAUSE_TOKENS <= n <= MAX_CLAUSE_TOKENS:
                    out.add(*span(tok.left_edge, tok.right_edge), "clause", index)
                # The clause without its subject: "failed to do their jobs", "is easily manipulated".
                subj = [c for c in tok.lefts if c.dep_ in ("nsubj", "nsubjpass")]
                if (
                    subj
                    and MIN_CLAUSE_TOKENS <= tok.right_edge.i - subj[-1].right_edge.i <= MAX_CLAUSE_TOKENS
                ):
                    out.add(*span(tokens[subj[-1].right_edge.i + 1], tok.right_edge), "clause", index)
            if tok.pos_ in ("NOUN", "PROPN"):
                if tok.right_edge.i - tok.left_edge.i < MAX_PHRASE_TOKENS:
                    out.add(*span(tok.left_edge, tok.right_edge), "phrase", index)
                mods = [c for c in tok.lefts if c.dep_ in ("amod", "compound", "advmod", "nmod", "poss")]
                if mods:
                    # "brutal dictator", "hate preachers": the modifiers and the noun, no determiner.
                    out.add(*span(mods[0].left_edge, tok), "modified", index)
            if tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "amod", "attr", "oprd", "conj"):
                adv = [c for c in tok.lefts if c.dep_ == "advmod"]
                if adv:  # "extremely high-profile", "very, very different"
                    out.add(*span(adv[0], tok), "modified", index)
            if tok.pos_ in CONTENT_POS and len(tok.text) > 2:
                out.add(*span(tok, tok), "word", index)
        for a, b in chunks[bisect.bisect_left(chunk_starts, s) : bisect.bisect_left(chunk_starts, e)]:
            if b <= e:
                out.add(a, b, "chunk", index)
        out.quotes(s, e, index)
    return out.result()


def plain_candidates(text: str, sentences: list[tuple[int, int]]) -> list[Candidate]:
    """Candidates from punctuation and word boundaries only, for languages without a parser."""
    out = _Collector(text)
    for index, (s, e) in enumerate(sentences):
        out.add(s, e, "sentence", index)
        cuts = [s] + [m.start() for m in _CLAUSE_BREAK.finditer(text, s, e)] + [e]
        pieces = [(a, b) for a, b in itertools.pairwise(cuts) if b > a]
        for i, (a, b) in enumerate(pieces):
            # A clause and its neighbour together: a clause often runs past a comma.
            for a2, b2 in ((a, b), (a, pieces[i + 1][1]) if i + 1 < len(pieces) else (a, b)):
                chunk = text[a2:b2].lstrip(",;:—–() ")
                n = len(_WORD.findall(chunk))
                if MIN_CLAUSE_TOKENS <= n <= MAX_CLAUSE_TOKENS:
                    out.add(b2 - len(chunk), b2, "clause", index)
        words = list(_WORD.finditer(text, s, e))
        for i, w in enumerate(words):
            if len(w.group()) < MIN_PLAIN_WORD:
                continue
            out.add(w.start(), w.end(), "word", index)
            # Word pairs and triples that start and end on a long word stand in for noun and
            # adjective phrases; short words at the edges are mostly function words.
            for n in (2, 3):
                if i + n <= len(words):
                    last = words[i + n - 1]
                    if len(last.group()) >= MIN_PLAIN_WORD and not re.search(
                        r"[,;:.!?]", text[w.start() : last.end()]
                    ):
                        out.add(w.start(), last.end(), "modified" if n == 2 else "chunk", index)
        out.quotes(s, e, index)
    return out.result()


_NEWLINE = re.compile(r"\n")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”»)]*\s+(?=[\"'“«(]*[A-ZА-ЯЁ0-9])")


def split_sentences(text: str, doc=None) -> list[tuple[int, int]]:
    """Sentence spans: the parser's sentences when ``doc`` is given, else punctuation; never across
    a line break (scraped titles and list items have no full stop)."""
    if doc is not None:
        rough = [(s.start_char, s.end_char) for s in doc.sents]
    else:
        rough, pos = [], 0
        for m in _SENTENCE_END.finditer(text):
            rough.append((pos, m.start()))
            pos = m.end()
        rough.append((pos, len(text)))
    out = []
    for s, e in rough:
        pos = s
        for m in [*_NEWLINE.finditer(text, s, e), None]:
            stop = m.start() if m else e
            a, b = pos, stop
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b > a:
                out.append((a, b))
            if m:
                pos = m.end()
    return out
