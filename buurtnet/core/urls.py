from django.urls import path

from buurtnet.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
