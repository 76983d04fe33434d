"""The rule engine: which rules run, on what, and how their results become findings.

Per document: load once, check every $ref once, build the OpenAPI view lazily, run each active
rule's check functions on the targets its ``given`` names, then, for all results at once: apply
inline suppressions (``x-apilint-ignore``) and per-path overrides, drop duplicates, map pointers to
lines and columns (only for what is reported), and sort.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from apilint.core.errors import ApilintError, ConfigError
from apilint.core.findings import Finding, Severity
from apilint.core.globs import file_glob, glob_regex
from apilint.core.pointer import encode
from apilint.documents.loader import Document, LoadOptions, display_name, load_document
from apilint.documents.openapi import MISSING, TARGETS, Node, OpenAPI, Result
from apilint.documents.refs import Resolver
from apilint.http.methods import wire_name
from apilint.lint import checks
from apilint.lint.checks import CHEAP, SHARED, CheckFunction, Context
from apilint.lint.ignores import SUPPRESS_KEY, entries_along
from apilint.lint.results import FileOutcome, LintResult, collect
from apilint.lint.rulesets import (
    Rule,
    builtin_ruleset,
    extend_ruleset,
    other_command_rules,
    parse_severity,
)
from apilint.lint.split import FAILED, WorkQueue, can_fork, partition, run_beside
from apilint.settings.config import Config, Override, limits

if TYPE_CHECKING:
    from apilint.lint.cache import Cache
    from apilint.reports import RuleInfo

SHARE_SAVING = 0.03
"""Seconds a second process must be estimated to save (by the checks' estimates) before a
description's rules are shared with one: the fork, and the pages both processes then copy, cost
about that much."""

_ChildResult = tuple[list[int], list[Finding], set[Any], set[Any]]
"""What the forked process sends back: the rules it took, their findings, the suppressions they
used and the documents it had read."""


class InternalError(ApilintError):
    """A check function raised: a bug in apilint (or in a user's check function)."""


@dataclass(frozen=True)
class Step:
    function: CheckFunction
    field: str | None
    options: dict[str, Any]


@dataclass(frozen=True)
class ActiveRule:
    rule: Rule
    severity: Severity
    steps: tuple[Step, ...]
    configured: bool = False
    """The severity was chosen by the user (config or command line), not the rule's default: a
    check's lower severity for a milder case of the rule no longer applies."""

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def reads_suppressions(self) -> bool:
        return any(step.function.reads_suppressions for step in self.steps)

    def cost(self, api: OpenAPI) -> float:
        """Its check functions' estimate of the seconds it takes on ``api``."""
        return sum(s.function.cost(api) for s in self.steps if s.function.cost is not None)

    @property
    def uses(self) -> frozenset[str]:
        """The shared derived data its check functions need (checks.SHARED)."""
        return frozenset().union(*(step.function.uses for step in self.steps))


@dataclass
class Suppressions:
    """The ``x-apilint-ignore`` entries of the documents of one lint, and which were used."""

    entries: list[tuple[Document, tuple[str | int, ...], int, str]] = field(default_factory=list)
    used: set[tuple[int, tuple[str | int, ...], str]] = field(default_factory=set)
    known_rules: frozenset[str] = frozenset()
    active_rules: frozenset[str] = frozenset()


class Linter:
    """Lints OpenAPI documents with the built-in rules, the user's rulesets and config."""

    def __init__(
        self,
        config: Config | None = None,
        *,
        select: Sequence[str] | None = None,
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        load_options: LoadOptions | None = None,
        allow_remote_refs: bool | None = None,
        ref_root: Path | None = None,
    ) -> None:
        self.config = config or Config()
        ruleset = builtin_ruleset().copy()
        severities: dict[str, Severity | None] = {}
        self.allow_remote_refs = (
            self.config.allow_remote_refs if allow_remote_refs is None else allow_remote_refs
        )
        self.notes: list[str] = []
        """Notes about the rulesets (rules that cannot run here), for the user once per run."""
        for path in self.config.extends:
            if not path.is_file():
                source = self.config.source or "the configuration"
                raise ConfigError(f"{source}: extends: ruleset not found: {path}")
            extend_ruleset(
                ruleset, path, severities, notes=self.notes, allow_remote=self.allow_remote_refs
            )
        for path in self.config.spectral_rulesets:
            extend_ruleset(
                ruleset,
                path,
                severities,
                notes=self.notes,
                allow_remote=self.allow_remote_refs,
                spectral=True,
            )
        self.ruleset = ruleset
        self.load_options = load_options or limits(self.config)
        self.ref_root = ref_root or self.config.ref_root
        self.cache: Cache | None = None
        """Where lint_one keeps and finds results of unchanged files (None: no cache)."""
        self.split_rules = False
        """Share a big description's rules with a second, forked process (the CLI sets it when
        it may use two processes and lints in this one)."""
        self.rules = self._activate(select, extend_select, ignore, severities)
        self._overrides = [
            (
                o,
                [glob_regex(p) for p in o.paths],
                [file_glob(f) for f in o.files],
                self._override_severities(o),
            )
            for o in self.config.overrides
        ]
        # The rules that judge suppressions themselves: "all" does not silence them.
        self._housekeeping = frozenset(r.id for r in self.rules if r.reads_suppressions)

    def rule_infos(self) -> dict[str, RuleInfo]:
        """What reports say about the rules this linter runs, by id."""
        return {r.id: r.rule.info(r.severity.label) for r in self.rules}

    # -- which rules run ----------------------------------------------------------------------

    def _expand(self, selectors: Iterable[str], where: str) -> list[str]:
        out: list[str] = []
        for selector in selectors:
            ids = self.ruleset.expand(selector)
            if ids is None:
                raise ConfigError(
                    f"unknown rule or ruleset '{selector}' in {where} "
                    "(see 'apilint rules' for the list)"
                )
            out.extend(ids)
        return out

    def _activate(
        self,
        select: Sequence[str] | None,
        extend_select: Sequence[str],
        ignore: Sequence[str],
        severities: dict[str, Severity | None],
    ) -> list[ActiveRule]:
        config = self.config
        source = str(config.source) if config.source else "the configuration"
        explicit: set[str] = set()
        if select is not None:
            chosen = self._expand(select, "--select")
            explicit.update(chosen)
        elif config.select is not None:
            chosen = self._expand(config.select, f"{source} select")
            explicit.update(chosen)
        else:
            chosen = [rid for rid, rule in self.ruleset.rules.items() if rule.recommended]
        extra = self._expand(config.extend_select, f"{source} extend-select") + self._expand(
            extend_select, "--extend-select"
        )
        explicit.update(extra)
        # The config is shared by every command: ids of contract and traffic rules are valid in
        # its 'ignore' and 'rules' sections and mean nothing to lint.
        others = other_command_rules()
        config_ignore = [r for r in config.ignore if r not in others]
        dropped = set(self._expand(config_ignore, f"{source} ignore")) | set(
            self._expand(ignore, "--ignore")
        )
        wanted = [rid for rid in dict.fromkeys([*chosen, *extra]) if rid not in dropped]
        for rule_id in config.rules:
            if self.ruleset.canonical(rule_id) is None and rule_id not in others:
                raise ConfigError(f"{source}: unknown rule '{rule_id}' in 'rules'")
        active: list[ActiveRule] = []
        for rule_id in wanted:
            rule = self.ruleset.rules[rule_id]
            setting = config.rules.get(rule_id)
            if setting is None:
                setting = next((config.rules[a] for a in rule.aliases if a in config.rules), None)
            severity = severities.get(rule_id, rule.severity)
            configured = rule_id in severities or (
                setting is not None and setting.severity is not None
            )
            if setting is not None and setting.severity is not None:
                severity = parse_severity(setting.severity, f"{source}: rules.{rule_id}")
            if severity is None:
                if rule_id not in explicit or (setting is not None and setting.severity == "off"):
                    continue
                severity = Severity.WARNING
            steps = []
            unused_options = set(setting.options) if setting is not None else set()
            for then in rule.then:
                function = checks.get(then.function)
                if function is None:  # parse_rule checked this already
                    raise ConfigError(f"rule '{rule_id}': unknown function '{then.function}'")
                options = dict(then.options)
                if setting is not None and setting.options:
                    mine = {k: v for k, v in setting.options.items() if k in function.options}
                    unused_options -= set(mine)
                    options.update(
                        function.validate_options(mine, f"{source}: rules.{rule_id}.options")
                    )
                steps.append(Step(function, then.field, options))
            if unused_options:
                name = sorted(unused_options)[0]
                raise ConfigError(f"{source}: rules.{rule_id}.options: rule has no option '{name}'")
            active.append(ActiveRule(rule, severity, tuple(steps), configured))
        # The unused-suppression check reads what the others suppressed, so it runs last.
        active.sort(key=lambda r: r.reads_suppressions)
        return active

    def _override_severities(self, override: Override) -> dict[str, Severity | None]:
        out: dict[str, Severity | None] = {}
        for rule_id, setting in override.rules.items():
            canonical = self.ruleset.canonical(rule_id)
            if canonical is None:
                raise ConfigError(f"{self.config.source}: unknown rule '{rule_id}' in overrides")
            if setting.options:
                raise ConfigError(
                    f"{self.config.source}: overrides can change a rule's severity, "
                    f"not its options ('{rule_id}')"
                )
            out[canonical] = parse_severity(setting.severity or "warning", f"overrides: {rule_id}")
        for rule_id in override.ignore:
            for canonical in self._expand([rule_id], "overrides ignore"):
                out[canonical] = None
        return out

    # -- linting ------------------------------------------------------------------------------

    def lint(self, paths: Iterable[Path | str]) -> LintResult:
        """Lint files (directories must already be expanded); errors are collected per file."""
        return collect([(str(path), lint_one(self, str(path))) for path in paths])

    def lint_file(
        self, path: Path | str, *, text: str | None = None, name: str | None = None
    ) -> tuple[list[Finding], list[str]]:
        """Findings and notes for one root document; raises LoadError when it can't be read."""
        doc = load_document(path, text=text, name=name, options=self.load_options)
        return self.lint_document(doc)

    def lint_document(self, doc: Document) -> tuple[list[Finding], list[str]]:
        findings, notes, _ = self.lint_document_sources(doc)
        return findings, notes

    def lint_document_sources(
        self, doc: Document
    ) -> tuple[list[Finding], list[str], list[Path] | None]:
        """Findings and notes, and the other files the description read through $refs (None
        when it read a remote one: then the outcome depends on more than files)."""
        api = OpenAPI.open(
            doc,
            options=self.load_options,
            allow_remote=self.allow_remote_refs,
            ref_root=self.ref_root,
        )
        resolver = api.resolver
        notes: list[str] = []
        formats = api.formats
        suppressions = self._suppressions(resolver)
        skipped = [a.id for a in self.rules if not a.rule.applies_to(formats)]
        runnable = [a for a in self.rules if a.rule.applies_to(formats)]
        findings = self._lint_rules(runnable, api, suppressions)
        if skipped and api.is_v2:
            notes.append(
                f"{doc.name}: Swagger 2.0 — {len(skipped)} rule(s) apply to OpenAPI 3 only and "
                f"were not run: {', '.join(skipped)}"
            )
        if resolver.skipped_remote:
            notes.append(
                f"{doc.name}: {len(resolver.skipped_remote)} remote $ref(s) not fetched "
                "(use --allow-remote-refs to follow them)"
            )
        sources: list[Path] | None = []
        for other in resolver.documents.values():
            if other is doc:
                continue
            if sources is not None and other.path.is_absolute() and other.path.is_file():
                sources.append(other.path)
            else:
                sources = None
        return findings, notes, sources

    def _lint_rules(
        self, rules: list[ActiveRule], api: OpenAPI, suppressions: Suppressions
    ) -> list[Finding]:
        """The findings of ``rules``. With ``split_rules``, a big description's rules are shared
        with a forked process (:mod:`apilint.lint.split`), each finding located where it was
        found; the findings are the same either way."""
        targets_cache: dict[str, list[Node]] = {}

        def run(indexes: list[int]) -> list[tuple[ActiveRule, Result]]:
            raw = []
            for index in indexes:
                active = rules[index]
                for result in self._run_rule(active, api, targets_cache, suppressions):
                    if not self._suppressed(active.id, result, suppressions):
                        raw.append((active, result))
            return raw

        everything = list(range(len(rules)))
        # Rules that judge suppressions run last, here, once the child's uses are known.
        last = [i for i in everything if rules[i].reads_suppressions]
        plan = self._share_plan(rules, [i for i in everything if i not in last], api)
        if plan is None:
            return self._findings(run(everything), api)
        here_first, there_first, cheap, queue = plan
        documents = api.resolver.documents
        known = set(documents)

        def take(first: list[int]) -> tuple[list[int], list[Finding]]:
            """Run ``first``, then cheap rules from the queue until none is left: the rules
            run, and their findings."""
            taken = list(first)
            raw = run(first)
            for number in queue:
                taken.append(cheap[number])
                raw.extend(run([cheap[number]]))
            return taken, self._findings(raw, api)

        def in_child() -> _ChildResult:
            taken, found = take(there_first)
            return taken, found, suppressions.used, set(documents)

        try:
            (mine, here), sent = run_beside(in_child, lambda: take(here_first))
        finally:
            queue.close()
        shared = [*here_first, *there_first, *cheap]
        theirs: list[Finding] | None = None
        if sent is not FAILED:
            taken, found, used, read = cast("_ChildResult", sent)
            # The child read a file this process has not (its cache key would miss it), or did
            # not run what this one left: its results are not used.
            if read <= known and sorted([*mine, *taken]) == sorted(shared):
                theirs = found
                suppressions.used |= used
        if theirs is None:
            left = set(shared).difference(mine)
            theirs = self._findings(run([i for i in everything if i in left]), api)
        # Sorting by (file, line, column, rule, message) puts them as one process does: two
        # findings of different rules never compare equal.
        return sorted([*here, *theirs, *self._findings(run(last), api)], key=Finding.sort_key)

    def _share_plan(
        self, rules: list[ActiveRule], indexes: list[int], api: OpenAPI
    ) -> tuple[list[int], list[int], list[int], WorkQueue] | None:
        """How to share ``indexes`` with a second process, when that is estimated to save at
        least SHARE_SAVING seconds: the rules this process runs first, those the other runs
        first (by :func:`~apilint.lint.split.partition` of the costly ones), the cheap ones both
        then take, and the queue they take them from. None to run them all here."""
        if not self.split_rules or len(indexes) < 2 or not can_fork():
            return None
        costs = {i: rules[i].cost(api) for i in indexes}
        costly = sorted((i for i in indexes if costs[i] > 0), key=lambda i: -costs[i])[:12]
        if not costly:
            return None
        uses = [rules[i].uses for i in costly]
        needed = frozenset().union(*uses)
        shared = {key: SHARED[key](api) for key in needed if key in SHARED}
        cheap_cost = CHEAP(api)
        alone = sum(costs[i] for i in costly) + sum(shared.values()) + cheap_cost
        here, there, seconds = partition([costs[i] for i in costly], uses, shared, cheap_cost)
        if alone - seconds < SHARE_SAVING:
            return None
        cheap = [i for i in indexes if i not in costly]
        try:
            queue = WorkQueue(len(cheap))
        except OSError:
            return None
        return [costly[k] for k in here], [costly[k] for k in there], cheap, queue

    def _run_rule(
        self,
        active: ActiveRule,
        api: OpenAPI,
        cache: dict[str, list[Node]],
        suppressions: Suppressions,
    ) -> Iterable[Result]:
        if active.rule.spectral is not None:
            yield from self._guarded(active, api, active.rule.spectral.run(api))
            return
        targets: list[Node] = []
        resolved = active.rule.resolved
        for given in active.rule.given:
            key = given if resolved else f"unresolved:{given}"
            if key not in cache:
                if given in TARGETS:
                    cache[key] = api.targets(given)
                else:
                    from apilint.lint.jsonpath import evaluate  # JSONPath: user rulesets only

                    cache[key] = evaluate(given, api, resolved=resolved)
            targets.extend(cache[key])
        for step in active.steps:
            step_targets = targets
            if step.field is not None:
                step_targets = [_field_node(node, step.field) for node in targets]
            ctx = Context(api=api, rule_id=active.id, field=step.field, suppressions=suppressions)
            try:
                for result in step.function.run(step_targets, step.options, ctx):
                    yield _templated(active.rule, result, step)
            except ApilintError:
                raise
            except Exception as exc:  # a bug
                raise _internal_error(f"'{active.id}' ({step.function.name})", exc, api) from exc

    def _guarded(
        self, active: ActiveRule, api: OpenAPI, results: Iterable[Result]
    ) -> Iterable[Result]:
        try:
            yield from results
        except ApilintError:
            raise
        except Exception as exc:  # a bug
            raise _internal_error(f"'{active.id}'", exc, api) from exc

    # -- suppressions and overrides -----------------------------------------------------------

    def _suppressions(self, resolver: Resolver) -> Suppressions:
        found = Suppressions(
            known_rules=frozenset(self.ruleset.rules)
            | frozenset(self.ruleset.aliases)
            | other_command_rules(),  # diff/contract/traffic ids silence their own findings
            active_rules=frozenset(r.id for r in self.rules)
            | frozenset(alias for r in self.rules for alias in r.rule.aliases),
        )
        for doc in resolver.documents.values():
            if SUPPRESS_KEY not in doc.text:
                continue
            stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc.data, ())]
            while stack:
                node, ptr = stack.pop()
                if isinstance(node, dict):
                    entries = node.get(SUPPRESS_KEY)
                    if isinstance(entries, str):
                        entries = [entries]
                    if isinstance(entries, list):
                        for index, entry in enumerate(entries):
                            if isinstance(entry, str):
                                found.entries.append((doc, ptr, index, entry))
                    stack.extend((v, (*ptr, k)) for k, v in node.items() if k != SUPPRESS_KEY)
                elif isinstance(node, list):
                    stack.extend((v, (*ptr, i)) for i, v in enumerate(node))
        return found

    def _suppressed(self, rule_id: str, result: Result, suppressions: Suppressions) -> bool:
        if not suppressions.entries:
            return False
        aliases = {rule_id, *self.ruleset.rules[rule_id].aliases}
        for where, entry in entries_along(result.doc.data, result.ptr):
            if entry in aliases or (entry == "all" and rule_id not in self._housekeeping):
                suppressions.used.add((id(result.doc), where, entry))
                return True
        return False

    def _override(
        self, rule_id: str, severity: Severity, doc: Document, ptr: Any, operation: str | None
    ) -> Severity | None:
        if not self._overrides:
            return severity
        api_path = None
        if operation:
            api_path = operation.split(" ", 1)[1]
        elif len(ptr) >= 2 and ptr[0] == "paths":
            api_path = str(ptr[1])
        names: list[str] | None = None
        for override, patterns, file_patterns, severities in self._overrides:
            if rule_id not in severities:
                continue
            if override.paths and (
                api_path is None or not any(p.match(api_path) for p in patterns)
            ):
                continue
            if override.files:
                names = names or self._file_names(doc)
                if not any(
                    any(p.match(n) for n in (names[-1:] if anywhere else names[:-1]))
                    for p, anywhere in file_patterns
                ):
                    continue
            severity_or_off = severities[rule_id]
            if severity_or_off is None:
                return None
            severity = severity_or_off
        return severity

    def _file_names(self, doc: Document) -> list[str]:
        """What ``overrides.files`` globs match: the file relative to the config file's
        directory, as reported, and absolute; last, its bare name."""
        absolute = Path(os.path.abspath(doc.path))
        names = []
        if self.config.source is not None:
            base = Path(os.path.abspath(self.config.source)).parent
            names.append(Path(os.path.relpath(absolute, base)).as_posix())
        names += [doc.name.replace(os.sep, "/"), absolute.as_posix(), absolute.name]
        return names

    # -- results to findings ------------------------------------------------------------------

    def _findings(self, raw: list[tuple[ActiveRule, Result]], api: OpenAPI) -> list[Finding]:
        seen: set[tuple[str, int, tuple[str | int, ...], str]] = set()
        kept: list[tuple[ActiveRule, Result, Severity]] = []
        for active, result in raw:
            mark = (active.id, id(result.doc), result.ptr, result.message)
            if mark in seen:
                continue
            seen.add(mark)
            operation = result.operation or _operation_at(result, api)
            severity = self._override(active.id, active.severity, result.doc, result.ptr, operation)
            if severity is None:
                continue
            if result.severity is not None and active.rule.spectral is not None:
                severity = result.severity  # a Spectral override for this file or pointer
            elif (
                result.severity is not None
                and not active.configured
                and severity is active.severity
            ):
                # A check may report a milder case of its rule below the rule's default; a
                # severity the user chose (config, command line, a path override) stands.
                severity = min(severity, result.severity)
            kept.append(
                (active, Result(result.message, result.doc, result.ptr, operation), severity)
            )
        by_doc: dict[int, list[Any]] = {}
        docs: dict[int, Document] = {}
        for _, result, _ in kept:
            by_doc.setdefault(id(result.doc), []).append(result.ptr)
            docs[id(result.doc)] = result.doc
        positions = {key: docs[key].locate_many(ptrs) for key, ptrs in by_doc.items()}
        findings = []
        for active, result, severity in kept:
            line, column = positions[id(result.doc)][result.ptr]
            end_line, end_column = result.doc.token_end(line, column)
            findings.append(
                Finding(
                    rule=active.id,
                    severity=severity,
                    message=result.message,
                    file=result.doc.name,
                    line=line,
                    column=column,
                    pointer=encode(result.ptr),
                    operation=result.operation,
                    end_line=end_line,
                    end_column=end_column,
                )
            )
        findings.sort(key=Finding.sort_key)
        return findings


