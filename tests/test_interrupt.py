"""Stopping a long lint: Ctrl-C exits 130 and SIGTERM 143, each with the report of the files
linted so far (never "No problems found"); parallel workers stop at once; a terminal sees a
progress line on stderr while it runs, and a pipe never does."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and ptys")


def _specs(folder: Path, count: int = 4, paths: int = 2500) -> list[str]:
    names = []
    for n in range(count):
        spec = {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                f"/res{i}/items/{{id}}": {
                    "get": {
                        "operationId": f"get{n}x{i}",
                        "parameters": [
                            {
                                "name": "id",
                                "in": "path",
                                "required": True,
                                "schema": {"type": "integer"},
                            }
                        ],
                        "responses": {"200": {"description": "ok"}},
                    }
                }
                for i in range(paths)
            },
        }
        name = f"s{n}.json"
        (folder / name).write_text(json.dumps(spec), encoding="utf-8")
        names.append(name)
    return names


def _run_until_progress(
    tmp_path: Path, args: list[str], sig: int, seen: str
) -> tuple[int, str, str]:
    """Run apilint with stderr on a pseudo-terminal, wait for ``seen`` in the progress line,
    send ``sig``; the exit code, stdout and what the terminal showed."""
    import pty

    master, slave = pty.openpty()
    env = {**os.environ, "APILINT_PROGRESS_DELAY": "0", "TERM": "xterm", "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "apilint", "lint", "--no-config", *args],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    shown = b""
    deadline = time.monotonic() + 120
    try:
        while not re.search(seen.encode(), shown) and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    shown += os.read(master, 4096)
                except OSError:
                    break
            if process.poll() is not None:
                break
        assert re.search(seen.encode(), shown), shown
        process.send_signal(sig)
        stdout, _ = process.communicate(timeout=30)  # stops promptly, workers included
        while True:
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    return process.returncode, stdout.decode(), shown.decode(errors="replace")


def test_ctrl_c_exits_130_with_the_report_so_far(tmp_path: Path) -> None:
    names = _specs(tmp_path)
    code, stdout, terminal = _run_until_progress(
        tmp_path, ["-j", "1", *names], signal.SIGINT, r"linting [23] of 4 files"
    )
    assert code == 130, stdout + terminal
    assert "incomplete: interrupted after " in stdout
    assert "of 4 files" in stdout
    assert "No problems found" not in stdout
    assert "Incomplete: no problems in what was checked before it stopped." in stdout
    assert "apilint: interrupted after" in terminal
    assert "Traceback" not in terminal and "Aborted!" not in terminal


def test_sigterm_exits_143_and_parallel_workers_stop(tmp_path: Path) -> None:
    # Over the size where -j starts worker processes; the signal comes while at least four of
    # the six files are still to do, so that a busy machine cannot finish them first.
    names = _specs(tmp_path, count=6, paths=6000)
    code, stdout, terminal = _run_until_progress(
        tmp_path, ["-j", "2", "-f", "json", *names], signal.SIGTERM, r"linting [12] of 6 files"
    )
    assert code == 143, stdout + terminal
    report = json.loads(stdout)
    assert report["errors"][0].startswith("terminated after ")
    assert "Traceback" not in terminal


def test_no_progress_line_on_a_pipe(tmp_path: Path) -> None:
    names = _specs(tmp_path, count=2, paths=50)
    result = subprocess.run(
        [sys.executable, "-m", "apilint", "lint", "--no-config", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "APILINT_PROGRESS_DELAY": "0"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
