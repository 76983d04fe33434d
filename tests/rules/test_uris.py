"""Resource-oriented URI rules (rules/uris.yaml): each rule on failing and passing specs, and a
regression test for each false positive found by reading findings on real APIs."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from apilint.core.findings import Finding, Severity
from apilint.http.paths import parse
from apilint.http.words import casing_style, is_version, split_words
from apilint.lint.engine import Linter
from apilint.settings.config import Config

Lint = Callable[..., list[Finding]]
ROOT = Path(__file__).resolve().parents[2]


def ok(responses: str = '"200": {description: OK}') -> str:
    return f"responses: {{{responses}}}"


def path_spec(*paths: str, method: str = "get", body: str = "") -> str:
    """A spec with one operation per path (path parameters declared on the path item)."""
    lines = ["paths:"]
    for path in paths:
        lines.append(f"  {path}:")
        names = list(parse(path).params)
        if names:
            lines.append("    parameters:")
            for name in dict.fromkeys(names):
                lines.append(
                    f"      - {{name: {name}, in: path, required: true, schema: {{type: string}}}}"
                )
        lines.append(f"    {method}:")
        lines.append(f"      {ok()}")
    return "\n".join(lines) + "\n" + body


def rules_of(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def pointers(findings: list[Finding]) -> list[str]:
    return [f.pointer for f in findings]


def ptr(path: str) -> str:
    return "/paths/" + path.replace("~", "~0").replace("/", "~1")


# -- helpers --------------------------------------------------------------------------------


def test_words_and_templates() -> None:
    assert split_words("getUserProfile") == ("get", "User", "Profile")
    assert split_words("HTTPServer") == ("HTTP", "Server")
    assert split_words("get-user_profile.json") == ("get", "user", "profile", "json")
    assert all(is_version(v) for v in ("v1", "v2beta1", "v1p1beta1", "1.0", "v0.5", "2023-10-01"))
    assert not any(is_version(v) for v in ("v1configuration", "version", "h5", "v"))
    template = parse("/v1/{name}:cancel?x=1")
    assert template.path == "/v1/{name}:cancel"
    assert template.extra == "?x=1"
    assert template.segments[1].method == "cancel"
    assert template.segments[1].is_param
    assert parse("/users/").trailing_slash
    assert not parse("/").trailing_slash
    assert [s.text for s in parse("/a//b").segments] == ["a", "", "b"]
    assert casing_style("users") is None
    assert casing_style("_search") is None
    assert casing_style("Microsoft.Web") is None
    assert casing_style("$count") is None
    assert casing_style("check-runs") == "kebab"
    assert casing_style("projectsV2") is None  # a version glued on: one lower-case word
    assert casing_style("teamProjectsV2") == "camel"


# -- path-verb ------------------------------------------------------------------------------


def test_verb_segments_are_reported_at_the_path_key(lint: Lint) -> None:
    findings = lint(
        path_spec("/api/createThought", "/users/{id}/delete", "/do-payment", "/set_reader_display"),
        select=["path-verb"],
    )
    assert pointers(findings) == [
        ptr("/api/createThought"),
        ptr("/users/{id}/delete"),
        ptr("/do-payment"),
        ptr("/set_reader_display"),
    ]
    create, delete, do, set_ = findings
    assert (create.line, create.column) == (6, 3)
    assert "'createThought'" in create.message
    assert "verb 'create'" in create.message
    assert "POST /api/thoughts" in create.message
    assert "'delete' in '/users/{id}/delete' is a verb" in delete.message
    assert "DELETE /users/{id}" in delete.message
    assert "verb 'do'" in do.message
    assert "PATCH /reader_displays" in set_.message
    assert all(f.severity is Severity.WARNING for f in findings)


def test_conventional_endpoints_and_nouns_pass(lint: Lint) -> None:
    findings = lint(
        path_spec(
            "/search",
            "/status",
            "/health",
            "/login",
            "/logout",
            "/oauth/token",
            "/oauth/authorize",
            "/oauth/revoke",
            "/orders/{id}/cancellations",
            "/v1/users",
            "/updates",
            "/payments",
            "/batch",
            "/users/bulk-delete",
            "/exports",
            "/export",
            "/_search",
            "/settings",
            "/addresses",
            # Regressions: a cloud API's compute capacity, a noun; operations whose names a
            # standard fixes (FHIR's $translate, OData's $count).
            "/hostingEnvironments/{name}/capacities/compute",
            "/fhir/ConceptMap/$translate",
            "/users/$count",
        ),
        select=["path-verb"],
    )
    assert findings == []


def test_verbs_in_dotted_rpc_names_but_not_namespaces(lint: Lint) -> None:
    # Regression: 'Microsoft.Migrate' and 'Microsoft.Compute' are provider namespaces (Azure).
    findings = lint(
        path_spec(
            "/providers/Microsoft.Migrate/projects",
            "/providers/Microsoft.Compute/disks",
            "/rest_services.get_facilities",
        ),
        select=["path-verb"],
    )
    assert pointers(findings) == [ptr("/rest_services.get_facilities")]


def test_compound_nouns_starting_with_a_verb_pass(lint: Lint) -> None:
    # Regressions: 'upgradeProfiles' (Azure), 'refund_requests' (a marketplace), 'remove-token'
    # (GitHub: POST creates a token used to remove a runner), 'check-runs', 'test_clocks'.
    findings = lint(
        path_spec(
            "/clusters/{id}/upgradeProfiles/default",
            "/orders/{id}/refund_requests",
            "/runners/remove-token",
            "/repos/{id}/check-runs",
            "/repos/{id}/check-runs/{runId}",
            "/test_clocks/{clock}",
            "/test_helpers/cards",
            "/files/downloadUrl",
        ),
        select=["path-verb"],
    )
    assert findings == []


def test_noun_verbs_only_as_actions(lint: Lint) -> None:
    spec = """
    paths:
      /deployments/{id}/exportTemplate:
        parameters: [{name: id, in: path, required: true, schema: {type: string}}]
        post: {responses: {"200": {description: OK}}}
      /issues/{id}/lock:
        parameters: [{name: id, in: path, required: true, schema: {type: string}}]
        put: {responses: {"204": {description: Locked}}}
        delete: {responses: {"204": {description: Unlocked}}}
      /templates/email/list:
        get: {responses: {"200": {description: OK}}}
      /datasets/upload/sync:
        post: {responses: {"200": {description: OK}}}
      /compare/{basehead}:
        parameters: [{name: basehead, in: path, required: true, schema: {type: string}}]
        get: {responses: {"200": {description: OK}}}
    """
    findings = lint(spec, select=["path-verb"])
    # Regressions: a lock you PUT and DELETE is a resource (GitHub); 'upload/sync' is the
    # synchronous variant of an upload (a machine-learning API); 'compare/{basehead}' names what
    # follows it.
    assert pointers(findings) == [
        ptr("/deployments/{id}/exportTemplate"),
        ptr("/templates/email/list"),
    ]
    assert "GET /templates/email" in findings[1].message


def test_verbs_that_are_nouns_before_a_parameter(lint: Lint) -> None:
    findings = lint(
        path_spec("/stops/{id}", "/stop/{stopId}", "/users/delete/{id}"), select=["path-verb"]
    )
    assert pointers(findings) == [ptr("/users/delete/{id}")]


def test_a_verb_shared_by_many_paths_is_reported_once(lint: Lint) -> None:
    findings = lint(
        path_spec("/getUsers/{id}/posts", "/getUsers", "/getUsers/{id}"), select=["path-verb"]
    )
    assert pointers(findings) == [ptr("/getUsers")]
    assert "(2 more paths under '/getUsers')" in findings[0].message


def test_custom_methods_are_accepted_unless_the_option_says_otherwise(lint: Lint) -> None:
    spec = path_spec("/v1/{name}:cancel", "/v1/projects:batchGet")
    assert lint(spec, select=["path-verb"]) == []
    findings = lint(spec, select=["path-verb"], options={"path-verb": {"customMethods": False}})
    assert pointers(findings) == [ptr("/v1/{name}:cancel"), ptr("/v1/projects:batchGet")]
    assert findings[0].message.startswith("':cancel' in '/v1/{name}:cancel' is a custom method")


def test_verb_precision_on_namespaces_batches_and_fragments(lint: Lint) -> None:
    spec = path_spec(
        "/publish/v2/articles",  # a namespace in front of a version
        "/messages/delete-batch",  # a batch endpoint, whatever the word order
        "/#Action=DeleteUser",  # path-query-string's finding, not this rule's
    )
    assert lint(spec, select=["path-verb"]) == []


def test_compound_verbs_are_caught(lint: Lint) -> None:
    names = [
        "clearVolumes",
        "syncVolumeLicenses",
        "unshare",
        "list-rules",
        "cancelJob",
        "terminate_sessions",
        "change_status",
        "FlushCache",
    ]
    nouns = [f"/things/{{id}}/parts{i}" for i in range(len(names))]  # not an RPC-style API
    spec = path_spec(*(f"/things/{name}" for name in names), *nouns)
    findings = lint(spec, select=["path-verb"])
    assert pointers(findings) == [ptr(f"/things/{name}") for name in names]
    # Compound nouns of words that are nouns too stay silent.
    quiet = path_spec(
        "/check-runs",
        "/refund_requests",
        "/upgradeProfiles",
        "/runners/remove-token",
        "/auditLogs/signIns",
    )
    assert lint(quiet, select=["path-verb"]) == []


def test_actions_on_items_across_the_api_are_one_finding(lint: Lint) -> None:
    spec = path_spec(
        "/machines/{id}/restart",
        "/machines/{id}/stop",
        "/disks/{id}/detach",
        "/getThings",
        method="post",
    )
    findings = lint(spec, select=["path-verb"])
    assert pointers(findings) == ["/paths", ptr("/getThings")]
    assert findings[0].message.startswith("3 paths end in an action on an item ('detach'")
    two = path_spec("/machines/{id}/restart", "/disks/{id}/detach", method="post")
    assert len(lint(two, select=["path-verb"])) == 2
    off = lint(spec, select=["path-verb"], options={"path-verb": {"actionSummary": 0}})
    assert len(off) == 4


def test_an_rpc_style_api_is_one_finding(lint: Lint) -> None:
    # Telegram's and Slack's methods: every path is a verb, by design.
    spec = path_spec(
        "/getChat",
        "/sendMessage",
        "/deleteChatPhoto",
        "/setWebhook",
        "/getUpdates",
        "/chats",
        method="post",
    )
    findings = lint(spec, select=["path-verb"])
    assert pointers(findings) == ["/paths"]
    assert findings[0].message.startswith("5 of the 6 paths name an action")


def test_odata_actions_are_the_protocols_custom_methods(lint: Lint) -> None:
    spec = path_spec(
        "/users/{id}/microsoft.graph.createUploadSession", "/me/microsoft.graph.getByIds()"
    )
    assert lint(spec, select=["path-verb"]) == []
    strict = {"path-verb": {"customMethods": False}}
    assert len(lint(spec, select=["path-verb"], options=strict)) == 2


def test_advice_only_when_the_rest_is_a_noun(lint: Lint) -> None:
    spec = path_spec("/meetings/createOrGet", "/devices/getByIds", method="post")
    for finding in lint(spec, select=["path-verb"]):
        assert "orG" not in finding.message
        assert "/devices/ids" not in finding.message


def test_resource_manager_actions_are_the_platforms(lint: Lint) -> None:
    # Azure Resource Manager names its actions (listKeys, checkNameAvailability, restart) in the
    # provider's namespace: the platform's contract, like AIP-136's ':cancel'.
    spec = path_spec(
        "/subscriptions/{s}/providers/Microsoft.Web/checkNameAvailability",
        "/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Web/sites/{n}/listKeys",
        "/things",
        "/things/{id}",
        "/others",
        method="post",
    )
    assert lint(spec, select=["path-verb"]) == []
    strict = {"path-verb": {"customMethods": False}}
    assert len(lint(spec, select=["path-verb"], options=strict)) == 2


def test_no_guessed_resource_for_other_verbs(lint: Lint) -> None:
    spec = path_spec(
        "/text/recognize-language", "/recipes/visualizeRecipe", "/things/{id}/parts", "/a", "/b"
    )
    for finding in lint(spec, select=["path-verb"]):
        assert "POST" not in finding.message


def test_no_advice_to_act_on_the_root(lint: Lint) -> None:
    (finding,) = lint(path_spec("/delete", method="post"), select=["path-verb"])
    assert "DELETE /" not in finding.message
    (finding,) = lint(path_spec("/api/v1/delete", method="post"), select=["path-verb"])
    assert "DELETE" not in finding.message


def test_allowed_words(lint: Lint) -> None:
    spec = path_spec("/repositories/{id}/reindex")
    assert len(lint(spec, select=["path-verb"])) == 1
    assert lint(spec, select=["path-verb"], options={"path-verb": {"allowed": ["reindex"]}}) == []


def test_path_verb_in_swagger_2(lint: Lint) -> None:
    spec = """
    swagger: "2.0"
    info: {title: T, version: "1"}
    paths:
      /getUsers:
        get: {responses: {"200": {description: OK}}}
    """
    assert pointers(lint(spec, select=["path-verb"])) == [ptr("/getUsers")]


# -- path-plural-collection -----------------------------------------------------------------


def test_singular_collections(lint: Lint) -> None:
    findings = lint(
        path_spec(
            "/user/{userId}",
            "/fleet/{fleetname}",
            "/my/wishlist/{id}",
            "/user-profile/{profileId}",
            "/Player/{playerId}",
            "/person/{personId}",
        ),
        select=["path-plural-collection"],
    )
    assert pointers(findings) == [
        ptr("/user/{userId}"),
        ptr("/fleet/{fleetname}"),
        ptr("/my/wishlist/{id}"),
        ptr("/user-profile/{profileId}"),
        ptr("/Player/{playerId}"),
        ptr("/person/{personId}"),
    ]
    messages = [f.message for f in findings]
    assert "'/users/{userId}'" in messages[0]
    assert "'/my/wishlists/{id}'" in messages[2]
    assert "'/user-profiles/{profileId}'" in messages[3]
    assert "'/Players/{playerId}'" in messages[4]
    assert "'/people/{personId}'" in messages[5]


def test_plural_uncountable_and_non_collections_pass(lint: Lint) -> None:
    findings = lint(
        path_spec(
            "/users/{id}",
            "/people/{id}",
            "/news/{id}",
            "/data/{id}",
            "/metadata/{key}",
            "/series/{id}",
            "/media/{id}",
            "/info/{key}",
            "/billing/{id}",
            "/users/{id}/profile",
            "/v1/{name}",
            "/projectsV2/{number}",
            "/repositories-v1/{repository}",
            "/NewsByPlayerID/{playerid}",
            "/codes_of_conduct/{key}",
        ),
        select=["path-plural-collection"],
    )
    assert findings == []


def test_segments_that_are_not_collections_pass(lint: Lint) -> None:
    # Regressions from real APIs: a parameter that is not an item id (/timezone/{area},
    # /payment/{cardId}), a lookup key under a plural collection (/products/upc/{upc}),
    # prepositions, adjectives and participles, relations (/child/{uuid} lists children of
    # uuid), a qualified collection (/listing/car/auction/{id}), an action on something else
    # (POST /clitoken/{Name} creates a token for environment Name), counts (/person/{number}).
    spec = path_spec(
        "/timezone/{area}",
        "/payment/{cardId}",
        "/products/upc/{upc}",
        "/accounts/by-id/{id}",
        "/my/{thing}",
        "/user/starred/{repo}",
        "/child/{uuid}",
        "/listing/car/auction/{id}",
        "/api/person/{number}",
        "/search/{query}",
        "/delete/{id}",
    )
    spec += """
      /clitoken/{Name}:
        parameters: [{name: Name, in: path, required: true, schema: {type: string}}]
        post: {responses: {"200": {description: A token}}}
    """.replace("\n    ", "\n")
    assert lint(spec, select=["path-plural-collection"]) == []


def test_values_codes_and_unsure_plurals(lint: Lint) -> None:
    # A parameter that holds a value of the item is not its id; codes with digits and words
    # that already are a plural (skus of sku) are not singular nouns.
    quiet = path_spec(
        "/set/collector/{collectorIP}",
        "/user/{userEmail}",
        "/ports/{n}/timeout/{seconds}",
        "/skus/{sku}",
        "/erc20/{erc20Id}",
        "/schedule/timesOff/{timeOffId}",  # times off: the plural is the first word
        "/cache/{key}",  # an entry of a map, not an item of a collection of caches
    )
    assert lint(quiet, select=["path-plural-collection"]) == []
    # A singular whose plural is not sure is reported without a fix: never "buses"-style guesses.
    (finding,) = lint(path_spec("/bus/{busId}"), select=["path-plural-collection"])
    assert (
        finding.message
        == "'bus' in '/bus/{busId}' is singular but names a collection (it is followed by '{busId}')"
    )
    for finding in lint(path_spec("/sku/{skuId}"), select=["path-plural-collection"]):
        assert "skuses" not in finding.message


def test_plural_reported_once_per_prefix_and_allowed(lint: Lint) -> None:
    spec = path_spec("/user/{id}/posts", "/user/{id}")
    findings = lint(spec, select=["path-plural-collection"])
    assert pointers(findings) == [ptr("/user/{id}")]
    assert "(1 more path under '/user')" in findings[0].message
    options = {"path-plural-collection": {"allowed": ["user"]}}
    assert lint(spec, select=["path-plural-collection"], options=options) == []


# -- path-casing ----------------------------------------------------------------------------


def test_minority_style_is_reported(lint: Lint) -> None:
    findings = lint(
        path_spec("/payment-intents", "/setup-intents", "/billing_portal", "/users/{id}/api-keys"),
        select=["path-casing"],
    )
    assert pointers(findings) == [ptr("/billing_portal")]
    assert "'billing_portal'" in findings[0].message
    assert "snake_case" in findings[0].message
    assert "3 of the API's 4 multi-word segments use kebab-case" in findings[0].message
    assert "write 'billing-portal'" in findings[0].message


def test_a_consistent_api_in_any_style_passes(lint: Lint) -> None:
    for paths in (
        ("/payment_intents", "/setup_intents/{id}/cancel_action"),
        ("/userEvents", "/timeSeries/{id}"),
        ("/GamesByDate/{date}", "/PlayerStats"),
        ("/users", "/v1/Microsoft.Web/$count", "/v2beta1/{name}", "/api/DNS"),
    ):
        assert lint(path_spec(*paths), select=["path-casing"]) == [], paths


def test_configured_style_on_an_api_in_another_style_is_one_finding(lint: Lint) -> None:
    spec = path_spec("/payment_intents", "/setup_intents", "/tax_rates", "/apiKeys")
    findings = lint(spec, select=["path-casing"], options={"path-casing": {"style": "kebab"}})
    assert pointers(findings) == ["/paths", ptr("/apiKeys")]
    summary, camel = findings
    assert "snake_case (3 of 4 multi-word segments)" in summary.message
    assert "set this rule's 'style' option to 'snake'" in summary.message
    assert "write 'api-keys'" in camel.message
    findings = lint(spec, select=["path-casing"], options={"path-casing": {"style": "snake"}})
    assert pointers(findings) == [ptr("/apiKeys")]


def test_casing_tie_goes_to_kebab(lint: Lint) -> None:
    findings = lint(path_spec("/api-keys", "/tax_rates"), select=["path-casing"])
    assert pointers(findings) == [ptr("/tax_rates")]


def test_casing_reports_a_segment_once(lint: Lint) -> None:
    findings = lint(
        path_spec("/a-b", "/c-d", "/e_f", "/e_f/{id}", "/e_f/{id}/g-h"), select=["path-casing"]
    )
    assert pointers(findings) == [ptr("/e_f")]
    assert "(and 2 more paths)" in findings[0].message


def test_casing_skips_versions_bases_and_values(lint: Lint) -> None:
    # A version glued on is not a word boundary; a base every path shares is one choice, made
    # once; a literal where a sibling path has a parameter is a value, not a name.
    spec = path_spec(
        "/rest-service-fe/payment_intents",
        "/rest-service-fe/setup_intents",
        "/rest-service-fe/search-v1",
        "/rest-service-fe/tax_rates/revision_data-v1",
        "/rest-service-fe/rates/{pair}",
        "/rest-service-fe/rates/EUR_USD",
        "/rest-service-fe/zones/New-York",
        "/rest-service-fe/zones/{zone}",
        "/rest-service-fe/fhir/{type}",
        "/rest-service-fe/fhir/Observation",
        "/rest-service-fe/projectsV2",
        "/rest-service-fe/update_status#domain&repository",
    )
    assert lint(spec, select=["path-casing"]) == []
    # A segment in another style is still reported.
    spec = path_spec(
        "/rest-service-fe/payment_intents",
        "/rest-service-fe/setup_intents",
        "/rest-service-fe/apiKeys",
    )
    (finding,) = lint(spec, select=["path-casing"])
    assert finding.message.startswith("'apiKeys' in '/rest-service-fe/apiKeys' is camelCase")


# -- path-file-extension --------------------------------------------------------------------


def test_format_extensions(lint: Lint) -> None:
    findings = lint(
        path_spec(
            "/reports/{id}.csv",
            "/lists/movies.json",
            "/users.{format}",
            "/robots.txt",
            "/openapi.json",
            "/.well-known/jwks.json",
            "/providers/Microsoft.Web/sites",
            "/api/v1.2/users",
        ),
        select=["path-file-extension"],
    )
    assert pointers(findings) == [
        ptr("/reports/{id}.csv"),
        ptr("/lists/movies.json"),
        ptr("/users.{format}"),
    ]
    assert "'Accept: text/csv'" in findings[0].message
    assert "serve 'movies'" in findings[1].message


def test_extension_precision(lint: Lint) -> None:
    # Any templated suffix is a format; a version's parts are not; standard documents are not.
    spec = path_spec(
        "/files/{name}.{content_type}",
        "/api/{major}.{minor}/users",
        "/wmts/1.0.0/WMTSCapabilities.xml",
        "/ogc/WMSCapabilities.xml",
        "/compare/{base}...{head}",  # a range
    )
    findings = lint(spec, select=["path-file-extension"])
    assert pointers(findings) == [ptr("/files/{name}.{content_type}")]
    assert findings[0].message.startswith(
        "'{name}.{content_type}' in '/files/{name}.{content_type}' puts the format in the URL"
    )
    # An API that puts '.json' on every path gets one finding for the document.
    many = path_spec(*(f"/things{i}/{{id}}.json" for i in range(6)), "/report.csv")
    findings = lint(many, select=["path-file-extension"])
    assert pointers(findings) == ["/paths", ptr("/report.csv")]
    assert findings[0].message.startswith("6 paths end in the format extension '.json'")


# -- path-empty-segment, path-query-string --------------------------------------------------


def test_empty_segment(lint: Lint) -> None:
    findings = lint(path_spec("/users//posts", "/users/", "/"), select=["path-empty-segment"])
    assert pointers(findings) == [ptr("/users//posts")]
    assert findings[0].severity is Severity.ERROR


def test_query_string_and_fragment(lint: Lint) -> None:
    findings = lint(
        path_spec("/users?active=true", "/#Action=CreateUser", "/search&q", "/users"),
        select=["path-query-string"],
    )
    assert pointers(findings) == [
        ptr("/users?active=true"),
        ptr("/#Action=CreateUser"),
        ptr("/search&q"),
    ]
    query, fragment, amp = (f.message for f in findings)
    assert "'active'" in query
    assert "'in: query'" in query
    assert "keep the key '/users'" in query
    assert "clients never send" in fragment
    assert "the server sees '/'" in fragment
    assert "'&'" in amp


# -- path-ambiguous -------------------------------------------------------------------------


def test_same_shape_is_an_error_at_both(lint: Lint) -> None:
    spec = """
    paths:
      /users/{id}:
        parameters: [{name: id, in: path, required: true, schema: {type: string}}]
        get: {responses: {"200": {description: OK}}}
      /users/{name}:
        parameters: [{name: name, in: path, required: true, schema: {type: string}}]
        delete: {responses: {"204": {description: Deleted}}}
    """
    findings = lint(spec, select=["path-ambiguous"])
    assert pointers(findings) == [ptr("/users/{id}"), ptr("/users/{name}")]
    assert all(f.severity is Severity.ERROR for f in findings)
    assert "differ only in parameter names" in findings[0].message
    assert "'/users/{name}'" in findings[0].message


def test_literal_beside_parameter_is_info(lint: Lint) -> None:
    findings = lint(path_spec("/users/me", "/users/{id}"), select=["path-ambiguous"])
    assert pointers(findings) == [ptr("/users/me")]
    assert findings[0].severity is Severity.INFO
    assert "also matched by '/users/{id}'" in findings[0].message


def test_parameters_that_cannot_take_the_literal(lint: Lint) -> None:
    # Regression: GitHub's /issues/comments beside /issues/{issue_number} (an integer), and
    # enums, patterns and uuid formats that exclude the literal.
    spec = """
    paths:
      /issues/comments:
        get: {responses: {"200": {description: OK}}}
      /issues/{number}:
        parameters: [{name: number, in: path, required: true, schema: {type: integer}}]
        get: {responses: {"200": {description: OK}}}
      /tools/default:
        get: {responses: {"200": {description: OK}}}
      /tools/{kind}:
        parameters: [{name: kind, in: path, required: true, schema: {enum: [hammer, saw]}}]
        get: {responses: {"200": {description: OK}}}
      /keys/public-key:
        get: {responses: {"200": {description: OK}}}
      /keys/{key}:
        parameters:
          - {name: key, in: path, required: true, schema: {type: string, pattern: "^[A-Z_]+$"}}
        get: {responses: {"200": {description: OK}}}
      /projects/default:
        get: {responses: {"200": {description: OK}}}
      /projects/{id}:
        parameters: [{name: id, in: path, required: true, schema: {type: string, format: uuid}}]
        get: {responses: {"200": {description: OK}}}
    """
    assert lint(spec, select=["path-ambiguous"]) == []


def test_overlaps_without_a_shared_method_pass(lint: Lint) -> None:
    spec = """
    paths:
      /users/me:
        get: {responses: {"200": {description: OK}}}
      /users/{id}:
        parameters: [{name: id, in: path, required: true, schema: {type: string}}]
        delete: {responses: {"204": {description: Deleted}}}
    """
    assert lint(spec, select=["path-ambiguous"]) == []


def test_crossing_overlap_is_a_warning_at_both(lint: Lint) -> None:
    findings = lint(
        path_spec("/users/{id}/posts", "/users/me/{section}"), select=["path-ambiguous"]
    )
    assert pointers(findings) == [ptr("/users/{id}/posts"), ptr("/users/me/{section}")]
    assert all(f.severity is Severity.WARNING for f in findings)
    assert "neither is more specific" in findings[0].message


def test_keys_with_a_fragment_are_left_to_path_query_string(lint: Lint) -> None:
    # Regression: converted AWS descriptions put every action on '/#Action=...'.
    findings = lint(
        path_spec("/#Action=A", "/#Action=B", "/detect#overload=stream", "/detect"),
        select=["path-ambiguous"],
    )
    assert findings == []


def test_parameter_types_that_exclude_the_overlap(lint: Lint) -> None:
    # An int32 id never holds the ',' of '{lat},{lng}', nor an enum a value it does not list.
    spec = """
    paths:
      /points/{id}:
        parameters: [{name: id, in: path, required: true, schema: {type: integer, format: int32}}]
        get: {responses: {"200": {description: OK}}}
      /points/{lat},{lng}:
        parameters:
          - {name: lat, in: path, required: true, schema: {type: number}}
          - {name: lng, in: path, required: true, schema: {type: number}}
        get: {responses: {"200": {description: OK}}}
      /files/{kind}:
        parameters: [{name: kind, in: path, required: true, schema: {type: string, enum: [a, b]}}]
        get: {responses: {"200": {description: OK}}}
      /files/{name}.zip:
        parameters: [{name: name, in: path, required: true, schema: {type: string}}]
        get: {responses: {"200": {description: OK}}}
    """
    assert lint(spec, select=["path-ambiguous"]) == []
    # A string parameter can hold the comma: still reported.
    loose = path_spec("/points/{id}", "/points/{lat},{lng}")
    assert pointers(lint(loose, select=["path-ambiguous"])) == [ptr("/points/{lat},{lng}")]


def test_protocol_reserved_segments_are_no_ids(lint: Lint) -> None:
    # OData's $count, functions and type casts (Microsoft Graph), FHIR's $validate: no item id
    # has that form, so the parameter beside them is no overlap.
    spec = path_spec(
        "/users/{id}",
        "/users/$count",
        "/users/microsoft.graph.delta()",
        "/users/microsoft.graph.itemAt(index={index})",
        "/users/microsoft.graph.user",
        "/users/me",
    )
    findings = lint(spec, select=["path-ambiguous"])
    assert pointers(findings) == [ptr("/users/me")]


def test_ambiguity_severity_is_the_users_to_choose(lint: Lint, tmp_path: Path) -> None:
    # The check reports a literal beside a parameter as the rule's milder case (info); a
    # severity set in the config is the user's choice and stands (issue: severity belongs to
    # the rule entry and the config, not to the check).
    from apilint.settings.config import RuleSetting

    config = Config()
    config.rules = {"path-ambiguous": RuleSetting(severity="warning")}
    findings = lint(path_spec("/users/me", "/users/{id}"), select=["path-ambiguous"], config=config)
    assert [f.severity for f in findings] == [Severity.WARNING]
    findings = lint(path_spec("/users/me", "/users/{id}"), select=["path-ambiguous"])
    assert [f.severity for f in findings] == [Severity.INFO]


# -- path-param-undeclared ------------------------------------------------------------------


def test_undeclared_template_parameter(lint: Lint) -> None:
    spec = """
    paths:
      /thoughts/{thoughtId}/likes:
        get:
          responses: {"200": {description: OK}}
        post:
          responses: {"200": {description: OK}}
    """
    findings = lint(spec, select=["path-param-undeclared"])
    assert pointers(findings) == [ptr("/thoughts/{thoughtId}/likes")]
    finding = findings[0]
    assert (finding.line, finding.column) == (6, 3)
    assert finding.severity is Severity.ERROR
    assert "'{thoughtId}'" in finding.message
    assert "by GET, POST" in finding.message


def test_one_operation_lacks_the_parameter(lint: Lint) -> None:
    spec = """
    paths:
      /users/{userId}:
        get:
          parameters: [{name: userId, in: path, required: true, schema: {type: integer}}]
          responses: {"200": {description: OK}}
        delete:
          responses: {"204": {description: Deleted}}
    """
    findings = lint(spec, select=["path-param-undeclared"])
    assert pointers(findings) == [ptr("/users/{userId}") + "/delete"]
    assert findings[0].operation == "DELETE /users/{userId}"
    assert "(GET does)" in findings[0].message


def test_declared_parameter_missing_from_template(lint: Lint) -> None:
    spec = """
    paths:
      /users/{userId}:
        parameters:
          - $ref: "#/components/parameters/UserId"
          - $ref: "#/components/parameters/PostId"
        get:
          parameters:
            - {name: userid, in: path, required: true, schema: {type: integer}}
          responses: {"200": {description: OK}}
    components:
      parameters:
        UserId: {name: userId, in: path, required: true, schema: {type: integer}}
        PostId: {name: postId, in: path, required: true, schema: {type: integer}}
    """
    findings = lint(spec, select=["path-param-undeclared"])
    # Reported where the declarations are written (the $ref, not the shared component).
    assert pointers(findings) == [
        ptr("/users/{userId}") + "/parameters/1",
        ptr("/users/{userId}") + "/get/parameters/0",
    ]
    assert "'postId' is declared" in findings[0].message
    assert "did you mean 'userId'?" in findings[1].message


def test_path_level_parameters_count(lint: Lint) -> None:
    spec = """
    paths:
      /users/{userId}:
        parameters: [{name: userId, in: path, required: true, schema: {type: integer}}]
        get: {responses: {"200": {description: OK}}}
        delete: {responses: {"204": {description: Deleted}}}
    """
    assert lint(spec, select=["path-param-undeclared"]) == []


def test_path_params_in_swagger_2(lint: Lint) -> None:
    spec = """
    swagger: "2.0"
    info: {title: T, version: "1"}
    paths:
      /users/{userId}:
        get:
          parameters: [{name: id, in: path, required: true, type: integer}]
          responses: {"200": {description: OK}}
    """
    findings = lint(spec, select=["path-param-undeclared"])
    assert pointers(findings) == [
        ptr("/users/{userId}"),
        ptr("/users/{userId}") + "/get/parameters/0",
    ]


# -- path-nesting-depth ---------------------------------------------------------------------


def test_nesting_depth(lint: Lint) -> None:
    deep = "/users/{u}/posts/{p}/comments/{c}/replies/{r}"
    spec = path_spec(
        deep, deep + "/likes", "/users/{u}/posts/{p}/comments/{c}", "/v1/{name}/a/{b}/c/{d}"
    )
    findings = lint(spec, select=["path-nesting-depth"])
    assert pointers(findings) == [ptr(deep)]
    assert findings[0].severity is Severity.INFO
    assert (
        "nests 4 collections (users, posts, comments, replies), more than 3" in findings[0].message
    )
    assert "(1 more path under" in findings[0].message
    assert (
        lint(spec, select=["path-nesting-depth"], options={"path-nesting-depth": {"max": 4}}) == []
    )


def test_nesting_depth_counts_the_apis_own_hierarchy(lint: Lint) -> None:
    # Azure Resource Manager: the scope before the provider namespace is the platform's.
    arm = "/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Web/sites/{n}/slots/{t}"
    generic = "/subscriptions/{s}/resourceGroups/{g}/providers/{ns}/things/{t}/parts/{p}"
    assert lint(path_spec(arm, generic), select=["path-nesting-depth"]) == []
    # A prefix every path of the document shares is its base, not a nesting choice.
    base = "/tenants/{t}/workspaces/{w}"
    spec = path_spec(base + "/projects/{p}/boards/{b}", base + "/users/{u}")
    assert lint(spec, select=["path-nesting-depth"]) == []
    # ...but the API's own levels after the namespace still count.
    deep = arm + "/a/{x}/b/{y}"
    (finding,) = lint(path_spec(deep), select=["path-nesting-depth"])
    assert "nests 4 collections (sites, slots, a, b)" in finding.message


# -- the bundled example and real APIs ------------------------------------------------------


def test_thoughts_example(tmp_path: Path) -> None:
    linter = Linter(Config(), select=["uris", "trailing-slash"])
    findings, _ = linter.lint_file(ROOT / "examples" / "thoughts" / "openapi.yaml")
    found = {(f.rule, f.pointer) for f in findings}
    assert found == {
        ("server-url-trailing-slash", "/servers/0/url"),
        ("trailing-slash-consistency", ptr("/api/users/")),
        ("path-plural-collection", ptr("/api/user/{userId}")),
        ("path-verb", ptr("/api/createThought")),
        ("path-verb", ptr("/api/thoughts/{thoughtId}/delete")),
        ("path-param-undeclared", ptr("/api/thoughts/{thoughtId}/likes")),
    }
    fixed, _ = linter.lint_file(ROOT / "examples" / "thoughts" / "openapi.fixed.yaml")
    assert fixed == []


@pytest.mark.parametrize(
    ("name", "bounds"),
    [
        (
            "github/api.github.com.json",
            # path-verb: actions on items ('.../{id}/rerun', 31 of them) said once at /paths
            {"path-verb": (5, 30), "path-casing": (20, 60), "path-plural-collection": (1, 10)},
        ),
        ("large/stripe.com.json", {"path-verb": (3, 20), "path-ambiguous": (1, 30)}),
    ],
)
def test_real_apis(corpus: Path, name: str, bounds: dict[str, tuple[int, int]]) -> None:
    linter = Linter(Config(), select=["uris", "trailing-slash"])
    started = time.perf_counter()
    findings, _ = linter.lint_file(corpus / name)
    elapsed = time.perf_counter() - started
    counts = Counter(f.rule for f in findings)
    for rule, (low, high) in bounds.items():
        assert low <= counts[rule] <= high, (rule, counts[rule])
    # Both are valid, validated descriptions: nothing undeclared, no empty segments, no '?'.
    for rule in ("path-param-undeclared", "path-empty-segment", "path-query-string"):
        assert counts[rule] == 0, rule
    summaries = [f for f in findings if f.rule == "path-verb" and f.pointer == "/paths"]
    assert len(summaries) == 1 and "paths end in an action on an item" in summaries[0].message
    assert elapsed < 10


def test_a_plural_phrase_with_items_is_a_collection_not_a_verb(lint: Lint) -> None:
    # Twilio's '/ConnectApps.json' and '/ConnectApps/{Sid}.json': a collection whose name
    # starts with a word that reads as a verb; 'add-on' is a thing.
    spec = path_spec(
        "/accounts/{sid}/ConnectApps.json",
        "/accounts/{sid}/ConnectApps/{appSid}.json",
        "/recordings/{sid}/AddOnResults",
    )
    assert lint(spec, select=["path-verb"]) == []
    # An action with an argument is still one: no '/move-reviews' collection exists.
    spec = path_spec("/projects/{key}/move-reviews/{destinationKey}")
    assert [f.rule for f in lint(spec, select=["path-verb"])] == ["path-verb"]
