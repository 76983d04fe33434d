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
from urllib.parse import urlsplit

from apilint.contract.app_loader import is_asgi, load_app
from apilint.contract.collect import Collector
from apilint.contract.http import (
    Backend,
    Client,
    TimeoutWsgi,
    TransportError,
    WriteRefused,
    WsgiBackend,
    abort_reads,
    allow_reads,
    asgi_backend,
    network_backend,
    rate_limiter,
)
from apilint.contract.options import SAFE_METHODS, ContractOptions
from apilint.contract.probes import Prober, RequestBuilder
from apilint.contract.progress import Progress
from apilint.contract.redact import Redactor
from apilint.contract.spec import Spec
from apilint.core.errors import ApilintError, ConfigError, ContractError
from apilint.core.findings import Finding
from apilint.core.pointer import encode

ERRORED = "errored: "
"""Prefix of a fuzzing failure that is a transport failure (the rest could not be generated)."""

FATAL_KINDS = frozenset({"refused", "unreachable", "tls", "url"})
"""Transport failures that mean the service is not there (once retried on a fresh connection):
they end the run. A connection closed or reset after the request, or an answer that is not HTTP,
is the server failing that request: a ``no-answer`` finding, and the run goes on."""

NO_ANSWER_KINDS = frozenset({"closed", "garbage"})

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass
class Coverage:
    """What became of each selected operation."""

    operations: int = 0
    tested: set[str] = field(default_factory=set)
    """Operations that got at least one HTTP answer."""
    not_generated: dict[str, str] = field(default_factory=dict)
    """Operations Schemathesis could not build a request for, and why."""
    errored: dict[str, str] = field(default_factory=dict)
    """Operations whose requests got no answer, and why."""
    skipped: dict[str, str] = field(default_factory=dict)
    """Operations not tried at all (writes not allowed, the run stopped), and why."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "operations": self.operations,
            "tested": len(self.tested),
            "not_generated": dict(sorted(self.not_generated.items())),
            "errored": dict(sorted(self.errored.items())),
            "skipped": dict(sorted(self.skipped.items())),
        }

    def summary(self) -> str:
        parts = [f"{len(self.tested)} tested"]
        for count, words in (
            (len(self.not_generated), "not generated"),
            (len(self.errored), "errored"),
            (len(self.skipped), "skipped"),
        ):
            if count:
                parts.append(f"{count} {words}")
        return f"{self.operations} operations ({', '.join(parts)})"

    def untested(self) -> list[str]:
        """One line per operation that was not (fully) tested, with its reason."""
        lines: list[str] = []
        for words, table in (
            ("not generated", self.not_generated),
            ("errored", self.errored),
            ("skipped", self.skipped),
        ):
            lines.extend(f"{label}: {words}: {why}" for label, why in sorted(table.items()))
        return lines


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
    coverage: Coverage = field(default_factory=Coverage)
    signal: str = "SIGINT"
    """What interrupted the run, when it was interrupted."""

    @property
    def incomplete(self) -> list[str]:
        """Why the run did not test everything it was asked to, one line each (empty when it
        did): every report carries these, and none says "No problems found" with one."""
        reasons = []
        done = len(self.coverage.tested)
        if self.error is not None:
            reasons.append(f"stopped after {done} of {self.operations} operations: {self.error}")
        elif self.interrupted:
            reasons.append(
                f"interrupted ({self.signal}) after {done} of {self.operations} operations"
            )
        return reasons

    def run_info(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "seed": self.seed,
            "operations": self.operations,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "interrupted": self.interrupted,
            "coverage": self.coverage.to_dict(),
        }


def _note_all_404(prober: Prober, spec: Spec, notes: list[str]) -> None:
    """Every probed path answered 404: most likely the base URL lacks the API's base path."""
    if len(prober.statuses) > 1 and set(prober.statuses) == {404}:
        prefix = spec.server_path()
        hint = f" (the description's server path is {prefix})" if prefix else ""
        notes.append(
            f"every operation's path answered 404 Not Found: does the base URL include "
            f"the API's base path{hint}?"
        )


def _tally_fuzzing(fuzz: Any, spec: Spec, notes: list[str], coverage: Coverage) -> None:
    """What Schemathesis could not test, and why (with lint's explanation where it has one);
    operations it tested although some of their requests failed get a note instead."""
    fuzzed = fuzz.answered
    failed = {label: why for label, why in fuzz.failed.items() if label not in fuzzed}
    notes.extend(  # tested, but some requests failed: say which and why
        f"{label}: {why.removeprefix(ERRORED)}"
        for label, why in fuzz.failed.items()
        if label in fuzzed
    )
    lint_hints = _lint_hints(spec, failed)
    for label, why in failed.items():
        coverage.tested.discard(label)  # the probes alone are not a test
        table = coverage.errored if why.startswith(ERRORED) else coverage.not_generated
        table[label] = why.removeprefix(ERRORED) + lint_hints.get(label, "")


