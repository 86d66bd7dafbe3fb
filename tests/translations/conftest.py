import pytest

from buurtnet.initiatives.models import Update
from buurtnet.people.models import Language


def speaks(user, *codes: str) -> None:
    for code in codes:
        language, _created = Language.objects.get_or_create(
            code=code, defaults={"english_name": code}
        )
        user.languages.add(language)


@pytest.fixture
def update(personas):
    """Fatima's update, written in Dutch."""
    return Update.objects.create(
        initiative=personas.initiative,
        author=personas.fatima,
        body="Volgende week koken we samen. Iedereen is welkom!",
        language="nl",
    )


@pytest.fixture
def semhar(personas):
    """Daan speaks Dutch and Arabic: he can translate Fatima's update for Arabic readers."""
    speaks(personas.daan, "nl", "ar")
    return personas.daan
