"""Mappings and lists a page reads from the store only for what it touches.

A template asks ``view.articles[some_id]`` or ``dash.stories_by_size[:15]`` as it did of the
whole corpus in memory; these answer with a query for those ids or that page, remembered for the
rest of the request. Nothing here can list everything it stands for: a page that tried would be
a page that reads the whole store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

_ABSENT = object()


class LazyMap:
    """``key -> value`` fetched in batches by ``fetch(keys) -> {key: value}`` (keys it leaves
    out are not there); ``prime(keys)`` fetches many in one batch before a template asks one by one."""

    def __init__(self, fetch: Callable[[list], dict]) -> None:
        self._fetch = fetch
        self._known: dict = {}

    def prime(self, keys: Iterable) -> LazyMap:
        wanted = [k for k in dict.fromkeys(keys) if k not in self._known]
        if wanted:
            found = self._fetch(wanted)
            for k in wanted:
                self._known[k] = found.get(k, _ABSENT)
        return self

    def _value(self, key) -> Any:
        if key not in self._known:
            self.prime([key])
        return self._known[key]

    def __getitem__(self, key):
        value = self._value(key)
        if value is _ABSENT:
            raise KeyError(key)
        return value

    def get(self, key, default=None):
        if key is None or key == "":
            return default
        value = self._value(key)
        return default if value is _ABSENT else value

    def __contains__(self, key) -> bool:
        return self.get(key, _ABSENT) is not _ABSENT


class LazyList:
    """A sequence a page shows a slice of: ``len()`` is one count query, a slice one page query."""

    def __init__(self, count: Callable[[], int], page: Callable[[int, int], list]) -> None:
        self._count = count
        self._page = page
        self._len: int | None = None
        self._pages: dict[tuple[int, int], list] = {}

    def __len__(self) -> int:
        if self._len is None:
            self._len = self._count()
        return self._len

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.step not in (None, 1) or (index.start or 0) < 0 or (index.stop is not None and index.stop < 0):
                raise ValueError("a page of the list: a slice from a start to a stop, both 0 or more")
            start = index.start or 0
            stop = len(self) if index.stop is None else min(index.stop, len(self))
            if stop <= start:
                return []
            key = (start, stop)
            if key not in self._pages:
                self._pages[key] = self._page(stop - start, start)
            return self._pages[key]
        if index < 0:
            index += len(self)
        found = self[index : index + 1]
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self):
        raise TypeError("a LazyList is read a page at a time: take a slice")
