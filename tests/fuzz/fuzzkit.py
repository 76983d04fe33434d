"""Input generators and the invariant checker shared by the in-suite fuzz tests and run_long.py.

The invariant: every input ends with a report (findings, possibly none) or with an
``ApilintError`` whose message is one line. Anything else is a bug: another exception, an
``InternalError`` (a check function that crashed), a multi-line error, a report that cannot be
written as UTF-8, a hang, or memory that grows without bound.

Generators take a ``random.Random`` so that every input is reproducible from a seed: hypothesis
drives them in the suite (and shrinks the seed), run_long.py drives them with plain seeds.
"""

from __future__ import annotations

import copy
import json
import os
import random
import signal
import string
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import yaml
from hypothesis import settings

from apilint.core.errors import ApilintError
from apilint.core.findings import Finding
from apilint.documents.loader import LoadOptions, decode_bytes, load_document
from apilint.lint.engine import InternalError, Linter
from apilint.reports import Report, renderer
from apilint.settings.config import Config

# -- hypothesis settings -----------------------------------------------------------------------


def fuzz_settings(examples: int, deadline_ms: int) -> settings:
    """Bounded in-suite fuzzing: a fixed set of examples (derandomized, so every run of the suite
    tries the same inputs) unless APILINT_FUZZ_RANDOM=1 asks for fresh ones."""
    from hypothesis import HealthCheck, Phase

    fresh = bool(os.environ.get("APILINT_FUZZ_RANDOM"))
    return settings(
        max_examples=examples,
        # No "explain" phase: it imports modules that warn, and warnings are errors here.
        phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
        deadline=deadline_ms,
        derandomize=not fresh,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
            HealthCheck.filter_too_much,
        ],
    )


