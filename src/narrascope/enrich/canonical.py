"""Entity canonicalisation: one entity for every way the corpus writes the same name.

Spellings differ across outlets and scripts — transliterations ("Daniyar"/"Daniar", "Sultanbekov"/
"Султанбеков"), inflection ("Каравии" is "Каравия"), a surname for a full name, an acronym for its
expansion, "Byelo Gor" for "Byelogor". No table of names is involved; each merge comes from one of
these general rules, applied over all mentions with a union-find:

1. the same *phonetic key*: transliterated to ASCII, spelling variants of transliteration folded
   (y/i, kh/h, doubled letters, ...), spaces and hyphens dropped, final vowels (case endings) cut;
2. nearly the same key (rapidfuzz ratio), for longer names only;
3. a surname alone joins the full name with that surname: in its own article first, across the
   corpus when only one full name fits;
4. an acronym joins the name whose initials it spells, when exactly one name fits or the text
   defines it ("Northern Trade Council (NTC)");
and only between mentions whose types agree (a person never merges with a place), except that
a name tagged one way in most mentions absorbs the few mentions a model tagged otherwise.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz

from ..model import Entity, content_id

TYPE_GROUP = {"GPE": "place", "LOC": "place", "FAC": "place", "PERSON": "person", "ORG": "org"}
# A name tagged with one type in at least this share of its mentions takes the stragglers along.
MAJORITY_TYPE_SHARE = 0.75
# Keys this similar (0-100) are one name written twice; below 8 letters only exact keys merge,
# since short names differ by a letter ("Mali"/"Bali").
FUZZY_MIN_RATIO = 90
FUZZY_MIN_LENGTH = 8
_STOP = frozenset("the of and for de del la le du von van und и в по для".split())
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.I)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_ACRONYM = re.compile(r"^[A-ZА-ЯЁ]{2,6}$")
_DEFINED = re.compile(r"\s*\(\s*([A-ZА-ЯЁ]{2,6})\s*\)")
_FOLD = [
    (r"([a-z])\1+", r"\1"),
    (r"kh", "h"),
    (r"zh", "j"),
    (r"ts", "c"),
    (r"x", "ks"),
    (r"w", "v"),
    (r"ph", "f"),
    (r"ck", "k"),
    (r"y", "i"),
    (r"ii+", "i"),
    (r"ie", "e"),
    (r"yo|io", "e"),
]
_FOLD_RE = [(re.compile(a), b) for a, b in _FOLD]
_FINAL_VOWELS = re.compile(r"(?<=[a-z]{2})[aeiou]+$")


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


# Names repeat across a corpus far more than they vary: each spelling is cleaned and keyed once.
@lru_cache(maxsize=1 << 16)
def clean_name(text: str) -> str:
    name = " ".join(text.replace("\n", " ").split()).strip(" \"'“”«».,:;()")
    name = _LEADING.sub("", name)
    return _POSSESSIVE.sub("", name).strip()


@lru_cache(maxsize=1 << 16)
def phonetic_key(name: str) -> str:
    tokens = []
    for token in re.split(r"[\s\-‐–]+", anyascii(name).lower()):
        token = re.sub(r"[^a-z0-9]", "", token)
        for pattern, repl in _FOLD_RE:
            token = pattern.sub(repl, token)
        token = _FINAL_VOWELS.sub("", token)
        if token:
            tokens.append(token)
    return "".join(tokens)


def find_definitions(text: str, end: int) -> str | None:
    match = _DEFINED.match(text, end)
    return match.group(1) if match else None


class _Union:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def canonicalize(mentions: Iterable[MentionRef]) -> tuple[list[Entity], list[str]]:
    """Entities, and for each mention (in the order given) the id of its entity."""
    refs = list(mentions)
    names = [clean_name(m.normal or m.text) for m in refs]
    keys = [phonetic_key(n) for n in names]
    groups = _type_groups(refs, keys)
    # Nodes: distinct (type group, key); every mention points at one.
    node_of: dict[tuple[str, str], int] = {}
    mention_node = []
    for i in range(len(refs)):
        node_key = (groups[i], keys[i] or names[i].casefold())
        mention_node.append(node_of.setdefault(node_key, len(node_of)))
    nodes = list(node_of)
    uf = _Union()
    for n in range(len(nodes)):
        uf.find(n)
    _fuzzy(nodes, uf)
    _surnames(refs, names, groups, mention_node, nodes, uf)
    _acronyms(refs, names, groups, mention_node, nodes, uf)

    members: dict[int, list[int]] = defaultdict(list)
    for i, node in enumerate(mention_node):
        members[uf.find(node)].append(i)
    entities: list[Entity] = []
    entity_of_mention = [""] * len(refs)
    for root, idx in members.items():
        entity = _make_entity(root, idx, refs, names, nodes)
        entities.append(entity)
        for i in idx:
            entity_of_mention[i] = entity.id
    entities.sort(key=lambda e: (e.type, e.name))
    return entities, entity_of_mention


def _type_groups(refs: list[MentionRef], keys: list[str]) -> list[str]:
    """The type group each mention is matched in. Identical names tagged as a place by some
    mentions and an organisation by others are one group (a state acting is tagged either way);
    a group holding most of a name's mentions takes the stragglers a model tagged otherwise."""
    by_key: dict[str, Counter[str]] = defaultdict(Counter)
    for ref, key in zip(refs, keys, strict=True):
        by_key[key][_group(ref.label)] += 1
    out = []
    for ref, key in zip(refs, keys, strict=True):
        counts = by_key[key]
        pooled = counts
        own = _group(ref.label)
        if counts.get("place") and counts.get("org"):
            pooled = Counter()
            for group, n in counts.items():
                pooled["org" if group in _STATE_LIKE else group] += n
            own = "org" if own in _STATE_LIKE else own
        top, n = pooled.most_common(1)[0]
        out.append(top if n >= MAJORITY_TYPE_SHARE * sum(pooled.values()) else own)
    return out


