from django.urls import path

from buurtnet.activities import views_bookings as views

app_name = "bookings"

urlpatterns = [
    path("n/<slug:slug>/places/<int:pk>/bookings/", views.place, name="place"),
    path("n/<slug:slug>/bookings/<int:pk>/decide/", views.decide, name="decide"),
    path("n/<slug:slug>/bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
]
