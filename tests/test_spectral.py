"""Spectral rulesets read as Spectral reads them: extends, rules, aliases, overrides, formats, the
core functions with Spectral's options, JSONPath-Plus givens. Every ruleset here is written for
these tests."""

from __future__ import annotations

import http.server
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from apilint.core.errors import ConfigError
from apilint.lint.engine import Linter
from apilint.settings.config import Config, load_config
from tests.conftest import ROOT, run_cli

SPEC = """\
openapi: 3.0.3
info:
  title: Zoo
  version: "1"
tags:
  - name: zebras
  - name: ants
paths:
  /Animals:
    get:
      operationId: list_animals
      tags: [ants]
      parameters:
        - {name: Limit, in: query, schema: {type: integer, enum: [1, "two"]}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Animal"}
        "404": {$ref: "#/components/responses/NotFound"}
  /animals/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      summary: One animal
      operationId: getAnimal
      responses:
        "200": {description: ok}
        "500": {description: broken}
components:
  schemas:
    Animal:
      type: object
      properties:
        name: {type: string}
        legs: {type: integer}
    Unused: {type: string}
  responses:
    NotFound:
      description: not found
"""


def lint(
    tmp_path: Path, ruleset: str, spec: str = SPEC, **linter_args: object
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(rule, pointer, severity) of each finding of the ruleset's rules, and the load notes."""
    (tmp_path / ".spectral.yaml").write_text(textwrap.dedent(ruleset))
    (tmp_path / "api.yaml").write_text(spec)
    config = Config(spectral_rulesets=[tmp_path / ".spectral.yaml"])
    linter = Linter(config, **linter_args)  # type: ignore[arg-type]
    findings, _ = linter.lint_file(tmp_path / "api.yaml")
    spectral = {r.id for r in linter.rules if r.rule.family == "spectral"}
    return (
        sorted((f.rule, f.pointer, f.severity.label) for f in findings if f.rule in spectral),
        linter.notes,
    )


def pointers(tmp_path: Path, ruleset: str, spec: str = SPEC) -> list[str]:
    return [pointer for _, pointer, _ in lint(tmp_path, ruleset, spec)[0]]


def one_rule(given: str, then: str) -> str:
    return f"rules:\n  r:\n    given: {given!r}\n    then: {then}\n"


# -- JSONPath-Plus ------------------------------------------------------------------------------

GIVEN_CASES = [
    ("$.paths.*~", ["/paths/~1Animals", "/paths/~1animals~1{id}"]),
    ("$..parameters[?(@.in == 'query')]", ["/paths/~1Animals/get/parameters/0"]),
    (
        "$.paths[*][*].responses[?(@property >= 400)]",
        [
            "/components/responses/NotFound",
            "/paths/~1animals~1{id}/get/responses/500",
        ],
    ),
    ("$.paths[?(@property.match(/[{]/))].get", ["/paths/~1animals~1{id}/get"]),
    (
        "$.paths[*].get.responses[?(@property == 200)]^",
        [
            "/paths/~1Animals/get/responses",
            "/paths/~1animals~1{id}/get/responses",
        ],
    ),
    ("$..properties[?(@.type === 'integer')]", ["/components/schemas/Animal/properties/legs"]),
    ("$.paths[*][?(@ && @.summary)]", ["/paths/~1animals~1{id}/get"]),
    # @parent is the object holding the one the filter looks into (here: paths), as in Spectral
    (
        "$.paths[*][?(@property === 'get' && @parent['/Animals'])]",
        [
            "/paths/~1Animals/get",
            "/paths/~1animals~1{id}/get",
        ],
    ),
    ("$.paths[*][?(@parentProperty === '/Animals')]", ["/paths/~1Animals/get"]),
    (
        "$.paths[*].get.responses[?(!/^2/.test(@property))]",
        [
            "/components/responses/NotFound",
            "/paths/~1animals~1{id}/get/responses/500",
        ],
    ),
    ("$.tags[-1:]", ["/tags/1"]),
    (
        "$.paths.*.[get,post].operationId",
        [
            "/paths/~1Animals/get/operationId",
            "/paths/~1animals~1{id}/get/operationId",
        ],
    ),
    # ".[" descends recursively in Spectral: get operations two levels below paths
    ("$.paths.[get]", ["/paths/~1Animals/get", "/paths/~1animals~1{id}/get"]),
    ("$.paths.[?(@.summary)]", ["/paths/~1animals~1{id}/get"]),
]


@pytest.mark.parametrize(("given", "expected"), GIVEN_CASES)
def test_given_selects_as_spectral_does(tmp_path: Path, given: str, expected: list[str]) -> None:
    assert pointers(tmp_path, one_rule(given, "{function: falsy}")) == sorted(expected)


def test_filter_sees_the_path_it_was_reached_by(tmp_path: Path) -> None:
    # @path is the path through the $ref, not where the response is written.
    given = "$.paths[*][*].responses[?(@path.includes('Animals'))]"
    assert pointers(tmp_path, one_rule(given, "{function: falsy}")) == [
        "/components/responses/NotFound",
        "/paths/~1Animals/get/responses/200",
    ]


def test_resolved_false_sees_the_ref_itself(tmp_path: Path) -> None:
    ruleset = (
        "rules:\n  r:\n    resolved: false\n    given: $.paths[*][*].responses[*]\n"
        "    then: {field: $ref, function: undefined}\n"
    )
    assert pointers(tmp_path, ruleset) == ["/paths/~1Animals/get/responses/404/$ref"]
    resolved = ruleset.replace("    resolved: false\n", "")
    assert pointers(tmp_path, resolved) == []


def test_bad_filter_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="filter expression"):
        lint(tmp_path, one_rule("$..[?(@.in ==)]", "{function: truthy}"))
    with pytest.raises(ConfigError, match="unsupported method"):
        lint(tmp_path, one_rule("$..[?(@.in.frobnicate())]", "{function: truthy}"))


