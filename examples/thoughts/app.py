"""Thoughts: a small microblog service implementing ``openapi.fixed.yaml``.

Run it::

    flask --app examples/thoughts/app.py run            # http://127.0.0.1:5000
    python examples/thoughts/app.py --port 5000          # the same, without the flask CLI

or test it in-process without a server::

    apilint contract examples/thoughts/openapi.fixed.yaml --app examples/thoughts/app.py:app

Everything lives in memory and starts from the same two users and one thought. Sessions come from
``POST /api/login``; an operator may also set ``THOUGHTS_API_TOKEN`` to a long-lived API token that
acts as the first user (handy for CI, and it survives ``/api/logout``, which only ends sessions).

The service follows the description faithfully except for one planted trap: the thoughts
collection is registered as ``/api/thoughts/`` (with a trailing slash), so ``GET /api/thoughts``
answers ``308 Permanent Redirect`` -- the kind of mismatch ``apilint contract`` is built to catch.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.wrappers import Response as WerkzeugResponse

F = TypeVar("F", bound=Callable[..., Any])

USERNAME = re.compile(r"^[a-z0-9_]{1,30}$")


class Invalid(Exception):
    """The request does not match the description: answered 400 (or 401 for credentials)."""


@dataclass
class User:
    id: int
    username: str
    password: str
    bio: str | None = None

    def public(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "username": self.username}
        if self.bio is not None:
            out["bio"] = self.bio
        return out


@dataclass
class Thought:
    id: int
    text: str
    author_id: int
    liked_by: set[int] = field(default_factory=set)

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "authorId": self.author_id,
            "likes": len(self.liked_by),
        }


class Store:
    """In-memory state, guarded by one lock (the development server is threaded)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.users: dict[int, User] = {}
        self.thoughts: dict[int, Thought] = {}
        self.followers: dict[int, set[int]] = {}
        self.sessions: dict[str, int] = {}
        self.next_user = 1
        self.next_thought = 1
        ada = self.add_user("ada", "correct-horse-battery", "Counting engines.")
        grace = self.add_user("grace", "compilers-all-the-way", None)
        self.add_thought("The engine can weave algebraic patterns.", ada.id)
        self.followers[ada.id].add(grace.id)

    def add_user(self, username: str, password: str, bio: str | None) -> User:
        user = User(self.next_user, username, password, bio)
        self.next_user += 1
        self.users[user.id] = user
        self.followers[user.id] = set()
        return user

    def add_thought(self, text: str, author_id: int) -> Thought:
        thought = Thought(self.next_thought, text, author_id)
        self.next_thought += 1
        self.thoughts[thought.id] = thought
        return thought


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    response = jsonify(error=message)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _created(body: dict[str, Any], location: str) -> Response:
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


def _json_object() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid("the body must be a JSON object")
    return data


def _string(
    data: dict[str, Any],
    name: str,
    *,
    required: bool,
    min_length: int = 0,
    max_length: int | None = None,
) -> str | None:
    if name not in data:
        if required:
            raise Invalid(f"'{name}' is required")
        return None
    value = data[name]
    if not isinstance(value, str):
        raise Invalid(f"'{name}' must be a string")
    if len(value) < min_length or (max_length is not None and len(value) > max_length):
        raise Invalid(f"'{name}' has the wrong length")
    return value


def _thought_text() -> str:
    text = _string(_json_object(), "text", required=True, min_length=1, max_length=280)
    assert text is not None
    return text


def _limit() -> int:
    raw = request.args.get("limit")
    if raw is None:
        return 20
    if not re.fullmatch(r"[0-9]+", raw) or not 1 <= int(raw) <= 100:
        raise Invalid("limit must be an integer from 1 to 100")
    return int(raw)