def _note_crashes(app: Any, notes: list[str]) -> None:
    """An in-process app that raised (or exited) instead of answering: the first five."""
    crashes = getattr(app, "crashes", None)
    if crashes:
        shown = [f"{where}: the app {what}" for where, what in list(crashes.items())[:5]]
        more = f" (and {len(crashes) - 5} more)" if len(crashes) > 5 else ""
        notes.append(f"answered 500 for the app: {'; '.join(shown)}{more}")


def _account_for_the_rest(
    allowed: list[Any], coverage: Coverage, stopped: bool, fuzzing_ran: bool
) -> None:
    """Every operation neither tested nor explained yet is skipped (the run stopped before
    it) or not generated (Schemathesis sent nothing for it)."""
    for op in allowed:
        label = op.label
        if label in coverage.tested or label in coverage.not_generated:
            continue
        if label in coverage.errored:
            continue
        if stopped:
            coverage.skipped[label] = "the run stopped before it"
        elif fuzzing_ran:
            coverage.not_generated.setdefault(
                label, "Schemathesis sent no request for it (see the notes)"
            )


def _lint_hints(spec: Spec, failed: dict[str, str]) -> dict[str, str]:
    """For operations Schemathesis could not generate requests for, where ``apilint lint``
    finds the description invalid inside them (the usual cause: ``type: int``)."""
    labels = [label for label, why in failed.items() if not why.startswith(ERRORED)]
    if not labels:
        return {}
    from apilint.lint.engine import Linter
    from apilint.settings.config import Config

    try:
        found, _ = Linter(Config(), select=["spec-invalid"]).lint_file(spec.document.path)
    except ApilintError:  # a hint only: never the reason a contract run fails
        return {}
    hints: dict[str, str] = {}
    for label in labels:
        op = spec.operation(label)
        if op is None:
            continue
        prefix = encode(op.node.ptr)
        for finding in found:
            if finding.pointer == prefix or finding.pointer.startswith(prefix + "/"):
                hints[label] = (
                    f" (apilint lint: {finding.rule} at {finding.file}:{finding.line}:"
                    f"{finding.column})"
                )
                break
    return hints


