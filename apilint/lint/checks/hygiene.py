"""Description hygiene: the checks from Spectral's ``spectral:oas`` and Redocly's
``recommended`` rulesets that find real defects a reader cannot see (docs/rules-coverage.md says
why these five): examples that contradict their schemas, components nothing uses, security
requirements naming schemes that don't exist, operations outside the tag structure, and
``required`` names no property defines.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apilint.core.errors import ApilintError
from apilint.core.pointer import Pointer, encode, lookup
from apilint.documents.openapi import MISSING, Node, OpenAPI, Result
from apilint.lint.checks import Context, Option, check
from apilint.lint.example_validation import CHECKED_FORMATS, Direction, ExampleValidator

# -- example-invalid ------------------------------------------------------------------------------

_JSONISH = re.compile(r"json|^\*/\*$|^application/\*$|^text/|x-www-form-urlencoded|^multipart/")


def _checkable(media_type: str) -> bool:
    """Media types whose examples are the JSON/YAML value itself (not XML or binary text)."""
    base = media_type.split(";", 1)[0].strip().lower()
    return bool(_JSONISH.search(base)) and "xml" not in base


class _Site:
    """One example value, the schema it must satisfy, and how to name it in a message."""

    __slots__ = ("direction", "label", "media_type", "schema", "value")

    def __init__(
        self,
        value: Node,
        schema: Node,
        direction: Direction,
        label: str,
        media_type: str | None = None,
    ) -> None:
        self.value = value
        self.schema = schema
        self.direction = direction
        self.label = label
        self.media_type = media_type


def _is_json(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return "json" in base or base in ("*/*", "application/*")


def _examples_of(
    owner: Node,
    schema: Node,
    direction: Direction,
    what: str,
    api: OpenAPI,
    media_type: str | None = None,
) -> Iterator[_Site]:
    """Sites for ``example`` and ``examples`` of a media type, parameter or header."""
    example = owner.child("example")
    if example.value is not MISSING and example.value is not None:
        yield _Site(example, schema, direction, f"the example of {what}", media_type)
    examples = owner.child("examples")
    if isinstance(examples.value, dict):
        for name in examples.value:
            try:
                entry = api.resolve(examples.child(name))
            except ApilintError:
                continue
            if isinstance(entry.value, dict) and "value" in entry.value:
                value = entry.child("value")
                if value.value is not None:
                    label = f"example '{name}' of {what}"
                    yield _Site(value, schema, direction, label, media_type)


def _sites(api: OpenAPI) -> Iterator[_Site]:
    if api.is_v2:
        for op in api.operations:
            for code, response in op.responses.items():
                examples = response.child("examples")
                schema = response.child("schema")
                if not isinstance(examples.value, dict) or not isinstance(schema.value, dict):
                    continue
                for media_type in examples.value:
                    if _checkable(str(media_type)):
                        yield _Site(
                            examples.child(media_type),
                            schema,
                            Direction.RESPONSE,
                            f"the {media_type} example of the {code} response",
                            str(media_type),
                        )
    else:
        for op in api.operations:
            body = op.request_body
            if body is not None:
                yield from _content_sites(body, Direction.REQUEST, "the request body", api)
            for param in op.parameters:
                what = f"parameter '{param.get('name')}'"
                schema = param.child("schema")
                if isinstance(schema.value, dict):
                    yield from _examples_of(param, schema, Direction.REQUEST, what, api)
                yield from _content_sites(param, Direction.REQUEST, what, api)
            for code, response in op.responses.items():
                yield from _content_sites(response, Direction.RESPONSE, f"the {code} response", api)
                headers = response.child("headers")
                if isinstance(headers.value, dict):
                    for name in headers.value:
                        header = api.resolve(headers.child(name))
                        schema = header.child("schema")
                        if isinstance(header.value, dict) and isinstance(schema.value, dict):
                            what = f"header '{name}'"
                            yield from _examples_of(header, schema, Direction.RESPONSE, what, api)
    list_examples = api.version.startswith(("3.1", "3.2"))
    for schema in api.schemas:
        value = schema.value
        if value.get("example") is not None:
            yield _Site(schema.child("example"), schema, Direction.EITHER, "the schema's example")
        if list_examples and isinstance(value.get("examples"), list):
            for index, item in enumerate(value["examples"]):
                if item is not None:
                    yield _Site(
                        schema.child("examples", index),
                        schema,
                        Direction.EITHER,
                        "the schema's example",
                    )


def _content_sites(owner: Node, direction: Direction, what: str, api: OpenAPI) -> Iterator[_Site]:
    content = owner.child("content")
    if not isinstance(content.value, dict):
        return
    for media_type, value in content.value.items():
        if not isinstance(value, dict) or not _checkable(str(media_type)):
            continue
        media = content.child(media_type)
        schema = media.child("schema")
        if isinstance(schema.value, dict):
            label = f"{what} ({media_type})"
            yield from _examples_of(media, schema, direction, label, api, str(media_type))


def _ref_objects(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    """Where ``value`` holds ``{"$ref": "..."}`` objects."""
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("$ref"), str):
            yield path
            return
        for k, v in value.items():
            if isinstance(v, (dict, list)):
                yield from _ref_objects(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            if isinstance(v, (dict, list)):
                yield from _ref_objects(v, (*path, i))


def _as_json(value: Any) -> Any:
    """A string that holds a JSON object or array, parsed; else MISSING."""
    if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return MISSING
    return MISSING


@check(
    "example_invalid",
    formats=Option(
        list,
        list(CHECKED_FORMATS),
        "String formats whose values are checked (others are accepted as written). 'uri' is "
        "left out by default: real examples often hold relative URLs.",
        items=str,
    ),
    maxPerExample=Option(int, 5, "At most this many findings for one example value."),
)
def example_invalid(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Example values must be valid against their schemas."""
    api = ctx.api
    validator = ExampleValidator(api, formats=options["formats"])
    if not validator.usable:
        return
    limit = max(1, options["maxPerExample"])
    pending: list[tuple[_Site, Any]] = []
    seen: set[tuple[int, Pointer, Any]] = set()
    for site in _sites(api):
        key = validator.schema_key(site.schema, site.direction)
        if key is None:
            continue
        mark = (id(site.value.doc), site.value.ptr, key)
        if mark not in seen:
            seen.add(mark)
            pending.append((site, key))
    for site, key in pending:
        value = site.value.value
        refs = list(_ref_objects(value, ()))
        if refs:
            for path in refs[:limit]:
                at = f" at {encode(path)}" if path else ""
                yield site.value.finding(
                    f"{site.label} holds a $ref object{at}: example values are literal data "
                    "and OpenAPI resolves no $ref inside them, so what readers see depends on "
                    "the tool; write the value out, or put the $ref on the whole Example Object",
                    *path,
                )
            continue
        problems = validator.problems(key, value)
        if not problems:
            continue
        inside = True
        if isinstance(value, str) and site.media_type is not None:
            parsed = _as_json(value) if _is_json(site.media_type) else MISSING
            if parsed is not MISSING:
                # A JSON document written as a string: the author means the document.
                again = validator.problems(key, parsed)
                if again is None:
                    continue
                problems, inside = again, False
            elif not _is_json(site.media_type) and all(p.kind == "Type" for p in problems):
                continue  # a form or text body written in its wire format: "a=1&b=2"
        if not problems:
            continue
        for index, problem in enumerate(problems[:limit]):
            where = encode(problem.path) if problem.path else ""
            at = f" at {where}" if where else ""
            more = ""
            if index == limit - 1 and len(problems) > limit:
                more = f" (and {len(problems) - limit} more problems in this example)"
            keys = problem.path if inside else ()
            yield site.value.finding(
                f"{site.label} does not match its schema{at}: {problem.message}{more}",
                *keys,
            )


