"""Real services on 127.0.0.1, each with planted defects: every defect is found, and the
operations without one produce no finding at all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from contract_apps import (
    DEFECTS_SPEC,
    ELSEWHERE_SPEC,
    ITEMS_SPEC,
    LOGIN_SPEC,
    defects_app,
    django_app,
    elsewhere_app,
    fastapi_app,
    items_app,
    login_app,
    recording_app,
)
from contract_support import found, run_contract, serve_asgi, serve_wsgi, tls_proxy, write_spec

HERE = Path(__file__).resolve().parent
SLASH_GET = (
    "GET /items answered {status} to /items/ — the server's route has a trailing slash and the "
    "spec's path does not"
)


@pytest.fixture
def items_spec(tmp_path: Path) -> Path:
    return write_spec(tmp_path, ITEMS_SPEC)


def test_a_correct_service_has_no_findings(items_spec: Path) -> None:
    with serve_wsgi(items_app()) as url:
        outcome = run_contract(items_spec, base_url=url)
    assert outcome.findings == []
    assert outcome.notes == []
    assert outcome.requests > 50  # it really was exercised: probes plus every phase


def test_flask_trailing_slash_308(items_spec: Path) -> None:
    with serve_wsgi(items_app(slash=True)) as url:
        outcome = run_contract(items_spec, base_url=url)
    assert found(outcome) == {
        ("unexpected-redirect", "GET /items"),
        ("unexpected-redirect", "POST /items"),
    }
    get = next(f for f in outcome.findings if f.operation == "GET /items")
    assert get.message == SLASH_GET.format(status="308 Permanent Redirect")
    assert get.extra["request"] == {"method": "GET", "url": f"{url}/items"}
    assert get.extra["response"] == {"status": 308, "location": f"{url}/items/"}
    assert get.extra["curl"] == f"curl -X GET '{url}/items'"
    assert (get.file, get.pointer) == (str(items_spec), "/paths/~1items/get")
    lines = ITEMS_SPEC.splitlines()
    assert lines[get.line - 1] == "    get:"
    assert lines[get.line - 2] == "  /items:"
    assert get.column == 5


def test_fastapi_redirect_slashes_307(items_spec: Path) -> None:
    with serve_asgi(fastapi_app()) as url:
        outcome = run_contract(items_spec, base_url=url)
    assert found(outcome) == {
        ("unexpected-redirect", "GET /items"),
        ("unexpected-redirect", "POST /items"),
    }
    get = next(f for f in outcome.findings if f.operation == "GET /items")
    assert get.message == SLASH_GET.format(status="307 Temporary Redirect")


def test_django_append_slash_301(items_spec: Path) -> None:
    with serve_wsgi(django_app()) as url:
        outcome = run_contract(items_spec, base_url=url)
    assert found(outcome) == {
        ("unexpected-redirect", "GET /items"),
        ("unexpected-redirect", "POST /items"),
        # a POST answered 301: the client's retry is a GET, the new item is lost
        ("redirect-method-change", "POST /items"),
    }
    get = next(f for f in outcome.findings if f.operation == "GET /items")
    assert get.message == SLASH_GET.format(status="301 Moved Permanently")


def test_post_answered_302(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, LOGIN_SPEC)
    with serve_wsgi(login_app()) as url:
        outcome = run_contract(spec, base_url=url)
    assert found(outcome) == {
        ("unexpected-redirect", "POST /login"),
        ("redirect-method-change", "POST /login"),
        # documented, and still a trap: clients turn the retry into a GET
        ("redirect-method-change", "POST /session"),
    }
    change = next(
        f
        for f in outcome.findings
        if (f.rule, f.operation) == ("redirect-method-change", "POST /login")
    )
    assert change.message.startswith(
        "POST /login answered 302 Found to /health — RFC 9110 lets a client repeat a POST"
    )
    assert change.extra["request"] == {"method": "POST", "url": f"{url}/login"}
    assert change.extra["response"] == {"status": 302, "location": "/health"}
    assert change.extra["curl"] == f"curl -X POST '{url}/login'"  # the shortest reproduction


def test_https_proxy_in_front_of_an_app_without_proxyfix(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, ITEMS_SPEC)
    with serve_wsgi(items_app(slash=True)) as backend, tls_proxy(backend, tmp_path) as url:
        outcome = run_contract(spec, base_url=url, insecure=True)
    assert found(outcome) == {
        ("unexpected-redirect", "GET /items"),
        ("unexpected-redirect", "POST /items"),
        ("redirect-scheme-downgrade", "GET /items"),  # one cause: once for the service
    }
    downgrade = next(f for f in outcome.findings if f.rule == "redirect-scheme-downgrade")
    plain = url.replace("https://", "http://")
    assert downgrade.message.startswith(
        "2 operations over https were redirected to plain http (GET /items, POST /items); "
        f"the first: GET /items over https answered 308 Permanent Redirect to {plain}/items/"
    )
    assert downgrade.extra["operations"] == ["GET /items", "POST /items"]
    assert downgrade.extra["response"]["location"] == f"{plain}/items/"
    assert downgrade.extra["curl"] == f"curl -X GET -k '{url}/items'"


def test_a_correct_service_behind_the_proxy_is_still_clean(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, ITEMS_SPEC)
    with serve_wsgi(items_app()) as backend, tls_proxy(backend, tmp_path) as url:
        outcome = run_contract(spec, base_url=url, insecure=True, phases=["examples", "coverage"])
    assert outcome.findings == []


def test_redirects_to_another_origin_are_reported_and_never_followed(tmp_path: Path) -> None:
    seen: list[dict[str, object]] = []
    spec = write_spec(tmp_path, ELSEWHERE_SPEC)
    with serve_wsgi(recording_app(seen)) as other, serve_wsgi(elsewhere_app(other + "/in")) as url:
        outcome = run_contract(
            spec,
            base_url=url,
            headers=[("Authorization", "Bearer do-not-forward-me")],
            secrets=["Bearer do-not-forward-me"],
        )
    assert found(outcome) == {("redirect-host-change", "GET /docs")}
    assert seen == []  # neither the probes nor Schemathesis went there, with or without credentials
    change = outcome.findings[0]
    assert f"to {other}/in — another port on the same host" in change.message
    assert "do-not-forward-me" not in change.extra["curl"]
    assert "Authorization: ***" in change.extra["curl"]


def test_in_process_flask_app(items_spec: Path) -> None:
    outcome = run_contract(items_spec, app=f"{HERE / 'contract_apps.py'}:slashed_items_app()")
    assert found(outcome) == {
        ("unexpected-redirect", "GET /items"),
        ("unexpected-redirect", "POST /items"),
    }
    get = next(f for f in outcome.findings if f.operation == "GET /items")
    assert get.extra["request"]["url"] == "http://localhost/items"
    assert get.message == SLASH_GET.format(status="308 Permanent Redirect")


def test_in_process_fastapi_app(items_spec: Path) -> None:
    outcome = run_contract(items_spec, app="contract_apps:fastapi_app()")
    assert found(outcome) == {
        ("unexpected-redirect", "GET /items"),
        ("unexpected-redirect", "POST /items"),
    }
    get = next(f for f in outcome.findings if f.operation == "GET /items")
    assert get.message == SLASH_GET.format(status="307 Temporary Redirect")
    assert get.extra["request"]["url"] == "http://testserver/items"


def test_in_process_correct_app_is_clean(items_spec: Path) -> None:
    assert run_contract(items_spec, app="contract_apps:items_app()").findings == []


def test_every_fuzzing_finding_id_on_a_service_with_one_defect_per_operation(
    tmp_path: Path,
) -> None:
    spec = write_spec(tmp_path, DEFECTS_SPEC)
    with serve_wsgi(defects_app()) as url:
        outcome = run_contract(spec, base_url=url, max_examples=10)
    assert found(outcome) == {
        ("server-error", "GET /crash"),  # one finding for a 500, not also undocumented-status
        ("response-schema", "GET /wrong-type"),
        ("content-type", "GET /html"),
        ("missing-header", "POST /created"),
        ("undocumented-status", "GET /teapot"),
        ("negative-data-accepted", "GET /lenient"),
        ("method-not-allowed", "PUT /anything"),
    }
    by_rule = {f.rule: f for f in outcome.findings}
    assert by_rule["response-schema"].message == (
        'GET /wrong-type 200 response body does not match its schema at /id: "1" is not of type '
        '"integer"'
    )
    assert by_rule["response-schema"].pointer == "/paths/~1wrong-type/get/responses/200"
    assert by_rule["content-type"].message == (
        "GET /html 200 response has Content-Type text/html, which the spec does not document "
        "(documented: application/json)"
    )
    assert by_rule["missing-header"].message == (
        "POST /created 201 response lacks the required header Location"
    )
    assert by_rule["undocumented-status"].message == (
        "GET /teapot answered 418 I'm a Teapot, which the spec does not document (documented: 200)"
    )
    assert by_rule["undocumented-status"].severity.label == "error"  # a valid request got it
    assert by_rule["negative-data-accepted"].message == (
        "GET /lenient accepted an invalid request (missing `size` at query) with 200 OK"
    )
    assert by_rule["method-not-allowed"].pointer == "/paths/~1anything"  # the path item
    assert by_rule["server-error"].extra["response"] == {"status": 500}
    assert re.search(r"[?&]n=[345](&|$)", by_rule["server-error"].extra["request"]["url"])


def test_a_base_url_without_the_base_path_gets_a_hint(items_spec: Path) -> None:
    outcome = run_contract(
        items_spec, app="contract_apps:items_app()", base_url="http://localhost/v9",
        phases=["examples"],
    )  # fmt: skip
    assert any("every operation's path answered 404" in note for note in outcome.notes)
