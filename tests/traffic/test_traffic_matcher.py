"""Matching requests to operations: base paths, templates, trailing slashes, decoding."""

from __future__ import annotations

from pathlib import Path

import pytest
from traffic_support import write_spec

from apilint.traffic.matcher import (
    IMPLICIT,
    INVALID,
    OPERATION,
    UNDOCUMENTED,
    VARIANT,
    Matcher,
    load_spec,
    request_path,
    server_base_paths,
)

SPEC = """
openapi: 3.1.0
info: {title: T, version: "1"}
servers:
  - url: https://{region}.example.com/{base}/v1
    variables:
      region: {default: eu, enum: [eu, us]}
      base: {default: api, enum: [api, internal]}
  - url: /relative
paths:
  /users:
    get: {responses: {"200": {description: ok}}}
  /users/me:
    delete: {responses: {"204": {description: ok}}}
  /users/{id}:
    get: {responses: {"200": {description: ok}}}
    head: {responses: {"200": {description: ok}}}
  /files/{name}:
    get: {responses: {"200": {description: ok}}}
  /reports/{name}.{format}:
    get: {responses: {"200": {description: ok}}}
  /reports/summary.csv:
    get: {responses: {"200": {description: ok}}}
  /items/:
    get: {responses: {"200": {description: ok}}}
    options: {responses: {"204": {description: ok}}}
  /:
    get: {responses: {"200": {description: ok}}}
  /admin:
    servers: [{url: "https://admin.example.com/ops"}]
    get: {responses: {"200": {description: ok}}}
"""


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    path = write_spec(tmp_path_factory.mktemp("spec"), SPEC)
    return Matcher(load_spec(str(path)))


def where(matcher: Matcher, method: str, target: str) -> tuple[str, str]:
    found = matcher.match(method, target)
    if found.route is not None:
        return found.kind, found.route.label
    return found.kind, found.template


@pytest.mark.parametrize(
    ("method", "target", "expected"),
    [
        # server variables: defaults and enum values; relative server URLs
        ("GET", "/api/v1/users", (OPERATION, "GET /users")),
        ("GET", "/internal/v1/users", (OPERATION, "GET /users")),
        ("GET", "/relative/users", (OPERATION, "GET /users")),
        ("GET", "/users", (UNDOCUMENTED, "/users")),
        # concrete before templated; method-aware fallback to the next template
        ("DELETE", "/api/v1/users/me", (OPERATION, "DELETE /users/me")),
        ("GET", "/api/v1/users/me", (OPERATION, "GET /users/{id}")),
        ("GET", "/api/v1/reports/summary.csv", (OPERATION, "GET /reports/summary.csv")),
        ("GET", "/api/v1/reports/sales.pdf", (OPERATION, "GET /reports/{name}.{format}")),
        ("GET", "/api/v1/reports/sales", (UNDOCUMENTED, "/reports/sales")),
        # percent-decoding per segment: %2F stays inside its segment
        ("GET", "/api/v1/files/a%2Fb.txt", (OPERATION, "GET /files/{name}")),
        ("GET", "/api/v1/files/a/b.txt", (UNDOCUMENTED, "/files/a/b.txt")),
        ("GET", "/api/v1/users/j%C3%B6rg", (OPERATION, "GET /users/{id}")),
        ("GET", "/api/v1/%75sers", (OPERATION, "GET /users")),
        # query strings, fragments, absolute-form targets
        ("GET", "/api/v1/users?page=2&q=/x", (OPERATION, "GET /users")),
        ("GET", "/api/v1/users#top", (OPERATION, "GET /users")),
        ("GET", "https://eu.example.com:443/api/v1/users/7?x=1", (OPERATION, "GET /users/{id}")),
        # trailing slashes, both ways; never undocumented
        ("GET", "/api/v1/users/", (VARIANT, "GET /users")),
        ("GET", "/api/v1/items", (VARIANT, "GET /items/")),
        ("GET", "/api/v1/items/", (OPERATION, "GET /items/")),
        ("GET", "/api/v1/", (OPERATION, "GET /")),
        ("GET", "/api/v1", (VARIANT, "GET /")),
        # a parameter never matches an empty segment
        ("GET", "/api/v1/users//", (UNDOCUMENTED, "/users//")),
        # HEAD: its own operation, else the GET one
        ("HEAD", "/api/v1/users/7", (OPERATION, "HEAD /users/{id}")),
        ("HEAD", "/api/v1/users", (OPERATION, "GET /users")),
        # OPTIONS: documented, or implicit on a documented path (also a slash variant)
        ("OPTIONS", "/api/v1/items/", (OPERATION, "OPTIONS /items/")),
        ("OPTIONS", "/api/v1/users", (IMPLICIT, "/users")),
        ("OPTIONS", "/api/v1/users/", (IMPLICIT, "/users")),
        # the path is documented, the method is not: the description's template
        ("DELETE", "/api/v1/users/42", (UNDOCUMENTED, "/users/{id}")),
        ("PROPFIND", "/api/v1/users", (UNDOCUMENTED, "/users")),
        # undocumented paths are templated
        ("GET", "/api/v1/orders/8412/lines", (UNDOCUMENTED, "/orders/{id}/lines")),
        # a path item's own servers
        ("GET", "/ops/admin", (OPERATION, "GET /admin")),
        ("GET", "/api/v1/admin", (UNDOCUMENTED, "/admin")),
        # targets that are no path
        ("OPTIONS", "*", (INVALID, "")),
        ("CONNECT", "example.com:443", (INVALID, "")),
    ],
)
def test_matching(matcher: Matcher, method: str, target: str, expected: tuple[str, str]) -> None:
    assert where(matcher, method, target) == expected


