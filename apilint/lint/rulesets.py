"""Rulesets: rules as declarative data, in the shape of Spectral's rulesets.

A ruleset file is YAML::

    rules:
      trailing-slash-consistency:
        description: Paths agree on whether they end with a slash.
        severity: warning            # error | warning | info | off (Spectral's warn/hint accepted)
        given: paths                 # a named target, a JSONPath, or a list of them
        then:                        # one step or a list of steps
          function: trailing_slash   # a registered check function
          functionOptions: {policy: consistent}
          field: name                # optional: apply to this member of each target
        message: "{{error}}"         # optional template: {{error}} {{property}} {{value}} {{path}}
        formats: [oas3]              # optional: oas2, oas3, oas3.0, oas3.1
        recommended: true            # on unless selected explicitly when false
        aliases: [old-rule-id]       # former ids that still select this rule
        docs: {what: ..., why: ..., bad: ..., good: ..., fix: ...}

User rulesets use the same format, may ``extends:`` other ruleset files, may load Python check
functions with ``functions: [./my_checks.py]``, and may set a built-in rule's severity with the
shorthand ``rule-id: warning`` (or ``off``).

The built-in rulesets live in the repository's top-level ``rules/`` directory; the wheel carries
them as ``apilint/builtin_rules``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import marshal
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from apilint import __version__
from apilint.core.errors import ConfigError
from apilint.core.findings import Severity
from apilint.documents.openapi import TARGETS
from apilint.lint import checks
from apilint.reports import RuleInfo

RULE_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
FORMATS = frozenset({"oas2", "oas3", "oas3.0", "oas3.1", "oas3.2"})
RULE_KEYS = frozenset(
    {
        "description",
        "message",
        "severity",
        "given",
        "then",
        "formats",
        "recommended",
        "aliases",
        "docs",
        "resolved",
        "documentationUrl",
    }
)
THEN_KEYS = frozenset({"function", "functionOptions", "field"})
DOC_KEYS = frozenset({"what", "why", "bad", "good", "fix"})
RULESET_KEYS = frozenset(
    {"description", "rules", "extends", "functions", "formats", "documentationUrl"}
)


def builtin_rules_dir() -> Path:
    """Where the built-in rulesets are: inside the installed wheel, or the source checkout."""
    here = Path(__file__).resolve().parent.parent  # the apilint package
    for candidate in (here / "builtin_rules", here.parent / "rules"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    raise ConfigError(
        "the built-in rulesets are missing from this installation "
        f"(looked in {here / 'builtin_rules'} and {here.parent / 'rules'})"
    )


@dataclass(frozen=True, slots=True)
class Then:
    function: str
    field: str | None = None
    options: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RuleDocs:
    what: str = ""
    why: str = ""
    bad: str = ""
    good: str = ""
    fix: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity | None  # None: off
    description: str
    given: tuple[str, ...]
    then: tuple[Then, ...]
    message: str = "{{error}}"
    formats: frozenset[str] | None = None
    recommended: bool = True
    aliases: tuple[str, ...] = ()
    docs: RuleDocs = RuleDocs()
    family: str = ""
    source: str = ""
    builtin: bool = False
    command: str = "lint"
    """The command that reports this rule: lint (run by the engine), contract or traffic (their
    findings come from the contract runner or the log analysis; the ruleset carries their docs)."""
    resolved: bool = True
    """False: JSONPath givens see the document as written ($refs not followed)."""
    documentation_url: str = ""
    spectral: Any = None
    """For a rule read from a Spectral ruleset: its runner (apilint.lint.spectral.SpectralRunner),
    which selects targets and calls Spectral's functions itself."""

    def applies_to(self, formats: frozenset[str]) -> bool:
        return self.formats is None or bool(self.formats & formats)

    def info(self, severity: str | None = None) -> RuleInfo:
        """What reports say about this rule; ``severity`` overrides its default."""
        default = self.severity.label if self.severity is not None else "off"
        return RuleInfo(
            self.id,
            self.description,
            severity or default,
            self.docs.why,
            what=self.docs.what,
            fix=self.docs.fix,
            bad=self.docs.bad,
            good=self.docs.good,
            family=self.family,
        )


