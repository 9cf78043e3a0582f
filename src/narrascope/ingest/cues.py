"""Cue phrases that mark a line as page furniture rather than article text.

These are the words sites put around an article in many languages (English, Russian,
Ukrainian, German, French, Spanish): prompts to share or subscribe, labels of related-headline
lists, credit prefixes, byline prefixes. They describe *kinds* of lines; no entry names a
particular site, person or article. Every pattern is matched against a whole short line or
anchored at its start or end, so a sentence that merely contains "share" or "related" is safe.

The functions at the end read one line with them: is it a breadcrumb, which outlet does a footer
or a crumb name, which person does a byline name. Where a line sits is the cleaner's business.
"""

from __future__ import annotations

import re

from .dates import dateline

WORD = re.compile(r"\w+(?:['’.-]\w+)*")


def _alternation(words: str) -> str:
    items = [w.strip() for w in words.split("|") if w.strip()]
    return "|".join(sorted(items, key=len, reverse=True))


# A capitalised name of at most four words: the site, section or topic a label points to
# ("More from Coastal Herald", "Latest news on Europe"). Capitalised, so "Popular anger at the
# port" or "Latest figures show a sharp rise" (subheadings) are not mistaken for labels.
_UPPER = 'A-ZÀ-ÖØ-ÞА-ЯЁЄІЇҐ0-9«"“'
NAME = rf"(?-i:[{_UPPER}])[\w.&'’-]*(?:\s+[\w.&'’»\"”-]+){{0,3}}"
# A name made of capitalised words only (joined by "of", "and"...): an outlet, never a phrase
# such as "our newsletter".
_CAP_WORD = rf"(?-i:[{_UPPER}])[\w.&'’»\"”-]*"
CAP_NAME = rf"{_CAP_WORD}(?:\s+(?:(?:of|the|and|for|de|du|la|и|і)\s+)?{_CAP_WORD}){{0,4}}"

# A line that *is* one of these (optionally with a count, colon, arrow or ellipsis) opens a
# list of other headlines: everything short that follows belongs to the page, not the article.
TAIL_LABELS = _alternation(
    """latest news|latest|latest stories|latest articles|more news|more stories|more from|more on this
    |more on this story|more on this topic|more in|related|related articles|related stories|related news
    |related posts|related content|related topics|related coverage
    |you may also like|you might also like|you may be interested|you may also be interested in|also read
    |read also|read more|see also|recommended|recommended for you|recommended stories|trending|trending now
    |trending stories|popular|popular now|most popular|most read|most viewed|top stories|top news|editor's picks
    |editors' picks|don't miss|must read|other news|news feed|further reading|in other news|what to read next
    |discover more from|more articles|similar articles|from the web|around the web|tags|topics|keywords
    |weitere artikel|mehr zum thema|mehr aus|das könnte sie auch interessieren|das könnte dich auch interessieren|ähnliche artikel|beliebt
    |meistgelesen|weitere nachrichten|aktuelle nachrichten|schlagwörter|themen|lesen sie auch|auch interessant
    |читайте также|читайте еще|смотрите также|другие новости|последние новости|новости по теме|по теме
    |популярное|самое читаемое|лента новостей|ещё по теме|еще по теме|рекомендуем|теги|новини|інші новини
    |останні новини|читайте також|à lire aussi|lire aussi|sur le même sujet|les plus lus|articles similaires
    |te puede interesar|noticias relacionadas|lo más leído|más noticias"""
)
# Labels that name where the list comes from right after them ("More from Politics").
_NAMED_LABELS = _alternation(
    "more from|more in|more on|discover more from|mehr aus|mehr von|plus de|más de|ещё из|еще из|більше з"
)
_LABEL_PREPOSITIONS = "from|on|in|about|aus|von|zu|zum|из|о|по|про|з|de|du|sur|en|sobre"
_LABEL_END = r"[\s:.\-–—»›>…|\d()]*"
# The label is the whole line: alone, or followed by "from/on/in NAME", then a count or punctuation.
TAIL_LINE = re.compile(
    rf"^\W*(?:(?:{TAIL_LABELS})(?:\s+(?:{_LABEL_PREPOSITIONS})\s+(?:the\s+)?{NAME})?"
    rf"|(?:{_NAMED_LABELS})\s+(?:the\s+)?{NAME}){_LABEL_END}$",
    re.I,
)

# A label with its items on the same line ("Tags: Harbour, Energy", "Filed under: Politics").
TAGS_LINE = re.compile(
    r"^\W*(?:tags|tagged|topics|keywords|filed under|posted in|categories|category|schlagwörter|schlagworte"
    r"|themen|stichwörter|kategorien?|теги|темы|теми|рубрика|mots-clés|étiquettes|etiquetas|temas)\s*:\s*\S",
    re.I,
)

