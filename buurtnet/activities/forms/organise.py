"""Forms of the organisers' pages: plan an activity, change it, cancel or move one date.

Residents choose how a series repeats in plain words ("every month on the first Wednesday"),
with an optional last date or number of times; the form builds the RFC 5545 rule from the first
date (see recurrence.plain_rrule). Writing a rule by hand is for hosts and place keepers, behind
"Advanced"; the services refuse a hand-written rule from anyone else as well. A series' end is
kept in its own field (`until`), never in the rule.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from buurtnet.activities.models import Activity, Audience, Place, localize
from buurtnet.activities.recurrence import (
    BYDAY,
    CUSTOM,
    DAILY,
    FORTNIGHTLY,
    MONTHLY_DATE,
    MONTHLY_LAST,
    MONTHLY_NTH,
    ONCE,
    PLAIN_REPEATS,
    WEEKLY,
    is_last_weekday,
    last_of_count,
    nth_weekday,
    original_starts,
    plain_repeat,
    plain_rrule,
    validate_rrule,
)
from buurtnet.core.forms import DateInput
from buurtnet.initiatives.forms import written_in_field
from buurtnet.initiatives.models import Initiative
from buurtnet.people.forms import CheckboxList, LanguageChoiceField
from buurtnet.people.models import Language

__all__ = [
    "CUSTOM",
    "DAILY",
    "FORTNIGHTLY",
    "MONTHLY_DATE",
    "MONTHLY_LAST",
    "MONTHLY_NTH",
    "ONCE",
    "WEEKLY",
    "is_last_weekday",
    "nth_weekday",
]

REPEATS = (*PLAIN_REPEATS, CUSTOM)

# Planning reaches this far ahead; further dates are typing mistakes (and overflow calendars).
MAX_AHEAD = timedelta(days=366 * 5)
MAX_SERIES = timedelta(days=366 * 10)
# A weekly series for ten years; the ten-year limit on the last date holds as well.
MAX_COUNT = 520
MAX_COST = Decimal("1000")
MAX_CAPACITY = 10_000


def build_rrule(repeat: str, first: date, custom: str = "") -> str:
    """The RFC 5545 rule of a repeat choice, for a series whose first date is `first`.

    >>> build_rrule(MONTHLY_LAST, date(2027, 1, 29))
    'FREQ=MONTHLY;BYDAY=-1FR'
    """
    if repeat == CUSTOM:
        return "".join((custom or "").split()).upper()
    return plain_rrule(repeat, first)


def repeat_of(rrule: str, first: date) -> tuple[str, str]:
    """The repeat choice and custom rule that give `rrule` for a series from `first`: a plain
    choice whenever it gives the same dates, else CUSTOM with the rule itself."""
    repeat = plain_repeat(rrule, first)
    if repeat is None:
        return CUSTOM, rrule
    return repeat, ""


def _and(items: list[str]) -> str:
    """ "A, B and C" in the reader's language."""
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _nth_weekday_words(n: int, weekday: str) -> str | None:
    phrases = {
        1: _("the first %(weekday)s"),
        2: _("the second %(weekday)s"),
        3: _("the third %(weekday)s"),
        4: _("the fourth %(weekday)s"),
        5: _("the fifth %(weekday)s"),
        -1: _("the last %(weekday)s"),
    }
    phrase = phrases.get(n)
    return phrase % {"weekday": weekday} if phrase else None


def _weekday_name(code: str) -> str | None:
    return str(WEEKDAYS[BYDAY.index(code)]) if code in BYDAY else None


