"""Secrets never leave apilint: masking for reports, curl lines, notes and progress.

What counts as a secret:

- every value passed with ``--header`` (and the token part of ``Authorization: Bearer TOKEN``),
- every environment variable a ``--header`` value names as ``${NAME}``,
- the value of any credential-carrying header, whatever set it (``Authorization``, ``Cookie``,
  ``X-API-Key`` ... and the API-key headers the description declares),
- the value of a credential-looking query parameter (``access_token``, ``api_key`` ... and the
  API-key query parameters the description declares).

Known secret values are also masked wherever else they show up (a URL, a message echoing a
response), including their percent-encoded forms. The mask is ``***``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

MASK = "***"

SENSITIVE_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
        "apikey",
        "x-auth-token",
        "x-access-token",
        "x-csrf-token",
        "x-xsrf-token",
    }
)

SENSITIVE_QUERY = frozenset(
    {
        "access_token",
        "api_key",
        "api-key",
        "apikey",
        "auth",
        "client_secret",
        "id_token",
        "jwt",
        "key",
        "password",
        "refresh_token",
        "secret",
        "session",
        "sessionid",
        "sig",
        "signature",
        "token",
    }
)

MIN_SECRET_LENGTH = 4
"""Shorter values are masked where they are a header value, not as text anywhere else (masking
every 'a' in a report would only hide the report)."""


class Redactor:
    """Masks secrets in headers, URLs and free text. Thread-safe once built (read-only)."""

    def __init__(
        self,
        secrets: Iterable[str] = (),
        *,
        headers: Iterable[str] = (),
        query: Iterable[str] = (),
    ) -> None:
        self.header_names = SENSITIVE_HEADERS | {name.lower() for name in headers}
        self.query_names = SENSITIVE_QUERY | {name.lower() for name in query}
        forms: set[str] = set()
        for secret in secrets:
            for value in _variants(secret):
                if len(value) >= MIN_SECRET_LENGTH:
                    forms.add(value)
        self._secrets = sorted(forms, key=len, reverse=True)
        self._pattern = (
            re.compile("|".join(re.escape(s) for s in self._secrets)) if self._secrets else None
        )

    def text(self, value: str) -> str:
        """``value`` with every known secret replaced by ``***``."""
        if self._pattern is None or not value:
            return value
        return self._pattern.sub(MASK, value)

    def header(self, name: str, value: str) -> str:
        return MASK if name.lower() in self.header_names else self.text(value)

    def headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        return {name: self.header(name, value) for name, value in headers.items()}

    def url(self, url: str) -> str:
        """Mask credential query parameters and known secrets anywhere in ``url``."""
        parts = urlsplit(url)
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            if any(name.lower() in self.query_names for name, _ in pairs):
                masked = [
                    (name, MASK if name.lower() in self.query_names else value)
                    for name, value in pairs
                ]
                query = urlencode(masked, safe="*")
        masked_url = urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
        if parts.username or parts.password:
            # user:password@host -> ***@host
            host = parts.netloc.rpartition("@")[2]
            masked_url = urlunsplit((parts.scheme, f"{MASK}@{host}", parts.path, query, ""))
        return self.text(masked_url)


def _variants(secret: str) -> Iterable[str]:
    """The secret and the forms it takes inside URLs and headers."""
    yield secret
    yield quote(secret, safe="")
    yield quote_plus(secret, safe="")
    scheme, _, credentials = secret.partition(" ")
    if credentials and scheme.isalpha():
        # "Bearer abc..." also leaks as "abc..." (echoed by a server); the scheme is not secret.
        yield from _variants(credentials.strip())
