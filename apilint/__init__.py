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

from apilint.api import LintResult, config_defaults, lint, lint_text
from apilint.core.errors import ApilintError, ConfigError, LoadError, RefError
from apilint.core.findings import Finding, Severity

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
