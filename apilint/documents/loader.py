"""Reading one file into a Document: bytes to text to data, with limits and clear errors.

A Document knows its data and how to turn JSON pointers into line and column. It does not know
about OpenAPI; see :mod:`apilint.documents.openapi` for that.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from apilint.core.errors import LoadError, limit_hint
from apilint.core.pointer import Pointer

if TYPE_CHECKING:
    from apilint.documents.json_source import JsonPositions, MemberIndex, ParsedJson
    from apilint.documents.yaml_source import YamlData

DEFAULT_MAX_NODES = 5_000_000
"""Nodes after alias expansion (what a consumer walking the data would visit)."""
DEFAULT_MAX_DEPTH = 250
"""Nesting of mappings and sequences. Real descriptions stay under 32 (GitHub's: 21); the Rust
schema validator behind spec-invalid cannot hand back values nested deeper than 255."""

DEFAULT_MAX_REF_HOPS = 64
"""$refs followed in a row to reach one value (a ref to a ref to ...)."""

DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024
"""Bytes. Microsoft Graph's 33 MB description fits; a runaway generated file does not."""

JSON_SUFFIXES = frozenset({".json"})


@dataclass(frozen=True, slots=True)
class LoadOptions:
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_nodes: int = DEFAULT_MAX_NODES
    max_depth: int = DEFAULT_MAX_DEPTH
    max_ref_hops: int = DEFAULT_MAX_REF_HOPS


class Document:
    """One parsed file. ``name`` is how reports show it; ``path`` is absolute."""

    __slots__ = (
        "_json_index",
        "_json_positions",
        "_line_starts",
        "_yaml",
        "data",
        "duplicate_keys",
        "format",
        "json_refs",
        "name",
        "path",
        "text",
    )

    def __init__(
        self,
        *,
        path: Path,
        name: str,
        text: str,
        data: Any,
        format: str,
        yaml: YamlData | None = None,
        duplicate_keys: list[tuple[Pointer, tuple[int, int] | None]] | None = None,
        json_index: MemberIndex | None = None,
        json_refs: frozenset[str] | None = None,
    ) -> None:
        self.path = path
        self.name = name
        self.text = text
        self.data = data
        self.format = format
        self._yaml = yaml
        self._json_positions: JsonPositions | None = None
        self._json_index = json_index
        """Where the members of a JSON document's big maps start (json_source.parse_json)."""
        self.json_refs = json_refs
        """Every string value of a "$ref" member of a JSON document, as its parse found them
        (None: not known; ``refs._json_refs`` then reads them from the text)."""
        self._line_starts: list[int] | None = None
        self.duplicate_keys = duplicate_keys or []

    @property
    def values_unique(self) -> bool:
        """Each object or array of the data is at one place only, so its identity names its
        place: true of JSON, and of YAML without aliases (an alias repeats the anchored value)."""
        if self.format == "json":
            return True
        if self._yaml is not None:
            return not self._yaml.aliased
        return "*" not in self.text

    def locate_many(self, pointers: list[Pointer]) -> dict[Pointer, tuple[int, int]]:
        """1-based (line, column) of each pointer, or of its deepest existing ancestor."""
        if self._yaml is not None:
            out: dict[Pointer, tuple[int, int]] = {}
            for pointer in pointers:
                (line, column), _ = self._yaml.locate(pointer)
                out[pointer] = (line + 1, column + 1)
            return out
        if self._json_positions is None:
            from apilint.documents.json_source import JsonPositions

            self._json_positions = JsonPositions(self.text, self._json_index)
        return self._json_positions.locate_many(pointers)

    def locate(self, pointer: Pointer) -> tuple[int, int]:
        return self.locate_many([pointer])[pointer]

    def token_end(self, line: int, column: int) -> tuple[int, int]:
        """Where the token at 1-based (``line``, ``column``) ends: (line, column just past it).
        The token is what a finding's position points at: a key (quoted or plain, up to its
        ``:``), a scalar, or one bracket. Computed only for what is reported."""
        known = self._json_positions.offsets if self._json_positions is not None else {}
        if (line, column) in known:
            # A located JSON position: its line starts column - 1 characters earlier (no
            # table of line starts, which costs a scan of the whole text, is needed).
            start = known[line, column] - (column - 1)
        else:
            if self._line_starts is None:
                self._line_starts = [0, *(m.end() for m in _NEWLINE.finditer(self.text))]
            if not 1 <= line <= len(self._line_starts):
                return line, column
            start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        text = self.text[start : end if end >= 0 else len(self.text)].rstrip("\r")
        index = column - 1
        if index >= len(text):
            return line, column
        match = _TOKEN.match(text, index)
        length = match.end() - index if match and match.end() > index else 1
        return line, column + length

    def __repr__(self) -> str:
        return f"Document({self.name!r}, {self.format})"


_NEWLINE = re.compile("\n")
_TOKEN = re.compile(
    r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'"""  # a quoted key or scalar
    r"|-(?=\s)|[{\[]"  # a sequence item's dash, a flow collection's bracket
    r"|[^\s#][^#]*?(?=\s*(?::(?:\s|$)|\s#|,|[\]}]\s*(?:[,\]}#]|$)|$))"  # a plain key or scalar
)


def size_text(size: int) -> str:
    """``64 MB``, ``1.5 MB``, ``512 KB``, ``900 bytes``."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def display_name(path: Path, cwd: Path | None = None) -> str:
    """The path relative to the working directory when it is inside it, else as absolute."""
    base = cwd or Path.cwd()
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def read_text(path: Path, name: str, options: LoadOptions) -> str:
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise LoadError("a symbolic link to a file that does not exist", file=name) from None
        raise LoadError("no such file", file=name) from None
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}", file=name) from None
    size = info.st_size
    if stat.S_ISDIR(info.st_mode):
        try:
            os.listdir(path)
        except OSError as exc:
            raise LoadError(f"cannot read this folder: {exc.strerror or exc}", file=name) from None
        raise LoadError("is a directory", file=name)
    if not stat.S_ISREG(info.st_mode):
        # A FIFO or device would block the open (or never end): only files and standard input.
        raise LoadError(
            "not a regular file (a pipe, socket or device); name a file, or - for standard input",
            file=name,
        )
    if size > options.max_file_size:
        raise LoadError(
            f"file is {size_text(size)}, over the {size_text(options.max_file_size)} "
            f"limit {limit_hint('max-file-size')}",
            file=name,
        )
    try:
        with open(path, "rb") as handle:
            raw = handle.read(options.max_file_size + 1)
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}", file=name) from None
    return decode_bytes(raw, name)


def read_stream(stream: BinaryIO, name: str, options: LoadOptions) -> str:
    """A document from a stream (standard input): never more than the size limit is read."""
    try:
        raw = stream.read(options.max_file_size + 1)
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}", file=name) from None
    if len(raw) > options.max_file_size:
        raise LoadError(
            f"input is over the {size_text(options.max_file_size)} limit "
            f"{limit_hint('max-file-size')}",
            file=name,
        )
    return decode_bytes(raw, name)


def decode_bytes(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise LoadError("not a text file (bad UTF-16)", file=name) from None
    if b"\x00" in raw[:8192]:
        raise LoadError("not a text file (binary content)", file=name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise LoadError(
            f"not valid UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            file=name,
            line=line,
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def _check_encodable(text: str, name: str) -> None:
    """Text handed over as ``str`` (the API, standard input) may hold lone surrogates, which no
    file can: refuse them here rather than crash in a parser or a reporter."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        column = exc.start - (text.rfind("\n", 0, exc.start) + 1) + 1
        raise LoadError(
            f"not valid Unicode text (lone surrogate U+{ord(text[exc.start]):04X})",
            file=name,
            line=line,
            column=column,
        ) from None


_freeze_parsed = False


def freeze_parsed_data() -> None:
    """From now on, move each parsed document out of the cycle collector's sight once parsed
    (``gc.freeze``): the collector then never scans its hundreds of thousands of objects again
    (5 % of a lint of a 13 MB description). For short-lived processes (the CLI) only: parsed
    data holds no cycles and is freed by reference counting as usual, but cyclic garbage that
    exists at that moment is never collected."""
    global _freeze_parsed
    _freeze_parsed = True


def parse_text(text: str, name: str, suffix: str, options: LoadOptions) -> tuple[Any, str, Any]:
    """(data, format, yaml-positions-or-None) for ``text``; JSON never goes through YAML. The
    cycle collector is paused meanwhile: parsing creates no cycles, only many objects."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse_text(text, name, suffix, options)
    finally:
        if _freeze_parsed:
            gc.freeze()
        if enabled:
            gc.enable()


def _parse_text(text: str, name: str, suffix: str, options: LoadOptions) -> tuple[Any, str, Any]:
    stripped = text.lstrip(" \t\r\n")
    if not stripped:
        raise LoadError("the file is empty", file=name)
    if suffix in JSON_SUFFIXES or stripped[0] in "{[":
        from apilint.documents.json_source import parse_json  # here: YAML never needs it
    if suffix in JSON_SUFFIXES:
        parsed = parse_json(text, name, options.max_depth)
        return parsed.data, "json", parsed
    if stripped[0] in "{[":
        # JSON is much faster through the JSON parser; a YAML flow mapping that is not JSON
        # falls back to the YAML parser.
        try:
            parsed = parse_json(text, name, options.max_depth)
            return parsed.data, "json", parsed
        except LoadError:
            pass
    # The YAML parser is imported only for YAML: a JSON description never loads it.
    from apilint.documents.yaml_source import Limits, parse_yaml

    yaml_data = parse_yaml(
        text, name, Limits(max_nodes=options.max_nodes, max_depth=options.max_depth)
    )
    return yaml_data.data, "yaml", yaml_data


def load_document(
    path: Path | str,
    *,
    name: str | None = None,
    options: LoadOptions = LoadOptions(),
    text: str | None = None,
) -> Document:
    """Read and parse any JSON or YAML file (OpenAPI or not)."""
    path = Path(path)
    absolute = Path(os.path.abspath(path))
    shown = name or display_name(absolute)
    if text is None:
        text = read_text(absolute, shown, options)
    else:
        if len(text) > options.max_file_size:
            raise LoadError(
                f"input is over the {size_text(options.max_file_size)} limit "
                f"{limit_hint('max-file-size')}",
                file=shown,
            )
        _check_encodable(text, shown)
    suffix = absolute.suffix.lower()
    data, fmt, extra = parse_text(text, shown, suffix, options)
    if fmt == "json":
        parsed: ParsedJson = extra
        duplicates: list[tuple[Pointer, tuple[int, int] | None]] = [
            (p, None) for p in parsed.repeated
        ]
        return Document(
            path=absolute,
            name=shown,
            text=text,
            data=data,
            format=fmt,
            duplicate_keys=duplicates,
            json_index=parsed.members,
            json_refs=parsed.refs,
        )
    yaml_data: YamlData = extra
    duplicates = [(p, (line + 1, col + 1)) for p, (line, col) in yaml_data.duplicates]
    return Document(
        path=absolute,
        name=shown,
        text=text,
        data=data,
        format=fmt,
        yaml=yaml_data,
        duplicate_keys=duplicates,
    )
