"""apilint's one vocabulary: words in path segments and operation ids (splitting, verbs and
what kind of verb, nouns and their number, casing styles).

The vocabularies below were chosen by reading every literal segment of the real descriptions in
the project's corpus (GitHub, Stripe and 200 public APIs) and are documented with the rules that
use them (``rules/uris.yaml``). They are deliberately conservative: a word lands in ``VERBS`` only
when it is (almost) never a noun in a URL, so that a precise finding beats a clever guess.

Singular and plural forms come from the ``pluralizer`` library (a port of the widely used
JavaScript ``pluralize`` rules), imported only when a segment actually needs judging.
"""

from __future__ import annotations

import enum
import re
from functools import cache, lru_cache
from typing import Any

from apilint.http.methods import STANDARD_METHODS

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+")
_VERSION = re.compile(
    r"v[0-9]+(?:[._][0-9]+)*(?:p[0-9]+)?(?:(?:alpha|beta|rc|preview|dev)[0-9]*)*"
    r"|[0-9]+(?:[._][0-9]+)*"
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}(?:-(?:preview|beta))?",
    re.IGNORECASE,
)
_SEPARATED = re.compile(r"[-_]")


@lru_cache(maxsize=16384)
def split_words(text: str) -> tuple[str, ...]:
    """Words of a segment, as written: ``getUserProfile`` and ``get-user_profile`` both give
    (get, User/user, Profile/profile); ``HTTPServer`` gives (HTTP, Server); digits stay with the
    letters before them (``oauth2``, ``v1``)."""
    return tuple(_WORD.findall(text))


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Each word of ``text`` with its start and end offsets."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=65536)
def lower_words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in split_words(text))


def is_version(text: str) -> bool:
    """``v1``, ``v2beta1``, ``v1p1beta1``, ``1.0``, ``v0.5``, ``2023-10-01``: not a word."""
    return bool(_VERSION.fullmatch(text))


def _vocabulary(text: str) -> frozenset[str]:
    return frozenset(text.split())


# -- verbs ----------------------------------------------------------------------------------

VERBS = _vocabulary(
    """
    abort accept activate add analyse analyze annotate append apply approve assign attach
    authorise authorize calculate cancel capture change classify clear clone collect confirm
    convert copy create deactivate decline decrement delete demote deny deploy deprovision
    deregister destroy detach detect disable disconnect dismiss do downgrade duplicate edit
    enable enqueue erase evaluate execute extend extract fetch finalise finalize find flush
    forward generate get increment insert invalidate invite kick list make mark merge migrate
    modify move mute notify
    parse pause perform predict promote provision publish purge put reactivate reboot rebuild
    recalculate recognize redeem refund regenerate register reindex reject remove rename render
    renew reopen reorder replace rerun resend reset resize restart restore resume resync
    retrieve retry revert revoke rollback rotate save send set sign start stop submit subscribe
    summarise summarize suspend terminate toggle transcribe translate unarchive unassign unban
    unblock undelete undeploy undo unfollow unlike unlink unlock unmute unpin unpublish
    unregister unset unshare unsign unstar unsubscribe unsuspend unwatch update upgrade upsert
    validate verify visualise visualize write
    """
)
"""Action verbs: a segment that is, or starts with, one of these names an action."""

NOUN_VERBS = _vocabulary(
    """
    answer archive ban block check close commit compare complete connect count download
    echo export filter follow handle import like load lock lookup open pin ping preview
    print process query read record release reply report return review run scan schedule search
    select share show sort star sync test track transfer trigger upload view void wait watch
    """
)
"""Words that are verbs and nouns alike (``/lock``, ``/check-runs``, ``/exports``): reported only
when the segment ends the path, has nothing below it, is not a collection, and is the word alone
or a camelCase phrase starting with it (``exportTemplate``, ``checkNameAvailability``)."""

NOUNS_TOO = _vocabulary(
    """
    change copy duplicate edit invite list mark merge move pause refund request reset rollback
    save set sign start stop update upgrade
    """
)
"""Verbs that are also countable nouns: alone and followed by a ``{param}`` they name a
collection (``/refund/{id}``, ``/stop/{stop_id}``), which is path-plural-collection's business."""

