"""Git, for ``apilint lint --changed-since REV`` and for repository-relative report paths.

``changed_files(REV)`` is every file that differs from the merge base of REV and HEAD: committed
since then, staged, modified in the working tree, or new and untracked (but not ignored); deleted
files are left out, a renamed file counts under its new name. The merge base, not REV itself, so
``--changed-since origin/main`` on a feature branch means "what this branch changed", not also what
landed on main meanwhile.

``specs_to_lint`` turns those files into the root documents to lint: changed OpenAPI documents, and
documents whose ``$ref`` closure includes a changed file (a split spec whose
``schemas/user.yaml`` changed is linted from its root), within the paths given.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from apilint.core.errors import ConfigError
from apilint.documents.discovery import (
    SKIP_DIRS,
    SPEC_SUFFIXES,
    excluded_by,
    expand,
    looks_like_openapi,
)

GIT_TIMEOUT = 60.0
_REF = re.compile(r"""["']?\$ref["']?\s*:\s*["']?([^"'#\s,}\]]*)""")


def find_repo_root(start: Path) -> Path | None:
    """The nearest directory at or above ``start`` holding ``.git`` (a directory, or a file
    for worktrees and submodules); no git process is started."""
    here = Path(os.path.abspath(start))
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return None


def run_git(
    args: Sequence[str], cwd: Path, *, needed_by: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``git ARGS`` in ``cwd``, its output as bytes; ConfigError naming ``needed_by`` (the option
    or input that asked for git) when git is missing or takes over GIT_TIMEOUT."""
    try:
        return subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise ConfigError(f"{needed_by} needs git, and git is not installed") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(f"{needed_by}: git {args[0]} took over {GIT_TIMEOUT:.0f}s") from None


def git_error(result: subprocess.CompletedProcess[bytes]) -> str:
    """The last line git wrote on stderr (or its exit status)."""
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return run_git(args, cwd, needed_by="--changed-since")


def changed_files(rev: str, cwd: Path | None = None) -> tuple[Path, list[Path]]:
    """The repository root and the absolute paths of the files changed since ``rev``."""
    here = Path(os.path.abspath(cwd or Path.cwd()))
    if not rev or rev.startswith("-"):
        raise ConfigError(f"--changed-since: {rev!r} is not a git revision")
    top = _git(["rev-parse", "--show-toplevel"], here)
    if top.returncode != 0:
        raise ConfigError(f"--changed-since: {here} is not inside a git repository")
    root = Path(top.stdout.decode("utf-8", "surrogateescape").strip())
    commit = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    if commit.returncode != 0:
        raise ConfigError(f"--changed-since: unknown revision '{rev}'")
    base = commit.stdout.decode().strip()
    merge_base = _git(["merge-base", base, "HEAD"], root)
    if merge_base.returncode == 0 and merge_base.stdout.strip():
        base = merge_base.stdout.decode().strip()
    diff = _git(
        ["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--diff-filter=ACMRT", base],
        root,
    )
    if diff.returncode != 0:
        raise ConfigError(f"--changed-since: git diff failed: {git_error(diff)}")
    untracked = _git(["ls-files", "--others", "--exclude-standard", "--full-name", "-z"], root)
    if untracked.returncode != 0:
        raise ConfigError(f"--changed-since: git ls-files failed: {git_error(untracked)}")
    names = [
        *diff.stdout.decode("utf-8", "surrogateescape").split("\0"),
        *untracked.stdout.decode("utf-8", "surrogateescape").split("\0"),
    ]
    files = sorted({root / name for name in names if name})
    return root, [f for f in files if f.is_file()]


def referenced_files(path: Path, limit: int = 10_000) -> set[Path]:
    """Files a document reaches through relative ``$ref``s, transitively (a cheap text scan,
    no parsing: it may find a file too many, never one too few for ordinary refs)."""
    seen: set[Path] = set()
    todo = [path]
    while todo and len(seen) < limit:
        current = todo.pop()
        try:
            text = current.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for match in _REF.finditer(text):
            target = match.group(1).strip()
            if not target or "://" in target:
                continue
            resolved = Path(os.path.normpath(current.parent / target))
            if resolved not in seen and resolved != path:
                seen.add(resolved)
                if resolved.is_file():
                    todo.append(resolved)
    return seen


def _inside(path: Path, directory: Path) -> bool:
    return path == directory or directory in path.parents


def _visible(path: Path, directory: Path) -> bool:
    """Not in a folder that directory search skips (VCS, virtualenvs, dependencies, dot-dirs)."""
    parts = path.relative_to(directory).parts[:-1]
    return not any(part in SKIP_DIRS or part.startswith(".") for part in parts)


def specs_to_lint(
    changed: Iterable[Path], arguments: Sequence[str], exclude: Sequence[str] = ()
) -> list[str]:
    """The documents to lint among ``arguments`` (files and directories), given the changed
    files: a named file when it or a file it references changed; under a directory, OpenAPI
    documents that changed or reference a changed file."""
    changed_set = {Path(os.path.abspath(p)) for p in changed}
    out: list[str] = []
    for argument in arguments:
        if argument == "-":
            raise ConfigError("--changed-since can't be used with '-' (standard input)")
        target = Path(os.path.abspath(argument))
        if not target.is_dir():
            if target in changed_set or referenced_files(target) & changed_set:
                out.append(argument)
            continue
        inside = [p for p in changed_set if _inside(p, target) and _visible(p, target)]
        data = [p for p in inside if p.name.lower().endswith(SPEC_SUFFIXES)]
        if not data:
            continue
        roots = {p for p in data if looks_like_openapi(p)}
        if len(roots) < len(data):  # a changed file that is not a root: find who references it
            try:
                candidates = expand([str(target)], exclude)
            except ConfigError:
                candidates = []
            for candidate in candidates:
                path = Path(os.path.abspath(candidate))
                if path not in roots and referenced_files(path) & changed_set:
                    roots.add(path)
        for path in sorted(roots):
            shown = _display(path)
            if excluded_by(shown, list(exclude)) is None:
                out.append(shown)
    return list(dict.fromkeys(out))


def _display(path: Path) -> str:
    cwd = Path.cwd()
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)
