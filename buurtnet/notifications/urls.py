from django.urls import path

from buurtnet.notifications import views

app_name = "notifications"
urlpatterns = [
    path("me/notifications/", views.notification_list, name="list"),
    path("me/notifications/<int:pk>/", views.notification_redirect, name="open"),
    path("me/notifications/read/", views.mark_all_read, name="mark_all_read"),
    path("me/notifications/email/", views.email_settings, name="email_settings"),
]
