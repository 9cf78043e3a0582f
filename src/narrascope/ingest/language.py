"""Language: identification with py3langid, and language names and tags read as ISO 639 codes.

Detection prefers the languages the user works in (``ingest.languages``) without being locked
into them: on short texts py3langid drifts to close relatives (two words of Russian read as
Bulgarian or Macedonian, Cyrillic Kazakh as Kyrgyz), so a configured language wins when it is
nearly as likely as the overall best; a text in a language nobody configured (Chinese, Greek)
still gets its own code instead of the least unlikely configured one.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Language detection reads this many characters: a paragraph settles the language of a news
# article, and reading the whole text only adds time.
SAMPLE_CHARS = 1200
# How many times likelier than the best configured language the overall best must be to win.
# 20 is the conventional bar for strong evidence (a Bayes factor of 20, log-odds of 3), and it
# fits the data: on 2- to 12-word snippets of Russian news (seeds and demo corpus) a relative
# beat Russian by at most 7.4x, while unconfigured languages in their own script win by 1e8 and
# more, and a paragraph of Bulgarian or Macedonian by over 2,000x. (py3langid scales its scores
# by the square root of the length, so these ratios stay comparable across lengths.)
PREFERENCE_MARGIN = 20.0

# Names a JSON export may give instead of a code (English and native spellings).
LANGUAGE_NAMES = {
    "arabic": "ar",
    "armenian": "hy",
    "azerbaijani": "az",
    "belarusian": "be",
    "bulgarian": "bg",
    "chinese": "zh",
    "czech": "cs",
    "danish": "da",
    "dutch": "nl",
    "english": "en",
    "estonian": "et",
    "finnish": "fi",
    "french": "fr",
    "georgian": "ka",
    "german": "de",
    "greek": "el",
    "hebrew": "he",
    "hindi": "hi",
    "hungarian": "hu",
    "italian": "it",
    "japanese": "ja",
    "kazakh": "kk",
    "korean": "ko",
    "kyrgyz": "ky",
    "latvian": "lv",
    "lithuanian": "lt",
    "mongolian": "mn",
    "norwegian": "no",
    "persian": "fa",
    "polish": "pl",
    "portuguese": "pt",
    "romanian": "ro",
    "russian": "ru",
    "serbian": "sr",
    "slovak": "sk",
    "spanish": "es",
    "swedish": "sv",
    "tajik": "tg",
    "turkish": "tr",
    "turkmen": "tk",
    "ukrainian": "uk",
    "uzbek": "uz",
    "deutsch": "de",
    "español": "es",
    "français": "fr",
    "italiano": "it",
    "polski": "pl",
    "русский": "ru",
    "українська": "uk",
    "қазақ": "kk",
    "қазақша": "kk",
    "türkçe": "tr",
}
# Three-letter ISO 639-2 codes of the languages above that have a two-letter code.
_ISO639_2 = {
    "eng": "en",
    "rus": "ru",
    "ukr": "uk",
    "kaz": "kk",
    "deu": "de",
    "ger": "de",
    "fra": "fr",
    "fre": "fr",
    "spa": "es",
    "ita": "it",
    "pol": "pl",
    "tur": "tr",
}
# A BCP 47 tag: the primary language subtag, then region or script subtags ("en-US", "sr_Latn").
_TAG = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*")


def language_code(value: str) -> str | None:
    """``value`` (a code, a tag or a language's name) as a code; None when it is none of these."""
    key = " ".join(value.split()).casefold()
    if key in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[key]
    match = _TAG.fullmatch(key)
    if match is None:
        return None
    return _ISO639_2.get(match.group(1), match.group(1))


@lru_cache(maxsize=1)
def _identifier():
    import py3langid.langid as langid

    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)


def detect_language(text: str, languages: tuple[str, ...]) -> str | None:
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None
    ranking = _identifier().rank(sample)  # every language, likeliest first
    best, best_p = ranking[0]
    preferred = set(languages)
    for lang, p in ranking:
        if lang in preferred:
            return lang if p * PREFERENCE_MARGIN >= best_p else best
    return best
