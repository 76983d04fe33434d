"""An OpenAPI-aware view of a loaded description: the named targets that rules ask for.

The view is built lazily and once per document: the first rule that asks for ``operations`` pays
for finding them, every later rule reuses the list. Every node carries where its content is
written (document and pointer, after following $refs), and, when it belongs to one, the operation
(method and path template) it was reached from.

Swagger 2.0 and OpenAPI 3.x differ in where things live (``definitions`` vs
``components/schemas``, ``in: body`` parameters vs ``requestBody``); the view hides what it can.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from apilint.core.errors import LoadError
from apilint.core.findings import Severity
from apilint.core.pointer import Pointer
from apilint.documents.loader import Document, LoadOptions
from apilint.documents.refs import Resolver
from apilint.http.methods import (
    ADDITIONAL_OPERATIONS,
    HTTP_METHODS,
    OPERATION_KEYS,
    path_item_methods,
    wire_name,
)
from apilint.http.paths import Template, parse

T = TypeVar("T")

TARGETS = (
    "document",
    "info",
    "servers",
    "tags",
    "paths",
    "path-items",
    "operations",
    "parameters",
    "request-bodies",
    "responses",
    "media-types",
    "headers",
    "schemas",
    "components",
    "security-schemes",
)
"""Names a rule's ``given`` can use instead of a JSONPath."""


class Missing:
    """The value of a field that is not there (``then.field`` on an object without it)."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = Missing()


@dataclass(slots=True, eq=False)
class Node:
    """A value in a document, where it is written, and the operation it belongs to."""

    value: Any
    doc: Document
    ptr: Pointer
    path: str | None = None
    """Path template (``/users/{id}``) of the path item or operation this node belongs to."""
    method: str | None = None
    """Method of the operation this node belongs to: the Path Item field's lower-case name
    (``get``, ``query``), or an OpenAPI 3.2 ``additionalOperations`` key as written (``PURGE``).
    ``http.methods.wire_name`` gives what is sent."""

    @property
    def key(self) -> str | int | None:
        return self.ptr[-1] if self.ptr else None

    @property
    def operation(self) -> str | None:
        if self.method and self.path is not None:
            return f"{wire_name(self.method)} {self.path}"
        return None

    def child(self, *keys: str | int) -> Node:
        """The node at ``keys`` below this one (MISSING value when absent); no $ref following."""
        value = self.value
        for key in keys:
            if isinstance(value, dict) and isinstance(key, str):
                value = value.get(key, MISSING)
            elif isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
                value = value[key]
            else:
                value = MISSING
        return Node(value, self.doc, (*self.ptr, *keys), self.path, self.method)

    def get(self, key: str, default: Any = None) -> Any:
        """``value[key]`` when the value is an object that has it, else ``default``."""
        value = self.value
        if isinstance(value, dict):
            return value.get(key, default)
        return default

    def finding(self, message: str, *keys: str | int, severity: Severity | None = None) -> Result:
        """A result at this node (or at ``keys`` below it); ``severity`` lowers the rule's default
        for a milder case (a severity the user configured for the rule wins)."""
        return Result(message, self.doc, (*self.ptr, *keys), self.operation, severity)


@dataclass(frozen=True, slots=True)
class Result:
    """What a check function yields: a message and where it applies."""

    message: str
    doc: Document
    ptr: Pointer
    operation: str | None = None
    severity: Severity | None = None
    """At most this severity: a check may report some results below its rule's severity
    (a DELETE with a body is less alarming than a GET with one), never above it."""


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation: ``node`` is the Operation Object, ``path_item`` its (resolved) Path Item."""

    node: Node
    path_item: Node
    api: OpenAPI

    @property
    def method(self) -> str:
        return self.node.method or ""

    @property
    def path(self) -> str:
        return self.node.path or ""

    @property
    def wire_method(self) -> str:
        """The method as sent on the wire (``GET``, ``QUERY``, ``PURGE``)."""
        return wire_name(self.method)

    @property
    def label(self) -> str:
        return f"{self.wire_method} {self.path}"

    @property
    def value(self) -> dict[str, Any]:
        value = self.node.value
        return value if isinstance(value, dict) else {}

    @property
    def operation_id(self) -> str | None:
        op_id = self.value.get("operationId")
        return op_id if isinstance(op_id, str) else None

    @property
    def parameters(self) -> list[Node]:
        """Effective parameters, resolved: operation-level ones override path-level ones with the
        same name and location."""
        return self.api.operation_parameters(self)

    @property
    def responses(self) -> dict[str, Node]:
        """Responses by status code (as written: "200", "2XX", "default"), resolved."""
        return self.api.operation_responses(self)

    @property
    def request_body(self) -> Node | None:
        """The resolved Request Body (OpenAPI 3) or ``in: body`` parameter (Swagger 2.0)."""
        return self.api.operation_request_body(self)


