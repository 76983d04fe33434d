"""A ``curl`` command line that sends the same request again, with secrets masked."""

from __future__ import annotations

from collections.abc import Mapping

from apilint.contract.redact import Redactor

NOISE_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "connection",
        "content-length",
        "host",
        "user-agent",
        "x-schemathesis-testcaseid",
    }
)
"""Headers every client sends on its own; they only make the line longer."""

MAX_BODY = 4096


def quote(text: str) -> str:
    """Single-quote for POSIX shells, always (so URLs with ``&`` and ``?`` are safe)."""
    return "'" + text.replace("'", "'\"'\"'") + "'"


def curl_command(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
    redactor: Redactor,
    *,
    insecure: bool = False,
) -> str:
    parts = ["curl", "-X", method.upper()]
    if insecure and url.lower().startswith("https:"):
        parts.append("-k")
    for name, value in headers.items():
        if name.lower() in NOISE_HEADERS:
            continue
        shown = redactor.header(name, value)
        # curl drops a header given as 'Name: ' (that is how it removes one); 'Name;' sends it
        # with an empty value.
        parts += ["-H", quote(f"{name}: {shown}" if shown.strip() else f"{name};")]
    if body:
        parts += ["--data-binary", quote(_body_text(body, redactor))]
    parts.append(quote(redactor.url(url)))
    return " ".join(parts)


def _body_text(body: bytes, redactor: Redactor) -> str:
    if len(body) > MAX_BODY:
        return f"<{len(body)} bytes, not shown>"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return f"<{len(body)} bytes of binary data>"
    if "\x00" in text:
        return f"<{len(body)} bytes of binary data>"
    return redactor.text(text)
