"""The pure parts of the contract runner: redirect words, masking, curl lines, options, values."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from apilint.contract.curl import curl_command
from apilint.contract.options import (
    ContractOptions,
    is_loopback,
    parse_headers,
    parse_phases,
    parse_rate_limit,
    select_rules,
)
from apilint.contract.redact import MASK, Redactor
from apilint.contract.redirects import Hop, changes_host, diagnose, redirect_issues
from apilint.contract.runner import config_data
from apilint.contract.values import Synthesizer
from apilint.core.errors import ConfigError
from apilint.documents.loader import load_document
from apilint.documents.openapi import Node, OpenAPI
from apilint.documents.refs import Resolver


def issues(
    status: int,
    location: str,
    *,
    method: str = "GET",
    url: str = "http://h:1/items",
    documented: bool = False,
) -> dict[str, str]:
    hop = Hop(method, url, status, location)
    found = redirect_issues(
        hop, subject=f"{method} /items", documented=documented, documented_path=True, label="x"
    )
    return {issue.rule: issue.message for issue in found}


def test_trailing_slash_redirect_in_plain_words() -> None:
    found = issues(308, "http://h:1/items/")
    assert found == {
        "unexpected-redirect": "GET /items answered 308 Permanent Redirect to /items/ — the "
        "server's route has a trailing slash and the spec's path does not"
    }
    removed = issues(301, "/items", url="http://h:1/items/")
    assert (
        "route has no trailing slash and the spec's path has one" in removed["unexpected-redirect"]
    )


def test_documented_redirects_are_not_unexpected_but_method_changes_still_count() -> None:
    assert issues(302, "/home", documented=True) == {}
    found = issues(302, "/home", method="POST", documented=True)
    assert set(found) == {"redirect-method-change"}
    assert (
        "lets a client repeat a POST redirected with 302 as a GET"
        in found["redirect-method-change"]
    )
    # 303 is the intended "see other" answer to a POST when the spec says so
    assert issues(303, "/home", method="POST", documented=True) == {}
    assert set(issues(303, "/home", method="POST")) == {
        "unexpected-redirect",
        "redirect-method-change",
    }
    # 307 and 308 keep the method
    assert set(issues(307, "/items/", method="POST")) == {"unexpected-redirect"}


def test_method_changes_only_where_rfc_9110_allows_them() -> None:
    for method in ("GET", "HEAD", "TRACE", "OPTIONS"):  # no body to lose
        for status in (301, 302, 303):
            assert "redirect-method-change" not in issues(status, "/x", method=method)
    for method in ("PUT", "PATCH", "DELETE"):  # 301/302 rewrite only POST
        assert "redirect-method-change" not in issues(301, "/x", method=method)
        assert "redirect-method-change" not in issues(302, "/x", method=method)
        assert "not repeated there" in issues(303, "/x", method=method)["redirect-method-change"]
    assert "redirect-method-change" in issues(301, "/x", method="POST")


def test_a_location_that_is_a_null_value_is_named() -> None:
    found = issues(302, "None", documented=True)
    assert set(found) == {"unexpected-redirect"}
    assert (
        "'Location: None', which is not a URL the client can follow" in found["unexpected-redirect"]
    )


def test_scheme_downgrade_and_host_change() -> None:
    found = issues(308, "http://h:8443/items/", url="https://h:8443/items")
    assert set(found) == {"unexpected-redirect", "redirect-scheme-downgrade"}
    found = issues(302, "https://login.example.com/", documented=True)
    assert set(found) == {"redirect-host-change"}
    assert "another host (login.example.com)" in found["redirect-host-change"]
    assert changes_host("http://h:1/a", "http://h:2/a")
    assert not changes_host("http://h/a", "https://h/a")  # the default-port pair of an upgrade
    assert not changes_host("https://h:8443/a", "http://h:8443/a/")
    assert not changes_host("http://H./a", "http://h/b")


def test_no_findings_for_non_redirects() -> None:
    assert issues(304, "/items") == {}
    assert issues(200, "/items") == {}
    assert (
        redirect_issues(
            Hop("GET", "http://h/x", 302, None),
            subject="GET /x",
            documented=False,
            documented_path=True,
            label="x",
        )
        == []
    )


def test_diagnose_kinds() -> None:
    assert diagnose("http://h/a", "https://h/a")[0] == "https"
    assert diagnose("http://h/Items", "http://h/items")[0] == "case"
    assert diagnose("http://h/a", "http://h/login")[0] == "other:/login"


def test_redactor_masks_secrets_everywhere() -> None:
    redactor = Redactor(["Bearer tok-en/123", "k3y-value"], headers=["X-Custom"], query=["sig2"])
    assert redactor.header("Authorization", "anything") == MASK
    assert redactor.header("X-Custom", "v") == MASK
    assert redactor.header("Accept", "text/plain") == "text/plain"
    assert redactor.text("echo tok-en/123 and tok-en%2F123 and k3y-value") == (
        f"echo {MASK} and {MASK} and {MASK}"
    )
    url = redactor.url("https://u:p@h/x?token=abc&sig2=zz&q=1")
    assert "abc" not in url
    assert "zz" not in url
    assert "u:p" not in url
    assert url.endswith("q=1")
    # short values are masked where they are header values, not everywhere
    assert Redactor(["ab"]).text("abc") == "abc"


def test_curl_line_is_quoted_and_masked() -> None:
    redactor = Redactor(["s3cret!"])
    line = curl_command(
        "post",
        "http://h/x?a=1&b='2'",
        {"Authorization": "Bearer s3cret!", "User-Agent": "x", "Content-Type": "application/json"},
        b'{"note": "it\'s s3cret!"}',
        redactor,
    )
    assert line.startswith("curl -X POST ")
    assert "s3cret" not in line
    parts = shlex.split(line)
    assert parts[-1] == "http://h/x?a=1&b='2'"
    assert "Authorization: ***" in parts
    assert "User-Agent: x" not in parts
    assert parts[parts.index("--data-binary") + 1] == '{"note": "it\'s ***"}'
    assert "-k" in curl_command("GET", "https://h/", {}, None, redactor, insecure=True)


def test_headers_read_environment_variables_and_are_secrets() -> None:
    headers, secrets = parse_headers(
        ["Authorization: Bearer ${TOKEN}", "X-Trace:  abc "], {"TOKEN": "t0ken"}
    )
    assert headers == [("Authorization", "Bearer t0ken"), ("X-Trace", "abc")]
    assert "t0ken" in secrets
    assert "Bearer t0ken" in secrets
    assert "abc" in secrets
    with pytest.raises(ConfigError, match="environment variable TOKEN is not set"):
        parse_headers(["Authorization: Bearer ${TOKEN}"], {})
    with pytest.raises(ConfigError, match="Name: value"):
        parse_headers(["no colon"], {})
    with pytest.raises(ConfigError, match="Name: value"):
        parse_headers(["Bad Name: x"], {})


def test_option_parsers() -> None:
    assert parse_rate_limit("10") == "10/s"
    assert parse_rate_limit(" 600 / m ") == "600/m"
    with pytest.raises(ConfigError):
        parse_rate_limit("fast")
    assert parse_phases("stateful,examples") == ["examples", "stateful"]
    with pytest.raises(ConfigError, match="unknown: smoke"):
        parse_phases("smoke")
    assert select_rules(["unexpected-redirect"], []) == {"unexpected-redirect"}
    assert "server-error" not in select_rules([], ["server-error"])
    with pytest.raises(ConfigError, match="unknown contract finding id 'nope'"):
        select_rules(["nope"], [])


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:5000", True),
        ("http://127.8.0.1", True),
        ("http://[::1]:80/v1", True),
        ("http://localhost:3000", True),
        ("http://api.localhost", True),
        ("https://staging.example.com", False),
        ("http://10.0.0.2", False),
        ("http://localhost.example.com", False),
    ],
)
def test_loopback(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback


def test_write_policy() -> None:
    local = ContractOptions(spec=Path("x"), base_url="http://127.0.0.1:1")
    remote = ContractOptions(spec=Path("x"), base_url="https://staging.example.com")
    assert local.allows("DELETE")
    assert local.allows("get")
    assert not remote.allows("POST")
    assert remote.allows("HEAD")
    remote.allow_writes = True
    assert remote.allows("PATCH")
    local.read_only = True
    assert not local.allows("PUT")
    assert local.allows("OPTIONS")
    in_process = ContractOptions(spec=Path("x"), app="m:app")
    assert in_process.allows("POST")


def test_schemathesis_config_never_follows_redirects_nor_keeps_state() -> None:
    options = ContractOptions(spec=Path("x"), base_url="https://staging.example.com", seed=3)
    data = config_data(options, options.base_url)
    assert data["max-redirects"] == 0
    assert data["cache"] == {"enabled": False}
    assert data["generation"]["database"] == "none"
    assert data["seed"] == 3
    assert data["request-timeout"] == 10.0
    # a remote target without --allow-writes: the 405 probes only use safe methods
    assert data["phases"]["coverage"]["unexpected-methods"] == ["get", "options"]
    assert data["auth"]["auto-signup"] is False


VALUES_SPEC = """\
openapi: 3.1.0
info: {title: V, version: "1"}
paths: {}
components:
  schemas:
    Thing:
      type: object
      required: [id, when, code, count, ratio, tags, ref, choice]
      properties:
        id: {type: string, format: uuid}
        when: {type: string, format: date-time}
        code: {type: string, pattern: "^[A-Z]{3}-[0-9]{2}$"}
        count: {type: integer, minimum: 10, maximum: 20, multipleOf: 4}
        ratio: {type: number, exclusiveMinimum: 0, exclusiveMaximum: 1}
        tags: {type: array, minItems: 2, items: {type: string, enum: [a, b]}}
        ref: {$ref: "#/components/schemas/Small"}
        choice:
          oneOf: [{type: boolean}, {type: string}]
        optional: {type: string}
    Small:
      type: object
      required: [n]
      properties:
        n: {type: integer, example: 42}
