"""The ingest run: find files, read and extract them (in parallel), deduplicate, store.

Extraction runs on the engine's workers; deduplication and writes run here, in batches that
each commit as one transaction, so an interrupted run leaves whole batches and nothing half
written. Ids are content-derived: a file ingested twice adds nothing the second time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from ..config import Settings
from ..engine import Engine, default_engine
from ..errors import CorruptInput, InputError
from ..model import Article
from ..store import SQLStore
from .decode import decode_bytes
from .dedup import MinHasher, earlier, find_duplicate
from .extract import ExtractOptions, Prepared, prepare
from .sources import InputFile, discover, read_file
from .textclean import CleanOptions, repeated_lines


@dataclass(slots=True)
class IngestReport:
    added: list[Article] = field(default_factory=list)
    unchanged: int = 0
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: int = 0

    @property
    def duplicates(self) -> int:
        return sum(1 for a in self.added if a.duplicate_of)

    def summary(self) -> str:
        parts = [f"{len(self.added)} article(s) added"]
        if self.duplicates:
            parts.append(f"{self.duplicates} of them copies of another article")
        parts.append(f"{self.unchanged} already stored")
        parts.append(f"{len(self.errors)} error(s)")
        return f"{self.files} file(s): " + ", ".join(parts)


Progress = Callable[[int, int], None]  # (files done, files total)


@dataclass(frozen=True, slots=True)
class _Task:
    file: InputFile
    opts: ExtractOptions
    max_bytes: int
    repeated: frozenset[str]


def options_from(
    settings: Settings, *, outlet: str | None = None, language: str | None = None
) -> ExtractOptions:
    ing = settings.ingest
    clean = CleanOptions(**ing.clean.to_dict())
    hasher = MinHasher(num_perm=ing.dedup.num_perm, bands=ing.dedup.bands, shingle=ing.dedup.shingle)
    return ExtractOptions(
        languages=tuple(ing.languages), clean=clean, hasher=hasher, outlet=outlet, language=language
    )


def ingest_paths(
    paths: Sequence[str],
    store: SQLStore,
    settings: Settings,
    *,
    outlet: str | None = None,
    language: str | None = None,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    ing = settings.ingest
    opts = options_from(settings, outlet=outlet, language=language)
    max_bytes = int(ing.max_article_mb * 2**20)
    report = IngestReport()
    files: list[InputFile] = []
    for item in discover(paths):
        if isinstance(item, InputError):
            report.errors.append(item)
        else:
            files.append(item)
    report.files = len(files)
    repeated = _repeated_by_group(files, opts.clean, max_bytes)
    tasks = [_Task(f, opts, max_bytes, repeated.get(f.group, frozenset())) for f in files]
    engine = engine or default_engine(ing.workers, len(tasks), ing.parallel_min_files)

    batch: list[Prepared] = []
    for done, results in enumerate(engine.map(_run_task, tasks, chunksize=4), 1):
        for result in results:
            if isinstance(result, InputError):
                report.errors.append(result)
            else:
                batch.append(result)
        if len(batch) >= ing.batch_size:
            _store_batch(batch, store, opts.hasher, ing.dedup.near_threshold, report)
            batch = []
        if progress:
            progress(done, len(tasks))
    if batch:
        _store_batch(batch, store, opts.hasher, ing.dedup.near_threshold, report)
    return report


def _run_task(task: _Task) -> list[Prepared | InputError]:
    out: list[Prepared | InputError] = []
    try:
        for raw in read_file(task.file, max_bytes=task.max_bytes):
            out.append(raw if isinstance(raw, InputError) else prepare(raw, task.opts, task.repeated))
    except Exception as exc:  # a parser's own bug on a strange file must not stop the other files
        out.append(
            CorruptInput(f"could not be read ({type(exc).__name__}: {exc})", source=str(task.file.path))
        )
    return out


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
            if f.path.stat().st_size > max_bytes:
                continue
            yield decode_bytes(f.path.read_bytes()).text
        except (OSError, InputError):
            continue  # the real read reports it


def _store_batch(
    batch: list[Prepared], store: SQLStore, hasher: MinHasher, threshold: float, report: IngestReport
) -> None:
    added: list[Article] = []
    unchanged = 0
    with store.transaction():
        for item in batch:
            article = item.article
            if store.has_article(article.id):
                unchanged += 1
                continue
            match = find_duplicate(
                store,
                article_id=article.id,
                content_hash=article.content_hash,
                signature=item.minhash,
                hasher=hasher,
                threshold=threshold,
            )
            original_moves = False
            if match is not None:
                original = store.get_article(match.of)
                if original is not None and earlier(article.published, original.published):
                    original_moves = True  # the copy we held was published later: this is the original
                else:
                    article.duplicate_of = match.of
                    article.duplicate_kind = match.kind
                    article.duplicate_similarity = match.similarity
            store.add_article(article, minhash=item.minhash, band_keys=hasher.band_keys(item.minhash))
            if match is not None and original_moves:
                store.repoint_duplicates(match.of, article.id)
                store.set_duplicate(match.of, article.id, match.kind, match.similarity)
            added.append(article)
    # Counted only once the transaction has committed.
    report.added.extend(added)
    report.unchanged += unchanged
    report.warnings.extend(f"{item.source}: {w}" for item in batch for w in item.warnings)
