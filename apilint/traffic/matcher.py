"""Which documented operation serves a request: base paths, path templates, trailing slashes.

- The description is loaded the way ``apilint lint`` loads it (same loader, same ``$ref`` checks,
  same one-line errors), and read through the OpenAPI view.
- Base paths come from ``servers`` (OpenAPI 3: the root's, or a path item's or an operation's own;
  server variables take their default and their enum values) or ``basePath`` (Swagger 2.0), or
  from ``--base-path``. Only the path part of a server URL counts: logs rarely say which host was
  asked, and several servers usually differ only by host.
- A request's target loses its query string (and fragment), an absolute-form target
  (``http://host/x``, as AWS ALB logs it) its scheme and authority; each segment is
  percent-decoded on its own, so ``%2F`` stays inside its segment.
- Templates are matched segment by segment; concrete segments win over templated ones (as the
  OpenAPI specification asks), ``{a}.{b}``-style segments sit between the two, and a parameter
  never matches an empty segment. When several templates match a path, the first one that has the
  request's method wins, as most routers do.
- A request for ``/users/`` when the description only has ``/users`` (or the other way round) is
  not that operation's request: it is the operation's *trailing-slash variant* (``redirected``),
  never undocumented.
- ``HEAD`` falls back to the path's ``GET`` operation when there is no ``head`` one (HTTP defines
  HEAD as GET without the body, and frameworks serve it with the GET route). ``OPTIONS`` on a
  documented path without an ``options`` operation is a CORS preflight or the framework's own
  answer: counted apart, never undocumented.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from apilint.core.errors import LoadError
from apilint.documents.loader import load_document
from apilint.documents.openapi import Node, OpenAPI, Operation, server_urls
from apilint.http.methods import FIXED_KEYS, wire_name
from apilint.http.paths import segment_regex
from apilint.traffic.templating import template_of

MAX_SEGMENTS = 128
"""Longer paths are not matched against templates (no description nests that deep)."""
MAX_SERVER_COMBINATIONS = 64

_FOLDABLE = re.compile(
    r"/(?:\d+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?=/|\Z)"
)
FOLDED = "/\x00"


def load_spec(path: str) -> OpenAPI:
    """Load and check a description as ``apilint lint`` does; raise LoadError with the same
    one-line messages for files that are missing, unparsable, not OpenAPI or with broken $refs."""
    document = load_document(Path(path))
    api = OpenAPI.open(document)
    paths = api.data.get("paths")
    if paths is not None and not isinstance(paths, dict):
        kind = "a list" if isinstance(paths, list) else f"a {type(paths).__name__}"
        line, column = document.locate(("paths",))
        raise LoadError(
            f"'paths' is {kind}, not a mapping of path templates to path items",
            file=document.name,
            line=line,
            column=column,
        )
    return api


# -- base paths ----------------------------------------------------------------------------------

_VARIABLE = re.compile(r"\{([^{}]+)\}")


def normalize_base(path: str) -> str:
    """``/v1/`` -> ``/v1``; the root is the empty string."""
    path = path.strip()
    if not path.startswith("/"):
        path = "/" + path
    return path.rstrip("/")


def server_base_paths(server: Any) -> list[str]:
    """The path parts a Server Object's URL can take (variables: default, then enum values)."""
    urls = server_urls(server, limit=MAX_SERVER_COMBINATIONS, unset="")
    return list(dict.fromkeys(normalize_base(_url_path(url)) for url in urls))


def _url_path(url: str) -> str:
    """The path part of an absolute, scheme-relative or relative URL."""
    url = url.split("?", 1)[0].split("#", 1)[0]
    marker = url.find("://")
    if marker >= 0:
        rest = url[marker + 3 :]
    elif url.startswith("//"):
        rest = url[2:]
    else:
        return url
    slash = rest.find("/")
    return rest[slash:] if slash >= 0 else ""


def _servers_of(node: Node) -> list[str] | None:
    servers = node.get("servers")
    if not isinstance(servers, list) or not servers:
        return None
    bases = [base for server in servers for base in server_base_paths(server)]
    return list(dict.fromkeys(bases)) or None


