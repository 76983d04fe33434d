"""unused-component: components nothing refers to, from the paths, from components in use or
from the files they reach (discriminator mappings and subtypes count as uses).

One of the hygiene rules (rules/hygiene.yaml) that Spectral's ``spectral:oas`` and Redocly's
``recommended`` rulesets have too; docs/rules-coverage.md says why these five."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from apilint.core.errors import ApilintError
from apilint.core.pointer import Pointer, encode, lookup
from apilint.documents.openapi import Node, OpenAPI, Result
from apilint.lint.checks import Context, Option, check, per_megabyte

_V3_KINDS = {
    "schemas": "schema",
    "responses": "response",
    "parameters": "parameter",
    "examples": "example",
    "requestBodies": "request body",
    "headers": "header",
    "securitySchemes": "security scheme",
    "links": "link",
    "callbacks": "callback",
    "pathItems": "path item",
}
_V2_KINDS = {
    "definitions": "schema",
    "parameters": "parameter",
    "responses": "response",
    "securityDefinitions": "security scheme",
}
_LITERAL = frozenset({"example", "default", "enum", "const"})
_SPECIAL = _LITERAL | {"examples", "value", "security", "discriminator"}  # keys _scan looks at
_NAMES = frozenset(
    {"properties", "patternProperties", "definitions", "$defs", "schemas", "parameters",
     "responses", "headers", "securitySchemes", "links", "callbacks", "pathItems",
     "requestBodies", "paths", "webhooks", "dependentSchemas", "examples", "content",
     "encoding", "variables", "mapping", "scopes"}
)  # fmt: skip


# Parsed JSON and YAML hold exactly these container types (never subclasses).
_CONTAINERS = (dict, list)
_EXAMPLE = "\x00example"  # the parent of an Example Object: its "value" is literal data


def _scan(value: Any, parent: str | None) -> Iterator[tuple[str, str]]:
    """The references in ``value`` (found under the key ``parent``): ("ref", $ref),
    ("security", scheme name) and ("mapping", discriminator target). Literal data (examples,
    defaults, enums) is skipped; extensions are not (x-ms-paths holds real operations). This
    reads the whole description: the loop is written for speed."""
    stack: list[tuple[Any, str | None]] = [(value, parent)]
    pop, push = stack.pop, stack.append
    while stack:
        node, parent = pop()
        if type(node) is list:
            stack.extend([(item, None) for item in node if type(item) in _CONTAINERS])
            continue
        if type(node) is not dict:
            continue
        if parent in _NAMES:
            # A map of names (properties, responses, examples...): every value is an object.
            child_parent = _EXAMPLE if parent == "examples" else None
            stack.extend([(v, child_parent) for v in node.values() if type(v) in _CONTAINERS])
            continue
        ref = node.get("$ref")
        if type(ref) is str:
            yield "ref", ref
        for key, child in node.items():
            kind = type(child)
            if kind is str:
                if child[:2] == "#/" and str(key)[:2] == "x-":
                    yield "ref", child  # x-ms-odata: "#/components/schemas/Filter"
                continue
            if kind is not dict and kind is not list:
                continue
            if key in _SPECIAL:
                if (
                    key in _LITERAL
                    or (key == "examples" and kind is list)
                    or (key == "value" and parent == _EXAMPLE)
                ):
                    # Literal data; but a $ref written inside an example is meant as one
                    # (GitHub writes them), whatever tools make of it: example-invalid
                    # reports that.
                    yield from (("ref", r) for r in _literal_refs(child))
                    continue
                if key == "security" and kind is list:
                    for requirement in child:
                        if isinstance(requirement, dict):
                            for name in requirement:
                                yield "security", str(name)
                elif key == "discriminator" and kind is dict:
                    mapping = child.get("mapping")
                    if isinstance(mapping, dict):
                        for target in mapping.values():
                            if isinstance(target, str):
                                yield "mapping", target
            push((child, key))


def _literal_refs(value: Any) -> Iterator[str]:
    """$ref strings anywhere inside literal data."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and len(node) == 1:
                yield ref
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))


