"""A visitor's view of a neighbourhood: the landing page leads with what's on and how to join,
and the public agenda lists the coming two weeks of activities open to everyone.

Nothing personal reaches these pages: no resident's name, no address but a place's name, no
form token. A visitor without cookies gets them whole from the cache.
"""

import gzip
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from buurtnet.activities.services.organise import activity_create, occurrence_cancel
from buurtnet.activities.services.places import place_create, place_keeper_assign
from buurtnet.activities.services.rsvps import rsvp_set
from buurtnet.activities.views.agenda import AGENDA_LIST_MAX
from buurtnet.people.models import Language
from tests.factories import InitiativeFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LANDING = reverse("front:landing", args=["ede-zuid"])
WHATS_ON = reverse("front:public_agenda", args=["ede-zuid"])


@pytest.fixture(autouse=True)
def _language_left_as_it_was():
    """Requests without a language cookie activate Dutch; later tests must not inherit it."""
    with translation.override(translation.get_language()):
        yield


def tomorrow():
    return datetime.now(AMSTERDAM).date() + timedelta(days=1)


def at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def key(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M")


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def room(personas):
    place = place_create(
        user=personas.henk,
        neighbourhood=personas.ede,
        name="Huiskamer de Elskamp",
        address="Elskamp 1, Ede",
    )
    place_keeper_assign(user=personas.henk, place=place, keeper=personas.fatima)
    return place


@pytest.fixture
def coffee(personas, room):
    """Public, weekly from tomorrow at 10:00, with Dutch and Arabic."""
    return activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title="Koffieochtend",
        start_date=tomorrow(),
        start_time=time(10, 0),
        duration_minutes=90,
        rrule="FREQ=WEEKLY",
        languages=Language.objects.filter(code__in=["nl", "ar"]),
        audience="everyone",
    )


@pytest.fixture
def hidden(personas, room):
    """Not shown to visitors."""
    return activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        place=room,
        title="Sleuteloverleg",
        start_date=tomorrow(),
        start_time=time(20, 0),
        duration_minutes=60,
        is_public=False,
    )


@pytest.fixture
def members_only(personas):
    """Public itself, but of a members-only initiative: visitors never see it."""
    initiative = InitiativeFactory(
        neighbourhood=personas.ede, title="Besloten kring", visibility="members"
    )
    from tests.factories import ParticipationFactory

    ParticipationFactory(initiative=initiative, user=personas.fatima, role="initiator")
    return activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=initiative,
        location="Bij Fatima thuis, Elskamp 12",
        title="Kring aan huis",
        start_date=tomorrow(),
        start_time=time(14, 0),
        duration_minutes=60,
    )


@pytest.fixture
def dinner(personas):
    """Public, of the public initiative, at a free-text location (never shown to visitors)."""
    return activity_create(
        user=personas.fatima,
        neighbourhood=personas.ede,
        initiative=personas.initiative,
        location="Bij Fatima thuis, Elskamp 12",
        title="Samen eten",
        start_date=tomorrow() + timedelta(days=2),
        start_time=time(18, 0),
        duration_minutes=120,
        cost_cents=300,
    )


# The landing page ------------------------------------------------------------------------------