def rule_in_words(rrule: str, first: date) -> str:
    """A rule written by hand, in words where it is a common kind ("Every week on Monday and
    Thursday", "Every month on the first Monday and the third Monday"); else the rule itself."""
    fallback = _("By its own rule: %(rule)s") % {"rule": rrule}
    parts: dict[str, str] = {}
    for part in rrule.split(";"):
        name, _sep, value = part.partition("=")
        parts[name] = value
    if set(parts) - {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "WKST"}:
        return fallback
    freq = parts.get("FREQ")
    interval = parts.get("INTERVAL", "1")
    if not interval.isdigit() or int(interval) < 1:
        return fallback
    every = int(interval)
    byday = [code for code in parts.get("BYDAY", "").split(",") if code]
    bymonthday = [day for day in parts.get("BYMONTHDAY", "").split(",") if day]
    if freq in ("DAILY", "WEEKLY") and not bymonthday:
        if freq == "DAILY" and not byday:
            return ngettext("Every day", "Every %(count)s days", every) % {"count": every}
        if freq == "DAILY" and every > 1:
            return fallback
        names = [_weekday_name(code) for code in byday or [BYDAY[first.weekday()]]]
        if None in names:
            return fallback
        days = _and(names)
        if every == 1:
            return _("Every week on %(days)s") % {"days": days}
        return ngettext(
            "Every %(count)s week on %(days)s", "Every %(count)s weeks on %(days)s", every
        ) % {"count": every, "days": days}
    if freq == "MONTHLY" and bymonthday and not byday:
        if not all(day.isdigit() and 1 <= int(day) <= 31 for day in bymonthday):
            return fallback
        days = _and(bymonthday)
        if every == 1:
            return _("Every month on day %(days)s") % {"days": days}
        return ngettext(
            "Every %(count)s month on day %(days)s", "Every %(count)s months on day %(days)s", every
        ) % {"count": every, "days": days}
    if freq == "MONTHLY" and byday and not bymonthday and every == 1:
        words = []
        for code in byday:
            number, weekday = code[:-2], _weekday_name(code[-2:])
            try:
                phrase = _nth_weekday_words(int(number), weekday) if weekday else None
            except ValueError:
                phrase = None
            if phrase is None:
                return fallback
            words.append(phrase)
        return _("Every month on %(days)s") % {"days": _and(words)}
    return fallback


def repeat_in_words(activity: Activity) -> str:
    """How a series repeats, as residents say it ("Every month on the last Friday"), with its
    end; empty for a single activity."""
    if not activity.rrule:
        return ""
    repeat, _custom = repeat_of(activity.rrule, activity.start_date)
    if repeat == CUSTOM:
        words = rule_in_words(activity.rrule, activity.start_date)
    else:
        words = dict(repeat_choices(activity.start_date))[repeat]
    if activity.until is not None:
        # The last date the series gives (the end itself may lie between two dates).
        last = original_starts(activity, activity.until - timedelta(days=400), activity.until)
        if last:
            until = date_format(last[-1].astimezone(activity.tz).date(), "j F Y")
            words = _("%(repeat)s, until %(date)s") % {"repeat": words, "date": until}
    return words


def _ordinal_phrase(n: int) -> str:
    phrases = {
        1: _("Every month on the first %(weekday)s"),
        2: _("Every month on the second %(weekday)s"),
        3: _("Every month on the third %(weekday)s"),
        4: _("Every month on the fourth %(weekday)s"),
        5: _("Every month on the fifth %(weekday)s"),
    }
    return phrases[n]


def _month_day_phrase(day: int) -> str:
    if day > 28:
        return _("Every month on day %(day)s (skipped in months without that day)") % {"day": day}
    return _("Every month on day %(day)s") % {"day": day}


def repeat_choices(first: date | None) -> list[tuple[str, str]]:
    """The repeat choices in words, naming the weekday once the first date is known. The order
    is the order of the radio buttons; the rule written by hand comes last."""
    if first is None:
        return [
            (ONCE, _("Once")),
            (WEEKLY, _("Every week")),
            (FORTNIGHTLY, _("Every two weeks")),
            (MONTHLY_NTH, _("Every month on the same weekday (for example the 2nd Wednesday)")),
            (MONTHLY_LAST, _("Every month on the last such weekday (for example the last Friday)")),
            (MONTHLY_DATE, _("Every month on the same date (for example the 15th)")),
            (DAILY, _("Every day")),
            (CUSTOM, _("Another rule (RFC 5545)")),
        ]
    weekday = WEEKDAYS[first.weekday()]
    return [
        (ONCE, _("Once")),
        (WEEKLY, _("Every week on %(weekday)s") % {"weekday": weekday}),
        (FORTNIGHTLY, _("Every two weeks on %(weekday)s") % {"weekday": weekday}),
        (MONTHLY_NTH, _ordinal_phrase(nth_weekday(first)) % {"weekday": weekday}),
        (MONTHLY_LAST, _("Every month on the last %(weekday)s") % {"weekday": weekday}),
        (MONTHLY_DATE, _month_day_phrase(first.day)),
        (DAILY, _("Every day")),
        (CUSTOM, _("Another rule (RFC 5545)")),
    ]


