"""Entity canonicalisation: one entity for every way the corpus writes the same name, and never one
entity for two.

Spellings differ across outlets and scripts — transliterations ("Daniyar"/"Daniar", "Sultanbekov"/
"Султанбеков"), inflection ("Каравии" is "Каравия"), a surname for a full name, an acronym for its
expansion. No table of names is involved; every merge comes from one of these general rules:

1. the same *key* (``keys``): one name spelled two ways, in any script; a group name in the plural
   is the same group ("Democrats"/"Democrat");
2. nearly the same key (rapidfuzz ratio), for longer names that are not people;
3. two full names of people are one person when their surnames agree and nothing tells them apart:
   no different given names, middle initials or generational suffix (``names``);
4. a short name — surname, given name, the last words of a name, "the Ledger" — is resolved
   mention by mention in its own article, then its story, and stays apart when either leaves it
   ambiguous (``short_names``); a one-word name that stands on its own elsewhere ("House",
   "State") is never read as a short form of a longer name ("White House", "Islamic State");
5. an acronym joins the name the text defines it for ("Northern Trade Council (NTC)"), or the one
   name of its own type whose initials spell it, or whose words give its letters beside it.

Mentions are matched within a type group, decided by a vote over all mentions of a name (a title
before a mention votes for a person); a group name (NORP) is not folded into the place or
organisation it is named after ("Karavian" is not "Karavia"). The result does not depend on
the order of the mentions.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from anyascii import anyascii
from rapidfuzz import fuzz

from ..model import Entity, content_id
from .keys import clean_name, phonetic_key
from .name_graph import Corpus
from .names import Title, find_title, parse_person, read_title, split_title
from .persons import place_people, resolve_short_names
from .stories_near import bags_of, neighbours

__all__ = ["MentionRef", "abbreviates", "canonicalize", "clean_name", "find_definitions", "find_title",
           "initials", "is_acronym", "phonetic_key", "read_names", "significant", "story_keys"]

TYPE_GROUP = {"GPE": "place", "LOC": "place", "FAC": "place", "PERSON": "person", "ORG": "org"}
# A title before a mention ("Karavian leader Daniar Sultanbekov") counts as this many votes for a
# person: the model's tag is one guess, a title is the text saying so, so one titled mention
# outweighs a few untitled ORG tags of the same name (`narrascope bench entities` measures it).
TITLE_VOTES = 3
# Keys this similar (0-100) are one name written twice; below 8 letters only exact keys merge,
# since short names differ by a letter ("Mali"/"Bali").
FUZZY_MIN_RATIO = 90
FUZZY_MIN_LENGTH = 8
_STOP = frozenset("the of and for de del la le du von van und и в по для".split())
_ACRONYM = re.compile(r"^[A-ZА-ЯЁ]{2,6}$")
_DOTTED = re.compile(r"^(?:[A-ZА-ЯЁ]\.){1,5}[A-ZА-ЯЁ]\.?$")  # "U.S.", "N.Y" (cleaning drops the last dot)
_DEFINED = re.compile(r"\s*\(\s*([A-ZА-ЯЁ]{2,6})\s*\)")
_STATE_LIKE = frozenset({"place", "org"})
_POSSESSIVE_INSIDE = re.compile(r"['’]s\s+")


@dataclass(frozen=True, slots=True)
class MentionRef:
    """A mention as canonicalisation sees it: where it is and how it is written."""

    article_id: str
    start: int
    end: int
    label: str
    text: str
    normal: str | None = None
    defines: str | None = None  # an acronym given in parentheses right after it
    title: str | None = None  # the title words right before it ("Vice President", "Mrs.")


def find_definitions(text: str, end: int) -> str | None:
    match = _DEFINED.match(text, end)
    return match.group(1) if match else None


def canonicalize(mentions: Iterable[MentionRef],
                 story: Mapping[str, frozenset[str]] | None = None) -> tuple[list[Entity], list[str]]:
    """Entities, and for each mention (in the order given) the id of its entity. ``story``: the
    articles around each article (default: found among these mentions' articles, ``stories_near``);
    a run over part of a corpus passes the neighbours found over all of it."""
    return canonicalize_corpus(read_names(mentions), story)


def canonicalize_corpus(corpus: Corpus, story: Mapping[str, frozenset[str]] | None = None
                        ) -> tuple[list[Entity], list[str]]:
    """:func:`canonicalize` over names already read (``read_names``); leaves each mention's story
    key in ``corpus.story_keys``."""
    people, shorts, words = place_people(corpus)
    _fuzzy(corpus)
    _acronyms(corpus)
    corpus.story_keys = [key for _, key in story_keys(corpus)]
    people.story = neighbours(bags_of(zip((r.article_id for r in corpus.refs), corpus.story_keys, strict=True))
                              ) if story is None else story
    resolve_short_names(corpus, people, shorts, words)
    _resolve_words(corpus, words)
    return _entities(corpus)


def read_names(mentions: Iterable[MentionRef]) -> Corpus:
    """Every mention's cleaned name, key, title and type group: the corpus the rules work on."""
    refs = list(mentions)
    names, titles = [], []
    for ref in refs:
        name = clean_name(ref.normal or ref.text)
        if ref.label == "PERSON":
            # the owner of a thing the model took for part of the name ("Mitt Romney’s Medicare")
            name = _POSSESSIVE_INSIDE.split(name)[0]
        # a title the model kept inside the span ("Sen. Tim Kaine", "Mr. Cantor" tagged ORG)
        inner = None
        if ref.label in ("PERSON", "ORG"):
            inner, name = split_title(name, abbreviated_only=ref.label == "ORG")
        names.append(name)
        titles.append(read_title(ref.title or inner))
    keys = [phonetic_key(n) for n in names]
    return Corpus(refs, names, keys, titles, _type_groups(refs, names, keys, titles))


def _type_groups(refs: list[MentionRef], names: list[str], keys: list[str], titles: list[Title]) -> list[str]:
    """The type group each mention is matched in: the group with most votes over every mention of
    its key (a place and an organisation pooled, since a state acting is tagged either way); a tie
    leaves each mention its own. A group name (NORP) joins the winner only when the winner's
    mentions write it the same way ("Byelogor" tagged NORP by mistake), not when the key merely
    folds together the group and its place ("Karavian"/"Karavia")."""
    by_key: dict[str, Counter[str]] = defaultdict(Counter)
    spelled: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for ref, name, key, title in zip(refs, names, keys, titles, strict=True):
        by_key[key][_group(ref.label)] += 1
        spelled[key].add((_group(ref.label), name.casefold()))
        if title.gender or title.role:
            by_key[key]["person"] += TITLE_VOTES
    out = []
    for ref, name, key in zip(refs, names, keys, strict=True):
        counts, own = by_key[key], _group(ref.label)
        pooled = bool(counts.get("place") and counts.get("org"))
        if pooled:
            merged: Counter[str] = Counter()
            for group, n in counts.items():
                merged["org" if group in _STATE_LIKE else group] += n
            counts, own = merged, ("org" if own in _STATE_LIKE else own)
        (top, n), (_, second), *_ = [*counts.most_common(2), ("", 0)]
        winner = top if n > second else own
        if own == "NORP" and winner != "NORP":
            same_spelling = any(g != "NORP" and form == name.casefold() for g, form in spelled[key])
            winner = winner if same_spelling else own
        out.append(winner)
    return out


def _group(label: str) -> str:
    return TYPE_GROUP.get(label, label)


def _fuzzy(corpus: Corpus) -> None:
    """Long keys a letter or two apart are one name, except people (``_join_people`` rules there)
    and names of a different number of words: "Kazakhstan NPP" is not a spelling of "Kazakhstan"."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for (group, key, *_), n in corpus.nodes.items():
        if len(key) >= FUZZY_MIN_LENGTH and group != "person":
            blocks[(group, key[:2])].append(n)
    keys = {n: k[1] for k, n in corpus.nodes.items()}
    words: dict[int, int] = {}
    for i, node in enumerate(corpus.node_of):
        if node is not None:
            words.setdefault(node, len(corpus.names[i].split()))
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if words.get(a) == words.get(b) and fuzz.ratio(keys[a], keys[b]) >= FUZZY_MIN_RATIO:
                    corpus.uf.union(a, b)


def _acronyms(corpus: Corpus) -> None:
    """An acronym joins the name it abbreviates: the name the text defines it for; else the only
    name of its own type whose initials spell it; else the only one in the acronym's own articles
    whose words give its letters in order ("KARSTAT", KARavian STATistics). The type is the one most
    of a name's mentions carry, so "NCAA" cannot become the place "North Carolina" nor "U.S." the
    organisation "U.S. Senate"; and letters taken from inside words are trusted only beside the
    acronym, since across a corpus "CNBC" fits "CoNgressional Black Caucus"."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for ref, key in zip(corpus.refs, corpus.keys, strict=True):
        votes[key][ref.label] += 1
    label = {key: max(c, key=lambda lab: (c[lab], lab)) for key, c in votes.items()}
    full_names: dict[int, tuple[str, str]] = {}
    articles: dict[int, set[str]] = defaultdict(set)
    acronym_nodes: dict[str, set[int]] = defaultdict(set)
    acronym_info: dict[str, tuple[str, str]] = {}
    for i, ref in enumerate(corpus.refs):
        node, name = corpus.node_of[i], corpus.names[i]
        if node is None:
            continue
        articles[node].add(ref.article_id)
        if _ACRONYM.match(name) or _DOTTED.match(name):
            acronym = anyascii(name.replace(".", "")).upper()
            acronym_nodes[acronym].add(node)
            acronym_info[acronym] = min(acronym_info.get(acronym, (name, label[corpus.keys[i]])),
                                        (name, label[corpus.keys[i]]))
        elif len(significant(name)) >= 2:
            full_names[node] = (name, label[corpus.keys[i]])
        if ref.defines:
            acronym = anyascii(ref.defines).upper()
            acronym_nodes[acronym].add(node)
            acronym_info[acronym] = min(acronym_info.get(acronym, (ref.defines, label[corpus.keys[i]])),
                                        (ref.defines, label[corpus.keys[i]]))
    # Each full name read once (not once per acronym: that was quadratic on a large corpus): by
    # type and script, with its initials, and the articles each appears in.
    fitting: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    by_initials: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    in_article: dict[str, set[int]] = defaultdict(set)
    for n, (name, kind) in full_names.items():
        ascii_name = anyascii(name)
        fitting[kind, _script(name)][n] = ascii_name
        by_initials[kind, _script(name), initials(ascii_name)].add(n)
        for aid in articles[n]:
            in_article[aid].add(n)
    for acronym, nodes in sorted(acronym_nodes.items()):
        form, kind = acronym_info[acronym]
        names = fitting.get((kind, _script(form)), {})
        beside = set().union(*(articles[n] for n in nodes))
        targets = ({n for n in nodes if n in full_names}
                   or set(by_initials.get((kind, _script(form), acronym), ()))
                   or {n for aid in beside for n in in_article.get(aid, ()) if n in names
                       and abbreviates(acronym, names[n])})
        if len({corpus.uf.find(n) for n in targets}) == 1:
            target = next(iter(targets))
            for n in nodes:
                corpus.uf.union(n, target)


def initials(name: str) -> str:
    return "".join(w[0] for w in significant(name)).upper()


def story_keys(corpus: Corpus):
    """(article, name key) of every mention, a person by surname: what tells stories apart."""
    for i, ref in enumerate(corpus.refs):
        if corpus.groups[i] == "person":
            yield ref.article_id, parse_person(corpus.names[i]).surname
        else:
            yield ref.article_id, corpus.keys[i]


def _resolve_words(corpus: Corpus, words: list[int]) -> None:
    """A one-word name that never stands alone — wherever it is used, a longer name that starts or
    ends with it came first in the article ("The Baltic Ledger" ... "the Ledger", "Randolph-Macon
    College" ... "Randolph-Macon") — joins that name in its article when only one fits. One that
    stands alone anywhere, or comes before the longer name ("Ferguson" before "Ferguson Police"),
    is a name of its own ("House" is not "White House")."""
    longer: dict[tuple[str, str, str], dict[int, int]] = defaultdict(dict)
    for i, ref in enumerate(corpus.refs):
        words_of = corpus.names[i].split()
        if corpus.node_of[i] is not None and len(words_of) > 1 and corpus.groups[i] != "person":
            for word in {words_of[0], words_of[-1]}:
                first = longer[(ref.article_id, corpus.groups[i], phonetic_key(word))]
                first[corpus.node_of[i]] = min(ref.start, first.get(corpus.node_of[i], ref.start))
    live = [i for i in words if corpus.groups[i] != "person"]

    def after(i: int) -> dict[int, int]:
        found = longer.get((corpus.refs[i].article_id, corpus.groups[i], corpus.keys[i]), {})
        return {node: start for node, start in found.items() if start <= corpus.refs[i].start}

    alone = {(corpus.groups[i], corpus.keys[i]) for i in live if not after(i)}
    for i in live:
        if (corpus.groups[i], corpus.keys[i]) not in alone:
            roots = {corpus.uf.find(n) for n in after(i)}
            if len(roots) == 1:
                corpus.node_of[i] = roots.pop()


def _script(text: str) -> str:
    """Latin or not: an acronym abbreviates a name written in its own script."""
    return "latin" if text.isascii() or anyascii(text) == text else "other"


def is_acronym(name: str) -> bool:
    return bool(_ACRONYM.match(name) or _DOTTED.match(name))


def significant(name: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in _STOP]


def abbreviates(acronym: str, name: str) -> bool:
    """True when each significant word of ``name`` gives the acronym its first letter and
    possibly more of its letters in order: "NTC" Northern Trade Council, "BL" Baltic Ledger, "KARSTAT" KARavian STATistics."""
    words = [w.upper() for w in significant(name)]
    if not 2 <= len(words) <= len(acronym):
        return False

    def fits(a: int, w: int) -> bool:
        if w == len(words):
            return a == len(acronym)
        word = words[w]
        if a >= len(acronym) or acronym[a] != word[0]:
            return False
        # this word may also give later letters of the acronym, in order
        pos, a_next = 1, a + 1
        while True:
            if fits(a_next, w + 1):
                return True
            if a_next >= len(acronym):
                return False
            pos = word.find(acronym[a_next], pos)
            if pos < 0:
                return False
            pos, a_next = pos + 1, a_next + 1

    return fits(0, 0)


def _entities(corpus: Corpus) -> tuple[list[Entity], list[str]]:
    members: dict[int, list[int]] = defaultdict(list)
    for i, node in enumerate(corpus.node_of):
        members[corpus.uf.find(node)].append(i)
    made = [_make_entity(corpus, idx) for idx in members.values()]
    # Ids come from the name; names kept apart under one spelling (a short name read two ways,
    # "Mr. Obama" and "Mrs. Obama") take their forms, titles and first mention into their ids.
    shared = Counter(entity.id for entity, _, _ in made)
    entities: list[Entity] = []
    entity_of_mention = [""] * len(corpus.refs)
    for entity, idx, extra in made:
        if shared[entity.id] > 1:
            entity = replace(entity, id=content_id("entity", entity.id, *extra))
        entities.append(entity)
        for i in idx:
            entity_of_mention[i] = entity.id
    entities.sort(key=lambda e: (e.type, e.name, e.id))
    return entities, entity_of_mention


def _make_entity(corpus: Corpus, idx: list[int]) -> tuple[Entity, list[int], list[str]]:
    refs, names = corpus.refs, corpus.names
    forms = Counter(names[i] for i in idx)
    # the type by vote over every mention, a title counting for a person
    labels: Counter[str] = Counter()
    for i in idx:
        # a mention read as a person votes for a person, whatever the model tagged ("Sasha" GPE)
        labels["PERSON" if corpus.groups[i] == "person" else refs[i].label] += 1
        if corpus.titles[i].gender or corpus.titles[i].role:
            labels["PERSON"] += TITLE_VOTES
    label = max(labels, key=lambda lab: (labels[lab], lab))

    def preference(form: str) -> tuple:
        # A person is best named in full; anything else by its most used spelling; then the
        # Latin-script form, which most readers of an export can read.
        full = len(form.split()) > 1 if label == "PERSON" else not _ACRONYM.match(form)
        return (full, forms[form], form.isascii(), len(form), form)

    name = max(forms, key=preference)
    defined = {refs[i].defines for i in idx if refs[i].defines}
    aliases = sorted({" ".join(refs[i].text.split()) for i in idx} | defined | set(forms) - {name})
    groups = Counter(corpus.groups[i] for i in idx)
    group = max(groups, key=lambda g: (groups[g], g))
    first = min((refs[i].article_id, refs[i].start) for i in idx)
    extra = [*sorted(forms), *sorted({corpus.titles[i].gender or "" for i in idx}), first[0], str(first[1])]
    entity_id = content_id("entity", group, phonetic_key(name) or name.casefold())
    return Entity(entity_id, name, label, aliases), idx, extra
