"""Downloading an uploaded resource file, at the URL CKAN gives uploads
(/dataset/<id>/resource/<id>/download/<filename>). A file of a dataset the caller may not see is
"not found". Files are always sent as attachments, so an uploaded HTML or SVG file never runs as a page
of this site."""

from __future__ import annotations

import mimetypes
import os

from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, Http404, HttpRequest

from . import services
from .models import Resource
from .services import permissions


def _caller(request: HttpRequest):
    token = services.token_from_headers(request.headers)
    if token:
        try:
            return services.user_for_token(token)
        except services.NotAuthorized:
            return AnonymousUser()
    return request.user


def download(request: HttpRequest, dataset_id, resource_id, filename: str) -> FileResponse:
    resource = Resource.objects.select_related("dataset__organisation").filter(pk=resource_id).first()
    if (
        resource is None
        or resource.dataset_id != dataset_id
        or not resource.upload
        or os.path.basename(resource.upload.name) != filename
        or not permissions.can_see(_caller(request), resource.dataset)
    ):
        raise Http404("No such file")
    content_type = resource.mimetype or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(resource.upload.open("rb"), as_attachment=True, filename=filename)
    response["Content-Type"] = content_type
    return response
