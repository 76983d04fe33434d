"""Property-based fuzzing with Schemathesis 4.x, its failures turned into apilint findings.

apilint drives Schemathesis's own engine (the one ``st run`` uses: examples, coverage, fuzzing and
stateful phases), configured from apilint's options, and reads its events:

- redirects are never followed (``max-redirects = 0``), so a 3xx is the answer under test; a 3xx
  the operation does not document is reported by the redirect analysis (``unexpected-redirect`` and
  friends), not as Schemathesis's generic undocumented-status or negative-data failures;
- writes the run does not allow are not generated (operations filtered, the coverage phase's
  undeclared-method probes limited to safe methods, auto sign-up off) and, should one slip
  through, a ``before_call`` hook refuses to send it;
- no state is kept between runs (no Schemathesis cache, no Hypothesis example database), so the
  same seed sends the same requests to the same service state.

Which Schemathesis check feeds which finding id is :data:`apilint.contract.rules.CHECK_RULES`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, ClassVar
from urllib.parse import urlsplit

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import StopReason, events, from_schema
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER, HookContext

from apilint.contract.collect import Collector
from apilint.contract.http import Request, deadline_hook, describe_failure
from apilint.contract.options import PHASES, SAFE_METHODS, ContractOptions
from apilint.contract.redact import Redactor
from apilint.contract.redirects import Hop, is_redirect, status_text
from apilint.contract.rules import CHECK_RULES, checks_for
from apilint.contract.spec import Exchange, Spec
from apilint.core.errors import ContractError
from apilint.core.findings import Severity

Progress = Callable[[str, str | None], None]
"""(phase, operation label or None) after each finished scenario."""


def build_config(options: ContractOptions, base_url: str | None) -> SchemathesisConfig:
    """The Schemathesis configuration for a run: no config file is read, so a stray
    ``schemathesis.toml`` cannot change what apilint sends."""
    return SchemathesisConfig.from_dict(config_data(options, base_url))


def config_data(options: ContractOptions, base_url: str | None) -> dict[str, Any]:
    """The configuration as ``schemathesis.toml`` data (bench/contract_bench.py gives the same
    to ``st run``)."""
    checks = checks_for(set(options.rules))
    phases: dict[str, Any] = {name: {"enabled": name in options.phases} for name in PHASES}
    if not options.writes_allowed:
        # The coverage phase also sends methods the path does not document (to see 405s); not
        # QUERY, which a server that predates it may route in ways nobody tested.
        phases["coverage"]["unexpected-methods"] = sorted(
            m.lower() for m in SAFE_METHODS if m not in ("HEAD", "QUERY")
        )
    data: dict[str, Any] = {
        "headers": dict(options.headers),
        "request-timeout": options.timeout,
        "max-redirects": 0,
        "tls-verify": not options.insecure,
        "workers": options.workers,
        "cache": {"enabled": False},
        "generation": {
            "max-examples": options.max_examples,
            "database": "none",
            "mode": options.mode,
        },
        "checks": {"enabled": False, **{name: {"enabled": True} for name in checks}},
        "phases": phases,
        "auth": {"auto-signup": options.writes_allowed},
        "warnings": False,
    }
    if options.seed is not None:
        data["seed"] = options.seed
    if base_url is not None:
        data["base-url"] = base_url
    if options.rate_limit is not None:
        data["rate-limit"] = options.rate_limit
    return data


def load_schema(options: ContractOptions, spec: Spec, base_url: str | None, app: Any) -> Any:
    from schemathesis.core.errors import LoaderError

    config = build_config(options, base_url)
    try:
        schema = schemathesis.openapi.from_path(spec.document.path, config=config)
    except LoaderError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "cannot be loaded"
        raise ContractError(f"{spec.name}: Schemathesis cannot load it: {first}") from None
    if app is not None:
        schema.app = app

    def selected(ctx: Any) -> bool:
        operation = ctx.operation
        return options.include(operation.path) and options.allows(operation.method)

    return schema.include(selected)


class _Guard:
    """The last line of defence: a process-wide ``before_call`` hook that refuses any method a
    running contract session does not allow, and turns redirect following off for network
    requests whatever the configuration says."""

    _lock = threading.Lock()
    _sessions: ClassVar[dict[int, ContractOptions]] = {}

    @classmethod
    def enter(cls, schema: Any, options: ContractOptions) -> None:
        with cls._lock:
            if not cls._sessions:
                GLOBAL_HOOK_DISPATCHER.register_hook_with_name(_before_call, "before_call")
            cls._sessions[id(schema)] = options

    @classmethod
    def leave(cls, schema: Any) -> None:
        with cls._lock:
            cls._sessions.pop(id(schema), None)
            if not cls._sessions:
                GLOBAL_HOOK_DISPATCHER.unregister(_before_call)

    @classmethod
    def options_for(cls, schema: Any) -> ContractOptions | None:
        return cls._sessions.get(id(schema))


class WriteBlocked(Exception):
    pass


def _before_call(context: HookContext, case: Any, kwargs: dict[str, Any]) -> None:
    options = _Guard.options_for(case.operation.schema)
    if options is None:
        return
    if not options.allows(case.method):
        raise WriteBlocked(f"{case.method} refused: writes are not allowed in this run")
    if case.operation.app is None and "app" not in kwargs:
        kwargs["allow_redirects"] = False
        # --timeout bounds the whole request, not each socket read.
        hooks = dict(kwargs.get("hooks") or {})
        hooks["response"] = [*_as_list(hooks.get("response")), deadline_hook(options.timeout)]
        kwargs["hooks"] = hooks


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


class FuzzRun:
    """One Schemathesis run; findings go to the collector as scenarios finish."""

    def __init__(
        self,
        options: ContractOptions,
        spec: Spec,
        collector: Collector,
        redactor: Redactor,
        *,
        base_url: str | None,
        app: Any = None,
        progress: Progress | None = None,
    ) -> None:
        self.options = options
        self.spec = spec
        self.collector = collector
        self.redactor = redactor
        self.base_url = base_url
        self.app = app
        self.progress = progress
        self.requests = 0
        self.notes: list[str] = []
        self.failed: dict[str, str] = {}
        """Why Schemathesis could not test an operation, by label (transport failures start with
        ``session.ERRORED``)."""
        self.ran = False
        self.outage: str | None = None
        self.stop_reason: str | None = None
        self._stream: Any = None
        self._stop_asked = threading.Event()
        self._statuses: dict[str, set[int]] = {}
        self.schema = load_schema(options, spec, base_url, app)

    @property
    def rate_limiter(self) -> Any:
        return self.schema.config.rate_limit

    def stop(self) -> None:
        """Ask the engine to stop after the scenarios in flight (safe from a signal handler)."""
        self._stop_asked.set()
        if self._stream is not None:
            self._stream.stop()

    def run(self) -> None:
        if self._stop_asked.is_set():
            return
        _Guard.enter(self.schema, self.options)
        self.ran = True
        try:
            self._stream = from_schema(self.schema).execute()
            if self._stop_asked.is_set():
                self._stream.stop()
            for event in self._stream:
                self._handle(event)
        finally:
            _Guard.leave(self.schema)
        locked = sorted(
            label for label, seen in self._statuses.items() if seen and seen <= {401, 403}
        )
        if locked:
            self.notes.append(
                f"{len(locked)} operations answered only 401/403 ({', '.join(locked[:3])}"
                f"{', ...' if len(locked) > 3 else ''}): pass credentials with "
                "--header 'Authorization: ...' to test past authentication"
            )

    @property
    def answered(self) -> set[str]:
        """Operations that got at least one answer."""
        return set(self._statuses)

    # -- events -----------------------------------------------------------------------------

    def _handle(self, event: Any) -> None:
        if isinstance(event, events.ScenarioFinished):
            self._scenario(event.recorder)
            if self.progress is not None:
                label = event.recorder.label
                self.progress(event.phase.value, label if " /" in label else None)
        elif isinstance(event, events.NonFatalError):
            self._error(event)
        elif isinstance(event, events.FatalError):
            raise ContractError(self._one_line(event.exception)) from None
        elif isinstance(event, events.EngineFinished):
            self.stop_reason = event.stop_reason.value
            if event.stop_reason == StopReason.SERVER_UNAVAILABLE and self.outage is None:
                self.outage = "the service stopped answering"

    def _error(self, event: Any) -> None:
        import requests

        from apilint.contract.session import ERRORED, NO_ANSWER_KINDS

        value = event.value
        text = self._one_line(value)
        label = event.label if event.label else "run"
        operation = self.spec.operation(label) if " " in label else None
        transport = False
        if isinstance(value, WriteBlocked) or "WriteBlocked" in repr(value.__cause__):
            note = f"{label}: a write request was refused by apilint's safety guard"
            if note not in self.notes:
                self.notes.append(note)
            return
        if type(value).__name__ == "ServerUnavailable":
            self.outage = "the service stopped answering (it no longer accepts connections)"
            return
        else:
            inner = value if isinstance(value, requests.RequestException) else None
            wrapped = getattr(value, "error", None)  # Schemathesis's UnrecoverableNetworkError
            if inner is None and isinstance(wrapped, requests.RequestException):
                inner = wrapped
            sent = self._sent(inner, operation)
            if inner is not None and sent is not None:
                where = "the app" if self.app is not None else None
                failure = describe_failure(
                    inner, sent, self.options.timeout, self.redactor, where=where
                )
                text = str(failure)
                transport = True
                if failure.kind in NO_ANSWER_KINDS and operation is not None:
                    self._no_answer(label, sent, text)
                    return
        if isinstance(value, TimeoutError):  # an in-process app that did not answer in time
            transport = True
            text = f"{text} (--timeout)" if "--timeout" not in text else text
        if operation is not None:  # the coverage summary lists it, with its reason
            self.failed.setdefault(label, (ERRORED if transport else "") + text)
            return
        note = f"{label}: {text}"
        if note not in self.notes:
            self.notes.append(note)

    def _sent(self, error: Any, operation: Any) -> Request | None:
        """The request a transport failure happened on: its own, or (for a failure while the
        body was read, which requests does not attach it to) the operation's."""
        if error is None:
            return None
        request = getattr(error, "request", None)
        if request is not None:
            body = request.body.encode() if isinstance(request.body, str) else request.body
            return Request(
                str(request.method),
                str(request.url),
                {str(k): str(v) for k, v in (request.headers or {}).items()},
                body if isinstance(body, bytes) else None,
            )
        if operation is None:
            return None
        base = (self.base_url or "http://testserver").rstrip("/")
        return Request(operation.method.upper(), base + operation.path)

    def _no_answer(self, label: str, sent: Request, text: str) -> None:
        exchange = Exchange.of(
            sent.method,
            sent.url,
            sent.headers,
            sent.body,
            0,
            None,
            self.redactor,
            insecure=self.options.insecure,
        )
        self._statuses.setdefault(label, set())  # the request reached the service
        path = self.redactor.text(urlsplit(sent.url).path)
        self.collector.no_answer(label, text, (sent.method, path), exchange)

    def _one_line(self, exc: BaseException) -> str:
        text = str(exc).strip() or type(exc).__name__
        line = text.splitlines()[0][:300]
        if line.endswith(":"):  # "... Last requests before it went away:" (a list follows)
            line = line.rpartition(". ")[0] + "." if ". " in line else line.rstrip(":")
        return self.redactor.text(line)

    def _scenario(self, recorder: Any) -> None:
        for case_id, node in recorder.cases.items():
            interaction = recorder.interactions.get(case_id)
            if interaction is None:
                continue
            self.requests += 1
            response = interaction.response
            if response is None:
                continue
            operation = node.value.operation
            label = operation.label
            self._statuses.setdefault(label, set()).add(response.status_code)
            same_method = str(interaction.request.method).upper() == operation.method.upper()
            if is_redirect(response.status_code) and same_method:  # not the 405 probes
                hop = Hop(
                    interaction.request.method,
                    interaction.request.uri,
                    response.status_code,
                    _first(response.headers.get("location")),
                )
                self.collector.redirect(hop, label, self._exchange(interaction))
        for case_id, checks in recorder.checks.items():
            for check in checks:
                if check.failure_info is None:
                    continue
                node = recorder.cases.get(case_id)
                interaction = recorder.interactions.get(case_id)
                if node is None or interaction is None or interaction.response is None:
                    continue
                self._failure(check.name, check.failure_info.failure, node.value, interaction)

    def _exchange(self, interaction: Any) -> Exchange:
        request = interaction.request
        response = interaction.response
        return Exchange.of(
            request.method,
            request.uri,
            {name: _first(values) or "" for name, values in request.headers.items()},
            request.body,
            response.status_code if response is not None else 0,
            _first(response.headers.get("location")) if response is not None else None,
            self.redactor,
            insecure=self.options.insecure,
        )

    def _failure(self, check: str, failure: Any, case: Any, interaction: Any) -> None:
        rule = rule_for(check, failure)
        if rule is None:
            return
        label = case.operation.label
        op = self.spec.operation(label)
        status = interaction.response.status_code
        sent = str(interaction.request.method).upper()
        if sent != str(case.operation.method).upper():
            # A method the path does not document (Schemathesis's 405 probes): name it.
            if status == 501:
                return  # RFC 9110: 501 (like 405) is a correct refusal of a method
            label = f"{sent} {case.operation.path}"
        if is_redirect(status) and (op is None or not self.spec.documents_status(op, status)):
            return  # the redirect analysis reports it, in plain words
        crashed = 500 <= status <= 599 and "server-error" in self.options.rules
        if rule == "method-not-allowed" and crashed:
            return  # the crash is the problem, reported once as server-error
        if rule == "server-error" and not 500 <= status <= 599:
            return  # only 5xx is a server error; an out-of-range status is undocumented-status
        if rule == "negative-data-accepted" and 300 <= status <= 399:
            return  # a redirect neither accepts nor rejects: a documented 3xx redirects anything
        response = interaction.response
        if rule == "content-type" and (
            _without_content(sent, response)
            or (500 <= status <= 599 and "server-error" in self.options.rules)
            or (
                op is not None
                and not self.spec.documents_status(op, status)
                and "undocumented-status" in self.options.rules
            )
        ):
            # Nothing to label (RFC 9110 8.3); a crash is reported once, as server-error; an
            # undocumented response has no documented media type: undocumented-status says it.
            return
        negative = _is_negative(case)
        if (
            rule == "undocumented-status"
            and status in (401, 403)
            and op is not None
            and self.spec.declares_security(op)
        ):
            return  # implied by the operation's security requirement
        if (
            rule == "undocumented-status"
            and 500 <= status <= 599
            and "server-error" in self.options.rules
        ):
            return  # one finding for a crash: server-error says it
        if rule == "undocumented-status" and status == 400 and _unparseable_body(case):
            return  # 400 is what malformed syntax gets (RFC 9110); nobody documents it per route
        message, key, below, severity = describe(rule, failure, label, status, case, negative)
        group = None
        if rule == "undocumented-status" and " /" in label:
            # The same undocumented answer on many operations (a gateway's 401, a required
            # version header's 400) is one cause: one finding listing them.
            snippet = _snippet(response).replace("{", "{{").replace("}", "}}")
            group = (
                (status, _digest(response, interaction.request)),
                f"{{count}} operations answered {status_text(status)} with the same response "
                f"body{snippet}, which their responses do not document: {{operations}}",
            )
        self.collector.add(
            rule,
            message,
            label,
            self._exchange(interaction),
            key,
            severity=severity,
            below=below,
            group=group,
        )


