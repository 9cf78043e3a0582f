"""Features of a candidate span for the technique detector: cue-word counts, shape, context.

Cue lists are English and Russian and name kinds of words (emotive, fearful, patriotic, hedging,
causal...), never a topic, so they carry across subjects. Each list is matched once over the whole
text; a candidate then counts the matches inside its own span and inside its sentence, so scoring a
thousand overlapping candidates costs one regex pass per list, not one per candidate. Russian words
are written as stems followed by ``\\w*`` to cover their case endings.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

from .techniques_candidates import KINDS, Candidate


def _cue(words: str) -> re.Pattern[str]:
    """``words``: space-separated forms; ``_`` is a space; a trailing ``*`` takes any ending.

    The pattern is the alternation of the forms, longest first, between word edges. Forms are
    grouped by their first letter, keeping that order within a group: at a given position only
    the group of the letter there can match, so the matches are those of the plain alternation,
    but the regex engine tries a few dozen first letters there instead of every form (a third of
    the technique features' time went to trying them)."""
    groups: dict[str, list[str]] = {}
    for form in sorted(words.split(), key=len, reverse=True):
        body = form.rstrip("*")
        rest = re.escape(body[1:]).replace("_", r"\s+") + (r"\w*" if form.endswith("*") else "")
        groups.setdefault(body[0].lower(), []).append(rest)
    alternation = "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items())
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.I)


