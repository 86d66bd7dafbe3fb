from django.urls import path

from buurtnet.neighbourhoods import views

app_name = "neighbourhoods"
urlpatterns = [
    path("join/", views.signup, name="signup"),
    path("join/check-your-email/", views.signup_sent, name="signup_sent"),
    path("join/confirm/", views.signup_finish, name="signup_finish"),
    path("join/confirm/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("n/<slug:slug>/ask-to-join/", views.ask_to_join, name="ask_to_join"),
    path("n/<slug:slug>/me/", views.my_membership, name="my_membership"),
    path("n/<slug:slug>/members/", views.directory, name="directory"),
    path("n/<slug:slug>/members/<int:user_id>/", views.member, name="member"),
    path("n/<slug:slug>/partners/", views.organisations, name="organisations"),
    path("n/<slug:slug>/partners/<slug:org_slug>/", views.organisation, name="organisation"),
    path("n/<slug:slug>/host/", views.host, name="host"),
    path(
        "n/<slug:slug>/host/requests/<int:request_id>/",
        views.join_request_decide,
        name="join_request_decide",
    ),
    path("n/<slug:slug>/host/invites/", views.invites_issue, name="invites_issue"),
    path(
        "n/<slug:slug>/host/invites/<int:code_id>/revoke/",
        views.invite_revoke,
        name="invite_revoke",
    ),
    path("n/<slug:slug>/host/invites.csv", views.invites_csv, name="invites_csv"),
    path("n/<slug:slug>/host/invites/print/", views.invites_print, name="invites_print"),
]
