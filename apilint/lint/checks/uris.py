"""Resource-oriented URIs: what the path keys of a description say about its design.

Every check here reads the path templates once (parsed and cached by :mod:`apilint.http.paths`)
and reports at the path key (``/paths/<template>``), or, for parameters, at the exact Parameter
Object reference. A problem shared by many paths through one prefix (a verb, a singular collection,
a deep nesting) is reported once, at the shortest path with that prefix, with the number of other
paths it affects: one rename fixes all of them.

The word lists and the reasoning behind each decision are in :mod:`apilint.http.words` and in the
rules' documentation (``rules/uris.yaml``).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from apilint.core.findings import Severity
from apilint.documents.openapi import Node, OpenAPI, Operation, Result, path_keys
from apilint.http.paths import PARAM, Segment, Template, parse, segment_regex
from apilint.http.words import (
    ACTION_NOUNS,
    ADJECTIVES,
    BATCH_WORDS,
    COMPOUND_HEADS,
    CONVENTIONAL,
    CRUD_METHODS,
    ID_WORDS,
    LEADING_VERBS,
    MODIFIERS,
    NAMESPACE_PARENTS,
    NAMESPACES,
    NOUN_AFTER,
    NOUN_VERBS,
    NOUNS_TOO,
    PREPOSITIONS,
    RELATIONS,
    STATE_VERBS,
    STYLE_NAMES,
    STYLES,
    THING_HEADS,
    VERBS,
    WELL_KNOWN_FILES,
    casing_style,
    is_plural,
    is_version,
    lower_words,
    names_many,
    plural,
    restyle,
    singular,
    split_words,
    word_spans,
)
from apilint.lint.checks import Context, Option, check, per_megabyte

_NAME = re.compile(r"[A-Za-z0-9_-]+\Z")
_VOWEL = re.compile(r"[aeiouy]")


# -- shared helpers -----------------------------------------------------------------------


def _methods(api: OpenAPI) -> dict[str, set[str]]:
    methods: dict[str, set[str]] = defaultdict(set)
    for op in api.operations:
        methods[op.path].add(op.method)
    return methods


def _prefix_text(template: Template, end: int) -> str:
    return "/" + "/".join(s.text for s in template.segments[:end])


def _others(count: int, prefix: str) -> str:
    if count <= 1:
        return ""
    more = count - 1
    return f" ({more} more path{'s' if more > 1 else ''} under '{prefix}')"


@dataclass
class _Once:
    """Findings keyed by a path prefix: kept once, at the shortest path that has the prefix."""

    found: dict[Any, list[Any]] = field(default_factory=dict)

    def add(self, key: Any, node: Node, template: Template, payload: Any) -> None:
        entry = self.found.get(key)
        if entry is None:
            self.found[key] = [node, template, payload, 1]
            return
        entry[3] += 1
        if len(template.segments) < len(entry[1].segments):
            entry[0], entry[1], entry[2] = node, template, payload

    def __iter__(self) -> Iterator[tuple[Node, Template, Any, int]]:
        for entry in self.found.values():
            yield entry[0], entry[1], entry[2], entry[3]


def _match_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# -- path-verb ----------------------------------------------------------------------------


_PHRASAL_PLURALS = frozenset({"ins", "ups", "outs", "offs", "downs", "overs", "backs"})


def _verb_in(unit: str, allowed: frozenset[str]) -> tuple[str, bool, list[str]] | None:
    """(verb, is it also a noun, the words after it) when ``unit`` names an action."""
    words = list(lower_words(unit))
    if not words or is_version(unit):
        return None
    if "-".join(words) in CONVENTIONAL or "".join(words) in CONVENTIONAL:
        return None
    if unit.lower() in allowed:
        return None
    if BATCH_WORDS.intersection(words):
        return None  # batch and bulk endpoints (bulk-delete, deleteBatch): no HTTP method for many
    rest = words
    while len(rest) > 1 and rest[0] in MODIFIERS:
        rest = rest[1:]
    first = rest[0]
    if first in allowed or "".join(rest) in CONVENTIONAL:
        return None
    if len(rest) == 2 and rest[1] in _PHRASAL_PLURALS:
        return None  # signIns, checkIns, pickUps: plural nouns of phrasal verbs
    if len(rest) > 1 and rest[1] in NOUN_AFTER.get(first, ()):
        return None  # AddOnResults, setupGuides: add-on and set-up are things
    if len(rest) > 1 and rest[1] in THING_HEADS:
        return None  # downloadUrl, remove-token: a thing the client fetches
    noun_like = (first in NOUN_VERBS or first in NOUNS_TOO) and first not in LEADING_VERBS
    if len(rest) > 1 and noun_like and rest[1] in COMPOUND_HEADS:
        return None  # upgradeProfiles, refund_requests: a kind of thing
    if first in VERBS:
        return first, False, rest[1:]
    # "exportTemplate" is a phrase; "check-runs" and "test_clocks" are compound nouns.
    if first in NOUN_VERBS and (len(rest) == 1 or not re.search(r"[-_]", unit)):
        return first, True, rest[1:]
    return None


def _stem(text: str) -> str:
    """A segment without a file extension: 'ConnectApps.json' -> 'ConnectApps'."""
    return text.split(".", 1)[0] if "." in text else text


def _join(segments: Sequence[str]) -> str:
    return "/" + "/".join(segments)


def _child(path: str, segment: str) -> str:
    return path.rstrip("/") + "/" + segment


_PARTICLES = frozenset({"up", "down", "out", "off", "now", "back", "away"})
_CONJUNCTIONS = frozenset({"and", "or", "then"})


def _verb_advice(template: Template, index: int, unit: str, verb: str, rest: list[str]) -> str:
    """How to say the same without a verb, with the path rewritten as an example; "" when the
    path without the verb names no resource to act on (``POST /delete``: ``DELETE /`` would be
    wrong advice)."""
    segs = [s.text for s in template.segments]
    remaining = segs[:index] + segs[index + 1 :]
    base = _join(remaining)
    words = [w for w in rest if w not in PREPOSITIONS and w not in MODIFIERS]
    phrase = bool(rest) and (
        rest[0] in PREPOSITIONS  # getByIds: a qualifier, not the thing
        or any(w in VERBS or w in _CONJUNCTIONS for w in rest)  # createOrGet: two actions
    )
    if phrase:
        words = []
    if words and words[-1] not in ADJECTIVES and words[-1] not in _PARTICLES:
        last = words[-1]
        noun_words = [*words[:-1], last if names_many(last) else plural(last)]
        style = casing_style(unit) or "kebab"
        segs[index] = restyle("-".join(noun_words), style if style in STYLES else "kebab")
        target = _join(segs)
    else:
        target = base
    if target == base and not any(_names_resource(text) for text in remaining):
        return ""
    method = CRUD_METHODS.get(verb)
    if method is not None:
        return f"; use {method} {target}"
    if verb in ACTION_NOUNS:
        return f"; e.g. POST {_child(base, ACTION_NOUNS[verb])}"
    if verb in STATE_VERBS:
        return f"; e.g. PATCH {target} with the new state"
    return ""  # 'recognize-language' is no 'POST /languages': no advice beats a wrong one


def _names_resource(text: str) -> bool:
    """A literal segment that names something (not a version, namespace or parameter)."""
    if not text or "{" in text or is_version(text):
        return False
    return text.lower() not in NAMESPACES


@check(
    "path_verbs",
    allowed=Option(
        list,
        [],
        "Words accepted in paths although they read as verbs (lower case), e.g. ['reindex'].",
        items=str,
    ),
    customMethods=Option(
        bool,
        True,
        "Accept Google-style custom methods ('/v1/{name}:cancel', AIP-136): a verb after ':' is "
        "the API's convention, not a mistake. Set to false to report them.",
    ),
    actionSummary=Option(
        int,
        3,
        "When at least this many paths end in an action sub-resource ('POST .../restart'), the "
        "API does so by design: one finding for the document instead of one per path (0: never).",
    ),
)
def path_verbs(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Path segments name resources; the HTTP method is the verb."""
    allowed = frozenset(w.lower() for w in options["allowed"])
    custom_methods = options["customMethods"]
    items = list(path_keys(targets))
    # A prefix that other paths extend is a resource or a namespace, never an action.
    parents: set[tuple[str, ...]] = set()
    for _, template in items:
        texts = tuple(s.text for s in template.segments)
        for end in range(1, len(texts)):
            parents.add(texts[:end])
    # A plural phrase that is both a path and the parent of items ('/ConnectApps' and
    # '/ConnectApps/{Sid}') names a collection, whatever word it starts with ('connect' reads
    # as a verb); 'move-reviews/{destinationProjectKey}' alone is an action with an argument.
    with_items: set[tuple[tuple[str, ...], str]] = set()
    listed: set[tuple[tuple[str, ...], str]] = set()
    for _, template in items:
        segs = template.segments
        if segs and segs[-1].is_literal:
            listed.add((tuple(s.text for s in segs[:-1]), _stem(segs[-1].base)))
        for index in range(len(segs) - 1):
            if segs[index].is_literal and segs[index + 1].params:
                texts = tuple(s.text for s in segs[:index])
                with_items.add((texts, _stem(segs[index].base)))
    collections = with_items & listed
    methods = _methods(ctx.api)
    once = _Once()
    for node, template in items:
        if template.extra:
            continue  # '/#Action=DeleteX': path-query-string's; the path is not what it says
        if custom_methods and _after_namespace(template):
            # Azure Resource Manager's '.../providers/Microsoft.Web/sites/{name}/restart',
            # 'listKeys', 'checkNameAvailability': actions the platform's contract names so
            continue
        segs = template.segments
        texts = tuple(s.text for s in segs)
        for index, seg in enumerate(segs):
            if seg.method is not None and not custom_methods and seg.method.lower() not in allowed:
                once.add((texts[: index + 1], ":"), node, template, (index, seg, "", None))
            if not seg.is_literal or seg.text.startswith("$"):
                continue  # $-operations ($validate, $count) are named by FHIR and OData
            if index + 1 < len(segs) and is_version(segs[index + 1].text):
                continue  # /publish/v2/...: a namespace in front of a version
            collection = index + 1 < len(segs) and segs[index + 1].is_param
            leaf = index == len(segs) - 1 and texts not in parents
            units = seg.base.split(".")
            for position, unit in enumerate(units):
                if position and len(lower_words(unit)) < 2:
                    continue  # Microsoft.Compute is a namespace; rest_services.get_map a call
                if position >= 2 and custom_methods:
                    # microsoft.graph.createUploadSession: an OData action, named the way the
                    # protocol names them (custom methods, like AIP-136's ':cancel')
                    continue
                found = _verb_in(unit, allowed)
                if found is None:
                    continue
                verb, noun_too, rest = found
                if (
                    rest
                    and verb not in CRUD_METHODS  # getUsers/{id}: the method's verb, repeated
                    and is_plural(rest[-1])
                    and (texts[:index], _stem(seg.base)) in collections
                ):
                    continue
                if noun_too and (not leaf or "delete" in methods.get(template.raw, ())):
                    continue
                if collection and not rest and verb in NOUNS_TOO:
                    continue
                once.add((texts[: index + 1], unit), node, template, (index, seg, unit, found))
                break
    found_all = list(once)
    # Actions modelled as sub-resources of an item (POST /machines/{id}/restart), many times
    # over: a design the API chose, said once for the document.
    sub_actions = {
        position
        for position, (_, template, (index, _, _, found), _) in enumerate(found_all)
        if found is not None
        and index == len(template.segments) - 1
        and index > 0
        and template.segments[index - 1].is_param
    }
    threshold = options["actionSummary"]
    paths_nodes = [n for n in targets if isinstance(n.value, dict)]
    verb_paths = sum(entry[3] for entry in found_all if entry[2][3] is not None)
    if threshold and paths_nodes and len(found_all) >= 5 and 2 * verb_paths > len(items):
        # An RPC-style API (/getChat, /sendMessage, /admin.users.setOwner): every path is a
        # method, by design; one finding says so.
        verbs = sorted({entry[2][2] for entry in found_all if entry[2][3] is not None})
        shown = ", ".join(f"'{v}'" for v in verbs[:5]) + (", ..." if len(verbs) > 5 else "")
        yield paths_nodes[0].finding(
            f"{verb_paths} of the {len(items)} paths name an action ({shown}): the API is "
            "RPC-style, with verbs in its URLs instead of resources and HTTP methods"
        )
        return
    if threshold and len(sub_actions) >= threshold and paths_nodes:
        picked = [found_all[p] for p in sorted(sub_actions)]
        verbs = sorted({entry[2][2] for entry in picked})
        shown = ", ".join(f"'{v}'" for v in verbs[:5]) + (", ..." if len(verbs) > 5 else "")
        yield paths_nodes[0].finding(
            f"{len(picked)} paths end in an action on an item ({shown}; e.g. "
            f"'{picked[0][1].raw}'): the API names actions in its URLs; if that is its "
            "convention, add the verbs to this rule's 'allowed' option"
        )
        found_all = [e for p, e in enumerate(found_all) if p not in sub_actions]
    for node, template, (index, seg, unit, found), count in found_all:
        prefix = _prefix_text(template, index + 1)
        if found is None:
            yield node.finding(
                f"':{seg.method}' in '{template.raw}' is a custom method (a verb in the URL, "
                "AIP-136 style)" + _others(count, prefix)
            )
            continue
        verb, _, rest = found
        what = "is a verb" if unit.lower() == verb else f"starts with the verb '{verb}'"
        yield node.finding(
            f"'{unit}' in '{template.raw}' {what}"
            + _others(count, prefix)
            + ": the path should name a resource, the HTTP method the action"
            + _verb_advice(template, index, unit, verb, rest)
        )


