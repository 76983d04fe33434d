"""HTTP method semantics: what each method promises (RFC 9110), checked against what the
description says the operation does.

A GET is safe and carries no body; a POST that creates answers 201; a 204 has no content; an
operationId should not say "delete" on a GET. The checks read the path's shape
(:mod:`apilint.http.paths`) and the operation's names (:mod:`apilint.http.words`) to tell a create
from an action, and they prefer silence to a guess: real APIs use POST for searches, PUT to
follow a user, DELETE with a body for bulk deletes, and only some of that deserves a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from apilint.core.findings import Severity
from apilint.documents.openapi import MISSING, Node, OpenAPI, Operation, Result
from apilint.http.methods import ADDITIONAL_OPERATIONS, is_safe, standard_spelling, wire_name
from apilint.http.paths import PathIndex, Shape, classify
from apilint.http.words import (
    VERB_KINDS,
    Verb,
    base_form,
    lower_words,
    operation_verb,
    summary_verb,
)
from apilint.lint.checks import Context, Option, check, per_megabyte

# -- shared helpers ---------------------------------------------------------------------------


def _operations(targets: Sequence[Node], ctx: Context) -> Iterator[Operation]:
    """The Operation objects behind the target nodes (the rule's ``given`` may narrow them)."""
    api = ctx.api
    by_key = api.memo(
        "methods.operations-by-key", lambda: {(op.path, op.method): op for op in api.operations}
    )  # (path, method) is unique: an additionalOperations key is never a fixed field's name
    for node in targets:
        if node.path is None or node.method is None:
            continue
        op = by_key.get((node.path, node.method))
        if op is not None:
            yield op


def _path_index(api: OpenAPI) -> PathIndex:
    return path_index(api, (op.path for op in api.operations))


def status_class(code: str) -> int | None:
    """1-5 for "200", "2XX", "2xx"; None for "default" and anything else."""
    if len(code) == 3 and code[0] in "12345" and (code[1:].isdigit() or code[1:] in ("XX", "xx")):
        return int(code[0])
    return None


def _explicit_codes(op: Operation) -> list[str]:
    """Status codes written on the operation (resolved responses), 'default' excluded."""
    return [code for code in op.responses if status_class(code) is not None]


def _has_body(op: Operation, api: OpenAPI) -> bool:
    if op.request_body is not None:
        return True
    return api.is_v2 and any(p.get("in") == "formData" for p in op.parameters)


def _body_sites(op: Operation, api: OpenAPI) -> list[Node]:
    """Where the operation's request body is declared, as written in the operation (or its
    path item): the ``requestBody`` key, or the ``in: body``/``in: formData`` parameter entries."""
    if not api.is_v2:
        body = op.node.child("requestBody")
        if body.value is MISSING or _admits_nothing(api.resolve(body), api):
            return []
        return [body]
    sites: list[Node] = []
    own = {_param_key(p) for p in _parameter_values(op.node, api)}
    for owner in (op.node, op.path_item):
        params = owner.child("parameters")
        if not isinstance(params.value, list):
            continue
        for index in range(len(params.value)):
            site = params.child(index)
            value = api.resolve(site).value
            if not isinstance(value, dict) or value.get("in") not in ("body", "formData"):
                continue
            if owner is op.path_item and _param_key(value) in own:
                continue  # overridden by the operation's own parameter
            sites.append(Node(site.value, site.doc, site.ptr, op.path, op.method))
    return sites


def _admits_nothing(body: Node, api: OpenAPI) -> bool:
    """An optional body whose every schema allows only ``{}`` (Stripe declares one on each
    GET): a generator's way of writing "no body", not a body."""
    if body.get("required") is True:
        return False
    content = body.child("content")
    if not isinstance(content.value, dict):
        return False
    for media_type in content.value:
        schema = api.resolve(content.child(media_type, "schema")).value
        if not isinstance(schema, dict) or schema.get("additionalProperties") is not False:
            return False
        if schema.get("properties") or any(k in schema for k in ("allOf", "anyOf", "oneOf")):
            return False
        if schema.get("type", "object") != "object":
            return False
    return True


def _param_key(value: dict[str, Any]) -> tuple[str, str] | None:
    """(name, in) of a parameter, when both are strings."""
    name, where = value.get("name"), value.get("in")
    return (name, where) if isinstance(name, str) and isinstance(where, str) else None


def _parameter_values(owner: Node, api: OpenAPI) -> list[dict[str, Any]]:
    params = owner.child("parameters")
    if not isinstance(params.value, list):
        return []
    out = []
    for index in range(len(params.value)):
        value = api.resolve(params.child(index)).value
        if isinstance(value, dict):
            out.append(value)
    return out


def _response_has_content(response: Node, api: OpenAPI) -> tuple[str, list[str]] | None:
    """("content", media types) or ("schema", []) when the response declares a body."""
    if api.is_v2:
        schema = response.get("schema")
        return ("schema", []) if isinstance(schema, dict) else None
    content = response.get("content")
    if isinstance(content, dict) and content:
        return "content", [str(m) for m in content]
    return None


def _success_schema(op: Operation, api: OpenAPI) -> dict[str, Any] | None:
    """The (resolved) schema of the first 2xx response that has one."""
    for code, response in op.responses.items():
        if status_class(code) != 2:
            continue
        if api.is_v2:
            candidates = [response.child("schema")]
        else:
            content = response.child("content")
            if not isinstance(content.value, dict):
                continue
            candidates = [content.child(m, "schema") for m in content.value]
        for candidate in candidates:
            if isinstance(candidate.value, dict):
                resolved = api.resolve(candidate).value
                if isinstance(resolved, dict):
                    return resolved
    return None


def _response_at(op: Operation, code: str, api: OpenAPI) -> tuple[Node, bool]:
    """Where to report about response ``code``: the reusable response it refers to (one
    finding, one fix, however many operations share it), else the operation's own entry; and
    whether that is a shared component."""
    response = op.responses[code]
    shared = (
        response.ptr[:1] == ("responses",)
        if api.is_v2
        else response.ptr[:2]
        == (
            "components",
            "responses",
        )
    )
    if shared or response.doc is not api.root:
        return response, True
    site = op.node.child("responses", code)
    return Node(response.value, site.doc, site.ptr, op.path, op.method), False


def _codes_text(codes: Sequence[str]) -> str:
    return ", ".join(codes) if codes else "none"


# -- get-request-body ---------------------------------------------------------------------------

_BODY_FIX = {
    "get": "send these values as query parameters, or use POST",
    "head": "send these values as query parameters",
    "delete": "name what to delete in the path or query",
}


@check(
    "get_request_body",
    checkDelete=Option(bool, True, "Also report DELETE operations with a body (as warnings)."),
)
def get_request_body(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """GET and HEAD (and, one severity lower, DELETE) operations must not declare a body."""
    methods = {"get", "head", "delete"} if options["checkDelete"] else {"get", "head"}
    for op in _operations(targets, ctx):
        if op.method not in methods:
            continue
        severity = Severity.WARNING if op.method == "delete" else None
        for site in _body_sites(op, ctx.api):
            what = "a request body"
            if ctx.api.is_v2:
                value = ctx.api.resolve(site).value
                where = value.get("in") if isinstance(value, dict) else "body"
                what = f"an 'in: {where}' parameter"
            fix = _BODY_FIX[op.method]
            if op.method == "get" and ctx.api.minor == "3.2":
                fix = fix.replace("or use POST", "or make it a QUERY, the safe method with a body")
            yield site.finding(
                f"{op.wire_method} {op.path} declares {what}, which HTTP gives no meaning; {fix}",
                severity=severity,
            )


# -- success responses ----------------------------------------------------------------------------

_REDIRECTS = frozenset({"301", "302", "303", "307", "308", "3XX", "3xx"})


@check("get_success_response")
def get_success_response(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """A GET documents at least one 2xx response (or only redirects, like a download link)."""
    for op in _operations(targets, ctx):
        if op.method != "get" or not op.responses:
            continue
        codes = list(op.responses)
        if any(status_class(c) == 2 for c in codes) or any(c in _REDIRECTS for c in codes):
            continue
        yield op.node.finding(
            f"GET {op.path} documents no 2xx response (only {_codes_text(codes)}); add the 200 "
            "response and its content",
            "responses",
        )


@check("operation_success_response")
def operation_success_response(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Every operation other than GET (which get-success-response judges more strictly)
    documents a 2xx or 3xx response."""
    for op in _operations(targets, ctx):
        if op.method == "get" or not op.responses:
            continue
        codes = list(op.responses)
        if any(status_class(c) in (2, 3) for c in codes):
            continue
        detail = "only 'default'" if codes == ["default"] else f"only {_codes_text(codes)}"
        yield op.node.finding(
            f"{op.label} documents no 2xx or 3xx response ({detail}); add the success "
            "response (200, 201, 202 or 204)",
            "responses",
        )


# -- post-create-status ---------------------------------------------------------------------------

_CREATE_WORDS = frozenset(
    {"create", "add", "insert", "new", "register", "post", "make", "place", "open", "upload",
     "book", "issue", "provision", "start"}
)  # fmt: skip
_NOT_CREATE_WORDS = frozenset(
    {"search", "query", "find", "filter", "list", "get", "fetch", "retrieve", "read", "return",
     "lookup", "look", "count", "check", "validate", "verify", "calculate", "compute",
     "estimate", "preview", "render", "convert", "export", "download", "send", "update", "set",
     "replace", "modify", "edit", "patch", "upsert", "delete", "remove", "cancel", "process",
     "execute", "run", "trigger", "sync", "test", "mark", "bulk", "batch", "evaluate",
     "simulate", "translate", "detect", "analyze", "analyse", "parse", "resolve", "match",
     "authenticate", "authorize", "login", "logout", "sign", "refresh", "revoke", "exchange",
     "introspect", "request", "perform", "invoke", "notify", "track", "log", "report",
     "publish", "subscribe", "unsubscribe", "import", "apply", "assign", "move", "copy",
     "merge", "reorder", "sort", "archive", "restore", "reset", "rotate", "transfer", "pay",
     "charge", "capture", "refund", "approve", "reject", "confirm", "complete", "submit",
     "accept", "decline", "enable", "disable", "activate", "deactivate", "lock", "unlock",
     "like", "follow", "star", "pin", "mute", "block", "vote", "share", "invite", "join",
     "leave", "close", "reopen", "redeliver", "retry", "rerun", "dispatch", "ping", "echo",
     "save", "store", "ingest", "record", "write", "append", "push", "emit"}
)  # fmt: skip
_QUERY_MARKERS = frozenset({"search", "query", "filter", "find", "lookup", "list", "count"})
_CREATED_SUCCESS = frozenset({"201", "202", "2XX", "2xx"})


_ADD_WORDS = frozenset({"add", "insert", "append", "register", "put"})


def _intent(op: Operation) -> str | None:
    """'create', 'add' (to a set: it may make nothing addressable), 'other' or None (the names
    don't say) from the operationId and summary."""
    op_id = op.operation_id
    if op_id:
        found = operation_verb(op_id)
        if found is not None:
            if found[1] is Verb.CREATE:
                return "add" if found[0] in _ADD_WORDS else "create"
            return "other"
        first = lower_words(op_id)[:1]
        if first and first[0] in _NOT_CREATE_WORDS:
            return "other"
    summary = op.value.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        summary = op.value.get("description")
    if isinstance(summary, str):
        verb = summary_verb(summary)
        if verb in _ADD_WORDS:
            return "add"
        if verb in _CREATE_WORDS:
            return "create"
        if verb in _NOT_CREATE_WORDS:
            return "other"
    return None


def _looks_like_query(op: Operation, api: OpenAPI) -> bool:
    schema = _success_schema(op, api)
    if schema is not None and (schema.get("type") == "array" or "items" in schema):
        return True
    words = set(lower_words(op.operation_id or ""))
    summary = op.value.get("summary")
    if isinstance(summary, str):
        words.update(base_form(w) for w in lower_words(summary))
    return bool(words & _QUERY_MARKERS)


def _answers_created(op: Operation) -> bool:
    return any(c in _CREATED_SUCCESS or status_class(c) == 3 for c in op.responses)


def _created_example(api: OpenAPI) -> str | None:
    """An operation of this API that answers 201, if any (evidence of its own convention)."""
    return api.memo(
        "methods.created-example",
        lambda: next((op.label for op in api.operations if "201" in op.responses), None),
    )


@check("post_create_status", cost=per_megabyte(0.003))
def post_create_status(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """A POST that creates a resource in a collection documents 201 Created or 202 Accepted."""
    api = ctx.api
    index = _path_index(api)
    for op in _operations(targets, ctx):
        if op.method != "post":
            continue
        codes = _explicit_codes(op)
        success = [c for c in codes if status_class(c) == 2]
        if not success or _answers_created(op):
            continue
        shape = classify(op.path)
        intent = _intent(op)
        if intent == "other":
            continue
        if not _has_body(op, api) or _is_list_body(op, api):
            continue  # nothing to create from, or many things: adding to a set, bulk work
        if shape.shape is Shape.COLLECTION and not shape.starts_with_verb:
            has_items = index.has_items(op.path)
            if not has_items and intent != "create":
                continue  # adding to a set or allow-list (POST /allowed-ips): no item to make
            if intent is None and _looks_like_query(op, api):
                continue
            if not has_items and "200" not in success:
                continue  # an event or trigger (POST /dispatches -> 204): nothing to address
            what = f"POST {op.path} creates an item in the collection"
            convention = ""
        elif shape.shape is Shape.ACTION and shape.verb in ("create", "add", "new", "register"):
            elsewhere = _created_example(api)
            if elsewhere is None:
                continue  # an RPC-style API that never answers 201: its own convention
            what = f"POST {op.path} creates (its path says so)"
            convention = f", unlike {elsewhere}, which answers 201"
        else:
            continue
        yield op.node.finding(
            f"{what} but documents only {_codes_text(success)} as success{convention}; answer "
            "201 Created (or 202 Accepted when the resource is made later)",
            "responses",
            success[0],
        )


# -- created-location-header ----------------------------------------------------------------------


def _has_header(response: Node, name: str) -> bool:
    headers = response.get("headers")
    return isinstance(headers, dict) and any(str(h).lower() == name for h in headers)


@check("created_location_header")
def created_location_header(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """A 201 response to a POST declares a Location header."""
    api = ctx.api
    index = _path_index(api)
    for op in _operations(targets, ctx):
        if op.method != "post":
            continue
        response = op.responses.get("201")
        if response is None or _has_header(response, "location"):
            continue
        if _creates_at_request_url(op, api, index):
            continue
        if not index.has_items(op.path):
            continue  # nothing the description can address (a token, a review, seats added)
        node, shared = _response_at(op, "201", api)
        target = "the request's own URL" if shared else f"the request's own URL ({op.path})"
        yield node.finding(
            f"201 Created without a Location header (HTTP then takes {target} to be the new "
            "resource); declare `Location` in the response's headers"
        )


def _creates_at_request_url(op: Operation, api: OpenAPI, index: PathIndex) -> bool:
    """A POST to an item (``/users/{id}``) or to a singleton that a GET on the same path reads
    (``/v2/registry``): what it creates is at the request URL, as RFC 9110 assumes when a 201
    has no Location."""
    shape = classify(op.path)
    if shape.shape is Shape.ITEM:
        return True
    get = op.path_item.value.get("get")
    if not isinstance(get, dict) or index.has_items(op.path):
        return False
    get_op = Operation(
        Node(get, op.path_item.doc, (*op.path_item.ptr, "get"), op.path, "get"), op.path_item, api
    )
    schema = _success_schema(get_op, api)
    return not (schema is not None and _is_array(schema))


# -- put-on-collection ----------------------------------------------------------------------------


def _is_list_body(op: Operation, api: OpenAPI) -> bool:
    """The request body is a list, or an object that only wraps one (``{"labels": [...]}``):
    the operation adds or replaces many things at once, as in ``PUT /issues/{n}/labels``."""
    body = op.request_body
    if body is None:
        return False
    if api.is_v2:
        schemas = [body.child("schema")]
    else:
        content = body.child("content")
        if not isinstance(content.value, dict):
            return False
        schemas = [content.child(m, "schema") for m in content.value]
    return any(_list_shaped(api.resolve(node), api, 0) for node in schemas)


def _is_array(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("type") == "array" or "items" in schema)


def _list_shaped(node: Node, api: OpenAPI, depth: int) -> bool:
    schema = node.value
    if not isinstance(schema, dict) or depth > 3:
        return False
    if _is_array(schema):
        return True
    for keyword in ("oneOf", "anyOf"):
        options = schema.get(keyword)
        if isinstance(options, list) and any(
            _list_shaped(api.resolve(node.child(keyword, i)), api, depth + 1)
            for i in range(len(options))
        ):
            return True
    props = schema.get("properties")
    if not isinstance(props, dict) or not props:
        return False
    required = schema.get("required")
    names = list(props) if len(props) == 1 else required if isinstance(required, list) else []
    if len(names) != 1 or not isinstance(names[0], str) or names[0] not in props:
        return False
    return _is_array(api.resolve(node.child("properties", names[0])).value)


@check("put_on_collection")
def put_on_collection(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """PUT on a collection path (replacing the whole collection) is almost never meant."""
    api = ctx.api
    index = _path_index(api)
    for op in _operations(targets, ctx):
        if op.method != "put":
            continue
        shape = classify(op.path)
        if shape.shape is not Shape.COLLECTION or shape.starts_with_verb:
            continue
        if not index.has_items(op.path):
            continue
        if _is_list_body(op, api):
            continue  # replaces the set on purpose (PUT /issues/{n}/labels with a list)
        item = op.path.rstrip("/") + "/{id}"
        yield op.node.finding(
            f"PUT on the collection {op.path} replaces the whole collection, but its body is "
            f"not a list; to create one item use POST {op.path.rstrip('/') or '/'} (or PUT "
            f"{item})"
        )


# -- put-patch-request-body -----------------------------------------------------------------------


def _leading_verb_kind(op: Operation) -> Verb | None:
    """The kind of verb the operationId (or else the summary) leads with."""
    if op.operation_id:
        found = operation_verb(op.operation_id)
        if found is not None:
            return found[1]
    summary = op.value.get("summary")
    if isinstance(summary, str):
        word = summary_verb(summary)
        if word is not None:
            return VERB_KINDS.get(word)
    return None


@check("put_patch_request_body")
def put_patch_request_body(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """PATCH always sends a body; PUT sends one when the resource has a representation."""
    api = ctx.api
    for op in _operations(targets, ctx):
        if op.method not in ("put", "patch") or _has_body(op, api):
            continue
        if "proxy" in classify(op.path).segments:
            continue  # a pass-through (Kubernetes' .../proxy): the body is the proxied one's
        if op.method == "patch":
            yield op.node.finding(
                f"PATCH {op.path} has no request body; declare the patch document (e.g. "
                "application/merge-patch+json)"
            )
            continue
        if _leading_verb_kind(op) is not Verb.UPDATE:
            continue  # enable, add, assign, save, create: the URL (or query) says it all
        get = op.path_item.value.get("get")
        if not isinstance(get, dict) or classify(op.path).shape is Shape.ACTION:
            continue
        get_op = Operation(
            Node(get, op.path_item.doc, (*op.path_item.ptr, "get"), op.path, "get"),
            op.path_item,
            api,
        )
        if _success_schema(get_op, api) is None:
            continue  # an empty resource (PUT /user/following/{name}): the URL says it all
        yield op.node.finding(
            f"PUT {op.path} has no request body, but GET {op.path} returns a representation; "
            "declare the request body (the schema GET returns)"
        )


# -- no-content-body ------------------------------------------------------------------------------

_NO_BODY_STATUS = {
    "204": "a 204 No Content response has no body by definition (RFC 9110)",
    "304": "a 304 Not Modified response has no body: the client reuses its cached copy",
}


@check("no_content_body")
def no_content_body(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """204 and 304 responses, and every response to HEAD, declare no content."""
    api = ctx.api
    for op in _operations(targets, ctx):
        for code, response in op.responses.items():
            if op.method == "head":
                why = "a response to HEAD never has a body, only the headers GET would send"
            elif code in _NO_BODY_STATUS:
                why = _NO_BODY_STATUS[code]
            else:
                continue
            found = _response_has_content(response, api)
            if found is None:
                continue
            key, media_types = found
            what = f"content ({', '.join(media_types)})" if media_types else "a schema"
            fix = (
                "drop `content`, or answer 200 if there is something to return"
                if code == "204"
                else "drop `content`"
            )
            if api.is_v2:
                fix = fix.replace("`content`", "`schema`")
            node, shared = _response_at(op, code, api)
            if not shared:
                subject = f"{op.wire_method} {op.path} {code}:"
            elif op.method == "head":
                subject = f"this response, used by HEAD {op.path},"
            else:
                subject = f"this response, used as a {code} response,"
            yield node.finding(
                f"{subject} declares {what}, but {why}; {fix}",
                key,
                severity=Severity.WARNING if op.method == "head" else None,
            )


# -- operation-id-method-mismatch -----------------------------------------------------------------

_SAFE_READS = frozenset({"get", "head", "query"})
"""Safe methods that return a representation: what a path naming an action contradicts (OPTIONS
and TRACE are safe too, but say nothing of the resource's state)."""

_STRONG_DELETE = frozenset({"delete", "destroy", "purge", "erase"})
_POST_READ = frozenset({"get", "list", "fetch", "retrieve", "read", "find"})
_SECRET_WORDS = frozenset(
    {"key", "keys", "secret", "secrets", "credential", "credentials", "token", "tokens",
     "password", "passwords", "sas", "connection", "certificate", "certificates"}
)  # fmt: skip
_METHOD_SAYS = {
    "get": "GET",
    "head": "HEAD",
    "query": "QUERY",
    "delete": "DELETE",
    "put": "PUT",
    "patch": "PATCH",
    "post": "POST without a request body",
}


def _contradicts(method: str, word: str, kind: Verb, op: Operation, api: OpenAPI) -> bool:
    if method in _SAFE_READS:
        if kind is Verb.ACTION:
            # "send" and "cancel" are also nouns (GET /sends/stats as sendStats): an action word
            # counts when the path names an action too.
            return classify(op.path).shape is Shape.ACTION
        return kind in (Verb.CREATE, Verb.UPDATE, Verb.DELETE)
    if method == "delete":
        return kind in (Verb.CREATE, Verb.READ, Verb.UPDATE)
    if method in ("put", "patch"):
        return kind is Verb.READ or word in _STRONG_DELETE
    if method == "post":
        if word not in _POST_READ or _has_body(op, api):
            return False  # a search or read-by-body (POST /users/lookup with ids) is fine
        if any(isinstance(op.path_item.value.get(m), dict) for m in ("get", "query")):
            return False  # the same read is offered as a GET (AWS query APIs) or QUERY too
        if classify(op.path).shape is Shape.ACTION:
            return False  # POST /sites/{name}/config/list: an RPC-style action endpoint
        # POST keeps secrets out of URLs, logs and caches (listKeys, getToken, a response with
        # a password or a key in it)
        if set(lower_words(op.operation_id or "")) & _SECRET_WORDS:
            return False
        return not _returns_secrets(op, api)
    return False


def _returns_secrets(op: Operation, api: OpenAPI) -> bool:
    """A property of a success response's schema (up to two levels down) names a secret."""
    stack: list[tuple[Node, int]] = []
    for code, response in op.responses.items():
        if status_class(code) != 2:
            continue
        if api.is_v2:
            stack.append((response.child("schema"), 0))
        elif isinstance(response.get("content"), dict):
            content = response.child("content")
            stack.extend((content.child(m, "schema"), 0) for m in content.value)
    visited = 0
    while stack and visited < 200:
        site, depth = stack.pop()
        visited += 1
        node = api.resolve(site)
        if not isinstance(node.value, dict) or depth > 2:
            continue
        props = node.value.get("properties")
        if isinstance(props, dict):
            for name in props:
                if set(lower_words(str(name))) & _SECRET_WORDS:
                    return True
                stack.append((node.child("properties", name), depth + 1))
        for keyword in ("allOf", "oneOf", "anyOf"):
            parts = node.value.get(keyword)
            if isinstance(parts, list):
                stack.extend((node.child(keyword, i), depth + 1) for i in range(len(parts)))
        if isinstance(node.value.get("items"), dict):
            stack.append((node.child("items"), depth + 1))
    return False


@check("operation_id_method_mismatch")
def operation_id_method_mismatch(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """The verb an operationId starts with agrees with the HTTP method."""
    api = ctx.api
    for op in _operations(targets, ctx):
        op_id = op.operation_id
        if not op_id:
            continue
        found = operation_verb(op_id)
        if found is None:
            continue
        word, kind = found
        if not _contradicts(op.method, word, kind, op, api):
            continue
        shape = classify(op.path)
        if op.method in ("get", "head") and shape.shape is Shape.ACTION and word in shape.words:
            continue  # GET /#Action=DeleteUser: one problem, safe-method-action's finding

        yield op.node.finding(
            f"operationId '{op_id}' says '{word}', but the operation is a "
            f"{_METHOD_SAYS[op.method]} ({op.wire_method} {op.path})",
            "operationId",
        )


# -- safe-method-action ---------------------------------------------------------------------------

# Path verbs that also name things ("start", "lock", "archive", "pay"): they count only as a
# whole segment (GET /instances/{id}/stop), and only when the GET returns nothing to read.
_AMBIGUOUS_ACTIONS = frozenset(
    {"start", "stop", "pause", "resume", "execute", "exec", "run", "publish", "archive",
     "reset", "merge", "lock", "block", "follow", "like", "star", "pin", "mute", "subscribe",
     "assign", "close", "reopen", "accept", "decline", "finalize", "capture", "refund", "void",
     "transfer", "charge", "pay", "clone", "copy", "move", "rename", "import", "upload", "sync",
     "refresh", "rotate", "regenerate", "retry", "deploy", "install", "upgrade",
     "invite", "join", "leave", "vote", "mark", "flag", "trigger", "invoke", "process",
     "apply", "rollback", "revert", "abort", "kill", "suspend", "resend", "signout", "notify",
     "share", "clear", "increment", "decrement", "restore", "redeliver", "dispatch"}
)  # fmt: skip
# Rails-style forms: GET /listings/{id}/edit shows the form that a PUT or PATCH submits.
_SAFE_FORMS = frozenset({"edit", "new"})


def _returns_nothing(op: Operation, api: OpenAPI) -> bool:
    """Its success is 201/202/204, or no 2xx response has content."""
    success = [c for c in op.responses if status_class(c) == 2]
    if any(c in ("201", "202", "204") for c in success):
        return True
    return all(_response_has_content(op.responses[c], api) is None for c in success)


_READ_SUMMARIES = frozenset(
    {"get", "list", "check", "retrieve", "show", "view", "return", "fetch", "read", "preview",
     "describe", "find", "search", "lookup", "look", "query", "count", "download", "export"}
)  # fmt: skip


def _reads(op: Operation) -> bool:
    """The operation's own names say it reads (getCancellationStatus, "Check if ...")."""
    if op.operation_id:
        found = operation_verb(op.operation_id)
        if found is not None:
            return found[1] is Verb.READ
    summary = op.value.get("summary")
    return isinstance(summary, str) and summary_verb(summary) in _READ_SUMMARIES


def _changes_state(op: Operation, shape_words: tuple[str, ...], api: OpenAPI) -> bool:
    word = shape_words[0]
    if word in _SAFE_FORMS:
        return False
    if "201" in op.responses:
        return True  # it says itself that it creates something
    if VERB_KINDS.get(word) in (Verb.CREATE, Verb.UPDATE, Verb.DELETE, Verb.ACTION):
        return not _reads(op)
    if len(shape_words) != 1 or word not in _AMBIGUOUS_ACTIONS or not _returns_nothing(op, api):
        return False
    # GET /gists/{id}/star next to PUT and DELETE: the segment names a state that GET reads.
    return not any(
        not is_safe(wire_name(method)) for _, method in api.item_methods(op.path_item.value)
    )


@check("safe_method_action")
def safe_method_action(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """GET, HEAD and QUERY must not be routed to a path that names a state-changing action."""
    for op in _operations(targets, ctx):
        if op.method not in _SAFE_READS:
            continue
        shape = classify(op.path)
        if shape.shape is not Shape.ACTION or not shape.words:
            continue
        if not _changes_state(op, shape.words, ctx.api):
            continue
        yield op.node.finding(
            f"{op.wire_method} {op.path} names an action ('{shape.literal}'), but "
            f"{op.wire_method} is a safe method that clients and crawlers may call unasked"
        )


# -- query-request-body ---------------------------------------------------------------------------


@check("query_request_body")
def query_request_body(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """A QUERY operation (OpenAPI 3.2) declares the request body that carries its query."""
    for op in _operations(targets, ctx):
        if op.method != "query" or op.request_body is not None:
            continue
        yield op.node.finding(
            f"QUERY {op.path} declares no request body: a QUERY sends its query as the request "
            "content, so clients and generated SDKs have nothing to send"
        )


# -- additional-operation-fixed-method ------------------------------------------------------------


@check("additional_operation_fixed_method")
def additional_operation_fixed_method(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """An OpenAPI 3.2 ``additionalOperations`` key is not a fixed field's method in another
    case (``Get``, ``post``): HTTP methods are case-sensitive. The upper-case names themselves
    (``GET``) the 3.2 JSON Schema forbids, and spec-invalid reports them."""
    if ctx.api.minor != "3.2":
        return
    for item in targets:
        extra = item.child(ADDITIONAL_OPERATIONS)
        if not isinstance(extra.value, dict):
            continue
        for name in extra.value:
            field = standard_spelling(str(name))
            if field is None or name == field.upper():
                continue
            yield extra.finding(
                f"{item.path or ''}: '{name}' under additionalOperations differs from "
                f"{field.upper()} only in case: HTTP methods are case-sensitive, so this documents "
                f"a method named '{name}', not {field.upper()}",
                name,
            )


# -- operation-id-unique --------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")


def _normal_id(op_id: str) -> str:
    return "_".join(lower_words(op_id)) or _SEPARATORS.sub("", op_id).lower()


def _all_operation_ids(api: OpenAPI) -> list[tuple[str, Node, str]]:
    """(operationId, node of the operation, label) for operations under paths, their
    callbacks, and webhooks (3.1): the id must be unique across all of them."""
    out: list[tuple[str, Node, str]] = []
    for op in api.operations:
        if op.operation_id is not None:
            out.append((op.operation_id, op.node, op.label))
        callbacks = op.node.child("callbacks")
        if isinstance(callbacks.value, dict):
            for name in callbacks.value:
                callback = api.resolve(callbacks.child(name))
                if isinstance(callback.value, dict):
                    for expression in callback.value:
                        item = api.resolve(callback.child(expression))
                        out.extend(_path_item_ids(item, f"callback {name}", api))
    webhooks = api.node("webhooks")
    if isinstance(webhooks.value, dict):
        for name in webhooks.value:
            item = api.resolve(webhooks.child(name))
            out.extend(_path_item_ids(item, f"webhook {name}", api))
    return out


def _path_item_ids(item: Node, where: str, api: OpenAPI) -> list[tuple[str, Node, str]]:
    out = []
    for keys, method in api.item_methods(item.value):
        node = item.child(*keys)
        op_id = node.get("operationId")
        if isinstance(op_id, str):
            out.append((op_id, node, f"{wire_name(method)} {where}"))
    return out


@check(
    "operation_id_unique",
    normalize=Option(
        bool,
        True,
        "Also report ids that differ only in case or separators (getUser, get_user, GetUser): "
        "SDK generators turn them into the same method name.",
    ),
)
def operation_id_unique(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Every operationId is unique in the document (paths, callbacks and webhooks)."""
    entries = _all_operation_ids(ctx.api)
    exact: dict[str, list[tuple[Node, str]]] = {}
    for op_id, node, label in entries:
        exact.setdefault(op_id, []).append((node, label))
    for op_id, sites in exact.items():
        if len(sites) < 2:
            continue
        for index, (node, _) in enumerate(sites):
            others = [label for i, (_, label) in enumerate(sites) if i != index]
            yield node.finding(
                f"operationId '{op_id}' is also used by {_list_labels(others)}",
                "operationId",
            )
    if not options["normalize"]:
        return
    normal: dict[str, dict[str, list[tuple[Node, str]]]] = {}
    for op_id, node, label in entries:
        normal.setdefault(_normal_id(op_id), {}).setdefault(op_id, []).append((node, label))
    for name, variants in normal.items():
        if len(variants) < 2:
            continue
        for op_id, sites in variants.items():
            others = [f"'{other}' ({sites_[0][1]})" for other, sites_ in variants.items()]
            others = [o for o in others if not o.startswith(f"'{op_id}' ")]
            for node, _ in sites:
                yield node.finding(
                    f"operationId '{op_id}' differs from {', '.join(others)} only in case or "
                    f"separators: SDK generators turn both into the same method name ({name})",
                    "operationId",
                )


def _list_labels(labels: list[str]) -> str:
    if len(labels) <= 3:
        return ", ".join(labels)
    return f"{', '.join(labels[:3])} and {len(labels) - 3} more"


def path_index(api: OpenAPI, templates: Iterable[str]) -> PathIndex:
    """The PathIndex of an OpenAPI view, built once per document."""
    return api.memo("path-shapes.index", lambda: PathIndex(templates))