# Once a comment section opens, nothing after it is the article.
COMMENTS_LINE = re.compile(
    r"^\W*(?:\d+\s+)?(?:leave a (?:comment|reply)|post a comment|add (?:a )?comment|join the (?:discussion|"
    r"conversation)|comments?|reader comments|show comments|kommentare?|kommentieren|schreibe einen kommentar"
    r"|комментарии|комментариев|коментарі|commentaires|comentarios)\b[\s:.(\d)]*$",
    re.I,
)

# A short line that starts with one of these is an instruction to the reader, not reporting.
# On a sentence the cue alone is not enough ("Advertisement spending fell..."): see READER.
PROMPT_START = re.compile(
    r"^\W*(?:share this|share on|subscribe|sign up|sign in|log ?in|follow us|join us|join our|click here|tap here"
    r"|download (?:our|the) app|get the app|continue reading|read more|read the full|keep reading|watch(?: the)? video"
    r"|copy link|back to top|skip to|advertisement|sponsored content|we use cookies|privacy policy"
    r"|terms of (?:use|service)|contact us|about us|all rights reserved|jetzt abonnieren"
    r"|anmelden|weiterlesen|mehr lesen|anzeige|werbung|impressum|datenschutz|kontakt|nach oben|zum inhalt"
    r"|поделиться|подписаться|подпишитесь|читать далее|читать полностью|реклама|войти|наверх|все права защищены"
    r"|поділитися|підписатися|partager|s'abonner|abonnez-vous|compartir|suscríbete|publicidad)\b",
    re.I,
)
# ... or ends with one ("Our interview with the minister: watch video").
PROMPT_END = re.compile(
    r"(?:watch(?: the)? video|read more|continue reading|see more|click here|subscribe|смотрите видео"
    r"|читать далее|подробнее|mehr lesen|weiterlesen|video ansehen)\W*$",
    re.I,
)


def _both_cases(words: str) -> str:
    items = words.split()
    return "|".join(sorted({*items, *(w[:1].upper() + w[1:] for w in items)}, key=len, reverse=True))


# Words that speak to the reader (or for the site): a sentence with a prompt cue is a prompt only
# when it addresses the reader this way. Case-sensitive so that "US" (the country) is not "us".
READER = re.compile(
    r"\b(?:"
    + _both_cases(
        "you your yours you're you'll we we're we'll our ours"
        " вы вас вам ваш ваша ваше ваши вашу вашего мы нас нам наш наша наше наши нашу нашего нашем"
        " ви вам ваш ваша ваше ваші ми нас нам наш наша наше наші"
        " uns unser unsere unseren unserem euch wir dich dir dein deine deinen deinem"
        " vous votre vos nous notre nos tu te tus usted ustedes nuestro nuestra nuestros nuestras"
    )
    + "|us)\\b"
)
# A copyright notice: "©", "(c) 2025" or "Copyright" followed by © or a year. "Copyright holders
# argued..." is a sentence about copyright, not a notice.
_NOTICE = r"©|\(c\)\s*(?:19|20)\d\d|copyright\s*(?:©|\(c\)|(?:19|20)\d\d)"
COPYRIGHT_START = re.compile(rf"^\W*(?:{_NOTICE})", re.I)
COPYRIGHT = re.compile(
    rf"(?:{_NOTICE}|all rights reserved|все права защищены|всі права захищені|alle rechte vorbehalten"
    r"|tous droits r[ée]serv[ée]s|(?:todos los )?derechos reservados|riproduzione riservata)",
    re.I,
)

# A line made of nothing but these words is a menu or a button row ("Share Tweet Email").
NAV_WORDS = frozenset(
    """home menu search share tweet email e-mail print video videos listen ad ads advertisement login log in
    register subscribe follow contact about more next previous prev back top close open comments comment reply
    like save copy link whatsapp facebook twitter telegram linkedin vk ok x instagram youtube rss
    teilen drucken suche anzeige kontakt mehr zurück weiter поиск меню поделиться реклама ещё еще назад далее
    вход войти""".split()
)

# Credits for pictures: a prefix ("Photo: ...") or a picture agency named in a short line.
CREDIT_START = re.compile(
    r"^\W*(?:photo|photos|photograph|image|images|picture|pic|illustration|illustrative|credit|credits|caption"
    r"|video|collage|source of (?:the )?(?:photo|image)|foto|fotos|bild|bildquelle|quelle|фото|фотография"
    r"|иллюстрация|скриншот|коллаж|кадр)\b\s*(?:[:/©|.\-–—]|by\b)|^\W*(?:copyright|bildrechte)\s*:",
    re.I,
)
CREDIT_ANYWHERE = re.compile(
    r"\b(?:getty images|shutterstock|istock(?:photo)?|depositphotos|unsplash|pixabay|ap photo|afp photo|"
    r"reuters/|/ ?reuters|epa-efe|dpa|imago|alamy|фото:|photo:|foto:)",
    re.I,
)
# ... or a capitalised name closing a caption after a spaced slash or "(c)" ("... near the river /
# Getty Images", "... in the hall (C) Jane Doe"). Before a slash the caption must be a phrase, so
# that crumbs such as "Home / World / Europe" stay crumbs (checked in the cleaner).
CREDIT_END = re.compile(rf"(?P<mark>\s/|\s?\(c\)|\s?©)\s*{NAME}\s*$", re.I)
# A cue used as a label: followed by a colon or a spaced dash ("ANZEIGE - ...", "Advertisement:").
LABEL_MARK = re.compile(r"\s*(?::|\s[-–—|]\s)")

