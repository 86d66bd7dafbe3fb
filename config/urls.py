from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("buurtnet.core.urls")),
    path("", include("buurtnet.people.urls")),
    path("", include("buurtnet.notifications.urls")),
    path("", include("buurtnet.neighbourhoods.urls")),
    path("", include("buurtnet.initiatives.urls")),
    path("", include("buurtnet.activities.urls")),
    path("", include("buurtnet.activities.urls_bookings")),
    path("", include("buurtnet.activities.urls_organise")),
    path("", include("buurtnet.activities.urls_helping")),
    path("", include("buurtnet.front.urls")),
    # Uploaded photos are served by the app itself so the embedded set-up needs no extra server.
    # File names are random, so a URL cannot be guessed from another.
    re_path(r"^media/(?P<path>.+)$", serve, {"document_root": settings.MEDIA_ROOT}),
]