class EuroField(forms.DecimalField):
    """An amount in euros as people type it: "3", "3.50", "3,50" or "€ 3,50"."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_digits", 7)
        kwargs.setdefault("decimal_places", 2)
        # A text box: a number box refuses "3,50" in some browsers.
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("€", "").replace(" ", "").strip()
            if "," in value and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)


def cents(amount: Decimal | None) -> int:
    return int((amount or Decimal(0)) * 100)


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class _Form(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        # Checkboxes read "Public", not "Public:", with the box before the word (see app.css).
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class _DetailsMixin(forms.Form):
    """What the activity is: the same fields when planning, editing and changing from a date."""

    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=120,
        error_messages={"required": gettext_lazy("Give the activity a name.")},
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What happens, and what to bring."),
    )
    language = written_in_field()
    languages = LanguageChoiceField(
        label=gettext_lazy("Languages spoken"),
        queryset=Language.objects.all(),
        required=False,
        widget=CheckboxList,
    )
    cost = EuroField(
        label=gettext_lazy("Contribution in euros"),
        required=False,
        min_value=Decimal(0),
        max_value=MAX_COST,
        help_text=gettext_lazy("For example 3.50. Leave empty when it is free."),
        error_messages={
            "min_value": gettext_lazy("The contribution cannot be negative."),
            "max_value": gettext_lazy("The contribution can be at most 1000 euros."),
            "max_digits": gettext_lazy("The contribution can be at most 1000 euros."),
            "max_whole_digits": gettext_lazy("The contribution can be at most 1000 euros."),
            "max_decimal_places": gettext_lazy("Use at most two decimals, for example 3.50."),
            "invalid": gettext_lazy("Write the contribution as an amount, for example 3.50."),
        },
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("For whom"), choices=Audience.choices, initial=Audience.EVERYONE
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Places"),
        required=False,
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=gettext_lazy("How many people can come. Leave empty for no limit."),
        error_messages={
            "min_value": gettext_lazy("Give at least one place, or leave it empty for no limit."),
            "max_value": gettext_lazy("Give at most 10000 places."),
            "invalid": gettext_lazy("Give the number of places as a whole number."),
        },
    )
    bring_a_dish = forms.BooleanField(
        label=gettext_lazy("Everyone brings a dish"),
        required=False,
        help_text=gettext_lazy("People who come can say which dish they bring."),
    )
    is_public = forms.BooleanField(
        label=gettext_lazy("Visible to visitors"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Public activities appear in the neighbourhood's open calendar."),
    )

    def details(self) -> dict:
        """The cleaned values as the services take them."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "language": data["language"],
            "languages": list(data["languages"]),
            "cost_cents": cents(data.get("cost")),
            "audience": data["audience"],
            "capacity": data.get("capacity"),
            "bring_a_dish": data["bring_a_dish"],
            "is_public": data["is_public"],
        }


class _WhereMixin(forms.Form):
    """At one of the neighbourhood's places, or somewhere described in words."""

    place = forms.ChoiceField(label=gettext_lazy("Place"), required=False)
    location = forms.CharField(
        label=gettext_lazy("Or somewhere else"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "For example: the playground behind the flat. Only when it is not at one of our places."
        ),
    )

    def _set_places(self, places: list[Place]) -> None:
        self.places = {str(place.pk): place for place in places}
        self.fields["place"].choices = [
            ("", _("Not at one of our places")),
            *((str(place.pk), place.name) for place in places),
        ]

    def _clean_where(self, data: dict, *, required: bool) -> None:
        place = self.places.get(data.get("place") or "")
        data["place_obj"] = place
        location = data.get("location", "")
        if place is not None and location:
            self.add_error(
                "location", _("Leave this empty when it takes place at one of our places.")
            )
        elif required and place is None and not location and "location" not in self.errors:
            self.add_error("place", _("Choose a place, or say where it is."))


