"""Small real services with planted defects, each next to the description it is tested against.

Every app answers JSON errors, 405 with Allow and documented statuses, so that the only findings a
contract run can honestly report are the planted ones.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, redirect, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

ITEM_SCHEMAS = """
components:
  schemas:
    Error:
      type: object
      required: [error]
      properties:
        error: {type: string}
    Item:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
    NewItem:
      type: object
      required: [name]
      additionalProperties: false
      properties:
        name: {type: string, minLength: 1, maxLength: 40}
    ItemList:
      type: object
      required: [items]
      properties:
        items:
          type: array
          items: {$ref: "#/components/schemas/Item"}
  responses:
    BadRequest:
      description: Invalid input
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    NotFound:
      description: No such item
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
"""

HEALTH = """
  /health:
    get:
      responses:
        "200":
          description: Up
          content:
            application/json:
              schema:
                type: object
                required: [status]
                properties:
                  status: {type: string, enum: [ok]}
"""

ITEMS = """
  /items:
    get:
      parameters:
        - name: limit
          in: query
          schema: {type: integer, minimum: 1, maximum: 50}
      responses:
        "200":
          description: Items
          content:
            application/json:
              schema: {$ref: "#/components/schemas/ItemList"}
        "400": {$ref: "#/components/responses/BadRequest"}
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewItem"}
      responses:
        "201":
          description: Created
          headers:
            Location:
              required: true
              schema: {type: string}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
        "400": {$ref: "#/components/responses/BadRequest"}
  /items/{itemId}:
    get:
      parameters:
        - name: itemId
          in: path
          required: true
          schema: {type: integer, minimum: 1}
      responses:
        "200":
          description: The item
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
        "404": {$ref: "#/components/responses/NotFound"}
"""

HEADER = """openapi: 3.0.3
info: {title: Items, version: "1.0"}
paths:
"""

ITEMS_SPEC = HEADER + HEALTH + ITEMS + ITEM_SCHEMAS
"""Health, a collection (list, create) and one item: what every app below serves."""


class Invalid(Exception):
    pass


def _json_errors(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> WerkzeugResponse:
        response = exc.get_response()
        if exc.code is not None and exc.code >= 400:
            response.set_data(jsonify(error=exc.name).get_data())
            response.content_type = "application/json"
        return response

    @app.errorhandler(Invalid)
    def invalid(exc: Invalid) -> Response:
        response = jsonify(error=str(exc))
        response.status_code = 400
        return response


def base_app(name: str) -> Flask:
    """A Flask app with JSON errors and the documented health check."""
    app = Flask(name)
    _json_errors(app)

    @app.get("/health")
    def health() -> Response:
        return jsonify(status="ok")

    return app


def items_app(*, slash: bool = False) -> Flask:
    """A correct implementation of ITEMS_SPEC; ``slash=True`` registers the collection as
    ``/items/`` (Flask then answers ``/items`` with 308)."""
    app = base_app(f"items_{slash}")
    store: dict[int, dict[str, Any]] = {1: {"id": 1, "name": "first"}}
    collection = "/items/" if slash else "/items"

    @app.get(collection)
    def list_items() -> Response:
        raw = request.args.get("limit", "50")
        if not raw.isdigit() or not 1 <= int(raw) <= 50:
            raise Invalid("limit must be 1 to 50")
        return jsonify(items=list(store.values())[: int(raw)])

    @app.post(collection)
    def create_item() -> Response:
        data = request.get_json(silent=True)
        if (
            not isinstance(data, dict)
            or set(data) != {"name"}
            or not isinstance(data["name"], str)
            or not 1 <= len(data["name"]) <= 40
        ):
            raise Invalid("a name of 1 to 40 characters, nothing else")
        new_id = max(store, default=0) + 1
        item = {"id": new_id, "name": data["name"]}
        store[new_id] = item
        response = jsonify(item)
        response.status_code = 201
        response.headers["Location"] = f"/items/{item['id']}"
        return response

    @app.get("/items/<int:item_id>")
    def get_item(item_id: int) -> Response:
        if item_id not in store:
            response = jsonify(error="no such item")
            response.status_code = 404
            return response
        return jsonify(store[item_id])

    return app


# -- a POST that answers 302 ----------------------------------------------------------------

LOGIN_SPEC = (
    HEADER
    + HEALTH
    + """
  /login:
    post:
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [user]
              properties:
                user: {type: string, minLength: 1, maxLength: 20}
      responses:
        "200":
          description: Logged in
          content:
            application/json:
              schema:
                type: object
                properties:
                  user: {type: string}
  /session:
    post:
      responses:
        "302":
          description: Go to the home page
          headers:
            Location:
              schema: {type: string}
"""
)


def login_app() -> Flask:
    """POST /login answers 302 where 200 is documented (a planted defect); POST /session
    documents its 302, which still turns the client's retry into a GET."""
    app = base_app("login")

    @app.post("/login")
    def login() -> WerkzeugResponse:
        return redirect("/health", code=302)

    @app.post("/session")
    def session() -> WerkzeugResponse:
        return redirect("/health", code=302)

    return app


# -- redirects to another origin --------------------------------------------------------------

ELSEWHERE_SPEC = (
    HEADER
    + HEALTH
    + """
  /docs:
    get:
      responses:
        "302":
          description: The documentation lives elsewhere
"""
)


