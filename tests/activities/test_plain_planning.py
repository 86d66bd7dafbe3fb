"""Planning in plain words: residents choose how a series repeats and when it ends; writing a
rule by hand is for hosts and place keepers, behind "Advanced", and refused from anyone else."""

import re
from datetime import date, time, timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from buurtnet.activities.forms import organise as forms
from buurtnet.activities.models import Activity
from buurtnet.activities.recurrence import last_of_count, original_starts, plain_repeat
from buurtnet.activities.services.organise import activity_change_from, activity_create
from tests.activities.conftest import AMSTERDAM, local
from tests.factories import InitiativeFactory, ParticipationFactory

SLUG = "ede-zuid"
SECOND_WEDNESDAY = date(2027, 1, 13)
LAST_FRIDAY = date(2027, 1, 29)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def club(personas):
    """Daan leads the homework club; he keeps no place and is no host."""
    club = InitiativeFactory(neighbourhood=personas.ede, title="Huiswerkclub", created_by=None)
    ParticipationFactory(initiative=club, user=personas.daan, role="initiator")
    return club


@pytest.fixture
def hosts_club(personas):
    """Henk, the host, leads an initiative too."""
    club = InitiativeFactory(neighbourhood=personas.ede, title="Schaakclub", created_by=None)
    ParticipationFactory(initiative=club, user=personas.henk, role="initiator")
    return club


def text(response) -> str:
    return unescape(response.content.decode())


def plan_url() -> str:
    return reverse("organise:create", args=[SLUG])


def change_url(activity, start) -> str:
    when = start.astimezone(AMSTERDAM).strftime("%Y%m%dT%H%M")
    return reverse("organise:change_from", args=[SLUG, activity.pk, when])


def club_data(club, **changes) -> dict:
    """The homework club, every second Wednesday of the month, at the playground."""
    return {
        "organiser": f"initiative-{club.pk}",
        "title": "Huiswerkclub",
        "location": "The playground",
        "start_date": "2027-01-13",
        "start_time": "15:00",
        "end_time": "16:30",
        "repeat": "monthly_nth",
        "audience": "everyone",
        "is_public": "on",
    } | changes


def plan_form(club, *, advanced=False, **changes) -> forms.PlanForm:
    return forms.PlanForm(
        {k: v for k, v in club_data(club, **changes).items() if v is not None},
        initiatives=[club],
        kept=[],
        places=[],
        tz=AMSTERDAM,
        advanced=advanced,
    )


# --- The plain choices become rules --------------------------------------------------------------


@pytest.mark.parametrize(
    ("repeat", "first", "rule"),
    [
        (forms.MONTHLY_DATE, date(2027, 1, 15), "FREQ=MONTHLY;BYMONTHDAY=15"),
        (forms.DAILY, date(2027, 1, 15), "FREQ=DAILY"),
        (forms.MONTHLY_NTH, date(2027, 1, 6), "FREQ=MONTHLY;BYDAY=1WE"),
    ],
)
def test_the_new_plain_choices_become_their_rules(repeat, first, rule):
    assert forms.build_rrule(repeat, first) == rule
    assert forms.repeat_of(rule, first) == (repeat, "")


@pytest.mark.parametrize(
    ("rule", "first", "expected"),
    [
        # The same dates written another way are still the plain choice.
        ("FREQ=WEEKLY", SECOND_WEDNESDAY, forms.WEEKLY),
        ("BYDAY=WE;FREQ=WEEKLY", SECOND_WEDNESDAY, forms.WEEKLY),
        ("FREQ=WEEKLY;INTERVAL=1;BYDAY=WE", SECOND_WEDNESDAY, forms.WEEKLY),
        ("FREQ=MONTHLY", date(2027, 1, 15), forms.MONTHLY_DATE),
        ("FREQ=MONTHLY;BYDAY=-1FR", LAST_FRIDAY, forms.MONTHLY_LAST),
        ("", LAST_FRIDAY, forms.ONCE),
        # Other dates are a rule written by hand.
        ("FREQ=WEEKLY;BYDAY=MO,TH", SECOND_WEDNESDAY, None),
        ("FREQ=MONTHLY;BYDAY=4FR", LAST_FRIDAY, None),
        ("FREQ=YEARLY", LAST_FRIDAY, None),
    ],
)
def test_a_rule_is_plain_when_a_plain_choice_gives_the_same_dates(rule, first, expected):
    assert plain_repeat(rule, first) == expected


