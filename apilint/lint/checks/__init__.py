"""The check functions that rules call, and their registry.

A check function is pure: it receives the nodes its rule's ``given`` selected, the rule's validated
options and a context (the OpenAPI view of the document), and yields :class:`Result` objects, a
message plus where it applies. It never reads files, computes line numbers or knows severities: the
engine owns those.

Register one with the :func:`check` decorator, declaring its options; a ruleset that passes an
option the function does not declare, or a value of the wrong type, is a configuration error.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from apilint.core.errors import ConfigError
from apilint.documents.openapi import Node, OpenAPI, Result


@dataclass(frozen=True, slots=True)
class Option:
    """One option a check function accepts."""

    kind: type | tuple[type, ...]
    default: Any
    help: str
    choices: tuple[Any, ...] | None = None
    items: type | None = None
    """For list options: the type of each item."""

    def describe(self) -> str:
        kind = (
            self.kind.__name__
            if isinstance(self.kind, type)
            else "/".join(t.__name__ for t in self.kind)
        )
        if self.choices:
            kind = " | ".join(repr(c) for c in self.choices)
        return f"{kind}, default {self.default!r}"


@dataclass(frozen=True, slots=True)
class Context:
    """What a check function may look at besides its targets."""

    api: OpenAPI
    rule_id: str
    field: str | None = None
    suppressions: Any = None
    """The engine's record of ``x-apilint-ignore`` entries (for the unused-suppression check)."""


CheckRun = Callable[[Sequence[Node], Mapping[str, Any], Context], Iterable[Result]]


@dataclass(frozen=True)
class CheckFunction:
    name: str
    run: CheckRun
    options: Mapping[str, Option] = field(default_factory=dict)
    doc: str = ""
    reads_suppressions: bool = False
    """The function judges the inline suppressions themselves (ctx.suppressions records which
    were used): it runs after every other rule, and "all" does not silence it."""
    cost: Callable[[OpenAPI], float] | None = None
    """A rough estimate, made cheaply, of the seconds the function takes on a description (None:
    too little to count). The engine shares a big description's rules between two processes by
    these estimates (:mod:`apilint.lint.split`)."""
    uses: frozenset[str] = frozenset()
    """Derived data the function needs that others share (a key of :data:`SHARED`): the engine
    counts it once for the rules that run in one process."""

    def validate_options(self, given: Mapping[str, Any] | None, where: str) -> dict[str, Any]:
        """Defaults merged with ``given``; ConfigError naming any unknown or ill-typed option."""
        values = {name: opt.default for name, opt in self.options.items()}
        if not given:
            return values
        if not isinstance(given, Mapping):
            raise ConfigError(f"{where}: functionOptions must be a mapping")
        for name, value in given.items():
            opt = self.options.get(name)
            if opt is None:
                known = ", ".join(sorted(self.options)) or "none"
                raise ConfigError(
                    f"{where}: function '{self.name}' has no option '{name}' (options: {known})"
                )
            if opt.kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, opt.kind) or (
                isinstance(value, bool) and opt.kind in (int, float)
            ):
                raise ConfigError(
                    f"{where}: option '{name}' must be {opt.describe()}, not {value!r}"
                )
            if opt.choices is not None and value not in opt.choices:
                choices = ", ".join(repr(c) for c in opt.choices)
                raise ConfigError(
                    f"{where}: option '{name}' must be one of {choices}, not {value!r}"
                )
            if opt.items is not None and isinstance(value, list):
                bad = [item for item in value if not isinstance(item, opt.items)]
                if bad:
                    raise ConfigError(
                        f"{where}: option '{name}' must be a list of {opt.items.__name__}, "
                        f"got {bad[0]!r}"
                    )
            values[name] = value
        return values


_REGISTRY: dict[str, CheckFunction] = {}
_loaded = False


def check(
    name: str,
    *,
    reads_suppressions: bool = False,
    cost: Callable[[OpenAPI], float] | None = None,
    uses: tuple[str, ...] = (),
    **options: Option,
) -> Callable[[CheckRun], CheckRun]:
    """Register a check function under ``name`` (the name rulesets use in ``then.function``)."""

    def register(run: CheckRun) -> CheckRun:
        if name in _REGISTRY and _REGISTRY[name].run is not run:
            raise ValueError(f"check function {name!r} is registered twice")
        doc = (run.__doc__ or "").strip()
        _REGISTRY[name] = CheckFunction(
            name, run, options, doc, reads_suppressions, cost, frozenset(uses)
        )
        return run

    return register


def per_megabyte(seconds: float) -> Callable[[OpenAPI], float]:
    """A cost estimate for ``@check(cost=...)`` that grows with the description's text:
    ``seconds`` for each million characters of the files it is made of."""

    def estimate(api: OpenAPI) -> float:
        return seconds * text_size(api) / 1e6

    return estimate


SHARED: dict[str, Callable[[OpenAPI], float]] = {"schemas": per_megabyte(0.009)}
"""Estimates for derived data that check functions share (``uses=``): ``schemas`` is
``OpenAPI.schemas``, the walk over every schema of the description."""

CHEAP: Callable[[OpenAPI], float] = per_megabyte(0.012)
"""The estimate for all the rules whose functions declare no cost, together."""


def text_size(api: OpenAPI) -> int:
    """Characters in all the files of ``api``'s description."""
    return sum(len(doc.text) for doc in api.resolver.documents.values())


def did_you_mean(name: str, options: Sequence[str]) -> str:
    """``"; did you mean 'x'?"`` for the one option that is surely what ``name`` meant: the
    same but for case and separators, or a typo away (at most two edits, and most of the name
    the same); else ``""``: an unrelated name ("Users" for "Use cases") is no help."""
    import difflib

    def squash(text: str) -> str:
        return "".join(c for c in text.lower() if c.isalnum())

    same = [o for o in options if squash(o) == squash(name) and o != name]
    if same:
        return f"; did you mean '{same[0]}'?"
    close = difflib.get_close_matches(name, list(options), n=3, cutoff=0.8)
    for option in close:
        if _edits(squash(name), squash(option)) <= min(2, len(squash(name)) // 4):
            return f"; did you mean '{option}'?"
    return ""


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (short names only: the callers pass identifiers)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _load_builtins() -> None:
    """Import every module of this package: each registers its functions when imported."""
    global _loaded
    if not _loaded:
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True


def get(name: str) -> CheckFunction | None:
    _load_builtins()
    return _REGISTRY.get(name)


def all_functions() -> dict[str, CheckFunction]:
    _load_builtins()
    return dict(_REGISTRY)
