"""The two sides of a diff: files, directories, or ``REV:PATH`` read from git.

A git side is written out (its YAML and JSON files under the spec's folder, or under the ref root)
into a temporary directory, so that the ordinary loader reads it: the same ``$ref`` rules, limits
and error positions as a file on disk. Reports name its documents ``REV:path``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from apilint.core.errors import ConfigError, LoadError
from apilint.documents.discovery import SPEC_SUFFIXES
from apilint.documents.git import git_error, run_git


class MissingAtRevision(LoadError):
    """The path names nothing at that revision (a description added since)."""


@dataclass(frozen=True)
class Side:
    """One side as the user named it, and where it is on disk."""

    given: str
    path: Path
    """On disk: the file or directory itself, or its copy out of git."""
    rev: str | None = None
    relative: str = ""
    """For a git side: the path inside the repository's working tree, relative to the working
    directory (how reports show it after ``REV:``)."""
    root: Path | None = None
    """For a git side: the temporary directory that stands for the working directory."""

    def name_of(self, path: Path) -> str | None:
        """How reports show a file of this side that lives at ``path`` on disk (None: as usual)."""
        if self.root is None:
            return None
        try:
            inside = Path(os.path.abspath(path)).relative_to(self.root)
        except ValueError:
            return None
        return f"{self.rev}:{inside.as_posix()}"


def _git(args: Sequence[str], cwd: Path, *, stdin: bytes | None = None) -> bytes:
    result = run_git(args, cwd, needed_by="reading REV:PATH", stdin=stdin)
    if result.returncode != 0:
        raise ConfigError(f"git {args[0]} failed: {git_error(result)}")
    return result.stdout


def split_git(argument: str) -> tuple[str, str] | None:
    """``origin/main:api.yaml`` -> ('origin/main', 'api.yaml'); None for a plain path (an
    existing file or directory is always a path, even with a colon in its name)."""
    if Path(argument).exists() or ":" not in argument:
        return None
    rev, _, path = argument.partition(":")
    if not rev or (len(rev) == 1 and path.startswith(("\\", "/"))):  # C:\... is a drive
        return None
    return rev, path or "."


def repository(cwd: Path) -> Path:
    try:
        top = _git(["rev-parse", "--show-toplevel"], cwd)
    except ConfigError:
        raise ConfigError(f"{cwd} is not inside a git repository (needed for REV:PATH)") from None
    return Path(top.decode("utf-8", "surrogateescape").strip())


def resolve_rev(rev: str, top: Path) -> str:
    """The commit ``rev`` names, or a clear error."""
    if rev.startswith("-"):
        raise ConfigError(f"{rev!r} is not a git revision")
    try:
        out = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    except ConfigError:
        raise ConfigError(f"unknown git revision '{rev}'") from None
    return out.decode().strip()


@contextmanager
def opened(argument: str, ref_root: Path | None = None) -> Iterator[Side]:
    """The side named by ``argument``, on disk for as long as the context lasts."""
    split = split_git(argument)
    if split is None:
        path = Path(argument)
        if not path.exists():
            raise LoadError("no such file or directory", file=argument)
        yield Side(argument, path)
        return
    rev, inner = split
    with checkout(rev, inner, Path.cwd(), ref_root, given=argument) as side:
        yield side


@contextmanager
def checkout(
    rev: str,
    inner: str,
    cwd: Path,
    ref_root: Path | None = None,
    *,
    given: str | None = None,
    commit: str | None = None,
) -> Iterator[Side]:
    """``inner`` (relative to ``cwd``) as it is at ``rev``, with the files its $refs may read."""
    cwd = Path(os.path.abspath(cwd))
    top = Path(os.path.realpath(repository(cwd)))
    commit = commit or resolve_rev(rev, top)
    real_cwd = Path(os.path.realpath(cwd))
    target = Path(os.path.normpath(real_cwd / inner))
    if not target.is_relative_to(top):
        raise ConfigError(f"{rev}:{inner}: the path is outside the repository {top}")
    in_repo = target.relative_to(top).as_posix()
    kind = _object_type(commit, in_repo, top)
    shown = f"{rev}:{inner}"
    if kind is None:
        raise MissingAtRevision(f"no such file at {rev}", file=given or shown)
    folder = target if kind == "tree" else target.parent
    if ref_root is not None:
        folder = Path(os.path.normpath(real_cwd / ref_root))
        if not folder.is_relative_to(top):
            folder = top
    temp = Path(tempfile.mkdtemp(prefix="apilint-diff-"))
    try:
        _export(commit, folder.relative_to(top).as_posix(), top, temp / "tree")
        # The temporary tree mirrors the repository; the working directory's place in it stands
        # for the working directory, so names come out as the user wrote them.
        stand_in = temp / "tree"
        if real_cwd.is_relative_to(top):
            stand_in = stand_in / real_cwd.relative_to(top)
        copy = temp / "tree" / in_repo
        relative = os.path.relpath(copy, stand_in)
        yield Side(given or shown, copy, rev, relative, Path(os.path.abspath(stand_in)))
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _object_type(commit: str, path: str, top: Path) -> str | None:
    if path in ("", "."):
        return "tree"
    try:
        out = _git(["cat-file", "-t", f"{commit}:{path}"], top)
    except ConfigError:
        return None
    return out.decode().strip()


def _export(commit: str, folder: str, top: Path, dest: Path) -> None:
    """Write the YAML and JSON files under ``folder`` at ``commit`` into ``dest``."""
    spec = ["--", folder] if folder not in ("", ".") else []
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", commit, *spec], top)
    entries = []
    for record in listing.decode("utf-8", "surrogateescape").split("\0"):
        if not record:
            continue
        meta, _, name = record.partition("\t")
        mode, kind, sha = meta.split()
        if kind != "blob" or mode == "120000" or not name.lower().endswith(SPEC_SUFFIXES):
            continue
        entries.append((sha, name))
    dest.mkdir(parents=True, exist_ok=True)
    if not entries:
        return
    batch = _git(["cat-file", "--batch"], top, stdin="".join(f"{s}\n" for s, _ in entries).encode())
    offset = 0
    for sha, name in entries:
        end = batch.index(b"\n", offset)
        header = batch[offset:end].split()
        size = int(header[2])
        body = batch[end + 1 : end + 1 + size]
        offset = end + 1 + size + 1
        if header[0].decode() != sha:
            raise ConfigError(f"git cat-file returned {header[0].decode()} for {sha}")
        path = dest / name
        if not Path(os.path.normpath(path)).is_relative_to(dest):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