# -- unused-component -----------------------------------------------------------------------------

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
_NAMES = frozenset(
    {"properties", "patternProperties", "definitions", "$defs", "schemas", "parameters",
     "responses", "headers", "securitySchemes", "links", "callbacks", "pathItems",
     "requestBodies", "paths", "webhooks", "dependentSchemas", "examples", "content",
     "encoding", "variables", "mapping", "scopes"}
)  # fmt: skip


_EXAMPLE = "\x00example"  # the parent of an Example Object: its "value" is literal data


def _scan(value: Any, parent: str | None) -> Iterator[tuple[str, str]]:
    """The references in ``value`` (found under the key ``parent``): ("ref", $ref),
    ("security", scheme name) and ("mapping", discriminator target). Literal data (examples,
    defaults, enums) is skipped; extensions are not (x-ms-paths holds real operations)."""
    stack: list[tuple[Any, str | None]] = [(value, parent)]
    while stack:
        node, parent = stack.pop()
        if isinstance(node, list):
            stack.extend((item, None) for item in node if isinstance(item, (dict, list)))
            continue
        if not isinstance(node, dict):
            continue
        if parent in _NAMES:
            # A map of names (properties, responses, examples...): every value is an object.
            child_parent = _EXAMPLE if parent == "examples" else None
            stack.extend((v, child_parent) for v in node.values() if isinstance(v, (dict, list)))
            continue
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield "ref", ref
        for key, child in node.items():
            if isinstance(child, str) and str(key).startswith("x-") and child.startswith("#/"):
                yield "ref", child  # x-ms-odata: "#/components/schemas/Filter"
                continue
            if not isinstance(child, (dict, list)):
                continue
            if (
                key in _LITERAL
                or (key == "examples" and isinstance(child, list))
                or (key == "value" and parent == _EXAMPLE)
            ):
                # Literal data; but a $ref written inside an example is meant as one (GitHub
                # writes them), whatever tools make of it: example-invalid reports that.
                yield from (("ref", r) for r in _literal_refs(child))
                continue
            if key == "security" and isinstance(child, list):
                for requirement in child:
                    if isinstance(requirement, dict):
                        for name in requirement:
                            yield "security", str(name)
            elif key == "discriminator" and isinstance(child, dict):
                mapping = child.get("mapping")
                if isinstance(mapping, dict):
                    for target in mapping.values():
                        if isinstance(target, str):
                            yield "mapping", target
            stack.append((child, key))


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
            f"{kinds[kind]} '{name}' is defined but nothing refers to it{also}: no $ref from "
            "the paths, from components in use or from the files they reach; remove it, or "
            "refer to it where it was meant to be used"
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
                    and "discriminator" in base
                    and usage.used(found[0], found[1])
                ):
                    usage.mark(api.root, ptr)
                    usage.walk_from(schema, api.root, None)
                    changed = True
                    break