class OpenAPI:
    """The named targets of one root document (and the documents its refs reach)."""

    def __init__(self, root: Document, resolver: Resolver) -> None:
        self.root = root
        self.resolver = resolver
        data = root.data if isinstance(root.data, dict) else {}
        self.data: dict[str, Any] = data
        self.version = _version_of(data)
        self.is_v2 = self.version.startswith("2")
        self.minor = supported_version(self.version) or ""
        """The version as major.minor ("2.0", "3.0", "3.1", "3.2"); empty when unsupported."""
        self._parameters: dict[tuple[str, Pointer], list[Node]] = {}
        self._responses: dict[tuple[str, Pointer], dict[str, Node]] = {}
        self._memo: dict[str, Any] = {}

    @classmethod
    def open(
        cls,
        doc: Document,
        *,
        options: LoadOptions | None = None,
        allow_remote: bool = False,
        ref_root: Path | None = None,
    ) -> OpenAPI:
        """The view of a loaded document, checked as every command needs it: an OpenAPI (or
        Swagger) root, every $ref resolvable, a version apilint reads. LoadError otherwise."""
        data = doc.data
        if not isinstance(data, dict) or not ("openapi" in data or "swagger" in data):
            raise LoadError(
                "not an OpenAPI document (no top-level 'openapi' or 'swagger' key)", file=doc.name
            )
        resolver = Resolver(doc, options=options, allow_remote=allow_remote, ref_root=ref_root)
        resolver.check_all()
        api = cls(doc, resolver)
        if supported_version(api.version) is None:
            key = "openapi" if "openapi" in data else "swagger"
            line, column = doc.locate((key,))
            raise LoadError(
                f"unsupported OpenAPI version {api.version!r} "
                "(apilint reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2)",
                file=doc.name,
                line=line,
                column=column,
            )
        return api

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """``build()`` once per document: derived data check functions share between calls.
        Kept on the view (not in a module-level table), so it is freed with the document."""
        try:
            return self._memo[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self._memo[key] = build()
            return value

    @property
    def formats(self) -> frozenset[str]:
        """Spectral-style format names this document matches (oas2, oas3, oas3.0, oas3.1)."""
        if self.is_v2:
            return frozenset({"oas2"})
        minor = ".".join(self.version.split(".")[:2])
        return frozenset({"oas3", f"oas{minor}"})

    # -- following refs ---------------------------------------------------------------------

    def resolve(self, node: Node) -> Node:
        """``node`` with any Reference Object followed to the value it names."""
        value = node.value
        if type(value) is not dict or type(value.get("$ref")) is not str:
            return node
        value, doc, ptr = self.resolver.follow(value, node.doc, node.ptr)
        return Node(value, doc, ptr, node.path, node.method)

    def node(self, *ptr: str | int) -> Node:
        return Node(self.data, self.root, ()).child(*ptr)

    def targets(self, name: str) -> list[Node]:
        builder = _BUILDERS[name]
        return builder(self)

    # -- named targets ----------------------------------------------------------------------

    @cached_property
    def document(self) -> list[Node]:
        return [Node(self.data, self.root, ())]

    @cached_property
    def info(self) -> list[Node]:
        info = self.node("info")
        return [info] if isinstance(info.value, dict) else []

    @cached_property
    def servers(self) -> list[Node]:
        """Server Objects at the root, on path items and on operations (OpenAPI 3)."""
        out: list[Node] = []
        servers = self.node("servers")
        if isinstance(servers.value, list):
            out.extend(servers.child(i) for i in range(len(servers.value)))
        for item in self.path_items:
            nested = item.child("servers")
            if isinstance(nested.value, list):
                out.extend(nested.child(i) for i in range(len(nested.value)))
        for op in self.operations:
            nested = op.node.child("servers")
            if isinstance(nested.value, list):
                out.extend(nested.child(i) for i in range(len(nested.value)))
        return [n for n in out if isinstance(n.value, dict)]

    @cached_property
    def tags(self) -> list[Node]:
        tags = self.node("tags")
        if not isinstance(tags.value, list):
            return []
        return [tags.child(i) for i in range(len(tags.value)) if isinstance(tags.value[i], dict)]

    @cached_property
    def paths(self) -> list[Node]:
        paths = self.node("paths")
        return [paths] if isinstance(paths.value, dict) else []

    @cached_property
    def path_items(self) -> list[Node]:
        """Each Path Item, resolved, with ``path`` set to its template."""
        paths = self.node("paths")
        if not isinstance(paths.value, dict):
            return []
        out = []
        for template, value in paths.value.items():
            if template.startswith("x-"):
                continue
            item = self.resolve(Node(value, self.root, ("paths", template), template))
            if isinstance(item.value, dict):
                out.append(item)
        return out

    @cached_property
    def operations(self) -> list[Operation]:
        out = []
        for item in self.path_items:
            for keys, method in self.item_methods(item.value):
                value = item.child(*keys).value
                out.append(
                    Operation(
                        Node(value, item.doc, (*item.ptr, *keys), item.path, method), item, self
                    )
                )
        return out

    def operation_at(self, ptr: Pointer) -> tuple[str, str, int] | None:
        """(path template, method, length of the operation's pointer) when ``ptr`` (in the root
        document) is an operation under ``/paths`` or inside one."""
        if len(ptr) < 3 or ptr[0] != "paths":
            return None
        template, key = str(ptr[1]), ptr[2]
        if key == ADDITIONAL_OPERATIONS:
            if len(ptr) < 4:
                return None
            item = self.data.get("paths", {}).get(template)
            if not isinstance(item, dict):
                return None
            for keys, method in self.item_methods(item):
                if keys == (key, ptr[3]):
                    return template, method, 4
            return None
        if key in OPERATION_KEYS.get(self.minor, HTTP_METHODS):
            return template, str(key), 3
        return None

    def item_methods(self, item: Any) -> list[tuple[tuple[str, ...], str]]:
        """The operations of a Path Item value in this document's version: (keys below the
        Path Item, method), as ``http.methods.path_item_methods`` defines them."""
        return path_item_methods(item, self.minor) if isinstance(item, dict) else []

    @cached_property
    def operation_nodes(self) -> list[Node]:
        return [op.node for op in self.operations]

    def operation_parameters(self, op: Operation) -> list[Node]:
        key = (op.path, op.node.ptr)
        cached = self._parameters.get(key)
        if cached is not None:
            return cached
        merged: dict[tuple[str, str], Node] = {}
        unnamed: list[Node] = []
        for owner in (op.path_item, op.node):
            params = owner.child("parameters")
            if not isinstance(params.value, list):
                continue
            for index in range(len(params.value)):
                param = self.resolve(
                    Node(params.value[index], params.doc, (*params.ptr, index), op.path, op.method)
                )
                value = param.value
                if not isinstance(value, dict):
                    continue
                name, where = value.get("name"), value.get("in")
                if isinstance(name, str) and isinstance(where, str):
                    merged[(name, where)] = param
                else:
                    unnamed.append(param)
        result = [*merged.values(), *unnamed]
        self._parameters[key] = result
        return result

    def operation_responses(self, op: Operation) -> dict[str, Node]:
        key = (op.path, op.node.ptr)
        cached = self._responses.get(key)
        if cached is not None:
            return cached
        out: dict[str, Node] = {}
        responses = op.node.child("responses")
        if isinstance(responses.value, dict):
            for code in responses.value:
                if str(code).startswith("x-"):
                    continue
                node = self.resolve(responses.child(str(code)))
                if isinstance(node.value, dict):
                    out[str(code)] = node
        self._responses[key] = out
        return out

    def operation_request_body(self, op: Operation) -> Node | None:
        if self.is_v2:
            for param in op.parameters:
                if param.get("in") == "body":
                    return param
            return None
        body = op.node.child("requestBody")
        if body.value is MISSING:
            return None
        resolved = self.resolve(body)
        return resolved if isinstance(resolved.value, dict) else None

    @cached_property
    def parameters(self) -> list[Node]:
        """Every Parameter Object: per operation (effective) and unused ones in components."""
        seen: set[tuple[int, Pointer]] = set()
        out: list[Node] = []
        for op in self.operations:
            for param in op.parameters:
                mark = (id(param.doc), param.ptr)
                if mark not in seen:
                    seen.add(mark)
                    out.append(param)
        for param in self._component_nodes("parameters"):
            mark = (id(param.doc), param.ptr)
            if mark not in seen:
                seen.add(mark)
                out.append(param)
        return out

    @cached_property
    def request_bodies(self) -> list[Node]:
        out = []
        for op in self.operations:
            body = op.request_body
            if body is not None:
                out.append(body)
        return out

    @cached_property
    def responses(self) -> list[Node]:
        out: list[Node] = []
        for op in self.operations:
            out.extend(op.responses.values())
        return out

    @cached_property
    def media_types(self) -> list[Node]:
        """Media Type Objects of request bodies and responses (OpenAPI 3)."""
        out = []
        for owner in [*self.request_bodies, *self.responses]:
            content = owner.child("content")
            if isinstance(content.value, dict):
                for media_type, value in content.value.items():
                    if isinstance(value, dict):
                        out.append(content.child(media_type))
        return out

    @cached_property
    def headers(self) -> list[Node]:
        out = []
        for response in self.responses:
            headers = response.child("headers")
            if isinstance(headers.value, dict):
                for name in headers.value:
                    header = self.resolve(headers.child(name))
                    if isinstance(header.value, dict):
                        out.append(header)
        return out

    @cached_property
    def components(self) -> list[Node]:
        node = self.node("components")
        return [node] if isinstance(node.value, dict) else []

    @cached_property
    def security_schemes(self) -> list[Node]:
        if self.is_v2:
            container = self.node("securityDefinitions")
        else:
            container = self.node("components", "securitySchemes")
        if not isinstance(container.value, dict):
            return []
        out = []
        for name in container.value:
            scheme = self.resolve(container.child(name))
            if isinstance(scheme.value, dict):
                out.append(scheme)
        return out

    def _component_nodes(self, kind: str) -> list[Node]:
        if self.is_v2:
            v2_names = {
                "schemas": "definitions",
                "parameters": "parameters",
                "responses": "responses",
            }
            if kind not in v2_names:
                return []
            container = self.node(v2_names[kind])
        else:
            container = self.node("components", kind)
        if not isinstance(container.value, dict):
            return []
        return [container.child(name) for name in container.value if isinstance(name, str)]

    @cached_property
    def schemas(self) -> list[Node]:
        """Every Schema Object reachable from the description, nested ones included, each once,
        at the place it is written."""
        roots: list[Node] = list(self._component_nodes("schemas"))
        for param in self.parameters:
            roots.append(param.child("schema"))
            roots.extend(_content_schemas(param))
        for body in self.request_bodies:
            if self.is_v2:
                roots.append(body.child("schema"))
            else:
                roots.extend(_content_schemas(body))
        for response in self.responses:
            if self.is_v2:
                roots.append(response.child("schema"))
            else:
                roots.extend(_content_schemas(response))
        for header in self.headers:
            roots.append(header.child("schema"))
        return self._walk_schemas(roots)

    def _walk_schemas(self, roots: list[Node]) -> list[Node]:
        """Depth-first, in the order written. This visits every schema of the document: the
        loop is written for speed (children built directly, leaves recognized by one set
        test, a schema seen before known by its identity where that names its place)."""
        out: list[Node] = []
        seen: set[int | tuple[int, Pointer]] = set()
        unique: dict[int, bool] = {}  # id(document) -> Document.values_unique
        stack = roots[::-1]
        pop, resolve, visit, keep = stack.pop, self.resolve, seen.add, out.append
        keywords = _SCHEMA_KEYWORDS
        maps = _SCHEMA_MAPS
        while stack:
            node = pop()
            value = node.value
            if type(value) is not dict:
                continue
            if "$ref" in value:
                node = resolve(node)
                value = node.value
                if type(value) is not dict or ("$ref" in value and len(value) == 1):
                    continue
            by_identity = unique.get(id(node.doc))
            if by_identity is None:
                by_identity = unique[id(node.doc)] = node.doc.values_unique
            mark = id(value) if by_identity else (id(node.doc), node.ptr)
            if mark in seen:
                continue
            visit(mark)
            keep(node)
            if keywords.isdisjoint(value):
                continue  # a leaf: most schemas are
            doc, ptr, path, method = node.doc, node.ptr, node.path, node.method
            children: list[Node] = []
            add = children.append
            for keyword, sub in value.items():
                if keyword not in keywords:
                    continue
                kind = type(sub)
                if kind is dict:
                    if keyword in maps:
                        for name, item in sub.items():
                            if type(item) is dict:
                                add(Node(item, doc, (*ptr, keyword, name), path, method))
                    else:
                        add(Node(sub, doc, (*ptr, keyword), path, method))
                elif kind is list and (keyword in _SCHEMA_LISTS or keyword == "items"):
                    for index, item in enumerate(sub):  # "items" as a list: draft-4 tuples
                        if type(item) is dict:
                            add(Node(item, doc, (*ptr, keyword, index), path, method))
            if children:
                children.reverse()
                stack.extend(children)
        return out


_SCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_SINGLES = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
)
_SCHEMA_KEYWORDS = frozenset((*_SCHEMA_MAPS, *_SCHEMA_LISTS, *_SCHEMA_SINGLES))


