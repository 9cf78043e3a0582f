"""Labelling a claim "fake": a statement or thesis dismissed wholesale as a fake, myth, hoax, lie,
propaganda, disinformation, fabrication or nonsense (Russian: фейк, миф, ложь, пропаганда, вброс...).

The Propaganda Techniques Corpus has no such class, so this is a rule, not a model. It fires on
constructions that apply the label to a claim, never on the word alone:

* predicate: "<claim> is (just / nothing but / yet another) a myth", '"<claim>" – another fake',
  "это очередной фейк",
  "X — не более чем вброс", "являются дезинформацией";
* label + content: "the myth that ...", "the lie about ...", "фейк о том, что ...", and the label
  put before its clause: "it is false that ...", "неправда, что ...";
* a speech verb: "dismissed the reports as fake news", "called the claim a hoax",
  "назвал заявления фейком";
* "fake" / "фейковый" / "ложный" on a word for a statement: "fake claims", "фейковые новости".

"fake" and "fiction" also describe objects ("fake passports were seized", "the painting was a
fake"), so as predicates they fire only when the subject is a word for a statement, a quotation or
a that-clause; the other labels ("hoax", "propaganda", "ложь"...) can only be said of a statement.
The span runs from the claim (an opening quotation mark, the statement noun or the clause start) to
the label, inside one sentence; a labelled clause ends where the sentence's own verb resumes ("the
myth that sanctions do not work | has been repeated for years").
"""

from __future__ import annotations

import re

TECHNIQUE = "labelling_fake"
# The score a rule hit carries: constructions that apply a strong label to a statement are rarely
# anything else, but the rule cannot tell a writer's label from a label the writer reports.
RULE_SCORE = 0.9