def _internal_error(rule: str, exc: Exception, api: OpenAPI) -> InternalError:
    """A rule that raised: a bug in apilint, said in one line with where it happened (the
    traceback's last frame)."""
    import traceback

    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return InternalError(
        f"internal error: rule {rule} failed: {type(exc).__name__}: {exc} "
        f"[{Path(frame.filename).name}:{frame.lineno}]",
        file=api.root.name,
    )


def _operation_at(result: Result, api: OpenAPI) -> str | None:
    if result.doc is not api.root:
        return None
    at = api.operation_at(result.ptr)
    return f"{wire_name(at[1])} {at[0]}" if at is not None else None


def _field_node(node: Node, name: str) -> Node:
    if name == "@key":
        return Node(
            node.key if node.key is not None else MISSING,
            node.doc,
            node.ptr,
            node.path,
            node.method,
        )
    parts = [p for p in name.split(".") if p] if not name.startswith("/") else name[1:].split("/")
    return node.child(*parts) if parts else node


def _templated(rule: Rule, result: Result, step: Step) -> Result:
    template = rule.message
    if template == "{{error}}":
        return result
    values = {
        "error": result.message,
        "description": rule.description,
        "property": str(result.ptr[-1]) if result.ptr else "",
        "path": encode(result.ptr),
        "value": "",
    }
    try:
        from apilint.core.pointer import lookup

        value = lookup(result.doc.data, result.ptr)
        values["value"] = value if isinstance(value, str) else repr(value)
    except KeyError:
        pass
    message = re.sub(
        r"\{\{\s*(\w+)\s*\}\}", lambda m: str(values.get(m.group(1), m.group(0))), template
    )
    return Result(message, result.doc, result.ptr, result.operation, result.severity)


def lint_one(
    linter: Linter, name: str, text: str | None = None, display: str | None = None
) -> FileOutcome:
    """Lint one file (or ``text`` shown as ``display``), catching its error; a file unchanged
    since the cache saw it is not linted again."""
    cache = linter.cache if text is None else None
    try:
        if cache is None:
            findings, notes = linter.lint_file(Path(name), text=text, name=display)
            return findings, notes, None
        path = Path(os.path.abspath(name))
        shown = display or display_name(path)
        hit = cache.get(path, shown)
        if hit is not None:
            return hit[0], hit[1], None
        doc = load_document(path, name=shown, options=linter.load_options)
        findings, notes, sources = linter.lint_document_sources(doc)
        if sources is not None:
            cache.put(path, shown, findings, notes, sources)
    except ApilintError as exc:
        return [], [], exc
    return findings, notes, None
