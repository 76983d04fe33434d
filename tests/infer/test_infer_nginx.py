"""``apilint infer`` on what a real NGINX wrote in front of the real Thoughts service
(examples/thoughts/app.py): the inferred description recovers the hand-written one's operations.

The replay is what a day of clients and scanners looks like: every operation called with several
ids, query parameters, failed logins, the 308 the service answers for ``/api/thoughts``, HEAD and
OPTIONS, a 405, and the probes every public server gets.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from infer_support import ROOT, Client, Logs, nginx_in_front_of, operations_of, run_apilint
from real_servers import NGINX

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt install nginx)")

EXAMPLE = ROOT / "examples" / "thoughts"
SCANNER_PROBES = ["/.env", "/wp-login.php", "/.git/config", "/admin.php", "/cgi-bin/test.cgi"]
# Not scanners, but no API operation either (the service answers them 404 too).
SITE_FILES = ["/favicon.ico", "/robots.txt"]


def _thoughts_app() -> Any:
    spec = importlib.util.spec_from_file_location("thoughts_example_app", EXAMPLE / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module.create_app()


def _login(client: Client, username: str, password: str) -> dict[str, str]:
    body = json.dumps({"username": username, "password": password}).encode()
    status, answer = client.send("POST", "/api/login", body)
    assert status == 200, answer
    return {"Authorization": "Bearer " + json.loads(answer)["token"]}


def _traffic(client: Client) -> None:
    send = client.send
    ada = _login(client, "ada", "correct-horse-battery")
    grace = _login(client, "grace", "compilers-all-the-way")
    assert send("POST", "/api/login", b'{"username": "ada", "password": "nope"}')[0] == 401
    for _ in range(3):
        send("GET", "/api/health")
    send("HEAD", "/api/health")
    send("OPTIONS", "/api/users")
    assert send("DELETE", "/api/health")[0] == 405
    for words in ("engine", "algebraic", "patterns"):
        send("GET", f"/api/search?q={words}")
    assert send("GET", "/api/search")[0] == 400
    send("GET", "/api/users")
    send("GET", "/api/users?limit=10")
    send("GET", "/api/users?limit=1")
    for name in ("carol", "dave"):
        body = json.dumps({"username": name, "password": "long-enough-password"}).encode()
        assert send("POST", "/api/users", body)[0] == 201
    for user in (1, 2, 3, 4, 99):
        send("GET", f"/api/users/{user}")
    send("GET", "/api/users/abc")  # Flask's int converter: 404, nothing there
    assert send("PATCH", "/api/users/1", b'{"bio": "Engines."}', ada)[0] == 200
    send("PATCH", "/api/users/1", b'{"bio": "Analytical."}', ada)
    carol = _login(client, "carol", "long-enough-password")
    assert send("DELETE", "/api/users/3", None, carol)[0] == 204
    send("DELETE", "/api/users/1", None, grace)  # not grace's own account: 404
    for user in (1, 2, 4):
        send("GET", f"/api/users/{user}/thoughts?limit=5")
        send("GET", f"/api/users/{user}/followers")
    assert send("PUT", "/api/users/2/followers/1", None, ada)[0] == 204
    assert send("DELETE", "/api/users/2/followers/1", None, ada)[0] == 204
    send("PUT", "/api/users/1/followers/2", None, grace)
    assert send("GET", "/api/thoughts")[0] == 308  # the planted trap
    send("GET", "/api/thoughts?limit=2")
    send("POST", "/api/thoughts", b'{"text": "lost"}', ada)
    for _ in range(2):
        send("GET", "/api/thoughts/")
    send("GET", "/api/thoughts/?limit=5")
    for text in ("first", "second", "third"):
        body = json.dumps({"text": text}).encode()
        assert send("POST", "/api/thoughts/", body, ada)[0] == 201
    for thought in (1, 2, 3, 4):
        send("GET", f"/api/thoughts/{thought}")
    assert send("PUT", "/api/thoughts/2", b'{"text": "edited"}', ada)[0] == 200
    send("PUT", "/api/thoughts/3", b'{"text": "edited"}', grace)
    assert send("DELETE", "/api/thoughts/4", None, ada)[0] == 204
    for thought in (1, 2):
        send("GET", f"/api/thoughts/{thought}/likes")
    assert send("PUT", "/api/thoughts/1/likes/2", None, grace)[0] == 204
    assert send("PUT", "/api/thoughts/2/likes/1", None, ada)[0] == 204
    assert send("DELETE", "/api/thoughts/1/likes/2", None, grace)[0] == 204
    assert send("POST", "/api/logout", None, grace)[0] == 204
    send("GET", "/api/nope")
    for probe in [*SCANNER_PROBES, *SITE_FILES]:
        send("GET", probe)


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Logs:
    folder = tmp_path_factory.mktemp("nginx")
    with nginx_in_front_of(_thoughts_app(), folder) as (client, written):
        _traffic(client)
    return written


@pytest.fixture(scope="module")
def inferred(logs: Logs, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    folder = tmp_path_factory.mktemp("inferred")
    result = run_apilint("infer", str(logs.combined), "-o", "api.yaml", cwd=folder)
    assert result.returncode == 0, result.stderr
    document = yaml.safe_load((folder / "api.yaml").read_text(encoding="utf-8"))
    return document, result.stderr


def _hand_written() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(
        (EXAMPLE / "openapi.fixed.yaml").read_text(encoding="utf-8")
    )
    return loaded


def test_every_documented_operation_is_recovered(inferred: tuple[dict[str, Any], str]) -> None:
    document, _ = inferred
    expected = operations_of(_hand_written())
    assert len(expected) == 21
    found = operations_of(document)
    # The service answers /api/thoughts with a 308 to /api/thoughts/: the inferred description
    # keeps the form that answered (the hand-written one has the other).
    as_served = {(m, "/api/thoughts/" if p == "/api/thoughts" else p) for m, p in expected}
    assert found == as_served


def test_parameters_statuses_and_usage(inferred: tuple[dict[str, Any], str]) -> None:
    document, _ = inferred
    paths = document["paths"]
    assert document["openapi"] == "3.1.0"
    like = paths["/api/thoughts/{thoughtId}/likes/{likeId}"]["put"]
    assert [(p["name"], p["in"], p["required"], p["schema"]) for p in like["parameters"]] == [
        ("thoughtId", "path", True, {"type": "integer"}),
        ("likeId", "path", True, {"type": "integer"}),
    ]
    assert list(paths["/api/users/{userId}/followers/{followerId}"]) == ["put", "delete"]
    search = paths["/api/search"]["get"]
    assert search["parameters"][0]["name"] == "q"
    assert search["parameters"][0]["required"] is True  # in every answered request
    assert sorted(search["responses"]) == ["200", "400"]
    limit = paths["/api/users"]["get"]["parameters"][0]
    assert (limit["name"], limit["schema"], limit.get("required")) == (
        "limit",
        {"type": "integer"},
        None,
    )
    health = paths["/api/health"]
    assert list(health) == ["get"]  # HEAD folded in, the 405 DELETE left out
    assert health["get"]["operationId"] == "getApiHealth"
    usage = health["get"]["x-apilint-usage"]
    assert (usage["calls"], usage["head"], usage["status"]) == (4, 1, {"200": 4})
    assert usage["p50_ms"] >= 0 and usage["first_seen"] <= usage["last_seen"]
    thoughts = paths["/api/thoughts/"]
    redirected = thoughts["get"]["x-apilint-usage"]["redirected"]
    assert redirected == {"from": "/api/thoughts", "requests": 2, "status": {"308": 2}}
    assert thoughts["post"]["x-apilint-usage"]["redirected"]["requests"] == 1
    assert sorted(thoughts["post"]["responses"]) == ["201"]
    assert sorted(paths["/api/users/{userId}"]["get"]["responses"]) == ["200", "404"]
    assert thoughts["get"]["tags"] == ["thoughts"]
    assert {t["name"] for t in document["tags"]} == {
        "health",
        "login",
        "logout",
        "search",
        "thoughts",
        "users",
    }


def test_noise_is_left_out_and_listed(inferred: tuple[dict[str, Any], str]) -> None:
    document, stderr = inferred
    paths = set(document["paths"])
    assert not any(".env" in p or "php" in p or "cgi" in p or "nope" in p for p in paths)
    assert "/api/users/abc" not in paths
    for probe in [*SCANNER_PROBES, *SITE_FILES, "/api/nope", "/api/users/abc"]:
        assert f" {probe} (1 requests: 404 ×1)" in stderr, stderr
    assert "DELETE /api/health (1 requests: 405 ×1): only 405" in stderr
    assert "1 OPTIONS requests left out" in stderr
    assert "GET /api/thoughts: every request (2) was redirected" in stderr


def test_the_output_lints_without_a_spec_invalid_finding(
    inferred: tuple[dict[str, Any], str], tmp_path: Path
) -> None:
    document, _ = inferred
    (tmp_path / "api.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    result = run_apilint("lint", "-f", "json", "--fail-on", "never", "api.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert "spec-invalid" not in rules
    assert "path-param-undeclared" not in rules


def test_nginx_json_log_gives_the_same_operations(
    logs: Logs, inferred: tuple[dict[str, Any], str], tmp_path: Path
) -> None:
    result = run_apilint("infer", "-q", str(logs.jsonl), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert operations_of(yaml.safe_load(result.stdout)) == operations_of(inferred[0])


def test_merge_into_a_partial_description(logs: Logs, tmp_path: Path) -> None:
    partial = _hand_written()
    removed = partial["paths"].pop("/api/thoughts/{thoughtId}/likes/{userId}")
    del partial["paths"]["/api/users/{userId}"]["delete"]
    assert removed
    (tmp_path / "partial.yaml").write_text(yaml.safe_dump(partial, sort_keys=False))
    result = run_apilint(
        "infer", str(logs.combined), "--spec", "partial.yaml", "-o", "merged.yaml", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    merged = yaml.safe_load((tmp_path / "merged.yaml").read_text())
    added = {
        (method.upper(), path)
        for path, item in merged["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and operation.get("x-apilint-inferred")
    }
    assert added == {
        ("PUT", "/api/thoughts/{thoughtId}/likes/{likeId}"),
        ("DELETE", "/api/thoughts/{thoughtId}/likes/{likeId}"),
        ("DELETE", "/api/users/{userId}"),
    }
    # Everything the author wrote is there as written.
    for path, item in partial["paths"].items():
        for key, value in item.items():
            assert merged["paths"][path][key] == value
    delete = merged["paths"]["/api/users/{userId}"]["delete"]
    assert delete["operationId"] == "deleteApiUsersUserId"
    assert delete["tags"] == ["users"]  # as its siblings
    assert "parameters" not in delete  # {userId} is declared on the path item
    lint = run_apilint("lint", "-f", "json", "--fail-on", "never", "merged.yaml", cwd=tmp_path)
    assert "spec-invalid" not in {f["rule"] for f in json.loads(lint.stdout)["findings"]}
    assert "(thoughtId" not in result.stderr
    assert "GET /api/thoughts" not in result.stderr.split("left out")[-1]