# -- security-scheme-undefined --------------------------------------------------------------------


def _did_you_mean(name: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _declared_scopes(scheme: dict[str, Any]) -> set[str] | None:
    """The scopes an OAuth2 scheme declares; None for other kinds of scheme."""
    if scheme.get("type") != "oauth2":
        return None
    scopes: set[str] = set()
    if isinstance(scheme.get("scopes"), dict):  # Swagger 2.0
        scopes.update(str(s) for s in scheme["scopes"])
    flows = scheme.get("flows")
    if isinstance(flows, dict):
        for flow in flows.values():
            if isinstance(flow, dict) and isinstance(flow.get("scopes"), dict):
                scopes.update(str(s) for s in flow["scopes"])
    return scopes


@check("security_scheme_undefined")
def security_scheme_undefined(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Security requirements name defined schemes, and OAuth2 scopes those schemes declare."""
    api = ctx.api
    schemes: dict[str, dict[str, Any]] = {}
    container = (
        api.node("securityDefinitions") if api.is_v2 else api.node("components", "securitySchemes")
    )
    if isinstance(container.value, dict):
        for name in container.value:
            try:
                value = api.resolve(container.child(name)).value
            except ApilintError:
                value = None
            schemes[str(name)] = value if isinstance(value, dict) else {}
    where = "securityDefinitions" if api.is_v2 else "components.securitySchemes"
    defined = ", ".join(sorted(schemes)) or "none"
    sites = [api.node("security")] + [op.node.child("security") for op in api.operations]
    for site in sites:
        if not isinstance(site.value, list):
            continue
        for index, requirement in enumerate(site.value):
            if not isinstance(requirement, dict):
                continue
            for name, scopes in requirement.items():
                scheme = schemes.get(str(name))
                if scheme is None:
                    yield site.finding(
                        f"security scheme '{name}' is not defined in {where} (defined: "
                        f"{defined}){_did_you_mean(str(name), list(schemes))}: clients and "
                        "generated SDKs cannot know how to authenticate",
                        index,
                        name,
                    )
                    continue
                declared = _declared_scopes(scheme)
                if declared is None or not isinstance(scopes, list):
                    continue
                for position, scope in enumerate(scopes):
                    if isinstance(scope, str) and scope not in declared:
                        listed = ", ".join(sorted(declared)) or "none"
                        yield site.finding(
                            f"scope '{scope}' is not declared by the OAuth2 scheme '{name}' "
                            f"(it declares: {listed}){_did_you_mean(scope, sorted(declared))}",
                            index,
                            name,
                            position,
                        )


# -- operation-tags -------------------------------------------------------------------------------


@check(
    "operation_tags",
    requireTags=Option(
        bool, True, "Report operations without tags (when the other operations have some)."
    ),
    requireDeclared=Option(
        bool,
        True,
        "Report tags that operations use but the top-level tags list does not declare (only "
        "when the document has such a list).",
    ),
)
def operation_tags(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Operations have tags, and the tags they use are declared at the top level."""
    api = ctx.api
    ops = list(api.operations)
    tagged = [op for op in ops if isinstance(op.value.get("tags"), list) and op.value["tags"]]
    if options["requireTags"] and tagged:
        for op in ops:
            tags = op.value.get("tags")
            if not isinstance(tags, list) or not tags:
                yield op.node.finding(
                    f"{op.label} has no tags, while {len(tagged)} of the {len(ops)} operations "
                    "have: documentation tools list it apart from its group (under 'default'), "
                    "and SDK generators put it in a catch-all client"
                )
    declared_node = api.node("tags")
    if not options["requireDeclared"] or not isinstance(declared_node.value, list):
        return
    if not declared_node.value:
        return  # "tags: []" declares nothing, like no list at all
    declared = [t.get("name") for t in declared_node.value if isinstance(t, dict)]
    names = [n for n in declared if isinstance(n, str)]
    uses: dict[str, list[Node]] = {}
    for op in tagged:
        for index, tag in enumerate(op.value["tags"]):
            if isinstance(tag, str) and tag not in names:
                uses.setdefault(tag, []).append(op.node.child("tags", index))
    for tag, sites in uses.items():
        count = f"used by {len(sites)} operations" if len(sites) > 1 else "used here"
        yield sites[0].finding(
            f"tag '{tag}' ({count}) is not in the top-level tags list"
            f"{_did_you_mean(tag, names)}: it gets no description and no place in the order "
            "that list gives the documentation; declare it there (or fix the spelling)"
        )


# -- required-property-undefined ------------------------------------------------------------------

_COMPOSITION_LISTS = ("allOf", "anyOf", "oneOf")
_COMPOSITION_SINGLES = ("not", "if", "then", "else")


def _parents(api: OpenAPI) -> dict[tuple[int, Pointer], list[Node]]:
    """For each schema used inside a composition, the schemas that compose it."""
    out: dict[tuple[int, Pointer], list[Node]] = {}
    for schema in api.schemas:
        value = schema.value
        children: list[Node] = []
        for keyword in _COMPOSITION_LISTS:
            branches = value.get(keyword)
            if isinstance(branches, list):
                children.extend(schema.child(keyword, i) for i in range(len(branches)))
        for keyword in _COMPOSITION_SINGLES:
            if isinstance(value.get(keyword), dict):
                children.append(schema.child(keyword))
        dependent = value.get("dependentSchemas")
        if isinstance(dependent, dict):
            children.extend(schema.child("dependentSchemas", k) for k in dependent)
        for child in children:
            try:
                resolved = api.resolve(child)
            except ApilintError:
                continue
            out.setdefault((id(resolved.doc), resolved.ptr), []).append(schema)
    return out


@dataclass(frozen=True, slots=True)
class _Defined:
    """The properties a schema defines itself or through its allOf/anyOf/oneOf branches."""

    names: frozenset[str]
    patterns: tuple[str, ...]

    @property
    def anything(self) -> bool:
        return bool(self.names or self.patterns)

    def defines(self, name: str) -> bool:
        if name in self.names:
            return True
        for pattern in self.patterns:
            try:
                if re.search(pattern, name):
                    return True
            except re.error:
                return True  # an ECMA-only pattern: don't guess
        return False


_NOTHING = _Defined(frozenset(), ())


class _Properties:
    """Which properties the schemas of one document define, memoized: the check asks the
    schema itself and its branches first, and climbs to the schemas that compose it only for
    the names still missing (an abstract PagingObject requires the ``items`` its subtypes
    define)."""

    def __init__(self, api: OpenAPI) -> None:
        self.api = api
        self._parents: dict[tuple[int, Pointer], list[Node]] | None = None
        self._down: dict[tuple[int, Pointer], _Defined] = {}

    @property
    def parents(self) -> dict[tuple[int, Pointer], list[Node]]:
        """Built on the first name a schema's own branches don't define."""
        if self._parents is None:
            self._parents = _parents(self.api)
        return self._parents

    def down(self, node: Node, depth: int = 0) -> _Defined:
        try:
            node = self.api.resolve(node)
        except ApilintError:
            return _NOTHING
        mark = (id(node.doc), node.ptr)
        cached = self._down.get(mark)
        if cached is not None:
            return cached
        self._down[mark] = _NOTHING  # a cycle ends here
        value = node.value
        if not isinstance(value, dict) or depth > 32:
            return _NOTHING
        names: set[str] = set()
        patterns: list[str] = []
        props = value.get("properties")
        if isinstance(props, dict):
            names.update(str(k) for k in props)
        pattern_props = value.get("patternProperties")
        if isinstance(pattern_props, dict):
            patterns.extend(str(p) for p in pattern_props)
        for keyword in _COMPOSITION_LISTS:
            branches = value.get(keyword)
            if isinstance(branches, list):
                for index in range(len(branches)):
                    below = self.down(node.child(keyword, index), depth + 1)
                    names |= below.names
                    patterns.extend(below.patterns)
        result = _Defined(frozenset(names), tuple(patterns))
        self._down[mark] = result
        return result

    def missing(self, schema: Node, required: list[str]) -> tuple[list[str], bool, set[str]]:
        """The required names no schema of the family defines; whether the family defines any
        property at all; the names it was seen to define (for suggestions)."""
        own = self.down(schema)
        seen_names = set(own.names)
        anything = own.anything
        left = [n for n in required if not own.defines(n)]
        if not left:
            return [], anything, seen_names
        try:
            start = self.api.resolve(schema)
        except ApilintError:
            return [], anything, seen_names
        queue = [(start, 0)]
        visited = {(id(start.doc), start.ptr)}
        while queue and left and len(visited) < _MAX_VISITS:
            node, level = queue.pop(0)
            if level >= _MAX_LEVELS:
                continue
            for parent in self.parents.get((id(node.doc), node.ptr), []):
                mark = (id(parent.doc), parent.ptr)
                if mark in visited:
                    continue
                visited.add(mark)
                defined = self.down(parent)
                anything = anything or defined.anything
                seen_names |= defined.names
                left = [n for n in left if not defined.defines(n)]
                queue.append((parent, level + 1))
        return left, anything, seen_names


_MAX_LEVELS = 4
_MAX_VISITS = 5000


@check("required_property_undefined")
def required_property_undefined(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Every name in a schema's ``required`` is a property the schema (or its composition)
    defines."""
    properties: _Properties | None = None
    for schema in targets:
        value = schema.value
        required = value.get("required") if isinstance(value, dict) else None
        if not isinstance(required, list) or not required:
            continue
        if properties is None:
            properties = _Properties(ctx.api)
        names = [n for n in required if isinstance(n, str)]
        missing, anything, known_names = properties.missing(schema, names)
        if not missing or not anything:
            continue  # a free-form object that requires some keys: legal and deliberate
        closed = value.get("additionalProperties") is False
        known = sorted(known_names)
        shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
        consequence = (
            "with additionalProperties: false no valid object can exist"
            if closed
            else "validators demand a property the schema never describes, and SDK models lack it"
        )
        for index, name in enumerate(required):
            if name in missing:
                yield schema.finding(
                    f"'{name}' is required but no property '{name}' is defined (properties: "
                    f"{shown}){_did_you_mean(name, known)}: {consequence}",
                    "required",
                    index,
                )
