"""Spectral rulesets (``.spectral.yaml``), read as Spectral reads them and run as apilint rules.

What is read: ``extends`` (files, ``[file, off|recommended|all]``, http(s) URLs when remote
references are allowed, ``spectral:oas``), ``rules`` (``given`` as JSONPath-Plus, ``then`` with
``field`` / ``@key`` / a relative JSONPath, the core functions with Spectral's options,
``severity`` 0-3 or by name, ``formats``, ``resolved: false``, ``recommended: false``,
``message`` and ``description`` templates, ``documentationUrl``), ``aliases`` (plain and scoped by
format), ruleset-level ``formats`` and ``documentationUrl``, and ``overrides`` (files, globs and
``file#/pointer`` entries that change rules' severities).

Refused with a clear error: package names in ``extends``, JavaScript rulesets, unknown
``spectral:*`` rulesets. ``spectral:asyncapi`` and ``spectral:arazzo`` are not read (their rules
apply to AsyncAPI and Arazzo documents only), and one note says so. Rules whose ``then`` calls a
custom JavaScript function cannot run here: they are skipped and named in one note; the rest of
the ruleset runs.

``extends: spectral:oas`` maps each Spectral OpenAPI rule id to apilint's check for the same
problem (so ``operation-operationId-unique: off`` turns off ``operation-id-unique``); the ids with
no apilint counterpart are listed in one note.
"""

from __future__ import annotations

import json
import os
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from apilint.core.errors import ConfigError
from apilint.core.findings import Severity
from apilint.core.globs import file_glob
from apilint.core.pointer import decode, encode, from_fragment
from apilint.documents.openapi import MISSING, Node, OpenAPI, Result
from apilint.lint.checks.core import SPECTRAL_FUNCTIONS, SpectralCall
from apilint.lint.jsonpath import Hit, compile_path, query
from apilint.lint.rulesets import Rule, parse_severity
from apilint.settings.config import SPECTRAL_NAMES

RULESET_KEYS = frozenset(
    {
        "extends",
        "rules",
        "formats",
        "functions",
        "functionsDir",
        "aliases",
        "overrides",
        "documentationUrl",
        "description",
        "parserOptions",
    }
)
RULE_KEYS = frozenset(
    {
        "given",
        "then",
        "severity",
        "formats",
        "resolved",
        "recommended",
        "message",
        "description",
        "documentationUrl",
        "type",
        "tags",
        "extensions",
    }
)
THEN_KEYS = frozenset({"field", "function", "functionOptions"})
FORMATS = {
    "oas2": "oas2",
    "oas3": "oas3",
    "oas3.0": "oas3.0",
    "oas3_0": "oas3.0",
    "oas3.1": "oas3.1",
    "oas3_1": "oas3.1",
}
OTHER_FORMATS = frozenset(
    {
        "asyncapi2",
        "asyncapi3",
        "arazzo1",
        "json-schema",
        "json-schema-loose",
        "json-schema-draft4",
        "json-schema-draft6",
        "json-schema-draft7",
        "json-schema-2019-09",
        "json-schema-2020-12",
        "json-schema-draft-2019-09",
        "json-schema-draft-2020-12",
    }
)
"""Formats Spectral knows that no OpenAPI description has: rules limited to them never run."""

SPECTRAL_OAS: dict[str, tuple[str | None, bool]] = {
    # Spectral id: (apilint rule for the same problem, or None; recommended by Spectral)
    "operation-operationId-unique": ("operation-id-unique", True),
    "operation-success-response": ("operation-success-response", True),
    "operation-tags": ("operation-tags", True),
    "path-params": ("path-param-undeclared", True),
    "path-keys-no-trailing-slash": ("trailing-slash-consistency", True),
    "path-not-include-query": ("path-query-string", True),
    "oas2-host-trailing-slash": ("server-url-trailing-slash", True),
    "oas3-server-trailing-slash": ("server-url-trailing-slash", True),
    "oas2-operation-security-defined": ("security-scheme-undefined", True),
    "oas3-operation-security-defined": ("security-scheme-undefined", True),
    "oas2-valid-schema-example": ("example-invalid", True),
    "oas2-valid-media-example": ("example-invalid", True),
    "oas3-valid-schema-example": ("example-invalid", True),
    "oas3-valid-media-example": ("example-invalid", True),
    "oas2-unused-definition": ("unused-component", True),
    "oas3-unused-component": ("unused-component", True),
    "oas2-schema": ("spec-invalid", True),
    "oas3-schema": ("spec-invalid", True),
    "operation-tag-defined": (None, True),
    "operation-parameters": (None, True),
    "operation-operationId": (None, True),
    "operation-operationId-valid-in-url": (None, True),
    "operation-description": (None, True),
    "operation-singular-tag": (None, False),
    "oas2-operation-formData-consume-check": (None, True),
    "contact-properties": (None, False),
    "duplicated-entry-in-enum": (None, True),
    "info-contact": (None, True),
    "info-description": (None, True),
    "info-license": (None, False),
    "license-url": (None, False),
    "no-eval-in-markdown": (None, True),
    "no-script-tags-in-markdown": (None, True),
    "openapi-tags": (None, False),
    "openapi-tags-alphabetical": (None, False),
    "openapi-tags-uniqueness": (None, True),
    "path-declarations-must-exist": (None, True),
    "tag-description": (None, False),
    "no-$ref-siblings": (None, True),
    "typed-enum": (None, True),
    "array-items": (None, True),
    "oas2-api-host": (None, True),
    "oas2-api-schemes": (None, True),
    "oas2-discriminator": (None, True),
    "oas2-host-not-example": (None, False),
    "oas2-parameter-description": (None, False),
    "oas2-anyOf": (None, True),
    "oas2-oneOf": (None, True),
    "oas3-api-servers": (None, True),
    "oas3-examples-value-or-externalValue": (None, True),
    "oas3-parameter-description": (None, False),
    "oas3-server-not-example.com": (None, False),
    "oas3-server-variables": (None, True),
    "oas3-callbacks-in-callbacks": (None, True),
    "oas3_1-servers-in-webhook": (None, True),
    "oas3_1-callbacks-in-webhook": (None, True),
}
"""Every rule of Spectral's spectral:oas ruleset and what apilint runs for it."""