_STRONG_EN = (
    r"fake\s+news|myths?|hoax(?:es)?|lies|lie|propaganda|disinformation|misinformation|fabrications?|"
    r"nonsense|fairy[\s-]+tales?|conspiracy\s+theor(?:y|ies)|canards?|smears?|falsehoods?"
)
# "false" says more things than "not true" ("a false alarm", "false teeth"): it is weak, and only an
# adjective of a whole account ("false claims") or a predicate of a statement counts.
_WEAK_EN = r"fakes?|fiction|fictions|false|bogus|untrue|not\s+true|baseless|groundless|unfounded|made[\s-]up"
_DETERMINERS_EN = (
    r"(?:(?:a|an|the|just|merely|simply|only|pure|sheer|complete|total|utter|outright|blatant|"
    r"another|yet|classic|typical|nothing\s+but|nothing\s+more\s+than|no\s+more\s+than|little\s+more\s+than|"
    r"clearly|obviously|absolutely|all|nothing|else|but)\s+){0,4}"
)
_COPULA_EN = (
    r"(?:is|are|was|were|be|been|being|remains?|seems?|'s|’s)\s+(?:(?:not\s+)?(?:really|simply|just)\s+)?"
)
_STATEMENT_EN = (
    r"claims?|reports?|stor(?:y|ies)|news|statements?|allegations?|accusations?|rumou?rs?|information|"
    r"narratives?|thes[ie]s|theor(?:y|ies)|assertions?|ideas?|notions?|talk|words|versions?|publications?|"
    r"articles?|headlines?|messages?|posts?|quotes?|data|statistics|suggestions?|speculations?|"
    r"assumptions?|charges?|insinuations?"
)
# A label followed by another word is usually that word's modifier ("a propaganda minister", "a fake
# passport"); it still labels a claim when the next word only continues the clause.
_THEN_EN = (
    r"(?!\s+(?!(?:and|or|but|nor|that|which|who|about|from|by|to|of|in|on|with|for|as|than|spread|told|"
    r"made|meant|used|\w+ed)\b)[a-z]{3,})"
)
_SPEECH_EN = (
    r"call(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|denounc(?:es|ed|ing)?|brand(?:s|ed|ing)?|label(?:s|ed|led|ing|ling)?|"
    r"describ(?:es|ed|ing)|term(?:s|ed|ing)?|decr(?:y|ies|ied|ying)"
)
# What the speech verb's object may be: a few words, not a phrasal verb ("called on X to stop the lies").
_OBJECT_EN = r"(?!(?:on|for|upon|out|up|off|in|back)\b)(?P<claim>(?:[^\s.;!?]+\s+){0,7}?[^\s.;!?]+)"
_DETERMINERS_BEFORE = (
    r"(?:the|a|an|this|that|these|those|such|another|its|their|his|her|our|same)\s+(?:[a-z-]+\s+)?"
)
# Noun forms only: "фейковый аккаунт" or "пропагандистский" are not a label put on a claim.
_NOUN_ENDINGS = r"(?:а|у|ом|е|и|ы|ов|ам|ами|ах)?"
_STRONG_RU = (
    rf"фейк{_NOUN_ENDINGS}|миф{_NOUN_ENDINGS}|вброс{_NOUN_ENDINGS}|домысл{_NOUN_ENDINGS}|ложь|лжи|ложью|"
    r"пропаганд(?:а|ы|е|у|ой)|дезинформаци(?:я|и|ю|ей)|выдумк(?:а|и|у|ой|ами)|выдумок|бред(?:ом|а|ни)?|"
    r"чушь(?:ю)?|вран(?:ьё|ье|ья|ьём|ьем)|сказк(?:а|и|ой|ами)|сказок|фальшивк(?:а|и|ой)|фальсификаци(?:я|ей|и)|"
    r"неправд(?:а|ой|у)"
)
_DETERMINERS_RU = (
    r"(?:(?:очередн\w+|обычн\w+|откровенн\w+|чист\w+|чистой\s+воды|настоящ\w+|просто|лишь|всего\s+лишь|"
    r"не\s+более\s+чем|не\s+что\s+иное,?\s+как|сплошн\w+|нагл\w+|полн\w+|абсолютн\w+|типичн\w+|"
    r"классическ\w+|очевидн\w+|грубейш\w+|грязн\w+|банальн\w+|ещё\s+один|еще\s+один|ещё\s+одна|еще\s+одна|"
    r"одн\w+\s+из|нич\w+\s+иное,?\s+как)\s+){0,3}"
)
_STATEMENT_RU = (
    r"новост\w*|информаци\w*|сообщени\w*|заявлени\w*|утверждени\w*|данн\w+|слух\w*|обвинени\w*|"
    r"публикаци\w*|стать\w+|материал\w*|видео|фото\w*|тезис\w*|нарратив\w*|верси\w+|истори\w+|цифр\w*"
)
# A word for a statement in either language: a subject such as "the story about X" names a claim
# by reference instead of stating it.
STATEMENT_NOUN = re.compile(rf"(?<!\w)(?:{_STATEMENT_EN}|{_STATEMENT_RU})(?!\w)", re.I)
# A subject states something when it holds a finite verb (a crude test, by form): an auxiliary or a
# negation in English, a verb ending in Russian. "The parade in Moscow is propaganda" labels a thing.
FINITE_VERB = re.compile(
    r"(?<!\w)(?:is|are|was|were|has|have|had|will|would|can|could|should|must|may|might|do|does|did|\w+n[’']t"
    r"|не|[а-яё]{2,}(?:ется|ются|ится|ятся|ает|яет|еет|ует|ают|яют|еют|уют|ёт|лся|лась|лось|лись|ала|ила|ыла|"
    r"ула|али|или|ыли|ули))(?!\w)",
    re.I,
)
_SPEECH_RU = r"назва\w*|называ\w*|окрестил\w*|объяви\w*|объявля\w*|счита\w*|признал\w*"