CUE_WORDS: dict[str, str] = {
    # Emotive, evaluative words: loaded language.
    "emotive": """outrag* disgrac* shame* shameful horrif* horribl* terribl* disgust* evil vicious brutal* savage*
        barbar* heinous atroci* appalling despicable monstr* sinister corrupt* crooked insane crazy ridicul*
        absurd* pathetic disastr* catastroph* devastat* shock* scandal* treacher* betray* hysteri* slaughter*
        massacre* destroy* destruct* annihilat* assault* crusade witch_hunt cruel* vile wicked nasty disgusting
        dishonest* hateful hate hatred sick* toxic* radical* extrem* fanatic* lunatic* thug* tyran* slaughter
        bloody bloodbath carnage plague* infest* poison* cancer* stunning* blatant* egregious* reckless* draconian
        нелеп* позор* чудовищ* ужас* варвар* преступн* кровав* циничн* цинизм* лжив* беспредел* подл* омерзит*
        мерзк* отврат* безумн* истери* провокац* агресс* зверск* бесчелов* катастроф* разруш* бандит*""",
    # Labels for people and groups: name-calling.
    "label": """idiot* moron* clown* traitor* puppet* terrorist* extremist* fascis* nazi* neo-nazi* communis* socialis*
        leftist* leftwing left-wing rightwing right-wing zealot* snowflake* globalist* regime* junta mob liar*
        crook* criminal* thief thieves gang* cabal* elite* establishment demagog* propagandist* radical* jihadi*
        islamist* hardliner* warmonger* apologist* stooge* henchm* cronies crony mouthpiece* so-called
        хунт* нацист* фашист* марионет* предател* террорист* экстремист* радикал* бандер* либерал* режим*
        пропагандист* русофоб* оккупант* каратель* бандит* клоун* лжец* вор* мошенник* подстилк* приспешник*""",
    # Intensifiers, absolutes and superlatives: exaggeration or minimisation.
    "intensity": """very extremely absolutely totally completely utterly entirely never always ever forever everyone
        everybody everything nobody nothing none all every entire whole biggest largest worst best greatest
        unprecedented massive huge enormous incredibl* unbelievabl* historic* tremendous* astonishing* record
        mere merely only just simply little tiny minor nearly_all countless endless infinite* literally
        очень абсолютн* полност* совершенн* никогда всегда навсегда все всё никто ничто ничего самы* крупнейш*
        беспрецедент* огромн* колоссальн* невероятн* грандиозн* гигантск* исторический всего лишь""",
    # Threats and danger: appeal to fear.
    "fear": """threat* danger* risk* fear* terror* attack* crisis crises catastroph* disaster* collapse* destroy*
        death* die dies dying kill* deadly invasion* invade* flood* epidemic* pandemic* chaos violen* war wars
        nuclear warn* imminent peril* menace* alarm* panic* horror* doom* hell victim* rape* murder* bomb*
        угроз* опасн* страх* боят* террор* катастроф* кризис* коллапс* смерт* гибел* погиб* войн* ядерн*
        хаос* насили* вторжен* уничтож* паник* жертв*""",
    # Nation, people, heritage: flag-waving.
    "flag": """nation nations national* patriot* country countrymen homeland motherland fatherland americans
        american_people flag* sovereign* independence heritage values freedom* liberty our_soldiers troops
        heroes heroic* enemies enemy traitors great_again god_bless our_people our_country our_nation
        citizens fellow* родин* отечеств* народ* патриот* суверен* независимост* национальн* держав* геро*
        предк* ценност* традиционн* соотечественник* наши наших нашей нашего нашим""",
    # Sources and experts: appeal to authority.
    "authority": """according_to expert* scientist* study studies research* professor* dr doctor* official officials
        report* said says told stated confirmed warned claimed insisted noted explained declared authorit*
        institute* university analyst* specialist* спикер по_словам по_мнению по_данным эксперт* учён* учен*
        исследован* профессор* заявил* сообщил* подтвердил* отметил* подчеркнул* пояснил* аналитик*
        специалист*""",
    # Turning the charge around: whataboutism, straw men, red herring.
    "whatabout": """what_about and_yet yet meanwhile whereas while hypocri* double_standard* at_the_same_time instead
        nobody_talks no_one_talks somehow conveniently ignor* same_people а_как_же а_что при_этом тем_временем
        двойн* лицемер* почему-то почему_же а_вот зато однако_же""",
    # Hedges that cast doubt on a person or claim.
    "doubt": """so-called alleged* supposed* purported* questionab* dubious* doubt* whether really actually
        credib* apparently seems seemingly claims claimed claiming suspicious* unclear mysterious* conveniently
        так_называемы* якобы сомнит* вряд_ли неужели разве на_самом_деле дескать мол подозрит* странн*""",
    # One cause for a complex outcome: causal oversimplification.
    "causal": """because because_of due_to caused cause causes causing result_of resulted led_to leads_to blame*
        responsible fault thanks_to if_only would_not_have would_still_be therefore thus consequence*
        из-за потому_что поскольку вин* привел* привело приводит благодаря в_результате причин* следствие*""",
    # Calling a claim false wholesale (see techniques_fake for the span-level rule).
    "fake": """fake* hoax* myth* lie lies lying propaganda disinformation misinformation fabricat* nonsense
        conspiracy_theor* фейк* миф* ложь лжи вброс* дезинформац* выдумк* бред* чушь* вранье* враньё*""",
    "we": "we us our ours ourselves мы нас нам нами наш наша наше наши",
    "you": "you your yours вы вас вам ваш ваша ваше ваши ты тебя",
    "negation": "not no never nobody nothing n't не нет никогда ни",
}
CUES: dict[str, re.Pattern[str]] = {name: _cue(words) for name, words in CUE_WORDS.items()}
_WORD = re.compile(r"\w+")
_CAPS = re.compile(r"\b[A-ZА-ЯЁ]{3,}\b")
_QUOTE_CHARS = '"“”«»„'
_QUOTE = re.compile(f"[{_QUOTE_CHARS}]")
_BANG = re.compile("!")
_ASK = re.compile(r"\?")

SHAPE_FEATURES = (
    "log_chars",
    "log_words",
    "share_of_sentence",
    "at_sentence_start",
    "at_sentence_end",
    "has_quote",
    "in_quotes",
    "caps_words",
    "exclamation",
    "question",
    "sentence_exclamation",
    "sentence_question",
    "title_line",
    "repeated_in_text",
)
HAND_FEATURES = (
    *(f"kind_{k}" for k in KINDS),
    *SHAPE_FEATURES,
    *(f"span_{c}" for c in CUES),
    *(f"sentence_{c}" for c in CUES),
)


