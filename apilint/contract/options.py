"""What a contract run is asked to do, checked before anything is sent.

Every mistake here is a :class:`ConfigError` naming the option, so the CLI prints one line and
exits 2 before a single request leaves the machine.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from apilint.contract.rules import PROBE_RULES, RULE_IDS
from apilint.core.errors import ConfigError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "QUERY"})
"""What ``--read-only`` sends, and all that is sent to a non-loopback host without
``--allow-writes`` (QUERY, OpenAPI 3.2's ``query`` operations, is safe like GET)."""

PHASES = ("examples", "coverage", "fuzzing", "stateful")
MODES = ("all", "positive", "negative")

_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_RATE = re.compile(r"^\s*(\d+)\s*(?:/\s*([smhd]))?\s*$")


@dataclass
class ContractOptions:
    spec: Path
    base_url: str | None = None
    app: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    """Values to mask: every --header value and every environment variable it references."""
    read_only: bool = False
    allow_writes: bool = False
    timeout: float = 10.0
    max_examples: int = 100
    seed: int | None = None
    rate_limit: str | None = None
    include_paths: list[str] = field(default_factory=list)
    insecure: bool = False
    workers: int = 1
    phases: list[str] = field(default_factory=lambda: list(PHASES))
    mode: str = "all"
    rules: frozenset[str] = RULE_IDS

    @property
    def probes_enabled(self) -> bool:
        return any(rule in self.rules for rule in PROBE_RULES)

    @property
    def fuzzing_enabled(self) -> bool:
        return any(rule not in PROBE_RULES for rule in self.rules) and bool(self.phases)

    @property
    def in_process(self) -> bool:
        return self.app is not None

    @property
    def loopback(self) -> bool:
        """The target is this machine: an in-process app or a loopback base URL."""
        return self.in_process or (self.base_url is not None and is_loopback(self.base_url))

    @property
    def writes_allowed(self) -> bool:
        """POST, PUT, PATCH and DELETE may be sent."""
        return not self.read_only and (self.loopback or self.allow_writes)

    def allows(self, method: str) -> bool:
        return method.upper() in SAFE_METHODS or self.writes_allowed

    def include(self, path: str) -> bool:
        return not self.include_paths or any(re.search(p, path) for p in self.include_paths)


def is_loopback(url: str) -> bool:
    """``localhost``, ``*.localhost``, 127.0.0.0/8 and ::1. Names are not resolved: a DNS answer
    is not proof that a host is this machine."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"--base-url must be an http:// or https:// URL with a host, not {url!r}")
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number from 0 to 65535
    except ValueError:
        raise ConfigError(
            f"--base-url {url!r}: the port must be a number from 1 to 65535"
        ) from None
    if parts.query or parts.fragment:
        raise ConfigError(f"--base-url must not have a query or a fragment: {url!r}")
    return url.rstrip("/")


def parse_headers(
    values: Sequence[str], environ: Mapping[str, str] | None = None
) -> tuple[list[tuple[str, str]], list[str]]:
    """``--header "Name: value"`` values -> (headers, secrets).

    ``${NAME}`` in a value is replaced by that environment variable, so a token never has to be
    written on the command line (where ``ps`` shows it). Every value is treated as a secret.
    """
    env = os.environ if environ is None else environ
    headers: list[tuple[str, str]] = []
    secrets: list[str] = []
    for raw in values:
        name, sep, value = raw.partition(":")
        name = name.strip()
        if not sep or not _HEADER_NAME.match(name):
            shown = name if _HEADER_NAME.match(name) else "the header"
            raise ConfigError(f"--header must look like 'Name: value' ({shown} does not)")

        def expand(match: re.Match[str], header: str = name) -> str:
            variable = match.group(1)
            if variable not in env:
                raise ConfigError(f"--header {header}: environment variable {variable} is not set")
            secrets.append(env[variable])
            return env[variable]

        value = _ENV_REFERENCE.sub(expand, value.strip())
        if "\n" in value or "\r" in value:
            raise ConfigError(f"--header {name}: the value must be on one line")
        headers.append((name, value))
        secrets.append(value)
    return headers, secrets


def parse_rate_limit(value: str | None) -> str | None:
    """``10`` (per second), ``10/s``, ``600/m``, ``1000/h``, ``10000/d`` -> ``N/unit``."""
    if value is None:
        return None
    match = _RATE.match(value)
    if not match or int(match.group(1)) < 1:
        raise ConfigError(
            f"--rate-limit must be a number of requests per second or N/s, N/m, N/h, N/d "
            f"(e.g. 10/s), not {value!r}"
        )
    return f"{int(match.group(1))}/{match.group(2) or 's'}"


def check_regexes(patterns: Sequence[str]) -> list[str]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"--include-path {pattern!r} is not a valid regex: {exc}") from None
    return list(patterns)


def parse_phases(value: str | None) -> list[str]:
    if value is None:
        return list(PHASES)
    phases = [p.strip().lower() for p in value.split(",") if p.strip()]
    unknown = [p for p in phases if p not in PHASES]
    if unknown or not phases:
        raise ConfigError(
            f"--phases takes a comma-separated list of {', '.join(PHASES)} "
            f"(unknown: {', '.join(unknown) or 'none given'})"
        )
    return [p for p in PHASES if p in phases]


def select_rules(select: Sequence[str], ignore: Sequence[str]) -> frozenset[str]:
    def ids(values: Sequence[str], option: str) -> set[str]:
        out: set[str] = set()
        for value in values:
            for part in (p.strip() for p in value.split(",")):
                if not part:
                    continue
                if part == "all":
                    out |= set(RULE_IDS)
                elif part in RULE_IDS:
                    out.add(part)
                else:
                    raise ConfigError(
                        f"{option}: unknown contract finding id '{part}' "
                        f"(choose from {', '.join(sorted(RULE_IDS))})"
                    )
        return out

    chosen = ids(select, "--select") if select else set(RULE_IDS)
    chosen -= ids(ignore, "--ignore")
    if not chosen:
        raise ConfigError("--select/--ignore leave nothing to check")
    return frozenset(chosen)
