"""The SensorThings API's HTTP side (OGC 18-088): the service root (§9.2.1) and one view for every
resource path (§9.2), answering GET, POST, PATCH, PUT and DELETE, and the dataArray extension's
`CreateObservations` (§14.4). Reads are public; writes need an API token
(see `tokens`) and are audited without personal data."""

from __future__ import annotations

import json

from django.core.exceptions import FieldError
from django.db import DatabaseError, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from digitalcov.core import audit
from digitalcov.core.models import Channel

from . import tokens
from .mqtt import broker
from .sta import data_array, writes
from .sta.entities import ENTITY_TYPES, check_select, property_value, self_link, serialise
from .sta.errors import StaError, bad_request, error_response
from .sta.expand import check_expand, expand_into
from .sta.query_options import apply, next_link, parse_options
from .sta.resource_path import COLLECTION, ENTITY, PROPERTY, Resource, resolve

# §9.2.1 and the class list in Annex A: only classes implemented in full.
CONFORMANCE = [
    "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/data-array/data-array",
]
# §14 (Annex A.7, A.8): claimed, with the broker's address, only while MQTT is on.
MQTT_CREATE = (
    "http://www.opengis.net/spec/iot_sensing/1.1/req/create-observations-via-mqtt/observations-creation"
)
MQTT_RECEIVE = "http://www.opengis.net/spec/iot_sensing/1.1/req/receive-updates-via-mqtt/receive-updates"


def base_url(request) -> str:
    """The absolute URL of the service root, from the request (so it is right behind any host name)."""
    return request.build_absolute_uri(reverse("sensors:service-root"))


def service_root(request):
    """§9.2.1: the entity sets and the conformance classes this server meets."""
    if request.method != "GET":
        return error_response(StaError(405, "The service root only answers GET."))
    root = base_url(request)
    server_settings: dict = {"conformance": list(CONFORMANCE)}
    endpoint = broker.public_endpoint()
    if endpoint:
        server_settings["conformance"] += [MQTT_CREATE, MQTT_RECEIVE]
        server_settings[MQTT_CREATE] = {"endpoints": [endpoint]}
        server_settings[MQTT_RECEIVE] = {"endpoints": [endpoint]}
    return JsonResponse(
        {
            "value": [{"name": t.set_name, "url": f"{root}{t.set_name}"} for t in ENTITY_TYPES],
            "serverSettings": server_settings,
        }
    )


@csrf_exempt  # an API for machines: writes are authorised by bearer token, never by a cookie
def resource(request, resource_path: str):
    """Any path below the service root."""
    try:
        if request.method == "GET":
            return _read(request, resolve(resource_path))
        if request.method in ("POST", "PATCH", "PUT", "DELETE"):
            token = tokens.writer(request)
            with transaction.atomic():
                if request.method == "POST" and resource_path.strip("/") == "CreateObservations":
                    return _create_observations(request, token)
                return _write(request, resolve(resource_path), token)
        raise StaError(405, f"{request.method} is not supported.")
    except StaError as error:
        return error_response(error)
    except DatabaseError:
        # A value the database refuses (too long for its column, say): the client's input.
        return error_response(
            bad_request("The database refused these values; check their lengths and types.")
        )
    except (FieldError, ValueError, TypeError) as error:
        # Django refuses the query the request describes (a date function applied to text, say): the
        # request is at fault, not the server. The message names the construct, never data.
        return error_response(bad_request(f"This request cannot be evaluated: {type(error).__name__}."))