# The label before the clause it is put on: "it is false that X", "it's a myth that X",
# "неправда, что X", "ложь, что X". Not "it is not false that": the label must follow the copula.
_IT_EN = (
    r"(?<!\w)it(?:\s+is|\s+was|'s|’s)\s+(?:(?:simply|just|completely|totally|absolutely|plainly|patently|"
    r"clearly|also|equally)\s+)?(?P<label>false|untrue|not\s+true|(?:a\s+)?(?:lie|myth|fabrication|falsehood)|"
    r"nonsense|propaganda)\s+(?:to\s+(?:say|claim|suggest|assert)\s+)?that(?!\w)"
)
_IT_RU = (
    rf"(?<!\w)(?<!не\s)(?:это\s+|всё\s+это\s+|все\s+это\s+)?{_DETERMINERS_RU}(?P<label>неправда|ложь|миф|фейк|вымысел|"
    r"неверно)(?:\s*,\s*|\s+то\s*,\s*|\s+)что(?!\w)"
)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "<claim> is a myth", "... are lies": the claim is what precedes the copula.
    (
        "predicate",
        re.compile(rf"(?<!\w){_COPULA_EN}{_DETERMINERS_EN}(?P<label>{_STRONG_EN})(?![\w-]){_THEN_EN}", re.I),
    ),
    # "fake" / "fiction" as a predicate: only when the subject is a statement (checked in code).
    (
        "weak_predicate",
        re.compile(rf"(?<!\w){_COPULA_EN}{_DETERMINERS_EN}(?P<label>{_WEAK_EN})(?![\w-]){_THEN_EN}", re.I),
    ),
    # A dash in place of the copula, as headlines put it: '"<claim>" – another Western fake'. One
    # modifier may come before the label; "fake" again only after a statement or quotation, or
    # closing a sentence whose subject is a clause ("The region is drifting apart – fake").
    (
        "predicate",
        re.compile(
            rf"\s[—–-]\s+{_DETERMINERS_EN}(?:[\w-]+\s+)?(?P<label>{_STRONG_EN})(?![\w-]){_THEN_EN}", re.I
        ),
    ),
    (
        "weak_dash",
        re.compile(
            rf"\s[—–-]\s+{_DETERMINERS_EN}(?:[\w-]+\s+)?(?P<label>{_WEAK_EN})(?![\w-]){_THEN_EN}", re.I
        ),
    ),
    # "the myth that ...", "the lie about ...", "hoax claiming ...". A myth or a fairy tale "about"
    # something may be a story ("the myth about Prometheus"); "that" makes it a claim.
    (
        "content",
        re.compile(
            rf"(?<!\w){_DETERMINERS_BEFORE}(?:(?P<label>{_STRONG_EN}|fake\s+(?:{_STATEMENT_EN}))\s+"
            r"(?:that|claiming|saying|suggesting)|(?P<label2>(?!myths?\b|fairy)(?:"
            + _STRONG_EN
            + r"))\s+about)(?!\w)",
            re.I,
        ),
    ),
    # "fake claims", "bogus allegations", "a false narrative". "false" only before words for a whole
    # account: "false statements" / "false information" given to police is a charge, not a label.
    (
        "attributive",
        re.compile(
            rf"(?<!\w)(?P<label>(?:fake|bogus|fabricated|made-up)\s+(?:{_STATEMENT_EN})|"
            r"false\s+(?:narratives?|claims?|stor(?:y|ies)|reports?|news|rumou?rs?|allegations?))(?!\w)",
            re.I,
        ),
    ),
    # "dismissed the reports as fake news", "called the allegations a hoax".
    (
        "speech",
        re.compile(
            rf"(?<!\w)(?:{_SPEECH_EN})\s+{_OBJECT_EN}\s+(?:as\s+)?{_DETERMINERS_EN}"
            rf"(?P<label>{_STRONG_EN}|{_WEAK_EN})(?![\w-]){_THEN_EN}",
            re.I,
        ),
    ),
    # "это фейк", "является мифом", "X — очередной вброс".
    (
        "predicate",
        re.compile(
            rf"(?:(?<!\w)(?:это|явля\w*|оказал\w*|был\w*|есть)|\s[—–-])\s+{_DETERMINERS_RU}(?P<label>{_STRONG_RU})(?!\w)",
            re.I,
        ),
    ),
    # "It is false that ...", "Неправда, что ...": the claim is the clause after the label.
    ("it_that", re.compile(_IT_EN, re.I)),
    ("it_that", re.compile(_IT_RU, re.I)),
    # "фейк о том, что ...", "миф про ...".
    # Likewise "миф о Прометее" is a story; "миф о том, что" is a claim.
    (
        "content",
        re.compile(
            rf"(?<!\w)(?:(?P<label>{_STRONG_RU})\s+о\s+том|(?P<label2>(?!миф|сказ)(?:{_STRONG_RU}))\s+(?:о|об|про))(?!\w)",
            re.I,
        ),
    ),
    # "фейковые новости", "ложная информация".
    (
        "attributive",
        re.compile(
            rf"(?<!\w)(?P<label>(?:фейков\w+|ложн\w+|фальшив\w+|лживы\w+)\s+(?:{_STATEMENT_RU}))(?!\w)", re.I
        ),
    ),
    # "назвал эти заявления фейком".
    (
        "speech",
        re.compile(
            rf"(?<!\w)(?:{_SPEECH_RU})\s+(?P<claim>[^.;!?\n]{{1,90}}?)\s+{_DETERMINERS_RU}"
            rf"(?P<label>фейком|мифом|ложью|пропагандой|вбросом|дезинформацией|выдумкой|бредом|чушью|враньём|враньем|"
            rf"сказкой|сказками|фальшивкой|домыслами|уткой|фейками|мифами|вбросами|выдумками)(?!\w)",
            re.I,
        ),
    ),
]
_STATEMENT_SUBJECT = re.compile(
    rf"(?:(?<!\w)(?:{_STATEMENT_EN})(?!\w)[^.;!?]{{0,60}}$)|[\"“”«»„][^\"“”«»„]{{3,}}[\"“”«»„]\s*$|"
    r"(?<!\w)that\s+\w[^.;!?]{0,120}$|(?<!\w)(?:this|that|all\s+this|all\s+that)\s*$",
    re.I,
)
_QUOTED = re.compile(r"[\"“«„][^\"“”«»„\n]{3,}[\"”»“]")
_CLAUSE_START = re.compile(r"(?:^|[;:]\s|,\s(?:but|and|yet|while)\s|\bsaid\s+(?:that\s+)?)", re.I)


