"""Errors a user can cause and fix.

Everything here is caught by the CLI, printed as one line on stderr and turned into exit code 2.
Anything else escaping the engine is a bug in apilint.
"""

from __future__ import annotations

import re
from typing import Any

# Line breaks and terminal control characters that a file name or a value from a spec could put
# into an error message: shown escaped, so that an error stays one line and cannot drive a terminal.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def escape_controls(text: str) -> str:
    """``text`` with line breaks and terminal control characters shown as escapes (one line,
    nothing a terminal would act on)."""
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x0A:
        return "\\n"
    if code == 0x0D:
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class ApilintError(Exception):
    """Something apilint could not do because of its input: a file, a config, a flag."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only arguments would be lost by the default exception pickling (parallel -j).
        return (_rebuild, (type(self), self.message, self.file, self.line, self.column))

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return escape_controls(where + self.message)


def limit_hint(option: str) -> str:
    """How to raise a resource limit, for the error that names it."""
    return f"(raise it with --{option} or '{option}' in the config)"


class LoadError(ApilintError):
    """A document could not be read or parsed, or is not an OpenAPI description."""


class RefError(LoadError):
    """A $ref that cannot be followed: missing target, a cycle, or a forbidden location."""


class ConfigError(ApilintError):
    """A configuration file, a ruleset file or a command-line option is wrong."""


class ContractError(ApilintError):
    """The contract runner could not talk to the service (refused, timed out, TLS...)."""


def _rebuild(
    cls: type[ApilintError], message: str, file: str | None, line: int | None, column: int | None
) -> ApilintError:
    return cls(message, file=file, line=line, column=column)


def read_problem(exc: BaseException) -> str:
    """Why a file could not be read, in words: no codec or errno jargon."""
    if isinstance(exc, UnicodeDecodeError):
        data = exc.object
        byte = f"byte 0x{data[exc.start]:02x} at offset {exc.start}" if data else "a byte"
        return f"not UTF-8 text ({byte})"
    if isinstance(exc, OSError):
        return str(exc.strerror or exc)
    return str(exc)