CRUD_METHODS = {
    **dict.fromkeys(("get", "fetch", "retrieve", "find", "list", "read", "show", "view"), "GET"),
    **dict.fromkeys(("create", "add", "insert", "make", "register"), "POST"),
    **dict.fromkeys(("delete", "remove", "destroy", "erase", "purge"), "DELETE"),
    **dict.fromkeys(("update", "modify", "edit", "set", "change"), "PATCH"),
    **dict.fromkeys(("put", "upsert", "save", "replace"), "PUT"),
}
"""Verbs that only repeat what an HTTP method says, and that method."""

COMPOUND_HEADS = _vocabulary(
    """
    attempt attempts candidate candidates config configs configuration configurations definition
    definitions history hook hooks job jobs limit limits link links log logs mode modes operation
    operations option options plan plans policies policy profile profiles queue queues quota
    quotas record records request requests result results rule rules run runs schedule schedules
    session sessions set sets setting settings state states task tasks trigger triggers window
    windows
    """
)
"""Nouns that make a compound noun of a word that is a noun as well as a verb (``NOUN_VERBS``,
``NOUNS_TOO``): ``upgradeProfiles`` and ``refund_requests`` are kinds of things. After a verb
that is only a verb they are its object: ``cancelJob``, ``terminate_sessions``, ``list-rules``."""

LEADING_VERBS = _vocabulary("list")
"""Words in ``NOUNS_TOO`` (``/list/{id}`` is a collection) that lead a compound only as its verb:
``list-rules`` and ``listJobs`` list things."""

THING_HEADS = _vocabulary("token tokens url urls uri uris link links")
"""Nouns that make a thing of any verb before them: ``downloadUrl``, ``remove-token`` (a token
for removing a runner) and ``upload-link`` are things a client fetches, not actions."""

ACTION_NOUNS = {
    "approve": "approvals",
    "cancel": "cancellations",
    "capture": "captures",
    "confirm": "confirmations",
    "deploy": "deployments",
    "invite": "invitations",
    "migrate": "migrations",
    "publish": "publications",
    "redeem": "redemptions",
    "refund": "refunds",
    "reject": "rejections",
    "renew": "renewals",
    "rerun": "reruns",
    "restore": "restorations",
    "retry": "retries",
    "revert": "reverts",
    "send": "messages",
    "submit": "submissions",
    "transfer": "transfers",
    "validate": "validations",
    "verify": "verifications",
}
"""Actions and the resource that records one (POST .../cancellations)."""

STATE_VERBS = _vocabulary(
    """
    activate archive ban block close deactivate disable enable follow lock mute pause pin
    reactivate reopen restart resume start star stop subscribe suspend toggle unarchive unban
    unblock unfollow unlike unlock unmute unpin unstar unsubscribe unsuspend unwatch watch
    """
)
"""Actions that change a state a resource can hold (PATCH it, or PUT/DELETE a sub-resource)."""

CONVENTIONAL = _vocabulary(
    """
    search autocomplete suggest suggestions lookup login logout signin signout signup sign-in
    sign-out sign-up log-in log-out register authorize authorise authenticate token tokens
    revoke introspect userinfo refresh callback ping echo health healthz healthcheck livez
    readyz status count batch bulk export import upload download verify sync
    """
)
"""Conventional endpoint names that read as verbs but name a well-known function of an API
(search, authentication and OAuth 2.0 endpoints, health checks, counts, batch and bulk endpoints,
export/import/upload/download): never reported."""

MODIFIERS = frozenset({"async", "auto", "force", "mass", "multi"})
"""Leading words that qualify the verb after them (``force-delete``, ``asyncCreate``)."""

BATCH_WORDS = frozenset({"batch", "bulk"})
"""A segment starting with these is a batch endpoint (``/bulk-delete``, ``/batchCreate``): HTTP
has no method for acting on many resources at once, so a named batch action is the accepted way."""


# -- nouns and their number -------------------------------------------------------------------

PREPOSITIONS = _vocabulary(
    "by for from of in on at to with within via per since until before after into over off out"
)
"""A compound such as ``NewsByPlayerID``, ``codes_of_conduct`` or ``timesOff`` is named by
its words before the first preposition; a segment that starts with one (``by-id``) is a
qualifier, not a noun."""

