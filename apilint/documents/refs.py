"""$ref resolution across documents, with the safety rules of a linter that reads pull requests.

- Local refs (``#/components/...``) and relative-file refs (``common.yaml#/Pet``) are followed;
  a finding inside a referenced file points into that file.
- A relative ref may not leave the ref root (by default the directory of the root document), so a
  spec from an untrusted branch cannot make apilint read ``/etc/passwd``.
- Remote refs (http, https) are never fetched unless the user opts in; without the opt-in they are
  left as they are and counted.
- A chain of refs that only leads back to itself is an error, never followed forever. Recursive
  schemas (a schema whose property refers to the schema) are legal and are not chains.
"""

from __future__ import annotations

import json
import os
import re
import time
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from apilint.core.errors import LoadError, RefError, limit_hint
from apilint.core.pointer import Pointer, from_fragment, lookup, normalize
from apilint.documents.loader import Document, LoadOptions, decode_bytes, load_document, size_text

REMOTE_SCHEMES = ("http", "https")
REMOTE_TIMEOUT = 10.0

# Keys whose values are literal data, not OpenAPI structure: a "$ref" inside them is just a key.
_LITERAL_KEYS = frozenset({"example", "default", "enum", "const"})
_EXAMPLE_OBJECT = "\x00example-object"  # a parent-key marker: skip the object's literal "value"
# Keys whose values map names to structure (a member called "example" there is a name).
_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "definitions",
        "$defs",
        "schemas",
        "parameters",
        "responses",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
        "requestBodies",
        "paths",
        "webhooks",
        "dependentSchemas",
    }
)


_UNCACHED = object()


def ref_sites(data: Any) -> dict[str, list[int]]:
    """Every ``$ref`` string in ``data`` (outside literal examples and extensions), mapped to the
    ids of the objects that carry it. Ids, not pointers: pointers are only built for the rare
    refs that turn out to be broken."""
    found: dict[str, list[int]] = {}
    stack: list[tuple[Any, str | None]] = [(data, None)]
    while stack:
        node, parent_key = stack.pop()
        if type(node) is dict:
            ref = node.get("$ref")
            if type(ref) is str:
                found.setdefault(ref, []).append(id(node))
            literal_ok = parent_key in _NAME_MAPS
            in_examples = parent_key == "examples"
            is_example = parent_key == _EXAMPLE_OBJECT
            for key, value in node.items():
                if type(value) is not dict and type(value) is not list:
                    continue
                if not literal_ok and (key in _LITERAL_KEYS or key.startswith("x-")):
                    continue
                if (key == "examples" and type(value) is list) or (is_example and key == "value"):
                    continue
                stack.append((value, _EXAMPLE_OBJECT if in_examples else key))
        elif type(node) is list:
            stack.extend((item, None) for item in node if type(item) is dict or type(item) is list)
    return found


def pointer_of(data: Any, target_id: int) -> Pointer | None:
    """Pointer to the object with ``id(obj) == target_id`` (a walk; used only for error reports)."""
    stack: list[tuple[Any, Pointer]] = [(data, ())]
    while stack:
        node, ptr = stack.pop()
        if id(node) == target_id:
            return ptr
        if isinstance(node, dict):
            stack.extend((v, (*ptr, k)) for k, v in node.items() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, (*ptr, i)) for i, v in enumerate(node) if isinstance(v, (dict, list)))
    return None