SPECTRAL_OAS_DATA = """
aliases:
  Operations: ["$.paths[*][get,put,post,delete,options,head,patch,trace]"]
rules:
  info-contact: {given: $, then: {field: info.contact, function: truthy}}
  info-description: {given: $, then: {field: info.description, function: truthy}}
  info-license: {given: $, recommended: false, then: {field: info.license, function: truthy}}
  license-url: {given: $, recommended: false, then: {field: info.license.url, function: truthy}}
  contact-properties:
    given: $.info.contact
    recommended: false
    then:
      - {field: name, function: truthy}
      - {field: url, function: truthy}
      - {field: email, function: truthy}
  operation-description: {given: "#Operations", then: {field: description, function: truthy}}
  operation-operationId: {given: "#Operations", then: {field: operationId, function: truthy}}
  operation-operationId-valid-in-url:
    given: "#Operations"
    then:
      field: operationId
      function: pattern
      functionOptions: {match: "^[A-Za-z0-9-._~:/?#\\\\[\\\\]@!\\\\$&'()*+,;=]*$"}
  operation-singular-tag:
    given: "#Operations"
    recommended: false
    then: {field: tags, function: length, functionOptions: {max: 1}}
  tag-description:
    given: "$.tags[*]"
    recommended: false
    then: {field: description, function: truthy}
  openapi-tags:
    given: $
    recommended: false
    then:
      field: tags
      function: schema
      functionOptions: {dialect: draft7, schema: {type: array, minItems: 1}}
  openapi-tags-alphabetical:
    given: $
    recommended: false
    then: {field: tags, function: alphabetical, functionOptions: {keyedBy: name}}
  path-declarations-must-exist:
    given: $.paths
    then: {field: "@key", function: pattern, functionOptions: {notMatch: "{}"}}
  no-eval-in-markdown:
    given: "$..[description,title]"
    then: {function: pattern, functionOptions: {notMatch: "eval\\\\("}}
  no-script-tags-in-markdown:
    given: "$..[description,title]"
    then: {function: pattern, functionOptions: {notMatch: "<script"}}
  typed-enum: {given: "$..[?(@ && @.enum && @.type)]", then: {function: typedEnum}}
  oas2-api-host: {given: $, formats: [oas2], then: {field: host, function: truthy}}
  oas2-api-schemes:
    given: $
    formats: [oas2]
    then:
      field: schemes
      function: schema
      functionOptions:
        dialect: draft7
        schema: {type: array, minItems: 1, items: {type: string}}
  oas2-host-not-example:
    given: $
    formats: [oas2]
    recommended: false
    then: {field: host, function: pattern, functionOptions: {notMatch: "example\\\\.com"}}
  oas2-anyOf: {given: $..anyOf, formats: [oas2], then: {function: undefined}}
  oas2-oneOf: {given: $..oneOf, formats: [oas2], then: {function: undefined}}
  oas3-api-servers:
    given: $
    formats: [oas3]
    then:
      field: servers
      function: schema
      functionOptions:
        dialect: draft7
        schema: {type: array, minItems: 1, items: {type: object}}
  oas3-server-not-example.com:
    given: "$.servers[*].url"
    formats: [oas3]
    recommended: false
    then: {function: pattern, functionOptions: {notMatch: "example\\\\.com"}}
"""
"""The spectral:oas rules that Spectral's core functions express: run as data, by their
Spectral ids (the checks are Spectral's; the definitions are written here)."""


@dataclass
class Then:
    function: str
    field: str | None
    options: dict[str, Any]


@dataclass
class SpectralRule:
    """One rule as Spectral's ruleset merging leaves it (mutable while rulesets merge)."""

    name: str
    owner: Path | str
    given: tuple[str, ...] = ()
    then: tuple[Then, ...] = ()
    severity: Severity | None = Severity.WARNING
    enabled: bool = True
    recommended: bool = True
    formats: frozenset[str] | None = None
    resolved: bool = True
    message: str | None = None
    description: str | None = None
    documentation_url: str | None = None
    aliases: Mapping[str, Any] = field(default_factory=dict)
    scoped_given: bool = False
    javascript: tuple[str, ...] = ()
    """Custom functions this rule calls (it cannot run here)."""
    builtin: str | None = None
    """For spectral:oas rules: the apilint rule that checks the same thing."""
    explicit: bool = False
    """A spectral:oas rule whose severity a user's ruleset set."""
    overrides: list[tuple[Any, str, Severity | None]] = field(default_factory=list)
    """(file pattern, JSON pointer or '', severity) from the root ruleset's overrides."""


