from django.urls import path

from buurtnet.front import views

app_name = "front"
urlpatterns = [
    path("n/<slug:slug>/", views.landing, name="landing"),
    path("n/<slug:slug>/home/", views.member_home, name="member_home"),
]
