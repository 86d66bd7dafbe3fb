"""Uploaded files, each served only to whoever may see what it belongs to.

By default the app sends the bytes itself. Behind nginx or a server that understands X-Sendfile
(Apache's mod_xsendfile, lighttpd), MEDIA_ACCEL lets the app check who may see a file and the
web server send it.
"""

import hashlib
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils._os import safe_join
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from buurtnet.core.images import CONTENT_TYPE_BY_EXTENSION
from buurtnet.media import selectors
from buurtnet.media.rules import Audience

# How long a browser may keep a file before asking again. A file's bytes never change under
# its name, but who may see it can (a photo hidden, an initiative made members-only).
PRIVATE_MAX_AGE = 3600
PUBLIC_MAX_AGE = 3600


@require_safe
def media_file(request: HttpRequest, path: str) -> HttpResponseBase:
    owner = selectors.file_owner(path)
    audience = owner.kind.audience(request.user, owner.obj) if owner is not None else None
    if audience is None:
        # Unknown, hidden and forbidden look the same: nothing tells what exists.
        raise Http404
    # A stored name never gets other bytes (cleaning stores anew under a new name), so the name
    # is a fine tag; it is checked only after the permission, so it tells nothing to others.
    etag = quote_etag(hashlib.sha256(path.encode()).hexdigest()[:32])
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = _file_response(owner.kind.field.storage, path)
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    if audience is Audience.PUBLIC:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, max_age=PRIVATE_MAX_AGE)
    return response


def _content_type(name: str) -> str | None:
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return CONTENT_TYPE_BY_EXTENSION.get(suffix)


def _file_response(storage, name: str) -> HttpResponseBase:
    content_type = _content_type(name)
    if settings.MEDIA_ACCEL == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_PREFIX + quote(name)
    elif settings.MEDIA_ACCEL == "sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = safe_join(settings.MEDIA_ROOT, name)
    else:
        try:
            response = FileResponse(storage.open(name, "rb"), content_type=content_type)
        except FileNotFoundError:
            raise Http404 from None
    if content_type is None:
        # Never let a browser render an unexpected file as a page of this site.
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    return response
