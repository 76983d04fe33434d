"""Grouping the paths of undocumented requests into templates: ``/users/8412`` -> ``/users/{id}``.

A segment becomes ``{id}`` when it is a value rather than a name:

- a number (``8412``), or digits with separators that make a date, time or address
  (``2024-01-15``, ``10.0.0.1``: at least six characters, only digits, ``-``, ``.`` and ``:``);
- a UUID (``3f0c9a4e-0c55-4d5e-9d8e-3a4cb1b0e0a7``, any case);
- a hash or database key in hexadecimal: twelve or more hex digits with at least one digit
  (MD5, SHA-1, SHA-256, MongoDB ObjectIds, long git ids);
- an opaque token: sixteen or more letters, digits, ``_`` and ``-`` mixing letters and digits,
  unless it reads as a slug (every ``-``/``_``-separated part all letters or all digits, as in
  ``release-notes-2024``); this catches prefixed keys such as ``cus_NffrFeUfNV2Hib``;
- a number with a file extension keeps the extension: ``8412.json`` -> ``{id}.json``.

Everything else (``users``, ``v2``, ``oauth2``, ``me``) is kept: a template must still say which
resource was called.
"""

from __future__ import annotations

import re

_NUMERIC = re.compile(r"\d+\Z")
_DIGITS_WITH_SEPARATORS = re.compile(r"\d[\d.:-]{4,}\d\Z")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
_HEX = re.compile(r"[0-9a-fA-F]{12,}\Z")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,}\Z")
_NUMBER_WITH_EXTENSION = re.compile(r"(\d+)(\.[A-Za-z0-9]{1,8})\Z")
_WORD_PARTS = re.compile(r"[-_]")
_DIGIT = re.compile(r"\d")

PLACEHOLDER = "{id}"


def is_value(segment: str) -> bool:
    """True when a path segment looks like an identifier (a value) rather than a name."""
    if not segment:
        return False
    if segment.isdigit():
        return _NUMERIC.match(segment) is not None
    if _DIGITS_WITH_SEPARATORS.match(segment):
        return True
    if _UUID.match(segment):
        return True
    if _DIGIT.search(segment) is None:
        return False
    if _HEX.match(segment):
        return True
    if _TOKEN.match(segment) and any(c.isalpha() for c in segment):
        parts = [p for p in _WORD_PARTS.split(segment) if p]
        slug = all(p.isalpha() or p.isdigit() for p in parts)
        return not slug
    return False


def template_segment(segment: str) -> str:
    if segment.isalpha():  # the usual name: no digit, no separator, never a value
        return segment
    if is_value(segment):
        return PLACEHOLDER
    found = _NUMBER_WITH_EXTENSION.match(segment)
    if found is not None:
        return PLACEHOLDER + found.group(2)
    return segment


def template_of(segments: list[str]) -> str:
    """The template of a path given as its (decoded) segments after the leading slash."""
    return "/" + "/".join(template_segment(s) for s in segments)
