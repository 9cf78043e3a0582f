"""The ingest run: find files, read them into documents, extract (in parallel), deduplicate, store.

Documents, not files, flow through the run: files are read lazily here (reading and decoding
are cheap), each document goes to the engine's workers for extraction (the expensive part),
and results come back in order to be deduplicated and written in batches of
``ingest.batch_size`` articles, each one transaction. So a 500-record JSONL is spread over the
workers and several transactions, memory holds a window of documents rather than whole files,
and an interrupted run keeps every finished batch and nothing half written.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain

from ..config import Settings
from ..engine import Engine, default_engine
from ..errors import ConfigError, CorruptInput, InputError, StoreError
from ..model import Article
from ..store import SQLStore
from .decode import decode_bytes
from .dedup import MinHasher, earlier, find_duplicate, relink
from .extract import ExtractOptions, Prepared, prepare
from .language import language_code
from .outlets import OutletOptions, Sources, read_sources
from .raw import RawDoc, read_bytes
from .records import Columns, parse_columns
from .report import IngestReport, one_line
from .sources import InputFile, Skipped, discover, read_file
from .textclean import CleanOptions, repeated_lines

# Documents handed to the engine per task: enough to amortise the round trip to a worker.
CHUNKSIZE = 4


Progress = Callable[[int, int], None]  # (files done, files total)


@dataclass(frozen=True, slots=True)
class _Doc:
    raw: RawDoc
    opts: ExtractOptions
    repeated: frozenset[str]


@dataclass(frozen=True, slots=True)
class _FileDone:
    """Marks the end of one file's documents in the stream, for the progress count."""


def options_from(
    settings: Settings,
    *,
    outlet: str | None = None,
    language: str | None = None,
    sources: Sources | str | os.PathLike[str] | None = None,
    outlet_from_folder: bool = False,
) -> ExtractOptions:
    """The extraction options of a run; a bad ``--language`` or sources file raises ConfigError."""
    ing = settings.ingest
    if language is not None:
        code = language_code(language)
        if code is None:
            raise ConfigError(f"--language {language!r} is not a language code (such as en, ru, kk)")
        language = code
    if sources is not None and not isinstance(sources, Sources):
        sources = read_sources(sources)
    outlets = OutletOptions(" ".join((outlet or "").split()) or None, sources, outlet_from_folder)
    clean = CleanOptions(**ing.clean.to_dict())
    hasher = MinHasher(num_perm=ing.dedup.num_perm, bands=ing.dedup.bands, shingle=ing.dedup.shingle)
    return ExtractOptions(
        languages=tuple(ing.languages), clean=clean, hasher=hasher, outlets=outlets, language=language
    )


