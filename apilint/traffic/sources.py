"""Opening access logs: plain text or gzip (recognised by content, not by name), or standard input.

Lines are decoded as UTF-8 with undecodable bytes replaced: a log line with a stray byte in its
user agent is still a request. A file that is not text at all (another compression format, a
binary) is refused with a one-line message that says what to do.
"""

from __future__ import annotations

import gzip
import io
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from apilint.core.errors import ApilintError

STDIN = "-"

MAX_LINE_CHARS = 1 << 20
"""Longest line read whole (1 Mi characters). A longer one is cut there (its head is a
:class:`LongLine`) and the rest of it skipped unread: one 100 MB line must not take gigabytes."""


class LongLine(str):
    """The first MAX_LINE_CHARS characters of a longer line; ``length`` is the whole line's."""

    length: int

    def __new__(cls, head: str, length: int) -> LongLine:
        line = super().__new__(cls, head)
        line.length = length
        return line


_GZIP_MAGIC = b"\x1f\x8b"
_OTHER_COMPRESSION = {
    b"BZh": ("bzip2", "bzcat"),
    b"\xfd7zXZ\x00": ("xz", "xzcat"),
    b"\x28\xb5\x2f\xfd": ("zstd", "zstdcat"),
    b"PK\x03\x04": ("zip", "unzip -p"),
}


class LogError(ApilintError):
    """An access log that cannot be read: missing, not text, a format apilint cannot tell."""


def display(name: str) -> str:
    return "<stdin>" if name == STDIN else name


def check_readable(name: str) -> None:
    """Fail early (before reading gigabytes of other logs) when a named log is not there."""
    if name == STDIN:
        return
    path = Path(name)
    if not path.exists():
        raise LogError("no such file", file=name)
    if path.is_dir():
        raise LogError("is a directory, not a log file", file=name)
    if not path.is_file():
        # A FIFO (or a device, a socket) would block in open() until a writer comes, or never
        # end: what is streamed goes through standard input, which the user controls.
        raise LogError(
            "not a regular file (a FIFO, device or socket); stream it into standard input "
            "instead: ... | apilint traffic SPEC -",
            file=name,
        )


@contextmanager
def open_log(name: str, notes: list[str]) -> Iterator[Iterator[str]]:
    """The lines of one log (with their line ends), decompressed and decoded. A gzip stream
    that ends early (a log still being written) yields what it has and adds a note."""
    if name == STDIN:
        raw: BinaryIO = sys.stdin.buffer
        owned = False
    else:
        try:
            raw = open(name, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise LogError(f"cannot read: {exc.strerror or exc}", file=name) from None
        owned = True
    try:
        buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[type-var]
        head = buffered.peek(8)[:8]
        binary: BinaryIO = buffered
        if head.startswith(_GZIP_MAGIC):
            binary = gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[assignment]
        else:
            _refuse_other_compression(head, name)
        text = io.TextIOWrapper(binary, encoding="utf-8", errors="replace", newline=None)
        yield _guarded(text, name, notes)
    finally:
        if owned:
            raw.close()


MAX_DOCUMENT_BYTES = 1 << 30
"""Largest log read as one document (a HAR file): 1 GiB."""


def read_document(name: str) -> str:
    """A whole log file as text (a HAR file is one JSON document, not lines)."""
    try:
        raw = open(name, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise LogError(f"cannot read: {exc.strerror or exc}", file=name) from None
    with raw:
        buffered = io.BufferedReader(raw)
        binary: BinaryIO = buffered
        if buffered.peek(2)[:2] == _GZIP_MAGIC:
            binary = gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[assignment]
        try:
            data = binary.read(MAX_DOCUMENT_BYTES + 1)
        except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
            raise LogError(f"cannot read: {exc}", file=name) from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise LogError(
            f"a JSON document larger than {MAX_DOCUMENT_BYTES:,} bytes; split it", file=name
        )
    return data.decode("utf-8", errors="replace")


def _refuse_other_compression(head: bytes, name: str) -> None:
    for magic, (kind, tool) in _OTHER_COMPRESSION.items():
        if head.startswith(magic):
            shown = display(name)
            raise LogError(
                f"compressed with {kind}, which apilint does not read; "
                f"decompress it into standard input: {tool} {shown} | apilint traffic SPEC -",
                file=shown,
            )


def capped_lines(text: io.TextIOBase, limit: int = MAX_LINE_CHARS) -> Iterator[str]:
    """The lines of ``text``, each at most ``limit`` characters: a longer line is yielded as a
    :class:`LongLine` (its head) and the rest of it skipped."""
    readline = text.readline
    size = limit + 1
    while True:
        line = readline(size)
        if not line:
            return
        if len(line) <= limit or line.endswith("\n"):
            yield line
            continue
        length = len(line)
        while True:
            rest = readline(size)
            length += len(rest)
            if not rest or rest.endswith("\n"):
                break
        yield LongLine(line[:limit], length)


def _guarded(lines: io.TextIOWrapper, name: str, notes: list[str]) -> Iterator[str]:
    """The lines, with decompression errors turned into one-line messages."""
    shown = display(name)
    try:
        capped = capped_lines(lines)
        first = next(capped, None)
        if first is None:
            return
        if "\x00" in first:
            raise LogError("not a text log (binary content)", file=shown)
        yield first
        yield from capped
    except EOFError:
        notes.append(
            f"{shown}: the gzip stream ends early (a log still being written, or a truncated "
            "copy); the lines before the end were read"
        )
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise LogError(f"not a valid gzip file ({exc})", file=shown) from None
    except OSError as exc:
        raise LogError(f"cannot read: {exc.strerror or exc}", file=shown) from None
