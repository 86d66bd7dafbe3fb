import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from buurtnet.initiatives.models import Need, Participation, SupportOffer
from buurtnet.neighbourhoods.models import Membership
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def url(personas):
    """Reverse an initiatives URL for an initiative (the personas' one by default)."""

    def build(name: str, *extra, initiative=None) -> str:
        initiative = initiative or personas.initiative
        slug = initiative.neighbourhood.slug
        return reverse(f"initiatives:{name}", args=[slug, initiative.pk, *extra])

    return build


@pytest.fixture
def membership():
    def get(user, neighbourhood) -> Membership:
        return Membership.objects.select_related("organisation", "neighbourhood").get(
            user=user, neighbourhood=neighbourhood
        )

    return get


@pytest.fixture
def joiner(personas):
    """A neighbour waiting for the initiators' answer."""
    user = UserFactory(display_name="Joost", preferred_language="en")
    MembershipFactory(user=user, neighbourhood=personas.ede)
    return Participation.objects.create(
        initiative=personas.initiative, user=user, status="pending", brings="My car"
    )


@pytest.fixture
def pending_offer(personas):
    return SupportOffer.objects.create(
        initiative=personas.initiative,
        organisation=personas.foundation,
        offered_by=personas.sem,
        kind="resources",
        message="We can pay for the groceries.",
    )


@pytest.fixture
def open_need(personas):
    return Need.objects.create(
        initiative=personas.initiative, kind="hands", description="Washing up after dinner"
    )


def make_image(fmt: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color=(11, 93, 75)).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def photo():
    def build(name: str = "dinner.png", fmt: str = "PNG", content: bytes | None = None):
        data = make_image(fmt) if content is None else content
        return SimpleUploadedFile(name, data, content_type=f"image/{fmt.lower()}")

    return build