# A quotation this close before the label is the claim the label is put on ('"X" - this is a myth').
QUOTE_REACH = 40


def _claim_start(sentence: str, before: int) -> int:
    """Where the labelled claim starts: a quotation just before the label, else the clause start."""
    head = sentence[:before]
    quotes = [q for q in _QUOTED.finditer(head) if before - q.end() <= QUOTE_REACH]
    if quotes:
        return quotes[-1].start()
    starts = [m.end() for m in _CLAUSE_START.finditer(head)]
    return starts[-1] if starts else 0


def find_fake_labels(text: str, sentences: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Spans of ``text`` where a claim is labelled fake; one per sentence at most, in text order."""
    if sentences is None:
        sentences = [(0, len(text))]
    found: list[tuple[int, int]] = []
    for s, e in sentences:
        sentence = text[s:e]
        best: tuple[int, int] | None = None
        for kind, pattern in _PATTERNS:
            for m in pattern.finditer(sentence):
                group = "label" if m.group("label") is not None else "label2"
                label_start, label_end = m.span(group)
                if kind in ("weak_predicate", "weak_dash") and not _STATEMENT_SUBJECT.search(
                    sentence[: m.start()].rstrip(" ,")
                ) and not (kind == "weak_dash" and _clause_subject(sentence, m.start(), label_end)):
                    continue
                if kind in ("predicate", "weak_predicate", "weak_dash"):
                    start, end = _claim_start(sentence, m.start()), label_end
                elif kind == "content":
                    start, end = label_start, clause_end(sentence, m.end())
                elif kind == "it_that":
                    start, end = m.start(), clause_end(sentence, m.end())
                elif kind == "speech":
                    start, end = m.start("claim"), label_end
                else:
                    start, end = label_start, label_end
                span = _trim(sentence, start, end)
                if span[1] > span[0] and (best is None or span[1] - span[0] > best[1] - best[0]):
                    best = span
        if best is not None:
            found.append((s + best[0], s + best[1]))
    return found


# Where the sentence's own verb resumes after a labelled clause: "the myth that X | has been
# repeated", "the lie that X | spread quickly". A clause verb must come first ("the myth that the
# bridge has been sold" is one clause), and the word before the break must not belong to that verb
# ("has | been").
_MAIN_VERB = re.compile(
    r"\s(?:has|have|had|is|are|was|were|will|would|can|could|should|must|may|might|keeps?|kept|remains?|"
    r"remained|persists?|persisted|continues?|continued|spreads?|spread|circulates?|circulated|lives?\s+on|"
    r"lived\s+on|resurfaced|resurfaces|dominates?|dominated|gained|gains|took\s+hold|takes\s+hold)(?!\w)",
    re.I,
)
_CLAUSE_VERB = re.compile(
    r"(?<!\w)(?:has|have|had|is|are|was|were|will|would|can|could|should|must|may|might|do|does|did|not|never|"
    r"\w+n[’']t|\w{3,}ed|said|sold|made|went|came|lost|won|left|took|gave|paid|built|sent|fell|rose|became|"
    r"began|bought|brought|fought|held|led|met|ran|saw|spent|stood|told|thought|wrote|got|grew|knew|hid)(?!\w)",
    re.I,
)
_VERB_GROUP = re.compile(
    r"(?:has|have|had|is|are|was|were|will|would|can|could|should|must|may|might|do|does|did|not|never|been|be|"
    r"being|\w+ly|\w+n[’']t)$",
    re.I,
)
# Russian: a comma, then a word shaped like a finite verb ("..., что санкции не работают, повторяют
# годами"). A participle ("введённые") or a noun after the comma keeps the clause going.
_MAIN_VERB_RU = re.compile(
    r",\s+(?:(?:давно|годами|уже|до\s+сих\s+пор|снова|всё\s+ещё|все\s+еще)\s+)?"
    r"[а-яё]{2,}(?:ется|ются|ится|ятся|ет|ют|ит|ят|ут|ал|ала|ало|али|ил|ила|ило|или|ел|ела|ели|лся|лась|лись)(?!\w)",
    re.I,
)


# A clause after "that" that opens with a verb is a relative clause ("a hoax that said X was found
# dead", "that is a lie"): "that" is its subject, and no claim is stated in it.
RELATIVE_START = re.compile(
    r"\s*(?:has|have|had|is|are|was|were|will|would|can|could|may|might|should|must|do|does|did|said|says|"
    r"went|goes|claimed|claims|remains?|seems?|это|является|являются|(?-i:[a-z]\w*ed))(?!\w)",
    re.I,
)


def clause_end(sentence: str, start: int) -> int:
    """Where the clause that begins at ``start`` (after "that" / "что") ends in ``sentence``."""
    rest = sentence[start:]
    if RELATIVE_START.match(rest):
        return len(sentence)
    for m in _MAIN_VERB.finditer(rest):
        before = rest[: m.start()].rstrip(" ,")
        words = before.split()
        if len(words) >= 2 and _CLAUSE_VERB.search(before) and not _VERB_GROUP.search(words[-1]):
            return start + len(before)
    if ru := _MAIN_VERB_RU.search(rest):
        return start + ru.start()
    return len(sentence)


def _clause_subject(sentence: str, before: int, label_end: int) -> bool:
    """A headline's shape: a whole sentence that is a clause, a dash and the label ("Karavia is closing
    its port – fake"); not an aside closing a longer sentence ("He said the watch was a copy – a fake")."""
    if sentence[label_end:].strip(" .!?\"”»'") or _claim_start(sentence, before) != 0:
        return False
    return bool(FINITE_VERB.search(sentence[:before]))


def _trim(sentence: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (sentence[start].isspace() or sentence[start] in ",;:—–-"):
        start += 1
    while end > start and (sentence[end - 1].isspace() or sentence[end - 1] in ".,;:!?"):
        end -= 1
    return start, end
