"""The planning forms: repeat choices become RFC 5545 rules, and bad input is refused kindly."""

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from buurtnet.activities.forms import organise as forms
from buurtnet.activities.forms.organise import build_rrule, repeat_choices, repeat_of

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LAST_FRIDAY = date(2027, 1, 29)
SECOND_WEDNESDAY = date(2027, 1, 13)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("repeat", "first", "rule"),
    [
        (forms.ONCE, LAST_FRIDAY, ""),
        (forms.WEEKLY, SECOND_WEDNESDAY, "FREQ=WEEKLY;BYDAY=WE"),
        (forms.FORTNIGHTLY, SECOND_WEDNESDAY, "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"),
        (forms.MONTHLY_NTH, SECOND_WEDNESDAY, "FREQ=MONTHLY;BYDAY=2WE"),
        (forms.MONTHLY_NTH, date(2027, 1, 1), "FREQ=MONTHLY;BYDAY=1FR"),
        (forms.MONTHLY_NTH, LAST_FRIDAY, "FREQ=MONTHLY;BYDAY=5FR"),
        (forms.MONTHLY_LAST, LAST_FRIDAY, "FREQ=MONTHLY;BYDAY=-1FR"),
        (forms.MONTHLY_LAST, date(2027, 2, 28), "FREQ=MONTHLY;BYDAY=-1SU"),
    ],
)
def test_each_repeat_choice_becomes_its_rule(repeat, first, rule):
    assert build_rrule(repeat, first) == rule


def test_a_custom_rule_is_taken_as_written_without_spaces():
    assert build_rrule(forms.CUSTOM, LAST_FRIDAY, " freq=weekly; byday=mo,th ") == (
        "FREQ=WEEKLY;BYDAY=MO,TH"
    )


def test_an_unknown_repeat_is_a_programming_error():
    with pytest.raises(ValueError):
        build_rrule("hourly", LAST_FRIDAY)


@pytest.mark.parametrize(
    ("rule", "first", "expected"),
    [
        ("", LAST_FRIDAY, (forms.ONCE, "")),
        ("FREQ=MONTHLY;BYDAY=-1FR", LAST_FRIDAY, (forms.MONTHLY_LAST, "")),
        ("FREQ=WEEKLY;BYDAY=WE", SECOND_WEDNESDAY, (forms.WEEKLY, "")),
        ("FREQ=MONTHLY;BYDAY=2WE", SECOND_WEDNESDAY, (forms.MONTHLY_NTH, "")),
        # The weekly rule of a Wednesday, seen from a Friday, is no preset any more.
        ("FREQ=WEEKLY;BYDAY=WE", LAST_FRIDAY, (forms.CUSTOM, "FREQ=WEEKLY;BYDAY=WE")),
    ],
)
def test_a_stored_rule_is_recognised_as_its_choice(rule, first, expected):
    assert repeat_of(rule, first) == expected


def test_the_choices_name_the_weekday_once_the_date_is_known():
    labels = dict(repeat_choices(LAST_FRIDAY))
    generic = dict(repeat_choices(None))

    assert labels[forms.WEEKLY] == "Every week on Friday"
    assert labels[forms.MONTHLY_NTH] == "Every month on the fifth Friday"
    assert labels[forms.MONTHLY_LAST] == "Every month on the last Friday"
    assert dict(repeat_choices(SECOND_WEDNESDAY))[forms.MONTHLY_NTH] == (
        "Every month on the second Wednesday"
    )
    assert generic[forms.WEEKLY] == "Every week"
    assert "for example the last Friday" in generic[forms.MONTHLY_LAST]


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("3", Decimal("3")), ("3.50", Decimal("3.50")), ("3,50", Decimal("3.50")), ("€ 2", 2)],
)
def test_a_contribution_is_read_as_people_type_it(typed, amount):
    assert forms.EuroField().clean(typed) == amount
    assert forms.cents(forms.EuroField().clean(typed)) == int(Decimal(amount) * 100)


# The form itself.


@pytest.fixture
def plan(personas, room):
    def make(**data):
        values = {
            "organiser": f"initiative-{personas.initiative.pk}",
            "title": "Samen eten",
            "place": str(room.pk),
            "start_date": "2027-01-29",
            "start_time": "18:00",
            "end_time": "20:30",
            "repeat": forms.MONTHLY_LAST,
            "audience": "everyone",
            "is_public": "on",
        } | data
        return forms.PlanForm(
            {k: v for k, v in values.items() if v is not None},
            initiatives=[personas.initiative],
            kept=[room],
            places=[room],
            tz=AMSTERDAM,
        )

    return make


