from django.urls import path

from buurtnet.media import views

app_name = "media"

urlpatterns = [
    path("media/<path:path>", views.media_file, name="file"),
]