def elsewhere_app(target: str) -> Flask:
    """GET /docs documents a 302 and redirects to ``target`` (another origin)."""
    app = base_app("elsewhere")

    @app.get("/docs")
    def docs() -> WerkzeugResponse:
        return redirect(target, code=302)

    return app


def recording_app(seen: list[dict[str, Any]]) -> Flask:
    """Records every request it gets (to prove nothing was sent to it)."""
    app = Flask("recorder")

    @app.route("/", defaults={"path": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    @app.route("/<path:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def anything(path: str) -> Response:
        seen.append(
            {"method": request.method, "path": "/" + path, "headers": dict(request.headers)}
        )
        return jsonify(ok=True)

    return app


# -- FastAPI: redirect_slashes ---------------------------------------------------------------


def fastapi_app() -> Any:
    """FastAPI with its default redirect_slashes: the collection is declared as ``/items/`` so
    ``/items`` answers 307; health and the single item are correct."""
    from fastapi import FastAPI, HTTPException, Query, Request
    from fastapi import Path as PathParameter
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from pydantic import BaseModel, ConfigDict, Field
    from starlette.exceptions import HTTPException as StarletteHTTPException

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    store: dict[int, dict[str, Any]] = {1: {"id": 1, "name": "first"}}

    class NewItem(BaseModel):
        model_config = ConfigDict(extra="forbid")
        name: str = Field(min_length=1, max_length=40)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        if "path" in {str(e.get("loc", [""])[0]) for e in exc.errors()}:
            return JSONResponse({"error": "no such item"}, 404)
        return JSONResponse({"error": "invalid input"}, 400)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/items/")
    def list_items(limit: int = Query(50, ge=1, le=50)) -> dict[str, Any]:
        return {"items": list(store.values())[:limit]}

    @app.post("/items/", status_code=201)
    def create_item(item: NewItem) -> JSONResponse:
        new_id = max(store, default=0) + 1
        store[new_id] = {"id": new_id, "name": item.name}
        return JSONResponse(store[new_id], 201, headers={"Location": f"/items/{new_id}"})

    @app.get("/items/{item_id}")
    def get_item(item_id: int = PathParameter(ge=1)) -> dict[str, Any]:
        if item_id not in store:
            raise HTTPException(404, "no such item")
        return store[item_id]

    return app


# -- Django: APPEND_SLASH -------------------------------------------------------------------


def django_app() -> Any:
    """Django with CommonMiddleware and APPEND_SLASH: the collection's route is ``items/`` so
    ``/items`` answers 301 (for POST too, when DEBUG is off)."""
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="apilint-tests",
            ROOT_URLCONF="contract_django_urls",
            ALLOWED_HOSTS=["*"],
            MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
            APPEND_SLASH=True,
            INSTALLED_APPS=[],
            USE_TZ=True,
        )
        django.setup()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def slashed_items_app() -> Flask:
    """For ``--app contract_apps.py:slashed_items_app()``."""
    return items_app(slash=True)


# -- the fuzzing checks: one defect per finding id -------------------------------------------

DEFECTS_SPEC = (
    HEADER
    + HEALTH
    + """
  /crash:
    get:
      parameters:
        - name: n
          in: query
          required: true
          schema: {type: integer, minimum: 0, maximum: 5}
      responses:
        "200": {description: OK}
        "400": {description: Invalid n}
  /wrong-type:
    get:
      responses:
        "200":
          description: A user
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties:
                  id: {type: integer}
  /html:
    get:
      responses:
        "200":
          description: JSON, they say
          content:
            application/json:
              schema: {type: object}
  /created:
    post:
      responses:
        "201":
          description: Created
          headers:
            Location:
              required: true
              schema: {type: string}
  /teapot:
    get:
      responses:
        "200": {description: OK}
  /lenient:
    get:
      parameters:
        - name: size
          in: query
          required: true
          schema: {type: integer, minimum: 1, maximum: 10}
      responses:
        "200": {description: OK}
        "400": {description: Invalid size}
  /anything:
    get:
      responses:
        "200": {description: OK}
"""
)


def defects_app() -> Flask:
    """Each operation of DEFECTS_SPEC has exactly one defect (health has none)."""
    app = base_app("defects")

    @app.get("/crash")
    def crash() -> Response:
        raw = request.args.get("n", "")
        if not raw.isdigit() or int(raw) > 5:
            raise Invalid("n must be 0 to 5")
        return jsonify(result=10 // max(3 - int(raw), 0))  # n from 3 to 5: 500

    @app.get("/wrong-type")
    def wrong_type() -> Response:
        return jsonify(id="1")  # a string where the schema says integer

    @app.get("/html")
    def html() -> Response:
        return Response("<p>{}</p>", content_type="text/html")

    @app.post("/created")
    def created() -> Response:
        response = jsonify(id=1)
        response.status_code = 201  # no Location, which is required
        return response

    @app.get("/teapot")
    def teapot() -> Response:
        response = jsonify(error="short and stout")
        response.status_code = 418  # not documented
        return response

    @app.get("/lenient")
    def lenient() -> Response:
        return jsonify(size=request.args.get("size"))  # accepts anything

    @app.route("/anything", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def anything() -> Response:
        return jsonify(ok=True)  # every method answers 200

    return app
