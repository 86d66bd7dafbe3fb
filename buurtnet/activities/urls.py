from django.urls import path

from buurtnet.activities import views, views_occurrence, views_places

app_name = "activities"

urlpatterns = [
    path("n/<slug:slug>/agenda.ics", views.feed_neighbourhood, name="feed_neighbourhood"),
    path("n/<slug:slug>/places/<int:pk>.ics", views.feed_place, name="feed_place"),
    path(
        "n/<slug:slug>/initiatives/<int:pk>/agenda.ics",
        views.feed_initiative,
        name="feed_initiative",
    ),
    path("calendar/<slug:token>.ics", views.feed_personal, name="feed_personal"),
    path("me/calendar/", views.my_calendar, name="my_calendar"),
    path("me/calendar/renew/", views.my_calendar_renew, name="my_calendar_renew"),
    path("n/<slug:slug>/agenda/", views.agenda, name="agenda"),
    path(
        "n/<slug:slug>/agenda/<int:activity_pk>/<str:when>.ics",
        views.occurrence_ics,
        name="occurrence_ics",
    ),
    path(
        "n/<slug:slug>/agenda/<int:activity_pk>/<str:when>/",
        views_occurrence.occurrence,
        name="occurrence",
    ),
    path(
        "n/<slug:slug>/agenda/<int:activity_pk>/<str:when>/rsvp/",
        views_occurrence.rsvp,
        name="rsvp",
    ),
    path(
        "n/<slug:slug>/agenda/<int:activity_pk>/<str:when>/cancel/",
        views_occurrence.rsvp_cancel,
        name="rsvp_cancel",
    ),
    path("n/<slug:slug>/places/", views_places.places, name="places"),
    path("n/<slug:slug>/places/<int:pk>/", views_places.place, name="place"),
    path("n/<slug:slug>/places/<int:pk>/edit/", views_places.place_edit, name="place_edit"),
    path(
        "n/<slug:slug>/places/<int:pk>/keepers/",
        views_places.place_keeper_add,
        name="place_keeper_add",
    ),
    path(
        "n/<slug:slug>/places/<int:pk>/keepers/<int:user_pk>/remove/",
        views_places.place_keeper_remove,
        name="place_keeper_remove",
    ),
    path("n/<slug:slug>/places/<int:pk>/keys/", views_places.place_key_add, name="place_key_add"),
    path(
        "n/<slug:slug>/places/<int:pk>/keys/<int:key_pk>/remove/",
        views_places.place_key_remove,
        name="place_key_remove",
    ),
    path(
        "n/<slug:slug>/places/<int:pk>/photos/",
        views_places.place_photo_add,
        name="place_photo_add",
    ),
    path(
        "n/<slug:slug>/places/<int:pk>/photos/<int:photo_pk>/remove/",
        views_places.place_photo_remove,
        name="place_photo_remove",
    ),
]
