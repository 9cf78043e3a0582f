"""The claim vectors the link stage's index needs, kept in a folder next to the store between runs.

Without it every run, incremental or not, reads every check-worthy claim's vector from the store
and sorts each into its inverted-file bucket again (at 100,000 claims 32 s of a 74 s incremental
run). The folder holds, for each claim vector read so far, its key, its float32 vector and its
bucket, plus the bucket centres; a run reads from the store only the vectors of claims the folder
lacks (the new ones) and appends them.

Where: ``STORE.claimvectors/`` beside a SQLite file; for a database URL, a folder named for the URL
in the user's cache folder; for an in-memory store, a temporary folder dropped after the run.
Deleting it is always safe: the next run reads the vectors from the store again and rebuilds it.

It is never trusted blindly. ``meta.json`` names the embedder and the dimension, and is written
last, after the rows it counts (an interrupted append leaves rows that the next one overwrites);
the bucket centres carry a checksum. A span's vector changes when its article's text does (a key
is a place in the text), so ``meta.json`` also keeps the store's change number it was written at,
and the rows of articles stamped since are compared with the store's vectors: those that differ
are read from the store again. Each run also compares a
sample of the folder's vectors with the store's: one that differs, or a sample the store has none
of (another store now at this path), and the folder is emptied and built again. A folder locked by another run on the same store is not touched: that run reads from the
store into a temporary folder instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import zlib
from pathlib import Path

import numpy as np

FORMAT = 1
# Folder vectors compared with the store's at each open.
SAMPLE = 64
# Rows beyond this many times the claims in use (claims whose text changed, dropped claims) and
# the folder is rebuilt rather than kept growing.
MAX_DEAD_SHARE = 2.0
# Asking the store for changes above this number lists none: it gives only its present number.
NO_MARK = 2**62


class VectorFile:
    """Keys, vectors and buckets of claim vectors, appended to; read through memory maps."""

    def __init__(self, folder: Path, model: str, dim: int, *, temporary: object = None) -> None:
        self.folder, self.model, self.dim = folder, model, dim
        self._temporary = temporary  # a TemporaryDirectory kept alive with this object
        self._lock = None
        self.rows = 0
        self.keys_bytes = 0
        self.keys: list[str] = []
        self.row_of: dict[str, int] = {}
        self.centroids: np.ndarray | None = None
        self.rebuilt_because = ""
        self.mark = 0  # the store's change number the rows are as of

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, store, model: str, dim: int, wanted: int = 0) -> VectorFile:
        """The folder of ``store`` for ``model``, checked against the store (emptied when stale or
        unreadable); a temporary one when the store has no place for it or another run holds it."""
        folder = folder_for(getattr(store, "db", None))
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                out = cls(folder, model, dim)
                if out._take_lock():
                    out._load(store, wanted)
                    if not out.rows:  # new or emptied: what is read from the store now is as of now
                        out._forget_changed(store, None)
                    return out
            except OSError:
                pass
        tmp = tempfile.TemporaryDirectory(prefix="narrascope-claimvectors-")
        out = cls(Path(tmp.name), model, dim, temporary=tmp)
        out._reset()
        return out

    def _take_lock(self) -> bool:
        try:
            import fcntl
        except ImportError:  # no advisory locks (Windows): one run at a time is the user's care
            return True
        fh = open(self.folder / "lock", "a")  # noqa: SIM115  (held until close())
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        self._lock = fh
        return True

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None
        if self._temporary is not None:
            self._temporary.cleanup()
            self._temporary = None

    def _load(self, store, wanted: int) -> None:
        try:
            meta = json.loads((self.folder / "meta.json").read_text())
        except (OSError, ValueError):
            self._reset("no readable meta.json" if (self.folder / "meta.json").exists() else "")
            return
        if (meta.get("format"), meta.get("model"), meta.get("dim")) != (FORMAT, self.model, self.dim):
            self._reset("written for another embedder or format")
            return
        try:
            self.rows, self.keys_bytes = int(meta["rows"]), int(meta["keys_bytes"])
            with open(self.folder / "keys.txt", "rb") as fh:
                self.keys = fh.read(self.keys_bytes).decode().split("\n")[:-1] if self.keys_bytes else []
            if len(self.keys) != self.rows or self._size("vectors.f32") < self.rows * self.dim * 4:
                raise ValueError("fewer rows than meta.json counts")
        except (OSError, KeyError, ValueError, UnicodeDecodeError):
            self._reset("its files do not match meta.json")
            return
        self.row_of = {k: n for n, k in enumerate(self.keys)}
        self._forget_changed(store, int(meta["changed"]) if "changed" in meta else None)
        if self.rows > MAX_DEAD_SHARE * wanted + 1000:
            self._reset(f"{self.rows} rows for {wanted} claims")
            return
        if reason := self._differs_from(store):
            self._reset(reason)
            return
        self.centroids = self._read_centroids(meta.get("buckets"))

    def _forget_changed(self, store, mark: int | None) -> None:
        """Rows of articles changed since ``mark`` whose vector is no longer the store's are no
        longer the folder's (a later row with the key, read from the store again, takes its place);
        None: no rows to check (a new folder, or one written before marks were kept, whose rows
        only the sample checks). Either way the folder is now as of the store's present number."""
        since = getattr(store, "changes_since", None)
        if since is None:
            return
        last, changed = since(NO_MARK if mark is None else mark)
        if changed:
            # An article is stamped for any change (its stances too, right after every link run),
            # so only the rows whose vector the store no longer holds are forgotten: forgetting them
            # all appended every row of the last run's articles again on the next run.
            gone = set(changed)
            keys = [k for k in self.row_of if k.rsplit(":", 2)[0] in gone]
            stored = store.load_vectors(self.model, "span", keys) if keys else {}
            mine = self.vectors()
            for key in keys:
                if key not in stored or not np.array_equal(
                        np.asarray(stored[key], dtype=np.float32), mine[self.row_of[key]]):
                    del self.row_of[key]
        self.mark = last

    def _differs_from(self, store) -> str:
        """Why the folder is not this store's (empty when its sample agrees with the store)."""
        if not self.rows:
            return ""
        picks = np.unique(np.linspace(0, self.rows - 1, num=min(SAMPLE, self.rows)).astype(np.int64))
        keys = [self.keys[int(p)] for p in picks]
        stored = store.load_vectors(self.model, "span", keys)
        if not stored:
            return "the store has none of its vectors"
        mine = self.vectors()
        for p, key in zip(picks, keys, strict=True):
            if self.row_of.get(key) != int(p):
                continue  # a row since replaced, or of an article changed since (read again)
            if key in stored and not np.array_equal(np.asarray(stored[key], dtype=np.float32), mine[int(p)]):
                return f"its vector of {key} is not the store's"
        return ""

    def _read_centroids(self, buckets: dict | None) -> np.ndarray | None:
        if not buckets:
            return None
        try:
            data = (self.folder / "centroids.f32").read_bytes()
            if zlib.crc32(data) != buckets["crc32"] or self._size("lists.i32") < self.rows * 4:
                return None
            return np.frombuffer(data, dtype=np.float32).reshape(int(buckets["nlist"]), self.dim)
        except (OSError, KeyError, ValueError):
            return None

    def _reset(self, reason: str = "") -> None:
        """Empties the folder: the next rows start it again."""
        self.rebuilt_because = reason
        for name in ("meta.json", "keys.txt", "vectors.f32", "lists.i32", "centroids.f32"):
            with contextlib.suppress(FileNotFoundError):
                (self.folder / name).unlink()
        self.rows, self.keys_bytes, self.keys, self.row_of, self.centroids = 0, 0, [], {}, None

    def _size(self, name: str) -> int:
        try:
            return (self.folder / name).stat().st_size
        except FileNotFoundError:
            return 0

    # -- reading -----------------------------------------------------------------------------

    def rows_for(self, keys: list[str]) -> np.ndarray:
        """Row of each key, -1 where the folder lacks it."""
        return np.fromiter((self.row_of.get(k, -1) for k in keys), dtype=np.int64, count=len(keys))

    def vectors(self) -> np.ndarray:
        if not self.rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.memmap(self.folder / "vectors.f32", dtype=np.float32, mode="r", shape=(self.rows, self.dim))

    def lists(self) -> np.ndarray | None:
        """Bucket of each row (-1: not sorted yet), writable; None without bucket centres."""
        if self.centroids is None or not self.rows:
            return None
        return np.memmap(self.folder / "lists.i32", dtype=np.int32, mode="r+", shape=(self.rows,))

    # -- writing -----------------------------------------------------------------------------

    def append(self, keys: list[str], vectors: np.ndarray) -> None:
        """Adds rows (their buckets unknown: -1); a key the folder has is not added twice."""
        fresh = [n for n, k in enumerate(keys) if k not in self.row_of]
        if not fresh:
            return
        keys = [keys[n] for n in fresh]
        block = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32)[fresh]).reshape(len(keys), self.dim)
        data = "".join(f"{k}\n" for k in keys).encode()
        self._write_at("keys.txt", self.keys_bytes, data)
        self._write_at("vectors.f32", self.rows * self.dim * 4, block.tobytes())
        if self.centroids is not None:
            self._write_at("lists.i32", self.rows * 4, np.full(len(keys), -1, dtype=np.int32).tobytes())
        for n, k in enumerate(keys):
            self.row_of[k] = self.rows + n
        self.keys += keys
        self.rows += len(keys)
        self.keys_bytes += len(data)
        self._write_meta()

    def set_buckets(self, centroids: np.ndarray, lists: np.ndarray) -> None:
        """New bucket centres and the bucket of every row."""
        self.centroids = None
        self._write_meta()  # no centres while they and the lists are being replaced
        data = np.ascontiguousarray(centroids, dtype=np.float32).tobytes()
        _replace(self.folder / "lists.i32", np.ascontiguousarray(lists, dtype=np.int32).tobytes())
        _replace(self.folder / "centroids.f32", data)
        self.centroids = np.frombuffer(data, dtype=np.float32).reshape(-1, self.dim)
        self._write_meta()

    def _write_at(self, name: str, offset: int, data: bytes) -> None:
        path = self.folder / name
        with open(path, "r+b" if path.exists() else "wb") as fh:
            fh.truncate(offset)  # drops what an interrupted append left
            fh.seek(offset)
            fh.write(data)

    def _write_meta(self) -> None:
        buckets = None
        if self.centroids is not None:
            buckets = {"nlist": len(self.centroids), "crc32": zlib.crc32(self.centroids.tobytes())}
        meta = {"format": FORMAT, "model": self.model, "dim": self.dim, "rows": self.rows,
                "keys_bytes": self.keys_bytes, "buckets": buckets, "changed": self.mark}
        _replace(self.folder / "meta.json", json.dumps(meta).encode())


def folder_for(db: str | None) -> Path | None:
    """Where the claim vectors of the store ``db`` (a SQLite path or a database URL) live; None: no
    lasting place (an in-memory store)."""
    if not isinstance(db, str) or not db or db == ":memory:":
        return None
    if "://" not in db:
        return Path(db).expanduser().resolve().with_name(Path(db).name + ".claimvectors")
    if db.startswith("sqlite://"):
        return None  # sqlite:// URLs: in memory or a path written as a URL; no lasting place is guessed
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "narrascope" / f"claimvectors-{hashlib.sha256(db.encode()).hexdigest()[:24]}"


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