def _read(request, target: Resource):
    root = base_url(request)
    entity_type = target.entity_type
    if target.kind == PROPERTY:
        value = (
            target.instance.pk if target.prop.field == "pk" else property_value(target.instance, target.prop)
        )
        if target.value:
            if value is None:
                return HttpResponse(status=204)
            text = value if isinstance(value, str) else json.dumps(value)
            return HttpResponse(text, content_type="text/plain; charset=utf-8")
        return JsonResponse({target.prop.name: value})
    if target.kind == ENTITY:
        if target.ref:
            return JsonResponse({"@iot.selfLink": self_link(root, entity_type, target.instance.pk)})
        options = parse_options(request.GET)
        for name in request.GET:
            if name.startswith("$") and name not in ("$select", "$expand"):
                raise bad_request(f"{name} applies to entity sets, not to one entity.")
        if options.select is not None:
            check_select(entity_type, options.select)
        check_expand(entity_type, options.expand)
        body = serialise(target.instance, entity_type, root, options.select)
        expand_into([body], [target.instance], entity_type, options.expand, root)
        return JsonResponse(body)

    options = parse_options(request.GET)
    check_expand(entity_type, options.expand)
    if options.result_format and (entity_type.name != "Observation" or target.ref or options.expand):
        raise bad_request("$resultFormat=dataArray applies to Observations, without $expand or $ref.")
    components = data_array.read_components(options.select) if options.result_format else None
    queryset = apply(target.queryset, entity_type, options)
    body: dict = {}
    if options.count:
        body["@iot.count"] = queryset.count()
    page = list(queryset[options.skip : options.skip + options.top + 1])
    more = options.top > 0 and len(page) > options.top  # $top=0 asks only for the count: no next page
    page = page[: options.top]
    if more:
        body["@iot.nextLink"] = next_link(request, options)
    if target.ref:
        body["value"] = [{"@iot.selfLink": self_link(root, entity_type, item.pk)} for item in page]
    elif components is not None:
        body["value"] = data_array.data_array_groups(page, components, root)
    else:
        body["value"] = [serialise(item, entity_type, root, options.select) for item in page]
        expand_into(body["value"], page, entity_type, options.expand, root)
    return JsonResponse(body)


def _create_observations(request, token):
    """§14.4: many Observations from dataArray rows, all or none (see `sta.data_array`)."""
    links = data_array.create_observations(_json_body(request), base_url(request))
    audit.record(
        "sensors.observations_created",
        channel=Channel.API,
        details={"credential": token.pk, "entity_type": "Observation", "count": len(links)},
    )
    return JsonResponse(links, status=201, safe=False)


def _write(request, target: Resource, token):
    root = base_url(request)
    entity_type = target.entity_type
    if target.ref or target.kind == PROPERTY:
        raise bad_request("Write to an entity or an entity set, not to a property or $ref.")
    if request.method == "POST":
        if target.kind != COLLECTION:
            raise bad_request("POST creates an entity in an entity set, e.g. /Things.")
        preset = {}
        if target.parent is not None:
            relation = target.parent._meta.get_field(target.navigation.field)
            if relation.many_to_many:
                raise bad_request(
                    f"Create the {entity_type.name} at /{entity_type.set_name} and link it there."
                )
            preset[relation.field.name] = target.parent
        instance = writes.create(entity_type, _json_body(request), preset)
        _audit("sensors.entity_created", instance, token, entity_type.name)
        link = self_link(root, entity_type, instance.pk)
        response = JsonResponse(serialise(instance, entity_type, root), status=201)
        response["Location"] = link
        return response
    if target.kind != ENTITY:
        raise bad_request(f"{request.method} changes one entity, e.g. /Things(1).")
    if request.method in ("PATCH", "PUT"):
        change = writes.update if request.method == "PATCH" else writes.replace
        instance = change(entity_type, target.instance, _json_body(request))
        _audit("sensors.entity_updated", instance, token, entity_type.name)
        return JsonResponse(serialise(instance, entity_type, root))
    _audit("sensors.entity_deleted", target.instance, token, entity_type.name)
    writes.delete(entity_type, target.instance)
    return HttpResponse(status=200)


def _json_body(request):
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise bad_request("The request body is not valid JSON.") from None


def _audit(action: str, instance, token, entity_type_name: str) -> None:
    """Which credential changed which entity: ids only (the token's id, never the token or its name)."""
    audit.record(
        action,
        target=instance,
        channel=Channel.API,
        details={"credential": token.pk, "entity_type": entity_type_name},
    )