# -- path-plural-collection ---------------------------------------------------------------


@lru_cache(maxsize=4096)
def _param_words(param: str) -> tuple[str, ...]:
    """Words of a parameter name, with an identifier word glued on split off:
    ``fleetname`` -> (fleet, name), ``playerid`` -> (player, id)."""
    out: list[str] = []
    for word in lower_words(param):
        for suffix in ("name", "uuid", "guid", "slug", "code", "hash", "handle", "key", "id"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                out.extend((word[: -len(suffix)], suffix))
                break
        else:
            out.append(word)
    return tuple(out)


def _identifies_item(head: str, param: str) -> str | None:
    """How the parameter relates to the collection ``head``: "named" when its name mentions the
    collection (``{userId}`` after ``user``), "generic" for a bare ``{id}``, ``{uuid}``,
    ``{name}``..., None when it names something else (``{cardId}`` after ``payment``)."""
    words = _param_words(param)
    if not words:
        return None
    nouns = [w for w in words if w not in ID_WORDS]
    if not nouns:
        # a bare {key} is an entry of a map (/cache/{key}, /config/{key}), not an item
        return None if words == ("key",) else "generic"
    h = head.lower()
    hs = singular(h)
    for index, noun in enumerate(words):
        if noun in ID_WORDS:
            continue
        if noun in (h, hs) or singular(noun) == hs or (len(noun) >= 4 and h.endswith(noun)):
            # {userId}, {user}: an id of the item; {collectorIP}, {userEmail}: a value of it
            after = words[index + 1 :]
            return "named" if all(w in ID_WORDS for w in after) else None
    return None


def _head_word(text: str) -> tuple[str, int, int] | None:
    """The word a segment is named by: the last one before any preposition, versions skipped."""
    spans = word_spans(text)
    if not spans or spans[0][0].lower() in PREPOSITIONS:
        return None
    head: list[tuple[str, int, int]] = []
    for span in spans:
        if span[0].lower() in PREPOSITIONS:
            break
        head.append(span)
    while head and is_version(head[-1][0]):
        head.pop()
    return head[-1] if head else None


def _collection_head(seg: Segment) -> tuple[str, int, int] | None:
    text = seg.base
    if not _NAME.match(text) or is_version(text):
        return None
    head = _head_word(text)
    if head is None:
        return None
    word = head[0]
    lower = word.lower()
    if len(lower) <= 2 or len(lower) > 20 or not _VOWEL.search(lower) or not lower.isalpha():
        return None  # abbreviations, acronyms, codes (erc20) and unreadable run-on words
    if word.isupper() or lower in ADJECTIVES or lower in CONVENTIONAL or lower in VERBS:
        return None
    if lower in RELATIONS or lower in NAMESPACES:
        return None
    if lower.endswith("ed") and not lower.endswith("eed"):
        return None  # participles: starred, expanded, blocked
    first = lower_words(text)[0]
    if first in VERBS or first in ADJECTIVES:
        return None
    return head


@check(
    "plural_collections",
    cost=per_megabyte(0.002),
    allowed=Option(
        list, [], "Collection names accepted as they are (lower case), e.g. ['fleet'].", items=str
    ),
)
def plural_collections(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """A literal segment followed by a ``{param}`` names a collection and is plural."""
    allowed = frozenset(w.lower() for w in options["allowed"])
    methods = _methods(ctx.api)
    once = _Once()
    for node, template in path_keys(targets):
        segs = template.segments
        for index in template.literal_before_param():
            seg = segs[index]
            head = _collection_head(seg)
            if head is None:
                continue
            word = head[0]
            if word.lower() in allowed or seg.base.lower() in allowed or names_many(word):
                continue
            before = (
                _collection_head(segs[index - 1]) if index and segs[index - 1].is_literal else None
            )
            if before is not None and names_many(before[0]):
                continue  # /products/upc/{upc}: a lookup key of a plural collection
            relation = _identifies_item(word, segs[index + 1].params[0])
            if relation is None:
                continue  # /timezone/{area}, /payment/{cardId}: the parameter is not an item id
            if relation == "generic":
                # A bare {id} may identify something else: the item of a qualified collection
                # (/listing/car/auction/{id}), or the subject of an action (POST /clitoken/{Name}).
                if before is not None and before[0].lower() not in NAMESPACES:
                    continue
                if methods.get(_prefix_text(template, index + 2)) == {"post"}:
                    continue
            key = tuple(s.text for s in segs[: index + 1])
            once.add(key, node, template, (index, head))
    for node, template, (index, (word, start, end)), count in once:
        seg = template.segments[index]
        param = template.segments[index + 1].text
        suggested = plural(word.lower())
        lower = word.lower()
        unsure = lower.endswith("s") and not lower.endswith("ss") and suggested == lower + "es"
        if singular(suggested) != lower or unsure:
            # No sure plural (bus -> buses? skus -> skuses?): say what is wrong, not the fix.
            better = None
        else:
            better = seg.base[:start] + _match_case(suggested, word) + seg.base[end:]
        prefix = _prefix_text(template, index + 1)
        parent = _prefix_text(template, index)
        fix = f"; write '{parent.rstrip('/')}/{better}/{param}'" if better else ""
        yield node.finding(
            f"'{seg.base}' in '{template.raw}' is singular but names a collection (it is "
            f"followed by '{param}')" + _others(count, prefix) + fix
        )


# -- path-casing --------------------------------------------------------------------------

_PREFERENCE = {style: rank for rank, style in enumerate(STYLES)}


@check(
    "path_casing",
    style=Option(
        str,
        "consistent",
        "'consistent': the style most of the API's multi-word segments use; or require one "
        "style: kebab, snake, camel, pascal.",
        choices=("consistent", *STYLES),
    ),
)
def path_casing(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Multi-word path segments are written in one casing style."""
    first: dict[str, tuple[Node, Template]] = {}
    paths_with: dict[str, int] = defaultdict(int)
    paths_nodes = [n for n in targets if isinstance(n.value, dict)]
    items = list(path_keys(targets))
    # A base every path shares ('/rest-service-fe/...') was chosen once, not per path; and a
    # literal where another path has a parameter ('/rates/EUR_USD' beside '/rates/{pair}') is
    # a value of that parameter, not a name.
    shared = _shared_prefix([t for _, t in items])
    with_param = {
        tuple(s.pattern for s in t.segments[:i])
        for _, t in items
        for i, seg in enumerate(t.segments)
        if seg.is_param
    }
    for node, template in items:
        if template.extra:
            continue  # '/x/update_status#domain&...': path-query-string's; not a path
        seen: set[str] = set()
        for index, seg in enumerate(template.segments):
            literal = seg.base if seg.is_literal else None
            if index < shared or (
                literal
                and _looks_like_value(literal)
                and tuple(s.pattern for s in template.segments[:index]) in with_param
            ):
                literal = None
            for unit in (literal, seg.method):
                if unit and unit not in seen:
                    seen.add(unit)
                    paths_with[unit] += 1
                    first.setdefault(unit, (node, template))
    styles = {unit: casing_style(unit) for unit in first}
    counts: dict[str, int] = defaultdict(int)
    for style in styles.values():
        if style is not None:
            counts[style] += 1
    total = sum(counts.values())
    if not total:
        return
    dominant = max(STYLES, key=lambda s: (counts.get(s, 0), -_PREFERENCE[s]))
    wanted = options["style"]
    expected = dominant if wanted == "consistent" else wanted
    summarized: set[str] = set()
    if expected != dominant and counts.get(dominant, 0) > counts.get(expected, 0):
        # The whole API is written in another style than the one configured: one finding.
        summarized = {u for u, s in styles.items() if s == dominant}
        examples = sorted(summarized, key=lambda u: -paths_with[u])[:3]
        renames = ", ".join(f"'{u}' -> '{restyle(u, expected)}'" for u in examples)
        if paths_nodes:
            yield paths_nodes[0].finding(
                f"the paths use {STYLE_NAMES[dominant]} ({counts[dominant]} of {total} "
                f"multi-word segments), not the configured {STYLE_NAMES[expected]}: rename them "
                f"({renames}, ...) or set this rule's 'style' option to '{dominant}'"
            )
    reason = (
        f"{counts.get(expected, 0)} of the API's {total} multi-word segments use"
        if wanted == "consistent"
        else "the configured style is"
    )
    for unit, style in styles.items():
        if style is None or style == expected or unit in summarized:
            continue
        node, template = first[unit]
        also = paths_with[unit] - 1
        where = f" (and {also} more path{'s' if also > 1 else ''})" if also else ""
        described = STYLE_NAMES[style]
        yield node.finding(
            f"'{unit}' in '{template.raw}'{where} is {described}, but {reason} "
            f"{STYLE_NAMES[expected]}; write '{restyle(unit, expected)}'"
        )


def _looks_like_value(text: str) -> bool:
    """Written like data rather than a name: codes in capitals or digits (``EUR_USD``,
    ``ISO-3166``), place names (``New_York``), a capitalized type name (``Observation``)."""
    words = split_words(text)
    if any((w.isupper() and len(w) > 1) or any(c.isdigit() for c in w) for w in words):
        return True
    if len(words) == 1 and text[:1].isupper():
        return True  # a type name as a value: FHIR's '/fhir/Observation' beside '/fhir/{type}'
    return casing_style(text) == "other"


# -- path-file-extension ------------------------------------------------------------------

_MEDIA_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "yaml": "application/yaml",
    "yml": "application/yaml",
    "html": "text/html",
    "htm": "text/html",
    "txt": "text/plain",
    "pdf": "application/pdf",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonp": "application/javascript",
    "ndjson": "application/x-ndjson",
    "geojson": "application/geo+json",
    "kml": "application/vnd.google-earth.kml+xml",
    "gpx": "application/gpx+xml",
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "ics": "text/calendar",
    "vcf": "text/vcard",
    "md": "text/markdown",
    "rtf": "application/rtf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "svg": "image/svg+xml",
    "webp": "image/webp",
    "protobuf": "application/x-protobuf",
    "msgpack": "application/msgpack",
}


_EXTENSION_SUMMARY = 5
"""From this many paths with one extension, the API does it by design: one finding."""


def _extension(seg: Segment) -> tuple[str, str] | None:
    """(stem, extension) when the segment ends in a format extension."""
    text = seg.text
    if seg.method is not None or "." not in text or text.lower() in WELL_KNOWN_FILES:
        return None
    stem, _, ext = text.rpartition(".")
    if not stem or not ext or stem.endswith("."):
        return None  # '{base}...{head}': a range, not a file name
    param = PARAM.fullmatch(ext)
    if param is not None:
        # '.{format}', '.{content_type}': any templated suffix picks a format, except the
        # parts of a version or number ('{major}.{minor}')
        if PARAM.fullmatch(stem) and set(lower_words(param.group(1))) & _NUMBER_WORDS:
            return None
        return stem, ext
    if ext.lower() in _MEDIA_TYPES and not _standard_document(stem):
        return stem, ext
    return None


_NUMBER_WORDS = frozenset({"minor", "patch", "version", "revision", "build", "fraction", "decimal"})


def _standard_document(stem: str) -> bool:
    """A document whose file name a standard fixes: OGC's capabilities documents
    (``WMTSCapabilities.xml``, ``WMSCapabilities.xml``), whatever service names them."""
    return not PARAM.search(stem) and lower_words(stem)[-1:] == ("capabilities",)


@check("path_file_extensions")
def path_file_extensions(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """The representation format is negotiated with headers, not written in the path."""
    once = _Once()
    for node, template in path_keys(targets):
        if template.path.startswith("/.well-known/"):
            continue
        for index, seg in enumerate(template.segments):
            found = _extension(seg)
            if found is not None:
                key = tuple(s.text for s in template.segments[: index + 1])
                once.add(key, node, template, (index, found))
    entries = list(once)
    by_ext: dict[str, list[int]] = defaultdict(list)
    for position, (_, _, (_, (_, ext)), _) in enumerate(entries):
        by_ext[ext.lower()].append(position)
    paths_nodes = [n for n in targets if isinstance(n.value, dict)]
    summarized: set[int] = set()
    for ext, positions in by_ext.items():
        if len(positions) < _EXTENSION_SUMMARY or not paths_nodes:
            continue
        # The whole API does it (Twilio's '.json' on every path): one finding, one decision.
        summarized.update(positions)
        examples = ", ".join(f"'{entries[p][1].raw}'" for p in positions[:2])
        yield paths_nodes[0].finding(
            f"{len(positions)} paths end in the format extension '.{ext}' "
            f"({examples}, ...); let clients choose the format with the Accept header"
        )
    for position, (node, template, (index, (stem, ext)), count) in enumerate(entries):
        if position in summarized:
            continue
        media = _MEDIA_TYPES.get(ext.lower())
        accept = f"'Accept: {media}'" if media else "the Accept header"
        yield node.finding(
            f"'{template.segments[index].text}' in '{template.raw}' puts the format in the URL "
            f"('.{ext}')"
            + _others(count, _prefix_text(template, index + 1))
            + f"; serve '{stem}' and let clients choose with {accept}"
        )


# -- path-empty-segment, path-query-string -------------------------------------------------


@check("empty_path_segments")
def empty_path_segments(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """A path template has no empty segment ('//')."""
    for node, template in path_keys(targets):
        if "//" in template.path:
            yield node.finding(
                f"'{template.raw}' has an empty segment ('//'); remove the extra '/'"
            )


@check("query_in_paths")
def query_in_paths(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """A path key has no query string ('?', '&') and no fragment ('#')."""
    items = list(path_keys(targets))
    # '/#Action=CreateUser', '/#Action=DeleteUser'...: one convention of a converted description,
    # one finding for the document.
    by_name: dict[str, list[Template]] = defaultdict(list)
    for _, template in items:
        if template.extra.startswith("#"):
            by_name["#"].append(template)
    summarized: set[str] = set()
    paths_nodes = [n for n in targets if isinstance(n.value, dict)]
    for name, group in by_name.items():
        if len(group) < _EXTENSION_SUMMARY or not paths_nodes:
            continue
        summarized.update(t.raw for t in group)
        shown = ", ".join(f"'{t.raw}'" for t in group[:2])
        yield paths_nodes[0].finding(
            f"{len(group)} path keys have a fragment ('{name}...', e.g. {shown}), which clients "
            "never send; describe what tells the operations apart as a query parameter or a header"
        )
    for node, template in items:
        extra = template.extra
        if template.raw in summarized:
            continue
        if extra.startswith("?"):
            names = [p.split("=")[0] for p in extra[1:].split("&") if p.split("=")[0]]
            shown = ", ".join(f"'{n}'" for n in names[:4]) or "the query values"
            yield node.finding(
                f"'{template.raw}' has a query string in the path key; describe {shown} as "
                f"'in: query' parameters and keep the key '{template.path}'"
            )
        elif extra.startswith("#"):
            yield node.finding(
                f"'{template.raw}' has a fragment ('#...') in the path key, which clients never "
                f"send (the server sees '{template.path}'); describe what tells the operations "
                "apart as a query parameter or a header"
            )
        elif "&" in template.path:
            yield node.finding(
                f"'{template.raw}' has a '&' in the path, a query string written into the path "
                "key; describe the values as 'in: query' parameters"
            )


# -- path-ambiguous -----------------------------------------------------------------------


_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?\Z")
_FORMATS = {
    "uuid": re.compile(r"[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}\Z"),
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
    "date-time": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9:.]+"),
    "int32": _NUMBER,
    "int64": _NUMBER,
}


def _can_take(schema: dict[str, Any], literal: str) -> bool:
    """Whether a parameter with this schema (or Swagger 2.0 parameter) can be ``literal``:
    an integer id can never be 'comments', an enum only its values."""
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else []
    kinds = [k for k in kinds if k != "null"]
    if kinds and all(k in ("integer", "number") for k in kinds) and not _NUMBER.match(literal):
        return False
    if kinds == ["boolean"] and literal not in ("true", "false"):
        return False
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and literal not in {str(v) for v in enum}:
        return False
    if "const" in schema and str(schema["const"]) != literal:
        return False
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        try:
            if re.search(pattern, literal) is None:
                return False
        except re.error:
            pass
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS and not _FORMATS[fmt].match(literal):
        return False
    low, high = schema.get("minLength"), schema.get("maxLength")
    if isinstance(low, int) and len(literal) < low:
        return False
    return not (isinstance(high, int) and len(literal) > high)


_RESERVED_SEGMENT = re.compile(
    r"\$[A-Za-z]"  # system segments: OData's $count, $value, $ref; FHIR's $validate
    r"|[A-Za-z_][\w.]*\(.*\)\Z"  # OData functions: microsoft.graph.delta(), itemAt(index=1)
    r"|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*){2,}\Z"  # OData type casts: microsoft.graph.user
)
"""Segments whose syntax a protocol reserves: no id of an item takes that form, so a parameter
beside them does not make the path ambiguous."""


class _Overlap:
    """Compares templates segment by segment, knowing what each path parameter can be."""

    def __init__(self, api: OpenAPI) -> None:
        self.api = api
        self.schemas: dict[str, dict[str, dict[str, Any]]] = {}
        self.operations: dict[str, list[Operation]] = defaultdict(list)

    def _schemas(self, path: str) -> dict[str, dict[str, Any]]:
        """Schemas of the path parameters of ``path`` (the first declaration of each name)."""
        found = self.schemas.get(path)
        if found is not None:
            return found
        if not self.operations:
            for op in self.api.operations:
                self.operations[op.path].append(op)
        api = self.api
        found = {}
        for op in self.operations.get(path, []):
            for param in op.parameters:
                name = param.get("name")
                if param.get("in") != "path" or not isinstance(name, str) or name in found:
                    continue
                schema = param.value if api.is_v2 else api.resolve(param.child("schema")).value
                if isinstance(schema, dict):
                    found[name] = schema
        self.schemas[path] = found
        return found

    def takes(self, template: Template, seg: Segment, literal: str) -> bool:
        if _RESERVED_SEGMENT.match(literal):
            return False
        schema = self._schemas(template.raw).get(seg.params[0])
        return schema is None or _can_take(schema, literal)

    def _fits(self, template: Template, param: Segment, other: Segment) -> bool:
        """Whether the parameter segment can take a value that ``other`` matches: a literal
        itself, or for a segment mixing literals and parameters ('{lat},{lng}') its literal
        characters (an integer id never holds a ',')."""
        if other.is_literal:
            return self.takes(template, param, other.text)
        if _RESERVED_SEGMENT.match(PARAM.sub("x", other.text)):
            return False  # microsoft.graph.itemAt(index={index})
        schema = self._schemas(template.raw).get(param.params[0])
        if schema is None:
            return True
        fixed = PARAM.sub("", other.text)
        kind = schema.get("type")
        kinds = kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else []
        kinds = [k for k in kinds if k != "null"]
        if kinds and all(k in ("integer", "number") for k in kinds):
            return all(c in "0123456789.-+eE" for c in fixed)
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            regex = segment_regex(other.pattern)
            return any(regex.fullmatch(str(v)) for v in enum)
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt in ("uuid", "int32", "int64"):
            return all(c in "0123456789abcdefABCDEF-" for c in fixed)
        return True

    def compare(self, a: Template, sa: Segment, b: Template, sb: Segment) -> int | None:
        """0: same pattern; 1: ``sa`` is more specific; -1: ``sb`` is; None: never alike."""
        pa, pb = sa.pattern, sb.pattern
        if pa == pb:
            return 0
        if sb.is_param and not sa.is_param:
            return 1 if self._fits(b, sb, sa) else None
        if sa.is_param and not sb.is_param:
            return -1 if self._fits(a, sa, sb) else None
        if sa.is_literal and sb.params and segment_regex(pb).fullmatch(sa.text):
            return 1
        if sb.is_literal and sa.params and segment_regex(pa).fullmatch(sb.text):
            return -1
        return None

    def relation(self, a: Template, b: Template) -> tuple[bool, bool] | None:
        """None when no URL matches both; else where each is the more specific."""
        specific_a = specific_b = False
        for sa, sb in zip(a.segments, b.segments, strict=True):
            order = self.compare(a, sa, b, sb)
            if order is None:
                return None
            if order > 0:
                specific_a = True
            elif order < 0:
                specific_b = True
        return specific_a, specific_b


@check("ambiguous_paths")
def ambiguous_paths(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """No two path templates match the same URLs."""
    # Keys with a query or fragment are path-query-string's: their path is not what they say.
    items = [(n, t) for n, t in path_keys(targets) if not t.extra]
    methods = _methods(ctx.api)
    by_shape: dict[tuple[str, ...], list[int]] = defaultdict(list)
    # Overlaps can only happen between templates with as many segments and the same slash.
    by_length: dict[tuple[int, bool], list[int]] = defaultdict(list)
    for index, (_, template) in enumerate(items):
        by_shape[template.shape].append(index)
        by_length[(len(template.segments), template.trailing_slash)].append(index)
    for group in by_shape.values():
        if len(group) < 2:
            continue
        for index in group:
            node, template = items[index]
            others = ", ".join(f"'{items[i][1].raw}'" for i in group if i != index)
            yield node.finding(
                f"'{template.raw}' and {others} differ only in parameter names, so they match "
                "the same URLs; merge them into one path"
            )
    overlap = _Overlap(ctx.api)
    for group in by_length.values():
        if len(group) > 1:
            yield from _overlaps(items, group, methods, overlap)


@dataclass
class _Trie:
    literals: dict[str, _Trie] = field(default_factory=dict)
    patterns: dict[str, _Trie] = field(default_factory=dict)
    ends: list[int] = field(default_factory=list)


def _matches(trie: _Trie, segs: tuple[Segment, ...], depth: int = 0) -> Iterator[int]:
    """Indexes of the templates in ``trie`` whose segments are compatible with ``segs``, lazily
    (a caller that stops early pays only for what it took)."""
    if depth == len(segs):
        yield from trie.ends
        return
    seg = segs[depth]
    nexts: Iterable[_Trie]
    if seg.is_param:
        nexts = itertools.chain(trie.literals.values(), trie.patterns.values())
    elif seg.is_literal:
        exact = trie.literals.get(seg.text)
        nexts = itertools.chain(
            () if exact is None else (exact,),
            (
                child
                for pattern, child in trie.patterns.items()
                if pattern == "{}" or segment_regex(pattern).fullmatch(seg.text)
            ),
        )
    else:
        regex = segment_regex(seg.pattern)
        nexts = itertools.chain(
            (child for text, child in trie.literals.items() if regex.fullmatch(text)),
            (c for pattern, c in trie.patterns.items() if pattern in ("{}", seg.pattern)),
        )
    for child in nexts:
        yield from _matches(child, segs, depth + 1)


_MAX_CANDIDATES = 16
"""Templates compared with each template at most. A family that overlaps everything
(``/x{i}/{id}`` beside ``/{a}/y{i}``) would otherwise cost n² comparisons and n² memory; each
template still finds its own first overlaps, so every template that overlaps is reported."""


def _overlaps(
    items: list[tuple[Node, Template]],
    group: list[int],
    methods: dict[str, set[str]],
    overlap: _Overlap,
) -> Iterator[Result]:
    """Templates of one length that overlap without having the same shape: a literal where the
    other has a parameter (info, at the more literal one), or crossing (warning, at both).
    Each template is judged from its own candidates, so the work per template is bounded."""
    trie = _Trie()
    for index in group:
        branch = trie
        for seg in items[index][1].segments:
            table = branch.literals if seg.is_literal else branch.patterns
            key = seg.text if seg.is_literal else seg.pattern
            branch = table.setdefault(key, _Trie())
        branch.ends.append(index)
    general: dict[int, list[int]] = {}
    crossing: dict[int, list[int]] = {}
    for i in group:
        template = items[i][1]
        mine = methods.get(template.raw, set())
        candidates = (j for j in _matches(trie, template.segments) if j != i)
        for j in itertools.islice(candidates, _MAX_CANDIDATES):
            other = items[j][1]
            if not mine & methods.get(other.raw, set()):
                continue  # routers pick the route by method too: no request reaches both
            relation = overlap.relation(template, other)
            if relation is None or relation == (False, False):
                continue
            specific_i, specific_j = relation
            if specific_i and specific_j:
                crossing.setdefault(i, []).append(j)
            elif specific_i:
                general.setdefault(i, []).append(j)
    for i in sorted(general):
        node, template = items[i]
        wider = sorted(general[i])
        names = ", ".join(f"'{items[j][1].raw}'" for j in wider[:3])
        if len(wider) > 3:
            names += " and others"
        yield node.finding(
            f"'{template.raw}' is also matched by {names}; declare this one first and "
            "constrain the parameter (type, pattern or enum) so that it cannot take this value",
            severity=Severity.INFO,
        )
    for i in sorted(crossing):
        node, template = items[i]
        names = ", ".join(f"'{items[j][1].raw}'" for j in sorted(crossing[i])[:3])
        if len(crossing[i]) > 3:
            names += " and others"
        yield node.finding(
            f"'{template.raw}' and {names} match some of the same URLs and neither is more "
            "specific; constrain the parameters or rename a literal segment",
            severity=Severity.WARNING,
        )


# -- path-param-undeclared ----------------------------------------------------------------


def _declared(owner: Node, api: OpenAPI) -> Iterator[tuple[Node, str]]:
    """(reference site, name) of each ``in: path`` parameter listed directly on ``owner``."""
    params = owner.child("parameters")
    if not isinstance(params.value, list):
        return
    for index in range(len(params.value)):
        site = params.child(index)
        value = api.resolve(site).value
        if isinstance(value, dict) and value.get("in") == "path":
            name = value.get("name")
            if isinstance(name, str):
                yield site, name


def _declares_path_params(item: Node) -> bool:
    """The path item lists parameters of its own (they may declare names no operation uses)."""
    params = item.get("parameters")
    return isinstance(params, list) and bool(params)


def _similar(name: str, candidates: Sequence[str]) -> str:
    squash = re.sub(r"[-_]", "", name).lower()
    for candidate in candidates:
        if re.sub(r"[-_]", "", candidate).lower() == squash:
            return f" (did you mean '{candidate}'?)"
    return ""


@check("path_params_declared")
def path_params_declared(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Every ``{param}`` of a template is declared ``in: path`` by every operation, and every
    declared path parameter appears in the template."""
    api = ctx.api
    keys = {node.key: node for node, _ in path_keys(targets)}
    operations = defaultdict(list)
    for op in api.operations:
        operations[op.path].append(op)
    for item in api.path_items:
        key_node = keys.get(item.path)
        if key_node is None or item.path is None:
            continue
        template = parse(item.path)
        in_template = list(dict.fromkeys(template.params))
        ops = operations.get(item.path, [])
        declared_by: dict[str, set[str]] = {}
        for op in ops:
            # A name that is not a string (missing, a number, an object) is spec-invalid's to
            # report; here it declares nothing.
            declared_by[op.method] = {
                name
                for p in op.parameters
                if p.get("in") == "path" and isinstance(name := p.get("name"), str)
            }
        for name in in_template:
            lacking = [op for op in ops if name not in declared_by[op.method]]
            if not lacking:
                continue
            candidates = sorted(
                {n for names in declared_by.values() for n in names} - set(in_template)
            )
            hint = _similar(name, candidates)
            if len(lacking) == len(ops):
                labels = ", ".join(op.wire_method for op in ops)
                yield key_node.finding(
                    f"'{{{name}}}' in '{item.path}' is not declared as a path parameter "
                    f"(name: {name}, in: path, required: true) by {labels}{hint}"
                )
            else:
                declaring = ", ".join(
                    op.wire_method for op in ops if name in declared_by[op.method]
                )
                for op in lacking:
                    yield op.node.finding(
                        f"{op.label} does not declare the path parameter '{name}' that its "
                        f"template needs ({declaring} does){hint}; declare it on the path item"
                    )
        # Declared but absent from the template: reported where it is written.
        declared = {n for names in declared_by.values() for n in names}
        if declared <= set(in_template) and (ops or not _declares_path_params(item)):
            continue
        sites = list(_declared(item, api))
        for op in ops:
            sites.extend(_declared(op.node, api))
        reported: set[tuple[int, tuple[str | int, ...]]] = set()
        for site, name in sites:
            mark = (id(site.doc), site.ptr)
            if name in in_template or mark in reported:
                continue
            reported.add(mark)
            hint = _similar(name, in_template)
            yield Result(
                f"path parameter '{name}' is declared but '{item.path}' has no '{{{name}}}'"
                f"{hint}; remove it or add it to the template",
                site.doc,
                site.ptr,
                site.operation,
            )


# -- path-nesting-depth -------------------------------------------------------------------


def _shared_prefix(templates: Sequence[Template]) -> int:
    """How many leading segments every path of the document shares (its base or scope, such as
    '/tenants/{tenantId}'): 0 for fewer than two paths."""
    if len(templates) < 2:
        return 0
    first = templates[0].segments
    count = len(first)
    for template in templates[1:]:
        segs = template.segments
        count = min(count, len(segs))
        for i in range(count):
            if segs[i].pattern != first[i].pattern:
                count = i
                break
        if not count:
            return 0
    return count


_DOTTED_NAMESPACE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)+\Z")


def _after_namespace(template: Template) -> int:
    """The index after the last namespace segment of a path: a dotted name such as
    'Microsoft.Compute' or the value after 'providers' (Azure Resource Manager's
    '/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Web/sites/{name}'): the
    hierarchy before it is the platform's scope, not the API's own nesting."""
    after = 0
    segs = template.segments
    for index, seg in enumerate(segs):
        if (seg.is_literal and _DOTTED_NAMESPACE.match(seg.text) and not _extension(seg)) or (
            index
            and segs[index - 1].is_literal
            and segs[index - 1].text.lower() in NAMESPACE_PARENTS
        ):
            after = index + 1
    return after


@check(
    "path_nesting",
    max=Option(int, 3, "The most nested collections a path may have (a literal then {param})."),
)
def path_nesting(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Paths nest at most ``max`` collections."""
    limit = options["max"]
    once = _Once()
    items = list(path_keys(targets))
    shared = _shared_prefix([t for _, t in items])
    for node, template in items:
        segs = template.segments
        start = max(shared, _after_namespace(template))
        levels = [
            i
            for i in template.literal_before_param()
            if i >= start and not is_version(segs[i].text)
        ]
        if len(levels) <= limit:
            continue
        cut = levels[limit] + 2
        once.add(tuple(s.text for s in segs[:cut]), node, template, levels)
    for node, template, levels, count in once:
        names = ", ".join(template.segments[i].text for i in levels)
        prefix = _prefix_text(template, levels[limit] + 2)
        yield node.finding(
            f"'{template.raw}' nests {len(levels)} collections ({names}), more than {limit}"
            + _others(count, prefix)
        )