def _group(label: str) -> str:
    return TYPE_GROUP.get(label, label)


_STATE_LIKE = frozenset({"place", "org"})
# Types whose full names are often shortened to their last word.
_SHORT_FORMS = frozenset({"person", "org"})


def _fuzzy(nodes: list[tuple[str, str]], uf: _Union) -> None:
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, (group, key) in enumerate(nodes):
        if len(key) >= FUZZY_MIN_LENGTH:
            blocks[(group, key[:2])].append(n)
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if fuzz.ratio(nodes[a][1], nodes[b][1]) >= FUZZY_MIN_RATIO:
                    uf.union(a, b)


def _surnames(refs, names, groups, mention_node, nodes, uf) -> None:
    """A one-word name joins the full name ending with it, same article first: a surname for a
    person ("Sultanbekov"), the distinctive last word for an organisation ("the Ledger")."""
    full_by_last: dict[tuple[str, str], set[int]] = defaultdict(set)
    full_in_article: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for i, ref in enumerate(refs):
        parts = re.split(r"\s+", names[i])
        if groups[i] in _SHORT_FORMS and len(parts) >= 2:
            last = phonetic_key(parts[-1])
            full_by_last[(groups[i], last)].add(mention_node[i])
            full_in_article[(groups[i], ref.article_id, last)].add(mention_node[i])
    for i, ref in enumerate(refs):
        if groups[i] not in _SHORT_FORMS or len(names[i].split()) != 1 or len(names[i]) < 4:
            continue
        key = phonetic_key(names[i])
        local = full_in_article.get((groups[i], ref.article_id, key), set())
        candidates = local or full_by_last.get((groups[i], key), set())
        if len({uf.find(n) for n in candidates}) == 1:
            uf.union(mention_node[i], next(iter(candidates)))


def _acronyms(refs, names, groups, mention_node, nodes, uf) -> None:
    """An acronym joins the name it abbreviates: defined in the text, or the only name that fits."""
    full_names: dict[int, str] = {}
    original: dict[int, str] = {}
    acronym_nodes: dict[str, set[int]] = defaultdict(set)
    acronym_forms: dict[str, str] = {}
    for i, ref in enumerate(refs):
        name = names[i]
        if _ACRONYM.match(name):
            acronym_nodes[anyascii(name).upper()].add(mention_node[i])
            acronym_forms.setdefault(anyascii(name).upper(), name)
        elif len(_significant(name)) >= 2:
            full_names[mention_node[i]] = anyascii(name)
            original[mention_node[i]] = name
        if ref.defines:
            acronym_nodes[anyascii(ref.defines).upper()].add(mention_node[i])
            acronym_forms.setdefault(anyascii(ref.defines).upper(), ref.defines)
    for acronym, acr_nodes in acronym_nodes.items():
        defined = {n for n in acr_nodes if n in full_names}
        script = _script(acronym_forms[acronym])
        targets = defined or {n for n, name in full_names.items()
                              if _script(original[n]) == script and abbreviates(acronym, name)}
        if len({uf.find(n) for n in targets}) == 1:
            target = next(iter(targets))
            for n in acr_nodes:
                uf.union(n, target)


def _script(text: str) -> str:
    """Latin or not: an acronym abbreviates a name written in its own script."""
    return "latin" if text.isascii() or anyascii(text) == text else "other"


def _significant(name: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in _STOP]


def abbreviates(acronym: str, name: str) -> bool:
    """True when each significant word of ``name`` gives the acronym its first letter and
    possibly more of its letters in order: "NTC" Northern Trade Council, "BL" Baltic Ledger, "KARSTAT" KARavian STATistics."""
    words = [w.upper() for w in _significant(name)]
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


def _make_entity(root: int, idx: list[int], refs, names, nodes) -> Entity:
    forms = Counter(names[i] for i in idx)
    labels = Counter(refs[i].label for i in idx)

    label = labels.most_common(1)[0][0]

    def preference(form: str) -> tuple:
        # A person is best named in full; anything else by its most used spelling; then the
        # Latin-script form, which most readers of an export can read.
        full = len(form.split()) > 1 if label == "PERSON" else not _ACRONYM.match(form)
        return (full, forms[form], form.isascii(), len(form))

    name = max(forms, key=preference)
    aliases = sorted({" ".join(refs[i].text.split()) for i in idx} | set(forms) - {name})
    group, _ = nodes[root]
    return Entity(content_id("entity", group, phonetic_key(name) or name.casefold()), name, label, aliases)
