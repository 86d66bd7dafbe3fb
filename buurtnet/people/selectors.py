from buurtnet.people.models import User


def profile_for_edit(*, user: User) -> User:
    """A fresh copy of the person's own profile, so an edit form never alters request.user."""
    return User.objects.prefetch_related("languages", "talents").get(pk=user.pk)
