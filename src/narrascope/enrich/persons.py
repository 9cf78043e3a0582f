"""People: full names joined into persons, short names resolved to them mention by mention.

Full names join when ``names.same_person`` allows it, checked against every name already in the
person. Inside one article, a person name written inside a longer one is the same person: the
longer is a fuller form ("Debbie Wasserman Schultz" for "Wasserman Schultz") or a headline that
glued words to a name ("Bernie Sanders Meets"). Short names are resolved by ``short_names``.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .keys import phonetic_key
from .name_graph import Corpus
from .names import PersonName, given_key, is_suffix, parse_person, same_person
from .short_names import PERSON_USE_SHARE, People, Short

# English function words are never part of a person's name: a PERSON span holding one is a
# headline or a list the model read as one name ("Obama Will Meet With Sanders", "Comey &").
NOT_IN_NAMES = frozenset(
    "will with at to for from on in by after over into off up out is are was were has have had and or but vs "
    "says said than & +".split()
)


def place_people(corpus: Corpus) -> tuple[People, dict[int, Short], list[int]]:
    """Place every mention: full names on nodes (people joined), short person names set apart to
    be resolved, and the one-word names of other types listed (they may be short forms too)."""
    full: dict[int, PersonName] = {}
    shorts: dict[int, Short] = {}
    words: list[int] = []
    for i, name in enumerate(corpus.names):
        group = corpus.groups[i]
        if group != "person":
            corpus.place(i)
            if len(name.split()) == 1 and group != "NORP":
                words.append(i)
            continue
        parsed = parse_person(name)
        if parsed.given:
            corpus.place(i)
            if not NOT_IN_NAMES.intersection(w.lower() for w in name.split()):
                full[i] = parsed
        else:
            whole = phonetic_key(" ".join(t for t in name.split() if not is_suffix(t)))
            shorts[i] = short_of(corpus, i, whole, parsed.suffix)
    longer = _join_people(corpus, full)
    people = People()
    for i, parsed in full.items():
        # a longer form is no candidate of its own: its last words may be a headline's ("Glenn Beck CPAC")
        if corpus.node_of[i] not in longer:
            people.add(corpus.refs[i].article_id, corpus.uf.find(corpus.node_of[i]), parsed, corpus.titles[i])
    return people, shorts, words


def short_of(corpus: Corpus, i: int, tail: str, suffix: str) -> Short:
    name, title = corpus.names[i], corpus.titles[i]
    # a lone word may be a given name ("Hillary"), unless an honorific says it is a surname
    given = given_key(name) if len(name.split()) == 1 and not title.gender else ""
    return Short(corpus.refs[i].article_id, tail, given, suffix, title)


def _join_people(corpus: Corpus, full: dict[int, PersonName]) -> set[int]:
    """Join the full names of one person, closest pairs first, in an order that does not depend
    on the order of the mentions. Every name in the two persons must agree (so "J. Smith" cannot
    chain "John Smith" to "Jane Smith"); a longer form found around a name in an article adds no
    constraint of its own. Returns the nodes of those longer forms."""
    forms: dict[int, tuple[str, PersonName]] = {}
    for i, parsed in full.items():
        forms.setdefault(corpus.node_of[i], (corpus.names[i], parsed))
    longer = _containing(corpus, full)
    members: dict[int, list[PersonName]] = {n: [] if n in longer else [p] for n, (_, p) in forms.items()}
    for a, b in sorted(longer.items()):
        _union(corpus, members, a, b)
    by_surname: dict[str, list[int]] = defaultdict(list)
    for node, (_, parsed) in forms.items():
        by_surname[parsed.surname].append(node)
    pairs = []
    for nodes in by_surname.values():
        for a in nodes:
            for b in nodes:
                (na, pa), (nb, pb) = forms[a], forms[b]
                if na < nb and same_person(pa, pb):
                    pairs.append((pa.given != pb.given, pa.middle != pb.middle, na, nb, a, b))
    for *_, a, b in sorted(pairs):
        ra, rb = corpus.uf.find(a), corpus.uf.find(b)
        if ra != rb and all(same_person(x, y) for x in members[ra] for y in members[rb]):
            _union(corpus, members, ra, rb)
    return set(longer)


def _union(corpus: Corpus, members: dict[int, list[PersonName]], a: int, b: int) -> None:
    ra, rb = corpus.uf.find(a), corpus.uf.find(b)
    if ra != rb:
        corpus.uf.union(ra, rb)
        root = corpus.uf.find(ra)
        other = rb if root == ra else ra
        members[root] = members[root] + members.pop(other)


def _containing(corpus: Corpus, full: dict[int, PersonName]) -> dict[int, int]:
    """Per article, the person names written inside a longer one with the same suffix: the longer
    node, mapped to the node of the name inside it."""
    by_article: dict[str, list[tuple[tuple[str, ...], str, int]]] = defaultdict(list)
    for i, parsed in full.items():
        tokens = tuple(phonetic_key(t) for t in corpus.names[i].split() if not is_suffix(t))
        by_article[corpus.refs[i].article_id].append((tokens, parsed.suffix, corpus.node_of[i]))
    out: dict[int, int] = {}
    for names in by_article.values():
        for long_tokens, suffix, long_node in names:
            for tokens, other_suffix, node in names:
                n = len(tokens)
                if node != long_node and other_suffix == suffix and n < len(long_tokens) and any(
                    long_tokens[k : k + n] == tokens for k in range(len(long_tokens) - n + 1)
                ):
                    out.setdefault(long_node, node)
    return out


def resolve_short_names(corpus: Corpus, people: People, shorts: dict[int, Short], words: list[int]) -> None:
    """Person short names join the person they name in their article or story. A one-word name
    tagged as something else joins too when it is mostly used beside such a person ("Madina",
    "Sultanbekov"). Where most uses of a surname in an article carry a title that settles on one
    person, its untitled uses follow ("the Obama daughters" after "Mr. Obama" and "President Obama")."""
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in words:
        by_key[(corpus.groups[i], corpus.keys[i])].append(i)
    taken: set[int] = set()
    for members in by_key.values():
        found = {i: short_of(corpus, i, corpus.keys[i], "") for i in members}
        if sum(1 for s in found.values() if any(people.near(s))) >= PERSON_USE_SHARE * len(members):
            shorts.update(found)
            taken.update(members)
            for i in members:
                corpus.groups[i] = "person"
    words[:] = [i for i in words if i not in taken]
    for short in shorts.values():
        people.learn_from(short)
    people.spread_given_names()
    resolved: dict[int, int | None] = {}
    settled: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    untitled: Counter[tuple[str, str]] = Counter()
    for i, short in sorted(shorts.items()):
        if short.title.gender or short.title.role:
            resolved[i] = people.resolve(short)
            if resolved[i] is not None:
                settled[(short.article, short.tail)][resolved[i]] += 1
        else:
            untitled[(short.article, short.tail)] += 1
    for i, short in sorted(shorts.items()):
        if i in resolved:
            continue
        votes = settled.get((short.article, short.tail))
        if votes and len(votes) == 1 and sum(votes.values()) >= untitled[(short.article, short.tail)]:
            resolved[i] = next(iter(votes))
        else:
            resolved[i] = people.resolve(short)
    for i, short in shorts.items():
        person = resolved[i]
        if person is None:  # a name of its own, kept apart from namesakes with another title
            person = corpus.node(("person", short.tail or corpus.names[i].casefold(), short.suffix,
                                  short.title.gender or ""))
        corpus.node_of[i] = person
