from django.urls import path

from buurtnet.moderation import views

app_name = "moderation"

_hosts = "n/<slug:slug>/hosts/reports/"

urlpatterns = [
    path("n/<slug:slug>/report/<str:what>/<int:pk>/", views.report, name="report"),
    # The hosts' queue and what they did.
    path(_hosts, views.queue, name="queue"),
    path(f"{_hosts}actions/", views.actions, name="actions"),
    path(f"{_hosts}<int:pk>/", views.report_detail, name="report_detail"),
    # Blocks.
    path("n/<slug:slug>/members/<int:user_pk>/block/", views.block, name="block"),
    path("n/<slug:slug>/members/<int:user_pk>/unblock/", views.unblock, name="unblock"),
    path("n/<slug:slug>/blocked/", views.blocks, name="blocks"),
]