def test_the_monthly_dinner_gives_the_last_friday_rule_and_150_minutes(plan, personas, room):
    form = plan()

    assert form.is_valid(), form.errors
    kwargs = form.service_kwargs()
    assert kwargs["rrule"] == "FREQ=MONTHLY;BYDAY=-1FR"
    assert kwargs["duration_minutes"] == 150
    assert kwargs["initiative"] == personas.initiative and kwargs["place"] == room
    assert kwargs["until"] is None and kwargs["cost_cents"] == 0


def test_the_last_weekday_must_be_the_last_of_its_month(plan):
    form = plan(start_date="2027-01-22")

    assert not form.is_valid()
    assert "is not the last Friday of its month" in str(form.errors["repeat"])


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"end_time": "17:00"}, "end_time", "The end must come after the start"),
        ({"end_time": "18:00"}, "end_time", "The end must come after the start"),
        ({"cost": "-1"}, "cost", "cannot be negative"),
        ({"cost": "99999999999"}, "cost", "at most 1000 euros"),
        ({"cost": "3.555"}, "cost", "at most two decimals"),
        ({"cost": "NaN"}, "cost", "Write the contribution as an amount"),
        ({"capacity": "0"}, "capacity", "at least one place"),
        ({"capacity": "99999999999999999999999"}, "capacity", "at most 10000 places"),
        ({"until": "2027-01-01"}, "until", "cannot be before the first date"),
        ({"until": "2099-01-01"}, "until", "within ten years"),
        ({"start_date": "2020-01-31"}, "start_date", "still to come"),
        ({"start_date": "9999-12-31"}, "start_date", "at most five years ahead"),
        ({"start_date": "99999-01-01"}, "start_date", "valid date"),
        ({"repeat": forms.CUSTOM, "custom_rule": ""}, "custom_rule", "Write the rule"),
        (
            {"repeat": forms.CUSTOM, "custom_rule": "EVERY FRIDAY"},
            "custom_rule",
            "not a repeat rule",
        ),
        (
            {"repeat": forms.CUSTOM, "custom_rule": "FREQ=HOURLY"},
            "custom_rule",
            "at most once a day",
        ),
        (
            {"repeat": forms.CUSTOM, "custom_rule": "FREQ=WEEKLY;UNTIL=20271231"},
            "custom_rule",
            "their own fields",
        ),
        ({"repeat": "hourly"}, "repeat", "Select a valid choice"),
        ({"organiser": "initiative-999999999999999999999"}, "organiser", "Choose one of your"),
        ({"place": "", "location": ""}, "place", "Choose a place, or say where it is."),
        ({"location": "The playground"}, "location", "Leave this empty"),
        ({"title": ""}, "title", "Give the activity a name."),
    ],
)
def test_bad_input_is_refused_on_its_field(plan, data, field, message):
    form = plan(**data)

    assert not form.is_valid()
    assert message in str(form.errors[field]), form.errors


def test_a_time_earlier_today_is_refused(plan, monkeypatch):
    from datetime import UTC, datetime

    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 1, 29, 18, 0, tzinfo=UTC))
    form = plan()

    assert not form.is_valid()
    assert "still to come" in str(form.errors["start_time"])


def test_a_place_keeper_plans_at_their_own_place_only(plan, personas, room):
    other = room.__class__.objects.create(neighbourhood=personas.ede, name="Binnentuin")
    form = forms.PlanForm(
        {
            "organiser": f"place-{room.pk}",
            "title": "Koffie",
            "place": str(other.pk),
            "start_date": "2027-01-27",
            "start_time": "10:00",
            "end_time": "11:30",
            "repeat": forms.WEEKLY,
            "audience": "everyone",
        },
        initiatives=[],
        kept=[room],
        places=[room, other],
        tz=AMSTERDAM,
    )

    assert not form.is_valid()
    assert "keepers takes place there" in str(form.errors["place"])


def test_once_ignores_a_last_date(plan):
    form = plan(repeat=forms.ONCE, until="2027-06-01")

    assert form.is_valid(), form.errors
    assert form.service_kwargs()["rrule"] == "" and form.service_kwargs()["until"] is None


def test_a_last_date_holds_the_whole_day(plan):
    form = plan(until="2027-06-25")

    assert form.is_valid(), form.errors
    until = form.service_kwargs()["until"]
    assert until.astimezone(AMSTERDAM).date() == date(2027, 6, 25)
    assert until.astimezone(AMSTERDAM).hour == 23


def test_moving_refuses_an_end_before_the_start_and_past_dates():
    yesterday = timezone.localdate() - timedelta(days=1)
    form = forms.MoveForm(
        {"date": yesterday.isoformat(), "start": "18:00", "end": "17:00"}, tz=AMSTERDAM
    )

    assert not form.is_valid()
    assert "still to come" in str(form.errors["date"])
    assert "The end must come after the start" in str(form.errors["end"])