def test_the_choices_read_as_residents_say_them():
    labels = dict(forms.repeat_choices(date(2027, 1, 15)))

    assert labels[forms.MONTHLY_DATE] == "Every month on day 15"
    assert labels[forms.DAILY] == "Every day"
    assert (
        "skipped in months without that day"
        in dict(forms.repeat_choices(date(2027, 1, 31)))[forms.MONTHLY_DATE]
    )
    assert dict(forms.repeat_choices(date(2027, 1, 6)))[forms.MONTHLY_NTH] == (
        "Every month on the first Wednesday"
    )


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY;BYDAY=MO,TH", "Every week on Monday and Thursday"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=SA", "Every 3 weeks on Saturday"),
        ("FREQ=MONTHLY;BYDAY=1MO,3MO", "Every month on the first Monday and the third Monday"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "Every month on day 1 and 15"),
        ("FREQ=DAILY;INTERVAL=2", "Every 2 days"),
        ("FREQ=YEARLY;BYMONTH=6", "By its own rule: FREQ=YEARLY;BYMONTH=6"),
    ],
)
def test_a_rule_written_by_hand_is_put_in_words_where_it_can_be(rule, words):
    assert forms.rule_in_words(rule, SECOND_WEDNESDAY) == words


# --- The end: a last date or a number of times ---------------------------------------------------


def test_a_number_of_times_ends_the_series_on_its_last_date(club):
    form = plan_form(club, count="4")

    assert form.is_valid(), form.errors
    kwargs = form.service_kwargs()
    assert kwargs["rrule"] == "FREQ=MONTHLY;BYDAY=2WE"
    # 13 January, 10 February, 10 March, 14 April.
    assert kwargs["until"] == local(2027, 4, 14, 23, 59)


def test_the_count_is_kept_in_the_series_end_not_in_the_rule(personas, club):
    form = plan_form(club, repeat="weekly", count="3")
    assert form.is_valid(), form.errors

    activity = activity_create(
        user=personas.daan, neighbourhood=personas.ede, **form.service_kwargs()
    )

    assert activity.rrule == "FREQ=WEEKLY;BYDAY=WE"
    starts = original_starts(activity, local(2027, 1, 1, 0, 0), local(2028, 1, 1, 0, 0))
    assert [s.date() for s in starts] == [
        date(2027, 1, 13),
        date(2027, 1, 20),
        date(2027, 1, 27),
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"count": "3", "until": "2027-06-01"}, "count", "a last date or a number of times"),
        ({"count": "0"}, "count", "at least 1"),
        ({"count": "521"}, "count", "at most 520"),
        ({"count": "many"}, "count", "whole number"),
        (
            {"repeat": "monthly_date", "start_date": "2027-01-31", "count": "200"},
            "count",
            "ten years",
        ),
    ],
)
def test_a_bad_end_is_refused_on_its_field(club, changes, field, message):
    form = plan_form(club, **changes)

    assert not form.is_valid()
    assert message in str(form.errors[field]), form.errors


def test_once_needs_no_end(club):
    form = plan_form(club, repeat="once", count="5")

    assert form.is_valid(), form.errors
    assert form.service_kwargs()["until"] is None and form.service_kwargs()["rrule"] == ""


def test_counting_dates_follows_the_rule():
    first = date(2027, 1, 13)
    last = last_of_count("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", time_at(first), 3)

    assert last.date() == first + timedelta(weeks=4)


def time_at(day: date):
    from datetime import datetime

    return datetime.combine(day, time(15, 0))


# --- A rule written by hand: hosts and keepers only ----------------------------------------------


def test_a_resident_gets_no_field_for_a_rule_and_a_posted_rule_is_ignored(club):
    form = plan_form(club, repeat="weekly", custom_rule="FREQ=DAILY;INTERVAL=3")

    assert "custom_rule" not in form.fields
    assert form.is_valid(), form.errors
    assert form.service_kwargs()["rrule"] == "FREQ=WEEKLY;BYDAY=WE"


def test_a_resident_choosing_a_rule_by_hand_is_told_why_not(club):
    form = plan_form(club, repeat="custom", custom_rule="FREQ=WEEKLY;BYDAY=MO,TH")

    assert not form.is_valid()
    assert "Only hosts and place keepers write their own repeat rules" in str(form.errors["repeat"])


