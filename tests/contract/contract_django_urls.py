"""URLs of the Django test service (see contract_apps.django_app): the collection is ``items/``."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

STORE: dict[int, dict[str, Any]] = {1: {"id": 1, "name": "first"}}


def _error(status: int, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def health(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return _error(405, "method not allowed", Allow="GET")
    return JsonResponse({"status": "ok"})


@csrf_exempt
def items(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        raw = request.GET.get("limit", "50")
        if not raw.isdigit() or not 1 <= int(raw) <= 50:
            return _error(400, "limit must be 1 to 50")
        return JsonResponse({"items": list(STORE.values())[: int(raw)]})
    if request.method == "POST":
        try:
            data = json.loads(request.body)
        except ValueError:
            data = None
        if (
            not isinstance(data, dict)
            or set(data) != {"name"}
            or not isinstance(data["name"], str)
            or not 1 <= len(data["name"]) <= 40
        ):
            return _error(400, "a name of 1 to 40 characters, nothing else")
        new_id = max(STORE, default=0) + 1
        STORE[new_id] = {"id": new_id, "name": data["name"]}
        response = JsonResponse(STORE[new_id], status=201)
        response["Location"] = f"/items/{new_id}"
        return response
    return _error(405, "method not allowed", Allow="GET, POST")


def item(request: HttpRequest, item_id: int) -> HttpResponse:
    if request.method != "GET":
        return _error(405, "method not allowed", Allow="GET")
    if item_id not in STORE:
        return _error(404, "no such item")
    return JsonResponse(STORE[item_id])


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(404, "not found")


urlpatterns = [
    path("health", health),
    path("items/", items),
    path("items/<int:item_id>", item),
]
handler404 = "contract_django_urls.not_found"