def test_undocumented_flags(matcher: Matcher) -> None:
    assert matcher.match("DELETE", "/api/v1/users/42").path_documented
    assert not matcher.match("GET", "/api/v1/orders/1").path_documented
    assert matcher.match("GET", "/api/v1/orders/1").inside_base
    assert not matcher.match("GET", "/static/app.js").inside_base


def test_base_paths_longest_first(matcher: Matcher) -> None:
    assert matcher.base_paths == ["/internal/v1", "/relative", "/api/v1", "/ops"]


@pytest.mark.parametrize(
    ("server", "expected"),
    [
        ({"url": "https://api.example.com/v1/"}, ["/v1"]),
        ({"url": "https://api.example.com"}, [""]),
        ({"url": "/"}, [""]),
        ({"url": "v2"}, ["/v2"]),
        ({"url": "//cdn.example.com/assets"}, ["/assets"]),
        (
            {"url": "{scheme}://h/{p}", "variables": {"p": {"default": "a", "enum": ["a", "b"]}}},
            ["/a", "/b"],
        ),
        ({"url": 42}, []),
    ],
)
def test_server_base_paths(server: dict[str, object], expected: list[str]) -> None:
    assert server_base_paths(server) == expected


def test_swagger2_base_path_and_the_override(tmp_path: Path) -> None:
    path = write_spec(
        tmp_path,
        """
        swagger: "2.0"
        info: {title: T, version: "1"}
        basePath: /v2/
        paths:
          /pets/{petId}:
            get: {responses: {"200": {description: ok}}}
        """,
    )
    api = load_spec(str(path))
    assert where(Matcher(api), "GET", "/v2/pets/1") == (OPERATION, "GET /pets/{petId}")
    assert where(Matcher(api), "GET", "/pets/1")[0] == UNDOCUMENTED
    behind_proxy = Matcher(api, ["/"])
    assert where(behind_proxy, "GET", "/pets/1") == (OPERATION, "GET /pets/{petId}")


def test_operations_in_referenced_files(tmp_path: Path) -> None:
    write_spec(
        tmp_path,
        """
        get:
          responses: {"200": {description: ok}}
        """,
        name="users.yaml",
    )
    path = write_spec(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths:
          /users:
            $ref: users.yaml
        """,
    )
    matcher = Matcher(load_spec(str(path)))
    found = matcher.match("GET", "/users")
    assert found.route is not None
    assert found.route.operation.node.doc.name.endswith("users.yaml")


@pytest.mark.parametrize(
    ("target", "path"),
    [
        ("/a?b", "/a"),
        ("/a#b?c", "/a"),
        ("http://h", "/"),
        ("http://h/x?y", "/x"),
        ("*", None),
        ("h:443", None),
    ],
)
def test_request_path(target: str, path: str | None) -> None:
    assert request_path(target) == path


def test_ids_share_a_cache_entry_only_when_that_is_safe(tmp_path: Path) -> None:
    from traffic_support import SHOP, clf

    from apilint.traffic.aggregate import Aggregator
    from apilint.traffic.logformats import FORMATS, ParseOptions

    shop = Matcher(load_spec(str(SHOP)))
    assert shop.foldable
    uuid = "3f0c9a4e-0c55-4d5e-9d8e-3a4cb1b0e0a7"
    assert shop.fold(f"/api/v1/products/42/x/{uuid}") == "/api/v1/products/\x00/x/\x00"
    path = write_spec(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths:
          /reports/2024:
            get: {responses: {"200": {description: this year's}}}
          /reports/{year}:
            get: {responses: {"200": {description: archived}}}
        """,
    )
    matcher = Matcher(load_spec(str(path)))
    assert not matcher.foldable  # a literal numeric segment
    assert matcher.fold("/reports/2023") == "/reports/2023"
    lines = [clf("GET", "/reports/2024", 200), clf("GET", "/reports/2023", 200)] * 2
    agg = Aggregator(matcher)
    fmt = FORMATS["combined"]
    agg.feed("x.log", "combined", lines, fmt.reader(lines[:1], ParseOptions()), lambda _: "?")
    assert [t.requests for t in agg.operations] == [2, 2]
    dated = write_spec(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: T, version: "1"}
        servers: [{url: /2024}]
        paths:
          /a/{id}:
            get: {responses: {"200": {description: ok}}}
        """,
        name="dated.yaml",
    )
    assert not Matcher(load_spec(str(dated))).foldable  # a numeric base path