ADJECTIVES = _vocabulary(
    """
    absolute active aggregate all advanced async basic current custom default external first
    global internal last latest live local main me mine my new next old own pending popular
    previous primary private public random recent secondary self standard top trending upcoming
    """
)

UNCOUNTABLE = _vocabulary(
    """
    access admin administration analytics audio auth authentication authorization bandwidth
    code commerce compliance config content data documentation ecommerce evidence feedback
    finance firmware hardware health help history iam info information infrastructure inventory
    knowledge legal mail management media metadata middleware money music news oauth payroll
    personnel research security software spam sso staff status storage stuff support telemetry
    traffic weather web
    """
)
"""Words used as mass nouns in URLs (``/billing/{id}`` is not "billings"), on top of the
library's own list (news, data, series, equipment...)."""

COUNTABLE_ING = _vocabulary(
    """
    booking building ceiling drawing earring embedding ending filing finding heading holding
    landing listing mapping meeting offering opening painting posting rating reading recording
    ring saving setting sibling spring string thing warning wedding wing king
    """
)
"""Words in -ing that are countable nouns (other -ing words are activities: billing, shipping)."""

ID_WORDS = _vocabulary(
    """
    id ids uuid guid key name slug code sid handle identifier hash pk oid uid
    """
)
"""Parameter names that identify an item of the collection named just before them (not
``number``: ``/person/{number}`` is as often a count as an id)."""

RELATIONS = _vocabulary(
    """
    ancestor child descendant neighbor neighbour parent predecessor related relative sibling
    successor
    """
)
"""Nouns that name a relation of the item the parameter identifies: ``/child/{uuid}`` lists the
children of ``uuid``, it is not a collection of children keyed by it."""

NAMESPACES = _vocabulary("api apis rest admin internal public private static v")
"""Segments that group an API rather than name a resource."""

NAMESPACE_PARENTS = _vocabulary("providers")
"""Segments whose value is a namespace of resource types (Azure Resource Manager's
``/providers/Microsoft.Compute``): what comes after starts a hierarchy of its own."""


@cache
def pluralizer() -> Any:
    from pluralizer import Pluralizer

    return Pluralizer()  # type: ignore[no-untyped-call]


def singular(word: str) -> str:
    return str(pluralizer().singular(word))


def plural(word: str) -> str:
    return str(pluralizer().plural(word))


@lru_cache(maxsize=16384)
def is_plural(word: str) -> bool:
    """An unambiguously plural noun: ``users``; not ``news``, ``series`` or ``status``, which the
    library counts as singular too, nor a short or non-alphabetic token (``ok``, ``v2``)."""
    lower = word.lower()
    if len(lower) < 3 or not lower.isalpha():
        return False
    engine = pluralizer()
    return bool(engine.is_plural(lower)) and not engine.is_singular(lower)


@lru_cache(maxsize=8192)
def is_uncountable(word: str) -> bool:
    """A noun without a plural: ``news``, ``data``, ``series``, ``billing`` (an activity in
    -ing), the words of ``UNCOUNTABLE`` and of the library's own list."""
    lower = word.lower()
    if lower in UNCOUNTABLE:
        return True
    if lower.endswith("ing") and lower not in COUNTABLE_ING:
        return True
    engine = pluralizer()
    return bool(engine.is_plural(lower)) and bool(engine.is_singular(lower))


def names_many(word: str) -> bool:
    """A fit name for a collection: plural, or a noun without a plural. A word that is the
    plural of its stem without the final s counts too, whatever the library says of it:
    ``skus`` (of sku, never "skuses"), ``cpus``."""
    lower = word.lower()
    if is_uncountable(lower) or bool(pluralizer().is_plural(lower)):
        return True
    return len(lower) > 3 and lower.endswith("s") and plural(lower[:-1]) == lower


WELL_KNOWN_FILES = _vocabulary(
    """
    robots.txt sitemap.xml favicon.ico security.txt humans.txt ads.txt app-ads.txt manifest.json
    openapi.json openapi.yaml openapi.yml swagger.json swagger.yaml swagger.yml jwks.json
    crossdomain.xml browserconfig.xml site.webmanifest service-worker.js sw.js
    """
)
"""File names whose extension is part of a standard or de-facto standard name."""


# -- casing styles ----------------------------------------------------------------------------

