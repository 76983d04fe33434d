"""What names in an API description say: identifiers split into words, and the verbs among them.

Operation ids, summaries and path segments are written in every style (``getUserById``,
``get_user``, ``repos/get-content``, ``VirtualMachines_CreateOrUpdate``, ``drive.files.list``,
``UsersController_findAll``); the method-semantics rules need the one word that says what the
operation does, and what kind of verb it is.
"""

from __future__ import annotations

import enum
import re
from functools import lru_cache

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
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
VERBS: dict[str, Verb] = {
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
_METHOD_PREFIXES = frozenset({"GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"})
_NOUN_AFTER = {"add": frozenset({"on", "ons"}), "set": frozenset({"up"})}


@lru_cache(maxsize=65536)
def split_words(identifier: str) -> tuple[str, ...]:
    """Lower-case words of an identifier in any style: ``getUserByID`` -> get, user, by, id."""
    return tuple(word.lower() for word in _WORD.findall(identifier))


def _phrase_verb(words: tuple[str, ...], noun_first: bool) -> tuple[str, Verb] | None:
    if not words:
        return None
    first = words[0]
    if first in VERBS and not (len(words) > 1 and words[1] in _NOUN_AFTER.get(first, ())):
        return first, VERBS[first]
    if noun_first and len(words) > 1:
        # userDelete, todoListDelete, users-list: the verb is the last word...
        if words[-1] in _TRAILING_VERBS:
            return words[-1], VERBS[words[-1]]
        # ...or the second: pet_find_by_status, usersGetById.
        if words[1] in _TRAILING_VERBS and words[1] != "list":
            return words[1], VERBS[words[1]]
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

    Namespaces are skipped (``repos/get-content``, ``drive.files.list``); in ``Noun_Verb`` ids
    (``VirtualMachines_CreateOrUpdate``, ``UsersController_findAll``) the verb is the first word
    of the last underscore-separated phrase that starts with one.
    """
    parts = [p for p in _NAMESPACE.split(operation_id) if p]
    if not parts:
        return None
    for part in (parts[-1], operation_id) if len(parts) > 1 else (parts[-1],):
        found = _verb_of_part(part)
        if found is not None:
            return found
    return None


def _verb_of_part(part: str) -> tuple[str, Verb] | None:
    phrases = [p for p in part.split("_") if p]
    if len(phrases) > 1 and phrases[0] in _METHOD_PREFIXES:
        phrases = phrases[1:]  # GET_DeleteRole, POST_GetAccountSummary: the method, then the id
        part = "_".join(phrases)
    mixed_case = any(any(c.isupper() for c in p) for p in phrases)
    if len(phrases) > 1 and mixed_case:
        # Noun_Verb phrases: a phrase that is a verb alone decides (Users_Get, UpdateRuns_Get,
        # droplets_get_DestroyStatus); else the last phrase that starts with a verb
        # (VirtualMachines_CreateOrUpdate, UsersController_findAll).
        for phrase in phrases:
            words = split_words(phrase)
            if len(words) == 1 and words[0] in VERBS:
                return words[0], VERBS[words[0]]
        for phrase in reversed(phrases):
            found = _phrase_verb(split_words(phrase), noun_first=False)
            if found is not None:
                return found
        return None
    return _phrase_verb(split_words(part), noun_first=True)


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