class _Usage:
    """Everything reachable from the description's paths, webhooks and other non-component
    parts, following $refs into components and other files, transitively."""

    def __init__(self, api: OpenAPI) -> None:
        self.api = api
        self.security_names: set[str] = set()
        self._used: set[tuple[int, Pointer]] = set()
        self._walked: set[tuple[int, Pointer]] = set()
        self._followed: set[tuple[str, int, str]] = set()

    def target(self, kind: str, ref: str, doc: Any) -> tuple[Any, Pointer] | None:
        """Where a ("ref" or "mapping") reference written in ``doc`` points."""
        if kind == "mapping" and not any(c in ref for c in "#/."):
            base = ("definitions",) if self.api.is_v2 else ("components", "schemas")
            ref, doc = "#" + encode((*base, ref)), self.api.root
        try:
            return self.api.resolver.target(ref, doc)
        except ApilintError:
            return None

    def walk_from(self, value: Any, doc: Any, parent: str | None) -> None:
        work = [(value, doc, parent)]
        while work:
            value, doc, parent = work.pop()
            for kind, ref in _scan(value, parent):
                if kind == "security":
                    self.security_names.add(ref)
                    continue
                followed = (kind, id(doc), ref)
                if followed in self._followed:
                    continue  # the same reference again: it leads where it led before
                self._followed.add(followed)
                found = self.target(kind, ref, doc)
                if found is None:
                    continue
                target_doc, target_ptr = found
                self.mark(target_doc, target_ptr)
                key = id(target_doc)
                if any((key, target_ptr[:i]) in self._walked for i in range(len(target_ptr) + 1)):
                    continue
                self._walked.add((key, target_ptr))
                try:
                    target = lookup(target_doc.data, target_ptr)
                except KeyError:
                    continue
                work.append((target, target_doc, _parent_of(target_ptr)))

    def mark(self, doc: Any, ptr: Pointer) -> None:
        key = id(doc)
        for i in range(1, len(ptr) + 1):
            self._used.add((key, ptr[:i]))

    def used(self, doc: Any, ptr: Pointer) -> bool:
        """Something refers to ``ptr`` or to a part of it."""
        return (id(doc), ptr) in self._used


def _parent_of(ptr: Pointer) -> str | None:
    """How to read the object at ``ptr`` when a $ref lands there."""
    if len(ptr) >= 2 and ptr[-2] == "examples":
        return _EXAMPLE
    return None


