"""Path templates (the keys of the Paths Object) taken apart once: segments, parameters, shape.

``/v1/users/{id}:cancel?x=1`` is read as the path ``/v1/users/{id}:cancel`` (what a client sends
before any ``?`` or ``#``), three segments (``v1``, ``users``, ``{id}`` with the Google-style custom
method ``cancel``), and the extra text ``?x=1`` that does not belong in a path key at all.

Parsing is cached per template string: every rule of the URI and trailing-slash families asks for
the same few hundred templates.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from apilint.http.words import (
    ACTION_SEGMENTS,
    FILE_EXTENSIONS,
    PHRASE_VERBS,
    SINGULAR_DOCUMENTS,
    VERB_KINDS,
    Verb,
    is_plural,
    lower_words,
    singular,
)

PARAM = re.compile(r"\{([^{}]*)\}")
"""A template expression; group 1 is the parameter name."""

_CUSTOM_METHOD = re.compile(r":([A-Za-z][A-Za-z0-9_-]*)\Z")


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
    base, method = split_method(text)
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


def split_method(text: str) -> tuple[str, str | None]:
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
def segment_regex(segment: str) -> re.Pattern[str]:
    """A regular expression that fullmatches the concrete segments ``segment`` (a template
    segment: ``{id}``, ``v{major}.json``, ``{}``) stands for: each parameter takes one or more
    characters other than ``/``; literal text is compared after percent-decoding."""
    parts = PARAM.split(segment)  # literal, name, literal, name, ..., literal
    return re.compile(
        "".join(re.escape(unquote(p)) if i % 2 == 0 else "[^/]+?" for i, p in enumerate(parts))
    )


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


# -- shapes ---------------------------------------------------------------------------------
# What a template names: collection (``/users``), item (``/users/{id}``), singleton
# (``/users/{id}/profile``, ``/me``), action (``/orders/{id}/cancel``, ``/search``,
# ``/v1/{name}:cancel``, ``/conversations.create``) or the root. Method-semantics rules judge an
# operation by what its path names; the shape is read from the template alone (:func:`classify`),
# and :class:`PathIndex` adds what the rest of the document says (``/users`` is certainly a
# collection when ``/users/{id}`` exists).


class Shape(enum.Enum):
    ROOT = "root"
    COLLECTION = "collection"
    ITEM = "item"
    SINGLETON = "singleton"
    ACTION = "action"


_WHOLE_PARAM = re.compile(r"\{[^{}]*\}\Z")


@dataclass(frozen=True, slots=True)
class PathShape:
    template: str
    segments: tuple[str, ...]
    shape: Shape
    literal: str | None
    """The last literal segment (for actions: the action's name, e.g. ``cancel``)."""
    words: tuple[str, ...]
    """Lower-case words of ``literal``."""

    @property
    def verb(self) -> str | None:
        """For an action: its first word (``mark-as-read`` -> ``mark``)."""
        return self.words[0] if self.shape is Shape.ACTION and self.words else None

    @property
    def starts_with_verb(self) -> bool:
        """The last literal is a phrase that starts with a verb (``generate-notes``,
        ``rerunTriggers``): a collection to read, maybe, but not one to create items in."""
        return len(self.words) > 1 and (
            self.words[0] in VERB_KINDS or self.words[0] in PHRASE_VERBS
        )


def is_param(segment: str) -> bool:
    return bool(_WHOLE_PARAM.match(segment))


def _strip_extension(segment: str) -> str:
    stem, dot, extension = segment.rpartition(".")
    if dot and stem and extension.lower() in FILE_EXTENSIONS:
        return stem
    return segment


def _names_action(words: tuple[str, ...]) -> bool:
    if not words:
        return False
    first = words[0]
    return first in VERB_KINDS or first in ACTION_SEGMENTS


@lru_cache(maxsize=65536)
def classify(template: str) -> PathShape:
    """The shape of one path template."""
    segments = tuple(s for s in template.split("/") if s)
    if not segments:
        return PathShape(template, segments, Shape.ROOT, None, ())
    last = _strip_extension(segments[-1])
    # RPC endpoints written into the path: /#X-Amz-Target=Service.Op, /api?action=x
    if any(c in last for c in "#=?&"):
        name = re.split(r"[#=?&.]", last)[-1] or last
        return PathShape(template, segments, Shape.ACTION, name, lower_words(name))
    # Google-style custom methods: /v1/{name}:cancel, /v1/users:batchGet
    name = split_method(last)[1]
    if name is not None:
        return PathShape(template, segments, Shape.ACTION, name, lower_words(name))
    if is_param(last) or PARAM.fullmatch(last.strip("-_.~")) or last.startswith("{"):
        return PathShape(template, segments, Shape.ITEM, _last_literal(segments), ())
    # Slack-style methods: /conversations.create, /chat.postMessage
    if "." in last:
        name = last.rsplit(".", 1)[1]
        words = lower_words(name)
        if _names_action(words):
            return PathShape(template, segments, Shape.ACTION, name, words)
    literal = PARAM.sub("", last) or last
    words = lower_words(literal)
    if len(words) > 1 and is_plural(words[-1]) and VERB_KINDS.get(words[0]) in (None, Verb.ACTION):
        # rerunTriggers, AddOnResults, pending_invites: a noun phrase naming a collection
        return PathShape(template, segments, Shape.COLLECTION, literal, words)
    if _names_action(words):
        return PathShape(template, segments, Shape.ACTION, literal, words)
    if words and is_plural(words[-1]) and literal.lower() not in SINGULAR_DOCUMENTS:
        return PathShape(template, segments, Shape.COLLECTION, literal, words)
    return PathShape(template, segments, Shape.SINGLETON, literal, words)


def _last_literal(segments: tuple[str, ...]) -> str | None:
    for segment in reversed(segments):
        if not PARAM.search(segment):
            return segment
    return None


def normalized(template: str) -> str:
    """``/users/{userId}/`` -> ``/user/{}``: parameter names, trailing slashes and the number of
    nouns erased (``/user/{id}`` is an item of ``/users`` in an API that mixes them up)."""
    return "/" + "/".join(_normal_segment(s) for s in template.split("/") if s)


@lru_cache(maxsize=16384)
def _normal_segment(segment: str) -> str:
    if PARAM.search(segment):
        return PARAM.sub("{}", segment)
    if segment.isalpha() and segment.islower():
        return singular(segment)
    return segment


class PathIndex:
    """What the set of paths of one document says about each path."""

    def __init__(self, templates: Iterable[str]) -> None:
        self._normalized = {normalized(t) for t in templates}

    def has_items(self, template: str) -> bool:
        """``template`` followed by ``/{param}`` is also a path: it is a collection of items."""
        return normalized(template) + "/{}" in self._normalized

    def __contains__(self, template: str) -> bool:
        return normalized(template) in self._normalized
