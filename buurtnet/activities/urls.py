from django.urls import path

from buurtnet.activities import views

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
        "n/<slug:slug>/agenda/<int:activity_pk>/<str:when>/",
        views.occurrence,
        name="occurrence",
    ),
    path("n/<slug:slug>/agenda/<int:activity_pk>/<str:when>/rsvp/", views.rsvp, name="rsvp"),
    path(
        "n/<slug:slug>/agenda/<int:activity_pk>/<str:when>/cancel/",
        views.rsvp_cancel,
        name="rsvp_cancel",
    ),
]
