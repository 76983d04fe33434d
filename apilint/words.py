"""Words in URL path segments: splitting, verbs, nouns and their number, casing styles.

The vocabularies below were chosen by reading every literal segment of the real descriptions in
the project's corpus (GitHub, Stripe and 200 public APIs) and are documented with the rules that
use them (``rules/uris.yaml``). They are deliberately conservative: a word lands in ``VERBS`` only
when it is (almost) never a noun in a URL, so that a precise finding beats a clever guess.

Singular and plural forms come from the ``pluralizer`` library (a port of the widely used
JavaScript ``pluralize`` rules), imported only when a segment actually needs judging.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

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
    authorise authorize calculate cancel capture classify clone collect confirm convert
    copy create deactivate decline decrement delete demote deny deploy deprovision deregister
    destroy detach detect disable disconnect dismiss do downgrade duplicate edit enable enqueue
    erase evaluate execute extend extract fetch finalise finalize find forward generate get
    increment insert invalidate invite kick make mark merge migrate modify move mute notify
    parse pause perform predict promote provision publish purge put reactivate reboot rebuild
    recalculate recognize redeem refund regenerate register reindex reject remove rename render
    renew reopen reorder replace rerun resend reset resize restart restore resume resync
    retrieve retry revert revoke rollback rotate save send set sign start stop submit subscribe
    summarise summarize suspend terminate toggle transcribe translate unarchive unassign unban
    unblock undelete undeploy undo unfollow unlike unlink unlock unmute unpin unpublish
    unregister unset unsign unstar unsubscribe unsuspend unwatch update upgrade upsert validate
    verify visualise visualize write
    """
)
"""Action verbs: a segment that is, or starts with, one of these names an action."""

NOUN_VERBS = _vocabulary(
    """
    answer archive ban block change check close commit compare complete connect count download
    echo export filter follow handle import like list load lock lookup open pin ping preview
    print process query read record release reply report return review run scan schedule search
    select share show sort star test track transfer trigger upload view void wait watch
    """
)
"""Words that are verbs and nouns alike (``/lock``, ``/check-runs``, ``/exports``): reported only
when the segment ends the path, has nothing below it, is not a collection, and is the word alone
or a camelCase phrase starting with it (``exportTemplate``, ``checkNameAvailability``)."""

NOUNS_TOO = _vocabulary(
    """
    copy duplicate edit invite mark merge move pause refund request reset rollback save set
    sign start stop update upgrade
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
    session sessions setting settings state states task tasks token tokens
    trigger triggers url urls window windows
    """
)
"""Nouns that make a compound noun of the verb before them: ``upgradeProfiles`` and
``refund_requests`` are kinds of things, ``downloadUrl`` is a URL."""

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
    "by for from of in on at to with within via per since until before after into over"
)
"""A compound such as ``NewsByPlayerID`` or ``codes_of_conduct`` is named by its words before
the first preposition; a segment that starts with one (``by-id``) is a qualifier, not a noun."""

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


@cache
def pluralizer() -> Any:
    from pluralizer import Pluralizer

    return Pluralizer()  # type: ignore[no-untyped-call]


def singular(word: str) -> str:
    return str(pluralizer().singular(word))


def plural(word: str) -> str:
    return str(pluralizer().plural(word))


@lru_cache(maxsize=8192)
def is_plural(word: str) -> bool:
    """Already plural, or a noun without a plural (news, data, metadata, billing)."""
    lower = word.lower()
    if lower in UNCOUNTABLE:
        return True
    if lower.endswith("ing") and lower not in COUNTABLE_ING:
        return True
    return bool(pluralizer().is_plural(lower))


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
