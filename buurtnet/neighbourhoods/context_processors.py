from django.http import HttpRequest


def current(request: HttpRequest) -> dict:
    """The neighbourhood and membership a member view resolved (see access.member_required)."""
    return {
        "neighbourhood": getattr(request, "neighbourhood", None),
        "membership": getattr(request, "membership", None),
    }
