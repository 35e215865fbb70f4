"""The CKAN Action API v3 endpoint, /api/3/action/<name> and /api/action/<name> (CKAN's
ckan/views/api.py `action`): reading the request the way CKAN does, finding the caller from their API
token, calling the action, and answering in CKAN's envelope with CKAN's status codes:

    200 {"help": ..., "success": true, "result": ...}
    400 "Bad request - Action name not known: <name>"        (a JSON string, as CKAN sends)
    400 {"success": false, "error": {"__type": "Search Query Error", "message": ...}}
    403 {"success": false, "error": {"__type": "Authorization Error", "message": "Access denied: ..."}}
    404 {"success": false, "error": {"__type": "Not Found Error", "message": "Not found: ..."}}
    409 {"success": false, "error": {"__type": "Validation Error", "<field>": ["..."]}}
    409 {"success": false, "error": {"__type": "Search Error", "message": ...}}

The endpoint is CSRF-exempt because it never acts on a session cookie when changing data: writes need
an API token in a header, which a browser never adds on its own.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from .. import services
from .actions import ACTIONS, ActionContext

log = logging.getLogger(__name__)
CONTENT_TYPE = "application/json;charset=utf-8"


def _respond(status: int, body: Any) -> HttpResponse:
    return HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)


def _bad_request(message: str) -> HttpResponse:
    return _respond(400, f"Bad request - {message}")


def _mixed(query_dict) -> dict[str, Any]:
    """One value per key, or a list when the key was repeated (CKAN's `mixed`)."""
    return {key: values[0] if len(values) == 1 else values for key, values in query_dict.lists()}


def request_data(request: HttpRequest, side_effect_free: bool) -> dict[str, Any]:
    """The action's parameters, read as CKAN's `_get_request_data` reads them: a form (whose single key
    may itself be JSON), URL parameters for reading actions, or a JSON body; uploaded files are added."""
    if request.method == "GET" and not side_effect_free:
        raise ValueError("Invalid request. Please use POST method for your request")
    data: Any = {}
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        form = request.POST
        values = list(form.values())
        if len(values) == 1 and values[0] in ("1", ""):
            data = json.loads(next(iter(form.keys())))
        else:
            data = _mixed(form)
    elif request.GET and side_effect_free:
        data = _mixed(request.GET)
    elif request.body:
        data = json.loads(request.body)
    if not isinstance(data, dict):
        raise ValueError(f"Request data JSON decoded to {data!r} but it needs to be a dictionary.")
    if request.method == "POST" and request.FILES:
        data.update(request.FILES.dict())
    return data


def _caller(request: HttpRequest):
    """The user the request acts as: the API token's owner, or on GET the signed-in user (reading
    only), or nobody. A token that is not valid is refused rather than treated as anonymous."""
    token = services.token_from_headers(request.headers)
    if token:
        return services.user_for_token(token)
    if request.method == "GET" and request.user.is_authenticated:
        return request.user
    return AnonymousUser()


def _too_large(request: HttpRequest) -> bool:
    """A body far bigger than the upload limit is refused before it is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.CATALOGUE_UPLOAD_MAX_BYTES + 1024 * 1024


@csrf_exempt
def action(request: HttpRequest, name: str) -> HttpResponse:
    """Run one action of the Action API."""
    if request.method not in ("GET", "POST"):
        return _respond(405, "Method not allowed")
    found = ACTIONS.get(name)
    if found is None:
        return _bad_request(f"Action name not known: {name}")
    function, side_effect_free = found
    envelope: dict[str, Any] = {"help": request.build_absolute_uri(f"/api/3/action/help_show?name={name}")}
    if _too_large(request):
        largest = settings.CATALOGUE_UPLOAD_MAX_BYTES
        error = {
            "__type": "Validation Error",
            "upload": [f"The file is larger than the limit of {largest} bytes"],
        }
        return _respond(409, {**envelope, "success": False, "error": error})
    try:
        data = request_data(request, side_effect_free)
    except (ValueError, RequestDataTooBig) as error:
        return _bad_request(f"JSON Error: {error}")
    data.pop("callback", None)  # JSONP is not offered: it would expose private data across sites
    try:
        context = ActionContext(user=_caller(request), base_url=request.build_absolute_uri("/").rstrip("/"))
        result = function(context, data)
    except services.NotAuthorized as error:
        message = "Access denied" + (f": {error.message}" if error.message else "")
        return _respond(
            403,
            {**envelope, "success": False, "error": {"__type": "Authorization Error", "message": message}},
        )
    except services.NotFound as error:
        message = "Not found" + (f": {error.message}" if error.message else "")
        return _respond(
            404, {**envelope, "success": False, "error": {"__type": "Not Found Error", "message": message}}
        )
    except services.ValidationError as error:
        return _respond(
            409, {**envelope, "success": False, "error": {**error.errors, "__type": "Validation Error"}}
        )
    except services.SearchQueryError as error:
        message = f"Search Query is invalid: {error.message}"
        return _respond(
            400, {**envelope, "success": False, "error": {"__type": "Search Query Error", "message": message}}
        )
    except services.SearchError as error:
        message = f"Search error: {error.message}"
        return _respond(
            409, {**envelope, "success": False, "error": {"__type": "Search Error", "message": message}}
        )
    except Exception:  # CKAN's envelope for the unexpected too, so clients can still read the answer
        log.exception("Action API %s failed", name)
        error = {"__type": "Internal Server Error", "message": "Internal Server Error"}
        return _respond(500, {**envelope, "success": False, "error": error})
    return _respond(200, {**envelope, "success": True, "result": result})
