"""Which files to lint: arguments as given, directories searched for OpenAPI documents."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from apilint.core.errors import ConfigError
from apilint.core.globs import file_glob, file_matches

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "site-packages",
        "dist",
        "build",
    }
)
_MARKER = re.compile(
    rb"""(?m)(?:^["']?(?:openapi|swagger)["']?[ \t]*:|"(?:openapi|swagger)"\s*:\s*")"""
)
_SNIFF_BYTES = 256 * 1024


def looks_like_openapi(path: Path) -> bool:
    """A cheap look for a top-level ``openapi:``/``swagger:`` key, without parsing the file."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return False
    return bool(_MARKER.search(head))


def _readable(path: str) -> bool:
    try:
        with open(path, "rb"):
            return True
    except OSError:
        return False


def expand(arguments: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    """Files to lint, in a stable order. Files named explicitly are always linted; directories
    are searched (skipping VCS, virtualenv and dependency folders, and ``exclude`` globs) for
    YAML/JSON files that look like OpenAPI documents. A directory with none is an error.

    What cannot be read is never skipped in silence: a folder that cannot be listed, and a
    YAML/JSON file that cannot be opened (a broken symbolic link, no permission), are returned
    too, so that loading them reports why, names them and fails the run."""
    patterns = list(exclude)
    out: list[str] = []
    for argument in arguments:
        if argument == "-":
            out.append(argument)
            continue
        path = Path(argument)
        if not path.is_dir():
            out.append(argument)
            continue
        found = []
        unreadable: list[str] = []

        def note(error: OSError, unreadable: list[str] = unreadable, top: str = argument) -> None:
            unreadable.append(str(error.filename or top))

        for root, dirs, files in os.walk(path, onerror=note):
            dirs[:] = sorted(
                d
                for d in dirs
                if d not in SKIP_DIRS
                and not d.startswith(".")
                and not _excluded(os.path.join(root, d), patterns)
            )
            for name in sorted(files):
                full = os.path.join(root, name)
                if not name.lower().endswith(SPEC_SUFFIXES) or _excluded(full, patterns):
                    continue
                if not os.path.exists(full) or (os.path.isfile(full) and not _readable(full)):
                    unreadable.append(full)  # a broken link, no permission: loading says which
                elif os.path.isfile(full) and looks_like_openapi(Path(full)):
                    found.append(full)  # (not a FIFO or device: opening one would block)
        found.extend(unreadable)
        if not found:
            raise ConfigError(f"{argument}: no OpenAPI documents found in this directory")
        out.extend(found)
    return list(dict.fromkeys(out))


def _excluded(path: str, patterns: list[str]) -> bool:
    """``exclude`` globs mean what ``overrides.files`` globs mean: ``*`` stays within one name,
    ``**`` spans directories, a glob without ``/`` matches a name at any depth."""
    return any(file_matches(path, file_glob(p)) for p in patterns)