class _ScheduleMixin(forms.Form):
    """When: start and end time, how it repeats and until when (a last date or a number of
    times).

    `advanced` (hosts and place keepers) adds the rule written by hand. For anyone else editing
    a series whose rule no plain choice gives, the rule stays as it is and is shown in words
    (`rule_locked`)."""

    start_time = forms.TimeField(label=gettext_lazy("Starts at"), widget=_time_input())
    end_time = forms.TimeField(label=gettext_lazy("Ends at"), widget=_time_input())
    repeat = forms.ChoiceField(
        label=gettext_lazy("Repeats"),
        choices=(),
        widget=forms.RadioSelect,
        initial=ONCE,
        help_text=gettext_lazy("Counted from the first date."),
    )
    custom_rule = forms.CharField(
        label=gettext_lazy("Repeat rule"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "Written as in RFC 5545. For example FREQ=WEEKLY;BYDAY=MO,TH (every Monday and "
            "Thursday). Leave out the start, the end and the time: they have their own fields."
        ),
    )
    until = forms.DateField(
        label=gettext_lazy("Last date"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Optional. Leave empty to keep repeating."),
    )
    count = forms.IntegerField(
        label=gettext_lazy("Or: how many times"),
        required=False,
        min_value=1,
        max_value=MAX_COUNT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=gettext_lazy("Optional. For example 10: the series ends after its tenth date."),
        error_messages={
            "min_value": gettext_lazy("Give at least 1, or leave it empty."),
            "max_value": gettext_lazy("Give at most 520 times, or a last date instead."),
            "invalid": gettext_lazy("Give the number of times as a whole number."),
        },
    )

    advanced = False
    rule_locked = False
    rule_words = ""

    def _set_schedule(self, first: date | None, *, advanced: bool, locked_rule: str = "") -> None:
        self.advanced = advanced
        choices = repeat_choices(first)
        self.fields["repeat"].choices = choices
        # The rule written by hand has its own radio button, under "Advanced" (see
        # _schedule_fields.html); for everyone else it is refused with a word why.
        self.fields["repeat"].widget.choices = [c for c in choices if c[0] != CUSTOM]
        if not advanced:
            # Not shown and not read: a rule posted anyway is ignored (or, chosen as the
            # repeat, refused with a word why).
            del self.fields["custom_rule"]
        if locked_rule:
            self.rule_locked = True
            self.locked_rule = locked_rule
            self.rule_words = rule_in_words(locked_rule, first) if first else locked_rule
            del self.fields["repeat"]

    @property
    def custom_chosen(self) -> bool:
        return "repeat" in self.fields and self["repeat"].value() == CUSTOM

    @property
    def custom_open(self) -> bool:
        """Whether "Advanced" starts unfolded: a rule written by hand is in use, or has errors."""
        if "custom_rule" not in self.fields:
            return False
        return self.custom_chosen or bool(self["custom_rule"].errors)

    def _clean_rule(self, data: dict, first: date, start: time | None) -> str | None:
        """The rule the choices give, or None after adding an error."""
        if self.rule_locked:
            return self.locked_rule
        repeat = data.get("repeat")
        if repeat is None:
            return None
        if repeat == CUSTOM:
            if not self.advanced:
                self.add_error(
                    "repeat",
                    _(
                        "Only hosts and place keepers write their own repeat rules. Choose one "
                        "of the repeats above, or ask a host."
                    ),
                )
                return None
            custom = data.get("custom_rule", "")
            if not custom:
                if "custom_rule" not in self.errors:
                    self.add_error(
                        "custom_rule", _("Write the rule, or choose one of the repeats above.")
                    )
                return None
            naive_first = datetime.combine(first, start or time(12))
            try:
                return validate_rrule(custom, first=naive_first)
            except ValidationError as exc:
                self.add_error("custom_rule", exc.messages)
                return None
        if repeat == MONTHLY_LAST and not is_last_weekday(first):
            self.add_error(
                "repeat",
                _(
                    "%(date)s is not the last %(weekday)s of its month. Choose that date, or "
                    "another repeat."
                )
                % {
                    "date": date_format(first, "l j F Y"),
                    "weekday": WEEKDAYS[first.weekday()],
                },
            )
            return None
        return build_rrule(repeat, first)

    def _clean_schedule(self, data: dict, first: date | None) -> None:
        """Adds `duration_minutes`, `rrule` and `until_moment` to the cleaned data."""
        start, end = data.get("start_time"), data.get("end_time")
        if start is not None and end is not None:
            if end <= start:
                self.add_error(
                    "end_time",
                    _("The end must come after the start, on the same day."),
                )
            else:
                span = datetime.combine(date.min, end) - datetime.combine(date.min, start)
                data["duration_minutes"] = int(span.total_seconds() // 60)
        if first is None:
            return
        rule = self._clean_rule(data, first, start)
        if rule is None:
            return
        data["rrule"] = rule
        until, count = data.get("until"), data.get("count")
        if not rule:
            data["until"] = data["count"] = None
            return
        if until is not None and count is not None:
            self.add_error("count", _("Give a last date or a number of times, not both."))
        elif count is not None:
            last = last_of_count(rule, datetime.combine(first, start or time(12)), count)
            if last is None:
                self.add_error(
                    "count",
                    _("The series does not have %(count)s dates within ten years.")
                    % {"count": count},
                )
            else:
                data["until_moment"] = localize(
                    datetime.combine(last.date(), time(23, 59)), self.tz
                )
        elif until is not None:
            if until < first:
                self.add_error("until", _("The last date cannot be before the first date."))
            elif until - first > MAX_SERIES:
                self.add_error("until", _("Choose a last date within ten years."))
            else:
                data["until_moment"] = localize(datetime.combine(until, time(23, 59)), self.tz)

    def schedule(self) -> dict:
        data = self.cleaned_data
        schedule = {
            "start_time": data["start_time"],
            "duration_minutes": data["duration_minutes"],
            "until": data.get("until_moment"),
        }
        if not self.rule_locked:
            schedule["rrule"] = data["rrule"]
        return schedule

    def rule_field(self) -> str | None:
        """Where the services' errors about the rule go."""
        if self.rule_locked:
            return None
        if self.cleaned_data.get("repeat") == CUSTOM and "custom_rule" in self.fields:
            return "custom_rule"
        return "repeat"


def organiser_value(thing: Initiative | Place) -> str:
    kind = "initiative" if isinstance(thing, Initiative) else "place"
    return f"{kind}-{thing.pk}"


class PlanForm(_Form, _DetailsMixin, _WhereMixin, _ScheduleMixin):
    """Plan a new activity or series, for an initiative one leads or a place one keeps."""

    organiser = forms.ChoiceField(
        label=gettext_lazy("Organised by"),
        help_text=gettext_lazy("An activity of a place you keep takes place there."),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Choose one of your initiatives or one of the places you keep."
            ),
            "required": gettext_lazy(
                "Choose one of your initiatives or one of the places you keep."
            ),
        },
    )
    start_date = forms.DateField(
        label=gettext_lazy("First date"),
        widget=DateInput(),
    )

    field_order = [
        "organiser",
        "title",
        "description",
        "language",
        "place",
        "location",
        "start_date",
        "start_time",
        "end_time",
        "repeat",
        "custom_rule",
        "until",
        "count",
        "languages",
        "cost",
        "audience",
        "capacity",
        "bring_a_dish",
        "is_public",
    ]

    def __init__(
        self,
        *args,
        initiatives: list[Initiative],
        kept: list[Place],
        places: list[Place],
        tz: ZoneInfo,
        advanced: bool | None = None,
        **kwargs,
    ) -> None:
        """`advanced`: whether the member may write a rule by hand (hosts and place keepers;
        by default whoever keeps a place)."""
        super().__init__(*args, **kwargs)
        self.tz = tz
        self.organisers = {organiser_value(i): i for i in initiatives} | {
            organiser_value(p): p for p in kept
        }
        groups = []
        if initiatives:
            groups.append(
                (_("My initiatives"), [(organiser_value(i), i.title) for i in initiatives])
            )
        if kept:
            groups.append((_("Places I keep"), [(organiser_value(p), p.name) for p in kept]))
        self.fields["organiser"].choices = groups
        self._set_places(places)
        first = None
        if self.is_bound:
            try:
                first = self.fields["start_date"].clean(self.data.get("start_date"))
            except ValidationError:
                first = None
        self._set_schedule(first, advanced=bool(kept) if advanced is None else advanced)

    def clean_start_date(self) -> date:
        first = self.cleaned_data["start_date"]
        today = timezone.localdate(timezone=self.tz)
        if first < today:
            raise ValidationError(_("Choose a first date that is still to come."))
        if first - today > MAX_AHEAD:
            raise ValidationError(_("Plan at most five years ahead."))
        return first

    def clean(self) -> dict:
        data = super().clean()
        organiser = self.organisers.get(data.get("organiser") or "")
        data["initiative"] = organiser if isinstance(organiser, Initiative) else None
        if isinstance(organiser, Place):
            chosen = self.places.get(data.get("place") or "")
            if chosen is not None and chosen != organiser:
                self.add_error("place", _("An activity of a place's keepers takes place there."))
            elif data.get("location"):
                self.add_error("location", _("An activity of a place's keepers takes place there."))
            data["place_obj"] = organiser
        else:
            self._clean_where(data, required=organiser is not None)
        first = data.get("start_date")
        self._clean_schedule(data, first)
        start = data.get("start_time")
        if first is not None and start is not None and "start_date" not in self.errors:
            if localize(datetime.combine(first, start), self.tz) <= timezone.now():
                self.add_error("start_time", _("Choose a time that is still to come."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            **self.details(),
            **self.schedule(),
            "initiative": data["initiative"],
            "place": data["place_obj"],
            "location": "" if data["place_obj"] else data["location"],
            "start_date": data["start_date"],
        }

    # Where the services' field errors go on this form.
    service_fields = {
        "initiative": "organiser",
        "place": "place",
        "location": "location",
        "title": "title",
        "description": "description",
        "start_date": "start_date",
        "start_time": "start_time",
        "duration_minutes": "end_time",
        "until": "until",
        "languages": "languages",
        "cost_cents": "cost",
        "audience": "audience",
        "capacity": "capacity",
        "bring_a_dish": "bring_a_dish",
        "is_public": "is_public",
    }


class EditForm(_Form, _DetailsMixin):
    """What the whole activity is: its name, its seats, its cost; not when or where."""

    location = forms.CharField(
        label=gettext_lazy("Where"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For example: the playground behind the flat."),
    )

    field_order = [
        "title",
        "description",
        "language",
        "location",
        "languages",
        "cost",
        "audience",
        "capacity",
        "bring_a_dish",
        "is_public",
    ]

    def __init__(self, *args, activity: Activity, **kwargs) -> None:
        kwargs.setdefault("initial", initial_details(activity) | {"location": activity.location})
        super().__init__(*args, **kwargs)
        self.activity = activity
        if activity.place_id is not None:
            # The place stays; changing it goes through "this and following".
            del self.fields["location"]

    def service_kwargs(self) -> dict:
        kwargs = self.details()
        if "location" in self.fields:
            kwargs["location"] = self.cleaned_data["location"]
        return kwargs

    service_fields = {
        name: name
        for name in (
            "title",
            "description",
            "language",
            "location",
            "languages",
            "audience",
            "capacity",
            "bring_a_dish",
            "is_public",
        )
    } | {"cost_cents": "cost"}


def initial_details(activity: Activity) -> dict:
    return {
        "title": activity.title,
        "description": activity.description,
        "language": activity.language,
        "languages": list(activity.languages.all()),
        "cost": (Decimal(activity.cost_cents) / 100).quantize(Decimal("0.01"))
        if activity.cost_cents
        else None,
        "audience": activity.audience,
        "capacity": activity.capacity,
        "bring_a_dish": activity.bring_a_dish,
        "is_public": activity.is_public,
    }


class ChangeFromForm(_Form, _DetailsMixin, _WhereMixin, _ScheduleMixin):
    """Change a series from one of its dates on: time, repeat, place, title, seats…"""

    field_order = [
        "title",
        "description",
        "language",
        "place",
        "location",
        "start_time",
        "end_time",
        "repeat",
        "custom_rule",
        "until",
        "count",
        "languages",
        "cost",
        "audience",
        "capacity",
        "bring_a_dish",
        "is_public",
    ]

    def __init__(
        self,
        *args,
        activity: Activity,
        first: date,
        places: list[Place],
        advanced: bool = False,
        **kwargs,
    ) -> None:
        """`advanced`: whether the member may write a rule by hand. Without it, a series whose
        rule no plain choice gives keeps its rule, shown in words."""
        tz = activity.tz
        repeat, custom = repeat_of(activity.rrule, first)
        end = (datetime.combine(first, activity.start_time) + activity.duration).time()
        kwargs.setdefault(
            "initial",
            initial_details(activity)
            | {
                "place": str(activity.place_id) if activity.place_id else "",
                "location": activity.location,
                "start_time": activity.start_time,
                "end_time": end,
                "repeat": repeat,
                "custom_rule": custom,
                "until": activity.until.astimezone(tz).date() if activity.until else None,
            },
        )
        super().__init__(*args, **kwargs)
        self.tz = tz
        self.first = first
        # An activity of the keepers belongs to their place; an initiative's may move around.
        self._set_places(places if activity.initiative_id else [activity.place])
        locked = activity.rrule if repeat == CUSTOM and not advanced else ""
        self._set_schedule(first, advanced=advanced, locked_rule=locked)

    def clean(self) -> dict:
        data = super().clean()
        self._clean_where(data, required=False)
        self._clean_schedule(data, self.first)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            **self.details(),
            **self.schedule(),
            "place": data["place_obj"],
            "location": "" if data["place_obj"] else data["location"],
        }

    service_fields = PlanForm.service_fields | {"from_start": None, "start_date": None}


class CancelForm(_Form):
    note = forms.CharField(
        label=gettext_lazy("A note for the people coming (optional)"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("For example: the cook is ill; see you next month."),
    )


class MoveForm(_Form):
    """One date to another day or time; the rest of the series stays."""

    date = forms.DateField(
        label=gettext_lazy("New date"),
        widget=DateInput(),
    )
    start = forms.TimeField(label=gettext_lazy("Starts at"), widget=_time_input())
    end = forms.TimeField(label=gettext_lazy("Ends at"), widget=_time_input())
    note = forms.CharField(
        label=gettext_lazy("A note for the people coming (optional)"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("For example: one week later because of the holidays."),
    )

    def __init__(self, *args, tz: ZoneInfo, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.tz = tz

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        today = timezone.localdate(timezone=self.tz)
        if day < today:
            raise ValidationError(_("Move it to a date that is still to come."))
        if day - today > MAX_AHEAD:
            raise ValidationError(_("Plan at most five years ahead."))
        return day

    def clean(self) -> dict:
        data = super().clean()
        day, start, end = data.get("date"), data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", _("The end must come after the start, on the same day."))
        elif day is not None and start is not None and end is not None:
            data["new_start"] = localize(datetime.combine(day, start), self.tz)
            data["new_end"] = localize(datetime.combine(day, end), self.tz)
            if data["new_start"] <= timezone.now():
                self.add_error("start", _("Move it to a time that is still to come."))
        return data

    service_fields = {"new_start": "start", "new_end": "end", "note": "note"}
