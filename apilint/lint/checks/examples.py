"""example-invalid: examples (media type, parameter, header and schema examples) checked against
their schemas, in the direction they travel (readOnly/writeOnly).

One of the hygiene rules (rules/hygiene.yaml) that Spectral's ``spectral:oas`` and Redocly's
``recommended`` rulesets have too; docs/rules-coverage.md says why these five."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from apilint.core.errors import ApilintError
from apilint.core.pointer import Pointer, encode
from apilint.documents.openapi import MISSING, Node, OpenAPI, Result
from apilint.lint.checks import Context, Option, check
from apilint.lint.example_validation import CHECKED_FORMATS, Direction, ExampleValidator

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
    if type(owner.value) is dict and owner.value.get("example") is not None:
        example = owner.child("example")
        yield _Site(example, schema, direction, f"the example of {what}", media_type)
    yield from _named_examples(owner, schema, direction, what, api, media_type)


def _named_examples(
    owner: Node,
    schema: Node,
    direction: Direction,
    what: str,
    api: OpenAPI,
    media_type: str | None,
    *,
    data_only: bool = False,
) -> Iterator[_Site]:
    """Sites for the Example Objects in ``examples``: their ``value``, and their
    ``dataValue`` (OpenAPI 3.2; ``x-oai-dataValue`` before it), the data the schema validates
    whatever the media type. ``data_only``: only the latter (a media type whose ``value`` is
    written in its own format, such as XML)."""
    if type(owner.value) is not dict or type(owner.value.get("examples")) is not dict:
        return
    examples = owner.child("examples")
    fields = (*(() if data_only else ("value",)), *_DATA_VALUE_FIELDS)
    for name in examples.value:
        try:
            entry = api.resolve(examples.child(name))
        except ApilintError:
            continue
        if not isinstance(entry.value, dict):
            continue
        for field in fields:
            if field in entry.value and entry.value[field] is not None:
                label = f"example '{name}' of {what}"
                if field != "value":
                    label = f"the {field} of {label}"
                # A data value is not in the media type's wire format: never a string to parse.
                shown = media_type if field == "value" else None
                yield _Site(entry.child(field), schema, direction, label, shown)


# The Example Object's data form (OpenAPI 3.2), and the registered extension for earlier versions.
_DATA_VALUE_FIELDS = ("dataValue", "x-oai-dataValue")


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
                yield from _content_parameter_data(param, what, api)
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


def _content_parameter_data(param: Node, what: str, api: OpenAPI) -> Iterator[_Site]:
    """The data values of a ``content`` parameter's own examples (beside its media type's):
    its one media type's schema is theirs (OpenAPI 3.2 ``in: querystring`` writes them so)."""
    content = param.get("content")
    if type(content) is not dict or len(content) != 1 or "examples" not in param.value:
        return
    media_type = next(iter(content))
    schema = param.child("content", media_type, "schema")
    if isinstance(schema.value, dict):
        yield from _named_examples(
            param, schema, Direction.REQUEST, what, api, str(media_type), data_only=True
        )


def _content_sites(owner: Node, direction: Direction, what: str, api: OpenAPI) -> Iterator[_Site]:
    content = owner.child("content")
    if not isinstance(content.value, dict):
        return
    for media_type, value in content.value.items():
        if type(value) is not dict or ("example" not in value and "examples" not in value):
            continue  # no example here (the common case: nothing to build)
        media = content.child(media_type)
        schema = media.child("schema")
        if isinstance(schema.value, dict):
            label = f"{what} ({media_type})"
            if _checkable(str(media_type)):
                yield from _examples_of(media, schema, direction, label, api, str(media_type))
            else:
                yield from _named_examples(
                    media, schema, direction, label, api, str(media_type), data_only=True
                )


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


def _cost(api: OpenAPI) -> float:
    """Beside the walk over every schema: translating, compiling and validating for each
    example, 0.04 to 0.2 ms (GitHub's description has 7,000, Stripe's 82)."""
    return 0.00006 * sum(doc.text.count("example") for doc in api.resolver.documents.values())


@check(
    "example_invalid",
    cost=_cost,
    uses=("schemas",),
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
        if validator.surely_valid(site.schema, site.value.value):
            continue
        key = validator.schema_key(site.schema, site.direction)
        if key is None:
            continue
        mark = (id(site.value.doc), site.value.ptr, key)
        if mark not in seen:
            seen.add(mark)
            pending.append((site, key))
    validator.prepare(key for _, key in pending)
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