# -- then: field, @key, JSONPath fields, lists --------------------------------------------------


def test_then_field_forms(tmp_path: Path) -> None:
    ruleset = """\
    rules:
      keys:
        given: $.components.schemas
        then: {field: "@key", function: casing, functionOptions: {type: kebab}}
      nested:
        given: $.paths[*][*]
        then: {field: responses.200.description, function: pattern, functionOptions: {notMatch: ok}}
      relative:
        given: $.components.schemas.Animal
        then: {field: "$.properties[*].type", function: enumeration, functionOptions: {values: [string]}}
      missing:
        given: $.info
        then:
          - {field: contact, function: truthy}
          - {field: title, function: truthy}
    """
    assert lint(tmp_path, ruleset)[0] == [
        ("keys", "/components/schemas/Animal", "warning"),
        ("keys", "/components/schemas/Unused", "warning"),
        # a missing field is reported where its parent is, as Spectral does
        ("missing", "/info", "warning"),
        ("nested", "/paths/~1Animals/get/responses/200/description", "warning"),
        ("nested", "/paths/~1animals~1{id}/get/responses/200/description", "warning"),
        ("relative", "/components/schemas/Animal/properties/legs/type", "warning"),
    ]


# -- severities, recommended, extends modes, formats ---------------------------------------------


def test_severities_numbers_and_names(tmp_path: Path) -> None:
    ruleset = """\
    rules:
      e: {given: $.info, severity: 0, then: {field: contact, function: truthy}}
      w: {given: $.info, severity: warn, then: {field: contact, function: truthy}}
      i: {given: $.info, severity: 2, then: {field: contact, function: truthy}}
      h: {given: $.info, severity: hint, then: {field: contact, function: truthy}}
      o: {given: $.info, severity: off, then: {field: contact, function: truthy}}
    """
    assert [(r, s) for r, _, s in lint(tmp_path, ruleset)[0]] == [
        ("e", "error"),
        ("h", "info"),
        ("i", "info"),
        ("w", "warning"),
    ]