def ingest_paths(
    paths: Sequence[str],
    store: SQLStore,
    settings: Settings,
    *,
    outlet: str | None = None,
    language: str | None = None,
    sources: Sources | str | os.PathLike[str] | None = None,
    outlet_from_folder: bool = False,
    columns: Columns | str | None = None,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest ``paths``. Bad inputs, and a store failing mid-run, end up on the report, not raised.

    ``outlet`` names the outlet of every article; ``sources`` (a CSV of pattern,outlet rows, or
    the :class:`Sources` read from one) names them by path or domain; ``outlet_from_folder``
    takes the name of each file's folder. ``columns`` (``{"text": "body"}``, or the
    ``text=body,outlet=site`` of ``--columns``) names the key or column a record's fields are read
    from. A bad ``language``, sources file or ``columns`` raises
    :class:`~narrascope.errors.ConfigError` before anything is read.
    """
    if isinstance(columns, str):
        columns = parse_columns(columns)
    ing = settings.ingest
    opts = options_from(
        settings, outlet=outlet, language=language, sources=sources, outlet_from_folder=outlet_from_folder
    )
    max_bytes = int(ing.max_article_mb * 2**20)
    report = IngestReport()
    files: list[InputFile] = []
    for item in discover(paths):
        if isinstance(item, InputError):
            report.errors.append(item)
        elif isinstance(item, Skipped):
            report.skipped.append(item)
        else:
            files.append(item)
    report.files = len(files)
    repeated = _repeated_by_group(files, opts.clean, max_bytes)
    window = _Window(max(64, 8 * CHUNKSIZE * (engine.workers if engine else ing.workers)))
    items: Iterator[_Doc | InputError | _FileDone] = _documents(
        files, opts, max_bytes, repeated, window, columns or None
    )
    if engine is None:
        engine, items = _choose_engine(items, ing.workers, ing.parallel_min_documents)
    results = engine.map(_extract, items, chunksize=CHUNKSIZE)
    store_batch = _BatchWriter(store, opts.hasher, ing.dedup.near_threshold, report)
    batch: list[Prepared] = []
    done = 0
    try:
        for result in results:
            window.consumed()
            if isinstance(result, _FileDone):
                done += 1
                if progress:
                    progress(done, len(files))
            elif isinstance(result, InputError):
                report.errors.append(result)
            else:
                batch.append(result)
                if len(batch) >= ing.batch_size:
                    store_batch(batch)
                    batch = []
        if batch:
            store_batch(batch)
    except StoreError as exc:
        report.fatal = exc
    finally:
        window.close()  # first: a pool's feeder thread may be waiting in it
        getattr(results, "close", lambda: None)()  # stops the pool on an early exit
    return report


def _documents(
    files: list[InputFile],
    opts: ExtractOptions,
    max_bytes: int,
    repeated: dict[str, frozenset[str]],
    window: _Window,
    columns: Columns | None = None,
) -> Iterator[_Doc | InputError | _FileDone]:
    """Every file's documents and errors, then its end mark, read as the workers need them."""
    for file in files:
        group = repeated.get(file.group, frozenset())
        try:
            for item in read_file(file, max_bytes=max_bytes, columns=columns):
                if not window.admit():
                    return
                yield item if isinstance(item, InputError) else _Doc(item, opts, group)
        except Exception as exc:  # a reader's own bug on a strange file must not stop the others
            if not window.admit():
                return
            yield CorruptInput(f"could not be read ({_describe(exc)})", source=str(file.path))
        if not window.admit():
            return
        yield _FileDone()


def _extract(item: _Doc | InputError | _FileDone) -> Prepared | InputError | _FileDone:
    """Runs on a worker: a document becomes an article; errors and marks pass through."""
    if not isinstance(item, _Doc):
        return item
    try:
        return prepare(item.raw, item.opts, item.repeated)
    except Exception as exc:  # an extractor's bug on one page must not stop the run
        return CorruptInput(f"could not be read ({_describe(exc)})", source=item.raw.source)


def _describe(exc: Exception) -> str:
    detail = str(exc).splitlines()[0] if str(exc) else "no detail"
    return f"{type(exc).__name__}: {detail}"


def _choose_engine(
    items: Iterator[_Doc | InputError | _FileDone], workers: int, min_documents: int
) -> tuple[Engine, Iterator[_Doc | InputError | _FileDone]]:
    """A process pool only when there are enough documents to pay for starting one.

    The count is of documents, not files (one JSONL file may hold thousands), so the first
    ``min_documents`` are read ahead to see whether there are that many.
    """
    head: list[_Doc | InputError | _FileDone] = []
    docs = 0
    for item in items:
        head.append(item)
        docs += isinstance(item, _Doc)
        if docs >= min_documents:
            break
    return default_engine(workers, docs, min_documents), chain(head, items)


class _Window:
    """Keeps the reader at most ``size`` documents ahead of the results taken.

    A process pool pulls its input from a thread of its own, as fast as it can: without this
    it would read every file into its queue while the workers are still on the first ones.
    The reader never waits in the thread that takes the results (a serial engine reads there,
    one document at a time), so it cannot wait on itself.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.ahead = 0
        self.closed = False
        self.consumer = threading.get_ident()
        self.cond = threading.Condition()

    def admit(self) -> bool:
        """Wait for room for one more item; False when the run is over and reading should stop."""
        with self.cond:
            if threading.get_ident() != self.consumer:
                self.cond.wait_for(lambda: self.closed or self.ahead < self.size)
            self.ahead += 1
            return not self.closed

    def consumed(self) -> None:
        with self.cond:
            self.ahead -= 1
            self.cond.notify()

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()


def _repeated_by_group(
    files: Iterable[InputFile], clean: CleanOptions, max_bytes: int
) -> dict[str, frozenset[str]]:
    """Per folder, the furniture lines its plain-text files share (see TextCleaner)."""
    groups: dict[str, list[InputFile]] = defaultdict(list)
    for f in files:
        if f.format == "text":
            groups[f.group].append(f)
    out = {}
    for group, members in groups.items():
        if len(members) >= clean.repeat_min_files:
            out[group] = repeated_lines(_texts(members, max_bytes), clean.repeat_min_files, clean)
    return out


def _texts(files: Iterable[InputFile], max_bytes: int) -> Iterator[str]:
    for f in files:
        try:
            data = read_bytes(f.path, max_bytes + 1)
            if len(data) <= max_bytes:
                yield decode_bytes(data).text
        except (OSError, InputError):
            continue  # the real read reports it


def _same_place(a: str | None, b: str | None) -> bool:
    """Whether two articles' paths name the same file (or the same record of one file)."""
    if not a or not b:
        return False
    return a == b or os.path.abspath(a) == os.path.abspath(b)


