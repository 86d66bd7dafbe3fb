from django.urls import path

from buurtnet.conversations import views

app_name = "conversations"

_conversations = "n/<slug:slug>/conversations/"

urlpatterns = [
    # Residents' questions to the first point of contact (their addresses as they always were).
    path("n/<slug:slug>/ask/", views.ask, name="ask"),
    path("n/<slug:slug>/questions/", views.questions, name="questions"),
    path("n/<slug:slug>/questions/<int:pk>/", views.detail, name="question"),
    # All of a member's conversations, questions and private ones.
    path(_conversations, views.inbox, name="inbox"),
    path(f"{_conversations}new/", views.start, name="start"),
    path(f"{_conversations}<int:pk>/", views.detail, name="detail"),
    path(f"{_conversations}<int:pk>/messages/", views.messages_after, name="messages"),
    path(f"{_conversations}<int:pk>/close/", views.close, name="close"),
]