def _content_schemas(owner: Node) -> list[Node]:
    content = owner.child("content")
    if not isinstance(content.value, dict):
        return []
    return [
        content.child(media_type, keyword)
        for media_type, value in content.value.items()
        if isinstance(value, dict)
        for keyword in ("schema", "itemSchema")  # itemSchema: OpenAPI 3.2's streamed items
        if keyword in value
    ]


_SERVER_VARIABLE = re.compile(r"\{([^{}]*)\}")


def server_urls(server: Any, *, limit: int = 64, unset: str | None = None) -> list[str]:
    """A Server Object's URL with its variables filled in: the defaults first, then the other
    enum values (at most ``limit`` combinations). A variable with neither becomes ``unset``, or
    stays as written when ``unset`` is None. Empty for an object without a string ``url``."""
    if not isinstance(server, dict) or not isinstance(server.get("url"), str):
        return []
    url: str = server["url"]
    variables = server.get("variables")
    variables = variables if isinstance(variables, dict) else {}
    names = list(dict.fromkeys(_SERVER_VARIABLE.findall(url)))
    choices: list[list[str]] = []
    for name in names:
        spec = variables.get(name)
        values: list[str] = []
        if isinstance(spec, dict):
            if spec.get("default") is not None:
                values.append(str(spec["default"]))
            if isinstance(spec.get("enum"), list):
                values.extend(str(v) for v in spec["enum"] if v is not None)
        fallback = "{" + name + "}" if unset is None else unset
        choices.append(list(dict.fromkeys(values)) or [fallback])
    out: list[str] = []
    for combination in itertools.islice(itertools.product(*choices), limit):
        concrete = url
        for name, chosen in zip(names, combination, strict=True):
            concrete = concrete.replace("{" + name + "}", chosen)
        out.append(concrete)
    return list(dict.fromkeys(out))


