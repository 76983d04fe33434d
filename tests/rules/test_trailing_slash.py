"""Trailing-slash rules (rules/trailing-slash.yaml): consistency of path keys, twins that differ
only by the slash, and server URLs / basePath ending in '/'."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from apilint.core.findings import Finding, Severity

Lint = Callable[..., list[Finding]]


def paths(*keys: str) -> str:
    lines = ["paths:"]
    for key in keys:
        lines.append(f"  {key}:")
        lines.append('    get: {responses: {"200": {description: OK}}}')
    return "\n".join(lines) + "\n"


def ptr(path: str) -> str:
    return "/paths/" + path.replace("~", "~0").replace("/", "~1")


def pointers(findings: list[Finding]) -> list[str]:
    return [f.pointer for f in findings]


# -- trailing-slash-consistency -------------------------------------------------------------


def test_the_odd_path_with_a_slash(lint: Lint) -> None:
    findings = lint(
        paths("/users/", "/thoughts", "/tags", "/"), select=["trailing-slash-consistency"]
    )
    assert pointers(findings) == [ptr("/users/")]
    finding = findings[0]
    assert (finding.line, finding.column) == (6, 3)
    assert finding.severity is Severity.WARNING
    message = finding.message
    assert "unlike 2 of the 3 paths" in message
    assert "'/users'" in message
    assert "gets a redirect" in message
    assert "308" not in message  # which framework answers what is in the rule's docs


def test_the_odd_path_without_a_slash(lint: Lint) -> None:
    findings = lint(paths("/users/", "/thoughts/", "/tags"), select=["trailing-slash-consistency"])
    assert pointers(findings) == [ptr("/tags")]
    assert (
        findings[0].message
        == "'/tags' has no trailing '/', unlike 2 of the 3 paths; end it with '/'"
    )


def test_a_tie_reports_the_slashes(lint: Lint) -> None:
    findings = lint(paths("/users/", "/tags"), select=["trailing-slash-consistency"])
    assert pointers(findings) == [ptr("/users/")]


def test_policies(lint: Lint) -> None:
    spec = paths("/users/", "/thoughts/", "/tags", "/")
    never = {"trailing-slash-consistency": {"policy": "never"}}
    always = {"trailing-slash-consistency": {"policy": "always"}}
    findings = lint(spec, select=["trailing-slash-consistency"], options=never)
    assert pointers(findings) == [ptr("/users/"), ptr("/thoughts/")]
    assert "unlike" not in findings[0].message
    findings = lint(spec, select=["trailing-slash-consistency"], options=always)
    assert pointers(findings) == [ptr("/tags")]


def test_root_alone_and_consistent_documents_pass(lint: Lint) -> None:
    assert lint(paths("/"), select=["trailing-slash-consistency"]) == []
    assert lint(paths("/a", "/b/{id}", "/"), select=["trailing-slash-consistency"]) == []
    assert lint(paths("/a/", "/b/{id}/", "/"), select=["trailing-slash-consistency"]) == []


def test_twins_are_left_to_the_duplicate_rule(lint: Lint) -> None:
    # Regression: an API defining 23 paths both ways got 23 consistency warnings on top of 23
    # duplicate errors.
    spec = paths("/person/", "/person", "/address/", "/address", "/job")
    assert lint(spec, select=["trailing-slash-consistency"]) == []


def test_swagger_2(lint: Lint) -> None:
    spec = """
    swagger: "2.0"
    info: {title: T, version: "1"}
    paths:
      /users/:
        get: {responses: {"200": {description: OK}}}
      /tags:
        get: {responses: {"200": {description: OK}}}
      /thoughts:
        get: {responses: {"200": {description: OK}}}
    """
    assert pointers(lint(spec, select=["trailing-slash-consistency"])) == [ptr("/users/")]


# -- trailing-slash-duplicate ---------------------------------------------------------------


def test_twins_are_an_error(lint: Lint) -> None:
    findings = lint(paths("/users", "/users/", "/tags/"), select=["trailing-slash-duplicate"])
    assert pointers(findings) == [ptr("/users/")]
    assert findings[0].severity is Severity.ERROR
    assert "'/users/' and '/users'" in findings[0].message
    assert "merge them into one path" in findings[0].message


def test_twins_with_other_parameter_names(lint: Lint) -> None:
    spec = """
    paths:
      /users/{id}:
        parameters: [{name: id, in: path, required: true, schema: {type: string}}]
        get: {responses: {"200": {description: OK}}}
      /users/{userId}/:
        parameters: [{name: userId, in: path, required: true, schema: {type: string}}]
        put: {responses: {"200": {description: OK}}}
    """
    assert pointers(lint(spec, select=["trailing-slash-duplicate"])) == [ptr("/users/{userId}/")]


def test_no_twins(lint: Lint) -> None:
    assert lint(paths("/", "/users", "/users/{id}/"), select=["trailing-slash-duplicate"]) == []


# -- server-url-trailing-slash --------------------------------------------------------------


def test_server_url_with_a_slash(lint: Lint) -> None:
    servers = """
    servers:
      - url: http://127.0.0.1:5000/
      - url: https://api.example.com/v1
      - url: /
    """
    spec = textwrap.dedent(servers) + paths("/api/login")
    findings = lint(spec, select=["server-url-trailing-slash"])
    assert pointers(findings) == ["/servers/0/url"]
    finding = findings[0]
    assert (finding.line, finding.column) == (6, 5)
    assert "'http://127.0.0.1:5000//api/login'" in finding.message
    assert "with '//' in the path" in finding.message


def test_server_variables_and_nested_servers(lint: Lint) -> None:
    spec = """
    servers:
      - url: "https://{host}/{base}"
        variables:
          host: {default: api.example.com}
          base: {default: v1/}
    paths:
      /files:
        servers:
          - url: https://files.example.com/
        post:
          responses: {"200": {description: OK}}
    """
    findings = lint(spec, select=["server-url-trailing-slash"])
    assert pointers(findings) == ["/servers/0/url", ptr("/files") + "/servers/0/url"]
    assert "'https://api.example.com/v1/'" in findings[0].message
    assert "'https://files.example.com//files'" in findings[1].message


def test_swagger_base_path(lint: Lint) -> None:
    spec = """
    swagger: "2.0"
    info: {title: T, version: "1"}
    basePath: /v1/
    paths:
      /users:
        get: {responses: {"200": {description: OK}}}
    """
    findings = lint(spec, select=["server-url-trailing-slash"])
    assert pointers(findings) == ["/basePath"]
    assert "'/v1//users'" in findings[0].message
    spec = spec.replace("basePath: /v1/", "basePath: /")
    assert lint(spec, select=["server-url-trailing-slash"]) == []