@dataclass
class Ruleset:
    """Rules by id, plus alias lookup and the files they came from."""

    rules: dict[str, Rule] = dataclasses.field(default_factory=dict)
    aliases: dict[str, str] = dataclasses.field(default_factory=dict)
    families: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    sources: list[Path] = dataclasses.field(default_factory=list)
    """The user's files read to build it (ruleset files, check modules), for the lint cache."""

    def add(self, rule: Rule) -> None:
        existing = self.rules.get(rule.id)
        if existing is not None:
            raise ConfigError(
                f"{rule.source}: rule '{rule.id}' is already defined in {existing.source}; "
                f"to change it, use '{rule.id}: <severity>' or the config's 'rules:' section"
            )
        self.rules[rule.id] = rule
        self.families.setdefault(rule.family, []).append(rule.id)
        for alias in rule.aliases:
            self.aliases[alias] = rule.id

    def canonical(self, rule_id: str) -> str | None:
        if rule_id in self.rules:
            return rule_id
        return self.aliases.get(rule_id)

    def expand(self, selector: str) -> list[str] | None:
        """Rule ids a selector names: a rule id, an alias, a family (ruleset file name) or
        'all'; None when it names nothing."""
        if selector == "all":
            return list(self.rules)
        rule_id = self.canonical(selector)
        if rule_id is not None:
            return [rule_id]
        if selector in self.families:
            return list(self.families[selector])
        return None

    def copy(self) -> Ruleset:
        return Ruleset(
            dict(self.rules),
            dict(self.aliases),
            {k: list(v) for k, v in self.families.items()},
            list(self.sources),
        )


def parse_severity(
    value: Any, where: str, accepted: str = "error, warning, info or off"
) -> Severity | None:
    """A severity as a ruleset writes it (None: off); ``accepted`` names what the format
    allows, for the error (Spectral's also takes 0-3, warn and hint)."""
    if isinstance(value, bool) or value is None:
        raise ConfigError(f"{where}: severity must be {accepted}, not {value!r}")
    text = str(value).strip().lower()
    if text in ("off", "-1"):
        return None
    try:
        return Severity.parse(text)
    except ValueError:
        raise ConfigError(f"{where}: severity must be {accepted}, not {value!r}") from None


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{where}: must be a string or a list of strings")


def validate_given(given: str, where: str) -> None:
    if given in TARGETS:
        return
    if given.startswith("$"):
        from apilint.lint.jsonpath import compile_path

        compile_path(given, where)
        return
    raise ConfigError(
        f"{where}: given {given!r} is neither a named target ({', '.join(TARGETS)}) "
        "nor a JSONPath starting with '$'"
    )


def _parse_docs(spec: dict[str, Any], where: str) -> RuleDocs:
    docs = spec.get("docs") or {}
    if isinstance(docs, dict) and "options" in docs:
        raise ConfigError(
            f"{where}: 'docs.options' is not read: an option's documentation is the help its "
            "check function declares"
        )
    if not isinstance(docs, dict) or set(docs) - DOC_KEYS:
        raise ConfigError(f"{where}: 'docs' takes {', '.join(sorted(DOC_KEYS))}")
    return RuleDocs(**{k: str(v).strip() for k, v in docs.items() if k != "options"})


