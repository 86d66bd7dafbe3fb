from django.urls import path

from buurtnet.translations import views

app_name = "translations"

_one = "n/<slug:slug>/translate/<slug:kind>/<int:pk>/<slug:field>/"

urlpatterns = [
    path(_one, views.translate, name="translate"),
    path(f"{_one}machine/", views.machine_translation, name="machine"),
    path("n/<slug:slug>/translations/<int:pk>/remove/", views.remove, name="remove"),
]
