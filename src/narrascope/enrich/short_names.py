"""Short names — a surname, a given name, "Wasserman Schultz", "the Ledger" — resolved mention by
mention to the full name they stand for.

A short name is read where it is written, never by itself across the corpus: "Obama" in an article
that names only "Malia Obama" and "Sasha Obama" is neither of them. It joins the one full name in
its own article whose surname (or given name, or last words) it is; failing that, the one full
name in its story (``stories_near``); otherwise it stays a name of its own. The title before it
narrows the choice: "Mr. Clinton" is not a person known as a woman, and "President Obama" prefers
a person called president elsewhere, even over another Obama named in the article itself.
A person's gender and offices are learnt from the titles of mentions that could only be them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .names import PersonName, Title

# A person is known as a man or a woman when at least this share of the gendered titles before
# their mentions agree (one "Mr." among three "Mrs." is a misread reference, not a change).
GENDER_SHARE = 2 / 3
# A one-word name tagged as a place or an organisation is read as a person's name when at least
# this share of its mentions sit next to a person it could name ("Sasha" beside "Sasha Obama";
# "Washington" is seldom beside a Washington).
PERSON_USE_SHARE = 0.5


@dataclass(slots=True)
class Short:
    """A short mention to resolve: its article, keys and title."""

    article: str
    tail: str  # key of the name without its suffix: "obama", "wassermanschulc"
    given: str  # given-name key when a lone word could be a first name ("hillary"), else ""
    suffix: str
    title: Title


@dataclass(slots=True)
class People:
    """Full person names per article, with what their titles say about each person."""

    by_article: dict[str, dict[tuple[str, str], set[tuple[int, str]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    genders: dict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    roles: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    story: dict[str, frozenset[str]] = field(default_factory=dict)
    given_of: dict[int, str] = field(default_factory=dict)
    _near: dict[tuple, tuple[frozenset[int], frozenset[int]]] = field(default_factory=dict)

    def add(self, article: str, person: int, name: PersonName, title: Title) -> None:
        index = self.by_article[article]
        for tail in name.tails:
            index[("tail", tail)].add((person, name.suffix))
        if name.given and not name.initial:
            index[("given", name.given)].add((person, name.suffix))
            self.given_of.setdefault(person, name.given)
        self.learn(person, title)

    def learn(self, person: int, title: Title) -> None:
        if title.gender:
            self.genders[person][title.gender] += 1
        if title.role:
            self.roles[person].add(title.role)

    def gender(self, person: int) -> str | None:
        votes = self.genders.get(person)
        if not votes:
            return None
        top, n = votes.most_common(1)[0]
        return top if n >= GENDER_SHARE * sum(votes.values()) else None

    def spread_given_names(self) -> None:
        """A person with no gendered title takes the gender that every other person with the
        same given name has ("Michelle" somewhere called Mrs.), when there is one."""
        by_given: dict[str, set[str]] = defaultdict(set)
        for person, given in self.given_of.items():
            if (g := self.gender(person)) is not None:
                by_given[given].add(g)
        for person, given in self.given_of.items():
            if person not in self.genders and len(by_given.get(given, ())) == 1:
                self.genders[person][next(iter(by_given[given]))] += 1

    def candidates(self, short: Short, articles) -> set[tuple[int, str]]:
        """People (with their suffix) in these articles whose surname or last words the short name
        is, or failing that whose given name it is."""
        surname, given = set(), set()
        for article in articles:
            index = self.by_article.get(article)
            if index:
                surname |= index.get(("tail", short.tail), set())
                if short.given:
                    given |= index.get(("given", short.given), set())
        return surname or given

    def fits(self, short: Short, person: int) -> bool:
        g = self.gender(person)
        return not (short.title.gender and g and g != short.title.gender)

    def near(self, short: Short) -> tuple[frozenset[int], frozenset[int]]:
        """The people a short name could be in its article, and in the rest of its story. A
        suffix must agree; a name without one ("Mr. Mueller") may stand for a suffixed name
        ("Robert S. Mueller III") only when nobody without a suffix fits in article or story."""
        key = (short.article, short.tail, short.given, short.suffix)
        if key not in self._near:
            here = self.candidates(short, (short.article,))
            around = self.candidates(short, self.story.get(short.article, ()))
            if short.suffix or any(not sx for _, sx in here | around):
                here = {(p, sx) for p, sx in here if sx == short.suffix}
                around = {(p, sx) for p, sx in around if sx == short.suffix}
            people_here = frozenset(p for p, _ in here)
            self._near[key] = (people_here, frozenset(p for p, _ in around) - people_here)
        return self._near[key]

    def resolve(self, short: Short) -> int | None:
        """The person a short mention names, or None when its article and story leave it open."""
        here, around = self.near(short)
        here = {p for p in here if self.fits(short, p)}
        around = {p for p in around if self.fits(short, p)}
        title = short.title
        if title.role:
            for pool in (here, around):
                match = {p for p in pool if title.role in self.roles.get(p, ())}
                if len(match) == 1:
                    return match.pop()
                if match:
                    break
        if title.gender:
            for pool in (here, around):
                match = {p for p in pool if self.gender(p) == title.gender}
                if len(match) == 1:
                    return match.pop()
                if match:
                    break
        if len(here) == 1:
            return next(iter(here))
        if not here and len(around) == 1:
            return next(iter(around))
        return None

    def learn_from(self, short: Short) -> None:
        """A titled short name that can only be one person teaches us that person's title."""
        if short.title.gender or short.title.role:
            here, around = self.near(short)
            if len(here | around) == 1:
                self.learn(next(iter(here | around)), short.title)
