from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from buurtnet.notifications.messages import notification_text
from buurtnet.notifications.models import EmailOptOut, Notification
from buurtnet.notifications.unread import unread_count_forget


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Notifications are records of what happened: they can be looked at and deleted, not edited."""

    list_display = ("recipient", "kind", "actor", "created_at", "read_at", "emailed_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter), "created_at")
    list_select_related = ("recipient", "actor")
    search_fields = ("recipient__email", "recipient__display_name", "actor__email")
    date_hierarchy = "created_at"
    readonly_fields = (
        "recipient",
        "kind",
        "actor",
        "text",
        "params",
        "url",
        "created_at",
        "read_at",
        "emailed_at",
    )
    fields = readonly_fields

    @admin.display(description=_("text"))
    def text(self, obj: Notification) -> str:
        return notification_text(obj)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    # Deleting changes the recipients' unread numbers, which the services otherwise look after.
    def delete_model(self, request, obj: Notification) -> None:
        super().delete_model(request, obj)
        unread_count_forget(user_ids=[obj.recipient_id])

    def delete_queryset(self, request, queryset) -> None:
        recipients = set(queryset.values_list("recipient_id", flat=True))
        super().delete_queryset(request, queryset)
        unread_count_forget(user_ids=recipients)


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ("user", "kind")
    list_filter = ("kind",)
    list_select_related = ("user",)
    search_fields = ("user__email", "user__display_name")
    autocomplete_fields = ("user",)