STYLES = ("kebab", "snake", "camel", "pascal")
STYLE_NAMES = {
    "kebab": "kebab-case",
    "snake": "snake_case",
    "camel": "camelCase",
    "pascal": "PascalCase",
    "other": "mixed case",
}
_LOWER = re.compile(r"[a-z0-9]+\Z")
_UPPER = re.compile(r"[A-Z0-9]+\Z")
_NAME = re.compile(r"[A-Za-z0-9_-]+")


def casing_style(text: str) -> str | None:
    """The casing style a segment commits to, or None when it fits every style or is not a
    word at all: a single lower-case word (``users``, ``_search``), an acronym (``DNS``), a
    version, digits, a dotted name (``Microsoft.Web``, ``v0.5``) or anything with other
    punctuation (``$count``)."""
    core = text.strip("_-")
    if not core or not _NAME.fullmatch(core) or is_version(core):
        return None
    core = _strip_versions(core)
    if not core:
        return None
    if not any(c.isalpha() for c in core):
        return None
    has_dash, has_underscore = "-" in core, "_" in core
    if has_dash and has_underscore:
        return "other"
    if has_dash or has_underscore:
        parts = [p for p in _SEPARATED.split(core) if p]
        if all(_LOWER.match(p) for p in parts):
            return "kebab" if has_dash else "snake"
        return "other"
    if _LOWER.match(core) or _UPPER.match(core):
        return None
    return "camel" if core[0].islower() else "pascal"


def _strip_versions(core: str) -> str:
    """A version glued on with a separator is not a word of the name: ``search-v1`` is
    ``search``, ``revisionData-v1`` is ``revisionData``, ``v2_users`` is ``users``,
    ``projectsV2`` is ``projects``."""
    core = re.sub(r"(?<=[a-z])V[0-9]+\Z", "", core)  # projectsV2
    parts = re.split(r"([-_])", core)
    while len(parts) >= 3 and is_version(parts[-1]):
        parts = parts[:-2]
    while len(parts) >= 3 and is_version(parts[0]):
        parts = parts[2:]
    return "".join(parts)


def restyle(text: str, style: str) -> str:
    """``text`` rewritten in ``style`` (kebab, snake, camel or pascal)."""
    words = [w for w in lower_words(text) if w]
    if not words:
        return text
    if style == "kebab":
        return "-".join(words)
    if style == "snake":
        return "_".join(words)
    capitalized = [w[:1].upper() + w[1:] for w in words]
    if style == "camel":
        return words[0] + "".join(capitalized[1:])
    return "".join(capitalized)


# -- operation names ------------------------------------------------------------------------
# Operation ids, summaries and path segments are written in every style (``getUserById``,
# ``get_user``, ``repos/get-content``, ``VirtualMachines_CreateOrUpdate``, ``drive.files.list``,
# ``UsersController_findAll``); the method-semantics rules need the one word that says what the
# operation does, and what kind of verb it is.

_NAMESPACE = re.compile(r"[/.:#\s]+")
_MARKUP = re.compile(r"<[^>]*>")


class Verb(enum.Enum):
    """What a verb does to the resource it names."""

    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ACTION = "action"
    """Changes state, but is not one of create/update/delete (cancel, approve, send...)."""


# Verbs whose meaning is plain in an operation id. Words that are as often nouns as verbs in API
# names (post, block, lock, star, run, transfer, charge, merge, import, flag, close, change, new,
# trigger, retry, refund...) are deliberately absent: a wrong guess would be a false finding.
VERB_KINDS: dict[str, Verb] = {
    **dict.fromkeys(
        (
            "get",
            "list",
            "find",
            "fetch",
            "retrieve",
            "read",
            "search",
            "query",
            "lookup",
            "show",
            "view",
            "describe",
            "count",
            "download",
            "browse",
            "load",
            "obtain",
            "watch",
            "head",
        ),
        Verb.READ,
    ),
    **dict.fromkeys(("create", "add", "insert", "register"), Verb.CREATE),
    **dict.fromkeys(
        ("update", "modify", "edit", "patch", "set", "replace", "upsert", "put"), Verb.UPDATE
    ),
    **dict.fromkeys(
        ("delete", "remove", "destroy", "erase", "purge", "del", "unregister", "deregister"),
        Verb.DELETE,
    ),
    **dict.fromkeys(
        (
            "cancel",
            "approve",
            "reject",
            "send",
            "submit",
            "enable",
            "disable",
            "activate",
            "deactivate",
            "revoke",
            "restart",
            "reboot",
            "terminate",
            "uninstall",
            "unfollow",
            "unblock",
            "unlock",
            "unarchive",
            "unpublish",
            "unassign",
            "unsubscribe",
            "unstar",
            "unpin",
            "unmute",
            "unlike",
            "rerun",
            "dismiss",
            "acknowledge",
            "logout",
        ),
        Verb.ACTION,
    ),
}

