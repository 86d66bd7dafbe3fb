"""{% member_thanks person viewer_membership %}: the thanks a neighbour received here.

Appreciation, not a score: a short list of who thanked them for what, newest first, never a
ranking. Shown only when the person chose to show their thanks, or to the person themselves.
"""

from django import template

from buurtnet.neighbourhoods.models import Membership
from buurtnet.people.models import User
from buurtnet.sharing.models import Audience
from buurtnet.sharing.selectors.posts import thanks_received

register = template.Library()

SHOWN = 5


@register.inclusion_tag("sharing/_thanks.html")
def member_thanks(person: User, viewer_membership: Membership | None) -> dict:
    nothing = {"count": 0, "thanks": [], "more": 0, "person": person}
    if viewer_membership is None or viewer_membership.is_suspended:
        return nothing
    if not (person.show_thanks or viewer_membership.user_id == person.pk):
        return nothing
    thanks, count = thanks_received(
        person=person, neighbourhood_id=viewer_membership.neighbourhood_id, limit=SHOWN
    )
    for item in thanks:
        post = item.post
        # A title only where every member could read the post; otherwise its category says
        # what the help was about without telling what was asked of whom.
        item.shown_title = (
            post.title
            if post is not None
            and post.audience == Audience.NEIGHBOURHOOD
            and post.hidden_at is None
            else ""
        )
    return {"count": count, "thanks": thanks, "more": count - len(thanks), "person": person}
