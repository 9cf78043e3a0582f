"""Bytes to text: BOMs, UTF-8, declared charsets, then detection for legacy encodings.

Russian pages still arrive as cp1251 or koi8-r, and a scraper rarely records which. We trust,
in order: a byte-order mark, strict UTF-8, a charset the document declares (HTML/XML), and
finally charset-normalizer's detection. Bytes that decode under none of them, or where control
bytes (NUL included) are more than one in a hundred, are binary and refused.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from ..errors import BinaryInput, CorruptInput, EmptyInput

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
# Control characters other than tab, newline, carriage return, form feed.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
# Share of control bytes (NUL included) above which a file is binary. Real text has none; a few
# stray bytes (an old form feed, a pasted escape, a NUL from a broken export) stay well under it,
# and one such byte is allowed in any file, however short.
MAX_CONTROL_RATIO = 0.01
# A mostly-UTF-8 file with a handful of broken bytes (a truncated multi-byte character,
# one pasted cp1252 quote) is still worth reading; beyond this share of bad bytes the
# file is declared corrupt instead of silently filled with replacement characters.
MAX_BAD_UTF8_RATIO = 0.005
# Text a declared encoding must write as plain ASCII to be the encoding of a page we read it in.
_ASCII_PROBE = '<meta charset="x">'


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    warning: str | None = None


def decode_bytes(data: bytes, *, source: str | None = None, declared_ok: bool = True) -> Decoded:
    if not data.strip():
        raise EmptyInput("empty file", source=source)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(encoding, errors="replace"), encoding)
    sample = data[:65536]
    # A NUL counts as any other control byte: one stray NUL in a text is removed per record later
    # (extract.storable, with a warning), as it is past this sample; a file of NULs is binary.
    if len(_CONTROL.findall(sample)) > max(1, MAX_CONTROL_RATIO * len(sample)):
        raise BinaryInput("binary data, not text", source=source)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if declared_ok and (declared := _declared_encoding(sample)) and declared != "utf-8":
        try:
            return Decoded(data.decode(declared), declared)
        except UnicodeDecodeError:
            pass  # the declaration is wrong: detection below decides
    if _looks_like_utf8(data):
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        if bad <= MAX_BAD_UTF8_RATIO * len(data):
            return Decoded(text, "utf-8", f"invalid UTF-8 at byte {first_bad}: {bad} character(s) replaced")
        raise CorruptInput(f"invalid UTF-8 at byte {first_bad} ({bad} bad sequences)", source=source)
    best = from_bytes(data[:262144]).best()
    if best is None:
        raise BinaryInput("no text encoding fits these bytes", source=source)
    return Decoded(data.decode(best.encoding, errors="replace"), best.encoding)


def stream_encoding(head: bytes, source: str, *, whole: bool) -> str:
    """The encoding of a file read as a stream (JSONL, CSV), judged on its first bytes ``head``.

    ``whole`` says ``head`` is the whole file; otherwise it is judged up to its last newline, so a
    character cut at the end does not count against UTF-8. UTF-8 with some bad bytes is still
    UTF-8: each record is judged on its own bad bytes.
    """
    if not whole and (cut := head.rfind(b"\n")) > 0:
        head = head[: cut + 1]
    try:
        return decode_bytes(head, source=source, declared_ok=False).encoding
    except CorruptInput:
        return "utf-8"


def _declared_encoding(sample: bytes) -> str | None:
    """The text encoding the document declares, when it can be the document's own.

    A name Python does not know, or one naming a bytes-to-bytes codec (``charset="base64"``), is
    no declaration. Nor is an encoding in which the declaration itself would not read as ASCII
    (UTF-16, UTF-32, UTF-7, EBCDIC): we have just read it as ASCII, so the page is 8-bit and the
    declaration wrong (the HTML standard reads a ``<meta charset="utf-16">`` as UTF-8 likewise).
    """
    match = _DECLARED.search(sample[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
        if _ASCII_PROBE.encode(name) != _ASCII_PROBE.encode("ascii"):
            return None
        b"".decode(name)  # a bytes-to-bytes codec raises LookupError here
    except (LookupError, UnicodeError):
        return None
    return name


def _looks_like_utf8(data: bytes) -> bool:
    """True when multi-byte UTF-8 sequences outnumber the bytes that break the encoding."""
    good = len(
        re.findall(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}", data)
    )
    text = data.decode("utf-8", errors="replace")
    return good > 0 and good >= text.count("\ufffd")