"""


def test_values_follow_examples_and_constraints(tmp_path: Path) -> None:
    import re

    path = tmp_path / "v.yaml"
    path.write_text(VALUES_SPEC, encoding="utf-8")
    document = load_document(path)
    api = OpenAPI(document, Resolver(document))
    value = Synthesizer(api).value(
        Node(document.data, document, ()).child("components", "schemas", "Thing")
    )
    assert value["id"] == "00000000-0000-4000-8000-000000000000"
    assert value["when"] == "2024-01-01T00:00:00Z"
    assert re.fullmatch(r"[A-Z]{3}-[0-9]{2}", value["code"])
    assert value["count"] in (12, 16, 20)
    assert value["count"] % 4 == 0
    assert 0 < value["ratio"] < 1
    assert value["tags"] == ["a", "a"]
    assert value["ref"] == {"n": 42}
    assert value["choice"] is True
    assert "optional" not in value


def test_every_finding_id_is_documented_and_every_check_exists() -> None:
    from schemathesis.checks import CHECKS, load_all_checks

    from apilint.contract.rules import (
        CHECK_RULES,
        PROBE_RULES,
        RULE_IDS,
        TRANSPORT_RULES,
        contract_rules,
    )

    assert set(contract_rules()) == RULE_IDS
    assert {*CHECK_RULES.values(), *PROBE_RULES, *TRANSPORT_RULES} == RULE_IDS
    load_all_checks()
    assert set(CHECK_RULES) <= set(CHECKS.get_all_names())  # a renamed check fails here


BUILDER_SPEC = """\
openapi: 3.0.3
info: {title: B, version: "1"}
paths:
  /orgs/{org}/items/{itemId}/:
    parameters:
      - {name: org, in: path, required: true, schema: {type: string}, example: "acme co"}
    put:
      parameters:
        - name: itemId
          in: path
          required: true
          schema: {type: integer, minimum: 100}
        - {name: mode, in: query, required: true, schema: {type: string, enum: [fast, safe]}}
        - {name: verbose, in: query, schema: {type: boolean}}
        - {name: X-Request-Id, in: header, required: true, schema: {type: string, format: uuid}}
        - name: session
          in: cookie
          required: true
          examples: {one: {value: abc}}
          schema: {type: string}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name, tags]
              properties:
                name: {type: string, minLength: 3}
                tags: {type: array, items: {type: string}}
      responses:
        "200": {description: OK}