class Resolver:
    """Loads the documents a root document refers to and follows refs between them."""

    def __init__(
        self,
        root: Document,
        *,
        options: LoadOptions | None = None,
        allow_remote: bool = False,
        ref_root: Path | None = None,
        max_hops: int | None = None,
    ) -> None:
        self.root = root
        self.options = options or LoadOptions()
        self.allow_remote = allow_remote
        self.ref_root = Path(os.path.realpath(ref_root or root.path.parent))
        self.max_hops = max_hops if max_hops is not None else self.options.max_ref_hops
        self._urls: dict[int, str] = {}  # id(document) -> URL, for remote documents
        self._keys: dict[int, str] = {}  # id(document) -> real path: one syscall per file
        self.documents: dict[str, Document] = {self._key_of(root): root}
        self.skipped_remote: set[str] = set()
        self._targets: dict[tuple[int, str], tuple[Document, Pointer] | None] = {}
        self._values: dict[tuple[int, Pointer], Any] = {}

    def _key_of(self, doc: Document) -> str:
        url = self._urls.get(id(doc))
        if url is not None:
            return url
        key = self._keys.get(id(doc))
        if key is None:
            key = self._keys[id(doc)] = os.path.realpath(doc.path)
        return key

    # -- following refs ---------------------------------------------------------------------

    def target(self, ref: str, doc: Document) -> tuple[Document, Pointer] | None:
        """Where ``ref`` written in ``doc`` points, or None for refs apilint does not follow
        (remote without opt-in, plain-name anchors). Raises RefError when the target is missing.
        Answers are cached per (document, ref): rules follow the same few refs many times."""
        key = (id(doc), ref)
        cached = self._targets.get(key, _UNCACHED)
        if cached is not _UNCACHED:
            return cached  # type: ignore[return-value]
        found = self._find_target(ref, doc)
        self._targets[key] = found
        return found

    def _find_target(self, ref: str, doc: Document) -> tuple[Document, Pointer] | None:
        uri, _, fragment = ref.partition("#")
        if uri:
            target_doc = self._document_for(uri, doc)
            if target_doc is None:
                return None
        else:
            target_doc = doc
        if fragment and not fragment.startswith("/"):
            return None  # a JSON Schema anchor name; not a location apilint can judge
        try:
            raw = from_fragment(fragment)
        except ValueError:
            raise RefError(f"$ref {ref!r} has a malformed JSON pointer") from None
        try:
            lookup(target_doc.data, raw)
        except KeyError:
            where = "" if target_doc is doc else f" in {target_doc.name}"
            raise RefError(f"$ref {ref!r} points to nothing: no {fragment or '/'}{where}") from None
        return target_doc, normalize(target_doc.data, raw)

    def follow(self, value: Any, doc: Document, ptr: Pointer) -> tuple[Any, Document, Pointer]:
        """Follow ``value`` while it is a Reference Object; return the first non-ref value and
        where it is written. Stops (returning the ref object) at refs apilint does not follow."""
        seen: list[tuple[int, Pointer]] = []
        hops = 0
        while type(value) is dict and type(value.get("$ref")) is str:
            here = (id(doc), ptr)
            if here in seen:
                chain = " -> ".join(value_ref for value_ref in self._chain_text(seen, here))
                raise RefError(f"$ref chain leads back to itself: {chain}")
            seen.append(here)
            hops += 1
            if hops > self.max_hops:
                raise RefError(
                    f"$ref chain longer than {self.max_hops} hops {limit_hint('max-ref-hops')}"
                )
            found = self.target(value["$ref"], doc)
            if found is None:
                return value, doc, ptr
            doc, ptr = found
            value = self._value_at(doc, ptr)
        return value, doc, ptr

    def _value_at(self, doc: Document, ptr: Pointer) -> Any:
        key = (id(doc), ptr)
        value = self._values.get(key, _UNCACHED)
        if value is _UNCACHED:
            value = lookup(doc.data, ptr)
            self._values[key] = value
        return value

    def _chain_text(self, seen: list[tuple[int, Pointer]], again: tuple[int, Pointer]) -> list[str]:
        from apilint.core.pointer import encode

        names = {id(d): d.name for d in self.documents.values()}
        start = seen.index(again)
        parts = [f"{names.get(key, key)}#{encode(ptr)}" for key, ptr in seen[start:]]
        parts.append(parts[0])
        return parts

    # -- documents --------------------------------------------------------------------------

    @cached_property
    def _self_uri(self) -> str | None:
        """The root's OpenAPI 3.2 ``$self``, when it is an absolute http(s) URI: the base URI
        its references are resolved against."""
        data = self.root.data
        if not isinstance(data, dict) or not str(data.get("openapi", "")).startswith("3.2"):
            return None
        value = data.get("$self")
        if not isinstance(value, str) or urlsplit(value).scheme.lower() not in REMOTE_SCHEMES:
            return None
        return value.partition("#")[0]

    def _local_form(self, uri: str, base: Document) -> tuple[str, Document]:
        """An absolute ``uri`` at or below the root's ``$self`` names the root document or a
        file beside it: (the relative reference, the root) then; else unchanged."""
        own = self._self_uri
        if own is None or self._urls.get(id(base)) is not None:
            return uri, base
        if uri == own:
            return "", self.root
        folder = urljoin(own, ".")
        if uri.startswith(folder) and len(uri) > len(folder):
            return uri[len(folder) :], self.root
        return uri, base

    def _document_for(self, uri: str, base: Document) -> Document | None:
        uri, base = self._local_form(uri, base)
        if not uri:
            return base
        base_url = self._urls.get(id(base))
        scheme = urlsplit(uri).scheme.lower()
        if scheme in REMOTE_SCHEMES or (base_url is not None and not scheme):
            url = urljoin(base_url, uri) if base_url is not None else uri
            if not self.allow_remote:
                self.skipped_remote.add(url)
                return None
            return self._load_remote(url)
        if scheme == "file":
            path = Path(unquote(urlsplit(uri).path))
        elif scheme and len(scheme) > 1:
            raise RefError(f"$ref {uri!r} uses the unsupported scheme {scheme!r}")
        else:
            path = base.path.parent / unquote(uri)
        try:
            real = Path(os.path.realpath(path))
        except (OSError, ValueError) as exc:  # a NUL byte, a name longer than the system takes
            raise RefError(f"$ref {uri!r}: not a usable file name ({_reason(exc)})") from None
        if not real.is_relative_to(self.ref_root):
            raise RefError(
                f"$ref {uri!r} reaches outside {self.ref_root} "
                "(allow it with --ref-root or 'ref-root' in the config)"
            )
        key = str(real)
        cached = self.documents.get(key)
        if cached is not None:
            return cached
        try:
            exists, regular = real.exists(), real.is_file() or real.is_dir()
        except (OSError, ValueError) as exc:
            raise RefError(f"$ref {uri!r}: not a usable file name ({_reason(exc)})") from None
        if not exists:
            raise RefError(f"$ref {uri!r}: no such file {_relative(real)}")
        if not regular:  # a FIFO or a device would block or never end
            raise RefError(f"$ref {uri!r}: {_relative(real)} is not a regular file")
        try:
            doc = load_document(real, options=self.options)
        except LoadError as exc:
            raise RefError(f"$ref {uri!r}: {exc}") from None
        self.documents[key] = doc
        return doc

    def _load_remote(self, url: str) -> Document:
        import urllib.error  # only when remote refs are allowed: keeps linting's start fast
        import urllib.request

        cached = self.documents.get(url)
        if cached is not None:
            return cached
        import http.client

        limit = self.options.max_file_size
        deadline = time.monotonic() + REMOTE_TIMEOUT
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "apilint"})
            with urllib.request.urlopen(request, timeout=REMOTE_TIMEOUT) as response:
                # read1: whatever has arrived, so a server that sends a byte now and then
                # cannot hold the lint past the deadline.
                chunks: list[bytes] = []
                size = 0
                while size <= limit:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"not complete after {REMOTE_TIMEOUT:g} s")
                    chunk = response.read1(min(1 << 16, limit + 1 - size))
                    if not chunk:
                        if response.length:  # Content-Length promised more
                            raise ConnectionError(f"the response ended after {size} bytes")
                        break
                    chunks.append(chunk)
                    size += len(chunk)
                raw = b"".join(chunks)
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
            reason = str(exc) or type(exc).__name__
            raise RefError(f"$ref {url!r} could not be fetched: {reason}") from None
        if len(raw) > limit:
            raise RefError(
                f"$ref {url!r} is over the {size_text(limit)} limit {limit_hint('max-file-size')}"
            )
        text = decode_bytes(raw, url)
        doc = load_document(
            Path(urlsplit(url).path or "remote"), name=url, text=text, options=self.options
        )
        self._urls[id(doc)] = url
        self.documents[url] = doc
        return doc

    # -- checking every ref up front ---------------------------------------------------------

    def check_all(self) -> None:
        """Resolve every $ref reachable from the root document, loading the files they name.
        Raises RefError (with the $ref's own position) for the first one that is broken."""
        checked: set[str] = set()
        while True:
            pending = [d for k, d in self.documents.items() if k not in checked]
            if not pending:
                return
            for doc in pending:
                checked.add(self._key_of(doc))
                self._check_document(doc)

    def _check_ref(self, ref: str, doc: Document) -> None:
        found = self.target(ref, doc)
        if found is not None:
            target_doc, ptr = found
            value, _, _ = self.follow(self._value_at(target_doc, ptr), target_doc, ptr)
            if not isinstance(value, (dict, bool)):
                # Reference Objects and schemas are objects (a 3.1 schema may be true/false).
                kind = "a list" if isinstance(value, list) else f"the value {value!r:.60}"
                raise RefError(f"$ref {ref!r} points to {kind}, not an object")

    def _check_json_text(self, doc: Document) -> bool:
        """The fast path for JSON: every ref found in the text resolves. False when one does
        not, so the precise walk decides (a "$ref" inside an example value is only data)."""
        refs = doc.json_refs if doc.json_refs is not None else _json_refs(doc.text)
        if any(not ref.startswith("#") for ref in refs):
            # Refs to other files (or hosts) may sit in literal example values, where they must
            # not be followed: only the walk knows which are data.
            return False
        try:
            for ref in refs:
                self._check_ref(ref, doc)
        except RefError:
            return False
        return True

    def _check_document(self, doc: Document) -> None:
        if doc.format == "json" and self._check_json_text(doc):
            return
        for ref, holders in ref_sites(doc.data).items():
            try:
                self._check_ref(ref, doc)
            except RefError as exc:
                where = pointer_of(doc.data, holders[0])
                if where is not None:
                    line, column = doc.locate((*where, "$ref"))
                    raise RefError(exc.message, file=doc.name, line=line, column=column) from None
                raise RefError(exc.message, file=doc.name) from None


_JSON_REF = re.compile(r'"\$ref"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _json_refs(text: str) -> set[str]:
    """Every string value of a "$ref" member in JSON text (a C-speed scan, no tree walk)."""
    out = set()
    for raw in set(_JSON_REF.findall(text)):
        if "\\" in raw:
            try:
                raw = json.loads(f'"{raw}"')
            except ValueError:
                continue
        out.add(raw)
    return out


def _reason(exc: OSError | ValueError) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
