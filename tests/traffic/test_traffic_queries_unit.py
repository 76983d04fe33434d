"""Query-string judgement against parameter schemas, without servers: the precision cases."""

from __future__ import annotations

from pathlib import Path

from traffic_support import clf, rules_of, traffic_json, write_log, write_spec

SPEC_31 = """
openapi: 3.1.0
info: {title: q, version: "1"}
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: api_key}
paths:
  /items:
    get:
      parameters:
        - {name: ids, in: query, schema: {type: array, items: {type: integer}}}
        - {name: code, in: query, schema: {type: string, pattern: "^[A-Z]{3}$"}}
        - {name: size, in: query, schema: {type: [integer, "null"], enum: [10, 20]}}
        - {name: flag, in: query, schema: {type: boolean}}
        - {name: filter, in: query, style: deepObject, schema: {type: object}}
        - {name: either, in: query, schema: {oneOf: [{type: integer}, {type: boolean}]}}
      responses: {"200": {description: ok}}
"""

SWAGGER = """
swagger: "2.0"
info: {title: q, version: "1"}
paths:
  /items:
    get:
      parameters:
        - {name: ids, in: query, type: array, items: {type: integer}, collectionFormat: pipes}
        - {name: token, in: query, type: string, required: true}
      responses: {"200": {description: ok}}
"""


def _findings(tmp_path: Path, spec: str, targets: list[str]) -> dict[str, list[str]]:
    path = write_spec(tmp_path, spec)
    log = write_log(tmp_path, [clf("GET", target, 200) for target in targets])
    report = traffic_json(path, [log])
    out: dict[str, list[str]] = {}
    for f in report["findings"]:
        if f["rule"].startswith("traffic-query"):
            out.setdefault(f["rule"], []).append(f["message"])
    return out


def test_values_are_judged_by_what_the_schema_says(tmp_path: Path) -> None:
    found = _findings(
        tmp_path,
        SPEC_31,
        [
            "/items?ids[]=1&ids[]=2",  # PHP-style array names are the documented 'ids'
            "/items?ids=3&ids=x",
            "/items?code=ABC&size=20&flag=true",
            "/items?code=abc&size=15&flag=maybe",
            "/items?code=&size=",  # empty values are not judged
            "/items?filter[name]=a&filter[age]=3",  # deepObject: free-form names
            "/items?either=zzz&api_key=s3cr3tvalue",  # oneOf: not judged; the API key is known
        ],
    )
    invalid = sorted(found["traffic-query-invalid"])
    assert len(invalid) == 4
    assert "'code' is not matching the pattern ^[A-Z]{3}$ in 1 of the 3" in invalid[0]
    assert "'flag' is not a boolean in 1 of the 2" in invalid[1]
    assert "'ids' is not an integer in 1 of the 2 requests that send it (e.g. ids=x)" in invalid[2]
    assert "'size' is not one of the enum values (10, 20) in 1 of the 3" in invalid[3]
    assert "traffic-query-undocumented" not in found


def test_free_form_names_and_secrets(tmp_path: Path) -> None:
    spec = SPEC_31.replace(
        "        - {name: filter, in: query, style: deepObject, schema: {type: object}}\n", ""
    )
    found = _findings(tmp_path, spec, ["/items?filter[name]=a", "/items?session_token=abcdef"])
    messages = sorted(found["traffic-query-undocumented"])
    assert "'filter[name]' is not documented, yet 1 of 2 requests send it" in messages[0]
    assert messages[1].endswith("(e.g. session_token=***)")


def test_swagger_collection_formats_and_required(tmp_path: Path) -> None:
    found = _findings(
        tmp_path, SWAGGER, ["/items?ids=1|2|3&token=t", "/items?ids=1|b&token=t", "/items?ids=4"]
    )
    assert found["traffic-query-invalid"] == [
        "GET /items: query parameter 'ids' is not an integer in 1 of the 3 requests that send it "
        "(e.g. ids=1|b)"
    ]
    assert found["traffic-query-missing"] == [
        "GET /items: required query parameter 'token' is missing from 1 of 3 requests"
    ]


def test_rules_of_a_clean_log(tmp_path: Path) -> None:
    path = write_spec(tmp_path, SPEC_31)
    log = write_log(tmp_path, [clf("GET", "/items?ids=1&code=ABC", 200)])
    assert rules_of(traffic_json(path, [log])) == []


def test_a_query_string_seen_again_counts_the_same(tmp_path: Path) -> None:
    """Query strings are remembered per operation with what they counted: the same strings
    again (repeated values, invalid values, undocumented names) give exactly twice the counts."""
    targets = [
        "/items?ids=3&ids=x&code=abc&extra=1",
        "/items?size=15&size=20&flag=maybe",
        "/items?extra=2",
    ]
    path = write_spec(tmp_path, SPEC_31)

    def counts(times: int) -> dict[tuple[str, str], dict[str, int]]:
        log = write_log(tmp_path, [clf("GET", t, 200) for t in targets * times], f"{times}.log")
        return {
            (f["rule"], f["parameter"]): {
                k: v
                for k, v in f.items()
                if isinstance(v, int) and "line" not in k and "column" not in k
            }
            for f in traffic_json(path, [log])["findings"]
            if f["rule"].startswith("traffic-query")
        }

    once, twice = counts(1), counts(2)
    assert len(once) >= 3 and once.keys() == twice.keys()
    for key, numbers in once.items():
        assert twice[key] == {k: 2 * v for k, v in numbers.items()}, key
