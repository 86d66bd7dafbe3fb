import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtnet.neighbourhoods.models import Home
from buurtnet.people.models import Language, Talent, User
from tests.factories import BuildingFactory, MembershipFactory, UserFactory
from tests.neighbourhoods.conftest import text

GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def results(response) -> str:
    """The list of neighbours, without the filter form (whose options name every talent)."""
    return text(response).split('id="directory-results"', 1)[1]


def directory_url(slug="ede-zuid"):
    return reverse("neighbourhoods:directory", args=[slug])


def member_url(user, slug="ede-zuid"):
    return reverse("neighbourhoods:member", args=[slug, user.pk])


@pytest.fixture
def profiles(personas):
    """Fatima shares everything; Priya is not listed; Daan shows no talents, languages or flat."""
    cooking = Talent.objects.get(slug="cooking")
    arabic = Language.objects.get(code="ar")
    fatima = personas.fatima
    fatima.passions = "Bringing the flat together around food."
    fatima.talents_other = "Making couscous for forty"
    fatima.photo = SimpleUploadedFile("fatima.gif", GIF, content_type="image/gif")
    fatima.save()
    fatima.talents.add(cooking)
    fatima.languages.add(arabic)
    daan = personas.daan
    daan.show_talents = daan.show_languages = daan.show_building = daan.show_passions = False
    daan.show_photo = False
    daan.passions = "Secret passion"
    daan.photo = SimpleUploadedFile("daan.gif", GIF, content_type="image/gif")
    daan.save()
    daan.talents.add(cooking)
    daan.languages.add(arabic)
    User.objects.filter(pk=personas.priya.pk).update(listed_in_directory=False)
    return personas


def test_it_lists_members_who_chose_to_be_listed(client, profiles):
    client.force_login(profiles.daan)
    response = client.get(directory_url())
    assert response.status_code == 200
    page = text(response)
    for name in ("Fatima", "Daan", "Henk", "Anna", "Sem"):
        assert name in page
    assert "Priya" not in page
    assert "Olga" not in page


def test_it_shows_only_what_each_member_chose(client, profiles):
    client.force_login(profiles.henk)
    page = results(client.get(directory_url()))
    assert page.count("Cooking") == 1  # Fatima's, not Daan's
    assert page.count("Arabic") == 1
    assert "Bringing the flat together" in page
    assert "Secret passion" not in page
    assert page.count("Lives in de Elskamp") == 4  # Fatima, Henk, Anna, Sem; Daan hides his flat
    assert page.count('class="avatar"') == 1


def test_no_house_number_ever_appears(client, profiles):
    doors = list(
        Home.objects.filter(members__neighbourhood=profiles.ede).values_list("number", flat=True)
    )
    assert doors and all(door.startswith("DOOR-") for door in doors)
    client.force_login(profiles.daan)
    pages = [client.get(directory_url())]
    pages += [
        client.get(member_url(getattr(profiles, name)))
        for name in ("fatima", "daan", "henk", "anna")
    ]
    for response in pages:
        assert response.status_code == 200
        assert "DOOR-" not in text(response)


def test_professionals_are_shown_with_their_organisation(client, profiles):
    client.force_login(profiles.daan)
    page = text(client.get(directory_url()))
    assert "Professional at Wijkteam Ede-Zuid" in page
    assert "Professional at Stichting Vrienden van de Hoogbouw" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"talent": "cooking"}, ["Fatima"]),
        ({"language": "ar"}, ["Fatima"]),
        ({"q": "fat"}, ["Fatima"]),
        ({"q": "zzz"}, []),
    ],
)
def test_filters_only_match_what_members_show(client, profiles, query, expected):
    client.force_login(profiles.henk)
    response = client.get(directory_url(), query)
    assert response.status_code == 200
    names = {"Fatima", "Daan", "Henk", "Anna", "Sem"}
    listed = {name for name in names if f">{name}</a>" in text(response)}
    assert listed == set(expected)


