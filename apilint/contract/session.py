"""One contract run, start to finish: probes first, then fuzzing, one set of findings.

The probes go first because they are cheap (two or three requests per operation) and because the
very first one doubles as the connectivity check: a refused connection, an unknown host or a TLS
failure ends the run right there with one line, before Schemathesis starts.

:meth:`Session.stop` (Ctrl-C) lets the requests in flight finish, skips the rest and returns what
was found so far, marked as interrupted.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apilint.contract.app_loader import is_asgi, load_app
from apilint.contract.collect import Collector
from apilint.contract.http import (
    Backend,
    Client,
    TimeoutWsgi,
    TransportError,
    WriteRefused,
    WsgiBackend,
    asgi_backend,
    network_backend,
    rate_limiter,
)
from apilint.contract.options import SAFE_METHODS, ContractOptions
from apilint.contract.probes import Prober, RequestBuilder
from apilint.contract.progress import Progress
from apilint.contract.redact import Redactor
from apilint.contract.spec import Spec
from apilint.core.errors import ConfigError, ContractError
from apilint.core.findings import Finding

FATAL_KINDS = frozenset({"refused", "unreachable", "tls", "closed", "url"})
"""Transport failures that mean the service is not there (as opposed to one slow operation)."""


@dataclass
class Outcome:
    findings: list[Finding]
    spec: str
    target: str
    seed: int
    operations: int
    requests: int
    seconds: float
    notes: list[str] = field(default_factory=list)
    interrupted: bool = False
    error: ContractError | None = None
    """A failure after the run started (the service went away); the findings so far stand."""

    def run_info(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "seed": self.seed,
            "operations": self.operations,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "interrupted": self.interrupted,
        }


class Session:
    def __init__(self, options: ContractOptions, *, progress: bool | None = None) -> None:
        self.options = options
        self.progress_enabled = progress
        self.stopped = threading.Event()
        self._fuzz: Any = None

    def stop(self) -> None:
        """Safe to call from a signal handler."""
        self.stopped.set()
        fuzz = self._fuzz
        if fuzz is not None:
            fuzz.stop()

    def run(self) -> Outcome:
        started = time.perf_counter()
        options = self.options
        spec = Spec.load(options.spec)
        if options.seed is None:
            options.seed = random.SystemRandom().randrange(2**31)
        app = load_app(options.app) if options.app is not None else None
        if app is not None and not is_asgi(app):
            app = TimeoutWsgi(app, options.timeout)  # ASGI calls time out on their own
        base_url = self._base_url(spec, app)
        key_headers, key_query = spec.credential_names()
        redactor = Redactor(
            options.secrets,
            headers=[*(name for name, _ in options.headers), *key_headers],
            query=key_query,
        )
        notes: list[str] = []
        allowed = self._operations(spec, redactor.url(base_url), notes)
        progress = Progress(len(allowed), enabled=self.progress_enabled)
        collector = Collector(
            spec, options.rules, redactor, on_change=lambda: progress.set_findings(len(collector))
        )
        fuzz = None
        if options.fuzzing_enabled:
            from apilint.contract.runner import FuzzRun

            fuzz = FuzzRun(
                options,
                spec,
                collector,
                redactor,
                base_url=options.base_url or (base_url if app is not None else None),
                app=app,
                progress=progress.operation_done,
            )
            self._fuzz = fuzz
            if self.stopped.is_set():
                fuzz.stop()
        client = Client(
            self._backend(app),
            timeout=options.timeout,
            allows=options.allows,
            redactor=redactor,
            limiter=self._limiter(fuzz, base_url),
        )
        prober = Prober(
            spec,
            client,
            RequestBuilder(spec, base_url, options.headers),
            redactor,
            collector.issue,
            insecure=options.insecure,
        )
        # Reads are probed first (the first one is the connectivity check); writes last, so their
        # side effects (a DELETE of resource 1...) do not change what the fuzzing meets.
        reads = [op for op in allowed if op.method.upper() in SAFE_METHODS]
        writes = [op for op in allowed if op.method.upper() not in SAFE_METHODS]
        before, after = (reads, writes) if reads else (writes, [])
        error: ContractError | None = None
        try:
            error = self._probe(before, prober, progress, notes, connectivity=True)
            if len(prober.statuses) > 1 and set(prober.statuses) == {404}:
                prefix = spec.server_path()
                hint = f" (the description's server path is {prefix})" if prefix else ""
                notes.append(
                    f"every operation's path answered 404 Not Found: does the base URL include "
                    f"the API's base path{hint}?"
                )
            if fuzz is not None and error is None and not self.stopped.is_set():
                progress.start_phase("fuzzing", len(allowed))
                try:
                    fuzz.run()
                finally:
                    notes.extend(fuzz.notes)
                if fuzz.outage is not None:
                    error = ContractError(f"the run stopped early: {fuzz.outage}")
            if after and error is None and options.probes_enabled:
                error = self._probe(after, prober, progress, notes, connectivity=False)
        finally:
            progress.finish()
            client.close()
        return Outcome(
            findings=collector.findings(),
            spec=spec.name,
            target=options.app if options.app is not None else redactor.url(base_url),
            seed=options.seed,
            operations=len(allowed),
            requests=client.sent + (fuzz.requests if fuzz is not None else 0),
            seconds=time.perf_counter() - started,
            notes=[redactor.text(note) for note in notes],
            interrupted=self.stopped.is_set(),
            error=error,
        )

    def _operations(self, spec: Spec, shown_url: str, notes: list[str]) -> list[Any]:
        """The operations this run may test: --include-path, then the write policy."""
        options = self.options
        operations = [op for op in spec.operations if options.include(op.path)]
        if not operations:
            raise ConfigError("--include-path matches no operation of the description")
        allowed = [op for op in operations if options.allows(op.method)]
        skipped = len(operations) - len(allowed)
        if skipped:
            why = (
                "--read-only"
                if options.read_only
                else f"{shown_url} is not a loopback address; pass --allow-writes to send them "
                "(or --read-only to say so)"
            )
            notes.append(f"{skipped} write operations (POST, PUT, PATCH, DELETE) not tested: {why}")
        if not allowed:
            raise ConfigError(
                "nothing to test: every selected operation writes, and writes are not allowed"
            )
        return allowed

    def _limiter(self, fuzz: Any, base_url: str) -> Callable[[], None] | None:
        """One bucket for probes and fuzzing: Schemathesis's own limiter."""
        if self.options.rate_limit is None:
            return None
        if fuzz is not None:
            return rate_limiter(fuzz.rate_limiter, base_url)
        from apilint.contract.runner import build_config

        config = build_config(self.options, base_url).projects.get_default()
        return rate_limiter(config.rate_limit, base_url)

    def _probe(
        self,
        operations: list[Any],
        prober: Prober,
        progress: Progress,
        notes: list[str],
        *,
        connectivity: bool,
    ) -> ContractError | None:
        """Probe these operations (with probes deselected, only check that the service answers).
        With ``connectivity``, a first request that gets no answer ends the run with its error."""
        phase = "probes" if connectivity else "write probes"
        progress.start_phase(phase, len(operations))
        first = connectivity
        for op in operations:
            if self.stopped.is_set():
                break
            try:
                if self.options.probes_enabled:
                    prober.probe(op)
                elif first:
                    prober.send(prober.builder.request(op))
            except TransportError as exc:
                if exc.kind in FATAL_KINDS or (first and exc.kind == "timeout"):
                    if first:
                        raise  # nothing was tested: the one-line error is the whole answer
                    return exc
                notes.append(f"{op.label}: {exc}")  # one slow operation, or an app's exception
            except WriteRefused as exc:  # filtered out above; kept as a tripwire
                notes.append(str(exc))
            first = False
            progress.operation_done(phase, op.label)
            if not self.options.probes_enabled:
                break
        return None

    def _base_url(self, spec: Spec, app: Any) -> str:
        options = self.options
        if options.base_url is not None:
            return options.base_url
        if app is None:
            declared = spec.declared_server()
            hint = f" (the description lists {declared})" if declared else ""
            raise ConfigError(
                f"say where the service is: --base-url URL{hint}, or --app module:app to test "
                "a WSGI/ASGI app in-process"
            )
        host = "http://testserver" if is_asgi(app) else "http://localhost"
        return host + spec.server_path()

    def _backend(self, app: Any) -> Backend:
        if app is None:
            return network_backend(insecure=self.options.insecure)
        if is_asgi(app):
            return asgi_backend(app)
        return WsgiBackend(app)