# -- running one input ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """How one input ended: ``report`` (n findings), ``error`` (a clean ApilintError), ``bug``,
    or ``known`` (a bug already routed to its owner, see KNOWN_BUGS)."""

    kind: str
    detail: str

    @property
    def is_bug(self) -> bool:
        return self.kind == "bug"


class Hang(BaseException):
    """Raised by the alarm when one input runs longer than its budget (BaseException so that no
    ``except Exception`` in the code under test swallows it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the body with :class:`Hang` after ``seconds`` (main thread, Unix only; a no-op
    elsewhere)."""
    if not hasattr(signal, "setitimer") or seconds <= 0:
        yield
        return
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


KNOWN_BUGS: tuple[tuple[str, str], ...] = (
    # (rule id, text of the crash): crashes in check functions that other people own, reported
    # to them and pinned as strict xfails in test_regressions.py. Remove an entry with its xfail.
    # Empty: every crash found so far is fixed.
)


def _classify_error(exc: ApilintError) -> Verdict:
    text = str(exc)
    if isinstance(exc, InternalError) or "internal error" in text:
        for rule, crash in KNOWN_BUGS:
            if f"rule '{rule}'" in text and crash in text:
                return Verdict("known", text)
        return Verdict("bug", f"{type(exc).__name__}: {text}")
    if "\n" in text or "\r" in text:
        return Verdict("bug", f"multi-line error message: {text!r}")
    return Verdict("error", text)


def _bug(exc: BaseException) -> Verdict:
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames[-4:]))
    return Verdict("bug", f"{type(exc).__name__}: {str(exc)[:300]} [{where}]")


def check_loader(raw: bytes | str, suffix: str = ".yaml", seconds: float = 10.0) -> Verdict:
    """Level 1: bytes (or text) to a Document, with the default limits."""
    name = f"fuzz{suffix}"
    try:
        with time_limit(seconds):
            text = decode_bytes(raw, name) if isinstance(raw, bytes) else raw
            doc = load_document(Path(name), name=name, text=text, options=LoadOptions())
            if doc.data is not None and isinstance(doc.data, (dict, list)):
                # Locating pointers must work on whatever was loaded.
                doc.locate_many([(), ("paths",), ("a", 0, "b")])
    except ApilintError as exc:
        return _classify_error(exc)
    except (Hang, RecursionError, MemoryError, Exception) as exc:
        return _bug(exc)
    return Verdict("report", "loaded")


_LINTER: Linter | None = None


def linter() -> Linter:
    """One Linter with every rule selected (building it reads the rulesets; do it once)."""
    global _LINTER
    if _LINTER is None:
        _LINTER = Linter(Config(), select=["all"])
    return _LINTER


def render_everything(findings: list[Finding], files: list[str], active: Linter) -> None:
    """Every report format must render the findings as UTF-8; JSON and SARIF must parse as JSON
    and JUnit as XML (a finding's message quotes the spec: any character can be in it)."""
    from xml.etree import ElementTree

    from apilint.reports import RuleInfo, formats_for

    rules = {
        r.id: RuleInfo(r.id, r.rule.description, r.severity.label, r.rule.docs.why)
        for r in active.rules
    }
    report = Report(command="lint", findings=findings, files=files, rules=rules)
    for name in formats_for("lint"):
        text = renderer(name, "lint")(report)
        text.encode("utf-8")
        if name in ("json", "sarif"):
            json.loads(text)
        elif name == "junit":
            ElementTree.fromstring(text)


def check_engine(text: str, path: Path, seconds: float = 20.0) -> Verdict:
    """Level 2: the whole lint of one root document (every rule), then every report format."""
    active = linter()
    try:
        with time_limit(seconds):
            findings, _notes = active.lint_file(path, text=text, name=path.name)
            render_everything(findings, [path.name], active)
    except ApilintError as exc:
        return _classify_error(exc)
    except (Hang, RecursionError, MemoryError, Exception) as exc:
        return _bug(exc)
    return Verdict("report", f"{len(findings)} findings")


# -- values ---------------------------------------------------------------------------------------

ODD_STRINGS = (
    "",
    " ",
    "\t",
    "\x00",
    "\x7f\x1b[31m",
    "\u202eevil",  # right-to-left override
    "\u200b",  # zero-width space
    "\ufeff",
    "e\u0301\u0301\u0301",
    "\U0001f600",
    "\ud800",  # a lone surrogate: legal in JSON text (escaped), not encodable as UTF-8
    "\udfff\ud800",
    "a" * 5000,
    "{id}",
    "/users/{id}",
    "/a//b/",
    "{",
    "}}{{",
    "~0~1/",
    "%2e%2e/",
    "../../etc/passwd",
    "#/",
    "#",
    "$ref",
    "x-",
    "x-apilint-ignore",
    "http://127.0.0.1:9/x.yaml",
    "https://example.invalid/spec.yaml",
    "file:///etc/passwd",
    "null",
    "true",
    "0x1F",
    "1e999",
    "-0",
    "NaN",
    "2XX",
    "default",
    "application/json",
    "*/*",
    "multipart/form-data; boundary=x",
    "text/plain; charset=utf-8",
    "get",
    "GET",
    "path",
    "query",
    "header",
    "cookie",
    "body",
    "formData",
    "object",
    "array",
    "string",
    "integer",
    "(a+)+$",
    "[",
    "\\",
    "\n\n",
    "line\r\nbreak",
    "\u0130\u0131\u00df",
    "ǅ",
)

HUGE_NUMBERS: tuple[Any, ...] = (
    0,
    -1,
    2**31,
    2**63,
    -(2**64),
    10**100,
    10**4000,  # more digits than int('...') converts by default in Python 3.11+
    1e308,
    -1e308,
    5e-324,
    -0.0,
    float("inf"),
    float("-inf"),
    float("nan"),
    0.1,
    True,
    False,
)

REF_TARGETS = (
    "#",
    "#/",
    "#/components/schemas/Pet",
    "#/components/schemas/Missing",
    "#/definitions/Pet",
    "#/paths/~1pets/get",
    "#/paths/~1pets",
    "#/components/parameters/limit",
    "#/components/responses/NotFound",
    "#/components/schemas/Pet/properties/name",
    "#/components/schemas",
    "#/info",
    "#/openapi",
    "#/paths/~1pets/get/parameters/0",
    "#/paths/~1pets/get/parameters/99",
    "#/paths/~1pets/get/parameters/-1",
    "#/components/schemas/Loop1",
    "#/a~2b",
    "#/%7E0",
    "#/components/schemas/Pet/properties/%ZZ",
    "#anchor",
    "#/\x00",
    "common.yaml#/components/schemas/Shared",
    "common.yaml#/components/schemas/Nope",
    "common.yaml",
    "missing.yaml#/x",
    "sub/../common.yaml#/components/schemas/Shared",
    "../outside.yaml#/x",
    "/etc/passwd",
    "file:///etc/passwd",
    "%2e%2e/%2e%2e/etc/passwd",
    "http://127.0.0.1:9/spec.yaml#/x",
    "https://example.invalid/spec.yaml",
    "ftp://example.invalid/x",
    "urn:uuid:1234",
    "C:/Windows/win.ini",
    "\\\\server\\share\\x.yaml",
    "common.yaml#/components/schemas/Back",
    "",
    " ",
)


def random_scalar(rng: random.Random) -> Any:
    choice = rng.random()
    if choice < 0.35:
        return rng.choice(ODD_STRINGS)
    if choice < 0.55:
        return rng.choice(HUGE_NUMBERS)
    if choice < 0.65:
        return None
    if choice < 0.8:
        alphabet = string.ascii_letters + string.digits + "-_./{}~%$#:"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
    return "".join(
        chr(rng.choice((rng.randint(32, 0x2FF), rng.randint(0x300, 0x10FFFF))))
        for _ in range(rng.randint(0, 6))
    )


def random_value(rng: random.Random, depth: int = 0) -> Any:
    """Any JSON-like value, small."""
    roll = rng.random()
    if depth > 3 or roll < 0.5:
        return random_scalar(rng)
    if roll < 0.75:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {random_key(rng): random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}


OPENAPI_KEYS = (
    "openapi",
    "swagger",
    "info",
    "title",
    "version",
    "paths",
    "components",
    "schemas",
    "parameters",
    "responses",
    "requestBody",
    "content",
    "schema",
    "properties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "additionalProperties",
    "required",
    "type",
    "format",
    "enum",
    "default",
    "example",
    "examples",
    "in",
    "name",
    "servers",
    "url",
    "variables",
    "tags",
    "security",
    "securitySchemes",
    "operationId",
    "summary",
    "description",
    "headers",
    "links",
    "callbacks",
    "webhooks",
    "discriminator",
    "mapping",
    "propertyName",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "get",
    "put",
    "post",
    "delete",
    "patch",
    "head",
    "options",
    "trace",
    "200",
    "201",
    "204",
    "301",
    "400",
    "404",
    "default",
    "2XX",
    "$ref",
    "x-apilint-ignore",
    "definitions",
    "basePath",
    "host",
    "schemes",
    "consumes",
    "produces",
    "externalDocs",
    "explode",
    "style",
    "pattern",
    "minimum",
    "maximum",
    "const",
    "$defs",
    "prefixItems",
    "patternProperties",
    "if",
    "then",
    "else",
    "flows",
    "scopes",
    "value",
)


def random_key(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(OPENAPI_KEYS)
    if roll < 0.85:
        return str(rng.choice(ODD_STRINGS))
    return "/" + "/".join(rng.choice(("a", "{id}", "", "{", "x y", "é")) for _ in range(3))


def nested(rng: random.Random, depth: int, leaf: Any = 1) -> Any:
    """``depth`` levels of objects and arrays around ``leaf``."""
    value = leaf
    for _ in range(depth):
        value = [value] if rng.random() < 0.5 else {rng.choice(("a", "properties", "items")): value}
    return value


# -- seed documents -------------------------------------------------------------------------------


def seed_documents() -> list[dict[str, Any]]:
    """Small documents that use most of OpenAPI (both major versions), to mutate."""
    v3: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1.0.0", "description": "Fuzz seed."},
        "servers": [
            {"url": "https://{env}.example.com/v1", "variables": {"env": {"default": "api"}}}
        ],
        "tags": [{"name": "pets", "description": "Pets"}],
        "security": [{"key": []}],
        "paths": {
            "/pets": {
                "parameters": [{"$ref": "#/components/parameters/limit"}],
                "get": {
                    "operationId": "listPets",
                    "tags": ["pets"],
                    "summary": "List pets",
                    "parameters": [
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                        {"$ref": "#/components/parameters/limit"},
                    ],
                    "responses": {
                        "200": {
                            "description": "The pets",
                            "headers": {"X-Rate": {"schema": {"type": "integer"}}},
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Pet"},
                                    },
                                    "example": [{"id": 1, "name": "Rex"}],
                                }
                            },
                        },
                        "404": {"$ref": "#/components/responses/NotFound"},
                        "default": {"description": "Error"},
                    },
                },
                "post": {
                    "operationId": "createPet",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    },
                    "responses": {"201": {"description": "Created"}},
                    "callbacks": {
                        "onEvent": {
                            "{$request.body#/url}": {
                                "post": {"responses": {"200": {"description": "ok"}}}
                            }
                        }
                    },
                },
            },
            "/pets/{petId}": {
                "get": {
                    "operationId": "getPet",
                    "parameters": [
                        {
                            "name": "petId",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "A pet",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                            },
                        }
                    },
                    "x-apilint-ignore": ["spec-invalid"],
                },
                "delete": {
                    "parameters": [
                        {
                            "name": "petId",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {"204": {"description": "Deleted"}},
                    "deprecated": True,
                },
            },
            "/shared": {"$ref": "common.yaml#/components/pathItems/Shared"},
        },
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "integer", "format": "int64"},
                        "name": {"type": "string", "pattern": "^[A-Z]"},
                        "tag": {"type": "string", "nullable": True, "enum": ["a", "b"]},
                        "owner": {"$ref": "#/components/schemas/Owner"},
                        "children": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Pet"},
                        },
                    },
                    "discriminator": {
                        "propertyName": "name",
                        "mapping": {"x": "#/components/schemas/Owner"},
                    },
                },
                "Owner": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object"}]},
                "Base": {"type": "object", "additionalProperties": {"type": "string"}},
                "Loop1": {"$ref": "#/components/schemas/Loop2"},
                "Loop2": {
                    "type": "object",
                    "properties": {"next": {"$ref": "#/components/schemas/Loop1"}},
                },
                "Remote": {"$ref": "common.yaml#/components/schemas/Shared"},
            },
            "parameters": {
                "limit": {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "maximum": 100},
                }
            },
            "responses": {"NotFound": {"description": "Not found"}},
            "securitySchemes": {
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                "oauth": {
                    "type": "oauth2",
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": "https://example.com/auth",
                            "tokenUrl": "https://example.com/token",
                            "scopes": {"read": "Read"},
                        }
                    },
                },
            },
        },
    }
    v31 = copy.deepcopy(v3)
    v31["openapi"] = "3.1.0"
    v31["webhooks"] = {"newPet": {"post": {"responses": {"200": {"description": "ok"}}}}}
    v31["components"]["schemas"]["Pet"]["properties"]["tag"] = {"type": ["string", "null"]}
    v31["components"]["schemas"]["Tuple"] = {"prefixItems": [{"type": "string"}], "$defs": {}}
    v2: dict[str, Any] = {
        "swagger": "2.0",
        "info": {"title": "Pets", "version": "1.0"},
        "host": "api.example.com",
        "basePath": "/v1",
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "parameters": [
                        {"name": "limit", "in": "query", "type": "integer"},
                        {"$ref": "#/parameters/q"},
                    ],
                    "responses": {
                        "200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}
                    },
                },
                "post": {
                    "parameters": [
                        {"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Pet"}},
                        {"name": "file", "in": "formData", "type": "file"},
                    ],
                    "responses": {"201": {"description": "created"}},
                },
            }
        },
        "parameters": {"q": {"name": "q", "in": "query", "type": "string"}},
        "definitions": {
            "Pet": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "tags": {"type": "array", "items": {}}},
            }
        },
        "securityDefinitions": {"basic": {"type": "basic"}},
    }
    return [v3, v31, v2]


