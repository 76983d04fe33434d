"""Running a test in a process of its own when threads that other tests left running in this
worker would change what it checks: whether apilint forks, and whether it bounds a parse by the
recursion limit, depend on every thread of the process."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def only_thread(request: pytest.FixtureRequest) -> bool:
    """True when this is the process's only thread: the test goes on here. Otherwise the test
    runs again in a fresh pytest process, which must pass it, and this returns False (the
    caller returns)."""
    if threading.active_count() == 1:
        return True
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-n",
            "0",
            "-p",
            "no:cacheprovider",
            request.node.nodeid,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    passed = re.search(r"^1 passed\b", result.stdout, re.MULTILINE)
    assert result.returncode == 0 and passed, result.stdout + result.stderr
    return False
