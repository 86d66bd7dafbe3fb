from django.urls import path

from buurtnet.activities import views_organise

app_name = "organise"

urlpatterns = [
    path("n/<slug:slug>/agenda/plan/", views_organise.create, name="create"),
    path("n/<slug:slug>/activities/<int:pk>/edit/", views_organise.edit, name="edit"),
    path(
        "n/<slug:slug>/agenda/<int:activity_pk>/<str:when>/cancel-date/",
        views_organise.occurrence_cancel,
        name="occurrence_cancel",
    ),
    path(
        "n/<slug:slug>/agenda/<int:activity_pk>/<str:when>/move/",
        views_organise.occurrence_move,
        name="occurrence_move",
    ),
    path(
        "n/<slug:slug>/agenda/<int:activity_pk>/<str:when>/change-from/",
        views_organise.change_from,
        name="change_from",
    ),
]
