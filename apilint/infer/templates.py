"""Turning the cleaned shapes into path templates, with typed parameters.

The shapes go into a tree, one level per segment, and the tree is templated bottom-up:

- the value markers of one position (``<integer>``, ``<uuid>``, ``<date>``, ``<string>`` for
  hashes and tokens) become one parameter, typed from the kinds seen there (integer; string with
  format uuid, date or date-time; plain string when kinds mix);
- words in one position become a parameter too when they are values rather than names:
  * two or more siblings, all file formats (``json``, ``xml``, ``csv``...), all language tags
    (``en``, ``pt-BR``) or all upper-case codes (``EUR``, ``USD``), whose subtrees look alike
    (same methods, same frequent query parameters, same continuations): an ``enum`` of them;
  * ``MANY`` or more siblings with the same extension (or none), nine in ten of them with
    subtrees of the same structure and none followed by an id (a segment followed by an id names a
    collection): slugs, user names, file names (``/assets/{asset}.js``);
  * every word of a position that held more than ``observe.MAX_WORDS`` distinct ones;
- a literal word next to a parameter stays literal (``/users/me`` beside ``/users/{userId}``), as
  OpenAPI matches concrete paths first; so does the empty last segment of a trailing slash.

Everything else stays a word: ``/api/health`` and ``/api/search`` beside each other are two
operations, not ``/api/{name}``. When unsure, a path is left as it was called.

A parameter is named from the segment before it: ``/users/{userId}``, ``/export/{format}``,
``/reports/{date}``; ``{id}`` when there is no such word; names are unique within a path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from apilint.http.words import singular, split_words
from apilint.infer.observe import WORD, Key, Tally, is_marker, marker, unmark

MANY = 20
MANY_SHARE = 0.9
REQUIRED_SHARE_FOR_SIGNATURE = 0.5

FORMATS = frozenset(
    (
        "json",
        "xml",
        "csv",
        "tsv",
        "yaml",
        "yml",
        "html",
        "htm",
        "txt",
        "text",
        "pdf",
        "xls",
        "xlsx",
        "ods",
        "odt",
        "doc",
        "docx",
        "md",
        "markdown",
        "rss",
        "atom",
        "ics",
        "vcf",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "webp",
        "zip",
        "gz",
        "ndjson",
        "jsonl",
        "parquet",
        "avro",
        "msgpack",
    )
)
_LANGUAGE = re.compile(r"[a-z]{2}(?:[-_][A-Za-z]{2}|[-_][A-Z][a-z]{3})?\Z")
_EXTENSION = re.compile(r"([^.]+)(\.[A-Za-z0-9]{1,8})\Z")
_UPPER_CODE = re.compile(r"[A-Z]{2,3}\Z")
PARAM = "param"
_SAFE = "!$&'()*+,;=:@-._~"


@dataclass(eq=False)
class Node:
    children: dict[str, Node] = field(default_factory=dict)
    ops: dict[str, Tally] = field(default_factory=dict)
    kinds: set[str] = field(default_factory=set)
    """For a parameter: the kinds of value seen (integer, uuid, date, date-time, string)."""
    values: dict[str, int] | None = None
    """For a parameter made of words: the words and their calls."""
    role: str = ""
    """For a parameter made of words: format, locale, code or many."""

    def calls(self) -> int:
        return sum(t.calls for t in self.ops.values()) + sum(
            c.calls() for c in self.children.values()
        )


def _merge(target: Node, other: Node) -> None:
    for method, tally in other.ops.items():
        mine = target.ops.get(method)
        if mine is None:
            target.ops[method] = tally
        else:
            mine.add(tally)
    for key, child in other.children.items():
        mine_child = target.children.get(key)
        if mine_child is None:
            target.children[key] = child
        else:
            _merge(mine_child, child)
    target.kinds |= other.kinds
    if other.values is not None:
        if target.values is None:
            target.values = {}
        for word, n in other.values.items():
            target.values[word] = target.values.get(word, 0) + n
    target.role = target.role or other.role


def _signature(node: Node) -> tuple[object, ...]:
    ops = tuple(
        sorted(
            (
                method,
                tuple(
                    sorted(
                        name
                        for name, param in tally.query.items()
                        if param.requests >= REQUIRED_SHARE_FOR_SIGNATURE * tally.calls
                    )
                ),
            )
            for method, tally in node.ops.items()
        )
    )
    children = tuple(
        sorted(
            ((key if not is_marker(key) else marker(PARAM, unmark(key)[1])), _signature(child))
            for key, child in node.children.items()
        )
    )
    return (ops, children)


def _role(words: list[str]) -> str:
    if all(w.lower() in FORMATS for w in words):
        return "format"
    if all(_LANGUAGE.match(w) for w in words):
        return "locale"
    if all(_UPPER_CODE.match(w) for w in words):
        return "code"
    return ""


def _has_param_child(node: Node) -> bool:
    return any(is_marker(key) for key in node.children)


def _structure(node: Node) -> tuple[object, ...]:
    """The shape of a subtree without its methods and query parameters."""
    return tuple(
        sorted(
            ((key if not is_marker(key) else marker(PARAM, unmark(key)[1])), _structure(child))
            for key, child in node.children.items()
        )
    )


def _extension(word: str) -> str:
    found = _EXTENSION.match(word)
    return found.group(2) if found else ""


def _words_to_merge(node: Node) -> list[tuple[list[str], str, str]]:
    """Groups of literal children to merge: (words, role, suffix)."""
    words = [k for k in node.children if k and not is_marker(k)]
    if len(words) < 2:
        return []
    role = _role(words)
    if role:
        signatures = {_signature(node.children[w]) for w in words}
        if len(signatures) == 1:
            return [(words, role, "")]
    if len(words) < MANY:
        return []
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(_extension(word), []).append(word)
    out = []
    for suffix, group in groups.items():
        if len(group) < MANY or any(_has_param_child(node.children[w]) for w in group):
            continue
        counts: dict[tuple[object, ...], int] = {}
        for w in group:
            structure = _structure(node.children[w])
            counts[structure] = counts.get(structure, 0) + 1
        if max(counts.values()) >= MANY_SHARE * len(group):
            out.append((group, "many", suffix))
    return out


def template(node: Node) -> None:
    """Template ``node``'s subtree in place (see the module's description)."""
    for key in [k for k in node.children if is_marker(k)]:
        kind, suffix = unmark(key)
        if kind == PARAM:
            continue
        child = node.children.pop(key)
        child.kinds.add(kind)
        param_key = marker(PARAM, suffix)
        existing = node.children.get(param_key)
        if existing is None:
            node.children[param_key] = child
        else:
            _merge(existing, child)
    for key in [k for k in node.children if is_marker(k)]:
        param = node.children[key]
        if WORD in param.kinds:
            # The position held too many words to keep: the ones kept are values too.
            suffix = unmark(key)[1]
            param.role = "many"
            param.kinds.discard(WORD)
            param.kinds.add("string")
            for word in [w for w in node.children if w and not is_marker(w)]:
                if _extension(word) == suffix:
                    _merge(param, node.children.pop(word))
    for child in node.children.values():
        template(child)
    groups = _words_to_merge(node)
    for words, role, suffix in groups:
        merged = Node(values={}, role=role)
        for word in words:
            child = node.children.pop(word)
            assert merged.values is not None
            merged.values[word] = child.calls()
            child_values = child.values
            child.values = None
            _merge(merged, child)
            child.values = child_values
        merged.kinds.add("string")
        param_key = marker(PARAM, suffix)
        existing = node.children.get(param_key)
        if existing is not None:
            _merge(merged, existing)
            merged.role = "many"
        node.children[param_key] = merged
        template(merged)


# -- from the tree to operations -----------------------------------------------------------------


@dataclass
class PathParam:
    name: str
    kinds: set[str]
    values: dict[str, int] | None
    role: str


@dataclass
class Operation:
    method: str
    """Upper case."""
    path: str
    """The template, ``/users/{userId}``."""
    params: list[PathParam]
    tally: Tally
    literal_segments: list[str]
    """The path's literal segments, for tags."""