def test_the_flat_filter_respects_hidden_flats(client, profiles):
    other_flat = BuildingFactory(neighbourhood=profiles.ede, name="de Bosrand")
    client.force_login(profiles.henk)
    response = client.get(directory_url(), {"building": profiles.elskamp.pk})
    assert ">Fatima</a>" in text(response)
    assert ">Daan</a>" not in text(response)
    empty = client.get(directory_url(), {"building": other_flat.pk})
    assert "No neighbours found" in text(empty)


def test_a_bad_filter_is_explained_and_the_rest_still_works(client, profiles):
    client.force_login(profiles.henk)
    response = client.get(directory_url(), {"talent": "juggling", "q": "fat"})
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert ">Fatima</a>" in text(response)
    assert ">Henk</a>" not in text(response)
    assert 'value="fat"' in text(response)


def test_htmx_gets_only_the_results(client, profiles):
    client.force_login(profiles.henk)
    response = client.get(
        directory_url(), {"q": "fat"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="directory-results"
    )
    assert response.status_code == 200
    assert "<html" not in text(response)
    assert ">Fatima</a>" in text(response)


def test_the_directory_is_for_members_only(client, profiles):
    assert client.get(directory_url())["Location"].startswith(reverse("login"))
    client.force_login(profiles.olga)
    assert client.get(directory_url()).status_code == 404


def _queries_for_directory(client, viewer, **filters) -> int:
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(directory_url(), filters)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_members(ede, building, count):
    cooking = Talent.objects.get(slug="cooking")
    languages = list(Language.objects.filter(code__in=["nl", "ar", "tr"]))
    for _ in range(count):
        user = UserFactory()
        user.talents.add(cooking)
        user.languages.add(*languages)
        MembershipFactory(user=user, neighbourhood=ede, building=building)


@pytest.mark.parametrize("filters", [{}, {"talent": "cooking", "language": "ar", "q": "Person"}])
def test_the_directory_runs_the_same_queries_for_5_or_50_members(client, personas, filters):
    _add_members(personas.ede, personas.elskamp, 5)
    few = _queries_for_directory(client, personas.daan, **filters)
    _add_members(personas.ede, personas.elskamp, 45)
    many = _queries_for_directory(client, personas.daan, **filters)
    assert few == many


# Member page -----------------------------------------------------------------------------------


def test_a_member_page_shows_what_they_chose(client, profiles):
    client.force_login(profiles.daan)
    page = text(client.get(member_url(profiles.fatima)))
    assert "Cooking" in page
    assert "Making couscous for forty" in page
    assert "Arabic" in page
    assert "Lives in de Elskamp" in page
    assert "Bringing the flat together" in page


def test_a_member_page_hides_what_they_did_not_choose(client, profiles):
    client.force_login(profiles.fatima)
    page = text(client.get(member_url(profiles.daan)))
    assert "Daan" in page
    for hidden in ("Cooking", "Arabic", "de Elskamp", "Secret passion", 'class="avatar"'):
        assert hidden not in page


def test_a_professional_page_names_their_organisation(client, profiles):
    client.force_login(profiles.daan)
    response = client.get(member_url(profiles.anna))
    assert "Wijkteam Ede-Zuid" in text(response)
    assert reverse("neighbourhoods:organisation", args=["ede-zuid", "wijkteam"]) in text(response)


def test_an_unlisted_member_has_no_page_for_others(client, profiles):
    client.force_login(profiles.daan)
    assert client.get(member_url(profiles.priya)).status_code == 404
    client.force_login(profiles.priya)
    assert client.get(member_url(profiles.priya)).status_code == 200


def test_people_of_another_neighbourhood_are_not_found(client, profiles):
    client.force_login(profiles.daan)
    assert client.get(member_url(profiles.olga)).status_code == 404
    client.force_login(profiles.olga)
    assert client.get(member_url(profiles.fatima)).status_code == 404
    assert client.get(member_url(profiles.olga, slug="elders")).status_code == 200


def test_a_member_page_with_an_impossible_id_is_not_found(client, personas):
    client.force_login(personas.daan)
    huge = 2**63
    response = client.get(f"/n/{personas.ede.slug}/members/{huge}/")
    assert response.status_code == 404