def rule_for(check: str, failure: Any) -> str | None:
    rule = CHECK_RULES.get(check)
    if rule == "missing-header" and type(failure).__name__ != "MissingHeaders":
        return "response-schema"  # a header that is there but breaks its schema
    return rule


def describe(
    rule: str, failure: Any, label: str, status: int, case: Any, negative: bool
) -> tuple[str, tuple[object, ...], tuple[str, ...], Severity | None]:
    """(message, dedupe key, pointer below the operation, severity override) for a failure."""
    kind = type(failure).__name__
    answered = f"{label} answered {status_text(status)}"
    why = _negative_reason(case, failure) if negative else None
    invalid = (
        f" to an invalid request ({why})" if why else (" to an invalid request" if negative else "")
    )
    if rule == "server-error":
        # A crash is a bug whatever the input; the curl line shows the request.
        return (
            f"{answered}{' to an invalid request' if negative else ''}",
            (label, status),
            (),
            None,
        )
    if rule == "undocumented-status":
        documented = ", ".join(getattr(failure, "defined_status_codes", None) or []) or "none"
        message = (
            f"{answered}{invalid}, which the spec does not document (documented: {documented})"
        )
        severity = Severity.WARNING if negative and 400 <= status < 500 else None
        return message, (label, status), ("responses",), severity
    if rule == "response-schema":
        if kind == "JsonSchemaError":
            detail = getattr(failure, "validation_message", "") or failure.title
            where = "/".join(str(p) for p in getattr(failure, "instance_path", []) or [])
            at = f" at /{where}" if where else ""
            context = "header" if "header" in (failure.title or "").lower() else "body"
            message = f"{label} {status} response {context} does not match its schema{at}: {detail}"
        else:
            message = f"{label} {status} response: {failure.title}: {_first_line(failure.message)}"
        key = (label, status, kind, getattr(failure, "_unique_key", "") or failure.title)
        return message, key, ("responses", str(status)), None
    if rule == "content-type":
        if kind == "MissingContentType":
            media = ", ".join(getattr(failure, "media_types", []) or [])
            message = f"{label} {status} response has no Content-Type (documented: {media})"
        elif kind == "UndefinedContentType":
            media = ", ".join(getattr(failure, "defined_content_types", []) or [])
            got = getattr(failure, "content_type", "?")
            message = (
                f"{label} {status} response has Content-Type {got}, which the spec does not "
                f"document (documented: {media})"
            )
        else:
            message = f"{label} {status} response: {failure.title}: {_first_line(failure.message)}"
        return message, (label, status, kind), ("responses", str(status)), None
    if rule == "missing-header":
        missing = list(getattr(failure, "missing_headers", []) or [])
        names = ", ".join(missing) or "a required header"
        plural = "s" if len(missing) > 1 else ""
        message = f"{label} {status} response lacks the required header{plural} {names}"
        return message, (label, status, *missing), ("responses", str(status)), None
    if rule == "negative-data-accepted":
        if kind == "MissingHeaderNotRejected":
            header = getattr(failure, "header_name", "?")
            expected = ", ".join(str(code) for code in getattr(failure, "expected_statuses", []))
            message = (
                f"{answered} to a request without the required header {header}; "
                f"expected {expected or 'a 4xx rejection'}"
            )
            return message, (label, kind, header), (), None
        reason = f" ({why})" if why else ""
        message = f"{label} accepted an invalid request{reason} with {status_text(status)}"
        return message, (label, kind, getattr(failure, "_unique_key", "")), (), None
    # method-not-allowed
    method = getattr(failure, "method", "?")
    path = label.partition(" ")[2]
    if getattr(failure, "failure_reason", "") == "missing_allow_header":
        message = f"{method} {path} answered 405 without an Allow header listing the methods"
    else:
        message = (
            f"{method} {path} (not documented) answered {status_text(status)}; an undocumented "
            "method should get 405 Method Not Allowed with an Allow header"
        )
    return message, (label, getattr(failure, "failure_reason", kind)), (), None


