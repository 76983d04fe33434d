"""Inline suppressions: ``x-apilint-ignore: [rule-id, ...]`` (or ``all``) on any object of a
description silences that rule's findings at the object and everything below it. The lint
engine and ``apilint diff`` read them the same way, through :func:`entries_along`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apilint.core.pointer import Pointer

SUPPRESS_KEY = "x-apilint-ignore"


def entries_along(data: Any, ptr: Pointer) -> Iterator[tuple[Pointer, str]]:
    """Every suppression entry on the objects from the root down to ``ptr`` (the root's first):
    (the pointer of the object that holds it, the entry). A single string counts as a list of
    one; entries that are not strings are skipped. Stops where ``ptr`` leaves the data."""
    node = data
    where: Pointer = ()
    for part in (*ptr, None):
        if isinstance(node, dict):
            entries = node.get(SUPPRESS_KEY)
            if isinstance(entries, str):
                entries = [entries]
            if isinstance(entries, list):
                for entry in entries:
                    if isinstance(entry, str):
                        yield where, entry
        if part is None:
            return
        inside = (isinstance(node, dict) and isinstance(part, str) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        )
        if not inside:
            return
        node = node[part]
        where = (*where, part)