@dataclass
class LoadedRuleset:
    rules: dict[str, SpectralRule]
    notes: list[str]
    source: str


class _Yaml12Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML as Spectral reads it (1.2): only true/false are booleans, so ``off`` and ``yes``
    stay strings."""


_Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def is_spectral_ruleset(path: Path, data: Any) -> bool:
    """Whether an ``extends`` file of an apilint config is in Spectral's format rather than
    apilint's: its name says so, it uses a key only Spectral has, or it extends spectral:*."""
    if "spectral" in path.name.lower():
        return True
    if not isinstance(data, dict):
        return False
    if set(data) & {"aliases", "overrides", "functionsDir", "parserOptions"}:
        return True
    extends = data.get("extends")
    items = extends if isinstance(extends, list) else [extends]
    for item in items:
        name = item[0] if isinstance(item, list) and item else item
        if isinstance(name, str) and name.startswith("spectral:"):
            return True
    functions = data.get("functions")
    return isinstance(functions, list) and any(
        isinstance(f, str) and not f.endswith(".py") for f in functions
    )


def _severity(value: Any, where: str) -> Severity | None:
    return parse_severity(value, where, accepted="0-3, error, warn, info, hint or off")


class _Loader:
    def __init__(self, allow_remote: bool) -> None:
        self.allow_remote = allow_remote
        self.notes: list[str] = []
        self.javascript: dict[str, list[str]] = {}
        self.not_read: set[str] = set()
        self.unresolvable: list[str] = []
        self.unknown_settings: list[str] = []

    # -- reading files --------------------------------------------------------------------------

    def read(self, location: Path | str) -> Any:
        if isinstance(location, str):
            if not self.allow_remote:
                raise ConfigError(
                    f"ruleset {location} is remote: extending a URL needs --allow-remote-refs "
                    "(or allow-remote-refs: true in the config)"
                )
            try:
                with urllib.request.urlopen(location, timeout=20) as response:
                    text = response.read(16 * 1024 * 1024).decode("utf-8")
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                raise ConfigError(f"ruleset {location} cannot be fetched: {exc}") from None
            name = location
        else:
            if location.suffix in (".js", ".mjs", ".cjs", ".ts"):
                raise ConfigError(
                    f"{location}: JavaScript rulesets cannot be read; apilint reads YAML and "
                    "JSON rulesets"
                )
            try:
                text = location.read_text(encoding="utf-8")
            except FileNotFoundError:
                raise ConfigError(f"ruleset not found: {location}") from None
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"ruleset {location} cannot be read: {exc}") from None
            name = str(location)
        try:
            data = yaml.load(text, Loader=_Yaml12Loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise ConfigError(f"{name}{at}: invalid YAML in ruleset: {problem}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"{name}: a Spectral ruleset must be a mapping")
        if isinstance(location, Path):
            data = _inline_refs(data, data, location, 0)
        return data

    def locate(self, reference: str, base: Path | str, where: str) -> Path | str:
        if reference.startswith(("http://", "https://")):
            return reference
        if isinstance(base, str):  # relative to a remote ruleset
            return urllib.parse.urljoin(base, reference)
        if not reference.startswith((".", "/")) and not Path(base, reference).exists():
            raise ConfigError(
                f"{where}: extends '{reference}': package rulesets cannot be installed by "
                "apilint; download the ruleset file and extend its path"
            )
        return (Path(base) / reference).resolve()

    # -- merging, as Spectral does ------------------------------------------------------------

    def load(
        self,
        location: Path | str,
        mode: str = "recommended",
        explicit: bool = False,
        stack: tuple[Path | str, ...] = (),
    ) -> dict[str, SpectralRule]:
        if location in stack:
            return {}
        data = self.read(location)
        where = str(location)
        unknown = set(data) - RULESET_KEYS
        if unknown:
            raise ConfigError(
                f"{where}: unknown ruleset key '{sorted(unknown)[0]}' "
                f"(known: {', '.join(sorted(RULESET_KEYS))})"
            )
        base: Path | str = (
            location.parent if isinstance(location, Path) else location.rsplit("/", 1)[0] + "/"
        )
        own_formats = self.formats(data.get("formats"), where) if "formats" in data else None
        aliases = self.aliases(data.get("aliases", {}), where)
        functions = data.get("functions", [])
        if not isinstance(functions, list) or not all(isinstance(f, str) for f in functions):
            raise ConfigError(f"{where}: 'functions' must be a list of function names")
        rules: dict[str, SpectralRule] = {}
        extends = data.get("extends", [])
        for item in extends if isinstance(extends, list) else [extends]:
            name, sub_mode, is_explicit = self.extension(item, where)
            if name.startswith("spectral:"):
                inherited = self.spectral_builtin(name, sub_mode, where)
            else:
                target = self.locate(name, base, where)
                inherited = self.load(target, sub_mode, is_explicit, (*stack, location))
            for rule in inherited.values():
                rules[rule.name] = rule
                if explicit:
                    rule.enabled = _enabled(rule, mode)
        defined = data.get("rules", {})
        if not isinstance(defined, dict):
            raise ConfigError(f"{where}: 'rules' must be a mapping")
        for name, definition in defined.items():
            name = str(name)
            at = f"{where}: rule '{name}'"
            existing = rules.get(name)
            if isinstance(definition, (bool, str, int)):
                if existing is None and self.not_read:
                    self.unknown_settings.append(name)
                    continue
                if existing is None:
                    raise ConfigError(f"{at}: cannot change a rule that no extended ruleset has")
                if isinstance(definition, bool):
                    existing.enabled = definition
                else:
                    existing.severity = _severity(definition, at)
                    existing.enabled = existing.severity is not None
                    existing.explicit = True
                continue
            if not isinstance(definition, dict):
                raise ConfigError(f"{at}: a rule is a mapping, a severity or true/false")
            if existing is not None and existing.builtin is not None and "given" not in definition:
                if "severity" in definition:
                    existing.severity = _severity(definition["severity"], at)
                    existing.explicit = True
                existing.enabled = existing.severity is not None
                continue
            rule = existing or SpectralRule(name, location)
            self.rule(rule, definition, at, aliases, functions)
            if existing is not None:
                rule.enabled = True
            else:
                rule.enabled = _enabled(rule, mode)
                if rule.formats is None and own_formats is not None:
                    rule.formats = own_formats
            if rule.documentation_url is None and isinstance(data.get("documentationUrl"), str):
                rule.documentation_url = f"{data['documentationUrl']}#{name}"
            rules[name] = rule
        if "documentationUrl" in data and not isinstance(data["documentationUrl"], str):
            raise ConfigError(f"{where}: 'documentationUrl' must be a string")
        if not stack and "overrides" in data:
            self.overrides(data["overrides"], base, rules, where)
        elif "overrides" in data:
            raise ConfigError(
                f"{where}: 'overrides' are read from the ruleset you lint with, not from one it "
                "extends"
            )
        return rules

    def extension(self, item: Any, where: str) -> tuple[str, str, bool]:
        if isinstance(item, str):
            return item, "recommended", False
        if (
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and item[1] in ("off", "recommended", "all")
        ):
            return item[0], item[1], True
        raise ConfigError(
            f"{where}: extends entries are a ruleset or [ruleset, off|recommended|all], "
            f"not {item!r}"
        )

    def spectral_builtin(self, name: str, mode: str, where: str) -> dict[str, SpectralRule]:
        if name in ("spectral:asyncapi", "spectral:arazzo"):
            # Their rules apply to AsyncAPI / Arazzo documents only, never to an OpenAPI one.
            self.not_read.add(name)
            return {}
        if name != "spectral:oas":
            raise ConfigError(
                f"{where}: extends '{name}': unknown built-in ruleset; apilint reads "
                "spectral:oas (spectral:asyncapi and spectral:arazzo apply to other documents)"
            )
        rules: dict[str, SpectralRule] = {}
        data = yaml.load(SPECTRAL_OAS_DATA, Loader=_Yaml12Loader)
        aliases = self.aliases(data["aliases"], name)
        for rule_id, definition in data["rules"].items():
            rule = SpectralRule(rule_id, name)
            self.rule(rule, definition, f"{name}: rule '{rule_id}'", aliases, [])
            rule.enabled = _enabled(rule, mode)
            rules[rule_id] = rule
        for rule_id, (apilint_id, recommended) in SPECTRAL_OAS.items():
            if rule_id in rules:
                continue
            rule = SpectralRule(
                rule_id, name, recommended=recommended, builtin=apilint_id or "", enabled=False
            )
            rule.enabled = _enabled(rule, mode)
            rules[rule_id] = rule
        return rules

    def formats(self, value: Any, where: str) -> frozenset[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: 'formats' must be a list of format names")
        out = set()
        for item in value:
            if item in FORMATS:
                out.add(FORMATS[item])
            elif item in OTHER_FORMATS:
                out.add(item)
            else:
                known = ", ".join(sorted({*FORMATS, *OTHER_FORMATS}))
                raise ConfigError(f"{where}: unknown format '{item}' (known: {known})")
        return frozenset(out)

    def aliases(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: 'aliases' must be a mapping of name to JSONPaths")
        out: dict[str, Any] = {}
        for name, target in value.items():
            at = f"{where}: alias '{name}'"
            if isinstance(target, list) and all(isinstance(t, str) for t in target):
                out[str(name)] = list(target)
            elif isinstance(target, dict) and isinstance(target.get("targets"), list):
                scoped = []
                for entry in target["targets"]:
                    if not isinstance(entry, dict) or not isinstance(entry.get("given"), list):
                        raise ConfigError(f"{at}: each target has 'formats' and 'given'")
                    scoped.append((self.formats(entry.get("formats"), at), list(entry["given"])))
                out[str(name)] = scoped
            else:
                raise ConfigError(
                    f"{at}: an alias is a list of JSONPaths or {{targets: [{{formats, given}}]}}"
                )
        return out

    def rule(
        self,
        rule: SpectralRule,
        spec: dict[str, Any],
        where: str,
        aliases: dict[str, Any],
        functions: list[str],
    ) -> None:
        unknown = set(spec) - RULE_KEYS
        if unknown:
            raise ConfigError(
                f"{where}: unknown key '{sorted(unknown)[0]}' "
                f"(known: {', '.join(sorted(RULE_KEYS))})"
            )
        if "given" in spec:
            given = spec["given"]
            items = given if isinstance(given, list) else [given]
            if not items or not all(isinstance(g, str) for g in items):
                raise ConfigError(f"{where}: 'given' must be a JSONPath or a list of them")
            rule.given = tuple(items)
            rule.aliases = aliases
            rule.scoped_given = any(g.startswith("#") for g in items)
            for text in expand_given(rule.given, aliases, None, where):
                compile_path(text, where)
        elif not rule.given:
            raise ConfigError(f"{where}: 'given' is required")
        if "then" in spec:
            raw = spec["then"]
            steps = raw if isinstance(raw, list) else [raw]
            then: list[Then] = []
            javascript: list[str] = []
            for step in steps:
                if not isinstance(step, dict) or not isinstance(step.get("function"), str):
                    raise ConfigError(f"{where}: each 'then' names a 'function'")
                function = SPECTRAL_FUNCTIONS.get(step["function"])
                if function is None:
                    if step["function"] in functions:
                        javascript.append(step["function"])
                        continue
                    raise ConfigError(
                        f"{where}: unknown function '{step['function']}' (core functions: "
                        f"{', '.join(SPECTRAL_FUNCTIONS)}; custom ones are listed in 'functions')"
                    )
                field_name = step.get("field")
                if field_name is not None and not isinstance(field_name, str):
                    raise ConfigError(f"{where}: 'then.field' must be a string")
                if isinstance(field_name, str) and is_field_path(field_name):
                    compile_path(field_name, where)
                try:
                    options = function.validate(step.get("functionOptions"), where)
                except ConfigError as exc:
                    if step["function"] != "schema" or "does not exist" not in str(exc):
                        raise
                    # A $ref the schema cannot resolve: Spectral drops that error (the values are
                    # resolved already) and so reports nothing for this step.
                    self.unresolvable.append(rule.name)
                    continue
                then.append(Then(step["function"], field_name, options))
            rule.then = tuple(then)
            rule.javascript = tuple(javascript)
        elif not rule.then and not rule.javascript:
            raise ConfigError(f"{where}: 'then' is required")
        if "severity" in spec:
            rule.severity = _severity(spec["severity"], where)
        if "formats" in spec:
            rule.formats = self.formats(spec["formats"], where)
        for key in ("resolved", "recommended"):
            if key in spec and not isinstance(spec[key], bool):
                raise ConfigError(f"{where}: '{key}' must be true or false")
        rule.resolved = spec.get("resolved", rule.resolved)
        rule.recommended = spec.get("recommended", rule.recommended)
        for key in ("message", "description", "documentationUrl"):
            if key in spec and not isinstance(spec[key], str):
                raise ConfigError(f"{where}: '{key}' must be a string")
        rule.message = spec.get("message", rule.message)
        rule.description = spec.get("description", rule.description)
        rule.documentation_url = spec.get("documentationUrl", rule.documentation_url)

    def overrides(
        self, value: Any, base: Path | str, rules: dict[str, SpectralRule], where: str
    ) -> None:
        if not isinstance(value, list):
            raise ConfigError(f"{where}: 'overrides' must be a list")
        for index, item in enumerate(value):
            at = f"{where}: overrides[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get("files"), list):
                raise ConfigError(f"{at}: each override has 'files' (globs) and 'rules'")
            if set(item) - {"files", "rules"}:
                key = sorted(set(item) - {"files", "rules"})[0]
                raise ConfigError(
                    f"{at}: '{key}' in overrides is not supported; overrides here change rules' "
                    "severities (files + rules)"
                )
            settings = item.get("rules", {})
            if not isinstance(settings, dict):
                raise ConfigError(f"{at}: 'rules' must be a mapping of rule to severity")
            for pattern in item["files"]:
                if not isinstance(pattern, str):
                    raise ConfigError(f"{at}: 'files' must be strings")
                glob, _, pointer = pattern.partition("#")
                if isinstance(base, Path) and not os.path.isabs(glob):
                    glob = (base / glob).as_posix()
                regex = file_glob(glob)
                for name, setting in settings.items():
                    rule = rules.get(str(name))
                    if rule is None:
                        raise ConfigError(f"{at}: unknown rule '{name}'")
                    if isinstance(setting, bool):
                        severity = rule.severity if setting else None
                    elif isinstance(setting, (str, int)):
                        severity = _severity(setting, f"{at}: rule '{name}'")
                    else:
                        raise ConfigError(
                            f"{at}: rule '{name}': overrides set a severity or true/false"
                        )
                    rule.overrides.append((regex, pointer, severity))


def _inline_refs(value: Any, document: Any, path: Path, depth: int) -> Any:
    """A ruleset with its ``$ref``s inlined, as Spectral reads rulesets: a local ``#/pointer`` or a
    file next to the ruleset. An inlined file keeps its own ``#`` references (a JSON Schema file
    refers to its own definitions); a ``$ref`` that names nothing stays as written."""
    if depth > 64:
        raise ConfigError(f"{path}: $refs in the ruleset nest more than 64 deep (a loop?)")
    if isinstance(value, list):
        return [_inline_refs(v, document, path, depth) for v in value]
    if not isinstance(value, dict):
        return value
    ref = value.get("$ref")
    if isinstance(ref, str) and not ref.startswith(("http://", "https://")):
        file_part, _, fragment = ref.partition("#")
        if file_part:
            target_path = (path.parent / file_part).resolve()
            try:
                text = target_path.read_text(encoding="utf-8")
                target_doc = yaml.load(text, Loader=_Yaml12Loader)
                return _lookup(target_doc, fragment)
            except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError):
                return value
        try:
            target = _lookup(document, fragment)
        except KeyError:
            return value
        return _inline_refs(target, document, path, depth + 1)
    return {k: _inline_refs(v, document, path, depth) for k, v in value.items()}


def _lookup(document: Any, fragment: str) -> Any:
    current = document
    try:
        parts = from_fragment(fragment) if fragment else ()
    except ValueError:
        raise KeyError(fragment) from None
    for part in parts:
        if isinstance(current, dict) and str(part) in current:
            current = current[str(part)]
        elif isinstance(current, list) and str(part).isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            raise KeyError(fragment)
    return current


def _enabled(rule: SpectralRule, mode: str) -> bool:
    return mode == "all" or (mode == "recommended" and rule.recommended)


def expand_given(
    given: tuple[str, ...], aliases: Mapping[str, Any], formats: frozenset[str] | None, where: str
) -> list[str]:
    """``given`` with ``#Alias`` references replaced by their JSONPaths (for scoped aliases, the
    targets whose formats match; every target when ``formats`` is None)."""
    out: list[str] = []
    for text in given:
        out.extend(_expand_one(text, aliases, formats, where, 0))
    return out


def _expand_one(
    text: str, aliases: Mapping[str, Any], formats: frozenset[str] | None, where: str, depth: int
) -> list[str]:
    if not text.startswith("#"):
        return [text]
    if depth > 20:
        raise ConfigError(f"{where}: aliases refer to each other in a loop ({text})")
    name = text[1:]
    rest = ""
    for index, char in enumerate(name):
        if char in ".[":
            name, rest = name[:index], name[index:]
            break
    target = aliases.get(name)
    if target is None:
        raise ConfigError(f"{where}: unknown alias '#{name}'")
    paths: list[str] = []
    if target and isinstance(target[0], tuple):
        for target_formats, given in target:
            if formats is None or target_formats & formats:
                paths.extend(given)
    else:
        paths = list(target)
    out: list[str] = []
    for path in paths:
        out.extend(_expand_one(path + rest, aliases, formats, where, depth + 1))
    return out


def load_spectral_ruleset(location: Path | str, *, allow_remote: bool = False) -> LoadedRuleset:
    """Read a Spectral ruleset and everything it extends."""
    loader = _Loader(allow_remote)
    if isinstance(location, Path):
        location = location.resolve()
    rules = loader.load(location)
    skipped = [r.name for r in rules.values() if r.javascript and (r.enabled or r.overrides)]
    notes = []
    if skipped:
        notes.append(
            f"{location}: {len(skipped)} rule(s) call custom JavaScript functions, which apilint "
            f"cannot run, and were skipped: {', '.join(skipped)}"
        )
    unmapped = [r.name for r in rules.values() if r.builtin == "" and r.enabled]
    if unmapped:
        notes.append(
            f"{location}: {len(unmapped)} spectral:oas rule(s) have no apilint counterpart and do "
            f"not run: {', '.join(unmapped)}"
        )
    if loader.unresolvable:
        notes.append(
            f"{location}: {len(loader.unresolvable)} rule(s) pass the schema function a $ref it "
            "cannot resolve, so they report nothing (as in Spectral): "
            + ", ".join(loader.unresolvable)
        )
    if loader.not_read:
        names = " and ".join(sorted(loader.not_read))
        text = (
            f"{location}: {names} not read: apilint lints OpenAPI descriptions, and "
            "those rules apply to AsyncAPI/Arazzo documents only"
        )
        if loader.unknown_settings:
            text += f" (settings for their rules ignored: {', '.join(loader.unknown_settings)})"
        notes.append(text)
    return LoadedRuleset(rules, notes, str(location))


# -- running one rule ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SpectralRunner:
    """What the engine calls to run one Spectral rule on one description."""

    rule: SpectralRule

    def run(self, api: OpenAPI) -> Iterator[Result]:
        rule = self.rule
        formats = api.formats
        given = expand_given(rule.given, rule.aliases, formats, rule.name)
        referenced: list[frozenset[str]] = []

        def refs() -> frozenset[str]:
            if not referenced:
                referenced.append(referenced_pointers(api))
            return referenced[0]

        for text in given:
            for hit in query(text, api, resolved=rule.resolved, where=f"rule '{rule.name}'"):
                for then in rule.then:
                    function = SPECTRAL_FUNCTIONS[then.function]
                    for rel, target in self.targets(hit, then.field, api):
                        call = SpectralCall(
                            resolved=_deep_later(target, api, rule.resolved),
                            formats=formats,
                            referenced=refs,
                        )
                        value = target.value
                        for message, path in function.run(value, then.options, call):
                            result = self.result(api, hit, rel, path, message)
                            if result is not None:
                                yield result

    def targets(
        self, hit: Hit, field_name: str | None, api: OpenAPI
    ) -> list[tuple[tuple[str | int, ...], Node]]:
        node = hit.node
        if hit.is_key or field_name is None or not isinstance(node.value, (dict, list)):
            return [((), node)]
        if field_name == "@key":
            if isinstance(node.value, dict):
                keys = [str(k) for k in node.value]
            else:
                keys = [str(i) for i in range(len(node.value))]
            out: list[tuple[tuple[str | int, ...], Node]] = [
                ((k,), Node(k, node.doc, (*node.ptr, k))) for k in keys
            ]
            return out or [((), Node(MISSING, node.doc, node.ptr))]
        if is_field_path(field_name):
            sub = _SubDocument(api, node, self.rule.resolved)
            found = [((*h.path,), h.node) for h in sub.query(field_name)]
            return found or [((), Node(MISSING, node.doc, node.ptr))]
        path = _lodash_path(field_name)
        current = node
        for key in path:
            current = self._step(current, key, api)
        return [(tuple(path), current)]

    def _step(self, node: Node, key: str | int, api: OpenAPI) -> Node:
        value = node.value
        if isinstance(value, list) and isinstance(key, str) and key.isdigit():
            key = int(key)
        child = node.child(key)
        return api.resolve(child) if self.rule.resolved else child

    def result(
        self,
        api: OpenAPI,
        hit: Hit,
        rel: tuple[str | int, ...],
        path: tuple[str | int, ...],
        message: str,
    ) -> Result | None:
        rule = self.rule
        if path and path[0] == "#":
            node = Node(api.data, api.root, ())
            steps: tuple[str | int, ...] = path[1:]
        else:
            node = hit.node
            steps = (*rel, *path)
            if hit.is_key and steps:
                node = Node(None, hit.node.doc, hit.node.ptr)
        property_name: Any = hit.path[-1] if hit.path and not steps else ""
        # Where a $ref with sibling members (description next to $ref) that led to ``node`` is
        # written: a member missing from the object it names is reported there, as Spectral does.
        ref_site: Node | None = None
        if hit.parent is not None and hit.path and not hit.is_key and rule.resolved:
            written = hit.parent.node.child(hit.path[-1])
            if _ref_with_siblings(written, node):
                ref_site = written
        for key in steps:
            value = node.value
            if isinstance(value, list) and isinstance(key, str) and key.isdigit():
                key = int(key)
            exists = (isinstance(value, dict) and isinstance(key, str) and key in value) or (
                isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value)
            )
            property_name = key
            if not exists:
                if ref_site is None:
                    break
                if isinstance(ref_site.value, dict) and key in ref_site.value:
                    node, ref_site = ref_site.child(key), None  # written next to the $ref
                    continue
                node = ref_site
                break
            written = node.child(key)
            node = self._step(node, key, api)
            ref_site = written if _ref_with_siblings(written, node) else None
        severity = rule.severity
        overridden = False
        closest = -1
        for regex, pointer, override in rule.overrides:
            here = encode(node.ptr)
            if (
                _file_matches(regex, node.doc.path)
                and len(pointer) >= closest
                and (not pointer or here == pointer or here.startswith(pointer + "/"))
            ):
                severity, overridden, closest = override, True, len(pointer)
        if severity is None:
            return None
        text = _fill(message, property_name, node.value)
        if rule.message is not None:
            text = _template(rule.message, text, property_name, node, rule)
        elif rule.description:
            text = rule.description
        return Result(text.strip(), node.doc, node.ptr, None, severity if overridden else None)


def _ref_with_siblings(written: Node, followed: Node) -> bool:
    value = written.value
    moved = written.ptr != followed.ptr or written.doc is not followed.doc
    return moved and isinstance(value, dict) and len(value) > 1


def _file_matches(regex: Any, path: Path | None) -> bool:
    if path is None:
        return False
    pattern, anywhere = regex
    absolute = Path(os.path.abspath(path)).as_posix()
    return bool(pattern.match(absolute) or (anywhere and pattern.match(Path(absolute).name)))


class _SubDocument:
    """A relative JSONPath (a ``then.field`` starting with ``$``) evaluated from one node."""

    def __init__(self, api: OpenAPI, node: Node, resolved: bool) -> None:
        self.api = api
        self.node = node
        self.resolved = resolved

    def query(self, text: str) -> list[Hit]:
        from apilint.lint.jsonpath import _Walker

        walker = _Walker(self.api, self.resolved)
        hits = [Hit(self.node, ())]
        for step in compile_path(text):
            if step.special or step.recursive:
                hits = [h for hit in walker.descendants(hits) for h in walker.select(step, hit)]
            else:
                hits = [h for hit in hits for h in walker.select(step, hit)]
        return hits


def is_field_path(field_name: str) -> bool:
    """A ``then.field`` that is a JSONPath (``$.a.b``, ``$..x``), not a name like ``$ref``."""
    return field_name == "$" or field_name.startswith(("$.", "$["))


def _lodash_path(text: str) -> list[str | int]:
    out: list[str | int] = []
    for part in text.replace("]", "").replace("[", ".").split("."):
        if part:
            out.append(part.strip("'\""))
    return out


def _deep_later(node: Node, api: OpenAPI, resolved: bool) -> Callable[[], Any]:
    return lambda: _deep(node, api, resolved)


def _deep(node: Node, api: OpenAPI, resolved: bool, depth: int = 0) -> Any:
    """The value at ``node`` with every $ref inside followed (a $ref that loops stays as is)."""
    seen: set[tuple[int, tuple[str | int, ...]]] = set()

    def walk(current: Node, level: int) -> Any:
        if resolved:
            followed = api.resolve(current)
            target = (id(followed.doc), followed.ptr)
            if (followed is not current and target in seen) or level > 200:
                return current.value
            current = followed
            seen.add(target)
        value = current.value
        try:
            if isinstance(value, dict):
                return {k: walk(current.child(k), level + 1) for k in value}
            if isinstance(value, list):
                return [walk(current.child(i), level + 1) for i in range(len(value))]
            return value
        finally:
            if resolved:
                seen.discard((id(current.doc), current.ptr))

    return walk(node, depth)


def referenced_pointers(api: OpenAPI) -> frozenset[str]:
    """Every local ``$ref`` (``#/components/schemas/Pet``) the root document contains."""
    found: set[str] = set()
    stack: list[Any] = [api.data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                found.add(ref)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return frozenset(found)


def _print(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (dict, list)):
        return "Object{}" if isinstance(value, dict) else "Array[]"
    if value is MISSING:
        return "undefined"
    return json.dumps(value)


def _fill(message: str, property_name: Any, value: Any) -> str:
    shown = f'"{property_name}" property ' if property_name not in ("", None) else ""
    return message.replace('#{{print("property")}}', shown).replace(
        '#{{print("value")}}', _print(value)
    )


def _template(template: str, error: str, property_name: Any, node: Node, rule: SpectralRule) -> str:
    import re

    value = node.value
    values = {
        "error": error,
        "property": str(property_name),
        "path": encode(node.ptr),
        "description": rule.description or "",
        "value": value if isinstance(value, str) else _print(value),
    }
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: str(values.get(m.group(1), "")), template)


__all__ = [
    "SPECTRAL_NAMES",
    "SPECTRAL_OAS",
    "LoadedRuleset",
    "SpectralRule",
    "SpectralRunner",
    "decode",
    "is_spectral_ruleset",
    "load_spectral_ruleset",
]


def add_spectral_ruleset(
    ruleset: Any,
    location: Path | str,
    severities: dict[str, Severity | None],
    notes: list[str],
    *,
    allow_remote: bool = False,
) -> None:
    """Add a Spectral ruleset's rules to an apilint :class:`~apilint.lint.rulesets.Ruleset`: its own
    rules run as they do in Spectral; spectral:oas ids become aliases of apilint's rules for the
    same problem, their severities (and ``off``) applied to those."""
    loaded = load_spectral_ruleset(location, allow_remote=allow_remote)
    notes.extend(loaded.notes)
    mapped: dict[str, list[SpectralRule]] = {}
    for rule in loaded.rules.values():
        if rule.builtin is not None:
            if rule.builtin:
                mapped.setdefault(rule.builtin, []).append(rule)
            continue
        if rule.javascript and not rule.then:
            continue
        # Off by Spectral's merging (recommended: false, [ruleset, off]): like apilint's
        # recommended: false, it runs when selected explicitly. Off by severity: off.
        severity = rule.severity
        if severity is None and rule.overrides:
            severity = Severity.WARNING  # the overrides set each finding's severity
        if rule.name in ruleset.rules:
            old = ruleset.rules.pop(rule.name)
            ruleset.families.get(old.family, []).remove(rule.name)
            notes.append(f"{loaded.source}: rule '{rule.name}' replaces apilint's rule of that id")
        ruleset.aliases.pop(rule.name, None)
        ruleset.add(
            Rule(
                id=rule.name,
                severity=severity,
                description=(rule.description or "").strip(),
                given=(),
                then=(),
                formats=rule.formats,
                recommended=rule.enabled or bool(rule.overrides),
                family="spectral",
                source=str(rule.owner),
                spectral=SpectralRunner(rule),
                documentation_url=rule.documentation_url or "",
            )
        )
    for apilint_id, rules in mapped.items():
        if apilint_id not in ruleset.rules:
            continue
        for rule in rules:
            if rule.name not in ruleset.rules:
                ruleset.aliases[rule.name] = apilint_id
        if not any(r.enabled for r in rules):
            severities[apilint_id] = None
            continue
        chosen = [r.severity for r in rules if r.enabled and r.explicit and r.severity is not None]
        if chosen:
            severities[apilint_id] = max(chosen)
