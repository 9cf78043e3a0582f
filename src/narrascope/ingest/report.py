"""What an ingest run did: articles added, copies, updates, errors, warnings, files skipped."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InputError, NarrascopeError, StoreError
from ..model import Article
from .sources import Skipped


@dataclass(slots=True)
class IngestReport:
    added: list[Article] = field(default_factory=list)
    unchanged: int = 0
    updated: int = 0  # stored already, restated with other metadata: replaced in place
    relinked: int = 0  # stored copies (and their original) moved to an earlier original
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # files in folders in no format read
    files: int = 0
    fatal: StoreError | None = None  # the store failed; batches before it are kept

    @property
    def duplicates(self) -> int:
        return sum(1 for a in self.added if a.duplicate_of)

    def summary(self) -> str:
        parts = [f"{len(self.added)} article(s) added"]
        if self.duplicates:
            parts.append(f"{self.duplicates} of them copies of another article")
        if self.relinked:
            parts.append(f"{self.relinked} stored article(s) re-linked to an earlier original")
        if self.updated:
            parts.append(f"{self.updated} updated (metadata changed)")
        parts.append(f"{self.unchanged} already stored")
        parts.append(f"{len(self.errors)} error(s)")
        text = f"{self.files} file(s): " + ", ".join(parts)
        if self.skipped:
            text += f"; {len(self.skipped)} file(s) skipped (not a format narrascope reads)"
        return text + ("; stopped by a store error" if self.fatal else "")

    def error_lines(self) -> list[str]:
        return [one_line(err) for err in self.errors]

    def skipped_lines(self) -> list[str]:
        return [one_line(InputError(s.reason, source=str(s.path))) for s in self.skipped]


def one_line(err: NarrascopeError) -> str:
    """``err`` as one line, whatever its source holds (a file name may contain a newline)."""
    source = err.source if err.source is None or err.source.isprintable() else repr(err.source)
    reason = " ".join(err.reason.split()) if not err.reason.isprintable() else err.reason
    return f"{source}: {reason}" if source else reason