def _repeats(text: str, candidates: Sequence[Candidate]) -> np.ndarray:
    r"""How often each candidate's words occur elsewhere in the text (repetition).

    An occurrence is the candidate's words as consecutive whole words of the text, whatever lies
    between them (the regex ``(?<!\w)w1\W+w2(?!\w)``, counted without overlaps), found through an
    index of the text's words: one pass over the text instead of one regex scan per candidate."""
    folded = text.casefold()
    tokens = _WORD.findall(folded)
    where: dict[str, list[int]] = {}
    for n, token in enumerate(tokens):
        where.setdefault(token, []).append(n)
    counts: dict[str, int] = {}
    out = np.zeros(len(candidates), dtype=np.float32)
    for i, c in enumerate(candidates):
        if c.kind == "sentence" or c.end - c.start > 80:
            continue  # long spans are never repeated verbatim; counting them costs time for nothing
        words = _WORD.findall(folded[c.start : c.end])
        key = " ".join(words)
        if len(key) < 4:
            continue
        if key not in counts:
            counts[key] = _occurrences(tokens, where.get(words[0], ()), words)
        out[i] = np.log1p(max(counts[key] - 1, 0))
    return out


def _occurrences(tokens: list[str], starts: Sequence[int], words: list[str]) -> int:
    found, free = 0, 0
    for n in starts:
        if n >= free and tokens[n : n + len(words)] == words:
            found, free = found + 1, n + len(words)
    return found