def parse_rule(
    rule_id: str,
    spec: Any,
    *,
    family: str,
    source: str,
    builtin: bool,
    command: str = "lint",
    default_formats: frozenset[str] | None = None,
    documentation_base: str = "",
) -> Rule:
    where = f"{source}: rule '{rule_id}'"
    if not RULE_ID.match(rule_id):
        raise ConfigError(f"{where}: rule ids are kebab-case slugs like 'path-verb'")
    if not isinstance(spec, dict):
        raise ConfigError(f"{where}: a rule definition must be a mapping")
    unknown = set(spec) - RULE_KEYS
    if unknown:
        raise ConfigError(
            f"{where}: unknown key '{sorted(unknown)[0]}' (known: {', '.join(sorted(RULE_KEYS))})"
        )
    if command != "lint":
        return _documented_rule(rule_id, spec, family=family, source=source, command=command)
    for required in ("given", "then"):
        if required not in spec:
            raise ConfigError(f"{where}: '{required}' is required")
    given = _string_list(spec["given"], f"{where} given")
    for item in given:
        validate_given(item, where)
    raw_then = spec["then"]
    steps = raw_then if isinstance(raw_then, list) else [raw_then]
    then: list[Then] = []
    for step in steps:
        if not isinstance(step, dict):
            raise ConfigError(f"{where}: 'then' must be a mapping or a list of mappings")
        unknown = set(step) - THEN_KEYS
        if unknown:
            raise ConfigError(f"{where}: unknown key '{sorted(unknown)[0]}' in 'then'")
        name = step.get("function")
        if not isinstance(name, str):
            raise ConfigError(f"{where}: 'then.function' must name a check function")
        function = checks.get(name)
        if function is None:
            known = ", ".join(sorted(checks.all_functions()))
            raise ConfigError(f"{where}: unknown check function '{name}' (known: {known})")
        options = function.validate_options(step.get("functionOptions"), where)
        field_name = step.get("field")
        if field_name is not None and not isinstance(field_name, str):
            raise ConfigError(f"{where}: 'then.field' must be a string")
        then.append(Then(name, field_name, options))
    severity = parse_severity(spec.get("severity", "warning"), where)
    formats = default_formats
    if "formats" in spec:
        formats = parse_formats(spec["formats"], where)
    resolved = spec.get("resolved", True)
    if not isinstance(resolved, bool):
        raise ConfigError(f"{where}: 'resolved' must be true or false")
    if not resolved and any(g in TARGETS for g in given):
        raise ConfigError(
            f"{where}: 'resolved: false' needs JSONPath givens; named targets always follow $refs"
        )
    documentation_url = spec.get("documentationUrl", "")
    if not isinstance(documentation_url, str):
        raise ConfigError(f"{where}: 'documentationUrl' must be a string")
    if not documentation_url and documentation_base:
        documentation_url = f"{documentation_base}#{rule_id}"
    docs = _parse_docs(spec, where)
    description = spec.get("description", "")
    message = spec.get("message", "{{error}}")
    if not isinstance(description, str) or not isinstance(message, str):
        raise ConfigError(f"{where}: 'description' and 'message' must be strings")
    recommended = spec.get("recommended", True)
    if not isinstance(recommended, bool):
        raise ConfigError(f"{where}: 'recommended' must be true or false")
    aliases = _string_list(spec.get("aliases", []), f"{where} aliases")
    return Rule(
        id=rule_id,
        severity=severity,
        description=description.strip(),
        given=given,
        then=tuple(then),
        message=message,
        formats=formats,
        recommended=recommended,
        aliases=aliases,
        docs=docs,
        family=family,
        source=source,
        builtin=builtin,
        resolved=resolved,
        documentation_url=documentation_url,
    )


def parse_formats(value: Any, where: str) -> frozenset[str]:
    formats = frozenset(_string_list(value, f"{where} formats"))
    if formats - FORMATS:
        raise ConfigError(f"{where}: unknown format '{sorted(formats - FORMATS)[0]}'")
    return formats


def _read_yaml(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{what} not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{what} {path} cannot be read: {exc}") from None
    import yaml  # here: a run whose rules come from the parsed cache never imports it

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}{where}: invalid YAML in {what}: {problem}") from None