# Words that name a thing when they follow one of the verbs above ("add-ons", "set-up" is a verb
# but "setup" is not split; "get" never needs this).
NOUN_AFTER = {"add": frozenset({"on", "ons"}), "set": frozenset({"up"})}
"""Words that make a verb a noun when they follow it: add-on, set-up."""


def _phrase_verb(words: tuple[str, ...], noun_first: bool) -> tuple[str, Verb] | None:
    if not words:
        return None
    first = words[0]
    if first in VERB_KINDS and not (len(words) > 1 and words[1] in NOUN_AFTER.get(first, ())):
        return first, VERB_KINDS[first]
    if noun_first and len(words) > 1:
        # userDelete, todoListDelete, users-list: the verb is the last word...
        if words[-1] in _TRAILING_VERBS:
            return words[-1], VERB_KINDS[words[-1]]
        # ...or the second: pet_find_by_status, usersGetById.
        if words[1] in _TRAILING_VERBS and words[1] != "list":
            return words[1], VERB_KINDS[words[1]]
    return None


# Verbs recognised after a noun (userDelete). Words that end noun compounds as often as they are
# verbs stay out: dataSet, savedSearch, tvShow, userCount, userView, markRead.
_TRAILING_VERBS = frozenset(
    {
        "get",
        "list",
        "find",
        "fetch",
        "retrieve",
        "create",
        "add",
        "insert",
        "update",
        "modify",
        "replace",
        "upsert",
        "delete",
        "remove",
        "destroy",
        "purge",
        "erase",
    }
)


@lru_cache(maxsize=65536)
def operation_verb(operation_id: str) -> tuple[str, Verb] | None:
    """The verb an operationId leads with, and its kind; None when it names no known verb.

    Namespaces are skipped (``repos/get-content``, ``drive.files.list``), a ``#suffix`` is
    dropped (``createUser#deleteOld``); in ``Noun_Verb`` ids
    (``VirtualMachines_CreateOrUpdate``, ``UsersController_findAll``) the verb is the first word
    of the last underscore-separated phrase that starts with one.
    """
    # 'createUser#v2', 'listItems#paged': what follows a '#' qualifies the operation the id
    # leads with; it is not the operation.
    operation_id = operation_id.split("#", 1)[0] or operation_id
    parts = [p for p in _NAMESPACE.split(operation_id) if p]
    if not parts:
        return None
    if len(parts) > 1:
        found = _phrase_verb(lower_words(parts[-1]), noun_first=False)
        if found is not None:
            return found  # search.searchEntity.UpdateSearchEntity: the last part leads
        lead = lower_words(parts[0])
        if len(lead) == 1 and lead[0] in VERB_KINDS:
            return lead[0], VERB_KINDS[lead[0]]  # Get.Count.iosUpdateStatuses: 'get' leads
    for part in (parts[-1], operation_id) if len(parts) > 1 else (parts[-1],):
        found = _verb_of_part(part)
        if found is not None:
            return found
    return None


def _verb_of_part(part: str) -> tuple[str, Verb] | None:
    phrases = [p for p in part.split("_") if p]
    if len(phrases) > 1 and phrases[0] in STANDARD_METHODS:
        phrases = phrases[1:]  # GET_DeleteRole, POST_GetAccountSummary: the method, then the id
        part = "_".join(phrases)
    mixed_case = any(any(c.isupper() for c in p) for p in phrases)
    if len(phrases) > 1 and mixed_case:
        # Noun_Verb phrases: a phrase that is a verb alone decides (Users_Get, UpdateRuns_Get,
        # droplets_get_DestroyStatus); else the last phrase that starts with a verb
        # (VirtualMachines_CreateOrUpdate, UsersController_findAll).
        for phrase in phrases:
            words = lower_words(phrase)
            if len(words) == 1 and words[0] in VERB_KINDS:
                return words[0], VERB_KINDS[words[0]]
        for phrase in reversed(phrases):
            found = _phrase_verb(lower_words(phrase), noun_first=False)
            if found is not None:
                return found
        return None
    return _phrase_verb(lower_words(part), noun_first=True)


