"""The description under test: its operations, and where each finding points in it.

Loaded with apilint's own loader and $ref resolver (the same positions, limits and errors as
``apilint lint``), so every contract finding has a file, line, column and JSON pointer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from apilint.contract.curl import curl_command
from apilint.contract.redact import Redactor
from apilint.core.errors import LoadError
from apilint.core.findings import Finding, Severity
from apilint.core.pointer import Pointer, encode, lookup
from apilint.documents.loader import Document, load_document
from apilint.documents.openapi import OpenAPI, Operation, server_urls


@dataclass(frozen=True)
class Exchange:
    """What a finding shows of one request and its answer (already redacted)."""

    method: str
    url: str
    status: int
    location: str | None
    curl: str

    @classmethod
    def of(
        cls,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        status: int,
        location: str | None,
        redactor: Redactor,
        *,
        insecure: bool = False,
    ) -> Exchange:
        """Build it from what was sent and received; every secret masked."""
        return cls(
            method=method,
            url=redactor.url(url),
            status=status,
            location=redactor.url(location) if location is not None else None,
            curl=curl_command(method, url, headers, body, redactor, insecure=insecure),
        )

    def extra(self) -> dict[str, Any]:
        response: dict[str, Any] | None = {"status": self.status} if self.status else None
        if response is not None and self.location is not None:
            response["location"] = self.location
        return {
            "request": {"method": self.method, "url": self.url},
            "response": response,  # None: no HTTP answer came
            "curl": self.curl,
        }


class Spec:
    """One OpenAPI document and the operations a contract run can test."""

    def __init__(self, document: Document, api: OpenAPI) -> None:
        self.document = document
        self.api = api
        self.operations: list[Operation] = api.operations
        self._by_label = {op.label: op for op in self.operations}
        self._paths = {op.path for op in self.operations}
        self._positions: dict[Pointer, tuple[int, int]] = {}

    @classmethod
    def load(cls, path: Path) -> Spec:
        document = load_document(path)
        api = OpenAPI.open(document)
        if not isinstance(api.data.get("paths"), dict):
            raise LoadError("the description has no 'paths' object", file=document.name)
        resolver = api.resolver
        if resolver.skipped_remote:
            remote = sorted(resolver.skipped_remote)[0]
            raise LoadError(
                f"remote $ref {remote}: apilint contract does not fetch remote references; "
                "bundle the description into one file first",
                file=document.name,
            )
        if not api.operations:
            raise LoadError("the description has no operations to test", file=document.name)
        return cls(document, api)

    @property
    def name(self) -> str:
        return self.document.name

    def operation(self, label: str) -> Operation | None:
        return self._by_label.get(label)

    def server_path(self) -> str:
        """The base path of the first server ('/v1' for 'https://api.example.com/v1')."""
        data = self.api.data
        if self.api.is_v2:
            base = data.get("basePath")
            return base.rstrip("/") if isinstance(base, str) else ""
        servers = data.get("servers")
        if isinstance(servers, list) and servers:
            urls = server_urls(servers[0], limit=1)  # the variables' defaults
            if urls:
                return urlsplit(urls[0]).path.rstrip("/")
        return ""

    def declared_server(self) -> str | None:
        data = self.api.data
        if self.api.is_v2:
            host = data.get("host")
            if isinstance(host, str):
                schemes = data.get("schemes")
                scheme = schemes[0] if isinstance(schemes, list) and schemes else "http"
                return f"{scheme}://{host}{data.get('basePath') or ''}"
            return None
        servers = data.get("servers")
        if isinstance(servers, list) and servers and isinstance(servers[0], dict):
            url = servers[0].get("url")
            if isinstance(url, str) and url.startswith(("http://", "https://")):
                return url
        return None

    def declares_security(self, op: Operation) -> bool:
        """The operation requires credentials (so 401/403 are implied answers)."""
        security = op.value.get("security", self.api.data.get("security"))
        if not isinstance(security, list) or not security:
            return False
        return all(isinstance(item, dict) and item for item in security)

    def credential_names(self) -> tuple[set[str], set[str]]:
        """Header and query parameter names of the description's API-key security schemes."""
        headers: set[str] = set()
        query: set[str] = set()
        for scheme in self.api.security_schemes:
            value = scheme.value
            if not isinstance(value, dict) or value.get("type") != "apiKey":
                continue
            name = value.get("name")
            if isinstance(name, str):
                if value.get("in") == "header":
                    headers.add(name)
                elif value.get("in") == "query":
                    query.add(name)
        return headers, query

    def documents_status(self, op: Operation, status: int) -> bool:
        """An exact code or its range (``3XX``) is documented; ``default`` does not count."""
        codes = {code.upper() for code in op.responses}
        return str(status) in codes or f"{str(status)[0]}XX" in codes

    # -- findings ---------------------------------------------------------------------------

    def locate(self, pointer: Pointer) -> tuple[int, int]:
        position = self._positions.get(pointer)
        if position is None:
            position = self.document.locate(pointer)
            self._positions[pointer] = position
        return position

    def pointer_for(self, label: str, *below: str) -> Pointer:
        """Where ``label`` ("GET /path") is written; a method the path does not document points
        at the path item."""
        path = label.partition(" ")[2]
        op = self._by_label.get(label)
        if op is not None:
            base: Pointer = ("paths", op.path, op.method)
            if op.node.doc is self.document:
                base = op.node.ptr
            if below and self._exists((*base, *below)):
                return (*base, *below)
            return base
        return ("paths", path) if path in self._paths else ("paths",)

    def _exists(self, pointer: Pointer) -> bool:
        try:
            lookup(self.document.data, pointer)
        except KeyError:
            return False
        return True

    def finding(
        self,
        rule: str,
        severity: Severity,
        message: str,
        label: str,
        exchange: Exchange,
        *below: str,
    ) -> Finding:
        pointer = self.pointer_for(label, *below)
        line, column = self.locate(pointer)
        return Finding(
            rule=rule,
            severity=severity,
            message=message,
            file=self.document.name,
            line=line,
            column=column,
            pointer=encode(pointer),
            operation=label,
            extra=exchange.extra(),
        )
