"""Cleaning the tallies up before templating: what a description should not contain.

In this order:

1. ``OPTIONS`` requests are left out (CORS preflights and the framework's own answers), and so are
   methods OpenAPI has no field for (``PROPFIND``, ``CONNECT``...).
2. ``HEAD`` is folded into ``GET`` on the same path: HTTP defines it as GET without the body and
   frameworks serve it with the GET route (the count stays in the usage, as ``head``).
3. Trailing-slash redirect pairs are resolved: when every request for ``/x`` was answered with a
   redirect (301, 302, 303, 307, 308) and ``/x/`` (or the other way round) was answered otherwise
   for the same method, ``/x`` is not an operation of its own: its requests go to ``/x/``'s usage
   as ``redirected``, and the description keeps the form that answered.
4. Paths the server does not have are left out: every request of every method answered 404 or
   405, or a scanner's probe never answered with a 2xx (a dot-file such as ``/.env`` or
   ``/.git/config`` but not ``/.well-known/...``, ``..`` segments, server-side script
   extensions such as ``.php``, WordPress's ``wp-*`` directories, ``cgi-bin``, markup or quotes
   in a segment), and the files browsers and crawlers ask a site's root for (``/robots.txt``,
   ``/favicon.ico``...). Then the methods of the remaining paths answered only 405 (Method Not
   Allowed).

What is left out is returned, for the command to list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from apilint.http.methods import HTTP_METHODS
from apilint.infer.observe import Key, Tally, is_marker, unmark

REDIRECTS = frozenset({"301", "302", "303", "307", "308"})
REFUSALS = frozenset({"404", "405"})
OPENAPI_METHODS = tuple(m for m in HTTP_METHODS if m != "options")
"""The operations of a Path Item apilint infers (``options`` is always left out)."""

_SCRIPT_EXTENSIONS = re.compile(
    r"\.(?:php\d?|phtml|asp|aspx|ashx|asmx|jsp|jspa|cgi|pl|cfm|env|ini|bak|old|orig|swp|sql|"
    r"sqlite|db|mdb|log|save|backup|tar|tgz|rar|7z)\Z",
    re.IGNORECASE,
)
SITE_FILES = frozenset(
    {
        "robots.txt",
        "sitemap.xml",
        "favicon.ico",
        "humans.txt",
        "ads.txt",
        "app-ads.txt",
        "crossdomain.xml",
        "browserconfig.xml",
        "site.webmanifest",
        "apple-touch-icon.png",
    }
)
"""Files at the root of a site that browsers and crawlers ask for."""
_PROBE_CHARS = re.compile(r"[<>\"'\\`{}|^\x00-\x1f\x7f]")


def looks_like_probe(shape: tuple[str, ...]) -> bool:
    """A path a vulnerability scanner asks for, not one an API client calls."""
    for segment in shape:
        if is_marker(segment) or not segment:
            continue
        lower = segment.lower()
        if lower.startswith(".") and lower != ".well-known":
            return True
        if ".." in lower or _PROBE_CHARS.search(segment):
            return True
        if _SCRIPT_EXTENSIONS.search(lower):
            return True
        if lower.startswith("wp-") or lower in ("cgi-bin", "phpmyadmin", "xmlrpc.php"):
            return True
    return False


def show_shape(shape: tuple[str, ...]) -> str:
    """A shape as a path: markers as ``{integer}``, ``{uuid}``..."""
    out = []
    for segment in shape:
        if is_marker(segment):
            kind, suffix = unmark(segment)
            out.append("{" + kind + "}" + suffix)
        else:
            out.append(segment)
    return "/" + "/".join(out)


def status_mix(status: dict[str, int]) -> str:
    """``{"404": 3, "405": 1}`` -> ``404 ×3, 405 ×1``."""  # noqa: RUF002
    return ", ".join(f"{code} ×{n}" for code, n in sorted(status.items()))


@dataclass(frozen=True)
class LeftOut:
    method: str
    """Upper case, or ``*`` for every method of a path."""
    path: str
    requests: int
    status: str
    reason: str

    def line(self) -> str:
        return f"{self.method} {self.path} ({self.requests} requests: {self.status}): {self.reason}"


@dataclass
class Cleaned:
    tallies: dict[Key, Tally]
    options: int = 0
    head: int = 0
    redirects: list[tuple[str, str, str, int]] = field(default_factory=list)
    """(method, form redirected from, form that answered, requests)."""
    left_out: list[LeftOut] = field(default_factory=list)


def _toggle(shape: tuple[str, ...]) -> tuple[str, ...] | None:
    if not shape or shape == ("",):
        return None
    if shape[-1] == "":
        return shape[:-1]
    return (*shape, "")


def clean(tallies: dict[Key, Tally]) -> Cleaned:
    out = Cleaned({})
    kept: dict[Key, Tally] = {}
    # 1. OPTIONS and methods OpenAPI has no field for.
    others: dict[str, Tally] = {}
    for (method, shape), tally in tallies.items():
        lower = method.lower()
        if lower == "options":
            out.options += tally.calls
        elif lower not in OPENAPI_METHODS:
            others.setdefault(method, Tally()).add(tally)
        else:
            kept[(method.upper(), shape)] = tally
    for method, tally in sorted(others.items()):
        out.left_out.append(
            LeftOut(
                method,
                "(any path)",
                tally.calls,
                status_mix(tally.status),
                "not an HTTP method OpenAPI describes",
            )
        )
    # 2. HEAD into GET.
    for key in [k for k in kept if k[0] == "HEAD"]:
        tally = kept.pop(key)
        target = kept.get(("GET", key[1]))
        if target is None:
            target = kept[("GET", key[1])] = Tally()
        target.add(tally)
        target.head += tally.calls
        out.head += tally.calls
    # 3. Trailing-slash redirect pairs.
    for key in sorted(kept):
        found = kept.get(key)
        if found is None or not set(found.status) <= REDIRECTS:
            continue
        method, shape = key
        other = _toggle(shape)
        if other is None:
            continue
        target = kept.get((method, other))
        if target is None or set(target.status) <= REDIRECTS | REFUSALS:
            continue
        for code, n in found.status.items():
            target.redirected[code] = target.redirected.get(code, 0) + n
        out.redirects.append((method, show_shape(shape), show_shape(other), found.calls))
        del kept[key]
    # 4. Paths the server does not have, then methods it refused.
    by_path: dict[tuple[str, ...], list[str]] = {}
    for method, shape in kept:
        by_path.setdefault(shape, []).append(method)
    for shape, methods in sorted(by_path.items()):
        status: dict[str, int] = {}
        calls = 0
        for method in methods:
            tally = kept[(method, shape)]
            calls += tally.calls
            for code, n in tally.status.items():
                status[code] = status.get(code, 0) + n
        reason = ""
        if set(status) <= REFUSALS:
            reason = "only refused (404/405): not a path the server has"
        elif looks_like_probe(shape) and not any(code.startswith("2") for code in status):
            reason = "a scanner's probe, never answered with a 2xx"
        elif len(shape) == 1 and shape[0].lower() in SITE_FILES:
            reason = "a file for browsers and crawlers, not an API operation"
        if reason:
            shown = sorted(methods)[0] if len(methods) == 1 else "*"
            out.left_out.append(
                LeftOut(shown, show_shape(shape), calls, status_mix(status), reason)
            )
            for method in methods:
                del kept[(method, shape)]
            continue
        for method in methods:
            tally = kept[(method, shape)]
            if set(tally.status) == {"405"}:
                out.left_out.append(
                    LeftOut(
                        method,
                        show_shape(shape),
                        tally.calls,
                        status_mix(tally.status),
                        "only 405 Method Not Allowed",
                    )
                )
                del kept[(method, shape)]
    out.tallies = kept
    return out