def test_a_keeper_may_write_a_rule(club):
    form = plan_form(club, advanced=True, repeat="custom", custom_rule="freq=weekly;byday=we,sa")

    assert form.is_valid(), form.errors
    assert form.service_kwargs()["rrule"] == "FREQ=WEEKLY;BYDAY=WE,SA"


def test_the_service_refuses_a_rule_by_hand_from_a_resident(personas, club):
    with pytest.raises(ValidationError) as refused:
        activity_create(
            user=personas.daan,
            neighbourhood=personas.ede,
            initiative=club,
            location="The playground",
            title="Huiswerkclub",
            start_date=date(2027, 1, 13),
            start_time=time(15, 0),
            duration_minutes=90,
            rrule="FREQ=WEEKLY;BYDAY=WE,SA",
        )

    assert refused.value.error_dict["rrule"][0].code == "rule_by_hand"
    assert not Activity.objects.exists()


def test_the_service_takes_a_plain_rule_however_it_is_written(personas, club):
    activity = activity_create(
        user=personas.daan,
        neighbourhood=personas.ede,
        initiative=club,
        location="The playground",
        title="Huiswerkclub",
        start_date=date(2027, 1, 13),
        start_time=time(15, 0),
        duration_minutes=90,
        rrule="BYDAY=WE;FREQ=WEEKLY",
    )

    assert activity.pk


def test_the_service_takes_a_rule_by_hand_from_a_host(personas, hosts_club):
    activity = activity_create(
        user=personas.henk,
        neighbourhood=personas.ede,
        initiative=hosts_club,
        location="The library",
        title="Schaken",
        start_date=date(2027, 1, 13),
        start_time=time(19, 0),
        duration_minutes=120,
        rrule="FREQ=WEEKLY;BYDAY=WE,SA",
    )

    assert activity.rrule == "FREQ=WEEKLY;BYDAY=WE,SA"


# --- The plan page -------------------------------------------------------------------------------


def _details(page: str) -> str:
    found = re.search(r'<details class="advanced-rule".*?</details>', page, re.S)
    return found.group(0) if found else ""


def test_a_resident_sees_only_the_plain_choices(as_user, personas, club):
    page = text(as_user(personas.daan).get(plan_url()))

    assert 'name="repeat"' in page
    assert 'name="custom_rule"' not in page
    assert 'value="custom"' not in page
    assert "advanced-rule" not in page
    assert 'name="count"' in page and 'name="until"' in page


def test_a_keeper_finds_the_rule_behind_advanced(as_user, personas, room):
    page = text(as_user(personas.fatima).get(plan_url()))

    advanced = _details(page)
    assert "<summary>Advanced: write the repeat rule yourself</summary>" in advanced
    assert 'name="custom_rule"' in advanced
    assert 'value="custom"' in advanced
    assert "<details" in page and " open>" not in advanced
    assert page.count('name="custom_rule"') == 1


def test_a_host_finds_the_rule_behind_advanced_too(as_user, personas, hosts_club):
    page = text(as_user(personas.henk).get(plan_url()))

    assert 'name="custom_rule"' in _details(page)


def test_a_resident_posting_a_rule_by_hand_gets_400_and_a_reason(as_user, personas, club):
    response = as_user(personas.daan).post(
        plan_url(), club_data(club, repeat="custom", custom_rule="FREQ=WEEKLY;BYDAY=MO,TH")
    )

    assert response.status_code == 400
    assert "Only hosts and place keepers write their own repeat rules" in text(response)
    assert not Activity.objects.exists()


def test_a_resident_plans_every_month_on_the_same_date_ten_times(as_user, personas, club):
    response = as_user(personas.daan).post(
        plan_url(), club_data(club, start_date="2027-01-15", repeat="monthly_date", count="10")
    )

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.rrule == "FREQ=MONTHLY;BYMONTHDAY=15"
    assert activity.until.astimezone(AMSTERDAM).date() == date(2027, 10, 15)


