"""How one member is named to another. The rules live here; pages and choosers follow them.

Every person chooses what neighbours see (see people.models.User):

1. **The name** is shown wherever the person takes part: keepers of a place, the key list,
   participants and initiators, who comes and who waits, helpers on tasks, dishes, bookings,
   questions, updates, notifications and their emails. Taking part means being seen taking part.
2. **The flat** (Membership.building) appears next to a name only when the person shows it
   (User.show_building). That holds for every viewer outside the admin, hosts included: a chooser
   reads the flat through ``shown_flat`` (below), so a hidden flat is never even loaded.
3. **The door** (Membership.home, the house number) is never shown to other residents. Hosts see
   house numbers only on the invite codes they print for letterboxes (homes, not people), and the
   flat a person named in their own request to join, which hosts decide on.
4. **Not in the directory** (User.listed_in_directory False) means not findable: no profile page
   or profile link for others, not in the directory or its search, not among the newest
   neighbours, and not offered in a chooser of people (keeper, key holder, co-initiator) unless
   the person is already tied to what is chosen for: the viewer themselves, or someone the page
   names already (the place's keepers, key holders and bookers, keepers of other places, the
   initiative's people on board). A host who wants a hidden neighbour as keeper asks them to list
   themselves for a moment, or to take part first.
5. Staff in the admin see everything.

Who applies them: the choosers through the helpers below (activities.selectors.keeper_candidates
and key_candidates, initiatives.forms.AddInitiatorForm); the directory and the profile page in
neighbourhoods.selectors and views.member; the profile link in initiatives/_name.html; the flat
on a profile in neighbourhoods/_member_card.html and member.html.
"""

from django.db.models import (
    Case,
    CharField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils.translation import gettext as _

from buurtnet.neighbourhoods.models import Membership
from buurtnet.people.models import User


def _path(user_path: str, field: str) -> str:
    return f"{user_path}__{field}" if user_path else field


def findable(*, viewer: User | None = None, ties: Q | None = None, user_path: str = "user") -> Q:
    """Whom a chooser may offer: people listed in the directory, the viewer, and those tied.

    ``user_path`` leads from the queryset's model to the person ("user" for memberships, "" for
    people); ``ties`` is a condition on that same model naming who is tied to the choice.
    """
    offered = Q(**{_path(user_path, "listed_in_directory"): True})
    if viewer is not None:
        offered |= Q(**{_path(user_path, "pk"): viewer.pk})
    if ties is not None:
        offered |= ties
    return offered


def with_shown_flat(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    """Memberships with their person and ``shown_flat``: the flat's name, or None when hidden."""
    return memberships.select_related("user").annotate(
        shown_flat=Case(
            When(user__show_building=True, then=F("building__name")),
            default=None,
            output_field=CharField(),
        )
    )


def people_with_shown_flat(people: QuerySet[User], *, neighbourhood_id: int) -> QuerySet[User]:
    """People with ``shown_flat`` in this neighbourhood, None when they hide it (one query)."""
    flat = Membership.objects.filter(
        user=OuterRef("pk"), neighbourhood_id=neighbourhood_id, user__show_building=True
    ).values("building__name")[:1]
    return people.annotate(shown_flat=Subquery(flat, output_field=CharField()))


def person_label(name: str, shown_flat: str | None) -> str:
    """How a person reads in a chooser: "Name (flat)" when they show their flat, else the name."""
    # The flat tells two neighbours with the same name apart; never the door.
    if shown_flat:
        return _("%(name)s (%(flat)s)") % {"name": name, "flat": shown_flat}
    return name


def membership_label(membership: Membership) -> str:
    """The label of a membership loaded through ``with_shown_flat``."""
    return person_label(membership.user.display_name, membership.shown_flat)


def user_label(person: User) -> str:
    """The label of a person loaded through ``people_with_shown_flat``."""
    return person_label(person.display_name, person.shown_flat)
