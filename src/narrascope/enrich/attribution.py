"""Attribution: who says each stretch of an article.

English uses the dependency parse: a speech verb ("say", "tell", "note", "claim", ...) with its
subject is the speaker and its clausal complement (or the quotation, or the rest of the
sentence when the speech verb is tucked in at the end: "..., the minister said") is what is
said; "according to X" attributes the rest of its sentence to X; "X told Y that" records Y as
the listener. A pronoun subject takes the nearest preceding person (he/she) or organisation
(it/they); "it" first takes the subject of the sentence before, when that is a thing ("The memo
outlines ... However, it concedes": the memo, not an organisation named inside the sentence). A
speaker phrase ends where a comma sets off what describes it ("The report, presented at a session
led by X, acknowledges": "The report"). Russian uses patterns ("по словам X", "X заявил, что", "— сказал X").
"""

from __future__ import annotations

import re

from ..model import Attribution, Mention
from ..pipeline import component
from .doc import Doc

SPEECH_VERBS = frozenset(
    """say tell note state add explain emphasize emphasise stress argue claim insist warn announce report write
    declare acknowledge admit deny confirm suggest comment reply respond remark assert maintain estimate predict
    recall observe conclude complain concede reveal mention believe think describe""".split()
)
# Words that make a longer title of the one after them: "the president" is not "Vice President X".
_LONGER_TITLE = frozenset("vice deputy assistant associate lieutenant under acting former ex chief".split())
# Things that can be said to say something: documents and bodies ("The memo ... It concedes that").
_SPEAKING_THINGS = frozenset(
    """report document memo letter statement study survey paper analysis review audit assessment
    strategy plan proposal resolution bill law order decree ruling verdict indictment complaint lawsuit
    filing brief note presentation ministry government agency company firm committee council court
    commission office department bank party newspaper magazine network channel campaign
    administration embassy army police parliament""".split()
)
_PRONOUNS = {"he": "PERSON", "she": "PERSON", "him": "PERSON", "her": "PERSON", "they": None, "it": "ORG"}
_QUOTES = re.compile(r"[\"“«„]([^\"“”«»„]{3,})[\"”»“]")
_RU_VERBS = (
    r"(?:заявил|сказал|сообщил|отметил|подчеркнул|пояснил|добавил|напомнил|признал|считает|уверен"
    r"|рассказал|указал|написал|утверждает|полагает)(?:а|и|о)?"
)
_RU_ACCORDING = re.compile(
    r"\b(?:по\s+словам|по\s+мнению|как\s+(?:заявил|сказал|отметил|считает)[аи]?)\s+", re.I
)
_RU_SAID_THAT = re.compile(_RU_VERBS + r"[^.]{0,60}?,\s*что\s+", re.I)
_RU_DASH_SAID = re.compile(r"[»\"”],?\s*[—–-]\s*" + _RU_VERBS + r"\s+", re.I)


@component("attribution", requires=("sentences", "mentions", "parse"), provides=("attributions",))
def attribute(doc: Doc) -> None:
    """Speakers and what they say: quotes, reported speech, "according to"."""
    if doc.parsed is not None:
        doc.attributions = _from_parse(doc)
    elif doc.article.language == "ru":
        doc.attributions = _from_russian_patterns(doc)


def _from_parse(doc: Doc) -> list[Attribution]:
    out: list[Attribution] = []
    parsed = doc.parsed
    for sentence in doc.sentences:
        span = parsed.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            if token.lower_ == "according" and (to := _child(token, "prep", "to")) is not None:
                obj = _child(to, "pobj")
                if obj is not None:
                    out.append(_according_to(doc, span, token, obj))
            elif token.lemma_.lower() in SPEECH_VERBS and token.pos_ in ("VERB", "AUX"):
                found = _speech(doc, span, token)
                if found is not None:
                    out.append(found)
    return out


def _child(token, dep: str, lower: str | None = None):
    for child in token.children:
        if child.dep_ == dep and (lower is None or child.lower_ == lower):
            return child
    return None


def _according_to(doc: Doc, sent, according, obj) -> Attribution:
    phrase = (according.idx, obj.right_edge.idx + len(obj.right_edge))
    s_start, s_end = _speaker_span(doc, obj)
    # What is said: the sentence without the "according to X" phrase.
    start, end = sent.start_char, sent.end_char
    if phrase[0] <= start + 1:
        start = phrase[1]
    elif phrase[1] >= end - 2:
        end = phrase[0]
    start, end = _strip(doc.text, start, end)
    return Attribution(
        doc.id, start, end, doc.text[s_start:s_end], s_start, s_end, "according to", "according-to"
    )