"""


def test_probe_requests_are_plausible_and_the_same_every_time(tmp_path: Path) -> None:
    import json

    from apilint.contract.probes import RequestBuilder
    from apilint.contract.spec import Spec

    path = tmp_path / "b.yaml"
    path.write_text(BUILDER_SPEC, encoding="utf-8")
    spec = Spec.load(path)
    builder = RequestBuilder(spec, "https://api.example.com/v1/", [("Authorization", "Bearer t")])
    op = spec.operations[0]
    request = builder.request(op)
    assert request.method == "PUT"
    assert request.url == "https://api.example.com/v1/orgs/acme%20co/items/100/?mode=fast"
    assert request.headers["X-Request-Id"] == "00000000-0000-4000-8000-000000000000"
    assert request.headers["Cookie"] == "session=abc"
    assert request.headers["Authorization"] == "Bearer t"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.body or b"") == {"name": "aaa", "tags": []}
    other = builder.request(op, other_slash_form=True)
    assert other.url == "https://api.example.com/v1/orgs/acme%20co/items/100?mode=fast"
    assert builder.request(op) == request


def test_bodies_that_echo_what_the_request_sent_are_one_answer() -> None:
    from types import SimpleNamespace

    from apilint.contract.runner import _digest

    def digest(version: str, body: str, query: str = "") -> str:
        request = SimpleNamespace(headers={"X-Api-Version": [version]}, uri=f"http://h/x?{query}")
        return _digest(SimpleNamespace(content=body.encode()), request)

    expected = "Invalid X-API-VERSION header format. Expected 'x.y.z' but received {}"
    assert digest("<Xq", expected.format("<Xq")) == digest("R", expected.format("R"))
    assert digest("R", "Unknown field: Rate") == digest("Q", "Unknown field: Rate")  # a word
    assert digest("1", "limit was 7", "limit=7") == digest("1", "limit was 9", "limit=9")
    assert digest("R", expected.format("R")) != digest("R", "another answer altogether")


def test_a_pattern_is_searched_once_per_run() -> None:
    # Twilio's description repeats ^AC[0-9a-fA-F]{32}$ on every operation; each search for a
    # matching string costs a quarter of a second.
    from apilint.contract.values import _matching

    _matching.cache_clear()
    first = _matching("^AC[0-9a-fA-F]{32}$", 1, 10_000)
    again = _matching("^AC[0-9a-fA-F]{32}$", 1, 10_000)
    assert first == again
    assert first is not None and len(first) == 34 and first.startswith("AC")
    assert _matching.cache_info().hits == 1
