"""Linting many files in parallel processes, with output identical to a sequential run.

Each worker builds its own Linter from the same settings and lints whole files; results come back
in the order the files were given, then the usual sort applies, so ``-j 1`` and ``-j 8`` print the
same report byte for byte. A single file is linted in this process; when it has thousands of
examples, their validation runs in a forked process beside its other rules (apilint.lint.split),
which shares the parsed document instead of copying it.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from apilint.documents.loader import LoadOptions
from apilint.lint.results import FileOutcome, LintResult, collect
from apilint.settings.config import Config

if TYPE_CHECKING:
    import multiprocessing.context

    from apilint.lint.engine import Linter
    from apilint.reports import RuleInfo

# Below this much input, starting worker processes costs more than it saves.
MIN_PARALLEL_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class LinterSettings:
    """Everything needed to build an identical Linter in another process."""

    config: Config = field(default_factory=Config)
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    load_options: LoadOptions | None = None
    allow_remote_refs: bool | None = None
    ref_root: Path | None = None
    cache_dir: Path | None = None
    """Where unchanged files' results are kept (None: no cache)."""

    def build(self) -> Linter:
        from apilint.lint.engine import Linter

        linter = Linter(
            self.config,
            select=self.select,
            extend_select=self.extend_select,
            ignore=self.ignore,
            load_options=self.load_options,
            allow_remote_refs=self.allow_remote_refs,
            ref_root=self.ref_root,
        )
        if self.cache_dir is not None:
            from apilint.lint.cache import Cache, remember_settings, settings_key

            key = settings_key(linter)
            linter.cache = Cache(self.cache_dir, key)
            remember_settings(self.cache_dir, self.fingerprint(), linter, key)
        return linter

    def fingerprint(self) -> str:
        """What the Linter these settings build depends on, besides the user's files."""
        from apilint.lint.cache import settings_fingerprint

        return settings_fingerprint(repr(dataclasses.replace(self, cache_dir=None)))

    def remembered(self) -> tuple[str, dict[str, RuleInfo]] | None:
        """The cache key and the report's rule descriptions of the Linter these settings build,
        when the cache saw it built and none of the user's files it read changed since."""
        if self.cache_dir is None:
            return None
        from apilint.lint.cache import remembered_settings

        return remembered_settings(self.cache_dir, self.fingerprint())

    def cached(
        self, names: list[str], remembered: tuple[str, dict[str, RuleInfo]]
    ) -> tuple[LintResult, dict[str, RuleInfo]] | None:
        """The result of linting ``names`` (files on disk) and the report's rule descriptions,
        when the cache holds every file's outcome under the ``remembered`` settings; None
        otherwise. The Linter is not built: a run on unchanged files costs reading them."""
        if self.cache_dir is None:
            return None
        from apilint.documents.loader import display_name
        from apilint.lint.cache import Cache

        key, rules = remembered
        cache = Cache(self.cache_dir, key)
        outcomes: list[tuple[str, FileOutcome]] = []
        for name in names:
            path = Path(os.path.abspath(name))
            hit = cache.get(path, display_name(path))
            if hit is None:
                return None
            outcomes.append((name, (hit[0], hit[1], None)))
        return collect(outcomes), rules


_worker_linter: Linter | None = None


def _init_worker(settings: LinterSettings) -> None:
    global _worker_linter
    # Ctrl-C reaches the whole process group: the parent decides, workers just stop when told.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker may inherit a handler
    _worker_linter = settings.build()


def _lint_in_worker(name: str) -> FileOutcome:
    from apilint.lint.engine import lint_one

    assert _worker_linter is not None
    return lint_one(_worker_linter, name)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    # fork is fastest (no re-import) and safe while this process runs a single thread.
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _total_size(names: list[str]) -> int:
    total = 0
    for name in names:
        try:
            total += os.path.getsize(name)
        except OSError:
            continue
    return total


class Interrupted(Exception):
    """Ctrl-C (or SIGTERM) during a run: the outcomes of the files finished before it."""

    def __init__(self, done: list[tuple[str, FileOutcome]], total: int) -> None:
        super().__init__(f"interrupted after {len(done)} of {total} files")
        self.done = done
        self.total = total


class Observer(Protocol):
    """Told when each file starts and ends (a progress line)."""

    def start(self) -> None: ...
    def file_started(self, name: str) -> None: ...
    def file_done(self) -> None: ...


def lint_files(
    linter: Linter,
    settings: LinterSettings,
    names: list[str],
    jobs: int,
    min_parallel_bytes: int = MIN_PARALLEL_BYTES,
    observer: Observer | None = None,
) -> list[tuple[str, FileOutcome]]:
    """Outcomes per file, in the order given. ``linter`` serves the sequential path;
    ``settings`` rebuilds it in workers. Ctrl-C raises :class:`Interrupted` with the files
    finished so far, after stopping the workers at once."""
    from apilint.lint.engine import lint_one

    done: list[tuple[str, FileOutcome]] = []
    workers = min(jobs, len(names))
    try:
        if workers <= 1 or _total_size(names) < min_parallel_bytes:
            # One process lints every file; a big one may still share its rules with a second
            # (apilint.lint.split).
            linter.split_rules = jobs > 1
            if observer is not None:
                observer.start()
            for name in names:
                if observer is not None:
                    observer.file_started(name)
                done.append((name, lint_one(linter, name)))
                if observer is not None:
                    observer.file_done()
            return done
        _lint_in_pool(settings, names, workers, done, observer)
    except KeyboardInterrupt:
        raise Interrupted(done, len(names)) from None
    return done


def _lint_in_pool(
    settings: LinterSettings,
    names: list[str],
    workers: int,
    done: list[tuple[str, FileOutcome]],
    observer: Observer | None,
) -> None:
    pool = _context().Pool(workers, initializer=_init_worker, initargs=(settings,))
    try:
        if observer is not None:
            observer.start()  # after the fork: a thread must not exist while forking
        results = pool.imap(_lint_in_worker, names, chunksize=1)
        for name in names:
            if observer is not None:
                observer.file_started(name)  # the next in order: the one being waited for
            done.append((name, next(results)))
            if observer is not None:
                observer.file_done()
        pool.close()
    except BaseException:
        pool.terminate()  # Ctrl-C or an error: stop the workers now, not when they finish
        raise
    finally:
        pool.join()
