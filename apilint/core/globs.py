"""Globs over ``/``-separated names, one meaning everywhere: API path templates in
``overrides.paths``, spec files in ``overrides.files`` and ``exclude``."""

from __future__ import annotations

import re


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob over ``/``-separated names (API paths, file paths): ``*`` within one segment,
    ``**`` across segments; ``/**/`` and a leading ``**/`` also match no segment at all, and a
    trailing ``/**`` also matches the prefix itself (``/legacy/**`` covers ``/legacy``)."""
    out = ""
    index = 0
    while index < len(pattern):
        if pattern.startswith("/**/", index):
            out += "/(?:.*/)?"
            index += 4
        elif pattern.startswith("/**", index) and index + 3 == len(pattern):
            out += "(?:/.*)?"
            index += 3
        elif pattern.startswith("**/", index) and index == 0:
            out += "(?:.*/)?"
            index += 3
        elif pattern.startswith("**", index):
            out += ".*"
            index += 2
        elif pattern[index] == "*":
            out += "[^/]*"
            index += 1
        else:
            out += re.escape(pattern[index])
            index += 1
    return re.compile(out + r"\Z")


def file_glob(pattern: str) -> tuple[re.Pattern[str], bool]:
    """A file glob (``overrides.files``, ``exclude``), and whether it names a file anywhere
    (no ``/`` in it)."""
    pattern = pattern.replace("\\", "/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return glob_regex(pattern), "/" not in pattern


def file_matches(path: str, pattern: tuple[re.Pattern[str], bool]) -> bool:
    """``path`` (``/``-separated, relative) matches a :func:`file_glob`: the whole path, or, for a
    glob without ``/``, any one name in it (``*.json`` and ``vendor`` match at any depth)."""
    regex, anywhere = pattern
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    if anywhere:
        return any(regex.match(name) for name in path.split("/"))
    return bool(regex.match(path))
