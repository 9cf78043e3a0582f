"""Personal names the way a reader weighs them: given names, initials, surname, generational
suffix, and the title written before the name.

Entity canonicalisation asks two questions of person names and both are answered here. Can two
full names be one person? Not with different given names ("Barack"/"Michelle Obama"), different
middle initials ("George W."/"George H.W. Bush") or a generational suffix on one only ("Donald
Trump"/"Donald Trump Jr."); a nickname of the given name ("Dave"/"David"), an initial ("J.") or a
missing middle name are fine. What does the title before a mention say? An honorific or a kinship
word gives a gender ("Mr.", "Mrs.", "wife"), an office gives a role ("Sen.", "President").
No table of people is involved: only English titles, which are a closed class of words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz

from .keys import fold

MALE = frozenset(
    """mr mister sir lord king prince duke baron emperor congressman assemblyman councilman alderman
    spokesman businessman father son brother husband uncle nephew grandson grandfather boyfriend""".split()
)
FEMALE = frozenset(
    """mrs ms miss madam madame mme dame lady queen princess duchess baroness empress congresswoman
    assemblywoman councilwoman spokeswoman businesswoman chairwoman mother daughter sister wife aunt niece
    granddaughter grandmother girlfriend""".split()
)
# Offices and trades written before a name. Abbreviations map to the word they stand for, so
# "Sen. Sanders" and "Senator Sanders" carry the same role.
ROLE_ABBREVIATIONS = {
    "sen": "senator", "rep": "representative", "gov": "governor", "gen": "general", "col": "colonel",
    "capt": "captain", "sgt": "sergeant", "lt": "lieutenant", "prof": "professor", "dr": "doctor",
    "sec": "secretary", "amb": "ambassador", "pres": "president", "supt": "superintendent",
}
ROLES = frozenset(
    """president vice senator representative governor secretary minister prime ambassador mayor judge justice
    speaker leader chairman chair director general colonel captain sergeant lieutenant officer attorney
    commissioner chancellor pope sheikh ayatollah nominee candidate spokesperson adviser advisor aide host
    anchor columnist commentator economist analyst professor doctor coach founder ceo chief deputy sheriff
    congressman congresswoman reverend rabbi bishop cardinal premier president-elect""".split()
) | frozenset(ROLE_ABBREVIATIONS)
HONORIFICS = MALE | FEMALE | {"dr", "prof", "rev"}
TITLE_WORDS = MALE | FEMALE | ROLES | HONORIFICS
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
PARTICLES = frozenset("de del della der di da do dos du la le van von ter bin ibn al el st".split())
# Words looked at before a mention: "former Vice President" is three.
MAX_TITLE_WORDS = 3
# Honorifics that are also plain words ("did not miss Obama's speech") count only capitalised.
CAPITALISED_ONLY = frozenset({"miss", "sir", "lord", "dame"})
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z\-]*\.?)[ \t]*$")
# What a stretch inside a match of _WORD_BEFORE looks like (the end of a word, its full stop, the
# blanks after it): a match can begin before a stretch only if the stretch reads like this.
_WORD_BEFORE_PART = re.compile(r"[A-Za-z\-]*\.?[ \t]*\n?")
# How far back the word before a name is looked for first: longer than any title word.
_LOOK_BACK = 64
_INITIAL = re.compile(r"^(?:[A-Za-z]\.)+$|^[A-Z]$")


@dataclass(frozen=True, slots=True)
class Title:
    """What the words before a name say: a gender ("m"/"f") and an office, when they say it."""

    gender: str | None = None
    role: str | None = None


NO_TITLE = Title()


def find_title(text: str, start: int) -> str | None:
    """The run of title words right before ``start`` ("Vice President", "Mr.", "his wife"), or None."""
    words: list[str] = []
    end = start
    while len(words) < MAX_TITLE_WORDS:
        match = _word_before(text, end)
        if not match or not is_title_word(match.group(1)):
            break
        words.insert(0, match.group(1))
        end = match.start()
    return " ".join(words) or None


def _word_before(text: str, end: int) -> re.Match[str] | None:
    """``_WORD_BEFORE.search(text, 0, end)``, but reading only the last ``_LOOK_BACK`` characters
    when that settles it: searched from the start of the text, the regex tries every position
    before ``end``, which made this quadratic in the article's length (a mention near the end of a
    long article cost a scan of all of it, for every mention of the corpus)."""
    lo = max(0, end - _LOOK_BACK)
    match = _WORD_BEFORE.search(text, lo, end)
    if lo == 0:
        return match
    # A search from the start finds the same match unless the stretch from ``lo`` to where this
    # one begins (to ``end`` when there is none) could be inside a match that begins before
    # ``lo``: only in a word longer than the look-back, and then the whole text is read.
    if _WORD_BEFORE_PART.fullmatch(text, lo, end if match is None else match.start()):
        return _WORD_BEFORE.search(text, 0, end)
    return match


def _word(token: str) -> str:
    return token.lower().rstrip(".")


def is_title_word(token: str) -> bool:
    word = _word(token)
    return word in TITLE_WORDS and (word not in CAPITALISED_ONLY or token[:1].isupper())


def is_suffix(token: str) -> bool:
    return token.lower().strip(".,") in SUFFIXES


@lru_cache(maxsize=1 << 12)
def read_title(title: str | None) -> Title:
    if not title:
        return NO_TITLE
    words = [_word(w) for w in title.split()]
    gender = next(("m" if w in MALE else "f" for w in reversed(words) if w in MALE or w in FEMALE), None)
    roles = [ROLE_ABBREVIATIONS.get(w, w) for w in words if w in ROLES]
    return Title(gender, " ".join(roles) or None)


def split_title(name: str, abbreviated_only: bool = False) -> tuple[str | None, str]:
    """A title the model kept inside the span: "Sen. Tim Kaine". In a span not tagged as a person
    only an abbreviated title counts ("Mr. Cantor" tagged ORG), since "General Motors" is no general."""
    tokens = name.split()
    n = 0
    while (n < len(tokens) - 1 and is_title_word(tokens[n]) and tokens[n][:1].isupper()
           and (tokens[n].endswith(".") or not abbreviated_only)):
        n += 1
    if n and all(t[:1].isupper() for t in tokens[n:]):
        return " ".join(tokens[:n]), " ".join(tokens[n:])
    return None, name


@dataclass(frozen=True, slots=True)
class PersonName:
    given: str  # the first name's key, "" when the name has no given name ("de Léon")
    initial: bool  # the given name is only an initial
    middle: str  # initials of the middle names ("hw" for "George H.W. Bush")
    surname: str  # the last word's key
    suffix: str  # "jr", "iii", or ""
    tails: tuple[str, ...]  # keys of the name less its first words: "Trump", "Wasserman Schultz"


@lru_cache(maxsize=1 << 16)
def parse_person(name: str) -> PersonName:
    tokens = [t.strip(",") for t in name.split() if t.strip(",")]
    suffix = ""
    if len(tokens) > 1 and is_suffix(tokens[-1]):
        suffix = _word(tokens.pop())
    if not tokens:
        return PersonName("", False, "", "", suffix, ())
    tails = tuple(key(" ".join(tokens[i:])) for i in range(1, len(tokens)))
    if len(tokens) == 1 or tokens[0].lower() in PARTICLES:
        return PersonName("", False, "", key(tokens[-1]), suffix, tails)
    first, middle = tokens[0], tokens[1:-1]
    while middle and middle[-1].lower() in PARTICLES:
        middle = middle[:-1]
    initials = "".join(_initials(t) for t in middle)
    is_initial = bool(_INITIAL.match(first))
    given = _initials(first) if is_initial else given_key(first)
    return PersonName(given, is_initial, initials, key(tokens[-1]), suffix, tails)


def _initials(token: str) -> str:
    return "".join(part[0] for part in re.split(r"[.\-]", anyascii(token).lower()) if part)


def key(text: str) -> str:
    return fold(text, cut_vowels=True)


def given_key(text: str) -> str:
    """Given names keep their final vowel: "Eric" and "Erica" are two names."""
    return fold(text, cut_vowels=False)


def same_person(a: PersonName, b: PersonName) -> bool:
    """Whether two full names can name one person (their surnames already agree)."""
    if a.suffix != b.suffix or not a.given or not b.given:
        return False
    if a.middle and b.middle and not (a.middle.startswith(b.middle) or b.middle.startswith(a.middle)):
        return False
    return given_names_agree(a, b)


# Familiar forms of given names ("Jim" is James, "Dave" David, "Misha" Mikhail). A form with two
# full names ("Ted": Edward or Theodore) lists both. Only these count: a name that merely starts
# like another is not it ("Dan" is not "Danielle", "Max" not "Maxine", "Jo" not "John").
_FAMILIAR = {
    "jim": "james", "jimmy": "james", "jamie": "james", "bob": "robert", "bobby": "robert", "rob": "robert",
    "robbie": "robert", "bert": "robert albert herbert", "bill": "william", "billy": "william", "will": "william",
    "willie": "william", "dick": "richard", "rick": "richard", "ricky": "richard", "rich": "richard",
    "ted": "edward theodore", "ed": "edward", "eddie": "edward", "ned": "edward", "jack": "john", "johnny": "john",
    "chuck": "charles", "charlie": "charles", "hank": "henry", "harry": "henry harold", "peggy": "margaret",
    "maggie": "margaret", "meg": "margaret", "betty": "elizabeth", "liz": "elizabeth", "beth": "elizabeth",
    "betsy": "elizabeth", "tony": "anthony", "larry": "lawrence", "jerry": "gerald jerome", "mike": "michael",
    "mickey": "michael", "dave": "david", "davy": "david", "dan": "daniel", "danny": "daniel", "joe": "joseph",
    "joey": "joseph", "ron": "ronald", "ronnie": "ronald", "don": "donald", "donny": "donald", "sam": "samuel",
    "chris": "christopher", "tom": "thomas", "tommy": "thomas", "matt": "matthew", "nick": "nicholas",
    "pat": "patrick patricia", "steve": "stephen steven", "ben": "benjamin", "jon": "jonathan", "tim": "timothy",
    "al": "albert alan allan", "alex": "alexander", "greg": "gregory", "jeff": "jeffrey", "ken": "kenneth",
    "fred": "frederick", "andy": "andrew", "drew": "andrew", "phil": "philip phillip", "mitch": "mitchell",
    "nate": "nathan nathaniel", "zach": "zachary", "josh": "joshua", "jen": "jennifer", "jenny": "jennifer",
    "kate": "katherine catherine kathleen", "kathy": "katherine kathleen", "cathy": "catherine", "sue": "susan",
    "deb": "deborah", "debbie": "deborah", "abby": "abigail", "becky": "rebecca", "pam": "pamela",
    "vicky": "victoria", "gene": "eugene", "stan": "stanley", "vince": "vincent",
    "walt": "walter", "wally": "walter", "lou": "louis", "rudy": "rudolph",
    "sasha": "alexander aleksandr alexandra", "misha": "mikhail", "dima": "dmitry", "kolya": "nikolai",
    "volodya": "vladimir", "seryozha": "sergei", "zhenya": "yevgeny", "lyosha": "alexei",
}
FAMILIAR = {given_key(short): frozenset(given_key(full) for full in fulls.split())
            for short, fulls in _FAMILIAR.items()}


def given_names_agree(a: PersonName, b: PersonName) -> bool:
    if a.initial or b.initial:
        return a.given[:1] == b.given[:1]
    x, y = sorted((a.given, b.given), key=len)
    if x == y or y in FAMILIAR.get(x, ()) or x in FAMILIAR.get(y, ()):
        return True
    cut_x, cut_y = _cut(x), _cut(y)
    if cut_x == cut_y:
        return False  # a final vowel apart: "Eric"/"Erica", "Daniel"/"Daniela"
    # transliterations of one long name: "Aleksandr"/"Alexander"
    return len(x) >= 7 and fuzz.ratio(x, y) >= 90


def _cut(given: str) -> str:
    return re.sub(r"(?<=[a-z]{2})[aeiou]+$", "", given)
