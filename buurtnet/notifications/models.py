from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtnet.core.models import TimeStamped


class Kind(models.TextChoices):
    INITIATIVE_JOINED = "initiative_joined", _("Someone joins your initiative")
    SUPPORT_OFFERED = "support_offered", _("A support offer arrives for your initiative")
    OFFER_ACCEPTED = "offer_accepted", _("Your support offer is accepted")
    QUESTION_ANSWERED = "question_answered", _("Your question is answered")
    JOIN_APPROVED = "join_approved", _("Your request to join is approved")
    PARTICIPATION_ACCEPTED = "participation_accepted", _("The initiators welcome you on board")
    QUESTION_ASKED = "question_asked", _("A resident asks your organisation a question")
    JOIN_REQUESTED = "join_requested", _("Someone asks to join your neighbourhood (hosts)")
    WAITLIST_PROMOTED = "waitlist_promoted", _("A place comes free for you on a waiting list")
    BOOKING_REQUESTED = "booking_requested", _("Someone asks to book a place you keep")
    BOOKING_DECIDED = "booking_decided", _("Your booking is approved or declined")
    ACTIVITY_REMINDER = "activity_reminder", _("A reminder the day before you are going")
    TASKS_OPEN = "tasks_open", _("Tasks still open two days before your activity")
    GRANT_SUBMITTED = "grant_submitted", _("A grant request waits for the board")
    GRANT_MESSAGE = "grant_message", _("A question or answer about a grant request")
    GRANT_DECIDED = "grant_decided", _("The board decides on your grant request")
    GRANT_PAID = "grant_paid", _("A grant is paid")
    RECEIPT_ADDED = "receipt_added", _("A receipt waits for the treasurer")
    RECEIPT_CHECKED = "receipt_checked", _("The treasurer checked your receipt")
    MESSAGE_RECEIVED = "message_received", _("A neighbour writes to you in a conversation")
    ASKED_FOR_HELP = "asked_for_help", _("A neighbour asks whether you can help")
    ASK_ANSWERED = "ask_answered", _("A neighbour can help with your ask")
    THANKS_RECEIVED = "thanks_received", _("A neighbour thanks you")
    LOAN_REQUESTED = "loan_requested", _("A neighbour asks to borrow something of yours")
    LOAN_DECIDED = "loan_decided", _("Your request to borrow is accepted or declined")
    LOAN_RETURN_DUE = "loan_return_due", _("A reminder on the day a loan ends")
    REPORT_RECEIVED = "report_received", _("A report waits for the hosts")
    MODERATION = "moderation", _("A host acted on what you posted or on your membership")


class Notification(TimeStamped):
    """One thing that happened for one person. The text is built when shown, in their language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Names of things (an initiative's title, an organisation's name) kept as they were then.
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Sending the email: a worker claims it for a while (a lease), and emailed_at is set once the
    # mail server has accepted the message. A worker that dies in between leaves only the claim,
    # which expires, so a retry sends it; a sent one is never sent again.
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class EmailOptOut(models.Model):
    """A person does not want email for this kind of notification (they still see it in-app)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="unique_email_opt_out")
        ]
        verbose_name = _("email opt-out")
        verbose_name_plural = _("email opt-outs")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"
