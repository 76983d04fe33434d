"""security-scheme-undefined: security requirements that name a scheme (or an OAuth2 scope)
the description does not define.

One of the hygiene rules (rules/hygiene.yaml) that Spectral's ``spectral:oas`` and Redocly's
``recommended`` rulesets have too; docs/rules-coverage.md says why these five."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from apilint.core.errors import ApilintError
from apilint.documents.openapi import Node, Result
from apilint.lint.checks import Context, check, did_you_mean


def _declared_scopes(scheme: dict[str, Any]) -> set[str] | None:
    """The scopes an OAuth2 scheme declares; None for other kinds of scheme."""
    if scheme.get("type") != "oauth2":
        return None
    scopes: set[str] = set()
    if isinstance(scheme.get("scopes"), dict):  # Swagger 2.0
        scopes.update(str(s) for s in scheme["scopes"])
    flows = scheme.get("flows")
    if isinstance(flows, dict):
        for flow in flows.values():
            if isinstance(flow, dict) and isinstance(flow.get("scopes"), dict):
                scopes.update(str(s) for s in flow["scopes"])
    return scopes


@check("security_scheme_undefined")
def security_scheme_undefined(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Security requirements name defined schemes, and OAuth2 scopes those schemes declare."""
    api = ctx.api
    schemes: dict[str, dict[str, Any]] = {}
    container = (
        api.node("securityDefinitions") if api.is_v2 else api.node("components", "securitySchemes")
    )
    if isinstance(container.value, dict):
        for name in container.value:
            try:
                value = api.resolve(container.child(name)).value
            except ApilintError:
                value = None
            schemes[str(name)] = value if isinstance(value, dict) else {}
    where = "securityDefinitions" if api.is_v2 else "components.securitySchemes"
    names = sorted(schemes)
    defined = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    defined = defined or "none"
    sites = [api.node("security")] + [op.node.child("security") for op in api.operations]
    for site in sites:
        if not isinstance(site.value, list):
            continue
        for index, requirement in enumerate(site.value):
            if not isinstance(requirement, dict):
                continue
            for name, scopes in requirement.items():
                scheme = schemes.get(str(name))
                if scheme is None:
                    yield site.finding(
                        f"security scheme '{name}' is not defined in {where} (defined: "
                        f"{defined}){did_you_mean(str(name), list(schemes))}",
                        index,
                        name,
                    )
                    continue
                declared = _declared_scopes(scheme)
                if declared is None or not isinstance(scopes, list):
                    continue
                for position, scope in enumerate(scopes):
                    if isinstance(scope, str) and scope not in declared:
                        scopes_all = sorted(declared)
                        listed = ", ".join(scopes_all[:5]) or "none"
                        if len(scopes_all) > 5:
                            listed += f" and {len(scopes_all) - 5} more"
                        yield site.finding(
                            f"scope '{scope}' is not declared by the OAuth2 scheme '{name}' "
                            f"(it declares: {listed}){did_you_mean(scope, sorted(declared))}",
                            index,
                            name,
                            position,
                        )
