"""Reading what arrives with a request: return addresses (`next`, `back`, …) and the known
parameters of a page."""

import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.http import HttpRequest, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme

# Pages of this site have short addresses; anything longer was not made by one of them.
MAX_NEXT_LENGTH = 2000


def safe_next(request: HttpRequest, value: object) -> str | None:
    """`value` if it is a path on this site to go back to, otherwise None (treat it as absent).

    Only a local path passes: one leading "/", no scheme or host, no backslash and no control or
    invisible character. Browsers read "/\\evil.example" and "/\t/evil.example" as another site,
    and Django's `redirect()` reads a bare word such as "abc" as the name of a view.
    """
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return None
    if len(value) > MAX_NEXT_LENGTH or "\\" in value:
        return None
    # Category C: control, format (invisible), surrogate, private-use and unassigned characters.
    if any(unicodedata.category(char).startswith("C") for char in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return value


class SafeNextMixin:
    """For Django's login and logout views: a `next` that is not a safe local path is ignored.

    So is a `next` back to the view itself, which Django would follow round in circles (for a
    signed-in person on the login page it even raises an error).
    """

    request: HttpRequest
    redirect_field_name: str

    def get_redirect_url(self) -> str:
        field = self.redirect_field_name
        value = self.request.POST.get(field, self.request.GET.get(field))
        path = safe_next(self.request, value)
        if path is None or urlsplit(path).path == self.request.path:
            return ""
        return path


def known_params(query: QueryDict, names: Iterable[str], *, max_length: int = 100) -> QueryDict:
    """Only the named parameters, in a fixed order and of bounded length: one shared page then
    serves every address that means the same, and unknown parameters never reach a link."""
    kept = QueryDict(mutable=True)
    for name in names:
        value = query.get(name, "").strip()[:max_length]
        if value:
            kept[name] = value
    return kept


def referer_path(request: HttpRequest) -> str | None:
    """The local path (with its query) of the page on this site that linked here."""
    try:
        parts = urlsplit(request.headers.get("Referer", ""))
    except ValueError:
        return None
    if parts.netloc != request.get_host():
        return None
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