def _without_content(method: str, response: Any) -> bool:
    """A response that carries no content, which therefore has no media type to label."""
    status = int(response.status_code)
    if method == "HEAD" or status < 200 or status in (204, 304):
        return True
    length = _first(response.headers.get("content-length"))
    if length is not None and length.strip() == "0":
        return True
    return not _body(response)


def _body(response: Any) -> bytes:
    content = getattr(response, "content", None)
    if isinstance(content, bytes):
        return content
    return b""


def _snippet(response: Any, limit: int = 120) -> str:
    """The start of a text body, for a message: `` (body: ...)``; nothing for binary bodies."""
    body = _body(response)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    text = " ".join(text.split())
    if not text or not text.isprintable():
        return ""
    return f" ({text[:limit]}{'...' if len(text) > limit else ''})"


def _digest(response: Any, request: Any) -> str:
    """What identifies a response body across operations: its bytes, with every value the
    request sent (a header's, a query parameter's) that the body echoes as a word taken out, so
    "... but received 'abc'" and "... but received 'xyz'" are the same answer."""
    import hashlib
    import re
    from urllib.parse import parse_qsl, urlsplit

    body = _body(response)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return hashlib.sha256(body).hexdigest()[:16]
    sent: set[str] = set()
    for values in (getattr(request, "headers", None) or {}).values():
        sent.update(str(v) for v in (values if isinstance(values, list) else [values]))
    uri = str(getattr(request, "uri", "") or "")
    sent.update(value for _, value in parse_qsl(urlsplit(uri).query, keep_blank_values=True))
    for value in sorted((v for v in sent if v.strip()), key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", "\x00", text)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _is_negative(case: Any) -> bool:
    meta: Any = getattr(case, "meta", None)
    mode = getattr(getattr(meta, "generation", None), "mode", None)
    return bool(getattr(mode, "is_negative", False))


def _unparseable_body(case: Any) -> bool:
    """Schemathesis sent bytes that are not the media type at all (syntax fuzzing)."""
    data = getattr(getattr(getattr(case, "meta", None), "phase", None), "data", None)
    mutations = getattr(data, "mutations", None) or ()
    return any(str(getattr(m, "operator", "")) == "syntax_fuzzing" for m in mutations)


def _negative_reason(case: Any, failure: Any) -> str | None:
    """What made the request invalid, as Schemathesis describes it."""
    for line in str(getattr(failure, "message", "") or "").splitlines():
        if line.startswith("Invalid component:"):
            reason = line.partition(":")[2].strip()
            if reason:
                return reason[0].lower() + reason[1:]
    data = getattr(getattr(getattr(case, "meta", None), "phase", None), "data", None)
    description = getattr(data, "description", None)
    if not isinstance(description, str) or not description:
        return None
    parameter = getattr(data, "parameter", None)
    location = getattr(data, "parameter_location", None)
    where = getattr(location, "name", "")
    description = description[0].lower() + description[1:]
    if parameter and f"`{parameter}`" in description:
        return description
    if parameter and where and where.lower() != "body":
        return f"{where.lower()} parameter `{parameter}`: {description}"
    return description


def _first(values: Any) -> str | None:
    if isinstance(values, list):
        return str(values[0]) if values else None
    return str(values) if values is not None else None


def _first_line(text: Any) -> str:
    lines = str(text or "").strip().splitlines()
    return lines[0] if lines else ""
