"""Which files to lint: arguments as given, directories searched for OpenAPI documents."""

from __future__ import annotations

import json
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
_ROOT_KEY_YAML = re.compile(rb"""(?m)^["']?(?:openapi|swagger)["']?[ \t]*:[ \t]*(?![\s#{]|!!map)""")
"""A root key of a block-style YAML document: at column 0 (a nested key is indented, a block
scalar's lines too), with a value on its line that is not a mapping (a Helm chart's
``openapi:`` block is a mapping; a description's is a version, or something broken that the
loader should report)."""
_KEY_FLOW = re.compile(rb"""["']?(?:openapi|swagger)["']?\s*:\s*["']?\d""")
_OPENING = re.compile(rb"\{\s*")
_QUOTED_KEY = re.compile(rb"""["'](openapi|swagger)["']\s*:\s*(?=["']\d)""")
_STRINGS = re.compile(rb""""[^"\\\n]*(?:\\.[^"\\\n]*)*"|'[^'\n]*(?:''[^'\n]*)*'""")
_KEY_LEFT = re.compile(rb"""(?<![\w.-])(?:openapi|swagger)\s*:\s*\d""")
_SNIFF_LIMIT = 64 * 1024 * 1024
"""How much of a file the sniff reads: the default max-file-size, past which the file would be
refused anyway."""
NOT_OPENAPI = "not an OpenAPI document (no root 'openapi' or 'swagger' key)"


def openapi_sniff(path: Path) -> str | None:
    """Why ``path`` is not an OpenAPI document, or None when it looks like one: a root
    ``openapi``/``swagger`` key whose value is not a mapping (a version, in JSON), wherever in
    the file it is (key-sorted descriptions put it after ``components``). A look at the bytes,
    not a parse: block YAML's root keys start at column 0; in JSON and flow YAML the key must
    be at depth 1."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(_SNIFF_LIMIT)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"{"):
        return None if _flow_root_key(start) else NOT_OPENAPI
    return None if _ROOT_KEY_YAML.search(data) else NOT_OPENAPI


def _flow_root_key(data: bytes) -> bool:
    """Whether a JSON or flow-YAML mapping has an ``openapi``/``swagger`` version key at its
    root: the first key, or a JSON document's root key, or (flow YAML) a key at depth 1,
    counting brackets over what precedes it once the strings are out."""
    if b"openapi" not in data and b"swagger" not in data:
        return False
    opening = _OPENING.match(data)
    if opening and _KEY_FLOW.match(data, opening.end()):  # the first key: the common case, no scan
        return True
    try:  # JSON: its C parser is faster than any scan written here
        document = json.loads(data)
    except (ValueError, RecursionError):
        pass  # flow YAML (or broken JSON): scan it
    else:
        return isinstance(document, dict) and any(
            isinstance(document.get(key), str) and document[key][:1].isdigit()
            for key in ("openapi", "swagger")
        )
    # Quoted keys with a version lose their quotes (``openapi: 0 "3.1.0"``), then every string
    # goes: what is left is structure, numbers and plain scalars.
    rest = _STRINGS.sub(b"", _QUOTED_KEY.sub(rb"\1: 0 ", data))
    for match in _KEY_LEFT.finditer(rest):
        before = rest[: match.start()]
        if b'"' in before:  # a string the scan could not take out (one over several lines)
            return False
        depth = before.count(b"{") + before.count(b"[") - before.count(b"}") - before.count(b"]")
        if depth == 1:
            return True
    return False


def looks_like_openapi(path: Path) -> bool:
    """A cheap look for a root ``openapi``/``swagger`` version key (see :func:`openapi_sniff`)."""
    return openapi_sniff(path) is None


def _readable(path: str) -> bool:
    try:
        with open(path, "rb"):
            return True
    except OSError:
        return False


def expand(
    arguments: Iterable[str],
    exclude: Iterable[str] = (),
    *,
    force_exclude: bool = False,
    base: Path | None = None,
    skipped: list[tuple[str, str]] | None = None,
) -> list[str]:
    """Files to lint, in a stable order. Directories are searched (skipping VCS, virtualenv and
    dependency folders, and ``exclude`` globs) for YAML/JSON files that look like OpenAPI
    documents; a directory with none is an error. Files named explicitly are linted, unless
    ``force_exclude`` (ruff's ``--force-exclude``: what pre-commit passes by name) and an
    ``exclude`` glob matches them. Globs match the path as given and, with ``base`` (the config
    file's directory), the path relative to it. Files passed over and why go to ``skipped``.

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
            pattern = excluded_by(argument, patterns, base) if force_exclude else None
            if pattern is None:
                out.append(argument)
            elif skipped is not None:
                skipped.append((argument, f"excluded by '{pattern}' (config exclude)"))
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
                and excluded_by(os.path.join(root, d), patterns, base) is None
            )
            for name in sorted(files):
                full = os.path.join(root, name)
                if not name.lower().endswith(SPEC_SUFFIXES):
                    continue
                if excluded_by(full, patterns, base) is not None:
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


def excluded_by(path: str, patterns: list[str], base: Path | None = None) -> str | None:
    """The first ``exclude`` glob that matches ``path``, or None. The globs mean what
    ``overrides.files`` globs mean: ``*`` stays within one name, ``**`` spans directories, a glob
    without ``/`` matches a name at any depth; they match the path as given and, with ``base``,
    the path relative to ``base``."""
    if not patterns:
        return None
    candidates = [path]
    if base is not None:
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
        if not relative.startswith(".."):
            candidates.append(relative)
    for pattern in patterns:
        glob = file_glob(pattern)
        if any(file_matches(candidate, glob) for candidate in candidates):
            return pattern
    return None
