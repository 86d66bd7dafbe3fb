from django.urls import path

from buurtnet.front import views

app_name = "front"
urlpatterns = [
    path("n/<slug:slug>/", views.landing, name="landing"),
    path("n/<slug:slug>/home/", views.member_home, name="member_home"),
    # The public face of a neighbourhood: what visitors may read without an account. Members
    # who follow these addresses land on their own full pages.
    path("n/<slug:slug>/whats-on/", views.public_agenda, name="public_agenda"),
    path(
        "n/<slug:slug>/whats-on/<int:activity_pk>/<str:when>/",
        views.public_occurrence,
        name="public_occurrence",
    ),
    path("n/<slug:slug>/initiative/<int:pk>/", views.public_initiative, name="public_initiative"),
]