def test_the_landing_page_leads_with_what_it_is_then_what_is_on_then_how_to_join(
    client, personas, coffee
):
    personas.ede.motto = "Hoogbouw Ede-Zuid, deel ik met mijn buren!"
    personas.ede.save()
    html = client.get(LANDING).content.decode()

    order = [
        "<h1",
        "Hoogbouw Ede-Zuid, deel ik met mijn buren!",
        'id="coming-heading"',
        'id="join-heading"',
        'id="initiatives-heading"',
        'id="partners-heading"',
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_the_landing_page_links_the_next_public_dates_to_their_public_pages(
    client, personas, coffee, hidden, members_only
):
    html = client.get(LANDING).content.decode()
    first = at(tomorrow(), 10)

    assert "Koffieochtend" in html
    assert reverse("front:public_occurrence", args=["ede-zuid", coffee.pk, key(first)]) in html
    assert f'datetime="{first.isoformat()}"' in html
    assert "Sleuteloverleg" not in html and "Kring aan huis" not in html
    assert reverse("front:public_agenda", args=["ede-zuid"]) in html
    assert reverse("activities:feed_neighbourhood", args=["ede-zuid"]) in html


def test_a_cancelled_date_is_not_offered_to_walk_into(client, personas, coffee):
    occurrence_cancel(user=personas.fatima, activity=coffee, original_start=at(tomorrow(), 10))
    html = client.get(LANDING).content.decode()

    assert key(at(tomorrow(), 10)) not in html
    assert key(at(tomorrow() + timedelta(days=7), 10)) in html


def test_members_follow_the_dates_to_their_own_pages(as_user, personas, coffee):
    html = as_user(personas.daan).get(LANDING).content.decode()

    assert (
        reverse("activities:occurrence", args=["ede-zuid", coffee.pk, key(at(tomorrow(), 10))])
        in html
    )
    assert "/whats-on/" not in html.split('id="coming-heading"')[1].split("</section>")[0]


def test_the_languages_fold_away(client, personas):
    personas.ede.languages.set(Language.objects.filter(code__in=["nl", "ar", "tr"]))
    html = client.get(LANDING).content.decode()

    details = html[html.index('<details class="card languages">') :]
    details = details[: details.index("</details>")]
    assert "<summary>" in details and "3 languages spoken here" in details
    assert 'lang="ar"' in details


def test_initiative_cards_link_visitors_to_the_public_page_and_members_to_theirs(
    client, as_user, personas
):
    public = reverse("front:public_initiative", args=["ede-zuid", personas.initiative.pk])
    member = reverse("initiatives:detail", args=["ede-zuid", personas.initiative.pk])

    visitor_html = client.get(LANDING).content.decode()
    assert public in visitor_html and member not in visitor_html
    member_html = as_user(personas.daan).get(LANDING).content.decode()
    assert member in member_html and public not in member_html


def test_the_landing_page_with_dates_is_whole_from_the_cache(personas, coffee, dinner):
    visitor = Client()
    first = visitor.get(LANDING)
    with CaptureQueriesContext(connection) as warm:
        second = visitor.get(LANDING)

    assert len(warm) == 0
    assert second.content == first.content
    assert "Koffieochtend" in second.content.decode()
    assert not second.cookies


def test_the_cached_landing_page_goes_out_compressed_as_it_was_kept(personas, coffee):
    plain = Client().get(LANDING)
    visitor = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    first = visitor.get(LANDING)
    with CaptureQueriesContext(connection) as warm:
        second = visitor.get(LANDING)

    assert len(warm) == 0
    assert second["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in second["Vary"]
    # Compressed once, when the page was kept: every visitor gets the same bytes.
    assert second.content == first.content
    assert gzip.decompress(second.content) == plain.content
    assert "Content-Encoding" not in plain


def test_the_landing_page_reads_a_fixed_number_of_rows_however_busy(personas, room):
    def plan(n: int) -> None:
        for i in range(n):
            activity_create(
                user=personas.fatima,
                neighbourhood=personas.ede,
                place=room,
                title=f"Activiteit {i}",
                start_date=tomorrow(),
                start_time=time(9, i % 60),
                duration_minutes=30,
                rrule="FREQ=DAILY",
                languages=Language.objects.filter(code__in=["nl", "tr"]),
            )

    visitor = Client()
    plan(1)
    visitor.get(LANDING)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        visitor.get(LANDING)
    plan(12)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        visitor.get(LANDING)
    assert len(many) == len(few)


# What's on -------------------------------------------------------------------------------------


def test_a_visitor_sees_the_coming_two_weeks_of_public_activities(
    client, personas, coffee, hidden, members_only, dinner
):
    response = client.get(WHATS_ON)
    html = response.content.decode()

    assert response.status_code == 200
    shown = [entry["title"] for day in response.context["days"] for entry in day["entries"]]
    # Weekly coffee: tomorrow and a week later fall in the fortnight; the dinner once.
    assert shown.count("Koffieochtend") == 2 and shown.count("Samen eten") == 1
    assert "Sleuteloverleg" not in html and "Kring aan huis" not in html
    assert (
        reverse("front:public_occurrence", args=["ede-zuid", coffee.pk, key(at(tomorrow(), 10))])
        in html
    )


def test_the_public_agenda_shows_no_address_and_no_resident(client, personas, coffee, dinner):
    rsvp_set(
        user=personas.daan, activity=coffee, occurrence_start=at(tomorrow(), 10), status="going"
    )
    html = client.get(WHATS_ON).content.decode()

    assert "Huiskamer de Elskamp" in html  # the place's name
    assert "Elskamp 1" not in html  # never its address
    assert "Bij Fatima thuis" not in html  # nor a free-text location
    for person in ("fatima", "priya", "daan", "henk", "anna", "sem"):
        assert getattr(personas, person).display_name not in html
    assert "going" not in html and "places taken" not in html


def test_the_public_agenda_invites_to_join_and_links_the_feed(client, personas, coffee):
    html = client.get(WHATS_ON).content.decode()

    assert reverse("neighbourhoods:signup") in html
    assert reverse("neighbourhoods:ask_to_join", args=["ede-zuid"]) in html
    assert f"{reverse('login')}?next={reverse('activities:agenda', args=['ede-zuid'])}" in html
    assert reverse("activities:feed_neighbourhood", args=["ede-zuid"]) in html


def test_the_public_agenda_is_bounded(client, personas, room):
    for i in range(4):
        activity_create(
            user=personas.fatima,
            neighbourhood=personas.ede,
            place=room,
            title=f"Dagelijks {i}",
            start_date=tomorrow(),
            start_time=time(9 + i, 0),
            duration_minutes=30,
            rrule="FREQ=DAILY",
        )
    response = client.get(WHATS_ON)

    shown = [entry for day in response.context["days"] for entry in day["entries"]]
    assert len(shown) == AGENDA_LIST_MAX
    assert response.context["full"]


def test_a_cookie_less_visitor_gets_a_public_page_without_cookies(personas, coffee):
    visitor = Client()
    first = visitor.get(WHATS_ON)
    with CaptureQueriesContext(connection) as warm:
        second = visitor.get(WHATS_ON)

    assert first.status_code == 200
    assert len(warm) == 0 and second.content == first.content
    assert not second.cookies and not second.has_header("Set-Cookie")
    assert "csrfmiddlewaretoken" not in second.content.decode()
    assert directives(second) == {"public", "max-age=60"}
    assert "cookie" in second["Vary"].lower()


def test_the_public_agenda_reads_a_fixed_number_of_rows(personas, room):
    def plan(n: int) -> None:
        for i in range(n):
            activity_create(
                user=personas.fatima,
                neighbourhood=personas.ede,
                place=room,
                title=f"Activiteit {i}",
                start_date=tomorrow(),
                start_time=time(9, i),
                duration_minutes=30,
                rrule="FREQ=WEEKLY",
                languages=Language.objects.filter(code__in=["nl"]),
            )

    visitor = Client()
    plan(1)
    visitor.get(WHATS_ON)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        visitor.get(WHATS_ON)
    plan(15)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        visitor.get(WHATS_ON)
    assert len(many) == len(few)


def test_a_member_goes_to_the_members_agenda(as_user, personas):
    response = as_user(personas.daan).get(WHATS_ON)

    assert response.status_code == 302
    assert response["Location"] == reverse("activities:agenda", args=["ede-zuid"])


def test_someone_signed_in_elsewhere_reads_it_privately(as_user, personas, coffee):
    response = as_user(personas.olga).get(WHATS_ON)

    assert response.status_code == 200
    assert "Koffieochtend" in response.content.decode()
    assert "private" in directives(response)


def test_an_unknown_neighbourhood_has_no_agenda(client, db):
    assert client.get(reverse("front:public_agenda", args=["nowhere"])).status_code == 404


def test_the_members_agenda_stays_for_members(client, personas):
    response = client.get(reverse("activities:agenda", args=["ede-zuid"]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_date_that_ended_leaves_the_cached_landing_page_within_the_hour(
    personas, coffee, monkeypatch
):
    """The whole page is kept per hour with the end of its first date: once that date is over,
    the next visitor gets the page without it, even within the same hour."""
    from django.utils import timezone as django_timezone

    first = at(tomorrow(), 10)
    # 11:05: the coffee morning (10:00-11:30) is still on.
    monkeypatch.setattr(django_timezone, "now", lambda: first + timedelta(minutes=65))
    during = Client().get(LANDING).content.decode()
    assert key(first) in during

    # 11:35, the same hour: it is over.
    monkeypatch.setattr(django_timezone, "now", lambda: first + timedelta(minutes=95))
    after = Client().get(LANDING).content.decode()
    assert key(first) not in after
    assert key(first + timedelta(days=7)) in after
