"""The meeting place's data, one module per concern; every model is importable from here."""

from buurtnet.activities.models.activities import Activity, Audience, OccurrenceChange, localize
from buurtnet.activities.models.bookings import (
    ACTIVE_BOOKING_STATUSES,
    RESERVE_AHEAD,
    Booking,
    BookingStatus,
    SeriesBooking,
)
from buurtnet.activities.models.calendars import (
    CalendarToken,
    ReminderKind,
    SentReminder,
    new_calendar_token,
)
from buurtnet.activities.models.helping import (
    MAX_ATTENDANCE,
    MAX_HANDS,
    Attendance,
    AttendancePhoto,
    Dish,
    Task,
    TaskKind,
    TaskSignup,
)
from buurtnet.activities.models.places import (
    Place,
    PlaceKeeper,
    PlaceKey,
    PlaceOpening,
    PlacePhoto,
)
from buurtnet.activities.models.rsvps import Rsvp, RsvpStatus

__all__ = [
    "ACTIVE_BOOKING_STATUSES",
    "MAX_ATTENDANCE",
    "MAX_HANDS",
    "RESERVE_AHEAD",
    "Activity",
    "Attendance",
    "AttendancePhoto",
    "Audience",
    "Booking",
    "BookingStatus",
    "CalendarToken",
    "Dish",
    "OccurrenceChange",
    "Place",
    "PlaceKeeper",
    "PlaceKey",
    "PlaceOpening",
    "PlacePhoto",
    "ReminderKind",
    "Rsvp",
    "RsvpStatus",
    "SentReminder",
    "SeriesBooking",
    "Task",
    "TaskKind",
    "TaskSignup",
    "localize",
    "new_calendar_token",
]
