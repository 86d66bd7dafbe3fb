"""Addresses of the meeting place. Each concern keeps its own namespace ("activities", "bookings",
"organise", "helping"), so `{% url %}` names read as what they are."""

from django.urls import include, path

from buurtnet.activities.views import agenda, bookings, feeds, helping, occurrence, organise, places

OCCURRENCE = "n/<slug:slug>/agenda/<int:activity_pk>/<str:when>/"

activities_patterns = [
    path("n/<slug:slug>/agenda.ics", feeds.feed_neighbourhood, name="feed_neighbourhood"),
    path("n/<slug:slug>/places/<int:pk>.ics", feeds.feed_place, name="feed_place"),
    path(
        "n/<slug:slug>/initiatives/<int:pk>/agenda.ics",
        feeds.feed_initiative,
        name="feed_initiative",
    ),
    path("calendar/<slug:token>.ics", feeds.feed_personal, name="feed_personal"),
    path("me/calendar/", feeds.my_calendar, name="my_calendar"),
    path("me/calendar/renew/", feeds.my_calendar_renew, name="my_calendar_renew"),
    path("n/<slug:slug>/agenda/", agenda.agenda, name="agenda"),
    path(
        "n/<slug:slug>/agenda/<int:activity_pk>/<str:when>.ics",
        feeds.occurrence_ics,
        name="occurrence_ics",
    ),
    path(OCCURRENCE, occurrence.occurrence, name="occurrence"),
    path(f"{OCCURRENCE}rsvp/", occurrence.rsvp, name="rsvp"),
    path(f"{OCCURRENCE}cancel/", occurrence.rsvp_cancel, name="rsvp_cancel"),
    path("n/<slug:slug>/places/", places.places, name="places"),
    path("n/<slug:slug>/places/<int:pk>/", places.place, name="place"),
    path("n/<slug:slug>/places/<int:pk>/edit/", places.place_edit, name="place_edit"),
    path(
        "n/<slug:slug>/places/<int:pk>/keepers/",
        places.place_keeper_add,
        name="place_keeper_add",
    ),
    path(
        "n/<slug:slug>/places/<int:pk>/keepers/<int:user_pk>/remove/",
        places.place_keeper_remove,
        name="place_keeper_remove",
    ),
    path("n/<slug:slug>/places/<int:pk>/keys/", places.place_key_add, name="place_key_add"),
    path(
        "n/<slug:slug>/places/<int:pk>/keys/<int:key_pk>/remove/",
        places.place_key_remove,
        name="place_key_remove",
    ),
    path("n/<slug:slug>/places/<int:pk>/photos/", places.place_photo_add, name="place_photo_add"),
    path(
        "n/<slug:slug>/places/<int:pk>/photos/<int:photo_pk>/remove/",
        places.place_photo_remove,
        name="place_photo_remove",
    ),
]

bookings_patterns = [
    path("n/<slug:slug>/places/<int:pk>/bookings/", bookings.place, name="place"),
    path("n/<slug:slug>/bookings/<int:pk>/decide/", bookings.decide, name="decide"),
    path("n/<slug:slug>/bookings/<int:pk>/cancel/", bookings.cancel, name="cancel"),
]

organise_patterns = [
    path("n/<slug:slug>/agenda/plan/", organise.create, name="create"),
    path("n/<slug:slug>/activities/<int:pk>/edit/", organise.edit, name="edit"),
    path(f"{OCCURRENCE}cancel-date/", organise.occurrence_cancel, name="occurrence_cancel"),
    path(f"{OCCURRENCE}move/", organise.occurrence_move, name="occurrence_move"),
    path(f"{OCCURRENCE}change-from/", organise.change_from, name="change_from"),
]

helping_patterns = [
    path(f"{OCCURRENCE}tasks/add/", helping.task_add, name="task_add"),
    path(f"{OCCURRENCE}tasks/<int:task_pk>/edit/", helping.task_update, name="task_update"),
    path(f"{OCCURRENCE}tasks/<int:task_pk>/remove/", helping.task_remove, name="task_remove"),
    path(f"{OCCURRENCE}tasks/<int:task_pk>/help/", helping.task_signup, name="task_signup"),
    path(f"{OCCURRENCE}tasks/<int:task_pk>/withdraw/", helping.task_withdraw, name="task_withdraw"),
    path(f"{OCCURRENCE}dish/", helping.dish_set, name="dish_set"),
    path(f"{OCCURRENCE}dish/remove/", helping.dish_remove, name="dish_remove"),
    path(f"{OCCURRENCE}attendance/", helping.attendance_record, name="attendance_record"),
    path(
        f"{OCCURRENCE}attendance/photos/",
        helping.attendance_photo_add,
        name="attendance_photo_add",
    ),
    path(
        f"{OCCURRENCE}attendance/photos/<int:photo_pk>/remove/",
        helping.attendance_photo_remove,
        name="attendance_photo_remove",
    ),
]

urlpatterns = [
    path("", include((activities_patterns, "activities"))),
    path("", include((bookings_patterns, "bookings"))),
    path("", include((organise_patterns, "organise"))),
    path("", include((helping_patterns, "helping"))),
]