class _BatchWriter:
    """Writes batches of extracted articles, each one transaction, and counts what happened."""

    def __init__(self, store: SQLStore, hasher: MinHasher, threshold: float, report: IngestReport) -> None:
        self.store, self.hasher, self.threshold, self.report = store, hasher, threshold, report
        self.added: dict[str, Article] = {}  # this run's articles, kept in step when re-linked

    def __call__(self, batch: list[Prepared]) -> None:
        added: list[Article] = []
        counts = {"unchanged": 0, "updated": 0, "relinked": 0}
        with self.store.transaction():
            for item in batch:
                keys = self.hasher.band_keys(item.minhash)
                stored = self._stored(item)
                if stored is not None or not self.store.add_article(
                    item.article, minhash=item.minhash, band_keys=keys
                ):
                    changed = self._restated(item, stored)
                    if changed:
                        self.store.update_article(item.article, minhash=item.minhash, band_keys=keys)
                    counts["updated" if changed else "unchanged"] += 1
                    continue
                counts["relinked"] += self._link(item)
                added.append(item.article)
                self.added[item.article.id] = item.article
        # Counted only once the transaction has committed.
        self.report.added.extend(added)
        self.report.unchanged += counts["unchanged"]
        self.report.updated += counts["updated"]
        self.report.relinked += counts["relinked"]
        self.report.warnings.extend(
            one_line(InputError(w, source=item.source)) for item in batch for w in item.warnings
        )

    def _stored(self, item: Prepared) -> Article | None:
        """The stored reading of this document, when one is stored under another id.

        The id holds the outlet the input states or the user gives, so that one text published by
        two outlets is two articles. The same file at the same place, read again with an outlet
        given for the first time (or another one, or none), is still the same article: it is
        found by its path and content and updated in place, never stored twice.
        """
        article = item.article
        if not article.path or self.store.article_dates([article.id]):
            return None
        same = [
            aid for aid, _ in self.store.articles_with_content_hash(article.content_hash) if aid != article.id
        ]
        for stored in self.store.get_articles(same) if same else ():
            if _same_place(stored.path, article.path):
                article.id = stored.id
                return stored
        return None

    def _restated(self, item: Prepared, stored: Article | None = None) -> bool:
        """True when the input states metadata other than what is stored for the same document.

        Only what the input states counts: what the cleaner lifts from a text file depends on the
        other files of the run, and a file read again on its own must not churn its article.
        """
        if not item.stated:
            return False
        if stored is None:
            stored = self.store.get_article(item.article.id)
        if stored is None:
            return False
        return any(getattr(stored, key) != value for key, value in item.stated.items())

    def _link(self, item: Prepared) -> int:
        """Link a new article to the article it copies; returns how many articles were re-linked."""
        article = item.article
        match = find_duplicate(
            self.store,
            article_id=article.id,
            content_hash=article.content_hash,
            signature=item.minhash,
            hasher=self.hasher,
            threshold=self.threshold,
        )
        if match is None:
            return 0
        original_date = self.store.article_dates([match.of]).get(match.of, (None, None))[0]
        if earlier(article.published, original_date):  # the stored one is the copy
            links = relink(
                self.store,
                match.of,
                new_root=article.id,
                content_hash=article.content_hash,
                signature=item.minhash,
            )
            for aid, kind, sim in links:
                if aid in self.added:  # read earlier in this run: the report shows it as a copy
                    copy = self.added[aid]
                    copy.duplicate_of, copy.duplicate_kind, copy.duplicate_similarity = article.id, kind, sim
            return len(links)
        article.duplicate_of = match.of
        article.duplicate_kind = match.kind
        article.duplicate_similarity = match.similarity
        self.store.set_duplicate(article.id, match.of, match.kind, match.similarity)
        return 0
