"""What the dashboard keeps between requests: the open store, its search index, the page cache.

Nothing of the corpus is read when the app starts: each request makes a
:class:`~.reading.Reading`, which queries the store for what its page shows, so a change to the
store is on the next page. Rendered pages are kept only while the store is unchanged, which is
known for a SQLite file (``PRAGMA data_version`` on a connection of our own, which changes with
every commit by any other connection); on a database URL there is no such signal, so no page is
kept. The search index (:mod:`.search`) is brought up to date in a thread of its own when the
store changes (on a database URL: at most every ``reload_seconds``); a search waits for it up to
``REFRESH_WAIT`` seconds, so on a small change it already finds the new articles.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from ..config import Settings
from ..store import SQLStore
from .reading import Appearance, Reading
from .search import SearchIndex

log = logging.getLogger("narrascope.web")


class Dashboard:
    REFRESH_WAIT = 2.0

    def __init__(self, db: str, settings: Settings, reload_seconds: float = 60.0) -> None:
        self.db = db
        self.settings = settings
        self.reload_seconds = reload_seconds
        self.store = SQLStore(db, create=False)  # never creates or adopts a database
        self._file = None if "://" in db else os.path.abspath(os.path.expanduser(db))
        self._version_db = None
        self._version_lock = threading.Lock()
        self._shared: dict = {}  # what readings of one version of the store share (see reading())
        self._shared_version: object = None
        if self._file is not None:
            self._version_db = sqlite3.connect(f"file:{quote(self._file)}?mode=ro", uri=True, check_same_thread=False)
        self.pages = PageCache(int(settings.web.page_cache_mb * 1024 * 1024))
        self.search = SearchIndex(search_index_path(db, settings.web.search_dir))
        self._stop = threading.Event()
        self._search_lock = threading.Lock()
        self._refreshing: threading.Thread | None = None
        self._search_seen: object = None
        self.refresh_search()  # in the background: the first page never waits for it

    # -- the store's version --------------------------------------------------------------------

    def version(self) -> object | None:
        """A value that changes whenever the store does; None when that cannot be known (a database URL)."""
        if self._version_db is None:
            return None
        with self._version_lock:
            try:
                return self._version_db.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                return None

    @contextmanager
    def reading(self, version: object | None = None) -> Iterator[Reading]:
        """One request's reading of the store: one read transaction, so one state of the store.

        With ``version`` (read before it began), the reading starts from what earlier readings of that
        version found of the store as a whole (:func:`.reading.shared`), and what it finds is kept
        for the next, unless the store changed meanwhile (then it may come from the newer state)."""
        with self._version_lock:
            known = self._shared if version is not None and self._shared_version == version else {}
        with self.store.reading() as store:
            dash = Reading(store, self.settings, known)
            yield dash
        if version is not None and dash.learned and version == self.version():
            with self._version_lock:
                if self._shared_version != version:
                    self._shared_version, self._shared = version, {}
                self._shared.update(dash.learned)

    def kept(self, key: str) -> bytes | None:
        """The page at ``key`` as rendered since the store last changed; None when there is none."""
        return self.pages.get(key, self.version())

    def keep(self, key: str, body: bytes, version: object | None) -> None:
        """Keep a page rendered from the store at ``version`` (read before rendering), unless the
        store has changed since: a page that may mix two states of the store is never kept."""
        if version is not None and version == self.version():
            self.pages.put(key, body, version)

    # -- the search index ---------------------------------------------------------------------

    def _search_version(self) -> object:
        version = self.version()
        return int(time.monotonic() // self.reload_seconds) if version is None else version

    def refresh_search(self) -> threading.Thread | None:
        """Start bringing the search index up to date unless it is, or is being; the thread doing it."""
        seen = self._search_version()
        with self._search_lock:
            if self._refreshing is None and seen != self._search_seen and not self._stop.is_set():
                self._refreshing = threading.Thread(target=self._refresh, args=(seen,), daemon=True,
                                                    name="narrascope-search-refresh")
                self._refreshing.start()
            return self._refreshing

    def search_index(self) -> tuple[SearchIndex, bool]:
        """The search index, brought up to date first when the store has changed (waiting up to
        ``REFRESH_WAIT``), and whether it is up to date (False: it is still being brought up)."""
        thread = self.refresh_search()
        if thread is not None:
            thread.join(self.REFRESH_WAIT)
        return self.search, self._refreshing is None and self._search_seen == self._search_version()

    def _refresh(self, seen: object) -> None:
        started = time.perf_counter()
        try:
            changes = self.search.refresh(self.store, self.settings.enrich.min_checkworthiness, self._stop)
            if not changes.stopped:
                self._search_seen = seen
            if changes.added or changes.dropped:
                log.info("search index: %d rows indexed, %d dropped in %.1f s", changes.added, changes.dropped,
                         time.perf_counter() - started)
        except Exception:
            log.exception("the search index could not be brought up to date; searches use it as it is")
            self._search_seen = seen  # retried on the next change, not on every request
        finally:
            with self._search_lock:
                self._refreshing = None
        if self._search_seen != self._search_version() and not self._stop.is_set():
            self.refresh_search()  # the store changed while we read it

    def close(self) -> None:
        """Stop a refresh under way and let go of the connections (the app's shutdown). A request
        after it opens them again (an app may be started more than once, as tests do)."""
        self._stop.set()
        thread = self._refreshing
        if thread is not None:
            thread.join(30)
        self._stop.clear()
        self.search.close_readers()
        self.store.close()


def search_index_path(db: str, folder: str = "") -> str:
    """Where the search index of the store ``db`` lives: a file named for the store's resolved
    path or URL in ``folder`` (default: the user's cache folder; a temporary one if that cannot be made)."""
    target = db if "://" in db else os.path.abspath(os.path.expanduser(db))
    name = f"search-{hashlib.sha256(target.encode()).hexdigest()[:24]}.db"
    candidates = [Path(folder).expanduser()] if folder else []
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    candidates += [Path(cache) / "narrascope", Path(tempfile.gettempdir()) / f"narrascope-{os.getuid()}"]
    for place in candidates:
        try:
            place.mkdir(parents=True, exist_ok=True)
            if os.access(place, os.W_OK):
                return str(place / name)
        except OSError:
            continue
    raise OSError(f"no folder for the search index: tried {', '.join(map(str, candidates))}")


class PageCache:
    """Rendered pages of one version of the store, least recently used dropped first.

    Bounded by the bytes it keeps, not by the number of pages: an article page is as large as
    the article, and a few hundred pages of one 7.5 MB article once took the server from 156 MB
    to 888 MB. A page larger than the whole bound is served but never kept. A page kept for
    another version of the store is never served: the first page of a new version empties it.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self.version: object = None
        self._pages: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: str, version: object = None) -> bytes | None:
        with self._lock:
            if version != self.version:
                return None
            body = self._pages.get(key)
            if body is not None:
                self._pages.move_to_end(key)
            return body

    def put(self, key: str, body: bytes, version: object = None) -> None:
        cost = len(body) + len(key)
        if cost > self.max_bytes:
            return
        with self._lock:
            if version != self.version:
                self._pages.clear()
                self.bytes = 0
                self.version = version
            old = self._pages.pop(key, None)
            if old is not None:
                self.bytes -= len(old) + len(key)
            self._pages[key] = body
            self.bytes += cost
            while self.bytes > self.max_bytes:
                dropped_key, dropped = self._pages.popitem(last=False)
                self.bytes -= len(dropped) + len(dropped_key)


__all__ = ["Appearance", "Dashboard", "PageCache", "search_index_path"]
