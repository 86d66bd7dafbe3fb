"""One conversation system for the whole neighbourhood.

A conversation is either a resident's *question* to an organisation (usually the first point of
contact: `organisation` is set, and the organisation's professionals answer), or a *private*
conversation between members (`organisation` is empty; who takes part is in `Participant`).
Either may be about something — an ask, an offer, an initiative, a profile — held as a generic
relation (`topic`), as Karrot's conversations are, so this app never imports the apps above it.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buurtnet.core.models import TimeStamped
from buurtnet.neighbourhoods.models import Neighbourhood, Organisation


class ConversationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Conversation(TimeStamped):
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="conversations"
    )
    # Set for a question to an organisation; empty for a private conversation between members.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conversations",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    subject = models.CharField(_("subject"), max_length=150)
    status = models.CharField(
        max_length=20, choices=ConversationStatus.choices, default=ConversationStatus.OPEN
    )
    # What the conversation is about (an ask, an offer, an initiative, a member), if anything.
    topic_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    topic_id = models.PositiveBigIntegerField(null=True, blank=True)
    topic = GenericForeignKey("topic_type", "topic_id")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            models.Index(fields=["topic_type", "topic_id"], name="conversation_topic"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(topic_type__isnull=True, topic_id__isnull=True)
                | Q(topic_type__isnull=False, topic_id__isnull=False),
                name="conversation_topic_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_question(self) -> bool:
        return self.organisation_id is not None

    @property
    def is_closed(self) -> bool:
        return self.status == ConversationStatus.CLOSED


class Participant(models.Model):
    """A member in a private conversation: what they have read and when they were last mailed."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_seats"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(null=True, blank=True)
    # At most one email per conversation per hour: the last one sent, and the one waiting.
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="unique_participant"),
        ]
        indexes = [models.Index(fields=["user", "conversation"], name="participant_user")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}"


class Message(TimeStamped):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("message"), max_length=4000)
    # Hidden by a host after a report: kept for the record, shown to no one.
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.body[:40]