def _camel(words: list[str]) -> str:
    lowered = [w.lower() for w in words if w]
    if not lowered:
        return ""
    return lowered[0] + "".join(w[:1].upper() + w[1:] for w in lowered[1:])


def _name_for(previous: str | None, param: Node) -> str:
    if param.role in ("format", "locale", "code"):
        return param.role
    if param.kinds and param.kinds <= {"date", "date-time"}:
        return "date"
    words = list(split_words(previous)) if previous else []
    words = [w for w in words if w.isalnum()]
    if words and words[-1].isalpha():
        words[-1] = singular(words[-1].lower())
    else:
        words = []
    base = _camel(words)
    if param.role == "many":
        return base or "name"
    if not base:
        return "id"
    return base + "Id"


def operations(root: Node) -> list[Operation]:
    """The templated operations of the tree, in path order."""
    out: list[Operation] = []

    def walk(
        node: Node,
        parts: list[str],
        params: list[PathParam],
        literals: list[str],
        previous: str | None,
    ) -> None:
        if parts or node.ops:
            path = "/" + "/".join(parts)
            for method, tally in node.ops.items():
                out.append(Operation(method, path, list(params), tally, list(literals)))
        for key in sorted(node.children, key=lambda k: (is_marker(k), k)):
            child = node.children[key]
            if is_marker(key):
                _, suffix = unmark(key)
                name = _name_for(previous, child)
                taken = {p.name for p in params}
                unique, n = name, 2
                while unique in taken:
                    unique, n = f"{name}{n}", n + 1
                param = PathParam(unique, set(child.kinds), child.values, child.role)
                walk(
                    child,
                    [*parts, "{" + unique + "}" + quote(suffix, safe=_SAFE)],
                    [*params, param],
                    literals,
                    None,
                )
            else:
                walk(child, [*parts, quote(key, safe=_SAFE)], params, [*literals, key], key)

    walk(root, [], [], [], None)
    return out


def build_tree(tallies: dict[Key, Tally]) -> Node:
    root = Node()
    for (method, shape), tally in tallies.items():
        node = root
        for segment in shape:
            child = node.children.get(segment)
            if child is None:
                child = node.children[segment] = Node()
            node = child
        existing = node.ops.get(method)
        if existing is None:
            node.ops[method] = tally
        else:
            existing.add(tally)
    return root


def templated(tallies: dict[Key, Tally]) -> list[Operation]:
    root = build_tree(tallies)
    template(root)
    return operations(root)