def summary_verb(text: str) -> str | None:
    """The first word of a summary, as a verb's base form: "Creates a user" -> "create"."""
    text = _MARKUP.sub(" ", text)
    match = re.match(r"[\s#*_>`-]*([A-Za-z]+)", text)
    if match is None:
        return None
    word = match.group(1).lower()
    return base_form(word)


def base_form(word: str) -> str:
    """Third-person verb forms back to the base form: creates, searches, retrieves, lists."""
    if word in _BASE_FORMS:
        return _BASE_FORMS[word]
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_BASE_FORMS = {"does": "do", "goes": "go", "has": "have", "is": "be", "status": "status"}


# -- what a path segment names ------------------------------------------------------------

# File extensions a path segment may end in (``report.csv``): the name is what precedes them.
FILE_EXTENSIONS = frozenset(
    {"json", "xml", "yaml", "yml", "csv", "txt", "html", "htm", "pdf", "png", "jpg", "jpeg",
     "gif", "svg", "zip", "gz", "tar", "atom", "rss", "ics", "js", "md", "xlsx", "wasm"}
)  # fmt: skip

# Path segments that name an operation rather than a resource, beyond the verbs of
# apilint.http.words: RPC endpoints and the conventional auth and query endpoints.
ACTION_SEGMENTS = frozenset(
    {
        "login",
        "logout",
        "signin",
        "signout",
        "signup",
        "authenticate",
        "authorize",
        "introspect",
        "batch",
        "bulk",
        "graphql",
        "rpc",
        "jsonrpc",
        "validate",
        "verify",
        "check",
        "calculate",
        "compute",
        "estimate",
        "preview",
        "render",
        "convert",
        "execute",
        "exec",
        "invoke",
        "trigger",
        "run",
        "start",
        "stop",
        "pause",
        "resume",
        "sync",
        "test",
        "evaluate",
        "simulate",
        "translate",
        "detect",
        "analyze",
        "analyse",
        "classify",
        "predict",
        "recognize",
        "refresh",
        "reset",
        "export",
        "import",
        "upload",
        "publish",
        "archive",
        "merge",
        "copy",
        "clone",
        "move",
        "rename",
        "confirm",
        "complete",
        "finalize",
        "capture",
        "refund",
        "void",
        "pay",
        "transfer",
        "close",
        "reopen",
        "accept",
        "decline",
        "assign",
        "invite",
        "join",
        "leave",
        "mark",
        "process",
        "apply",
        "commit",
        "rollback",
        "revert",
        "abort",
        "kill",
        "suspend",
        "resend",
        "retry",
        "rotate",
        "regenerate",
        "deploy",
        "install",
        "uninstall",
        "upgrade",
        "subscribe",
        "follow",
        "like",
        "star",
        "pin",
        "mute",
        "block",
        "lock",
        "vote",
        "flag",
        "share",
        "notify",
        "ping",
        "echo",
        "track",
        "report",
        "generate",
        "filter",
        "match",
        "resolve",
        "parse",
        "format",
        "tokenize",
        "summarize",
        "autocomplete",
        "suggest",
        "transcribe",
        "charge",
        "checkout",
        "new",
    }
)

# Words that start an action phrase (generate-notes, bulk_users) but rarely a noun compound;
# "report", "test", "login" or "run" start both (report_runs, test_clocks, login_links).
PHRASE_VERBS = frozenset(
    {"generate", "calculate", "compute", "estimate", "validate", "verify", "convert", "render",
     "preview", "resend", "mark", "bulk", "batch", "import", "export"}
)  # fmt: skip

# Plural-looking words that usually name one document, not a collection of items.
SINGULAR_DOCUMENTS = frozenset(
    {"settings", "preferences", "stats", "statistics", "metrics", "analytics", "details",
     "contents", "news", "data", "metadata", "media", "series", "species", "status", "sms",
     "credentials", "terms", "config", "options", "defaults", "limits", "totals", "insights",
     "specs"}
)  # fmt: skip
