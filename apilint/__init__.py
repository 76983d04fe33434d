"""apilint keeps HTTP APIs honest.

The Python API is small and stable; the CLI is a thin layer over it::

    import apilint

    result = apilint.lint("openapi.yaml")            # or several paths, or a directory
    assert not [f for f in result.findings if f.severity is apilint.Severity.ERROR]
    for finding in result.findings:
        print(finding.file, finding.line, finding.rule, finding.message)

``lint`` never raises for a broken spec file: ``result.errors`` holds one error per file that could
not be read (use ``result.raise_for_errors()`` to turn them into an exception). A bad
configuration or an unknown rule id raises :class:`ConfigError` at once.
"""

from __future__ import annotations

__version__ = "0.1.0"

import importlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

# The subpackage apilint.lint is bound to the name `lint` when it is first imported; import it
# now (it is only a docstring), so that the function defined below keeps the name for good.
importlib.import_module("apilint.lint")

if TYPE_CHECKING:
    from apilint.api import LintResult, config_defaults
    from apilint.core.errors import ApilintError, ConfigError, LoadError, RefError
    from apilint.core.findings import Finding, Severity
    from apilint.settings.config import Config

# The names are imported when first used (PEP 562), so that `apilint lint` answering from its
# cache, or a command that never lints, does not import the whole lint engine.
_LAZY = {
    "LintResult": "apilint.api",
    "config_defaults": "apilint.api",
    "ApilintError": "apilint.core.errors",
    "ConfigError": "apilint.core.errors",
    "LoadError": "apilint.core.errors",
    "RefError": "apilint.core.errors",
    "Finding": "apilint.core.findings",
    "Severity": "apilint.core.findings",
}


def lint(
    paths: str | Path | Iterable[str | Path],
    *,
    config: Config | Path | str | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
) -> LintResult:
    """Lint files and directories (:func:`apilint.api.lint`)."""
    from apilint.api import lint as run

    return run(paths, config=config, select=select, ignore=ignore)


# ``import apilint.lint.engine as engine`` looks the submodule up through the attribute
# ``apilint.lint``, which is this function: the import system then looks in sys.modules under
# the attribute's ``__name__`` plus ".engine". Named after the package, the function leads it
# there.
lint.__name__ = "apilint.lint"


def lint_text(
    text: str,
    *,
    filename: str = "openapi.yaml",
    config: Config | Path | str | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
) -> LintResult:
    """Lint a description held in memory (:func:`apilint.api.lint_text`)."""
    from apilint.api import lint_text as run

    return run(text, filename=filename, config=config, select=select, ignore=ignore)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'apilint' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ApilintError",
    "ConfigError",
    "Finding",
    "LintResult",
    "LoadError",
    "RefError",
    "Severity",
    "__version__",
    "config_defaults",
    "lint",
    "lint_text",
]
