"""The graph canonicalisation builds: every mention placed on a node (a name), nodes joined with a
union-find, each joined set becoming one entity."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .keys import fold
from .names import Title


class Union:
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


@dataclass(slots=True)
class Corpus:
    """Every mention's cleaned name, key, title and type group, and the nodes they are placed on."""

    refs: list[Any]  # canonical.MentionRef
    names: list[str]
    keys: list[str]
    titles: list[Title]
    groups: list[str]
    nodes: dict[tuple, int] = field(default_factory=dict)
    node_of: list[int | None] = field(default_factory=list)
    uf: Union = field(default_factory=Union)
    story_keys: list[str] = field(default_factory=list)  # each mention's key in the story bags

    def __post_init__(self) -> None:
        self.node_of = [None] * len(self.refs)

    def node(self, node_key: tuple) -> int:
        n = self.nodes.setdefault(node_key, len(self.nodes))
        self.uf.find(n)
        return n

    def place(self, i: int) -> int:
        """Put mention ``i`` on the node of its name (in its type group)."""
        self.node_of[i] = self.node(self.node_key(i))
        return self.node_of[i]

    def node_key(self, i: int) -> tuple[str, str]:
        group, name = self.groups[i], self.names[i]
        key = self.keys[i] or name.casefold()
        if group == "person":
            key = fold(name, cut_vowels=False) or key  # "Eric Smith" and "Erica Smith" are two people
        elif group == "NORP" and len(name) > 4 and name.endswith("s") and not name.endswith("ss"):
            key = fold(name[:-1])  # "Democrats" is the group "Democrat" names
        return group, key
