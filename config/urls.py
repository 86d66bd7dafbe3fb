from django.contrib import admin
from django.urls import include, path

from buurtnet.front import views as front_views

urlpatterns = [
    path("admin/", admin.site.urls),
    # The start page lists the neighbourhoods (or goes straight to a member's own).
    path("", front_views.home, name="home"),
    path("", include("buurtnet.core.urls")),
    path("", include("buurtnet.people.urls")),
    path("", include("buurtnet.notifications.urls")),
    path("", include("buurtnet.neighbourhoods.urls")),
    path("", include("buurtnet.initiatives.urls")),
    path("", include("buurtnet.activities.urls")),
    path("", include("buurtnet.translations.urls")),
    path("", include("buurtnet.funding.urls")),
    path("", include("buurtnet.conversations.urls")),
    path("", include("buurtnet.sharing.urls")),
    path("", include("buurtnet.moderation.urls")),
    path("", include("buurtnet.front.urls")),
    # Uploaded files, each only to whoever may see what it belongs to (see buurtnet.media).
    path("", include("buurtnet.media.urls")),
]