def _speech(doc: Doc, sent, verb) -> Attribution | None:
    if any(c.dep_ == "neg" for c in verb.children):
        return None  # "she has not said how she will act": nothing is said
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        agent = _child(verb, "agent")
        subject = _child(agent, "pobj") if agent is not None else None
    if subject is None:
        return None
    speaker = _resolve(doc, subject)
    if speaker is None:
        return None
    s_start, s_end = speaker
    complement = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    quote = _QUOTES.search(doc.text, sent.start_char, sent.end_char)
    if complement is not None:
        start, end = complement.left_edge.idx, complement.right_edge.idx + len(complement.right_edge)
    elif _tucked_in(verb, subject) and quote is None:
        # "Moscow aims to ..., the newspaper said": the speech verb closes the statement.
        start, end = sent.start_char, min(verb.left_edge.idx, subject.left_edge.idx)
    elif quote is not None:
        start, end = quote.start(1), quote.end(1)
    else:
        return None
    start, end = _strip(doc.text, max(start, sent.start_char), min(end, sent.end_char))
    if end - start < 8:
        return None
    kind = (
        "quote" if quote is not None and quote.start(1) <= start and end <= quote.end(1) + 1 else "reported"
    )
    listener = None
    if verb.lemma_.lower() == "tell":
        told = next((c for c in verb.children if c.dep_ in ("dobj", "dative", "iobj")), None)
        if told is not None:
            listener = doc.text[told.left_edge.idx : told.right_edge.idx + len(told.right_edge)]
    cue = verb.text.lower()
    return Attribution(doc.id, start, end, doc.text[s_start:s_end], s_start, s_end, cue, kind, listener)


def _tucked_in(verb, subject) -> bool:
    """The speech verb and its subject come after the statement, set off by a comma."""
    if verb.dep_ not in ("ROOT", "parataxis") or (verb.dep_ == "parataxis" and verb.i < verb.head.i):
        return False
    first = min(subject.left_edge.i, verb.i)
    doc = verb.doc
    return (
        first > verb.sent.start + 3
        and doc[first - 1].text in (",", "—", "–")
        and all(
            t.i <= verb.i
            or t.is_punct
            or t.dep_ in ("advmod", "npadvmod", "prep", "pobj", "det", "amod", "compound")
            for t in verb.subtree
        )
    )


def _resolve(doc: Doc, subject) -> tuple[int, int] | None:
    """The speaker's span: a named entity inside the subject phrase, or the phrase itself;
    pronouns go back to the last fitting mention before the sentence."""
    lower = subject.lower_
    if lower == "it" and (topic := _previous_subject(subject)) is not None:
        return _resolve(doc, topic)
    if lower in _PRONOUNS:
        wanted = _PRONOUNS[lower]
        before = [
            m
            for m in doc.mentions
            if m.end <= subject.idx and (wanted is None or m.label == wanted) and m.label in ("PERSON", "ORG")
        ]
        return (before[-1].start, before[-1].end) if before else None
    head = [m for m in doc.mentions if m.start <= subject.idx < m.end]
    if head:  # the subject's head word is a name: the name is the speaker
        return head[0].start, head[0].end
    for child in subject.rights:  # "the ambassador, Anna Berg, noted": the name is the speaker
        named = [m for m in doc.mentions if m.start <= child.idx < m.end and m.label in ("PERSON", "ORG")]
        if child.dep_ == "appos" and named:
            return named[0].start, named[0].end
    last = _last_own_token(subject)
    start, end = _strip(doc.text, subject.left_edge.idx, last.idx + len(last))
    named = _named_last(doc, start, end) if subject.is_punct or subject.pos_ in ("PUNCT", "SYM", "X") else None
    return _titled(doc, start, end) or named or (start, end)


