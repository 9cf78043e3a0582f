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
# What makes a copyright line the site's footer rather than a picture's credit ("© Jane Doe").
FOOTER_NOTICE = re.compile(
    r"(?:19|20)\d\d|all rights reserved|все права защищены|всі права захищені|alle rechte vorbehalten"
    r"|tous droits r[ée]serv[ée]s|derechos reservados|riproduzione riservata",
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
    rf"^\W*(?:discover more from|subscribe to|follow)\s+(?!(?:us|me|our|your|my|the|this|a|an)\b)"
    rf"(?P<site>{CAP_NAME})[\W\d]*$",
    re.I,
)
# What one subscribes to that is not a site ("Subscribe to RSS", "Subscribe to Blog Via Email").
SUBSCRIPTION = re.compile(
    r"\b(?:newsletters?|e-?mails?|rss|feeds?|updates|notifications|alerts|comments|posts|blog|podcasts?|push"
    r"|рассылк\w*|новостную рассылку)\b",
    re.I,
)
DOMAIN = re.compile(r"^\W*(?P<domain>(?:[a-z0-9-]+\.)+[a-z]{2,12})\W*$", re.I)
# The page's address on a line of its own, bare or labelled the way scrapers and export tools
# write it above the text ("URL: https://...", trafilatura's "url: ...", "URL Source: ..."). Not
# "Source: ...": under a relayed story that names the story's origin, not the page.
URL_LINE = re.compile(
    r"^\W*(?:(?P<label>url|page url|article url|source url|url source|permalink|canonical(?: url)?|canonical link"
    r"|адрес страницы|адрес статьи|ссылка на статью)\s*:\s*)?<?(?P<url>https?://[^\s<>\"]+)>?\s*$",
    re.I,
)
# The site's name labelled as such in such a header ("sitename: Example News", "hostname: ...").
SITE_LABEL = re.compile(
    r"^\W*(?:sitename|site name|site|hostname|publisher|publication|outlet|издание|видання)\s*:\s*(?P<site>\S.*)$",
    re.I,
)

# Words that name a kind of publication. A short capitalised line that ends with one is a
# masthead ("Eurasia News", "The Harbour Times"), and so is one that starts with one and ends in a
# number ("Channel 24"); a name alone ("Kommersant") is too like a section label to be told apart.
MEDIA_WORDS = frozenset(
    """news times post daily herald gazette tribune journal channel tv radio press agency media observer
    telegraph today weekly review courier chronicle mirror express insider standard monitor reporter online
    magazine network wire digest bulletin dispatch register newspaper newswire broadcasting television
    новости новини вести вісті газета правда известия ведомости канал тв радио радіо агентство медиа медіа
    журнал вестник вісник телеграф курьер кур'єр экспресс zeitung nachrichten rundschau anzeiger kurier
    tagblatt presse rundfunk fernsehen magazin quotidien hebdo actualités nouvelles télé noticias diario
    periódico prensa semanario televisión canal crónica heraldo gaceta""".split()
)
# ... unless a word of it makes it a section, a list label or a headline instead ("World News",
# "Latest News", "Press Release", "Fake News").
SECTION_WORDS = frozenset(
    """latest breaking top world local national international business sport sports tech technology science
    health politics political economy economic finance financial culture entertainment opinion opinions
    regional trending recent popular featured more other related all our your my live video videos photo
    photos fake good bad today's this week's main home release releases conference service office secretary
    freedom social free daily's weekly's last new this that these those about on in of for with""".split()
)
_MASTHEAD_WORD = re.compile(rf"(?:(?-i:[{_UPPER}])[\w&'’.-]*|\d{{1,4}})")
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
    # Only a first crumb shaped like a site's name: "Eurasia News - Central Asia - ..." names the
    # site, "Wellness / Fitness" or "Rentenpolitik | Blog" name sections.
    if domain := DOMAIN.match(first):
        return domain.group("domain").lower()
    return site_name(first) if is_masthead(first) else None


# "Collage <Name>" in a picture credit: a collage is made by the site that prints it ("... / Collage
# Channel 5 / Getty Images", "Коллаж: Example.ru"). Only the part between slashes is read.
# A credit also names the person who made the collage ("Collage by Anna Ivanova", "Коллаж: Иван
# Петров"): a name is a site's only when shaped like one (see _site_shaped); after "by", only an
# address is.
_COLLAGE = re.compile(r"^\W*(?:collage|коллаж|колаж)\b\s*(?P<by>by\b|:)?\s*(?P<name>.+?)\s*$", re.I)
# An acronym such as "UNIAN", "RBC", "ТАСС": a person's name is never written so.
_ACRONYM = re.compile(r"(?-i:[A-ZА-ЯЁЄІЇҐ][A-ZА-ЯЁЄІЇҐ0-9&.-]{1,7})")


def outlet_from_collage(text: str) -> str | None:
    """The site a picture credit says made its collage, or None (an agency or a person is no outlet)."""
    for part in re.split(r"\s/\s|\s\|\s|;\s", text):
        collage = _COLLAGE.match(part)
        if collage is None:
            continue
        name = collage.group("name").strip(" .,:;-–—©")
        shaped = DOMAIN.match(name) or (
            (collage.group("by") or "").casefold() != "by" and _site_shaped(name))
        if shaped and not CREDIT_ANYWHERE.search(name) and len(name.split()) <= 4:
            return site_name(name)
    return None