def test_a_wrong_rule_from_a_keeper_unfolds_advanced(as_user, personas, room):
    response = as_user(personas.fatima).post(
        plan_url(),
        club_data(
            personas.initiative,
            location="",
            place=str(room.pk),
            repeat="custom",
            custom_rule="EVERY FRIDAY",
        ),
    )

    assert response.status_code == 400
    advanced = _details(text(response))
    assert " open>" in advanced
    assert "not a repeat rule we understand" in advanced
    assert 'id="id_repeat_custom" checked' in advanced


# --- Changing a series: the rule in plain choices, or in words -----------------------------------


@pytest.fixture
def chess(personas, hosts_club):
    """Henk's chess evenings, by a rule written by hand, where Daan helps organise."""
    ParticipationFactory(initiative=hosts_club, user=personas.daan, role="initiator")
    start = timezone.localdate() + timedelta(days=14)
    start += timedelta(days=(2 - start.weekday()) % 7)  # a Wednesday
    return activity_create(
        user=personas.henk,
        neighbourhood=personas.ede,
        initiative=hosts_club,
        location="The library",
        title="Schaken",
        start_date=start,
        start_time=time(19, 0),
        duration_minutes=120,
        rrule="FREQ=WEEKLY;BYDAY=WE,SA",
    )


def test_a_plain_series_shows_its_choice_when_changed(as_user, personas, club):
    start = timezone.localdate() + timedelta(days=14)
    start += timedelta(days=(2 - start.weekday()) % 7)
    walk = activity_create(
        user=personas.daan,
        neighbourhood=personas.ede,
        initiative=club,
        location="The park",
        title="Wandelen",
        start_date=start,
        start_time=time(10, 0),
        duration_minutes=60,
        rrule="FREQ=WEEKLY",
    )

    page = text(as_user(personas.daan).get(change_url(walk, walk.first_start)))

    assert re.search(r'value="weekly"[^>]*checked', page)
    assert "Every week on Wednesday" in page
    assert 'name="custom_rule"' not in page


def test_a_resident_sees_a_rule_by_hand_in_words_and_cannot_change_it(as_user, personas, chess):
    client = as_user(personas.daan)
    url = change_url(chess, chess.first_start + timedelta(weeks=1))

    page = text(client.get(url))
    assert "Every week on Wednesday and Saturday" in page
    assert "A host or a place keeper can change it" in page
    assert 'name="repeat"' not in page and 'name="custom_rule"' not in page

    data = {
        "title": "Schaken",
        "location": "The library",
        "start_time": "19:30",
        "end_time": "21:30",
        "repeat": "custom",
        "custom_rule": "FREQ=DAILY",
        "audience": "everyone",
    }
    response = client.post(url, data)

    assert response.status_code == 302
    new = Activity.objects.exclude(pk=chess.pk).get()
    assert new.rrule == "FREQ=WEEKLY;BYDAY=WE,SA"
    assert new.start_time == time(19, 30)


def test_a_host_changes_a_rule_by_hand_under_advanced(as_user, personas, chess):
    page = text(as_user(personas.henk).get(change_url(chess, chess.first_start)))

    advanced = _details(page)
    assert " open>" in advanced
    assert 'value="FREQ=WEEKLY;BYDAY=WE,SA"' in advanced
    assert 'id="id_repeat_custom" checked' in advanced


def test_the_service_refuses_a_new_rule_by_hand_from_a_resident(personas, chess):
    with pytest.raises(ValidationError) as refused:
        activity_change_from(
            user=personas.daan,
            activity=chess,
            from_start=chess.first_start,
            rrule="FREQ=WEEKLY;BYDAY=MO,FR",
        )

    assert refused.value.error_dict["rrule"][0].code == "rule_by_hand"
    # Keeping the rule, or choosing a plain one, is his to do.
    later = activity_change_from(
        user=personas.daan, activity=chess, from_start=chess.first_start, rrule="FREQ=WEEKLY"
    )
    assert later.rrule == "FREQ=WEEKLY"


def test_the_edit_page_says_how_it_repeats_and_who_may_change_a_rule(as_user, personas, chess):
    url = reverse("organise:edit", args=[SLUG, chess.pk])

    resident = text(as_user(personas.daan).get(url))
    host = text(as_user(personas.henk).get(url))

    assert "Repeats: Every week on Wednesday and Saturday" in resident
    assert "A host or a place keeper can change it." in resident
    assert "Repeats: Every week on Wednesday and Saturday" in host
    assert "A host or a place keeper can change it." not in host
