"""RFC 6901 JSON pointers.

Inside apilint a pointer is a tuple of keys (str for object members, int for array items);
the escaped string form only appears at the edges: reports, baselines, config and $ref fragments.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

Pointer = tuple[str | int, ...]


def _escape(part: str | int) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def encode(pointer: Pointer) -> str:
    """``("paths", "/users/", "get")`` -> ``"/paths/~1users~1/get"``; the root is ``""``."""
    if not pointer:
        return ""
    return "/" + "/".join(_escape(part) for part in pointer)


def decode(text: str) -> tuple[str, ...]:
    """Parse a pointer string; every part stays a string (array indexes are digit strings)."""
    if text == "":
        return ()
    if not text.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {text!r}")
    return tuple(_unescape(part) for part in text[1:].split("/"))


def from_fragment(fragment: str) -> tuple[str, ...]:
    """A URI fragment (the part after '#' of a $ref) as a pointer: percent-decoded, then parsed."""
    return decode(unquote(fragment))


_MISSING = object()


def lookup(data: Any, pointer: tuple[str | int, ...]) -> Any:
    """The value at ``pointer`` inside ``data``; raises KeyError when any step is missing."""
    current = data
    for part in pointer:
        if isinstance(current, dict):
            key = part if isinstance(part, str) else str(part)
            value = current.get(key, _MISSING)
            if value is _MISSING:
                raise KeyError(part)
            current = value
        elif isinstance(current, list):
            index = _as_index(part)
            if index is None or index >= len(current):
                raise KeyError(part)
            current = current[index]
        else:
            raise KeyError(part)
    return current


def normalize(data: Any, pointer: tuple[str | int, ...]) -> Pointer:
    """The same pointer with array steps as ints, so it compares equal to engine-made pointers."""
    out: list[str | int] = []
    current = data
    for part in pointer:
        if isinstance(current, list):
            index = _as_index(part)
            out.append(index if index is not None else part)
            current = current[index] if index is not None and index < len(current) else None
        else:
            out.append(str(part))
            current = current.get(str(part)) if isinstance(current, dict) else None
    return tuple(out)


def _as_index(part: str | int) -> int | None:
    if isinstance(part, int):
        return part if part >= 0 else None
    if part.isdigit() and (part == "0" or not part.startswith("0")):
        return int(part)
    return None