class Session:
    def __init__(
        self,
        options: ContractOptions,
        *,
        progress: bool | None = None,
        announce: Callable[[str], None] | None = None,
    ) -> None:
        self.options = options
        self.progress_enabled = progress
        self.announce = announce
        """Where the line naming the write methods about to be sent goes (standard error)."""
        self.stopped = threading.Event()
        self.signal = "SIGINT"
        self._fuzz: Any = None
        self._announced = False

    def stop(self, signal: str = "SIGINT") -> None:
        """Safe to call from a signal handler."""
        if not self.stopped.is_set():
            self.signal = signal
        self.stopped.set()
        threading.Thread(target=abort_reads, name="apilint-stop", daemon=True).start()
        fuzz = self._fuzz
        if fuzz is not None:
            fuzz.stop()

    def run(self) -> Outcome:
        started = time.perf_counter()
        if not self.stopped.is_set():
            allow_reads()
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
        coverage = Coverage()
        allowed = self._operations(spec, redactor.url(base_url), notes, coverage)
        shown_url = redactor.url(base_url)
        progress = Progress(len(allowed), enabled=self.progress_enabled)
        collector = Collector(
            spec, options.rules, redactor, on_change=lambda: progress.set_findings(len(collector))
        )
        fuzz = self._fuzzing(spec, collector, redactor, base_url, app, progress)
        client = Client(
            self._backend(app),
            timeout=options.timeout,
            allows=options.allows,
            redactor=redactor,
            limiter=self._limiter(fuzz, base_url),
            where="the app" if app is not None else None,
        )
        prober = Prober(
            spec,
            client,
            RequestBuilder(spec, base_url, options.headers),
            redactor,
            collector.issue,
            insecure=options.insecure,
        )
        self._collector = collector
        try:
            error = self._phases(allowed, prober, fuzz, progress, notes, coverage, shown_url)
        finally:
            client.close()
        if fuzz is not None:
            _tally_fuzzing(fuzz, spec, notes, coverage)
        _note_crashes(app, notes)
        for label in sorted(set(coverage.errored) & coverage.tested):
            notes.append(f"{label}: {coverage.errored.pop(label)}")  # tested all the same
        stopped = error is not None or self.stopped.is_set()
        _account_for_the_rest(allowed, coverage, stopped, fuzz is not None and fuzz.ran)
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
            coverage=coverage,
            signal=self.signal,
        )

    def _fuzzing(
        self,
        spec: Spec,
        collector: Collector,
        redactor: Redactor,
        base_url: str,
        app: Any,
        progress: Progress,
    ) -> Any:
        """The Schemathesis run (None when fuzzing is off), stopped at once if the run is."""
        options = self.options
        if not options.fuzzing_enabled:
            return None
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
        return fuzz

    def _phases(
        self,
        allowed: list[Any],
        prober: Prober,
        fuzz: Any,
        progress: Progress,
        notes: list[str],
        coverage: Coverage,
        shown_url: str,
    ) -> ContractError | None:
        """Probe the reads (the first is the connectivity check), fuzz, then probe the writes,
        so that their side effects (a DELETE of resource 1...) do not change what the fuzzing
        meets. Returns why the run stopped early, if it did."""
        options = self.options
        reads = [op for op in allowed if op.method.upper() in SAFE_METHODS]
        writes = [op for op in allowed if op.method.upper() not in SAFE_METHODS]
        before, after = (reads, writes) if reads else (writes, [])
        error: ContractError | None = None
        try:
            if not reads:
                self._announce_writes(allowed, shown_url)
            error = self._probe(before, prober, progress, notes, coverage, connectivity=True)
            if error is None and not self.stopped.is_set():
                self._announce_writes(allowed, shown_url)  # before the first write is sent
            _note_all_404(prober, prober.spec, notes)
            if fuzz is not None and error is None and not self.stopped.is_set():
                progress.start_phase("fuzzing", len(allowed))
                try:
                    fuzz.run()
                finally:
                    notes.extend(fuzz.notes)
                    coverage.tested |= set(fuzz.answered)
                if fuzz.outage is not None:
                    error = ContractError(fuzz.outage)
            if after and error is None and options.probes_enabled:
                error = self._probe(after, prober, progress, notes, coverage, connectivity=False)
        except KeyboardInterrupt:  # a second Ctrl-C: stop now, still with the report so far
            self.stopped.set()
        finally:
            progress.finish()
        return error

    def _announce_writes(self, allowed: list[Any], shown_url: str) -> None:
        if self._announced:
            return
        self._announced = True
        methods = sorted(
            {op.method.upper() for op in allowed} & set(WRITE_METHODS), key=WRITE_METHODS.index
        )
        if methods and self.announce is not None:
            self.announce(
                f"apilint: this run sends {', '.join(methods)} requests to {shown_url}: "
                "they may change or delete data there (--read-only sends only GET, HEAD and "
                "OPTIONS)"
            )

    def _operations(
        self, spec: Spec, shown_url: str, notes: list[str], coverage: Coverage
    ) -> list[Any]:
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
            for op in operations:
                if not options.allows(op.method):
                    coverage.skipped[op.label] = "writes not allowed in this run"
        broken = self._broken_operations(spec)
        for label, why in broken.items():
            coverage.skipped[label] = why
        coverage.operations = len(operations) + len(broken)
        if not allowed:
            raise ConfigError(
                "nothing to test: every selected operation writes, and writes are not allowed"
            )
        return allowed

    def _broken_operations(self, spec: Spec) -> dict[str, str]:
        """Operations the description names but that are not Operation Objects (a string or a
        list under a method): they cannot be tested, and the run says so."""
        from apilint.http.methods import HTTP_METHODS

        broken: dict[str, str] = {}
        for item in spec.api.path_items:
            if not isinstance(item.value, dict) or not self.options.include(item.path or ""):
                continue
            for method in HTTP_METHODS:
                value = item.value.get(method)
                if method in item.value and not isinstance(value, dict):
                    kind = type(value).__name__ if value is not None else "null"
                    label = f"{method.upper()} {item.path}"
                    broken[label] = (
                        f"not an Operation Object (a {kind}); apilint lint reports it as "
                        "spec-invalid"
                    )
        return broken

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
        coverage: Coverage,
        *,
        connectivity: bool,
    ) -> ContractError | None:
        """Probe these operations (with probes deselected, only check that the service answers).
        With ``connectivity``, a first request that gets no answer ends the run with its error.
        Returns why the run must stop, if it must."""
        phase = "probes" if connectivity else "write probes"
        progress.start_phase(phase, len(operations))
        first = connectivity
        for op in operations:
            if self.stopped.is_set():
                break
            request = prober.builder.request(op)
            try:
                if self.options.probes_enabled:
                    prober.probe(op)
                elif first:
                    prober.send(request)
                coverage.tested.add(op.label)
            except TransportError as exc:
                if first and (exc.kind in FATAL_KINDS or exc.kind in ("timeout", "garbage")):
                    raise  # nothing was tested: the one-line error is the whole answer
                if exc.kind in FATAL_KINDS:
                    return exc
                if exc.kind in NO_ANSWER_KINDS:
                    self._no_answer(op.label, exc, request, prober)
                    coverage.tested.add(op.label)
                else:  # one slow operation: the coverage summary lists it
                    coverage.errored[op.label] = str(exc)
            except WriteRefused as exc:  # filtered out above; kept as a tripwire
                notes.append(str(exc))
            first = False
            progress.operation_done(phase, op.label)
            if not self.options.probes_enabled:
                break
        return None

    def _no_answer(self, label: str, exc: TransportError, request: Any, prober: Prober) -> None:
        from apilint.contract.spec import Exchange

        exchange = Exchange.of(
            request.method,
            request.url,
            request.headers,
            request.body,
            0,
            None,
            prober.redactor,
            insecure=prober.insecure,
        )
        path = prober.redactor.text(urlsplit(request.url).path)
        self._collector.no_answer(
            label, f"{exc} (also on a fresh connection)", (request.method, path), exchange
        )

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