def _documented_rule(
    rule_id: str, spec: dict[str, Any], *, family: str, source: str, command: str
) -> Rule:
    """A rule another command reports (contract, traffic): documentation and severity only."""
    where = f"{source}: rule '{rule_id}'"
    if "given" in spec or "then" in spec:
        raise ConfigError(f"{where}: rules of the '{command}' command have no given/then")
    return Rule(
        id=rule_id,
        severity=parse_severity(spec.get("severity", "warning"), where),
        description=str(spec.get("description", "")).strip(),
        given=(),
        then=(),
        docs=_parse_docs(spec, where),
        family=family,
        source=source,
        builtin=True,
        command=command,
    )


COMMANDS = ("lint", "contract", "traffic", "diff")


_PARSED_CACHE = f"rules.{sys.implementation.cache_tag}.marshal"


def _builtin_rule_files() -> list[tuple[Path, Any]]:
    """Each built-in ruleset file with its parsed data, in name order.

    The parsed data is kept beside the files, the way Python keeps bytecode beside modules
    (``__pycache__/rules.<tag>.marshal``), keyed by apilint's version and each file's name,
    size and modification time: a run then skips the YAML parser (and importing it at all,
    for a JSON description). A cache that is missing, stale, unreadable or corrupt is
    ignored and rewritten when the folder is writable; when it is not, the files are parsed
    every time. This is not the results cache: ``--no-cache`` does not concern it."""
    directory = builtin_rules_dir()
    paths = sorted(directory.glob("*.yaml"))
    stamp: list[Any] = [__version__]
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            stamp = []  # unreadable: the parse below says how
            break
        stamp.append((path.name, info.st_size, info.st_mtime_ns))
    cache = directory / "__pycache__" / _PARSED_CACHE
    if stamp:
        try:
            saved = marshal.loads(cache.read_bytes())
            if type(saved) is tuple and len(saved) == 2 and saved[0] == stamp:
                return [(directory / name, data) for name, data in saved[1]]
        except (OSError, ValueError, EOFError, TypeError):
            pass  # none yet, or corrupt: parse
    parsed = [(path, _read_yaml(path, "built-in ruleset")) for path in paths]
    if stamp:
        _save_parsed(cache, (stamp, [(path.name, data) for path, data in parsed]))
    return parsed


