"""``apilint infer`` on hand-written logs: templating, types, inputs and bad input."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from infer_support import ROOT, run_apilint

from apilint.infer.run import InferOptions, infer

TRAFFIC_DATA = ROOT / "tests" / "traffic" / "data"


def clf(method: str, target: str, status: int, second: int = 0) -> str:
    return (
        f'203.0.113.9 - - [28/Nov/2026:10:00:{second:02d} +0000] "{method} {target} HTTP/1.1" '
        f'{status} 10 "-" "test-agent/1.0" 0.004'
    )


def write_log(tmp_path: Path, lines: list[str], name: str = "access.log") -> Path:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def inferred(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = infer([str(path)], InferOptions()).document
    return document


def test_words_that_are_values_become_an_enum_parameter(tmp_path: Path) -> None:
    lines = [clf("GET", f"/api/export/{kind}", 200) for kind in ("json", "xml", "csv", "json")]
    lines += [clf("GET", "/api/health", 200), clf("GET", "/api/search?q=x", 200)]
    lines += [clf("GET", "/api/status", 200), clf("POST", "/api/login", 200)]
    paths = inferred(write_log(tmp_path, lines))["paths"]
    assert sorted(paths) == [
        "/api/export/{format}",
        "/api/health",
        "/api/login",
        "/api/search",
        "/api/status",
    ]
    (param,) = paths["/api/export/{format}"]["get"]["parameters"]
    assert param["schema"] == {"type": "string", "enum": ["csv", "json", "xml"]}
    assert paths["/api/export/{format}"]["get"]["x-apilint-usage"]["calls"] == 4


def test_ids_are_typed_and_named_from_the_collection(tmp_path: Path) -> None:
    uuids = ["3f0c9a4e-0c55-4d5e-9d8e-3a4cb1b0e0a7", "6a1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"]
    lines = [clf("GET", f"/orders/{u}/items/{n}", 200) for u in uuids for n in (1, 2)]
    lines += [clf("GET", f"/reports/{day}", 200) for day in ("2026-11-01", "2026-11-02")]
    lines += [clf("GET", "/users/me", 200), clf("GET", "/users/42", 200)]
    lines += [clf("GET", "/files/8412.json", 200), clf("GET", "/users/%7E", 404)]
    paths = inferred(write_log(tmp_path, lines))["paths"]
    item = paths["/orders/{orderId}/items/{itemId}"]["get"]
    assert [(p["name"], p["schema"]) for p in item["parameters"]] == [
        ("orderId", {"type": "string", "format": "uuid"}),
        ("itemId", {"type": "integer"}),
    ]
    assert paths["/reports/{date}"]["get"]["parameters"][0]["schema"] == {
        "type": "string",
        "format": "date",
    }
    assert "/users/me" in paths and "/users/{userId}" in paths
    assert "/files/{fileId}.json" in paths


def test_query_parameters_required_typed_and_enums(tmp_path: Path) -> None:
    lines = [
        clf("GET", f"/items?sort={sort}&page={page}&active=true", 200)
        for sort in ("asc", "desc", "asc")
        for page in (1, 2)
    ]
    lines += [clf("GET", "/items?page=3&active=false&tag=a&tag=b", 200)]
    lines += [clf("GET", "/items?token=s3cr3t&sort=asc&active=true", 200)] * 2
    lines += [clf("GET", "/items", 400)]
    paths = inferred(write_log(tmp_path, lines))["paths"]
    params = {p["name"]: p for p in paths["/items"]["get"]["parameters"]}
    assert params["active"]["required"] is True  # in every answered request
    assert params["active"]["schema"] == {"type": "boolean"}
    assert "required" not in params["page"] and params["page"]["schema"] == {"type": "integer"}
    assert params["sort"]["schema"] == {"type": "string", "enum": ["asc", "desc"]}
    assert params["tag"]["schema"] == {"type": "array", "items": {"type": "string"}}
    assert params["token"]["schema"] == {"type": "string"}  # never its values
    assert "s3cr3t" not in yaml.safe_dump(paths)


def test_gzip_stdin_and_every_traffic_format(tmp_path: Path) -> None:
    lines = [clf("GET", "/a/1", 200), clf("POST", "/a", 201)]
    packed = tmp_path / "access.log.gz"
    packed.write_bytes(gzip.compress("\n".join(lines).encode()))
    result = run_apilint("infer", "-q", str(packed), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert set(yaml.safe_load(result.stdout)["paths"]) == {"/a", "/a/{aId}"}
    piped = run_apilint("infer", "-q", "-", "-o", "out.json", cwd=tmp_path, stdin="\n".join(lines))
    assert piped.returncode == 0, piped.stderr
    assert set(json.loads((tmp_path / "out.json").read_text())["paths"]) == {"/a", "/a/{aId}"}
    for name in ("combined.log", "common.log", "haproxy.log", "alb.log", "nginx.jsonl"):
        document = inferred(TRAFFIC_DATA / name)
        assert "/api/v1/products/{productId}" in document["paths"], name


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the log is empty"),
        ("hello world\nnot a log\n", "cannot tell the log format"),
        ('203.0.113.9 - - [28/Nov/2026:10:00:00 +0000] "-" 400 0 "-" "-"\n', "none of the 1 lines"),
    ],
)
def test_bad_logs_are_one_line_and_exit_2(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "bad.log").write_text(content)
    result = run_apilint("infer", "bad.log", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_an_invalid_spec_is_one_line_and_exit_2(tmp_path: Path) -> None:
    write_log(tmp_path, [clf("GET", "/a", 200)])
    (tmp_path / "broken.yaml").write_text("openapi: 3.1.0\npaths: {a: [\n")
    (tmp_path / "other.yaml").write_text("title: not openapi\n")
    for spec in ("broken.yaml", "other.yaml", "missing.yaml"):
        result = run_apilint("infer", "access.log", "--spec", spec, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and spec in result.stderr, result.stderr
    missing = run_apilint("infer", "nope.log", cwd=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_many_slugs_become_one_parameter_but_resources_stay(tmp_path: Path) -> None:
    slugs = [f"post-number-{word}" for word in "abcdefghijklmnopqrstuvwxy"]
    lines = [clf("GET", f"/blog/posts/{slug}", 200) for slug in slugs]
    lines += [clf("GET", f"/api/{name}", 200) for name in ("health", "version", "status")]
    lines += [clf("GET", "/", 200), clf("GET", "/weird", 999)]
    document = inferred(write_log(tmp_path, lines))
    paths = document["paths"]
    assert sorted(paths) == [
        "/",
        "/api/health",
        "/api/status",
        "/api/version",
        "/blog/posts/{post}",
        "/weird",
    ]
    post = paths["/blog/posts/{post}"]["get"]
    assert post["parameters"][0]["schema"] == {"type": "string"}  # no enum of 25 slugs
    assert post["x-apilint-usage"]["calls"] == 25
    assert post["operationId"] == "getBlogPostsPost"
    assert list(paths["/weird"]["get"]["responses"]) == ["default"]  # 999 is no HTTP status
    assert paths["/"]["get"]["tags"] == ["root"]


def test_output_lints_clean_of_spec_errors_on_every_sample_format(tmp_path: Path) -> None:
    for name in ("combined.log", "haproxy.log", "alb.log", "nginx.jsonl"):
        out = tmp_path / f"{name}.yaml"
        result = run_apilint("infer", "-q", str(TRAFFIC_DATA / name), "-o", str(out), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        lint = run_apilint("lint", "-f", "json", "--fail-on", "never", str(out), cwd=tmp_path)
        rules = {f["rule"] for f in json.loads(lint.stdout)["findings"]}
        assert not rules & {"spec-invalid", "path-param-undeclared", "operation-id-unique"}, name


def test_a_position_with_too_many_words_is_a_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import apilint.infer.observe

    monkeypatch.setattr(apilint.infer.observe, "MAX_WORDS", 5)
    names = [f"bundle{chr(97 + i)}x" for i in range(26)]
    lines = [clf("GET", "/assets/app.css", 200)]
    lines += [clf("GET", f"/assets/{name}.js", 200) for name in names]
    paths = inferred(write_log(tmp_path, lines))["paths"]
    assert sorted(paths) == ["/assets/app.css", "/assets/{asset}.js"]
    assert paths["/assets/{asset}.js"]["get"]["x-apilint-usage"]["calls"] == 26


def test_merge_into_swagger_2(tmp_path: Path) -> None:
    write_log(tmp_path, [clf("GET", "/v1/pets/7", 200), clf("GET", "/v1/pets?limit=3", 200)])
    (tmp_path / "swagger.yaml").write_text(
        "swagger: '2.0'\n"
        "info: {title: Pets, version: '1'}\n"
        "basePath: /v1\n"
        "paths:\n"
        "  /pets:\n"
        "    get:\n"
        "      responses: {'200': {description: Pets}}\n"
    )
    result = run_apilint("infer", "access.log", "--spec", "swagger.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = yaml.safe_load(result.stdout)
    assert document["paths"]["/pets"] == {"get": {"responses": {"200": {"description": "Pets"}}}}
    added = document["paths"]["/pets/{petId}"]["get"]
    assert added["x-apilint-inferred"] is True
    assert added["parameters"] == [
        {"name": "petId", "in": "path", "required": True, "type": "integer"}
    ]
    lint = run_apilint(
        "lint", "-f", "json", "--fail-on", "never", "-", cwd=tmp_path, stdin=result.stdout
    )
    assert "spec-invalid" not in {f["rule"] for f in json.loads(lint.stdout)["findings"]}
    (tmp_path / "nopaths.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: [1]\n"
    )
    bad = run_apilint("infer", "access.log", "--spec", "nopaths.yaml", cwd=tmp_path)
    assert bad.returncode == 2 and "'paths' is a list, not a mapping" in bad.stderr


def test_percent_encoding_is_decoded_and_odd_paths_stay_valid(tmp_path: Path) -> None:
    lines = [
        clf("GET", "/caf%C3%A9s/1", 200),
        clf("GET", "/caf%C3%A9s/2", 200),
        clf("GET", "/caf%C3%A9s/3", 200),
        clf("GET", "/files/a%2Fb", 200),
        clf("GET", "/files/%7Bbraces%7D", 200),
        clf("GET", "/odd/:colon/@at/~tilde", 200),
        clf("GET", "/emoji/%F0%9F%98%80", 200),
        clf("GET", "/double//slash", 200),
    ]
    out = tmp_path / "api.yaml"
    result = run_apilint(
        "infer", "-q", str(write_log(tmp_path, lines)), "-o", str(out), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    paths = yaml.safe_load(out.read_text())["paths"]
    assert (
        "/caf%C3%A9s/{caf\u00e9Id}" in paths
        or "/caf%C3%A9s/{cafeId}" in paths
        or any(p.startswith("/caf%C3%A9s/{") for p in paths)
    )
    assert "/files/a%2Fb" in paths and "/files/%7Bbraces%7D" in paths
    lint = run_apilint("lint", "-f", "json", "--fail-on", "never", str(out), cwd=tmp_path)
    assert lint.returncode == 0, lint.stderr
    rules = {f["rule"] for f in json.loads(lint.stdout)["findings"]}
    assert not rules & {"spec-invalid", "path-param-undeclared"}


def test_site_files_are_no_operations(tmp_path: Path) -> None:
    lines = [clf("GET", "/robots.txt", 200), clf("GET", "/favicon.ico", 200)]
    lines += [clf("GET", "/api/robots.txt", 200), clf("GET", "/items", 200)]
    paths = inferred(write_log(tmp_path, lines))["paths"]
    assert sorted(paths) == ["/api/robots.txt", "/items"]


def test_merge_copies_the_path_parameters_siblings_declare(tmp_path: Path) -> None:
    write_log(tmp_path, [clf("DELETE", "/pets/7", 204), clf("GET", "/pets/7", 200)])
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.0.3\n"
        "info: {title: Pets, version: '1'}\n"
        "paths:\n"
        "  /pets/{petId}:\n"
        "    get:\n"
        "      tags: [pets]\n"
        "      parameters: [{$ref: '#/components/parameters/PetId'}]\n"
        "      responses: {'200': {description: A pet}}\n"
        "components:\n"
        "  parameters:\n"
        "    PetId: {name: petId, in: path, required: true, schema: {type: integer}}\n"
    )
    result = run_apilint("infer", "access.log", "--spec", "api.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    added = yaml.safe_load(result.stdout)["paths"]["/pets/{petId}"]["delete"]
    assert added["parameters"] == [{"$ref": "#/components/parameters/PetId"}]
    assert added["tags"] == ["pets"] and added["x-apilint-inferred"] is True
    assert "1 operation added from 2 requests (1 of them to operations" in result.stderr
