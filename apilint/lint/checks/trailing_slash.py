"""Trailing slashes: in path keys, between twin paths, and at the end of server URLs.

Frameworks do not agree on ``/users`` versus ``/users/``, and what they do costs clients a round
trip or a failure (measured with Werkzeug 3.1 and Starlette, read from Django's source):

- Flask (Werkzeug), route ``/users/``: a request to ``/users`` gets ``308 Permanent Redirect``;
  route ``/users``: a request to ``/users/`` gets ``404``.
- Django with ``APPEND_SLASH`` (the default), route ``users/``: ``/users`` gets
  ``301 Moved Permanently`` (in DEBUG mode a POST raises an error instead: most clients resend
  a POST redirected by a 301 as a GET, without its body); route ``users``: ``/users/`` gets 404.
- FastAPI and Starlette (``redirect_slashes``, the default): ``307 Temporary Redirect`` either way.
- Express (non-strict routing, the default) and ASP.NET Core treat both spellings as one route.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from apilint.documents.openapi import Node, Result, path_keys, server_urls
from apilint.http.paths import Template
from apilint.lint.checks import Context, Option, check


def _by_bare_shape(
    items: list[tuple[Node, Template]],
) -> dict[tuple[str, ...], list[tuple[Node, Template]]]:
    """Paths grouped by their shape without the trailing slash, one per spelling and shape."""
    groups: dict[tuple[str, ...], dict[bool, tuple[Node, Template]]] = defaultdict(dict)
    for node, template in items:
        groups[template.shape[:-1]].setdefault(template.trailing_slash, (node, template))
    return {shape: list(group.values()) for shape, group in groups.items()}


def _without(template: Template) -> str:
    return template.path.rstrip("/") or "/"


@check(
    "trailing_slash",
    policy=Option(
        str,
        "consistent",
        "'consistent': paths follow the document's majority (a tie counts as 'never'); "
        "'never': no path ends with '/'; 'always': every path does. '/' itself is exempt.",
        choices=("consistent", "never", "always"),
    ),
)
def trailing_slash(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Path keys agree on whether they end with a slash."""
    items = [(n, t) for n, t in path_keys(targets) if t.path not in ("", "/")]
    # Paths defined both ways are trailing-slash-duplicate's: neither spelling is the odd one.
    twins = {shape for shape, group in _by_bare_shape(items).items() if len(group) > 1}
    items = [(n, t) for n, t in items if t.shape[:-1] not in twins]
    with_slash = [(n, t) for n, t in items if t.trailing_slash]
    without = [(n, t) for n, t in items if not t.trailing_slash]
    policy = options["policy"]
    if policy == "consistent":
        policy = "always" if len(with_slash) > len(without) else "never"
        why_with = f", unlike {len(without)} of the {len(items)} paths"
        why_without = f", unlike {len(with_slash)} of the {len(items)} paths"
    else:
        why_with = why_without = ""
    if policy == "never":
        for node, template in with_slash:
            bare = _without(template)
            yield node.finding(
                f"'{template.raw}' ends with '/'{why_with}; remove the trailing slash (served by "
                f"Flask, Django or Starlette, a call to '{bare}' gets a redirect)"
            )
    else:
        for node, template in without:
            yield node.finding(
                f"'{template.raw}' has no trailing '/'{why_without}; end it with '/'"
            )


@check("trailing_slash_twins")
def trailing_slash_twins(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """No two path keys differ only by a trailing slash."""
    items = [(n, t) for n, t in path_keys(targets) if t.path not in ("", "/")]
    for group in _by_bare_shape(items).values():
        bare = [t for _, t in group if not t.trailing_slash]
        if not bare:
            continue
        for node, template in group:
            if template.trailing_slash:
                twin = bare[0].raw
                yield node.finding(
                    f"'{template.raw}' and '{twin}' differ only by the trailing slash, which "
                    "routers and caches treat as one URL; merge them into one path"
                )


@check("server_url_slash")
def server_url_slash(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Server URLs (and Swagger 2.0's basePath) do not end with '/'."""
    api = ctx.api
    paths = api.node("paths").value
    example = (
        next((k for k in paths if isinstance(k, str) and k.startswith("/") and k != "/"), "/users")
        if isinstance(paths, dict)
        else "/users"
    )
    for server in api.servers:
        url = server.get("url")
        if not isinstance(url, str) or url in ("", "/"):
            continue
        full = server_urls(server.value, limit=1)[0]
        if not full.endswith("/") or full == "/":
            continue
        where = "" if full == url else f" (with its variables' defaults: '{full}')"
        path = server.path or example
        yield server.finding(
            f"server URL '{url}' ends with '/'{where}: joined with '{path}' it gives "
            f"'{full}{path}', with '//' in the path; remove the trailing '/'",
            "url",
        )
    if api.is_v2:
        base = api.data.get("basePath")
        if isinstance(base, str) and base != "/" and base.endswith("/"):
            yield api.node("basePath").finding(
                f"basePath '{base}' ends with '/': joined with '{example}' it gives "
                f"'{base}{example}', with '//' in the path; remove the trailing '/'"
            )