def create_app() -> Flask:
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    store = Store()
    api_token = os.environ.get("THOUGHTS_API_TOKEN") or None
    app.extensions["thoughts.store"] = store

    def authenticated(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not token:
                return _error(401, "a bearer token is required", {"WWW-Authenticate": "Bearer"})
            with store.lock:
                if api_token is not None and hmac.compare_digest(token, api_token):
                    g.user_id, g.session = min(store.users, default=0), None
                elif token in store.sessions:
                    g.user_id, g.session = store.sessions[token], token
                else:
                    return _error(401, "unknown or expired token", {"WWW-Authenticate": "Bearer"})
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    @app.errorhandler(Invalid)
    def invalid(exc: Invalid) -> Response:
        return _error(400, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> WerkzeugResponse:
        # JSON for every error, keeping what werkzeug adds (Allow on 405, Location on redirects).
        response = exc.get_response()
        if exc.code is not None and exc.code >= 400:
            response.set_data(jsonify(error=exc.description or exc.name).get_data())
            response.content_type = "application/json"
        return response

    @app.post("/api/login")
    def login() -> Response:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return _error(401, "wrong username or password")
        username, password = data.get("username"), data.get("password")
        with store.lock:
            user = next((u for u in store.users.values() if u.username == username), None)
            if (
                user is None
                or not isinstance(password, str)
                or not hmac.compare_digest(password.encode(), user.password.encode())
            ):
                return _error(401, "wrong username or password")
            token = secrets.token_urlsafe(24)
            store.sessions[token] = user.id
        return jsonify(token=token)

    @app.post("/api/logout")
    @authenticated
    def logout() -> Response:
        with store.lock:
            if g.session is not None:
                store.sessions.pop(g.session, None)
        return Response(status=204)

    @app.get("/api/health")
    def health() -> Response:
        return jsonify(status="ok")

    @app.get("/api/search")
    def search() -> Response:
        words = request.args.get("q")
        if words is None or not 1 <= len(words) <= 100:
            raise Invalid("q must have 1 to 100 characters")
        needle = words.lower()
        with store.lock:
            found = [t.public() for t in store.thoughts.values() if needle in t.text.lower()]
        return jsonify(items=found)

    @app.get("/api/users")
    def list_users() -> Response:
        limit = _limit()
        with store.lock:
            items = [u.public() for u in list(store.users.values())[:limit]]
        return jsonify(items=items)

    @app.post("/api/users")
    def create_user() -> Response:
        data = _json_object()
        username = _string(data, "username", required=True)
        password = _string(data, "password", required=True, min_length=8)
        bio = _string(data, "bio", required=False, max_length=160)
        assert username is not None
        assert password is not None
        if not USERNAME.fullmatch(username):
            raise Invalid("username must be 1 to 30 of a-z, 0-9 and _")
        with store.lock:
            if any(u.username == username for u in store.users.values()):
                raise Invalid("that username is taken")
            user = store.add_user(username, password, bio)
        return _created(user.public(), f"/api/users/{user.id}")

    def find_user(user_id: int, message: str = "no such user") -> User:
        user = store.users.get(user_id)
        if user is None:
            raise NotFound(message)
        return user

    def own_user(user_id: int) -> User:
        """Only your own account can be changed; others' are answered as absent."""
        user = find_user(user_id)
        if user.id != g.user_id:
            raise NotFound("no such user")
        return user

    @app.get("/api/users/<int:user_id>")
    def get_user(user_id: int) -> Response:
        with store.lock:
            return jsonify(find_user(user_id).public())

    @app.patch("/api/users/<int:user_id>")
    @authenticated
    def update_user(user_id: int) -> Response:
        bio = _string(_json_object(), "bio", required=False, max_length=160)
        with store.lock:
            user = own_user(user_id)
            if bio is not None:
                user.bio = bio
            return jsonify(user.public())

    @app.delete("/api/users/<int:user_id>")
    @authenticated
    def delete_user(user_id: int) -> Response:
        with store.lock:
            user = own_user(user_id)
            del store.users[user.id]
            store.followers.pop(user.id, None)
            for followers in store.followers.values():
                followers.discard(user.id)
            for thought in store.thoughts.values():
                thought.liked_by.discard(user.id)
            store.sessions = {t: u for t, u in store.sessions.items() if u != user.id}
        return Response(status=204)

    @app.get("/api/users/<int:user_id>/thoughts")
    def list_user_thoughts(user_id: int) -> Response:
        limit = _limit()
        with store.lock:
            user = find_user(user_id)
            mine = [t for t in store.thoughts.values() if t.author_id == user.id]
            items = [t.public() for t in sorted(mine, key=lambda t: -t.id)[:limit]]
        return jsonify(items=items)

    @app.get("/api/users/<int:user_id>/followers")
    def list_followers(user_id: int) -> Response:
        with store.lock:
            user = find_user(user_id)
            items = [store.users[i].public() for i in sorted(store.followers[user.id])]
        return jsonify(items=items)

    def follower(user_id: int, follower_id: int) -> set[int]:
        """The followers of ``user_id``, when ``follower_id`` is the caller (you follow and
        unfollow people as yourself only)."""
        find_user(user_id)
        find_user(follower_id)
        if follower_id != g.user_id:
            raise NotFound("you can only follow or unfollow people as yourself")
        return store.followers[user_id]

    @app.put("/api/users/<int:user_id>/followers/<int:follower_id>")
    @authenticated
    def add_follower(user_id: int, follower_id: int) -> Response:
        with store.lock:
            follower(user_id, follower_id).add(follower_id)
        return Response(status=204)

    @app.delete("/api/users/<int:user_id>/followers/<int:follower_id>")
    @authenticated
    def remove_follower(user_id: int, follower_id: int) -> Response:
        with store.lock:
            follower(user_id, follower_id).discard(follower_id)
        return Response(status=204)

    # The planted trap: the route has a trailing slash, the description's path does not.
    @app.get("/api/thoughts/")
    def list_thoughts() -> Response:
        limit = _limit()
        with store.lock:
            newest = sorted(store.thoughts.values(), key=lambda t: -t.id)[:limit]
            items = [t.public() for t in newest]
        return jsonify(items=items)

    @app.post("/api/thoughts/")
    @authenticated
    def create_thought() -> Response:
        text = _thought_text()
        with store.lock:
            thought = store.add_thought(text, g.user_id)
        return _created(thought.public(), f"/api/thoughts/{thought.id}")

    def find_thought(thought_id: int) -> Thought:
        thought = store.thoughts.get(thought_id)
        if thought is None:
            raise NotFound("no such thought")
        return thought

    def own_thought(thought_id: int) -> Thought:
        thought = find_thought(thought_id)
        if thought.author_id != g.user_id:
            raise NotFound("no such thought of yours")
        return thought

    @app.get("/api/thoughts/<int:thought_id>")
    def get_thought(thought_id: int) -> Response:
        with store.lock:
            return jsonify(find_thought(thought_id).public())

    @app.put("/api/thoughts/<int:thought_id>")
    @authenticated
    def replace_thought(thought_id: int) -> Response:
        text = _thought_text()
        with store.lock:
            thought = own_thought(thought_id)
            thought.text = text
            return jsonify(thought.public())

    @app.delete("/api/thoughts/<int:thought_id>")
    @authenticated
    def delete_thought(thought_id: int) -> Response:
        with store.lock:
            del store.thoughts[own_thought(thought_id).id]
        return Response(status=204)

    @app.get("/api/thoughts/<int:thought_id>/likes")
    def list_likes(thought_id: int) -> Response:
        with store.lock:
            thought = find_thought(thought_id)
            items = [store.users[i].public() for i in sorted(thought.liked_by) if i in store.users]
        return jsonify(items=items)

    def likes(thought_id: int, user_id: int) -> set[int]:
        """Who liked the thought, when ``user_id`` is the caller (likes are your own)."""
        thought = find_thought(thought_id)
        if user_id != g.user_id:
            find_user(user_id)
            raise NotFound("you can only like or unlike as yourself")
        return thought.liked_by

    @app.put("/api/thoughts/<int:thought_id>/likes/<int:user_id>")
    @authenticated
    def like(thought_id: int, user_id: int) -> Response:
        with store.lock:
            likes(thought_id, user_id).add(user_id)
        return Response(status=204)

    @app.delete("/api/thoughts/<int:thought_id>/likes/<int:user_id>")
    @authenticated
    def unlike(thought_id: int, user_id: int) -> Response:
        with store.lock:
            likes(thought_id, user_id).discard(user_id)
        return Response(status=204)

    return app


app = create_app()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Run the Thoughts example service.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    arguments = parser.parse_args()
    app.run(host=arguments.host, port=arguments.port, threaded=True)
