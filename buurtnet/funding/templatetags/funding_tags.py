"""Pieces of the foundation shown on other apps' pages (which do not import funding)."""

from django import template
from django.db.models import OuterRef, Subquery, Sum

from buurtnet.funding import permissions
from buurtnet.funding.ledger import FIGURE_LINES
from buurtnet.funding.models import (
    OPEN_GRANT_STATUSES,
    BoardRole,
    Foundation,
    GrantRequest,
    GrantStatus,
    LedgerLine,
)
from buurtnet.funding.services.board import foundation_of
from buurtnet.initiatives.models import Initiative
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods.models import Organisation, OrganisationKind

register = template.Library()


def _grants_of(initiative: Initiative) -> dict:
    """The neighbourhood's foundations, and this initiative's granted and open requests with
    what was granted (two queries for any number of grants; plain values for the cache)."""
    foundations = list(
        Foundation.objects.filter(neighbourhood_id=initiative.neighbourhood_id)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    if not foundations:
        return {"foundations": [], "granted": [], "open": {}}
    kind, account, sign = FIGURE_LINES["granted"]
    committed = (
        LedgerLine.objects.filter(grant=OuterRef("pk"), account=account, entry__kind=kind)
        .values("grant")
        .annotate(total=Sum("amount_cents"))
        .order_by()
        .values("total")
    )
    requests = (
        GrantRequest.objects.filter(
            initiative=initiative, status__in=[GrantStatus.GRANTED, *OPEN_GRANT_STATUSES]
        )
        .annotate(committed=Subquery(committed))
        .values("pk", "foundation_id", "status", "committed")
        .order_by("pk")
    )
    by_pk = {f.pk: f for f in foundations}
    granted, open_requests = [], {}
    for row in requests:
        foundation = by_pk.get(row["foundation_id"])
        if foundation is None:
            continue
        if row["status"] == GrantStatus.GRANTED:
            cents = sign * (row["committed"] or 0)
            if cents > 0:
                granted.append(
                    {
                        "foundation": foundation.organisation.name,
                        "org_slug": foundation.organisation.slug,
                        "granted": cents,
                    }
                )
        else:
            open_requests[foundation.pk] = row["pk"]
    return {
        "foundations": [
            {"pk": f.pk, "name": f.organisation.name, "org_slug": f.organisation.slug}
            for f in foundations
        ],
        "granted": granted,
        "open": open_requests,
    }


@register.inclusion_tag("funding/public/_initiative_grants.html", takes_context=True)
def initiative_grants(context: template.Context, initiative: Initiative) -> dict:
    """ "Supported by …" for every grant of the initiative; for its initiators, a link to ask
    each foundation for money (or to their open request)."""
    neighbourhood = context["neighbourhood"]
    found = shared_cache.shared(
        neighbourhood.pk,
        "initiative-grants",
        initiative.pk,
        build=lambda: _grants_of(initiative),
    )
    # The initiative page worked out the reader's permissions already (initiatives.views).
    may_apply = getattr(context.get("perms"), "is_initiator", None)
    if not isinstance(may_apply, bool):
        may_apply = permissions.can_apply(context.get("membership"), initiative)
    asks = []
    if may_apply:
        asks = [
            {
                "foundation": f["name"],
                "org_slug": f["org_slug"],
                "open_pk": found["open"].get(f["pk"]),
            }
            for f in found["foundations"]
        ]
    return {
        "neighbourhood": neighbourhood,
        "initiative": initiative,
        "grants": found["granted"],
        "asks": asks,
    }


@register.inclusion_tag("funding/public/_organisation_links.html", takes_context=True)
def foundation_links(context: template.Context, organisation: Organisation) -> dict:
    """On a foundation's organisation page (for members): its board of residents, where its
    money goes, and for the board its desk (for the chair and hosts also the seats)."""
    foundation = None
    seats = []
    if organisation.kind == OrganisationKind.FOUNDATION:
        foundation = foundation_of(organisation)
        seats = list(
            foundation.seats.filter(ended_at__isnull=True).select_related("user").order_by("pk")
        )
        order = [role.value for role in BoardRole]
        seats.sort(key=lambda seat: order.index(seat.role))
    membership = context.get("membership")
    return {
        "neighbourhood": context["neighbourhood"],
        "foundation": foundation,
        "seats": seats,
        "is_board": foundation is not None and permissions.is_board(membership, foundation),
        "can_manage_seats": foundation is not None
        and permissions.can_manage_seats(membership, foundation),
    }