def _named_last(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """A phrase that ends in a person's name set off by a comma ("On the eve of the visit, the
    President's press secretary, Ivan Petrov"), when the parser took a bullet or a symbol for the
    subject: the name. (With a real subject the name may belong to another noun: "a lawyer for the
    former president, Donald Trump".)"""
    for m in doc.mentions:
        if m.label == "PERSON" and start < m.start and m.end == end and doc.text[start : m.start].rstrip().endswith(","):
            return m.start, m.end
    return None


def _last_own_token(subject):
    """The subject phrase's last token before a comma that sets off a description of it (a
    participle, a relative clause or an apposition: "The report, presented at ..., says")."""
    for child in subject.rights:
        before = child.left_edge.i - 1
        if child.dep_ in ("acl", "relcl", "appos") and before > subject.i and subject.doc[before].text == ",":
            return subject.doc[before - 1]
    return subject.right_edge


def _previous_subject(pronoun):
    """The subject of the sentence before ``pronoun``'s, when it is a singular thing named by a noun
    (not a pronoun, a person or a plural): what "it" most likely refers back to."""
    first = pronoun.sent.start
    if first == 0:
        return None
    root = pronoun.doc[first - 1].sent.root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.tag_ not in ("NN", "NNP") or subject.ent_type_ in ("PERSON", "NORP"):
        return None
    if subject.ent_type_ != "ORG" and subject.lemma_.lower() not in _SPEAKING_THINGS:
        return None  # "The fine was the largest ever. It said ...": a fine says nothing
    return subject


def _titled(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """A speaker named by a title with "the" ("the attorney general", "the department"): the
    nearest person written earlier after that whole title ("Attorney General Eric Holder", not
    "Vice President Biden" for "the president"), or the nearest organisation whose name of more
    than one word ends in that one noun ("the Justice Department"). None when there is none."""
    words = doc.text[start:end].split()
    if not 2 <= len(words) <= 5 or words[0].lower() != "the" or not all(w.isalpha() for w in words[1:]):
        return None
    if any(m.start < end and start < m.end and m.label in ("PERSON", "ORG") for m in doc.mentions):
        return None  # a name of its own; a nationality or place in the title is no name ("the Russian journalist")
    title = [w.lower() for w in words[1:]]
    for m in reversed([m for m in doc.mentions if m.end <= start and m.label in ("PERSON", "ORG")]):
        if m.label == "ORG":
            name = doc.text[m.start : m.end].lower().split()
            if len(title) == 1 and len(name) > 1 and name[-1] == title[0]:
                return m.start, m.end
            continue
        before = doc.text[max(0, m.start - 80) : m.start].split()
        if [w.lower() for w in before[-len(title):]] != title:
            continue
        previous = before[-len(title) - 1].lower().strip(".,;:\"“”") if len(before) > len(title) else ""
        if previous not in _LONGER_TITLE:  # "Vice President Hale" is not "the president"
            return m.start, m.end
    return None


def _speaker_span(doc: Doc, obj) -> tuple[int, int]:
    start, end = obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge)
    head = [m for m in doc.mentions if m.start <= obj.idx < m.end]
    return (head[0].start, head[0].end) if head else _strip(doc.text, start, end)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ',;:—–-"“”«»'):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ',;:—–-"“”«»'):
        end -= 1
    return start, end


def _from_russian_patterns(doc: Doc) -> list[Attribution]:
    out: list[Attribution] = []
    text = doc.text
    for sentence in doc.sentences:
        s, e = sentence.start, sentence.end
        mentions = [m for m in doc.mentions if s <= m.start and m.end <= e and m.label in ("PERSON", "ORG")]
        if (m := _RU_ACCORDING.search(text, s, e)) and (who := _mention_after(mentions, m.end())):
            start, end = _strip(text, who.end, e)
            out.append(
                Attribution(
                    doc.id,
                    start,
                    end,
                    text[who.start : who.end],
                    who.start,
                    who.end,
                    m.group(0).strip().lower(),
                    "according-to",
                )
            )
        elif (m := _RU_SAID_THAT.search(text, s, e)) and (who := _mention_before(mentions, m.start())):
            start, end = _strip(text, m.end(), e)
            out.append(
                Attribution(
                    doc.id,
                    start,
                    end,
                    text[who.start : who.end],
                    who.start,
                    who.end,
                    m.group(0).split(",")[0].strip().lower(),
                    "reported",
                )
            )
        elif (m := _RU_DASH_SAID.search(text, s, e)) and (who := _mention_after(mentions, m.end())):
            quote = _QUOTES.search(text, s, m.start() + 1)
            if quote:
                out.append(
                    Attribution(
                        doc.id,
                        quote.start(1),
                        quote.end(1),
                        text[who.start : who.end],
                        who.start,
                        who.end,
                        m.group(0).strip(' »"”,—–-').lower(),
                        "quote",
                    )
                )
    return out


def _mention_after(mentions: list[Mention], offset: int) -> Mention | None:
    after = [m for m in mentions if offset <= m.start <= offset + 40]
    return after[0] if after else None


def _mention_before(mentions: list[Mention], offset: int) -> Mention | None:
    before = [m for m in mentions if m.end <= offset and offset - m.end <= 60]
    return before[-1] if before else None
