from django.urls import path

from buurtnet.initiatives import views

app_name = "initiatives"

_one = "n/<slug:slug>/initiatives/<int:pk>/"

urlpatterns = [
    path("n/<slug:slug>/initiatives/", views.initiative_list, name="list"),
    path("n/<slug:slug>/initiatives/start/", views.start, name="start"),
    path(_one, views.detail, name="detail"),
    path(f"{_one}edit/", views.edit, name="edit"),
    path(f"{_one}join/", views.join, name="join"),
    path(f"{_one}leave/", views.leave, name="leave"),
    path(f"{_one}offer/", views.offer, name="offer"),
    path(f"{_one}offers/<int:offer_pk>/withdraw/", views.offer_withdraw, name="offer_withdraw"),
    path(f"{_one}updates/", views.update_post, name="update_post"),
    path(f"{_one}learnings/", views.learning_post, name="learning_post"),
    path(f"{_one}manage/", views.manage, name="manage"),
    path(f"{_one}status/", views.status, name="status"),
    path(f"{_one}initiators/", views.initiator_add, name="initiator_add"),
    path(
        f"{_one}participants/<int:participation_pk>/",
        views.participation_decide,
        name="participation_decide",
    ),
    path(f"{_one}offers/<int:offer_pk>/", views.offer_decide, name="offer_decide"),
    path(f"{_one}needs/", views.need_add, name="need_add"),
    path(f"{_one}needs/<int:need_pk>/met/", views.need_met, name="need_met"),
]
