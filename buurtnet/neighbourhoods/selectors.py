"""Reads for neighbourhoods. Each returns what a page needs in a fixed number of queries."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Length, Lower
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from buurtnet.neighbourhoods.models import (
    Building,
    InviteCode,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Neighbourhood,
    Organisation,
    Role,
)
from buurtnet.people.models import Language, Talent


def neighbourhoods_for_index(*, user) -> tuple[QuerySet[Neighbourhood], list[Neighbourhood]]:
    """All neighbourhoods, and the ones this person belongs to."""
    everything = Neighbourhood.objects.order_by("name")
    mine: list[Neighbourhood] = []
    if user.is_authenticated:
        mine = [
            m.neighbourhood
            for m in Membership.objects.filter(user=user).select_related("neighbourhood")
        ]
    return everything, mine


# Members ----------------------------------------------------------------------------------------


def _profiles(qs: QuerySet[Membership]) -> QuerySet[Membership]:
    # Never select the home: its number is not for other residents' eyes.
    return qs.select_related("user", "building", "organisation").prefetch_related(
        Prefetch("user__talents", queryset=Talent.objects.order_by("name")),
        Prefetch("user__languages", queryset=Language.objects.order_by("english_name")),
    )


def directory_members(
    *,
    neighbourhood: Neighbourhood,
    talent: Talent | None = None,
    language: Language | None = None,
    building: Building | None = None,
    q: str = "",
) -> QuerySet[Membership]:
    """Members who chose to be listed; filters only match what each member chose to show."""
    qs = Membership.objects.filter(
        neighbourhood=neighbourhood, user__is_active=True, user__listed_in_directory=True
    )
    if talent is not None:
        qs = qs.filter(user__show_talents=True, user__talents=talent)
    if language is not None:
        qs = qs.filter(user__show_languages=True, user__languages=language)
    if building is not None:
        qs = qs.filter(user__show_building=True, building=building)
    if q:
        qs = qs.filter(user__display_name__icontains=q)
    return _profiles(qs).order_by("user__sort_name", "user_id")


def member_profile(*, neighbourhood: Neighbourhood, user_id: int) -> Membership | None:
    """One member of this neighbourhood, with what their profile page shows."""
    return _profiles(
        Membership.objects.filter(
            neighbourhood=neighbourhood, user__pk=user_id, user__is_active=True
        )
    ).first()


def directory_choices(*, neighbourhood: Neighbourhood) -> dict[str, list]:
    """Talents, languages and flats to filter the directory by."""
    return {
        "talents": sorted(Talent.objects.all(), key=lambda t: t.label.casefold()),
        "languages": sorted(Language.objects.all(), key=lambda lang: lang.name.casefold()),
        "buildings": list(Building.objects.filter(neighbourhood=neighbourhood)),
    }


# Organisations ----------------------------------------------------------------------------------


def organisations_for_neighbourhood(*, neighbourhood: Neighbourhood) -> QuerySet[Organisation]:
    """Partners, the first point of contact first, with how many professionals each has here."""
    return (
        Organisation.objects.filter(neighbourhood=neighbourhood)
        .annotate(
            professional_count=Count(
                "professionals", filter=Q(professionals__role=Role.PROFESSIONAL)
            )
        )
        .order_by("-is_first_point_of_contact", Lower("name"))
    )


def organisation_detail(*, neighbourhood: Neighbourhood, slug: str) -> Organisation | None:
    """One partner with its professionals (and their people) prefetched."""
    professionals = (
        Membership.objects.filter(role=Role.PROFESSIONAL, user__is_active=True)
        .select_related("user")
        .order_by(Lower("user__display_name"))
    )
    return (
        Organisation.objects.filter(neighbourhood=neighbourhood, slug=slug)
        .prefetch_related(Prefetch("professionals", queryset=professionals, to_attr="team"))
        .first()
    )


def first_point_of_contact(*, neighbourhood: Neighbourhood) -> Organisation | None:
    return Organisation.objects.filter(
        neighbourhood=neighbourhood, is_first_point_of_contact=True
    ).first()


# Hosts ------------------------------------------------------------------------------------------


def join_requests_pending(*, neighbourhood: Neighbourhood) -> QuerySet[JoinRequest]:
    """Requests a host still has to decide on, oldest first."""
    return (
        JoinRequest.objects.filter(neighbourhood=neighbourhood, status=JoinRequestStatus.PENDING)
        .select_related("neighbourhood", "user", "building")
        .order_by("created_at", "pk")
    )


class InviteStatus:
    ACTIVE = "active"
    UNUSED = "unused"
    USED_UP = "used_up"
    REVOKED = "revoked"
    ALL = "all"


def invite_codes_for_host(
    *, neighbourhood: Neighbourhood, building: Building | None = None, status: str = ""
) -> QuerySet[InviteCode]:
    """Invite codes with their homes and how often each was used, by flat and house number."""
    qs = (
        InviteCode.objects.filter(neighbourhood=neighbourhood)
        .select_related("home__building")
        .annotate(use_count=Count("uses"))
    )
    if building is not None:
        qs = qs.filter(home__building=building)
    if status == InviteStatus.ACTIVE:
        qs = qs.filter(revoked_at__isnull=True)
    elif status == InviteStatus.UNUSED:
        qs = qs.filter(revoked_at__isnull=True, use_count=0)
    elif status == InviteStatus.USED_UP:
        qs = qs.filter(revoked_at__isnull=True, use_count__gte=F("max_uses"))
    elif status == InviteStatus.REVOKED:
        qs = qs.filter(revoked_at__isnull=False)
    # Numbers are text; ordering by length first keeps 2 before 10.
    return qs.order_by(
        Lower("home__building__name"), Length("home__number"), "home__number", "-created_at"
    )


def site_url(request: HttpRequest | None = None) -> str:
    """Where absolute links start: the address the request came in on (scheme and host, as
    Django checked them against ALLOWED_HOSTS), or settings.SITE_URL without a request (emails,
    tasks, commands)."""
    if request is None:
        return settings.SITE_URL
    return request.build_absolute_uri("/").rstrip("/")


def invite_signup_url(code: str, *, site: str | None = None) -> str:
    """The full sign-up address with the code filled in, as printed on the slip and in its QR
    code. `site` is where it starts (see `site_url`); settings.SITE_URL when not given."""
    path = f"{reverse('neighbourhoods:signup')}?{urlencode({'code': code})}"
    return f"{settings.SITE_URL if site is None else site}{path}"


@dataclass(frozen=True)
class InviteSlip:
    """One row of the printed sheet or the CSV file."""

    flat: str
    number: str
    code: str
    max_uses: int
    used: int
    revoked: bool
    signup_url: str

    @property
    def status(self) -> str:
        if self.revoked:
            return InviteStatus.REVOKED
        if self.used >= self.max_uses:
            return InviteStatus.USED_UP
        return InviteStatus.ACTIVE if self.used else InviteStatus.UNUSED

    @property
    def status_label(self) -> str:
        return invite_status_label(self.status)


def invite_status_label(status: str) -> str:
    return {
        InviteStatus.REVOKED: _("Revoked"),
        InviteStatus.USED_UP: _("Used up"),
        InviteStatus.ACTIVE: _("In use"),
        InviteStatus.UNUSED: _("Not used yet"),
    }[status]


def invite_slips(invites: Iterable[InviteCode], *, site: str | None = None) -> list[InviteSlip]:
    """Rows for printing or export, from codes fetched with invite_codes_for_host; their sign-up
    addresses start with `site` (see `site_url`)."""
    return [
        InviteSlip(
            flat=invite.home.building.name,
            number=invite.home.number,
            code=invite.code,
            max_uses=invite.max_uses,
            used=invite.use_count,
            revoked=invite.is_revoked,
            signup_url=invite_signup_url(invite.code, site=site),
        )
        for invite in invites
    ]


def _csv_safe(value: str) -> str:
    # A spreadsheet would run a cell starting with one of these as a formula.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def invite_slips_csv(slips: Iterable[InviteSlip], out: TextIO) -> None:
    """Write slips as CSV: flat, house number, code, people per household, used, status, URL."""
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Flat"),
            _("House number"),
            _("Code"),
            _("People per household"),
            _("Used by"),
            _("Status"),
            _("Sign-up address"),
        ]
    )
    for slip in slips:
        writer.writerow(
            [
                _csv_safe(slip.flat),
                _csv_safe(slip.number),
                slip.code,
                slip.max_uses,
                slip.used,
                slip.status_label,
                slip.signup_url,
            ]
        )