def spec_base_paths(api: OpenAPI) -> list[str]:
    """The base paths of the description as a whole (servers or basePath; "" for none)."""
    if api.is_v2:
        base = api.data.get("basePath")
        return [normalize_base(base) if isinstance(base, str) else ""]
    return _servers_of(api.node()) or [""]


# -- matching ------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Route:
    """A documented operation."""

    index: int
    method: str
    """As the description writes it: a Path Item field's lower-case name, or an OpenAPI 3.2
    ``additionalOperations`` key (``Node.method``)."""
    template: str
    operation: Operation = field(repr=False)

    @property
    def label(self) -> str:
        return f"{wire_name(self.method)} {self.template}"


@dataclass(eq=False)
class _PathEntry:
    template: str
    methods: dict[str, Route] = field(default_factory=dict)


@dataclass(eq=False)
class _Node:
    literal: dict[str, _Node] = field(default_factory=dict)
    patterns: list[tuple[re.Pattern[str], _Node]] = field(default_factory=list)
    param: _Node | None = None
    entry: _PathEntry | None = None


OPERATION = "operation"
VARIANT = "variant"
IMPLICIT = "implicit"
UNDOCUMENTED = "undocumented"
INVALID = "invalid"


@dataclass(frozen=True)
class Match:
    """What a request is: an operation's (``OPERATION``), its trailing-slash variant's
    (``VARIANT``), an OPTIONS request on a documented path (``IMPLICIT``), an undocumented
    endpoint's (``UNDOCUMENTED``, with its ``template``) or not a path at all (``INVALID``)."""

    kind: str
    route: Route | None = None
    template: str = ""
    inside_base: bool = True
    """False when the path starts with none of the base paths."""
    path_documented: bool = False
    """For UNDOCUMENTED: the path is the description's (``template``), the method is not."""


def _segments(path: str) -> list[str]:
    """``/a/b%20c/`` -> ``["a", "b c", ""]``; ``/`` -> ``[""]``; an empty path -> ``[]``."""
    if not path:
        return []
    return [unquote(s) if "%" in s else s for s in path.split("/")[1:]]


def _toggle(segments: list[str]) -> list[str]:
    """The trailing-slash variant of a path given as segments (``/`` for the empty path)."""
    if segments and segments[-1] == "":
        return segments[:-1]
    return [*segments, ""]


def request_path(target: str) -> str | None:
    """The path of a request target without query or fragment; None when it has no path
    (``*``, ``host:443`` of CONNECT)."""
    end = len(target)
    for mark in ("?", "#"):
        found = target.find(mark)
        if 0 <= found < end:
            end = found
    path = target[:end]
    if path.startswith("/"):
        return path
    scheme = path.find("://")
    if scheme > 0:
        slash = path.find("/", scheme + 3)
        return path[slash:] if slash >= 0 else "/"
    return None