@check(
    "unused_components",
    cost=per_megabyte(0.008),
    ignore=Option(
        list,
        [],
        "Components to leave alone, as glob patterns on 'kind/name' or 'name' (for example "
        "'schemas/Legacy*', 'Error').",
        items=str,
    ),
)
def unused_components(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Every component is used: referred to from paths, webhooks, other used components, or
    the files those reach. Each unused group is reported once, at the component that nothing
    at all refers to."""
    api = ctx.api
    data = api.data
    has_paths = isinstance(data.get("paths"), dict) and bool(data["paths"])
    if not has_paths and not data.get("webhooks"):
        return  # a library of components for other descriptions to use
    containers: dict[str, tuple[str, ...]]
    if api.is_v2:
        containers = {kind: (kind,) for kind in _V2_KINDS}
        kinds = _V2_KINDS
    else:
        containers = {kind: ("components", kind) for kind in _V3_KINDS}
        kinds = _V3_KINDS
    roots = {ptr[0] for ptr in containers.values()}
    usage = _Usage(api)
    usage.walk_from({k: v for k, v in data.items() if k not in roots}, api.root, None)
    if not api.is_v2 and isinstance(data.get("components"), dict):
        extensions = {k: v for k, v in data["components"].items() if k not in _V3_KINDS}
        usage.walk_from(extensions, api.root, None)
    _discriminator_children(api, usage, containers)
    patterns = options["ignore"]
    unused: dict[Pointer, tuple[str, str]] = {}  # component pointer -> (kind, name)
    for kind, ptr in containers.items():
        container = api.node(*ptr)
        if not isinstance(container.value, dict):
            continue
        for name in container.value:
            if not isinstance(name, str) or name.startswith("x-"):
                continue
            if any(
                fnmatch.fnmatchcase(f"{kind}/{name}", p) or fnmatch.fnmatchcase(name, p)
                for p in patterns
            ):
                continue
            if kind in ("securitySchemes", "securityDefinitions"):
                if name in usage.security_names or usage.used(api.root, (*ptr, name)):
                    continue
                yield container.child(name).finding(
                    f"security scheme '{name}' is defined but no security requirement (of the "
                    "document or of an operation) uses it"
                )
            elif not usage.used(api.root, (*ptr, name)):
                unused[(*ptr, name)] = (kind, name)
    depth = 2 if api.is_v2 else 3
    edges: dict[Pointer, set[Pointer]] = {}
    for component_ptr in unused:
        found: set[Pointer] = set()
        for ref_kind, ref in _scan(lookup(data, component_ptr), None):
            if ref_kind == "security":
                continue
            target = usage.target(ref_kind, ref, api.root)
            if target is not None and target[0] is api.root:
                component = target[1][:depth]
                if component in unused and component != component_ptr:
                    found.add(component)
        edges[component_ptr] = found
    for root_ptr, through in _unused_roots(list(unused), edges):
        kind, name = unused[root_ptr]
        also = ""
        if through:
            others = ", ".join(f"'{unused[p][1]}'" for p in through[:3])
            more = f" and {len(through) - 3} more" if len(through) > 3 else ""
            also = f" (and it refers to {len(through)} other unused components: {others}{more})"
        yield api.node(*root_ptr).finding(
            f"{kinds[kind]} '{name}' is defined but nothing refers to it{also}"
        )


def _unused_roots(
    unused: list[Pointer], edges: dict[Pointer, set[Pointer]]
) -> Iterator[tuple[Pointer, list[Pointer]]]:
    """The unused components nothing else refers to (one per cycle that has none), each with
    the unused components reachable only through it."""
    referred = {t for targets in edges.values() for t in targets}
    covered: set[Pointer] = set()
    order = [p for p in unused if p not in referred] + [p for p in unused if p in referred]
    for ptr in order:
        if ptr in covered:
            continue
        reach: list[Pointer] = []
        stack = list(edges[ptr])
        seen = {ptr}
        while stack:
            target = stack.pop()
            if target in seen:
                continue
            seen.add(target)
            reach.append(target)
            stack.extend(edges.get(target, ()))
        covered.update(seen)
        reached = set(reach)
        yield ptr, [p for p in unused if p in reached]


def _discriminator_children(
    api: OpenAPI, usage: _Usage, containers: dict[str, tuple[str, ...]]
) -> None:
    """Schemas that extend a used schema with a discriminator (``allOf: [$ref: Pet]`` in Dog)
    are used implicitly: the discriminator picks them by name."""
    schemas_ptr = containers.get("definitions") or containers.get("schemas")
    if schemas_ptr is None:
        return
    schemas = api.node(*schemas_ptr)
    if not isinstance(schemas.value, dict):
        return
    memo: dict[int, bool] = {}
    changed = True
    while changed:
        changed = False
        for name, schema in schemas.value.items():
            ptr = (*schemas_ptr, name)
            if not isinstance(schema, dict) or usage.used(api.root, ptr):
                continue
            branches = schema.get("allOf")
            if not isinstance(branches, list):
                continue
            for branch in branches:
                ref = branch.get("$ref") if isinstance(branch, dict) else None
                if not isinstance(ref, str):
                    continue
                try:
                    found = api.resolver.target(ref, api.root)
                    base = lookup(found[0].data, found[1]) if found else None
                except (ApilintError, KeyError):
                    continue
                if (
                    found is not None
                    and isinstance(base, dict)
                    and _has_discriminator(api, base, found[0], memo, 0)
                    and usage.used(found[0], found[1])
                ):
                    usage.mark(api.root, ptr)
                    usage.walk_from(schema, api.root, None)
                    changed = True
                    break


def _has_discriminator(
    api: OpenAPI, schema: dict[str, Any], doc: Any, memo: dict[int, bool], depth: int
) -> bool:
    """The schema has a discriminator, or inherits one through ``allOf`` (Pet -> Dog -> Puppy:
    Puppy is picked by Pet's discriminator as much as Dog is)."""
    if "discriminator" in schema:
        return True
    key = id(schema)
    if key in memo:
        return memo[key]
    memo[key] = False  # a cycle inherits nothing
    found = False
    branches = schema.get("allOf")
    if isinstance(branches, list) and depth < 8:
        for branch in branches:
            ref = branch.get("$ref") if isinstance(branch, dict) else None
            if not isinstance(ref, str):
                continue
            try:
                target = api.resolver.target(ref, doc)
                parent = lookup(target[0].data, target[1]) if target else None
            except (ApilintError, KeyError):
                continue
            if target is None or not isinstance(parent, dict):
                continue
            if _has_discriminator(api, parent, target[0], memo, depth + 1):
                found = True
                break
    memo[key] = found
    return found