def _site_shaped(name: str) -> bool:
    """A name a site goes by, not a person's: it holds a word for a publication ("Coastal Herald",
    "Портовые новости"), a number ("Channel 5") or an acronym ("UNIAN"). Capitalised words and
    nothing else ("Jane Doe", "Иван Петров") are a person's name, the usual author of a collage."""
    # Russian names keep later words in lower case ("Портовые новости"); English ones do not.
    if not re.fullmatch(NAME if re.match(r"[А-ЯЁЄІЇҐ]", name) else CAP_NAME, name):
        return False
    words = [w.strip(".,«»\"'“”") for w in name.split()]
    if any(w.casefold() in MEDIA_WORDS or w.isdigit() for w in words):
        return True
    acronyms = [w for w in words if _ACRONYM.fullmatch(w)]
    # A shouted credit ("JANE DOE") is all acronym-like words: only one word alone is an acronym.
    return bool(acronyms) and (len(words) == 1 or len(acronyms) < len(words))


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


def is_masthead(text: str) -> bool:
    """A site's name on a line of its own: two to five capitalised words with a media word at the end
    ("Eurasia News", "EURASIA NEWS", "The Harbour Times"), or a media word and a number ("Channel 24").

    Where the line sits decides whether it is the site's (see the cleaner): a headline can look
    like this too ("Kazakhstan Bans Foreign Media").
    """
    words = text.strip(" \"'«»“”").split()
    if not 2 <= len(words) <= 5 or not all(_MASTHEAD_WORD.fullmatch(w) for w in words):
        return False
    lower = [w.casefold().strip(".") for w in words]
    if any(w in SECTION_WORDS for w in lower[1:] if w != "the") or lower[0] in SECTION_WORDS:
        return False
    if lower[-1] in MEDIA_WORDS:
        return not all(w in MEDIA_WORDS for w in lower)  # "News Radio" is a label, not a name
    return len(words) == 2 and lower[0] in MEDIA_WORDS and lower[1].isdigit()


# "Headline | Example News", "Headline - example.com": a page title with the site's name after it.
SITE_SUFFIX = re.compile(r"^(?P<head>.+)\s(?:\||[-–—]|::|•|·)\s+(?P<site>[^|–—•·]+?)\s*$")


def site_suffix(text: str, *, known: str | None = None) -> tuple[str, str, str] | None:
    """(headline, site, the cut-off end) when ``text`` ends with the site's name, else None.

    The end must be a domain, a masthead or the outlet already known: "Putin in Astana - Live
    Updates" keeps its end.
    """
    found = SITE_SUFFIX.match(text)
    if not found:
        return None
    head, site = found.group("head").strip(), found.group("site").strip()
    cut = text[len(found.group("head")) :].strip()
    if len(WORD.findall(head)) < 2:
        return None
    if domain := DOMAIN.match(site):
        return head, domain.group("domain").lower(), cut
    if is_masthead(site) or (known and site.casefold() == known.casefold()):
        return head, site_name(site), cut
    return None


def site_from_label(value: str) -> str | None:
    """The site named after a "sitename:" label: a short name or a domain, never a sentence."""
    value = value.strip()
    if domain := DOMAIN.match(value):
        return domain.group("domain").lower()
    if not 1 <= len(value.split()) <= 6 or _ends_sentence(value) or not WORD.search(value):
        return None
    return site_name(value)


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[.!?…;:]\W*$", text)) and not re.search(r"\b[A-Z][a-z]?\.$", text)


# A company's legal form after (or before) its name in a footer ("Example News LLC", "ООО «Новости»"):
# the outlet is the name. Only forms that are never part of a name ("Corporation" is, in "British
# Broadcasting Corporation").
LEGAL_FORM = re.compile(
    r"(?:^|(?<=[\s,]))(?:llc|l\.l\.c\.|ltd\.?|inc\.|plc|gmbh|jsc|ojsc|ооо|оао|зао|пао|ао|тоо|тов)(?=$|[\s,])",
    re.I,
)


def site_name(name: str) -> str:
    bare = " ".join(LEGAL_FORM.sub(" ", name.replace("«", " ").replace("»", " ")).split())
    name = bare.strip(" .,:;-–—\"'“”") or name  # a name that is all legal form ("Inc.") stays
    name = name.strip(" .,:;-–—«»\"'“”")
    letters = [c for c in name if c.isalpha()]
    # Shouted names ("THE DAILY EXAMPLE") read better in title case. One word alone is the site's
    # acronym or brand ("UNIAN", "TASS"): it keeps its case, as do the short words of a longer name
    # ("BBC NEWS" -> "BBC News", "RIA NOVOSTI" -> "RIA Novosti").
    words = name.split()
    if len(words) > 1 and len(letters) > 4 and all(c.isupper() for c in letters):
        name = " ".join(w if _kept_acronym(w) else w.title() for w in words)
    return name


_SMALL_WORDS = frozenset("the of and for a an in on at to by de du la le el и в на по за".split())


def _kept_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return 2 <= len(letters) <= 3 and word.casefold() not in _SMALL_WORDS


def author_name(name: str) -> str | None:
    name = re.split(r"\s*(?:[|,;]|\s[-–—]\s|\bfor\b|\bin\b)\s*", name.strip())[0].strip(" .:-–—")
    words = name.split()
    if not 1 <= len(words) <= 5 or not all(WORD.fullmatch(w.strip(".")) for w in words):
        return None
    if dateline(name) is not None:
        return None
    return name