class Matcher:
    """Maps (method, request target) to a :class:`Match` against one description."""

    def __init__(self, api: OpenAPI, base_paths: Sequence[str] | None = None) -> None:
        self.api = api
        self.routes: list[Route] = []
        overridden = [normalize_base(b) for b in base_paths] if base_paths else None
        root_bases = overridden or spec_base_paths(api)
        self._tries: dict[str, _Node] = {}
        self._depth = 0
        for op in api.operations:
            route = Route(len(self.routes), op.method, op.path, op)
            self.routes.append(route)
            bases = overridden or (_servers_of(op.node) or _servers_of(op.path_item) or root_bases)
            for base in bases:
                self._insert(base, route)
        for base in root_bases:
            self._tries.setdefault(base, _Node())
        self.base_paths = sorted(self._tries, key=lambda b: (-len(b), b))
        """Longest first, so ``/api/v2`` is tried before ``/api``."""
        self.foldable = not any(_FOLDABLE.search(base) for base in self.base_paths) and all(
            self._foldable(trie) for trie in self._tries.values()
        )
        """True when numeric and UUID segments can only ever match a parameter: then
        ``/users/1`` and ``/users/2`` match alike, and :meth:`fold` gives them one cache key."""

    @staticmethod
    def _foldable(trie: _Node) -> bool:
        stack = [trie]
        while stack:
            node = stack.pop()
            for literal, child in node.literal.items():
                if _FOLDABLE.fullmatch("/" + literal):
                    return False
                stack.append(child)
            for regex, child in node.patterns:
                if regex.fullmatch("0") or regex.fullmatch("00000000-0000-0000-0000-000000000000"):
                    return False
                stack.append(child)
            if node.param is not None:
                stack.append(node.param)
        return True

    def fold(self, path: str) -> str:
        """``path`` with its numeric and UUID segments replaced by one marker, when that cannot
        change how it matches (see ``foldable``); else ``path`` itself."""
        if not self.foldable:
            return path
        return _FOLDABLE.sub(FOLDED, path)

    def _insert(self, base: str, route: Route) -> None:
        node = self._tries.setdefault(base, _Node())
        segments = _segments(route.template) if route.template.startswith("/") else []
        self._depth = max(self._depth, len(segments))
        for segment in segments:
            if "{" not in segment:
                node = node.literal.setdefault(unquote(segment), _Node())
            elif _VARIABLE.fullmatch(segment):
                if node.param is None:
                    node.param = _Node()
                node = node.param
            else:
                regex = segment_regex(segment)
                for existing, child in node.patterns:
                    if existing.pattern == regex.pattern:
                        node = child
                        break
                else:
                    child = _Node()
                    node.patterns.append((regex, child))
                    node = child
        if node.entry is None:
            node.entry = _PathEntry(route.template)
        node.entry.methods.setdefault(wire_name(route.method), route)

    def _entries(self, trie: _Node, segments: list[str]) -> list[_PathEntry]:
        """Every path item whose template matches, most specific first."""
        out: list[_PathEntry] = []
        if len(segments) > self._depth:
            return out
        stack: list[tuple[_Node, int]] = [(trie, 0)]
        while stack:
            node, depth = stack.pop()
            if depth == len(segments):
                if node.entry is not None:
                    out.append(node.entry)
                continue
            segment = segments[depth]
            # Pushed in reverse priority: literal, then mixed, then parameter, are popped first.
            if node.param is not None and segment:
                stack.append((node.param, depth + 1))
            for regex, child in reversed(node.patterns):
                if regex.fullmatch(segment):
                    stack.append((child, depth + 1))
            literal = node.literal.get(segment)
            if literal is not None:
                stack.append((literal, depth + 1))
        return out

    @staticmethod
    def _route(entries: list[_PathEntry], method: str) -> Route | None:
        for entry in entries:
            route = entry.methods.get(method)
            if route is not None:
                return route
        if method == "HEAD":
            for entry in entries:
                route = entry.methods.get("GET")
                if route is not None:
                    return route
        return None

    def match(self, method: str, target: str) -> Match:
        path = request_path(target)
        if path is None:
            return Match(INVALID)
        # A method with a Path Item field matches in any case, as before OpenAPI 3.2; any other
        # (an additionalOperations key) only as written: HTTP methods are case-sensitive.
        key = wire_name(method.lower()) if method.lower() in FIXED_KEYS else method
        candidates: list[tuple[_Node, list[str]]] = []
        for base in self.base_paths:
            if base and not (path == base or path.startswith(base + "/")):
                continue
            segments = _segments(path[len(base) :])
            if len(segments) <= MAX_SEGMENTS:
                candidates.append((self._tries[base], segments))
        if not candidates:
            segments = _segments(path)[:MAX_SEGMENTS]
            return Match(UNDOCUMENTED, template=template_of(segments), inside_base=False)
        first_entries: list[_PathEntry] = []
        for trie, segments in candidates:
            entries = self._entries(trie, segments)
            route = self._route(entries, key)
            if route is not None:
                return Match(OPERATION, route)
            if entries and not first_entries:
                first_entries = entries
        variant_entries: list[_PathEntry] = []
        for trie, segments in candidates:
            entries = self._entries(trie, _toggle(segments))
            route = self._route(entries, key)
            if route is not None:
                return Match(VARIANT, route)
            if entries and not variant_entries:
                variant_entries = entries
        if key == "OPTIONS" and (first_entries or variant_entries):
            return Match(IMPLICIT, template=(first_entries or variant_entries)[0].template)
        if first_entries:
            return Match(UNDOCUMENTED, template=first_entries[0].template, path_documented=True)
        return Match(UNDOCUMENTED, template=template_of(candidates[0][1]))