# "By Jane Doe", "Written by ...", "Author: ...": the name follows the cue. "<word> author:" with
# a colon ("Article author: ...") is a byline too; without one it could start a sentence.
BYLINE = re.compile(
    r"^\W*(?:(?:by|written by|words by|story by|posted by|reported by|reporting by|report by|authors?"
    r"|text|von|autor(?:in)?|автор(?:ы)?|текст|підготував|підготувала|par|por)\b\s*[:\-–—]?"
    r"|\w+\s+(?:author|автор|autor)\s*:)\s*(?P<name>.+)$",
    re.I,
)

# The first segment of a breadcrumb names the site unless it is one of these.
GENERIC_CRUMBS = re.compile(
    r"^(?:home|homepage|main|main page|news|index|start|startseite|главная|главная страница|новости|головна"
    r"|accueil|inicio|portada)$",
    re.I,
)
BREADCRUMB_SEPARATORS = re.compile(r"\s+(?:»|›|>|\||/|::|→)\s+")
DASH_SEPARATORS = re.compile(r"\s+[-–—]\s+")
# "Discover more from X", "Subscribe to X": X is the site when it is a capitalised name. Not
# "More from X", which names a section of the site.
SITE_FROM = re.compile(
    rf"^\W*(?:discover more from|subscribe to|follow)\s+(?!(?:us|me)\b)(?P<site>{CAP_NAME})[\W\d]*$", re.I
)
DOMAIN = re.compile(r"^\W*(?P<domain>(?:[a-z0-9-]+\.)+[a-z]{2,12})\W*$", re.I)
BULLET = re.compile(r"^\s*(?:[-–—•·*▪►●◦]|\d{1,2}[.)])\s+")


# -- readings of one line -------------------------------------------------------------------


def only_nav_words(text: str) -> bool:
    words = [w.casefold() for w in WORD.findall(text)]
    return 0 < len(words) <= 6 and all(w in NAV_WORDS for w in words)


def is_breadcrumb(text: str) -> bool:
    parts = [p for p in BREADCRUMB_SEPARATORS.split(text) if p.strip()]
    if len(parts) >= 2 and (len(parts) > len(text.split()) / 6 or GENERIC_CRUMBS.match(parts[0].strip())):
        return True
    dashed = [p for p in DASH_SEPARATORS.split(text) if p.strip()]
    return len(dashed) >= 3 and all(len(p.split()) <= 6 for p in dashed)


def outlet_from_crumbs(text: str) -> str | None:
    parts = [p.strip() for p in BREADCRUMB_SEPARATORS.split(text) if p.strip()]
    if len(parts) < 2:
        parts = [p.strip() for p in DASH_SEPARATORS.split(text) if p.strip()]
    first = parts[0] if parts else ""
    if not first or GENERIC_CRUMBS.match(first) or len(first.split()) > 4:
        return None
    return site_name(first)


def outlet_from_copyright(text: str) -> str | None:
    name = COPYRIGHT.sub(" ", text)
    name = re.sub(r"\b\d{4}\b(?:\s*[-–]\s*\d{4})?", " ", name)
    # The name ends at the first separator; a period after a short capitalised word ("St.",
    # "Co.") is an abbreviation inside the name, not the end of it.
    name = re.split(r"(?<!\b[A-Z][a-z])(?<!\b[A-Z])\.\s|[|,;]\s|\s[-–—]\s", name.strip(" .,-"))[0]
    name = re.sub(r"^\W*(?:copyright|by)\b", "", name, flags=re.I).strip(" .,-–—")
    # A slash or a colon left in it means a credit or a label, not a name.
    if not name or len(name.split()) > 5 or not WORD.search(name) or re.search(r"[/:]", name):
        return None
    return site_name(name)


def site_name(name: str) -> str:
    name = name.strip(" .,:;-–—«»\"'")
    letters = [c for c in name if c.isalpha()]
    # Shouted names ("THE DAILY EXAMPLE") read better in title case; short acronyms stay as they are.
    if len(letters) > 4 and all(c.isupper() for c in letters):
        name = name.title()
    return name


def author_name(name: str) -> str | None:
    name = re.split(r"\s*(?:[|,;]|\s[-–—]\s|\bfor\b|\bin\b)\s*", name.strip())[0].strip(" .:-–—")
    words = name.split()
    if not 1 <= len(words) <= 5 or not all(WORD.fullmatch(w.strip(".")) for w in words):
        return None
    if dateline(name) is not None:
        return None
    return name