def hand_features(
    text: str, candidates: Sequence[Candidate], sentences: Sequence[tuple[int, int]]
) -> np.ndarray:
    """(n, len(HAND_FEATURES)) for ``candidates`` of ``text``; cue counts are per word so a long
    span does not score high merely for being long. Every column is computed for all candidates
    at once, from the sorted positions of what it counts."""
    out = np.zeros((len(candidates), len(HAND_FEATURES)), dtype=np.float32)
    if not candidates:
        return out
    n_kinds, n_shape, n_cues = len(KINDS), len(SHAPE_FEATURES), len(CUES)
    kind_index = {k: i for i, k in enumerate(KINDS)}
    start = np.array([c.start for c in candidates], dtype=np.int64)
    end = np.array([c.end for c in candidates], dtype=np.int64)
    bounds = np.array(sentences, dtype=np.int64)[[c.sentence for c in candidates]]
    s_start, s_end = bounds[:, 0], bounds[:, 1]
    tail_end = np.minimum(end + 2, len(text))

    def count(found: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.searchsorted(found, b) - np.searchsorted(found, a)

    words = _positions(_WORD, text)
    n_words = np.maximum(count(words, start, end), 1)
    n_sentence = np.maximum(count(words, s_start, s_end), 1)
    quotes = _positions(_QUOTE, text)
    bangs, asks = _positions(_BANG, text), _positions(_ASK, text)
    quote_at = np.zeros(len(text) + 1, dtype=bool)
    quote_at[quotes] = True
    before_quote = quote_at[np.maximum(start - 1, 0)] & (start > 0)
    first_line_end = text.find("\n") if "\n" in text else len(text)
    out[np.arange(len(candidates)), [kind_index[c.kind] for c in candidates]] = 1.0
    out[:, n_kinds : n_kinds + n_shape] = np.column_stack(
        (
            np.log1p(end - start),
            np.log1p(n_words),
            n_words / n_sentence,
            start <= s_start + 1,
            end >= s_end - 1,
            count(quotes, start, end) > 0,
            before_quote & quote_at[end] & (end < len(text)),
            np.minimum(count(_positions(_CAPS, text), start, end), 5) / 5,
            count(bangs, start, tail_end) > 0,
            count(asks, start, tail_end) > 0,
            count(bangs, s_start, s_end) > 0,
            count(asks, s_start, s_end) > 0,
            start < first_line_end,
            _repeats(text, candidates),
        )
    )
    base = n_kinds + n_shape
    for j, pattern in enumerate(CUES.values()):
        found = _positions(pattern, text)
        out[:, base + j] = count(found, start, end) / n_words
        out[:, base + n_cues + j] = count(found, s_start, s_end) / n_sentence
    return out


def _positions(pattern: re.Pattern[str], text: str) -> np.ndarray:
    """Sorted start offsets of ``pattern``'s matches in ``text``."""
    return np.fromiter((m.start() for m in pattern.finditer(text)), dtype=np.int64)


# -- vectors ------------------------------------------------------------------------------------
# A candidate is represented by the embeddings of its words (mean and element-wise max) and of its
# sentence. Embedding every candidate as a text would cost a thousand embedder calls per article;
# words repeat, so an article needs a few hundred short ones, and the embedder is multilingual, so
# a Russian word lands near its English translation.
WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def tokens(text: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Word starts, ends and casefolded forms."""
    found = [(m.start(), m.end(), m.group().casefold()) for m in WORD.finditer(text)]
    return (
        np.array([f[0] for f in found], dtype=np.int64),
        np.array([f[1] for f in found], dtype=np.int64),
        [f[2] for f in found],
    )


def word_vectors(forms: list[str], embedder) -> np.ndarray:
    """One embedding per token, embedding each distinct form once."""
    distinct = list(dict.fromkeys(forms))
    if not distinct:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    vectors = np.asarray(embedder.embed(distinct), dtype=np.float32)
    row = {form: i for i, form in enumerate(distinct)}
    return vectors[[row[f] for f in forms]]


def vector_features(
    candidates: Sequence[Candidate],
    starts: np.ndarray,
    ends: np.ndarray,
    vectors: np.ndarray,
    sentence_vectors: np.ndarray,
) -> np.ndarray:
    """(n, 3 * dim): mean and max of the candidate's word vectors, then its sentence's vector."""
    dim = sentence_vectors.shape[1]
    out = np.zeros((len(candidates), 3 * dim), dtype=np.float32)
    first = np.searchsorted(starts, [c.start for c in candidates], side="left")
    last = np.searchsorted(ends, [c.end for c in candidates], side="right")
    rows = np.flatnonzero(last > first)
    if len(rows):
        a, b = first[rows], last[rows]
        sums = _prefix_sums(vectors)
        out[rows, :dim] = (sums[b] - sums[a]) / (b - a)[:, None]
        out[rows, dim : 2 * dim] = _range_max(vectors, a, b)
    out[:, 2 * dim :] = sentence_vectors[[c.sentence for c in candidates]]
    return out


def _prefix_sums(vectors: np.ndarray) -> np.ndarray:
    """(n + 1, dim) float64 sums of the first 0, 1, ... n rows: ``np.cumsum(vectors, axis=0)``, row
    by row (the same additions in the same order), because numpy's cumulative sum down the rows of
    a wide matrix walks it column by column and takes twice as long."""
    sums = np.empty((len(vectors) + 1, vectors.shape[1]), dtype=np.float64)
    sums[0] = 0.0
    sums[1:] = vectors
    for i in range(1, len(sums)):
        np.add(sums[i - 1], sums[i], out=sums[i])
    return sums


def _range_max(vectors: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Element-wise max of ``vectors[first[i]:last[i]]`` for each i (every range non-empty), from a
    table of maxes over runs of 1, 2, 4... rows: two lookups a range, no loop over candidates."""
    lengths = last - first
    levels = [vectors]
    while 2 ** len(levels) <= lengths.max():
        prev, half = levels[-1], 2 ** (len(levels) - 1)
        levels.append(np.maximum(prev[:-half], prev[half:]))
    level = np.floor(np.log2(lengths)).astype(np.int64)
    out = np.empty((len(first), vectors.shape[1]), dtype=vectors.dtype)
    for k in np.unique(level):
        rows = np.flatnonzero(level == k)
        table = levels[k]
        out[rows] = np.maximum(table[first[rows]], table[last[rows] - 2**k])
    return out


def hashed_words(
    forms: list[str], starts: np.ndarray, ends: np.ndarray, candidates: Sequence[Candidate], buckets: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bag of words of each candidate, hashed into ``buckets``: (row, bucket, value) triples with
    each row's values on the unit sphere. crc32 keeps the buckets stable across runs and machines."""
    ids = np.array([zlib.crc32(f.encode("utf-8")) % buckets for f in forms], dtype=np.int64)
    first = np.searchsorted(starts, [c.start for c in candidates], side="left")
    last = np.searchsorted(ends, [c.end for c in candidates], side="right")
    lengths = np.maximum(last - first, 0)
    if not lengths.sum():
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    # every (candidate, bucket) of every candidate's words, made distinct in one sort
    row_of = np.repeat(np.arange(len(candidates)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    pairs = np.unique(row_of * buckets + ids[np.repeat(first, lengths) + offsets])
    rows, cols = pairs // buckets, pairs % buckets
    per_row = np.bincount(rows, minlength=len(candidates))
    return rows, cols, (1.0 / np.sqrt(per_row[rows])).astype(np.float32)