SUPPORTED_VERSIONS = ("2.0", "3.0", "3.1", "3.2")


def supported_version(version: str) -> str | None:
    """The major.minor apilint reads a document's ``openapi``/``swagger`` value as, if any."""
    for prefix in SUPPORTED_VERSIONS:
        if version == prefix or version.startswith(prefix + "."):
            return prefix
    return None


def _version_of(data: dict[str, Any]) -> str:
    if "openapi" in data:
        return str(data["openapi"])
    if "swagger" in data:
        return str(data["swagger"])
    return ""


_BUILDERS: dict[str, Callable[[OpenAPI], list[Node]]] = {
    "document": lambda api: api.document,
    "info": lambda api: api.info,
    "servers": lambda api: api.servers,
    "tags": lambda api: api.tags,
    "paths": lambda api: api.paths,
    "path-items": lambda api: api.path_items,
    "operations": lambda api: api.operation_nodes,
    "parameters": lambda api: api.parameters,
    "request-bodies": lambda api: api.request_bodies,
    "responses": lambda api: api.responses,
    "media-types": lambda api: api.media_types,
    "headers": lambda api: api.headers,
    "schemas": lambda api: api.schemas,
    "components": lambda api: api.components,
    "security-schemes": lambda api: api.security_schemes,
}


def path_keys(targets: Sequence[Node]) -> Iterator[tuple[Node, Template]]:
    """(path key node, parsed template) for every path of the Paths Objects in ``targets``;
    extensions (``x-...``) are skipped."""
    for paths in targets:
        if isinstance(paths.value, dict):
            for key in paths.value:
                if isinstance(key, str) and not key.startswith("x-"):
                    yield paths.child(key), parse(key)