def test_extends_modes_and_recommended(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(
        "rules:\n"
        "  on-by-default: {given: $.info, then: {field: contact, function: truthy}}\n"
        "  opt-in: {given: $.info, recommended: false, then: {field: license, function: truthy}}\n"
    )
    found = {r for r, _, _ in lint(tmp_path, "extends: [./base.yaml]\n")[0]}
    assert found == {"on-by-default"}
    found = {r for r, _, _ in lint(tmp_path, "extends: [[./base.yaml, all]]\n")[0]}
    assert found == {"on-by-default", "opt-in"}
    found = {r for r, _, _ in lint(tmp_path, "extends: [[./base.yaml, off]]\n")[0]}
    assert found == set()
    ruleset = "extends: [[./base.yaml, off]]\nrules:\n  opt-in: error\n  on-by-default: true\n"
    assert lint(tmp_path, ruleset)[0] == [
        ("on-by-default", "/info", "warning"),
        ("opt-in", "/info", "error"),
    ]


def test_formats_of_rule_and_ruleset(tmp_path: Path) -> None:
    ruleset = """\
    formats: [oas2]
    rules:
      swagger-only: {given: $.info, then: {field: contact, function: truthy}}
      any-oas3: {given: $.info, formats: [oas3], then: {field: contact, function: truthy}}
      only-31: {given: $.info, formats: [oas3_1], then: {field: contact, function: truthy}}
    """
    assert [r for r, _, _ in lint(tmp_path, ruleset)[0]] == ["any-oas3"]


def test_aliases_plain_and_scoped(tmp_path: Path) -> None:
    ruleset = """\
    aliases:
      Operations: ["$.paths[*][get,put,post,delete]"]
      Schemas:
        description: schemas, wherever the version keeps them
        targets:
          - {formats: [oas2], given: ["$.definitions[*]"]}
          - {formats: [oas3], given: ["$.components.schemas[*]"]}
    rules:
      op-summary: {given: "#Operations", then: {field: summary, function: truthy}}
      op-id: {given: "#Operations.operationId", then: {function: casing, functionOptions: {type: camel}}}
      schema-desc: {given: "#Schemas", then: {field: description, function: truthy}}
    """
    assert [(r, p) for r, p, _ in lint(tmp_path, ruleset)[0]] == [
        ("op-id", "/paths/~1Animals/get/operationId"),
        ("op-summary", "/paths/~1Animals/get"),
        ("schema-desc", "/components/schemas/Animal"),
        ("schema-desc", "/components/schemas/Unused"),
    ]


def test_overrides_by_file_and_pointer(tmp_path: Path) -> None:
    ruleset = """\
    rules:
      no-desc: {given: "$.paths[*][*].responses[*]", severity: error, then: {field: description, function: falsy}}
    overrides:
      - files: ["api.yaml#/paths/~1Animals"]
        rules: {no-desc: off}
      - files: ["**/*.yaml#/components"]
        rules: {no-desc: info}
    """
    assert lint(tmp_path, ruleset)[0] == [
        ("no-desc", "/components/responses/NotFound/description", "info"),
        ("no-desc", "/paths/~1animals~1{id}/get/responses/200/description", "error"),
        ("no-desc", "/paths/~1animals~1{id}/get/responses/500/description", "error"),
    ]


# -- the core functions, with Spectral's options --------------------------------------------------

FUNCTION_CASES = [
    ("$.info", "{field: description, function: defined}", ["/info"]),
    ("$.info", "{field: title, function: undefined}", ["/info/title"]),
    ("$.info.title", "{function: pattern, functionOptions: {match: '/^zoo$/i'}}", []),
    ("$.info.title", "{function: pattern, functionOptions: {match: '^zoo$'}}", ["/info/title"]),
    (
        "$.paths.*~",
        "{function: pattern, functionOptions: {notMatch: '[A-Z]'}}",
        ["/paths/~1Animals"],
    ),
    (
        "$.paths.*~",
        "{function: casing, functionOptions: {type: kebab, separator: {char: /, allowLeading: true}}}",
        ["/paths/~1Animals", "/paths/~1animals~1{id}"],
    ),
    (
        "$..operationId",
        "{function: casing, functionOptions: {type: camel, disallowDigits: true}}",
        [
            "/paths/~1Animals/get/operationId",
        ],
    ),
    ("$.tags", "{function: length, functionOptions: {max: 1}}", ["/tags"]),
    ("$.info.title", "{function: length, functionOptions: {min: 4}}", ["/info/title"]),
    ("$.tags", "{function: alphabetical, functionOptions: {keyedBy: name}}", ["/tags"]),
    (
        "$.components.schemas.Animal.properties",
        "{function: alphabetical}",
        [
            "/components/schemas/Animal/properties/name",
        ],
    ),
    (
        "$.paths[*][*].responses[*]",
        "{function: xor, functionOptions: {properties: [content, headers]}}",
        [
            "/components/responses/NotFound",
            "/paths/~1animals~1{id}/get/responses/200",
            "/paths/~1animals~1{id}/get/responses/500",
        ],
    ),
    (
        "$.paths[*][*]",
        "{function: or, functionOptions: {properties: [summary, description]}}",
        ["/paths/~1Animals/get"],
    ),
    (
        "$.components.schemas",
        "{function: unreferencedReusableObject, functionOptions: {reusableObjectsLocation: '#/components/schemas'}}",
        ["/components/schemas/Unused"],
    ),
    (
        "$..[?(@ && @.enum)]",
        "{function: typedEnum}",
        [
            "/paths/~1Animals/get/parameters/0/schema/enum/1",
        ],
    ),
    (
        "$.info",
        "{function: schema, functionOptions: {schema: {required: [contact, license]}, dialect: draft4}}",
        ["/info"],
    ),
    (
        "$.paths[*][*].parameters[*]",
        "{function: schema, functionOptions: {allErrors: true, schema: {properties: {name: {pattern: '^[a-z]+$'}, in: {const: path}}}}}",
        ["/paths/~1Animals/get/parameters/0/in", "/paths/~1Animals/get/parameters/0/name"],
    ),
]


@pytest.mark.parametrize(("given", "then", "expected"), FUNCTION_CASES)
def test_core_function_semantics(
    tmp_path: Path, given: str, then: str, expected: list[str]
) -> None:
    assert pointers(tmp_path, one_rule(given, then)) == sorted(expected)


@pytest.mark.parametrize(
    ("then", "message"),
    [
        ("{function: casing, functionOptions: {type: screaming}}", "type"),
        ("{function: pattern}", "at least one option"),
        ("{function: truthy, functionOptions: {x: 1}}", "does not accept any options"),
        ("{function: schema, functionOptions: {schema: {}, dialect: draft3}}", "dialect"),
        ("{function: xor, functionOptions: {properties: [a]}}", "two or more"),
        ("{function: nope}", "unknown function 'nope'"),
    ],
)
def test_bad_function_options(tmp_path: Path, then: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        lint(tmp_path, one_rule("$.info", then))


# -- what cannot run here -------------------------------------------------------------------------


def test_javascript_functions_skipped_with_one_note(tmp_path: Path) -> None:
    ruleset = """\
    functions: [checkIt]
    rules:
      custom: {given: $.info, then: {function: checkIt}}
      also-custom: {given: $.info, then: [{function: checkIt}]}
      plain: {given: $.info, then: {field: contact, function: truthy}}
    """
    found, notes = lint(tmp_path, ruleset)
    assert [r for r, _, _ in found] == ["plain"]
    assert len(notes) == 1
    assert "custom, also-custom" in notes[0] and "JavaScript" in notes[0]


def test_spectral_oas_ids_keep_their_settings(tmp_path: Path) -> None:
    spec = SPEC.replace("operationId: getAnimal", "operationId: list_animals")
    (tmp_path / ".spectral.yaml").write_text("extends: spectral:oas\n")
    (tmp_path / "api.yaml").write_text(spec)
    config = Config(spectral_rulesets=[tmp_path / ".spectral.yaml"])
    linter = Linter(config)
    assert [f.rule for f in linter.lint_file(tmp_path / "api.yaml")[0]].count(
        "operation-id-unique"
    ) == 2
    assert linter.ruleset.canonical("operation-operationId-unique") == "operation-id-unique"
    assert any("no apilint counterpart" in note for note in linter.notes)
    (tmp_path / ".spectral.yaml").write_text(
        "extends: spectral:oas\nrules:\n  operation-operationId-unique: off\n  oas3-schema: info\n"
    )
    linter = Linter(config)
    rules = {r.id: r.severity.label for r in linter.rules}
    assert "operation-id-unique" not in rules
    assert rules["spec-invalid"] == "info"


def test_other_builtin_rulesets(tmp_path: Path) -> None:
    found, notes = lint(tmp_path, "extends: [spectral:asyncapi]\nrules:\n  asyncapi-tags: off\n")
    assert found == [] and "spectral:asyncapi not read" in notes[0]
    with pytest.raises(ConfigError, match="spectral:nope"):
        lint(tmp_path, "extends: [spectral:nope]\n")
    with pytest.raises(ConfigError, match="package rulesets"):
        lint(tmp_path, "extends: [some-npm-ruleset]\n")
    with pytest.raises(ConfigError, match="cannot change a rule"):
        lint(tmp_path, "rules:\n  nobody-defines-me: off\n")


@pytest.fixture
def ruleset_server(tmp_path: Path) -> Iterator[str]:
    folder = tmp_path / "served"
    folder.mkdir()
    (folder / "remote.yaml").write_text(
        "rules:\n  remote-rule: {given: $.info, then: {field: contact, function: truthy}}\n"
    )

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/remote.yaml"
    finally:
        server.shutdown()
        server.server_close()


def test_url_extends_only_when_remote_refs_are_allowed(tmp_path: Path, ruleset_server: str) -> None:
    with pytest.raises(ConfigError, match="--allow-remote-refs"):
        lint(tmp_path, f"extends: [{ruleset_server}]\n")
    found, _ = lint(tmp_path, f"extends: [{ruleset_server}]\n", allow_remote_refs=True)
    assert found == [("remote-rule", "/info", "warning")]


def test_ruleset_refs_are_inlined(tmp_path: Path) -> None:
    (tmp_path / "info.schema.yaml").write_text("type: object\nrequired: [contact]\n")
    ruleset = """\
    rules:
      r:
        given: $.info
        then: {function: schema, functionOptions: {schema: {$ref: ./info.schema.yaml}}}
    """
    assert pointers(tmp_path, ruleset) == ["/info"]


# -- the command line and the config --------------------------------------------------------------


def test_cli_ruleset_and_discovery(tmp_path: Path) -> None:
    env = {"PYTHONPATH": str(ROOT)}  # this checkout's apilint, whatever the working directory
    (tmp_path / "api.yaml").write_text(SPEC)
    (tmp_path / ".spectral.yaml").write_text(
        "rules:\n  needs-contact: {given: $.info, severity: error, then: {field: contact, function: truthy}}\n"
    )
    found = run_cli("lint", "api.yaml", "--select", "spectral", cwd=tmp_path, env=env)
    assert found.returncode == 1
    assert "error needs-contact" in found.stdout
    assert found.stderr.count("using the Spectral ruleset .spectral.yaml") == 1
    (tmp_path / "mine.yaml").write_text(
        "rules:\n  mine: {given: $.info, then: {field: license, function: truthy}}\n"
    )
    named = run_cli(
        "lint", "api.yaml", "--ruleset", "mine.yaml", "--select", "mine", cwd=tmp_path, env=env
    )
    assert "warning mine" in named.stdout and "needs-contact" not in named.stdout
    assert "Spectral ruleset" not in named.stderr
    (tmp_path / "apilint.yaml").write_text("extends: [./.spectral.yaml]\nselect: [spectral]\n")
    configured = run_cli("lint", "api.yaml", cwd=tmp_path, env=env)
    assert "needs-contact" in configured.stdout and "Spectral ruleset" not in configured.stderr
    (tmp_path / ".spectral.yaml").write_text(
        "rules:\n  x: {given: '$[?(', then: {function: truthy}}\n"
    )
    broken = run_cli("lint", "api.yaml", cwd=tmp_path, env=env)
    assert broken.returncode == 2 and len(broken.stderr.strip().splitlines()) == 1


# -- apilint's own ruleset format: no key is silently ignored (issue 17) ----------------------------


def native(tmp_path: Path, text: str) -> Linter:
    (tmp_path / "ours.yaml").write_text(textwrap.dedent(text))
    (tmp_path / "apilint.yaml").write_text("extends: [ours.yaml]\nselect: [ours]\n")
    return Linter(load_config(tmp_path / "apilint.yaml"))


def test_native_ruleset_formats_apply_to_its_rules(tmp_path: Path) -> None:
    linter = native(
        tmp_path,
        """\
        formats: [oas2]
        rules:
          r: {given: info, then: {field: contact, function: truthy}}
        """,
    )
    (tmp_path / "api.yaml").write_text(SPEC)
    assert linter.lint_file(tmp_path / "api.yaml")[0] == []


def test_native_resolved_false_and_documentation_url(tmp_path: Path) -> None:
    linter = native(
        tmp_path,
        """\
        documentationUrl: https://example.invalid/rules
        rules:
          r:
            resolved: false
            given: $.paths[*][*].responses[*]
            then: {field: $ref, function: falsy}
        """,
    )
    (tmp_path / "api.yaml").write_text(SPEC)
    assert [f.pointer for f in linter.lint_file(tmp_path / "api.yaml")[0]] == [
        "/paths/~1Animals/get/responses/404/$ref"
    ]
    assert linter.ruleset.rules["r"].documentation_url == "https://example.invalid/rules#r"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: {r: {given: info, resolved: false, then: {function: truthy}}}", "needs JSONPath"),
        (
            "rules: {r: {given: info, then: {function: truthy}, docs: {options: x}}}",
            "docs.options",
        ),
        ("extends: [apilint:recommended]\nrules: {}", "always loaded"),
        ("formats: [oas9]\nrules: {}", "unknown format"),
    ],
)
def test_native_keys_refused_clearly(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        native(tmp_path, text)


def test_native_extends_spectral_reads_spectral_format(tmp_path: Path) -> None:
    (tmp_path / "ours.yaml").write_text(
        "extends: [[spectral:oas, off]]\nrules:\n  oas3-schema: error\n"
    )
    (tmp_path / "apilint.yaml").write_text("extends: [ours.yaml]\n")
    linter = Linter(load_config(tmp_path / "apilint.yaml"))
    rules = {r.id: r.severity.label for r in linter.rules}
    assert "operation-id-unique" not in rules  # off with the rest of spectral:oas
    assert rules.get("spec-invalid") == "error"


def test_native_rulesets_have_the_new_functions(tmp_path: Path) -> None:
    linter = native(
        tmp_path,
        """\
        rules:
          one-of:
            given: $.paths[*][*].responses[*]
            then: {function: xor, functionOptions: {properties: [content, headers]}}
          summary-or-description:
            given: operations
            then: {function: or, functionOptions: {properties: [summary, description]}}
          enum-types:
            given: $..schema
            then: {function: typedEnum}
          unused:
            given: $.components.schemas
            then: {function: unreferencedReusableObject}
        """,
    )
    (tmp_path / "api.yaml").write_text(SPEC)
    found = sorted((f.rule, f.pointer) for f in linter.lint_file(tmp_path / "api.yaml")[0])
    assert found == [
        ("enum-types", "/paths/~1Animals/get/parameters/0/schema/enum/1"),
        ("one-of", "/components/responses/NotFound"),
        ("one-of", "/paths/~1animals~1{id}/get/responses/200"),
        ("one-of", "/paths/~1animals~1{id}/get/responses/500"),
        ("summary-or-description", "/paths/~1Animals/get"),
        ("unused", "/components/schemas/Unused"),
    ]


def test_spectral_oas_rules_run_as_data(tmp_path: Path) -> None:
    ruleset = (
        "extends: spectral:oas\nrules:\n  info-description: error\n  operation-description: off\n"
    )
    found, _ = lint(tmp_path, ruleset)
    assert ("info-contact", "/info", "warning") in found
    assert ("info-description", "/info", "error") in found
    assert not any(rule == "operation-description" for rule, _, _ in found)
    assert ("typed-enum", "/paths/~1Animals/get/parameters/0/schema/enum/1", "warning") in found


def test_missing_member_behind_a_ref_with_siblings(tmp_path: Path) -> None:
    # Spectral reports a member missing from a $ref'd object at the $ref when the $ref has
    # sibling members, at the object it names otherwise.
    spec = SPEC.replace(
        "        legs: {type: integer}\n",
        "        legs: {type: integer}\n"
        "        home: {$ref: '#/components/schemas/Place', description: where}\n"
        "        work: {$ref: '#/components/schemas/Place'}\n"
        "    Place: {type: object, properties: {x: {type: string}}}\n",
    )
    given = "$.components.schemas.Animal.properties[*]"
    assert pointers(tmp_path, one_rule(given, "{field: description, function: truthy}"), spec) == [
        "/components/schemas/Animal/properties/home/description",
        "/components/schemas/Animal/properties/legs",
        "/components/schemas/Animal/properties/name",
        "/components/schemas/Place",
    ]
    assert pointers(tmp_path, one_rule(given, "{field: title, function: truthy}"), spec) == [
        "/components/schemas/Animal/properties/home",
        "/components/schemas/Animal/properties/legs",
        "/components/schemas/Animal/properties/name",
        "/components/schemas/Place",
    ]


def test_string_methods_are_truthy_in_filters(tmp_path: Path) -> None:
    given = (
        "$.paths[*][?(@ && @.operationId && @.operationId.match && @.operationId.match(/^get/))]"
    )
    assert pointers(tmp_path, one_rule(given, "{function: falsy}")) == [
        "/paths/~1animals~1{id}/get"
    ]
