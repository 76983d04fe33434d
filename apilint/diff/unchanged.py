"""A fast answer to "did anything change here?" for values written in the two root documents.

Two values are unchanged when they are equal as data and every local ``$ref`` they contain leads
(transitively) to equal values on both sides. Most of a description does not change between two
versions; this lets the comparison skip it without building views of every schema.
"""

from __future__ import annotations

from typing import Any

from apilint.core.pointer import from_fragment, lookup
from apilint.documents.loader import Document

_ABSENT = object()


class Unchanged:
    def __init__(self, old_root: Document, new_root: Document) -> None:
        self.old_root = old_root
        self.new_root = new_root
        self._dirty: dict[str, bool] = {}
        self._round: set[str] | None = None
        self._refs: dict[int, tuple[frozenset[str], Any]] = {}

    def same(self, old_doc: Document, old: Any, new_doc: Document, new: Any) -> bool:
        """True when ``old`` and ``new`` (written in the root documents) are known to be the
        same; False when they differ or this cannot tell cheaply."""
        if old_doc is not self.old_root or new_doc is not self.new_root:
            return False
        if old is not new and old != new:
            return False
        refs = self.refs_in(new)
        return refs is not None and not any(self.dirty(ref) for ref in refs)

    def refs_in(self, value: Any) -> frozenset[str] | None:
        """The $ref strings in ``value`` (None when one is not a local ref: not judged here)."""
        if type(value) is not dict and type(value) is not list:
            return frozenset()
        cached = self._refs.get(id(value))
        if cached is not None and cached[1] is value:
            return cached[0] if "" not in cached[0] else None
        found: set[str] = set()
        stack = [value]
        while stack:
            node = stack.pop()
            if type(node) is dict:
                ref = node.get("$ref")
                if type(ref) is str:
                    found.add(ref if ref.startswith("#/") or ref == "#" else "")
                stack.extend(v for v in node.values() if type(v) is dict or type(v) is list)
            elif type(node) is list:
                stack.extend(v for v in node if type(v) is dict or type(v) is list)
        refs = frozenset(found)
        self._refs[id(value)] = (refs, value)
        return refs if "" not in refs else None

    def dirty(self, ref: str) -> bool:
        """Whether the value ``ref`` names differs between the sides, here or in what it refers
        to. Refs are explored in rounds: within one, a ref seen again counts as clean (its own
        exploration reports anything dirty up the chain); clean answers are kept only when the
        whole round found nothing, so a cycle cannot hide a change."""
        cached = self._dirty.get(ref)
        if cached is not None:
            return cached
        if self._round is not None:
            if ref in self._round:
                return False
            self._round.add(ref)
            found = self._compute(ref)
            if found:
                self._dirty[ref] = True
            return found
        self._round = {ref}
        try:
            found = self._compute(ref)
        finally:
            seen, self._round = self._round, None
        if found:
            self._dirty[ref] = True
        else:
            self._dirty.update(dict.fromkeys(seen, False))
        return found

    def _compute(self, ref: str) -> bool:
        try:
            pointer = from_fragment(ref[1:])
        except ValueError:
            return True
        old = _get(self.old_root.data, pointer)
        new = _get(self.new_root.data, pointer)
        if old is _ABSENT or new is _ABSENT or old != new:
            return True
        refs = self.refs_in(new)
        return refs is None or any(self.dirty(r) for r in refs)


def _get(data: Any, pointer: Any) -> Any:
    try:
        return lookup(data, pointer)
    except (KeyError, IndexError, TypeError):
        return _ABSENT
