"""Cue phrases that mark a line as page furniture rather than article text.

These are the words sites put around an article in many languages (English, Russian,
Ukrainian, German, French, Spanish): prompts to share or subscribe, labels of related-headline
lists, credit prefixes, byline prefixes. They describe *kinds* of lines; no entry names a
particular site, person or article. Every pattern is matched against a whole short line or
anchored at its start or end, so a sentence that merely contains "share" or "related" is safe.
"""

from __future__ import annotations

import re


def _alternation(words: str) -> str:
    items = [w.strip() for w in words.split("|") if w.strip()]
    return "|".join(sorted(items, key=len, reverse=True))


# A line that *is* one of these (optionally with a count, colon, arrow or ellipsis) opens a
# list of other headlines: everything short that follows belongs to the page, not the article.
TAIL_LABELS = _alternation(
    """latest news|latest|latest stories|latest articles|more news|more stories|more from|more on this
    |more in|related|related articles|related stories|related news|related posts|related content|related topics
    |you may also like|you might also like|you may be interested|you may also be interested in|also read
    |read also|read more|see also|recommended|recommended for you|recommended stories|trending|trending now
    |trending stories|popular|popular now|most popular|most read|most viewed|top stories|top news|editor's picks
    |editors' picks|don't miss|must read|other news|news feed|further reading|in other news|what to read next
    |discover more from|more articles|similar articles|from the web|around the web|tags|topics|keywords
    |weitere artikel|mehr zum thema|mehr aus|das könnte sie auch interessieren|ähnliche artikel|beliebt
    |meistgelesen|weitere nachrichten|aktuelle nachrichten|schlagwörter|themen|lesen sie auch|auch interessant
    |читайте также|читайте еще|смотрите также|другие новости|последние новости|новости по теме|по теме
    |популярное|самое читаемое|лента новостей|ещё по теме|еще по теме|рекомендуем|теги|новини|інші новини
    |останні новини|читайте також|à lire aussi|lire aussi|sur le même sujet|les plus lus|articles similaires
    |te puede interesar|noticias relacionadas|lo más leído|más noticias"""
)
TAIL_LINE = re.compile(rf"^\W*(?:{TAIL_LABELS})\b[\s:.\-–—»›>…\d()]*(?:[\w.&' -]{{0,40}})?$", re.I)

# Once a comment section opens, nothing after it is the article.
COMMENTS_LINE = re.compile(
    r"^\W*(?:\d+\s+)?(?:leave a (?:comment|reply)|post a comment|add (?:a )?comment|join the (?:discussion|"
    r"conversation)|comments?|reader comments|show comments|kommentare?|kommentieren|schreibe einen kommentar"
    r"|комментарии|комментариев|коментарі|commentaires|comentarios)\b[\s:.(\d)]*$",
    re.I,
)

# A short line that starts with one of these is an instruction to the reader, not reporting.
PROMPT_START = re.compile(
    r"^\W*(?:share this|share on|subscribe|sign up|sign in|log ?in|follow us|join us|join our|click here|tap here"
    r"|download (?:our|the) app|get the app|continue reading|read more|read the full|keep reading|watch(?: the)? video"
    r"|copy link|back to top|skip to|advertisement|sponsored content|we use cookies|privacy policy"
    r"|terms of (?:use|service)|contact us|about us|all rights reserved|copyright|©|jetzt abonnieren"
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
COPYRIGHT_START = re.compile(r"^\W*(?:©|copyright\b)", re.I)
COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright|all rights reserved|все права защищены|alle rechte vorbehalten)", re.I
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
    r"|video|source of (?:the )?(?:photo|image)|foto|fotos|bild|bildquelle|quelle|фото|фотография|иллюстрация"
    r"|скриншот|коллаж|кадр)\b\s*(?:[:/©|.\-–—]|by\b)",
    re.I,
)
CREDIT_ANYWHERE = re.compile(
    r"\b(?:getty images|shutterstock|istock(?:photo)?|depositphotos|unsplash|pixabay|ap photo|afp photo|"
    r"reuters/|/ ?reuters|epa-efe|dpa|imago|alamy|collage|коллаж|фото:|photo:|foto:)",
    re.I,
)

# "By Jane Doe", "Written by ...", "Author: ...": the name follows the cue.
BYLINE = re.compile(
    r"^\W*(?:by|written by|words by|story by|posted by|reported by|reporting by|report by|original author|authors?"
    r"|text|von|autor(?:in)?|автор(?:ы)?|текст|підготував|підготувала|par|por)\b\s*[:\-–—]?\s*(?P<name>.+)$",
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
SITE_FROM = re.compile(
    r"^\W*(?:discover more from|more from|subscribe to|follow)\s+(?P<site>.{2,60}?)\W*$", re.I
)
DOMAIN = re.compile(r"^\W*(?P<domain>(?:[a-z0-9-]+\.)+[a-z]{2,12})\W*$", re.I)
BULLET = re.compile(r"^\s*(?:[-–—•·*▪►●◦]|\d{1,2}[.)])\s+")
