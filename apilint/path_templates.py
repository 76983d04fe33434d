"""Path templates (the keys of the Paths Object) taken apart once: segments, parameters, shape.

``/v1/users/{id}:cancel?x=1`` is read as the path ``/v1/users/{id}:cancel`` (what a client sends
before any ``?`` or ``#``), three segments (``v1``, ``users``, ``{id}`` with the Google-style custom
method ``cancel``), and the extra text ``?x=1`` that does not belong in a path key at all.

Parsing is cached per template string: every rule of the URI and trailing-slash families asks for
the same few hundred templates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from apilint.openapi import Node

PARAM = re.compile(r"\{([^{}]*)\}")
"""A template expression; group 1 is the parameter name."""

_CUSTOM_METHOD = re.compile(r":([A-Za-z][A-Za-z0-9]*)\Z")


@dataclass(slots=True, eq=False)
class Segment:
    """One segment between slashes, as written."""

    text: str
    params: tuple[str, ...]
    """Names of the template expressions in the segment, in order."""
    base: str
    """The segment without its custom-method suffix (``{name}`` for ``{name}:cancel``)."""
    method: str | None
    """The Google-style custom method after a ``:`` (``cancel``), if any."""
    pattern: str
    """The segment with every parameter written ``{}``: equal patterns match equal URLs."""
    is_param: bool
    """The segment is exactly one template expression: ``{id}``."""
    is_literal: bool
    """The segment (without custom method) has no template expression at all."""


def _segment(text: str) -> Segment:
    base, method = _split_method(text)
    params = tuple(PARAM.findall(text))
    return Segment(
        text=text,
        params=params,
        base=base,
        method=method,
        pattern=PARAM.sub("{}", text),
        is_param=len(params) == 1 and base == "{" + params[0] + "}",
        is_literal=not params,
    )


@dataclass(slots=True, eq=False)
class Template:
    raw: str
    path: str
    """The part a client sends as the path: before any ``?`` or ``#``."""
    extra: str
    """What follows the path in the key: a ``?query`` or ``#fragment``, or ``""``."""
    segments: tuple[Segment, ...]
    """The segments; an empty one for each ``//``; none for the final slash of ``/users/``."""
    trailing_slash: bool
    """The path ends with ``/`` (the root path ``/`` does not count)."""
    params: tuple[str, ...]
    """Every parameter name in the whole key, in order, repeats included."""
    shape: tuple[str, ...]
    """Segment patterns plus the trailing slash: templates with one shape match the same URLs."""

    def literal_before_param(self) -> list[int]:
        """Indexes of literal segments directly followed by a ``{param}`` segment: collections."""
        segs = self.segments
        return [
            i
            for i in range(len(segs) - 1)
            if segs[i].is_literal and segs[i].method is None and segs[i + 1].is_param
        ]


def _split_method(text: str) -> tuple[str, str | None]:
    if ":" not in text:
        return text, None
    match = _CUSTOM_METHOD.search(text)
    if match is None:
        return text, None
    base = text[: match.start()]
    # The colon must be outside braces ("{name}:cancel", not "{a:b}") and follow something.
    if not base or base.count("{") != base.count("}"):
        return text, None
    return base, match.group(1)


@lru_cache(maxsize=8192)
def parse(raw: str) -> Template:
    """The template ``raw`` taken apart (cached)."""
    cut = len(raw)
    for mark in ("?", "#"):
        index = raw.find(mark)
        if index != -1:
            cut = min(cut, index)
    path, extra = raw[:cut], raw[cut:]
    trailing = len(path) > 1 and path.endswith("/")
    body = path[1:] if path.startswith("/") else path
    if trailing:
        body = body[:-1]
    segments: tuple[Segment, ...] = ()
    if body or path not in ("", "/"):
        segments = tuple(_segment(text) for text in body.split("/"))
    return Template(
        raw=raw,
        path=path,
        extra=extra,
        segments=segments,
        trailing_slash=trailing,
        params=tuple(PARAM.findall(raw)),
        shape=(*(s.pattern for s in segments), "/" if trailing else ""),
    )


def path_keys(targets: Sequence[Node]) -> Iterator[tuple[Node, Template]]:
    """(path key node, parsed template) for every path of the Paths Objects in ``targets``;
    extensions (``x-...``) are skipped."""
    for paths in targets:
        if isinstance(paths.value, dict):
            for key in paths.value:
                if isinstance(key, str) and not key.startswith("x-"):
                    yield paths.child(key), parse(key)