COMMON_YAML = """\
components:
  schemas:
    Shared:
      type: object
      properties:
        back:
          $ref: 'common.yaml#/components/schemas/Back'
    Back:
      type: string
  pathItems:
    Shared:
      get:
        responses:
          '200':
            description: ok
"""


def prepare_workdir(directory: Path) -> Path:
    """A directory with the files seed documents refer to; returns where the root goes."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "common.yaml").write_text(COMMON_YAML, encoding="utf-8")
    (directory / "sub").mkdir(exist_ok=True)
    return directory / "api"


# -- structural mutation --------------------------------------------------------------------------


def _slots(data: Any, limit: int = 4000) -> list[tuple[Any, Any]]:
    """(container, key) for values in ``data``, breadth first, at most ``limit``."""
    out: list[tuple[Any, Any]] = []
    queue: list[Any] = [data]
    seen: set[int] = set()
    while queue and len(out) < limit:
        node = queue.pop(0)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            for key, value in node.items():
                out.append((node, key))
                if isinstance(value, (dict, list)):
                    queue.append(value)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                out.append((node, index))
                if isinstance(value, (dict, list)):
                    queue.append(value)
    return out


def _reaches(value: Any, target: Any) -> bool:
    """Whether ``target`` is ``value`` or inside it (sharing it would make a cycle)."""
    stack = [value]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if node is target:
            return True
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _null_everything(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _null_everything(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_null_everything(v) for v in value]
    return None


def _wrong_type(rng: random.Random, value: Any) -> Any:
    """A value of another JSON type than ``value``: the string where an object is expected,
    the list where a map is..."""
    if isinstance(value, dict):
        return rng.choice(
            (
                list(value.values()),
                [value],
                list(value),
                "object",
                str(value)[:40],
                0,
                None,
                True,
            )
        )
    if isinstance(value, list):
        return rng.choice(
            ({str(i): v for i, v in enumerate(value)}, value[:1] and value[0], "a", 1, None)
        )
    if isinstance(value, str):
        return rng.choice(({"$ref": value}, [value], {value: value}, 1, None, True, 1.5))
    return rng.choice(({"type": "string"}, [value], str(value), None, {"$ref": "#"}))


def _mutate_at(rng: random.Random, data: Any) -> None:
    slots = _slots(data)
    if not slots:
        return
    container, key = rng.choice(slots)
    if container is data and key in ("openapi", "swagger") and rng.random() < 0.9:
        container, key = rng.choice(slots)  # mostly keep it an OpenAPI document
    value = container[key]
    op = rng.randrange(14)
    if op == 0 and isinstance(container, dict):
        del container[key]
    elif op == 0:
        container.pop(key)
    elif op == 1:
        container[key] = _wrong_type(rng, value)
    elif op == 2:
        container[key] = None
    elif op == 3:
        try:
            container[key] = _null_everything(value)
        except RecursionError:  # a value nested by an earlier round
            container[key] = None
    elif op == 4:
        container[key] = random_value(rng)
    elif op == 5:
        container[key] = rng.choice(HUGE_NUMBERS)
    elif op == 6:
        container[key] = rng.choice(ODD_STRINGS)
    elif op == 7:
        deep = rng.random() < 0.15  # around and past the depth limit now and then
        depth = rng.choice((240, 250, 260, 600) if deep else (2, 5, 20, 60))
        container[key] = nested(rng, depth, value)
    elif op == 8:
        container[key] = {"$ref": rng.choice(REF_TARGETS)}
    elif op == 9 and isinstance(container, dict):
        container[random_key(rng)] = random_value(rng)
    elif op == 9:
        container.append(random_value(rng))
    elif op == 10 and isinstance(container, dict):
        # rename the key, keeping the value
        del container[key]
        container[random_key(rng)] = value
    elif op == 11 and isinstance(value, dict):
        value["$ref"] = rng.choice(REF_TARGETS)
    elif op == 12:
        # share one object in two places (YAML output then uses an anchor and an alias)
        other_container, other_key = rng.choice(slots)
        shared = other_container[other_key]
        if not _reaches(shared, container):
            container[key] = shared
    elif op == 13 and isinstance(value, dict):
        value["x-apilint-ignore"] = rng.choice(
            (["all"], "all", [None], ["spec-invalid", 3], {"a": 1}, ["no-such-rule"])
        )


def mutate_data(rng: random.Random, data: Any, rounds: int | None = None) -> Any:
    """A structurally mutated deep copy of ``data``."""
    data = copy.deepcopy(data)
    for _ in range(rounds if rounds is not None else rng.randint(1, 6)):
        if not isinstance(data, (dict, list)) or rng.random() < 0.004:
            return rng.choice((random_value(rng), _wrong_type(rng, data), None))
        _mutate_at(rng, data)
    return data


def serialize(rng: random.Random, data: Any) -> tuple[str, str]:
    """(text, suffix): JSON or YAML, in one of several styles."""
    style = rng.randrange(5)
    try:
        if style == 0:
            return json.dumps(data, indent=2, ensure_ascii=False), ".json"
        if style == 1:
            return json.dumps(data), ".json"
        if style == 2:
            return json.dumps(data, ensure_ascii=True), ".yaml"  # JSON in a .yaml file
        if style == 3:
            return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=60), ".yaml"
        return yaml.safe_dump(data, default_flow_style=True, sort_keys=False), ".yml"
    except (yaml.YAMLError, ValueError, RecursionError, UnicodeError, OverflowError):
        return deep_dumps(data), ".json"


def deep_dumps(data: Any) -> str:
    """JSON text for data of any depth (json.dumps recurses)."""
    out: list[str] = []
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, _Token):
            out.append(item.text)
        elif isinstance(item, dict):
            stack.append(_Token("}"))
            for index, (key, value) in enumerate(reversed(list(item.items()))):
                stack.append(value)
                stack.append(_Token(json.dumps(str(key)) + ":"))
                if index < len(item) - 1:
                    stack.append(_Token(","))
            stack.append(_Token("{"))
        elif isinstance(item, list):
            stack.append(_Token("]"))
            for index, value in enumerate(reversed(item)):
                stack.append(value)
                if index < len(item) - 1:
                    stack.append(_Token(","))
            stack.append(_Token("["))
        else:
            out.append(json.dumps(item, default=str))
    return "".join(out)


@dataclass(frozen=True)
class _Token:
    text: str


# -- text generation and mutation ----------------------------------------------------------------

YAML_FRAGMENTS = (
    "a: 1\n",
    "- x\n",
    "? [a, b]\n: c\n",
    "&a [*a]\n",
    "&x {a: 1}\n",
    "*x\n",
    "*nope\n",
    "<<: *x\n",
    "<<: [*x, *x]\n",
    "!!int 'x'\n",
    "!!float abc\n",
    "!!bool maybe\n",
    "!!binary AAAA\n",
    "!!timestamp 2001-12-14\n",
    "!!set {a, b}\n",
    "!!omap [a: 1]\n",
    "!!python/object:os.system x\n",
    "!!python/name:os.system ''\n",
    "!Ref x\n",
    "!<tag:yaml.org,2002:str> x\n",
    "%YAML 1.1\n---\n",
    "%TAG ! tag:example.com,2000:\n---\n",
    "---\n",
    "...\n",
    "--- |\n  text\n",
    "key: >-\n  folded\n",
    "'quoted': \"x\\u0000\"\n",
    "k: 0x1F\n",
    "k: 0o17\n",
    "k: 1_000\n",
    "k: .inf\n",
    "k: .NaN\n",
    "k: 1e5\n",
    "k: 9" + "9" * 5000 + "\n",
    "k: -0\n",
    "k: ~\n",
    "k: yes\n",
    "k: 2001-12-14t21:59:43.10-05:00\n",
    "\t- tab\n",
    "k:\tv\n",
    "  bad indent: x\n",
    "{a: [b, {c: d}]}\n",
    "[a, b]: c\n",
    "{? a}\n",
    "k: 'unterminated\n",
    'k: "\\ud800"\n',
    'k: "\\x00"\n',
    "\ufeffk: v\n",
    "k: v\r\n",
    "#comment\n",
    "openapi: 3.0.3\n",
    "swagger: '2.0'\n",
    "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    "paths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n",
    "$ref: '#/x'\n",
    "paths: &p {}\nx: *p\n",
    "[" * 30,
    "]" * 30,
    "{" * 30,
    "- " * 30 + "x\n",
    ": ",
    "? ",
    "@x\n",
    "`x\n",
)


def alias_bomb(rng: random.Random) -> str:
    levels = rng.randint(6, 12)
    width = rng.randint(5, 10)
    lines = ["openapi: 3.0.3", f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def random_yaml_text(rng: random.Random) -> str:
    parts = [rng.choice(YAML_FRAGMENTS) for _ in range(rng.randint(1, 8))]
    if rng.random() < 0.3:
        parts = [" " * rng.randint(0, 4) + p for p in parts]
    return "".join(parts)


def mutate_text(rng: random.Random, text: str) -> str:
    """Byte-level damage: flips, cuts, splices of YAML/JSON syntax, odd characters."""
    chars = list(text)
    for _ in range(rng.randint(1, 5)):
        op = rng.randrange(7)
        position = rng.randint(0, len(chars))
        if op == 0 and chars:
            del chars[position : position + rng.randint(1, 20)]
        elif op == 1:
            chars[position:position] = list(rng.choice(YAML_FRAGMENTS))
        elif op == 2:
            chars[position:position] = list(rng.choice(ODD_STRINGS)[:50])
        elif op == 3 and chars:
            index = min(position, len(chars) - 1)
            chars[index] = chr(rng.randint(0, 0x7F))
        elif op == 4:
            chars = chars[:position]
        elif op == 5 and chars:
            start = rng.randint(0, len(chars) - 1)
            chunk = chars[start : start + rng.randint(1, 200)]
            chars[position:position] = chunk
        elif op == 6:
            chars[position:position] = list(
                rng.choice(('"', "'", "{", "}", "[", "]", ",", ":", "\n", "  ", "&a", "*a", "\\"))
            )
    return "".join(chars)


def mutate_bytes(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(5)
        position = rng.randint(0, len(data))
        if op == 0 and data:
            data[min(position, len(data) - 1)] = rng.randrange(256)
        elif op == 1:
            data[position:position] = rng.choice(
                (
                    b"\x00",
                    b"\xff\xfe",
                    b"\xfe\xff",
                    b"\xef\xbb\xbf",
                    b"\xc3",
                    b"\xed\xa0\x80",
                    b"\x80",
                    b"\xf4\x90\x80\x80",
                )
            )
        elif op == 2:
            del data[position : position + rng.randint(1, 10)]
        elif op == 3:
            data[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:
            data = data[:position]
    return bytes(data)


def text_input(rng: random.Random, seeds: list[str]) -> tuple[str | bytes, str]:
    """One loader input: (text or bytes, file suffix)."""
    suffix = rng.choice((".yaml", ".json", ".yml", ""))
    roll = rng.random()
    if roll < 0.25:
        return random_yaml_text(rng), suffix
    if roll < 0.55 and seeds:
        return mutate_text(rng, rng.choice(seeds)), suffix
    if roll < 0.7 and seeds:
        return mutate_bytes(rng, rng.choice(seeds).encode("utf-8", "surrogatepass")), suffix
    if roll < 0.8:
        return alias_bomb(rng), ".yaml"
    if roll < 0.9:
        depth = rng.choice((100, 249, 250, 251, 500, 990, 1200, 10000))
        opener, closer = rng.choice((("[", "]"), ("{a: ", "}"), ('{"a":', "}"), ("- ", "")))
        if opener == "- ":  # block style: the text grows with the square of the depth
            lines = ["  " * i + "- " for i in range(min(depth, 600))]
            return "\n".join(lines) + "x\n", ".yaml"
        return opener * depth + "1" + closer * depth, rng.choice((".json", ".yaml"))
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 200))), suffix


def engine_input(rng: random.Random, seeds: list[Any]) -> tuple[str, str]:
    """One engine input: a mutated OpenAPI document, serialized."""
    data = mutate_data(rng, rng.choice(seeds))
    text, suffix = serialize(rng, data)
    if rng.random() < 0.1:
        text = mutate_text(rng, text)
    return text, suffix


def seed_texts() -> list[str]:
    return [json.dumps(d, indent=2) for d in seed_documents()] + [
        yaml.safe_dump(d, sort_keys=False) for d in seed_documents()
    ]