def _save_parsed(target: Path, value: Any) -> None:
    """Write the parsed rulesets atomically; quietly do nothing where that is impossible (a
    read-only installation, data marshal cannot hold)."""
    import tempfile  # here: only the run that writes the cache needs it

    try:
        data = marshal.dumps(value)
        target.parent.mkdir(exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    except (OSError, ValueError):
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


@cache
def _builtin_rules() -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for path, data in _builtin_rule_files():
        if not isinstance(data, dict) or not isinstance(data.get("rules"), dict):
            raise ConfigError(f"{path}: a ruleset needs a 'rules' mapping")
        command = data.get("command", "lint")
        if command not in COMMANDS:
            raise ConfigError(f"{path}: command must be one of {', '.join(COMMANDS)}")
        for rule_id, spec in data["rules"].items():
            rules.append(
                parse_rule(
                    str(rule_id),
                    spec,
                    family=path.stem,
                    source=f"rules/{path.name}",
                    builtin=True,
                    command=command,
                )
            )
    return tuple(rules)


@cache
def builtin_ruleset() -> Ruleset:
    """The built-in rules that ``apilint lint`` runs."""
    ruleset = Ruleset()
    for rule in _builtin_rules():
        if rule.command == "lint":
            ruleset.add(rule)
    return ruleset


def command_rules(command: str) -> dict[str, Rule]:
    """The built-in rules a command reports, by id (their docs, severities and families)."""
    return {rule.id: rule for rule in _builtin_rules() if rule.command == command}


def other_command_rules() -> frozenset[str]:
    """Ids of the rules that commands other than lint report."""
    return frozenset(rule.id for rule in _builtin_rules() if rule.command != "lint")


def all_builtin_rules() -> list[Rule]:
    """Every built-in rule of every command (for ``apilint rules`` and documentation)."""
    return list(_builtin_rules())


def _load_functions(paths: Any, base: Path, where: str, read: list[Path]) -> None:
    for item in _string_list(paths, f"{where} functions"):
        module_path = (base / item).resolve()
        if not module_path.is_file():
            raise ConfigError(f"{where}: functions module not found: {module_path}")
        read.append(module_path)
        name = f"apilint_user_checks_{abs(hash(str(module_path)))}"
        if name in sys.modules:
            continue
        import importlib.util

        spec = importlib.util.spec_from_file_location(name, module_path)
        if spec is None or spec.loader is None:
            raise ConfigError(f"{where}: cannot import {module_path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except SystemExit as exc:  # a user's module must not end apilint's run
            del sys.modules[name]
            raise ConfigError(
                f"{where}: importing {module_path} failed: it called sys.exit({exc.code!r})"
            ) from None
        except Exception as exc:  # a user's module: report, don't crash
            del sys.modules[name]
            raise ConfigError(f"{where}: importing {module_path} failed: {exc}") from None


def extend_ruleset(
    ruleset: Ruleset,
    path: Path,
    severities: dict[str, Severity | None],
    _seen: tuple[Path, ...] = (),
    *,
    notes: list[str] | None = None,
    allow_remote: bool = False,
    spectral: bool = False,
) -> None:
    """Add the rules of a user ruleset file (and what it extends) to ``ruleset``; shorthand
    severity entries go to ``severities``. A ruleset in Spectral's format (``spectral`` true,
    or recognised by :func:`apilint.lint.spectral.is_spectral_ruleset`) is read as Spectral
    reads it."""
    from apilint.lint.spectral import add_spectral_ruleset, is_spectral_ruleset

    path = path.resolve()
    if path in _seen:
        raise ConfigError(f"ruleset {path} extends itself (through {' -> '.join(map(str, _seen))})")
    ruleset.sources.append(path)
    if spectral or path.suffix in (".json", ".js", ".mjs", ".cjs", ".ts"):
        data = None
    else:
        data = _read_yaml(path, "ruleset")
    if data is None or is_spectral_ruleset(path, data):
        add_spectral_ruleset(
            ruleset, path, severities, notes if notes is not None else [], allow_remote=allow_remote
        )
        return
    where = str(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: a ruleset must be a mapping with a 'rules' key")
    unknown = set(data) - RULESET_KEYS
    if unknown:
        known = ", ".join(sorted(RULESET_KEYS))
        raise ConfigError(f"{where}: unknown key '{sorted(unknown)[0]}' (known: {known})")
    for parent in _string_list(data.get("extends", []), f"{where} extends"):
        if parent.startswith("apilint:"):
            raise ConfigError(
                f"{where}: extends '{parent}': apilint's built-in rules are always loaded; "
                "choose among them with select/ignore"
            )
        extend_ruleset(
            ruleset,
            path.parent / parent,
            severities,
            (*_seen, path),
            notes=notes,
            allow_remote=allow_remote,
        )
    default_formats = parse_formats(data["formats"], where) if "formats" in data else None
    documentation_base = data.get("documentationUrl", "")
    if not isinstance(documentation_base, str):
        raise ConfigError(f"{where}: 'documentationUrl' must be a string")
    if "functions" in data:
        _load_functions(data["functions"], path.parent, where, ruleset.sources)
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(f"{where}: 'rules' must be a mapping")
    for rule_id, spec in rules.items():
        rule_id = str(rule_id)
        if isinstance(spec, (str, bool)) or spec is None:
            target = ruleset.canonical(rule_id)
            if target is None:
                raise ConfigError(f"{where}: unknown rule '{rule_id}'")
            severities[target] = parse_severity(spec, f"{where}: rule '{rule_id}'")
            continue
        ruleset.add(
            parse_rule(
                rule_id,
                spec,
                family=path.stem,
                source=where,
                builtin=False,
                default_formats=default_formats,
                documentation_base=documentation_base,
            )
        )
