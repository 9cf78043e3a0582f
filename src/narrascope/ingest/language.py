"""Language identification with py3langid, restricted to the languages the user works in.

Restricting the candidates matters: on short texts an unrestricted model drifts to related
languages (Russian read as Bulgarian or Macedonian, Kazakh in Cyrillic as Kyrgyz or Mongolian).
"""

from __future__ import annotations

from functools import lru_cache

# Language detection reads this many characters: a paragraph settles the language of a news
# article, and reading the whole text only adds time.
SAMPLE_CHARS = 1200


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]):
    import py3langid.langid as langid

    ident = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    known = set(ident.nb_classes)
    usable = [lang for lang in languages if lang in known]
    if usable:
        ident.set_languages(usable)
    return ident


def detect_language(text: str, languages: tuple[str, ...]) -> str | None:
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None
    lang, _prob = _identifier(languages).classify(sample)
    return lang
