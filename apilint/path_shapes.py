"""The shape of a path template: collection (``/users``), item (``/users/{id}``), singleton
(``/users/{id}/profile``, ``/me``), action (``/orders/{id}/cancel``, ``/search``,
``/v1/{name}:cancel``, ``/conversations.create``) or the root.

Method-semantics rules judge an operation by what its path names: creating on a collection,
replacing an item, acting on an action segment. The shape is read from the template alone
(:func:`classify`); :class:`PathIndex` adds what the rest of the document says (``/users`` is
certainly a collection when ``/users/{id}`` exists).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from apilint.naming import VERBS, Verb, split_words
from apilint.words import pluralizer, singular

if TYPE_CHECKING:
    from apilint.openapi import OpenAPI


class Shape(enum.Enum):
    ROOT = "root"
    COLLECTION = "collection"
    ITEM = "item"
    SINGLETON = "singleton"
    ACTION = "action"


_PARAM = re.compile(r"\{[^{}]*\}")
_WHOLE_PARAM = re.compile(r"\{[^{}]*\}\Z")
_CUSTOM_METHOD = re.compile(r":([A-Za-z][A-Za-z0-9_-]*)\Z")
_FILE_EXTENSIONS = frozenset(
    {"json", "xml", "yaml", "yml", "csv", "txt", "html", "htm", "pdf", "png", "jpg", "jpeg",
     "gif", "svg", "zip", "gz", "tar", "atom", "rss", "ics", "js", "md", "xlsx", "wasm"}
)  # fmt: skip

# Path segments that name an operation rather than a resource, beyond the verbs of
# apilint.naming: RPC endpoints and the conventional auth and query endpoints.
ACTION_SEGMENTS = frozenset(
    {
        "login",
        "logout",
        "signin",
        "signout",
        "signup",
        "authenticate",
        "authorize",
        "introspect",
        "batch",
        "bulk",
        "graphql",
        "rpc",
        "jsonrpc",
        "validate",
        "verify",
        "check",
        "calculate",
        "compute",
        "estimate",
        "preview",
        "render",
        "convert",
        "execute",
        "exec",
        "invoke",
        "trigger",
        "run",
        "start",
        "stop",
        "pause",
        "resume",
        "sync",
        "test",
        "evaluate",
        "simulate",
        "translate",
        "detect",
        "analyze",
        "analyse",
        "classify",
        "predict",
        "recognize",
        "refresh",
        "reset",
        "export",
        "import",
        "upload",
        "publish",
        "archive",
        "merge",
        "copy",
        "clone",
        "move",
        "rename",
        "confirm",
        "complete",
        "finalize",
        "capture",
        "refund",
        "void",
        "pay",
        "transfer",
        "close",
        "reopen",
        "accept",
        "decline",
        "assign",
        "invite",
        "join",
        "leave",
        "mark",
        "process",
        "apply",
        "commit",
        "rollback",
        "revert",
        "abort",
        "kill",
        "suspend",
        "resend",
        "retry",
        "rotate",
        "regenerate",
        "deploy",
        "install",
        "uninstall",
        "upgrade",
        "subscribe",
        "follow",
        "like",
        "star",
        "pin",
        "mute",
        "block",
        "lock",
        "vote",
        "flag",
        "share",
        "notify",
        "ping",
        "echo",
        "track",
        "report",
        "generate",
        "filter",
        "match",
        "resolve",
        "parse",
        "format",
        "tokenize",
        "summarize",
        "autocomplete",
        "suggest",
        "transcribe",
        "charge",
        "checkout",
        "new",
    }
)

# Words that start an action phrase (generate-notes, bulk_users) but rarely a noun compound;
# "report", "test", "login" or "run" start both (report_runs, test_clocks, login_links).
_PHRASE_VERBS = frozenset(
    {"generate", "calculate", "compute", "estimate", "validate", "verify", "convert", "render",
     "preview", "resend", "mark", "bulk", "batch", "import", "export"}
)  # fmt: skip

# Plural-looking words that usually name one document, not a collection of items.
_SINGULAR_DOCUMENTS = frozenset(
    {"settings", "preferences", "stats", "statistics", "metrics", "analytics", "details",
     "contents", "news", "data", "metadata", "media", "series", "species", "status", "sms",
     "credentials", "terms", "config", "options", "defaults", "limits", "totals", "insights",
     "specs"}
)  # fmt: skip


@lru_cache(maxsize=16384)
def is_plural(word: str) -> bool:
    """An unambiguously plural English noun (``users``; not ``news``, ``series``, ``status``)."""
    word = word.lower()
    if len(word) < 3 or not word.isalpha():
        return False
    engine = pluralizer()
    return bool(engine.is_plural(word)) and not engine.is_singular(word)


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
        return len(self.words) > 1 and (self.words[0] in VERBS or self.words[0] in _PHRASE_VERBS)


def is_param(segment: str) -> bool:
    return bool(_WHOLE_PARAM.match(segment))


def _strip_extension(segment: str) -> str:
    stem, dot, extension = segment.rpartition(".")
    if dot and stem and extension.lower() in _FILE_EXTENSIONS:
        return stem
    return segment


def _names_action(words: tuple[str, ...]) -> bool:
    if not words:
        return False
    first = words[0]
    return first in VERBS or first in ACTION_SEGMENTS


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
        return PathShape(template, segments, Shape.ACTION, name, split_words(name))
    # Google-style custom methods: /v1/{name}:cancel, /v1/users:batchGet
    custom = _CUSTOM_METHOD.search(last)
    if custom and not _WHOLE_PARAM.match(last):
        name = custom.group(1)
        return PathShape(template, segments, Shape.ACTION, name, split_words(name))
    if is_param(last) or _PARAM.fullmatch(last.strip("-_.~")) or last.startswith("{"):
        return PathShape(template, segments, Shape.ITEM, _last_literal(segments), ())
    # Slack-style methods: /conversations.create, /chat.postMessage
    if "." in last:
        name = last.rsplit(".", 1)[1]
        words = split_words(name)
        if _names_action(words):
            return PathShape(template, segments, Shape.ACTION, name, words)
    literal = _PARAM.sub("", last) or last
    words = split_words(literal)
    if len(words) > 1 and is_plural(words[-1]) and VERBS.get(words[0]) in (None, Verb.ACTION):
        # rerunTriggers, AddOnResults, pending_invites: a noun phrase naming a collection
        return PathShape(template, segments, Shape.COLLECTION, literal, words)
    if _names_action(words):
        return PathShape(template, segments, Shape.ACTION, literal, words)
    if words and is_plural(words[-1]) and literal.lower() not in _SINGULAR_DOCUMENTS:
        return PathShape(template, segments, Shape.COLLECTION, literal, words)
    return PathShape(template, segments, Shape.SINGLETON, literal, words)


def _last_literal(segments: tuple[str, ...]) -> str | None:
    for segment in reversed(segments):
        if not _PARAM.search(segment):
            return segment
    return None


def normalized(template: str) -> str:
    """``/users/{userId}/`` -> ``/user/{}``: parameter names, trailing slashes and the number of
    nouns erased (``/user/{id}`` is an item of ``/users`` in an API that mixes them up)."""
    return "/" + "/".join(_normal_segment(s) for s in template.split("/") if s)


@lru_cache(maxsize=16384)
def _normal_segment(segment: str) -> str:
    if _PARAM.search(segment):
        return _PARAM.sub("{}", segment)
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


def path_index(api: OpenAPI, templates: Iterable[str]) -> PathIndex:
    """The PathIndex of an OpenAPI view, built once per document."""
    return api.memo("path-shapes.index", lambda: PathIndex(templates))
